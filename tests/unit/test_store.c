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
#include <sqlite3.h>

#include "store/store.h"
#include "base/util.h"

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
	struct run_info ri = { "eth0", "tcp port 443", "rules/", NULL };
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


/* Schema version 1 exactly as released (store.c migration[0]). */
static const char v1_sql[] =
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
	" finished_at TEXT, source TEXT NOT NULL, filter TEXT, rules TEXT,"
	" packets INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
	" flows INTEGER NOT NULL DEFAULT 0,"
	" kernel_drops INTEGER NOT NULL DEFAULT 0,"
	" decode_errors INTEGER NOT NULL DEFAULT 0, first_ts INTEGER,"
	" last_ts INTEGER);"
	"CREATE TABLE services (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
	" category TEXT NOT NULL DEFAULT '', risk TEXT, verdict TEXT NOT NULL"
	" CHECK (verdict IN ('unclassified', 'sanctioned', 'tolerated',"
	" 'unsanctioned')));"
	"CREATE TABLE findings (device TEXT NOT NULL, ip TEXT NOT NULL,"
	" mac TEXT NOT NULL DEFAULT '', service TEXT NOT NULL REFERENCES"
	" services(id), category TEXT NOT NULL DEFAULT '', verdict TEXT NOT NULL"
	" CHECK (verdict IN ('unclassified', 'sanctioned', 'tolerated',"
	" 'unsanctioned')), bucket INTEGER NOT NULL, window_s INTEGER NOT NULL"
	" CHECK (window_s > 0), flows INTEGER NOT NULL, bytes_up INTEGER NOT"
	" NULL, bytes_down INTEGER NOT NULL, first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL, PRIMARY KEY (device, service, bucket))"
	" WITHOUT ROWID;"
	"CREATE INDEX findings_first ON findings(first_us);"
	"CREATE INDEX findings_service ON findings(service);"
	"CREATE TABLE unclassified (device TEXT NOT NULL, name TEXT NOT NULL,"
	" bucket INTEGER NOT NULL, window_s INTEGER NOT NULL CHECK (window_s >"
	" 0), flows INTEGER NOT NULL, bytes_up INTEGER NOT NULL, bytes_down"
	" INTEGER NOT NULL, first_us INTEGER NOT NULL, last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, name, bucket)) WITHOUT ROWID;"
	"CREATE INDEX unclassified_first ON unclassified(first_us);"
	"CREATE INDEX runs_span ON runs(first_ts, last_ts);"
	"INSERT INTO services VALUES ('dropbox', 'Dropbox', 'file-sharing',"
	" NULL, 'unsanctioned');"
	"INSERT INTO findings VALUES ('10.0.0.1', '10.0.0.1', '', 'dropbox',"
	" 'file-sharing', 'unsanctioned', 86400, 86400, 3, 10, 20,"
	" 86400000000, 86401000000);"
	"INSERT INTO runs (started_at, source) VALUES ('x', 'old.pcap');"
	"PRAGMA application_id = 1398030672;";
static const char v2_sql[] =
	"CREATE TABLE secrets (name TEXT PRIMARY KEY NOT NULL,"
	" value BLOB NOT NULL) WITHOUT ROWID;"
	"INSERT INTO secrets VALUES ('pseudonym-key', zeroblob(32));";

/* What schema version 3 added, exactly as released (store.c migration[2]),
 * and a row in each of its new tables. */
