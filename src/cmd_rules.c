/* SPDX-License-Identifier: ISC */
/*
 * cmd_rules.c: "shadowtap rules check|list|match|explain". Lints the
 * catalog and the policy (the "ntpd -n" of shadowtap), lists the services
 * with the policy's decision for each, and explains which rule lines
 * decide what a host name or an address gets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "policy/geo.h"
#include "base/hostname.h"
#include "base/log.h"
#include "policy/match.h"
#include "base/paths.h"
#include "policy/rules.h"
#include "base/util.h"

#define RULES_PATHS_MAX	64	/* --rules options per invocation */

static void
usage_top(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules check [PATH...]\n"
	    "       shadowtap rules list [--category ID] [--rules PATH]...\n"
	    "       shadowtap rules match [--rules PATH]... NAME...\n"
	    "       shadowtap rules explain [--rules PATH]... [--department D]\n"
	    "           [--geoip-asn MMDB] [--geoip-country MMDB] [--vlan N]\n"
	    "           NAME|IP...\n"
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

static void
usage_explain(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules explain [--rules PATH]... [--department D]\n"
	    "           [--geoip-asn MMDB] [--geoip-country MMDB] [--vlan N]\n"
	    "           NAME|IP...\n"
	    "\n"
	    "For each host NAME or IP address, shows the service, category\n"
	    "and policy decision, and every rule line (file:line:col) that\n"
	    "decided them: the domain, except, network or AS rule, the\n"
	    "department and the policy statement. An address is also looked\n"
	    "up in the MMDB files given. Exit status: 0 when every operand\n"
	    "matched a service, 1 when one did not, 2 on bad rules or input.\n");
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
			(void)cmd_usage_error("rules check");
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

/* A usage error's second line, for "rules SUB". */
static void
try_help(const char *sub)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rules %s", sub);
	(void)cmd_usage_error(cmd);
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
				try_help(argv[0]);
				return -1;
			}
			i++;
		} else if (strncmp(arg, "--rules=", 8) != 0 &&
		    (category == NULL || strncmp(arg, "--category=", 11) != 0)) {
			log_warnx("rules %s: unknown option %s", argv[0], arg);
			try_help(argv[0]);
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
		(void)cmd_usage_error("rules list");
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

/* Prints the statement behind a decision for service s (NULL: unknown). */
static void
print_decision(const struct service *s, const struct decision *dc)
{
	char in[96] = "";

	if (dc->dept != NULL)
		snprintf(in, sizeof(in), " in department \"%s\"",
		    dc->dept->name);
	switch (dc->level) {
	case RULE_BUILTIN:
		printf("  decided by the built-in default for %s (%s)\n",
		    s != NULL ? "services" : "unclassified names",
		    verdict_str(dc->verdict));
		break;
	case RULE_DEFAULT:
		printf("  decided by \"default %s\" at %s:%d:%d\n",
		    verdict_str(dc->verdict), dc->loc.file, dc->loc.line,
		    dc->loc.col);
		break;
	case RULE_UNKNOWN:
		printf("  decided by \"unknown %s\" at %s:%d:%d\n",
		    verdict_str(dc->verdict), dc->loc.file, dc->loc.line,
		    dc->loc.col);
		break;
	case RULE_CATEGORY:
		printf("  decided by \"%s category %s\"%s at %s:%d:%d\n",
		    verdict_str(dc->verdict), s->category, in, dc->loc.file,
		    dc->loc.line, dc->loc.col);
		break;
	case RULE_SERVICE:
		printf("  decided by \"%s service %s\"%s at %s:%d:%d\n",
		    verdict_str(dc->verdict), s->id, in, dc->loc.file,
		    dc->loc.line, dc->loc.col);
		break;
	}
}

static void
explain_decision(const struct ruleset *rs, const struct service *s)
{
	struct decision dc;

	rules_verdict(rs, s, NULL, &dc);
	print_decision(s, &dc);
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
		(void)cmd_usage_error("rules match");
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
		explain_decision(rs, s);
	}
	rules_free(rs);
	return rc;
}

