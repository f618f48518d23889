/* SPDX-License-Identifier: ISC */
/*
 * query.c: the read queries behind the summary report. Each reads a
 * period from the coarsest level that covers it: whole months and days
 * from the schema-6 roll-ups, the edges from the detail rows. The same
 * statements run on a merged handle, through merge.c's views.
 * bench/dbbench times each statement of query_sql[] on its own.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

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

/*
 * The period's first and last seen leave out times before 2000 (a sensor
 * with a reset clock; the coverage counts such packets) unless there is
 * nothing else.
 */
#define PLAUSIBLE_US	"946684800000000"

/* A finding as a row of device_days, for ST_DAYS. */
#define DAY_ROW								\
	"first_us / 86400000000 AS d, device, CASE WHEN verdict ="	\
	" 'unsanctioned' THEN bytes_up + bytes_down END AS ub,"		\
	" CASE WHEN verdict <> 'unsanctioned' THEN bytes_up + bytes_down"	\
	" END AS ob, verdict = 'unsanctioned' AS u"

/*
 * ST_USE: each (service, instance, verdict, device)'s distinct days and
 * bytes up: the whole days [?6, ?7) from findings_day (months cannot count
 * days), grouped there; the edges from findings, grouped apart. Their days
 * are disjoint, so the outer query adds them. d: the day part's condition
 * on day_us (USE_WIDE's "+day_us" keeps the planner off the primary key's
 * range, so that it walks findings_day_use in group order, no sort).
 */
#define USE_KEY	"service, instance, verdict, device"
#define USE_SQL(d)							\
	"SELECT " USE_KEY ", sum(n), total(up) FROM"			\
	" (SELECT " USE_KEY ", count(DISTINCT day_us) AS n,"		\
	"  total(bytes_up) AS up FROM findings_day WHERE " d " >= ?6"	\
	"  AND " d " < ?7 GROUP BY " USE_KEY				\
	" UNION ALL SELECT " USE_KEY ", count(DISTINCT first_us /"	\
	"  86400000000), total(bytes_up) FROM findings"		\
	"  WHERE (first_us >= ?1 AND first_us < ?6)"			\
	"  OR (first_us >= ?7 AND first_us < ?2) GROUP BY " USE_KEY ")"	\
	" GROUP BY " USE_KEY " ORDER BY " USE_KEY

