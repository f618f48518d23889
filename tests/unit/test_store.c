/* SPDX-License-Identifier: ISC */
/*
 * test_store.c: the SQLite store: schema creation and reopen, upserts that
 * add counts, run rows, the read queries, and every refusal (missing file
 * read-only, newer schema, not a database, writes on a read-only handle).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "util.h"

#define US	1000000LL

struct tmpdb {
	char	dir[64];
	char	path[128];
};

static int
setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	strlcpy(t->dir, "/tmp/test_store.XXXXXX", sizeof(t->dir));
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/st.db", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmpdb *t = *state;
	char p[160];

	unlink(t->path);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/junk", t->dir);
	unlink(p);
	rmdir(t->dir);
	free(t);
	return 0;
}

static struct store *
open_ok(const char *path, int flags)
{
	char err[256] = "";
	struct store *st;

	st = store_open(path, flags, err, sizeof(err));
	if (st == NULL)
		print_error("store_open: %s\n", err);
	assert_non_null(st);
	return st;
}

static void
mkfinding(struct finding *f, const char *dev, const char *svc,
    enum verdict v, int64_t bucket, int64_t first_us, int64_t last_us)
{
	memset(f, 0, sizeof(*f));
	strlcpy(f->device, dev, sizeof(f->device));
	strlcpy(f->ip, dev, sizeof(f->ip));
	strlcpy(f->service, svc, sizeof(f->service));
	strlcpy(f->category, "file-sharing", sizeof(f->category));
	f->verdict = v;
	f->bucket = bucket;
	f->window_s = 86400;
	f->flows = 1;
	f->bytes_up = 100;
	f->bytes_down = 1000;
	f->first_us = first_us;
	f->last_us = last_us;
}

struct svc_rows {
	size_t				n;
	struct store_service_row	r[8];
	char				id[8][64];
	char				name[8][64];
};

static int
collect_svc(void *arg, const struct store_service_row *r)
{
	struct svc_rows *c = arg;

	if (c->n == nitems(c->r))
		return -1;
	c->r[c->n] = *r;
	strlcpy(c->id[c->n], r->id, sizeof(c->id[0]));
	strlcpy(c->name[c->n], r->name, sizeof(c->name[0]));
	c->n++;
	return 0;
}

static void
test_create_and_reopen(void **state)
{
	struct tmpdb *t = *state;
	struct store_totals tot;
	struct store *st;

	st = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	store_close(st);

	/* Reopening an existing, current database must not migrate again. */
	st = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox Inc",
	    "file-sharing", NULL, VERDICT_TOLERATED), 0);
	store_close(st);

	st = open_ok(t->path, STORE_RDONLY);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.devices, 0);
	assert_int_equal(tot.first_us, 0);
	store_close(st);

	st = open_ok(t->path, 0);
	store_close(st);
	store_close(NULL);
}

static void
test_memory(void **state)
{
	struct store *st;
	struct finding f;

	(void)state;
	st = open_ok(":memory:", STORE_CREATE);
	mkfinding(&f, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, 0, 1, 2);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), -1);
	assert_int_equal(store_add_finding(st, &f), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_commit(st), -1);
	store_close(st);
}

