/* SPDX-License-Identifier: ISC */
/*
 * knowledge.c: knowledge that leaves with people. From the period's
 * uploads to webmail, cloud storage and file sharing (store_query_uploads)
 * it keeps those to personal accounts (a service the policy does not
 * sanction for the organisation, or any personal edition) and groups them
 * by owner (inventory), or by device where no owner is known, so that IT
 * knows which personal accounts hold the organisation's files when
 * someone leaves. Names are pseudonymised here when the report is.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/report.h"
#include "store/store.h"

#define US_PER_S	1000000LL

/* Uploads of one device to one service over the period. */
struct pair {
	char		*device;
	char		*ip;
	char		*department;	/* the policy's */
	char		*service;
	char		*name;
	uint64_t	 bytes_up;
	int64_t		 first_us;
	int64_t		 last_us;
};

struct pairs {
	const struct report	*r;
	struct pair		*v;
	size_t			 n;
	size_t			 cap;
	size_t			 last;	/* the pair hit last */
};

/*
 * 1 when uploads to service id go to a personal account: a personal
 * edition, or a service the policy does not sanction for the
 * organisation (any verdict but sanctioned, or another organisation's
 * instance).
 */
static int
personal(const struct report *r, const char *id, const char *name)
{
	const struct report_service *s;
	size_t i;

	if (report_rec_personal(name))
		return 1;
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (strcmp(s->id, id) == 0 && s->status == VERDICT_SANCTIONED &&
		    !s->other && !report_rec_personal(s->name))
			return 0;
	}
	return 1;
}

static int
add_upload(void *arg, const struct store_upload_row *row)
{
	struct pairs *l = arg;
	struct pair *p = NULL;
	int64_t end = row->bucket_us + row->window_s * US_PER_S;
	size_t i;

	if (!personal(l->r, row->service, row->name))
		return 0;
	if (l->n > 0 && strcmp(l->v[l->last].device, row->device) == 0 &&
	    strcmp(l->v[l->last].service, row->service) == 0)
		p = &l->v[l->last];
	for (i = 0; p == NULL && i < l->n; i++)
		if (strcmp(l->v[i].device, row->device) == 0 &&
		    strcmp(l->v[i].service, row->service) == 0) {
			p = &l->v[i];
			l->last = i;
		}
	if (p == NULL) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 32;
			l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
		}
		l->last = l->n;
		p = &l->v[l->n++];
		p->device = xstrdup(row->device);
		p->ip = xstrdup(row->ip);
		p->department = xstrdup(row->department);
		p->service = xstrdup(row->service);
		p->name = xstrdup(row->name);
		p->bytes_up = 0;
		p->first_us = row->bucket_us;
		p->last_us = end;
	}
	p->bytes_up += row->bytes_up;
	if (row->bucket_us < p->first_us)
		p->first_us = row->bucket_us;
	if (end > p->last_us)
		p->last_us = end;
	return 0;
}

static void
free_pairs(struct pairs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].device);
		free(l->v[i].ip);
		free(l->v[i].department);
		free(l->v[i].service);
		free(l->v[i].name);
	}
	free(l->v);
}

/* The entry of who (as owner or not) in v[0..*n), added when new. */
static struct report_know *
entry(struct report_know **v, size_t *n, size_t *cap, const char *who,
    int owner, const char *department)
{
	struct report_know *k;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].owner == owner && strcmp((*v)[i].who, who) == 0)
			return &(*v)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	k = &(*v)[(*n)++];
	memset(k, 0, sizeof(*k));
	k->who = xstrdup(who);
	k->owner = owner;
	k->department = xstrdup(department);
	return k;
}

static void
add_svc(struct report_know *k, const struct pair *p, int new_device)
{
	struct report_know_svc *s = NULL;
	size_t i;

	for (i = 0; i < k->nsvc; i++)
		if (strcmp(k->svc[i].id, p->service) == 0)
			s = &k->svc[i];
	if (s == NULL) {
		k->svc = xreallocarray(k->svc, k->nsvc + 1, sizeof(*k->svc));
		s = &k->svc[k->nsvc++];
		memset(s, 0, sizeof(*s));
		s->id = xstrdup(p->service);
		s->name = xstrdup(p->name);
		s->first_us = p->first_us;
		s->last_us = p->last_us;
	}
	s->bytes_up += p->bytes_up;
	s->devices++;
	if (p->first_us < s->first_us)
		s->first_us = p->first_us;
	if (p->last_us > s->last_us)
		s->last_us = p->last_us;
	k->bytes_up += p->bytes_up;
	if (new_device)
		k->devices++;
}

