/* SPDX-License-Identifier: ISC */
/*
 * pg.c: PostgreSQL as the central store (see pg.h). Its schema is derived
 * from the SQLite one: each table gets the column "origin" (the sensor's
 * file) in front of its own, and its key becomes (origin, key columns),
 * or (origin, rid) for a table keyed by rowid. The only <libpq-fe.h>.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "store/store.h"
#include "store/store_int.h"
#include "store/pg.h"
#include "base/log.h"
#include "base/util.h"

int
pg_is_conninfo(const char *s)
{
	size_t k;

	if (strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0)
		return 1;
	/* key=value: a lower-case keyword right before the first '='. */
	k = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	return k > 0 && s[k] == '=';
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

#ifndef HAVE_LIBPQ

#define NO_PG	"this shadowtap was built without PostgreSQL support" \
		" (configure found no libpq; install libpq-dev and rebuild)"

int
pg_check_conninfo(const char *s, char *err, size_t errlen)
{
	(void)s;
	seterr(err, errlen, "%s", NO_PG);
	return -1;
}

struct pg_fwd *
pg_fwd_new(struct store *st, const char *conninfo, char *err, size_t errlen)
{
	(void)st;
	(void)conninfo;
	seterr(err, errlen, "%s", NO_PG);
	return NULL;
}

int64_t
pg_fwd_tick(struct pg_fwd *f, int force)
{
	(void)f;
	(void)force;
	return -1;
}

int64_t
pg_fwd_pending(struct pg_fwd *f)
{
	(void)f;
	return -1;
}

const char *
pg_fwd_errmsg(const struct pg_fwd *f)
{
	(void)f;
	return NO_PG;
}

void
pg_fwd_free(struct pg_fwd *f)
{
	(void)f;
}

int
pg_push_file(const char *path, const char *conninfo, int64_t *rows,
    char *err, size_t errlen)
{
	(void)path;
	(void)conninfo;
	(void)rows;
	seterr(err, errlen, "%s", NO_PG);
	return -1;
}

struct pg_pulled *
pg_pull_expand(const char **dbs, size_t *n, size_t max, const char *sensor,
    char *err, size_t errlen)
{
	(void)dbs;
	(void)n;
	(void)max;
	(void)sensor;
	seterr(err, errlen, "%s", NO_PG);
	return NULL;
}

void
pg_pulled_free(struct pg_pulled *p)
{
	(void)p;
}

#else /* HAVE_LIBPQ */

/* The PostgreSQL schema's own version: that of the SQLite schema. */
#define PG_LOCK_KEY	0x73686164 /* "shad": schema changes, one at once */
#define PG_MAXCOL	48
#define PG_MAXKEY	8
#define PG_MAXTAB	48
#define PG_CHUNK	256	/* rows per pipeline round trip */
#define PG_BACKOFF_MAX	30000

enum pg_type { PT_BIGINT, PT_DOUBLE, PT_NUMERIC, PT_TEXT, PT_BYTEA };

static const char *const pg_type_name[] = {
	"bigint", "double precision", "numeric", "text", "bytea"
};

struct pg_col {
	char		 name[64];
	enum pg_type	 type;
};

struct pg_table {
	char		 name[64];
	struct pg_col	 col[PG_MAXCOL];
	int		 ncol;
	int		 key[PG_MAXKEY];	/* indexes into col */
	int		 nkey;
	int		 rowid;		/* keyed by rowid: PG column rid */
};

struct pg_schema {
	struct pg_table	 t[PG_MAXTAB];
	int		 n;
};

struct pg_fwd {
	struct store	*st;
	PGconn		*conn;
	char		*conninfo;
	char		 origin[40];
	char		 sensor[256];
	struct pg_schema sc;
	int64_t		 next_try_ms;
	int64_t		 backoff_ms;
	int		 schema_done;	/* on this connection */
	char		 err[512];
};

/* SQLite's type affinity rules (datatype3.html, 3.1), as PG types. */
static enum pg_type
affinity(const char *decl)
{
	char up[64];
	size_t i;

	for (i = 0; decl[i] != '\0' && i < sizeof(up) - 1; i++)
		up[i] = (char)(decl[i] >= 'a' && decl[i] <= 'z' ?
		    decl[i] - 32 : decl[i]);
	up[i] = '\0';
	if (strstr(up, "INT") != NULL)
		return PT_BIGINT;
	if (strstr(up, "CHAR") != NULL || strstr(up, "CLOB") != NULL ||
	    strstr(up, "TEXT") != NULL || up[0] == '\0')
		return PT_TEXT;
	if (strstr(up, "BLOB") != NULL)
		return PT_BYTEA;
	if (strstr(up, "REAL") != NULL || strstr(up, "FLOA") != NULL ||
	    strstr(up, "DOUB") != NULL)
		return PT_DOUBLE;
	return PT_NUMERIC;
}

