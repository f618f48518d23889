/* SPDX-License-Identifier: ISC */
/*
 * use.c: use, not contact. Each (device, service) of the period is
 * classed as sustained, occasional or one-off from its distinct days and
 * bytes uploaded (store_query_use()), so that the headline, the rankings
 * and the recommendations count the services people rely on, not every
 * service a device brushed past.
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

#define DAY_US	86400000000LL

/* One device's use of one service (a report_service) over the period. */
struct report_use_pair {
	struct report_service	*s;
	char			*device;
	enum report_use		 use;
};

/*
 * A distinct count's key: what is counted (enum key_kind), in which
 * category or workaround (idx), of which class, and the device.
 */
enum key_kind {
	K_CAT_ANY,	/* sustained use of any status, per category */
	K_CAT_UNAPPROVED, /* ... of a service not sanctioned */
	K_CAT_UNS,	/* unsanctioned, by class, per category */
	K_ALL_UNS,	/* unsanctioned, by class, overall */
	K_CONTACT,	/* contact with an unsanctioned service not in
			   sustained use */
	K_GROUP,	/* sustained unsanctioned use, per workaround */
};
#define KEYS_PER_PAIR	12

struct use_key {
	enum key_kind	 kind;
	size_t		 idx;
	enum report_use	 use;
	const char	*device;
};

enum report_use
report_use_classify(uint64_t days, uint64_t bytes_up, unsigned min_days,
    uint64_t min_upload)
{
	if (days >= min_days || bytes_up >= min_upload)
		return REPORT_USE_SUSTAINED;
	return days >= 2 ? REPORT_USE_OCCASIONAL : REPORT_USE_ONE_OFF;
}

unsigned
report_use_days(unsigned policy_days, int64_t first_us, int64_t last_us)
{
	int64_t span;

	if (policy_days < 1)
		policy_days = 1;
	if (last_us < first_us || first_us == 0)
		return 1;
	span = util_floor_div(last_us, DAY_US) -
	    util_floor_div(first_us, DAY_US) + 1;
	/* Fewer days than that cannot tell use from contact by days. */
	return span < (int64_t)policy_days ? 1 : policy_days;
}

const char *
report_use_name(enum report_use u)
{
	switch (u) {
	case REPORT_USE_SUSTAINED:
		return "sustained";
	case REPORT_USE_OCCASIONAL:
		return "occasional";
	default:
		return "one-off";
	}
}

char *
report_use_words(const struct report *r, char *buf, size_t len)
{
	char up[32];

	buf[0] = '\0';
	if (r->use.days <= 1)
		return buf;
	util_human_bytes(r->use.upload, up, sizeof(up));
	snprintf(buf, len, "on %u days or more, or %s uploaded", r->use.days,
	    up);
	return buf;
}

static int
cmp_svc_key(const void *pa, const void *pb)
{
	const struct report_service *a = *(struct report_service *const *)pa;
	const struct report_service *b = *(struct report_service *const *)pb;
	int c;

	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	if ((c = strcmp(a->instance, b->instance)) != 0)
		return c;
	return (int)a->status - (int)b->status;
}

struct use_ctx {
	struct report		 *r;
	struct report_service	**idx;	/* by id, instance, status */
	size_t			  n;
	unsigned		  days;
	uint64_t		  upload;
	size_t			  cap;
};

static int
add_use(void *arg, const struct store_use_row *row)
{
	struct use_ctx *x = arg;
	struct report *r = x->r;
	struct report_service key, *kp = &key, **found;
	struct report_use_pair *p;

	memset(&key, 0, sizeof(key));
	key.id = (char *)(uintptr_t)row->service;
	key.instance = (char *)(uintptr_t)row->instance;
	key.status = row->verdict;
	found = bsearch(&kp, x->idx, x->n, sizeof(*x->idx), cmp_svc_key);
	if (found == NULL)
		return 0;	/* written between the two queries */
	if (r->use.npairs == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		r->use.pairs = xreallocarray(r->use.pairs, x->cap,
		    sizeof(*r->use.pairs));
	}
	p = &r->use.pairs[r->use.npairs++];
	p->s = *found;
	p->device = xstrdup(row->device);
	p->use = report_use_classify(row->days, row->bytes_up, x->days,
	    x->upload);
	switch (p->use) {
	case REPORT_USE_SUSTAINED:
		p->s->sustained++;
		break;
	case REPORT_USE_OCCASIONAL:
		p->s->occasional++;
		break;
	default:
		p->s->oneoff++;
		break;
	}
	return 0;
}

