/* SPDX-License-Identifier: ISC */
/*
 * dissect/hrr.h: TLS 1.3's HelloRetryRequest (RFC 8446 section 4.1.4), the
 * ServerHello whose random is a fixed value, after which the client sends
 * a second ClientHello on the same connection. Two pure helpers over
 * stream prefixes: where the client's first ClientHello ends, and whether
 * the server's first handshake message is a HelloRetryRequest.
 */
#ifndef SHADOWTAP_DISSECT_HRR_H
#define SHADOWTAP_DISSECT_HRR_H

#include <stddef.h>
#include <stdint.h>

/*
 * The stream offset just after the TLS records that carry the handshake
 * message starting at up[0] (a ClientHello may span several records),
 * followed by any ChangeCipherSpec records (RFC 8446 appendix D.4's
 * middlebox compatibility): where a second ClientHello would start.
 * 0 when up[0..ulen) does not hold all of them.
 */
size_t	hrr_hello_end(const uint8_t *up, size_t ulen);

/*
 * Whether the server's stream down[0..dlen) starts with a ServerHello
 * record whose random is RFC 8446's HelloRetryRequest value: 1 yes, 0 no
 * (another message, or a ServerHello with another random), -1 when fewer
 * bytes than the random's end are there.
 */
int	hrr_is_retry(const uint8_t *down, size_t dlen);

/*
 * The same for a bare handshake message (QUIC CRYPTO frames): the
 * offset just after the message at p[0], 0 when it is not all there.
 */
size_t	hrr_handshake_end(const uint8_t *p, size_t len);

#endif
