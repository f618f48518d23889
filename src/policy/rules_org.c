/* SPDX-License-Identifier: ISC */
/*
 * rules_org.c: what the policy says about the organisation itself rather
 * than about services: the categories where it picks one tool
 * ("pick-one"), its own networks ("local-networks", parsed with the
 * other network lists in rules_policy.c), and what counts as sustained
 * use of a service ("use").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

static const char *const pick_one_default[] = {
	"file-sharing", "cloud-storage", "messaging", "conferencing",
	"project-management", "notes", "password-manager", "genai",
};

/* "pick-one category ID..." (the ids need not be in the catalog) */
void
rules_stmt_pick_one(struct parser *ps)
{
	struct ruleset *rs = ps->rs;
	struct pick_one *p;
	size_t i;

	if (ps->ntok < 3 || ps->tok[1].type != T_WORD ||
	    strcmp(ps->tok[1].s, "category") != 0) {
		perr(ps, ps->ntok < 2 ? ps->tok[0].endcol : ps->tok[1].col,
		    "expected \"category ID...\" after \"pick-one\"");
		return;
	}
	for (i = 2; i < ps->ntok; i++) {
		if (rules_check_id(ps, &ps->tok[i], "category",
		    CATEGORY_MAX) == -1)
			continue;
		if (rs->npick == rs->cappick) {
			rs->cappick = rs->cappick ? rs->cappick * 2 : 8;
			rs->pick = xreallocarray(rs->pick, rs->cappick,
			    sizeof(*rs->pick));
		}
		p = &rs->pick[rs->npick++];
		p->id = rules_arena_dup(rs, ps->tok[i].s, ps->tok[i].len);
		p->loc.file = ps->file;
		p->loc.line = ps->line;
		p->loc.col = ps->tok[i].col;
	}
}

int
rules_pick_one(const struct ruleset *rs, const char *category,
    struct rule_loc *why)
{
	size_t i;

	if (why != NULL)
		memset(why, 0, sizeof(*why));
	for (i = 0; i < rs->npick; i++)
		if (strcmp(rs->pick[i].id, category) == 0) {
			if (why != NULL)
				*why = rs->pick[i].loc;
			return 1;
		}
	if (rs->npick > 0)
		return 0;
	for (i = 0; i < nitems(pick_one_default); i++)
		if (strcmp(pick_one_default[i], category) == 0)
			return 1;
	return 0;
}

size_t
rules_nlocal_nets(const struct ruleset *rs)
{
	return rs->nlnet;
}

const struct rule_net *
rules_local_net_at(const struct ruleset *rs, size_t i)
{
	return &rs->lnet[i];
}

/* "use sustained-days N" or "use sustained-upload SIZE" */
void
rules_stmt_use(struct parser *ps)
{
	struct ruleset *rs = ps->rs;
	struct rule_loc *at;
	const struct tok *k;
	uint64_t v = 0;
	size_t n;
	int days;

	if (ps->ntok < 2 || ps->tok[1].type != T_WORD ||
	    (strcmp(ps->tok[1].s, "sustained-days") != 0 &&
	    strcmp(ps->tok[1].s, "sustained-upload") != 0)) {
		perr(ps, ps->ntok < 2 ? ps->tok[0].endcol : ps->tok[1].col,
		    "expected \"sustained-days N\" or \"sustained-upload"
		    " SIZE\" after \"use\"");
		return;
	}
	k = &ps->tok[1];
	days = strcmp(k->s, "sustained-days") == 0;
	if (ps->ntok < 3) {
		perr(ps, k->endcol, "expected a value after \"%s\"", k->s);
		return;
	}
	if (days) {
		const struct tok *t = &ps->tok[2];
		size_t i;

		for (i = 0; i < t->len && t->type == T_WORD; i++) {
			if (t->s[i] < '0' || t->s[i] > '9' || v > 1000)
				break;
			v = v * 10 + (uint64_t)(t->s[i] - '0');
		}
		if (t->type != T_WORD || i != t->len || t->len == 0 ||
		    v == 0 || v > 366) {
			perr(ps, t->col, "\"sustained-days\" needs a whole"
			    " number of days from 1 to 366");
			return;
		}
		n = 1;
	} else if ((n = rules_parse_size(ps, 2, &v)) == 0)
		return;
	if (ps->ntok > 2 + n) {
		perr(ps, ps->tok[2 + n].col, "unexpected word after the"
		    " value");
		return;
	}
	at = days ? &rs->use.days_at : &rs->use.upload_at;
	if (at->file != NULL) {
		perr(ps, k->col, "use %s is already set at %s:%d", k->s,
		    at->file, at->line);
		return;
	}
	at->file = ps->file;
	at->line = ps->line;
	at->col = k->col;
	if (days)
		rs->use.days = (unsigned)v;
	else
		rs->use.upload = v;
}

const struct use_opts *
rules_use(const struct ruleset *rs)
{
	return &rs->use;
}
