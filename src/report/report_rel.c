/* SPDX-License-Identifier: ISC */
/*
 * report_rel.c: the model of the summary's "Reliability" section:
 * network-health rows from the store judged by reliability.c, with the
 * workaround that rises in the same hours, and the finding in plain words.
 * rel_render.c prints it in every format.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/relagg.h"
#include "store/store.h"
#include "report/reliability.h"
#include "report/report_rel.h"
#include "base/util.h"

#define HOUR_US		(3600LL * 1000000)
/* A workaround is linked when uploads in the window are at least this many
 * times the usual hourly rate, and at least LINK_MIN_BYTES in all. */
#define LINK_FACTOR	2
#define LINK_MIN_BYTES	(1000 * 1000)

/* What a failing signal means, for people. */
static const char *const sig_words[REL_NSIGNALS] = {
	"DNS lookups go unanswered",
	"DNS servers refuse or fail lookups",
	"connections fail to open",
	"devices fail to get a network address (DHCP)",
	"DNS answers take over half a second",
	"connections have to send data again",
};

struct rows {
	struct rel_row	*v;
	size_t		 n;
	size_t		 cap;
	char		**strs;		/* owned copies of segment, device */
	size_t		 nstrs;
	/* Keep only the rows inside this finding's window, or all. */
	const struct rel_finding *only;
};

static int	 in_window(const struct rel_finding *, int64_t);

static const char *
keep(struct rows *l, const char *s)
{
	if (l->nstrs > 0 && strcmp(l->strs[l->nstrs - 1], s) == 0)
		return l->strs[l->nstrs - 1];
	l->strs = xreallocarray(l->strs, l->nstrs + 1, sizeof(*l->strs));
	l->strs[l->nstrs] = xstrdup(s);
	return l->strs[l->nstrs++];
}

static int
add_row(void *arg, const struct store_rel *r)
{
	struct rows *l = arg;
	struct rel_row *o;

	if (l->only != NULL && !in_window(l->only, r->start_us))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	o = &l->v[l->n++];
	o->hour_us = r->start_us;
	o->segment = keep(l, r->segment);
	o->device = xstrdup(r->device);
	memcpy(o->n, r->n, sizeof(o->n));
	return 0;
}

static void
free_rows(struct rows *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free((void *)(uintptr_t)l->v[i].device);
	for (i = 0; i < l->nstrs; i++)
		free(l->strs[i]);
	free(l->strs);
	free(l->v);
}

/*
 * The segment an upload's device is in, named by relagg_segment() so the
 * two cannot drift apart: its department, else the /24 or /64 of its
 * address; "" when it has neither (uploads carry no VLAN).
 */
static void
upload_segment(const struct store_upload_row *u, char *buf, size_t len)
{
	struct rel_event e;

	memset(&e, 0, sizeof(e));
	strlcpy(e.department, u->department, sizeof(e.department));
	if (inet_pton(AF_INET, u->ip, e.ip) == 1)
		e.family = 4;
	else if (inet_pton(AF_INET6, u->ip, e.ip) == 1)
		e.family = 6;
	else if (e.department[0] == '\0') {
		buf[0] = '\0';
		return;
	}
	relagg_segment(&e, buf, len);
}

struct upl {
	struct report_rel	*rel;
	int64_t			 since_us;	/* of the health data */
	int64_t			 until_us;
	/* Per finding: bytes per service inside the window. */
	struct upl_svc {
		char		*service;
		char		*name;
		uint64_t	 in;
		uint64_t	 out;
	}			**svc;
	size_t			*nsvc;
};

static int
in_window(const struct rel_finding *f, int64_t t)
{
	int h = reliability_hour(t);

	return h >= f->start_hour && h < f->end_hour &&
	    (f->weekdays & (1u << reliability_weekday(t)));
}

static int
add_upload(void *arg, const struct store_upload_row *u)
{
	struct upl *p = arg;
	char seg[128];
	size_t i, j;

	/* Daily roll-ups cannot be placed in hours. */
	if (u->window_s > 3600 || u->bucket_us < p->since_us ||
	    u->bucket_us >= p->until_us)
		return 0;
	upload_segment(u, seg, sizeof(seg));
	for (i = 0; i < p->rel->res.nf; i++) {
		const struct rel_finding *f = &p->rel->res.f[i];
		struct upl_svc *s;

		if (strcmp(f->segment, seg) != 0)
			continue;
		for (j = 0; j < p->nsvc[i]; j++)
			if (strcmp(p->svc[i][j].service, u->service) == 0)
				break;
		if (j == p->nsvc[i]) {
			p->svc[i] = xreallocarray(p->svc[i], j + 1,
			    sizeof(*p->svc[i]));
			p->svc[i][j].service = xstrdup(u->service);
			p->svc[i][j].name = xstrdup(u->name);
			p->svc[i][j].in = p->svc[i][j].out = 0;
			p->nsvc[i]++;
		}
		s = &p->svc[i][j];
		if (in_window(f, u->bucket_us))
			s->in += u->bytes_up;
		else
			s->out += u->bytes_up;
	}
	return 0;
}

