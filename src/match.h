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

#endif