/* One table's columns and key from PRAGMA table_info. 0 or -1. */
static int
load_table(sqlite3 *db, const char *name, struct pg_table *t, char *err,
    size_t errlen)
{
	sqlite3_stmt *s;
	char *sql;
	int pk[PG_MAXCOL], i, j;

	memset(t, 0, sizeof(*t));
	strlcpy(t->name, name, sizeof(t->name));
	sql = sqlite3_mprintf("PRAGMA main.table_info(\"%w\")", name);
	if (sql == NULL || sqlite3_prepare_v2(db, sql, -1, &s, NULL) !=
	    SQLITE_OK) {
		seterr(err, errlen, "%s: %s", name, sqlite3_errmsg(db));
		sqlite3_free(sql);
		return -1;
	}
	sqlite3_free(sql);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (t->ncol == PG_MAXCOL) {
			seterr(err, errlen, "%s: too many columns", name);
			sqlite3_finalize(s);
			return -1;
		}
		strlcpy(t->col[t->ncol].name, col_text(s, 1),
		    sizeof(t->col[0].name));
		t->col[t->ncol].type = affinity(col_text(s, 2));
		pk[t->ncol++] = sqlite3_column_int(s, 5);
	}
	sqlite3_finalize(s);
	for (j = 1; j <= PG_MAXKEY; j++)
		for (i = 0; i < t->ncol; i++)
			if (pk[i] == j)
				t->key[t->nkey++] = i;
	t->rowid = t->nkey == 0;
	return 0;
}

/* The data tables of db's main schema (not SQLite's, not ours). */
static int
load_schema(sqlite3 *db, struct pg_schema *sc, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc = 0;

	sc->n = 0;
	if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master"
	    " WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	    " AND name NOT LIKE 'pg\\_%' ESCAPE '\\' ORDER BY name", -1, &s,
	    NULL) != SQLITE_OK) {
		seterr(err, errlen, "schema: %s", sqlite3_errmsg(db));
		return -1;
	}
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		if (sc->n == PG_MAXTAB) {
			seterr(err, errlen, "schema: too many tables");
			rc = -1;
		} else
			rc = load_table(db, col_text(s, 0), &sc->t[sc->n++],
			    err, errlen);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Appends the quoted key columns of t, each prefixed by pre. */
static int
cat_keys(char **sql, const struct pg_table *t, const char *pre,
    const char *sep)
{
	int i;

	if (t->rowid)
		return store_sql_cat(sql, "%s%s", pre, "rowid");
	for (i = 0; i < t->nkey; i++)
		if (store_sql_cat(sql, "%s%s\"%w\"", i > 0 ? sep : "", pre,
		    t->col[t->key[i]].name) == -1)
			return -1;
	return 0;
}

