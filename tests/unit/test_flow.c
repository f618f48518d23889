/* SPDX-License-Identifier: ISC */
/* test_flow.c: both directions are one flow, the client is the side that
 * opened it, eviction at capacity, expiry by packet time, and TCP prefix
 * reassembly with out-of-order, overlapping and retransmitted segments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"

#include <netinet/in.h>

#include "packet/decode.h"
#include "flow/flow.h"
#include "flow/names.h"
#include "flow/peers.h"

static int ended;
static enum flow_end last_why;
static uint64_t last_up, last_down;

static void
on_end(void *arg, const struct flow *f, enum flow_end why)
{
	(void)arg;
	ended++;
	last_why = why;
	last_up = f->bytes[FLOW_UP];
	last_down = f->bytes[FLOW_DOWN];
}

static struct flow_table *
table(size_t cap)
{
	struct flow_opts o;

	flow_opts_default(&o);
	o.capacity = cap;
	o.stream_slots = 4;
	o.deterministic = 1;
	o.end_cb = on_end;
	ended = 0;
	return flow_table_new(&o);
}

static void
mk(struct pkt *p, uint8_t proto, uint8_t src, uint16_t sport, uint8_t dst,
    uint16_t dport, uint8_t flags, int64_t ts)
{
	memset(p, 0, sizeof(*p));
	p->family = 4;
	p->proto = proto;
	p->src[0] = 10; p->src[3] = src;
	p->dst[0] = 10; p->dst[3] = dst;
	p->sport = sport;
	p->dport = dport;
	p->tcp_flags = flags;
	p->ts_us = ts;
	p->ip_len = 100;
}

static void
test_both_directions_one_flow(void **state)
{
	struct flow_table *ft = table(16);
	struct flow *a, *b;
	struct pkt p;
	int dir;

	(void)state;
	/* The server (higher address) answers first: SYN-ACK decides. */
	mk(&p, IPPROTO_TCP, 9, 443, 1, 40000, PKT_TCP_SYN | PKT_TCP_ACK, 1);
	a = flow_packet(ft, &p, &dir);
	assert_int_equal(dir, FLOW_DOWN);
	mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, PKT_TCP_ACK, 2);
	b = flow_packet(ft, &p, &dir);
	assert_ptr_equal(a, b);
	assert_int_equal(dir, FLOW_UP);
	assert_int_equal(flow_client_port(a), 40000);
	assert_int_equal(flow_server_port(a), 443);
	assert_int_equal(flow_client_ip(a)[3], 1);
	assert_int_equal(a->pkts[FLOW_UP], 1);
	assert_int_equal(a->pkts[FLOW_DOWN], 1);
	assert_int_equal(flow_stats(ft)->created, 1);
	flow_table_free(ft);
}

/* Handshake times: SYN -> SYN-ACK (server side), SYN-ACK -> ACK (client). */
static void
test_handshake_times(void **state)
{
	struct flow_table *ft = table(8);
	struct flow *f;
	struct pkt p;
	int dir;

	(void)state;
	mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, PKT_TCP_SYN, 1000000);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(FLOW_HS_US(f->hs_server), -1);
	/* A retransmitted SYN changes nothing. */
	mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, PKT_TCP_SYN, 1500000);
	f = flow_packet(ft, &p, &dir);
	mk(&p, IPPROTO_TCP, 9, 443, 1, 40000, PKT_TCP_SYN | PKT_TCP_ACK,
	    1520000);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(FLOW_HS_US(f->hs_server), 520000);
	assert_int_equal(FLOW_HS_US(f->hs_client), -1);
	/* A second SYN-ACK does not move it. */
	mk(&p, IPPROTO_TCP, 9, 443, 1, 40000, PKT_TCP_SYN | PKT_TCP_ACK,
	    1600000);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(FLOW_HS_US(f->hs_server), 520000);
	mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, PKT_TCP_ACK, 1520350);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(FLOW_HS_US(f->hs_client), 400);	/* 100 us units */
	mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, PKT_TCP_ACK, 1900000);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(FLOW_HS_US(f->hs_client), 400);
	/* Seen from the middle (no SYN): nothing is timed. */
	mk(&p, IPPROTO_TCP, 2, 40001, 9, 443, PKT_TCP_ACK, 2000000);
	f = flow_packet(ft, &p, &dir);
	mk(&p, IPPROTO_TCP, 9, 443, 2, 40001, PKT_TCP_SYN | PKT_TCP_ACK,
	    2000100);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(f->hs_server, 0);
	/* A very slow answer saturates instead of wrapping. */
	mk(&p, IPPROTO_TCP, 3, 40002, 9, 443, PKT_TCP_SYN, 3000000);
	f = flow_packet(ft, &p, &dir);
	mk(&p, IPPROTO_TCP, 9, 443, 3, 40002, PKT_TCP_SYN | PKT_TCP_ACK,
	    3000000 + 20000000);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(f->hs_server, UINT16_MAX);
	flow_table_free(ft);
}

