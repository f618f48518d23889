/* SPDX-License-Identifier: ISC */
/*
 * report_rel.h: the model of the summary's "Reliability" section: the
 * network-health rows of a period judged by reliability.c, each finding
 * with the workaround that rises in the same hours and a sentence for
 * people. It knows nothing of the rest of the report, which holds it
 * (struct report's rel) and calls it; rel_render.c prints it.
 */
#ifndef SHADOWTAP_REPORT_REL_H
#define SHADOWTAP_REPORT_REL_H

#include <stddef.h>
#include <stdint.h>

#include "report/reliability.h"

struct store;

/*
 * Reliability: a storage or file-sharing service whose uploads from the
 * finding's segment are at least twice as high per hour inside its window
 * as outside (people working around the problem). service is NULL when
 * none is.
 */
struct report_rel_link {
	char		*service;	/* catalog id */
	char		*name;
	uint64_t	 bytes_in;	/* uploaded in the window's hours */
	uint64_t	 bytes_out;	/* in the other hours */
	uint64_t	 hours_in;	/* hours of the period in the window */
	uint64_t	 hours_out;
};

/* The "Reliability" section; NULL in the report when there is no data. */
struct report_rel {
	struct rel_opts		 opts;	/* the thresholds used */
	struct rel_result	 res;	/* findings and heatmaps */
	struct report_rel_link	*link;	/* one per finding */
	char			**sentence; /* one per finding, plain words */
};

/*
 * Reads the network-health rows of packet time [since_us, until_us) and
 * judges them with o (NULL: defaults); sets *out (left NULL when there are
 * none, and set as soon as anything is made, so that the caller frees it
 * with report_rel_free() on failure too). Device names are as stored; the
 * caller pseudonymises them. 0, or -1 when a query failed (store_errmsg()
 * says why).
 */
int		 report_rel_build(struct store *, int64_t since_us,
		    int64_t until_us, const struct rel_opts *o,
		    struct report_rel **out);
/*
 * The worst recurring problem for the report's headline, into headline,
 * and a recommendation to fix it (naming the workaround when there is
 * one), into rec; both of hlen and rlen bytes. Returns 1, or 0 (nothing
 * written) when rel is NULL or has no finding.
 */
int		 report_rel_words(const struct report_rel *rel, char *headline,
		    size_t hlen, char *rec, size_t rlen);
/* report_rel_free(NULL) is a no-op. */
void		 report_rel_free(struct report_rel *);

#endif
