/* SPDX-License-Identifier: ISC */
/*
 * store.c: the SQLite findings store's handle: open and close, error
 * messages, the helpers the other store files run SQL through, and the
 * database's own pseudonym key. Every statement is prepared once at open
 * and reused. A read-only open never creates a file. The schema is in
 * schema.c, the writes in write.c, the report's reads in query.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "base/util.h"

/* The writer's page cache, in KiB (PRAGMA cache_size takes -KiB). */
#define STORE_WRITE_CACHE_KB	"65536"

void
store_seterr(struct store *st, const char *fmt, ...)
{
	char msg[STORE_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(st->err, sizeof(st->err), "%s: %s", st->path, msg);
}

/* Records SQLite's reason for the last failure, in words a person can act on. */
void
store_dberr(struct store *st, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);

	/* Out of space while growing the WAL or -shm shows as an I/O error. */
	if ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(st->db) ==
	    ENOSPC)
		rc = SQLITE_FULL;
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		store_seterr(st, "not a shadowtap database, or it is corrupt"
		    " (%s)", sqlite3_errmsg(st->db));
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		store_seterr(st, "database is locked by another process (%s)",
		    what);
		break;
	case SQLITE_READONLY:
		store_seterr(st, "database is read-only (%s)", what);
		break;
	case SQLITE_FULL:
		store_seterr(st, "disk full (%s)", what);
		break;
	default:
		store_seterr(st, "%s: %s", what, sqlite3_errmsg(st->db));
		break;
	}
}

/* Runs one pragma or statement that returns at most one integer. */
int
store_exec_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_dberr(st, sql);
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_dberr(st, sql);
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

int
store_exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_dberr(st, "schema");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_prepare_all(struct store *st)
{
	const char *sql;
	int i;

	for (i = st->rdonly ? ST_FIRST_READ : 0; i < ST_MAX; i++) {
		sql = i < ST_FIRST_READ ? write_sql[i] : query_sql[i];
		if (sqlite3_prepare_v3(st->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) !=
		    SQLITE_OK) {
			store_dberr(st, "prepare");
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
			store_seterr(st, "cannot open database: %s%s",
			    strerror(errno), errno == ENOENT ?
			    " (run \"shadowtap capture\" first)" : "");
			goto fail;
		}
		if (!S_ISREG(sb.st_mode)) {
			store_seterr(st, "not a regular file");
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
			store_seterr(st, "cannot open database: out of memory");
		else
			store_seterr(st, "cannot open database: %s",
			    sqlite3_errmsg(st->db));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (schema_functions(st) == -1)
		goto fail;

	if (schema_check(st) == -1)
		goto fail;
	if (!st->rdonly) {
		/* WAL lets a summary read while a capture writes. */
		if (store_exec(st, "PRAGMA journal_mode = WAL") == -1 ||
		    store_exec(st, "PRAGMA synchronous = NORMAL") == -1)
			goto fail;
		/*
		 * Upserts touch index pages all over the file; with SQLite's
		 * 2 MB default the writer re-read them with a pread(2) each
		 * (17,000 per million packets of the benchmark).
		 */
		if (store_exec(st, "PRAGMA cache_size = -" STORE_WRITE_CACHE_KB)
		    == -1)
			goto fail;
	}
	if (store_exec(st, "PRAGMA foreign_keys = ON") == -1)
		goto fail;
	if (st->rdonly && st->version < STORE_SCHEMA_VERSION &&
	    schema_compat_views(st) == -1)
		goto fail;
	st->rollup = st->version >= 6 && !(flags & STORE_NO_ROLLUP);
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
	free(st->stub);
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	return st->err;
}

/* Steps a write statement to completion and resets it. */
int
store_step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc;

	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		store_dberr(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_writable(struct store *st)
{
	if (st->rdonly) {
		store_seterr(st, "opened read-only");
		return 0;
	}
	return 1;
}

/* Appends printf-style SQL to *sql (sqlite3_mprintf: %Q quotes). */
int
store_sql_cat(char **sql, const char *fmt, ...)
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

int64_t
store_version(const struct store *st)
{
	return st->version;
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
		store_dberr(st, "pseudonym key");
		return -1;
	}
	bind_text(s, 1, PSEUDONYM_KEY_NAME);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(s, 0) != len) {
			store_seterr(st, "pseudonym key has the wrong length");
			sqlite3_finalize(s);
			return -1;
		}
		memcpy(key, sqlite3_column_blob(s, 0), len);
		found = 1;
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE) {
		store_dberr(st, "pseudonym key");
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
	if (getrandom(fresh, sizeof(fresh), 0) != (ssize_t)sizeof(fresh)) {
		store_seterr(st, "pseudonym key: no random bytes");
		return -1;
	}
	/* Another process may create it first; then its key is the key. */
	if (sqlite3_prepare_v2(st->db, "INSERT INTO secrets (name, value)"
	    " VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING", -1, &s,
	    NULL) != SQLITE_OK) {
		store_dberr(st, "pseudonym key");
		return -1;
	}
	bind_text(s, 1, PSEUDONYM_KEY_NAME);
	sqlite3_bind_blob(s, 2, fresh, sizeof(fresh), SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	explicit_bzero(fresh, sizeof(fresh));
	if (rc != SQLITE_DONE) {
		store_dberr(st, "pseudonym key");
		return -1;
	}
	return read_key(st, key, STORE_KEY_LEN);
}