/* Hours of [since, until) inside and outside finding f's window. */
static void
window_hours(const struct rel_finding *f, int64_t since, int64_t until,
    uint64_t *in, uint64_t *out)
{
	int64_t t;

	*in = *out = 0;
	for (t = since; t < until; t += HOUR_US) {
		if (in_window(f, t))
			(*in)++;
		else
			(*out)++;
	}
}

/* For each finding, the storage service whose uploads rise most in it. */
static int
link_workarounds(struct store *st, struct report_rel *rel, int64_t since,
    int64_t until)
{
	struct upl p;
	size_t i, j;
	int rc;

	memset(&p, 0, sizeof(p));
	p.rel = rel;
	p.since_us = since;
	p.until_us = until;
	p.svc = xcalloc(rel->res.nf, sizeof(*p.svc));
	p.nsvc = xcalloc(rel->res.nf, sizeof(*p.nsvc));
	rc = store_query_uploads(st, since, until, add_upload, &p);
	for (i = 0; rc == 0 && i < rel->res.nf; i++) {
		struct report_rel_link *l = &rel->link[i];
		uint64_t hin, hout;

		window_hours(&rel->res.f[i], since, until, &hin, &hout);
		for (j = 0; j < p.nsvc[i]; j++) {
			const struct upl_svc *s = &p.svc[i][j];

			/* in/hin >= LINK_FACTOR * out/hout, in integers. */
			if (hin == 0 || s->in < LINK_MIN_BYTES ||
			    (hout > 0 && s->in * hout < LINK_FACTOR * s->out *
			    hin))
				continue;
			if (l->service != NULL && s->in <= l->bytes_in)
				continue;
			free(l->service);
			free(l->name);
			l->service = xstrdup(s->service);
			l->name = xstrdup(s->name);
			l->bytes_in = s->in;
			l->bytes_out = s->out;
			l->hours_in = hin;
			l->hours_out = hout;
		}
	}
	for (i = 0; i < rel->res.nf; i++) {
		for (j = 0; j < p.nsvc[i]; j++) {
			free(p.svc[i][j].service);
			free(p.svc[i][j].name);
		}
		free(p.svc[i]);
	}
	free(p.svc);
	free(p.nsvc);
	return rc;
}

static void
pct(char *buf, size_t len, double r)
{
	if (r > 0 && r < 0.001)
		strlcpy(buf, "under 0.1%", len);
	else
		snprintf(buf, len, "%.1f%%", r * 100);
}

/* The finding in plain words. */
static char *
sentence(const struct rel_finding *f, const struct report_rel_link *l)
{
	char buf[1024], d[64], a[32], b[32], from[UTIL_TS_LEN],
	    to[UTIL_TS_LEN], up[32], rise[96];
	size_t n;
	int s, first = 1;

	reliability_days_str(f->weekdays, d, sizeof(d));
	n = (size_t)snprintf(buf, sizeof(buf), "%s%s between %02d:00 and"
	    " %02d:00 (UTC), on %s ", f->weekdays == 0x7f ? "" : "On ",
	    f->weekdays == 0x7f ? "Every day" : d, f->start_hour,
	    f->end_hour, f->segment);
	for (s = 0; s < REL_NSIGNALS && n < sizeof(buf); s++) {
		if (!f->sig[s].abnormal)
			continue;
		pct(a, sizeof(a), f->sig[s].rate);
		pct(b, sizeof(b), f->sig[s].usual);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s (%s of"
		    " the time, usually %s)", first ? "" : " and ",
		    sig_words[s], a, f->sig[s].usual > 0 ? b : "almost never");
		first = 0;
	}
	util_iso8601(f->first_us, from, sizeof(from));
	util_iso8601(f->last_us - 1, to, sizeof(to));
	from[10] = to[10] = '\0';
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ". Seen on %u"
		    " day%s from %s to %s; %zu device%s affected.", f->days,
		    f->days == 1 ? "" : "s", from, to, f->devices,
		    f->devices == 1 ? "" : "s");
	if (l->service != NULL && n < sizeof(buf)) {
		util_human_bytes(l->bytes_in, up, sizeof(up));
		if (l->bytes_out == 0 || l->hours_in == 0)
			snprintf(rise, sizeof(rise), "and nothing in the other"
			    " hours");
		else
			snprintf(rise, sizeof(rise), "%" PRIu64 " times as much"
			    " per hour as in the other hours",
			    l->bytes_in * l->hours_out / l->hours_in /
			    l->bytes_out);
		snprintf(buf + n, sizeof(buf) - n, " In those hours its devices"
		    " uploaded %s to %s, %s: people may be working around the"
		    " problem.", up, l->name, rise);
	}
	return xstrdup(buf);
}