#define CMP_DESC(a, b)	((a) < (b) ? 1 : (a) > (b) ? -1 : 0)

static int
cmp_shown(const void *pa, const void *pb)
{
	const struct report_service *a = pa, *b = pb;
	int c;

	if ((c = report_status_rank(a->status) -
	    report_status_rank(b->status)) != 0)
		return c;
	if ((c = (int)a->use - (int)b->use) != 0)
		return c;
	if ((c = CMP_DESC(a->sustained, b->sustained)) != 0)
		return c;
	if ((c = CMP_DESC(a->devices, b->devices)) != 0)
		return c;
	if ((c = CMP_DESC(a->bytes_up + a->bytes_down,
	    b->bytes_up + b->bytes_down)) != 0)
		return c;
	if ((c = CMP_DESC(a->flows, b->flows)) != 0)
		return c;
	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	return strcmp(a->instance, b->instance);
}

/* A service and where it was before the sort. */
struct sorted {
	struct report_service	 s;
	size_t			 old;
};

static int
cmp_sorted(const void *pa, const void *pb)
{
	const struct sorted *a = pa, *b = pb;

	return cmp_shown(&a->s, &b->s);
}

/* Orders the services as shown, keeping the pairs pointing to theirs. */
static void
sort_services(struct report *r)
{
	struct sorted *v;
	size_t *where, i;

	if (r->nservices == 0)
		return;
	v = xcalloc(r->nservices, sizeof(*v));
	where = xcalloc(r->nservices, sizeof(*where));
	for (i = 0; i < r->nservices; i++) {
		v[i].s = r->services[i];
		v[i].old = i;
	}
	qsort(v, r->nservices, sizeof(*v), cmp_sorted);
	for (i = 0; i < r->nservices; i++) {
		r->services[i] = v[i].s;
		where[v[i].old] = i;
	}
	for (i = 0; i < r->use.npairs; i++)
		r->use.pairs[i].s = &r->services[where[r->use.pairs[i].s -
		    r->services]];
	free(where);
	free(v);
}

int
report_use_build(struct store *st, struct report *r,
    const struct use_opts *o)
{
	struct use_ctx x;
	struct report_service *s;
	size_t i;

	memset(&x, 0, sizeof(x));
	r->use.policy_days = o != NULL ? o->days : USE_DEF_DAYS;
	r->use.upload = o != NULL ? o->upload : USE_DEF_UPLOAD;
	r->use.days = report_use_days(r->use.policy_days, r->totals.first_us,
	    r->totals.last_us);
	x.r = r;
	x.days = r->use.days;
	x.upload = r->use.upload;
	x.n = r->nservices;
	x.idx = xcalloc(x.n ? x.n : 1, sizeof(*x.idx));
	for (i = 0; i < r->nservices; i++)
		x.idx[i] = &r->services[i];
	qsort(x.idx, x.n, sizeof(*x.idx), cmp_svc_key);
	if (store_query_use(st, r->since_us, r->until_us, add_use, &x) ==
	    -1) {
		free(x.idx);
		return -1;
	}
	free(x.idx);
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		/* Rows the use query did not see (a merge in between) keep
		 * their contact counted as it was. */
		if (s->sustained + s->occasional + s->oneoff == 0)
			s->sustained = s->devices;
		s->use = s->sustained > 0 ? REPORT_USE_SUSTAINED :
		    s->occasional > 0 ? REPORT_USE_OCCASIONAL :
		    REPORT_USE_ONE_OFF;
	}
	sort_services(r);
	return 0;
}

static int
cmp_key(const void *pa, const void *pb)
{
	const struct use_key *a = pa, *b = pb;

	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	if (a->use != b->use)
		return (int)a->use - (int)b->use;
	return strcmp(a->device, b->device);
}

static size_t
category_of(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ncategories; i++)
		if (strcmp(r->categories[i].id, id) == 0)
			return i;
	return SIZE_MAX;	/* counted in the totals only */
}

