/* SPDX-License-Identifier: ISC */
/*
 * report.c: builds the audit summary model from store queries: the
 * headline sentences, the services ordered by concern, the top unclassified
 * destinations and the capture coverage. It decides what is said and in
 * which order; the renderers only decide how it looks.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store.h"
#include "util.h"

#define US_PER_S	1000000LL

struct svc_list {
	struct report_service	*v;
	size_t			 n;
	size_t			 cap;
};

static int
add_service(void *arg, const struct store_service_row *r)
{
	struct svc_list *l = arg;
	struct report_service *s;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	s = &l->v[l->n++];
	s->id = xstrdup(r->id);
	s->name = xstrdup(r->name[0] != '\0' ? r->name : r->id);
	s->category = xstrdup(r->category);
	s->status = r->verdict;
	s->devices = r->devices;
	s->flows = r->flows;
	s->bytes_up = r->bytes_up;
	s->bytes_down = r->bytes_down;
	s->first_us = r->first_us;
	s->last_us = r->last_us;
	return 0;
}

static int
add_dest(void *arg, const struct store_dest_row *r)
{
	struct report *rep = arg;
	struct report_dest *d;

	if (rep->ndests == REPORT_TOP_DESTS)
		return -1;
	d = &rep->dests[rep->ndests++];
	d->name = xstrdup(r->name);
	d->devices = r->devices;
	d->flows = r->flows;
	d->bytes_up = r->bytes_up;
	d->bytes_down = r->bytes_down;
	d->first_us = r->first_us;
	d->last_us = r->last_us;
	return 0;
}

/* Lower is more worrying: unsanctioned, tolerated, sanctioned, other. */
static int
status_rank(enum verdict v)
{
	switch (v) {
	case VERDICT_UNSANCTIONED:
		return 0;
	case VERDICT_TOLERATED:
		return 1;
	case VERDICT_SANCTIONED:
		return 2;
	case VERDICT_NONE:
		break;
	}
	return 3;
}

#define CMP_DESC(a, b)	((a) < (b) ? 1 : (a) > (b) ? -1 : 0)

