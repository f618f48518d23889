/* SPDX-License-Identifier: ISC */
/*
 * match.c: the domain-suffix index. Every "domains" and "except" suffix of
 * a ruleset, and every shorter label suffix of one, is a node of one
 * open-addressing hash table built once at load time; a lookup hashes the
 * name backwards and walks its label suffixes from the top-level one, so
 * it stops at the first suffix no rule ends with, never allocates, and
 * only ever matches whole labels.
 * Networks (service "ips", department "subnets", "ignore networks") go
 * into binary tries walked bit by bit for the longest prefix; AS numbers,
 * JA4 strings, protocol names and ports into one sorted array searched
 * by bisection. Everything is read-only once built.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBPSL
#include <libpsl.h>
#endif

#include "base/hostname.h"
#include "policy/match.h"
#include "policy/rules.h"
#include "base/util.h"

#define LABELS_MAX	128	/* a 253-byte name has at most 127 labels */
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

/*
 * The domain index is a tree of label suffixes kept in a hash table: every
 * "domains" and "except" name is a node, and so is each of its shorter
 * label suffixes ("com", "example.com" for "www.example.com"), so that a
 * lookup walks a name from its last label towards its first and stops at
 * the first suffix that is not a node, or at a node nothing longer hangs
 * from. A name outside the catalog costs one or two probes whatever the
 * catalog's size, and a name inside it one probe per label of the rule.
 *
 * Nodes are packed one after the other in an arena with their key bytes
 * inline (header and name share a cache line), and a slot is 8 bytes (a
 * hash tag and the node's offset), so that the table of a catalog of
 * 30,000 domains stays within a megabyte.
 */
struct node {
	uint32_t	 owner;	/* 1 + first "domains" rule's index, or 0 */
	uint32_t	 svc;	/* the owner's service */
	uint32_t	 exc;	/* 1 + first except entry, or 0 */
	uint16_t	 len;
	uint8_t		 kids;	/* 1: a longer node ends with this one */
	uint8_t		 pad;
	char		 key[];	/* len bytes, not terminated */
};

struct slot {
	uint32_t	 tag;	/* the hash's upper half */
	uint32_t	 off;	/* 1 + node offset in units, or 0: empty */
};

#define NODE_UNIT	sizeof(uint64_t)

struct exc {
	const struct rule_domain *rule;
	size_t			 svc;
	size_t			 next;	/* 1 + next entry, or 0 */
};

/* A binary trie node; val is 1 + the owner's index, or 0. */
struct tnode {
	uint32_t	 child[2];	/* 0: none (the root is never a child) */
	uint32_t	 val;
};

struct trie {
	struct tnode	*n;
	size_t		 nn;
	size_t		 cap;
};

/* A key of the sorted array: kind, number, or string. */
struct kent {
	uint32_t		 kind;
	uint32_t		 num;
	const char		*str;
	const struct rule_item	*item;
};

enum {
	TRIE_SVC4, TRIE_SVC6, TRIE_DEPT4, TRIE_DEPT6, TRIE_IGN4, TRIE_IGN6,
	TRIE_N
};

struct match_index {
	const struct ruleset *rs;	/* the owner of the rules */
	struct slot	*slots;
	size_t		 mask;
	size_t		 nslots;	/* used */
	uint64_t	*arena;		/* the nodes */
	size_t		 narena;	/* used, in units */
	size_t		 carena;
	struct exc	*excs;
	size_t		 nexc;
	struct trie	 trie[TRIE_N];
	const struct rule_item **tritem;	/* TRIE_SVC* values */
	const struct rule_net **trnet;		/* TRIE_DEPT*, TRIE_IGN* */
	struct kent	*keys;
	size_t		 nkeys;
};

static uint32_t
trie_node(struct trie *t)
{
	if (t->nn == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->n = xreallocarray(t->n, t->cap, sizeof(*t->n));
	}
	memset(&t->n[t->nn], 0, sizeof(*t->n));
	return (uint32_t)t->nn++;
}

/* Inserts a prefix unless one is there already; returns the owner. */
static uint32_t
trie_put(struct trie *t, const uint8_t *addr, unsigned plen, uint32_t val)
{
	uint32_t cur, nx;
	unsigned i, bit;

	if (t->nn == 0)
		trie_node(t);
	cur = 0;
	for (i = 0; i < plen; i++) {
		bit = (addr[i / 8] >> (7 - i % 8)) & 1;
		if ((nx = t->n[cur].child[bit]) == 0) {
			nx = trie_node(t);
			t->n[cur].child[bit] = nx;
		}
		cur = nx;
	}
	if (t->n[cur].val == 0)
		t->n[cur].val = val;
	return t->n[cur].val;
}

