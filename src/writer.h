/* SPDX-License-Identifier: ISC */
/*
 * writer.h: the store's side of a capture run, in the parent after the
 * fork. It sandboxes itself (no packet bytes ever reach it), opens the
 * database, then records what the sniffer sends until the sniffer ends
 * the run. Signals are passed on to the sniffer, which drains; SIGHUP
 * reloads the rules here, checks them and hands them to the sniffer.
 * Includes no packet-side header.
 */
#ifndef SHADOWTAP_WRITER_H
#define SHADOWTAP_WRITER_H

#include <stddef.h>

#include "store/store.h"

struct privsep;
struct ruleset;
struct rulefiles;
struct sandbox_opts;

struct writer_conf {
	const char		*db;		/* the database file */
	const char		*pg;		/* PostgreSQL to forward db's
						   changes to, or NULL */
	struct run_info		 ri;		/* for the run's row */
	const struct sandbox_opts *so;
	const char		*sensor;	/* --sensor, NULL: host name */
	long			 keep_days;	/* --keep-detail, 0: keep all */
	const struct rulefiles	*files;
	struct ruleset		*rs;	/* in use; a reload replaces it */
	/* The store's ends of the channels: one per sniffer (--workers). */
	struct privsep		*const *ps;
	size_t			 nps;
};

/*
 * Runs the store's side until the sniffer has ended and the run's row is
 * written. wc->rs is the ruleset in use when it returns (the caller frees
 * it). Returns the exit code: the sniffer's, or EXIT_RUNTIME when
 * anything could not be recorded.
 */
int		 writer_run(struct writer_conf *wc);

/*
 * Where a run writes when -d is db: 0 when db is a file (written as it
 * is); 1 when it names a PostgreSQL database, with the local spool file
 * in path (spool if not NULL, else "spool-SENSOR.db" beside the default
 * database; sensor NULL: the host name); -1 with the reason in err (no
 * PostgreSQL support in this build, a password in db).
 */
int		 writer_spool(const char *db, const char *spool,
		    const char *sensor, char *path, size_t pathlen, char *err,
		    size_t errlen);

/*
 * Before a capture: 1 when the database db already holds a run that read
 * a file of this fingerprint, with a line naming that run in msg; 0 when it
 * does not, or the file cannot be read (opening it for the run will say
 * why).
 */
int		 writer_run_recorded(const char *db, const char *fingerprint,
		    char *msg, size_t msglen);

#endif