/* The origin of db's file, created once: 0, or -1. */
static int
file_origin(sqlite3 *db, char *origin, size_t len, char *err, size_t errlen)
{
	uint8_t rnd[16];
	sqlite3_stmt *s;
	char hex[33];
	size_t i;
	int rc = -1;

	if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS main.pg_origin ("
	    " origin TEXT NOT NULL);"
	    "CREATE TABLE IF NOT EXISTS main.pg_pending (tbl TEXT NOT NULL,"
	    " k TEXT NOT NULL, PRIMARY KEY (tbl, k)) WITHOUT ROWID;", NULL,
	    NULL, NULL) != SQLITE_OK)
		goto dberr;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		seterr(err, errlen, "getrandom: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	if (sqlite3_prepare_v2(db, "INSERT INTO main.pg_origin (origin)"
	    " SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM main.pg_origin)", -1,
	    &s, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(s, 1, hex, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	if (rc == -1 || sqlite3_prepare_v2(db, "SELECT origin FROM"
	    " main.pg_origin LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		goto dberr;
	rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -1;
	if (rc == 0)
		strlcpy(origin, col_text(s, 0), len);
	sqlite3_finalize(s);
	if (rc == 0)
		return 0;
dberr:
	seterr(err, errlen, "origin: %s", sqlite3_errmsg(db));
	return -1;
}

/* The sensor a file's rows are recorded under (its latest run's). */
static void
file_sensor(sqlite3 *db, char *buf, size_t len)
{
	sqlite3_stmt *s;
	char host[256];

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT s.name FROM main.runs r JOIN"
	    " main.sensors s ON s.id = r.sensor_id ORDER BY r.id DESC"
	    " LIMIT 1", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			strlcpy(buf, col_text(s, 0), len);
		sqlite3_finalize(s);
	}
	if (buf[0] == '\0') {
		if (gethostname(host, sizeof(host)) == -1)
			strlcpy(host, "unknown", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		strlcpy(buf, host, len);
	}
}

/*
 * A trigger's statement noting row's key as pending. Not INSERT OR IGNORE:
 * the statement that fires the trigger would impose its own conflict
 * handling on it.
 */
static int
cat_pending(char **sql, const struct pg_table *t, const char *row)
{
	if (store_sql_cat(sql, " INSERT INTO pg_pending (tbl, k) SELECT %Q,"
	    " j.k FROM (SELECT json_array(", t->name) == -1 ||
	    cat_keys(sql, t, row, ", ") == -1 ||
	    store_sql_cat(sql, ") AS k) j WHERE NOT EXISTS (SELECT 1 FROM"
	    " pg_pending p WHERE p.tbl = %Q AND p.k = j.k);", t->name) == -1)
		return -1;
	return 0;
}

/* TEMP triggers recording each changed row's key in pg_pending. */
static int
make_triggers(sqlite3 *db, const struct pg_schema *sc, int drop)
{
	static const char *const ev[] = { "INSERT", "UPDATE", "DELETE" };
	char *sql = NULL;
	int i, e, rc;

	for (i = 0; i < sc->n; i++) {
		for (e = 0; e < 3; e++) {
			const char *row = e == 2 ? "OLD." : "NEW.";

			if (drop) {
				if (store_sql_cat(&sql, "DROP TRIGGER IF"
				    " EXISTS temp.\"pgt_%w_%d\";",
				    sc->t[i].name, e) == -1)
					goto nomem;
				continue;
			}
			if (store_sql_cat(&sql, "CREATE TEMP TRIGGER IF NOT"
			    " EXISTS \"pgt_%w_%d\" AFTER %s ON main.\"%w\""
			    " BEGIN", sc->t[i].name, e, ev[e], sc->t[i].name) ==
			    -1 || cat_pending(&sql, &sc->t[i], row) == -1)
				goto nomem;
			/* An update that changes the key moves the row. */
			if (e == 1 && cat_pending(&sql, &sc->t[i], "OLD.") ==
			    -1)
				goto nomem;
			if (store_sql_cat(&sql, " END;") == -1)
				goto nomem;
		}
	}
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_free(sql);
	return rc;
nomem:
	sqlite3_free(sql);
	return -1;
}

/* PostgreSQL's message, on one line. */
static void
pqerr(char *err, size_t errlen, const char *what, PGconn *c,
    const PGresult *r)
{
	const char *m;
	char *nl;

	m = r != NULL ? PQresultErrorMessage(r) : "";
	if (m == NULL || m[0] == '\0')
		m = c != NULL ? PQerrorMessage(c) : "no connection";
	seterr(err, errlen, "postgresql: %s: %s", what, m);
	while ((nl = strchr(err, '\n')) != NULL)
		*nl = nl[1] == '\0' ? '\0' : ' ';
}

/* Runs sql (no parameters) expecting status ok. 0 or -1. */
static int
pq_exec(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r;
	ExecStatusType es;

	r = PQexec(c, sql);
	es = PQresultStatus(r);
	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
		pqerr(err, errlen, "exec", c, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

int
pg_check_conninfo(const char *s, char *err, size_t errlen)
{
	PQconninfoOption *o, *p;
	char *msg = NULL;

	if ((o = PQconninfoParse(s, &msg)) == NULL) {
		seterr(err, errlen, "-d: out of memory");
		if (msg != NULL) {
			msg[strcspn(msg, "\n")] = '\0';
			seterr(err, errlen, "-d: not a PostgreSQL connection"
			    " string: %s", msg);
			PQfreemem(msg);
		}
		return -1;
	}
	for (p = o; p->keyword != NULL; p++) {
		if (strcmp(p->keyword, "password") == 0 && p->val != NULL &&
		    p->val[0] != '\0') {
			PQconninfoFree(o);
			seterr(err, errlen, "-d: a password on the command line"
			    " is visible to every local user: put it in"
			    " ~/.pgpass (or PGPASSFILE) instead");
			return -1;
		}
	}
	PQconninfoFree(o);
	return 0;
}

/* Connects, quietly (no NOTICE lines on stderr). NULL with err set. */
static PGconn *
pq_connect(const char *conninfo, char *err, size_t errlen)
{
	static const char *const kw[] = { "dbname", "connect_timeout",
	    "application_name", NULL };
	const char *val[] = { conninfo, "5", "shadowtap", NULL };
	PGconn *c;

	c = PQconnectdbParams(kw, val, 1);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		pqerr(err, errlen, "connect", c, NULL);
		PQfinish(c);
		return NULL;
	}
	if (pq_exec(c, "SET client_min_messages = warning", err, errlen) ==
	    -1) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/*
 * Creates or extends the PostgreSQL schema to hold sc: one transaction,
 * under an advisory lock so that sensors starting together do not race.
 */
static int
pg_schema_sync(PGconn *c, const struct pg_schema *sc, char *err,
    size_t errlen)
{
	char *sql = NULL;
	const struct pg_table *t;
	int i, j, rc;

	if (store_sql_cat(&sql, "BEGIN; SELECT pg_advisory_xact_lock(%d);"
	    "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT"
	    " NULL);"
	    "INSERT INTO schema_version SELECT %d WHERE NOT EXISTS (SELECT 1"
	    " FROM schema_version);"
	    "UPDATE schema_version SET version = %d WHERE version < %d;"
	    "CREATE TABLE IF NOT EXISTS origins (origin text PRIMARY KEY,"
	    " sensor text NOT NULL, first_seen timestamptz NOT NULL DEFAULT"
	    " now(), last_seen timestamptz NOT NULL DEFAULT now());",
	    PG_LOCK_KEY, STORE_SCHEMA_VERSION, STORE_SCHEMA_VERSION,
	    STORE_SCHEMA_VERSION) == -1)
		goto nomem;
	for (i = 0; i < sc->n; i++) {
		t = &sc->t[i];
		if (store_sql_cat(&sql, "CREATE TABLE IF NOT EXISTS \"%w\""
		    " (origin text NOT NULL%s", t->name, t->rowid ?
		    ", rid bigint NOT NULL" : "") == -1)
			goto nomem;
		for (j = 0; j < t->ncol; j++)
			if (store_sql_cat(&sql, ", \"%w\" %s", t->col[j].name,
			    pg_type_name[t->col[j].type]) == -1)
				goto nomem;
		if (store_sql_cat(&sql, ", PRIMARY KEY (origin, %s",
		    t->rowid ? "rid" : "") == -1)
			goto nomem;
		for (j = 0; !t->rowid && j < t->nkey; j++)
			if (store_sql_cat(&sql, "%s\"%w\"", j > 0 ? ", " : "",
			    t->col[t->key[j]].name) == -1)
				goto nomem;
		if (store_sql_cat(&sql, "));") == -1)
			goto nomem;
		/* A newer sensor's columns, on a table of an older one. */
		for (j = 0; j < t->ncol; j++)
			if (store_sql_cat(&sql, "ALTER TABLE \"%w\" ADD COLUMN"
			    " IF NOT EXISTS \"%w\" %s;", t->name,
			    t->col[j].name, pg_type_name[t->col[j].type]) ==
			    -1)
				goto nomem;
	}
	if (store_sql_cat(&sql, "COMMIT;") == -1)
		goto nomem;
	rc = pq_exec(c, sql, err, errlen);
	if (rc == -1)
		(void)PQexec(c, "ROLLBACK");
	sqlite3_free(sql);
	return rc;
nomem:
	sqlite3_free(sql);
	seterr(err, errlen, "postgresql: schema: out of memory");
	return -1;
}

/*
 * Statements of one table on one connection: "u<i>" upserts a row (origin,
 * [rid,] columns), "d<i>" deletes one by (origin, key).
 */
static int
pg_prepare(PGconn *c, const struct pg_table *t, int i, char *err,
    size_t errlen)
{
	char *up = NULL, *del = NULL, name[16];
	PGresult *r;
	int j, p = 1, rc = -1;

	if (store_sql_cat(&up, "INSERT INTO \"%w\" (origin%s", t->name,
	    t->rowid ? ", rid" : "") == -1)
		goto out;
	for (j = 0; j < t->ncol; j++)
		if (store_sql_cat(&up, ", \"%w\"", t->col[j].name) == -1)
			goto out;
	if (store_sql_cat(&up, ") VALUES ($%d", p++) == -1)
		goto out;
	for (j = 0; j < t->ncol + t->rowid; j++)
		if (store_sql_cat(&up, ", $%d", p++) == -1)
			goto out;
	if (store_sql_cat(&up, ") ON CONFLICT (origin, %s", t->rowid ? "rid" :
	    "") == -1)
		goto out;
	for (j = 0; !t->rowid && j < t->nkey; j++)
		if (store_sql_cat(&up, "%s\"%w\"", j > 0 ? ", " : "",
		    t->col[t->key[j]].name) == -1)
			goto out;
	if (store_sql_cat(&up, ") DO UPDATE SET origin = EXCLUDED.origin") ==
	    -1)
		goto out;
	for (j = 0; j < t->ncol; j++)
		if (store_sql_cat(&up, ", \"%w\" = EXCLUDED.\"%w\"",
		    t->col[j].name, t->col[j].name) == -1)
			goto out;
	if (store_sql_cat(&del, "DELETE FROM \"%w\" WHERE origin = $1%s",
	    t->name, t->rowid ? " AND rid = $2" : "") == -1)
		goto out;
	for (j = 0; !t->rowid && j < t->nkey; j++)
		if (store_sql_cat(&del, " AND \"%w\" = $%d",
		    t->col[t->key[j]].name, j + 2) == -1)
			goto out;
	snprintf(name, sizeof(name), "u%d", i);
	r = PQprepare(c, name, up, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pqerr(err, errlen, t->name, c, r);
		PQclear(r);
		goto out;
	}
	PQclear(r);
	snprintf(name, sizeof(name), "d%d", i);
	r = PQprepare(c, name, del, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pqerr(err, errlen, t->name, c, r);
		PQclear(r);
		goto out;
	}
	PQclear(r);
	rc = 0;
out:
	if (rc == -1 && err[0] == '\0')
		seterr(err, errlen, "postgresql: out of memory");
	sqlite3_free(up);
	sqlite3_free(del);
	return rc;
}

/* Reads the results of a pipeline up to its sync. 0 or -1. */
static int
pipe_drain(PGconn *c, char *err, size_t errlen)
{
	PGresult *r;
	ExecStatusType es;
	int rc = 0;

	for (;;) {
		if ((r = PQgetResult(c)) == NULL) {
			if (PQstatus(c) != CONNECTION_OK) {
				pqerr(err, errlen, "send", c, NULL);
				return -1;
			}
			continue;	/* the end of one query's results */
		}
		es = PQresultStatus(r);
		if (es == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			return rc;
		}
		if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK &&
		    rc == 0) {
			pqerr(err, errlen, "write", c, r);
			rc = -1;
		}
		PQclear(r);
	}
}

/* A value of column i of s as PG text (hex for bytea); buf holds it. */
static const char *
pg_value(sqlite3_stmt *s, int i, enum pg_type type, char **buf, int *len,
    int *fmt)
{
	const unsigned char *b;
	int n, j;

	*fmt = 0;
	*len = 0;
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		return NULL;
	case SQLITE_FLOAT:
		*buf = sqlite3_mprintf("%!.17g", sqlite3_column_double(s, i));
		return *buf;
	case SQLITE_BLOB:
		if (type != PT_BYTEA)
			break;
		b = sqlite3_column_blob(s, i);
		n = sqlite3_column_bytes(s, i);
		*buf = sqlite3_malloc(2 * n + 3);
		if (*buf == NULL)
			return NULL;
		memcpy(*buf, "\\x", 2);
		for (j = 0; j < n; j++)
			snprintf(*buf + 2 + 2 * j, 3, "%02x", b[j]);
		return *buf;
	default:
		break;
	}
	return (const char *)sqlite3_column_text(s, i);
}

/*
 * Sends the rows that q (on the spool) returns as statement "<kind><ti>":
 * its first nparam columns, after the origin. Pipelined, PG_CHUNK rows per
 * round trip. Adds the rows to *sent. 0 or -1.
 */
static int
send_rows(PGconn *c, sqlite3 *db, const char *q, const struct pg_table *t,
    int ti, char kind, int nparam, const char *origin, int64_t *sent,
    char *err, size_t errlen)
{
	const char *val[PG_MAXCOL + 2];
	char *buf[PG_MAXCOL + 2], name[16];
	int len[PG_MAXCOL + 2], fmt[PG_MAXCOL + 2], i, rc = 0, inpipe = 0;
	enum pg_type type;
	sqlite3_stmt *s;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK) {
		seterr(err, errlen, "spool: %s: %s", t->name,
		    sqlite3_errmsg(db));
		return -1;
	}
	snprintf(name, sizeof(name), "%c%d", kind, ti);
	if (PQenterPipelineMode(c) != 1) {
		pqerr(err, errlen, "pipeline", c, NULL);
		sqlite3_finalize(s);
		return -1;
	}
	inpipe = 1;
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		val[0] = origin;
		len[0] = fmt[0] = 0;
		for (i = 0; i < nparam; i++) {
			/* The rowid, when there is one, comes first. */
			type = t->rowid ? (i == 0 ? PT_BIGINT :
			    t->col[i - 1].type) : kind == 'd' ?
			    t->col[t->key[i]].type : t->col[i].type;
			buf[i + 1] = NULL;
			val[i + 1] = pg_value(s, i, type, &buf[i + 1],
			    &len[i + 1], &fmt[i + 1]);
		}
		if (PQsendQueryPrepared(c, name, nparam + 1, val, NULL, NULL,
		    0) != 1) {
			pqerr(err, errlen, "send", c, NULL);
			rc = -1;
		}
		for (i = 0; i < nparam; i++)
			sqlite3_free(buf[i + 1]);
		if (rc == 0 && ++n % PG_CHUNK == 0 &&
		    (PQpipelineSync(c) != 1 || pipe_drain(c, err, errlen) ==
		    -1))
			rc = -1;
	}
	if (rc == 0 && n % PG_CHUNK != 0 && (PQpipelineSync(c) != 1 ||
	    pipe_drain(c, err, errlen) == -1))
		rc = -1;
	if (inpipe && PQexitPipelineMode(c) != 1 && rc == 0) {
		pqerr(err, errlen, "pipeline", c, NULL);
		rc = -1;
	}
	sqlite3_finalize(s);
	*sent += n;
	return rc;
}

/* The spool query of a table's rows: all, or those pending. */
static char *
rows_sql(const struct pg_table *t, int all)
{
	char *sql = NULL;
	int j;

	if (store_sql_cat(&sql, "SELECT %s", t->rowid ? "t.rowid" : "") ==
	    -1)
		goto fail;
	for (j = 0; j < t->ncol; j++)
		if (store_sql_cat(&sql, "%st.\"%w\"", j > 0 || t->rowid ?
		    ", " : "", t->col[j].name) == -1)
			goto fail;
	if (store_sql_cat(&sql, " FROM main.\"%w\" t", t->name) == -1)
		goto fail;
	if (all)
		return sql;
	if (store_sql_cat(&sql, " JOIN main.pg_pending p ON p.tbl = %Q",
	    t->name) == -1)
		goto fail;
	if (t->rowid)
		return store_sql_cat(&sql, " AND t.rowid = json_extract(p.k,"
		    " '$[0]')") == -1 ? NULL : sql;
	for (j = 0; j < t->nkey; j++)
		if (store_sql_cat(&sql, " AND t.\"%w\" IS json_extract(p.k,"
		    " '$[%d]')", t->col[t->key[j]].name, j) == -1)
			goto fail;
	return sql;
fail:
	sqlite3_free(sql);
	return NULL;
}

/* The keys pending for t whose row is gone: deleted since. */
static char *
gone_sql(const struct pg_table *t)
{
	char *sql = NULL;
	int j, nk = t->rowid ? 1 : t->nkey;

	if (store_sql_cat(&sql, "SELECT ") == -1)
		goto fail;
	for (j = 0; j < nk; j++)
		if (store_sql_cat(&sql, "%sjson_extract(p.k, '$[%d]')",
		    j > 0 ? ", " : "", j) == -1)
			goto fail;
	if (store_sql_cat(&sql, " FROM main.pg_pending p WHERE p.tbl = %Q"
	    " AND NOT EXISTS (SELECT 1 FROM main.\"%w\" t WHERE 1", t->name,
	    t->name) == -1)
		goto fail;
	if (t->rowid && store_sql_cat(&sql, " AND t.rowid = json_extract(p.k,"
	    " '$[0]')") == -1)
		goto fail;
	for (j = 0; !t->rowid && j < t->nkey; j++)
		if (store_sql_cat(&sql, " AND t.\"%w\" IS json_extract(p.k,"
		    " '$[%d]')", t->col[t->key[j]].name, j) == -1)
			goto fail;
	if (store_sql_cat(&sql, ")") == -1)
		goto fail;
	return sql;
fail:
	sqlite3_free(sql);
	return NULL;
}

/*
 * Sends sc's rows from db to c under origin, in one PostgreSQL
 * transaction: all of them (replacing the origin's), or only those
 * pending. Then clears pg_pending. db must be inside a write transaction,
 * so that nothing changes in between. 0 or -1 (rolled back).
 */
static int
send_all(PGconn *c, sqlite3 *db, const struct pg_schema *sc,
    const char *origin, const char *sensor, int all, int64_t *sent,
    char *err, size_t errlen)
{
	const char *pv[2] = { origin, sensor };
	PGresult *r;
	char *q;
	int i, rc = 0;

	*sent = 0;
	if (pq_exec(c, "BEGIN", err, errlen) == -1)
		return -1;
	r = PQexecParams(c, "INSERT INTO origins (origin, sensor) VALUES"
	    " ($1, $2) ON CONFLICT (origin) DO UPDATE SET sensor ="
	    " EXCLUDED.sensor, last_seen = now()", 2, NULL, pv, NULL, NULL,
	    0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pqerr(err, errlen, "origins", c, r);
		rc = -1;
	}
	PQclear(r);
	for (i = 0; rc == 0 && i < sc->n; i++) {
		if (all) {
			q = sqlite3_mprintf("DELETE FROM \"%w\" WHERE origin"
			    " = $1", sc->t[i].name);
			r = PQexecParams(c, q, 1, NULL, pv, NULL, NULL, 0);
			sqlite3_free(q);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				pqerr(err, errlen, sc->t[i].name, c, r);
				rc = -1;
			}
			PQclear(r);
		} else {
			q = gone_sql(&sc->t[i]);
			rc = q == NULL ? -1 : send_rows(c, db, q, &sc->t[i],
			    i, 'd', sc->t[i].rowid ? 1 : sc->t[i].nkey,
			    origin, sent, err, errlen);
			sqlite3_free(q);
		}
		if (rc == 0) {
			q = rows_sql(&sc->t[i], all);
			rc = q == NULL ? -1 : send_rows(c, db, q, &sc->t[i],
			    i, 'u', sc->t[i].ncol + sc->t[i].rowid, origin,
			    sent, err, errlen);
			sqlite3_free(q);
		}
	}
	if (rc == 0 && pq_exec(c, "COMMIT", err, errlen) == 0) {
		/* Sent and committed: the spool may forget them. */
		if (sqlite3_exec(db, "DELETE FROM main.pg_pending", NULL, NULL,
		    NULL) != SQLITE_OK) {
			seterr(err, errlen, "spool: %s", sqlite3_errmsg(db));
			return -1;
		}
		return 0;
	}
	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ROLLBACK"));
	return -1;
}