/* The longest prefix holding a value: 1 + owner index, or 0. */
static uint32_t
trie_get(const struct trie *t, const uint8_t *addr, unsigned bits)
{
	uint32_t cur = 0, best = 0;
	unsigned i;

	if (t->nn == 0)
		return 0;
	for (i = 0;; i++) {
		if (t->n[cur].val != 0)
			best = t->n[cur].val;
		if (i == bits)
			break;
		cur = t->n[cur].child[(addr[i / 8] >> (7 - i % 8)) & 1];
		if (cur == 0)
			break;
	}
	return best;
}

/* The exact prefix's value, or 0. */
static uint32_t
trie_exact(const struct trie *t, const uint8_t *addr, unsigned plen)
{
	uint32_t cur = 0;
	unsigned i;

	if (t->nn == 0)
		return 0;
	for (i = 0; i < plen; i++) {
		cur = t->n[cur].child[(addr[i / 8] >> (7 - i % 8)) & 1];
		if (cur == 0)
			return 0;
	}
	return t->n[cur].val;
}

static int
kent_cmp(const void *a, const void *b)
{
	const struct kent *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->str != NULL && y->str != NULL && (c = strcmp(x->str,
	    y->str)) != 0)
		return c;
	if (x->item == NULL || y->item == NULL)
		return 0;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* The first entry (in load order) with k's key, or NULL. */
