/* SPDX-License-Identifier: ISC */
/*
 * report/reliability.c: the summary's "Reliability" section: the model
 * (network-health rows from the store judged by reliability.c, with the
 * workaround that rises in the same hours) and its rendering in every
 * format. Kept together so the section reads as one piece; each renderer
 * uses its format's own escaping from report.h and json.h.
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

#include "base/json.h"
#include "store/relagg.h"
#include "report/reliability.h"
#include "report/report.h"
#include "base/util.h"

#define HOUR_US		(3600LL * 1000000)
/* A workaround is linked when uploads in the window are at least this many
 * times the usual hourly rate, and at least LINK_MIN_BYTES in all. */
#define LINK_FACTOR	2
#define LINK_MIN_BYTES	(1000 * 1000)
#define TEXT_WIDTH	96

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
report_rel_build(struct store *st, struct report *r,
    const struct report_opts *o)
{
	struct report_rel *rel;
	struct rows l;
	size_t i, j;
	int64_t since = STORE_TIME_MAX, until = STORE_TIME_MIN;
	char ps[128];

	/* Segment totals per hour are all the analysis needs. */
	memset(&l, 0, sizeof(l));
	if (store_query_reliability(st, r->since_us, r->until_us, NULL,
	    add_row, &l) == -1) {
		free_rows(&l);
		return -1;
	}
	if (l.n == 0) {
		free_rows(&l);
		return 0;
	}
	rel = xcalloc(1, sizeof(*rel));
	if (o != NULL && o->rel_opts != NULL)
		rel->opts = *o->rel_opts;
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
	r->rel = rel;
	rel->link = xcalloc(rel->res.nf + 1, sizeof(*rel->link));
	rel->sentence = xcalloc(rel->res.nf + 1, sizeof(*rel->sentence));
	/* The devices of each finding, from its segment's rows in its hours. */
	for (i = 0; i < rel->res.nf; i++) {
		struct rel_finding *f = &rel->res.f[i];

		memset(&l, 0, sizeof(l));
		l.only = f;
		if (store_query_reliability(st, r->since_us, r->until_us,
		    f->segment, add_row, &l) == -1) {
			free_rows(&l);
			return -1;
		}
		reliability_devices(f, l.v, l.n);
		free_rows(&l);
	}
	if (rel->res.nf > 0 && link_workarounds(st, rel, since, until) == -1)
		return -1;
	for (i = 0; i < rel->res.nf; i++) {
		struct rel_finding *f = &rel->res.f[i];

		if (o == NULL || o->pseudonym_key == NULL)
			continue;
		for (j = 0; j < f->ndev; j++) {
			if (report_pseudonym(o->pseudonym_key, "device",
			    f->dev[j].device, ps, sizeof(ps)) == NULL)
				return -1;
			free(f->dev[j].device);
			f->dev[j].device = xstrdup(ps);
		}
	}
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

void
report_rel_words(struct report *r)
{
	const struct rel_finding *f;
	char line[512], d[64], more[96];
	size_t i = 0;
	int s;

	if (r->rel == NULL || (f = worst(r->rel, &i)) == NULL)
		return;
	for (s = 0; s < REL_NSIGNALS && !f->sig[s].abnormal; s++)
		;
	if (s == REL_NSIGNALS)
		return;
	reliability_days_str(f->weekdays, d, sizeof(d));
	more[0] = '\0';
	if (r->rel->res.nf > 1)
		snprintf(more, sizeof(more), "; %zu more recurring problem%s in"
		    " the Reliability section", r->rel->res.nf - 1,
		    r->rel->res.nf > 2 ? "s" : "");
	snprintf(line, sizeof(line), "A network problem comes back %s%s"
	    " between %02d:00 and %02d:00 (UTC): %s %.0f%% of the time on"
	    " %s (%zu device%s)%s.", f->weekdays == 0x7f ? "" : "on ",
	    f->weekdays == 0x7f ? "every day" : d, f->start_hour,
	    f->end_hour, sig_words[s], f->sig[s].rate * 100, f->segment,
	    f->devices, f->devices == 1 ? "" : "s", more);
	if (r->nheadline < REPORT_HEADLINE_MAX)
		r->headline[r->nheadline++] = xstrdup(line);
	if (r->rel->link[i].service != NULL)
		snprintf(line, sizeof(line), "Fix the recurring network problem"
		    " on %s (%s, %02d:00-%02d:00 UTC): in those hours its"
		    " devices turn to %s, which is how problems nobody reports"
		    " become shadow IT.", f->segment, d, f->start_hour,
		    f->end_hour, r->rel->link[i].name);
	else
		snprintf(line, sizeof(line), "Fix the recurring network problem"
		    " on %s (%s, %02d:00-%02d:00 UTC) before people build"
		    " their own way around it.", f->segment, d, f->start_hour,
		    f->end_hour);
	if (r->nrecs < REPORT_RECS_MAX)
		r->recs[r->nrecs++] = xstrdup(line);
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

/* The counters over everything, for the coverage line of each format. */
static uint64_t
avg_ms(const struct report_rel *rel)
{
	const uint64_t *n = rel->res.n;

	return n[REL_DNS_ANSWERED] == 0 ? 0 : n[REL_DNS_RTT_MS] /
	    n[REL_DNS_ANSWERED];
}

/*
 * "; handshakes took 1.2 ms to servers and 0.3 ms to clients on average"
 * into buf, or "" when none was timed.
 */
static void
hs_words(const struct report_rel *rel, char *buf, size_t len)
{
	const uint64_t *n = rel->res.n;
	uint64_t s, c;

	buf[0] = '\0';
	if (n[REL_TCP_HANDSHAKES] == 0)
		return;
	s = n[REL_TCP_HS_SERVER_US] / n[REL_TCP_HANDSHAKES];
	c = n[REL_TCP_HS_CLIENT_US] / n[REL_TCP_HANDSHAKES];
	snprintf(buf, len, "; handshakes took %" PRIu64 ".%" PRIu64 " ms to"
	    " servers and %" PRIu64 ".%" PRIu64 " ms to clients on average",
	    s / 1000, s % 1000 / 100, c / 1000, c % 1000 / 100);
}

/*
 * "; 1.2 % of their packets were sent again and 0.3 % came after a gap"
 * into buf, or "" when no TCP packet was counted.
 */
static void
rt_words(const struct report_rel *rel, char *buf, size_t len)
{
	const uint64_t *n = rel->res.n;
	uint64_t r, o;

	buf[0] = '\0';
	if (n[REL_TCP_PACKETS] == 0)
		return;
	r = n[REL_TCP_RETRANS] * 1000 / n[REL_TCP_PACKETS];
	o = n[REL_TCP_OOO] * 1000 / n[REL_TCP_PACKETS];
	snprintf(buf, len, "; %" PRIu64 ".%" PRIu64 " %% of their packets"
	    " were sent again and %" PRIu64 ".%" PRIu64 " %% came after a gap",
	    r / 10, r % 10, o / 10, o % 10);
}

static uint32_t
heat_max(const uint32_t heat[REL_WEEKDAYS][REL_HOURS])
{
	uint32_t m = 0;
	int d, h;

	for (d = 0; d < REL_WEEKDAYS; d++)
		for (h = 0; h < REL_HOURS; h++)
			if (heat[d][h] != REL_HEAT_NONE && heat[d][h] > m)
				m = heat[d][h];
	return m;
}

/* Text. */

static void
wrap(FILE *fp, const char *indent, const char *s)
{
	const char *w, *e;
	size_t col = 0, len;

	for (w = s; *w != '\0'; w = e) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		for (e = w; *e != '\0' && *e != ' '; e++)
			;
		len = (size_t)(e - w);
		if (col == 0) {
			fputs(indent, fp);
			col = strlen(indent);
		} else if (col + 1 + len > TEXT_WIDTH) {
			fprintf(fp, "\n%s", indent);
			col = strlen(indent);
		} else {
			putc(' ', fp);
			col++;
		}
		{
			char word[512];

			if (len >= sizeof(word))
				len = sizeof(word) - 1;
			memcpy(word, w, len);
			word[len] = '\0';
			col += render_text_str(fp, word, 0);
		}
	}
	if (col > 0)
		putc('\n', fp);
}

static void
text_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS],
    const uint8_t (*bad)[REL_HOURS])
{
	static const char shade[] = " .:-=+*#%@";
	uint32_t m = heat_max(heat);
	int d, h;

	if (m < 50)
		m = 50;
	fputs("      hour (UTC) 0         1         2\n"
	    "                 012345678901234567890123\n", fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		fprintf(fp, "      %s        |", reliability_day_name(d));
		for (h = 0; h < REL_HOURS; h++) {
			uint32_t v = heat[d][h];

			if (v == REL_HEAT_NONE)
				putc(' ', fp);
			else
				putc(shade[(v * 9 + m - 1) / m > 9 ? 9 :
				    (v * 9 + m - 1) / m], fp);
		}
		fputs("|", fp);
		if (bad != NULL) {
			for (h = 0; h < REL_HOURS && !bad[d][h]; h++)
				;
			if (h < REL_HOURS)
				fputs("  <- recurring problem", fp);
		}
		putc('\n', fp);
	}
	fprintf(fp, "      Darker: more failures (%s = %u.%u%% of lookups and"
	    " connections or more).\n", "@", m / 10, m % 10);
}