struct explain_opts {
	const char		*paths[RULES_PATHS_MAX + 2];
	size_t			 npaths;
	const char		*dept;
	const char		*asn_mmdb;
	const char		*country_mmdb;
	unsigned		 vlan;
};

/* Returns the index of the first operand, -1 on error, -2 for --help. */
static int
explain_opts(int argc, char **argv, struct explain_opts *o)
{
	const char *arg, *val;
	char *end;
	unsigned long v;
	size_t klen;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage_explain(stdout);
			return -2;
		}
		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-' || arg[1] == '\0')
			return i;
		klen = strcspn(arg, "=");
		if (arg[klen] == '=')
			val = arg + klen + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			log_warnx("rules explain: %s needs a value", arg);
			(void)cmd_usage_error("rules explain");
			return -1;
		}
		if (strncmp(arg, "--rules", klen) == 0 && klen == 7) {
			if (o->npaths == RULES_PATHS_MAX) {
				log_warnx("rules explain: too many --rules");
				try_help("explain");
				return -1;
			}
			o->paths[o->npaths++] = val;
		} else if (klen == 12 && strncmp(arg, "--department", 12) == 0)
			o->dept = val;
		else if (klen == 11 && strncmp(arg, "--geoip-asn", 11) == 0)
			o->asn_mmdb = val;
		else if (klen == 15 && strncmp(arg, "--geoip-country", 15) == 0)
			o->country_mmdb = val;
		else if (klen == 6 && strncmp(arg, "--vlan", 6) == 0) {
			errno = 0;
			v = strtoul(val, &end, 10);
			if (*val == '\0' || *end != '\0' || errno != 0 ||
			    v < 1 || v > 4094) {
				log_warnx("rules explain: bad VLAN %s", val);
				try_help("explain");
				return -1;
			}
			o->vlan = (unsigned)v;
		} else {
			log_warnx("rules explain: unknown option %s", arg);
			(void)cmd_usage_error("rules explain");
			return -1;
		}
	}
	return i;
}

static void
print_item(const char *what, const struct rule_item *it)
{
	printf("  matched %s %s at %s:%d:%d\n", what, it->text, it->loc.file,
	    it->loc.line, it->loc.col);
}

static int
explain_addr(const struct ruleset *rs, const struct geo *geo,
    const struct explain_opts *o, const char *text, int family,
    const uint8_t *addr)
{
	const struct department *dept;
	const struct rule_item *why = NULL;
	const struct service *s;
	struct geo_info gi;
	struct decision dc;
	struct rule_loc loc;
	int have_geo = 0;

	struct rule_loc ign;
	int ignored;

	ignored = match_ignored(rs, family, addr, &ign);
	dept = match_department(rs, family, addr, o->vlan, &loc);
	if (dept == NULL && o->dept != NULL)
		dept = rules_department_by_name(rs, o->dept);
	if (geo != NULL && geo_lookup(geo, family, addr, &gi) == 1)
		have_geo = 1;
	s = match_addr(rs, family, addr, &why);
	if (s == NULL && have_geo && gi.asn != 0)
		s = match_asn(rs, gi.asn, &why);
	rules_verdict(rs, s, dept, &dc);
	if (s != NULL)
		printf("%s: %s (%s), category %s, %s\n", text, s->id, s->name,
		    s->category, verdict_str(dc.verdict));
	else
		printf("%s: no service, %s as unclassified\n", text,
		    verdict_str(dc.verdict));
	if (ignored)
		printf("  ignored by \"ignore networks\" at %s:%d:%d: traffic "
		    "to and from it is not recorded\n", ign.file, ign.line,
		    ign.col);
	if (have_geo)
		printf("  country %s, AS%u %s\n", gi.country[0] != '\0' ?
		    gi.country : "unknown", gi.asn, gi.as_org[0] != '\0' ?
		    gi.as_org : "(no name)");
	if (dept != NULL && loc.file != NULL)
		printf("  department \"%s\" from %s:%d:%d\n", dept->name,
		    loc.file, loc.line, loc.col);
	else if (dept != NULL)
		printf("  department \"%s\" (--department)\n", dept->name);
	if (why != NULL)
		print_item(why->kind == RULE_IP ? "network" : "AS number", why);
	print_decision(s, &dc);
	return s != NULL ? EXIT_OK : EXIT_RUNTIME;
}

