/* SPDX-License-Identifier: ISC */
/*
 * write.c: the store's writes: transactions, capture runs and sensors,
 * and the upserts of findings, destinations, credentials, devices,
 * health and unclassified names. Each write also adds its counts to the
 * schema-6 roll-ups of its month and day.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

/* The upsert each write makes into a roll-up (schema.c creates them). */
#define FINDINGS_ROLLUP_ADD(t, k)					\
	"INSERT INTO " t " (" k ", device, service, verdict, category,"	\
	" department, ip, mac, flows, bytes_up, bytes_down, first_us,"	\
	" last_us, instance)"						\
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"	\
	" ?14)"								\
	" ON CONFLICT (" k ", device, service, instance, verdict,"	\
	" category, department) DO UPDATE SET"				\
	" ip = max(ip, excluded.ip), mac = max(mac, excluded.mac),"	\
	" flows = flows + excluded.flows,"				\
	" bytes_up = bytes_up + excluded.bytes_up,"			\
	" bytes_down = bytes_down + excluded.bytes_down,"		\
	" first_us = min(first_us, excluded.first_us),"			\
	" last_us = max(last_us, excluded.last_us)"
#define DESTINATIONS_ROLLUP_ADD(t, k)					\
	"INSERT INTO " t " (" k ", country, asn, device, flows,"	\
	" bytes_up, bytes_down) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"	\
	" ON CONFLICT (" k ", country, asn, device) DO UPDATE SET"	\
	" flows = flows + excluded.flows,"				\
	" bytes_up = bytes_up + excluded.bytes_up,"			\
	" bytes_down = bytes_down + excluded.bytes_down"

const char *const write_sql[ST_FIRST_READ] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RUN_BEGIN] =
	    "INSERT INTO runs (started_at, source, filter, rules, sensor_id,"
	    " fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_RUN_END] =
	    "UPDATE runs SET finished_at = ?2, packets = ?3, bytes = ?4,"
	    " flows = ?5, kernel_drops = ?6, decode_errors = ?7,"
	    " first_ts = ?8, last_ts = ?9, rows_dropped = ?10,"
	    " rows_unwritten = ?11, read_error = ?12, status = ?13,"
	    " status_reason = ?14, bad_time = ?15 WHERE id = ?1",
	[ST_RUN_PROGRESS] =
	    "UPDATE runs SET packets = ?2, bytes = ?3, flows = ?4,"
	    " kernel_drops = ?5, decode_errors = ?6, first_ts = ?7,"
	    " last_ts = ?8 WHERE id = ?1 AND finished_at IS NULL",
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
	    " first_us, last_us, evidence, confidence, department, instance)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17)"
	    " ON CONFLICT (device, service, instance, bucket) DO UPDATE SET"
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
	    " first_us, last_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?7)"
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
	    " VALUES (?1, ?2, ?4, ?3) ON CONFLICT (device, ip) DO UPDATE SET"
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
	[ST_LOOKUP] =
	    "INSERT INTO lookups (device, service, bucket, window_s, lookups,"
	    " first_us, last_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (device, service, bucket) DO UPDATE SET"
	    " lookups = lookups + excluded.lookups,"
	    " first_us = min(first_us, excluded.first_us),"
	    " last_us = max(last_us, excluded.last_us)",
};

/* Slots of the per-transaction set of stubbed services (a power of 2). */
#define STUB_SLOTS	1024

/*
 * 1 when the open transaction has made sure of service id already (the
 * caller skips the insert), else 0, and id is remembered while the set
 * is under 3/4 full. Ids come from the parser, hence the keyed hash.
 */
static int
stub_seen(struct store *st, const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n > SERVICE_ID_MAX)
		return 0;
	if (st->stub == NULL) {
		st->stub = xcalloc(STUB_SLOTS, sizeof(*st->stub));
		siphash_key_init(&st->stub_key, 0);
	}
	for (i = siphash13(&st->stub_key, id, n) & (STUB_SLOTS - 1);;
	    i = (i + 1) & (STUB_SLOTS - 1)) {
		if (st->stub[i][0] == '\0')
			break;
		if (strcmp(st->stub[i], id) == 0)
			return 1;
	}
	if (st->nstub < STUB_SLOTS / 4 * 3) {
		memcpy(st->stub[i], id, n + 1);
		st->nstub++;
	}
	return 0;
}

