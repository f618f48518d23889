/* SPDX-License-Identifier: ISC */
/*
 * test_aggregate.c: window buckets, row keys (device x service or name x
 * window), totals-only records, the table-full counter, and flushing into
 * an in-memory store, including a failed flush that keeps its rows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/aggregate.h"
#include "syslogfwd.h"
#include "dissect/creds.h"
#include "flow/flow.h"
#include "store/store.h"
#include "base/util.h"
#include "base/verdict.h"

#define US	1000000LL
#define DAY	86400

static void
mkrec(struct flow_record *fr, uint8_t host, const char *svc, const char *name,
    int64_t first_s)
{
	memset(fr, 0, sizeof(*fr));
	fr->family = 4;
	fr->client_ip[0] = 10;
	fr->client_ip[3] = host;
	fr->first_us = first_s * US;
	fr->last_us = first_s * US + 500000;
	fr->bytes_up = 10;
	fr->bytes_down = 100;
	if (svc != NULL) {
		strlcpy(fr->service, svc, sizeof(fr->service));
		strlcpy(fr->category, "file-sharing", sizeof(fr->category));
		fr->verdict = VERDICT_UNSANCTIONED;
	}
	if (name != NULL)
		strlcpy(fr->name, name, sizeof(fr->name));
}

static struct store *
memstore(void)
{
	char err[256];
	struct store *st;

	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	return st;
}

struct rows {
	size_t				n;
	struct store_service_row	r[8];
	char				id[8][64];
};

static int
collect(void *arg, const struct store_service_row *r)
{
	struct rows *c = arg;

	c->r[c->n] = *r;
	strlcpy(c->id[c->n], r->id, sizeof(c->id[0]));
	c->n++;
	return 0;
}

static void
test_new_rejects_bad_args(void **state)
{
	struct aggregate *a;

	(void)state;
	assert_null(aggregate_new(0, DAY));
	assert_non_null(a = aggregate_new(16, 0));	/* default window */
	aggregate_free(a);
	aggregate_free(NULL);
}

static void
test_windows(void **state)
{
	struct flow_record fr;
	struct aggregate *a;

	(void)state;
	a = aggregate_new(16, DAY);
	assert_non_null(a);
	/* The last second of day 1 and the first of day 2 differ. */
	mkrec(&fr, 1, "dropbox", NULL, DAY - 1);
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 1, "dropbox", NULL, DAY);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 2);
	mkrec(&fr, 1, "dropbox", NULL, 2 * DAY - 1);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 2);
	/* Before the epoch, the window still starts at or before the time. */
	mkrec(&fr, 1, "dropbox", NULL, -1);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 3);
	aggregate_free(a);
}

static void
test_keys(void **state)
{
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;
	struct rows c;

	(void)state;
	memset(&c, 0, sizeof(c));
	a = aggregate_new(16, 3600);
	mkrec(&fr, 1, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	/* Same device, service and window: one row. */
	mkrec(&fr, 1, "dropbox", "www.dropbox.com", 200);
	fr.client_ip[8] = 0xee;	/* beyond an IPv4 address: not part of it */
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 1);
	/* Another device, another service, the same name unclassified. */
	mkrec(&fr, 2, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 1, "mega", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 1, NULL, "dropbox", 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 4);
	/* Neither service nor name: counted, not kept. */
	mkrec(&fr, 3, NULL, NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 4);
	assert_int_equal(aggregate_stats(a)->records, 6);

	st = memstore();
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(aggregate_rows(a), 0);
	assert_int_equal(aggregate_stats(a)->rows_written, 4);
	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.id[0], "dropbox");
	assert_int_equal(c.r[0].devices, 2);
	assert_int_equal(c.r[0].flows, 3);
	assert_int_equal(c.r[0].bytes_up, 30);
	assert_int_equal(c.r[0].bytes_down, 300);
	assert_int_equal(c.r[0].first_us, 100 * US);
	assert_int_equal(c.r[0].last_us, 200 * US + 500000);
	assert_string_equal(c.id[1], "mega");

	/* After a flush the same keys start new rows that add up in the DB. */
	mkrec(&fr, 1, "mega", NULL, 150);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 1);
	assert_int_equal(aggregate_flush(a, st), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect, &c), 0);
	assert_int_equal(c.r[1].flows, 2);
	store_close(st);
	aggregate_free(a);
}

