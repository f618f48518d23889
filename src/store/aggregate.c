/* SPDX-License-Identifier: ISC */
/*
 * aggregate.c: device x service (or unclassified name) x window
 * accumulator (plus destinations and clear-text log-ins). Rows live in one
 * dense array sized at aggregate_new(); an open-addressing index of at least
 * twice as many slots finds them. Nothing is allocated or removed one at a
 * time: a flush writes every row and clears the whole table, so the index never
 * needs tombstones.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/aggregate.h"
#include "base/siphash.h"
#include "store/store.h"
#include "base/util.h"
#include "base/verdict.h"

#define AGG_EMPTY	UINT32_MAX	/* index slot holds no row */

enum agg_kind {
	AGG_FINDING = 1,	/* key is a catalog service id, and
				   "/instance" when the flow showed one */
	AGG_UNCLASSIFIED,	/* key is a registrable domain or host name */
	AGG_DEST,		/* key is a service id or ""; + country, asn */
	AGG_CREDS,		/* key is a user name; + proto, server */
	AGG_LOOKUP,		/* key is a service id: DNS lookups only */
};

struct agg_row {
	int64_t		bucket;
	int64_t		first_us;
	int64_t		last_us;
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
	uint32_t	asn;		/* AGG_DEST */
	uint8_t		kind;
	uint8_t		family;
	uint8_t		verdict;
	uint8_t		has_mac;
	uint8_t		evidence;	/* the strongest seen */
	uint8_t		confidence;
	uint8_t		proto;		/* AGG_CREDS: enum creds_proto */
	uint8_t		sfamily;	/* AGG_CREDS: server address */
	uint8_t		ip[16];		/* client, key: zero with a MAC */
	uint8_t		addr[16];	/* client, latest seen */
	uint8_t		mac[6];
	uint8_t		sip[16];	/* AGG_CREDS: server */
	char		country[3];	/* AGG_DEST */
	char		as_org[64];	/* AGG_DEST: the latest name of asn */
	char		key[NAME_MAX_LEN + 1];
	char		category[CATEGORY_MAX + 1];
	char		department[64];
};

struct aggregate {
	struct agg_row		*rows;
	size_t			 nrows;
	size_t			 capacity;
	uint32_t		*slot;		/* index into rows, or AGG_EMPTY */
	size_t			 mask;		/* slots - 1, a power of two */
	int64_t			 window_s;
	struct siphash_key	 key;		/* random per table */
	struct device_record	*dev;		/* queued DHCP sightings */
	size_t			 ndev;
	int64_t			 failed_ms;	/* monotonic time of the last
						   failed flush, 0 if none */
	struct aggregate_stats	 stats;
};

struct aggregate *
aggregate_new(size_t capacity, int64_t window_s)
{
	struct aggregate *a;
	size_t nslots;

	if (window_s == 0)
		window_s = AGGREGATE_WINDOW_S;
	if (capacity == 0 || capacity >= AGG_EMPTY / 2 || window_s <= 0)
		return NULL;
	nslots = util_pow2(capacity * 2);
	if (nslots < 16)
		nslots = 16;
	a = xcalloc(1, sizeof(*a));
	a->rows = xcalloc(capacity, sizeof(*a->rows));
	a->slot = xreallocarray(NULL, nslots, sizeof(*a->slot));
	memset(a->slot, 0xff, nslots * sizeof(*a->slot));
	a->dev = xcalloc(AGGREGATE_DEVICES_MAX, sizeof(*a->dev));
	a->capacity = capacity;
	a->mask = nslots - 1;
	a->window_s = window_s;
	siphash_key_init(&a->key, 0);
	return a;
}

void
aggregate_free(struct aggregate *a)
{
	if (a == NULL)
		return;
	free(a->rows);
	free(a->slot);
	free(a->dev);
	free(a);
}

