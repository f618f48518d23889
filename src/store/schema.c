/* SPDX-License-Identifier: ISC */
/*
 * schema.c: the findings database's schema. It is versioned with
 * PRAGMA user_version and only ever migrated forward (migration[]); a
 * database written by a newer shadowtap is refused rather than guessed at.
 * A read-only handle on an older file reads through TEMP views shaped like
 * the current tables. Also the store's own SQL function, shadowtap_month().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>

#include "base/log.h"
#include "store/store.h"
#include "store/store_int.h"

/* "STAP": marks the file as ours (PRAGMA application_id). */
#define STORE_APP_ID		0x53544150

/* SQL shadowtap_month(us): month_floor_us(), NULL out of range. */
static void
sql_month(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t us;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
		sqlite3_result_null(ctx);
		return;
	}
	us = sqlite3_value_int64(argv[0]);
	if (us < 0 || us >= ROLLUP_END_US)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, month_floor_us(us));
}

/* The counters of a network-health row (schema 5), as column definitions. */
#define REL_COUNT_COLUMNS							\
	" dns_queries INTEGER NOT NULL DEFAULT 0,"		\
	" dns_timeouts INTEGER NOT NULL DEFAULT 0,"		\
	" dns_servfail INTEGER NOT NULL DEFAULT 0,"		\
	" dns_refused INTEGER NOT NULL DEFAULT 0,"		\
	" dns_answered INTEGER NOT NULL DEFAULT 0,"		\
	" dns_rtt_ms INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_attempts INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_unanswered INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_reset INTEGER NOT NULL DEFAULT 0,"			\
	" tcp_cut INTEGER NOT NULL DEFAULT 0,"			\
	" dhcp_discover INTEGER NOT NULL DEFAULT 0,"		\
	" dhcp_offer INTEGER NOT NULL DEFAULT 0,"		\
	" dhcp_request INTEGER NOT NULL DEFAULT 0,"		\
	" dhcp_nak INTEGER NOT NULL DEFAULT 0,"			\
	" tcp_handshakes INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_hs_server_us INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_hs_client_us INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_packets INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_retrans INTEGER NOT NULL DEFAULT 0,"		\
	" tcp_ooo INTEGER NOT NULL DEFAULT 0,"			\
	" dns_slow INTEGER NOT NULL DEFAULT 0,"

/*
 * The roll-up tables of findings and destinations, one per level (k is
 * month_us or day_us, the level's first microsecond), and how schema 6
 * fills them from the detail rows. write.c has the upsert every later
 * write makes.
 */
#define FINDINGS_ROLLUP(t, k)						\
	"CREATE TABLE " t " ("						\
	" " k " INTEGER NOT NULL,"					\
	" device TEXT NOT NULL,"					\
	" service TEXT NOT NULL,"					\
	" verdict TEXT NOT NULL,"					\
	" category TEXT NOT NULL,"					\
	" department TEXT NOT NULL,"					\
	" ip TEXT NOT NULL,"						\
	" mac TEXT NOT NULL,"						\
	" flows INTEGER NOT NULL,"					\
	" bytes_up INTEGER NOT NULL,"					\
	" bytes_down INTEGER NOT NULL,"					\
	" first_us INTEGER NOT NULL,"					\
	" last_us INTEGER NOT NULL,"					\
	" PRIMARY KEY (" k ", device, service, verdict, category,"	\
	"  department)) WITHOUT ROWID;"
#define FINDINGS_ROLLUP_FILL						\
	" device, service, verdict, category, department, max(ip),"	\
	" max(mac), sum(flows), sum(bytes_up), sum(bytes_down),"	\
	" min(first_us), max(last_us) FROM findings"			\
	" WHERE shadowtap_month(first_us) IS NOT NULL"			\
	" GROUP BY m, device, service, verdict, category, department;"