int
store_begin(struct store *st)
{
	if (!store_writable(st))
		return -1;
	if (st->nstub > 0) {
		memset(st->stub, 0, STUB_SLOTS * sizeof(*st->stub));
		st->nstub = 0;
	}
	if (st->in_tx) {
		store_seterr(st, "a transaction is already open");
		return -1;
	}
	if (store_step_done(st, st->stmt[ST_BEGIN], "begin") == -1)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st)
{
	if (!st->in_tx) {
		store_seterr(st, "no transaction to commit");
		return -1;
	}
	if (store_step_done(st, st->stmt[ST_COMMIT], "commit") == -1)
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
	if (store_step_done(st, st->stmt[ST_ROLLBACK], "rollback") == -1)
		return -1;
	st->in_tx = 0;
	return 0;
}

int
store_set_sensor(struct store *st, const char *name)
{
	if (!store_writable(st))
		return -1;
	if (name == NULL || *name == '\0' ||
	    strlen(name) >= sizeof(st->sensor)) {
		store_seterr(st, "sensor name must be 1 to %zu bytes",
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
	bind_static(s, 1, st->sensor);
	bind_static(s, 2, now);
	if (store_step_done(st, s, "sensor") == -1)
		return -1;
	s = st->stmt[ST_SENSOR_ID];
	bind_static(s, 1, st->sensor);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		st->sensor_id = sqlite3_column_int64(s, 0);
	else
		store_dberr(st, "sensor");
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_run_begin(struct store *st, const struct run_info *ri, int64_t *run_id)
{
	sqlite3_stmt *s;
	char now[UTIL_TS_LEN];

	if (!store_writable(st))
		return -1;
	if (st->sensor_id == 0 && sensor_id(st) == -1)
		return -1;
	s = st->stmt[ST_RUN_BEGIN];
	util_iso8601((int64_t)time(NULL) * 1000000, now, sizeof(now));
	bind_static(s, 1, now);
	bind_static(s, 2, ri->source != NULL ? ri->source : "");
	bind_static(s, 3, ri->filter);
	bind_static(s, 4, ri->rules);
	sqlite3_bind_int64(s, 5, st->sensor_id);
	bind_static(s, 6, ri->fingerprint);
	if (store_step_done(st, s, "run begin") == -1)
		return -1;
	*run_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_run_find(struct store *st, const char *fingerprint, int64_t *run_id,
    char *started, size_t startedlen, char *source, size_t sourcelen)
{
	sqlite3_stmt *s;
	const unsigned char *t;
	int rc;

	if (st->version < 7 || st->merged)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT id, started_at, source FROM runs"
	    " WHERE fingerprint = ?1 ORDER BY id LIMIT 1", -1, &s,
	    NULL) != SQLITE_OK) {
		store_dberr(st, "run find");
		return -1;
	}
	sqlite3_bind_text(s, 1, fingerprint, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*run_id = sqlite3_column_int64(s, 0);
		t = sqlite3_column_text(s, 1);
		strlcpy(started, t != NULL ? (const char *)t : "", startedlen);
		t = sqlite3_column_text(s, 2);
		strlcpy(source, t != NULL ? (const char *)t : "", sourcelen);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		store_dberr(st, "run find");
		rc = -1;
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_run_end(struct store *st, int64_t run_id, const struct run_stats *rs)
{
	sqlite3_stmt *s;
	char now[UTIL_TS_LEN];

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_RUN_END];
	util_iso8601((int64_t)time(NULL) * 1000000, now, sizeof(now));
	sqlite3_bind_int64(s, 1, run_id);
	bind_static(s, 2, now);
	sqlite3_bind_int64(s, 3, u64(rs->packets));
	sqlite3_bind_int64(s, 4, u64(rs->bytes));
	sqlite3_bind_int64(s, 5, u64(rs->flows));
	sqlite3_bind_int64(s, 6, u64(rs->kernel_drops));
	sqlite3_bind_int64(s, 7, u64(rs->decode_errors));
	if (rs->packets > rs->bad_time && rs->first_us != 0) {
		sqlite3_bind_int64(s, 8, rs->first_us);
		sqlite3_bind_int64(s, 9, rs->last_us);
	} else {
		sqlite3_bind_null(s, 8);
		sqlite3_bind_null(s, 9);
	}
	sqlite3_bind_int64(s, 10, u64(rs->rows_dropped));
	sqlite3_bind_int64(s, 11, u64(rs->rows_unwritten));
	sqlite3_bind_int64(s, 12, rs->read_error != 0);
	bind_static(s, 13, rs->failed != NULL ? "failed" : "finished");
	bind_static(s, 14, rs->failed != NULL ? rs->failed : "");
	sqlite3_bind_int64(s, 15, u64(rs->bad_time));
	if (store_step_done(st, s, "run end") == -1)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		store_seterr(st, "run end: no run %" PRId64, run_id);
		return -1;
	}
	return 0;
}

int
store_run_progress(struct store *st, int64_t run_id,
    const struct run_stats *rs)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_RUN_PROGRESS];
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, u64(rs->packets));
	sqlite3_bind_int64(s, 3, u64(rs->bytes));
	sqlite3_bind_int64(s, 4, u64(rs->flows));
	sqlite3_bind_int64(s, 5, u64(rs->kernel_drops));
	sqlite3_bind_int64(s, 6, u64(rs->decode_errors));
	if (rs->packets > 0) {
		sqlite3_bind_int64(s, 7, rs->first_us);
		sqlite3_bind_int64(s, 8, rs->last_us);
	} else {
		sqlite3_bind_null(s, 7);
		sqlite3_bind_null(s, 8);
	}
	return store_step_done(st, s, "run progress");
}

