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

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "policy/classify.h"
#include "policy/geo.h"
#include "base/hostname.h"
#include "base/log.h"
#include "policy/match.h"
#include "base/paths.h"
#include "base/record.h"
#include "policy/rules.h"
#include "base/util.h"

#define RULES_PATHS_MAX	64	/* --rules options per invocation */
#define EXPLAIN_VLAN_MAX	4094	/* IEEE 802.1Q: VIDs 1..4094 */
#define EXPLAIN_JA4_MAX		63	/* longer than any JA4 */
#define EXPLAIN_SIG_MAX		31	/* longer than any signature name */
#define EXPLAIN_WORDS_MAX	64	/* options and operand on a line */

static void
usage_top(FILE *fp)
{
	fprintf(fp,
	    "usage: shadowtap rules check [PATH...]\n"
	    "       shadowtap rules list [--category ID] [--rules PATH]...\n"
	    "       shadowtap rules match [--rules PATH]... NAME...\n"
	    "       shadowtap rules explain [--rules PATH]... [--department D]\n"
	    "           [--geoip-asn MMDB] [--geoip-country MMDB] [--vlan N]\n"
	    "           [FLOW OPTIONS] NAME|IP...\n"
	    "       shadowtap rules explain [--rules PATH]... --stdin\n"
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
	    "           [--sni|--host|--dns-query|--name|--stun-realm|\n"
	    "            --socks-target|--sip-domain NAME]\n"
	    "           [--cert NAME]...\n"
	    "           [--ja4 FP] [--signature NAME] [--port [tcp/|udp/]N]\n"
	    "           [--server IP] [--client IP] [--asn N] [NAME|IP...]\n"
	    "       shadowtap rules explain [--rules PATH]... [--geoip-asn MMDB]\n"
	    "           --stdin\n"
	    "\n"
	    "For each host NAME or IP address, shows the service, category\n"
	    "and policy decision, and every rule line (file:line:col) that\n"
	    "decided them: the domain, except, network or AS rule, the\n"
	    "department and the policy statement. An address is also looked\n"
	    "up in the MMDB files given. Exit status: 0 when every operand\n"
	    "matched a service, 1 when one did not, 2 on bad rules or input.\n"
	    "\n"
	    "The answer is capture's for a flow with the signals given (the\n"
	    "options, with each operand as its name or its server address):\n"
	    "  --sni, --host, --dns-query, --name, --stun-realm,\n"
	    "  --socks-target, --sip-domain NAME\n"
	    "                      the flow's name (TLS SNI, HTTP Host, DNS\n"
	    "                      question, from the DNS cache, a STUN/TURN\n"
	    "                      REALM, a SOCKS request's domain, or a SIP\n"
	    "                      request-URI/To domain)\n"
	    "  --cert NAME         a server certificate name (repeatable; the\n"
	    "                      first %d count)\n"
	    "  --ja4 FP            the client's JA4 fingerprint\n"
	    "  --signature NAME    the protocol signature (ssh, openvpn, ...)\n"
	    "  --port [tcp/|udp/]N the server port (tcp if not given)\n"
	    "  --server IP         the server address (an IP operand is one)\n"
	    "  --client IP         the device's address, for its department\n"
	    "                      (default: an IP operand)\n"
	    "  --vlan N            the device's VLAN, for its department\n"
	    "  --asn N             the server's AS, as --geoip-asn would say\n"
	    "  --department D      the department, when neither --client nor\n"
	    "                      --vlan names one\n"
	    "With --stdin, reads one flow per line (those options and at most\n"
	    "one operand, separated by blanks) and writes one line for each:\n"
	    "service, status (as capture's flow event), evidence, department\n"
	    "and instance, separated by tabs, \"-\" for none; \"error\" for a\n"
	    "line it cannot read (exit status 2). Signals given on the\n"
	    "command line apply to every line.\n", CLASSIFY_CERT_NAMES);
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

/* One flow's signals as "rules explain" is given them. */
struct explain_flow {
	char		 name[HOSTNAME_SIZE];
	uint8_t		 name_evidence;	/* enum flow_evidence */
	char		 certs[CLASSIFY_CERT_NAMES][HOSTNAME_SIZE];
	unsigned	 ncerts;
	char		 ja4[EXPLAIN_JA4_MAX + 1];
	char		 signature[EXPLAIN_SIG_MAX + 1];
	int		 server_family;	/* 0: no server address */
	uint8_t		 server[16];
	char		 server_text[INET6_ADDRSTRLEN];
	int		 client_family;	/* 0: no client address */
	uint8_t		 client[16];
	uint8_t		 proto;
	uint16_t	 port;
	unsigned	 vlan;
	uint32_t	 asn;
	const char	*dept;		/* --department */
	int		 operand;	/* the address was an operand */
	int		 given;		/* any signal given */
};

struct explain_opts {
	const char		*paths[RULES_PATHS_MAX + 2];
	size_t			 npaths;
	const char		*asn_mmdb;
	const char		*country_mmdb;
	int			 batch;		/* --stdin */
	struct explain_flow	 flow;		/* the options' signals */
};

static int
parse_addr(const char *s, int *family, uint8_t *addr)
{
	if (inet_pton(AF_INET, s, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, s, addr) == 1)
		*family = AF_INET6;
	else
		return -1;
	return 0;
}

static int
parse_num(const char *s, unsigned long min, unsigned long max,
    unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || *v < min || *v > max)
		return -1;
	return 0;
}

