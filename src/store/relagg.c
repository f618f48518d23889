/* SPDX-License-Identifier: ISC */
/*
 * relagg.c: sums network-health events per interval, segment and device
 * in an open-addressed table of fixed capacity (the store side; the
 * events were checked on receipt). A full table drops and counts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/relagg.h"
#include "base/siphash.h"
#include "store/store.h"
#include "base/util.h"

#define RELAGG_SEG_LEN	72	/* a department name, or "VLAN 4095" */
#define RELAGG_DEV_LEN	UTIL_ADDR_LEN

/*
 * What a row is keyed by, in binary so that counting an event formats
 * nothing: strings are made once per row, at flush. Zeroed before it is
 * filled, so memcmp() compares keys.
 */
struct relkey {
	int64_t		 start_us;
	char		 dept[64];	/* the segment when not "" */
	uint8_t		 segfam;	/* else 4 or 6: the prefix in net */
	uint8_t		 devmac;	/* the device is dev[0..5], a MAC */
	uint8_t		 devfam;	/* else an address of this family */
	uint8_t		 pad;
	uint16_t	 vlan;		/* segfam 0: "VLAN n", 0 "unknown" */
	uint8_t		 net[8];	/* /24 or /64 */
	uint8_t		 dev[16];
};

struct relrow {
	struct relkey	 k;
	uint8_t		 ipfam;		/* the first address seen, if any */
	uint8_t		 ip[16];
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

static void
make_key(const struct rel_event *e, int64_t interval_us, struct relkey *k)
{
	memset(k, 0, sizeof(*k));
	k->start_us = util_floor_div(e->ts_us, interval_us) * interval_us;
	if (e->department[0] != '\0') {
		strlcpy(k->dept, e->department, sizeof(k->dept));
	} else if (e->family == 4) {
		k->segfam = 4;
		memcpy(k->net, e->ip, 3);
	} else if (e->family == 6) {
		k->segfam = 6;
		memcpy(k->net, e->ip, 8);
	} else {
		k->vlan = e->vlan;
	}
	if (e->has_mac) {
		k->devmac = 1;
		memcpy(k->dev, e->mac, 6);
	} else if (e->family != 0) {
		k->devfam = e->family;
		memcpy(k->dev, e->ip, e->family == 4 ? 4 : 16);
	}
}

static void
segment_str(const struct relkey *k, char *buf, size_t len)
{
	uint8_t net[16];
	char a[UTIL_ADDR_LEN];

	memset(net, 0, sizeof(net));
	memcpy(net, k->net, sizeof(k->net));
	if (k->dept[0] != '\0')
		strlcpy(buf, k->dept, len);
	else if (k->segfam == 4)
		snprintf(buf, len, "%s/24", util_addr_str(4, net, a,
		    sizeof(a)));
	else if (k->segfam == 6)
		snprintf(buf, len, "%s/64", util_addr_str(6, net, a,
		    sizeof(a)));
	else if (k->vlan != 0)
		snprintf(buf, len, "VLAN %u", (unsigned)k->vlan);
	else
		strlcpy(buf, "unknown", len);
}

static void
device_str(const struct relkey *k, char *buf, size_t len)
{
	if (k->devmac)
		util_mac_str(k->dev, buf, len);
	else if (k->devfam != 0)
		util_addr_str(k->devfam, k->dev, buf, len);
	else
		strlcpy(buf, "unknown", len);
}

char *
relagg_segment(const struct rel_event *e, char *buf, size_t len)
{
	struct relkey k;

	make_key(e, 1, &k);
	segment_str(&k, buf, len);
	return buf;
}

struct relagg *
relagg_new(size_t capacity, int interval_s)
{
	struct relagg *a = xcalloc(1, sizeof(*a));
	size_t n;

	a->capacity = capacity > 0 ? capacity : 1;
	n = util_pow2(a->capacity * 2);
	a->mask = n - 1;
	a->rows = xcalloc(a->capacity, sizeof(*a->rows));
	a->slot = xcalloc(n, sizeof(*a->slot));
	a->interval_us = (int64_t)(interval_s > 0 ? interval_s : 300) *
	    1000000;
	/* Keys hold addresses from the wire, so the hash key is random, as
	 * aggregate.c's; rows are written in the order they were made, so
	 * the output does not depend on it. */
	siphash_key_init(&a->hkey, 0);
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
		if (e->rtt_ms >= REL_DNS_SLOW_MS)
			n[REL_DNS_SLOW]++;
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
	case REL_EV_TCP_UNANSWERED:
	case REL_EV_TCP_RESET:
	case REL_EV_TCP_CUT:
		n[REL_TCP_ATTEMPTS]++;
		n[REL_TCP_PACKETS] += e->tcp_packets;
		n[REL_TCP_RETRANS] += e->tcp_retrans;
		n[REL_TCP_OOO] += e->tcp_ooo;
		if (e->kind == REL_EV_TCP_UNANSWERED)
			n[REL_TCP_UNANSWERED]++;
		else if (e->kind == REL_EV_TCP_RESET)
			n[REL_TCP_RESET]++;
		else if (e->kind == REL_EV_TCP_CUT)
			n[REL_TCP_CUT]++;
		else if (e->hs_server_us >= 0 && e->hs_client_us >= 0) {
			n[REL_TCP_HANDSHAKES]++;
			n[REL_TCP_HS_SERVER_US] += (uint64_t)e->hs_server_us;
			n[REL_TCP_HS_CLIENT_US] += (uint64_t)e->hs_client_us;
		}
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
	if (relagg_try(a, e) == -1) {
		a->st.events++;
		a->st.dropped++;
		return -1;
	}
	return 0;
}

int
relagg_try(struct relagg *a, const struct rel_event *e)
{
	struct relkey k;
	struct relrow *r;
	size_t i;

	make_key(e, a->interval_us, &k);
	i = siphash13(&a->hkey, &k, sizeof(k)) & a->mask;
	for (;;) {
		if (a->slot[i] == 0)
			break;
		r = &a->rows[a->slot[i] - 1];
		if (memcmp(&r->k, &k, sizeof(k)) == 0) {
			count(r->n, e);
			if (r->ipfam == 0 && e->family != 0) {
				r->ipfam = e->family;
				memcpy(r->ip, e->ip, sizeof(r->ip));
			}
			a->st.events++;
			return 0;
		}
		i = (i + 1) & a->mask;
	}
	if (a->nrows == a->capacity)
		return -1;
	r = &a->rows[a->nrows];
	memset(r, 0, sizeof(*r));
	r->k = k;
	r->ipfam = e->family;
	memcpy(r->ip, e->ip, sizeof(r->ip));
	count(r->n, e);
	a->slot[i] = (uint32_t)++a->nrows;
	a->st.events++;
	return 0;
}

size_t
relagg_rows(const struct relagg *a)
{
	return a->nrows;
}

int
relagg_room(const struct relagg *a)
{
	return a->nrows < a->capacity;
}

/* The strings of one row, made at flush. */
struct relstr {
	char	 segment[RELAGG_SEG_LEN];
	char	 device[RELAGG_DEV_LEN];
	char	 ip[UTIL_ADDR_LEN];
};

int
relagg_flush(struct relagg *a, struct store *st)
{
	struct store_rel *out;
	struct relstr *str;
	size_t i;
	int rc;

	if (a->nrows == 0)
		return 0;
	out = xcalloc(a->nrows, sizeof(*out));
	str = xcalloc(a->nrows, sizeof(*str));
	for (i = 0; i < a->nrows; i++) {
		const struct relrow *r = &a->rows[i];

		segment_str(&r->k, str[i].segment, sizeof(str[i].segment));
		device_str(&r->k, str[i].device, sizeof(str[i].device));
		if (r->ipfam != 0)
			util_addr_str(r->ipfam, r->ip, str[i].ip,
			    sizeof(str[i].ip));
		out[i].start_us = r->k.start_us;
		out[i].interval_s = a->interval_us / 1000000;
		out[i].segment = str[i].segment;
		out[i].device = str[i].device;
		out[i].ip = str[i].ip;
		memcpy(out[i].n, r->n, sizeof(out[i].n));
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
	free(str);
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
