/* SPDX-License-Identifier: ISC */
/*
 * store.c: the SQLite findings store. The schema is versioned with
 * PRAGMA user_version and only ever migrated forward; a database written by
 * a newer shadowtap is refused rather than guessed at. Every statement is
 * prepared once at open and reused. A read-only open never creates a file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <sqlite3.h>

#include "base/log.h"
#include "store/store.h"
#include "base/util.h"

/* The writer's page cache, in KiB (PRAGMA cache_size takes -KiB). */
#define STORE_WRITE_CACHE_KB	"65536"
/* "STAP": marks the file as ours (PRAGMA application_id). */
#define STORE_APP_ID		0x53544150
#define STORE_BUSY_MS		5000
#define STORE_ERR_LEN		320

#define DAY_US		86400000000LL
#define HOUR_US		3600000000LL
/* Roll-ups hold packet times from the epoch up to year 10000. */
#define ROLLUP_END_US	(253402300800LL * 1000000)

/* The first microsecond of the UTC month holding us (0 <= us < end). */
static int64_t
month_floor_us(int64_t us)
{
	return util_month_start(util_floor_div(us, DAY_US)) * DAY_US;
}

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
 * month_us or day_us, the level's first microsecond), how schema 6 fills
 * them from the detail rows, and the upsert every later write makes.
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
#define FINDINGS_ROLLUP_ADD(t, k)					\
	"INSERT INTO " t " (" k ", device, service, verdict, category,"	\
	" department, ip, mac, flows, bytes_up, bytes_down, first_us,"	\
	" last_us)"							\
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"	\
	" ON CONFLICT (" k ", device, service, verdict, category,"	\
	" department) DO UPDATE SET"					\
	" ip = max(ip, excluded.ip), mac = max(mac, excluded.mac),"	\
	" flows = flows + excluded.flows,"				\
	" bytes_up = bytes_up + excluded.bytes_up,"			\
	" bytes_down = bytes_down + excluded.bytes_down,"		\
	" first_us = min(first_us, excluded.first_us),"			\
	" last_us = max(last_us, excluded.last_us)"
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
#define DESTINATIONS_ROLLUP_ADD(t, k)					\
	"INSERT INTO " t " (" k ", country, asn, device, flows,"	\
	" bytes_up, bytes_down) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"	\
	" ON CONFLICT (" k ", country, asn, device) DO UPDATE SET"	\
	" flows = flows + excluded.flows,"				\
	" bytes_up = bytes_up + excluded.bytes_up,"			\
	" bytes_down = bytes_down + excluded.bytes_down"

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
};

/* Read-only opens accept this version and newer: reads need nothing
 * that a later migration added, except where a function says so. */
#define STORE_READABLE_VERSION	1

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_RUN_BEGIN,
	ST_RUN_END,
	ST_SERVICE,
	ST_SERVICE_STUB,
	ST_FINDING,
	ST_UNCLASSIFIED,
	ST_SENSOR,
	ST_SENSOR_ID,
	ST_DESTINATION,
	ST_AS_NAME,
	ST_CREDENTIAL,
	ST_DEVICE,
	ST_DEVICE_IP,
	ST_DEVICE_NAME,
	ST_HEALTH,
	ST_FINDING_MONTH,
	ST_FINDING_DAY,
	ST_DEVICE_DAY,
	ST_UNCL_MONTH,
	ST_DEST_MONTH,
	ST_DEST_DAY,
	ST_TOTALS,
	ST_UNCL_TOTALS,
	ST_SERVICES,
	ST_UNCL_TOP,
	ST_COVERAGE,
	ST_LAST,
	ST_CATEGORIES,
	ST_GROUP,
	ST_DAYS,
	ST_DEVICES,
	ST_COUNTRIES,
	ST_NETWORKS,
	ST_DEPARTMENTS,
	ST_CREDENTIALS,
	ST_CRED_TOTALS,
	ST_MAX
};

/* Statements that write are only prepared on read-write handles. */
#define ST_FIRST_READ	ST_TOTALS

/*
 * The rows of table t for a summary period [?1, ?2), from the coarsest
 * level that covers each part: the whole UTC months [?4, ?5) from
 * t_month, the other whole days [?6, ?4) and [?5, ?7) from t_day, the
 * rest from the detail rows (rollup_bounds() sets ?6 <= ?4 <= ?5 <= ?7,
 * all equal to ?2 when the period holds no whole day or the handle reads
 * detail only). c: the columns read, w: " AND ..." conditions on every
 * part. PERIOD_MONTHS() has no day level (unclassified names).
 */
#define PERIOD(t, c, w)							\
	"(SELECT " c " FROM " t " WHERE first_us >= ?1 AND first_us < ?6"	\
	w " UNION ALL SELECT " c " FROM " t "_day WHERE day_us >= ?6"	\
	" AND day_us < ?4" w " UNION ALL SELECT " c " FROM " t "_month"	\
	" WHERE month_us >= ?4 AND month_us < ?5" w " UNION ALL SELECT "	\
	c " FROM " t "_day WHERE day_us >= ?5 AND day_us < ?7" w		\
	" UNION ALL SELECT " c " FROM " t " WHERE first_us >= ?7"		\
	" AND first_us < ?2" w ")"
#define PERIOD_MONTHS(t, c, w)						\
	"(SELECT " c " FROM " t " WHERE first_us >= ?1 AND first_us < ?4"	\
	w " UNION ALL SELECT " c " FROM " t "_month WHERE month_us >= ?4"	\
	" AND month_us < ?5" w " UNION ALL SELECT " c " FROM " t		\
	" WHERE first_us >= ?5 AND first_us < ?2" w ")"

/* A finding as a row of device_days, for ST_DAYS. */
#define DAY_ROW								\
	"first_us / 86400000000 AS d, device, CASE WHEN verdict ="	\
	" 'unsanctioned' THEN bytes_up + bytes_down END AS ub,"		\
	" CASE WHEN verdict <> 'unsanctioned' THEN bytes_up + bytes_down"	\
	" END AS ob, verdict = 'unsanctioned' AS u"

