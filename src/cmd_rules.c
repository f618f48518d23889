/* SPDX-License-Identifier: ISC */
/*
 * cmd_rules.c: "shadowtap rules check|list|match". Lints the catalog and
 * the policy (the "ntpd -n" of shadowtap), lists the services with the
 * policy's decision for each, and explains which rule a host name hits.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "hostname.h"
#include "log.h"
#include "match.h"
#include "paths.h"
#include "rules.h"
#include "util.h"

#define RULES_PATHS_MAX	64	/* --rules options per invocation */

static void
usage_top(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules check [PATH...]\n"
	    "       shadowtap rules list [--category ID] [--rules PATH]...\n"
	    "       shadowtap rules match [--rules PATH]... NAME...\n"
	    "\n"
	    "Check, list and try out the service catalog and the policy\n"
	    "(see shadowtap.rules(5)). Without PATH or --rules, the catalog\n"
	    "directory %s and the policy %s are used.\n",
	    paths_rules_dir(), paths_policy_file());
}

static void
usage_check(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules check [PATH...]\n"
	    "\n"
	    "Reads every PATH (a directory contributes its *.rules files)\n"
	    "and prints every problem as file:line:col: error|warning: text,\n"
	    "then a summary line. Exit status: 0 without errors, 2 with.\n");
}

static void
usage_list(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules list [--category ID] [--rules PATH]...\n"
	    "\n"
	    "Prints one service per line: id, category, name and the\n"
	    "policy's decision, separated by tabs.\n");
}

static void
usage_match(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules match [--rules PATH]... NAME...\n"
	    "\n"
	    "Shows the service, category and decision each host NAME gets,\n"
	    "and the rules that decided them. Exit status: 0 when every\n"
	    "NAME matched, 1 when one did not, 2 on bad rules or names.\n");
}

/* Fills paths with the defaults; the policy only if it exists. */
static size_t
default_paths(const char **paths)
{
	size_t n = 0;
	const char *pol;

	paths[n++] = paths_rules_dir();
	pol = paths_policy_file();
	if (pol != NULL && access(pol, F_OK) == 0)
		paths[n++] = pol;
	return n;
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int
rules_check(int argc, char **argv)
{
	const char *paths[RULES_PATHS_MAX + 2];
	struct diags *d;
	struct ruleset *rs;
	size_t n = 0, nerr, nwarn, nsvc, ncat;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage_check(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			log_warnx("rules check: unknown option %s", argv[i]);
			usage_check(stderr);
			return EXIT_USAGE;
		}
		break;
	}
	for (; i < argc; i++) {
		if (n == RULES_PATHS_MAX) {
			log_warnx("rules check: too many paths (at most %d)",
			    RULES_PATHS_MAX);
			return EXIT_USAGE;
		}
		paths[n++] = argv[i];
	}
	if (n == 0)
		n = default_paths(paths);
	d = diags_new();
	rs = rules_parse(paths, n, d);
	diags_print(d, stderr);
	fflush(stderr);
	nerr = diags_errors(d);
	nwarn = diags_warnings(d);
	nsvc = rules_nservices(rs);
	ncat = rules_ncategories(rs);
	printf("rules: %zu %s in %zu %s, %zu %s, %zu %s\n",
	    nsvc, plural(nsvc, "service", "services"),
	    ncat, plural(ncat, "category", "categories"),
	    nerr, plural(nerr, "error", "errors"),
	    nwarn, plural(nwarn, "warning", "warnings"));
	rules_free(rs);
	diags_free(d);
	return nerr > 0 ? EXIT_USAGE : EXIT_OK;
}

/*
 * Parses the options shared by list and match. Returns the index of the
 * first operand, or -1 after printing a usage error, or -2 for --help.
 */
static int
common_opts(int argc, char **argv, const char **paths, size_t *npaths,
    const char **category, void (*usage)(FILE *))
{
	const char *arg;
	int i;

	*npaths = 0;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(stdout);
			return -2;
		}
		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-' || arg[1] == '\0')
			return i;
		if (strcmp(arg, "--rules") == 0 ||
		    (category != NULL && strcmp(arg, "--category") == 0)) {
			if (i + 1 >= argc) {
				log_warnx("rules %s: %s needs a value",
				    argv[0], arg);
				usage(stderr);
				return -1;
			}
			i++;
		} else if (strncmp(arg, "--rules=", 8) != 0 &&
		    (category == NULL || strncmp(arg, "--category=", 11) != 0)) {
			log_warnx("rules %s: unknown option %s", argv[0], arg);
			usage(stderr);
			return -1;
		}
		if (strncmp(arg, "--rules", 7) == 0) {
			if (*npaths == RULES_PATHS_MAX) {
				log_warnx("rules %s: too many --rules",
				    argv[0]);
				return -1;
			}
			paths[(*npaths)++] = arg[7] == '=' ? arg + 8 : argv[i];
		} else
			*category = arg[10] == '=' ? arg + 11 : argv[i];
	}
	return i;
}

