/* SPDX-License-Identifier: ISC */
/*
 * scope.c: which devices a part of the organisation is (summary
 * --department, --owner): a department is the policy's (by address, as
 * recorded with each finding) or the inventory's; an owner is the
 * inventory's. The store then reads those devices only (store_scope()).
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

struct scope_ctx {
	const char			*department;
	const char			*owner;
	const struct report_inv_entry	*inv;
	size_t				 ninv;
	char				**dev;
	size_t				 n;
	size_t				 cap;
};

static int
pick(void *arg, const struct store_device_key *k)
{
	struct scope_ctx *x = arg;
	const struct report_inv_entry *e;

	e = report_inv_find(x->inv, x->ninv, k->mac, k->ip);
	if (x->department != NULL && !k->in_department && (e == NULL ||
	    strcmp(e->department, x->department) != 0))
		return 0;
	if (x->owner != NULL && (e == NULL ||
	    strcmp(e->owner, x->owner) != 0))
		return 0;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->dev = xreallocarray(x->dev, x->cap, sizeof(*x->dev));
	}
	x->dev[x->n++] = xstrdup(k->device);
	return 0;
}

int
report_scope(struct store *st, const char *department, const char *owner,
    size_t *ndevices)
{
	struct report_inv_entry *inv = NULL;
	struct scope_ctx x;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.department = department;
	x.owner = owner;
	if (report_inv_load(st, &inv, &x.ninv) == -1)
		return -1;
	x.inv = inv;
	if (store_query_device_keys(st, department, pick, &x) == 0 &&
	    store_scope(st, (const char *const *)x.dev, x.n) == 0)
		rc = 0;
	*ndevices = x.n;
	for (i = 0; i < x.n; i++)
		free(x.dev[i]);
	free(x.dev);
	report_inv_free(inv, x.ninv);
	return rc;
}
