/* SPDX-License-Identifier: ISC */
/*
 * fuzz_rules.c: libFuzzer target for the rule language and the rule bundle
 * the store sends the sniffer on SIGHUP. An input that starts with the
 * bundle magic goes through rulesrc_unpack() and, when accepted, is
 * packed again (the result must be the same bytes) and parsed; any other
 * input is one rule file, parsed, then packed, unpacked and parsed again
 * (the diagnostics must be the same). Every diagnostic must name a file,
 * have sane positions and a NUL-terminated message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/rulesrc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_diags(const struct diags *d)
{
	const struct diag *g;
	size_t i;

	for (i = 0; (g = diags_at(d, i)) != NULL; i++) {
		if (g->file == NULL || g->line < 0 || g->col < 0 ||
		    strnlen(g->msg, sizeof(g->msg)) == sizeof(g->msg))
			abort();
	}
	if (diags_errors(d) > diags_count(d))
		abort();
}

/* Parses src; returns the number of diagnostics. */
static size_t
parse(const struct rules_sources *src)
{
	struct diags *d = diags_new();
	struct ruleset *rs;
	size_t i, n;

	rs = rules_parse_sources(src, d);
	check_diags(d);
	for (i = 0; i < rules_nservices(rs); i++) {
		const struct service *s = rules_service_at(rs, i);

		if (s == NULL || rules_verdict(rs, s, NULL, NULL) ==
		    VERDICT_NONE)
			abort();
	}
	rules_free(rs);
	n = diags_count(d);
	diags_free(d);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_sources src, back;
	struct rules_source one;
	uint8_t *packed;
	size_t plen, n1, n2;
	char err[160];

	if (size >= 4 && memcmp(data, "STR1", 4) == 0) {
		if (rulesrc_unpack(&src, data, size, err, sizeof(err)) == -1) {
			if (src.n != 0 || strnlen(err, sizeof(err)) == 0)
				abort();
			return 0;
		}
		if (rulesrc_pack(&src, &packed, &plen, err, sizeof(err)) == -1)
			abort();
		if (plen != size || memcmp(packed, data, size) != 0)
			abort();
		free(packed);
		(void)parse(&src);
		rulesrc_free(&src);
		return 0;
	}

	memset(&one, 0, sizeof(one));
	one.kind = RULESRC_FILE;
	one.name = (char *)"fuzz.rules";
	one.buf = (char *)(uintptr_t)data;
	one.len = size;
	memset(&src, 0, sizeof(src));
	src.v = &one;
	src.n = 1;
	n1 = parse(&src);
	if (rulesrc_pack(&src, &packed, &plen, err, sizeof(err)) == -1)
		abort();
	if (rulesrc_unpack(&back, packed, plen, err, sizeof(err)) == -1)
		abort();
	free(packed);
	if (back.n != 1 || back.v[0].len != size ||
	    (size > 0 && memcmp(back.v[0].buf, data, size) != 0))
		abort();
	n2 = parse(&back);
	if (n1 != n2)
		abort();
	rulesrc_free(&back);
	return 0;
}
