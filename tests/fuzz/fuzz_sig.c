/* SPDX-License-Identifier: ISC */
/*
 * fuzz_sig.c: libFuzzer target for sig_classify(). The first byte picks
 * TCP/UDP and a server port (so port-keyed branches are reached), the next
 * two the split between the up and down prefixes (sig_seed.h). Each input
 * also runs with up and down swapped and with NULL directions. Checks the
 * result contract: a known proto, confidence within 0..100, a printable
 * NUL-terminated detail, and no result on DIS_OK without a proto. The up
 * bytes also go through sig_rtp_datagram(), which must answer 0 or 1.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/sig.h"
#include "sig_seed.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const struct sig_input *in)
{
	struct sig_result r;
	enum dis_result rc;
	size_t i, n;

	rc = sig_classify(in, &r);
	if (rc != DIS_OK && rc != DIS_MORE && rc != DIS_NOTME)
		abort();
	if ((int)r.proto < 0 || r.proto >= SIG_MAX ||
	    r.confidence < 0 || r.confidence > SIG_CONF_MAX)
		abort();
	if (rc == DIS_OK && (r.proto == SIG_NONE ||
	    r.confidence <= SIG_CONF_PORT_ONLY))
		abort();
	if (rc != DIS_OK && r.proto != SIG_NONE &&
	    r.confidence != SIG_CONF_PORT_ONLY)
		abort();
	n = strnlen(r.detail, sizeof(r.detail));
	if (n == sizeof(r.detail))
		abort();
	for (i = 0; i < n; i++)
		if (r.detail[i] < 0x20 || r.detail[i] > 0x7e)
			abort();
	if (strcmp(sig_name(r.proto), "none") == 0 && r.proto != SIG_NONE)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sig_input in;
	uint8_t sel;

	memset(&in, 0, sizeof(in));
	if (seed_split(data, size, &sel, &in.up, &in.up_len, &in.down,
	    &in.down_len) == -1)
		return 0;
	seed_ports_of(sel, &in.proto, &in.client_port, &in.server_port);
	run(&in);
	if ((unsigned)sig_rtp_datagram(in.up, in.up_len) > 1)
		abort();
	{
		const uint8_t *p = in.up;
		size_t n = in.up_len;

		in.up = in.down;
		in.up_len = in.down_len;
		in.down = p;
		in.down_len = n;
		run(&in);
	}
	in.down = NULL;
	in.down_len = 0;
	run(&in);
	return 0;
}