static int
collect_lookup(void *arg, const struct store_lookup_row *r)
{
	struct store_lookup_row *out = arg;

	*out = *r;
	out->service = NULL;
	out->name = NULL;
	out->category = NULL;
	return 0;
}

/*
 * Honest volumes: a DNS lookup of a service's name is a lookup, not use;
 * traffic to a server inside the organisation (Dropbox LAN sync) is
 * neither use of the service nor an unclassified destination.
 */
static void
test_lookups_and_local(void **state)
{
	struct store_lookup_row l;
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;
	struct rows c;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	a = aggregate_new(16, 3600);
	mkrec(&fr, 1, "dropbox", "client.dropbox.com", 100);
	fr.evidence = EVIDENCE_DNS_QUERY;
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 2, "dropbox", "d.dropbox.com", 110);
	fr.evidence = EVIDENCE_DNS_QUERY;
	fr.local_server = 1;	/* the resolver is local: still a lookup */
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 1, "dropbox", NULL, 120);	/* LAN sync */
	fr.evidence = EVIDENCE_PORT;
	fr.local_server = 1;
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 3, NULL, "nas.example", 130);	/* a LAN server */
	fr.local_server = 1;
	assert_int_equal(aggregate_add(a, &fr), 0);
	mkrec(&fr, 3, "mega", NULL, 140);	/* real use */
	fr.evidence = EVIDENCE_SNI;
	assert_int_equal(aggregate_add(a, &fr), 0);
	st = memstore();
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.id[0], "mega");
	assert_int_equal(store_query_lookups(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect_lookup, &l), 0);
	assert_int_equal(l.devices, 2);
	assert_int_equal(l.lookups, 2);
	assert_int_equal(l.used_devices, 0);
	store_close(st);
	aggregate_free(a);
}

