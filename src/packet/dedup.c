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

#include "packet/decode.h"
#include "packet/dedup.h"
#include "base/siphash.h"
#include "base/util.h"

#define DEDUP_L4_BYTES		48	/* transport bytes in the fingerprint:
					   the TCP header with its options
					   (SACK blocks tell dup ACKs apart)
					   and the start of the payload */

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
	size_t n = util_pow2(slots);

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
 * SipHash. Four lanes take the words in turn, so the multiplications of
 * one packet overlap instead of waiting on each other.
 */
static inline uint64_t
lane(uint64_t h, uint64_t w)
{
	h ^= w * MIX2;
	return ((h << 31) | (h >> 33)) * MIX1;
}

static inline uint64_t
word(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));	/* host order: in-process only */
	return w;
}

/*
 * The fingerprint, hashed in place: family, protocol, IP length and id,
 * the addresses (4 bytes each for IPv4) and the first DEDUP_L4_BYTES of
 * the transport header and payload.
 */
static uint64_t
fp_hash(uint64_t seed, const struct pkt *p)
{
	uint64_t h[4], w;
	const uint8_t *l4 = p->l4;
	size_t n = p->l4 != NULL ? (p->l4_len < DEDUP_L4_BYTES ? p->l4_len :
	    DEDUP_L4_BYTES) : 0, i, j, k = 0;

	h[0] = seed ^ ((uint64_t)p->family | (uint64_t)p->proto << 8 |
	    (uint64_t)n << 16 | (uint64_t)p->frag_id << 32);
	h[1] = seed + (uint64_t)p->ip_len * MIX3;
	h[2] = seed ^ MIX2;
	h[3] = seed ^ MIX3;
	if (p->family == 6) {
		h[0] = lane(h[0], word(p->src));
		h[1] = lane(h[1], word(p->src + 8));
		h[2] = lane(h[2], word(p->dst));
		h[3] = lane(h[3], word(p->dst + 8));
	} else {
		uint32_t a, b;

		memcpy(&a, p->src, sizeof(a));
		memcpy(&b, p->dst, sizeof(b));
		h[0] = lane(h[0], (uint64_t)a << 32 | b);
	}
	for (i = 0; i + 8 <= n; i += 8, k++)
		h[k & 3] = lane(h[k & 3], word(l4 + i));
	for (w = 0, j = 0; i + j < n; j++)
		w |= (uint64_t)l4[i + j] << (8 * j);
	h[k & 3] = lane(h[k & 3], w);
	w = h[0] ^ ((h[1] << 17) | (h[1] >> 47)) ^
	    ((h[2] << 31) | (h[2] >> 33)) ^ ((h[3] << 47) | (h[3] >> 17));
	w ^= w >> 33;
	w *= MIX2;
	w ^= w >> 29;
	w *= MIX3;
	w ^= w >> 32;
	return w;
}

uint64_t
dedup_hash(const struct dedup *d, const struct pkt *p)
{
	uint64_t h = fp_hash(d->key.k0 ^ d->key.k1, p);

	__builtin_prefetch(&d->slots[h & d->mask]);
	return h;
}

int
dedup_seen(struct dedup *d, uint64_t h, int64_t ts_us)
{
	struct slot *s = &d->slots[h & d->mask];

	if (s->hash == h && ts_us >= s->ts_us &&
	    ts_us - s->ts_us <= d->window_us)
		return 1;
	s->hash = h;
	s->ts_us = ts_us;
	return 0;
}

int
dedup_check(struct dedup *d, const struct pkt *p)
{
	return dedup_seen(d, dedup_hash(d, p), p->ts_us);
}