/* Adds one distinct device to the count k names. */
static void
count_key(struct report *r, const struct use_key *k)
{
	struct report_category *c = k->idx < r->ncategories ?
	    &r->categories[k->idx] : NULL;

	switch (k->kind) {
	case K_CAT_ANY:
		c->devices++;
		break;
	case K_CAT_UNAPPROVED:
		c->unapproved_devices++;
		break;
	case K_CAT_UNS:
		if (k->use == REPORT_USE_SUSTAINED)
			c->sustained_devices++;
		else if (k->use == REPORT_USE_OCCASIONAL)
			c->occasional_devices++;
		else
			c->oneoff_devices++;
		break;
	case K_ALL_UNS:
		if (k->use == REPORT_USE_SUSTAINED)
			r->use.devices++;
		else if (k->use == REPORT_USE_OCCASIONAL)
			r->use.occasional_devices++;
		else
			r->use.oneoff_devices++;
		break;
	case K_CONTACT:
		r->use.contact_devices++;
		break;
	case K_GROUP:
		r->workarounds[k->idx].devices++;
		break;
	}
}

static struct use_key *
key(struct use_key *k, size_t *n, enum key_kind kind, size_t idx,
    enum report_use use, const char *device)
{
	k += (*n)++;
	k->kind = kind;
	k->idx = idx;
	k->use = use;
	k->device = device;
	return k;
}

/* The keys of one device's use of one service into k. */
static void
pair_keys(const struct report *r, const struct report_use_pair *p,
    struct use_key *k, size_t *n)
{
	const struct report_service *s = p->s;
	char cat[128];
	size_t c = category_of(r, s->category), i;

	if (p->use == REPORT_USE_SUSTAINED && c != SIZE_MAX) {
		key(k, n, K_CAT_ANY, c, 0, p->device);
		if (s->status != VERDICT_SANCTIONED)
			key(k, n, K_CAT_UNAPPROVED, c, 0, p->device);
	}
	if (s->status != VERDICT_UNSANCTIONED ||
	    (s->use == REPORT_USE_SUSTAINED && p->use !=
	    REPORT_USE_SUSTAINED))
		return;
	if (c != SIZE_MAX)
		key(k, n, K_CAT_UNS, c, s->use, p->device);
	key(k, n, K_ALL_UNS, 0, s->use, p->device);
	if (s->use != REPORT_USE_SUSTAINED) {
		key(k, n, K_CONTACT, 0, 0, p->device);
		return;
	}
	snprintf(cat, sizeof(cat), ",%s,", s->category);
	for (i = 0; i < r->nworkarounds; i++)
		if (r->workarounds[i].categories != NULL &&
		    strstr(r->workarounds[i].categories, cat) != NULL)
			key(k, n, K_GROUP, i, 0, p->device);
}

/* Services per category and class, and the sustained recount. */
static void
tally_services(struct report *r, int recount)
{
	struct report_service *s;
	struct report_category *c;
	size_t i, j, cat;
	int seen;

	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		cat = category_of(r, s->category);
		c = cat != SIZE_MAX ? &r->categories[cat] : NULL;
		/* Instances of one service are one service here. */
		for (j = 0, seen = 0; j < i; j++)
			if (strcmp(r->services[j].id, s->id) == 0 &&
			    r->services[j].status == s->status &&
			    r->services[j].use == s->use)
				seen = 1;
		if (seen)
			continue;
		if (recount && s->use == REPORT_USE_SUSTAINED && c != NULL) {
			for (j = 0, seen = 0; j < i; j++)
				if (strcmp(r->services[j].id, s->id) == 0 &&
				    r->services[j].use == s->use)
					seen = 1;
			if (!seen)
				c->nservices++;
		}
		if (s->status != VERDICT_UNSANCTIONED)
			continue;
		if (s->use == REPORT_USE_SUSTAINED) {
			r->use.services++;
			if (c != NULL && c->nsustained++ == 0)
				r->use.categories++;
		} else if (s->use == REPORT_USE_OCCASIONAL) {
			r->use.noccasional++;
			if (c != NULL)
				c->noccasional++;
		} else {
			r->use.noneoff++;
			if (c != NULL)
				c->noneoff++;
		}
	}
}

/* Which services the body's tables print: the top-N sustained ones of
 * each unsanctioned category, and of each other status. */