static int
explain_name(const struct ruleset *rs, const struct explain_opts *o,
    const char *name)
{
	const struct rule_domain *rule, *except;
	const struct department *dept = NULL;
	const struct service *s;
	struct decision dc;
	char reg[HOSTNAME_SIZE];

	if (o->dept != NULL)
		dept = rules_department_by_name(rs, o->dept);
	s = match_name_why(rs, name, &rule, &except);
	rules_verdict(rs, s, dept, &dc);
	if (s == NULL) {
		if (match_registrable_domain(name, reg, sizeof(reg)) == -1)
			strlcpy(reg, name, sizeof(reg));
		printf("%s: no service, %s as unclassified; reported under "
		    "%s\n", name, verdict_str(dc.verdict), reg);
	} else {
		printf("%s: %s (%s), category %s, %s\n", name, s->id,
		    s->name, s->category, verdict_str(dc.verdict));
		printf("  matched domain \"%s\" at %s:%d:%d\n", rule->name,
		    rule->file, rule->line, rule->col);
	}
	if (except != NULL)
		printf("  %s \"except %s\" of %s at %s:%d:%d\n",
		    s == NULL ? "removed by" : "after", except->name,
		    rules_service_at(rs, except->service)->id, except->file,
		    except->line, except->col);
	if (dept != NULL)
		printf("  department \"%s\" (--department)\n", dept->name);
	print_decision(s, &dc);
	return s != NULL ? EXIT_OK : EXIT_RUNTIME;
}

static int
rules_explain(int argc, char **argv)
{
	struct explain_opts o;
	struct ruleset *rs;
	struct geo *geo = NULL;
	uint8_t addr[16];
	char name[HOSTNAME_SIZE], err[256];
	int first, i, r, rc = EXIT_OK;

	first = explain_opts(argc, argv, &o);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc) {
		log_warnx("rules explain: no host name or address given");
		(void)cmd_usage_error("rules explain");
		return EXIT_USAGE;
	}
	if ((rs = load_or_report(o.paths, o.npaths)) == NULL)
		return EXIT_USAGE;
	if (o.dept != NULL && rules_department_by_name(rs, o.dept) == NULL) {
		log_warnx("rules explain: unknown department %s", o.dept);
		rules_free(rs);
		return EXIT_USAGE;
	}
	if ((o.asn_mmdb != NULL || o.country_mmdb != NULL) &&
	    (geo = geo_open(o.country_mmdb, o.asn_mmdb, err,
	    sizeof(err))) == NULL) {
		log_warnx("rules explain: %s", err);
		rules_free(rs);
		return EXIT_USAGE;
	}
	for (i = first; i < argc; i++) {
		if (inet_pton(AF_INET, argv[i], addr) == 1)
			r = explain_addr(rs, geo, &o, argv[i], AF_INET, addr);
		else if (inet_pton(AF_INET6, argv[i], addr) == 1)
			r = explain_addr(rs, geo, &o, argv[i], AF_INET6, addr);
		else if (hostname_norm(name, sizeof(name),
		    (const uint8_t *)argv[i], strlen(argv[i]), 0) == -1) {
			log_warnx("rules explain: not a host name or address: "
			    "%s", argv[i]);
			r = EXIT_USAGE;
		} else
			r = explain_name(rs, &o, name);
		if (r == EXIT_USAGE || (r == EXIT_RUNTIME && rc == EXIT_OK))
			rc = r;
	}
	geo_free(geo);
	rules_free(rs);
	return rc;
}

int
cmd_rules(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		(void)cmd_usage_error("rules");
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
	if (strcmp(sub, "explain") == 0)
		return rules_explain(argc - 1, argv + 1);
	log_warnx("rules: unknown subcommand %s", sub);
	(void)cmd_usage_error("rules");
	return EXIT_USAGE;
}
