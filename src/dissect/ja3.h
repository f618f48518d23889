/* SPDX-License-Identifier: ISC */
/*
 * dissect/ja3.h: the JA3 client fingerprint (Salesforce, 2017) of a parsed
 * ClientHello. Pure: no I/O, no allocation, no state.
 */
#ifndef SHADOWTAP_DISSECT_JA3_H
#define SHADOWTAP_DISSECT_JA3_H

#include <stddef.h>

#include "dissect/tls.h"

/*
 * Longest JA3 string: five decimal lists of up to TLS_MAX_LIST entries of
 * up to 5 digits and a separator each, plus the version.
 */
#define JA3_STR_MAX	(4 * TLS_MAX_LIST * 6 + TLS_MAX_LIST * 4 + 16)
#define JA3_MD5_HEX	32

/*
 * Builds the JA3 string of h,
 *
 *	SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats
 *
 * each field decimal and each list '-'-separated in wire order, with the
 * GREASE values of RFC 8701 (0x?a?a) left out of the ciphers, extensions
 * and curves, exactly as the reference ja3.py and Wireshark do. SSLVersion
 * is the ClientHello's legacy_version. The string is written to str
 * (strsz bytes, always NUL-terminated when strsz > 0, cut if too small;
 * str may be NULL when strsz is 0), and the lower-case hex MD5 of the
 * whole, uncut string to md5hex. Returns 0, or -1 when libcrypto cannot
 * compute MD5 (md5hex is then ""). Values are as parsed: a hello whose
 * lists hit TLS_MAX_LIST (h->truncated) gives a JA3 of the kept part, and
 * for a malformed hello (h->malformed) Wireshark prints no JA3 at all;
 * the caller decides whether to report one.
 */
int	ja3_compute(const struct tls_hello *h, char *str, size_t strsz,
	    char md5hex[JA3_MD5_HEX + 1]);

#endif
