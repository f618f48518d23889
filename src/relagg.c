/* SPDX-License-Identifier: ISC */
/*
 * relagg.c: sums network-health events per interval, segment and device
 * in an open-addressed table of fixed capacity (the store side; the
 * events were checked on receipt). A full table drops and counts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relagg.h"
#include "siphash.h"
#include "store.h"
#include "util.h"

#define RELAGG_SEG_LEN	64
#define RELAGG_DEV_LEN	UTIL_ADDR_LEN
#define RELAGG_RTT_MAX	3600000		/* ms: an hour is no answer */
#define VLAN_ID_MAX	4095		/* IEEE 802.1Q */

struct relrow {
	int64_t		 start_us;
	char		 segment[RELAGG_SEG_LEN];
	char		 device[RELAGG_DEV_LEN];
	char		 ip[UTIL_ADDR_LEN];
	uint64_t	 n[REL_NCOUNTS];
};

struct relagg {
	struct relrow		*rows;
	size_t			 nrows;
	size_t			 capacity;
	uint32_t		*slot;		/* 1 + row index, 0 empty */
	size_t			 mask;
	int64_t			 interval_us;
	struct siphash_key	 hkey;
	struct relagg_stats	 st;
};

int
relagg_event_check(const struct rel_event *e, char *why, size_t whysz)
{
	const char *w = NULL;
	size_t i;

	if (e->kind < REL_EV_DNS_ANSWERED || e->kind >= REL_EV_MAX)
		w = "kind out of range";
	else if (e->family != 0 && e->family != 4 && e->family != 6)
		w = "bad address family";
	else if (e->has_mac > 1)
		w = "has_mac not 0 or 1";
	else if (e->pad0 != 0)
		w = "padding not zero";
	else if (e->vlan > VLAN_ID_MAX)
		w = "VLAN id out of range";
	else if (e->rtt_ms < -1 || e->rtt_ms > RELAGG_RTT_MAX)
		w = "response time out of range";
	else if (memchr(e->department, '\0', sizeof(e->department)) == NULL)
		w = "department not terminated";
	else {
		for (i = 0; e->department[i] != '\0'; i++)
			if ((unsigned char)e->department[i] < 0x20 ||
			    e->department[i] == 0x7f) {
				w = "control byte in department";
				break;
			}
	}
	if (w == NULL)
		return 0;
	if (why != NULL && whysz > 0)
		strlcpy(why, w, whysz);
	return -1;
}

char *
relagg_segment(const struct rel_event *e, char *buf, size_t len)
{
	uint8_t net[16];
	char a[UTIL_ADDR_LEN];

	if (e->department[0] != '\0') {
		strlcpy(buf, e->department, len);
	} else if (e->family == 4) {
		memset(net, 0, sizeof(net));
		memcpy(net, e->ip, 3);
		snprintf(buf, len, "%s/24", util_addr_str(4, net, a,
		    sizeof(a)));
	} else if (e->family == 6) {
		memset(net, 0, sizeof(net));
		memcpy(net, e->ip, 8);
		snprintf(buf, len, "%s/64", util_addr_str(6, net, a,
		    sizeof(a)));
	} else if (e->vlan != 0) {
		snprintf(buf, len, "VLAN %u", (unsigned)e->vlan);
	} else {
		strlcpy(buf, "unknown", len);
	}
	return buf;
}

struct relagg *
relagg_new(size_t capacity, int interval_s)
{
	struct relagg *a = xcalloc(1, sizeof(*a));
	size_t n = 1;

	a->capacity = capacity > 0 ? capacity : 1;
	while (n < a->capacity * 2)
		n <<= 1;
	a->mask = n - 1;
	a->rows = xcalloc(a->capacity, sizeof(*a->rows));
	a->slot = xcalloc(n, sizeof(*a->slot));
	a->interval_us = (int64_t)(interval_s > 0 ? interval_s : 300) *
	    1000000;
	siphash_key_init(&a->hkey, 1);
	return a;
}

void
relagg_free(struct relagg *a)
{
	if (a == NULL)
		return;
	free(a->rows);
	free(a->slot);
	free(a);
}