/* SipHash of the key fields: host names come from the network. */
static uint64_t
row_hash(const struct aggregate *a, const struct agg_row *r)
{
	uint8_t buf[8 + sizeof(r->ip) + sizeof(r->mac) + sizeof(r->sip) +
	    sizeof(r->country) + sizeof(r->asn) + sizeof(r->bucket) +
	    sizeof(r->key)];
	size_t n, off = 0;

	buf[off++] = r->kind;
	buf[off++] = r->family;
	buf[off++] = r->has_mac;
	buf[off++] = r->proto;
	buf[off++] = r->sfamily;
	memcpy(buf + off, r->ip, sizeof(r->ip));
	off += sizeof(r->ip);
	memcpy(buf + off, r->mac, sizeof(r->mac));
	off += sizeof(r->mac);
	memcpy(buf + off, r->sip, sizeof(r->sip));
	off += sizeof(r->sip);
	memcpy(buf + off, r->country, sizeof(r->country));
	off += sizeof(r->country);
	memcpy(buf + off, &r->asn, sizeof(r->asn));
	off += sizeof(r->asn);
	memcpy(buf + off, &r->bucket, sizeof(r->bucket));
	off += sizeof(r->bucket);
	n = strlen(r->key);
	memcpy(buf + off, r->key, n);
	return siphash(&a->key, buf, off + n);
}

/* Key fields are zeroed where unused, so comparing all of them is exact. */
static int
row_same(const struct agg_row *a, const struct agg_row *b)
{
	return a->kind == b->kind && a->has_mac == b->has_mac &&
	    a->family == b->family && a->bucket == b->bucket &&
	    a->proto == b->proto && a->sfamily == b->sfamily &&
	    a->asn == b->asn &&
	    memcmp(a->ip, b->ip, sizeof(a->ip)) == 0 &&
	    memcmp(a->mac, b->mac, sizeof(a->mac)) == 0 &&
	    memcmp(a->sip, b->sip, sizeof(a->sip)) == 0 &&
	    memcmp(a->country, b->country, sizeof(a->country)) == 0 &&
	    strcmp(a->key, b->key) == 0;
}

/*
 * The device part of a key: the MAC when the record has one (then the IP
 * is not part of the key, only remembered), else the IP.
 */
static void
key_device(struct agg_row *k, const struct flow_record *fr)
{
	k->family = fr->family;
	if (fr->has_mac) {
		k->has_mac = 1;
		memcpy(k->mac, fr->client_mac, sizeof(k->mac));
	} else
		memcpy(k->ip, fr->client_ip, fr->family == 4 ? 4 :
		    sizeof(k->ip));
}

/* Finds or makes the row for key; NULL when the table is full. */
static struct agg_row *
row_get(struct aggregate *a, const struct agg_row *key,
    const struct flow_record *fr)
{
	struct agg_row *r;
	size_t i;
	uint32_t idx;

	for (i = row_hash(a, key) & a->mask;; i = (i + 1) & a->mask) {
		idx = a->slot[i];
		if (idx == AGG_EMPTY)
			break;
		if (row_same(&a->rows[idx], key))
			return &a->rows[idx];
	}
	if (a->nrows == a->capacity)
		return NULL;
	idx = (uint32_t)a->nrows++;
	a->slot[i] = idx;
	r = &a->rows[idx];
	*r = *key;
	r->first_us = fr->first_us;
	r->last_us = fr->last_us;
	return r;
}

/*
 * Adds the record's counts to r; the newest record gives the address. A
 * piece of a flow (record.h) adds its bytes; only the first counts a flow.
 */
static void
row_count(struct agg_row *r, const struct flow_record *fr)
{
	memset(r->addr, 0, sizeof(r->addr));
	memcpy(r->addr, fr->client_ip, fr->family == 4 ? 4 : sizeof(r->addr));
	if (!(fr->piece & FLOW_PIECE_CONT))
		r->flows++;	/* a flow counts once, on its first piece */
	r->bytes_up += fr->bytes_up;
	r->bytes_down += fr->bytes_down;
	if (fr->first_us < r->first_us)
		r->first_us = fr->first_us;
	if (fr->last_us > r->last_us)
		r->last_us = fr->last_us;
}