static const char *const stmt_sql[ST_MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RUN_BEGIN] =
	    "INSERT INTO runs (started_at, source, filter, rules, sensor_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_RUN_END] =
	    "UPDATE runs SET finished_at = ?2, packets = ?3, bytes = ?4,"
	    " flows = ?5, kernel_drops = ?6, decode_errors = ?7,"
	    " first_ts = ?8, last_ts = ?9, rows_dropped = ?10,"
	    " rows_unwritten = ?11 WHERE id = ?1",
	[ST_SERVICE] =
	    "INSERT INTO services (id, name, category, risk, verdict)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	    " category = excluded.category, risk = excluded.risk,"
	    " verdict = excluded.verdict",
	/* Keeps the foreign key whole for ids the catalog no longer has. */
	[ST_SERVICE_STUB] =
	    "INSERT INTO services (id, name, category, verdict)"
	    " VALUES (?1, ?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
	[ST_FINDING] =
	    "INSERT INTO findings (device, ip, mac, service, category,"
	    " verdict, bucket, window_s, flows, bytes_up, bytes_down,"
	    " first_us, last_us, evidence, confidence, department)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16)"
	    " ON CONFLICT (device, service, bucket) DO UPDATE SET"
	    " ip = excluded.ip,"
	    " mac = CASE excluded.mac WHEN '' THEN mac ELSE excluded.mac END,"
	    " category = excluded.category, verdict = excluded.verdict,"
	    " evidence = CASE WHEN excluded.confidence >= confidence"
	    "  THEN excluded.evidence ELSE evidence END,"
	    " confidence = max(confidence, excluded.confidence),"
	    " department = CASE excluded.department WHEN '' THEN department"
	    "  ELSE excluded.department END,"
	    " flows = flows + excluded.flows,"
	    " bytes_up = bytes_up + excluded.bytes_up,"
	    " bytes_down = bytes_down + excluded.bytes_down,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_UNCLASSIFIED] =
	    "INSERT INTO unclassified (device, name, bucket, window_s, flows,"
	    " bytes_up, bytes_down, first_us, last_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	    " ON CONFLICT (device, name, bucket) DO UPDATE SET"
	    " flows = flows + excluded.flows,"
	    " bytes_up = bytes_up + excluded.bytes_up,"
	    " bytes_down = bytes_down + excluded.bytes_down,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_SENSOR] =
	    "INSERT INTO sensors (name, first_seen) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO NOTHING",
	[ST_SENSOR_ID] = "SELECT id FROM sensors WHERE name = ?1",
	[ST_DESTINATION] =
	    "INSERT INTO destinations (device, service, country, asn, bucket,"
	    " window_s, flows, bytes_up, bytes_down, first_us, last_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (device, service, country, asn, bucket) DO UPDATE SET"
	    " flows = flows + excluded.flows,"
	    " bytes_up = bytes_up + excluded.bytes_up,"
	    " bytes_down = bytes_down + excluded.bytes_down,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_AS_NAME] =
	    "INSERT INTO as_names (asn, name) VALUES (?1, ?2)"
	    " ON CONFLICT (asn) DO UPDATE SET name = excluded.name"
	    " WHERE name <> excluded.name",
	[ST_CREDENTIAL] =
	    "INSERT INTO credentials (device, ip, proto, server, user, count,"
	    " first_us, last_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (device, proto, server, user) DO UPDATE SET"
	    " ip = excluded.ip, count = count + excluded.count,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	/* The newest sighting's non-empty attributes win. */
	[ST_DEVICE] =
	    "INSERT INTO devices (device, mac, ip, hostname, vendor_class, prl,"
	    " first_us, last_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
	    " ON CONFLICT (device) DO UPDATE SET"
	    " mac = CASE WHEN excluded.mac <> '' AND excluded.last_us >= last_us"
	    "  THEN excluded.mac ELSE mac END,"
	    " ip = CASE WHEN excluded.ip <> '' AND excluded.last_us >= last_us"
	    "  THEN excluded.ip ELSE ip END,"
	    " hostname = CASE WHEN excluded.hostname <> ''"
	    "  AND excluded.last_us >= last_us"
	    "  THEN excluded.hostname ELSE hostname END,"
	    " vendor_class = CASE WHEN excluded.vendor_class <> ''"
	    "  AND excluded.last_us >= last_us"
	    "  THEN excluded.vendor_class ELSE vendor_class END,"
	    " prl = CASE WHEN excluded.prl <> '' AND excluded.last_us >= last_us"
	    "  THEN excluded.prl ELSE prl END,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_DEVICE_IP] =
	    "INSERT INTO device_ips (device, ip, first_us, last_us)"
	    " VALUES (?1, ?2, ?3, ?3) ON CONFLICT (device, ip) DO UPDATE SET"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_DEVICE_NAME] =
	    "INSERT INTO device_names (device, hostname, first_us, last_us)"
	    " VALUES (?1, ?2, ?3, ?3) ON CONFLICT (device, hostname) DO UPDATE"
	    " SET first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_HEALTH] =
	    "INSERT INTO health (run_id, start_us, interval_s, packets, drops,"
	    " decode_errors, dns_unanswered, tcp_failed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (run_id, start_us) DO UPDATE SET"
	    " interval_s = excluded.interval_s, packets = excluded.packets,"
	    " drops = excluded.drops, decode_errors = excluded.decode_errors,"
	    " dns_unanswered = excluded.dns_unanswered,"
	    " tcp_failed = excluded.tcp_failed",
	/* The roll-ups take each write's counts as they come. */
	[ST_FINDING_MONTH] = FINDINGS_ROLLUP_ADD("findings_month", "month_us"),
	[ST_FINDING_DAY] = FINDINGS_ROLLUP_ADD("findings_day", "day_us"),
	[ST_DEVICE_DAY] =
	    "INSERT INTO device_days (day, device, unsanctioned,"
	    " bytes_unsanctioned, bytes_other) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (day, device) DO UPDATE SET"
	    " unsanctioned = unsanctioned + excluded.unsanctioned,"
	    " bytes_unsanctioned = bytes_unsanctioned"
	    "  + excluded.bytes_unsanctioned,"
	    " bytes_other = bytes_other + excluded.bytes_other",
	[ST_UNCL_MONTH] =
	    "INSERT INTO unclassified_month (month_us, name, device, flows,"
	    " bytes_up, bytes_down, first_us, last_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (month_us, name, device) DO UPDATE SET"
	    " flows = flows + excluded.flows,"
	    " bytes_up = bytes_up + excluded.bytes_up,"
	    " bytes_down = bytes_down + excluded.bytes_down,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
	[ST_DEST_MONTH] =
	    DESTINATIONS_ROLLUP_ADD("destinations_month", "month_us"),
	[ST_DEST_DAY] = DESTINATIONS_ROLLUP_ADD("destinations_day", "day_us"),
	[ST_TOTALS] =
	    "SELECT count(DISTINCT f.device),"
	    " count(DISTINCT f.service || '/' || f.verdict),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN f.device END),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN f.service END),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN nullif(coalesce(s.category, f.category), '') END),"
	    " min(f.first_us), max(f.last_us), total(f.flows),"
	    " total(f.bytes_up) + total(f.bytes_down)"
	    " FROM " PERIOD("findings", "device, service, verdict, category,"
	    " flows, bytes_up, bytes_down, first_us, last_us", "") " f"
	    " LEFT JOIN services s ON s.id = f.service",
	[ST_UNCL_TOTALS] =
	    "SELECT count(DISTINCT name), total(flows),"
	    " total(bytes_up) + total(bytes_down), min(first_us), max(last_us)"
	    " FROM " PERIOD_MONTHS("unclassified", "name, flows, bytes_up,"
	    " bytes_down, first_us, last_us", ""),
	[ST_SERVICES] =
	    "SELECT f.service, coalesce(s.name, f.service),"
	    " coalesce(s.category, max(f.category)), f.verdict,"
	    " count(DISTINCT f.device), sum(f.flows), sum(f.bytes_up),"
	    " sum(f.bytes_down), min(f.first_us), max(f.last_us),"
	    " max(s.risk)"
	    " FROM " PERIOD("findings", "service, category, verdict, device,"
	    " flows, bytes_up, bytes_down, first_us, last_us", "") " f"
	    " LEFT JOIN services s ON s.id = f.service"
	    " GROUP BY f.service, f.verdict ORDER BY f.service, f.verdict",
	[ST_UNCL_TOP] =
	    "SELECT name, count(DISTINCT device) AS d, sum(flows) AS fl,"
	    " sum(bytes_up), sum(bytes_down), min(first_us), max(last_us)"
	    " FROM " PERIOD_MONTHS("unclassified", "name, device, flows,"
	    " bytes_up, bytes_down, first_us, last_us", "")
	    " GROUP BY name"
	    " ORDER BY d DESC, fl DESC, sum(bytes_up) + sum(bytes_down) DESC,"
	    " name ASC LIMIT ?3",
	[ST_COVERAGE] =
	    "SELECT count(*), total(finished_at IS NULL), total(packets),"
	    " total(bytes), total(flows), total(kernel_drops),"
	    " total(decode_errors), min(first_ts), max(last_ts)"
	    " FROM runs WHERE (first_ts IS NOT NULL AND last_ts >= ?1"
	    " AND first_ts < ?2)"
	    " OR (first_ts IS NULL AND ?1 = -9223372036854775807 - 1"
	    " AND ?2 = 9223372036854775807)",
	/* The month roll-ups hold every row with first_us in [?4, ?5). */
	[ST_LAST] =
	    "SELECT max(t) FROM (SELECT max(last_us) AS t FROM findings"
	    " WHERE first_us < ?4 OR first_us >= ?5"
	    " UNION ALL SELECT max(last_us) FROM findings_month"
	    " UNION ALL SELECT max(last_us) FROM unclassified"
	    " WHERE first_us < ?4 OR first_us >= ?5"
	    " UNION ALL SELECT max(last_us) FROM unclassified_month"
	    " UNION ALL SELECT max(last_ts) FROM runs)",
	[ST_CATEGORIES] =
	    "SELECT coalesce(nullif(s.category, ''), f.category) AS c,"
	    " count(DISTINCT f.device),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN f.device END),"
	    " count(DISTINCT CASE WHEN f.verdict <> 'sanctioned'"
	    "  THEN f.device END),"
	    " sum(f.flows), sum(f.bytes_up), sum(f.bytes_down)"
	    " FROM " PERIOD("findings", "service, category, verdict, device,"
	    " flows, bytes_up, bytes_down", "") " f"
	    " LEFT JOIN services s ON s.id = f.service"
	    " GROUP BY c ORDER BY c",
	[ST_GROUP] =
	    "SELECT count(DISTINCT f.device), count(DISTINCT f.service),"
	    " total(f.flows), total(f.bytes_up), total(f.bytes_down)"
	    " FROM " PERIOD("findings", "service, category, device, flows,"
	    " bytes_up, bytes_down", " AND verdict = 'unsanctioned'") " f"
	    " LEFT JOIN services s ON s.id = f.service"
	    " WHERE instr(?3, ',' || coalesce(nullif(s.category, ''),"
	    "  f.category) || ',') > 0",
	/* Whole days in [?6, ?7) from device_days, the rest from findings. */
	[ST_DAYS] =
	    "SELECT d, total(ub), total(ob),"
	    " count(DISTINCT CASE WHEN u THEN device END),"
	    " count(DISTINCT device) FROM"
	    " (SELECT " DAY_ROW " FROM findings WHERE first_us >= ?1"
	    "  AND first_us < ?6 AND first_us >= 0"
	    " UNION ALL SELECT day, device, bytes_unsanctioned, bytes_other,"
	    "  unsanctioned > 0 FROM device_days WHERE day >= ?6 / 86400000000"
	    "  AND day < ?7 / 86400000000"
	    " UNION ALL SELECT " DAY_ROW " FROM findings WHERE first_us >= ?7"
	    "  AND first_us < ?2 AND first_us >= 0)"
	    " GROUP BY d ORDER BY d",
	[ST_DEVICES] =
	    "SELECT device, max(ip), max(mac), count(DISTINCT service) AS n,"
	    " sum(flows), sum(bytes_up) AS up, sum(bytes_down),"
	    " min(first_us), max(last_us)"
	    " FROM " PERIOD("findings", "device, ip, mac, service, flows,"
	    " bytes_up, bytes_down, first_us, last_us",
	    " AND verdict = 'unsanctioned'")
	    " GROUP BY device ORDER BY n DESC, up DESC, device ASC LIMIT ?3",
	[ST_COUNTRIES] =
	    "SELECT country, count(DISTINCT device), sum(flows),"
	    " sum(bytes_up) AS up, sum(bytes_down) AS down"
	    " FROM " PERIOD("destinations", "country, device, flows, bytes_up,"
	    " bytes_down", "")
	    " GROUP BY country ORDER BY up + down DESC, country ASC LIMIT ?3",
	[ST_NETWORKS] =
	    "SELECT d.asn, coalesce(max(n.name), ''), count(DISTINCT d.device),"
	    " sum(d.flows), sum(d.bytes_up) AS up, sum(d.bytes_down) AS down"
	    " FROM " PERIOD("destinations", "asn, device, flows, bytes_up,"
	    " bytes_down", "") " d"
	    " LEFT JOIN as_names n ON n.asn = d.asn"
	    " GROUP BY d.asn ORDER BY up + down DESC, d.asn ASC LIMIT ?3",
	/* Nothing at all unless some finding of the period has one. */
	[ST_DEPARTMENTS] =
	    "SELECT department, count(DISTINCT device),"
	    " count(DISTINCT CASE WHEN verdict = 'unsanctioned'"
	    "  THEN device END),"
	    " count(DISTINCT CASE WHEN verdict = 'unsanctioned'"
	    "  THEN service END),"
	    " total(bytes_up),"
	    " total(CASE WHEN verdict = 'unsanctioned' THEN bytes_up END)"
	    " FROM " PERIOD("findings", "department, device, verdict, service,"
	    " bytes_up", "")
	    " WHERE EXISTS (SELECT 1 FROM " PERIOD("findings", "department",
	    " AND department <> ''") ")"
	    " GROUP BY department ORDER BY department",
	[ST_CREDENTIALS] =
	    "SELECT device, proto, server, user, count, first_us, last_us"
	    " FROM credentials WHERE last_us >= ?1 AND first_us < ?2"
	    " ORDER BY proto, server, user, device LIMIT ?3",
	[ST_CRED_TOTALS] =
	    "SELECT count(*), count(DISTINCT device), count(DISTINCT proto),"
	    " total(count), (SELECT group_concat(proto, ', ') FROM"
	    "  (SELECT DISTINCT proto FROM credentials WHERE last_us >= ?1"
	    "  AND first_us < ?2 ORDER BY proto))"
	    " FROM credentials WHERE last_us >= ?1 AND first_us < ?2",
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[ST_MAX];
	int		 rdonly;
	int		 in_tx;
	int		 ready;		/* schema checked: the file is ours */
	int		 merged;	/* store_open_many(): views over files */
	int		 rollup;	/* read whole days, months: roll-ups */
	int64_t		 version;	/* user_version as opened */
	int64_t		 sensor_id;	/* 0 until the first run */
	char		 sensor[256];	/* "" means the host name */
	char		 path[1024];
	char		 err[1024 + STORE_ERR_LEN + 8];
};

static void	 seterr(struct store *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
seterr(struct store *st, const char *fmt, ...)
{
	char msg[STORE_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(st->err, sizeof(st->err), "%s: %s", st->path, msg);
}

/* Records SQLite's reason for the last failure, in words a person can act on. */
static void
setdberr(struct store *st, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);

	/* Out of space while growing the WAL or -shm shows as an I/O error. */
	if ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(st->db) ==
	    ENOSPC)
		rc = SQLITE_FULL;
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		seterr(st, "not a shadowtap database, or it is corrupt (%s)",
		    sqlite3_errmsg(st->db));
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		seterr(st, "database is locked by another process (%s)",
		    what);
		break;
	case SQLITE_READONLY:
		seterr(st, "database is read-only (%s)", what);
		break;
	case SQLITE_FULL:
		seterr(st, "disk full (%s)", what);
		break;
	default:
		seterr(st, "%s: %s", what, sqlite3_errmsg(st->db));
		break;
	}
}

/* Runs one pragma or statement that returns at most one integer. */
static int
exec_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		setdberr(st, sql);
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		setdberr(st, sql);
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

