/* SPDX-License-Identifier: ISC */
/*
 * rules.c: the loaded ruleset (rules.h): its accessors, the policy's
 * verdict for a service as seen from a department, upload thresholds and
 * the string storage every part of the loader writes into. A ruleset is
 * immutable once rules_load() returns it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

#define ARENA_BLOCK		65536	/* string arena allocation unit */

const char *
risk_str(enum risk r)
{
	switch (r) {
	case RISK_LOW:
		return "low";
	case RISK_MEDIUM:
		return "medium";
	case RISK_HIGH:
		return "high";
	case RISK_CRITICAL:
		return "critical";
	case RISK_UNSET:
		break;
	}
	return "unset";
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
rules_strmap_get(const struct strmap *m, const char *k, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	for (i = str_hash(k) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->key[i], k) == 0) {
			if (val != NULL)
				*val = m->val[i];
			return 1;
		}
	}
	return 0;
}

/* Inserts k (which must outlive the map) unless present. */
void
rules_strmap_put(struct strmap *m, const char *k, size_t val)
{
	struct strmap old;
	size_t i;

	if (rules_strmap_get(m, k, NULL))
		return;
	if ((m->n + 1) * 2 > m->cap) {
		old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->key = xcalloc(m->cap, sizeof(*m->key));
		m->val = xcalloc(m->cap, sizeof(*m->val));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.key[i] != NULL)
				rules_strmap_put(m, old.key[i], old.val[i]);
		free(old.key);
		free(old.val);
	}
	for (i = str_hash(k) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->key[i] = k;
	m->val[i] = val;
	m->n++;
}

void
rules_strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

const char *
rules_arena_dup(struct ruleset *rs, const char *s, size_t len)
{
	char *p;
	size_t need = len + 1;

	if (need > ARENA_BLOCK / 4) {
		rs->blocks = xreallocarray(rs->blocks, rs->nblocks + 1,
		    sizeof(char *));
		p = xmalloc(need);
		/* Oversized strings get a block of their own, kept first. */
		if (rs->nblocks > 0) {
			rs->blocks[rs->nblocks] = rs->blocks[rs->nblocks - 1];
			rs->blocks[rs->nblocks - 1] = p;
		} else {
			rs->blocks[0] = p;
			rs->blockused = ARENA_BLOCK;
		}
		rs->nblocks++;
	} else {
		if (rs->nblocks == 0 || rs->blockused + need > ARENA_BLOCK) {
			rs->blocks = xreallocarray(rs->blocks, rs->nblocks + 1,
			    sizeof(char *));
			rs->blocks[rs->nblocks++] = xmalloc(ARENA_BLOCK);
			rs->blockused = 0;
		}
		p = rs->blocks[rs->nblocks - 1] + rs->blockused;
		rs->blockused += need;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t
rules_nservices(const struct ruleset *rs)
{
	return rs->nsvc;
}

const struct service *
rules_service_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nsvc ? &rs->svc[i] : NULL;
}

const struct service *
rules_service_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	if (id == NULL || !rules_strmap_get(&rs->svcmap, id, &i))
		return NULL;
	return &rs->svc[i];
}

size_t
rules_ncategories(const struct ruleset *rs)
{
	return rs->ncatused;
}

size_t
rules_ncategory_defs(const struct ruleset *rs)
{
	return rs->ncat;
}

const struct category *
rules_category_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ncat ? &rs->cat[i] : NULL;
}

const struct category *
rules_category_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	if (id == NULL || !rules_strmap_get(&rs->catmap, id, &i))
		return NULL;
	return &rs->cat[i];
}

size_t
rules_ndomains(const struct ruleset *rs)
{
	return rs->ndom;
}

const struct rule_domain *
rules_domain_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ndom ? &rs->dom[i] : NULL;
}

enum verdict
rules_default_verdict(const struct ruleset *rs)
{
	return rs->defverdict;
}