int
aggregate_add(struct aggregate *a, const struct flow_record *fr)
{
	struct agg_row key, *r;
	int full = 0;

	a->stats.records++;
	memset(&key, 0, sizeof(key));
	key_device(&key, fr);
	key.bucket = util_floor_div(util_floor_div(fr->first_us, 1000000),
	    a->window_s) * a->window_s;
	/*
	 * A lookup of a service's name is not use of it, and neither is
	 * traffic to a server inside the organisation (LAN sync): neither
	 * adds flows or bytes to a service. A lookup of an unknown name
	 * still names an unclassified destination (through the local
	 * resolver too), unless it was multicast (mDNS, LLMNR).
	 */
	if (fr->service[0] != '\0' && fr->evidence == EVIDENCE_DNS_QUERY) {
		key.kind = AGG_LOOKUP;
		strlcpy(key.key, fr->service, sizeof(key.key));
	} else if (fr->local_server != 0 && (fr->local_server == 2 ||
	    fr->name_src != NAME_DNS_QUERY))
		key.kind = 0;
	else if (fr->service[0] != '\0') {
		/* Ids and instances hold no "/": one string keys both. */
		key.kind = AGG_FINDING;
		snprintf(key.key, sizeof(key.key), "%s%s%s", fr->service,
		    fr->instance[0] != '\0' ? "/" : "", fr->instance);
	} else if (fr->domain[0] != '\0' || fr->name[0] != '\0') {
		key.kind = AGG_UNCLASSIFIED;
		strlcpy(key.key, fr->domain[0] != '\0' ? fr->domain : fr->name,
		    sizeof(key.key));
	}
	if (key.kind != 0) {
		if ((r = row_get(a, &key, fr)) == NULL)
			full = 1;
		else {
			row_count(r, fr);
			/* The newest record decides status, category, MAC. */
			r->verdict = fr->verdict;
			strlcpy(r->category, fr->category,
			    sizeof(r->category));
			if (fr->department[0] != '\0')
				strlcpy(r->department, fr->department,
				    sizeof(r->department));
			if (fr->confidence >= r->confidence &&
			    fr->evidence != 0) {
				r->evidence = fr->evidence;
				r->confidence = fr->confidence;
			}
		}
	}
	if (fr->country[0] != '\0' || fr->asn != 0) {
		/* A lookup's bytes went to the resolver, not the service. */
		strlcpy(key.key, key.kind == AGG_LOOKUP ? "" : fr->service,
		    sizeof(key.key));
		key.kind = AGG_DEST;
		memcpy(key.country, fr->country, sizeof(key.country));
		key.country[sizeof(key.country) - 1] = '\0';
		key.asn = fr->asn;
		if ((r = row_get(a, &key, fr)) == NULL)
			full = 1;
		else {
			row_count(r, fr);
			if (fr->as_org[0] != '\0')
				strlcpy(r->as_org, fr->as_org,
				    sizeof(r->as_org));
		}
	}
	if (fr->creds_proto != 0) {
		memset(&key, 0, sizeof(key));
		key_device(&key, fr);
		key.kind = AGG_CREDS;
		key.proto = fr->creds_proto;
		key.sfamily = fr->family;
		memcpy(key.sip, fr->server_ip, fr->family == 4 ? 4 :
		    sizeof(key.sip));
		strlcpy(key.key, fr->creds_user, sizeof(key.key));
		if ((r = row_get(a, &key, fr)) == NULL)
			full = 1;
		else
			row_count(r, fr);
	}
	if (full) {
		a->stats.dropped++;
		return -1;
	}
	return 0;
}

