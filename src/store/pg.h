/* SPDX-License-Identifier: ISC */
/*
 * pg.h: PostgreSQL as the central findings store of many sensors. A
 * sensor keeps writing its SQLite file (the spool) and forwards the rows
 * each commit changed; readers pull an origin's rows back into temporary
 * SQLite files, so the report never knows the engine. The only includer
 * of <libpq-fe.h>; built without libpq, every call fails with a message.
 */
#ifndef SHADOWTAP_PG_H
#define SHADOWTAP_PG_H

#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * 1 when s names a PostgreSQL database: a postgresql:// or postgres://
 * URI, or a libpq key=value connection string; 0 for a file path.
 */
int		 pg_is_conninfo(const char *s);

/*
 * Checks that s can be used: this build has PostgreSQL support, s parses,
 * and it carries no password (that comes from ~/.pgpass, PGPASSFILE or
 * PGPASSWORD, never from the command line). 0, or -1 with the reason.
 */
int		 pg_check_conninfo(const char *s, char *err, size_t errlen);

struct pg_fwd;

/*
 * Starts tracking the changes of st's file (its spool) for conninfo: the
 * file gets its origin id (once) and a pending table, the connection TEMP
 * triggers that record each changed row's key in it, in the same
 * transaction as the change. Connects later, in pg_fwd_tick(). NULL with
 * the reason in err.
 */
struct pg_fwd	*pg_fwd_new(struct store *st, const char *conninfo,
		    char *err, size_t errlen);
/*
 * Outside a transaction of st: sends the pending rows (their current
 * values, or their deletion) in one PostgreSQL transaction, and clears
 * them only once it committed. Without force, does nothing while backing
 * off after a failure (1 s doubling up to 30 s). Returns the rows sent,
 * or -1 (kept for the next try; the reason in pg_fwd_errmsg()).
 */
int64_t		 pg_fwd_tick(struct pg_fwd *, int force);
/* Rows waiting in the spool, -1 when that cannot be read. */
int64_t		 pg_fwd_pending(struct pg_fwd *);
const char	*pg_fwd_errmsg(const struct pg_fwd *);
/* Closes the connection and drops the triggers; NULL is a no-op. */
void		 pg_fwd_free(struct pg_fwd *);

/*
 * db push: replaces the rows of path's origin in conninfo by the file's,
 * in one transaction (the file is migrated first, as any read-write open
 * does, and given its origin id once): pushing a file twice counts it
 * once. Sets *rows to the rows sent. 0, or -1 with the reason in err.
 */
int		 pg_push_file(const char *path, const char *conninfo,
		    int64_t *rows, char *err, size_t errlen);

struct pg_pulled;

/*
 * Replaces each PostgreSQL entry of dbs[0..*n) by temporary SQLite files,
 * one per origin (of sensor only, unless NULL), ordered by sensor name,
 * keeping at most max entries in all. Files are entries of dbs too. The
 * handle holds the files; pg_pulled_free() removes them. NULL with the
 * reason in err (also when nothing matched).
 */
struct pg_pulled *pg_pull_expand(const char **dbs, size_t *n, size_t max,
		    const char *sensor, char *err, size_t errlen);
void		 pg_pulled_free(struct pg_pulled *);

#endif /* !SHADOWTAP_PG_H */
