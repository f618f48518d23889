/* SPDX-License-Identifier: ISC */
/*
 * test_flusher.c: the writer's commit thread (store/flusher.h). The same
 * records handed over in many small batches on the thread leave the same
 * database as one batch written in the caller; a front batch that fills
 * is handed over instead of losing rows; health rows beyond one batch's
 * room are all written; the network-health table's relagg_try() refuses a
 * new row when full without counting a loss, and the hourly roll-up of
 * network health sums many devices of one segment into one row.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/util.h"
#include "base/verdict.h"
#include "store/aggregate.h"
#include "store/flusher.h"
#include "store/relagg.h"
#include "store/store.h"

#define US	1000000LL
#define T0	1700000000LL	/* a Tuesday, 22:13 UTC */
#define NREC	240		/* records, then one per MAC device */
#define NALL	(NREC + 6)

static char	 dir[] = "/tmp/test_flusher.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct store *
open_db(const char *name, int64_t *run_id)
{
	struct run_info ri;
	struct store *st;
	char path[256], err[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)unlink(path);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	memset(&ri, 0, sizeof(ri));
	ri.source = "test";
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_run_begin(st, &ri, run_id), 0);
	assert_int_equal(store_commit(st), 0);
	return st;
}

/*
 * Record i of a fixed sequence: 12 devices (half by MAC, each of those
 * moving between two addresses), three services and two unclassified
 * names, over three hours and six days, some as pieces of one flow; then
 * one record for each of six devices, the last seen, at a new address.
 * (A row's address is its newest record's and its time the latest, so
 * the same row split over two commits may leave another device_ips
 * time: these records have rows of their own.)
 */
static void
mkrec(struct flow_record *fr, int i)
{
	static const char *const svc[] = { "dropbox", "wetransfer",
	    "chatgpt" };
	int dev = i % 12, k = i % 5;

	memset(fr, 0, sizeof(*fr));
	fr->family = 4;
	fr->client_ip[0] = 10;
	fr->client_ip[2] = (uint8_t)dev;
	fr->client_ip[3] = (uint8_t)(10 + (i / 12) % 2);
	if (dev % 2 == 0) {
		fr->has_mac = 1;
		fr->client_mac[0] = 2;
		fr->client_mac[5] = (uint8_t)dev;
	}
	fr->first_us = (T0 + (int64_t)(i % 7) * 1800 +
	    (int64_t)(i / 40) * 86400) * US;
	fr->last_us = fr->first_us + (int64_t)(i % 3) * US;
	fr->bytes_up = 100 + (uint64_t)i;
	fr->bytes_down = 1000 + (uint64_t)i * 7;
	if (k < 3) {
		strlcpy(fr->service, svc[k], sizeof(fr->service));
		strlcpy(fr->category, "file-sharing", sizeof(fr->category));
		fr->verdict = k == 2 ? VERDICT_TOLERATED :
		    VERDICT_UNSANCTIONED;
	} else
		snprintf(fr->name, sizeof(fr->name), "host%d.example%d.com",
		    i % 4, k);
	if (i % 9 == 0)
		fr->piece = FLOW_PIECE_CONT;
	if (i >= NREC) {	/* the last sighting of each MAC device */
		fr->client_ip[2] = (uint8_t)((i - NREC) * 2);
		fr->client_ip[3] = 99;
		fr->client_mac[5] = (uint8_t)((i - NREC) * 2);
		fr->first_us = (T0 + 10 * 86400) * US;	/* rows of its own */
		fr->last_us = fr->first_us;
	}
}

