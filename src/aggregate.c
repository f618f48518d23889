/* SPDX-License-Identifier: ISC */
/*
 * aggregate.c: device x service (or unclassified name) x window
 * accumulator. Rows live in one dense array sized at aggregate_new(); an
 * open-addressing index of at least twice as many slots finds them. Nothing
 * is allocated or removed one at a time: a flush writes every row and
 * clears the whole table, so the index never needs tombstones.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "siphash.h"
#include "store.h"
#include "util.h"
#include "verdict.h"

#define AGG_EMPTY	UINT32_MAX	/* index slot holds no row */

enum agg_kind {
	AGG_FINDING = 1,	/* key is a catalog service id */
	AGG_UNCLASSIFIED,	/* key is a host name */
};

struct agg_row {
	int64_t		bucket;
	int64_t		first_us;
	int64_t		last_us;
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
	uint8_t		kind;
	uint8_t		family;
	uint8_t		verdict;
	uint8_t		has_mac;
	uint8_t		ip[16];
	uint8_t		mac[6];
	char		key[NAME_MAX_LEN + 1];
	char		category[CATEGORY_MAX + 1];
};

struct aggregate {
	struct agg_row		*rows;
	size_t			 nrows;
	size_t			 capacity;
	uint32_t		*slot;		/* index into rows, or AGG_EMPTY */
	size_t			 mask;		/* slots - 1, a power of two */
	int64_t			 window_s;
	struct siphash_key	 key;		/* random per table */
	struct aggregate_stats	 stats;
};

struct aggregate *
aggregate_new(size_t capacity, int64_t window_s)
{
	struct aggregate *a;
	size_t nslots = 16;

	if (capacity == 0 || capacity >= AGG_EMPTY || window_s <= 0)
		return NULL;
	while (nslots < capacity * 2)
		nslots <<= 1;
	a = xcalloc(1, sizeof(*a));
	a->rows = xcalloc(capacity, sizeof(*a->rows));
	a->slot = xreallocarray(NULL, nslots, sizeof(*a->slot));
	memset(a->slot, 0xff, nslots * sizeof(*a->slot));
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
	free(a);
}

/* Floor division, so that times before the epoch land in the right window. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* SipHash of the key fields: host names come from the network. */
static uint64_t
row_hash(const struct aggregate *a, const struct agg_row *r)
{
	uint8_t buf[2 + sizeof(r->ip) + sizeof(r->bucket) + sizeof(r->key)];
	size_t n, off = 0;

	buf[off++] = r->kind;
	buf[off++] = r->family;
	memcpy(buf + off, r->ip, sizeof(r->ip));
	off += sizeof(r->ip);
	memcpy(buf + off, &r->bucket, sizeof(r->bucket));
	off += sizeof(r->bucket);
	n = strlen(r->key);
	memcpy(buf + off, r->key, n);
	return siphash(&a->key, buf, off + n);
}

static int
row_same(const struct agg_row *a, const struct agg_row *b)
{
	return a->kind == b->kind && a->family == b->family &&
	    a->bucket == b->bucket &&
	    memcmp(a->ip, b->ip, sizeof(a->ip)) == 0 &&
	    strcmp(a->key, b->key) == 0;
}

