/* SPDX-License-Identifier: ISC */
/*
 * rules_org.c: what the policy says about the organisation itself rather
 * than about services: the categories where it picks one tool
 * ("pick-one"), and its own networks ("local-networks", parsed with the
 * other network lists in rules_policy.c).
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