int
render_text_reliability(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], hs[128], rt[128];
	size_t i, j;

	if (rel == NULL)
		return 0;
	fputs("RELIABILITY\n\n", fp);
	if (rel->res.nf == 0) {
		snprintf(a, sizeof(a), "%u", rel->res.days);
		fprintf(fp, "  No recurring network problem found (%s day%s of"
		    " DNS, connection and DHCP\n  traffic in %zu network"
		    " segment%s).\n", a, rel->res.days == 1 ? "" : "s",
		    rel->res.segments, rel->res.segments == 1 ? "" : "s");
	}
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		wrap(fp, "  ", rel->sentence[i]);
		putc('\n', fp);
		text_heat(fp, f->heat, f->bad);
		if (f->ndev > 0) {
			fputs("\n    Device                   Failures  Attempts"
			    "\n", fp);
			for (j = 0; j < f->ndev; j++) {
				fputs("    ", fp);
				render_text_str(fp, f->dev[j].device, 24);
				fprintf(fp, " %9s %9s\n", report_count(
				    f->dev[j].failures, a, sizeof(a)),
				    report_count(f->dev[j].attempts, b,
				    sizeof(b)));
			}
		}
		putc('\n', fp);
	}
	fprintf(fp, "%s  DNS: %s lookups, %" PRIu64 " unanswered, %" PRIu64
	    " refused or failed, answers in %" PRIu64 " ms on average.\n",
	    rel->res.nf == 0 ? "\n" : "", report_count(
	    rel->res.n[REL_DNS_QUERIES], a, sizeof(a)),
	    rel->res.n[REL_DNS_TIMEOUTS], rel->res.n[REL_DNS_SERVFAIL] +
	    rel->res.n[REL_DNS_REFUSED], avg_ms(rel));
	hs_words(rel, hs, sizeof(hs));
	fprintf(fp, "  Connections: %s attempts, %" PRIu64 " unanswered, %"
	    PRIu64 " reset, %" PRIu64 " cut off mid-transfer",
	    report_count(rel->res.n[REL_TCP_ATTEMPTS], b, sizeof(b)),
	    rel->res.n[REL_TCP_UNANSWERED], rel->res.n[REL_TCP_RESET],
	    rel->res.n[REL_TCP_CUT]);
	if (hs[0] != '\0')
		fprintf(fp, ";\n    %s", hs + 2);
	rt_words(rel, rt, sizeof(rt));
	if (rt[0] != '\0')
		fprintf(fp, ";\n    %s", rt + 2);
	fputs(".\n", fp);
	fprintf(fp, "  DHCP: %" PRIu64 " DISCOVERs, %" PRIu64 " OFFERs, %"
	    PRIu64 " REQUESTs, %" PRIu64 " NAKs.\n\n",
	    rel->res.n[REL_DHCP_DISCOVER], rel->res.n[REL_DHCP_OFFER],
	    rel->res.n[REL_DHCP_REQUEST], rel->res.n[REL_DHCP_NAK]);
	return 0;
}