int
aggregate_add(struct aggregate *a, const struct flow_record *fr)
{
	struct agg_row key, *r;
	size_t i;
	uint32_t idx;

	a->stats.records++;
	memset(&key, 0, sizeof(key));
	if (fr->service[0] != '\0') {
		key.kind = AGG_FINDING;
		strlcpy(key.key, fr->service, sizeof(key.key));
	} else if (fr->domain[0] != '\0' || fr->name[0] != '\0') {
		key.kind = AGG_UNCLASSIFIED;
		strlcpy(key.key, fr->domain[0] != '\0' ? fr->domain : fr->name,
		    sizeof(key.key));
	} else
		return 0;
	key.family = fr->family;
	memcpy(key.ip, fr->client_ip, fr->family == 4 ? 4 : sizeof(key.ip));
	key.bucket = floor_div(floor_div(fr->first_us, 1000000), a->window_s) *
	    a->window_s;

	for (i = row_hash(a, &key) & a->mask;; i = (i + 1) & a->mask) {
		idx = a->slot[i];
		if (idx == AGG_EMPTY)
			break;
		if (row_same(&a->rows[idx], &key))
			break;
	}
	if (idx == AGG_EMPTY) {
		if (a->nrows == a->capacity) {
			a->stats.dropped++;
			return -1;
		}
		idx = (uint32_t)a->nrows++;
		a->slot[i] = idx;
		r = &a->rows[idx];
		*r = key;
		r->first_us = fr->first_us;
		r->last_us = fr->last_us;
	} else
		r = &a->rows[idx];

	/* The newest record decides the status, category and MAC. */
	r->verdict = fr->verdict;
	strlcpy(r->category, fr->category, sizeof(r->category));
	if (fr->has_mac) {
		r->has_mac = 1;
		memcpy(r->mac, fr->client_mac, sizeof(r->mac));
	}
	r->flows++;
	r->bytes_up += fr->bytes_up;
	r->bytes_down += fr->bytes_down;
	if (fr->first_us < r->first_us)
		r->first_us = fr->first_us;
	if (fr->last_us > r->last_us)
		r->last_us = fr->last_us;
	return 0;
}

size_t
aggregate_rows(const struct aggregate *a)
{
	return a->nrows;
}

static int
write_row(const struct aggregate *a, const struct agg_row *r,
    struct store *st)
{
	struct unclassified u;
	struct finding f;
	char ip[UTIL_ADDR_LEN];

	util_addr_str(r->family, r->ip, ip, sizeof(ip));
	if (r->kind == AGG_FINDING) {
		memset(&f, 0, sizeof(f));
		strlcpy(f.device, ip, sizeof(f.device));
		strlcpy(f.ip, ip, sizeof(f.ip));
		if (r->has_mac)
			util_mac_str(r->mac, f.mac, sizeof(f.mac));
		strlcpy(f.service, r->key, sizeof(f.service));
		strlcpy(f.category, r->category, sizeof(f.category));
		f.verdict = (enum verdict)r->verdict;
		f.bucket = r->bucket;
		f.window_s = a->window_s;
		f.flows = r->flows;
		f.bytes_up = r->bytes_up;
		f.bytes_down = r->bytes_down;
		f.first_us = r->first_us;
		f.last_us = r->last_us;
		return store_add_finding(st, &f);
	}
	memset(&u, 0, sizeof(u));
	strlcpy(u.device, ip, sizeof(u.device));
	strlcpy(u.name, r->key, sizeof(u.name));
	u.bucket = r->bucket;
	u.window_s = a->window_s;
	u.flows = r->flows;
	u.bytes_up = r->bytes_up;
	u.bytes_down = r->bytes_down;
	u.first_us = r->first_us;
	u.last_us = r->last_us;
	return store_add_unclassified(st, &u);
}

int
aggregate_flush(struct aggregate *a, struct store *st)
{
	size_t i;

	if (a->nrows == 0)
		return 0;
	if (store_begin(st) == -1) {
		a->stats.write_errors++;
		return -1;
	}
	for (i = 0; i < a->nrows; i++) {
		if (write_row(a, &a->rows[i], st) == -1)
			goto fail;
	}
	if (store_commit(st) == -1)
		goto fail;
	a->stats.rows_written += a->nrows;
	a->nrows = 0;
	memset(a->slot, 0xff, (a->mask + 1) * sizeof(*a->slot));
	return 0;
fail:
	a->stats.write_errors++;
	store_rollback(st);
	return -1;
}

const struct aggregate_stats *
aggregate_stats(const struct aggregate *a)
{
	return &a->stats;
}