static int
exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		setdberr(st, "schema");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Brings the schema from version cur up to STORE_SCHEMA_VERSION. */
static int
migrate(struct store *st, int64_t cur)
{
	char sql[64];
	int64_t v;

	if (exec_sql(st, "BEGIN IMMEDIATE") == -1)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (exec_int(st, "PRAGMA user_version", &cur) == -1)
		goto fail;
	for (v = cur; v < STORE_SCHEMA_VERSION; v++) {
		if (exec_sql(st, migration[v]) == -1)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if (exec_sql(st, sql) == -1)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    STORE_APP_ID);
	if (exec_sql(st, sql) == -1 || exec_sql(st, "COMMIT") == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Checks that the file is ours and current, migrating it when allowed. */
static int
check_schema(struct store *st)
{
	int64_t ver = 0, app = 0, ntables = 0;

	if (exec_int(st, "PRAGMA user_version", &ver) == -1 ||
	    exec_int(st, "PRAGMA application_id", &app) == -1)
		return -1;
	if (app != 0 && app != STORE_APP_ID) {
		seterr(st, "not a shadowtap database (application id %" PRId64
		    ")", app);
		return -1;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		seterr(st, "database schema version %" PRId64 " is newer than"
		    " this shadowtap supports (%d)", ver,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	if (ver < 0) {
		seterr(st, "not a shadowtap database (schema version %" PRId64
		    ")", ver);
		return -1;
	}
	st->version = ver;
	if (ver == STORE_SCHEMA_VERSION)
		return 0;
	/* A reader has no reason to refuse an older file it can read. */
	if (st->rdonly && ver >= STORE_READABLE_VERSION)
		return 0;
	if (exec_int(st, "SELECT count(*) FROM sqlite_master", &ntables) == -1)
		return -1;
	if (ver == 0 && ntables > 0) {
		seterr(st, "not a shadowtap database (it has other tables)");
		return -1;
	}
	if (st->rdonly) {
		if (ver == 0)
			seterr(st, "not a shadowtap database (empty)");
		else
			seterr(st, "database schema version %" PRId64 " needs"
			    " an upgrade; run a capture on it first", ver);
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
	" 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us"	\
	" WHERE 0;"							\
	"CREATE TEMP VIEW findings_day AS SELECT 0 AS day_us,"		\
	" '' AS device, '' AS service, '' AS verdict, '' AS category,"	\
	" '' AS department, '' AS ip, '' AS mac, 0 AS flows,"		\
	" 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us"	\
	" WHERE 0;"							\
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

/*
 * A read-only handle on an older file reads through TEMP views named like
 * the tables a later schema added or widened (temp objects shadow main
 * ones), so every read query works unchanged: missing tables are empty
 * and missing columns read as '' or 0. Nothing is written to the file.
 */
static int
compat_views(struct store *st)
{
	if (st->version < 3 && exec_sql(st,
	    "CREATE TEMP VIEW findings AS SELECT device, ip, mac, service,"
	    " category, verdict, bucket, window_s, flows, bytes_up, bytes_down,"
	    " first_us, last_us, '' AS evidence, 0 AS confidence,"
	    " '' AS department FROM main.findings;"
	    "CREATE TEMP VIEW destinations AS SELECT '' AS device,"
	    " '' AS service, '' AS country, 0 AS asn, 0 AS bucket,"
	    " 1 AS window_s, 0 AS flows, 0 AS bytes_up, 0 AS bytes_down,"
	    " 0 AS first_us, 0 AS last_us WHERE 0;"
	    "CREATE TEMP VIEW credentials AS SELECT '' AS device, '' AS ip,"
	    " '' AS proto, '' AS server, '' AS user, 0 AS count,"
	    " 0 AS first_us, 0 AS last_us WHERE 0;") == -1)
		return -1;
	if (st->version < 4 && exec_sql(st,
	    "CREATE TEMP VIEW as_names AS SELECT 0 AS asn, '' AS name"
	    " WHERE 0;") == -1)
		return -1;
	/* Without roll-ups every period is read from the detail rows. */
	if (st->version < 6 && exec_sql(st, NO_ROLLUP_VIEWS) == -1)
		return -1;
	return 0;
}

static int
add_functions(struct store *st)
{
	if (sqlite3_create_function(st->db, "shadowtap_month", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    sql_month, NULL, NULL) != SQLITE_OK) {
		setdberr(st, "functions");
		return -1;
	}
	return 0;
}

static int
prepare_all(struct store *st)
{
	int i;

	for (i = st->rdonly ? ST_FIRST_READ : 0; i < ST_MAX; i++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) !=
		    SQLITE_OK) {
			setdberr(st, "prepare");
			return -1;
		}
	}
	return 0;
}

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	struct store *st;
	struct stat sb;
	int oflags;

	st = xcalloc(1, sizeof(*st));
	strlcpy(st->path, path, sizeof(st->path));
	st->rdonly = (flags & STORE_RDONLY) != 0;

	/*
	 * SQLite's own message for a missing file is "unable to open database
	 * file"; say what is actually wrong, and never create the file unless
	 * asked to.
	 */
	if (!(flags & STORE_CREATE) || st->rdonly) {
		if (stat(path, &sb) == -1) {
			seterr(st, "cannot open database: %s%s",
			    strerror(errno), errno == ENOENT ?
			    " (run \"shadowtap capture\" first)" : "");
			goto fail;
		}
		if (!S_ISREG(sb.st_mode)) {
			seterr(st, "not a regular file");
			goto fail;
		}
	}
	if (st->rdonly)
		oflags = SQLITE_OPEN_READONLY;
	else if (flags & STORE_CREATE)
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else
		oflags = SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (st->db == NULL)
			seterr(st, "cannot open database: out of memory");
		else
			seterr(st, "cannot open database: %s",
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (add_functions(st) == -1)
		goto fail;

	if (check_schema(st) == -1)
		goto fail;
	if (!st->rdonly) {
		/* WAL lets a summary read while a capture writes. */
		if (exec_sql(st, "PRAGMA journal_mode = WAL") == -1 ||
		    exec_sql(st, "PRAGMA synchronous = NORMAL") == -1)
			goto fail;
		/*
		 * Upserts touch index pages all over the file; with SQLite's
		 * 2 MB default the writer re-read them with a pread(2) each
		 * (17,000 per million packets of the benchmark).
		 */
		if (exec_sql(st, "PRAGMA cache_size = -" STORE_WRITE_CACHE_KB)
		    == -1)
			goto fail;
	}
	if (exec_sql(st, "PRAGMA foreign_keys = ON") == -1)
		goto fail;
	if (st->rdonly && st->version < STORE_SCHEMA_VERSION &&
	    compat_views(st) == -1)
		goto fail;
	st->rollup = st->version >= 6 && !(flags & STORE_NO_ROLLUP);
	st->ready = 1;
	if (prepare_all(st) == -1)
		goto fail;
	return st;
fail:
	if (err != NULL && errlen > 0)
		strlcpy(err, st->err, errlen);
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	if (st->in_tx)
		store_commit(st);
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	/*
	 * Leave WAL mode when the last writer goes, so that a later read-only
	 * open finds a plain database and creates no -wal or -shm file. While
	 * other connections are open this fails harmlessly and WAL stays.
	 */
	if (!st->rdonly && st->ready)
		sqlite3_exec(st->db, "PRAGMA journal_mode = DELETE", NULL,
		    NULL, NULL);
	sqlite3_close(st->db);
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	return st->err;
}

/* Steps a write statement to completion and resets it. */
static int
step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc;

	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		setdberr(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
writable(struct store *st)
{
	if (st->rdonly) {
		seterr(st, "opened read-only");
		return 0;
	}
	return 1;
}

int
store_begin(struct store *st)
{
	if (!writable(st))
		return -1;
	if (st->in_tx) {
		seterr(st, "a transaction is already open");
		return -1;
	}
	if (step_done(st, st->stmt[ST_BEGIN], "begin") == -1)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st)
{
	if (!st->in_tx) {
		seterr(st, "no transaction to commit");
		return -1;
	}
	if (step_done(st, st->stmt[ST_COMMIT], "commit") == -1)
		return -1;
	st->in_tx = 0;
	return 0;
}

int
store_rollback(struct store *st)
{
	if (!st->in_tx)
		return 0;
	/* An error may already have rolled the transaction back. */
	if (sqlite3_get_autocommit(st->db)) {
		st->in_tx = 0;
		return 0;
	}
	if (step_done(st, st->stmt[ST_ROLLBACK], "rollback") == -1)
		return -1;
	st->in_tx = 0;
	return 0;
}

/* Counters are unsigned on our side and signed in SQLite; clamp. */
static sqlite3_int64
u64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int
store_set_sensor(struct store *st, const char *name)
{
	if (!writable(st))
		return -1;
	if (name == NULL || *name == '\0' ||
	    strlen(name) >= sizeof(st->sensor)) {
		seterr(st, "sensor name must be 1 to %zu bytes",
		    sizeof(st->sensor) - 1);
		return -1;
	}
	strlcpy(st->sensor, name, sizeof(st->sensor));
	st->sensor_id = 0;
	return 0;
}

/* Finds or makes the sensors row of this handle's sensor name. */
static int
sensor_id(struct store *st)
{
	sqlite3_stmt *s;
	char now[UTIL_TS_LEN];
	int rc;

	if (st->sensor[0] == '\0') {
		if (gethostname(st->sensor, sizeof(st->sensor) - 1) == -1 ||
		    st->sensor[0] == '\0')
			strlcpy(st->sensor, "localhost", sizeof(st->sensor));
		st->sensor[sizeof(st->sensor) - 1] = '\0';
	}
	s = st->stmt[ST_SENSOR];
	util_iso8601((int64_t)time(NULL) * 1000000, now, sizeof(now));
	bind_text(s, 1, st->sensor);
	bind_text(s, 2, now);
	if (step_done(st, s, "sensor") == -1)
		return -1;
	s = st->stmt[ST_SENSOR_ID];
	bind_text(s, 1, st->sensor);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		st->sensor_id = sqlite3_column_int64(s, 0);
	else
		setdberr(st, "sensor");
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_run_begin(struct store *st, const struct run_info *ri, int64_t *run_id)
{
	sqlite3_stmt *s;
	char now[UTIL_TS_LEN];

	if (!writable(st))
		return -1;
	if (st->sensor_id == 0 && sensor_id(st) == -1)
		return -1;
	s = st->stmt[ST_RUN_BEGIN];
	util_iso8601((int64_t)time(NULL) * 1000000, now, sizeof(now));
	bind_text(s, 1, now);
	bind_text(s, 2, ri->source != NULL ? ri->source : "");
	bind_text(s, 3, ri->filter);
	bind_text(s, 4, ri->rules);
	sqlite3_bind_int64(s, 5, st->sensor_id);
	if (step_done(st, s, "run begin") == -1)
		return -1;
	*run_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_run_end(struct store *st, int64_t run_id, const struct run_stats *rs)
{
	sqlite3_stmt *s;
	char now[UTIL_TS_LEN];

	if (!writable(st))
		return -1;
	s = st->stmt[ST_RUN_END];
	util_iso8601((int64_t)time(NULL) * 1000000, now, sizeof(now));
	sqlite3_bind_int64(s, 1, run_id);
	bind_text(s, 2, now);
	sqlite3_bind_int64(s, 3, u64(rs->packets));
	sqlite3_bind_int64(s, 4, u64(rs->bytes));
	sqlite3_bind_int64(s, 5, u64(rs->flows));
	sqlite3_bind_int64(s, 6, u64(rs->kernel_drops));
	sqlite3_bind_int64(s, 7, u64(rs->decode_errors));
	if (rs->packets > 0) {
		sqlite3_bind_int64(s, 8, rs->first_us);
		sqlite3_bind_int64(s, 9, rs->last_us);
	} else {
		sqlite3_bind_null(s, 8);
		sqlite3_bind_null(s, 9);
	}
	sqlite3_bind_int64(s, 10, u64(rs->rows_dropped));
	sqlite3_bind_int64(s, 11, u64(rs->rows_unwritten));
	if (step_done(st, s, "run end") == -1)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		seterr(st, "run end: no run %" PRId64, run_id);
		return -1;
	}
	return 0;
}

int
store_put_service(struct store *st, const char *id, const char *name,
    const char *category, const char *risk, enum verdict verdict)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	s = st->stmt[ST_SERVICE];
	bind_text(s, 1, id);
	bind_text(s, 2, name != NULL && *name != '\0' ? name : id);
	bind_text(s, 3, category != NULL ? category : "");
	bind_text(s, 4, risk);
	bind_text(s, 5, verdict_str(verdict));
	return step_done(st, s, "service");
}

/* Adds f's counts to its row of a findings roll-up starting at k_us. */
static int
add_finding_rollup(struct store *st, enum stmt_id id, int64_t k_us,
    const struct finding *f)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_bind_int64(s, 1, k_us);
	bind_text(s, 2, f->device);
	bind_text(s, 3, f->service);
	bind_text(s, 4, verdict_str(f->verdict));
	bind_text(s, 5, f->category);
	bind_text(s, 6, f->department);
	bind_text(s, 7, f->ip);
	bind_text(s, 8, f->mac);
	sqlite3_bind_int64(s, 9, u64(f->flows));
	sqlite3_bind_int64(s, 10, u64(f->bytes_up));
	sqlite3_bind_int64(s, 11, u64(f->bytes_down));
	sqlite3_bind_int64(s, 12, f->first_us);
	sqlite3_bind_int64(s, 13, f->last_us);
	return step_done(st, s, "finding roll-up");
}

int
store_add_finding(struct store *st, const struct finding *f)
{
	sqlite3_stmt *s;
	sqlite3_int64 bytes;
	int unsanctioned;

	if (!writable(st))
		return -1;
	s = st->stmt[ST_SERVICE_STUB];
	bind_text(s, 1, f->service);
	bind_text(s, 2, f->category);
	bind_text(s, 3, verdict_str(f->verdict));
	if (step_done(st, s, "finding service") == -1)
		return -1;

	s = st->stmt[ST_FINDING];
	bind_text(s, 1, f->device);
	bind_text(s, 2, f->ip);
	bind_text(s, 3, f->mac);
	bind_text(s, 4, f->service);
	bind_text(s, 5, f->category);
	bind_text(s, 6, verdict_str(f->verdict));
	sqlite3_bind_int64(s, 7, f->bucket);
	sqlite3_bind_int64(s, 8, f->window_s);
	sqlite3_bind_int64(s, 9, u64(f->flows));
	sqlite3_bind_int64(s, 10, u64(f->bytes_up));
	sqlite3_bind_int64(s, 11, u64(f->bytes_down));
	sqlite3_bind_int64(s, 12, f->first_us);
	sqlite3_bind_int64(s, 13, f->last_us);
	bind_text(s, 14, f->evidence);
	sqlite3_bind_int(s, 15, f->confidence);
	bind_text(s, 16, f->department);
	if (step_done(st, s, "finding") == -1)
		return -1;
	if (f->first_us < 0 || f->first_us >= ROLLUP_END_US)
		return 0;

	if (add_finding_rollup(st, ST_FINDING_MONTH,
	    month_floor_us(f->first_us), f) == -1 ||
	    add_finding_rollup(st, ST_FINDING_DAY,
	    f->first_us / DAY_US * DAY_US, f) == -1)
		return -1;

	s = st->stmt[ST_DEVICE_DAY];
	unsanctioned = f->verdict == VERDICT_UNSANCTIONED;
	sqlite3_bind_int64(s, 1, f->first_us / DAY_US);
	bind_text(s, 2, f->device);
	sqlite3_bind_int(s, 3, unsanctioned);
	bytes = u64(f->bytes_up);
	bytes = u64(f->bytes_down) > INT64_MAX - bytes ? INT64_MAX :
	    bytes + u64(f->bytes_down);
	sqlite3_bind_int64(s, 4, unsanctioned ? bytes : 0);
	sqlite3_bind_int64(s, 5, unsanctioned ? 0 : bytes);
	return step_done(st, s, "device day");
}

/* Adds d's counts to its row of a destinations roll-up from k_us. */
static int
add_dest_rollup(struct store *st, enum stmt_id id, int64_t k_us,
    const struct destination *d)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_bind_int64(s, 1, k_us);
	bind_text(s, 2, d->country);
	sqlite3_bind_int64(s, 3, d->asn);
	bind_text(s, 4, d->device);
	sqlite3_bind_int64(s, 5, u64(d->flows));
	sqlite3_bind_int64(s, 6, u64(d->bytes_up));
	sqlite3_bind_int64(s, 7, u64(d->bytes_down));
	return step_done(st, s, "destination roll-up");
}

int
store_add_destination(struct store *st, const struct destination *d)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	s = st->stmt[ST_DESTINATION];
	bind_text(s, 1, d->device);
	bind_text(s, 2, d->service);
	bind_text(s, 3, d->country);
	sqlite3_bind_int64(s, 4, d->asn);
	sqlite3_bind_int64(s, 5, d->bucket);
	sqlite3_bind_int64(s, 6, d->window_s);
	sqlite3_bind_int64(s, 7, u64(d->flows));
	sqlite3_bind_int64(s, 8, u64(d->bytes_up));
	sqlite3_bind_int64(s, 9, u64(d->bytes_down));
	sqlite3_bind_int64(s, 10, d->first_us);
	sqlite3_bind_int64(s, 11, d->last_us);
	if (step_done(st, s, "destination") == -1)
		return -1;
	if (d->first_us >= 0 && d->first_us < ROLLUP_END_US &&
	    (add_dest_rollup(st, ST_DEST_MONTH, month_floor_us(d->first_us),
	    d) == -1 || add_dest_rollup(st, ST_DEST_DAY,
	    d->first_us / DAY_US * DAY_US, d) == -1))
		return -1;
	if (d->asn == 0 || d->as_org[0] == '\0')
		return 0;
	s = st->stmt[ST_AS_NAME];
	sqlite3_bind_int64(s, 1, d->asn);
	bind_text(s, 2, d->as_org);
	return step_done(st, s, "AS name");
}

int
store_add_credential(struct store *st, const struct credential *c)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	s = st->stmt[ST_CREDENTIAL];
	bind_text(s, 1, c->device);
	bind_text(s, 2, c->ip);
	bind_text(s, 3, c->proto);
	bind_text(s, 4, c->server);
	bind_text(s, 5, c->user);
	sqlite3_bind_int64(s, 6, u64(c->count));
	sqlite3_bind_int64(s, 7, c->first_us);
	sqlite3_bind_int64(s, 8, c->last_us);
	return step_done(st, s, "credential");
}

int
store_put_device(struct store *st, const struct store_device *d)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	if (d->device[0] == '\0') {
		seterr(st, "device: no key");
		return -1;
	}
	s = st->stmt[ST_DEVICE];
	bind_text(s, 1, d->device);
	bind_text(s, 2, d->mac);
	bind_text(s, 3, d->ip);
	bind_text(s, 4, d->hostname);
	bind_text(s, 5, d->vendor_class);
	bind_text(s, 6, d->prl);
	sqlite3_bind_int64(s, 7, d->ts_us);
	if (step_done(st, s, "device") == -1)
		return -1;
	if (d->ip[0] != '\0') {
		s = st->stmt[ST_DEVICE_IP];
		bind_text(s, 1, d->device);
		bind_text(s, 2, d->ip);
		sqlite3_bind_int64(s, 3, d->ts_us);
		if (step_done(st, s, "device address") == -1)
			return -1;
	}
	if (d->hostname[0] != '\0') {
		s = st->stmt[ST_DEVICE_NAME];
		bind_text(s, 1, d->device);
		bind_text(s, 2, d->hostname);
		sqlite3_bind_int64(s, 3, d->ts_us);
		if (step_done(st, s, "device name") == -1)
			return -1;
	}
	return 0;
}

