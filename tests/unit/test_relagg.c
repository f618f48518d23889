/* SPDX-License-Identifier: ISC */
/*
 * test_relagg.c: network-health events from flows, DNS and DHCP; the
 * segment and device keys; the accumulator's counts, capacity, and its
 * rows written to a store and read back per segment and per device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "dissect/dhcp.h"
#include "dissect/dns.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "relevent.h"
#include "store/relagg.h"
#include "store/store.h"

#define T0	1767625200000000LL	/* 2026-01-05T15:00:00Z */

static void
tcp_flow(struct flow *f, uint8_t tcp, uint64_t up, uint64_t down)
{
	memset(f, 0, sizeof(*f));
	f->key.family = 4;
	f->key.proto = IPPROTO_TCP;
	f->key.vlan = 20;
	f->key.addr_lo[0] = 10;
	f->key.addr_lo[1] = 20;
	f->key.addr_lo[2] = 2;
	f->key.addr_lo[3] = 21;
	f->key.addr_hi[0] = 198;
	f->client_lo = 1;
	f->tcp = tcp;
	f->pkts[FLOW_UP] = up;
	f->pkts[FLOW_DOWN] = down;
	f->first_us = T0;
	f->last_us = T0 + 3000000;
	f->has_mac = 1;
	f->client_mac[5] = 0x21;
}

static void
test_from_flow(void **state)
{
	struct rel_event e;
	struct flow f;

	(void)state;
	tcp_flow(&f, FLOW_TCP_SYN_UP | FLOW_TCP_SYN_DOWN | FLOW_TCP_FIN, 6, 6);
	f.hs_server = 201;	/* 20 ms */
	f.hs_client = 11;	/* 1 ms */
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.kind, REL_EV_TCP_OK);
	assert_int_equal(e.ts_us, T0);
	assert_int_equal(e.hs_server_us, 20000);
	assert_int_equal(e.hs_client_us, 1000);
	assert_int_equal(e.family, 4);
	assert_int_equal(e.ip[3], 21);
	assert_int_equal(e.mac[5], 0x21);
	assert_int_equal(e.vlan, 20);
	assert_int_equal(record_rel_check(&e, NULL, 0), 0);
	assert_int_equal(e.tcp_packets, 12);
	assert_int_equal(e.tcp_retrans, 0);
	/* Retransmissions and gaps travel with the event, checked. */
	f.retrans = 2;
	f.ooo = 1;
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.tcp_retrans, 2);
	assert_int_equal(e.tcp_ooo, 1);
	assert_int_equal(record_rel_check(&e, NULL, 0), 0);
	e.tcp_retrans = 13;			/* more than the packets */
	assert_int_equal(record_rel_check(&e, NULL, 0), -1);
	e.tcp_retrans = 2;
	e.kind = REL_EV_DNS_TIMEOUT;		/* counts on a non-TCP event */
	assert_int_equal(record_rel_check(&e, NULL, 0), -1);
	f.retrans = f.ooo = 0;
	/* Only one side timed: neither is kept. */
	f.hs_client = 0;
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.hs_server_us, -1);
	assert_int_equal(e.hs_client_us, -1);

	tcp_flow(&f, FLOW_TCP_SYN_UP | FLOW_TCP_SYN_DOWN | FLOW_TCP_RST, 9, 9);
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.kind, REL_EV_TCP_CUT);
	/* A reset right after the handshake is a refusal, not a cut. */
	tcp_flow(&f, FLOW_TCP_SYN_UP | FLOW_TCP_SYN_DOWN | FLOW_TCP_RST, 2, 1);
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.kind, REL_EV_TCP_OK);

	tcp_flow(&f, FLOW_TCP_SYN_UP | FLOW_TCP_RST, 1, 1);
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 1);
	assert_int_equal(e.kind, REL_EV_TCP_RESET);

	tcp_flow(&f, FLOW_TCP_SYN_UP, 3, 0);
	assert_int_equal(relevent_from_flow(&f, FLOW_END_IDLE, T0, &e), 1);
	assert_int_equal(e.kind, REL_EV_TCP_UNANSWERED);
	/* At the end of the run a recent SYN may still be answered... */
	assert_int_equal(relevent_from_flow(&f, FLOW_END_DRAIN,
	    f.last_us + 1000000, &e), 0);
	/* ...an old one is not. */
	assert_int_equal(relevent_from_flow(&f, FLOW_END_DRAIN,
	    f.last_us + 60000000, &e), 1);

	/* Seen from the middle, or UDP: nothing. */
	tcp_flow(&f, FLOW_TCP_SYN_DOWN | FLOW_TCP_FIN, 3, 3);
	assert_int_equal(relevent_from_flow(&f, FLOW_END_CLOSED, T0, &e), 0);
	tcp_flow(&f, FLOW_TCP_SYN_UP, 3, 0);
	f.key.proto = IPPROTO_UDP;
	assert_int_equal(relevent_from_flow(&f, FLOW_END_IDLE, T0, &e), 0);
}