static const char v3_sql[] =
	"CREATE TABLE sensors ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" first_seen TEXT NOT NULL);"
	"ALTER TABLE runs ADD COLUMN sensor_id INTEGER REFERENCES sensors(id);"
	"ALTER TABLE runs ADD COLUMN rows_dropped INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN rows_unwritten INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE findings ADD COLUMN evidence TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE findings ADD COLUMN confidence INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE findings ADD COLUMN department TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE devices ("
	" device TEXT PRIMARY KEY NOT NULL,"
	" mac TEXT NOT NULL DEFAULT '',"
	" ip TEXT NOT NULL DEFAULT '',"
	" hostname TEXT NOT NULL DEFAULT '',"
	" vendor_class TEXT NOT NULL DEFAULT '',"
	" prl TEXT NOT NULL DEFAULT '',"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE device_ips ("
	" device TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, ip)) WITHOUT ROWID;"
	"CREATE INDEX device_ips_ip ON device_ips(ip);"
	"CREATE TABLE device_names ("
	" device TEXT NOT NULL,"
	" hostname TEXT NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, hostname)) WITHOUT ROWID;"
	"CREATE TABLE destinations ("
	" device TEXT NOT NULL,"
	" service TEXT NOT NULL DEFAULT '',"
	" country TEXT NOT NULL DEFAULT '',"
	" asn INTEGER NOT NULL DEFAULT 0,"
	" bucket INTEGER NOT NULL,"
	" window_s INTEGER NOT NULL CHECK (window_s > 0),"
	" flows INTEGER NOT NULL,"
	" bytes_up INTEGER NOT NULL,"
	" bytes_down INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, service, country, asn, bucket)) WITHOUT ROWID;"
	"CREATE INDEX destinations_first ON destinations(first_us);"
	"CREATE TABLE credentials ("
	" device TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" proto TEXT NOT NULL,"
	" server TEXT NOT NULL,"
	" user TEXT NOT NULL DEFAULT '',"
	" count INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, proto, server, user)) WITHOUT ROWID;"
	"CREATE TABLE health ("
	" run_id INTEGER NOT NULL,"
	" start_us INTEGER NOT NULL,"
	" interval_s INTEGER NOT NULL CHECK (interval_s > 0),"
	" packets INTEGER NOT NULL,"
	" drops INTEGER NOT NULL,"
	" decode_errors INTEGER NOT NULL,"
	" dns_unanswered INTEGER NOT NULL,"
	" tcp_failed INTEGER NOT NULL,"
	" PRIMARY KEY (run_id, start_us)) WITHOUT ROWID;"
	"CREATE INDEX unclassified_name ON unclassified(name);"
	"INSERT INTO findings (device, ip, service, category, verdict,"
	" bucket, window_s, flows, bytes_up, bytes_down, first_us, last_us,"
	" department) VALUES ('02:00:00:00:00:07', '10.0.0.7', 'dropbox',"
	" 'file-sharing', 'unsanctioned', 86400, 3600, 1, 1000, 10,"
	" 86400000000, 86400000001, 'Design');"
	"INSERT INTO destinations VALUES ('10.0.0.1', 'dropbox', 'US', 19679,"
	" 86400, 3600, 2, 300, 400, 86400000000, 86400000001);"
	"INSERT INTO credentials VALUES ('10.0.0.1', '10.0.0.1', 'pop3',"
	" '192.0.2.9', 'bob', 2, 86400000000, 86400000001);";

static void
make_old(const char *path, int version)
{
	sqlite3 *db;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_sql, NULL, NULL, NULL),
	    SQLITE_OK);
	if (version >= 2)
		assert_int_equal(sqlite3_exec(db, v2_sql, NULL, NULL, NULL),
		    SQLITE_OK);
	if (version >= 3)
		assert_int_equal(sqlite3_exec(db, v3_sql, NULL, NULL, NULL),
		    SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* What the summary's newer queries return, as text for easy checks. */
struct newer {
	char	countries[128];
	char	networks[128];
	char	departments[128];
	char	logins[128];
};

static int
geo_cat(void *arg, const struct store_geo_row *r)
{
	char *buf = arg, one[96];

	if (r->asn != 0)
		snprintf(one, sizeof(one), "AS%u:%s:%llu,", r->asn, r->as_org,
		    (unsigned long long)(r->bytes_up + r->bytes_down));
	else
		snprintf(one, sizeof(one), "%s:%llu:%llu,", r->country,
		    (unsigned long long)r->devices,
		    (unsigned long long)(r->bytes_up + r->bytes_down));
	strlcat(buf, one, 128);
	return 0;
}

static int
dept_cat(void *arg, const struct store_department_row *r)
{
	char *buf = arg, one[96];

	snprintf(one, sizeof(one), "%s:%llu/%llu/%llu/%llu,", r->department,
	    (unsigned long long)r->devices,
	    (unsigned long long)r->unsanctioned_devices,
	    (unsigned long long)r->unsanctioned_services,
	    (unsigned long long)r->unsanctioned_up);
	strlcat(buf, one, 128);
	return 0;
}

static int
login_cat(void *arg, const struct store_credential_row *r)
{
	char *buf = arg, one[96];

	snprintf(one, sizeof(one), "%s:%s:%s:%s:%llu,", r->proto, r->server,
	    r->device, r->user, (unsigned long long)r->count);
	strlcat(buf, one, 128);
	return 0;
}

static void
query_newer(struct store *st, struct newer *n)
{
	memset(n, 0, sizeof(*n));
	assert_int_equal(store_query_countries(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, geo_cat, n->countries), 0);
	assert_int_equal(store_query_networks(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, geo_cat, n->networks), 0);
	assert_int_equal(store_query_departments(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, dept_cat, n->departments), 0);
	assert_int_equal(store_query_credentials(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, login_cat, n->logins), 0);
}

static void
migrate_from(const char *path, int version)
{
	struct store_credential_totals ct;
	struct destination dst;
	struct newer nw;
	sqlite3 *db;
	sqlite3_stmt *s;
	struct store_totals t;
	struct finding f;
	struct store_health h;
	struct store_device d;
	struct store *st;
	uint8_t key[STORE_KEY_LEN];
	int64_t run;
	struct run_info ri = { "eth0", NULL, NULL, NULL };

	make_old(path, version);
	st = open_ok(path, STORE_RDONLY);
	assert_int_equal(store_version(st), version);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN, STORE_TIME_MAX,
	    &t), 0);
	assert_int_equal(t.devices, version >= 3 ? 2 : 1);
	/* The queries of later schemas read an older file as it is. */
	query_newer(st, &nw);
	assert_int_equal(store_query_credential_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &ct), 0);
	if (version >= 3) {
		assert_string_equal(nw.countries, "US:1:700,");
		assert_string_equal(nw.networks, "AS19679::700,");
		assert_string_equal(nw.departments,
		    ":1/1/1/10,Design:1/1/1/1000,");
		assert_string_equal(nw.logins, "pop3:192.0.2.9:10.0.0.1:bob:2,");
		assert_int_equal(ct.rows, 1);
		assert_string_equal(ct.protos_list, "pop3");
	} else {
		assert_string_equal(nw.countries, "");
		assert_string_equal(nw.networks, "");
		assert_string_equal(nw.departments, "");
		assert_string_equal(nw.logins, "");
		assert_int_equal(ct.rows, 0);
	}
	store_close(st);

	st = open_ok(path, 0);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN, STORE_TIME_MAX,
	    &t), 0);
	assert_int_equal(t.devices, version >= 3 ? 2 : 1);
	assert_int_equal(t.classified_flows, version >= 3 ? 4 : 3);
	/* Version 4: AS names are kept, the latest one wins. */
	memset(&dst, 0, sizeof(dst));
	strlcpy(dst.device, "10.0.0.1", sizeof(dst.device));
	strlcpy(dst.country, "SE", sizeof(dst.country));
	dst.asn = 8075;
	strlcpy(dst.as_org, "Old name", sizeof(dst.as_org));
	dst.window_s = 3600;
	dst.bytes_up = 5;
	dst.first_us = dst.last_us = 86400 * US;
	assert_int_equal(store_add_destination(st, &dst), 0);
	strlcpy(dst.as_org, "Microsoft Corporation", sizeof(dst.as_org));
	assert_int_equal(store_add_destination(st, &dst), 0);
	dst.as_org[0] = '\0';
	assert_int_equal(store_add_destination(st, &dst), 0);
	memset(&nw, 0, sizeof(nw));
	assert_int_equal(store_query_networks(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, 10, geo_cat, nw.networks), 0);
	assert_string_equal(nw.networks, version >= 3 ?
	    "AS19679::700,AS8075:Microsoft Corporation:15," :
	    "AS8075:Microsoft Corporation:15,");
	if (version >= 2) {
		/* The key survives. */
		assert_int_equal(store_pseudonym_key(st, key), 1);
		assert_int_equal(key[0], 0);
	}
	/* Everything version 3 added works on the migrated file. */
	assert_int_equal(store_set_sensor(st, "branch-1"), 0);
	assert_int_equal(store_run_begin(st, &ri, &run), 0);
	memset(&h, 0, sizeof(h));
	h.run_id = run;
	h.start_us = 100 * US;
	h.interval_s = 60;
	h.packets = 10;
	h.drops = 1;
	assert_int_equal(store_put_health(st, &h), 0);
	h.packets = 12;
	assert_int_equal(store_put_health(st, &h), 0);	/* replaces */
	memset(&d, 0, sizeof(d));
	strlcpy(d.device, "02:00:00:00:00:01", sizeof(d.device));
	strlcpy(d.mac, d.device, sizeof(d.mac));
	strlcpy(d.ip, "10.0.0.9", sizeof(d.ip));
	strlcpy(d.hostname, "pc-9", sizeof(d.hostname));
	d.ts_us = 5 * US;
	assert_int_equal(store_put_device(st, &d), 0);
	strlcpy(d.ip, "10.0.0.10", sizeof(d.ip));
	d.hostname[0] = '\0';
	d.ts_us = 6 * US;
	assert_int_equal(store_put_device(st, &d), 0);
	memset(&f, 0, sizeof(f));
	strlcpy(f.device, "02:00:00:00:00:01", sizeof(f.device));
	strlcpy(f.service, "dropbox", sizeof(f.service));
	f.verdict = VERDICT_UNSANCTIONED;
	f.window_s = 3600;
	f.flows = 1;
	strlcpy(f.evidence, "port", sizeof(f.evidence));
	f.confidence = 10;
	assert_int_equal(store_add_finding(st, &f), 0);
	strlcpy(f.evidence, "sni", sizeof(f.evidence));
	f.confidence = 90;
	assert_int_equal(store_add_finding(st, &f), 0);
	strlcpy(f.evidence, "ip", sizeof(f.evidence));
	f.confidence = 50;
	assert_int_equal(store_add_finding(st, &f), 0);
	store_close(st);

	{
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT"
		    " (SELECT evidence || confidence FROM findings"
		    "  WHERE device LIKE '02:%'),"
		    " (SELECT ip || '/' || hostname FROM devices),"
		    " (SELECT count(*) FROM device_ips),"
		    " (SELECT packets FROM health),"
		    " (SELECT s.name FROM runs r JOIN sensors s"
		    "  ON s.id = r.sensor_id)", -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(s, 0), "sni90");
		assert_string_equal(sqlite3_column_text(s, 1),
		    "10.0.0.10/pc-9");
		assert_int_equal(sqlite3_column_int(s, 2), 2);
		assert_int_equal(sqlite3_column_int(s, 3), 12);
		assert_string_equal(sqlite3_column_text(s, 4), "branch-1");
		sqlite3_finalize(s);
		sqlite3_close(db);
	}

	/* The covering indexes replaced the first_us ones. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(name)"
	    " FROM (SELECT name FROM sqlite_master WHERE type = 'index'"
	    " AND name LIKE '%\\_%' ESCAPE '\\' AND sql IS NOT NULL"
	    " ORDER BY name)", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(s, 0),
	    "destinations_period,device_ips_ip,findings_day_use,"
	    "findings_period,findings_service,findings_unsanctioned,"
	    "lookups_period,"
	    "runs_fingerprint,runs_span,unclassified_name,unclassified_period");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
test_migrate_v3(void **state)
{
	migrate_from(((struct tmpdb *)*state)->path, 3);
}

static void
test_migrate_v1(void **state)
{
	migrate_from(((struct tmpdb *)*state)->path, 1);
}

static void
test_migrate_v2(void **state)
{
	migrate_from(((struct tmpdb *)*state)->path, 2);
}

static void
hourly(struct store *st, const char *dev, int64_t t_s, uint64_t flows,
    enum verdict v)
{
	struct finding f;
	struct unclassified u;

	memset(&f, 0, sizeof(f));
	strlcpy(f.device, dev, sizeof(f.device));
	strlcpy(f.ip, dev, sizeof(f.ip));
	strlcpy(f.service, "dropbox", sizeof(f.service));
	f.verdict = v;
	f.bucket = t_s / 3600 * 3600;
	f.window_s = 3600;
	f.flows = flows;
	f.bytes_up = 10 * flows;
	f.first_us = t_s * US;
	f.last_us = t_s * US + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
	memset(&u, 0, sizeof(u));
	strlcpy(u.device, dev, sizeof(u.device));
	strlcpy(u.name, "odd.example", sizeof(u.name));
	u.bucket = f.bucket;
	u.window_s = 3600;
	u.flows = flows;
	u.first_us = f.first_us;
	u.last_us = f.last_us;
	assert_int_equal(store_add_unclassified(st, &u), 0);
}

static int64_t
count_rows(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* Hourly rows older than the cutoff become one row per day; totals stay. */
static void
test_prune(void **state)
{
	struct tmpdb *t = *state;
	struct store_totals before, after;
	struct store_prune_stats ps;
	struct store *st;
	int64_t day0 = 20000 * 86400LL;

	st = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_begin(st), 0);
	/* Day 0: three hours, the first at 00:00 (its key is the day's). */
	hourly(st, "10.0.0.1", day0, 1, VERDICT_TOLERATED);
	hourly(st, "10.0.0.1", day0 + 3600, 2, VERDICT_TOLERATED);
	hourly(st, "10.0.0.1", day0 + 7200 + 5, 4, VERDICT_UNSANCTIONED);
	/* Day 10: recent, stays hourly. */
	hourly(st, "10.0.0.1", day0 + 10 * 86400 + 3600, 8,
	    VERDICT_UNSANCTIONED);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN, STORE_TIME_MAX,
	    &before), 0);
	assert_int_equal(store_prune(st, 7, &ps), 0);
	assert_int_equal(ps.cutoff_us, (day0 + 3 * 86400) * US);
	assert_int_equal(ps.rolled, 6);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN, STORE_TIME_MAX,
	    &after), 0);
	assert_int_equal(after.classified_flows, before.classified_flows);
	assert_int_equal(after.classified_bytes, before.classified_bytes);
	assert_int_equal(after.unclassified_flows, before.unclassified_flows);
	assert_int_equal(after.first_us, before.first_us);
	/* Pruning again changes nothing. */
	assert_int_equal(store_prune(st, 7, &ps), 0);
	assert_int_equal(ps.rolled, 0);
	store_close(st);
	assert_int_equal(count_rows(t->path, "SELECT count(*) FROM findings"),
	    2);
	assert_int_equal(count_rows(t->path, "SELECT flows FROM findings"
	    " WHERE window_s = 86400 AND bucket = 1728000000"), 7);
	/* The day takes the status of its latest hour. */
	assert_int_equal(count_rows(t->path, "SELECT verdict = 'unsanctioned'"
	    " FROM findings WHERE window_s = 86400"), 1);
	assert_int_equal(count_rows(t->path, "SELECT count(*) FROM"
	    " unclassified"), 2);
}