const char *const query_sql[ST_MAX] = {
	[ST_TOTALS] =
	    "SELECT count(DISTINCT f.device),"
	    " count(DISTINCT f.service || '/' || f.verdict),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN f.device END),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN f.service END),"
	    " count(DISTINCT CASE WHEN f.verdict = 'unsanctioned'"
	    "  THEN nullif(coalesce(s.category, f.category), '') END),"
	    " coalesce(min(CASE WHEN f.first_us >= " PLAUSIBLE_US
	    " THEN f.first_us END), min(f.first_us)),"
	    " coalesce(max(CASE WHEN f.last_us >= " PLAUSIBLE_US
	    " THEN f.last_us END), max(f.last_us)), total(f.flows),"
	    " total(f.bytes_up) + total(f.bytes_down)"
	    " FROM " PERIOD("findings", "device, service, verdict, category,"
	    " flows, bytes_up, bytes_down, first_us, last_us", "") " f"
	    " LEFT JOIN services s ON s.id = f.service",
	[ST_UNCL_TOTALS] =
	    "SELECT count(DISTINCT name), total(flows),"
	    " total(bytes_up) + total(bytes_down),"
	    " coalesce(min(CASE WHEN first_us >= " PLAUSIBLE_US
	    " THEN first_us END), min(first_us)),"
	    " coalesce(max(CASE WHEN last_us >= " PLAUSIBLE_US
	    " THEN last_us END), max(last_us))"
	    " FROM " PERIOD_MONTHS("unclassified", "name, flows, bytes_up,"
	    " bytes_down, first_us, last_us", ""),
	[ST_SERVICES] =
	    "SELECT f.service, coalesce(s.name, f.service),"
	    " coalesce(s.category, max(f.category)), f.verdict,"
	    " count(DISTINCT f.device), sum(f.flows), sum(f.bytes_up),"
	    " sum(f.bytes_down), min(f.first_us), max(f.last_us),"
	    " max(s.risk), f.instance"
	    " FROM " PERIOD("findings", "service, category, verdict, device,"
	    " flows, bytes_up, bytes_down, first_us, last_us, instance", "")
	    " f LEFT JOIN services s ON s.id = f.service"
	    " GROUP BY f.service, f.instance, f.verdict"
	    " ORDER BY f.service, f.instance, f.verdict",
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
	    " total(decode_errors), min(first_ts), max(last_ts),"
	    " total(status = 'failed'), total(rows_dropped),"
	    " total(rows_unwritten), total(read_error), total(bad_time)"
	    " FROM runs WHERE (first_ts IS NOT NULL AND last_ts >= ?1"
	    " AND first_ts < ?2)"
	    " OR (first_ts IS NULL AND ?1 = -9223372036854775807 - 1"
	    " AND ?2 = 9223372036854775807)",
	[ST_FAILED_RUNS] =
	    "SELECT started_at, source, status_reason, packets, flows"
	    " FROM runs WHERE status = 'failed' AND ((first_ts IS NOT NULL"
	    " AND last_ts >= ?1 AND first_ts < ?2)"
	    " OR (first_ts IS NULL AND ?1 = -9223372036854775807 - 1"
	    " AND ?2 = 9223372036854775807))"
	    " ORDER BY started_at DESC, rowid DESC LIMIT ?3",
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
	[ST_LOOKUPS] =
	    "SELECT l.service, coalesce(s.name, l.service),"
	    " coalesce(s.category, ''), count(DISTINCT l.device),"
	    " sum(l.lookups),"
	    " (SELECT count(DISTINCT f.device) FROM findings f"
	    "  WHERE f.service = l.service AND f.first_us >= ?1"
	    "  AND f.first_us < ?2) AS used"
	    " FROM lookups l LEFT JOIN services s ON s.id = l.service"
	    " WHERE l.first_us >= ?1 AND l.first_us < ?2"
	    " GROUP BY l.service ORDER BY 4 DESC, 5 DESC, 1",
	[ST_USE] = USE_SQL("day_us"),
	[ST_USE_WIDE] = USE_SQL("+day_us"),
};

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
	store_seterr(st, "%s query stopped", what);
	sqlite3_reset(s);
	return -1;
}

/* Finishes a read query: 0 when it ran to the end, else -1. */
static int
query_end(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_dberr(st, what);
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
		r.instance = col_text(s, 11);
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
		out->failed = col_u64(s, 9);
		out->rows_dropped = col_u64(s, 10);
		out->rows_unwritten = col_u64(s, 11);
		out->read_errors = col_u64(s, 12);
		out->bad_time = col_u64(s, 13);
		rc = sqlite3_step(s);
	}
	return query_end(st, s, rc, "coverage");
}

int
store_query_failed_runs(struct store *st, int64_t since, int64_t until,
    size_t limit, int (*fn)(void *, const struct store_failed_run *),
    void *arg)
{
	struct store_failed_run fr;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_FAILED_RUNS, since, until);
	sqlite3_bind_int64(s, 3, (int64_t)limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&fr, 0, sizeof(fr));
		fr.started_at = col_text(s, 0);
		fr.source = col_text(s, 1);
		fr.reason = col_text(s, 2);
		fr.packets = col_u64(s, 3);
		fr.flows = col_u64(s, 4);
		if (fn(arg, &fr) == -1)
			return query_stopped(st, s, "failed runs");
	}
	return query_end(st, s, rc, "failed runs");
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

