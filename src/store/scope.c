/* SPDX-License-Identifier: ISC */
/*
 * scope.c: a summary of part of the organisation (summary --department,
 * --owner). The devices of the part go into a TEMP table, and TEMP views
 * named like every table with a device column shadow them with only those
 * devices' rows, so that every read query of query.c works unchanged.
 * Capture runs and network health are per sensor and segment, not per
 * device, and stay whole.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

/* The tables restricted, all with a "device" column. */
static const char *const scoped[] = {
	"findings", "findings_day", "findings_month", "unclassified",
	"unclassified_month", "destinations", "destinations_day",
	"destinations_month", "device_days", "credentials", "lookups",
};

int
store_query_device_keys(struct store *st, const char *department,
    int (*fn)(void *, const struct store_device_key *), void *arg)
{
	struct store_device_key k;
	sqlite3_stmt *s;
	int rc;

	/* Months hold every row from 1970 to 9999; detail the rest. */
	if (sqlite3_prepare_v2(st->db, "SELECT device, max(ip), max(mac),"
	    " max(department = ?1) FROM (SELECT device, ip, mac, department"
	    " FROM findings_month UNION ALL SELECT device, ip, mac,"
	    " department FROM findings WHERE first_us < 0 OR first_us >= ?2)"
	    " GROUP BY device ORDER BY device", -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "devices");
		return -1;
	}
	sqlite3_bind_text(s, 1, department != NULL ? department : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, st->rollup ? ROLLUP_END_US : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k.device = col_text(s, 0);
		k.ip = col_text(s, 1);
		k.mac = col_text(s, 2);
		k.in_department = department != NULL &&
		    sqlite3_column_int(s, 3) != 0;
		if (fn(arg, &k) == -1) {
			sqlite3_finalize(s);
			store_seterr(st, "devices query stopped");
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_dberr(st, "devices");
		return -1;
	}
	return 0;
}

int
store_scope(struct store *st, const char *const *devices, size_t n)
{
	sqlite3_stmt *s;
	char sql[512];
	size_t i;
	int rc;

	if (store_exec(st, "CREATE TEMP TABLE scope_devices (device TEXT"
	    " PRIMARY KEY) WITHOUT ROWID") == -1)
		return -1;
	if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO"
	    " temp.scope_devices VALUES (?1)", -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "scope");
		return -1;
	}
	for (i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, devices[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
			sqlite3_finalize(s);
			store_dberr(st, "scope");
			return -1;
		}
	}
	sqlite3_finalize(s);
	for (i = 0; i < nitems(scoped); i++) {
		snprintf(sql, sizeof(sql), "CREATE TEMP VIEW %s AS SELECT *"
		    " FROM main.%s WHERE device IN (SELECT device FROM"
		    " temp.scope_devices)", scoped[i], scoped[i]);
		if (store_exec(st, sql) == -1)
			return -1;
	}
	/* The statements were prepared against the tables: again. */
	for (i = 0; i < ST_MAX; i++) {
		sqlite3_finalize(st->stmt[i]);
		st->stmt[i] = NULL;
	}
	return store_prepare_all(st);
}