/*
 * Roll-ups (schema 6): a summary reads whole UTC months from the month
 * tables and whole days of its trend from device_days. Every query must
 * answer exactly what the detail rows answer, for any period: whole
 * months, month edges, odd hours, one day, nothing, everything.
 */
struct dump {
	size_t	len;
	char	buf[1 << 20];
};

static void
dumpf(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(d->buf + d->len, sizeof(d->buf) - d->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(d->buf) - d->len);
	d->len += (size_t)n;
}

#define ULL(x)	((unsigned long long)(x))
#define LL(x)	((long long)(x))

static int
d_svc(void *a, const struct store_service_row *r)
{
	dumpf(a, "s %s %s %s %d %llu %llu %llu %llu %lld %lld|", r->id,
	    r->name, r->category, (int)r->verdict, ULL(r->devices),
	    ULL(r->flows), ULL(r->bytes_up), ULL(r->bytes_down),
	    LL(r->first_us), LL(r->last_us));
	return 0;
}

static int
d_uncl(void *a, const struct store_dest_row *r)
{
	dumpf(a, "u %s %llu %llu %llu %llu %lld %lld|", r->name,
	    ULL(r->devices), ULL(r->flows), ULL(r->bytes_up),
	    ULL(r->bytes_down), LL(r->first_us), LL(r->last_us));
	return 0;
}

