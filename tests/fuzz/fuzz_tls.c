/* SPDX-License-Identifier: ISC */
/*
 * fuzz_tls.c: libFuzzer target for tls_parse_client_hello() and
 * tls_parse_handshake() on the same input. Checks that list counts stay
 * within their caps and that strings are NUL-terminated, and runs JA3
 * and JA4 over every result.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/ja3.h"
#include "dissect/ja4.h"
#include "dissect/tls.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct tls_hello *h)
{
	char s[JA3_STR_MAX + 1], md5[JA3_MD5_HEX + 1], ja4[JA4_LEN + 1];
	size_t i;

	if (h->nciphers > TLS_MAX_LIST || h->nexts > TLS_MAX_LIST ||
	    h->ngroups > TLS_MAX_LIST || h->nec_formats > TLS_MAX_LIST ||
	    h->nsig_algs > TLS_MAX_LIST || h->nversions > TLS_MAX_LIST ||
	    h->nalpn > TLS_MAX_ALPN ||
	    strnlen(h->sni, sizeof(h->sni)) == sizeof(h->sni))
		abort();
	for (i = 0; i < h->nalpn; i++)
		if (strnlen(h->alpn[i], sizeof(h->alpn[i])) ==
		    sizeof(h->alpn[i]))
			abort();
	if (ja3_compute(h, s, sizeof(s), md5) != 0 ||
	    strlen(md5) != JA3_MD5_HEX)
		abort();
	if (ja4_compute(h, 0, ja4) != 0 || strlen(ja4) != JA4_LEN)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_hello h;

	(void)tls_parse_client_hello(data, size, &h);
	check(&h);
	(void)tls_parse_handshake(data, size, &h);
	check(&h);
	return 0;
}
