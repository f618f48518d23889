/* SPDX-License-Identifier: ISC */
/*
 * rulefiles.h: where a capture run's rules come from: the catalog
 * directory, then the policy file (when it was given, or when the
 * installed one exists). Both processes load them from here; problems go
 * to the log with their file:line:col.
 */
#ifndef SHADOWTAP_RULEFILES_H
#define SHADOWTAP_RULEFILES_H

struct diags;
struct ruleset;
struct rules_sources;

struct rulefiles {
	const char	*rules_path;	/* -R, or the installed directory */
	const char	*policy_path;	/* -P, or the installed file */
	int		 policy_given;	/* -P: it must exist */
};

/* Reads the files' bytes into *src (rulesrc.h; rulesrc_free() it). */
void		 rulefiles_read(const struct rulefiles *, struct rules_sources *src);

/* Reads and parses them; every diagnostic is logged. NULL on errors. */
struct ruleset	*rulefiles_load(const struct rulefiles *);

/* Logs each diagnostic as "file:line:col: message". */
void		 rulefiles_log_diags(const struct diags *);

#endif
