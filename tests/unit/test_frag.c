/* SPDX-License-Identifier: ISC */
/* test_frag.c: IP fragment reassembly (in order, out of order, overlaps,
 * oversize, timeouts), duplicate suppression, and CIDR lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "base/cidr.h"
#include "packet/decode.h"
#include "packet/dedup.h"
#include "packet/frag.h"

static uint8_t data[3000];

static void
frag(struct pkt *p, uint32_t id, uint32_t off, size_t len, int more,
    int64_t ts)
{
	memset(p, 0, sizeof(*p));
	p->family = 4;
	p->proto = IPPROTO_UDP;
	p->src[3] = 1;
	p->dst[3] = 2;
	p->frag_id = id;
	p->frag_off = off;
	p->frag_more = (uint8_t)more;
	p->payload = data + off;
	p->payload_len = len;
	p->ts_us = ts;
}

static void
test_out_of_order_and_overlap(void **state)
{
	struct frag_table *ft = frag_new(4, 1000000, 1, NULL, NULL);
	const uint8_t *out;
	size_t len, i;
	struct pkt p;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	frag(&p, 7, 2400, 600, 0, 1);		/* the last one first */
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	frag(&p, 7, 0, 1208, 1, 2);
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	frag(&p, 7, 1200, 1208, 1, 3);		/* overlaps both sides */
	assert_int_equal(frag_add(ft, &p, &out, &len), 1);
	assert_int_equal(len, 3000);
	assert_memory_equal(out, data, 3000);
	assert_int_equal(frag_stats(ft)->reassembled, 1);
	/* The slot is free again: a repeat of the last fragment alone
	 * does not complete anything. */
	frag(&p, 7, 2400, 600, 0, 4);
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	frag_free(ft);
}

static void
test_timeout_and_oversize(void **state)
{
	struct frag_table *ft = frag_new(4, 1000000, 1, NULL, NULL);
	const uint8_t *out;
	size_t len;
	struct pkt p;

	(void)state;
	frag(&p, 9, 0, 800, 1, 1);
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	frag_expire(ft, 2000002);
	assert_int_equal(frag_stats(ft)->timeouts, 1);
	frag(&p, 9, 800, 100, 0, 2000003);
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	/* An offset that would pass 64 KiB is refused. */
	frag(&p, 10, 0, 100, 1, 5);
	p.frag_off = 65500;
	p.payload = data;
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	assert_int_equal(frag_stats(ft)->too_big, 1);
	frag_free(ft);
}

static void
test_decode_then_reassemble(void **state)
{
	/* IPv4 UDP datagram 10.0.0.1:5000 -> 10.0.0.2:53 split in two. */
	static const uint8_t f1[] = {
		0x45, 0, 0, 20 + 16, 0x12, 0x34, 0x20, 0x00, 64, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x13, 0x88, 0x00, 0x35, 0x00, 8 + 12, 0, 0,	/* UDP header */
		'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
	};
	static const uint8_t f2[] = {
		0x45, 0, 0, 20 + 4, 0x12, 0x34, 0x00, 0x02, 64, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		'i', 'j', 'k', 'l',
	};
	struct frag_table *ft = frag_new(4, 1000000, 1, NULL, NULL);
	const uint8_t *out;
	struct pkt p;
	size_t len;

	(void)state;
	assert_int_equal(decode_packet(LINK_RAW, f1, sizeof(f1), &p),
	    DECODE_FRAGMENT);
	assert_int_equal(p.frag_more, 1);
	assert_int_equal(frag_add(ft, &p, &out, &len), 0);
	assert_int_equal(decode_packet(LINK_RAW, f2, sizeof(f2), &p),
	    DECODE_FRAGMENT);
	assert_int_equal(p.frag_off, 16);
	assert_int_equal(frag_add(ft, &p, &out, &len), 1);
	assert_int_equal(decode_reassembled(&p, out, len), DECODE_OK);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.payload_len, 12);
	assert_memory_equal(p.payload, "abcdefghijkl", 12);
	frag_free(ft);
}

