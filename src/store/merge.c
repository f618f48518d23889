/* SPDX-License-Identifier: ISC */
/*
 * merge.c: several database files read as one (summary -d a -d b,
 * export). The files are attached to an in-memory database under TEMP
 * views named like the tables, so every read query runs unchanged;
 * device keys get a "sensor/" prefix. store_export() reads those views.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

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

/*
 * The roll-ups' views, appended to *sql: only when every file has them,
 * else views that read detail for all (st->rollup says which). 0 or -1.
 */
static int
rollup_views(struct store *st, size_t n, const int64_t *ver,
    char (*sensor)[256], char **sql)
{
	char pre[260];
	size_t i, v;

	for (i = 0; i < n && ver[i] >= 6; i++)
		;
	st->rollup = i == n;
	if (!st->rollup)
		return store_sql_cat(sql, "%s", schema_no_rollup_views);
	for (v = 0; v < nitems(rollup_view); v++) {
		if (store_sql_cat(sql, "CREATE TEMP VIEW %s AS",
		    rollup_view[v].name) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			/* Findings have an instance from schema 9. */
			if (store_sql_cat(sql, "%s SELECT %s%Q || device AS"
			    " device%s%s FROM s%d.%s", i == 0 ? "" :
			    " UNION ALL", rollup_view[v].before,
			    prefix(pre, sizeof(pre), n, sensor[i]),
			    rollup_view[v].after, v > 1 ? "" : ver[i] >= 9 ?
			    ", instance" : ", '' AS instance", (int)i,
			    rollup_view[v].name) == -1)
				return -1;
		}
		if (store_sql_cat(sql, ";") == -1)
			return -1;
	}
	return 0;
}

/*
 * The views of schema 10 (lookups, inventory) and the devices table, which
 * files before them read as empty.
 */
static int
lookups_view(char **sql, size_t n, const int64_t *ver, char (*sensor)[256])
{
	char pre[260];
	const char *u;
	size_t i;

	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW lookups AS" : " UNION ALL";
		if (ver[i] >= 10 ? store_sql_cat(sql, "%s SELECT %Q || device"
		    " AS device, service, bucket, window_s, lookups, first_us,"
		    " last_us FROM s%d.lookups", u, prefix(pre, sizeof(pre), n,
		    sensor[i]), (int)i) : store_sql_cat(sql, "%s SELECT ''"
		    " AS device, '' AS service, 0 AS bucket, 1 AS window_s,"
		    " 0 AS lookups, 0 AS first_us, 0 AS last_us WHERE 0", u)
		    == -1)
			return -1;
	}
	if (store_sql_cat(sql, ";") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW devices AS" : " UNION ALL";
		if (ver[i] >= 3 ? store_sql_cat(sql, "%s SELECT %Q || device"
		    " AS device, mac, ip, hostname FROM s%d.devices", u,
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) :
		    store_sql_cat(sql, "%s SELECT '' AS device, '' AS mac,"
		    " '' AS ip, '' AS hostname WHERE 0", u) == -1)
			return -1;
	}
	if (store_sql_cat(sql, ";") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW device_names AS" : " UNION ALL";
		if (ver[i] >= 3 ? store_sql_cat(sql, "%s SELECT %Q || device"
		    " AS device, hostname, first_us, last_us FROM"
		    " s%d.device_names", u, prefix(pre, sizeof(pre), n,
		    sensor[i]), (int)i) : store_sql_cat(sql, "%s SELECT ''"
		    " AS device, '' AS hostname, 0 AS first_us, 0 AS last_us"
		    " WHERE 0", u) == -1)
			return -1;
	}
	if (store_sql_cat(sql, ";") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW inventory AS" : " UNION ALL";
		if (ver[i] >= 10 ? store_sql_cat(sql, "%s SELECT line, match,"
		    " name, owner, department, asset FROM s%d.inventory", u,
		    (int)i) : store_sql_cat(sql, "%s SELECT 0 AS line, ''"
		    " AS match, '' AS name, '' AS owner, '' AS department, ''"
		    " AS asset WHERE 0", u) == -1)
			return -1;
	}
	return store_sql_cat(sql, ";");
}

/*
 * The views a merged handle reads through. They shadow the tables the
 * read queries name (temp objects come first), so every query works
 * unchanged. Columns a file's version lacks read as '' or 0.
 */
