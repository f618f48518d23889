/* SPDX-License-Identifier: ISC */
/*
 * rules_load.c: the loader, above the parser and the match index. It
 * parses every source, resolves cross-references, builds the domain
 * index (match.h) and reports what the index shows listed twice; and it
 * frees a ruleset with its index. So the ruleset itself (rules.c) never
 * needs match.h, and match.c only reads rules.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/match.h"
#include "policy/rules.h"
#include "policy/rules_int.h"
#include "policy/rulesrc.h"
#include "base/health.h"
#include "base/util.h"

void
rules_free(struct ruleset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	match_index_free(rs->idx);
	instance_free(rs);
	for (i = 0; i < rs->nblocks; i++)
		free(rs->blocks[i]);
	free(rs->blocks);
	rules_strmap_free(&rs->svcmap);
	rules_strmap_free(&rs->catmap);
	free(rs->svc);
	free(rs->svcx);
	free(rs->cat);
	free(rs->dom);
	free(rs->pol);
	free(rs->ndiag);
	free(rs->item);
	free(rs->dept);
	free(rs->net);
	free(rs->lnet);
	free(rs->pick);
	free(rs->vlan);
	free(rs->vlanmap);
	free(rs->thr);
	free(rs->thrx);
	free(rs->deptdec);
	free(rs);
}

static size_t
file_rank_of(const struct ruleset *rs, const char *file)
{
	size_t i;

	for (i = 0; i < rs->npol; i++)
		if (rs->pol[i].file == file)
			return rs->pol[i].rank;
	for (i = 0; i < rs->nsvc; i++)
		if (rs->svc[i].file == file)
			return rs->svcx[i].rank;
	return rs->nfiles;
}

/*
 * Reports service keys and policy networks listed twice: the first one
 * in load order wins, the rest are warnings naming both places.
 */
static void
check_items(struct ruleset *rs, struct diags *d)
{
	static const char *const kinds[] = { "network", "AS number",
	    "JA4 fingerprint", "protocol", "port" };
	const struct rule_item *it, *own;
	const struct rule_net *n, *on;
	size_t i;

	for (i = 0; i < rs->nitem; i++) {
		it = &rs->item[i];
		own = match_index_item(rs->idx, it);
		if (own == NULL || own == it)
			continue;
		rerr(rs, d, it->loc.file, rs->svcx[it->service].rank,
		    it->loc.line, it->loc.col, DIAG_WARNING, "%s %s of "
		    "service \"%s\" is already listed by \"%s\" at %s:%d, "
		    "which wins", kinds[it->kind], it->text,
		    rs->svc[it->service].id, rs->svc[own->service].id,
		    own->loc.file, own->loc.line);
	}
	for (i = 0; i < rs->nnet; i++) {
		n = &rs->net[i];
		on = match_index_net(rs->idx, n);
		if (on == NULL || on == n)
			continue;
		if (n->dept == DEPT_NONE)
			rerr(rs, d, n->loc.file, file_rank_of(rs, n->loc.file),
			    n->loc.line, n->loc.col, DIAG_WARNING, "network "
			    "%s is already ignored at %s:%d", n->text,
			    on->loc.file, on->loc.line);
		else
			rerr(rs, d, n->loc.file, file_rank_of(rs, n->loc.file),
			    n->loc.line, n->loc.col, DIAG_WARNING, "subnet %s "
			    "of department \"%s\" is already given to \"%s\" "
			    "at %s:%d, which wins", n->text,
			    rs->dept[n->dept].name, rs->dept[on->dept].name,
			    on->loc.file, on->loc.line);
	}
}

/* Reports domains listed twice and exceptions that cannot apply. */
static void
check_domains(struct ruleset *rs, struct diags *d)
{
	const struct rule_domain *rd, *own;
	const char *s;
	size_t i;
	int ok;

	for (i = 0; i < rs->ndom; i++) {
		rd = &rs->dom[i];
		if (rd->except) {
			ok = 0;
			for (s = rd->name; s != NULL && !ok;
			    s = strchr(s, '.') != NULL ? strchr(s, '.') + 1 :
			    NULL) {
				own = match_index_domain(rs->idx, s);
				if (own != NULL && own->service == rd->service)
					ok = 1;
			}
			if (!ok)
				rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
				    rd->line, rd->col, DIAG_WARNING, "except "
				    "\"%s\" is not under any domain of service "
				    "\"%s\"; it has no effect", rd->name,
				    rs->svc[rd->service].id);
			continue;
		}
		own = match_index_domain(rs->idx, rd->name);
		if (own == NULL || own == rd)
			continue;
		if (own->service == rd->service)
			rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
			    rd->line, rd->col, DIAG_WARNING, "domain \"%s\" is "
			    "listed twice in service \"%s\"; first at %s:%d",
			    rd->name, rs->svc[rd->service].id, own->file,
			    own->line);
		else
			rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
			    rd->line, rd->col, DIAG_WARNING, "domain \"%s\" of "
			    "service \"%s\" is already listed by \"%s\" at "
			    "%s:%d, which wins", rd->name,
			    rs->svc[rd->service].id, rs->svc[own->service].id,
			    own->file, own->line);
	}
}

struct ruleset *
rules_parse_sources(const struct rules_sources *src, struct diags *d)
{
	struct ruleset *rs;
	size_t first = diags_count(d);

	rs = xcalloc(1, sizeof(*rs));
	health_opts_default(&rs->rel);
	rs->use.days = USE_DEF_DAYS;
	rs->use.upload = USE_DEF_UPLOAD;
	rules_parse_all(rs, src, d);
	rules_resolve_categories(rs, d);
	rules_resolve_policy(rs, d);
	rules_resolve_thresholds(rs, d);
	instance_resolve(rs, d);
	rs->idx = match_index_new(rs);
	check_domains(rs, d);
	check_items(rs, d);
	diags_sort_from(d, first);
	return rs;
}

struct ruleset *
rules_load_sources(const struct rules_sources *src, struct diags *d)
{
	struct ruleset *rs;
	size_t before = diags_errors(d);

	rs = rules_parse_sources(src, d);
	if (diags_errors(d) > before) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_parse(const char *const *paths, size_t npaths, struct diags *d)
{
	struct rules_sources src;
	struct ruleset *rs;

	memset(&src, 0, sizeof(src));
	rulesrc_read(&src, paths, npaths);
	rs = rules_parse_sources(&src, d);
	rulesrc_free(&src);
	return rs;
}

struct ruleset *
rules_load(const char *const *paths, size_t npaths, struct diags *d)
{
	struct ruleset *rs;
	size_t before = diags_errors(d);

	rs = rules_parse(paths, npaths, d);
	if (diags_errors(d) > before) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}