static void
test_dedup(void **state)
{
	static const uint8_t l4a[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t l4b[] = { 1, 2, 3, 4, 5, 6, 7, 9 };
	struct dedup *d = dedup_new(64, 1000, 1);
	struct pkt p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.family = 4;
	p.proto = IPPROTO_TCP;
	p.l4 = l4a;
	p.l4_len = sizeof(l4a);
	p.ts_us = 100;
	assert_int_equal(dedup_check(d, &p), 0);
	p.vlan = 20;		/* the mirrored copy carries a tag */
	p.ts_us = 150;
	assert_int_equal(dedup_check(d, &p), 1);
	p.l4 = l4b;		/* a different segment is no copy */
	assert_int_equal(dedup_check(d, &p), 0);
	p.l4 = l4a;		/* outside the window: a retransmission */
	p.ts_us = 5000;
	assert_int_equal(dedup_check(d, &p), 0);
	dedup_free(d);
}

/*
 * Every part of the fingerprint counts, and only the first 48 transport
 * bytes do: IPv6 addresses to their last byte, the IP id, the length, a
 * byte deep in a 60-byte segment, but not a byte after it. The two-step
 * API answers as dedup_check() does.
 */
static void
test_dedup_fingerprint(void **state)
{
	uint8_t seg[60], seg2[60];
	struct dedup *d = dedup_new(4096, 1000, 1);
	struct pkt p, q;
	int64_t ts = 1000;

	(void)state;
	memset(seg, 0x5a, sizeof(seg));
	memset(&p, 0, sizeof(p));
	p.family = 6;
	p.proto = IPPROTO_TCP;
	p.src[0] = 0xfd;
	p.src[15] = 1;
	p.dst[0] = 0x20;
	p.dst[15] = 2;
	p.ip_len = 100;
	p.frag_id = 0;
	p.l4 = seg;
	p.l4_len = sizeof(seg);
	p.ts_us = ts;
	assert_int_equal(dedup_check(d, &p), 0);
	q = p;
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 1);

	q.src[15] = 3;			/* the last byte of an IPv6 address */
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);
	q = p;
	q.dst[8] = 1;			/* the second half of the other one */
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);
	q = p;
	q.frag_id = 9;
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);
	q = p;
	q.ip_len = 101;
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);

	memcpy(seg2, seg, sizeof(seg));
	seg2[47] ^= 1;			/* the last byte that counts */
	q = p;
	q.l4 = seg2;
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);
	memcpy(seg2, seg, sizeof(seg));
	seg2[48] ^= 1;			/* the first that does not */
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 1);
	q = p;
	q.l4_len = 47;			/* a shorter capture of the segment */
	q.ts_us = ++ts;
	assert_int_equal(dedup_check(d, &q), 0);

	/* Two steps, as the capture loop uses them. */
	q = p;
	q.ts_us = ++ts;
	assert_int_equal(dedup_seen(d, dedup_hash(d, &q), q.ts_us), 1);
	q.frag_id = 77;
	assert_int_equal(dedup_seen(d, dedup_hash(d, &q), q.ts_us), 0);
	assert_int_equal(dedup_check(d, &q), 1);
	dedup_free(d);
}

static void
test_cidr(void **state)
{
	struct cidr_list l;
	struct cidr c;
	char err[128];
	uint8_t a[16] = { 192, 168, 7, 9 };
	uint8_t b[16] = { 8, 8, 8, 8 };
	uint8_t v6[16] = { 0xfd, 0x12 };

	(void)state;
	assert_int_equal(cidr_parse("10.0.0.0/8", &c, err, sizeof(err)), 0);
	assert_int_equal(cidr_parse("10.0.0.1/8", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "host bits"));
	assert_int_equal(cidr_parse("10.0.0.0/33", &c, err, sizeof(err)), -1);
	assert_int_equal(cidr_parse("example", &c, err, sizeof(err)), -1);
	assert_int_equal(cidr_parse("2001:db8::/32", &c, err, sizeof(err)), 0);
	assert_int_equal(c.family, 6);
	assert_int_equal(cidr_parse("172.16.0.0/12", &c, err, sizeof(err)), 0);
	b[0] = 172; b[1] = 31;
	assert_true(cidr_contains(&c, 4, b));
	b[1] = 32;
	assert_false(cidr_contains(&c, 4, b));
	cidr_list_private(&l);
	assert_true(cidr_list_contains(&l, 4, a));
	assert_true(cidr_list_contains(&l, 6, v6));
	b[0] = 8; b[1] = 8;
	assert_false(cidr_list_contains(&l, 4, b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order_and_overlap),
		cmocka_unit_test(test_timeout_and_oversize),
		cmocka_unit_test(test_decode_then_reassemble),
		cmocka_unit_test(test_dedup),
		cmocka_unit_test(test_dedup_fingerprint),
		cmocka_unit_test(test_cidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