static int
same_device(const struct device_record *a, const struct device_record *b)
{
	return a->has_mac == b->has_mac && a->family == b->family &&
	    memcmp(a->mac, b->mac, sizeof(a->mac)) == 0 &&
	    memcmp(a->ip, b->ip, sizeof(a->ip)) == 0 &&
	    strcmp(a->hostname, b->hostname) == 0 &&
	    strcmp(a->vendor_class, b->vendor_class) == 0 &&
	    strcmp(a->prl, b->prl) == 0;
}

int
aggregate_device(struct aggregate *a, const struct device_record *d)
{
	size_t i;

	/* DHCP is rare next to flows; a linear scan is cheap enough. */
	for (i = 0; i < a->ndev; i++) {
		if (same_device(&a->dev[i], d)) {
			if (d->ts_us > a->dev[i].ts_us)
				a->dev[i].ts_us = d->ts_us;
			return 0;
		}
	}
	if (!d->has_mac && d->family == 0)
		return 0;
	if (a->ndev == AGGREGATE_DEVICES_MAX) {
		a->stats.devices_dropped++;
		return -1;
	}
	a->dev[a->ndev] = *d;
	a->dev[a->ndev].hostname[sizeof(d->hostname) - 1] = '\0';
	a->dev[a->ndev].vendor_class[sizeof(d->vendor_class) - 1] = '\0';
	a->dev[a->ndev].prl[sizeof(d->prl) - 1] = '\0';
	a->ndev++;
	a->stats.devices++;
	return 0;
}

size_t
aggregate_rows(const struct aggregate *a)
{
	return a->nrows + a->ndev;
}

/* The device key and address texts of a row. */
static void
row_device(const struct agg_row *r, char *dev, size_t devlen, char *ip,
    size_t iplen, char *mac, size_t maclen)
{
	util_addr_str(r->family, r->addr, ip, iplen);
	mac[0] = '\0';
	if (r->has_mac)
		util_mac_str(r->mac, mac, maclen);
	strlcpy(dev, r->has_mac ? mac : ip, devlen);
}

static int
write_row(const struct aggregate *a, const struct agg_row *r,
    struct store *st)
{
	struct unclassified u;
	struct destination d;
	struct credential c;
	struct store_device sd;
	struct finding f;
	char *slash;
	struct lookup l;

