/* SPDX-License-Identifier: ISC */
/*
 * fuzz_pipeline.c: libFuzzer target for the whole packet path below the
 * store: decode, fragment reassembly, duplicate suppression, the flow
 * table, every dissector through dissect_packet(), and the passive DNS
 * cache. The input is a link-type byte and then records of (2-byte
 * length, packet bytes); each record is one packet, one millisecond after
 * the last, so streams, expiry and eviction all get exercised with a
 * deliberately tiny flow table.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/decode.h"
#include "packet/dedup.h"
#include "dissect/dissect.h"
#include "flow/flow.h"
#include "packet/frag.h"
#include "flow/names.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int links[] = { LINK_EN10MB, LINK_RAW, LINK_LINUX_SLL,
    LINK_IEEE802_11 };

static void
on_end(void *arg, const struct flow *f, enum flow_end why)
{
	(void)arg;
	(void)why;
	if (f->bytes[FLOW_UP] + f->bytes[FLOW_DOWN] == 0 &&
	    f->pkts[FLOW_UP] + f->pkts[FLOW_DOWN] == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissect d;
	struct flow_opts o;
	struct frag_table *frags;
	struct dedup *dd;
	const uint8_t *dg;
	size_t off = 1, len, dglen;
	enum decode_result r;
	struct flow *f;
	struct pkt p;
	int64_t ts = 1000000;
	int link, dir;

	if (size < 1)
		return 0;
	link = links[data[0] % (sizeof(links) / sizeof(links[0]))];
	flow_opts_default(&o);
	o.capacity = 8;
	o.stream_slots = 4;
	o.detail_slots = 4;
	o.deterministic = 1;
	o.end_cb = on_end;
	memset(&d.st, 0, sizeof(d.st));
	d.flows = flow_table_new(&o);
	d.names = names_new(16, 1);
	frags = frag_new(2, 1000000, 1, NULL, NULL);
	dd = dedup_new(16, 1000, 1);
	while (off + 2 <= size) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		p.ts_us = ts;
		ts += 1000;
		r = decode_packet(link, data + off, len, &p);
		off += len;
		if (r == DECODE_FRAGMENT && frag_add(frags, &p, &dg, &dglen))
			r = decode_reassembled(&p, dg, dglen);
		if (r != DECODE_OK || dedup_check(dd, &p))
			continue;
		f = flow_packet(d.flows, &p, &dir);
		(void)dissect_packet(&d, f, dir, &p);
		flow_expire(d.flows, ts);
	}
	flow_drain(d.flows);
	dedup_free(dd);
	frag_free(frags);
	names_free(d.names);
	flow_table_free(d.flows);
	return 0;
}