int
store_put_health(struct store *st, const struct store_health *h)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	if (h->interval_s <= 0) {
		seterr(st, "health: interval must be positive");
		return -1;
	}
	s = st->stmt[ST_HEALTH];
	sqlite3_bind_int64(s, 1, h->run_id);
	sqlite3_bind_int64(s, 2, h->start_us);
	sqlite3_bind_int64(s, 3, h->interval_s);
	sqlite3_bind_int64(s, 4, u64(h->packets));
	sqlite3_bind_int64(s, 5, u64(h->drops));
	sqlite3_bind_int64(s, 6, u64(h->decode_errors));
	sqlite3_bind_int64(s, 7, u64(h->dns_unanswered));
	sqlite3_bind_int64(s, 8, u64(h->tcp_failed));
	return step_done(st, s, "health");
}

int
store_add_unclassified(struct store *st, const struct unclassified *u)
{
	sqlite3_stmt *s;

	if (!writable(st))
		return -1;
	s = st->stmt[ST_UNCLASSIFIED];
	bind_text(s, 1, u->device);
	bind_text(s, 2, u->name);
	sqlite3_bind_int64(s, 3, u->bucket);
	sqlite3_bind_int64(s, 4, u->window_s);
	sqlite3_bind_int64(s, 5, u64(u->flows));
	sqlite3_bind_int64(s, 6, u64(u->bytes_up));
	sqlite3_bind_int64(s, 7, u64(u->bytes_down));
	sqlite3_bind_int64(s, 8, u->first_us);
	sqlite3_bind_int64(s, 9, u->last_us);
	if (step_done(st, s, "unclassified") == -1)
		return -1;
	if (u->first_us < 0 || u->first_us >= ROLLUP_END_US)
		return 0;
	s = st->stmt[ST_UNCL_MONTH];
	sqlite3_bind_int64(s, 1, month_floor_us(u->first_us));
	bind_text(s, 2, u->name);
	bind_text(s, 3, u->device);
	sqlite3_bind_int64(s, 4, u64(u->flows));
	sqlite3_bind_int64(s, 5, u64(u->bytes_up));
	sqlite3_bind_int64(s, 6, u64(u->bytes_down));
	sqlite3_bind_int64(s, 7, u->first_us);
	sqlite3_bind_int64(s, 8, u->last_us);
	return step_done(st, s, "unclassified month");
}