int
store_put_service(struct store *st, const char *id, const char *name,
    const char *category, const char *risk, enum verdict verdict)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_SERVICE];
	bind_static(s, 1, id);
	bind_static(s, 2, name != NULL && *name != '\0' ? name : id);
	bind_static(s, 3, category != NULL ? category : "");
	bind_static(s, 4, risk);
	bind_static(s, 5, verdict_str(verdict));
	return store_step_done(st, s, "service");
}

/* Adds f's counts to its row of a findings roll-up starting at k_us. */
static int
add_finding_rollup(struct store *st, enum stmt_id id, int64_t k_us,
    const struct finding *f)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_bind_int64(s, 1, k_us);
	bind_static(s, 2, f->device);
	bind_static(s, 3, f->service);
	bind_static(s, 4, verdict_str(f->verdict));
	bind_static(s, 5, f->category);
	bind_static(s, 6, f->department);
	bind_static(s, 7, f->ip);
	bind_static(s, 8, f->mac);
	sqlite3_bind_int64(s, 9, u64(f->flows));
	sqlite3_bind_int64(s, 10, u64(f->bytes_up));
	sqlite3_bind_int64(s, 11, u64(f->bytes_down));
	sqlite3_bind_int64(s, 12, f->first_us);
	sqlite3_bind_int64(s, 13, f->last_us);
	bind_static(s, 14, f->instance);
	return store_step_done(st, s, "finding roll-up");
}