static void
test_from_dns(void **state)
{
	struct dns_event d;
	struct rel_event e;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.ts_us = T0;
	d.family = 4;
	d.client_ip[0] = 10;
	d.rcode = -1;
	d.rtt_us = -1;
	assert_int_equal(relevent_from_dns(&d, &e), 1);
	assert_int_equal(e.kind, REL_EV_DNS_TIMEOUT);
	assert_int_equal(e.rtt_ms, -1);
	d.rcode = DNS_RCODE_SERVFAIL;
	d.rtt_us = 40000;
	assert_int_equal(relevent_from_dns(&d, &e), 1);
	assert_int_equal(e.kind, REL_EV_DNS_SERVFAIL);
	assert_int_equal(e.rtt_ms, 40);
	d.rcode = DNS_RCODE_REFUSED;
	assert_int_equal(relevent_from_dns(&d, &e), 1);
	assert_int_equal(e.kind, REL_EV_DNS_REFUSED);
	d.rcode = 3;		/* NXDOMAIN is an answer */
	d.rtt_us = 7200LL * 1000000;
	assert_int_equal(relevent_from_dns(&d, &e), 1);
	assert_int_equal(e.kind, REL_EV_DNS_ANSWERED);
	assert_int_equal(e.rtt_ms, 3600000);
	assert_int_equal(record_rel_check(&e, NULL, 0), 0);
	/* A response whose question came before the capture. */
	d.rtt_us = -1;
	assert_int_equal(relevent_from_dns(&d, &e), 0);
}

static void
test_from_dhcp(void **state)
{
	static const uint8_t kinds[][3] = {
		{ 4, DHCP_DISCOVER, REL_EV_DHCP_DISCOVER },
		{ 4, DHCP_OFFER, REL_EV_DHCP_OFFER },
		{ 4, DHCP_REQUEST, REL_EV_DHCP_REQUEST },
		{ 4, DHCP_NAK, REL_EV_DHCP_NAK },
		{ 4, DHCP_ACK, 0 },
		{ 6, DHCP6_SOLICIT, REL_EV_DHCP_DISCOVER },
		{ 6, DHCP6_ADVERTISE, REL_EV_DHCP_OFFER },
		{ 6, DHCP6_REQUEST, REL_EV_DHCP_REQUEST },
	};
	struct dhcp_msg m;
	struct rel_event e;
	size_t i;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.has_mac = 1;
	m.mac[0] = 2;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		m.version = kinds[i][0];
		m.msg_type = kinds[i][1];
		assert_int_equal(relevent_from_dhcp(&m, T0, 30, &e),
		    kinds[i][2] != 0);
		if (kinds[i][2] == 0)
			continue;
		assert_int_equal(e.kind, kinds[i][2]);
		assert_int_equal(e.family, 0);
		assert_int_equal(e.vlan, 30);
		assert_int_equal(record_rel_check(&e, NULL, 0), 0);
	}
	m.has_mac = 0;
	m.version = 4;
	m.msg_type = DHCP_DISCOVER;
	assert_int_equal(relevent_from_dhcp(&m, T0, 30, &e), 0);
}

static void
event(struct rel_event *e, int kind, int family, const char *dept,
    uint16_t vlan, uint8_t last)
{
	memset(e, 0, sizeof(*e));
	e->ts_us = T0 + 10;
	e->rtt_ms = -1;
	e->hs_server_us = e->hs_client_us = -1;
	e->kind = (uint8_t)kind;
	e->family = (uint8_t)family;
	e->vlan = vlan;
	if (family == 4) {
		e->ip[0] = 10;
		e->ip[1] = 20;
		e->ip[2] = 2;
		e->ip[3] = last;
	} else if (family == 6) {
		e->ip[0] = 0xfd;
		e->ip[7] = 1;
		e->ip[15] = last;
	}
	strncpy(e->department, dept, sizeof(e->department) - 1);
}