	memset(&sd, 0, sizeof(sd));
	row_device(r, sd.device, sizeof(sd.device), sd.ip, sizeof(sd.ip),
	    sd.mac, sizeof(sd.mac));
	sd.ts_us = r->last_us;
	switch (r->kind) {
	case AGG_FINDING:
		memset(&f, 0, sizeof(f));
		strlcpy(f.device, sd.device, sizeof(f.device));
		strlcpy(f.ip, sd.ip, sizeof(f.ip));
		strlcpy(f.mac, sd.mac, sizeof(f.mac));
		strlcpy(f.service, r->key, sizeof(f.service));
		if ((slash = strchr(f.service, '/')) != NULL) {
			*slash = '\0';
			strlcpy(f.instance, strchr(r->key, '/') + 1,
			    sizeof(f.instance));
		}
		strlcpy(f.category, r->category, sizeof(f.category));
		f.verdict = (enum verdict)r->verdict;
		f.bucket = r->bucket;
		f.window_s = a->window_s;
		f.flows = r->flows;
		f.bytes_up = r->bytes_up;
		f.bytes_down = r->bytes_down;
		f.first_us = r->first_us;
		f.last_us = r->last_us;
		strlcpy(f.evidence, record_evidence_name(r->evidence),
		    sizeof(f.evidence));
		f.confidence = r->confidence;
		strlcpy(f.department, r->department, sizeof(f.department));
		return store_add_finding(st, &f);
	case AGG_UNCLASSIFIED:
		memset(&u, 0, sizeof(u));
		strlcpy(u.device, sd.device, sizeof(u.device));
		strlcpy(u.name, r->key, sizeof(u.name));
		u.bucket = r->bucket;
		u.window_s = a->window_s;
		u.flows = r->flows;
		u.bytes_up = r->bytes_up;
		u.bytes_down = r->bytes_down;
		u.first_us = r->first_us;
		u.last_us = r->last_us;
		return store_add_unclassified(st, &u);
	case AGG_DEST:
		memset(&d, 0, sizeof(d));
		strlcpy(d.device, sd.device, sizeof(d.device));
		strlcpy(d.service, r->key, sizeof(d.service));
		memcpy(d.country, r->country, sizeof(d.country));
		d.asn = r->asn;
		strlcpy(d.as_org, r->as_org, sizeof(d.as_org));
		d.bucket = r->bucket;
		d.window_s = a->window_s;
		d.flows = r->flows;
		d.bytes_up = r->bytes_up;
		d.bytes_down = r->bytes_down;
		d.first_us = r->first_us;
		d.last_us = r->last_us;
		return store_add_destination(st, &d);
	case AGG_LOOKUP:
		memset(&l, 0, sizeof(l));
		strlcpy(l.device, sd.device, sizeof(l.device));
		strlcpy(l.service, r->key, sizeof(l.service));
		l.bucket = r->bucket;
		l.window_s = a->window_s;
		l.count = r->flows;
		l.first_us = r->first_us;
		l.last_us = r->last_us;
		return store_add_lookup(st, &l);
	default:
		memset(&c, 0, sizeof(c));
		strlcpy(c.device, sd.device, sizeof(c.device));
		strlcpy(c.ip, sd.ip, sizeof(c.ip));
		strlcpy(c.proto, record_creds_name((enum creds_proto)r->proto),
		    sizeof(c.proto));
		util_addr_str(r->sfamily, r->sip, c.server, sizeof(c.server));
		strlcpy(c.user, r->key, sizeof(c.user));
		c.count = r->flows;
		c.first_us = r->first_us;
		c.last_us = r->last_us;
		return store_add_credential(st, &c);
	}
}

/* One row's device sighting, for the flush to sum (write_devices()). */
struct agg_seen {
	struct store_device	 sd;	/* device, ip, mac; ts_us, first_us */
	size_t			 seq;	/* the row's place in the table */
};