/* A name for the flow: the normalised form of s into dst. */
static int
flow_name_opt(char *dst, size_t dstsz, const char *s)
{
	return hostname_norm(dst, dstsz, (const uint8_t *)s, strlen(s), 0);
}

/* "[tcp/|udp/]N" */
static int
flow_port_opt(struct explain_flow *fl, const char *val)
{
	unsigned long v;

	fl->proto = IPPROTO_TCP;
	if (strncmp(val, "tcp/", 4) == 0)
		val += 4;
	else if (strncmp(val, "udp/", 4) == 0) {
		fl->proto = IPPROTO_UDP;
		val += 4;
	}
	if (parse_num(val, 1, UINT16_MAX, &v) == -1)
		return -1;
	fl->port = (uint16_t)v;
	return 0;
}

/*
 * One option of a flow's signals, key (klen bytes, "--sni") with its
 * value. Returns 1 when taken, 0 when key is not a flow option, -1 after
 * a warning.
 */
static int
flow_opt(struct explain_flow *fl, const char *key, size_t klen,
    const char *val)
{
	static const struct {
		const char	*key;
		uint8_t		 evidence;
	} names[] = {
		{ "--sni", EVIDENCE_SNI },
		{ "--host", EVIDENCE_HTTP_HOST },
		{ "--dns-query", EVIDENCE_DNS_QUERY },
		{ "--name", EVIDENCE_DNS_CACHE },
		{ "--stun-realm", EVIDENCE_STUN_REALM },
		{ "--socks-target", EVIDENCE_SOCKS },
		{ "--sip-domain", EVIDENCE_SIP },
	};
	unsigned long v;
	size_t i;

#define KEY(k)	(klen == sizeof(k) - 1 && strncmp(key, k, klen) == 0)
	for (i = 0; i < nitems(names); i++) {
		if (klen != strlen(names[i].key) ||
		    strncmp(key, names[i].key, klen) != 0)
			continue;
		if (flow_name_opt(fl->name, sizeof(fl->name), val) == -1)
			goto bad;
		fl->name_evidence = names[i].evidence;
		return fl->given = 1;
	}
	if (KEY("--cert")) {
		/* capture looks at the first CLASSIFY_CERT_NAMES only */
		if (fl->ncerts < CLASSIFY_CERT_NAMES && flow_name_opt(
		    fl->certs[fl->ncerts++], HOSTNAME_SIZE, val) == -1)
			goto bad;
	} else if (KEY("--ja4")) {
		if (strlen(val) > EXPLAIN_JA4_MAX)
			goto bad;
		for (i = 0; val[i] != '\0'; i++)
			fl->ja4[i] = (char)tolower((unsigned char)val[i]);
		fl->ja4[i] = '\0';
	} else if (KEY("--signature")) {
		if (strlcpy(fl->signature, val, sizeof(fl->signature)) >=
		    sizeof(fl->signature))
			goto bad;
	} else if (KEY("--port")) {
		if (flow_port_opt(fl, val) == -1)
			goto bad;
	} else if (KEY("--server")) {
		if (parse_addr(val, &fl->server_family, fl->server) == -1)
			goto bad;
		strlcpy(fl->server_text, val, sizeof(fl->server_text));
		fl->operand = 0;
	} else if (KEY("--client")) {
		if (parse_addr(val, &fl->client_family, fl->client) == -1)
			goto bad;
	} else if (KEY("--vlan")) {
		if (parse_num(val, 1, EXPLAIN_VLAN_MAX, &v) == -1) {
			log_warnx("rules explain: bad VLAN %s", val);
			return -1;
		}
		fl->vlan = (unsigned)v;
	} else if (KEY("--asn")) {
		if (strncasecmp(val, "as", 2) == 0)
			val += 2;
		if (parse_num(val, 1, UINT32_MAX, &v) == -1)
			goto bad;
		fl->asn = (uint32_t)v;
	} else if (KEY("--department"))
		fl->dept = val;
	else
		return 0;
#undef KEY
	return fl->given = 1;
bad:
	log_warnx("rules explain: bad %.*s %s", (int)klen, key, val);
	return -1;
}

