/* SPDX-License-Identifier: ISC */
/*
 * fuzz_creds.c: libFuzzer target for creds_parse(). The first byte picks
 * the protocol, the next two the split between up and down (sig_seed.h).
 * Checks that user is printable and NUL-terminated, that DIS_OK names the
 * protocol asked for, and that the user is empty on DIS_NOTME/DIS_BAD.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/creds.h"
#include "sig_seed.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *up, *down;
	size_t up_len, down_len, i, n;
	enum creds_proto proto;
	enum dis_result rc;
	struct creds c;
	uint8_t sel;

	if (seed_split(data, size, &sel, &up, &up_len, &down,
	    &down_len) == -1)
		return 0;
	proto = (enum creds_proto)(sel % (CREDS_HTTP_BASIC + 1));
	rc = creds_parse(proto, up, up_len, down, down_len, &c);
	n = strnlen(c.user, sizeof(c.user));
	if (n == sizeof(c.user))
		abort();
	for (i = 0; i < n; i++)
		if (c.user[i] < 0x20 || c.user[i] > 0x7e)
			abort();
	if (rc == DIS_OK && c.proto != proto)
		abort();
	if ((rc == DIS_NOTME || rc == DIS_BAD) &&
	    (c.user[0] != '\0' || c.password_seen || c.proto != CREDS_NONE))
		abort();
	if (c.password_seen != 0 && c.password_seen != 1)
		abort();
	return 0;
}