static int
seen_cmp(const void *pa, const void *pb)
{
	const struct agg_seen *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->sd.device, b->sd.device)) != 0)
		return c;
	if ((c = strcmp(a->sd.ip, b->sd.ip)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Whether a is the later sighting: the newer time, else the later row. */
static int
seen_later(const struct agg_seen *a, const struct agg_seen *b)
{
	return a->sd.ts_us > b->sd.ts_us || (a->sd.ts_us == b->sd.ts_us &&
	    a->seq > b->seq);
}

/*
 * The devices and device_ips rows of the findings and unclassified rows,
 * one upsert per device and address instead of one per row. Each
 * (device, address) is written once with its earliest and latest time;
 * a device's address that was seen last (the newest time, ties to the
 * later row) goes last, so the devices row ends as the row-by-row upserts
 * left it: the same address, MAC, first and last seen.
 */
static int
write_devices(const struct aggregate *a, struct store *st)
{
	struct agg_seen *v, *out, cur, win;
	size_t i, j, n = 0, nout, wi, k;
	int rc = 0;

	if (a->nrows == 0)
		return 0;
	v = xreallocarray(NULL, a->nrows, sizeof(*v));
	for (i = 0; i < a->nrows; i++) {
		const struct agg_row *r = &a->rows[i];

		if (r->kind != AGG_FINDING && r->kind != AGG_UNCLASSIFIED)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		row_device(r, v[n].sd.device, sizeof(v[n].sd.device),
		    v[n].sd.ip, sizeof(v[n].sd.ip), v[n].sd.mac,
		    sizeof(v[n].sd.mac));
		v[n].sd.ts_us = v[n].sd.first_us = r->last_us;
		v[n].seq = i;
		n++;
	}
	qsort(v, n, sizeof(*v), seen_cmp);
	/* Sum each (device, address) in place: out[] is a prefix of v[]. */
	out = v;
	nout = 0;
	for (i = 0; i < n; i = j) {
		cur = v[i];
		win = v[i];	/* the latest sighting of the pair */
		for (j = i + 1; j < n && strcmp(v[j].sd.device,
		    cur.sd.device) == 0 && strcmp(v[j].sd.ip,
		    cur.sd.ip) == 0; j++) {
			if (v[j].sd.first_us < cur.sd.first_us)
				cur.sd.first_us = v[j].sd.first_us;
			if (seen_later(&v[j], &win))
				win = v[j];
		}
		cur.sd.ts_us = win.sd.ts_us;
		cur.seq = win.seq;
		out[nout++] = cur;
	}
	/* Per device: its pairs in order, the latest one last. */
	for (i = 0; i < nout && rc == 0; i = j) {
		wi = i;
		for (j = i + 1; j < nout && strcmp(out[j].sd.device,
		    out[i].sd.device) == 0; j++) {
			if (seen_later(&out[j], &out[wi]))
				wi = j;
		}
		for (k = i; k < j && rc == 0; k++) {
			if (k != wi)
				rc = store_put_device(st, &out[k].sd);
		}
		if (rc == 0)
			rc = store_put_device(st, &out[wi].sd);
	}
	free(v);
	return rc;
}

static int
write_device(const struct device_record *d, struct store *st)
{
	struct store_device sd;

	memset(&sd, 0, sizeof(sd));
	if (d->has_mac)
		util_mac_str(d->mac, sd.mac, sizeof(sd.mac));
	if (d->family != 0)
		util_addr_str(d->family, d->ip, sd.ip, sizeof(sd.ip));
	strlcpy(sd.device, d->has_mac ? sd.mac : sd.ip, sizeof(sd.device));
	strlcpy(sd.hostname, d->hostname, sizeof(sd.hostname));
	strlcpy(sd.vendor_class, d->vendor_class, sizeof(sd.vendor_class));
	strlcpy(sd.prl, d->prl, sizeof(sd.prl));
	sd.ts_us = d->ts_us;
	return store_put_device(st, &sd);
}

int
aggregate_flush(struct aggregate *a, struct store *st)
{
	size_t i;

	if (a->nrows == 0 && a->ndev == 0)
		return 0;
	/* A full table on a failing disk: don't retry on every packet. */
	if (a->failed_ms != 0 && a->nrows == a->capacity &&
	    util_mono_ms() - a->failed_ms < AGGREGATE_RETRY_MS) {
		a->stats.flush_skipped++;
		return -1;
	}
	if (store_begin(st) == -1) {
		/* Not ours to roll back: the open transaction is another's. */
		a->stats.write_errors++;
		a->failed_ms = util_mono_ms() | 1;
		return -1;
	}
	for (i = 0; i < a->nrows; i++) {
		if (write_row(a, &a->rows[i], st) == -1)
			goto fail;
	}
	if (write_devices(a, st) == -1)
		goto fail;
	for (i = 0; i < a->ndev; i++) {
		if (write_device(&a->dev[i], st) == -1)
			goto fail;
	}
	if (store_commit(st) == -1)
		goto fail;
	a->stats.rows_written += a->nrows + a->ndev;
	a->nrows = 0;
	a->ndev = 0;
	a->failed_ms = 0;
	memset(a->slot, 0xff, (a->mask + 1) * sizeof(*a->slot));
	return 0;
fail:
	a->stats.write_errors++;
	a->failed_ms = util_mono_ms() | 1;
	store_rollback(st);
	return -1;
}

int
aggregate_room(const struct aggregate *a)
{
	return a->nrows + 3 <= a->capacity && a->ndev < AGGREGATE_DEVICES_MAX;
}

const struct aggregate_stats *
aggregate_stats(const struct aggregate *a)
{
	return &a->stats;
}
