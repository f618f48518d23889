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

#include "store/store.h"

struct privsep;
struct ruleset;
struct rulefiles;
struct sandbox_opts;

struct writer_conf {
	const char		*db;		/* the database file */
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
 * Before a capture: 1 when the database db already holds a run that read
 * a file of this fingerprint, with a line naming that run in msg; 0 when it
 * does not, or the file cannot be read (opening it for the run will say
 * why).
 */
int		 writer_run_recorded(const char *db, const char *fingerprint,
		    char *msg, size_t msglen);

#endif