/* A TCP segment of len payload bytes at seq, client (UP) or server. */
static struct flow *
tcp_seg(struct flow_table *ft, int up, uint32_t seq, uint32_t len, uint8_t flags,
    int64_t ts)
{
	struct pkt p;
	int dir;

	if (up)
		mk(&p, IPPROTO_TCP, 1, 40000, 9, 443, flags, ts);
	else
		mk(&p, IPPROTO_TCP, 9, 443, 1, 40000, flags, ts);
	p.seq = seq;
	p.seg_len = len;
	return flow_packet(ft, &p, &dir);
}

/*
 * Sequence numbers per direction: a segment starting before the next
 * number expected was sent again; one starting beyond it came after a
 * gap. SYN and FIN take one number; bare ACKs and resets are ignored;
 * the numbers wrap; the counts saturate.
 */
static void
test_retransmissions(void **state)
{
	struct flow_table *ft = table(8);
	struct flow *f;
	int i;

	(void)state;
	f = tcp_seg(ft, 1, 0xfffffff0u, 0, PKT_TCP_SYN, 1);
	f = tcp_seg(ft, 0, 5000, 0, PKT_TCP_SYN | PKT_TCP_ACK, 2);
	f = tcp_seg(ft, 1, 0xfffffff1u, 0, PKT_TCP_ACK, 3);
	f = tcp_seg(ft, 1, 0xfffffff1u, 100, PKT_TCP_ACK, 4);	/* wraps */
	f = tcp_seg(ft, 1, 0x55u, 100, PKT_TCP_ACK, 5);
	assert_int_equal(f->retrans, 0);
	assert_int_equal(f->ooo, 0);
	f = tcp_seg(ft, 1, 0x55u, 100, PKT_TCP_ACK, 6);		/* again */
	assert_int_equal(f->retrans, 1);
	f = tcp_seg(ft, 1, 0x55u + 50, 100, PKT_TCP_ACK, 7);	/* half new */
	assert_int_equal(f->retrans, 2);
	assert_int_equal(f->next_seq[FLOW_UP], 0x55u + 150);
	f = tcp_seg(ft, 1, 0x55u + 1000, 100, PKT_TCP_ACK, 8);	/* a gap */
	assert_int_equal(f->ooo, 1);
	f = tcp_seg(ft, 1, 0x55u + 150, 100, PKT_TCP_ACK, 9);	/* filler */
	assert_int_equal(f->retrans, 3);
	/* The server's side is its own; a reset is not a retransmission. */
	f = tcp_seg(ft, 0, 5001, 1400, PKT_TCP_ACK, 10);
	f = tcp_seg(ft, 0, 5001, 0, PKT_TCP_RST, 11);
	f = tcp_seg(ft, 0, 6401, 0, PKT_TCP_FIN | PKT_TCP_ACK, 12);
	f = tcp_seg(ft, 0, 6401, 0, PKT_TCP_FIN | PKT_TCP_ACK, 13);
	assert_int_equal(f->retrans, 4);
	assert_int_equal(f->ooo, 1);
	for (i = 0; i < 70000; i++)
		f = tcp_seg(ft, 1, 0x55u, 100, PKT_TCP_ACK, 20 + i);
	assert_int_equal(f->retrans, UINT16_MAX);
	flow_table_free(ft);
}