/* The tables as text, sorted, for comparing two databases. */
static char *
dump(const char *name)
{
	static const char *const q[] = {
		"SELECT device, service, instance, bucket, verdict, flows,"
		" bytes_up, bytes_down, first_us, last_us, ip, mac"
		" FROM findings ORDER BY 1, 2, 3, 4",
		"SELECT device, name, bucket, flows, bytes_up, bytes_down,"
		" first_us, last_us FROM unclassified ORDER BY 1, 2, 3",
		"SELECT device, mac, ip, first_us, last_us FROM devices"
		" ORDER BY 1",
		"SELECT device, ip, first_us, last_us FROM device_ips"
		" ORDER BY 1, 2",
		"SELECT day_us, device, service, flows, bytes_up, bytes_down,"
		" first_us, last_us FROM findings_day ORDER BY 1, 2, 3",
		"SELECT month_us, device, service, flows, bytes_up,"
		" bytes_down FROM findings_month ORDER BY 1, 2, 3",
		/* unsanctioned counts upserts: read as a flag */
		"SELECT day, device, unsanctioned > 0, bytes_unsanctioned,"
		" bytes_other FROM device_days ORDER BY 1, 2",
		"SELECT month_us, name, device, flows, bytes_up, bytes_down"
		" FROM unclassified_month ORDER BY 1, 2, 3",
	};
	sqlite3 *db;
	sqlite3_stmt *s;
	char path[256], *out = NULL;
	size_t i, len = 0, n;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &s, NULL),
		    SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *t = sqlite3_column_text(s,
				    c);

				n = strlen(t != NULL ? (const char *)t : "");
				out = realloc(out, len + n + 2);
				assert_non_null(out);
				memcpy(out + len, t != NULL ? (const char *)t :
				    "", n);
				len += n;
				out[len++] = c + 1 < sqlite3_column_count(s) ?
				    '|' : '\n';
			}
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	out = realloc(out, len + 1);
	assert_non_null(out);
	out[len] = '\0';
	return out;
}