#define DESTINATIONS_ROLLUP(t, k)					\
	"CREATE TABLE " t " ("						\
	" " k " INTEGER NOT NULL,"					\
	" country TEXT NOT NULL,"					\
	" asn INTEGER NOT NULL,"					\
	" device TEXT NOT NULL,"					\
	" flows INTEGER NOT NULL,"					\
	" bytes_up INTEGER NOT NULL,"					\
	" bytes_down INTEGER NOT NULL,"					\
	" PRIMARY KEY (" k ", country, asn, device)) WITHOUT ROWID;"
#define DESTINATIONS_ROLLUP_FILL					\
	" country, asn, device, sum(flows), sum(bytes_up),"		\
	" sum(bytes_down) FROM destinations"				\
	" WHERE shadowtap_month(first_us) IS NOT NULL"			\
	" GROUP BY m, country, asn, device;"

/*
 * Schema 9's roll-ups of findings: FINDINGS_ROLLUP with the instance in
 * the key, filled from the schema 8 table of the same name (t_old). The
 * instance is not the last column: SQLite 3.40's integrity_check reports
 * false NULLs in a WITHOUT ROWID table whose last column is in the key.
 */
#define FINDINGS_ROLLUP9(t, k)						\
	"ALTER TABLE " t " RENAME TO " t "_old;"			\
	"CREATE TABLE " t " ("						\
	" " k " INTEGER NOT NULL,"					\
	" device TEXT NOT NULL,"					\
	" service TEXT NOT NULL,"					\
	" instance TEXT NOT NULL DEFAULT '',"				\
	" verdict TEXT NOT NULL,"					\
	" category TEXT NOT NULL,"					\
	" department TEXT NOT NULL,"					\
	" ip TEXT NOT NULL,"						\
	" mac TEXT NOT NULL,"						\
	" flows INTEGER NOT NULL,"					\
	" bytes_up INTEGER NOT NULL,"					\
	" bytes_down INTEGER NOT NULL,"					\
	" first_us INTEGER NOT NULL,"					\
	" last_us INTEGER NOT NULL,"					\
	" PRIMARY KEY (" k ", device, service, instance, verdict,"	\
	"  category, department)) WITHOUT ROWID;"			\
	"INSERT INTO " t " SELECT " k ", device, service, '', verdict,"	\
	" category, department, ip, mac, flows, bytes_up, bytes_down,"	\
	" first_us, last_us FROM " t "_old;"				\
	"DROP TABLE " t "_old;"

/*
 * Schema migrations: migration[i] takes user_version i to i + 1. Append,
 * never edit: a released step has already run on somebody's database.
 */