static void
mark_shown(struct report *r)
{
	struct report_service *s;
	size_t i, j, rank;

	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		s->shown = 0;
		if (s->use != REPORT_USE_SUSTAINED)
			continue;
		for (j = 0, rank = 0; j < i; j++)
			if (r->services[j].shown &&
			    r->services[j].status == s->status &&
			    (s->status != VERDICT_UNSANCTIONED ||
			    strcmp(r->services[j].category, s->category) == 0))
				rank++;
		s->shown = rank < r->use.top;
	}
}

/*
 * The workarounds with sustained use, counted as such: services and
 * devices of sustained unsanctioned use in their categories, and those
 * services' flows and bytes; the others are dropped. The log-ins (no
 * categories) stay as they are.
 */
static void
tally_workarounds(struct report *r)
{
	struct report_workaround *w;
	const struct report_service *s;
	char cat[128];
	size_t i, j, n = 0;

	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		if (w->categories == NULL)
			continue;
		w->services = 0;
		w->flows = w->bytes_up = w->bytes_down = 0;
		for (j = 0; j < r->nservices; j++) {
			s = &r->services[j];
			snprintf(cat, sizeof(cat), ",%s,", s->category);
			if (s->status != VERDICT_UNSANCTIONED ||
			    s->use != REPORT_USE_SUSTAINED ||
			    strstr(w->categories, cat) == NULL)
				continue;
			w->services++;
			w->flows += s->flows;
			w->bytes_up += s->bytes_up;
			w->bytes_down += s->bytes_down;
		}
	}
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		if (w->categories != NULL && w->services == 0) {
			free(w->examples);
			continue;
		}
		r->workarounds[n++] = *w;
	}
	r->nworkarounds = n;
}

void
report_use_tally(struct report *r)
{
	struct use_key *k;
	size_t i, n = 0;
	int recount = r->use.days > 1;

	if (recount) {
		for (i = 0; i < r->ncategories; i++) {
			r->categories[i].devices = 0;
			r->categories[i].unapproved_devices = 0;
			r->categories[i].nservices = 0;
		}
		for (i = 0; i < r->nworkarounds; i++)
			if (r->workarounds[i].categories != NULL)
				r->workarounds[i].devices = 0;
	}
	tally_services(r, recount);
	mark_shown(r);
	k = xcalloc(KEYS_PER_PAIR * r->use.npairs + 1, sizeof(*k));
	for (i = 0; i < r->use.npairs; i++)
		pair_keys(r, &r->use.pairs[i], k, &n);
	qsort(k, n, sizeof(*k), cmp_key);
	for (i = 0; i < n; i++) {
		if (i > 0 && cmp_key(&k[i - 1], &k[i]) == 0)
			continue;
		if (!recount && (k[i].kind == K_CAT_ANY ||
		    k[i].kind == K_CAT_UNAPPROVED || k[i].kind == K_GROUP))
			continue;
		count_key(r, &k[i]);
	}
	free(k);
	if (recount) {
		for (i = 0; i < r->ncategories; i++) {
			r->categories[i].unsanctioned_devices =
			    r->categories[i].sustained_devices;
			r->categories[i].nunsanctioned =
			    r->categories[i].nsustained;
		}
		tally_workarounds(r);
	}
	report_use_free(r);
}

void
report_use_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->use.npairs; i++)
		free(r->use.pairs[i].device);
	free(r->use.pairs);
	r->use.pairs = NULL;
	r->use.npairs = 0;
}

char *
report_use_contact_words(const struct report_category *c, char *buf,
    size_t len)
{
	char a[32], b[32], occ[160], one[160];

	buf[0] = occ[0] = one[0] = '\0';
	if (c->noccasional > 0)
		snprintf(occ, sizeof(occ), "%s %s used occasionally (by %s"
		    " %s)", report_count(c->noccasional, a, sizeof(a)),
		    c->noccasional == 1 ? "service" : "services",
		    report_count(c->occasional_devices, b, sizeof(b)),
		    c->occasional_devices == 1 ? "device" : "devices");
	if (c->noneoff > 0)
		snprintf(one, sizeof(one), "%s%s contacted on one day only"
		    " (by %s %s)", report_count(c->noneoff, a, sizeof(a)),
		    occ[0] != '\0' ? "" : c->noneoff == 1 ? " service" :
		    " services",
		    report_count(c->oneoff_devices, b, sizeof(b)),
		    c->oneoff_devices == 1 ? "device" : "devices");
	if (occ[0] == '\0' && one[0] == '\0')
		return buf;
	snprintf(buf, len, "%s%s%s%s", c->nsustained > 0 ? "plus " : "",
	    occ, occ[0] != '\0' && one[0] != '\0' ? " and " : "", one);
	return buf;
}

