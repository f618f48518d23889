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

/* A storage service's verdict for personal(), looked up once. */
struct svc_seen {
	char	*id;
	int	 personal;
};

/*
 * The pairs of the period, found by (device, service) through an open
 * addressing index (slot[i] is a pair's index + 1, 0 empty): a large
 * network has many thousands of them and the query returns one row per
 * hour.
 */
struct pairs {
	const struct report	*r;
	struct pair		*v;
	size_t			 n;
	size_t			 cap;
	size_t			*slot;
	size_t			 nslot;	/* a power of two, > 2 n */
	struct svc_seen		*seen;
	size_t			 nseen;
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

/* personal(), remembered per service id. */
static int
personal_seen(struct pairs *l, const char *id, const char *name)
{
	size_t i;

	for (i = 0; i < l->nseen; i++)
		if (strcmp(l->seen[i].id, id) == 0)
			return l->seen[i].personal;
	l->seen = xreallocarray(l->seen, l->nseen + 1, sizeof(*l->seen));
	l->seen[l->nseen].id = xstrdup(id);
	l->seen[l->nseen].personal = personal(l->r, id, name);
	return l->seen[l->nseen++].personal;
}

/* FNV-1a over device, a separator and service. */
static uint64_t
pair_hash(const char *device, const char *service)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *device != '\0'; device++)
		h = (h ^ (unsigned char)*device) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (; *service != '\0'; service++)
		h = (h ^ (unsigned char)*service) * 1099511628211ULL;
	return h;
}

/* The slot of (device, service): its pair's, or the empty one to use. */
static size_t *
pair_slot(const struct pairs *l, const char *device, const char *service)
{
	size_t i = (size_t)pair_hash(device, service) & (l->nslot - 1);
	const struct pair *p;

	for (;; i = (i + 1) & (l->nslot - 1)) {
		if (l->slot[i] == 0)
			return &l->slot[i];
		p = &l->v[l->slot[i] - 1];
		if (strcmp(p->device, device) == 0 &&
		    strcmp(p->service, service) == 0)
			return &l->slot[i];
	}
}

/* Doubles the index (or makes it) so it stays under half full. */
static void
pair_grow(struct pairs *l)
{
	size_t i;

	free(l->slot);
	l->nslot = l->nslot ? l->nslot * 2 : 64;
	l->slot = xcalloc(l->nslot, sizeof(*l->slot));
	for (i = 0; i < l->n; i++)
		*pair_slot(l, l->v[i].device, l->v[i].service) = i + 1;
}

static int
add_upload(void *arg, const struct store_upload_row *row)
{
	struct pairs *l = arg;
	struct pair *p;
	int64_t end = row->bucket_us + row->window_s * US_PER_S;
	size_t *slot;

	if (!personal_seen(l, row->service, row->name))
		return 0;
	if ((l->n + 1) * 2 > l->nslot)
		pair_grow(l);
	slot = pair_slot(l, row->device, row->service);
	if (*slot == 0) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 32;
			l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
		}
		p = &l->v[l->n++];
		*slot = l->n;
		p->device = xstrdup(row->device);
		p->ip = xstrdup(row->ip);
		p->department = xstrdup(row->department);
		p->service = xstrdup(row->service);
		p->name = xstrdup(row->name);
		p->bytes_up = 0;
		p->first_us = row->bucket_us;
		p->last_us = end;
	}
	p = &l->v[*slot - 1];
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
	free(l->slot);
	for (i = 0; i < l->nseen; i++)
		free(l->seen[i].id);
	free(l->seen);
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
	char			 who[256];
	int			 owner;
	const char		*department;
	const struct pair	*p;
};

/* By who (owners first), then device: one run of tags per entry. */
static int
cmp_tag(const void *pa, const void *pb)
{
	const struct tag *a = pa, *b = pb;
	int c;

	if (a->owner != b->owner)
		return b->owner - a->owner;
	if ((c = strcmp(a->who, b->who)) != 0)
		return c;
	if ((c = strcmp(a->p->device, b->p->device)) != 0)
		return c;
	return strcmp(a->p->service, b->p->service);
}

/* Groups the pairs by who; 0, or -1 when a pseudonym failed. */
static int
group(struct report *r, const struct report_who *w, struct pairs *l,
    const uint8_t *key)
{
	struct report_know *v, *k = NULL;
	struct tag *t;
	size_t i, n = 0;

	t = xcalloc(l->n, sizeof(*t));
	for (i = 0; i < l->n; i++) {
		t[i].p = &l->v[i];
		if (who_of(w, &l->v[i], key, &t[i].owner, &t[i].department,
		    t[i].who, sizeof(t[i].who)) == NULL) {
			free(t);
			return -1;
		}
	}
	qsort(t, l->n, sizeof(*t), cmp_tag);
	v = xcalloc(l->n, sizeof(*v));
	for (i = 0; i < l->n; i++) {
		if (i == 0 || t[i].owner != t[i - 1].owner ||
		    strcmp(t[i].who, t[i - 1].who) != 0) {
			k = &v[n++];
			k->who = xstrdup(t[i].who);
			k->owner = t[i].owner;
			k->department = xstrdup(t[i].department);
			add_svc(k, t[i].p, 1);
			continue;
		}
		/* A device counts once per entry, whatever it sent. */
		add_svc(k, t[i].p, strcmp(t[i].p->device,
		    t[i - 1].p->device) != 0);
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