static const char *const migration[] = {
	/* 0 -> 1 */
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" started_at TEXT NOT NULL,"
	" finished_at TEXT,"
	" source TEXT NOT NULL,"
	" filter TEXT,"
	" rules TEXT,"
	" packets INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0,"
	" flows INTEGER NOT NULL DEFAULT 0,"
	" kernel_drops INTEGER NOT NULL DEFAULT 0,"
	" decode_errors INTEGER NOT NULL DEFAULT 0,"
	" first_ts INTEGER,"
	" last_ts INTEGER);"
	"CREATE TABLE services ("
	" id TEXT PRIMARY KEY NOT NULL,"
	" name TEXT NOT NULL,"
	" category TEXT NOT NULL DEFAULT '',"
	" risk TEXT,"
	" verdict TEXT NOT NULL CHECK (verdict IN ('unclassified',"
	"  'sanctioned', 'tolerated', 'unsanctioned')));"
	"CREATE TABLE findings ("
	" device TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" mac TEXT NOT NULL DEFAULT '',"
	" service TEXT NOT NULL REFERENCES services(id),"
	" category TEXT NOT NULL DEFAULT '',"
	" verdict TEXT NOT NULL CHECK (verdict IN ('unclassified',"
	"  'sanctioned', 'tolerated', 'unsanctioned')),"
	" bucket INTEGER NOT NULL,"
	" window_s INTEGER NOT NULL CHECK (window_s > 0),"
	" flows INTEGER NOT NULL,"
	" bytes_up INTEGER NOT NULL,"
	" bytes_down INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, service, bucket)) WITHOUT ROWID;"
	"CREATE INDEX findings_first ON findings(first_us);"
	"CREATE INDEX findings_service ON findings(service);"
	"CREATE TABLE unclassified ("
	" device TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" bucket INTEGER NOT NULL,"
	" window_s INTEGER NOT NULL CHECK (window_s > 0),"
	" flows INTEGER NOT NULL,"
	" bytes_up INTEGER NOT NULL,"
	" bytes_down INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, name, bucket)) WITHOUT ROWID;"
	"CREATE INDEX unclassified_first ON unclassified(first_us);"
	"CREATE INDEX runs_span ON runs(first_ts, last_ts);",
	/* 1 -> 2: keys the database keeps for itself (--pseudonymize). */
	"CREATE TABLE secrets ("
	" name TEXT PRIMARY KEY NOT NULL,"
	" value BLOB NOT NULL) WITHOUT ROWID;",
	/*
	 * 2 -> 3: sensors, devices and their history, evidence on findings,
	 * destinations by country and AS, clear-text log-ins, capture health
	 * and what a run could not write. Old rows keep their IP device keys.
	 */
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
	"CREATE INDEX unclassified_name ON unclassified(name);",
	/*
	 * 3 -> 4: covering indexes for the summary, whose every query scans
	 * a period of first_us and reads a few columns: with them SQLite
	 * reads the index alone instead of looking up each row in the table.
	 * Each replaces the first_us index it starts with. The partial one
	 * serves the queries that only want unsanctioned use (under 1 % of
	 * the benchmark's hourly rows). And the names of AS numbers, for
	 * "where data goes".
	 */
	"DROP INDEX IF EXISTS findings_first;"
	"CREATE INDEX findings_period ON findings(first_us, verdict, service,"
	" device, category, flows, bytes_up, bytes_down, last_us, department);"
	"CREATE INDEX findings_unsanctioned ON findings(first_us, device,"
	" service, category, flows, bytes_up, bytes_down, last_us, ip, mac,"
	" verdict) WHERE verdict = 'unsanctioned';"
	"DROP INDEX IF EXISTS unclassified_first;"
	"CREATE INDEX unclassified_period ON unclassified(first_us, name,"
	" device, flows, bytes_up, bytes_down, last_us);"
	"DROP INDEX IF EXISTS destinations_first;"
	"CREATE INDEX destinations_period ON destinations(first_us, country,"
	" asn, device, flows, bytes_up, bytes_down);"
	"CREATE TABLE as_names ("
	" asn INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL);",
	/*
	 * 4 -> 5: network health per interval, segment and device (the
	 * summary's "Reliability"). Counts add up across runs.
	 */
	"CREATE TABLE reliability ("
	" start_us INTEGER NOT NULL,"
	" interval_s INTEGER NOT NULL CHECK (interval_s > 0),"
	" segment TEXT NOT NULL,"
	" device TEXT NOT NULL,"
	" ip TEXT NOT NULL DEFAULT '',"
	REL_COUNT_COLUMNS
	" PRIMARY KEY (start_us, segment, device)) WITHOUT ROWID;",
	/*
	 * 5 -> 6: roll-ups the summary reads instead of every hourly row:
	 * whole UTC months from the *_month tables, whole days from the
	 * *_day tables (unclassified names only by month: a name is seldom
	 * seen in two hours of a day), device_days for the daily trend and
	 * reliability_hour for network health per segment and hour.
	 * Each write adds to them beside its detail row from then on. They
	 * keep every column a summary groups or counts by, so they answer
	 * exactly what the detail rows would. shadowtap_month() is the
	 * store's own SQL function: the month's first microsecond, NULL out
	 * of the roll-ups' range.
	 */
	FINDINGS_ROLLUP("findings_month", "month_us")
	FINDINGS_ROLLUP("findings_day", "day_us")
	"INSERT INTO findings_month SELECT shadowtap_month(first_us) AS m,"
	FINDINGS_ROLLUP_FILL
	"INSERT INTO findings_day SELECT first_us / 86400000000 * 86400000000"
	" AS m," FINDINGS_ROLLUP_FILL
	"CREATE TABLE unclassified_month ("
	" month_us INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" device TEXT NOT NULL,"
	" flows INTEGER NOT NULL,"
	" bytes_up INTEGER NOT NULL,"
	" bytes_down INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (month_us, name, device)) WITHOUT ROWID;"
	"INSERT INTO unclassified_month SELECT shadowtap_month(first_us) AS m,"
	" name, device, sum(flows), sum(bytes_up), sum(bytes_down),"
	" min(first_us), max(last_us) FROM unclassified"
	" WHERE shadowtap_month(first_us) IS NOT NULL"
	" GROUP BY m, name, device;"
	DESTINATIONS_ROLLUP("destinations_month", "month_us")
	DESTINATIONS_ROLLUP("destinations_day", "day_us")
	"INSERT INTO destinations_month SELECT shadowtap_month(first_us) AS m,"
	DESTINATIONS_ROLLUP_FILL
	"INSERT INTO destinations_day SELECT first_us / 86400000000"
	" * 86400000000 AS m," DESTINATIONS_ROLLUP_FILL
	"CREATE TABLE device_days ("
	" day INTEGER NOT NULL,"
	" device TEXT NOT NULL,"
	" unsanctioned INTEGER NOT NULL,"
	" bytes_unsanctioned INTEGER NOT NULL,"
	" bytes_other INTEGER NOT NULL,"
	" PRIMARY KEY (day, device)) WITHOUT ROWID;"
	"INSERT INTO device_days SELECT first_us / 86400000000 AS d, device,"
	" sum(verdict = 'unsanctioned'),"
	" sum(CASE WHEN verdict = 'unsanctioned' THEN bytes_up + bytes_down"
	"  ELSE 0 END),"
	" sum(CASE WHEN verdict <> 'unsanctioned' THEN bytes_up + bytes_down"
	"  ELSE 0 END)"
	" FROM findings WHERE shadowtap_month(first_us) IS NOT NULL"
	" GROUP BY d, device;"
	/* Network health per segment and hour, all the analysis reads. */
	"CREATE TABLE reliability_hour ("
	" hour_us INTEGER NOT NULL,"
	" segment TEXT NOT NULL,"
	REL_COUNT_COLUMNS
	" PRIMARY KEY (hour_us, segment)) WITHOUT ROWID;"
	"INSERT INTO reliability_hour SELECT start_us / 3600000000"
	" * 3600000000 AS h, segment,"
	" sum(dns_queries), sum(dns_timeouts), sum(dns_servfail),"
	" sum(dns_refused), sum(dns_answered), sum(dns_rtt_ms),"
	" sum(tcp_attempts), sum(tcp_unanswered), sum(tcp_reset),"
	" sum(tcp_cut), sum(dhcp_discover), sum(dhcp_offer),"
	" sum(dhcp_request), sum(dhcp_nak), sum(tcp_handshakes),"
	" sum(tcp_hs_server_us), sum(tcp_hs_client_us), sum(tcp_packets),"
	" sum(tcp_retrans), sum(tcp_ooo), sum(dns_slow)"
	" FROM reliability WHERE start_us >= 0 GROUP BY h, segment;",
	/*
	 * 6 -> 7: what a capture file run read (size and hash of its first
	 * MiB, from shadowtap capture), so that reading it again is noticed
	 * before it doubles every count. NULL for live captures.
	 */
	"ALTER TABLE runs ADD COLUMN fingerprint TEXT;"
	"CREATE INDEX runs_fingerprint ON runs(fingerprint)"
	" WHERE fingerprint IS NOT NULL;",
	/*
	 * 7 -> 8: how a run ended. 'running' until its end is recorded
	 * (also a run killed before it could be: kill -9, power loss),
	 * 'finished', or 'failed' when the parser died or broke the
	 * protocol (status_reason says how); read_error when a capture file
	 * was cut off. Runs that ended before this version ended finished.
	 */
	"ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running'"
	" CHECK (status IN ('running', 'finished', 'failed'));"
	"ALTER TABLE runs ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE runs ADD COLUMN read_error INTEGER NOT NULL DEFAULT 0;"
	"UPDATE runs SET status = 'finished' WHERE finished_at IS NOT NULL;",
	/*
	 * 8 -> 9: the instance of a service (tenant, bucket, account) a
	 * finding is about: another organisation's tenant of a sanctioned
	 * service is a finding of its own, so the instance joins the keys
	 * of findings and their roll-ups. SQLite cannot change a primary
	 * key: each table is copied into a new one ('' for old rows).
	 */
	"ALTER TABLE findings RENAME TO findings_old;"
	"CREATE TABLE findings ("
	" device TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" mac TEXT NOT NULL DEFAULT '',"
	" service TEXT NOT NULL REFERENCES services(id),"
	" instance TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL DEFAULT '',"
	" verdict TEXT NOT NULL CHECK (verdict IN ('unclassified',"
	"  'sanctioned', 'tolerated', 'unsanctioned')),"
	" bucket INTEGER NOT NULL,"
	" window_s INTEGER NOT NULL CHECK (window_s > 0),"
	" flows INTEGER NOT NULL,"
	" bytes_up INTEGER NOT NULL,"
	" bytes_down INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" evidence TEXT NOT NULL DEFAULT '',"
	" confidence INTEGER NOT NULL DEFAULT 0,"
	" department TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (device, service, instance, bucket)) WITHOUT ROWID;"
	"INSERT INTO findings SELECT device, ip, mac, service, '', category,"
	" verdict, bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	" last_us, evidence, confidence, department FROM findings_old;"
	"DROP TABLE findings_old;"
	"CREATE INDEX findings_service ON findings(service);"
	"CREATE INDEX findings_period ON findings(first_us, verdict, service,"
	" device, category, flows, bytes_up, bytes_down, last_us, department,"
	" instance);"
	"CREATE INDEX findings_unsanctioned ON findings(first_us, device,"
	" service, category, flows, bytes_up, bytes_down, last_us, ip, mac,"
	" verdict, instance) WHERE verdict = 'unsanctioned';"
	FINDINGS_ROLLUP9("findings_month", "month_us")
	FINDINGS_ROLLUP9("findings_day", "day_us"),
	/*
	 * 9 -> 10: DNS lookups of a service's names, which are not use; the
	 * device inventory; packets with implausible times per run.
	 */
	"CREATE TABLE lookups ("
	" device TEXT NOT NULL,"
	" service TEXT NOT NULL,"
	" bucket INTEGER NOT NULL,"
	" window_s INTEGER NOT NULL CHECK (window_s > 0),"
	" lookups INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL,"
	" last_us INTEGER NOT NULL,"
	" PRIMARY KEY (device, service, bucket)) WITHOUT ROWID;"
	"CREATE INDEX lookups_period ON lookups(first_us, service, device,"
	" lookups);"
	/* The device inventory `db import devices` loads (replaced whole). */
	"CREATE TABLE inventory ("
	" line INTEGER PRIMARY KEY,"
	" match TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" owner TEXT NOT NULL,"
	" department TEXT NOT NULL,"
	" asset TEXT NOT NULL);"
	/* Packets dated before 2000 or ahead of the clock, per run. */
	"ALTER TABLE runs ADD COLUMN bad_time INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 10 -> 11: the summary's use classification (query.c ST_USE_WIDE)
	 * counts each (device, service)'s days over a long period from the
	 * day roll-ups in this order, with no sort.
	 */
	"CREATE INDEX findings_day_use ON findings_day(service, instance,"
	" verdict, device, day_us, bytes_up);",
};

