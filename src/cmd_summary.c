/* SPDX-License-Identifier: ISC */
/*
 * cmd_summary.c: "shadowtap summary": opens the findings database
 * read-only, builds the report for the chosen period and prints it as
 * text, Markdown, HTML, JSON or CSV. It only writes to the database to
 * make the --pseudonymize key, once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "base/log.h"
#include "base/paths.h"
#include "report/render.h"
#include "report/report.h"
#include "policy/rules.h"
#include "store/pg.h"
#include "store/store.h"
#include "base/util.h"

#define DAY_US	(86400LL * 1000000)
/* What util_parse_date() takes, for the message when it does not. */
#define DATE_FORMS	"use YYYY-MM-DD, YYYY-MM-DDTHH:MM or " \
			"YYYY-MM-DDTHH:MM:SS (UTC; a space for T, a final Z " \
			"allowed), e.g. 2026-03-01 or 2026-03-01T08:30"

/* The long options without a short one. */
enum {
	OPT_SINCE = 256,
	OPT_UNTIL,
	OPT_PERIOD,
	OPT_COMPARE,
	OPT_PSEUDO,
	OPT_ORG,
	OPT_AUTHOR,
	OPT_TOP,
	OPT_DEPARTMENT,
	OPT_OWNER,
	OPT_SENSOR,
};

/* parse_opt()'s "stop here, successfully" (after --help). */
#define SUMMARY_DONE	(-1)

static void
usage(FILE *fp)
{
	fputs(
"usage: shadowtap summary [-d DB]... [--since DATE] [--until DATE]\n"
"                         [--period last-7d|last-30d|month|quarter]\n"
"                         [--compare previous]\n"
"                         [--format text|markdown|html|json|csv] [-o FILE]\n"
"                         [--pseudonymize] [--top N] [-R RULES_DIR]\n"
"                         [-P POLICY] [--department NAME] [--owner NAME]\n"
"\n"
"Prints what the recorded traffic shows: unsanctioned services first, the\n"
"workarounds around approved tools (passwords sent in clear text among\n"
"them), tolerated and sanctioned services, where data goes by country and\n"
"network, destinations not in the catalog, how much traffic the captures\n"
"covered, use by department, and recommendations.\n"
"\n"
"  -d, --db FILE        findings database (default: $SHADOWTAP_DB or the\n"
"                       build or install default); repeat for several\n"
"                       sensors' databases, read as one with each device\n"
"                       named by its sensor (\"site-a/10.0.0.5\"); or a\n"
"                       PostgreSQL URI (postgresql://...) or connection\n"
"                       string: every sensor forwarding there\n"
"      --sensor NAME    from PostgreSQL, only this sensor's findings\n"
"      --since DATE     from this time on (UTC)\n"
"      --until DATE     up to this time (UTC); a date alone includes the\n"
"                       whole day\n"
"      --period P       last-7d, last-30d (whole UTC days ending with the\n"
"                       day of the last recorded packet), month or quarter\n"
"                       (the calendar one holding the last packet); counted\n"
"                       from the data, not from today\n"
"      --compare previous\n"
"                       also show what appeared and stopped since the\n"
"                       period just before (needs --period, or both\n"
"                       --since and --until)\n"
"  -f, --format FMT     text (default), markdown, html, json or csv\n"
"  -o, --output FILE    write to FILE instead of standard output\n"
"      --pseudonymize   show devices, addresses and MACs as stable keyed\n"
"                       pseudonyms (device-3f9a2c71); the key is made once\n"
"                       and kept in the database, which must be writable\n"
"                       that first time\n"
"      --org NAME       the organisation the report is for\n"
"      --author NAME    who made it (both are printed with the policy,\n"
"                       catalog, period and time it was judged by)\n"
"      --top N          rows of each long table in the text, Markdown and\n"
"                       HTML reports (default 3); the rest are counted in\n"
"                       an \"and N more\" line and listed in the appendix,\n"
"                       JSON and CSV\n"
"      --department NAME\n"
"                       only the devices of department NAME: the policy's\n"
"                       (by address) or the device inventory's\n"
"      --owner NAME     only the devices the inventory gives to NAME\n"
"  -R RULES_DIR         the service catalog the policy refers to (default:\n"
"                       as for capture)\n"
"  -P POLICY            the policy the recommendations follow, and its\n"
"                       \"reliability\" thresholds (default: capture's\n"
"                       default policy, if it exists)\n"
"  -h, --help           this help\n"
"\n"
"DATE is YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z] or \"YYYY-MM-DD HH:MM[:SS]\".\n",
	    fp);
}