static void
test_upsert_adds(void **state)
{
	struct svc_rows c;
	struct store *st;
	struct finding f;

	(void)state;
	memset(&c, 0, sizeof(c));
	st = open_ok(":memory:", STORE_CREATE);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	assert_int_equal(store_begin(st), 0);
	mkfinding(&f, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, 86400,
	    90000 * US, 90010 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	f.first_us = 89000 * US;
	f.last_us = 89500 * US;
	f.flows = 2;
	assert_int_equal(store_add_finding(st, &f), 0);
	/* Another device, and the first device in another window. */
	mkfinding(&f, "10.0.0.2", "dropbox", VERDICT_UNSANCTIONED, 86400,
	    95000 * US, 95001 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	mkfinding(&f, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, 172800,
	    180000 * US, 180001 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	/* A service the catalog never declared still shows, by its id. */
	mkfinding(&f, "10.0.0.3", "mystery", VERDICT_TOLERATED, 86400,
	    90000 * US, 90000 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	assert_int_equal(store_commit(st), 0);

	assert_int_equal(store_query_services(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, collect_svc, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.id[0], "dropbox");
	assert_string_equal(c.name[0], "Dropbox");
	assert_int_equal(c.r[0].verdict, VERDICT_UNSANCTIONED);
	assert_int_equal(c.r[0].devices, 2);
	assert_int_equal(c.r[0].flows, 5);
	assert_int_equal(c.r[0].bytes_up, 400);
	assert_int_equal(c.r[0].bytes_down, 4000);
	assert_int_equal(c.r[0].first_us, 89000 * US);
	assert_int_equal(c.r[0].last_us, 180001 * US);
	assert_string_equal(c.id[1], "mystery");
	assert_string_equal(c.name[1], "mystery");
	assert_int_equal(c.r[1].verdict, VERDICT_TOLERATED);

	/* The period selects rows by first_us. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_query_services(st, 172800 * US, 259200 * US,
	    collect_svc, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.r[0].devices, 1);
	assert_int_equal(c.r[0].flows, 1);
	store_close(st);
}

static void
test_totals(void **state)
{
	struct store_totals tot;
	struct unclassified u;
	struct store *st;
	struct finding f;

	(void)state;
	st = open_ok(":memory:", STORE_CREATE);
	mkfinding(&f, "a", "dropbox", VERDICT_UNSANCTIONED, 0, 10 * US, 11 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	mkfinding(&f, "b", "mega", VERDICT_UNSANCTIONED, 0, 12 * US, 13 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	mkfinding(&f, "b", "wetransfer", VERDICT_UNSANCTIONED, 0, 5 * US,
	    6 * US);
	strlcpy(f.category, "transfer", sizeof(f.category));
	assert_int_equal(store_add_finding(st, &f), 0);
	mkfinding(&f, "c", "office365", VERDICT_SANCTIONED, 0, 12 * US,
	    13 * US);
	assert_int_equal(store_add_finding(st, &f), 0);
	memset(&u, 0, sizeof(u));
	strlcpy(u.device, "c", sizeof(u.device));
	strlcpy(u.name, "odd.example", sizeof(u.name));
	u.window_s = 86400;
	u.flows = 3;
	u.bytes_up = 1;
	u.bytes_down = 2;
	u.first_us = 1 * US;
	u.last_us = 99 * US;
	assert_int_equal(store_add_unclassified(st, &u), 0);

	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.devices, 3);
	assert_int_equal(tot.services, 4);
	assert_int_equal(tot.unsanctioned_devices, 2);
	assert_int_equal(tot.unsanctioned_services, 3);
	assert_int_equal(tot.unsanctioned_categories, 2);
	assert_int_equal(tot.unclassified_names, 1);
	assert_int_equal(tot.unclassified_flows, 3);
	assert_int_equal(tot.unclassified_bytes, 3);
	assert_int_equal(tot.first_us, 1 * US);
	assert_int_equal(tot.last_us, 99 * US);
	store_close(st);
}

struct dest_rows {
	size_t	n;
	char	name[8][64];
	uint64_t devices[8];
};

static int
collect_dest(void *arg, const struct store_dest_row *r)
{
	struct dest_rows *c = arg;

	strlcpy(c->name[c->n], r->name, sizeof(c->name[0]));
	c->devices[c->n] = r->devices;
	c->n++;
	return 0;
}

static void
test_unclassified_order(void **state)
{
	static const char *const dev[] = { "a", "b", "a", "c", "b", "a" };
	static const char *const name[] = { "x.example", "x.example",
	    "b.example", "a.example", "a.example", "c.example" };
	struct dest_rows c;
	struct unclassified u;
	struct store *st;
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	st = open_ok(":memory:", STORE_CREATE);
	for (i = 0; i < nitems(dev); i++) {
		memset(&u, 0, sizeof(u));
		strlcpy(u.device, dev[i], sizeof(u.device));
		strlcpy(u.name, name[i], sizeof(u.name));
		u.window_s = 60;
		u.flows = 1;
		u.first_us = u.last_us = 1;
		assert_int_equal(store_add_unclassified(st, &u), 0);
		assert_int_equal(store_add_unclassified(st, &u), 0);
	}
	assert_int_equal(store_query_unclassified(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 3, collect_dest, &c), 0);
	assert_int_equal(c.n, 3);
	/* Two devices each: ties broken by flows, bytes, then the name. */
	assert_string_equal(c.name[0], "a.example");
	assert_string_equal(c.name[1], "x.example");
	assert_int_equal(c.devices[1], 2);
	assert_string_equal(c.name[2], "b.example");
	store_close(st);
}

static void
test_runs(void **state)
{
	struct run_info ri = { "eth0", "tcp port 443", "rules/" };
	struct run_stats rs;
	struct store_coverage cov;
	struct store *st;
	int64_t id1, id2;

	(void)state;
	st = open_ok(":memory:", STORE_CREATE);
	assert_int_equal(store_run_begin(st, &ri, &id1), 0);
	memset(&rs, 0, sizeof(rs));
	rs.packets = 10;
	rs.bytes = 5000;
	rs.flows = 2;
	rs.kernel_drops = 1;
	rs.decode_errors = 3;
	rs.first_us = 100 * US;
	rs.last_us = 200 * US;
	assert_int_equal(store_run_end(st, id1, &rs), 0);
	assert_int_equal(store_run_end(st, id1 + 99, &rs), -1);
	assert_non_null(strstr(store_errmsg(st), "no run"));
	assert_int_equal(store_run_begin(st, &ri, &id2), 0);
	assert_true(id2 > id1);

	assert_int_equal(store_query_coverage(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &cov), 0);
	assert_int_equal(cov.runs, 2);
	assert_int_equal(cov.unfinished, 1);
	assert_int_equal(cov.packets, 10);
	assert_int_equal(cov.bytes, 5000);
	assert_int_equal(cov.kernel_drops, 1);
	assert_int_equal(cov.decode_errors, 3);
	assert_int_equal(cov.first_us, 100 * US);
	assert_int_equal(cov.last_us, 200 * US);

	/* A bounded period only counts runs whose packets overlap it. */
	assert_int_equal(store_query_coverage(st, 150 * US, 160 * US, &cov), 0);
	assert_int_equal(cov.runs, 1);
	assert_int_equal(store_query_coverage(st, 300 * US, 400 * US, &cov), 0);
	assert_int_equal(cov.runs, 0);
	assert_int_equal(cov.packets, 0);
	store_close(st);
}

static void
test_rollback(void **state)
{
	struct store_totals tot;
	struct store *st;
	struct finding f;

	(void)state;
	st = open_ok(":memory:", STORE_CREATE);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_begin(st), 0);
	mkfinding(&f, "a", "dropbox", VERDICT_UNSANCTIONED, 0, 1, 2);
	assert_int_equal(store_add_finding(st, &f), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.devices, 0);
	store_close(st);
}

static void
test_rdonly_missing(void **state)
{
	struct tmpdb *t = *state;
	struct stat sb;
	char err[256] = "";

	assert_null(store_open(t->path, STORE_RDONLY, err, sizeof(err)));
	assert_non_null(strstr(err, t->path));
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(stat(t->path, &sb), -1);

	/* Without STORE_CREATE, a read-write open does not create either. */
	assert_null(store_open(t->path, 0, err, sizeof(err)));
	assert_int_equal(stat(t->path, &sb), -1);
}

static void
test_rdonly_creates_nothing(void **state)
{
	struct tmpdb *t = *state;
	struct store *st;
	struct finding f;
	struct stat sb;
	char p[160];

	st = open_ok(t->path, STORE_CREATE);
	store_close(st);
	st = open_ok(t->path, STORE_RDONLY);
	mkfinding(&f, "a", "dropbox", VERDICT_UNSANCTIONED, 0, 1, 2);
	assert_int_equal(store_add_finding(st, &f), -1);
	assert_int_equal(store_begin(st), -1);
	assert_non_null(strstr(store_errmsg(st), "read-only"));
	store_close(st);
	snprintf(p, sizeof(p), "%s-wal", t->path);
	assert_int_equal(stat(p, &sb), -1);
	snprintf(p, sizeof(p), "%s-shm", t->path);
	assert_int_equal(stat(p, &sb), -1);
}

/* A summary can read while a capture holds the database open for writing. */
static void
test_concurrent_reader(void **state)
{
	struct tmpdb *t = *state;
	struct store_totals tot;
	struct store *w, *r;
	struct finding f;

	w = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_begin(w), 0);
	mkfinding(&f, "a", "dropbox", VERDICT_UNSANCTIONED, 0, 1, 2);
	assert_int_equal(store_add_finding(w, &f), 0);
	assert_int_equal(store_commit(w), 0);
	assert_int_equal(store_begin(w), 0);
	mkfinding(&f, "b", "dropbox", VERDICT_UNSANCTIONED, 0, 1, 2);
	assert_int_equal(store_add_finding(w, &f), 0);
	r = open_ok(t->path, STORE_RDONLY);
	assert_int_equal(store_query_totals(r, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.devices, 1);
	assert_int_equal(store_commit(w), 0);
	assert_int_equal(store_query_totals(r, STORE_TIME_MIN,
	    STORE_TIME_MAX, &tot), 0);
	assert_int_equal(tot.devices, 2);
	store_close(w);
	store_close(r);
}

/* Writes a big-endian 32-bit value into the SQLite file header. */
static void
poke_header(const char *path, off_t off, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };
	int fd;

	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, 4, off), 4);
	close(fd);
}

static void
test_newer_version(void **state)
{
	struct tmpdb *t = *state;
	char err[256] = "", want[256];
	struct store *st;

	st = open_ok(t->path, STORE_CREATE);
	store_close(st);
	poke_header(t->path, 60, STORE_SCHEMA_VERSION + 1); /* user_version */
	snprintf(want, sizeof(want), "%s: database schema version %d is newer"
	    " than this shadowtap supports (%d)", t->path,
	    STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
	assert_null(store_open(t->path, STORE_RDONLY, err, sizeof(err)));
	assert_string_equal(err, want);
	assert_null(store_open(t->path, STORE_CREATE, err, sizeof(err)));
	assert_string_equal(err, want);
}

static void
test_foreign_app(void **state)
{
	struct tmpdb *t = *state;
	char err[256] = "";
	struct store *st;

	st = open_ok(t->path, STORE_CREATE);
	store_close(st);
	poke_header(t->path, 68, 0x12345678);	/* application_id */
	assert_null(store_open(t->path, STORE_RDONLY, err, sizeof(err)));
	assert_non_null(strstr(err, "not a shadowtap database"));
}

static void
test_not_a_database(void **state)
{
	struct tmpdb *t = *state;
	char err[256] = "", junk[160];
	FILE *fp;
	int i;

	snprintf(junk, sizeof(junk), "%s/junk", t->dir);
	fp = fopen(junk, "w");
	assert_non_null(fp);
	for (i = 0; i < 200; i++)
		fputs("this is not a database at all\n", fp);
	fclose(fp);
	assert_null(store_open(junk, STORE_RDONLY, err, sizeof(err)));
	assert_non_null(strstr(err, junk));
	assert_non_null(strstr(err, "not a shadowtap database, or it is"
	    " corrupt"));
	assert_null(store_open(junk, STORE_CREATE, err, sizeof(err)));
	assert_non_null(strstr(err, "corrupt"));

	/* An empty file is a valid empty SQLite database, but not ours. */
	fp = fopen(junk, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_null(store_open(junk, STORE_RDONLY, err, sizeof(err)));
	assert_non_null(strstr(err, "not a shadowtap database (empty)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_reopen,
		    setup, teardown),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_upsert_adds),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_unclassified_order),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test_setup_teardown(test_rdonly_missing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rdonly_creates_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_reader,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_app,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