int
store_add_finding(struct store *st, const struct finding *f)
{
	sqlite3_stmt *s;
	sqlite3_int64 bytes;
	int unsanctioned;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_SERVICE_STUB];
	if (!st->in_tx || !stub_seen(st, f->service)) {
		bind_static(s, 1, f->service);
		bind_static(s, 2, f->category);
		bind_static(s, 3, verdict_str(f->verdict));
		if (store_step_done(st, s, "finding service") == -1)
			return -1;
	}

	s = st->stmt[ST_FINDING];
	bind_static(s, 1, f->device);
	bind_static(s, 2, f->ip);
	bind_static(s, 3, f->mac);
	bind_static(s, 4, f->service);
	bind_static(s, 5, f->category);
	bind_static(s, 6, verdict_str(f->verdict));
	sqlite3_bind_int64(s, 7, f->bucket);
	sqlite3_bind_int64(s, 8, f->window_s);
	sqlite3_bind_int64(s, 9, u64(f->flows));
	sqlite3_bind_int64(s, 10, u64(f->bytes_up));
	sqlite3_bind_int64(s, 11, u64(f->bytes_down));
	sqlite3_bind_int64(s, 12, f->first_us);
	sqlite3_bind_int64(s, 13, f->last_us);
	bind_static(s, 14, f->evidence);
	sqlite3_bind_int(s, 15, f->confidence);
	bind_static(s, 16, f->department);
	bind_static(s, 17, f->instance);
	if (store_step_done(st, s, "finding") == -1)
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
	bind_static(s, 2, f->device);
	sqlite3_bind_int(s, 3, unsanctioned);
	bytes = u64(f->bytes_up);
	bytes = u64(f->bytes_down) > INT64_MAX - bytes ? INT64_MAX :
	    bytes + u64(f->bytes_down);
	sqlite3_bind_int64(s, 4, unsanctioned ? bytes : 0);
	sqlite3_bind_int64(s, 5, unsanctioned ? 0 : bytes);
	return store_step_done(st, s, "device day");
}

/* Adds d's counts to its row of a destinations roll-up from k_us. */
static int
add_dest_rollup(struct store *st, enum stmt_id id, int64_t k_us,
    const struct destination *d)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_bind_int64(s, 1, k_us);
	bind_static(s, 2, d->country);
	sqlite3_bind_int64(s, 3, d->asn);
	bind_static(s, 4, d->device);
	sqlite3_bind_int64(s, 5, u64(d->flows));
	sqlite3_bind_int64(s, 6, u64(d->bytes_up));
	sqlite3_bind_int64(s, 7, u64(d->bytes_down));
	return store_step_done(st, s, "destination roll-up");
}

int
store_add_destination(struct store *st, const struct destination *d)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_DESTINATION];
	bind_static(s, 1, d->device);
	bind_static(s, 2, d->service);
	bind_static(s, 3, d->country);
	sqlite3_bind_int64(s, 4, d->asn);
	sqlite3_bind_int64(s, 5, d->bucket);
	sqlite3_bind_int64(s, 6, d->window_s);
	sqlite3_bind_int64(s, 7, u64(d->flows));
	sqlite3_bind_int64(s, 8, u64(d->bytes_up));
	sqlite3_bind_int64(s, 9, u64(d->bytes_down));
	sqlite3_bind_int64(s, 10, d->first_us);
	sqlite3_bind_int64(s, 11, d->last_us);
	if (store_step_done(st, s, "destination") == -1)
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
	bind_static(s, 2, d->as_org);
	return store_step_done(st, s, "AS name");
}

int
store_add_credential(struct store *st, const struct credential *c)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_CREDENTIAL];
	bind_static(s, 1, c->device);
	bind_static(s, 2, c->ip);
	bind_static(s, 3, c->proto);
	bind_static(s, 4, c->server);
	bind_static(s, 5, c->user);
	sqlite3_bind_int64(s, 6, u64(c->count));
	sqlite3_bind_int64(s, 7, c->first_us);
	sqlite3_bind_int64(s, 8, c->last_us);
	return store_step_done(st, s, "credential");
}

