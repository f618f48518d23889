/* SPDX-License-Identifier: ISC */
/*
 * fuzz_decode.c: libFuzzer target for decode_packet(). The first byte
 * picks the link type, the rest is the packet; fragments go through the
 * reassembly table and decode_reassembled(). Checks that what decode
 * reports stays inside the input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "packet/decode.h"
#include "packet/frag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int links[] = { LINK_EN10MB, LINK_RAW, LINK_IPV4, LINK_IPV6,
    LINK_NULL, LINK_LOOP, LINK_PPP, LINK_PPP_SERIAL, LINK_C_HDLC,
    LINK_LINUX_SLL, LINK_LINUX_SLL2, LINK_PPI, LINK_IEEE802_11,
    LINK_IEEE802_11_RADIO };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct frag_table *ft;
	const uint8_t *dg;
	enum decode_result r;
	struct pkt p;
	size_t dglen;

	if (size < 1)
		return 0;
	if (ft == NULL)
		ft = frag_new(4, 1000000, 1, NULL, NULL);
	p.ts_us = 1;
	r = decode_packet(links[data[0] % (sizeof(links) / sizeof(links[0]))],
	    data + 1, size - 1, &p);
	if (p.payload != NULL && (p.payload < data + 1 ||
	    p.payload + p.payload_len > data + size))
		abort();
	if (r == DECODE_FRAGMENT && frag_add(ft, &p, &dg, &dglen))
		(void)decode_reassembled(&p, dg, dglen);
	return 0;
}
