/* SPDX-License-Identifier: ISC */
/*
 * trend.c: what changed in sustained use since the previous period
 * (--compare previous): the unsanctioned services whose devices in
 * sustained use grew or shrank most, those newly adopted (sustained now,
 * not before) and those abandoned (the reverse). At the size of a real
 * organisation these say more than the services merely seen or not seen.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "base/util.h"

/* Sustained devices of unsanctioned service id in v (over instances). */
static uint64_t
sustained_of(const struct report_service *v, size_t n, const char *id,
    const struct report_service **first)
{
	uint64_t sum = 0;
	size_t i;

	*first = NULL;
	for (i = 0; i < n; i++) {
		if (v[i].status != VERDICT_UNSANCTIONED ||
		    strcmp(v[i].id, id) != 0)
			continue;
		if (*first == NULL)
			*first = &v[i];
		sum += v[i].sustained;
	}
	return sum;
}

/* 1 when an earlier entry of v has the unsanctioned service id. */
static int
seen_before(const struct report_service *v, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (v[j].status == VERDICT_UNSANCTIONED &&
		    strcmp(v[j].id, v[i].id) == 0)
			return 1;
	return 0;
}

static void
add(struct report_trend_list *l, const struct report_service *s,
    uint64_t now, uint64_t before)
{
	struct report_trend *t;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	t = &l->v[l->n++];
	t->id = xstrdup(s->id);
	t->name = xstrdup(s->name);
	t->category = xstrdup(s->category);
	t->devices = now;
	t->previous = before;
}

static int64_t
delta(const struct report_trend *t)
{
	return (int64_t)t->devices - (int64_t)t->previous;
}

/* Biggest change first, then more devices now, then id. */
static int
cmp_trend(const void *pa, const void *pb)
{
	const struct report_trend *a = pa, *b = pb;
	int64_t da = delta(a), db = delta(b);
	uint64_t ma, mb;

	da = da < 0 ? -da : da;
	db = db < 0 ? -db : db;
	if (da != db)
		return da > db ? -1 : 1;
	ma = a->devices > a->previous ? a->devices : a->previous;
	mb = b->devices > b->previous ? b->devices : b->previous;
	if (ma != mb)
		return ma > mb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void
walk(struct report *r, const struct report_service *prev, size_t nprev)
{
	const struct report_service *s, *o;
	uint64_t now, before;
	size_t i;

	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (s->status != VERDICT_UNSANCTIONED ||
		    seen_before(r->services, i))
			continue;
		now = sustained_of(r->services, r->nservices, s->id, &o);
		before = sustained_of(prev, nprev, s->id, &o);
		if (now > 0 && before == 0)
			add(&r->trends.adopted, s, now, before);
		else if (now > before && before > 0)
			add(&r->trends.grew, s, now, before);
		else if (now < before && now > 0)
			add(&r->trends.shrank, s, now, before);
		else if (now == 0 && before > 0)
			add(&r->trends.abandoned, s, now, before);
	}
	for (i = 0; i < nprev; i++) {
		s = &prev[i];
		if (s->status != VERDICT_UNSANCTIONED || seen_before(prev, i))
			continue;
		before = sustained_of(prev, nprev, s->id, &o);
		if (before > 0 && sustained_of(r->services, r->nservices,
		    s->id, &o) == 0 && o == NULL)
			add(&r->trends.abandoned, s, 0, before);
	}
}

void
report_trend_build(struct report *r, const struct report_service *prev,
    size_t nprev)
{
	struct report_trend_list *l[4];
	size_t i;

	r->trends.built = 1;
	walk(r, prev, nprev);
	l[0] = &r->trends.grew;
	l[1] = &r->trends.shrank;
	l[2] = &r->trends.adopted;
	l[3] = &r->trends.abandoned;
	for (i = 0; i < 4; i++)
		if (l[i]->n > 1)
			qsort(l[i]->v, l[i]->n, sizeof(*l[i]->v), cmp_trend);
}

static void
free_list(struct report_trend_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].category);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
report_trend_free(struct report *r)
{
	free_list(&r->trends.grew);
	free_list(&r->trends.shrank);
	free_list(&r->trends.adopted);
	free_list(&r->trends.abandoned);
}

const char *
report_trend_title(int which)
{
	static const char *const t[] = { "Grew most", "Shrank most",
	    "Newly adopted", "Abandoned" };

	return which >= 0 && which < 4 ? t[which] : "";
}

const struct report_trend_list *
report_trend_list(const struct report *r, int which)
{
	switch (which) {
	case 0:
		return &r->trends.grew;
	case 1:
		return &r->trends.shrank;
	case 2:
		return &r->trends.adopted;
	default:
		return &r->trends.abandoned;
	}
}

char *
report_trend_words(const struct report *r, int which)
{
	const struct report_trend_list *l = report_trend_list(r, which);
	const struct report_trend *t;
	char *buf, item[512], n1[32], n2[32];
	size_t i, len = 0, cap, k, top = r->use.top;

	if (l->n == 0)
		return NULL;
	cap = 256;
	buf = xcalloc(cap, 1);
	for (i = 0; i < l->n && i < top; i++) {
		t = &l->v[i];
		report_count(t->devices, n1, sizeof(n1));
		report_count(t->previous, n2, sizeof(n2));
		if (which < 2)
			k = (size_t)snprintf(item, sizeof(item), "%s%s (%s,"
			    " %s to %s devices)", i > 0 ? ", " : "", t->name,
			    t->category, n2, n1);
		else
			k = (size_t)snprintf(item, sizeof(item), "%s%s (%s,"
			    " %s %s)", i > 0 ? ", " : "", t->name,
			    t->category, which == 2 ? n1 : n2,
			    (which == 2 ? t->devices : t->previous) == 1 ?
			    "device" : "devices");
		if (k >= sizeof(item))
			k = sizeof(item) - 1;
		if (len + k + 64 > cap) {
			cap = (len + k + 64) * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		memcpy(buf + len, item, k + 1);
		len += k;
	}
	if (l->n > top)
		snprintf(buf + len, cap - len, " and %zu more", l->n - top);
	return buf;
}

int
report_trend_previous(struct store *st, struct report *r,
    struct report_service *prev, size_t nprev)
{
	struct report p;
	struct use_opts o;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&o, 0, sizeof(o));
	o.days = r->use.policy_days;
	o.upload = r->use.upload;
	p.since_us = r->prev_since_us;
	p.until_us = r->prev_until_us;
	p.totals = r->prev_totals;
	p.services = prev;
	p.nservices = nprev;
	p.use.top = r->use.top;
	rc = report_use_build(st, &p, &o);
	report_use_free(&p);
	if (rc == 0)
		report_trend_build(r, p.services, p.nservices);
	return rc;
}