static void
test_client_by_port(void **state)
{
	struct flow_table *ft = table(16);
	struct flow *f;
	struct pkt p;
	int dir;

	(void)state;
	/* Mid-stream UDP: the first packet seen is the DNS answer. */
	mk(&p, IPPROTO_UDP, 2, 53, 5, 33000, 0, 1);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(dir, FLOW_DOWN);
	assert_int_equal(flow_server_port(f), 53);
	/* A SYN from the lower-addressed side. */
	mk(&p, IPPROTO_TCP, 1, 50000, 7, 22, PKT_TCP_SYN, 2);
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(dir, FLOW_UP);
	assert_int_equal(flow_client_ip(f)[3], 1);
	flow_table_free(ft);
}

static void
test_eviction_at_capacity(void **state)
{
	struct flow_table *ft = table(4);
	struct pkt p;
	int dir, i;

	(void)state;
	for (i = 0; i < 10; i++) {
		mk(&p, IPPROTO_UDP, 1, (uint16_t)(1000 + i), 2, 53, 0, i);
		flow_packet(ft, &p, &dir);
	}
	assert_int_equal(flow_stats(ft)->evicted, 6);
	assert_int_equal(flow_stats(ft)->active, 4);
	assert_int_equal(last_why, FLOW_END_EVICTED);
	assert_int_equal(ended, 6);
	flow_drain(ft);
	assert_int_equal(ended, 10);
	assert_int_equal(last_why, FLOW_END_DRAIN);
	flow_table_free(ft);
}

static void
test_expiry_by_packet_time(void **state)
{
	struct flow_table *ft = table(16);
	struct pkt p;
	int dir;

	(void)state;
	mk(&p, IPPROTO_UDP, 1, 1000, 2, 53, 0, 1000000);
	flow_packet(ft, &p, &dir);
	mk(&p, IPPROTO_TCP, 1, 1001, 2, 443, PKT_TCP_SYN, 1000000);
	flow_packet(ft, &p, &dir);
	flow_expire(ft, 1000000 + (int64_t)DEF_FLOW_UDP_IDLE_S * 1000000);
	assert_int_equal(ended, 0);
	flow_expire(ft, 1000001 + (int64_t)DEF_FLOW_UDP_IDLE_S * 1000000);
	assert_int_equal(ended, 1);
	assert_int_equal(last_why, FLOW_END_IDLE);
	/* A FIN moves the TCP flow to the short closing timeout. */
	mk(&p, IPPROTO_TCP, 1, 1001, 2, 443, PKT_TCP_FIN | PKT_TCP_ACK,
	    2000000);
	flow_packet(ft, &p, &dir);
	flow_expire(ft, 2000001 + (int64_t)DEF_FLOW_TCP_CLOSED_S * 1000000);
	assert_int_equal(ended, 2);
	assert_int_equal(last_why, FLOW_END_CLOSED);
	assert_int_equal(last_up, 200);
	flow_table_free(ft);
}

static const uint8_t *
seg(struct flow_table *ft, struct flow *f, uint32_t seq, const char *data,
    size_t *len)
{
	const uint8_t *buf;
	struct pkt p;

	mk(&p, IPPROTO_TCP, 1, 1000, 2, 443, PKT_TCP_ACK, 5);
	p.seq = seq;
	p.payload = (const uint8_t *)data;
	p.payload_len = strlen(data);
	assert_int_equal(flow_stream_add(ft, f, FLOW_UP, &p, &buf, len), 0);
	return buf;
}

