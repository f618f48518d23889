/* SPDX-License-Identifier: ISC */
/*
 * match.h: lookups against a loaded ruleset. Domain rules match on whole
 * labels only: "t.me" matches "t.me" and "x.t.me", never "tt.me". The
 * longest matching suffix wins; an exception suffix of a service removes
 * the match. Lookups do not allocate and are safe to call per flow.
 */
#ifndef SHADOWTAP_MATCH_H
#define SHADOWTAP_MATCH_H

#include "rules.h"

/*
 * Returns the service whose domain rules match name (already normalised by
 * hostname_norm()), or NULL when none does.
 */
const struct service *match_name(const struct ruleset *rs, const char *name);

/*
 * Like match_name, and also says why: *rule is set to the domain rule that
 * matched (NULL if none), *except to an "except" rule that stopped a
 * service from matching on the way (NULL if none). Either pointer may be
 * NULL.
 */
const struct service *match_name_why(const struct ruleset *rs,
		    const char *name, const struct rule_domain **rule,
		    const struct rule_domain **except);

/*
 * Builds the suffix index over every rule_domain of rs (rules.c calls this
 * once at load time). When two services list the same domain, the first
 * one in load order owns it. Returns the index; match_index_free frees it
 * (NULL is a no-op).
 */
struct match_index *match_index_new(const struct ruleset *rs);
void		 match_index_free(struct match_index *);

/*
 * Returns the "domains" rule that owns exactly this suffix (no label
 * walking), or NULL. Used to report domains listed twice.
 */
const struct rule_domain *match_index_domain(const struct match_index *,
		    const char *suffix);

#endif
