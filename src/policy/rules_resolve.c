/* SPDX-License-Identifier: ISC */
/*
 * rules_resolve.c: what is decided once every file is read. Resolves the
 * categories services name and the ids of policy statements and upload
 * alerts, applies the policy's precedence (service over category over
 * default, a later file over an earlier one, a department's own
 * statements first) and maps VLANs to departments.
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

void
rules_resolve_categories(struct ruleset *rs, struct diags *d)
{
	char dy[QUOTE_MAX * 4 + 32];
	struct suggest sg;
	unsigned char *used;
	struct service *s;
	size_t i, j, ci;

	used = xcalloc(rs->ncat + 1, 1);
	for (i = 0; i < rs->nsvc; i++) {
		s = &rs->svc[i];
		if (s->category[0] == '\0')
			continue;
		if (rules_strmap_get(&rs->catmap, s->category, &ci)) {
			if (!used[ci])
				rs->ncatused++;
			used[ci] = 1;
			continue;
		}
		sg.best = NULL;
		sg.dist = 0;
		for (j = 0; j < rs->ncat; j++)
			rules_suggest_try(&sg, s->category, rs->cat[j].id);
		rerr(rs, d, s->file, rs->svcx[i].rank, rs->svcx[i].catline,
		    rs->svcx[i].catcol, DIAG_ERROR, "unknown category \"%s\"%s",
		    s->category, didyoumean(dy, sizeof(dy), sg.best));
	}
	free(used);
}

static int
pstmt_cmp(const void *a, const void *b)
{
	const struct pstmt *x = *(const struct pstmt *const *)a;
	const struct pstmt *y = *(const struct pstmt *const *)b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if (x->id != NULL && y->id != NULL && (c = strcmp(x->id, y->id)) != 0)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *
level_word(enum rule_level l)
{
	return l == RULE_SERVICE ? "service" : l == RULE_CATEGORY ?
	    "category" : l == RULE_UNKNOWN ? "unknown" : "default";
}

/*
 * One pass over the sorted statements of department dept (DEPT_NONE: the
 * organisation-wide ones): resolves ids, reports conflicts, and leaves the
 * deciding statement per service, per category, for "default" and for
 * "unknown".
 */
static void
decide(struct ruleset *rs, struct diags *d, const struct pstmt **sorted,
    size_t dept, const struct pstmt **svcdec, const struct pstmt **catdec,
    const struct pstmt **def, const struct pstmt **unk)
{
	char dy[QUOTE_MAX * 4 + 32];
	const struct pstmt *p, *q;
	struct suggest sg;
	size_t i, j, idx = 0;

	for (i = 0; i < rs->npol; i++) {
		p = sorted[i];
		if (p->dept != dept)
			continue;
		if (p->level == RULE_SERVICE &&
		    !rules_strmap_get(&rs->svcmap, p->id, &idx)) {
			sg.best = NULL;
			sg.dist = 0;
			if (rs->ndiag[p->rank] < RULES_DIAGS_MAX)
				for (j = 0; j < rs->nsvc; j++)
					rules_suggest_try(&sg, p->id,
					    rs->svc[j].id);
			rerr(rs, d, p->file, p->rank, p->line, p->col,
			    DIAG_ERROR, "unknown service \"%s\"%s", p->id,
			    didyoumean(dy, sizeof(dy), sg.best));
			continue;
		}
		if (p->level == RULE_CATEGORY &&
		    !rules_strmap_get(&rs->catmap, p->id, &idx)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->ncat; j++)
				rules_suggest_try(&sg, p->id, rs->cat[j].id);
			rerr(rs, d, p->file, p->rank, p->line, p->col,
			    DIAG_ERROR, "unknown category \"%s\"%s", p->id,
			    didyoumean(dy, sizeof(dy), sg.best));
			continue;
		}
		q = p->level == RULE_SERVICE ? svcdec[idx] :
		    p->level == RULE_CATEGORY ? catdec[idx] :
		    p->level == RULE_UNKNOWN ? *unk : *def;
		if (q != NULL && q->rank == p->rank) {
			if (q->verdict != p->verdict)
				rerr(rs, d, p->file, p->rank, p->line, p->col,
				    DIAG_ERROR, "conflicting decision for "
				    "%s%s%s: %s here, %s on line %d",
				    level_word(p->level), p->id ? " " : "",
				    p->id ? p->id : "", verdict_str(p->verdict),
				    verdict_str(q->verdict), q->line);
			else
				rerr(rs, d, p->file, p->rank, p->line, p->col,
				    DIAG_WARNING, "%s%s%s is already %s on "
				    "line %d", level_word(p->level),
				    p->id ? " " : "", p->id ? p->id : "",
				    verdict_str(q->verdict), q->line);
			continue;
		}
		if (p->level == RULE_SERVICE)
			svcdec[idx] = p;
		else if (p->level == RULE_CATEGORY)
			catdec[idx] = p;
		else if (p->level == RULE_UNKNOWN)
			*unk = p;
		else
			*def = p;
	}
}