static int
d_geo(void *a, const struct store_geo_row *r)
{
	dumpf(a, "g %s %u %s %llu %llu %llu %llu|", r->country, r->asn,
	    r->as_org, ULL(r->devices), ULL(r->flows), ULL(r->bytes_up),
	    ULL(r->bytes_down));
	return 0;
}

static int
d_dept(void *a, const struct store_department_row *r)
{
	dumpf(a, "p %s %llu %llu %llu %llu %llu|", r->department,
	    ULL(r->devices), ULL(r->unsanctioned_devices),
	    ULL(r->unsanctioned_services), ULL(r->bytes_up),
	    ULL(r->unsanctioned_up));
	return 0;
}

static int
d_cat(void *a, const struct store_category_row *r)
{
	dumpf(a, "c %s %llu %llu %llu %llu %llu %llu|", r->category,
	    ULL(r->devices), ULL(r->unsanctioned_devices),
	    ULL(r->unapproved_devices), ULL(r->flows), ULL(r->bytes_up),
	    ULL(r->bytes_down));
	return 0;
}

static int
d_day(void *a, const struct store_day_row *r)
{
	dumpf(a, "d %lld %llu %llu %llu %llu|", LL(r->day_us),
	    ULL(r->unsanctioned_bytes), ULL(r->other_bytes),
	    ULL(r->unsanctioned_devices), ULL(r->devices));
	return 0;
}

