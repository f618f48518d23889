/* SPDX-License-Identifier: ISC */
/*
 * match.c: the domain-suffix index. Every "domains" and "except" suffix of
 * a ruleset goes into one open-addressing hash table, built once at load
 * time; a lookup hashes the name's label suffixes in a single backward
 * pass and probes them from the longest to the shortest, so a match costs
 * O(labels) probes, never allocates, and only ever matches whole labels.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "rules.h"
#include "util.h"

#define LABELS_MAX	128	/* a 253-byte name has at most 127 labels */
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

struct slot {
	const char		*key;	/* NULL: empty slot */
	size_t			 len;
	uint64_t		 hash;
	const struct rule_domain *owner;	/* first "domains" rule */
	size_t			 exc;	/* 1 + first except entry, or 0 */
};

struct exc {
	const struct rule_domain *rule;
	size_t			 next;	/* 1 + next entry, or 0 */
};

struct match_index {
	struct slot	*slots;
	size_t		 mask;
	struct exc	*excs;
	size_t		 nexc;
};

/*
 * FNV-1a over the bytes from last to first: one backward pass over a name
 * yields the hash of every suffix, shortest first.
 */
static uint64_t
rhash(const char *s, size_t len)
{
	uint64_t h = FNV_OFFSET;

	while (len > 0) {
		h ^= (unsigned char)s[--len];
		h *= FNV_PRIME;
	}
	return h;
}

static struct slot *
find(const struct match_index *mi, const char *s, size_t len, uint64_t h)
{
	struct slot *sl;
	size_t i;

	for (i = (size_t)h & mi->mask;; i = (i + 1) & mi->mask) {
		sl = &mi->slots[i];
		if (sl->key == NULL)
			return sl;
		if (sl->hash == h && sl->len == len &&
		    memcmp(sl->key, s, len) == 0)
			return sl;
	}
}

struct match_index *
match_index_new(const struct ruleset *rs)
{
	struct match_index *mi;
	const struct rule_domain *rd;
	struct slot *sl;
	size_t n = rules_ndomains(rs), cap = 16, i, len;
	uint64_t h;

	while (cap < n * 2 + 1)
		cap *= 2;
	mi = xcalloc(1, sizeof(*mi));
	mi->slots = xcalloc(cap, sizeof(*mi->slots));
	mi->mask = cap - 1;
	mi->excs = xcalloc(n + 1, sizeof(*mi->excs));
	for (i = 0; i < n; i++) {
		rd = rules_domain_at(rs, i);
		len = strlen(rd->name);
		h = rhash(rd->name, len);
		sl = find(mi, rd->name, len, h);
		if (sl->key == NULL) {
			sl->key = rd->name;
			sl->len = len;
			sl->hash = h;
		}
		if (rd->except) {
			mi->excs[mi->nexc].rule = rd;
			mi->excs[mi->nexc].next = sl->exc;
			sl->exc = ++mi->nexc;
		} else if (sl->owner == NULL)
			sl->owner = rd;
	}
	return mi;
}

void
match_index_free(struct match_index *mi)
{
	if (mi == NULL)
		return;
	free(mi->slots);
	free(mi->excs);
	free(mi);
}

const struct rule_domain *
match_index_domain(const struct match_index *mi, const char *suffix)
{
	const struct slot *sl;
	size_t len;

	if (mi == NULL || suffix == NULL)
		return NULL;
	len = strlen(suffix);
	sl = find(mi, suffix, len, rhash(suffix, len));
	return sl->key != NULL ? sl->owner : NULL;
}

/* Returns the except rule among seen[0..n) that names service svc. */
static const struct rule_domain *
excluded(const struct match_index *mi, const struct slot *const *seen,
    size_t n, size_t svc)
{
	size_t i, e;

	for (i = 0; i < n; i++)
		for (e = seen[i]->exc; e != 0; e = mi->excs[e - 1].next)
			if (mi->excs[e - 1].rule->service == svc)
				return mi->excs[e - 1].rule;
	return NULL;
}

const struct service *
match_name_why(const struct ruleset *rs, const char *name,
    const struct rule_domain **rule, const struct rule_domain **except)
{
	const struct match_index *mi;
	const struct slot *seen[LABELS_MAX], *sl;
	const struct rule_domain *ex;
	size_t off[LABELS_MAX];
	uint64_t hs[LABELS_MAX];
	size_t len, i, nsuf = 0, nseen = 0;
	uint64_t h = FNV_OFFSET;

	if (rule != NULL)
		*rule = NULL;
	if (except != NULL)
		*except = NULL;
	if (rs == NULL || name == NULL || (mi = rules_index(rs)) == NULL)
		return NULL;
	len = strnlen(name, NAME_MAX_LEN + 1);
	if (len == 0 || len > NAME_MAX_LEN)
		return NULL;
	for (i = len; i > 0; i--) {
		h ^= (unsigned char)name[i - 1];
		h *= FNV_PRIME;
		if (i == 1 || name[i - 2] == '.') {
			if (nsuf == LABELS_MAX)
				return NULL;
			off[nsuf] = i - 1;
			hs[nsuf++] = h;
		}
	}
	while (nsuf > 0) {
		nsuf--;
		sl = find(mi, name + off[nsuf], len - off[nsuf], hs[nsuf]);
		if (sl->key == NULL)
			continue;
		seen[nseen++] = sl;
		if (sl->owner == NULL)
			continue;
		ex = excluded(mi, seen, nseen, sl->owner->service);
		if (ex != NULL) {
			if (except != NULL && *except == NULL)
				*except = ex;
			continue;
		}
		if (rule != NULL)
			*rule = sl->owner;
		return rules_service_at(rs, sl->owner->service);
	}
	return NULL;
}

const struct service *
match_name(const struct ruleset *rs, const char *name)
{
	return match_name_why(rs, name, NULL, NULL);
}