static void
test_stream_reassembly(void **state)
{
	struct flow_table *ft = table(16);
	const uint8_t *buf;
	struct flow *f;
	struct pkt p;
	size_t len;
	int dir;

	(void)state;
	mk(&p, IPPROTO_TCP, 1, 1000, 2, 443, PKT_TCP_SYN, 1);
	p.seq = 0xfffffffe;	/* the stream wraps around 2^32 */
	f = flow_packet(ft, &p, &dir);
	assert_int_equal(flow_stream_add(ft, f, FLOW_UP, &p, &buf, &len), 0);
	assert_int_equal(len, 0);
	/* Out of order: bytes 5.. arrive before 0..4. */
	buf = seg(ft, f, 0xffffffff + 5u, "FGHIJ", &len);
	assert_int_equal(len, 0);
	buf = seg(ft, f, 0xffffffff, "ABCDE", &len);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "ABCDEFGHIJ", 10);
	/* A retransmission and an overlap change nothing before the end. */
	buf = seg(ft, f, 0xffffffff, "ABC", &len);
	assert_int_equal(len, 10);
	buf = seg(ft, f, 0xffffffff + 8u, "IJKL", &len);
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "ABCDEFGHIJKL", 12);
	assert_false(flow_stream_full(ft, f, FLOW_UP));
	flow_stream_release(ft, f);
	assert_int_equal(flow_stream_add(ft, f, FLOW_UP, &p, &buf, &len), -1);
	flow_table_free(ft);
}

static void
test_stream_slots_exhausted(void **state)
{
	struct flow_table *ft = table(16);
	struct pkt p;
	int dir, i;

	(void)state;
	for (i = 0; i < 6; i++) {
		mk(&p, IPPROTO_TCP, 1, (uint16_t)(2000 + i), 2, 443,
		    PKT_TCP_SYN, 1);
		flow_packet(ft, &p, &dir);
	}
	assert_int_equal(flow_stats(ft)->stream_no_slot, 2);
	flow_table_free(ft);
}

static void
test_detail_pool(void **state)
{
	struct flow_opts o;
	struct flow_table *ft;
	struct flow_detail *d;
	struct flow *a, *b;
	struct pkt p;
	int dir;

	(void)state;
	flow_opts_default(&o);
	o.capacity = 8;
	o.detail_slots = 1;
	o.deterministic = 1;
	ft = flow_table_new(&o);
	mk(&p, IPPROTO_UDP, 1, 1000, 2, 53, 0, 1);
	a = flow_packet(ft, &p, &dir);
	assert_null(flow_detail(ft, a));
	assert_string_equal(flow_name(ft, a), "");
	d = flow_detail_get(ft, a);
	assert_non_null(d);
	strlcpy(d->name, "example.com", sizeof(d->name));
	assert_string_equal(flow_name(ft, a), "example.com");
	mk(&p, IPPROTO_UDP, 1, 1001, 2, 53, 0, 2);
	b = flow_packet(ft, &p, &dir);
	assert_null(flow_detail_get(ft, b));	/* pool exhausted */
	assert_int_equal(flow_stats(ft)->detail_no_slot, 1);
	flow_drain(ft);
	/* Ending the flows gave the slot back, zeroed on the next use. */
	a = flow_packet(ft, &p, &dir);
	d = flow_detail_get(ft, a);
	assert_non_null(d);
	assert_string_equal(d->name, "");
	flow_table_free(ft);
}

