/* SPDX-License-Identifier: ISC */
/*
 * store_int.h: what the files of the SQLite store share and nobody else
 * sees: the handle, its prepared statements, and the helpers that report
 * errors, run SQL and convert values. Included only by src/store/ files
 * that implement store.h (store.c, schema.c, write.c, query.c, merge.c,
 * prune.c, reliability.c); the rest of the program sees store.h alone.
 */
#ifndef SHADOWTAP_STORE_INT_H
#define SHADOWTAP_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/defaults.h"
#include "base/siphash.h"

#include "base/util.h"

#define STORE_BUSY_MS		5000
#define STORE_ERR_LEN		320

#define DAY_US		86400000000LL
#define HOUR_US		3600000000LL
/* Roll-ups hold packet times from the epoch up to year 10000. */
#define ROLLUP_END_US	(253402300800LL * 1000000)

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_RUN_BEGIN,
	ST_RUN_END,
	ST_RUN_PROGRESS,
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
	ST_LOOKUP,
	ST_TOTALS,
	ST_UNCL_TOTALS,
	ST_SERVICES,
	ST_UNCL_TOP,
	ST_COVERAGE,
	ST_FAILED_RUNS,
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
	ST_LOOKUPS,
	ST_MAX
};

/* An empty stand-in for the lookups table of schema 10. */
#define SCHEMA_NO_LOOKUPS						\
	"CREATE TEMP VIEW lookups AS SELECT '' AS device, '' AS service,"	\
	" 0 AS bucket, 1 AS window_s, 0 AS lookups, 0 AS first_us,"	\
	" 0 AS last_us WHERE 0;"						\
	"CREATE TEMP VIEW inventory AS SELECT 0 AS line, '' AS match,"	\
	" '' AS name, '' AS owner, '' AS department, '' AS asset WHERE 0;"

/* Statements that write are only prepared on read-write handles. */
#define ST_FIRST_READ	ST_TOTALS

/*
 * The SQL of each prepared statement, indexed by enum stmt_id: the writes
 * below ST_FIRST_READ (write.c), the reads from it on (query.c).
 */
extern const char *const write_sql[ST_FIRST_READ];
extern const char *const query_sql[ST_MAX];

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
	/*
	 * The services the open transaction has made sure of (the stub
	 * insert before a finding): one insert per service and commit, not
	 * per finding. Emptied by store_begin(); allocated on first use.
	 */
	char		(*stub)[SERVICE_ID_MAX + 1];
	size_t		 nstub;
	struct siphash_key stub_key;
};

/* store.c: errors, running SQL, statements. */
/* Sets the handle's message: "path: " and the printf-style text. */
void		 store_seterr(struct store *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Sets the message from SQLite's last failure; what names the step. */
void		 store_dberr(struct store *, const char *what);
/* Runs SQL that returns at most one integer (into *out if not NULL). */
int		 store_exec_int(struct store *, const char *sql, int64_t *out);
/* Runs one or more statements that return nothing; errors say "schema". */
int		 store_exec(struct store *, const char *sql);
/* Prepares every statement the handle may run (reads only if rdonly). */
int		 store_prepare_all(struct store *);
/* Steps a write statement to completion, resets it and clears its
 * bindings: 0 on SQLITE_DONE, else -1 with the message set. */
int		 store_step_done(struct store *, sqlite3_stmt *,
		    const char *what);
/* 1 on a read-write handle; 0, with the message set, on a read-only one. */
int		 store_writable(struct store *);
/* Appends printf-style SQL to *sql (sqlite3_mprintf: %Q quotes); frees
 * the old string. -1 when out of memory. */
int		 store_sql_cat(char **sql, const char *fmt, ...);

/* schema.c: the schema, its migrations and the store's SQL functions. */
/* Registers shadowtap_month() on the handle's connection. */
int		 schema_functions(struct store *);
/* Checks that the file is ours and current, migrating it when allowed;
 * sets st->version. */
int		 schema_check(struct store *);
/* TEMP views that make an older file read like the current schema. */
int		 schema_compat_views(struct store *);
/* The SQL of empty TEMP views standing in for schema 6's roll-ups. */
extern const char schema_no_rollup_views[];

/* The first microsecond of the UTC month holding us (0 <= us < end). */
static inline int64_t
month_floor_us(int64_t us)
{
	return util_month_start(util_floor_div(us, DAY_US)) * DAY_US;
}

/* Counters are unsigned on our side and signed in SQLite; clamp. */
static inline sqlite3_int64
u64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

/* Binds text, or SQL NULL for a NULL pointer; SQLite copies it. */
static inline int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/*
 * The same without SQLite's copy (a malloc and a free per value): for
 * writes that step the statement before v goes, and reset and clear it
 * after (store_step_done() does), so SQLite never holds v longer.
 */
static inline int
bind_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* A count column as unsigned: a total() that overflowed to a float is
 * clamped, a negative value reads as 0. */
static inline uint64_t
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

/* A text column, "" for NULL; valid until the next step or reset. */
static inline const char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

#endif /* !SHADOWTAP_STORE_INT_H */