/* A connection with the schema in place and the statements prepared. */
static PGconn *
connect_ready(const char *conninfo, const struct pg_schema *sc, char *err,
    size_t errlen)
{
	PGconn *c;
	int i;

	if ((c = pq_connect(conninfo, err, errlen)) == NULL)
		return NULL;
	if (pg_schema_sync(c, sc, err, errlen) == -1)
		goto fail;
	for (i = 0; i < sc->n; i++)
		if (pg_prepare(c, &sc->t[i], i, err, errlen) == -1)
			goto fail;
	return c;
fail:
	PQfinish(c);
	return NULL;
}

struct pg_fwd *
pg_fwd_new(struct store *st, const char *conninfo, char *err, size_t errlen)
{
	struct pg_fwd *f;

	if (pg_check_conninfo(conninfo, err, errlen) == -1)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->st = st;
	f->conninfo = xstrdup(conninfo);
	if (load_schema(st->db, &f->sc, err, errlen) == -1 ||
	    file_origin(st->db, f->origin, sizeof(f->origin), err,
	    errlen) == -1)
		goto fail;
	if (make_triggers(st->db, &f->sc, 0) == -1) {
		seterr(err, errlen, "spool triggers: %s",
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	return f;
fail:
	free(f->conninfo);
	free(f);
	return NULL;
}

int64_t
pg_fwd_pending(struct pg_fwd *f)
{
	int64_t n = -1;

	if (store_exec_int(f->st, "SELECT count(*) FROM main.pg_pending",
	    &n) == -1)
		return -1;
	return n;
}

const char *
pg_fwd_errmsg(const struct pg_fwd *f)
{
	return f->err;
}

int64_t
pg_fwd_tick(struct pg_fwd *f, int force)
{
	sqlite3 *db = f->st->db;
	int64_t now = util_mono_ms(), sent = 0;
	int rc;

	if (!force && now < f->next_try_ms)
		return -1;
	if (pg_fwd_pending(f) == 0)
		return 0;
	if (f->conn == NULL) {
		file_sensor(db, f->sensor, sizeof(f->sensor));
		if ((f->conn = connect_ready(f->conninfo, &f->sc, f->err,
		    sizeof(f->err))) == NULL)
			goto backoff;
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		seterr(f->err, sizeof(f->err), "spool: %s",
		    sqlite3_errmsg(db));
		return -1;
	}
	rc = send_all(f->conn, db, &f->sc, f->origin, f->sensor, 0, &sent,
	    f->err, sizeof(f->err));
	if (sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL,
	    NULL) != SQLITE_OK && rc == 0) {
		seterr(f->err, sizeof(f->err), "spool: %s",
		    sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc == 0) {
		f->backoff_ms = 0;
		return sent;
	}
	PQfinish(f->conn);
	f->conn = NULL;
backoff:
	f->backoff_ms = f->backoff_ms == 0 ? 1000 : f->backoff_ms * 2;
	if (f->backoff_ms > PG_BACKOFF_MAX)
		f->backoff_ms = PG_BACKOFF_MAX;
	f->next_try_ms = now + f->backoff_ms;
	return -1;
}

void
pg_fwd_free(struct pg_fwd *f)
{
	if (f == NULL)
		return;
	(void)make_triggers(f->st->db, &f->sc, 1);
	PQfinish(f->conn);
	free(f->conninfo);
	free(f);
}

int
pg_push_file(const char *path, const char *conninfo, int64_t *rows,
    char *err, size_t errlen)
{
	struct pg_schema *sc;
	struct store *st;
	char origin[40], sensor[256];
	PGconn *c = NULL;
	int rc = -1;

	*rows = 0;
	if (pg_check_conninfo(conninfo, err, errlen) == -1)
		return -1;
	if ((st = store_open(path, 0, err, errlen)) == NULL)
		return -1;
	sc = xcalloc(1, sizeof(*sc));
	if (load_schema(st->db, sc, err, errlen) == -1 ||
	    file_origin(st->db, origin, sizeof(origin), err, errlen) == -1)
		goto out;
	file_sensor(st->db, sensor, sizeof(sensor));
	if ((c = connect_ready(conninfo, sc, err, errlen)) == NULL)
		goto out;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		seterr(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		goto out;
	}
	rc = send_all(c, st->db, sc, origin, sensor, 1, rows, err, errlen);
	if (sqlite3_exec(st->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL,
	    NULL) != SQLITE_OK && rc == 0) {
		seterr(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		rc = -1;
	}
out:
	PQfinish(c);
	free(sc);
	store_close(st);
	return rc;
}

struct pg_pulled {
	char		 dir[64];
	char		*path[STORE_MERGE_MAX];
	size_t		 n;
};

/*
 * Copies the rows of origin in c into the new SQLite file at path, created
 * with this build's schema: every table of both gets the columns both
 * have, rowids kept. 0 or -1.
 */
static int
pull_origin(PGconn *c, const char *origin, const char *path, char *err,
    size_t errlen)
{
	struct pg_schema *sc;
	struct store *st;
	const char *pv[1] = { origin };
	char *sel = NULL, *ins = NULL;
	unsigned char *bin;
	sqlite3_stmt *s = NULL;
	PGresult *r;
	size_t blen;
	int i, j, k, rc = -1, np;

	if ((st = store_open(path, STORE_CREATE, err, errlen)) == NULL)
		return -1;
	sc = xcalloc(1, sizeof(*sc));
	if (load_schema(st->db, sc, err, errlen) == -1 ||
	    sqlite3_exec(st->db, "BEGIN; PRAGMA defer_foreign_keys = ON",
	    NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < sc->n; i++) {
		const struct pg_table *t = &sc->t[i];

		sqlite3_free(sel);
		sqlite3_free(ins);
		sel = ins = NULL;
		if (store_sql_cat(&ins, "DELETE FROM main.\"%w\";", t->name)
		    == -1 || sqlite3_exec(st->db, ins, NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto dberr;
		sqlite3_free(ins);
		ins = NULL;
		/* Only the columns PostgreSQL has (an older sensor's). */
		r = PQexecParams(c, "SELECT attname FROM pg_attribute WHERE"
		    " attrelid = to_regclass(quote_ident($1)) AND attnum > 0"
		    " AND NOT attisdropped", 1, NULL, (const char *[]){
		    t->name }, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			pqerr(err, errlen, t->name, c, r);
			PQclear(r);
			goto out;
		}
		np = 0;
		if (store_sql_cat(&sel, "SELECT %s", t->rowid ? "rid" : "") ==
		    -1 || store_sql_cat(&ins, "INSERT INTO main.\"%w\" (%s",
		    t->name, t->rowid ? "rowid" : "") == -1)
			goto nomem;
		np = t->rowid;
		for (j = 0; j < t->ncol; j++) {
			for (k = 0; k < PQntuples(r); k++)
				if (strcmp(PQgetvalue(r, k, 0),
				    t->col[j].name) == 0)
					break;
			if (k == PQntuples(r))
				continue;
			if (store_sql_cat(&sel, "%s\"%w\"", np > 0 ? ", " :
			    "", t->col[j].name) == -1 ||
			    store_sql_cat(&ins, "%s\"%w\"", np > 0 ? ", " :
			    "", t->col[j].name) == -1)
				goto nomem;
			np++;
		}
		PQclear(r);
		if (np == 0)
			continue;
		if (store_sql_cat(&sel, " FROM \"%w\" WHERE origin = $1",
		    t->name) == -1 || store_sql_cat(&ins, ") VALUES (?") == -1)
			goto nomem;
		for (j = 1; j < np; j++)
			if (store_sql_cat(&ins, ", ?") == -1)
				goto nomem;
		if (store_sql_cat(&ins, ")") == -1)
			goto nomem;
		if (sqlite3_prepare_v2(st->db, ins, -1, &s, NULL) != SQLITE_OK)
			goto dberr;
		if (PQsendQueryParams(c, sel, 1, NULL, pv, NULL, NULL, 0) !=
		    1 || PQsetSingleRowMode(c) != 1) {
			pqerr(err, errlen, t->name, c, NULL);
			goto out;
		}
		while ((r = PQgetResult(c)) != NULL) {
			if (PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
				if (PQresultStatus(r) != PGRES_TUPLES_OK &&
				    rc == -1) {
					pqerr(err, errlen, t->name, c, r);
					rc = -2;
				}
				PQclear(r);
				continue;
			}
			for (j = 0; j < np; j++) {
				if (PQgetisnull(r, 0, j))
					sqlite3_bind_null(s, j + 1);
				else if (PQftype(r, j) == 17 /* bytea */) {
					bin = PQunescapeBytea((const unsigned
					    char *)PQgetvalue(r, 0, j), &blen);
					sqlite3_bind_blob(s, j + 1, bin,
					    (int)blen, SQLITE_TRANSIENT);
					PQfreemem(bin);
				} else
					sqlite3_bind_text(s, j + 1,
					    PQgetvalue(r, 0, j), -1,
					    SQLITE_TRANSIENT);
			}
			PQclear(r);
			if (sqlite3_step(s) != SQLITE_DONE && rc == -1) {
				seterr(err, errlen, "%s: %s", t->name,
				    sqlite3_errmsg(st->db));
				rc = -2;
			}
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
		s = NULL;
		if (rc == -2)
			goto out;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto dberr;
	rc = 0;
	goto out;
nomem:
	seterr(err, errlen, "out of memory");
	goto out;
dberr:
	seterr(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
out:
	sqlite3_finalize(s);
	sqlite3_free(sel);
	sqlite3_free(ins);
	free(sc);
	store_close(st);
	return rc == 0 ? 0 : -1;
}

/* Pulls conninfo's origins (of sensor, unless NULL) into p. 0 or -1. */
static int
pull_all(struct pg_pulled *p, const char *conninfo, const char *sensor,
    size_t room, char *err, size_t errlen)
{
	const char *pv[1] = { sensor };
	char path[128];
	PGconn *c;
	PGresult *r;
	int i, rc = 0;

	if (pg_check_conninfo(conninfo, err, errlen) == -1 ||
	    (c = pq_connect(conninfo, err, errlen)) == NULL)
		return -1;
	/* One snapshot for all origins: a summary of one instant. */
	if (pq_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err,
	    errlen) == -1 || pq_exec(c, "SELECT 1 FROM origins LIMIT 0",
	    err, errlen) == -1) {
		if (strstr(err, "does not exist") != NULL)
			seterr(err, errlen, "%s: no shadowtap findings there"
			    " yet (no table origins)", conninfo);
		PQfinish(c);
		return -1;
	}
	r = PQexecParams(c, "SELECT origin FROM origins WHERE $1::text IS NULL"
	    " OR sensor = $1 ORDER BY sensor, origin", 1, NULL, pv, NULL, NULL,
	    0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pqerr(err, errlen, "origins", c, r);
		rc = -1;
	} else if (PQntuples(r) == 0) {
		seterr(err, errlen, "%s: no findings%s%s", conninfo,
		    sensor != NULL ? " of sensor " : "", sensor != NULL ?
		    sensor : "");
		rc = -1;
	} else if ((size_t)PQntuples(r) > room) {
		seterr(err, errlen, "%s: %d sensors' databases, more than the"
		    " %zu a summary reads at once: choose with --sensor",
		    conninfo, PQntuples(r), room);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < PQntuples(r); i++) {
		snprintf(path, sizeof(path), "%s/%zu.db", p->dir, p->n);
		p->path[p->n++] = xstrdup(path);
		rc = pull_origin(c, PQgetvalue(r, i, 0), path, err, errlen);
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

struct pg_pulled *
pg_pull_expand(const char **dbs, size_t *n, size_t max, const char *sensor,
    char *err, size_t errlen)
{
	struct pg_pulled *p;
	const char *out[STORE_MERGE_MAX];
	const char *tmp;
	size_t i, no = 0, first;

	p = xcalloc(1, sizeof(*p));
	tmp = getenv("TMPDIR");
	snprintf(p->dir, sizeof(p->dir), "%s/shadowtap-pg.XXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(p->dir) == NULL) {
		seterr(err, errlen, "%s: %s", p->dir, strerror(errno));
		p->dir[0] = '\0';
		goto fail;
	}
	if (max > STORE_MERGE_MAX)
		max = STORE_MERGE_MAX;
	for (i = 0; i < *n; i++) {
		if (!pg_is_conninfo(dbs[i])) {
			if (no == max)
				goto full;
			out[no++] = dbs[i];
			continue;
		}
		first = p->n;
		if (pull_all(p, dbs[i], sensor, max - no - (*n - i - 1), err,
		    errlen) == -1)
			goto fail;
		for (; first < p->n; first++)
			out[no++] = p->path[first];
	}
	for (i = 0; i < no; i++)
		dbs[i] = out[i];
	*n = no;
	return p;
full:
	seterr(err, errlen, "-d: at most %zu databases", max);
fail:
	pg_pulled_free(p);
	return NULL;
}

void
pg_pulled_free(struct pg_pulled *p)
{
	char side[160];
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		(void)unlink(p->path[i]);
		snprintf(side, sizeof(side), "%s-wal", p->path[i]);
		(void)unlink(side);
		snprintf(side, sizeof(side), "%s-shm", p->path[i]);
		(void)unlink(side);
		snprintf(side, sizeof(side), "%s-journal", p->path[i]);
		(void)unlink(side);
		free(p->path[i]);
	}
	if (p->dir[0] != '\0')
		(void)rmdir(p->dir);
	free(p);
}

#endif /* HAVE_LIBPQ */
