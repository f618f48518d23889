/* SPDX-License-Identifier: ISC */
/*
 * names.c: a direct-mapped, SipHash-keyed table of address -> name. A
 * newer answer for another address in the same bucket replaces the old
 * entry; nothing grows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "base/defaults.h"
#include "flow/names.h"
#include "base/siphash.h"
#include "base/util.h"

struct entry {
	int64_t		expires_us;	/* 0: empty */
	uint8_t		family;
	uint8_t		addr[16];
	char		name[NAME_MAX_LEN + 1];
};

struct names {
	struct entry		*v;
	size_t			 mask;
	struct siphash_key	 key;
	struct names_stats	 st;
};

struct names *
names_new(size_t slots, int deterministic)
{
	struct names *n = xcalloc(1, sizeof(*n));
	size_t sz = util_pow2(slots);

	n->v = xcalloc(sz, sizeof(*n->v));
	n->mask = sz - 1;
	siphash_key_init(&n->key, deterministic);
	return n;
}

void
names_free(struct names *n)
{
	if (n == NULL)
		return;
	free(n->v);
	free(n);
}

static struct entry *
bucket(const struct names *n, int family, const uint8_t *addr)
{
	uint8_t k[17];
	size_t alen = family == 6 ? 16 : 4;

	memset(k, 0, sizeof(k));
	k[0] = (uint8_t)family;
	memcpy(k + 1, addr, alen);
	return &n->v[siphash13(&n->key, k, sizeof(k)) & n->mask];
}

void
names_learn(struct names *n, int family, const uint8_t *addr,
    const char *name, uint32_t ttl_s, int64_t now_us)
{
	struct entry *e = bucket(n, family, addr);
	size_t alen = family == 6 ? 16 : 4;

	if (name[0] == '\0')
		return;
	if (ttl_s < DEF_NAMES_MIN_TTL_S)
		ttl_s = DEF_NAMES_MIN_TTL_S;
	if (ttl_s > DEF_NAMES_MAX_TTL_S)
		ttl_s = DEF_NAMES_MAX_TTL_S;
	if (e->expires_us > now_us && (e->family != family ||
	    memcmp(e->addr, addr, alen) != 0))
		n->st.replaced++;
	e->family = (uint8_t)family;
	memset(e->addr, 0, sizeof(e->addr));
	memcpy(e->addr, addr, alen);
	strlcpy(e->name, name, sizeof(e->name));
	e->expires_us = now_us + (int64_t)ttl_s * 1000000;
	n->st.learned++;
}

const char *
names_lookup(struct names *n, int family, const uint8_t *addr, int64_t now_us)
{
	struct entry *e = bucket(n, family, addr);
	size_t alen = family == 6 ? 16 : 4;

	if (e->expires_us <= now_us || e->family != family ||
	    memcmp(e->addr, addr, alen) != 0)
		return NULL;
	n->st.hits++;
	return e->name;
}

const struct names_stats *
names_stats(const struct names *n)
{
	return &n->st;
}