int
store_query_uploads(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_upload_row *), void *arg)
{
	struct store_upload_row r;
	sqlite3_stmt *s;
	char *sql = NULL;
	int step, rc = -1;

	/* Departments came with schema 3; a merged view always has them. */
	if (store_sql_cat(&sql, "SELECT f.device, f.ip, %s, f.service,"
	    " coalesce(nullif(sv.name, ''), f.service), f.bucket, f.window_s,"
	    " f.bytes_up FROM findings f LEFT JOIN services sv"
	    " ON sv.id = f.service WHERE f.first_us >= ?1 AND f.first_us < ?2"
	    " AND f.bytes_up > 0 AND coalesce(nullif(sv.category, ''),"
	    " f.category) IN ('webmail', 'cloud-storage', 'file-sharing')"
	    " ORDER BY f.bucket, f.device, f.service",
	    st->merged || st->version >= 3 ? "f.department" : "''") == -1) {
		store_seterr(st, "out of memory");
		return -1;
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, "uploads");
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
			store_seterr(st, "uploads query stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_dberr(st, "uploads");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int
store_query_lookups(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_lookup_row *), void *arg)
{
	struct store_lookup_row r;
	sqlite3_stmt *s;
	int rc;

	s = period_stmt(st, ST_LOOKUPS, since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.service = col_text(s, 0);
		r.name = col_text(s, 1);
		r.category = col_text(s, 2);
		r.devices = col_u64(s, 3);
		r.lookups = col_u64(s, 4);
		r.used_devices = col_u64(s, 5);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "lookups");
	}
	return query_end(st, s, rc, "lookups");
}

int
store_query_use(struct store *st, int64_t since, int64_t until,
    int (*fn)(void *, const struct store_use_row *), void *arg)
{
	struct store_use_row r;
	sqlite3_stmt *s;
	int64_t d1, m1, m2, d2;
	int rc;

	/* Over a quarter or more, walking the index beats sorting. */
	rollup_bounds(st, since, until, &d1, &m1, &m2, &d2);
	s = period_stmt(st, d2 - d1 >= 92 * DAY_US ? ST_USE_WIDE : ST_USE,
	    since, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.service = col_text(s, 0);
		r.instance = col_text(s, 1);
		r.verdict = verdict_parse(col_text(s, 2));
		r.device = col_text(s, 3);
		r.days = col_u64(s, 4);
		r.bytes_up = col_u64(s, 5);
		if (fn(arg, &r) == -1)
			return query_stopped(st, s, "use");
	}
	return query_end(st, s, rc, "use");
}

int
store_query_inventory(struct store *st,
    int (*fn)(void *, const struct store_inventory_row *), void *arg)
{
	struct store_inventory_row r;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT line, match, name, owner,"
	    " department, asset FROM inventory ORDER BY line", -1, &s,
	    NULL) != SQLITE_OK) {
		store_dberr(st, "inventory");
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.line = sqlite3_column_int(s, 0);
		r.match = col_text(s, 1);
		r.name = col_text(s, 2);
		r.owner = col_text(s, 3);
		r.department = col_text(s, 4);
		r.asset = col_text(s, 5);
		if (fn(arg, &r) == -1)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_dberr(st, "inventory");
		return -1;
	}
	return rc == SQLITE_ROW ? -1 : 0;
}

int
store_query_known_devices(struct store *st,
    int (*fn)(void *, const struct store_known_device *), void *arg)
{
	struct store_known_device r;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT k.device, k.mac, k.ip,"
	    " coalesce((SELECT hostname FROM device_names n WHERE"
	    " n.device = k.device AND hostname <> '' ORDER BY last_us DESC,"
	    " hostname LIMIT 1), k.hostname) FROM (SELECT device, mac, ip,"
	    " hostname FROM devices UNION SELECT DISTINCT device, mac, ip,"
	    " '' FROM findings) k ORDER BY 1, 3", -1, &s, NULL) !=
	    SQLITE_OK) {
		store_dberr(st, "known devices");
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.device = col_text(s, 0);
		r.mac = col_text(s, 1);
		r.ip = col_text(s, 2);
		r.hostname = col_text(s, 3);
		if (fn(arg, &r) == -1)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_dberr(st, "known devices");
		return -1;
	}
	return rc == SQLITE_ROW ? -1 : 0;
}
