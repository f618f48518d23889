/* SPDX-License-Identifier: ISC */
/*
 * instance.h: a service's instances (tenants, buckets, accounts), read
 * out of the host name with the catalog's "instance" patterns, and the
 * policy's "VERDICT service ID when instance is A, B" statements that
 * tell the organisation's own instances from everybody else's.
 */
#ifndef SHADOWTAP_INSTANCE_H
#define SHADOWTAP_INSTANCE_H

#include <stddef.h>

#include "base/defaults.h"
#include "policy/rules.h"

/* INSTANCE_MAX (base/defaults.h): one DNS label. */

/* An "instance" pattern of a service: "{tenant}-my.sharepoint.com". */
struct rule_instance {
	const char	*pattern;	/* canonical, lowercase */
	size_t		 service;	/* rules_service_at() index */
	struct rule_loc	 loc;
};

/*
 * The instance of service s that name (normalised by hostname_norm())
 * shows: the label the first of s's patterns that matches the whole name
 * puts in its first placeholder, unless s's "instance-except" lists it.
 * Writes it to buf (INSTANCE_MAX + 1 bytes hold any) and returns 1, or
 * writes "" and returns 0. *why (if not NULL) is set to the pattern, or
 * NULL. Pure: no allocation.
 */
int		 instance_find(const struct ruleset *, const struct service *s,
		    const char *name, char *buf, size_t len,
		    const struct rule_instance **why);

/*
 * The policy's decision for instance inst ("" none) of service s. When
 * the policy names instances of s ("when instance is"), a listed one gets
 * its statement's verdict (returns INSTANCE_LISTED), any other one the
 * "when instance is any other" verdict (INSTANCE_OTHER), or unsanctioned
 * if none is given (INSTANCE_BUILTIN: why->loc is then the first "when
 * instance is" statement of s); *why says so. Otherwise, or for inst "",
 * returns 0 and leaves *why alone: the rest of the policy decides.
 */
#define INSTANCE_LISTED		1
#define INSTANCE_OTHER		2
#define INSTANCE_BUILTIN	3
int		 instance_decide(const struct ruleset *,
		    const struct service *s, const char *inst,
		    struct decision *why);

/*
 * 1 when the policy names instances of s and inst is not one of them:
 * another organisation's tenant, somebody's own bucket.
 */
int		 instance_is_other(const struct ruleset *,
		    const struct service *s, const char *inst);

/* Patterns in load order. */
size_t		 instance_npatterns(const struct ruleset *);
const struct rule_instance *instance_pattern_at(const struct ruleset *,
		    size_t i);

#endif