static int
cmp_svc(const void *pa, const void *pb)
{
	const struct report_know_svc *a = pa, *b = pb;

	if (a->bytes_up != b->bytes_up)
		return a->bytes_up > b->bytes_up ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int
cmp_know(const void *pa, const void *pb)
{
	const struct report_know *a = pa, *b = pb;
	int c;

	if (a->bytes_up != b->bytes_up)
		return a->bytes_up > b->bytes_up ? -1 : 1;
	if ((c = strcmp(a->who, b->who)) != 0)
		return c;
	return b->owner - a->owner;
}

static void
free_know(struct report_know *k)
{
	size_t j;

	free(k->who);
	free(k->department);
	for (j = 0; j < k->nsvc; j++) {
		free(k->svc[j].id);
		free(k->svc[j].name);
	}
	free(k->svc);
}

/*
 * Who uploaded pair p: the owner, or the device's best name; each
 * pseudonymised with key as report.c does it. Returns who in buf.
 */
static const char *
who_of(const struct report_who *w, const struct pair *p, const uint8_t *key,
    int *owner, const char **department, char *buf, size_t len)
{
	struct report_who_is is;
	const char *who;

	report_who_find(w, p->device, p->ip, &is);
	*owner = is.owner[0] != '\0';
	*department = is.department[0] != '\0' ? is.department :
	    p->department;
	who = *owner ? is.owner : is.label;
	if (key == NULL) {
		strlcpy(buf, who, len);
		return buf;
	}
	if (report_pseudonym(key, *owner ? "owner" : is.kind, who, buf,
	    len) == NULL)
		return NULL;
	return buf;
}

/* Who each pair is, before grouping. */
struct tag {
	char		 who[256];
	int		 owner;
	const char	*department;
};

/* Groups the pairs by who; 0, or -1 when a pseudonym failed. */
static int
group(struct report *r, const struct report_who *w, struct pairs *l,
    const uint8_t *key)
{
	struct report_know *v = NULL, *k;
	struct tag *t;
	size_t i, j, n = 0, cap = 0;
	int seen;

	t = xcalloc(l->n, sizeof(*t));
	for (i = 0; i < l->n; i++)
		if (who_of(w, &l->v[i], key, &t[i].owner, &t[i].department,
		    t[i].who, sizeof(t[i].who)) == NULL) {
			free(t);
			return -1;
		}
	for (i = 0; i < l->n; i++) {
		k = entry(&v, &n, &cap, t[i].who, t[i].owner,
		    t[i].department);
		/* A device counts once per owner, whatever it sent. */
		for (j = 0, seen = 0; j < i && !seen; j++)
			seen = strcmp(l->v[j].device, l->v[i].device) == 0 &&
			    t[j].owner == t[i].owner &&
			    strcmp(t[j].who, t[i].who) == 0;
		add_svc(k, &l->v[i], !seen);
	}
	free(t);
	for (i = 0; i < n; i++)
		qsort(v[i].svc, v[i].nsvc, sizeof(*v[i].svc), cmp_svc);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_know);
	r->know_total = n;
	for (i = REPORT_TOP_KNOW; i < n; i++)
		free_know(&v[i]);
	r->know = v;
	r->nknow = n < REPORT_TOP_KNOW ? n : REPORT_TOP_KNOW;
	return 0;
}

int
report_know_build(struct store *st, struct report *r, const uint8_t *key)
{
	struct report_who *w;
	struct pairs l;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	l.r = r;
	if (store_query_uploads(st, r->since_us, r->until_us, add_upload,
	    &l) == -1) {
		free_pairs(&l);
		return -1;
	}
	if (l.n == 0) {
		free_pairs(&l);
		return 0;
	}
	if ((w = report_who_load(st)) != NULL)
		rc = group(r, w, &l, key);
	report_who_free(w);
	free_pairs(&l);
	return rc;
}

void
report_know_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nknow; i++)
		free_know(&r->know[i]);
	free(r->know);
	r->know = NULL;
	r->nknow = 0;
}
