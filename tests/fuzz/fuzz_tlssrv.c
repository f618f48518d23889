/* SPDX-License-Identifier: ISC */
/*
 * fuzz_tlssrv.c: libFuzzer target for tlssrv_parse(). Checks that names
 * are NUL-terminated, normalised host names within the cap, that the CN and
 * O strings hold no control bytes, and that a shorter prefix of the input
 * never claims more than the whole (DIS_OK on a prefix stays DIS_OK).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/tlssrv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const char *s, size_t size, int host)
{
	size_t i, n = strnlen(s, size);

	if (n == size)
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (host && ((unsigned char)s[i] > 0x7e || s[i] == ' ' ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			abort();
	}
}

static void
check(const struct tls_server *s)
{
	size_t i;

	if (s->nnames > TLSSRV_MAX_NAMES || (s->nnames > 0 && !s->has_cert))
		abort();
	for (i = 0; i < s->nnames; i++)
		check_text(s->names[i], sizeof(s->names[i]), 1);
	check_text(s->subject_cn, sizeof(s->subject_cn), 0);
	check_text(s->subject_o, sizeof(s->subject_o), 0);
	check_text(s->issuer_o, sizeof(s->issuer_o), 0);
	check_text(s->alpn, sizeof(s->alpn), 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_server s;
	enum dis_result all, half;

	all = tlssrv_parse(data, size, &s);
	check(&s);
	half = tlssrv_parse(data, size / 2, &s);
	check(&s);
	if (half == DIS_OK && all != DIS_OK)
		abort();
	return 0;
}
