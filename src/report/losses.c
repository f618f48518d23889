/* SPDX-License-Identifier: ISC */
/*
 * losses.c: what the capture runs of a period could not record, for the
 * coverage section and the headline of every format: runs whose parser
 * died, rows the store could not write or dropped because its tables
 * were full, capture files cut off. Kernel drops stay in report.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/report.h"
#include "store/store.h"

/* Rows lost are material above this share of the period's flows. */
#define MATERIAL_PER_MILLE	10

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int
add_failed(void *arg, const struct store_failed_run *fr)
{
	struct report *r = arg;
	struct report_failed_run *f;

	if (r->nfailed_runs >= REPORT_FAILED_RUNS_MAX)
		return 0;
	f = &r->failed_runs[r->nfailed_runs++];
	f->started_at = xstrdup(fr->started_at);
	f->source = xstrdup(fr->source);
	f->reason = xstrdup(fr->reason);
	f->packets = fr->packets;
	f->flows = fr->flows;
	return 0;
}

int
report_losses_build(struct store *st, int64_t since_us, int64_t until_us,
    struct report *r)
{
	r->failed_runs = xcalloc(REPORT_FAILED_RUNS_MAX,
	    sizeof(*r->failed_runs));
	r->nfailed_runs = 0;
	if (r->coverage.failed == 0)
		return 0;
	return store_query_failed_runs(st, since_us, until_us,
	    REPORT_FAILED_RUNS_MAX, add_failed, r);
}

void
report_losses_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nfailed_runs; i++) {
		free(r->failed_runs[i].started_at);
		free(r->failed_runs[i].source);
		free(r->failed_runs[i].reason);
	}
	free(r->failed_runs);
	r->failed_runs = NULL;
	r->nfailed_runs = 0;
}

/* Appends ", " (unless first) and one phrase to buf. */
static void
phrase(char *buf, size_t len, const char *s)
{
	if (buf[0] != '\0')
		strlcat(buf, ", ", len);
	strlcat(buf, s, len);
}

char *
report_losses_words(const struct report *r, char *buf, size_t len)
{
	const struct store_coverage *c = &r->coverage;
	char n[32], p[128];

	buf[0] = '\0';
	if (c->rows_unwritten > 0) {
		snprintf(p, sizeof(p), "%s %s not written (database error or "
		    "full disk)", report_count(c->rows_unwritten, n, sizeof(n)),
		    plural(c->rows_unwritten, "row", "rows"));
		phrase(buf, len, p);
	}
	if (c->rows_dropped > 0) {
		snprintf(p, sizeof(p), "%s %s dropped (tables full)",
		    report_count(c->rows_dropped, n, sizeof(n)),
		    plural(c->rows_dropped, "row", "rows"));
		phrase(buf, len, p);
	}
	if (c->failed > 0) {
		snprintf(p, sizeof(p), "%s %s",
		    report_count(c->failed, n, sizeof(n)),
		    plural(c->failed, "run failed", "runs failed"));
		phrase(buf, len, p);
	}
	if (c->read_errors > 0) {
		snprintf(p, sizeof(p), "%s capture %s cut off",
		    report_count(c->read_errors, n, sizeof(n)),
		    plural(c->read_errors, "file", "files"));
		phrase(buf, len, p);
	}
	return buf;
}

char *
report_failed_words(const struct report_failed_run *f, char *buf,
    size_t len)
{
	char n[32];

	snprintf(buf, len, "%s %s: %s, after %s %s", f->started_at,
	    f->source, f->reason[0] != '\0' ? f->reason : "no reason given",
	    report_count(f->packets, n, sizeof(n)),
	    plural(f->packets, "packet", "packets"));
	return buf;
}

int
report_losses_material(const struct report *r, char *buf, size_t len)
{
	const struct store_coverage *c = &r->coverage;
	uint64_t lost = c->rows_unwritten + c->rows_dropped;
	char n1[32], n2[32];

	if (lost == 0 || lost * 1000 <= c->flows * MATERIAL_PER_MILLE)
		return 0;
	report_count(lost, n1, sizeof(n1));
	report_count(c->flows, n2, sizeof(n2));
	snprintf(buf, len, "Not everything seen was recorded: %s %s of "
	    "findings (from %s %s) %s lost, %s, so the figures above are a "
	    "lower bound.", n1, plural(lost, "row", "rows"), n2,
	    plural(c->flows, "flow", "flows"), plural(lost, "was", "were"),
	    c->rows_unwritten >= c->rows_dropped ? "mostly because the "
	    "database could not be written (full disk or database error)" :
	    "mostly because the aggregation tables were full (a flood of "
	    "flows)");
	return 1;
}

int
report_failed_sentence(const struct report *r, char *buf, size_t len)
{
	const struct store_coverage *c = &r->coverage;
	char n[32];

	if (c->failed == 0)
		return 0;
	snprintf(buf, len, "%s capture %s because the packet parser "
	    "stopped unexpectedly; what it had passed on is counted, the "
	    "rest of %s traffic is missing.", report_count(c->failed, n,
	    sizeof(n)), plural(c->failed, "run failed", "runs failed"),
	    plural(c->failed, "its", "their"));
	return 1;
}