size_t
report_use_more(size_t shown, size_t total, int appendix, char *buf,
    size_t len)
{
	char n[32];

	buf[0] = '\0';
	if (total <= shown)
		return 0;
	snprintf(buf, len, "... and %s more in sustained use: see %s",
	    report_count(total - shown, n, sizeof(n)),
	    appendix ? "the appendix or --format csv" : "--format csv");
	return total - shown;
}

char *
report_use_appendix(const struct report *r, const char *category,
    enum report_use u)
{
	const struct report_service *s;
	char *buf = NULL, item[512], n[32];
	size_t i, len = 0, cap = 0, k;

	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (s->status != VERDICT_UNSANCTIONED || s->shown ||
		    s->use != u || strcmp(s->category, category) != 0)
			continue;
		k = (size_t)snprintf(item, sizeof(item), "%s%s (%s)",
		    len > 0 ? ", " : "", s->name, report_count(u ==
		    REPORT_USE_SUSTAINED ? s->sustained : s->devices, n,
		    sizeof(n)));
		if (k >= sizeof(item))
			k = sizeof(item) - 1;
		if (len + k + 1 > cap) {
			cap = (len + k + 1) * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		memcpy(buf + len, item, k + 1);
		len += k;
	}
	return buf;
}

size_t
report_use_appendix_each(const struct report *r, void (*fn)(void *,
    size_t, const char *, const char *, const char *), void *arg)
{
	static const char *const title[] = { "sustained, not listed above",
	    "occasional", "one day only" };
	const struct report_category *c;
	char *list;
	size_t i, n = 0;
	int u;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		for (u = REPORT_USE_SUSTAINED; u <= REPORT_USE_ONE_OFF; u++) {
			if ((list = report_use_appendix(r, c->id,
			    (enum report_use)u)) == NULL)
				continue;
			fn(arg, n++, report_category_name(r, c->id), title[u],
			    list);
			free(list);
		}
	}
	return n;
}

char *
report_use_contact_sentence(const struct report *r, const char *lead,
    char *buf, size_t len)
{
	char n1[32], n2[32];
	size_t n = r->use.noccasional + r->use.noneoff;

	if (n == 0)
		return NULL;
	report_count(n, n1, sizeof(n1));
	report_count(r->use.contact_devices, n2, sizeof(n2));
	snprintf(buf, len, "%s %s unsanctioned %s %s only contacted,"
	    " occasionally or once, by %s %s; the appendix lists them.", lead,
	    n1, n == 1 ? "service" : "services", n == 1 ? "was" : "were", n2,
	    r->use.contact_devices == 1 ? "device" : "devices");
	return buf;
}

char *
report_use_contact_only(const struct report *r, char *buf, size_t len)
{
	const struct report_category *c;
	char item[256], n1[32], n2[32];
	size_t i, n = 0, more = 0;

	buf[0] = '\0';
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (c->nsustained > 0 || c->noccasional + c->noneoff == 0)
			continue;
		if (n == r->use.top) {
			more++;
			continue;
		}
		snprintf(item, sizeof(item), "%s%s (%s %s, %s %s)",
		    n++ > 0 ? ", " : "", c->id[0] != '\0' ? c->id :
		    "no category",
		    report_count(c->noccasional + c->noneoff, n1, sizeof(n1)),
		    c->noccasional + c->noneoff == 1 ? "service" : "services",
		    report_count(c->occasional_devices + c->oneoff_devices, n2,
		    sizeof(n2)), c->occasional_devices + c->oneoff_devices ==
		    1 ? "device contact" : "device contacts");
		strlcat(buf, item, len);
	}
	if (more > 0) {
		snprintf(item, sizeof(item), " and %zu more %s", more,
		    more == 1 ? "category" : "categories");
		strlcat(buf, item, len);
	}
	if (n > 0)
		strlcat(buf, ": see the appendix.", len);
	return buf;
}