static int
count_dest(void *arg, const struct store_dest_row *r)
{
	size_t *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

static void
test_ipv6_unclassified(void **state)
{
	struct store_totals tot;
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;
	size_t n = 0;

	(void)state;
	a = aggregate_new(4, DAY);
	mkrec(&fr, 1, NULL, "odd.example", 100);
	fr.family = 6;
	fr.client_ip[0] = 0x20;
	fr.client_ip[1] = 0x01;
	fr.client_ip[15] = 1;
	assert_int_equal(aggregate_add(a, &fr), 0);
	st = memstore();
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(store_query_unclassified(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, count_dest, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.unclassified_flows, 1);
	assert_int_equal(tot.unclassified_bytes, 110);
	store_close(st);
	aggregate_free(a);
}

static void
test_table_full(void **state)
{
	struct flow_record fr;
	struct aggregate *a;
	uint8_t h;

	(void)state;
	a = aggregate_new(3, DAY);
	for (h = 1; h <= 3; h++) {
		mkrec(&fr, h, "dropbox", NULL, 100);
		assert_int_equal(aggregate_add(a, &fr), 0);
	}
	mkrec(&fr, 4, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), -1);
	mkrec(&fr, 5, NULL, "x.example", 100);
	assert_int_equal(aggregate_add(a, &fr), -1);
	assert_int_equal(aggregate_stats(a)->dropped, 2);
	/* A row already held still takes updates when the table is full. */
	mkrec(&fr, 2, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_rows(a), 3);
	assert_int_equal(aggregate_stats(a)->dropped, 2);
	assert_int_equal(aggregate_stats(a)->records, 6);
	aggregate_free(a);
}

static void
test_flush_failure_keeps_rows(void **state)
{
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;

	(void)state;
	a = aggregate_new(4, DAY);
	mkrec(&fr, 1, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	st = memstore();
	/* A transaction left open by someone else makes the flush fail. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(aggregate_flush(a, st), -1);
	assert_int_equal(aggregate_rows(a), 1);
	assert_int_equal(aggregate_stats(a)->write_errors, 1);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(aggregate_rows(a), 0);
	assert_int_equal(aggregate_flush(a, st), 0);
	store_close(st);
	aggregate_free(a);
}


/* A device is its MAC when seen: two addresses, one device. */
static void
test_mac_key_and_extras(void **state)
{
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;
	struct rows c;
	struct device_record d;

	(void)state;
	memset(&c, 0, sizeof(c));
	a = aggregate_new(16, 0);
	mkrec(&fr, 1, "dropbox", NULL, 100);
	fr.has_mac = 1;
	memcpy(fr.client_mac, "\x02\x00\x00\x00\x00\x01", 6);
	fr.evidence = EVIDENCE_SNI;
	fr.confidence = 90;
	strlcpy(fr.country, "US", sizeof(fr.country));
	fr.asn = 19679;
	assert_int_equal(aggregate_add(a, &fr), 0);
	fr.client_ip[3] = 2;		/* DHCP gave it another address */
	fr.evidence = EVIDENCE_PORT;
	fr.confidence = 20;
	fr.creds_proto = CREDS_FTP;
	strlcpy(fr.creds_user, "alice", sizeof(fr.creds_user));
	assert_int_equal(aggregate_add(a, &fr), 0);
	/* finding + destination + credential */
	assert_int_equal(aggregate_rows(a), 3);
	memset(&d, 0, sizeof(d));
	d.ts_us = 150 * US;
	d.has_mac = 1;
	memcpy(d.mac, "\x02\x00\x00\x00\x00\x01", 6);
	d.family = 4;
	memcpy(d.ip, "\x0a\x00\x00\x02", 4);
	strlcpy(d.hostname, "alice-laptop", sizeof(d.hostname));
	strlcpy(d.vendor_class, "MSFT 5.0", sizeof(d.vendor_class));
	assert_int_equal(aggregate_device(a, &d), 0);
	assert_int_equal(aggregate_device(a, &d), 0);	/* merged */
	assert_int_equal(aggregate_rows(a), 4);

	st = memstore();
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.r[0].devices, 1);
	assert_int_equal(c.r[0].flows, 2);
	store_close(st);
	aggregate_free(a);
}

/*
 * Interim accounting: a flow sent in pieces (some before a flush, some
 * after) gives the same rows as the whole flow in one record: bytes add
 * up, the flow counts once, first and last seen span the pieces.
 */
static int
geo_flows(void *arg, const struct store_geo_row *r)
{
	uint64_t *n = arg;

	*n += r->flows * 1000000 + r->bytes_up + r->bytes_down;
	return 0;
}

static void
pieces_run(int pieces, struct rows *c, uint64_t *dest_flows)
{
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;
	int64_t i;

	memset(c, 0, sizeof(*c));
	a = aggregate_new(16, 0);
	st = memstore();
	mkrec(&fr, 1, "dropbox", NULL, 100);
	strlcpy(fr.country, "US", sizeof(fr.country));
	fr.asn = 19679;
	if (!pieces) {
		fr.bytes_up = 1 + 2 + 3;
		fr.bytes_down = 10 + 20 + 30;
		fr.last_us = 300 * US;
		assert_int_equal(aggregate_add(a, &fr), 0);
	} else {
		for (i = 1; i <= 3; i++) {
			fr.bytes_up = (uint64_t)i;
			fr.bytes_down = (uint64_t)i * 10;
			fr.last_us = i * 100 * US;
			fr.piece = (i < 3 ? FLOW_PIECE_MORE : 0) |
			    (i > 1 ? FLOW_PIECE_CONT : 0);
			assert_int_equal(aggregate_add(a, &fr), 0);
			if (i == 1)	/* a commit between pieces */
				assert_int_equal(aggregate_flush(a, st), 0);
		}
	}
	mkrec(&fr, 2, "dropbox", NULL, 150);	/* a whole flow beside */
	assert_int_equal(aggregate_add(a, &fr), 0);
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect, c), 0);
	*dest_flows = 0;
	assert_int_equal(store_query_countries(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, geo_flows, dest_flows), 0);
	store_close(st);
	aggregate_free(a);
}

static void
test_pieces(void **state)
{
	struct rows whole, split;
	uint64_t dwhole, dsplit;

	(void)state;
	pieces_run(0, &whole, &dwhole);
	pieces_run(1, &split, &dsplit);
	assert_int_equal(split.n, 1);
	assert_int_equal(whole.n, 1);
	assert_int_equal(split.r[0].flows, 2);
	assert_int_equal(split.r[0].flows, whole.r[0].flows);
	assert_int_equal(split.r[0].devices, whole.r[0].devices);
	assert_int_equal(split.r[0].bytes_up, 6 + 10);
	assert_int_equal(split.r[0].bytes_up, whole.r[0].bytes_up);
	assert_int_equal(split.r[0].bytes_down, whole.r[0].bytes_down);
	assert_int_equal(split.r[0].first_us, 100 * US);
	assert_int_equal(split.r[0].first_us, whole.r[0].first_us);
	assert_int_equal(split.r[0].last_us, 300 * US);
	assert_int_equal(split.r[0].last_us, whole.r[0].last_us);
	assert_int_equal(dsplit, 1000000 + 66);	/* host 1 only */
	assert_int_equal(dsplit, dwhole);
}