static enum verdict
verdict_parse(const char *s)
{
	if (s == NULL)
		return VERDICT_NONE;
	if (strcmp(s, "sanctioned") == 0)
		return VERDICT_SANCTIONED;
	if (strcmp(s, "tolerated") == 0)
		return VERDICT_TOLERATED;
	if (strcmp(s, "unsanctioned") == 0)
		return VERDICT_UNSANCTIONED;
	return VERDICT_NONE;
}

static uint64_t
col_u64(sqlite3_stmt *s, int i)
{
	sqlite3_int64 v;
	double d;

	if (sqlite3_column_type(s, i) == SQLITE_FLOAT) {
		d = sqlite3_column_double(s, i);
		return d <= 0 ? 0 : d >= 1.8e19 ? UINT64_MAX : (uint64_t)d;
	}
	v = sqlite3_column_int64(s, i);
	return v < 0 ? 0 : (uint64_t)v;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

/* Binds the period and resets the statement; for the read queries. */
/*
 * The roll-up levels of a period [since, until): whole UTC days [*d1,
 * *d2) and within them whole UTC months [*m1, *m2), so that d1 <= m1 <=
 * m2 <= d2. Without whole months m1 = m2 = d2; without whole days, or
 * on a handle that reads detail only, all four are until.
 */
static void
rollup_bounds(const struct store *st, int64_t since, int64_t until,
    int64_t *d1, int64_t *m1, int64_t *m2, int64_t *d2)
{
	int64_t lo, hi;

	*d1 = *m1 = *m2 = *d2 = until;
	lo = since > 0 ? since : 0;
	hi = until < ROLLUP_END_US ? until : ROLLUP_END_US;
	if (!st->rollup || lo >= hi)
		return;
	lo = -util_floor_div(-lo, DAY_US) * DAY_US;
	hi = util_floor_div(hi, DAY_US) * DAY_US;
	if (lo >= hi)
		return;
	*d1 = lo;
	*d2 = hi;
	*m1 = month_floor_us(lo);
	if (*m1 < lo)
		*m1 = month_floor_us(*m1 + 31 * DAY_US);
	*m2 = month_floor_us(hi);
	if (*m1 >= *m2)
		*m1 = *m2 = hi;
}

/*
 * Binds a period [since, until) to a read statement: ?1 and ?2, and the
 * roll-up bounds PERIOD() and ST_DAYS read (?6, ?4, ?5, ?7: see
 * rollup_bounds()).
 */
static sqlite3_stmt *
period_stmt(struct store *st, enum stmt_id id, int64_t since, int64_t until)
{
	sqlite3_stmt *s = st->stmt[id];
	int64_t d1, m1, m2, d2;

	rollup_bounds(st, since, until, &d1, &m1, &m2, &d2);
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	/* Statements without them answer SQLITE_RANGE: nothing to bind. */
	sqlite3_bind_int64(s, 4, m1);
	sqlite3_bind_int64(s, 5, m2);
	sqlite3_bind_int64(s, 6, d1);
	sqlite3_bind_int64(s, 7, d2);
	return s;
}

/* Ends a read query whose callback asked to stop: -1. */
static int
query_stopped(struct store *st, sqlite3_stmt *s, const char *what)
{
	seterr(st, "%s query stopped", what);
	sqlite3_reset(s);
	return -1;
}

/* Finishes a read query: 0 when it ran to the end, else -1. */
static int
query_end(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		setdberr(st, what);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_query_totals(struct store *st, int64_t since, int64_t until,
    struct store_totals *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	s = period_stmt(st, ST_TOTALS, since, until);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->devices = col_u64(s, 0);
		out->services = col_u64(s, 1);
		out->unsanctioned_devices = col_u64(s, 2);
		out->unsanctioned_services = col_u64(s, 3);
		out->unsanctioned_categories = col_u64(s, 4);
		out->first_us = sqlite3_column_int64(s, 5);
		out->last_us = sqlite3_column_int64(s, 6);
		out->classified_flows = col_u64(s, 7);
		out->classified_bytes = col_u64(s, 8);
		rc = sqlite3_step(s);
	}
	if (query_end(st, s, rc, "totals") == -1)
		return -1;

	s = period_stmt(st, ST_UNCL_TOTALS, since, until);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->unclassified_names = col_u64(s, 0);
		out->unclassified_flows = col_u64(s, 1);
		out->unclassified_bytes = col_u64(s, 2);
		if (sqlite3_column_type(s, 3) != SQLITE_NULL &&
		    (out->first_us == 0 ||
		    sqlite3_column_int64(s, 3) < out->first_us))
			out->first_us = sqlite3_column_int64(s, 3);
		if (sqlite3_column_int64(s, 4) > out->last_us)
			out->last_us = sqlite3_column_int64(s, 4);
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "totals");
}

int
store_query_services(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_service_row *), void *arg)
{
	struct store_service_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_SERVICES, since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = col_text(s, 0);
		r.name = col_text(s, 1);
		r.category = col_text(s, 2);
		r.verdict = verdict_parse(col_text(s, 3));
		r.devices = col_u64(s, 4);
		r.flows = col_u64(s, 5);
		r.bytes_up = col_u64(s, 6);
		r.bytes_down = col_u64(s, 7);
		r.first_us = sqlite3_column_int64(s, 8);
		r.last_us = sqlite3_column_int64(s, 9);
		r.risk = col_text(s, 10);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "services");
	}
	return query_end(st, s, rc, "services");
}

int
store_query_unclassified(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_dest_row *), void *arg)
{
	struct store_dest_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_UNCL_TOP, since, until);
	sqlite3_bind_int64(s, 3, u64(limit));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.name = col_text(s, 0);
		r.devices = col_u64(s, 1);
		r.flows = col_u64(s, 2);
		r.bytes_up = col_u64(s, 3);
		r.bytes_down = col_u64(s, 4);
		r.first_us = sqlite3_column_int64(s, 5);
		r.last_us = sqlite3_column_int64(s, 6);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "unclassified");
	}
	return query_end(st, s, rc, "unclassified");
}

int
store_query_coverage(struct store *st, int64_t since, int64_t until,
    struct store_coverage *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	s = period_stmt(st, ST_COVERAGE, since, until);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->runs = col_u64(s, 0);
		out->unfinished = col_u64(s, 1);
		out->packets = col_u64(s, 2);
		out->bytes = col_u64(s, 3);
		out->flows = col_u64(s, 4);
		out->kernel_drops = col_u64(s, 5);
		out->decode_errors = col_u64(s, 6);
		out->first_us = sqlite3_column_int64(s, 7);
		out->last_us = sqlite3_column_int64(s, 8);
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "coverage");
}

int
store_query_last(struct store *st, int64_t *out_us)
{
	sqlite3_stmt *s = st->stmt[ST_LAST];
	int rc;

	*out_us = 0;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 4, 0);
	sqlite3_bind_int64(s, 5, st->rollup ? ROLLUP_END_US : 0);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			*out_us = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "last packet");
}

int
store_query_categories(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_category_row *), void *arg)
{
	struct store_category_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_CATEGORIES, since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.category = col_text(s, 0);
		r.devices = col_u64(s, 1);
		r.unsanctioned_devices = col_u64(s, 2);
		r.unapproved_devices = col_u64(s, 3);
		r.flows = col_u64(s, 4);
		r.bytes_up = col_u64(s, 5);
		r.bytes_down = col_u64(s, 6);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "categories");
	}
	return query_end(st, s, rc, "categories");
}

int
store_query_group(struct store *st, int64_t since, int64_t until,
    const char *categories, struct store_group *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	s = period_stmt(st, ST_GROUP, since, until);
	bind_text(s, 3, categories);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->devices = col_u64(s, 0);
		out->services = col_u64(s, 1);
		out->flows = col_u64(s, 2);
		out->bytes_up = col_u64(s, 3);
		out->bytes_down = col_u64(s, 4);
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "category group");
}

int
store_query_days(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_day_row *), void *arg)
{
	struct store_day_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_DAYS, since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.day_us = sqlite3_column_int64(s, 0) * 86400LL * 1000000;
		r.unsanctioned_bytes = col_u64(s, 1);
		r.other_bytes = col_u64(s, 2);
		r.unsanctioned_devices = col_u64(s, 3);
		r.devices = col_u64(s, 4);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "days");
	}
	return query_end(st, s, rc, "days");
}

int
store_query_devices(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_device_row *),
    void *arg)
{
	struct store_device_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_DEVICES, since, until);
	sqlite3_bind_int64(s, 3, u64(limit));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.device = col_text(s, 0);
		r.ip = col_text(s, 1);
		r.mac = col_text(s, 2);
		r.services = col_u64(s, 3);
		r.flows = col_u64(s, 4);
		r.bytes_up = col_u64(s, 5);
		r.bytes_down = col_u64(s, 6);
		r.first_us = sqlite3_column_int64(s, 7);
		r.last_us = sqlite3_column_int64(s, 8);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "devices");
	}
	return query_end(st, s, rc, "devices");
}

static int
query_geo(struct store *st, enum stmt_id id, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_geo_row *), void *arg)
{
	struct store_geo_row r;
	sqlite3_stmt *s;
	int rc, c;

	s = period_stmt(st, id, since, until);
	sqlite3_bind_int64(s, 3, u64(limit));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.country = "";
		r.as_org = "";
		if (id == ST_COUNTRIES) {
			r.country = col_text(s, 0);
			c = 1;
		} else {
			r.asn = (uint32_t)col_u64(s, 0);
			r.as_org = col_text(s, 1);
			c = 2;
		}
		r.devices = col_u64(s, c);
		r.flows = col_u64(s, c + 1);
		r.bytes_up = col_u64(s, c + 2);
		r.bytes_down = col_u64(s, c + 3);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "destinations");
	}
	return query_end(st, s, rc, "destinations");
}

int
store_query_countries(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_geo_row *), void *arg)
{
	return query_geo(st, ST_COUNTRIES, since, until, limit, fn, arg);
}

int
store_query_networks(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_geo_row *), void *arg)
{
	return query_geo(st, ST_NETWORKS, since, until, limit, fn, arg);
}

int
store_query_departments(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_department_row *), void *arg)
{
	struct store_department_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_DEPARTMENTS, since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.department = col_text(s, 0);
		r.devices = col_u64(s, 1);
		r.unsanctioned_devices = col_u64(s, 2);
		r.unsanctioned_services = col_u64(s, 3);
		r.bytes_up = col_u64(s, 4);
		r.unsanctioned_up = col_u64(s, 5);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "departments");
	}
	return query_end(st, s, rc, "departments");
}

int
store_query_credentials(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_credential_row *),
    void *arg)
{
	struct store_credential_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_CREDENTIALS, since, until);
	sqlite3_bind_int64(s, 3, u64(limit));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.device = col_text(s, 0);
		r.proto = col_text(s, 1);
		r.server = col_text(s, 2);
		r.user = col_text(s, 3);
		r.count = col_u64(s, 4);
		r.first_us = sqlite3_column_int64(s, 5);
		r.last_us = sqlite3_column_int64(s, 6);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "credentials");
	}
	return query_end(st, s, rc, "credentials");
}

