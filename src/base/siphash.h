/* SPDX-License-Identifier: ISC */
/*
 * siphash.h: SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed hash for
 * tables filled from attacker-chosen keys: without the random key, nobody
 * can aim many flows at one bucket.
 */
#ifndef SHADOWTAP_SIPHASH_H
#define SHADOWTAP_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t	k0;
	uint64_t	k1;
};

uint64_t	siphash(const struct siphash_key *, const void *, size_t);
/*
 * SipHash-1-3: one compression and three finalisation rounds, about twice
 * as fast; the variant hash tables commonly use against flooding (it is
 * not meant as a MAC). For the per-packet tables.
 */
uint64_t	siphash13(const struct siphash_key *, const void *, size_t);

/* Fills key from getrandom(2), or from a fixed value when deterministic. */
void		siphash_key_init(struct siphash_key *, int deterministic);

#endif
