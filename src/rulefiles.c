/* SPDX-License-Identifier: ISC */
/*
 * rulefiles.c: the rule files of a capture run, read and loaded the same
 * way at start-up, on a reload in the store, and on a reload without a
 * database (see rulefiles.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <string.h>

#include "base/log.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "rulefiles.h"

void
rulefiles_log_diags(const struct diags *d)
{
	const struct diag *g;
	char line[DIAG_LINE_MAX];
	size_t i;

	for (i = 0; (g = diags_at(d, i)) != NULL; i++)
		log_warnx("%s", diag_format(g, line, sizeof(line)));
}

void
rulefiles_read(const struct rulefiles *rf, struct rules_sources *src)
{
	const char *paths[2];
	struct stat st;
	size_t n = 0;

	memset(src, 0, sizeof(*src));
	paths[n++] = rf->rules_path;
	if (rf->policy_given || stat(rf->policy_path, &st) == 0)
		paths[n++] = rf->policy_path;
	rulesrc_read(src, paths, n);
}

struct ruleset *
rulefiles_load(const struct rulefiles *rf)
{
	struct rules_sources src;
	struct diags *d = diags_new();
	struct ruleset *rs;

	rulefiles_read(rf, &src);
	rs = rules_load_sources(&src, d);
	rulefiles_log_diags(d);
	diags_free(d);
	rulesrc_free(&src);
	return rs;
}
