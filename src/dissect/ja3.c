/* SPDX-License-Identifier: ISC */
/*
 * dissect/ja3.c: JA3 string and MD5 from a parsed ClientHello. The string
 * is built whole in a stack buffer so the hash never sees a cut string.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "dissect/ja3.h"
#include "dissect/tls.h"

struct buf {
	char	s[JA3_STR_MAX + 1];
	size_t	len;
};

/*
 * Appends a decimal value, preceded by sep unless sep is '\0'. Digits are
 * written by hand: this runs for every list entry of every ClientHello,
 * and snprintf was the fingerprint's main cost.
 */
static void
put(struct buf *b, char sep, unsigned int v)
{
	char d[10];
	size_t n = 0;

	if (sep != '\0' && b->len < JA3_STR_MAX)
		b->s[b->len++] = sep;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < sizeof(d));
	while (n > 0 && b->len < JA3_STR_MAX)
		b->s[b->len++] = d[--n];
	b->s[b->len] = '\0';
}

static void
put_list16(struct buf *b, const uint16_t *v, size_t n)
{
	size_t i;
	char sep = '\0';

	for (i = 0; i < n; i++) {
		if (tls_is_grease(v[i]))
			continue;
		put(b, sep, v[i]);
		sep = '-';
	}
}

int
ja3_compute(const struct tls_hello *h, char *str, size_t strsz,
    char md5hex[JA3_MD5_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct buf b;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	size_t k, n;

	b.len = 0;
	put(&b, '\0', h->version);
	b.s[b.len++] = ',';
	put_list16(&b, h->ciphers, h->nciphers);
	b.s[b.len++] = ',';
	put_list16(&b, h->exts, h->nexts);
	b.s[b.len++] = ',';
	put_list16(&b, h->groups, h->ngroups);
	b.s[b.len++] = ',';
	for (k = 0; k < h->nec_formats; k++)
		put(&b, k == 0 ? '\0' : '-', h->ec_formats[k]);
	b.s[b.len] = '\0';

	if (strsz > 0) {
		n = b.len < strsz - 1 ? b.len : strsz - 1;
		memcpy(str, b.s, n);
		str[n] = '\0';
	}
	md5hex[0] = '\0';
	if (EVP_Digest(b.s, b.len, md, &mdlen, EVP_md5(), NULL) != 1 ||
	    mdlen * 2 != JA3_MD5_HEX)
		return -1;
	for (i = 0; i < mdlen; i++) {
		md5hex[2 * i] = hex[md[i] >> 4];
		md5hex[2 * i + 1] = hex[md[i] & 0x0f];
	}
	md5hex[JA3_MD5_HEX] = '\0';
	return 0;
}
