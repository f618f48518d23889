/* SPDX-License-Identifier: ISC */
/*
 * peers.c: a direct-mapped, SipHash-keyed table of address:port -> the
 * name of the call it belongs to. A newer endpoint in the same bucket
 * replaces the old entry; nothing grows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "base/defaults.h"
#include "flow/peers.h"
#include "base/siphash.h"
#include "base/util.h"

struct entry {
	int64_t		expires_us;	/* 0: empty */
	uint8_t		family;
	uint8_t		addr[16];
	uint16_t	port;
	uint8_t		sig;
	char		name[NAME_MAX_LEN + 1];
};

struct peers {
	struct entry		*v;
	size_t			 mask;
	struct siphash_key	 key;
	struct peers_stats	 st;
};

struct peers *
peers_new(size_t slots, int deterministic)
{
	struct peers *n = xcalloc(1, sizeof(*n));
	size_t sz = util_pow2(slots);

	n->v = xcalloc(sz, sizeof(*n->v));
	n->mask = sz - 1;
	siphash_key_init(&n->key, deterministic);
	return n;
}

void
peers_free(struct peers *n)
{
	if (n == NULL)
		return;
	free(n->v);
	free(n);
}

static struct entry *
bucket(const struct peers *n, int family, const uint8_t *addr, uint16_t port)
{
	uint8_t k[19];
	size_t alen = family == 6 ? 16 : 4;

	memset(k, 0, sizeof(k));
	k[0] = (uint8_t)family;
	memcpy(k + 1, addr, alen);
	k[17] = (uint8_t)(port >> 8);
	k[18] = (uint8_t)port;
	return &n->v[siphash13(&n->key, k, sizeof(k)) & n->mask];
}

static int
same(const struct entry *e, int family, const uint8_t *addr, uint16_t port)
{
	return e->family == family && e->port == port &&
	    memcmp(e->addr, addr, family == 6 ? 16 : 4) == 0;
}

void
peers_learn(struct peers *n, int family, const uint8_t *addr, uint16_t port,
    const char *name, int sig, int64_t now_us)
{
	struct entry *e;

	if ((name[0] == '\0' && sig <= 0) || sig < 0 || sig > UINT8_MAX ||
	    strlen(name) >= sizeof(e->name) || (family != 4 && family != 6))
		return;
	e = bucket(n, family, addr, port);
	if (e->expires_us > now_us && !same(e, family, addr, port))
		n->st.replaced++;
	e->family = (uint8_t)family;
	e->port = port;
	memset(e->addr, 0, sizeof(e->addr));
	memcpy(e->addr, addr, family == 6 ? 16 : 4);
	strlcpy(e->name, name, sizeof(e->name));
	e->sig = (uint8_t)sig;
	e->expires_us = now_us + (int64_t)DEF_PEERS_TTL_S * 1000000;
	n->st.learned++;
}

int
peers_lookup(struct peers *n, int family, const uint8_t *addr, uint16_t port,
    int64_t now_us, struct peers_hit *hit)
{
	struct entry *e;

	if (family != 4 && family != 6)
		return 0;
	e = bucket(n, family, addr, port);
	if (e->expires_us <= now_us || !same(e, family, addr, port))
		return 0;
	n->st.hits++;
	hit->name = e->name;
	hit->sig = e->sig;
	return 1;
}

const struct peers_stats *
peers_stats(const struct peers *n)
{
	return &n->st;
}