/* Markdown. */

int
render_md_reliability(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], hs[128], rt[128];
	size_t i, j;
	int d, h;

	if (rel == NULL)
		return 0;
	fputs("## Reliability\n\n", fp);
	if (rel->res.nf == 0)
		fprintf(fp, "No recurring network problem found (%u day%s of"
		    " DNS, connection and DHCP traffic in %zu network"
		    " segment%s).\n\n", rel->res.days, rel->res.days == 1 ?
		    "" : "s", rel->res.segments, rel->res.segments == 1 ?
		    "" : "s");
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		fprintf(fp, "### ");
		render_md_str(fp, f->segment);
		fprintf(fp, ", %02d:00-%02d:00\n\n", f->start_hour,
		    f->end_hour);
		render_md_str(fp, rel->sentence[i]);
		fputs("\n\n| Day |", fp);
		for (h = 0; h < REL_HOURS; h++)
			fprintf(fp, " %02d |", h);
		fputs("\n|---|", fp);
		for (h = 0; h < REL_HOURS; h++)
			fputs("---:|", fp);
		putc('\n', fp);
		for (d = 0; d < REL_WEEKDAYS; d++) {
			fprintf(fp, "| %s |", reliability_day_name(d));
			for (h = 0; h < REL_HOURS; h++) {
				uint32_t v = f->heat[d][h];

				if (v == REL_HEAT_NONE)
					fputs("  |", fp);
				else
					fprintf(fp, f->bad[d][h] ?
					    " **%u** |" : " %u |", v / 10);
			}
			putc('\n', fp);
		}
		fputs("\nFailed lookups and connections, percent of all, by"
		    " weekday and hour (UTC); the recurring problem in"
		    " bold.\n\n", fp);
		if (f->ndev > 0) {
			fputs("| Device | Failures | Attempts |\n"
			    "|---|---:|---:|\n", fp);
			for (j = 0; j < f->ndev; j++) {
				fputs("| ", fp);
				render_md_str(fp, f->dev[j].device);
				fprintf(fp, " | %s | %s |\n", report_count(
				    f->dev[j].failures, a, sizeof(a)),
				    report_count(f->dev[j].attempts, b,
				    sizeof(b)));
			}
			putc('\n', fp);
		}
	}
	hs_words(rel, hs, sizeof(hs));
	rt_words(rel, rt, sizeof(rt));
	fprintf(fp, "DNS: %s lookups, %" PRIu64 " unanswered, %" PRIu64
	    " refused or failed, answers in %" PRIu64 " ms on average."
	    " Connections: %s attempts, %" PRIu64 " unanswered, %" PRIu64
	    " reset, %" PRIu64 " cut off mid-transfer%s%s. DHCP: %" PRIu64
	    " DISCOVERs, %" PRIu64 " OFFERs, %" PRIu64 " NAKs.\n\n",
	    report_count(rel->res.n[REL_DNS_QUERIES], a, sizeof(a)),
	    rel->res.n[REL_DNS_TIMEOUTS], rel->res.n[REL_DNS_SERVFAIL] +
	    rel->res.n[REL_DNS_REFUSED], avg_ms(rel),
	    report_count(rel->res.n[REL_TCP_ATTEMPTS], b, sizeof(b)),
	    rel->res.n[REL_TCP_UNANSWERED], rel->res.n[REL_TCP_RESET],
	    rel->res.n[REL_TCP_CUT], hs, rt, rel->res.n[REL_DHCP_DISCOVER],
	    rel->res.n[REL_DHCP_OFFER], rel->res.n[REL_DHCP_NAK]);
	return 0;
}