int
store_put_device(struct store *st, const struct store_device *d)
{
	sqlite3_stmt *s;
	int64_t first = d->first_us != 0 && d->first_us < d->ts_us ?
	    d->first_us : d->ts_us;

	if (!store_writable(st))
		return -1;
	if (d->device[0] == '\0') {
		store_seterr(st, "device: no key");
		return -1;
	}
	s = st->stmt[ST_DEVICE];
	bind_static(s, 1, d->device);
	bind_static(s, 2, d->mac);
	bind_static(s, 3, d->ip);
	bind_static(s, 4, d->hostname);
	bind_static(s, 5, d->vendor_class);
	bind_static(s, 6, d->prl);
	sqlite3_bind_int64(s, 7, d->ts_us);
	sqlite3_bind_int64(s, 8, first);
	if (store_step_done(st, s, "device") == -1)
		return -1;
	if (d->ip[0] != '\0') {
		s = st->stmt[ST_DEVICE_IP];
		bind_static(s, 1, d->device);
		bind_static(s, 2, d->ip);
		sqlite3_bind_int64(s, 3, d->ts_us);
		sqlite3_bind_int64(s, 4, first);
		if (store_step_done(st, s, "device address") == -1)
			return -1;
	}
	if (d->hostname[0] != '\0') {
		s = st->stmt[ST_DEVICE_NAME];
		bind_static(s, 1, d->device);
		bind_static(s, 2, d->hostname);
		sqlite3_bind_int64(s, 3, d->ts_us);
		if (store_step_done(st, s, "device name") == -1)
			return -1;
	}
	return 0;
}

int
store_put_health(struct store *st, const struct store_health *h)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	if (h->interval_s <= 0) {
		store_seterr(st, "health: interval must be positive");
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
	return store_step_done(st, s, "health");
}

int
store_add_unclassified(struct store *st, const struct unclassified *u)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_UNCLASSIFIED];
	bind_static(s, 1, u->device);
	bind_static(s, 2, u->name);
	sqlite3_bind_int64(s, 3, u->bucket);
	sqlite3_bind_int64(s, 4, u->window_s);
	sqlite3_bind_int64(s, 5, u64(u->flows));
	sqlite3_bind_int64(s, 6, u64(u->bytes_up));
	sqlite3_bind_int64(s, 7, u64(u->bytes_down));
	sqlite3_bind_int64(s, 8, u->first_us);
	sqlite3_bind_int64(s, 9, u->last_us);
	if (store_step_done(st, s, "unclassified") == -1)
		return -1;
	if (u->first_us < 0 || u->first_us >= ROLLUP_END_US)
		return 0;
	s = st->stmt[ST_UNCL_MONTH];
	sqlite3_bind_int64(s, 1, month_floor_us(u->first_us));
	bind_static(s, 2, u->name);
	bind_static(s, 3, u->device);
	sqlite3_bind_int64(s, 4, u64(u->flows));
	sqlite3_bind_int64(s, 5, u64(u->bytes_up));
	sqlite3_bind_int64(s, 6, u64(u->bytes_down));
	sqlite3_bind_int64(s, 7, u->first_us);
	sqlite3_bind_int64(s, 8, u->last_us);
	return store_step_done(st, s, "unclassified month");
}

int
store_add_lookup(struct store *st, const struct lookup *l)
{
	sqlite3_stmt *s;

	if (!store_writable(st))
		return -1;
	s = st->stmt[ST_LOOKUP];
	bind_static(s, 1, l->device);
	bind_static(s, 2, l->service);
	sqlite3_bind_int64(s, 3, l->bucket);
	sqlite3_bind_int64(s, 4, l->window_s);
	sqlite3_bind_int64(s, 5, u64(l->count));
	sqlite3_bind_int64(s, 6, l->first_us);
	sqlite3_bind_int64(s, 7, l->last_us);
	return store_step_done(st, s, "lookup");
}

int
store_inventory_replace(struct store *st,
    const struct store_inventory_row *v, size_t n)
{
	sqlite3_stmt *s = NULL;
	size_t i;

	if (!store_writable(st) || store_begin(st) == -1)
		return -1;
	if (store_exec(st, "DELETE FROM inventory") == -1)
		goto fail;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO inventory (line, match,"
	    " name, owner, department, asset) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6)", -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "inventory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int(s, 1, v[i].line);
		bind_static(s, 2, v[i].match);
		bind_static(s, 3, v[i].name);
		bind_static(s, 4, v[i].owner);
		bind_static(s, 5, v[i].department);
		bind_static(s, 6, v[i].asset);
		if (sqlite3_step(s) != SQLITE_DONE) {
			store_dberr(st, "inventory");
			goto fail;
		}
	}
	sqlite3_finalize(s);
	return store_commit(st);
fail:
	sqlite3_finalize(s);
	store_rollback(st);
	return -1;
}