static int
d_dev(void *a, const struct store_device_row *r)
{
	dumpf(a, "v %s %s %s %llu %llu %llu %llu %lld %lld|", r->device,
	    r->ip, r->mac, ULL(r->services), ULL(r->flows), ULL(r->bytes_up),
	    ULL(r->bytes_down), LL(r->first_us), LL(r->last_us));
	return 0;
}

static int
d_rel(void *a, const struct store_rel *r)
{
	int k;

	dumpf(a, "r %lld %s %s", LL(r->start_us), r->segment, r->device);
	for (k = 0; k < REL_NCOUNTS; k++)
		dumpf(a, " %llu", ULL(r->n[k]));
	dumpf(a, "|");
	return 0;
}

/* Everything the summary asks of a period, as one string. */
static void
dump_period(struct store *st, int64_t since, int64_t until, struct dump *d)
{
	struct store_totals t;
	struct store_group g;

	d->len = 0;
	d->buf[0] = '\0';
	assert_int_equal(store_query_totals(st, since, until, &t), 0);
	dumpf(d, "t %llu %llu %llu %llu %llu %llu %llu %llu %lld %lld %llu"
	    " %llu|", ULL(t.devices), ULL(t.services),
	    ULL(t.unsanctioned_devices), ULL(t.unsanctioned_services),
	    ULL(t.unsanctioned_categories), ULL(t.unclassified_names),
	    ULL(t.unclassified_flows), ULL(t.unclassified_bytes),
	    LL(t.first_us), LL(t.last_us), ULL(t.classified_flows),
	    ULL(t.classified_bytes));
	assert_int_equal(store_query_services(st, since, until, d_svc, d), 0);
	assert_int_equal(store_query_unclassified(st, since, until, 5, d_uncl,
	    d), 0);
	assert_int_equal(store_query_countries(st, since, until, 5, d_geo, d),
	    0);
	assert_int_equal(store_query_networks(st, since, until, 5, d_geo, d),
	    0);
	assert_int_equal(store_query_departments(st, since, until, d_dept, d),
	    0);
	assert_int_equal(store_query_categories(st, since, until, d_cat, d),
	    0);
	assert_int_equal(store_query_group(st, since, until,
	    ",file-sharing,webmail,", &g), 0);
	dumpf(d, "G %llu %llu %llu %llu %llu|", ULL(g.devices),
	    ULL(g.services), ULL(g.flows), ULL(g.bytes_up), ULL(g.bytes_down));
	assert_int_equal(store_query_days(st, since, until, d_day, d), 0);
	assert_int_equal(store_query_devices(st, since, until, 4, d_dev, d),
	    0);
	assert_int_equal(store_query_reliability(st, since, until, NULL,
	    d_rel, d), 0);
	assert_int_equal(store_query_reliability(st, since, until, "sales",
	    d_rel, d), 0);
}

static uint64_t	rs = 0x2545f4914f6cdd1dull;

static uint32_t
rnd32(uint32_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 32) % n;
}