static const struct kent *
kent_find(const struct match_index *mi, const struct kent *k)
{
	size_t lo = 0, hi = mi->nkeys, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (kent_cmp(&mi->keys[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mi->nkeys && kent_cmp(&mi->keys[lo], k) == 0)
		return &mi->keys[lo];
	return NULL;
}

static void
kent_of(const struct rule_item *it, struct kent *k)
{
	k->kind = it->kind;
	k->num = it->kind == RULE_ASN ? it->asn : it->kind == RULE_PORT ?
	    (uint32_t)it->proto << 16 | it->port : 0;
	k->str = it->kind == RULE_JA4 || it->kind == RULE_PROTOCOL ?
	    it->text : NULL;
	k->item = it;
}

static void
index_items(struct match_index *mi, const struct ruleset *rs)
{
	const struct rule_item *it;
	const struct rule_net *n;
	size_t i, ni = rules_nitems(rs), nn = rules_nnets(rs), tr;

	mi->tritem = xcalloc(ni + 1, sizeof(*mi->tritem));
	mi->trnet = xcalloc(nn + 1, sizeof(*mi->trnet));
	mi->keys = xcalloc(ni + 1, sizeof(*mi->keys));
	for (i = 0; i < ni; i++) {
		it = rules_item_at(rs, i);
		mi->tritem[i] = it;
		if (it->kind == RULE_IP)
			trie_put(&mi->trie[it->family == AF_INET ? TRIE_SVC4 :
			    TRIE_SVC6], it->addr, it->plen, (uint32_t)i + 1);
		else
			kent_of(it, &mi->keys[mi->nkeys++]);
	}
	qsort(mi->keys, mi->nkeys, sizeof(*mi->keys), kent_cmp);
	for (i = 0; i < nn; i++) {
		n = rules_net_at(rs, i);
		mi->trnet[i] = n;
		tr = n->dept == SIZE_MAX ? TRIE_IGN4 : TRIE_DEPT4;
		trie_put(&mi->trie[tr + (n->family == AF_INET ? 0 : 1)],
		    n->addr, n->plen, (uint32_t)i + 1);
	}
}

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

static struct node *
node_at(const struct match_index *mi, uint32_t off)
{
	return (struct node *)(void *)&mi->arena[off - 1];
}

/* The slot holding s, or the empty slot where it would go. */
static struct slot *
find(const struct match_index *mi, const char *s, size_t len, uint64_t h)
{
	struct slot *sl;
	const struct node *nd;
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i;

	for (i = (size_t)(h ^ h >> 32) & mi->mask;; i = (i + 1) & mi->mask) {
		sl = &mi->slots[i];
		if (sl->off == 0)
			return sl;
		if (sl->tag != tag)
			continue;
		nd = node_at(mi, sl->off);
		if (nd->len == len && memcmp(nd->key, s, len) == 0)
			return sl;
	}
}

/* Doubles the table and puts every node back. */
static void
grow(struct match_index *mi)
{
	struct slot *sl;
	const struct node *nd;
	size_t off, cap = (mi->mask + 1) * 2;
	uint64_t h;

	free(mi->slots);
	mi->slots = xcalloc(cap, sizeof(*mi->slots));
	mi->mask = cap - 1;
	for (off = 0; off < mi->narena; off += (sizeof(*nd) + nd->len +
	    NODE_UNIT - 1) / NODE_UNIT) {
		nd = node_at(mi, (uint32_t)off + 1);
		h = rhash(nd->key, nd->len);
		sl = find(mi, nd->key, nd->len, h);
		sl->tag = (uint32_t)(h >> 32);
		sl->off = (uint32_t)off + 1;
	}
}

/* The node for name[0..len), added (without owner) when missing. */
static struct node *
node_get(struct match_index *mi, const char *name, size_t len)
{
	struct slot *sl;
	struct node *nd;
	uint64_t h = rhash(name, len);
	size_t units = (sizeof(*nd) + len + NODE_UNIT - 1) / NODE_UNIT;

	sl = find(mi, name, len, h);
	if (sl->off != 0)
		return node_at(mi, sl->off);
	if ((mi->nslots + 1) * 5 > (mi->mask + 1) * 3) {
		grow(mi);
		sl = find(mi, name, len, h);
	}
	while (mi->narena + units > mi->carena) {
		mi->carena = mi->carena ? mi->carena * 2 : 1024;
		mi->arena = xreallocarray(mi->arena, mi->carena,
		    sizeof(*mi->arena));
	}
	nd = node_at(mi, (uint32_t)mi->narena + 1);
	memset(nd, 0, units * NODE_UNIT);
	nd->len = (uint16_t)len;
	memcpy(nd->key, name, len);
	sl->tag = (uint32_t)(h >> 32);
	sl->off = (uint32_t)mi->narena + 1;
	mi->narena += units;
	mi->nslots++;
	return nd;
}

/*
 * Adds a rule's name and each of its shorter label suffixes, the shorter
 * ones marked as having a longer node; returns the name's node.
 */
static struct node *
node_chain(struct match_index *mi, const char *name, size_t len)
{
	size_t i;

	for (i = len; i > 1; i--)
		if (name[i - 2] == '.')
			node_get(mi, name + i - 1, len - i + 1)->kids = 1;
	return node_get(mi, name, len);
}

struct match_index *
match_index_new(const struct ruleset *rs)
{
	struct match_index *mi;
	const struct rule_domain *rd;
	struct node *nd;
	size_t n = rules_ndomains(rs), i, len;

	mi = xcalloc(1, sizeof(*mi));
	mi->rs = rs;
	mi->slots = xcalloc(64, sizeof(*mi->slots));
	mi->mask = 63;
	mi->excs = xcalloc(n + 1, sizeof(*mi->excs));
	index_items(mi, rs);
	for (i = 0; i < n; i++) {
		rd = rules_domain_at(rs, i);
		len = strlen(rd->name);
		if (len == 0 || len > NAME_MAX_LEN)
			continue;
		nd = node_chain(mi, rd->name, len);
		if (rd->except) {
			mi->excs[mi->nexc].rule = rd;
			mi->excs[mi->nexc].svc = rd->service;
			mi->excs[mi->nexc].next = nd->exc;
			nd->exc = (uint32_t)++mi->nexc;
		} else if (nd->owner == 0) {
			nd->owner = (uint32_t)i + 1;
			nd->svc = (uint32_t)rd->service;
		}
	}
	return mi;
}

void
match_index_free(struct match_index *mi)
{
	if (mi == NULL)
		return;
	size_t i;

	free(mi->slots);
	free(mi->arena);
	free(mi->excs);
	for (i = 0; i < TRIE_N; i++)
		free(mi->trie[i].n);
	free(mi->tritem);
	free(mi->trnet);
	free(mi->keys);
	free(mi);
}

const struct rule_domain *
match_index_domain(const struct match_index *mi, const char *suffix)
{
	const struct slot *sl;
	uint32_t owner;
	size_t len;

	if (mi == NULL || suffix == NULL)
		return NULL;
	len = strlen(suffix);
	sl = find(mi, suffix, len, rhash(suffix, len));
	if (sl->off == 0 || (owner = node_at(mi, sl->off)->owner) == 0)
		return NULL;
	return rules_domain_at(mi->rs, owner - 1);
}

/* Returns the except rule among path[0..n) that names service svc. */
static const struct rule_domain *
excluded(const struct match_index *mi, const struct node *const *path,
    size_t n, size_t svc)
{
	size_t i, e;

	for (i = 0; i < n; i++)
		for (e = path[i]->exc; e != 0; e = mi->excs[e - 1].next)
			if (mi->excs[e - 1].svc == svc)
				return mi->excs[e - 1].rule;
	return NULL;
}

/*
 * The nodes a name ends with, shortest first: walks the labels from the
 * last one and stops at the first suffix that is no node, or at a node
 * with nothing longer. Returns how many went into path.
 */
static size_t
walk(const struct match_index *mi, const char *name, size_t len,
    const struct node **path)
{
	const struct slot *sl;
	const struct node *nd;
	uint64_t h = FNV_OFFSET;
	size_t i, n = 0;

	for (i = len; i > 0; i--) {
		h ^= (unsigned char)name[i - 1];
		h *= FNV_PRIME;
		if (i > 1 && name[i - 2] != '.')
			continue;
		sl = find(mi, name + i - 1, len - i + 1, h);
		if (sl->off == 0)
			break;
		nd = node_at(mi, sl->off);
		path[n++] = nd;
		if (!nd->kids || n == LABELS_MAX)
			break;
	}
	return n;
}

const struct service *
match_name_why(const struct ruleset *rs, const char *name,
    const struct rule_domain **rule, const struct rule_domain **except)
{
	const struct match_index *mi;
	const struct node *path[LABELS_MAX], *nd;
	const struct rule_domain *ex;
	size_t len, n, nwalk;
	int vetoes = 0;

	if (rule != NULL)
		*rule = NULL;
	if (except != NULL)
		*except = NULL;
	if (rs == NULL || name == NULL || (mi = rules_index(rs)) == NULL)
		return NULL;
	len = strnlen(name, NAME_MAX_LEN + 1);
	if (len == 0 || len > NAME_MAX_LEN)
		return NULL;
	/* The longest suffix first; an except as long or longer vetoes. */
	n = nwalk = walk(mi, name, len, path);
	while (n > 0) {
		nd = path[--n];
		vetoes |= nd->exc != 0;
		if (nd->owner == 0)
			continue;
		ex = vetoes ? excluded(mi, path + n, nwalk - n, nd->svc) :
		    NULL;
		if (ex != NULL) {
			if (except != NULL && *except == NULL)
				*except = ex;
			continue;
		}
		if (rule != NULL)
			*rule = rules_domain_at(rs, nd->owner - 1);
		return rules_service_at(rs, nd->svc);
	}
	return NULL;
}

const struct service *
match_name(const struct ruleset *rs, const char *name)
{
	return match_name_why(rs, name, NULL, NULL);
}

const struct rule_item *
match_index_item(const struct match_index *mi, const struct rule_item *it)
{
	struct kent k;
	const struct kent *e;
	uint32_t v;

	if (mi == NULL || it == NULL)
		return NULL;
	if (it->kind == RULE_IP) {
		v = trie_exact(&mi->trie[it->family == AF_INET ? TRIE_SVC4 :
		    TRIE_SVC6], it->addr, it->plen);
		return v != 0 ? mi->tritem[v - 1] : NULL;
	}
	kent_of(it, &k);
	k.item = NULL;
	e = kent_find(mi, &k);
	return e != NULL ? e->item : NULL;
}

const struct rule_net *
match_index_net(const struct match_index *mi, const struct rule_net *n)
{
	size_t tr;
	uint32_t v;

	if (mi == NULL || n == NULL)
		return NULL;
	tr = (n->dept == SIZE_MAX ? TRIE_IGN4 : TRIE_DEPT4) +
	    (n->family == AF_INET ? 0 : 1);
	v = trie_exact(&mi->trie[tr], n->addr, n->plen);
	return v != 0 ? mi->trnet[v - 1] : NULL;
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xff };

/*
 * Looks addr up in the IPv4 or IPv6 trie of a pair (IPv4-mapped IPv6
 * addresses in the IPv4 one). Returns 1 + the owner index, or 0.
 */
static uint32_t
addr_get(const struct match_index *mi, size_t tr4, int family,
    const uint8_t *addr)
{
	if (mi == NULL || addr == NULL)
		return 0;
	if (family == AF_INET)
		return trie_get(&mi->trie[tr4], addr, 32);
	if (family != AF_INET6)
		return 0;
	if (memcmp(addr, v4mapped, sizeof(v4mapped)) == 0)
		return trie_get(&mi->trie[tr4], addr + 12, 32);
	return trie_get(&mi->trie[tr4 + 1], addr, 128);
}

const struct service *
match_addr(const struct ruleset *rs, int family, const uint8_t *addr,
    const struct rule_item **why)
{
	const struct match_index *mi;
	const struct rule_item *it;
	uint32_t v;

	if (why != NULL)
		*why = NULL;
	if (rs == NULL || (mi = rules_index(rs)) == NULL)
		return NULL;
	if ((v = addr_get(mi, TRIE_SVC4, family, addr)) == 0)
		return NULL;
	it = mi->tritem[v - 1];
	if (why != NULL)
		*why = it;
	return rules_service_at(rs, it->service);
}

static const struct service *
key_get(const struct ruleset *rs, const struct kent *k,
    const struct rule_item **why)
{
	const struct match_index *mi;
	const struct kent *e;

	if (why != NULL)
		*why = NULL;
	if (rs == NULL || (mi = rules_index(rs)) == NULL ||
	    (e = kent_find(mi, k)) == NULL)
		return NULL;
	if (why != NULL)
		*why = e->item;
	return rules_service_at(rs, e->item->service);
}

const struct service *
match_asn(const struct ruleset *rs, uint32_t asn,
    const struct rule_item **why)
{
	struct kent k = { RULE_ASN, asn, NULL, NULL };

	if (asn == 0) {
		if (why != NULL)
			*why = NULL;
		return NULL;
	}
	return key_get(rs, &k, why);
}

const struct service *
match_ja4(const struct ruleset *rs, const char *ja4,
    const struct rule_item **why)
{
	struct kent k = { RULE_JA4, 0, ja4, NULL };

	if (ja4 == NULL) {
		if (why != NULL)
			*why = NULL;
		return NULL;
	}
	return key_get(rs, &k, why);
}

const struct service *
match_protocol(const struct ruleset *rs, const char *name,
    const struct rule_item **why)
{
	struct kent k = { RULE_PROTOCOL, 0, name, NULL };

	if (name == NULL) {
		if (why != NULL)
			*why = NULL;
		return NULL;
	}
	return key_get(rs, &k, why);
}

const struct service *
match_port(const struct ruleset *rs, uint8_t proto, uint16_t port,
    const struct rule_item **why)
{
	struct kent k = { RULE_PORT, (uint32_t)proto << 16 | port, NULL,
	    NULL };

	return key_get(rs, &k, why);
}

const struct department *
match_department(const struct ruleset *rs, int family, const uint8_t *addr,
    unsigned vlan, struct rule_loc *why)
{
	const struct rule_net *n;
	uint32_t v;

	if (why != NULL)
		memset(why, 0, sizeof(*why));
	if (rs == NULL)
		return NULL;
	v = addr_get(rules_index(rs), TRIE_DEPT4, family, addr);
	if (v != 0) {
		n = rules_index(rs)->trnet[v - 1];
		if (why != NULL)
			*why = n->loc;
		return rules_department_at(rs, n->dept);
	}
	return rules_vlan_department(rs, vlan, why);
}

int
match_ignored(const struct ruleset *rs, int family, const uint8_t *addr,
    struct rule_loc *why)
{
	uint32_t v;

	if (why != NULL)
		memset(why, 0, sizeof(*why));
	if (rs == NULL)
		return 0;
	v = addr_get(rules_index(rs), TRIE_IGN4, family, addr);
	if (v == 0)
		return 0;
	if (why != NULL)
		*why = rules_index(rs)->trnet[v - 1]->loc;
	return 1;
}

#ifndef HAVE_LIBPSL
/*
 * Without libpsl: the last two labels, or three when the second-level
 * label looks like a registry's own (co.uk, com.au: at most 3 letters
 * under a 2-letter country code).
 */
static const char *
registrable_fallback(const char *name)
{
	const char *p = name + strlen(name), *dots[3] = { NULL, NULL, NULL };
	size_t n = 0;

	while (p > name && n < 3) {
		p--;
		if (*p == '.')
			dots[n++] = p;
	}
	if (n < 1)
		return NULL;
	if (n >= 2 && strlen(dots[0] + 1) == 2 && dots[0] - dots[1] - 1 <= 3) {
		if (n == 3)
			return dots[2] + 1;
		return p == name && *p != '.' ? name : NULL;
	}
	if (n == 1)
		return name;
	return dots[1] + 1;
}
#endif

int
match_registrable_domain(const char *name, char *out, size_t outsz)
{
	const char *r = NULL;
	size_t len;

	if (name == NULL || out == NULL || outsz == 0)
		return -1;
	len = strlen(name);
	if (len == 0 || len > NAME_MAX_LEN)
		return -1;
	if (hostname_is_ip(name)) {
		r = name;
		goto out;
	}
#ifdef HAVE_LIBPSL
	{
		const psl_ctx_t *psl = psl_builtin();

		if (psl != NULL)
			r = psl_registrable_domain(psl, name);
	}
#else
	r = registrable_fallback(name);
#endif
out:
	if (r == NULL)
		r = name;
	if (strlcpy(out, r, outsz) >= outsz)
		return -1;
	return 0;
}
