/* SPDX-License-Identifier: ISC */
/*
 * names.h: the passive DNS cache. Addresses seen in DNS answers are
 * remembered with the name that was asked for (not the CNAME target), so
 * that a later flow to that address is named even when it carries no SNI
 * or Host (QUIC not decrypted, ECH, apps that speak their own protocol).
 * Fixed size, one entry per hash bucket, entries expire by packet time.
 */
#ifndef SHADOWTAP_NAMES_H
#define SHADOWTAP_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct names;

struct names_stats {
	uint64_t	learned;
	uint64_t	replaced;	/* a live entry lost its bucket */
	uint64_t	hits;
};

struct names	*names_new(size_t slots, int deterministic);
void		 names_free(struct names *);

/*
 * Remembers that addr (family 4 or 6) is name, for the answer's TTL
 * clamped to [DEF_NAMES_MIN_TTL_S, DEF_NAMES_MAX_TTL_S] from now_us.
 */
void		 names_learn(struct names *, int family, const uint8_t *addr,
		    const char *name, uint32_t ttl_s, int64_t now_us);

/* The name last learned for addr if still valid at now_us, else NULL. */
const char	*names_lookup(struct names *, int family, const uint8_t *addr,
		    int64_t now_us);

const struct names_stats *names_stats(const struct names *);

#endif