static void
test_rollup_same(void **state)
{
	static const char *svc[] = { "dropbox", "wetransfer", "gmail",
	    "slack", "mega" };
	static const char *cat[] = { "file-sharing", "file-sharing",
	    "webmail", "messaging", "cloud-storage" };
	static const char *dept[] = { "", "sales", "it" };
	static const char *cc[] = { "US", "DE", "" };
	/* 2026-01-20 00:00Z, then 110 days: into May, across four months. */
	const int64_t t0 = 1768867200LL, jan31 = 1769817600LL;
	struct tmpdb *t = *state;
	struct store *st, *ro, *det;
	static struct dump a, b;
	struct finding f;
	struct unclassified u;
	struct destination dst;
	struct store_rel rel;
	int64_t periods[40][2], ts, span;
	size_t np = 0, i;
	int n, k, dev, sv, round;
	sqlite3 *db;

	st = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_begin(st), 0);
	for (n = 0; n < 3000; n++) {
		/* Hours of 110 days; a few rows in the same hour twice. */
		ts = t0 + (int64_t)rnd32(110 * 24) * 3600 + rnd32(3600);
		dev = (int)rnd32(7);
		sv = (int)rnd32(nitems(svc));
		memset(&f, 0, sizeof(f));
		snprintf(f.device, sizeof(f.device), "10.0.0.%d", dev);
		strlcpy(f.ip, f.device, sizeof(f.ip));
		if (dev % 2)
			snprintf(f.mac, sizeof(f.mac), "02:00:00:00:00:%02x",
			    dev);
		strlcpy(f.service, svc[sv], sizeof(f.service));
		strlcpy(f.category, cat[sv], sizeof(f.category));
		/* One status per device and service, as without reloads. */
		f.verdict = (dev + sv) % 3 == 0 ? VERDICT_SANCTIONED :
		    (dev + sv) % 3 == 1 ? VERDICT_UNSANCTIONED :
		    VERDICT_TOLERATED;
		strlcpy(f.department, dept[dev % 3], sizeof(f.department));
		f.bucket = ts / 3600 * 3600;
		f.window_s = 3600;
		f.flows = 1 + rnd32(5);
		f.bytes_up = rnd32(100000);
		f.bytes_down = rnd32(1000000);
		f.first_us = ts * US + rnd32(1000);
		f.last_us = f.first_us + rnd32(3000000);
		assert_int_equal(store_add_finding(st, &f), 0);
		memset(&dst, 0, sizeof(dst));
		strlcpy(dst.device, f.device, sizeof(dst.device));
		strlcpy(dst.service, f.service, sizeof(dst.service));
		strlcpy(dst.country, cc[sv % 3], sizeof(dst.country));
		dst.asn = 64500 + (uint32_t)(sv % 2);
		dst.bucket = f.bucket;
		dst.window_s = 3600;
		dst.flows = f.flows;
		dst.bytes_up = f.bytes_up;
		dst.bytes_down = f.bytes_down;
		dst.first_us = f.first_us;
		dst.last_us = f.last_us;
		assert_int_equal(store_add_destination(st, &dst), 0);
		memset(&u, 0, sizeof(u));
		strlcpy(u.device, f.device, sizeof(u.device));
		snprintf(u.name, sizeof(u.name), "n%u.example", rnd32(9));
		u.bucket = f.bucket;
		u.window_s = 3600;
		u.flows = f.flows;
		u.bytes_up = f.bytes_up / 3;
		u.bytes_down = f.bytes_down / 3;
		u.first_us = f.first_us;
		u.last_us = f.last_us;
		assert_int_equal(store_add_unclassified(st, &u), 0);
		/* Network health of the same device, at a 5-minute start. */
		memset(&rel, 0, sizeof(rel));
		rel.start_us = (ts - ts % 300) * US;
		rel.interval_s = 300;
		rel.segment = dept[dev % 3][0] != '\0' ? dept[dev % 3] :
		    "10.0.0.0/24";
		rel.device = f.device;
		rel.ip = f.ip;
		for (k = 0; k < REL_NCOUNTS; k++)
			rel.n[k] = rnd32(50);
		assert_int_equal(store_put_reliability(st, &rel, 1), 0);
	}
	assert_int_equal(store_commit(st), 0);
	store_close(st);
	/* The roll-ups hold far fewer rows than the detail. */
	assert_true(count_rows(t->path, "SELECT count(*) FROM findings_month")
	    < count_rows(t->path, "SELECT count(*) FROM findings") / 10);
	assert_true(count_rows(t->path, "SELECT count(*) FROM device_days") >
	    0);

	periods[np][0] = STORE_TIME_MIN, periods[np++][1] = STORE_TIME_MAX;
	/* Exactly February; January's end to March's start; one day. */
	periods[np][0] = (jan31 + 86400) * US;
	periods[np++][1] = (jan31 + 29 * 86400) * US;
	periods[np][0] = jan31 * US, periods[np++][1] = (jan31 + 30 * 86400) *
	    US;
	periods[np][0] = jan31 * US, periods[np++][1] = (jan31 + 86400) * US;
	periods[np][0] = (jan31 + 86400) * US;
	periods[np++][1] = STORE_TIME_MAX;
	periods[np][0] = STORE_TIME_MIN, periods[np++][1] = (jan31 + 86400) *
	    US;
	/* Nothing in it, before the data. */
	periods[np][0] = 0, periods[np++][1] = t0 * US;
	while (np < nitems(periods)) {
		k = (int)rnd32(3);
		ts = t0 - 5 * 86400 + (int64_t)rnd32(120 * 86400);
		span = 1 + (int64_t)rnd32(100 * 86400);
		if (k == 0) {		/* whole days */
			ts -= ts % 86400;
			span += 86400 - span % 86400;
		}
		periods[np][0] = ts * US + (k == 2 ? rnd32(1000000) : 0);
		periods[np++][1] = (ts + span) * US;
	}
	/*
	 * Round 0 reads the roll-ups the writes made; round 1 the ones
	 * migration 5 -> 6 fills from the detail, after a downgrade.
	 */
	for (round = 0; round < 2; round++) {
		if (round == 1) {
			assert_int_equal(sqlite3_open(t->path, &db),
			    SQLITE_OK);
			assert_int_equal(sqlite3_exec(db, "DROP TABLE"
			    " findings_month; DROP TABLE findings_day;"
			    " DROP TABLE unclassified_month; DROP TABLE"
			    " destinations_month; DROP TABLE destinations_day;"
			    " DROP TABLE device_days; DROP TABLE"
			    " reliability_hour; DROP TABLE lookups;"
			    " DROP TABLE inventory;"
			    " ALTER TABLE runs DROP COLUMN bad_time;"
			    " DROP INDEX runs_fingerprint;"
			    " ALTER TABLE runs DROP COLUMN fingerprint;"
			    " ALTER TABLE runs DROP COLUMN"
			    " status; ALTER TABLE runs DROP COLUMN"
			    " status_reason; ALTER TABLE runs DROP COLUMN"
			    " read_error; PRAGMA user_version = 5;",
			    NULL, NULL, NULL), SQLITE_OK);
			sqlite3_close(db);
			store_close(open_ok(t->path, 0));
		}
		assert_true(count_rows(t->path, "SELECT count(*) FROM"
		    " reliability_hour") < count_rows(t->path,
		    "SELECT count(*) FROM reliability"));
		ro = open_ok(t->path, STORE_RDONLY);
		det = open_ok(t->path, STORE_RDONLY | STORE_NO_ROLLUP);
		for (i = 0; i < np; i++) {
			dump_period(ro, periods[i][0], periods[i][1], &a);
			dump_period(det, periods[i][0], periods[i][1], &b);
			if (strcmp(a.buf, b.buf) != 0)
				print_error("round %d, period %zu [%lld, %lld)"
				    "\n", round, i, LL(periods[i][0]),
				    LL(periods[i][1]));
			assert_string_equal(a.buf, b.buf);
		}
		store_close(det);
		store_close(ro);
	}
}

