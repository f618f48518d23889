/* SPDX-License-Identifier: ISC */
/*
 * reliability.c: the network-health rows of schema 5 (table reliability)
 * and their hourly roll-up (reliability_hour): the write and the read.
 * Both build their SQL from one list of counter columns.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

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
	if (store_sql_cat(&sql, hour ? "INSERT INTO reliability_hour (hour_us,"
	    " segment" : "INSERT INTO reliability (start_us, interval_s,"
	    " segment, device, ip") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (store_sql_cat(&sql, ", %s", rel_cols[k]) == -1)
			goto out;
	if (store_sql_cat(&sql, hour ? ") VALUES (?1, ?3" : ") VALUES (?1, ?2,"
	    " ?3, ?4, ?5") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (store_sql_cat(&sql, ", ?%d", k + 6) == -1)
			goto out;
	if (store_sql_cat(&sql, hour ? ") ON CONFLICT (hour_us, segment) DO"
	    " UPDATE SET" : ") ON CONFLICT (start_us, segment, device) DO"
	    " UPDATE SET ip = CASE WHEN excluded.ip <> '' THEN excluded.ip"
	    " ELSE ip END,") == -1)
		goto out;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (store_sql_cat(&sql, " %s = %s + excluded.%s%s", rel_cols[k],
		    rel_cols[k], rel_cols[k], k + 1 < REL_NCOUNTS ? "," : "")
		    == -1)
			goto out;
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
		store_dberr(st, "reliability");
		goto out;
	}
	rc = 0;
out:
	if (sql == NULL && rc == -1 && st->err[0] == '\0')
		store_seterr(st, "out of memory");
	sqlite3_free(sql);
	return rc;
}

/* Binds one row's key and counters to the upsert of hour (0 or 1). */
static int
put_rel(struct store *st, sqlite3_stmt *one, int hour,
    const struct store_rel *r, const uint64_t *n)
{
	int k;

	sqlite3_bind_int64(one, 1, !hour ? r->start_us :
	    r->start_us / HOUR_US * HOUR_US);
	sqlite3_bind_int64(one, 2, r->interval_s);
	bind_text(one, 3, r->segment);
	bind_text(one, 4, r->device);
	bind_text(one, 5, r->ip);
	for (k = 0; k < REL_NCOUNTS; k++)
		sqlite3_bind_int64(one, k + 6, u64(n[k]));
	return store_step_done(st, one, "reliability");
}

/*
 * Orders rows (by index) by hour, then segment, then place. qsort()
 * takes no argument: the rows are here for the sort's time (a store is
 * used by one thread at a time).
 */
static const struct store_rel *hour_rows;

static int
hour_cmp(const void *pa, const void *pb)
{
	const struct store_rel *a = &hour_rows[*(const size_t *)pa];
	const struct store_rel *b = &hour_rows[*(const size_t *)pb];
	int64_t ha = a->start_us / HOUR_US, hb = b->start_us / HOUR_US;
	int c;

	if (ha != hb)
		return ha < hb ? -1 : 1;
	if ((c = strcmp(a->segment, b->segment)) != 0)
		return c;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/*
 * The hourly roll-up of rows: their counters summed per hour and segment
 * here, so that each roll-up row takes one upsert per call rather than
 * one per device (a flood of new devices made as many of each).
 */
static int
put_rel_hours(struct store *st, sqlite3_stmt *h, const struct store_rel *rows,
    size_t n)
{
	uint64_t sum[REL_NCOUNTS];
	size_t *ix, i, j, m = 0;
	int k, rc = 0;

	ix = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*ix));
	for (i = 0; i < n; i++)
		if (rows[i].start_us >= 0)	/* before 1970: no hour */
			ix[m++] = i;
	hour_rows = rows;
	qsort(ix, m, sizeof(*ix), hour_cmp);
	for (i = 0; i < m && rc == 0; i = j) {
		memcpy(sum, rows[ix[i]].n, sizeof(sum));
		for (j = i + 1; j < m && rows[ix[j]].start_us / HOUR_US ==
		    rows[ix[i]].start_us / HOUR_US &&
		    strcmp(rows[ix[j]].segment, rows[ix[i]].segment) == 0;
		    j++)
			for (k = 0; k < REL_NCOUNTS; k++)
				sum[k] += rows[ix[j]].n[k];
		rc = put_rel(st, h, 1, &rows[ix[i]], sum);
	}
	free(ix);
	return rc;
}

int
store_put_reliability(struct store *st, const struct store_rel *rows,
    size_t n)
{
	sqlite3_stmt *s = NULL, *h = NULL;
	size_t i;
	int rc = -1;

	if (!store_writable(st))
		return -1;
	if (st->version < 5) {
		store_seterr(st, "reliability: database schema too old");
		return -1;
	}
	if (prepare_rel(st, 0, &s) == -1 ||
	    (st->version >= 6 && prepare_rel(st, 1, &h) == -1))
		goto out;
	for (i = 0; i < n; i++) {
		if (rows[i].interval_s <= 0) {
			store_seterr(st, "reliability: interval must be"
			    " positive");
			goto out;
		}
		if (put_rel(st, s, 0, &rows[i], rows[i].n) == -1)
			goto out;
	}
	/* Then the hours (times before 1970: none). */
	if (h != NULL && put_rel_hours(st, h, rows, n) == -1)
		goto out;
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

	if (store_sql_cat(sql, "%s SELECT %s, segment, %s", u, t, dev) == -1)
		return -1;
	for (k = 0; k < REL_NCOUNTS; k++)
		if (store_sql_cat(sql, ", %s", rel_cols[k]) == -1)
			return -1;
	return store_sql_cat(sql, " FROM %s.%s WHERE %s >= %s AND %s < %s",
	    schema, table, t, lo, t, hi);
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

		if (store_sql_cat(&q, "SELECT (start_us / 3600000000)"
		    " * 3600000000 AS h, segment, %s", segment != NULL ?
		    "device" : "''") == -1) {
			sqlite3_free(q);
			goto out;
		}
		for (k = 0; k < REL_NCOUNTS; k++)
			if (store_sql_cat(&q, ", sum(%s)", rel_cols[k]) == -1) {
				sqlite3_free(q);
				goto out;
			}
		if (store_sql_cat(&q, " FROM (%s)%s GROUP BY h, segment%s"
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
		store_dberr(st, "reliability");
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
			store_seterr(st, "reliability query stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_dberr(st, "reliability");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return rc;
}