/* JSON. */

static void
json_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS])
{
	int d, h;

	fputs("[", fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		fputs(d > 0 ? ",[" : "[", fp);
		for (h = 0; h < REL_HOURS; h++) {
			if (h > 0)
				putc(',', fp);
			if (heat[d][h] == REL_HEAT_NONE)
				fputs("null", fp);
			else
				fprintf(fp, "%u", heat[d][h]);
		}
		putc(']', fp);
	}
	putc(']', fp);
}

static unsigned
permille(double r)
{
	return (unsigned)(r * 1000 + 0.5);
}

int
render_json_reliability(FILE *fp, const struct report *r)
{
	static const char *const cnt[REL_NCOUNTS] = {
		"dns_queries", "dns_timeouts", "dns_servfail", "dns_refused",
		"dns_answered", "dns_rtt_ms_total", "tcp_attempts",
		"tcp_unanswered", "tcp_reset", "tcp_cut", "dhcp_discover",
		"dhcp_offer", "dhcp_request", "dhcp_nak", "tcp_handshakes",
		"tcp_hs_server_us_total", "tcp_hs_client_us_total",
		"tcp_packets", "tcp_retrans", "tcp_ooo", "dns_slow",
	};
	const struct report_rel *rel = r->rel;
	char ts[UTIL_TS_LEN], dw[64];
	size_t i, j;
	int s, d, k, first;

	fputs("  \"reliability\":", fp);
	if (rel == NULL) {
		fputs("null,\n", fp);
		return 0;
	}
	fprintf(fp, "{\"thresholds\":{\"min_days\":%u,\"min_events\":%u,"
	    "\"factor_permille\":%u", rel->opts.min_days, rel->opts.min_events,
	    permille(rel->opts.factor));
	for (s = 0; s < REL_NSIGNALS; s++)
		fprintf(fp, ",\"%s_permille\":%u", health_signal_name(
		    (enum rel_signal)s), permille(rel->opts.min_rate[s]));
	fprintf(fp, "},\n    \"days\":%u,\"segments\":%zu,\"totals\":{",
	    rel->res.days, rel->res.segments);
	for (k = 0; k < REL_NCOUNTS; k++)
		fprintf(fp, "%s\"%s\":%" PRIu64, k > 0 ? "," : "", cnt[k],
		    rel->res.n[k]);
	fputs("},\n    \"findings\":[", fp);
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];
		const struct report_rel_link *l = &rel->link[i];

		fputs(i > 0 ? ",\n      {" : "\n      {", fp);
		json_key(fp, "segment");
		json_str(fp, f->segment);
		fputs(",\"weekdays\":[", fp);
		for (d = 0, first = 1; d < REL_WEEKDAYS; d++) {
			if (!(f->weekdays & (1u << d)))
				continue;
			fprintf(fp, "%s\"%s\"", first ? "" : ",", reliability_day_name(d));
			first = 0;
		}
		fputs("],", fp);
		json_key(fp, "when");
		json_str(fp, reliability_days_str(f->weekdays, dw,
		    sizeof(dw)));
		fprintf(fp, ",\"start_hour\":%d,\"end_hour\":%d,\"days\":%u,"
		    "\"days_seen\":%u,", f->start_hour, f->end_hour, f->days,
		    f->days_seen);
		json_key(fp, "first_seen");
		json_str(fp, util_iso8601(f->first_us, ts, sizeof(ts)));
		putc(',', fp);
		json_key(fp, "last_seen");
		json_str(fp, util_iso8601(f->last_us, ts, sizeof(ts)));
		fputs(",\"signals\":[", fp);
		for (s = 0, first = 1; s < REL_NSIGNALS; s++) {
			if (!f->sig[s].abnormal)
				continue;
			fprintf(fp, "%s{\"signal\":\"%s\",\"failures\":%" PRIu64
			    ",\"attempts\":%" PRIu64 ",\"rate_permille\":%u,"
			    "\"usual_permille\":%u}", first ? "" : ",",
			    health_signal_name((enum rel_signal)s),
			    f->sig[s].failures, f->sig[s].attempts,
			    permille(f->sig[s].rate),
			    permille(f->sig[s].usual));
			first = 0;
		}
		fprintf(fp, "],\n       \"devices_affected\":%zu,"
		    "\"devices\":[", f->devices);
		for (j = 0; j < f->ndev; j++) {
			fputs(j > 0 ? ",{" : "{", fp);
			json_key(fp, "device");
			json_str(fp, f->dev[j].device);
			fprintf(fp, ",\"failures\":%" PRIu64 ",\"attempts\":%"
			    PRIu64 "}", f->dev[j].failures,
			    f->dev[j].attempts);
		}
		fputs("],\n       \"workaround\":", fp);
		if (l->service == NULL) {
			fputs("null", fp);
		} else {
			fputs("{", fp);
			json_key(fp, "service");
			json_str(fp, l->service);
			putc(',', fp);
			json_key(fp, "name");
			json_str(fp, l->name);
			fprintf(fp, ",\"bytes_up_in_window\":%" PRIu64
			    ",\"bytes_up_outside\":%" PRIu64
			    ",\"hours_in_window\":%" PRIu64
			    ",\"hours_outside\":%" PRIu64 "}",
			    l->bytes_in, l->bytes_out, l->hours_in,
			    l->hours_out);
		}
		fputs(",\n       ", fp);
		json_key(fp, "summary");
		json_str(fp, rel->sentence[i]);
		fputs(",\n       \"heatmap_permille\":", fp);
		json_heat(fp, f->heat);
		fputs("}", fp);
	}
	fputs(rel->res.nf > 0 ? "\n    ],\n    \"heatmap_permille\":" :
	    "],\n    \"heatmap_permille\":", fp);
	json_heat(fp, rel->res.heat);
	fputs("},\n", fp);
	return 0;
}

