/* SPDX-License-Identifier: ISC */
/*
 * inventory.c: who a device is. Reads the inventory `db import devices`
 * loads (MAC, address or subnet -> name, owner, department, asset tag),
 * matches devices to it (MAC first, then the longest prefix holding the
 * address) and gives each device its best name: the inventory's, else the
 * DHCP host name, else the MAC, else the address.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cidr.h"
#include "base/util.h"
#include "report/report.h"
#include "store/store.h"

/* "aa:bb:cc:dd:ee:ff" from six hex pairs split by ':' or '-'. 0 or -1. */
static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char sep;
	size_t i;

	if (strlen(s) != 17)
		return -1;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -1;
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) ||
		    !isxdigit((unsigned char)s[i * 3 + 1]) ||
		    (i < 5 && s[i * 3 + 2] != sep))
			return -1;
		if (sscanf(s + i * 3, "%2x", &v[i]) != 1)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

int
report_inv_key(const char *s, struct report_inv_entry *e, char *err,
    size_t errlen)
{
	char txt[INET6_ADDRSTRLEN];

	memset(e->mac, 0, sizeof(e->mac));
	memset(&e->net, 0, sizeof(e->net));
	if (mac_parse(s, e->mac) == 0) {
		e->is_mac = 1;
		snprintf(e->match, sizeof(e->match),
		    "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1],
		    e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
		return 0;
	}
	e->is_mac = 0;
	if (cidr_parse(s, &e->net, err, errlen) == -1) {
		snprintf(err, errlen, "\"%s\" is not a MAC address, an address"
		    " or a subnet", s);
		return -1;
	}
	inet_ntop(e->net.family == 4 ? AF_INET : AF_INET6, e->net.addr, txt,
	    sizeof(txt));
	snprintf(e->match, sizeof(e->match), "%s/%u", txt, e->net.len);
	return 0;
}

const struct report_inv_entry *
report_inv_find(const struct report_inv_entry *v, size_t n, const char *mac,
    const char *ip)
{
	const struct report_inv_entry *best = NULL;
	uint8_t m[6], addr[16];
	int family = 0;
	size_t i;

	if (mac != NULL && mac_parse(mac, m) == 0)
		for (i = 0; i < n; i++)
			if (v[i].is_mac && memcmp(v[i].mac, m, 6) == 0)
				return &v[i];
	memset(addr, 0, sizeof(addr));
	if (ip != NULL && inet_pton(AF_INET, ip, addr) == 1)
		family = 4;
	else if (ip != NULL && inet_pton(AF_INET6, ip, addr) == 1)
		family = 6;
	if (family == 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (!v[i].is_mac && cidr_contains(&v[i].net, family, addr) &&
		    (best == NULL || v[i].net.len > best->net.len))
			best = &v[i];
	return best;
}

struct inv_list {
	struct report_inv_entry	*v;
	size_t			 n;
	size_t			 cap;
};

static int
add_inv(void *arg, const struct store_inventory_row *row)
{
	struct inv_list *l = arg;
	struct report_inv_entry e;
	char err[128];

	memset(&e, 0, sizeof(e));
	if (report_inv_key(row->match, &e, err, sizeof(err)) == -1)
		return 0;	/* checked at import; skip what is odd */
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	e.line = row->line;
	e.name = xstrdup(row->name);
	e.owner = xstrdup(row->owner);
	e.department = xstrdup(row->department);
	e.asset = xstrdup(row->asset);
	l->v[l->n++] = e;
	return 0;
}

void
report_inv_free(struct report_inv_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].owner);
		free(v[i].department);
		free(v[i].asset);
	}
	free(v);
}

int
report_inv_load(struct store *st, struct report_inv_entry **out, size_t *n)
{
	struct inv_list l;

	memset(&l, 0, sizeof(l));
	if (store_query_inventory(st, add_inv, &l) == -1) {
		report_inv_free(l.v, l.n);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

/* The DHCP host name of a known device, into the report's devices. */
static int
add_hostname(void *arg, const struct store_known_device *k)
{
	struct report *r = arg;
	struct report_device *d;
	size_t i;

	if (k->hostname[0] == '\0')
		return 0;
	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		if (strcmp(d->name, k->device) == 0 && d->hostname[0] ==
		    '\0') {
			free(d->hostname);
			d->hostname = xstrdup(k->hostname);
		}
	}
	return 0;
}

/* Sets s to a copy of v (freeing the old one). */
static void
set(char **s, const char *v)
{
	free(*s);
	*s = xstrdup(v);
}

int
report_identify(struct store *st, struct report *r)
{
	const struct report_inv_entry *e;
	struct report_inv_entry *inv = NULL;
	struct report_device *d;
	size_t i, ninv = 0;

	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		d->hostname = xstrdup("");
		d->owner = xstrdup("");
		d->department = xstrdup("");
		d->asset = xstrdup("");
		d->label = xstrdup("");
	}
	if (r->ndevices == 0)
		return 0;
	if (store_query_known_devices(st, add_hostname, r) == -1 ||
	    report_inv_load(st, &inv, &ninv) == -1)
		return -1;
	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		if ((e = report_inv_find(inv, ninv, d->mac, d->ip)) != NULL) {
			set(&d->owner, e->owner);
			set(&d->department, e->department);
			set(&d->asset, e->asset);
		}
		if (e != NULL && e->name[0] != '\0')
			set(&d->label, e->name);
		else if (d->hostname[0] != '\0')
			set(&d->label, d->hostname);
		else if (d->mac[0] != '\0')
			set(&d->label, d->mac);
		else
			set(&d->label, d->ip);
	}
	report_inv_free(inv, ninv);
	return 0;
}

const char *
report_device_mac(const struct report_device *d)
{
	return d->mac[0] == '\0' || strcmp(d->mac, d->label) == 0 ? "" :
	    d->mac;
}

const char *
report_device_ip(const struct report_device *d)
{
	return strcmp(d->ip, d->label) == 0 || strcmp(d->ip, d->mac) == 0 ?
	    "" : d->ip;
}