static struct ruleset *
load_or_report(const char **paths, size_t n)
{
	struct diags *d;
	struct ruleset *rs;

	if (n == 0)
		n = default_paths(paths);
	d = diags_new();
	rs = rules_load(paths, n, d);
	diags_print(d, stderr);
	if (rs == NULL)
		log_warnx("rules: %zu %s; run \"shadowtap rules check\"",
		    diags_errors(d), plural(diags_errors(d), "error",
		    "errors"));
	diags_free(d);
	return rs;
}

static int
rules_list(int argc, char **argv)
{
	const char *paths[RULES_PATHS_MAX + 2], *category = NULL;
	const struct service *s;
	struct ruleset *rs;
	size_t n, i;
	int first;

	first = common_opts(argc, argv, paths, &n, &category, usage_list);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc) {
		log_warnx("rules list: unexpected argument %s", argv[first]);
		usage_list(stderr);
		return EXIT_USAGE;
	}
	if ((rs = load_or_report(paths, n)) == NULL)
		return EXIT_USAGE;
	if (category != NULL && rules_category_by_id(rs, category) == NULL) {
		log_warnx("rules list: unknown category %s", category);
		rules_free(rs);
		return EXIT_USAGE;
	}
	for (i = 0; i < rules_nservices(rs); i++) {
		s = rules_service_at(rs, i);
		if (category != NULL && strcmp(s->category, category) != 0)
			continue;
		printf("%s\t%s\t%s\t%s\n", s->id, s->category, s->name,
		    verdict_str(s->verdict));
	}
	rules_free(rs);
	return EXIT_OK;
}

static void
explain_decision(const struct service *s)
{
	switch (s->decided_by) {
	case RULE_BUILTIN:
		printf("  decided by the built-in default (%s)\n",
		    verdict_str(s->verdict));
		break;
	case RULE_DEFAULT:
		printf("  decided by \"default %s\" at %s:%d:%d\n",
		    verdict_str(s->verdict), s->decided_file, s->decided_line,
		    s->decided_col);
		break;
	case RULE_CATEGORY:
		printf("  decided by \"%s category %s\" at %s:%d:%d\n",
		    verdict_str(s->verdict), s->category, s->decided_file,
		    s->decided_line, s->decided_col);
		break;
	case RULE_SERVICE:
		printf("  decided by \"%s service %s\" at %s:%d:%d\n",
		    verdict_str(s->verdict), s->id, s->decided_file,
		    s->decided_line, s->decided_col);
		break;
	}
}

static int
rules_match(int argc, char **argv)
{
	const char *paths[RULES_PATHS_MAX + 2];
	const struct rule_domain *rule, *except;
	const struct service *s;
	struct ruleset *rs;
	char name[HOSTNAME_SIZE];
	size_t n;
	int first, i, rc = EXIT_OK;

	first = common_opts(argc, argv, paths, &n, NULL, usage_match);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc) {
		log_warnx("rules match: no host name given");
		usage_match(stderr);
		return EXIT_USAGE;
	}
	if ((rs = load_or_report(paths, n)) == NULL)
		return EXIT_USAGE;
	for (i = first; i < argc; i++) {
		if (hostname_norm(name, sizeof(name),
		    (const uint8_t *)argv[i], strlen(argv[i]), 0) == -1) {
			log_warnx("rules match: not a host name: %s", argv[i]);
			rc = EXIT_USAGE;
			continue;
		}
		s = match_name_why(rs, name, &rule, &except);
		if (s == NULL) {
			printf("%s: no match\n", name);
			if (except != NULL)
				printf("  \"except %s\" of %s at %s:%d:%d "
				    "removed it\n", except->name,
				    rules_service_at(rs, except->service)->id,
				    except->file, except->line, except->col);
			if (rc == EXIT_OK)
				rc = EXIT_RUNTIME;
			continue;
		}
		printf("%s: %s (%s), category %s, %s\n", name, s->id, s->name,
		    s->category, verdict_str(s->verdict));
		printf("  matched \"%s\" at %s:%d:%d\n", rule->name,
		    rule->file, rule->line, rule->col);
		if (except != NULL)
			printf("  after \"except %s\" of %s at %s:%d:%d\n",
			    except->name,
			    rules_service_at(rs, except->service)->id,
			    except->file, except->line, except->col);
		explain_decision(s);
	}
	rules_free(rs);
	return rc;
}

int
cmd_rules(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		usage_top(stderr);
		return EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
	    strcmp(sub, "help") == 0) {
		usage_top(stdout);
		return EXIT_OK;
	}
	if (strcmp(sub, "check") == 0)
		return rules_check(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return rules_list(argc - 1, argv + 1);
	if (strcmp(sub, "match") == 0)
		return rules_match(argc - 1, argv + 1);
	log_warnx("rules: unknown subcommand %s", sub);
	usage_top(stderr);
	return EXIT_USAGE;
}