/* CSV. */

int
render_csv_reliability(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char dw[64], ts[UTIL_TS_LEN], ts2[UTIL_TS_LEN];
	size_t i;
	int s;

	if (rel == NULL)
		return 0;
	fputs("reliability\r\nsegment,weekdays,start_hour,end_hour,days,"
	    "first_seen,last_seen,signal,failures,attempts,rate_permille,"
	    "usual_permille,devices_affected,workaround,summary\r\n", fp);
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		for (s = 0; s < REL_NSIGNALS; s++) {
			if (!f->sig[s].abnormal)
				continue;
			render_csv_str(fp, f->segment);
			putc(',', fp);
			render_csv_str(fp, reliability_days_str(f->weekdays,
			    dw, sizeof(dw)));
			fprintf(fp, ",%d,%d,%u,", f->start_hour, f->end_hour,
			    f->days);
			fprintf(fp, "%s,%s,", util_iso8601(f->first_us, ts,
			    sizeof(ts)), util_iso8601(f->last_us, ts2,
			    sizeof(ts2)));
			render_csv_str(fp, health_signal_name(
			    (enum rel_signal)s));
			fprintf(fp, ",%" PRIu64 ",%" PRIu64 ",%u,%u,%zu,",
			    f->sig[s].failures, f->sig[s].attempts,
			    permille(f->sig[s].rate),
			    permille(f->sig[s].usual), f->devices);
			render_csv_str(fp, rel->link[i].service != NULL ?
			    rel->link[i].service : "");
			putc(',', fp);
			render_csv_str(fp, rel->sentence[i]);
			fputs("\r\n", fp);
		}
	}
	fputs("\r\n", fp);
	return 0;
}