static int
cmp_service(const void *pa, const void *pb)
{
	const struct report_service *a = pa, *b = pb;
	int c;

	if ((c = status_rank(a->status) - status_rank(b->status)) != 0)
		return c;
	if ((c = CMP_DESC(a->devices, b->devices)) != 0)
		return c;
	if ((c = CMP_DESC(a->bytes_up + a->bytes_down,
	    b->bytes_up + b->bytes_down)) != 0)
		return c;
	if ((c = CMP_DESC(a->flows, b->flows)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

char *
report_count(uint64_t n, char *buf, size_t len)
{
	char digits[24];
	size_t nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, n);
	for (i = 0; i < nd && o + 1 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (len > 0)
		buf[o] = '\0';
	return buf;
}

const char *
report_status_label(enum verdict v)
{
	switch (v) {
	case VERDICT_UNSANCTIONED:
		return "Unsanctioned";
	case VERDICT_TOLERATED:
		return "Tolerated";
	case VERDICT_SANCTIONED:
		return "Sanctioned";
	case VERDICT_NONE:
		break;
	}
	return "Unclassified";
}

size_t
report_safe_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		/* U+0080..U+009F are C1 controls: CSI is 0xC2 0x9B. */
		if ((s[1] & 0xc0) != 0x80 || (c == 0xc2 && s[1] < 0xa0))
			return 0;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		/* Bidirectional controls can disguise the text around them:
		 * U+200E..U+200F, U+202A..U+202E, U+2066..U+2069. */
		if (c == 0xe2 && s[1] == 0x80 &&
		    ((s[2] >= 0x8e && s[2] <= 0x8f) ||
		    (s[2] >= 0xaa && s[2] <= 0xae)))
			return 0;
		if (c == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

static void
day(int64_t us, char *buf, size_t len)
{
	char iso[UTIL_TS_LEN];

	util_iso8601(us, iso, sizeof(iso));
	iso[10] = '\0';
	strlcpy(buf, iso, len);
}

void
report_period_days(const struct report *r, char *from, char *to, size_t len)
{
	int64_t a, b;

	a = r->since_us != STORE_TIME_MIN ? r->since_us : r->totals.first_us;
	b = r->until_us != STORE_TIME_MAX ? r->until_us - 1 :
	    r->totals.last_us;
	if (r->since_us == STORE_TIME_MIN && r->totals.first_us == 0 &&
	    r->totals.last_us == 0)
		from[0] = '\0';
	else
		day(a, from, len);
	if (r->until_us == STORE_TIME_MAX && r->totals.first_us == 0 &&
	    r->totals.last_us == 0)
		to[0] = '\0';
	else
		day(b, to, len);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
say(struct report *r, const char *s)
{
	if (r->nheadline < REPORT_HEADLINE_MAX)
		r->headline[r->nheadline++] = xstrdup(s);
}

/* The sentences a director reads first. */
static void
headline(struct report *r)
{
	const struct store_totals *t = &r->totals;
	const struct report_service *top;
	char from[16], to[16], when[64], line[1024];
	char n1[32], n2[32], n3[64], cats[32], up[32], down[32];

	report_period_days(r, from, to, sizeof(from));
	if (from[0] == '\0' && to[0] == '\0')
		strlcpy(when, "so far", sizeof(when));
	else if (strcmp(from, to) == 0)
		snprintf(when, sizeof(when), "on %s", from);
	else
		snprintf(when, sizeof(when), "between %s and %s", from, to);

	if (t->unsanctioned_services > 0) {
		report_count(t->unsanctioned_devices, n1, sizeof(n1));
		report_count(t->unsanctioned_services, n2, sizeof(n2));
		n3[0] = '\0';
		if (t->unsanctioned_categories > 0) {
			report_count(t->unsanctioned_categories, cats,
			    sizeof(cats));
			snprintf(n3, sizeof(n3), " in %s %s", cats,
			    plural(t->unsanctioned_categories, "category",
			    "categories"));
		}
		snprintf(line, sizeof(line), "%s %s used %s unsanctioned %s"
		    "%s %s.", n1,
		    plural(t->unsanctioned_devices, "device", "devices"), n2,
		    plural(t->unsanctioned_services, "service", "services"),
		    n3, when);
		say(r, line);
		top = &r->services[0];
		report_count(top->devices, n1, sizeof(n1));
		util_human_bytes(top->bytes_up, up, sizeof(up));
		util_human_bytes(top->bytes_down, down, sizeof(down));
		snprintf(line, sizeof(line), "The most widespread was %s%s%s%s:"
		    " %s %s, %s uploaded, %s downloaded.", top->name,
		    top->category[0] != '\0' ? " (" : "", top->category,
		    top->category[0] != '\0' ? ")" : "", n1,
		    plural(top->devices, "device", "devices"), up, down);
		say(r, line);
	} else if (t->services > 0) {
		report_count(t->devices, n1, sizeof(n1));
		snprintf(line, sizeof(line), "No unsanctioned services were"
		    " seen %s; %s %s used only approved or tolerated"
		    " services.", when, n1,
		    plural(t->devices, "device", "devices"));
		say(r, line);
	} else {
		snprintf(line, sizeof(line), "No use of catalogued services"
		    " was recorded %s.", when);
		say(r, line);
	}
	if (t->unclassified_names > 0) {
		report_count(t->unclassified_names, n1, sizeof(n1));
		snprintf(line, sizeof(line), "%s other %s not in the service"
		    " catalog %s also contacted; the busiest are listed"
		    " below.", n1, plural(t->unclassified_names,
		    "destination", "destinations"),
		    plural(t->unclassified_names, "was", "were"));
		say(r, line);
	}
	if (r->coverage.runs == 0) {
		say(r, "No capture run is recorded for this period.");
	} else if (r->coverage.kernel_drops > 0) {
		report_count(r->coverage.kernel_drops, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Some traffic was missed: %s"
		    " %s dropped before %s could be examined, so the"
		    " figures above are a lower bound.", n1,
		    plural(r->coverage.kernel_drops, "packet was",
		    "packets were"),
		    plural(r->coverage.kernel_drops, "it", "they"));
		say(r, line);
	}
	if (r->coverage.unfinished > 0) {
		report_count(r->coverage.unfinished, n1, sizeof(n1));
		snprintf(line, sizeof(line), "%s capture %s not finish"
		    " cleanly; %s counts may be incomplete.", n1,
		    plural(r->coverage.unfinished, "run did", "runs did"),
		    plural(r->coverage.unfinished, "its", "their"));
		say(r, line);
	}
}

struct report *
report_build(struct store *st, int64_t since_us, int64_t until_us)
{
	struct svc_list l;
	struct report *r;

	r = xcalloc(1, sizeof(*r));
	r->since_us = since_us;
	r->until_us = until_us;
	memset(&l, 0, sizeof(l));
	if (store_query_totals(st, since_us, until_us, &r->totals) == -1)
		goto fail;
	if (store_query_services(st, since_us, until_us, add_service,
	    &l) == -1)
		goto fail;
	r->services = l.v;
	r->nservices = l.n;
	l.v = NULL;
	if (r->nservices > 0)
		qsort(r->services, r->nservices, sizeof(*r->services),
		    cmp_service);
	r->dests = xcalloc(REPORT_TOP_DESTS, sizeof(*r->dests));
	if (store_query_unclassified(st, since_us, until_us, REPORT_TOP_DESTS,
	    add_dest, r) == -1)
		goto fail;
	if (store_query_coverage(st, since_us, until_us, &r->coverage) == -1)
		goto fail;
	headline(r);
	return r;
fail:
	if (l.v != NULL) {
		r->services = l.v;
		r->nservices = l.n;
	}
	report_free(r);
	return NULL;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nheadline; i++)
		free(r->headline[i]);
	for (i = 0; i < r->nservices; i++) {
		free(r->services[i].id);
		free(r->services[i].name);
		free(r->services[i].category);
	}
	free(r->services);
	for (i = 0; i < r->ndests; i++)
		free(r->dests[i].name);
	free(r->dests);
	free(r);
}