static void
count(uint64_t *n, const struct rel_event *e)
{
	switch ((enum rel_event_kind)e->kind) {
	case REL_EV_DNS_ANSWERED:
	case REL_EV_DNS_SERVFAIL:
	case REL_EV_DNS_REFUSED:
		n[REL_DNS_QUERIES]++;
		n[REL_DNS_ANSWERED]++;
		if (e->rtt_ms >= 0)
			n[REL_DNS_RTT_MS] += (uint64_t)e->rtt_ms;
		if (e->kind == REL_EV_DNS_SERVFAIL)
			n[REL_DNS_SERVFAIL]++;
		else if (e->kind == REL_EV_DNS_REFUSED)
			n[REL_DNS_REFUSED]++;
		break;
	case REL_EV_DNS_TIMEOUT:
		n[REL_DNS_QUERIES]++;
		n[REL_DNS_TIMEOUTS]++;
		break;
	case REL_EV_TCP_OK:
		n[REL_TCP_ATTEMPTS]++;
		break;
	case REL_EV_TCP_UNANSWERED:
		n[REL_TCP_ATTEMPTS]++;
		n[REL_TCP_UNANSWERED]++;
		break;
	case REL_EV_TCP_RESET:
		n[REL_TCP_ATTEMPTS]++;
		n[REL_TCP_RESET]++;
		break;
	case REL_EV_TCP_CUT:
		n[REL_TCP_ATTEMPTS]++;
		n[REL_TCP_CUT]++;
		break;
	case REL_EV_DHCP_DISCOVER:
		n[REL_DHCP_DISCOVER]++;
		break;
	case REL_EV_DHCP_OFFER:
		n[REL_DHCP_OFFER]++;
		break;
	case REL_EV_DHCP_REQUEST:
		n[REL_DHCP_REQUEST]++;
		break;
	case REL_EV_DHCP_NAK:
		n[REL_DHCP_NAK]++;
		break;
	case REL_EV_MAX:
		break;
	}
}

int
relagg_add(struct relagg *a, const struct rel_event *e)
{
	struct {
		int64_t	 start_us;
		char	 segment[RELAGG_SEG_LEN];
		char	 device[RELAGG_DEV_LEN];
	} k;
	struct relrow *r;
	size_t i;
	int64_t iv = a->interval_us;

	memset(&k, 0, sizeof(k));
	k.start_us = e->ts_us - ((e->ts_us % iv) + iv) % iv;
	relagg_segment(e, k.segment, sizeof(k.segment));
	if (e->has_mac)
		util_mac_str(e->mac, k.device, sizeof(k.device));
	else if (e->family != 0)
		util_addr_str(e->family, e->ip, k.device, sizeof(k.device));
	else
		strlcpy(k.device, "unknown", sizeof(k.device));
	a->st.events++;
	i = siphash13(&a->hkey, &k, sizeof(k)) & a->mask;
	for (;;) {
		if (a->slot[i] == 0)
			break;
		r = &a->rows[a->slot[i] - 1];
		if (r->start_us == k.start_us &&
		    strcmp(r->segment, k.segment) == 0 &&
		    strcmp(r->device, k.device) == 0) {
			count(r->n, e);
			if (r->ip[0] == '\0' && e->family != 0)
				util_addr_str(e->family, e->ip, r->ip,
				    sizeof(r->ip));
			return 0;
		}
		i = (i + 1) & a->mask;
	}
	if (a->nrows == a->capacity) {
		a->st.dropped++;
		return -1;
	}
	r = &a->rows[a->nrows];
	memset(r, 0, sizeof(*r));
	r->start_us = k.start_us;
	memcpy(r->segment, k.segment, sizeof(r->segment));
	memcpy(r->device, k.device, sizeof(r->device));
	if (e->family != 0)
		util_addr_str(e->family, e->ip, r->ip, sizeof(r->ip));
	count(r->n, e);
	a->slot[i] = (uint32_t)++a->nrows;
	return 0;
}

size_t
relagg_rows(const struct relagg *a)
{
	return a->nrows;
}

int
relagg_flush(struct relagg *a, struct store *st)
{
	struct store_rel *out;
	size_t i;
	int rc;

	if (a->nrows == 0)
		return 0;
	out = xcalloc(a->nrows, sizeof(*out));
	for (i = 0; i < a->nrows; i++) {
		out[i].start_us = a->rows[i].start_us;
		out[i].interval_s = a->interval_us / 1000000;
		out[i].segment = a->rows[i].segment;
		out[i].device = a->rows[i].device;
		out[i].ip = a->rows[i].ip;
		memcpy(out[i].n, a->rows[i].n, sizeof(out[i].n));
	}
	rc = -1;
	if (store_begin(st) == 0) {
		if (store_put_reliability(st, out, a->nrows) == 0 &&
		    store_commit(st) == 0)
			rc = 0;
		else
			store_rollback(st);
	}
	free(out);
	if (rc == -1) {
		a->st.write_errors++;
		return -1;
	}
	a->st.rows_written += a->nrows;
	a->nrows = 0;
	memset(a->slot, 0, (a->mask + 1) * sizeof(*a->slot));
	return 0;
}

const struct relagg_stats *
relagg_stats(const struct relagg *a)
{
	return &a->st;
}