/* HTML. */

#define HM_LEFT		40
#define HM_TOP		18
#define HM_CELL		30
#define HM_ROW		22

/*
 * An hour-of-day by weekday heatmap as inline SVG: darker is a larger
 * share of failed lookups and connections; the recurring window is
 * outlined. Every value is a number we computed; labels are fixed.
 */
static void
html_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS],
    const uint8_t (*bad)[REL_HOURS], const char *label)
{
	uint32_t m = heat_max(heat);
	int d, h, w = HM_LEFT + REL_HOURS * HM_CELL + 4;
	int ht = HM_TOP + REL_WEEKDAYS * HM_ROW + 4;

	if (m < 50)
		m = 50;
	fprintf(fp, "<svg class=\"heat\" viewBox=\"0 0 %d %d\" role=\"img\""
	    " aria-label=\"", w, ht);
	render_html_str(fp, label);
	fputs("\">\n", fp);
	for (h = 0; h < REL_HOURS; h += 2)
		fprintf(fp, "<text x=\"%d\" y=\"12\" text-anchor=\"middle\">"
		    "%02d</text>", HM_LEFT + h * HM_CELL + HM_CELL / 2, h);
	putc('\n', fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		int y = HM_TOP + d * HM_ROW;

		fprintf(fp, "<text x=\"0\" y=\"%d\">%s</text>", y + 15,
		    reliability_day_name(d));
		for (h = 0; h < REL_HOURS; h++) {
			uint32_t v = heat[d][h];
			unsigned a = v == REL_HEAT_NONE ? 0 :
			    (unsigned)((uint64_t)(v > m ? m : v) * 90 / m);

			fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\""
			    " height=\"%d\"", HM_LEFT + h * HM_CELL, y,
			    HM_CELL - 2, HM_ROW - 2);
			if (v == REL_HEAT_NONE) {
				fputs(" fill=\"#f5f7fa\"/>", fp);
				continue;
			}
			fprintf(fp, " fill=\"#b44d12\" fill-opacity=\"0.%02u\"",
			    a < 6 ? 6 : a > 99 ? 99 : a);
			if (bad != NULL && bad[d][h])
				fputs(" stroke=\"#1f2933\" stroke-width=\"2\"",
				    fp);
			fprintf(fp, "><title>%s %02d:00, %u.%u%% failed</title>"
			    "</rect>", reliability_day_name(d), h, v / 10, v % 10);
		}
		putc('\n', fp);
	}
	fputs("</svg>\n", fp);
	fprintf(fp, "<p class=\"legend\">Share of DNS lookups and connections"
	    " that failed, by weekday and hour (UTC); darkest is %u.%u%% or"
	    " more%s.</p>\n", m / 10, m % 10, bad != NULL ?
	    "; the recurring problem is outlined" : "");
}

