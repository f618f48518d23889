/* SPDX-License-Identifier: ISC */
/*
 * who.c: who a device is, for the sections that name devices by their
 * store key (clear-text log-ins, reliability, knowledge at risk): the
 * inventory and the devices the database knows, loaded once, then the
 * best name, owner and department of any key, as inventory.c gives them
 * to the devices section; and the table of those identities the
 * renderers look the log-in and reliability devices up in.
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

struct who_dev {
	char	*device;
	char	*mac;		/* first known, "" */
	char	*ip;		/* first known, "" */
	char	*hostname;	/* "" */
};

struct report_who {
	struct report_inv_entry	*inv;
	size_t			 ninv;
	struct who_dev		*dev;	/* by device (the query's order) */
	size_t			 ndev;
	size_t			 cap;
};

static int
add_known(void *arg, const struct store_known_device *k)
{
	struct report_who *w = arg;
	struct who_dev *d;

	if (w->ndev > 0 && strcmp(w->dev[w->ndev - 1].device, k->device) ==
	    0) {
		d = &w->dev[w->ndev - 1];
		if (d->mac[0] == '\0' && k->mac[0] != '\0') {
			free(d->mac);
			d->mac = xstrdup(k->mac);
		}
		if (d->hostname[0] == '\0' && k->hostname[0] != '\0') {
			free(d->hostname);
			d->hostname = xstrdup(k->hostname);
		}
		return 0;
	}
	if (w->ndev == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->dev = xreallocarray(w->dev, w->cap, sizeof(*w->dev));
	}
	d = &w->dev[w->ndev++];
	d->device = xstrdup(k->device);
	d->mac = xstrdup(k->mac);
	d->ip = xstrdup(k->ip);
	d->hostname = xstrdup(k->hostname);
	return 0;
}

static int
cmp_dev(const void *pa, const void *pb)
{
	const struct who_dev *a = pa, *b = pb;

	return strcmp(a->device, b->device);
}

static int
cmp_key(const void *key, const void *pb)
{
	const struct who_dev *b = pb;

	return strcmp(key, b->device);
}

struct report_who *
report_who_load(struct store *st)
{
	struct report_who *w;

	w = xcalloc(1, sizeof(*w));
	if (store_query_known_devices(st, add_known, w) == -1 ||
	    report_inv_load(st, &w->inv, &w->ninv) == -1) {
		report_who_free(w);
		return NULL;
	}
	/* The query orders by device already; sort to be sure of it. */
	if (w->ndev > 1)
		qsort(w->dev, w->ndev, sizeof(*w->dev), cmp_dev);
	return w;
}

void
report_who_free(struct report_who *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ndev; i++) {
		free(w->dev[i].device);
		free(w->dev[i].mac);
		free(w->dev[i].ip);
		free(w->dev[i].hostname);
	}
	free(w->dev);
	report_inv_free(w->inv, w->ninv);
	free(w);
}

void
report_who_find(const struct report_who *w, const char *device,
    const char *ip, struct report_who_is *out)
{
	const struct report_inv_entry *e;
	const struct who_dev *d = NULL;

	memset(out, 0, sizeof(*out));
	out->owner = out->department = out->hostname = "";
	if (w->ndev > 0)
		d = bsearch(device, w->dev, w->ndev, sizeof(*w->dev), cmp_key);
	out->mac = d != NULL ? d->mac : "";
	out->ip = ip != NULL && ip[0] != '\0' ? ip : d != NULL ? d->ip : "";
	if (d != NULL)
		out->hostname = d->hostname;
	e = report_inv_find(w->inv, w->ninv, out->mac, out->ip);
	if (e != NULL) {
		out->owner = e->owner;
		out->department = e->department;
	}
	if (e != NULL && e->name[0] != '\0')
		out->label = e->name;
	else if (out->hostname[0] != '\0')
		out->label = out->hostname;
	else if (out->mac[0] != '\0')
		out->label = out->mac;
	else if (out->ip[0] != '\0')
		out->label = out->ip;
	else
		out->label = device;
	/* The pseudonym kind that keeps the label's origin (report.c). */
	out->kind = strcmp(out->label, out->mac) == 0 ? "mac" :
	    strcmp(out->label, out->ip) == 0 ? "ip" :
	    strcmp(out->label, device) == 0 ? "device" : "name";
}