static int
merged_views(struct store *st, size_t n, const int64_t *ver,
    char (*sensor)[256])
{
	char pre[260], *sql = NULL;
	const char *u;
	size_t i;
	int rc = -1, nv3 = 0;

	for (i = 0; i < n; i++) {
		u = i == 0 ? "" : " UNION ALL";
		if (i == 0 && store_sql_cat(&sql,
		    "CREATE TEMP VIEW findings AS") == -1)
			goto out;
		if (store_sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, ip, mac, service, category,"
		    " verdict, bucket,"
		    " window_s, flows, bytes_up, bytes_down, first_us, last_us,"
		    " %s AS evidence, %s AS confidence, %s AS department,"
		    " %s AS instance FROM s%d.findings", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]),
		    ver[i] >= 3 ? "evidence" : "''",
		    ver[i] >= 3 ? "confidence" : "0",
		    ver[i] >= 3 ? "department" : "''",
		    ver[i] >= 9 ? "instance" : "''", (int)i) == -1)
			goto out;
	}
	if (store_sql_cat(&sql, ";") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW unclassified AS" : " UNION ALL";
		if (store_sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, name, bucket, window_s, flows,"
		    " bytes_up, bytes_down, first_us, last_us"
		    " FROM s%d.unclassified", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
	}
	if (store_sql_cat(&sql, ";") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		u = i == 0 ? "CREATE TEMP VIEW runs AS" : " UNION ALL";
		if (store_sql_cat(&sql, "%s SELECT %Q AS sensor, id,"
		    " started_at, finished_at, source, packets, bytes, flows,"
		    " kernel_drops, decode_errors, first_ts, last_ts, %s, %s,"
		    " %s AS bad_time FROM s%d.runs", u,
		    sensor[i], ver[i] >= 3 ? "rows_dropped, rows_unwritten" :
		    "0 AS rows_dropped, 0 AS rows_unwritten", ver[i] >= 8 ?
		    "status, status_reason, read_error" : "CASE WHEN"
		    " finished_at IS NULL THEN 'running' ELSE 'finished' END"
		    " AS status, '' AS status_reason, 0 AS read_error",
		    ver[i] >= 10 ? "bad_time" : "0", (int)i) == -1)
			goto out;
	}
	if (store_sql_cat(&sql, ";CREATE TEMP VIEW services AS SELECT id,"
	    " max(name) AS name, max(category) AS category, max(risk) AS risk,"
	    " max(verdict) AS verdict FROM (") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_sql_cat(&sql, "%s SELECT id, name, category, risk,"
		    " verdict FROM s%d.services", i == 0 ? "" : " UNION ALL",
		    (int)i) == -1)
			goto out;
	}
	if (store_sql_cat(&sql, ") GROUP BY id;") == -1)
		goto out;
	/* Pseudonyms of a merged report use the first file's key. */
	if (ver[0] >= 2 && store_sql_cat(&sql, "CREATE TEMP VIEW secrets AS"
	    " SELECT name, value FROM s0.secrets;") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (ver[i] < 3)
			continue;
		u = nv3 == 0 ? "CREATE TEMP VIEW destinations AS" :
		    " UNION ALL";
		if (store_sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, service, country, asn, bucket,"
		    " window_s, flows, bytes_up, bytes_down, first_us, last_us"
		    " FROM s%d.destinations", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
		nv3++;
	}
	if (nv3 == 0 && store_sql_cat(&sql, "CREATE TEMP VIEW destinations AS"
	    " SELECT '' AS sensor, '' AS dev, '' AS device, '' AS service,"
	    " '' AS country, 0 AS asn, 0 AS bucket, 1 AS window_s, 0 AS flows,"
	    " 0 AS bytes_up, 0 AS bytes_down, 0 AS first_us, 0 AS last_us"
	    " WHERE 0") == -1)
		goto out;
	if (store_sql_cat(&sql, ";") == -1)
		goto out;
	nv3 = 0;
	for (i = 0; i < n; i++) {
		if (ver[i] < 3)
			continue;
		u = nv3 == 0 ? "CREATE TEMP VIEW credentials AS" :
		    " UNION ALL";
		if (store_sql_cat(&sql, "%s SELECT %Q AS sensor, device AS dev,"
		    " %Q || device AS device, ip, proto, server, user, count,"
		    " first_us, last_us FROM s%d.credentials", u, sensor[i],
		    prefix(pre, sizeof(pre), n, sensor[i]), (int)i) == -1)
			goto out;
		nv3++;
	}
	if (nv3 == 0 && store_sql_cat(&sql, "CREATE TEMP VIEW credentials AS"
	    " SELECT '' AS sensor, '' AS dev, '' AS device, '' AS ip,"
	    " '' AS proto, '' AS server, '' AS user, 0 AS count,"
	    " 0 AS first_us, 0 AS last_us WHERE 0") == -1)
		goto out;
	if (store_sql_cat(&sql, ";CREATE TEMP VIEW as_names AS SELECT asn,"
	    " max(name) AS name FROM (SELECT 0 AS asn, '' AS name WHERE 0") ==
	    -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (ver[i] >= 4 && store_sql_cat(&sql, " UNION ALL SELECT asn,"
		    " name FROM s%d.as_names", (int)i) == -1)
			goto out;
	}
	if (store_sql_cat(&sql, ") GROUP BY asn;") == -1)
		goto out;
	if (lookups_view(&sql, n, ver, sensor) == -1)
		goto out;
	if (rollup_views(st, n, ver, sensor, &sql) == -1)
		goto out;
	rc = store_exec(st, sql);
out:
	if (sql == NULL || rc == -1)
		if (st->err[0] == '\0')
			store_seterr(st, "cannot merge: out of memory");
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
		store_seterr(st, "between 1 and %d databases can be merged",
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
		store_seterr(st, "cannot open: out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS ?2", -1, &s,
	    NULL) != SQLITE_OK) {
		store_dberr(st, "attach");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		strlcpy(st->path, paths[i], sizeof(st->path));
		snprintf(name, sizeof(name), "s%zu", i);
		bind_text(s, 1, paths[i]);
		bind_text(s, 2, name);
		if (sqlite3_step(s) != SQLITE_DONE) {
			store_dberr(st, "attach");
			sqlite3_finalize(s);
			goto fail;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	strlcpy(st->path, paths[0], sizeof(st->path));
	if (merged_views(st, n, ver, sensor) == -1 ||
	    store_exec(st, "PRAGMA query_only = ON") == -1)
		goto fail;
	st->version = ver[0] >= 2 ? STORE_SCHEMA_VERSION : 1;
	st->ready = 1;
	if (store_prepare_all(st) == -1)
		goto fail;
	return st;
fail:
	if (err != NULL && errlen > 0)
		strlcpy(err, st->err, errlen);
	store_close(st);
	return NULL;
}

int
store_export(struct store *st, int64_t since_us,
    int (*fn)(void *, const struct store_export_row *), void *arg)
{
	struct store_export_row r;
	sqlite3_stmt *s;
	int rc;

	if (!st->merged) {
		store_seterr(st, "export needs a handle from"
		    " store_open_many()");
		return -1;
	}
	if (sqlite3_prepare_v2(st->db,
	    "SELECT 'finding' AS t, sensor, dev, ip, mac, service, '', category,"
	    " verdict, bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, evidence, confidence, department, '', 0, '', '', '', 0,"
	    " instance FROM findings WHERE first_us >= ?1"
	    " UNION ALL SELECT 'unclassified', sensor, dev, '', '', '', name,"
	    " '', '', bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, '', 0, '', '', 0, '', '', '', 0, ''"
	    " FROM unclassified WHERE first_us >= ?1"
	    " UNION ALL SELECT 'destination', sensor, dev, '', '', service, '',"
	    " '', '', bucket, window_s, flows, bytes_up, bytes_down, first_us,"
	    " last_us, '', 0, '', country, asn, '', '', '', 0, ''"
	    " FROM destinations WHERE first_us >= ?1"
	    " UNION ALL SELECT 'credential', sensor, dev, ip, '', '', '', '',"
	    " '', 0, 0, 0, 0, 0, first_us, last_us, '', 0, '', '', 0, proto,"
	    " server, user, count, '' FROM credentials WHERE first_us >= ?1"
	    " ORDER BY 15, 1, 2, 3, 6, 26, 7", -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "export");
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
		r.instance = col_text(s, 25);
		if (fn(arg, &r) == -1) {
			store_seterr(st, "export stopped");
			sqlite3_finalize(s);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		store_dberr(st, "export");
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}