/*
 * An operand: an address is the server's (and, without --client, the
 * device whose department is shown), anything else the flow's name.
 */
static int
flow_operand(struct explain_flow *fl, const char *arg)
{
	if (parse_addr(arg, &fl->server_family, fl->server) == 0) {
		strlcpy(fl->server_text, arg, sizeof(fl->server_text));
		fl->operand = 1;
	} else if (flow_name_opt(fl->name, sizeof(fl->name), arg) == -1) {
		log_warnx("rules explain: not a host name or address: %s",
		    arg);
		return -1;
	} else if (fl->name_evidence == EVIDENCE_NONE)
		fl->name_evidence = EVIDENCE_SNI;
	fl->given = 1;
	return 0;
}

/*
 * Parses argv[from..] as options: flow signals, and unless flow_only
 * also --rules, --geoip-asn, --geoip-country and --stdin. Returns the
 * index of the first operand, -1 on error, -2 for --help.
 */
static int
explain_args(int argc, char **argv, int from, struct explain_opts *o,
    struct explain_flow *fl, int flow_only)
{
	const char *arg, *val;
	size_t klen;
	int i, r;

	for (i = from; i < argc; i++) {
		arg = argv[i];
		if (!flow_only && (strcmp(arg, "--help") == 0 ||
		    strcmp(arg, "-h") == 0)) {
			usage_explain(stdout);
			return -2;
		}
		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-' || arg[1] == '\0')
			return i;
		if (!flow_only && strcmp(arg, "--stdin") == 0) {
			o->batch = 1;
			continue;
		}
		klen = strcspn(arg, "=");
		if (arg[klen] == '=')
			val = arg + klen + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			log_warnx("rules explain: %s needs a value", arg);
			if (!flow_only)
				try_help("explain");
			return -1;
		}
		if ((r = flow_opt(fl, arg, klen, val)) == -1) {
			if (!flow_only)
				try_help("explain");
			return -1;
		}
		if (r == 1)
			continue;
		if (!flow_only && klen == 7 && strncmp(arg, "--rules", 7) == 0) {
			if (o->npaths == RULES_PATHS_MAX) {
				log_warnx("rules explain: too many --rules");
				try_help("explain");
				return -1;
			}
			o->paths[o->npaths++] = val;
		} else if (!flow_only && klen == 11 &&
		    strncmp(arg, "--geoip-asn", 11) == 0)
			o->asn_mmdb = val;
		else if (!flow_only && klen == 15 &&
		    strncmp(arg, "--geoip-country", 15) == 0)
			o->country_mmdb = val;
		else {
			log_warnx("rules explain: unknown option %s", arg);
			if (!flow_only)
				try_help("explain");
			return -1;
		}
	}
	return i;
}

/* The question: what capture would pass classify() for this flow. */
static int
flow_signals(const struct ruleset *rs, const struct geo *geo,
    const struct explain_flow *fl, struct classify_in *in,
    struct geo_info *gi, const struct department **forced)
{
	unsigned i;
	int have_geo = 0;

