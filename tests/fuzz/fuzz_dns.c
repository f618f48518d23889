/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dns.c: libFuzzer target for dns_parse(). Checks the output
 * invariants too: counts within their caps and every name NUL-terminated.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	size_t i;

	(void)dns_parse(data, size, &m);
	if (m.nanswers > DNS_MAX_ANSWERS ||
	    strnlen(m.qname, sizeof(m.qname)) == sizeof(m.qname))
		abort();
	for (i = 0; i < m.nanswers; i++)
		if (strnlen(m.answers[i].name, sizeof(m.answers[i].name)) ==
		    sizeof(m.answers[i].name) ||
		    strnlen(m.answers[i].cname, sizeof(m.answers[i].cname)) ==
		    sizeof(m.answers[i].cname))
			abort();
	return 0;
}