static int
count(const char *name, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char path[256];
	int n = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* The commit hook: counts its calls, on the thread, with the store. */
static int		 hooked;
static struct store	*hook_store;

static void
on_commit(void *arg, struct store *st)
{
	(void)arg;
	assert_ptr_equal(st, hook_store);
	hooked++;
}

static void
test_batches_same_as_one(void **state)
{
	struct flow_record fr;
	struct flusher *f;
	struct store *st;
	int64_t run;
	char *a, *b;
	int i;

	(void)state;
	/* Many small batches, written on the thread. */
	st = open_db("many.db", &run);
	f = flusher_new(st, 1024, 3600, 64, 300, 1);
	hook_store = st;
	flusher_on_commit(f, on_commit, NULL);
	for (i = 0; i < NALL; i++) {
		mkrec(&fr, i);
		assert_int_equal(aggregate_add(flusher_front(f)->agg, &fr), 0);
		if (i % 7 == 6)
			assert_int_equal(flusher_hand(f), 0);
	}
	assert_int_equal(flusher_hand(f), 0);
	flusher_wait(f);
	assert_true(flusher_stats(f)->batches > 30);
	assert_int_equal(hooked, (int)flusher_stats(f)->batches);
	assert_int_equal(flusher_stats(f)->failed, 0);
	assert_int_equal(flusher_rows(f), 0);
	assert_int_equal(flusher_dropped(f), 0);
	flusher_free(f);
	store_close(st);
	/* One batch, written in the caller. */
	st = open_db("one.db", &run);
	f = flusher_new(st, 1024, 3600, 64, 300, 0);
	for (i = 0; i < NALL; i++) {
		mkrec(&fr, i);
		assert_int_equal(aggregate_add(flusher_front(f)->agg, &fr), 0);
	}
	assert_int_equal(flusher_hand(f), 0);
	assert_int_equal(flusher_stats(f)->batches, 1);
	flusher_free(f);
	store_close(st);

	a = dump("many.db");
	b = dump("one.db");
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* As row-by-row upserts leave it: the newest address, the span. */
	assert_int_equal(count("one.db", "SELECT count(*) FROM devices"
	    " WHERE mac <> '' AND ip LIKE '10.0.%.99'"), 3);
	assert_int_equal(count("one.db", "SELECT count(*) FROM devices"
	    " WHERE mac <> '' AND last_us = 1700864000000000"), 3);
	assert_int_equal(count("one.db", "SELECT count(*) FROM devices d"
	    " WHERE first_us = (SELECT min(first_us) FROM device_ips i"
	    " WHERE i.device = d.device) AND last_us = (SELECT"
	    " max(last_us) FROM device_ips i WHERE i.device = d.device)"),
	    21);
	assert_int_equal(count("one.db", "SELECT count(*) FROM device_ips"),
	    6 * 3 + 12);
}

/* A front batch that fills is handed over, as writer.c does: no loss. */
static void
test_full_batch_handed_over(void **state)
{
	struct flow_record fr;
	struct flusher *f;
	struct store *st;
	int64_t run;
	int i, hands = 0;

	(void)state;
	st = open_db("full.db", &run);
	f = flusher_new(st, 8, 3600, 8, 300, 1);
	for (i = 0; i < 100; i++) {
		memset(&fr, 0, sizeof(fr));
		fr.family = 4;
		fr.client_ip[0] = 10;
		fr.client_ip[2] = (uint8_t)(i / 250);
		fr.client_ip[3] = (uint8_t)(i % 250);
		fr.first_us = fr.last_us = T0 * US;
		fr.bytes_up = 1;
		strlcpy(fr.service, "dropbox", sizeof(fr.service));
		strlcpy(fr.category, "file-sharing", sizeof(fr.category));
		fr.verdict = VERDICT_UNSANCTIONED;
		if (flusher_full(f)) {
			assert_int_equal(flusher_hand(f), 0);
			hands++;
		}
		assert_int_equal(aggregate_add(flusher_front(f)->agg, &fr), 0);
	}
	assert_true(hands >= 100 / 8);
	assert_int_equal(flusher_hand(f), 0);
	flusher_wait(f);
	assert_int_equal(flusher_dropped(f), 0);
	flusher_free(f);
	store_close(st);
	assert_int_equal(count("full.db", "SELECT count(*) FROM findings"),
	    100);
	assert_int_equal(count("full.db", "SELECT sum(flows) FROM findings"),
	    100);
	assert_int_equal(count("full.db", "SELECT count(*) FROM devices"),
	    100);
}

/* More health rows than a batch holds: all of them are written. */
static void
test_health_rows(void **state)
{
	struct store_health h;
	struct flusher *f;
	struct store *st;
	int64_t run;
	int i;

	(void)state;
	st = open_db("health.db", &run);
	f = flusher_new(st, 16, 3600, 16, 300, 1);
	for (i = 0; i < 3 * FLUSHER_HEALTH_MAX + 5; i++) {
		memset(&h, 0, sizeof(h));
		h.run_id = run;
		h.start_us = (T0 + (int64_t)i * 300) * US;
		h.interval_s = 300;
		h.packets = (uint64_t)i;
		flusher_health(f, &h);
	}
	assert_int_equal(flusher_hand(f), 0);
	flusher_wait(f);
	flusher_free(f);
	store_close(st);
	assert_int_equal(count("health.db", "SELECT count(*) FROM health"),
	    3 * FLUSHER_HEALTH_MAX + 5);
	assert_int_equal(count("health.db", "SELECT sum(packets) FROM health"),
	    (3 * FLUSHER_HEALTH_MAX + 5) * (3 * FLUSHER_HEALTH_MAX + 4) / 2);
}

static void
mkrel(struct rel_event *e, int dev)
{
	memset(e, 0, sizeof(*e));
	e->ts_us = T0 * US;
	e->rtt_ms = -1;
	e->hs_server_us = e->hs_client_us = -1;
	e->kind = REL_EV_TCP_UNANSWERED;
	e->family = 4;
	e->ip[0] = 10;
	e->ip[2] = 7;
	e->ip[3] = (uint8_t)dev;
}

/* relagg_try() on a full table; the roll-up sums one segment's devices. */
static void
test_rel_full_and_hours(void **state)
{
	struct rel_event e;
	struct relagg *ra;
	struct store *st;
	int64_t run;
	int i;

	(void)state;
	ra = relagg_new(40, 300);
	for (i = 0; i < 40; i++) {
		mkrel(&e, i);
		assert_int_equal(relagg_try(ra, &e), 0);
	}
	mkrel(&e, 40);
	assert_int_equal(relagg_try(ra, &e), -1);	/* a new row: full */
	assert_int_equal(relagg_stats(ra)->dropped, 0);
	mkrel(&e, 3);
	assert_int_equal(relagg_try(ra, &e), 0);	/* an old one: room */
	mkrel(&e, 41);
	assert_int_equal(relagg_add(ra, &e), -1);
	assert_int_equal(relagg_stats(ra)->dropped, 1);
	st = open_db("rel.db", &run);
	assert_int_equal(relagg_flush(ra, st), 0);
	store_close(st);
	relagg_free(ra);
	assert_int_equal(count("rel.db", "SELECT count(*) FROM reliability"),
	    40);
	assert_int_equal(count("rel.db", "SELECT sum(tcp_attempts) FROM"
	    " reliability"), 41);
	assert_int_equal(count("rel.db", "SELECT count(*) FROM"
	    " reliability_hour"), 1);
	assert_int_equal(count("rel.db", "SELECT tcp_unanswered FROM"
	    " reliability_hour WHERE segment = '10.0.7.0/24'"), 41);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batches_same_as_one),
		cmocka_unit_test(test_full_batch_handed_over),
		cmocka_unit_test(test_health_rows),
		cmocka_unit_test(test_rel_full_and_hours),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