/* Migration 5 -> 6 fills the roll-ups from the rows already there. */
static void
test_migrate_rollup(void **state)
{
	struct tmpdb *t = *state;
	struct store *st, *ro, *det;
	static struct dump a, b;
	static const int64_t p[][2] = {
		{ STORE_TIME_MIN, STORE_TIME_MAX },
		{ 0, 2 * 86400 * US },
		{ 86400 * US, 40 * 86400 * US },
	};
	size_t i;
	sqlite3 *db;

	make_old(t->path, 3);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO unclassified VALUES"
	    " ('10.0.0.1', 'odd.example', 86400, 3600, 2, 10, 20,"
	    " 86400000000, 86400000001)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = open_ok(t->path, 0);
	store_close(st);
	assert_true(count_rows(t->path, "SELECT count(*) FROM findings_month")
	    > 0);
	assert_int_equal(count_rows(t->path, "SELECT sum(flows) FROM"
	    " findings_month"), count_rows(t->path, "SELECT sum(flows) FROM"
	    " findings"));
	assert_int_equal(count_rows(t->path, "SELECT sum(flows) FROM"
	    " findings_day"), count_rows(t->path, "SELECT sum(flows) FROM"
	    " findings"));
	assert_true(count_rows(t->path, "SELECT count(*) FROM"
	    " destinations_day") > 0);
	assert_true(count_rows(t->path, "SELECT count(*) FROM"
	    " unclassified_month") > 0);
	assert_true(count_rows(t->path, "SELECT count(*) FROM device_days") >
	    0);
	ro = open_ok(t->path, STORE_RDONLY);
	det = open_ok(t->path, STORE_RDONLY | STORE_NO_ROLLUP);
	for (i = 0; i < nitems(p); i++) {
		dump_period(ro, p[i][0], p[i][1], &a);
		dump_period(det, p[i][0], p[i][1], &b);
		assert_string_equal(a.buf, b.buf);
	}
	store_close(det);
	store_close(ro);
}

