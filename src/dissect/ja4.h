/* SPDX-License-Identifier: ISC */
/*
 * dissect/ja4.h: the JA4 client fingerprint (FoxIO, technical_details/
 * JA4.md) of a parsed ClientHello. Pure: no I/O, no allocation, no state.
 */
#ifndef SHADOWTAP_DISSECT_JA4_H
#define SHADOWTAP_DISSECT_JA4_H

#include "dissect/tls.h"

/* "t13d1516h2_8daaf6152771_e5627efa2ab1": 10 + 1 + 12 + 1 + 12. */
#define JA4_LEN		36

/*
 * Writes the JA4 fingerprint of h to out (always NUL-terminated):
 *
 *	a: 't' (TCP) or 'q' (quic != 0); the version from supported_versions
 *	   (highest non-GREASE) else legacy_version, as "13".."10", "s3",
 *	   "s2", "d1".."d3" or "00"; 'd' if a server_name extension is
 *	   present else 'i'; the non-GREASE cipher and extension counts as
 *	   two digits each, capped at 99; the first and last character of
 *	   the first ALPN protocol, or of its hex form when either end octet
 *	   is not ASCII alphanumeric, "00" without ALPN.
 *	b: first 12 hex digits of SHA-256 over the sorted non-GREASE
 *	   ciphers as 4-digit lower-case hex, comma-separated;
 *	   "000000000000" when there are none.
 *	c: the same over the sorted non-GREASE extensions without 0x0000
 *	   and 0x0010, then, if there are signature algorithms, '_' and
 *	   those in wire order; "000000000000" when no extension is left.
 *
 * Returns 0, or -1 when libcrypto cannot compute SHA-256 (out then holds
 * zeros in place of the failed hash). As for JA3, a truncated or
 * malformed hello yields the fingerprint of what was parsed.
 */
int	ja4_compute(const struct tls_hello *h, int quic, char out[JA4_LEN + 1]);

#endif