static void
test_device_queue_full(void **state)
{
	struct device_record d;
	struct aggregate *a;
	size_t i;

	(void)state;
	a = aggregate_new(4, 0);
	memset(&d, 0, sizeof(d));
	d.has_mac = 1;
	for (i = 0; i < AGGREGATE_DEVICES_MAX; i++) {
		d.mac[4] = (uint8_t)(i >> 8);
		d.mac[5] = (uint8_t)i;
		assert_int_equal(aggregate_device(a, &d), 0);
	}
	d.mac[0] = 0xfe;
	assert_int_equal(aggregate_device(a, &d), -1);
	assert_int_equal(aggregate_stats(a)->devices_dropped, 1);
	aggregate_free(a);
}

/* A full table on a failing store backs off instead of retrying per add. */
static void
test_full_backoff(void **state)
{
	struct flow_record fr;
	struct aggregate *a;
	struct store *st;

	(void)state;
	a = aggregate_new(1, 0);
	mkrec(&fr, 1, "dropbox", NULL, 100);
	assert_int_equal(aggregate_add(a, &fr), 0);
	st = memstore();
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(aggregate_flush(a, st), -1);
	assert_int_equal(aggregate_flush(a, st), -1);
	assert_int_equal(aggregate_stats(a)->flush_skipped, 1);
	assert_int_equal(aggregate_stats(a)->write_errors, 1);
	assert_int_equal(store_commit(st), 0);
	usleep((AGGREGATE_RETRY_MS + 50) * 1000);
	assert_int_equal(aggregate_flush(a, st), 0);
	assert_int_equal(aggregate_rows(a), 0);
	store_close(st);
	aggregate_free(a);
}

static void
test_syslog(void **state)
{
	struct flow_record fr;
	char buf[1024], small[40];
	int n;

	(void)state;
	mkrec(&fr, 5, "dropbox", "x\"y]z\\w.example", 1700000000);
	fr.evidence = EVIDENCE_SNI;
	fr.confidence = 95;
	fr.server_port = 443;
	fr.server_ip[0] = 162;
	fr.server_ip[3] = 1;
	strlcpy(fr.department, "Fin\nance", sizeof(fr.department));
	n = syslogfwd_format(&fr, "sensor-1", buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	/* local0.warning = 16 * 8 + 4 */
	assert_memory_equal(buf, "<132>1 2023-11-14T22:13:20.500000Z sensor-1"
	    " shadowtap - finding [shadowtap@32473 service=\"dropbox\"", 92);
	assert_non_null(strstr(buf, " name=\"x\\\"y\\]z\\\\w.example\""));
	assert_non_null(strstr(buf, " department=\"Fin?ance\""));
	assert_non_null(strstr(buf, " client=\"10.0.0.5\""));
	assert_non_null(strstr(buf, " evidence=\"sni\" confidence=\"95\""));
	assert_non_null(strstr(buf, "] dropbox: unsanctioned"));
	assert_null(strchr(buf, '\n'));
	/* A host name with a space is not a HOSTNAME: "-". */
	assert_true(syslogfwd_format(&fr, "a b", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "Z - shadowtap - finding"));
	/* Clear-text log-in: the user, never a password field. */
	fr.creds_proto = CREDS_POP3;
	strlcpy(fr.creds_user, "bob", sizeof(fr.creds_user));
	assert_true(syslogfwd_format(&fr, NULL, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, " - credential ["));
	assert_non_null(strstr(buf, " proto=\"pop3\" user=\"bob\""));
	assert_null(strstr(buf, "pass"));
	assert_int_equal(syslogfwd_format(&fr, NULL, small,
	    sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_rejects_bad_args),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_lookups_and_local),
		cmocka_unit_test(test_ipv6_unclassified),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_flush_failure_keeps_rows),
		cmocka_unit_test(test_mac_key_and_extras),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_device_queue_full),
		cmocka_unit_test(test_full_backoff),
		cmocka_unit_test(test_syslog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