int
render_html_reliability(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], lab[256], hs[128], rt[128];
	size_t i, j;

	if (rel == NULL)
		return 0;
	fputs("<section class=\"reliability\"><h2>Reliability</h2>\n", fp);
	if (rel->res.nf == 0) {
		fprintf(fp, "<p>No recurring network problem found (%u day%s"
		    " of DNS, connection and DHCP traffic in %zu network"
		    " segment%s).</p>\n", rel->res.days, rel->res.days == 1 ?
		    "" : "s", rel->res.segments, rel->res.segments == 1 ?
		    "" : "s");
		html_heat(fp, rel->res.heat, NULL, "Failures by weekday and"
		    " hour, whole network");
	}
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		fputs("<h3>", fp);
		render_html_str(fp, f->segment);
		fprintf(fp, ", %02d:00&ndash;%02d:00</h3>\n<p>", f->start_hour,
		    f->end_hour);
		render_html_str(fp, rel->sentence[i]);
		fputs("</p>\n", fp);
		snprintf(lab, sizeof(lab), "Failures by weekday and hour, %s",
		    f->segment);
		html_heat(fp, f->heat, f->bad, lab);
		if (f->ndev == 0)
			continue;
		fputs("<div class=\"scroll\"><table><thead><tr><th>Device</th>"
		    "<th class=\"n\">Failures</th><th class=\"n\">Attempts</th>"
		    "</tr></thead><tbody>\n", fp);
		for (j = 0; j < f->ndev; j++) {
			fputs("<tr><td class=\"name\">", fp);
			render_html_str(fp, f->dev[j].device);
			fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">"
			    "%s</td></tr>\n", report_count(f->dev[j].failures,
			    a, sizeof(a)), report_count(f->dev[j].attempts, b,
			    sizeof(b)));
		}
		fputs("</tbody></table></div>\n", fp);
	}
	hs_words(rel, hs, sizeof(hs));
	rt_words(rel, rt, sizeof(rt));
	fprintf(fp, "<p class=\"legend\">DNS: %s lookups, %" PRIu64
	    " unanswered, %" PRIu64 " refused or failed, answers in %" PRIu64
	    " ms on average. Connections: %s attempts, %" PRIu64
	    " unanswered, %" PRIu64 " reset, %" PRIu64 " cut off"
	    " mid-transfer%s%s. DHCP: %" PRIu64 " DISCOVERs, %" PRIu64
	    " OFFERs, %" PRIu64 " NAKs.</p>\n</section>\n",
	    report_count(rel->res.n[REL_DNS_QUERIES], a, sizeof(a)),
	    rel->res.n[REL_DNS_TIMEOUTS], rel->res.n[REL_DNS_SERVFAIL] +
	    rel->res.n[REL_DNS_REFUSED], avg_ms(rel),
	    report_count(rel->res.n[REL_TCP_ATTEMPTS], b, sizeof(b)),
	    rel->res.n[REL_TCP_UNANSWERED], rel->res.n[REL_TCP_RESET],
	    rel->res.n[REL_TCP_CUT], hs, rt, rel->res.n[REL_DHCP_DISCOVER],
	    rel->res.n[REL_DHCP_OFFER], rel->res.n[REL_DHCP_NAK]);
	return 0;
}