int
store_query_credential_totals(struct store *st, int64_t since, int64_t until,
    struct store_credential_totals *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	s = period_stmt(st, ST_CRED_TOTALS, since, until);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->rows = col_u64(s, 0);
		out->devices = col_u64(s, 1);
		out->protos = col_u64(s, 2);
		out->logins = col_u64(s, 3);
		strlcpy(out->protos_list, col_text(s, 4),
		    sizeof(out->protos_list));
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "credentials");
}

#define PSEUDONYM_KEY_NAME	"pseudonym-key"

/* Reads the key into key; 1 found, 0 absent, -1 error. */
static int
read_key(struct store *st, uint8_t *key, size_t len)
{
	sqlite3_stmt *s;
	int rc, found = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM secrets"
	    " WHERE name = ?1", -1, &s, NULL) != SQLITE_OK) {
		setdberr(st, "pseudonym key");
		return -1;
	}
	bind_text(s, 1, PSEUDONYM_KEY_NAME);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(s, 0) != len) {
			seterr(st, "pseudonym key has the wrong length");
			sqlite3_finalize(s);
			return -1;
		}
		memcpy(key, sqlite3_column_blob(s, 0), len);
		found = 1;
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE) {
		setdberr(st, "pseudonym key");
		found = -1;
	}
	sqlite3_finalize(s);
	return found;
}

