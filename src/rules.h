/* SPDX-License-Identifier: ISC */
/*
 * rules.h: the rule language (doc/shadowtap.rules.5). Reads the service
 * catalog and the organisation's policy into an immutable struct ruleset.
 * Every problem in every file is collected as a diagnostic with
 * file:line:col; loading never exits and never stops at the first error.
 */
#ifndef SHADOWTAP_RULES_H
#define SHADOWTAP_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "defaults.h"
#include "verdict.h"

enum risk {
	RISK_UNSET = 0,
	RISK_LOW,
	RISK_MEDIUM,
	RISK_HIGH,
	RISK_CRITICAL,
};

const char	*risk_str(enum risk);

/* Which kind of policy statement decided a service's verdict. */
enum rule_level {
	RULE_BUILTIN = 0,	/* no statement: the built-in default */
	RULE_DEFAULT,		/* "default VERDICT" */
	RULE_CATEGORY,		/* "VERDICT category ID" */
	RULE_SERVICE,		/* "VERDICT service ID" */
};

struct service {
	char		 id[SERVICE_ID_MAX + 1];	/* "dropbox" */
	char		 name[96];			/* "Dropbox" */
	char		 vendor[96];			/* "" if not given */
	char		 category[CATEGORY_MAX + 1];	/* "file-sharing" */
	enum risk	 risk;
	char		 risk_notes[256];		/* "" if not given */
	enum verdict	 verdict;	/* the policy's decision (never NONE) */
	const char	*file;		/* where it was defined */
	int		 line;
	enum rule_level	 decided_by;	/* what set verdict */
	const char	*decided_file;	/* the statement; NULL if RULE_BUILTIN */
	int		 decided_line;
	int		 decided_col;
};

struct category {
	char		 id[CATEGORY_MAX + 1];		/* "file-sharing" */
	char		 name[96];			/* "File sharing" */
	char		 description[256];		/* "" if not given */
	const char	*file;
	int		 line;
};

/*
 * One "domains" or "except" suffix of a service, canonical form (no "*.",
 * lowercase). Strings are owned by the ruleset.
 */
struct rule_domain {
	const char	*name;
	size_t		 service;	/* index for rules_service_at() */
	int		 except;	/* 1 for an "except" suffix */
	const char	*file;
	int		 line;
	int		 col;
};

enum diag_level {
	DIAG_ERROR = 0,
	DIAG_WARNING,
};

struct diag {
	const char	*file;		/* owned by the diags list */
	int		 line;		/* 1-based */
	int		 col;		/* 1-based, in bytes */
	enum diag_level	 level;
	char		 msg[160];
};

struct diags;

struct diags	*diags_new(void);
void		 diags_free(struct diags *);
size_t		 diags_count(const struct diags *);
size_t		 diags_errors(const struct diags *);
const struct diag *diags_at(const struct diags *, size_t i);
/*
 * Prints every diagnostic, one per line, as
 * "file:line:col: error: message" or "file:line:col: warning: message".
 */
void		 diags_print(const struct diags *, FILE *);
/*
 * Appends a diagnostic; fmt is printf-like. file is copied. line 0 means
 * "the whole file" (printed as "file: error: message").
 */
void		 diags_add(struct diags *, enum diag_level, const char *file,
		    int line, int col, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));
/* Number of warnings (diags_count() - diags_errors()). */
size_t		 diags_warnings(const struct diags *);

struct ruleset;

/*
 * Loads the files named in paths. A path that is a directory contributes
 * every "*.rules" file in it, in name order; a path that is a file is read
 * whatever its name (so "policy.example" can be passed directly). Returns
 * the ruleset, or NULL when any file had an error; diagnostics (errors and
 * warnings) are appended to d either way. The caller owns the result.
 */
struct ruleset	*rules_load(const char *const *paths, size_t npaths,
		    struct diags *d);
/*
 * Like rules_load, but always returns what could be parsed, even when some
 * file had errors (for "rules check" and tests): broken blocks are left
 * out, everything else is usable. The caller owns the result.
 */
struct ruleset	*rules_parse(const char *const *paths, size_t npaths,
		    struct diags *d);
void		 rules_free(struct ruleset *);

size_t		 rules_nservices(const struct ruleset *);
/* Services in catalog order; i < rules_nservices(). */
const struct service *rules_service_at(const struct ruleset *, size_t i);
const struct service *rules_service_by_id(const struct ruleset *,
		    const char *id);
/* Number of distinct categories with at least one service. */
size_t		 rules_ncategories(const struct ruleset *);

/* Category blocks in load order (with or without services). */
size_t		 rules_ncategory_defs(const struct ruleset *);
const struct category *rules_category_at(const struct ruleset *, size_t i);
const struct category *rules_category_by_id(const struct ruleset *,
		    const char *id);

/* Domain and exception suffixes in load order; i < rules_ndomains(). */
size_t		 rules_ndomains(const struct ruleset *);
const struct rule_domain *rules_domain_at(const struct ruleset *, size_t i);

/* The policy's "default" verdict (VERDICT_UNSANCTIONED if none given). */
enum verdict	 rules_default_verdict(const struct ruleset *);

/* The domain index built by match.c at load time; never NULL. */
struct match_index;
const struct match_index *rules_index(const struct ruleset *);

#endif