int
report_rel_build(struct store *st, int64_t since_us, int64_t until_us,
    const struct rel_opts *o, struct report_rel **out)
{
	struct report_rel *rel;
	struct rows l;
	size_t i;
	int64_t since = STORE_TIME_MAX, until = STORE_TIME_MIN;

	/* Segment totals per hour are all the analysis needs. */
	memset(&l, 0, sizeof(l));
	if (store_query_reliability(st, since_us, until_us, NULL,
	    add_row, &l) == -1) {
		free_rows(&l);
		return -1;
	}
	if (l.n == 0) {
		free_rows(&l);
		return 0;
	}
	rel = xcalloc(1, sizeof(*rel));
	if (o != NULL)
		rel->opts = *o;
	else
		health_opts_default(&rel->opts);
	reliability_analyze(l.v, l.n, &rel->opts, &rel->res);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].hour_us < since)
			since = l.v[i].hour_us;
		if (l.v[i].hour_us + HOUR_US > until)
			until = l.v[i].hour_us + HOUR_US;
	}
	free_rows(&l);
	*out = rel;
	rel->link = xcalloc(rel->res.nf + 1, sizeof(*rel->link));
	rel->sentence = xcalloc(rel->res.nf + 1, sizeof(*rel->sentence));
	/* The devices of each finding, from its segment's rows in its hours. */
	for (i = 0; i < rel->res.nf; i++) {
		struct rel_finding *f = &rel->res.f[i];

		memset(&l, 0, sizeof(l));
		l.only = f;
		if (store_query_reliability(st, since_us, until_us,
		    f->segment, add_row, &l) == -1) {
			free_rows(&l);
			return -1;
		}
		reliability_devices(f, l.v, l.n);
		free_rows(&l);
	}
	if (rel->res.nf > 0 && link_workarounds(st, rel, since, until) == -1)
		return -1;
	for (i = 0; i < rel->res.nf; i++)
		rel->sentence[i] = sentence(&rel->res.f[i], &rel->link[i]);
	return 0;
}

/* The finding that hurts most: failures in its window, all signals. */
static const struct rel_finding *
worst(const struct report_rel *rel, size_t *idx)
{
	const struct rel_finding *w = NULL;
	uint64_t best = 0, n;
	size_t i;
	int s;

	for (i = 0; i < rel->res.nf; i++) {
		for (s = 0, n = 0; s < REL_NSIGNALS; s++)
			if (rel->res.f[i].sig[s].abnormal)
				n += rel->res.f[i].sig[s].failures;
		if (w == NULL || n > best) {
			w = &rel->res.f[i];
			best = n;
			*idx = i;
		}
	}
	return w;
}

int
report_rel_words(const struct report_rel *rel, char *headline, size_t hlen,
    char *rec, size_t rlen)
{
	const struct rel_finding *f;
	char d[64], more[96];
	size_t i = 0;
	int s;

	if (rel == NULL || (f = worst(rel, &i)) == NULL)
		return 0;
	for (s = 0; s < REL_NSIGNALS && !f->sig[s].abnormal; s++)
		;
	if (s == REL_NSIGNALS)
		return 0;
	reliability_days_str(f->weekdays, d, sizeof(d));
	more[0] = '\0';
	if (rel->res.nf > 1)
		snprintf(more, sizeof(more), "; %zu more recurring problem%s in"
		    " the Reliability section", rel->res.nf - 1,
		    rel->res.nf > 2 ? "s" : "");
	snprintf(headline, hlen, "A network problem comes back %s%s"
	    " between %02d:00 and %02d:00 (UTC): %s %.0f%% of the time on"
	    " %s (%zu device%s)%s.", f->weekdays == 0x7f ? "" : "on ",
	    f->weekdays == 0x7f ? "every day" : d, f->start_hour,
	    f->end_hour, sig_words[s], f->sig[s].rate * 100, f->segment,
	    f->devices, f->devices == 1 ? "" : "s", more);
	if (rel->link[i].service != NULL)
		snprintf(rec, rlen, "Fix the recurring network problem"
		    " on %s (%s, %02d:00-%02d:00 UTC): in those hours its"
		    " devices turn to %s, which is how problems nobody reports"
		    " become shadow IT.", f->segment, d, f->start_hour,
		    f->end_hour, rel->link[i].name);
	else
		snprintf(rec, rlen, "Fix the recurring network problem"
		    " on %s (%s, %02d:00-%02d:00 UTC) before people build"
		    " their own way around it.", f->segment, d, f->start_hour,
		    f->end_hour);
	return 1;
}

void
report_rel_free(struct report_rel *rel)
{
	size_t i;

	if (rel == NULL)
		return;
	for (i = 0; i < rel->res.nf; i++) {
		free(rel->link[i].service);
		free(rel->link[i].name);
		free(rel->sentence[i]);
	}
	free(rel->link);
	free(rel->sentence);
	reliability_free(&rel->res);
	free(rel);
}