static void
test_names_cache(void **state)
{
	struct names *n = names_new(16, 1);
	uint8_t a[16] = { 203, 0, 113, 7 }, b[16] = { 203, 0, 113, 8 };

	(void)state;
	names_learn(n, 4, a, "www.dropbox.com", 30, 1000000);
	/* Short TTLs are kept for DEF_NAMES_MIN_TTL_S. */
	assert_string_equal(names_lookup(n, 4, a, 1000000 +
	    (int64_t)(DEF_NAMES_MIN_TTL_S - 1) * 1000000), "www.dropbox.com");
	assert_null(names_lookup(n, 4, a, 1000001 +
	    (int64_t)DEF_NAMES_MIN_TTL_S * 1000000));
	assert_null(names_lookup(n, 4, b, 1000000));
	assert_null(names_lookup(n, 6, a, 1000000));
	names_learn(n, 4, a, "", 30, 1000000);	/* empty names are ignored */
	names_free(n);
}

static void
test_peers_cache(void **state)
{
	struct peers *n = peers_new(16, 1);
	struct peers_hit h;
	uint8_t a[16] = { 198, 51, 100, 7 }, b[16] = { 198, 51, 100, 8 };
	char longname[300];
	int64_t t0 = 1000000, ttl = (int64_t)DEF_PEERS_TTL_S * 1000000;

	(void)state;
	peers_learn(n, 4, a, 50000, "signal.org", 0, t0);
	assert_int_equal(peers_lookup(n, 4, a, 50000, t0 + ttl - 1, &h), 1);
	assert_string_equal(h.name, "signal.org");
	assert_int_equal(h.sig, 0);
	assert_int_equal(peers_lookup(n, 4, a, 50000, t0 + ttl, &h), 0);
	/* The port is part of the key, and so is the family. */
	assert_int_equal(peers_lookup(n, 4, a, 50001, t0, &h), 0);
	assert_int_equal(peers_lookup(n, 4, b, 50000, t0, &h), 0);
	assert_int_equal(peers_lookup(n, 6, a, 50000, t0, &h), 0);
	assert_int_equal(peers_lookup(n, 5, a, 50000, t0, &h), 0);
	/* Learning again keeps the endpoint alive and takes the new name. */
	peers_learn(n, 4, a, 50000, "turn.example.net", 0, t0 + ttl - 1);
	assert_int_equal(peers_lookup(n, 4, a, 50000, t0 + ttl, &h), 1);
	assert_string_equal(h.name, "turn.example.net");
	/* A signature alone is kept; a bad one is not. */
	peers_learn(n, 4, b, 3, "", 7, t0);
	assert_int_equal(peers_lookup(n, 4, b, 3, t0, &h), 1);
	assert_string_equal(h.name, "");
	assert_int_equal(h.sig, 7);
	peers_learn(n, 4, b, 4, "", 256, t0);
	peers_learn(n, 4, b, 5, "x.example", -1, t0);
	assert_int_equal(peers_lookup(n, 4, b, 4, t0, &h), 0);
	assert_int_equal(peers_lookup(n, 4, b, 5, t0, &h), 0);
	/* Empty entries and names longer than a DNS name are ignored. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	peers_learn(n, 4, b, 1, "", 0, t0);
	peers_learn(n, 4, b, 2, longname, 0, t0);
	assert_int_equal(peers_lookup(n, 4, b, 1, t0, &h), 0);
	assert_int_equal(peers_lookup(n, 4, b, 2, t0, &h), 0);
	assert_int_equal(peers_stats(n)->learned, 3);
	assert_int_equal(peers_stats(n)->hits, 3);
	peers_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_directions_one_flow),
		cmocka_unit_test(test_client_by_port),
		cmocka_unit_test(test_eviction_at_capacity),
		cmocka_unit_test(test_expiry_by_packet_time),
		cmocka_unit_test(test_stream_reassembly),
		cmocka_unit_test(test_stream_slots_exhausted),
		cmocka_unit_test(test_detail_pool),
		cmocka_unit_test(test_names_cache),
		cmocka_unit_test(test_peers_cache),
		cmocka_unit_test(test_handshake_times),
		cmocka_unit_test(test_retransmissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
