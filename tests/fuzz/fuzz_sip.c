/* SPDX-License-Identifier: ISC */
/*
 * fuzz_sip.c: libFuzzer target for dissect/sip.c. The input is parsed as
 * a datagram and as a stream prefix; every string out must be terminated
 * within its field.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_msg m;
	int last;

	for (last = 0; last < 2; last++) {
		if (sip_parse(data, size, last, &m) != DIS_OK)
			continue;
		if (!TERMINATED(m.method) || !TERMINATED(m.ruri_host) ||
		    !TERMINATED(m.from_host) || !TERMINATED(m.to_host) ||
		    !TERMINATED(m.agent) ||
		    (!m.is_request && (m.status < 100 || m.status > 699)))
			abort();
	}
	return 0;
}