const struct match_index *
rules_index(const struct ruleset *rs)
{
	return rs->idx;
}

size_t
rules_nitems(const struct ruleset *rs)
{
	return rs->nitem;
}

const struct rule_item *
rules_item_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nitem ? &rs->item[i] : NULL;
}

size_t
rules_ndepartments(const struct ruleset *rs)
{
	return rs->ndept;
}

const struct department *
rules_department_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ndept ? &rs->dept[i] : NULL;
}

const struct department *
rules_department_by_name(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < rs->ndept; i++)
		if (strcmp(rs->dept[i].name, name) == 0)
			return &rs->dept[i];
	return NULL;
}

size_t
rules_nnets(const struct ruleset *rs)
{
	return rs->nnet;
}

const struct rule_net *
rules_net_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nnet ? &rs->net[i] : NULL;
}

const struct department *
rules_vlan_department(const struct ruleset *rs, unsigned vlan,
    struct rule_loc *why)
{
	const struct vlanent *v;

	if (why != NULL)
		memset(why, 0, sizeof(*why));
	if (rs == NULL || rs->vlanmap == NULL || vlan == 0 ||
	    vlan > VLAN_MAX || rs->vlanmap[vlan] == 0)
		return NULL;
	v = &rs->vlan[rs->vlanmap[vlan] - 1];
	if (why != NULL)
		*why = v->loc;
	return &rs->dept[v->dept];
}

static void
decision_set(struct decision *why, const struct pstmt *p,
    const struct department *dept)
{
	why->verdict = p->verdict;
	why->level = p->level;
	why->dept = dept;
	why->loc.file = p->file;
	why->loc.line = p->line;
	why->loc.col = p->col;
}

enum verdict
rules_verdict(const struct ruleset *rs, const struct service *s,
    const struct department *dept, struct decision *why)
{
	struct decision tmp;
	const struct pstmt *p = NULL;
	size_t k, i;

	if (why == NULL)
		why = &tmp;
	memset(why, 0, sizeof(*why));
	if (s == NULL) {
		if (rs->unkdec != NULL) {
			decision_set(why, rs->unkdec, NULL);
			return why->verdict;
		}
		why->verdict = VERDICT_TOLERATED;
		why->level = RULE_BUILTIN;
		return why->verdict;
	}
	if (dept != NULL && rs->deptdec != NULL && dept >= rs->dept &&
	    dept < rs->dept + rs->ndept && s >= rs->svc &&
	    s < rs->svc + rs->nsvc) {
		k = (size_t)(dept - rs->dept);
		i = (size_t)(s - rs->svc);
		p = rs->deptdec[k * rs->nsvc + i];
	}
	if (p != NULL) {
		decision_set(why, p, dept);
		return why->verdict;
	}
	why->verdict = s->verdict;
	why->level = s->decided_by;
	why->loc.file = s->decided_file;
	why->loc.line = s->decided_line;
	why->loc.col = s->decided_col;
	return why->verdict;
}

enum verdict
rules_unknown_verdict(const struct ruleset *rs)
{
	return rules_verdict(rs, NULL, NULL, NULL);
}

size_t
rules_nthresholds(const struct ruleset *rs)
{
	return rs->nthr;
}

const struct threshold *
rules_threshold_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nthr ? &rs->thr[i] : NULL;
}

int
rules_threshold_applies(const struct threshold *t, const struct service *s,
    enum verdict v, const struct department *dept)
{
	if (t->dept != NULL && t->dept != dept)
		return 0;
	if (t->verdict != VERDICT_NONE && t->verdict != v)
		return 0;
	switch (t->scope) {
	case RULE_CATEGORY:
		return s != NULL && strcmp(s->category, t->id) == 0;
	case RULE_SERVICE:
		return s != NULL && strcmp(s->id, t->id) == 0;
	default:
		return 1;
	}
}

const struct rel_opts *
rules_reliability(const struct ruleset *rs)
{
	return &rs->rel;
}