int
store_pseudonym_key(struct store *st, uint8_t key[STORE_KEY_LEN])
{
	uint8_t fresh[STORE_KEY_LEN];
	sqlite3_stmt *s;
	int rc;

	if (st->version < 2)
		return 0;
	if ((rc = read_key(st, key, STORE_KEY_LEN)) != 0 || st->rdonly)
		return rc;
	if (RAND_bytes(fresh, sizeof(fresh)) != 1) {
		seterr(st, "pseudonym key: no random bytes");
		return -1;
	}
	/* Another process may create it first; then its key is the key. */
	if (sqlite3_prepare_v2(st->db, "INSERT INTO secrets (name, value)"
	    " VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING", -1, &s,
	    NULL) != SQLITE_OK) {
		setdberr(st, "pseudonym key");
		return -1;
	}
	bind_text(s, 1, PSEUDONYM_KEY_NAME);
	sqlite3_bind_blob(s, 2, fresh, sizeof(fresh), SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	explicit_bzero(fresh, sizeof(fresh));
	if (rc != SQLITE_DONE) {
		setdberr(st, "pseudonym key");
		return -1;
	}
	return read_key(st, key, STORE_KEY_LEN);
}

int64_t
store_version(const struct store *st)
{
	return st->version;
}

/* The sensor name a file's rows are exported and merged under. */
static void
file_sensor(struct store *one, const char *path, char *buf, size_t len)
{
	sqlite3_stmt *s;
	const char *base, *dot;
	size_t n;

	buf[0] = '\0';
	if (one->version >= 3 && sqlite3_prepare_v2(one->db,
	    "SELECT s.name FROM runs r JOIN sensors s ON s.id = r.sensor_id"
	    " ORDER BY r.id DESC LIMIT 1", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			strlcpy(buf, col_text(s, 0), len);
		sqlite3_finalize(s);
	}
	if (buf[0] != '\0')
		return;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	if (n >= len)
		n = len - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
}

/* Appends printf-style SQL to *sql (sqlite3_mprintf: %Q quotes). */
static int
sql_cat(char **sql, const char *fmt, ...)
{
	va_list ap;
	char *add, *cat;

	va_start(ap, fmt);
	add = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (add == NULL)
		return -1;
	cat = sqlite3_mprintf("%s%s", *sql != NULL ? *sql : "", add);
	sqlite3_free(add);
	sqlite3_free(*sql);
	*sql = cat;
	return cat != NULL ? 0 : -1;
}

/*
 * The views a merged handle reads through. They shadow the tables the
 * read queries name (temp objects come first), so every query works
 * unchanged. Columns a file's version lacks read as '' or 0.
 */
/* The device key prefix of a merged file: "sensor/", or none alone. */
static const char *
prefix(char *buf, size_t len, size_t n, const char *sensor)
{
	buf[0] = '\0';
	if (n > 1) {
		strlcpy(buf, sensor, len);
		strlcat(buf, "/", len);
	}
	return buf;
}

/* The roll-up tables, as merged views: columns before and after device. */
static const struct {
	const char	*name, *before, *after;
} rollup_view[] = {
	{ "findings_month", "month_us, ", ", service, verdict, category,"
	    " department, ip, mac, flows, bytes_up, bytes_down, first_us,"
	    " last_us" },
	{ "findings_day", "day_us, ", ", service, verdict, category,"
	    " department, ip, mac, flows, bytes_up, bytes_down, first_us,"
	    " last_us" },
	{ "destinations_day", "day_us, country, asn, ", ", flows,"
	    " bytes_up, bytes_down" },
	{ "unclassified_month", "month_us, name, ", ", flows, bytes_up,"
	    " bytes_down, first_us, last_us" },
	{ "destinations_month", "month_us, country, asn, ", ", flows,"
	    " bytes_up, bytes_down" },
	{ "device_days", "day, ", ", unsanctioned, bytes_unsanctioned,"
	    " bytes_other" },
};

static int
merged_views(struct store *st, size_t n, const int64_t *ver,
    char (*sensor)[256])
{
	char pre[260], *sql = NULL;
	const char *u;
	size_t i, v;
	int rc = -1, nv3 = 0;

	for (i = 0; i < n; i++) {
		u = i == 0 ? "" : " UNION ALL";
		if (i == 0 && sql_cat(&sql, "CREATE TEMP VIEW findings AS") ==
		    -1)
			goto out;
		if (sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, ip, mac, service, category,"
		    " verdict, bucket,"
		    " window_s, flows, bytes_up, bytes_down, first_us, last_us,"
		    " %s AS evidence, %s AS confidence, %s AS department"
		    " FROM s%d.findings", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]),
		    ver[i] >= 3 ? "evidence" : "''",
		    ver[i] >= 3 ? "confidence" : "0",
		    ver[i] >= 3 ? "department" : "''", (int)i) == -1)
			goto out;
	}
	if (sql_cat(&sql, ";") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW unclassified AS" : " UNION ALL";
		if (sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, name, bucket, window_s, flows,"
		    " bytes_up, bytes_down, first_us, last_us"
		    " FROM s%d.unclassified", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
	}
	if (sql_cat(&sql, ";") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW runs AS" : " UNION ALL";
		if (sql_cat(&sql, "%s SELECT %Q AS sensor, id, started_at,"
		    " finished_at, source, packets, bytes, flows, kernel_drops,"
		    " decode_errors, first_ts, last_ts FROM s%d.runs", u,
		    sensor[i], (int)i) == -1)
			goto out;
	}
	if (sql_cat(&sql, ";CREATE TEMP VIEW services AS SELECT id,"
	    " max(name) AS name, max(category) AS category, max(risk) AS risk,"
	    " max(verdict) AS verdict FROM (") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (sql_cat(&sql, "%s SELECT id, name, category, risk, verdict"
		    " FROM s%d.services", i == 0 ? "" : " UNION ALL",
		    (int)i) == -1)
			goto out;
	}
	if (sql_cat(&sql, ") GROUP BY id;") == -1)
		goto out;
	/* Pseudonyms of a merged report use the first file's key. */
	if (ver[0] >= 2 && sql_cat(&sql, "CREATE TEMP VIEW secrets AS"
	    " SELECT name, value FROM s0.secrets;") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (ver[i] < 3)
			continue;
		u = nv3 == 0 ? "CREATE TEMP VIEW destinations AS" :
		    " UNION ALL";
		if (sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, service, country, asn, bucket,"
		    " window_s, flows, bytes_up, bytes_down, first_us, last_us"
		    " FROM s%d.destinations", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
		nv3++;
	}
	if (nv3 == 0 && sql_cat(&sql, "CREATE TEMP VIEW destinations AS"
	    " SELECT '' AS sensor, '' AS dev, '' AS device, '' AS service,"
	    " '' AS country, 0 AS asn, 0 AS bucket, 1 AS window_s, 0 AS flows,"
	    " 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us"
	    " WHERE 0") == -1)
		goto out;
	if (sql_cat(&sql, ";") == -1)
		goto out;
	nv3 = 0;
	for (i = 0; i < n; i++) {
		if (ver[i] < 3)
			continue;
		u = nv3 == 0 ? "CREATE TEMP VIEW credentials AS" :
		    " UNION ALL";
		if (sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, ip, proto, server, user, count,"
		    " first_us, last_us FROM s%d.credentials", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
		nv3++;
	}
	if (nv3 == 0 && sql_cat(&sql, "CREATE TEMP VIEW credentials AS"
	    " SELECT '' AS sensor, '' AS dev, '' AS device, '' AS ip,"
	    " '' AS proto, '' AS server, '' AS user, 0 AS count,"
	    " 0 AS first_us, 0 AS last_us WHERE 0") == -1)
		goto out;
	if (sql_cat(&sql, ";CREATE TEMP VIEW as_names AS SELECT asn,"
	    " max(name) AS name FROM (SELECT 0 AS asn, '' AS name WHERE 0") ==
	    -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (ver[i] >= 4 && sql_cat(&sql, " UNION ALL SELECT asn, name"
		    " FROM s%d.as_names", (int)i) == -1)
			goto out;
	}
	if (sql_cat(&sql, ") GROUP BY asn;") == -1)
		goto out;
	/* Roll-ups only when every file has them, else detail for all. */
	for (i = 0; i < n && ver[i] >= 6; i++)
		;
	st->rollup = i == n;
	if (!st->rollup && sql_cat(&sql, "%s", NO_ROLLUP_VIEWS) == -1)
		goto out;
	for (v = 0; st->rollup && v < nitems(rollup_view); v++) {
		if (sql_cat(&sql, "CREATE TEMP VIEW %s AS", rollup_view[v].name)
		    == -1)
			goto out;
		for (i = 0; i < n; i++) {
			if (sql_cat(&sql, "%s SELECT %s%Q || device AS device%s"
			    " FROM s%d.%s", i == 0 ? "" : " UNION ALL",
			    rollup_view[v].before,
			    prefix(pre, sizeof(pre), n, sensor[i]),
			    rollup_view[v].after, (int)i, rollup_view[v].name)
			    == -1)
				goto out;
		}
		if (sql_cat(&sql, ";") == -1)
			goto out;
	}
	rc = exec_sql(st, sql);
out:
	if (sql == NULL || rc == -1)
		if (st->err[0] == '\0')
			seterr(st, "cannot merge: out of memory");
	sqlite3_free(sql);
	return rc;
}

struct store *
store_open_many(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct store *st, *one;
	sqlite3_stmt *s;
	int64_t ver[STORE_MERGE_MAX];
	char sensor[STORE_MERGE_MAX][256], name[16];
	size_t i;

	st = xcalloc(1, sizeof(*st));
	strlcpy(st->path, n > 0 ? paths[0] : "(none)", sizeof(st->path));
	st->rdonly = 1;
	st->merged = 1;
	if (n == 0 || n > STORE_MERGE_MAX) {
		seterr(st, "between 1 and %d databases can be merged",
		    STORE_MERGE_MAX);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if ((one = store_open(paths[i], STORE_RDONLY, err, errlen)) ==
		    NULL) {
			store_close(st);
			return NULL;
		}
		ver[i] = one->version;
		file_sensor(one, paths[i], sensor[i], sizeof(sensor[i]));
		store_close(one);
	}
	if (sqlite3_open_v2(":memory:", &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		seterr(st, "cannot open: out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS ?2", -1, &s,
	    NULL) != SQLITE_OK) {
		setdberr(st, "attach");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		strlcpy(st->path, paths[i], sizeof(st->path));
		snprintf(name, sizeof(name), "s%zu", i);
		bind_text(s, 1, paths[i]);
		bind_text(s, 2, name);
		if (sqlite3_step(s) != SQLITE_DONE) {
			setdberr(st, "attach");
			sqlite3_finalize(s);
			goto fail;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	strlcpy(st->path, paths[0], sizeof(st->path));
	if (merged_views(st, n, ver, sensor) == -1 ||
	    exec_sql(st, "PRAGMA query_only = ON") == -1)
		goto fail;
	st->version = ver[0] >= 2 ? STORE_SCHEMA_VERSION : 1;
	st->ready = 1;
	if (prepare_all(st) == -1)
		goto fail;
	return st;
fail:
	if (err != NULL && errlen > 0)
		strlcpy(err, st->err, errlen);
	store_close(st);
	return NULL;
}

/*
 * Roll-up, one table at a time: sum the detail rows of each day into a
 * temp table, delete the detail, then add the day rows into the table
 * (upsert, so an earlier prune's day row or a daily-window row grows).
 * Done through a temp table because a day's row has the key of its
 * 00:00 hour.
 */
static const char *const prune_sql[] = {
	"CREATE TEMP TABLE IF NOT EXISTS roll_f AS SELECT * FROM findings"
	" WHERE 0",
	"DELETE FROM temp.roll_f",
	/* One max() makes SQLite take the bare columns from the latest row. */
	"INSERT INTO temp.roll_f (device, ip, mac, service, category, verdict,"
	" bucket, window_s, flows, bytes_up, bytes_down, first_us, last_us,"
	" evidence, confidence, department)"
	" SELECT device, ip, mac, service, category, verdict,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), 0, max(last_us), evidence, confidence, department"
	" FROM main.findings WHERE window_s < 86400 AND bucket < ?1"
	" GROUP BY device, service, day",
	"UPDATE temp.roll_f SET first_us = (SELECT min(f.first_us)"
	" FROM main.findings f WHERE f.device = roll_f.device"
	" AND f.service = roll_f.service AND f.bucket >= roll_f.bucket"
	" AND f.bucket < roll_f.bucket + 86400 AND f.window_s < 86400)",
	"DELETE FROM main.findings WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.findings SELECT * FROM temp.roll_f WHERE 1"
	" ON CONFLICT (device, service, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_u AS SELECT * FROM unclassified"
	" WHERE 0",
	"DELETE FROM temp.roll_u",
	"INSERT INTO temp.roll_u SELECT device, name,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), min(first_us), max(last_us) FROM main.unclassified"
	" WHERE window_s < 86400 AND bucket < ?1 GROUP BY device, name, day",
	"DELETE FROM main.unclassified WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.unclassified SELECT * FROM temp.roll_u WHERE 1"
	" ON CONFLICT (device, name, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_d AS SELECT * FROM destinations"
	" WHERE 0",
	"DELETE FROM temp.roll_d",
	"INSERT INTO temp.roll_d SELECT device, service, country, asn,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), min(first_us), max(last_us) FROM main.destinations"
	" WHERE window_s < 86400 AND bucket < ?1"
	" GROUP BY device, service, country, asn, day",
	"DELETE FROM main.destinations WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.destinations SELECT * FROM temp.roll_d WHERE 1"
	" ON CONFLICT (device, service, country, asn, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_h AS SELECT * FROM health"
	" WHERE 0",
	"DELETE FROM temp.roll_h",
	"INSERT INTO temp.roll_h SELECT run_id,"
	" (start_us / 86400000000) * 86400000000 AS day, 86400, sum(packets),"
	" sum(drops), sum(decode_errors), sum(dns_unanswered), sum(tcp_failed)"
	" FROM main.health WHERE interval_s < 86400"
	" AND start_us < ?1 * 1000000 GROUP BY run_id, day",
	"DELETE FROM main.health WHERE interval_s < 86400"
	" AND start_us < ?1 * 1000000",
	"INSERT INTO main.health SELECT * FROM temp.roll_h WHERE 1"
	" ON CONFLICT (run_id, start_us) DO UPDATE SET"
	" packets = packets + excluded.packets, drops = drops + excluded.drops,"
	" decode_errors = decode_errors + excluded.decode_errors,"
	" dns_unanswered = dns_unanswered + excluded.dns_unanswered,"
	" tcp_failed = tcp_failed + excluded.tcp_failed",
	/* Network health keeps its hours: the summary judges hours. */
	"CREATE TEMP TABLE IF NOT EXISTS roll_r AS SELECT * FROM"
	" reliability WHERE 0",
	"DELETE FROM temp.roll_r",
	"INSERT INTO temp.roll_r SELECT (start_us / 3600000000) *"
	" 3600000000 AS h, 3600, segment, device, max(ip),"
	" sum(dns_queries), sum(dns_timeouts), sum(dns_servfail),"
	" sum(dns_refused), sum(dns_answered), sum(dns_rtt_ms),"
	" sum(tcp_attempts), sum(tcp_unanswered), sum(tcp_reset),"
	" sum(tcp_cut), sum(dhcp_discover), sum(dhcp_offer),"
	" sum(dhcp_request), sum(dhcp_nak), sum(tcp_handshakes),"
	" sum(tcp_hs_server_us), sum(tcp_hs_client_us), sum(tcp_packets),"
	" sum(tcp_retrans), sum(tcp_ooo), sum(dns_slow)"
	" FROM main.reliability WHERE interval_s < 3600"
	" AND start_us < ?1 * 1000000 GROUP BY h, segment, device",
	"DELETE FROM main.reliability WHERE interval_s < 3600 AND"
	" start_us < ?1 * 1000000",
	"INSERT INTO main.reliability SELECT * FROM temp.roll_r WHERE 1"
	" ON CONFLICT (start_us, segment, device) DO UPDATE SET"
	" dns_queries = dns_queries + excluded.dns_queries,"
	" dns_timeouts = dns_timeouts + excluded.dns_timeouts,"
	" dns_servfail = dns_servfail + excluded.dns_servfail,"
	" dns_refused = dns_refused + excluded.dns_refused,"
	" dns_answered = dns_answered + excluded.dns_answered,"
	" dns_rtt_ms = dns_rtt_ms + excluded.dns_rtt_ms, tcp_attempts ="
	" tcp_attempts + excluded.tcp_attempts, tcp_unanswered ="
	" tcp_unanswered + excluded.tcp_unanswered, tcp_reset ="
	" tcp_reset + excluded.tcp_reset, tcp_cut = tcp_cut +"
	" excluded.tcp_cut, dhcp_discover = dhcp_discover +"
	" excluded.dhcp_discover, dhcp_offer = dhcp_offer +"
	" excluded.dhcp_offer, dhcp_request = dhcp_request +"
	" excluded.dhcp_request, dhcp_nak = dhcp_nak +"
	" excluded.dhcp_nak, tcp_handshakes = tcp_handshakes +"
	" excluded.tcp_handshakes, tcp_hs_server_us = tcp_hs_server_us +"
	" excluded.tcp_hs_server_us, tcp_hs_client_us = tcp_hs_client_us +"
	" excluded.tcp_hs_client_us, tcp_packets = tcp_packets +"
	" excluded.tcp_packets, tcp_retrans = tcp_retrans +"
	" excluded.tcp_retrans, tcp_ooo = tcp_ooo + excluded.tcp_ooo,"
	" dns_slow = dns_slow + excluded.dns_slow",
};

int
store_prune(struct store *st, int keep_days, struct store_prune_stats *out)
{
	sqlite3_stmt *s;
	int64_t last, cut;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!writable(st))
		return -1;
	if (keep_days < 0) {
		seterr(st, "prune: days to keep must not be negative");
		return -1;
	}
	if (store_query_last(st, &last) == -1)
		return -1;
	if (last <= 0)
		return 0;
	/* The cutoff is a day boundary, so no day is split. */
	cut = (last / 1000000 / 86400 - keep_days) * 86400;
	out->cutoff_us = cut * 1000000;
	if (store_begin(st) == -1)
		return -1;
	for (i = 0; i < sizeof(prune_sql) / sizeof(prune_sql[0]); i++) {
		if (sqlite3_prepare_v2(st->db, prune_sql[i], -1, &s, NULL) !=
		    SQLITE_OK) {
			setdberr(st, "prune");
			goto fail;
		}
		if (sqlite3_bind_parameter_count(s) > 0)
			sqlite3_bind_int64(s, 1, cut);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE && strncmp(prune_sql[i], "DELETE FROM main",
		    16) == 0)
			out->rolled += (uint64_t)sqlite3_changes(st->db);
		if (rc == SQLITE_DONE && strncmp(prune_sql[i], "INSERT INTO main",
		    16) == 0)
			out->daily += (uint64_t)sqlite3_changes(st->db);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE) {
			setdberr(st, "prune");
			goto fail;
		}
	}
	if (store_commit(st) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_export(struct store *st, int64_t since_us,
    int (*fn)(void *, const struct store_export_row *), void *arg)
{
	struct store_export_row r;
	sqlite3_stmt *s;
	int rc;

	if (!st->merged) {
		seterr(st, "export needs a handle from store_open_many()");
		return -1;
	}
	if (sqlite3_prepare_v2(st->db,
	    "SELECT 'finding' AS t, sensor, dev, ip, mac, service, '', category,"
	    " verdict, bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, evidence, confidence, department, '', 0, '', '', '', 0"
	    " FROM findings WHERE first_us >= ?1"
	    " UNION ALL SELECT 'unclassified', sensor, dev, '', '', '', name,"
	    " '', '', bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, '', 0, '', '', 0, '', '', '', 0"
	    " FROM unclassified WHERE first_us >= ?1"
	    " UNION ALL SELECT 'destination', sensor, dev, '', '', service, '',"
	    " '', '', bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, '', 0, '', country, asn, '', '', '', 0"
	    " FROM destinations WHERE first_us >= ?1"
	    " UNION ALL SELECT 'credential', sensor, dev, ip, '', '', '', '',"
	    " '', 0, 0, 0, 0, 0, first_us, last_us, '', 0, '', '', 0, proto,"
	    " server, user, count FROM credentials WHERE first_us >= ?1"
	    " ORDER BY 15, 1, 2, 3, 6, 7", -1, &s, NULL) != SQLITE_OK) {
		setdberr(st, "export");
		return -1;
	}
	sqlite3_bind_int64(s, 1, since_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.type = col_text(s, 0);
		r.sensor = col_text(s, 1);
		r.device = col_text(s, 2);
		r.ip = col_text(s, 3);
		r.mac = col_text(s, 4);
		r.service = col_text(s, 5);
		r.name = col_text(s, 6);
		r.category = col_text(s, 7);
		r.status = col_text(s, 8);
		r.bucket = sqlite3_column_int64(s, 9);
		r.window_s = sqlite3_column_int64(s, 10);
		r.flows = col_u64(s, 11);
		r.bytes_up = col_u64(s, 12);
		r.bytes_down = col_u64(s, 13);
		r.first_us = sqlite3_column_int64(s, 14);
		r.last_us = sqlite3_column_int64(s, 15);
		r.evidence = col_text(s, 16);
		r.confidence = sqlite3_column_int64(s, 17);
		r.department = col_text(s, 18);
		r.country = col_text(s, 19);
		r.asn = sqlite3_column_int64(s, 20);
		r.proto = col_text(s, 21);
		r.server = col_text(s, 22);
		r.user = col_text(s, 23);
		r.count = col_u64(s, 24);
		if (fn(arg, &r) == -1) {
			seterr(st, "export stopped");
			sqlite3_finalize(s);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		setdberr(st, "export");
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Network health rows (schema 5). The columns follow enum rel_count, so
 * one list serves the write and the read.
 */
static const char *const rel_cols[REL_NCOUNTS] = {
	"dns_queries", "dns_timeouts", "dns_servfail", "dns_refused",
	"dns_answered", "dns_rtt_ms", "tcp_attempts", "tcp_unanswered",
	"tcp_reset", "tcp_cut", "dhcp_discover", "dhcp_offer", "dhcp_request",
	"dhcp_nak", "tcp_handshakes", "tcp_hs_server_us", "tcp_hs_client_us",
	"tcp_packets", "tcp_retrans", "tcp_ooo", "dns_slow",
};

/*
 * The upsert of one network-health row into reliability (hour = 0) or
 * into its schema-6 roll-up reliability_hour (hour = 1): the counts add.
 */
static int
prepare_rel(struct store *st, int hour, sqlite3_stmt **out)
{
	char *sql = NULL;
	int k, rc = -1;

	*out = NULL;
	if (sql_cat(&sql, hour ? "INSERT INTO reliability_hour (hour_us,"
	    " segment" : "INSERT INTO reliability (start_us, interval_s,"
	    " segment, device, ip") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (sql_cat(&sql, ", %s", rel_cols[k]) == -1)
			goto out;
	if (sql_cat(&sql, hour ? ") VALUES (?1, ?3" : ") VALUES (?1, ?2,"
	    " ?3, ?4, ?5") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (sql_cat(&sql, ", ?%d", k + 6) == -1)
			goto out;
	if (sql_cat(&sql, hour ? ") ON CONFLICT (hour_us, segment) DO UPDATE"
	    " SET" : ") ON CONFLICT (start_us, segment, device) DO UPDATE"
	    " SET ip = CASE WHEN excluded.ip <> '' THEN excluded.ip ELSE ip"
	    " END,") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (sql_cat(&sql, " %s = %s + excluded.%s%s", rel_cols[k],
		    rel_cols[k], rel_cols[k], k + 1 < REL_NCOUNTS ? "," : "")
		    == -1)
			goto out;
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
		setdberr(st, "reliability");
		goto out;
	}
	rc = 0;
out:
	if (sql == NULL && rc == -1 && st->err[0] == '\0')
		seterr(st, "out of memory");
	sqlite3_free(sql);
	return rc;
}

int
store_put_reliability(struct store *st, const struct store_rel *rows,
    size_t n)
{
	sqlite3_stmt *s = NULL, *h = NULL, *one;
	size_t i;
	int k, rc = -1, pass;

	if (!writable(st))
		return -1;
	if (st->version < 5) {
		seterr(st, "reliability: database schema too old");
		return -1;
	}
	if (prepare_rel(st, 0, &s) == -1 ||
	    (st->version >= 6 && prepare_rel(st, 1, &h) == -1))
		goto out;
	for (i = 0; i < n; i++) {
		if (rows[i].interval_s <= 0) {
			seterr(st, "reliability: interval must be positive");
			goto out;
		}
		/* The detail row, then its hour (times before 1970: none). */
		for (pass = 0; pass < 2; pass++) {
			one = pass == 0 ? s : h;
			if (one == NULL || (pass == 1 && rows[i].start_us < 0))
				continue;
			sqlite3_bind_int64(one, 1, pass == 0 ? rows[i].start_us :
			    rows[i].start_us / HOUR_US * HOUR_US);
			sqlite3_bind_int64(one, 2, rows[i].interval_s);
			bind_text(one, 3, rows[i].segment);
			bind_text(one, 4, rows[i].device);
			bind_text(one, 5, rows[i].ip);
			for (k = 0; k < REL_NCOUNTS; k++)
				sqlite3_bind_int64(one, k + 6,
				    u64(rows[i].n[k]));
			if (step_done(st, one, "reliability") == -1)
				goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(h);
	sqlite3_finalize(s);
	return rc;
}

/* Does schema (main, or s0.. of a merged store) have table name? */
static int
has_table(struct store *st, const char *schema, const char *name)
{
	sqlite3_stmt *s;
	char sql[160];
	int found = 0;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s.sqlite_master WHERE"
	    " type = 'table' AND name = '%s'", schema, name);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

/* Appends "u SELECT t, segment, device, counts FROM schema.table" for
 * rows with lo <= t < hi (t: its time column, dev: its device column). */
static int
rel_part(char **sql, const char *u, const char *schema, const char *table,
    const char *t, const char *dev, const char *lo, const char *hi)
{
	int k;

	if (sql_cat(sql, "%s SELECT %s, segment, %s", u, t, dev) == -1)
		return -1;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (sql_cat(sql, ", %s", rel_cols[k]) == -1)
			return -1;
	return sql_cat(sql, " FROM %s.%s WHERE %s >= %s AND %s < %s", schema,
	    table, t, lo, t, hi);
}

int
store_query_reliability(struct store *st, int64_t since, int64_t until,
    const char *segment, int (*fn)(void *, const struct store_rel *),
    void *arg)
{
	struct store_rel r;
	sqlite3_stmt *s = NULL;
	char *sql = NULL, schema[16];
	const char *u = "";
	size_t i, nsrc = 0;
	int64_t lo, hi, h1, h2;
	int k, rc = -1, step;

	/* Every attached file with the table, or just main. */
	for (i = 0; ; i++) {
		int has;

		if (st->merged)
			snprintf(schema, sizeof(schema), "s%zu", i);
		else
			strlcpy(schema, "main", sizeof(schema));
		if (st->merged && i >= STORE_MERGE_MAX)
			break;
		has = has_table(st, schema, "reliability");
		if (has == -1 && st->merged)
			break;
		/*
		 * Segment totals read the whole hours [?4, ?5) from the
		 * schema-6 roll-up, the edges from the detail; one segment's
		 * devices only come from the detail.
		 */
		if (has == 1 && segment == NULL && st->rollup &&
		    has_table(st, schema, "reliability_hour") == 1) {
			if (rel_part(&sql, u, schema, "reliability", "start_us",
			    "device", "?1", "?4") == -1 ||
			    rel_part(&sql, " UNION ALL", schema,
			    "reliability_hour", "hour_us", "''", "?4", "?5") ==
			    -1 || rel_part(&sql, " UNION ALL", schema,
			    "reliability", "start_us", "device", "?5", "?2") ==
			    -1)
				goto out;
			u = " UNION ALL";
			nsrc++;
		} else if (has == 1) {
			if (rel_part(&sql, u, schema, "reliability",
			    "start_us", "device", "?1", "?2") == -1)
				goto out;
			u = " UNION ALL";
			nsrc++;
		}
		if (!st->merged)
			break;
	}
	if (nsrc == 0)
		return 0;
	/* One row per segment and hour, or per device and hour of one. */
	{
		char *q = NULL;

		if (sql_cat(&q, "SELECT (start_us / 3600000000) * 3600000000"
		    " AS h, segment, %s", segment != NULL ? "device" :
		    "''") == -1) {
			sqlite3_free(q);
			goto out;
		}
		for (k = 0; k < REL_NCOUNTS; k++)
			if (sql_cat(&q, ", sum(%s)", rel_cols[k]) == -1) {
				sqlite3_free(q);
				goto out;
			}
		if (sql_cat(&q, " FROM (%s)%s GROUP BY h, segment%s"
		    " ORDER BY segment, h%s", sql, segment != NULL ?
		    " WHERE segment = ?3" : "", segment != NULL ? ", device" :
		    "", segment != NULL ? ", device" : "") == -1) {
			sqlite3_free(q);
			goto out;
		}
		sqlite3_free(sql);
		sql = q;
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		setdberr(st, "reliability");
		goto out;
	}
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	if (segment != NULL)
		bind_text(s, 3, segment);
	/* The whole hours of the period (none: both until). */
	lo = since > 0 ? since : 0;
	hi = until < ROLLUP_END_US ? until : ROLLUP_END_US;
	h1 = h2 = until;
	if (lo < hi && -util_floor_div(-lo, HOUR_US) <
	    util_floor_div(hi, HOUR_US)) {
		h1 = -util_floor_div(-lo, HOUR_US) * HOUR_US;
		h2 = util_floor_div(hi, HOUR_US) * HOUR_US;
	}
	sqlite3_bind_int64(s, 4, h1);
	sqlite3_bind_int64(s, 5, h2);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.start_us = sqlite3_column_int64(s, 0);
		r.interval_s = 3600;
		r.segment = (const char *)sqlite3_column_text(s, 1);
		r.device = (const char *)sqlite3_column_text(s, 2);
		r.ip = "";
		if (r.segment == NULL)
			r.segment = "";
		if (r.device == NULL)
			r.device = "";
		for (k = 0; k < REL_NCOUNTS; k++)
			r.n[k] = col_u64(s, k + 3);
		if (fn(arg, &r) == -1) {
			seterr(st, "reliability query stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		setdberr(st, "reliability");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return rc;
}

int
store_query_uploads(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_upload_row *), void *arg)
{
	struct store_upload_row r;
	sqlite3_stmt *s;
	char *sql = NULL;
	int step, rc = -1;

	/* Departments came with schema 3; a merged view always has them. */
	if (sql_cat(&sql, "SELECT f.device, f.ip, %s, f.service,"
	    " coalesce(nullif(sv.name, ''), f.service), f.bucket, f.window_s,"
	    " f.bytes_up FROM findings f LEFT JOIN services sv"
	    " ON sv.id = f.service WHERE f.first_us >= ?1 AND f.first_us < ?2"
	    " AND f.bytes_up > 0 AND coalesce(nullif(sv.category, ''),"
	    " f.category) IN ('webmail', 'cloud-storage', 'file-sharing')"
	    " ORDER BY f.bucket, f.device, f.service",
	    st->merged || st->version >= 3 ? "f.department" : "''") == -1) {
		seterr(st, "out of memory");
		return -1;
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		setdberr(st, "uploads");
		sqlite3_free(sql);
		return -1;
	}
	sqlite3_free(sql);
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.device = col_text(s, 0);
		r.ip = col_text(s, 1);
		r.department = col_text(s, 2);
		r.service = col_text(s, 3);
		r.name = col_text(s, 4);
		r.bucket_us = sqlite3_column_int64(s, 5) * 1000000;
		r.window_s = sqlite3_column_int64(s, 6);
		r.bytes_up = col_u64(s, 7);
		if (fn(arg, &r) == -1) {
			seterr(st, "uploads query stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		setdberr(st, "uploads");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}
