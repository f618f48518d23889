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
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "base/log.h"
#include "base/paths.h"
#include "report/report.h"
#include "policy/rules.h"
#include "store/store.h"
#include "base/util.h"

#define DAY_US	(86400LL * 1000000)

enum fmt {
	FMT_TEXT,
	FMT_MD,
	FMT_JSON,
	FMT_CSV,
	FMT_HTML,
};

static void
usage(FILE *fp)
{
	fputs(
"usage: shadowtap summary [-d DB]... [--since DATE] [--until DATE]\n"
"                         [--period last-7d|last-30d|month|quarter]\n"
"                         [--compare previous]\n"
"                         [--format text|markdown|html|json|csv] [-o FILE]\n"
"                         [--pseudonymize] [-R RULES_DIR] [-P POLICY]\n"
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
"                       named by its sensor (\"site-a/10.0.0.5\")\n"
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
"  -R RULES_DIR         the service catalog the policy refers to (default:\n"
"                       as for capture)\n"
"  -P POLICY            read the \"reliability\" thresholds from this policy\n"
"                       (default: capture's default policy, if it exists)\n"
"  -h, --help           this help\n"
"\n"
"DATE is YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z] or \"YYYY-MM-DD HH:MM[:SS]\".\n",
	    fp);
}

/*
 * The reliability thresholds of the policy (with the catalog it refers
 * to). A policy named with -P must load; the default one is read when it
 * exists, and when it cannot be the built-in thresholds are used. 0, or
 * -1 after printing the diagnostics.
 */
static int
policy_thresholds(const char *rules_dir, const char *policy, int given,
    struct rel_opts *o)
{
	const char *paths[2];
	struct diags *d;
	struct ruleset *rs;
	struct stat sb;

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
	rules_free(rs);
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

int
cmd_summary(int argc, char **argv)
{
	enum { OPT_SINCE = 256, OPT_UNTIL, OPT_PERIOD, OPT_COMPARE,
		OPT_PSEUDO };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ "pseudonymize", no_argument, NULL, OPT_PSEUDO },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *rules_dir = NULL, *policy = NULL;
	struct rel_opts relo;
	const char *out = NULL, *dbs[STORE_MERGE_MAX];
	size_t ndb = 0;
	int64_t since = STORE_TIME_MIN, until = STORE_TIME_MAX, t;
	enum fmt fmt = FMT_TEXT;
	struct report_opts ro;
	uint8_t key[STORE_KEY_LEN];
	int pseudo = 0;
	struct report *rep;
	struct store *st = NULL;
	char err[1400];
	FILE *fp;
	int ch, rc;

	memset(&ro, 0, sizeof(ro));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+d:f:o:hP:R:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'P':
			policy = optarg;
			break;
		case 'R':
			rules_dir = optarg;
			break;
		case 'd':
			if (ndb == STORE_MERGE_MAX) {
				log_warnx("-d: at most %d databases",
				    STORE_MERGE_MAX);
				return EXIT_USAGE;
			}
			dbs[ndb++] = optarg;
			break;
		case OPT_SINCE:
			if (util_parse_date(optarg, &t) == -1) {
				log_warnx("--since: not a date: %s", optarg);
				return EXIT_USAGE;
			}
			since = t * 1000000;
			break;
		case OPT_UNTIL:
			if (util_parse_date(optarg, &t) == -1) {
				log_warnx("--until: not a date: %s", optarg);
				return EXIT_USAGE;
			}
			until = t * 1000000 + (is_bare_date(optarg) ? DAY_US : 0);
			break;
		case OPT_PERIOD:
			if (report_period_parse(optarg, &ro.period) == -1) {
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
			ro.compare = 1;
			break;
		case OPT_PSEUDO:
			pseudo = 1;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "markdown") == 0 ||
			    strcmp(optarg, "md") == 0)
				fmt = FMT_MD;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "html") == 0)
				fmt = FMT_HTML;
			else {
				log_warnx("--format: expected text, markdown,"
				    " html, json or csv, not \"%s\"", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		log_warnx("summary: unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (since >= until) {
		log_warnx("--since must be before --until");
		return EXIT_USAGE;
	}
	if (policy_thresholds(rules_dir != NULL ? rules_dir :
	    paths_rules_dir(), policy != NULL ? policy : paths_policy_file(),
	    policy != NULL, &relo) == -1)
		return EXIT_USAGE;
	ro.rel_opts = &relo;
	if (ro.period != REPORT_PERIOD_NONE &&
	    (since != STORE_TIME_MIN || until != STORE_TIME_MAX)) {
		log_warnx("--period cannot be combined with --since or --until");
		return EXIT_USAGE;
	}
	if (ro.compare && ro.period == REPORT_PERIOD_NONE &&
	    (since == STORE_TIME_MIN || until == STORE_TIME_MAX)) {
		log_warnx("--compare previous needs --period, or both --since"
		    " and --until");
		return EXIT_USAGE;
	}
	ro.since_us = since;
	ro.until_us = until;
	if (ndb == 0)
		dbs[ndb++] = paths_db();

	/*
	 * Several sensors' databases are read as one; pseudonyms use the
	 * first file's key, so they stay stable for that site.
	 */
	if (ndb == 1 || pseudo) {
		if ((st = store_open(dbs[0], STORE_RDONLY, err, sizeof(err))) ==
		    NULL) {
			log_warnx("%s", err);
			return EXIT_RUNTIME;
		}
		if (pseudo && (st = pseudonym_key(st, dbs[0], key)) == NULL)
			return EXIT_RUNTIME;
	}
	if (ndb > 1) {
		store_close(st);
		if ((st = store_open_many(dbs, ndb, err, sizeof(err))) ==
		    NULL) {
			log_warnx("%s", err);
			return EXIT_RUNTIME;
		}
	}
	if (pseudo)
		ro.pseudonym_key = key;
	if ((rep = report_build_opts(st, &ro)) == NULL) {
		log_warnx("%s", store_errmsg(st));
		store_close(st);
		return EXIT_RUNTIME;
	}
	store_close(st);
	explicit_bzero(key, sizeof(key));

	if (out == NULL)
		fp = stdout;
	else if ((fp = fopen(out, "w")) == NULL) {
		log_warn("%s", out);
		report_free(rep);
		return EXIT_RUNTIME;
	}
	switch (fmt) {
	case FMT_MD:
		rc = render_md_report(fp, rep);
		break;
	case FMT_JSON:
		rc = render_json_report(fp, rep);
		break;
	case FMT_CSV:
		rc = render_csv_report(fp, rep);
		break;
	case FMT_HTML:
		rc = render_html_report(fp, rep);
		break;
	case FMT_TEXT:
	default:
		rc = render_text_report(fp, rep);
		break;
	}
	report_free(rep);
	if (fp != stdout) {
		if (fclose(fp) == EOF)
			rc = -1;
	} else if (fflush(fp) == EOF)
		rc = -1;
	if (rc == -1) {
		log_warn("%s", out != NULL ? out : "standard output");
		/* A truncated report must not pass for a whole one. */
		if (out != NULL)
			unlink(out);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