/*
 * Applies the policy: a service statement beats a category statement,
 * which beats "default"; at the same level a later file beats an earlier
 * one, and two different decisions in one file are an error. Then each
 * department's own statements are resolved the same way into deptdec.
 */
void
rules_resolve_policy(struct ruleset *rs, struct diags *d)
{
	const struct pstmt **sorted, **catdec, **svcdec, *p, *def = NULL;
	const struct pstmt *unk = NULL;
	struct service *s;
	size_t i, k, idx;

	sorted = xreallocarray(NULL, rs->npol + 1, sizeof(*sorted));
	catdec = xcalloc(rs->ncat + 1, sizeof(*catdec));
	svcdec = xcalloc(rs->nsvc + 1, sizeof(*svcdec));
	for (i = 0; i < rs->npol; i++)
		sorted[i] = &rs->pol[i];
	qsort(sorted, rs->npol, sizeof(*sorted), pstmt_cmp);
	decide(rs, d, sorted, DEPT_NONE, svcdec, catdec, &def, &unk);
	rs->defverdict = def != NULL ? def->verdict : VERDICT_UNSANCTIONED;
	rs->unkdec = unk;
	for (i = 0; i < rs->nsvc; i++) {
		s = &rs->svc[i];
		p = svcdec[i];
		if (p == NULL && rules_strmap_get(&rs->catmap, s->category,
		    &idx))
			p = catdec[idx];
		if (p == NULL)
			p = def;
		if (p == NULL) {
			s->verdict = VERDICT_UNSANCTIONED;
			s->decided_by = RULE_BUILTIN;
			s->decided_file = NULL;
			s->decided_line = 0;
			s->decided_col = 0;
		} else {
			s->verdict = p->verdict;
			s->decided_by = p->level;
			s->decided_file = p->file;
			s->decided_line = p->line;
			s->decided_col = p->col;
		}
	}
	if (rs->ndept > 0 && rs->nsvc > 0)
		rs->deptdec = xcalloc(rs->ndept * rs->nsvc,
		    sizeof(*rs->deptdec));
	for (k = 0; k < rs->ndept; k++) {
		memset(svcdec, 0, (rs->nsvc + 1) * sizeof(*svcdec));
		memset(catdec, 0, (rs->ncat + 1) * sizeof(*catdec));
		def = unk = NULL;
		decide(rs, d, sorted, k, svcdec, catdec, &def, &unk);
		for (i = 0; i < rs->nsvc; i++) {
			p = svcdec[i];
			if (p == NULL && rules_strmap_get(&rs->catmap,
			    rs->svc[i].category, &idx))
				p = catdec[idx];
			rs->deptdec[k * rs->nsvc + i] = p;
		}
	}
	free(sorted);
	free(catdec);
	free(svcdec);
}

/*
 * Resolves thresholds (ids and departments) and the VLAN map; reports
 * unknown ids and VLANs given to two departments.
 */
void
rules_resolve_thresholds(struct ruleset *rs, struct diags *d)
{
	char dy[QUOTE_MAX * 4 + 32];
	struct threshold *t;
	struct vlanent *v, *w;
	struct suggest sg;
	size_t i, j;

	for (i = 0; i < rs->nthr; i++) {
		t = &rs->thr[i];
		t->dept = rs->thrx[i].dept == DEPT_NONE ? NULL :
		    &rs->dept[rs->thrx[i].dept];
		if (t->scope == RULE_SERVICE &&
		    !rules_strmap_get(&rs->svcmap, t->id, NULL)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->nsvc; j++)
				rules_suggest_try(&sg, t->id, rs->svc[j].id);
			rerr(rs, d, t->loc.file, rs->thrx[i].rank, t->loc.line,
			    t->loc.col, DIAG_ERROR, "unknown service "
			    "\"%s\"%s", t->id, didyoumean(dy, sizeof(dy),
			    sg.best));
		} else if (t->scope == RULE_CATEGORY &&
		    !rules_strmap_get(&rs->catmap, t->id, NULL)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->ncat; j++)
				rules_suggest_try(&sg, t->id, rs->cat[j].id);
			rerr(rs, d, t->loc.file, rs->thrx[i].rank, t->loc.line,
			    t->loc.col, DIAG_ERROR, "unknown category "
			    "\"%s\"%s", t->id, didyoumean(dy, sizeof(dy),
			    sg.best));
		}
	}
	if (rs->nvlan == 0)
		return;
	rs->vlanmap = xcalloc(VLAN_MAX + 1, sizeof(*rs->vlanmap));
	for (i = 0; i < rs->nvlan; i++) {
		v = &rs->vlan[i];
		if (rs->vlanmap[v->vlan] == 0) {
			rs->vlanmap[v->vlan] = (uint32_t)i + 1;
			continue;
		}
		w = &rs->vlan[rs->vlanmap[v->vlan] - 1];
		rerr(rs, d, v->loc.file, v->rank, v->loc.line, v->loc.col,
		    DIAG_WARNING, "VLAN %u of department \"%s\" is already "
		    "given to \"%s\" at %s:%d, which wins", v->vlan,
		    rs->dept[v->dept].name, rs->dept[w->dept].name,
		    w->loc.file, w->loc.line);
	}
}