/*
 * The policy (with the catalog it refers to) into *out, for the
 * recommendations, and its reliability thresholds into o. A policy named
 * with -P must load; the default one is read when it exists, and when it
 * cannot be, *out is NULL and the built-in thresholds are used. 0, or -1
 * after printing the diagnostics.
 */
static int
policy_load(const char *rules_dir, const char *policy, int given,
    struct rel_opts *o, struct ruleset **out)
{
	const char *paths[2];
	struct diags *d;
	struct ruleset *rs;
	struct stat sb;

	*out = NULL;
	health_opts_default(o);
	if (!given && stat(policy, &sb) == -1)
		return 0;
	d = diags_new();
	paths[0] = rules_dir;
	paths[1] = policy;
	rs = rules_load(paths, 2, d);
	if (rs == NULL && !given) {
		log_warnx("%s: cannot be read, using the default reliability"
		    " thresholds (see shadowtap rules check)", policy);
		diags_free(d);
		return 0;
	}
	diags_print(d, stderr);
	diags_free(d);
	if (rs == NULL)
		return -1;
	*o = *rules_reliability(rs);
	*out = rs;
	return 0;
}

/* A date alone as --until means the end of that day. */
static int
is_bare_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

/*
 * Gets the pseudonym key of the database open read-only as st. When there
 * is none yet, reopens the file read-write (which also brings an older
 * schema up to date) to create it. Returns the handle to read from, or
 * NULL after saying why.
 */
static struct store *
pseudonym_key(struct store *st, const char *db, uint8_t *key)
{
	char err[1400];
	int rc;

	if ((rc = store_pseudonym_key(st, key)) == 1)
		return st;
	if (rc == -1) {
		log_warnx("%s", store_errmsg(st));
		store_close(st);
		return NULL;
	}
	store_close(st);
	if ((st = store_open(db, 0, err, sizeof(err))) == NULL ||
	    store_pseudonym_key(st, key) != 1) {
		log_warnx("--pseudonymize: the database has no pseudonym key"
		    " yet and it could not be made: %s", st != NULL ?
		    store_errmsg(st) : err);
		log_warnx("run it once with write access to %s (the key is"
		    " made once and kept there)", db);
		store_close(st);
		return NULL;
	}
	return st;
}

/* What the command line asks for. */
struct summary_args {
	const char		*rules_dir;	/* -R, or NULL */
	const char		*policy;	/* -P, or NULL */
	const char		*out;		/* -o, or NULL: stdout */
	const char		*dbs[STORE_MERGE_MAX];
	size_t			 ndb;
	int64_t			 since;
	int64_t			 until;
	const struct render_ops	*fmt;
	int			 pseudo;
	const char		*department;	/* --department, or NULL */
	const char		*owner;		/* --owner, or NULL */
	char			 scope[512];	/* the two in words */
	const char		*sensor;	/* --sensor, or NULL: all */
	struct report_opts	 ro;
};

/*
 * Reads one option ch (with optarg) into a. EXIT_OK to go on, or the exit
 * status after saying why (or printing the help).
 */
