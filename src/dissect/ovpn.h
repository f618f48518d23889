/* SPDX-License-Identifier: ISC */
/*
 * ovpn.h: the TLS handshake inside an OpenVPN control channel. OpenVPN
 * ("Protocol overview" of its documentation, ssl_pkt.h) carries TLS in
 * P_CONTROL_V1 messages of at most tls-mtu bytes each, so a ClientHello is
 * usually split over several packets, each with its own header:
 *
 *	+--------+---------+------------------------+-------+-----+------+
 *	| op|kid | session | tls-auth: hmac, pid(4),| acks  | msg | TLS  |
 *	|  (1)   | id (8)  | time(4); else nothing  |       | id 4| ...  |
 *	+--------+---------+------------------------+-------+-----+------+
 *	acks: count (1, at most 8), ids (4 each), and the peer's session id
 *	(8) when count > 0. Over TCP each packet is preceded by a 16-bit
 *	length. tls-crypt encrypts all of it: nothing to read.
 *
 * The HMAC size is not announced: the first P_CONTROL_V1 message decides
 * it, as the size (none, 16, 20, 32, 48 or 64 bytes) under which its
 * acknowledgements are sane and its payload starts a TLS handshake
 * record. Nothing here allocates.
 */
#ifndef SHADOWTAP_DISSECT_OVPN_H
#define SHADOWTAP_DISSECT_OVPN_H

#include <stddef.h>
#include <stdint.h>

#define OVPN_HMAC_UNKNOWN	SIZE_MAX

/* What one direction's control channel has shown so far. */
struct ovpn_ctl {
	size_t		auth;		/* bytes between session id and acks,
					   or OVPN_HMAC_UNKNOWN */
	uint32_t	next;		/* message id expected next */
	int		started;	/* the first TLS piece was seen */
};

void	ovpn_ctl_init(struct ovpn_ctl *);
/*
 * One OpenVPN packet (no TCP length prefix). For the next P_CONTROL_V1
 * message of the handshake returns 1 with its TLS bytes in *tls, *tlslen;
 * 0 for anything else (another opcode, a repeat, a message that is not
 * the next one, a header that does not parse or a first message that
 * does not start a TLS record).
 */
int	ovpn_ctl_next(struct ovpn_ctl *, const uint8_t *pkt, size_t len,
	    const uint8_t **tls, size_t *tlslen);
/*
 * The client's first bytes of an OpenVPN-over-TCP stream: appends the
 * TLS bytes of its control messages, in order, to out (outsz bytes at
 * most). Returns the bytes written; 0 when the stream holds none.
 */
size_t	ovpn_tcp_tls(const uint8_t *stream, size_t len, uint8_t *out,
	    size_t outsz);

#endif
