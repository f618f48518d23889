/* SPDX-License-Identifier: ISC */
/*
 * dissect/ja4.c: JA4 fingerprint from a parsed ClientHello, following
 * FoxIO's technical_details/JA4.md rule by rule. The hashed strings are
 * built in stack buffers sized for TLS_MAX_LIST entries.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dissect/ja4.h"
#include "dissect/tls.h"

#define JA4_HASH_LEN	12	/* hex digits kept of each SHA-256 */
#define JA4_COUNT_MAX	99	/* counts are two digits */
#define JA4_HEX4	5	/* "002f," */
/* Sorted extensions, '_', signature algorithms. */
#define JA4_LIST_MAX	(2 * TLS_MAX_LIST * JA4_HEX4 + 1)

static const char hexdig[] = "0123456789abcdef";

static int
cmp16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* The two characters for a TLS version, JA4.md "TLS and DTLS Version". */
static const char *
version_code(uint16_t v)
{
	switch (v) {
	case 0x0304:
		return "13";
	case 0x0303:
		return "12";
	case 0x0302:
		return "11";
	case 0x0301:
		return "10";
	case 0x0300:
		return "s3";
	case 0x0002:
		return "s2";
	case 0xfeff:
		return "d1";
	case 0xfefd:
		return "d2";
	case 0xfefc:
		return "d3";
	default:
		return "00";
	}
}

static int
is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* Appends v as 4 lower-case hex digits, comma-separated after the first. */
static size_t
put_hex4(char *s, size_t len, uint16_t v)
{
	if (len > 0 && s[len - 1] != '_')
		s[len++] = ',';
	s[len++] = hexdig[v >> 12 & 0xf];
	s[len++] = hexdig[v >> 8 & 0xf];
	s[len++] = hexdig[v >> 4 & 0xf];
	s[len++] = hexdig[v & 0xf];
	return len;
}

/* Writes the first 12 hex digits of SHA-256(s) to dst. */
static int
hash12(const char *s, size_t len, char *dst)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(s, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen * 2 < JA4_HASH_LEN) {
		memset(dst, '0', JA4_HASH_LEN);
		return -1;
	}
	for (i = 0; i < JA4_HASH_LEN / 2; i++) {
		dst[2 * i] = hexdig[md[i] >> 4];
		dst[2 * i + 1] = hexdig[md[i] & 0x0f];
	}
	return 0;
}

int
ja4_compute(const struct tls_hello *h, int quic, char out[JA4_LEN + 1])
{
	uint16_t sorted[TLS_MAX_LIST];
	char list[JA4_LIST_MAX];
	const char *ver;
	uint16_t best = 0;
	size_t i, n, len, nciph = 0, next = 0;
	int sni = 0, rc = 0;
	char *o = out;

	/* a: protocol, version, SNI, counts, ALPN. */
	*o++ = quic ? 'q' : 't';
	for (i = 0; i < h->nversions; i++)
		if (!tls_is_grease(h->versions[i]) && h->versions[i] > best)
			best = h->versions[i];
	ver = version_code(best != 0 ? best : h->version);
	*o++ = ver[0];
	*o++ = ver[1];
	for (i = 0; i < h->nciphers; i++)
		if (!tls_is_grease(h->ciphers[i]))
			nciph++;
	for (i = 0; i < h->nexts; i++) {
		if (tls_is_grease(h->exts[i]))
			continue;
		next++;
		if (h->exts[i] == TLS_EXT_SERVER_NAME)
			sni = 1;
	}
	*o++ = sni ? 'd' : 'i';
	if (nciph > JA4_COUNT_MAX)
		nciph = JA4_COUNT_MAX;
	if (next > JA4_COUNT_MAX)
		next = JA4_COUNT_MAX;
	*o++ = (char)('0' + nciph / 10);
	*o++ = (char)('0' + nciph % 10);
	*o++ = (char)('0' + next / 10);
	*o++ = (char)('0' + next % 10);
	if (h->nalpn == 0 || h->alpn0_len == 0) {
		*o++ = '0';
		*o++ = '0';
	} else if (is_alnum(h->alpn0_first) && is_alnum(h->alpn0_last)) {
		*o++ = (char)h->alpn0_first;
		*o++ = (char)h->alpn0_last;
	} else {
		/* First and last digit of the whole value in hex. */
		*o++ = hexdig[h->alpn0_first >> 4];
		*o++ = hexdig[h->alpn0_last & 0x0f];
	}
	*o++ = '_';

	/* b: sorted ciphers. */
	for (i = n = 0; i < h->nciphers; i++)
		if (!tls_is_grease(h->ciphers[i]))
			sorted[n++] = h->ciphers[i];
	if (n == 0)
		memset(o, '0', JA4_HASH_LEN);
	else {
		qsort(sorted, n, sizeof(sorted[0]), cmp16);
		for (i = len = 0; i < n; i++)
			len = put_hex4(list, len, sorted[i]);
		rc |= hash12(list, len, o);
	}
	o += JA4_HASH_LEN;
	*o++ = '_';

	/* c: sorted extensions less SNI and ALPN, '_', signature algs. */
	for (i = n = 0; i < h->nexts; i++)
		if (!tls_is_grease(h->exts[i]) &&
		    h->exts[i] != TLS_EXT_SERVER_NAME &&
		    h->exts[i] != TLS_EXT_ALPN)
			sorted[n++] = h->exts[i];
	if (n == 0)
		memset(o, '0', JA4_HASH_LEN);
	else {
		qsort(sorted, n, sizeof(sorted[0]), cmp16);
		for (i = len = 0; i < n; i++)
			len = put_hex4(list, len, sorted[i]);
		if (h->nsig_algs > 0)
			list[len++] = '_';
		for (i = 0; i < h->nsig_algs; i++)
			if (!tls_is_grease(h->sig_algs[i]))
				len = put_hex4(list, len, h->sig_algs[i]);
		rc |= hash12(list, len, o);
	}
	o += JA4_HASH_LEN;
	*o = '\0';
	return rc;
}