	memset(in, 0, sizeof(*in));
	memset(gi, 0, sizeof(*gi));
	*forced = NULL;
	if (fl->server_family != 0 && fl->client_family != 0 &&
	    fl->server_family != fl->client_family) {
		log_warnx("rules explain: the client and the server "
		    "addresses are of different families");
		return -1;
	}
	if (fl->dept != NULL &&
	    (*forced = rules_department_by_name(rs, fl->dept)) == NULL) {
		log_warnx("rules explain: unknown department %s", fl->dept);
		return -1;
	}
	in->family = fl->server_family != 0 ? fl->server_family :
	    fl->client_family;
	in->server_ip = fl->server_family != 0 ? fl->server : NULL;
	in->client_ip = fl->client_family != 0 ? fl->client :
	    fl->operand ? fl->server : NULL;
	in->proto = fl->proto;
	in->server_port = fl->port;
	in->vlan = (uint16_t)fl->vlan;
	in->name = fl->name;
	in->name_evidence = fl->name[0] != '\0' ? fl->name_evidence :
	    EVIDENCE_NONE;
	for (i = 0; i < fl->ncerts; i++)
		in->cert_names[in->ncert_names++] = fl->certs[i];
	in->ja4 = fl->ja4;
	in->signature = fl->signature;
	if (geo != NULL && in->server_ip != NULL &&
	    geo_lookup(geo, in->family, in->server_ip, gi) == 1)
		have_geo = 1;
	in->asn = fl->asn != 0 ? fl->asn : gi->asn;
	return have_geo;
}

/*
 * Asks classify() as capture does. A department given by --department
 * stands in when the client's address and VLAN name none; the verdict
 * shown for an unclassified flow is the policy's "unknown" one.
 */
static void
flow_decide(const struct ruleset *rs, const struct classify_in *in,
    const struct department *forced, struct classify_out *out,
    struct decision *dc)
{
	classify(rs, in, out);
	*dc = out->why;
	if (out->dept == NULL && forced != NULL) {
		out->dept = forced;
		if (out->svc != NULL)
			out->verdict = rules_verdict(rs, out->svc, forced,
			    &out->why);
		/* The organisation-wide instance statements still decide. */
		if (out->svc != NULL && instance_decide(rs, out->svc,
		    out->instance, &out->why))
			out->verdict = out->why.verdict;
		*dc = out->why;
	}
	if (out->svc == NULL)
		rules_verdict(rs, NULL, out->dept, dc);
}

static void
print_item(const char *what, const struct rule_item *it)
{
	printf("  matched %s %s at %s:%d:%d\n", what, it->text, it->loc.file,
	    it->loc.line, it->loc.col);
}

static void
print_rule(const struct classify_in *in, const struct classify_out *out)
{
	static const char *const kinds[] = { "network", "AS number",
	    "JA4 fingerprint", "protocol", "port" };
	const struct rule_domain *rd = out->domain;

	if (rd != NULL && out->matched == in->name)
		printf("  matched domain \"%s\" at %s:%d:%d\n", rd->name,
		    rd->file, rd->line, rd->col);
	else if (rd != NULL)
		printf("  matched certificate name \"%s\" by domain \"%s\" at "
		    "%s:%d:%d\n", out->matched, rd->name, rd->file, rd->line,
		    rd->col);
	if (out->protocol != NULL)
		print_item("protocol", out->protocol);
	if (out->item != NULL)
		print_item(kinds[out->item->kind], out->item);
	if (out->protocol != NULL)
		printf("  the network's service is of the protocol's "
		    "category: it names the vendor\n");
}

static void
print_ignored(const struct ruleset *rs, const char *who, int family,
    const uint8_t *addr)
{
	struct rule_loc ign;

	if (addr != NULL && match_ignored(rs, family, addr, &ign))
		printf("  %signored by \"ignore networks\" at %s:%d:%d: "
		    "traffic to and from it is not recorded\n", who, ign.file,
		    ign.line, ign.col);
}