/* Adds device key dev (real) to r->idents unless it is there. */
static int
add_ident(struct report *r, const struct report_who *w, const char *dev,
    const uint8_t *key, size_t *cap)
{
	struct report_who_is is;
	struct report_ident *id;
	char k[64], l[64], o[64];
	const char *kp = dev, *lp, *op;
	size_t i;

	if (key != NULL) {
		if (report_pseudonym(key, "device", dev, k, sizeof(k)) == NULL)
			return -1;
		kp = k;
	}
	for (i = 0; i < r->nidents; i++)
		if (strcmp(r->idents[i].device, kp) == 0)
			return 0;
	report_who_find(w, dev, NULL, &is);
	lp = is.label;
	op = is.owner;
	if (key != NULL) {
		if (report_pseudonym(key, is.kind, is.label, l,
		    sizeof(l)) == NULL ||
		    report_pseudonym(key, "owner", is.owner, o,
		    sizeof(o)) == NULL)
			return -1;
		lp = l;
		op = o;
	}
	if (r->nidents == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->idents = xreallocarray(r->idents, *cap,
		    sizeof(*r->idents));
	}
	id = &r->idents[r->nidents++];
	id->device = xstrdup(kp);
	id->label = xstrdup(lp);
	id->owner = xstrdup(op);
	id->department = xstrdup(is.department);
	return 0;
}

int
report_idents_build(struct store *st, struct report *r, const uint8_t *key)
{
	struct report_who *w;
	size_t i, j, cap = 0;
	int rc = 0;

	if (r->nlogins == 0 && (r->rel == NULL || r->rel->res.nf == 0))
		return 0;
	if ((w = report_who_load(st)) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < r->nlogins; i++)
		rc = add_ident(r, w, r->logins[i].device, key, &cap);
	for (i = 0; rc == 0 && r->rel != NULL && i < r->rel->res.nf; i++)
		for (j = 0; rc == 0 && j < r->rel->res.f[i].ndev; j++)
			rc = add_ident(r, w, r->rel->res.f[i].dev[j].device,
			    key, &cap);
	report_who_free(w);
	return rc;
}

void
report_idents_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nidents; i++) {
		free(r->idents[i].device);
		free(r->idents[i].label);
		free(r->idents[i].owner);
		free(r->idents[i].department);
	}
	free(r->idents);
	r->idents = NULL;
	r->nidents = 0;
}

const struct report_ident *
report_ident(const struct report *r, const char *dev)
{
	size_t i;

	for (i = 0; i < r->nidents; i++)
		if (strcmp(r->idents[i].device, dev) == 0)
			return &r->idents[i];
	return NULL;
}

const char *
report_ident_label(const struct report *r, const char *dev)
{
	const struct report_ident *id = report_ident(r, dev);

	return id != NULL ? id->label : dev;
}

const char *
report_ident_owner(const struct report *r, const char *dev)
{
	const struct report_ident *id = report_ident(r, dev);

	return id != NULL ? id->owner : "";
}

const char *
report_ident_department(const struct report *r, const char *dev)
{
	const struct report_ident *id = report_ident(r, dev);

	return id != NULL ? id->department : "";
}

char *
report_who_words(const struct report *r, const char *dev, char *buf,
    size_t len)
{
	const char *o = report_ident_owner(r, dev);

	if (o[0] != '\0')
		snprintf(buf, len, "%s (%s)", report_ident_label(r, dev), o);
	else
		snprintf(buf, len, "%s", report_ident_label(r, dev));
	return buf;
}
