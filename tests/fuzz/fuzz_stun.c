/* SPDX-License-Identifier: ISC */
/*
 * fuzz_stun.c: libFuzzer target for dissect/stun.c. The input is read as
 * a TCP stream of STUN messages, each parsed where the last one ended;
 * every message must lie inside the input and its strings must end
 * inside their buffers.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/stun.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_msg m;
	size_t off = 0;

	while (off < size && stun_parse(data + off, size - off, &m) ==
	    DIS_OK) {
		if (m.len < STUN_HDR_LEN || m.len > size - off ||
		    m.nvendor > STUN_MAX_VENDOR ||
		    strnlen(m.software, sizeof(m.software)) ==
		    sizeof(m.software) ||
		    strnlen(m.realm, sizeof(m.realm)) == sizeof(m.realm))
			abort();
		off += m.len;
	}
	return 0;
}