static void
test_segments(void **state)
{
	struct rel_event e;
	char b[80];

	(void)state;
	event(&e, REL_EV_TCP_OK, 4, "", 0, 21);
	assert_string_equal(relagg_segment(&e, b, sizeof(b)),
	    "10.20.2.0/24");
	event(&e, REL_EV_TCP_OK, 6, "", 0, 21);
	assert_string_equal(relagg_segment(&e, b, sizeof(b)), "fd00:0:0:1::/64");
	event(&e, REL_EV_DHCP_DISCOVER, 0, "", 20, 0);
	assert_string_equal(relagg_segment(&e, b, sizeof(b)), "VLAN 20");
	event(&e, REL_EV_DHCP_DISCOVER, 0, "", 0, 0);
	assert_string_equal(relagg_segment(&e, b, sizeof(b)), "unknown");
	event(&e, REL_EV_TCP_OK, 4, "Floor 2", 20, 21);
	assert_string_equal(relagg_segment(&e, b, sizeof(b)), "Floor 2");
}

struct got {
	size_t		 n;
	char		 seg[4][80];
	char		 dev[4][64];
	uint64_t	 q[4];
	uint64_t	 tmo[4];
	uint64_t	 att[4];
	uint64_t	 pk[4];
	uint64_t	 rt[4];
	uint64_t	 slow[4];
};

static int
collect(void *arg, const struct store_rel *r)
{
	struct got *g = arg;

	if (g->n < 4) {
		snprintf(g->seg[g->n], sizeof(g->seg[0]), "%s", r->segment);
		snprintf(g->dev[g->n], sizeof(g->dev[0]), "%s", r->device);
		g->q[g->n] = r->n[REL_DNS_QUERIES];
		g->tmo[g->n] = r->n[REL_DNS_TIMEOUTS];
		g->att[g->n] = r->n[REL_TCP_ATTEMPTS];
		g->pk[g->n] = r->n[REL_TCP_PACKETS];
		g->rt[g->n] = r->n[REL_TCP_RETRANS];
		g->slow[g->n] = r->n[REL_DNS_SLOW];
	}
	g->n++;
	return 0;
}

static void
test_accumulate_and_store(void **state)
{
	struct relagg *a;
	struct rel_event e;
	struct store *st;
	struct got g;
	char path[] = "/tmp/test_relagg.XXXXXX", err[1400];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	assert_non_null(st);

	a = relagg_new(2, 300);
	event(&e, REL_EV_DNS_TIMEOUT, 4, "", 0, 21);
	assert_int_equal(relagg_add(a, &e), 0);
	event(&e, REL_EV_DNS_ANSWERED, 4, "", 0, 21);
	e.rtt_ms = 12;
	assert_int_equal(relagg_add(a, &e), 0);
	event(&e, REL_EV_DNS_ANSWERED, 4, "", 0, 21);
	e.rtt_ms = REL_DNS_SLOW_MS;		/* late enough to count slow */
	assert_int_equal(relagg_add(a, &e), 0);
	event(&e, REL_EV_TCP_UNANSWERED, 4, "", 0, 22);
	e.tcp_packets = 3;			/* the SYN sent three times */
	e.tcp_retrans = 2;
	assert_int_equal(relagg_add(a, &e), 0);
	assert_int_equal(relagg_rows(a), 2);
	/* A third key does not fit: dropped and counted. */
	event(&e, REL_EV_TCP_OK, 4, "Floor 2", 0, 23);
	assert_int_equal(relagg_add(a, &e), -1);
	assert_int_equal(relagg_stats(a)->dropped, 1);
	assert_int_equal(relagg_flush(a, st), 0);
	assert_int_equal(relagg_rows(a), 0);
	/* The same interval again adds to the stored rows. */
	event(&e, REL_EV_DNS_TIMEOUT, 4, "", 0, 21);
	assert_int_equal(relagg_add(a, &e), 0);
	assert_int_equal(relagg_flush(a, st), 0);
	assert_int_equal(relagg_stats(a)->rows_written, 3);

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_query_reliability(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, NULL, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.seg[0], "10.20.2.0/24");
	assert_string_equal(g.dev[0], "");
	assert_int_equal(g.q[0], 4);
	assert_int_equal(g.tmo[0], 2);
	assert_int_equal(g.att[0], 1);

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_query_reliability(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, "10.20.2.0/24", collect, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.dev[0], "10.20.2.21");
	assert_int_equal(g.tmo[0], 2);
	assert_int_equal(g.slow[0], 1);
	assert_string_equal(g.dev[1], "10.20.2.22");
	assert_int_equal(g.att[1], 1);
	assert_int_equal(g.pk[1], 3);
	assert_int_equal(g.rt[1], 2);

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_query_reliability(st, T0 + 3600000000LL,
	    STORE_TIME_MAX, NULL, collect, &g), 0);
	assert_int_equal(g.n, 0);

	relagg_free(a);
	relagg_free(NULL);
	store_close(st);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_flow),
		cmocka_unit_test(test_from_dns),
		cmocka_unit_test(test_from_dhcp),
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_accumulate_and_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
