/* SPDX-License-Identifier: ISC */
/*
 * fuzz_hrr.c: libFuzzer target for dissect/hrr.c. The input is read as a
 * client stream (hrr_hello_end), a server stream (hrr_is_retry) and a
 * bare handshake message (hrr_handshake_end); every offset returned must
 * lie inside the input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dissect/hrr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int r;

	if (hrr_hello_end(data, size) > size ||
	    hrr_handshake_end(data, size) > size)
		abort();
	r = hrr_is_retry(data, size);
	if (r < -1 || r > 1)
		abort();
	return 0;
}