static int
parse_opt(int ch, struct summary_args *a)
{
	unsigned long top;
	char *end;
	int64_t t;

	switch (ch) {
	case 'P':
		a->policy = optarg;
		break;
	case 'R':
		a->rules_dir = optarg;
		break;
	case 'd':
		if (a->ndb == STORE_MERGE_MAX) {
			log_warnx("-d: at most %d databases", STORE_MERGE_MAX);
			return EXIT_USAGE;
		}
		a->dbs[a->ndb++] = optarg;
		break;
	case OPT_SINCE:
		if (util_parse_date(optarg, &t) == -1) {
			log_warnx("--since: \"%s\" is not a date; " DATE_FORMS,
			    optarg);
			return EXIT_USAGE;
		}
		a->since = t * 1000000;
		break;
	case OPT_UNTIL:
		if (util_parse_date(optarg, &t) == -1) {
			log_warnx("--until: \"%s\" is not a date; " DATE_FORMS,
			    optarg);
			return EXIT_USAGE;
		}
		a->until = t * 1000000 + (is_bare_date(optarg) ? DAY_US : 0);
		break;
	case OPT_PERIOD:
		if (report_period_parse(optarg, &a->ro.period) == -1) {
			log_warnx("--period: expected last-7d, last-30d,"
			    " month or quarter, not \"%s\"", optarg);
			return EXIT_USAGE;
		}
		break;
	case OPT_COMPARE:
		if (strcmp(optarg, "previous") != 0) {
			log_warnx("--compare: only \"previous\" is"
			    " supported, not \"%s\"", optarg);
			return EXIT_USAGE;
		}
		a->ro.compare = 1;
		break;
	case OPT_PSEUDO:
		a->pseudo = 1;
		break;
	case OPT_ORG:
		a->ro.org = optarg;
		break;
	case OPT_AUTHOR:
		a->ro.author = optarg;
		break;
	case OPT_DEPARTMENT:
		a->department = optarg;
		break;
	case OPT_OWNER:
		a->owner = optarg;
		break;
	case OPT_TOP:
		errno = 0;
		top = strtoul(optarg, &end, 10);
		if (errno != 0 || end == optarg || *end != '\0' ||
		    optarg[0] == '-' || top == 0 || top > 10000) {
			log_warnx("--top: expected a number from 1 to 10000,"
			    " not \"%s\"", optarg);
			return EXIT_USAGE;
		}
		a->ro.top = top;
		break;
	case OPT_SENSOR:
		a->sensor = optarg;
		break;
	case 'f':
		if ((a->fmt = render_find(optarg)) == NULL) {
			log_warnx("--format: expected text, markdown,"
			    " html, json or csv, not \"%s\"", optarg);
			return EXIT_USAGE;
		}
		break;
	case 'o':
		a->out = optarg;
		break;
	case 'h':
		usage(stdout);
		return SUMMARY_DONE;
	default:	/* getopt_long() has named the option */
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * Parses the command line into a and checks the options against each
 * other. EXIT_OK to go on, or the exit status after saying why.
 */
static int
parse_args(int argc, char **argv, struct summary_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ "pseudonymize", no_argument, NULL, OPT_PSEUDO },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "author", required_argument, NULL, OPT_AUTHOR },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "department", required_argument, NULL, OPT_DEPARTMENT },
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ "sensor", required_argument, NULL, OPT_SENSOR },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	memset(a, 0, sizeof(*a));
	a->since = STORE_TIME_MIN;
	a->until = STORE_TIME_MAX;
	a->fmt = &render_text;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+d:f:o:hP:R:", longopts,
	    NULL)) != -1)
		if ((rc = parse_opt(ch, a)) != EXIT_OK)
			return rc == EXIT_USAGE ? cmd_usage_error("summary") :
			    rc;
	if (optind < argc) {
		log_warnx("summary: unexpected argument \"%s\"", argv[optind]);
		return cmd_usage_error("summary");
	}
	if (a->since >= a->until) {
		log_warnx("--since must be before --until");
		return cmd_usage_error("summary");
	}
	if ((a->department != NULL || a->owner != NULL) && a->ndb > 1) {
		log_warnx("--department and --owner read one database, not"
		    " several");
		return cmd_usage_error("summary");
	}
	return EXIT_OK;
}

/*
 * The checks that come after the policy is read, as they always have:
 * --period and --compare against the other bounds; then the period and
 * the default database go into a. EXIT_OK, or EXIT_USAGE after saying why.
 */
static int
finish_args(struct summary_args *a)
{
	if (a->ro.period != REPORT_PERIOD_NONE &&
	    (a->since != STORE_TIME_MIN || a->until != STORE_TIME_MAX)) {
		log_warnx("--period cannot be combined with --since or --until");
		return cmd_usage_error("summary");
	}
	if (a->ro.compare && a->ro.period == REPORT_PERIOD_NONE &&
	    (a->since == STORE_TIME_MIN || a->until == STORE_TIME_MAX)) {
		log_warnx("--compare previous needs --period, or both --since"
		    " and --until");
		return cmd_usage_error("summary");
	}
	a->ro.since_us = a->since;
	a->ro.until_us = a->until;
	if (a->ndb == 0)
		a->dbs[a->ndb++] = paths_db();
	return EXIT_OK;
}

/*
 * Opens a's databases read-only as one, and the pseudonym key into key
 * when asked for. Several sensors' databases are read as one; pseudonyms
 * use the first file's key, so they stay stable for that site. Returns
 * the handle, or NULL after saying why.
 */
