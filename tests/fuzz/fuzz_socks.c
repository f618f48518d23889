/* SPDX-License-Identifier: ISC */
/*
 * fuzz_socks.c: libFuzzer target for dissect/socks.c. The input is a
 * client stream prefix; every prefix of it is parsed too (the stream
 * grows a segment at a time). A host must be a terminated string, and a
 * domain a non-empty one.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/socks.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct socks_req r;
	size_t n;

	for (n = 0; n <= size && n <= 600; n++) {
		if (socks_parse(data, n, &r) != DIS_OK)
			continue;
		if (memchr(r.host, '\0', sizeof(r.host)) == NULL ||
		    (r.is_domain && r.host[0] == '\0') ||
		    (r.version != 4 && r.version != 5))
			abort();
	}
	return 0;
}