/* Read-only opens accept this version and newer: reads need nothing
 * that a later migration added, except where a function says so. */
#define STORE_READABLE_VERSION	1

/* Brings the schema from version cur up to STORE_SCHEMA_VERSION. */
static int
migrate(struct store *st, int64_t cur)
{
	char sql[64];
	int64_t v;

	if (store_exec(st, "BEGIN IMMEDIATE") == -1)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (store_exec_int(st, "PRAGMA user_version", &cur) == -1)
		goto fail;
	for (v = cur; v < STORE_SCHEMA_VERSION; v++) {
		if (store_exec(st, migration[v]) == -1)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if (store_exec(st, sql) == -1)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    STORE_APP_ID);
	if (store_exec(st, sql) == -1 || store_exec(st, "COMMIT") == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Checks that the file is ours and current, migrating it when allowed. */
int
schema_check(struct store *st)
{
	int64_t ver = 0, app = 0, ntables = 0;

	if (store_exec_int(st, "PRAGMA user_version", &ver) == -1 ||
	    store_exec_int(st, "PRAGMA application_id", &app) == -1)
		return -1;
	if (app != 0 && app != STORE_APP_ID) {
		store_seterr(st, "not a shadowtap database (application id %"
		    PRId64 ")", app);
		return -1;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		store_seterr(st, "database schema version %" PRId64 " is newer"
		    " than this shadowtap supports (%d)", ver,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	if (ver < 0) {
		store_seterr(st, "not a shadowtap database (schema version %"
		    PRId64 ")", ver);
		return -1;
	}
	st->version = ver;
	if (ver == STORE_SCHEMA_VERSION)
		return 0;
	/* A reader has no reason to refuse an older file it can read. */
	if (st->rdonly && ver >= STORE_READABLE_VERSION)
		return 0;
	if (store_exec_int(st, "SELECT count(*) FROM sqlite_master",
	    &ntables) == -1)
		return -1;
	if (ver == 0 && ntables > 0) {
		store_seterr(st, "not a shadowtap database (it has other"
		    " tables)");
		return -1;
	}
	if (st->rdonly) {
		if (ver == 0)
			store_seterr(st, "not a shadowtap database (empty)");
		else
			store_seterr(st, "database schema version %" PRId64
			    " needs an upgrade; run a capture on it first",
			    ver);
		return -1;
	}
	/* Filling schema 6's roll-ups reads every row: about a minute a
	 * year of 1,000 devices. Say so rather than look hung. */
	if (ver >= 1)
		log_info("%s: upgrading the database from schema %" PRId64
		    " to %d; a large file takes a minute or two", st->path, ver,
		    STORE_SCHEMA_VERSION);
	if (migrate(st, ver) == -1)
		return -1;
	st->version = STORE_SCHEMA_VERSION;
	return 0;
}

/* Empty stand-ins for the roll-up tables of schema 6. */
#define NO_ROLLUP_VIEWS							\
	"CREATE TEMP VIEW findings_month AS SELECT 0 AS month_us,"	\
	" '' AS device, '' AS service, '' AS verdict, '' AS category,"	\
	" '' AS department, '' AS ip, '' AS mac, 0 AS flows,"		\
	" 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us,"	\
	" '' AS instance WHERE 0;"					\
	"CREATE TEMP VIEW findings_day AS SELECT 0 AS day_us,"		\
	" '' AS device, '' AS service, '' AS verdict, '' AS category,"	\
	" '' AS department, '' AS ip, '' AS mac, 0 AS flows,"		\
	" 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us,"	\
	" '' AS instance WHERE 0;"					\
	"CREATE TEMP VIEW destinations_day AS SELECT 0 AS day_us,"	\
	" '' AS country, 0 AS asn, '' AS device, 0 AS flows,"		\
	" 0 AS bytes_up, 0 AS bytes_down WHERE 0;"			\
	"CREATE TEMP VIEW unclassified_month AS SELECT 0 AS month_us,"	\
	" '' AS name, '' AS device, 0 AS flows, 0 AS bytes_up,"	\
	" 0 AS bytes_down, 0 AS first_us, 0 AS last_us WHERE 0;"	\
	"CREATE TEMP VIEW destinations_month AS SELECT 0 AS month_us,"	\
	" '' AS country, 0 AS asn, '' AS device, 0 AS flows,"		\
	" 0 AS bytes_up, 0 AS bytes_down WHERE 0;"			\
	"CREATE TEMP VIEW device_days AS SELECT 0 AS day, '' AS device,"	\
	" 0 AS unsanctioned, 0 AS bytes_unsanctioned, 0 AS bytes_other"	\
	" WHERE 0;"

const char schema_no_rollup_views[] = NO_ROLLUP_VIEWS;

/*
 * A read-only handle on an older file reads through TEMP views named like
 * the tables a later schema added or widened (temp objects shadow main
 * ones), so every read query works unchanged: missing tables are empty
 * and missing columns read as '' or 0. Nothing is written to the file.
 */
int
schema_compat_views(struct store *st)
{
	if (st->version < 3 && store_exec(st,
	    "CREATE TEMP VIEW findings AS SELECT device, ip, mac, service,"
	    " category, verdict, bucket, window_s, flows, bytes_up, bytes_down,"
	    " first_us, last_us, '' AS evidence, 0 AS confidence,"
	    " '' AS department, '' AS instance FROM main.findings;"
	    "CREATE TEMP VIEW destinations AS SELECT '' AS device,"
	    " '' AS service, '' AS country, 0 AS asn, 0 AS bucket,"
	    " 1 AS window_s, 0 AS flows, 0 AS bytes_up, 0 AS bytes_down,"
	    " 0 AS first_us, 0 AS last_us WHERE 0;"
	    "CREATE TEMP VIEW credentials AS SELECT '' AS device, '' AS ip,"
	    " '' AS proto, '' AS server, '' AS user, 0 AS count,"
	    " 0 AS first_us, 0 AS last_us WHERE 0;") == -1)
		return -1;
	if (st->version < 3 && store_exec(st,
	    "CREATE TEMP VIEW devices AS SELECT '' AS device, '' AS mac,"
	    " '' AS ip, '' AS hostname WHERE 0;"
	    "CREATE TEMP VIEW device_names AS SELECT '' AS device,"
	    " '' AS hostname, 0 AS first_us, 0 AS last_us WHERE 0;") == -1)
		return -1;
	if (st->version < 4 && store_exec(st,
	    "CREATE TEMP VIEW as_names AS SELECT 0 AS asn, '' AS name"
	    " WHERE 0;") == -1)
		return -1;
	/* Without roll-ups every period is read from the detail rows. */
	if (st->version < 6 && store_exec(st, NO_ROLLUP_VIEWS) == -1)
		return -1;
	if (st->version < 10 && store_exec(st, SCHEMA_NO_LOOKUPS) == -1)
		return -1;
	if (st->version < 10) {
		char sql[640];

		snprintf(sql, sizeof(sql), "CREATE TEMP VIEW runs AS SELECT *,"
		    "%s%s 0 AS bad_time FROM main.runs;", st->version < 3 ?
		    " NULL AS sensor_id, 0 AS rows_dropped, 0 AS rows_unwritten,"
		    : "", st->version < 8 ? " CASE WHEN finished_at IS NULL"
		    " THEN 'running' ELSE 'finished' END AS status,"
		    " '' AS status_reason, 0 AS read_error," : "");
		if (store_exec(st, sql) == -1)
			return -1;
	}
	/* Before schema 9 no finding has an instance. */
	if (st->version >= 3 && st->version < 9 && store_exec(st,
	    "CREATE TEMP VIEW findings AS SELECT *, '' AS instance"
	    " FROM main.findings;") == -1)
		return -1;
	if (st->version >= 6 && st->version < 9 && store_exec(st,
	    "CREATE TEMP VIEW findings_month AS SELECT *, '' AS instance"
	    " FROM main.findings_month;"
	    "CREATE TEMP VIEW findings_day AS SELECT *, '' AS instance"
	    " FROM main.findings_day;") == -1)
		return -1;
	return 0;
}

int
schema_functions(struct store *st)
{
	if (sqlite3_create_function(st->db, "shadowtap_month", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    sql_month, NULL, NULL) != SQLITE_OK) {
		store_dberr(st, "functions");
		return -1;
	}
	return 0;
}