/* The roll-ups' month: the civil calendar, leap years, before 1970. */
static void
test_month_start(void **state)
{
	static const char *const days[][2] = {
		{ "1970-01-01", "1970-01-01" },
		{ "1970-01-31", "1970-01-01" },
		{ "2024-02-29", "2024-02-01" },
		{ "2024-03-01", "2024-03-01" },
		{ "2100-02-28", "2100-02-01" },
		{ "2000-12-31", "2000-12-01" },
		{ "9999-12-31", "9999-12-01" },
	};
	int64_t a, b;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(days); i++) {
		assert_int_equal(util_parse_date(days[i][0], &a), 0);
		assert_int_equal(util_parse_date(days[i][1], &b), 0);
		assert_int_equal(util_month_start(a / 86400), b / 86400);
	}
	/* 1969-12-31, 1969-12-01 and 1969-11-30 (November: 30 days). */
	assert_int_equal(util_month_start(-1), -31);
	assert_int_equal(util_month_start(-31), -31);
	assert_int_equal(util_month_start(-32), -61);
}

struct exp {
	int	n;
	int	creds;
	char	sensors[64];
	char	devices[256];
};

static int
exp_row(void *arg, const struct store_export_row *r)
{
	struct exp *e = arg;

	e->n++;
	if (strcmp(r->type, "credential") == 0)
		e->creds++;
	if (strstr(e->sensors, r->sensor) == NULL) {
		strlcat(e->sensors, r->sensor, sizeof(e->sensors));
		strlcat(e->sensors, ",", sizeof(e->sensors));
	}
	strlcat(e->devices, r->device, sizeof(e->devices));
	strlcat(e->devices, ",", sizeof(e->devices));
	return 0;
}

/* Two sensors' files, one of version 1: merged, each row keeps its sensor. */
static void
test_merge_export(void **state)
{
	struct tmpdb *t = *state;
	struct store_totals tot;
	struct credential c;
	struct store *st;
	struct exp e;
	char other[160], err[512];
	const char *paths[2];
	int64_t run;
	struct run_info ri = { "eth0", NULL, NULL, NULL };

	st = open_ok(t->path, STORE_CREATE);
	assert_int_equal(store_set_sensor(st, "hq"), 0);
	assert_int_equal(store_run_begin(st, &ri, &run), 0);
	hourly(st, "10.0.0.1", 86400, 1, VERDICT_UNSANCTIONED);
	memset(&c, 0, sizeof(c));
	strlcpy(c.device, "10.0.0.1", sizeof(c.device));
	strlcpy(c.proto, "ftp", sizeof(c.proto));
	strlcpy(c.server, "192.0.2.1", sizeof(c.server));
	strlcpy(c.user, "alice", sizeof(c.user));
	c.count = 1;
	c.first_us = 86400 * US;
	assert_int_equal(store_add_credential(st, &c), 0);
	store_close(st);
	snprintf(other, sizeof(other), "%s/junk", t->dir);
	make_old(other, 1);

	paths[0] = t->path;
	paths[1] = other;
	st = store_open_many(paths, 2, err, sizeof(err));
	if (st == NULL)
		print_error("%s\n", err);
	assert_non_null(st);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN, STORE_TIME_MAX,
	    &tot), 0);
	/* The same 10.0.0.1 at two sites is two devices. */
	assert_int_equal(tot.devices, 2);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_export(st, STORE_TIME_MIN, exp_row, &e), 0);
	assert_int_equal(e.n, 4);
	assert_int_equal(e.creds, 1);
	assert_non_null(strstr(e.sensors, "hq,"));
	assert_non_null(strstr(e.sensors, "junk,"));
	assert_null(strchr(e.devices, '/'));
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_export(st, 86400 * US + 1, exp_row, &e), 0);
	assert_int_equal(e.n, 0);
	store_close(st);

	/* A bad file among them is named. */
	paths[1] = "/nonexistent/x.db";
	assert_null(store_open_many(paths, 2, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/x.db: cannot open"));
	unlink(other);
}

/* Another process holds the write lock: a clear error, no hang. */
static void
test_locked(void **state)
{
	struct tmpdb *t = *state;
	struct store *st;
	sqlite3 *db;
	char err[512];

	st = open_ok(t->path, STORE_CREATE);
	store_close(st);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1;"
	    " BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	assert_null(store_open(t->path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, t->path));
	assert_non_null(strstr(err, "locked"));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}

static void
test_readonly_file(void **state)
{
	struct tmpdb *t = *state;
	struct store *st;
	char err[512];

	if (geteuid() == 0)
		skip();
	st = open_ok(t->path, STORE_CREATE);
	store_close(st);
	assert_int_equal(chmod(t->path, 0444), 0);
	assert_null(store_open(t->path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, t->path));
	assert_non_null(strstr(err, "read-only"));
	/* Reading still works. */
	st = open_ok(t->path, STORE_RDONLY);
	store_close(st);
	chmod(t->path, 0644);
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
		cmocka_unit_test_setup_teardown(test_migrate_v1, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v2, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v3, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test(test_month_start),
		cmocka_unit_test_setup_teardown(test_rollup_same, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_rollup, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_merge_export, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
