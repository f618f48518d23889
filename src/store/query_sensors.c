/* SPDX-License-Identifier: ISC */
/*
 * query_sensors.c: which sensors and inputs a summary period was seen by
 * (the runs whose packets overlap it), for the report's basis. Works on
 * one database of any schema version and on a merged handle, whose runs
 * view names each file's sensor.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

/* The runs of a period, as ST_COVERAGE selects them; r is the alias. */
#define RUNS_IN_PERIOD(r)						\
	" WHERE (" r "first_ts IS NOT NULL AND " r "last_ts >= ?1"	\
	" AND " r "first_ts < ?2) OR (" r "first_ts IS NULL"		\
	" AND ?1 = -9223372036854775807 - 1 AND ?2 = 9223372036854775807)" \
	" GROUP BY 1, 2 ORDER BY 1, 2"

int
store_query_sensors(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_sensor_row *), void *arg)
{
	struct store_sensor_row r;
	sqlite3_stmt *s;
	const char *sql;
	int step, rc = -1;

	if (st->merged)
		sql = "SELECT sensor, source, count(*) FROM runs"
		    RUNS_IN_PERIOD("");
	else if (st->version >= 3)
		sql = "SELECT coalesce(s.name, ''), r.source, count(*)"
		    " FROM runs r LEFT JOIN sensors s ON s.id = r.sensor_id"
		    RUNS_IN_PERIOD("r.");
	else
		sql = "SELECT '', source, count(*) FROM runs"
		    RUNS_IN_PERIOD("");
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "sensors");
		return -1;
	}
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.sensor = col_text(s, 0);
		r.source = col_text(s, 1);
		r.runs = col_u64(s, 2);
		if (fn(arg, &r) == -1) {
			store_seterr(st, "sensors query stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_dberr(st, "sensors");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}