/* An "except" that removed a match of the flow's name on the way. */
static void
print_except(const struct ruleset *rs, const struct classify_in *in,
    const struct classify_out *out)
{
	const struct rule_domain *ex = out->except;

	if (ex != NULL)
		printf("  %s \"except %s\" of %s at %s:%d:%d\n",
		    out->domain != NULL && out->matched == in->name ? "after" :
		    "removed by", ex->name,
		    rules_service_at(rs, ex->service)->id, ex->file, ex->line,
		    ex->col);
}

/* The instance the name shows, and the pattern that read it. */
static void
print_instance(const struct classify_out *out)
{
	const struct rule_instance *ri = out->inst_rule;

	if (ri == NULL)
		return;
	printf("  instance \"%s\" by pattern \"%s\" at %s:%d:%d%s\n",
	    out->instance, ri->pattern, ri->loc.file, ri->loc.line,
	    ri->loc.col, out->inst_other ? ", not one the policy lists" : "");
}

/* A decision an "instance" statement made (instance_decide()). */
static void
print_inst_decision(const struct service *s, const char *inst, int how,
    const struct decision *dc)
{
	if (how == INSTANCE_LISTED)
		printf("  decided by \"%s service %s when instance is %s\" at "
		    "%s:%d:%d\n", verdict_str(dc->verdict), s->id, inst,
		    dc->loc.file, dc->loc.line, dc->loc.col);
	else if (how == INSTANCE_OTHER)
		printf("  decided by \"%s service %s when instance is any "
		    "other\" at %s:%d:%d\n", verdict_str(dc->verdict), s->id,
		    dc->loc.file, dc->loc.line, dc->loc.col);
	else
		printf("  decided by the built-in default for instances the "
		    "policy does not list (%s); it lists those of %s at "
		    "%s:%d:%d\n", verdict_str(dc->verdict), s->id,
		    dc->loc.file, dc->loc.line, dc->loc.col);
}

/* Explains one flow; returns EXIT_OK when a service matched, else 1. */
static int
explain_flow(const struct ruleset *rs, const struct explain_flow *fl,
    const struct classify_in *in, const struct geo_info *gi, int have_geo,
    const struct department *forced)
{
	struct classify_out out;
	struct decision dc;
	char reg[HOSTNAME_SIZE];
	const char *label;

	flow_decide(rs, in, forced, &out, &dc);
	label = in->name[0] != '\0' ? in->name : fl->server_family != 0 ?
	    fl->server_text : "flow";
	if (out.svc != NULL)
		printf("%s: %s (%s), category %s, %s\n", label, out.svc->id,
		    out.svc->name, out.svc->category,
		    verdict_str(dc.verdict));
	else if (in->name[0] != '\0' && !hostname_is_ip(in->name)) {
		if (match_registrable_domain(in->name, reg, sizeof(reg)) == -1)
			strlcpy(reg, in->name, sizeof(reg));
		printf("%s: no service, %s as unclassified; reported under "
		    "%s\n", label, verdict_str(dc.verdict), reg);
	} else
		printf("%s: no service, %s as unclassified\n", label,
		    verdict_str(dc.verdict));
	print_ignored(rs, "", in->family, in->server_ip);
	if (in->client_ip != in->server_ip)
		print_ignored(rs, "client ", in->family, in->client_ip);
	if (have_geo)
		printf("  country %s, AS%u %s\n", gi->country[0] != '\0' ?
		    gi->country : "unknown", gi->asn, gi->as_org[0] != '\0' ?
		    gi->as_org : "(no name)");
	if (out.domain != NULL)
		print_rule(in, &out);
	print_except(rs, in, &out);
	if (out.dept != NULL && out.dept_loc.file != NULL)
		printf("  department \"%s\" from %s:%d:%d\n", out.dept->name,
		    out.dept_loc.file, out.dept_loc.line, out.dept_loc.col);
	else if (out.dept != NULL)
		printf("  department \"%s\" (--department)\n", out.dept->name);
	if (out.domain == NULL)
		print_rule(in, &out);
	print_instance(&out);
	if (out.inst_decided)
		print_inst_decision(out.svc, out.instance, out.inst_decided,
		    &dc);
	else
		print_decision(out.svc, &dc);
	return out.svc != NULL ? EXIT_OK : EXIT_RUNTIME;
}

