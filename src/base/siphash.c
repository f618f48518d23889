/* SPDX-License-Identifier: ISC */
/*
 * siphash.c: SipHash-2-4 as specified in "SipHash: a fast short-input PRF"
 * (Aumasson, Bernstein; INDOCRYPT 2012), written from the paper, and the
 * 1-3 round variant. The round counts are constants at each call site, so
 * the compiler unrolls the loops.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/random.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/siphash.h"

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static uint64_t
sip(const struct siphash_key *key, const void *data, size_t len, int crounds,
    int drounds)
{
	const uint8_t *p = data;
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t v3 = 0x7465646279746573ULL ^ key->k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;
	int r;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i);
		v3 ^= m;
		for (r = 0; r < crounds; r++)
			SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (; left > 0; left--)
		b |= (uint64_t)p[i + left - 1] << (8 * (left - 1));
	v3 ^= b;
	for (r = 0; r < crounds; r++)
		SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < drounds; r++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
siphash(const struct siphash_key *key, const void *data, size_t len)
{
	return sip(key, data, len, 2, 4);
}

uint64_t
siphash13(const struct siphash_key *key, const void *data, size_t len)
{
	return sip(key, data, len, 1, 3);
}

void
siphash_key_init(struct siphash_key *key, int deterministic)
{
	if (deterministic ||
	    getrandom(key, sizeof(*key), 0) != (ssize_t)sizeof(*key)) {
		key->k0 = 0x0706050403020100ULL;
		key->k1 = 0x0f0e0d0c0b0a0908ULL;
		if (!deterministic)
			key->k0 ^= (uint64_t)time(NULL) ^
			    ((uint64_t)getpid() << 32);
	}
}