static struct store *
open_dbs(const struct summary_args *a, uint8_t *key)
{
	struct store *st = NULL;
	char err[1400];

	if (a->ndb == 1 || a->pseudo) {
		if ((st = store_open(a->dbs[0], STORE_RDONLY, err,
		    sizeof(err))) == NULL) {
			log_warnx("%s", err);
			return NULL;
		}
		if (a->pseudo && (st = pseudonym_key(st, a->dbs[0], key)) ==
		    NULL)
			return NULL;
	}
	if (a->ndb > 1) {
		store_close(st);
		if ((st = store_open_many(a->dbs, a->ndb, err, sizeof(err))) ==
		    NULL) {
			log_warnx("%s", err);
			return NULL;
		}
	}
	return st;
}

/*
 * Writes rep with a->fmt to a->out (or stdout). A report that could not
 * be written whole is removed. EXIT_OK, or EXIT_RUNTIME after saying why.
 */
static int
write_report(const struct summary_args *a, const struct report *rep)
{
	FILE *fp;
	int rc;

	if (a->out == NULL)
		fp = stdout;
	else if ((fp = fopen(a->out, "w")) == NULL) {
		log_warn("%s", a->out);
		return EXIT_RUNTIME;
	}
	rc = a->fmt->render(fp, rep);
	if (fp != stdout) {
		if (fclose(fp) == EOF)
			rc = -1;
	} else if (fflush(fp) == EOF)
		rc = -1;
	if (rc == -1) {
		log_warn("%s", a->out != NULL ? a->out : "standard output");
		/* A truncated report must not pass for a whole one. */
		if (a->out != NULL)
			unlink(a->out);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* Restricts st to --department and --owner, said in the report. */
static int
scope(struct summary_args *a, struct store *st)
{
	size_t n;

	snprintf(a->scope, sizeof(a->scope), "%s%s%s%s%s",
	    a->department != NULL ? "department " : "",
	    a->department != NULL ? a->department : "",
	    a->department != NULL && a->owner != NULL ? " owned by " : "",
	    a->owner != NULL && a->department == NULL ? "owner " : "",
	    a->owner != NULL ? a->owner : "");
	if (report_scope(st, a->department, a->owner, &n) == -1)
		return -1;
	if (n == 0)
		log_warnx("no device belongs to %s", a->scope);
	a->ro.scope = a->scope;
	return 0;
}

int
cmd_summary(int argc, char **argv)
{
	struct summary_args a;
	struct rel_opts relo;
	struct ruleset *rs;
	uint8_t key[STORE_KEY_LEN];
	struct pg_pulled *pulled = NULL;
	struct report *rep;
	struct store *st;
	char err[1400];
	size_t i;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != EXIT_OK)
		return rc == SUMMARY_DONE ? EXIT_OK : rc;
	if (policy_load(a.rules_dir != NULL ? a.rules_dir :
	    paths_rules_dir(), a.policy != NULL ? a.policy :
	    paths_policy_file(), a.policy != NULL, &relo, &rs) == -1)
		return EXIT_USAGE;
	a.ro.rel_opts = &relo;
	a.ro.rules = rs;
	a.ro.policy_path = rs != NULL ? (a.policy != NULL ? a.policy :
	    paths_policy_file()) : NULL;
	if ((rc = finish_args(&a)) == EXIT_OK) {
		/* PostgreSQL: each sensor's rows as a temporary file. */
		for (i = 0; i < a.ndb && !pg_is_conninfo(a.dbs[i]); i++)
			;
		if (i < a.ndb && (pulled = pg_pull_expand(a.dbs, &a.ndb,
		    STORE_MERGE_MAX, a.sensor, err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			rc = EXIT_RUNTIME;
		}
	}
	if (rc != EXIT_OK || (st = open_dbs(&a, key)) == NULL) {
		pg_pulled_free(pulled);
		rules_free(rs);
		return rc != EXIT_OK ? rc : EXIT_RUNTIME;
	}
	pg_pulled_free(pulled);
	if (a.pseudo)
		a.ro.pseudonym_key = key;
	if ((a.department != NULL || a.owner != NULL) &&
	    scope(&a, st) == -1) {
		log_warnx("%s", store_errmsg(st));
		store_close(st);
		rules_free(rs);
		return EXIT_RUNTIME;
	}
	rep = report_build_opts(st, &a.ro);
	rules_free(rs);
	if (rep == NULL) {
		log_warnx("%s", store_errmsg(st));
		store_close(st);
		return EXIT_RUNTIME;
	}
	store_close(st);
	explicit_bzero(key, sizeof(key));
	rc = write_report(&a, rep);
	report_free(rep);
	return rc;
}