/*
 * --stdin: one flow per line, as options and at most one operand; one
 * line out for each: service, status (as capture's event says it),
 * evidence, department and instance, separated by tabs, "-" for none.
 */
static int
explain_batch(const struct ruleset *rs, const struct geo *geo,
    const struct explain_opts *o)
{
	char *line = NULL, *argv[EXPLAIN_WORDS_MAX + 1], *p;
	const struct department *forced;
	struct explain_flow fl;
	struct classify_in in;
	struct classify_out out;
	struct decision dc;
	struct geo_info gi;
	const char *ev;
	size_t cap = 0;
	int argc, first, rc = EXIT_OK;

	while (getline(&line, &cap, stdin) != -1) {
		argc = 0;
		argv[argc++] = "explain";
		for (p = strtok(line, " \t\r\n"); p != NULL &&
		    argc <= EXPLAIN_WORDS_MAX; p = strtok(NULL, " \t\r\n"))
			argv[argc++] = p;
		fl = o->flow;
		first = argc <= EXPLAIN_WORDS_MAX ? explain_args(argc, argv, 1,
		    NULL, &fl, 1) : -1;
		if (first >= 0 && first + 1 < argc) {
			log_warnx("rules explain: one operand per line");
			first = -1;
		}
		if (first < 0 || (first < argc &&
		    flow_operand(&fl, argv[first]) == -1) ||
		    flow_signals(rs, geo, &fl, &in, &gi, &forced) == -1) {
			printf("error\n");
			rc = EXIT_USAGE;
			continue;
		}
		flow_decide(rs, &in, forced, &out, &dc);
		ev = record_evidence_name(out.evidence);
		printf("%s\t%s\t%s\t%s\t%s\n", out.svc != NULL ?
		    out.svc->id : "-", verdict_str(out.verdict),
		    ev[0] != '\0' ? ev : "-", out.dept != NULL ?
		    out.dept->name : "-", out.instance[0] != '\0' ?
		    out.instance : "-");
	}
	free(line);
	if (ferror(stdin)) {
		log_warn("rules explain: standard input");
		rc = EXIT_RUNTIME;
	}
	return rc;
}

static int
explain_operands(const struct ruleset *rs, const struct geo *geo,
    const struct explain_opts *o, int argc, char **argv, int first)
{
	const struct department *forced;
	struct explain_flow fl;
	struct classify_in in;
	struct geo_info gi;
	int i, r, have_geo, rc = EXIT_OK;

	for (i = first; i < argc || (i == first && o->flow.given); i++) {
		fl = o->flow;
		if (i < argc && flow_operand(&fl, argv[i]) == -1)
			r = EXIT_USAGE;
		else if ((have_geo = flow_signals(rs, geo, &fl, &in, &gi,
		    &forced)) == -1)
			r = EXIT_USAGE;
		else
			r = explain_flow(rs, &fl, &in, &gi, have_geo, forced);
		if (r == EXIT_USAGE || (r == EXIT_RUNTIME && rc == EXIT_OK))
			rc = r;
	}
	return rc;
}

static int
rules_explain(int argc, char **argv)
{
	struct explain_opts o;
	struct ruleset *rs;
	struct geo *geo = NULL;
	char err[256];
	int first, rc;

	memset(&o, 0, sizeof(o));
	first = explain_args(argc, argv, 1, &o, &o.flow, 0);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_USAGE;
	if (o.batch && first < argc) {
		log_warnx("rules explain: --stdin takes no operand");
		(void)cmd_usage_error("rules explain");
		return EXIT_USAGE;
	}
	if (!o.batch && first >= argc && !o.flow.given) {
		log_warnx("rules explain: no host name or address given");
		(void)cmd_usage_error("rules explain");
		return EXIT_USAGE;
	}
	if ((rs = load_or_report(o.paths, o.npaths)) == NULL)
		return EXIT_USAGE;
	if (o.flow.dept != NULL &&
	    rules_department_by_name(rs, o.flow.dept) == NULL) {
		log_warnx("rules explain: unknown department %s", o.flow.dept);
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
	if (o.batch)
		rc = explain_batch(rs, geo, &o);
	else
		rc = explain_operands(rs, geo, &o, argc, argv, first);
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
