/* SPDX-License-Identifier: ISC */
/*
 * dedup.c: a direct-mapped table of recent packet fingerprints. One slot
 * per hash bucket, overwritten by newer packets, so memory is fixed and
 * the cost is one keyed hash per packet.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "dedup.h"
#include "siphash.h"
#include "util.h"

#define DEDUP_L4_BYTES		48	/* transport bytes in the fingerprint:
					   the TCP header with its options
					   (SACK blocks tell dup ACKs apart)
					   and the start of the payload */

struct fp {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	pad;
	uint32_t	id;
	uint32_t	ip_len;
	uint8_t		src[16];
	uint8_t		dst[16];
	uint8_t		l4[DEDUP_L4_BYTES];
};

struct slot {
	uint64_t	hash;
	int64_t		ts_us;
};

struct dedup {
	struct slot		*slots;
	size_t			 mask;
	int64_t			 window_us;
	struct siphash_key	 key;
};

struct dedup *
dedup_new(size_t slots, int64_t window_us, int deterministic)
{
	struct dedup *d = xcalloc(1, sizeof(*d));
	size_t n = 1;

	while (n < slots)
		n <<= 1;
	d->slots = xcalloc(n, sizeof(*d->slots));
	d->mask = n - 1;
	d->window_us = window_us;
	siphash_key_init(&d->key, deterministic);
	return d;
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

#define MIX1	0x9e3779b97f4a7c15ULL	/* 2^64 / golden ratio */
#define MIX2	0xc2b2ae3d27d4eb4fULL
#define MIX3	0x165667b19e3779f9ULL

/*
 * A seeded multiply-rotate hash: a few instructions per 8 bytes, where
 * SipHash was a third of the whole per-packet cost. The table only
 * decides which recent packet to compare with, and a forced collision
 * could at most hide one of the attacker's own packets, so speed wins
 * here; the flow table, whose chains an attacker could lengthen, keeps
 * SipHash.
 */
static uint64_t
fp_hash(uint64_t seed, const uint8_t *p, size_t n)
{
	uint64_t h = seed ^ (n * MIX1), w;
	size_t i, j;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, sizeof(w));	/* host order: in-process only */
		h ^= w * MIX2;
		h = ((h << 31) | (h >> 33)) * MIX1;
	}
	for (w = 0, j = 0; i + j < n; j++)
		w |= (uint64_t)p[i + j] << (8 * j);
	h ^= w * MIX3;
	h ^= h >> 33;
	h *= MIX2;
	h ^= h >> 29;
	h *= MIX3;
	h ^= h >> 32;
	return h;
}

int
dedup_check(struct dedup *d, const struct pkt *p)
{
	struct fp f;
	struct slot *s;
	uint64_t h;

	memset(&f, 0, sizeof(f));
	f.family = p->family;
	f.proto = p->proto;
	f.id = p->frag_id;
	f.ip_len = p->ip_len;
	memcpy(f.src, p->src, sizeof(f.src));
	memcpy(f.dst, p->dst, sizeof(f.dst));
	if (p->l4 != NULL)
		memcpy(f.l4, p->l4, p->l4_len < DEDUP_L4_BYTES ? p->l4_len :
		    DEDUP_L4_BYTES);
	h = fp_hash(d->key.k0 ^ d->key.k1, (const uint8_t *)&f, sizeof(f));
	s = &d->slots[h & d->mask];
	if (s->hash == h && p->ts_us >= s->ts_us &&
	    p->ts_us - s->ts_us <= d->window_us)
		return 1;
	s->hash = h;
	s->ts_us = p->ts_us;
	return 0;
}
