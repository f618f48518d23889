/* SPDX-License-Identifier: ISC */
/*
 * cmd_db.c: `shadowtap db`: prune (roll hourly rows into days, keeping
 * trends) and export (JSON Lines or CSV for SIEMs, one or several sensors'
 * databases merged, each row naming its sensor).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_db.h"
#include "base/json.h"
#include "base/log.h"
#include "base/paths.h"
#include "store/pg.h"
#include "store/store.h"
#include "base/util.h"

static void
usage(FILE *fp)
{
	fputs(
"usage: shadowtap db prune --keep DAYS [-d DB]\n"
"       shadowtap db export [--format jsonl|csv] [--since DATE] [-o FILE]\n"
"                           [-d DB ...]\n"
"       shadowtap db import devices FILE.csv [-d DB]\n"
"       shadowtap db push FILE.db ... -d postgresql://...\n"
"\n"
"  prune   roll hourly rows older than DAYS (counted back from the last\n"
"          packet in the database) into daily rows, then delete the hours\n"
"  export  write every finding, unclassified destination, destination\n"
"          country/AS and clear-text log-in, with its sensor; -d may be\n"
"          given up to 10 times to merge several sensors' databases\n"
"  import  load the device inventory: a CSV file with the header\n"
"          match,name,owner,department,asset (match: a MAC, an address or\n"
"          a subnet), replacing the one before; prints the rows that\n"
"          match no device seen\n"
"  push    load SQLite files (a sensor that ran offline) into a PostgreSQL\n"
"          database; pushing a file again replaces its rows, never adds\n"
"          them twice\n"
"\n"
"  DB is a SQLite file or a PostgreSQL URI (postgresql://...) or\n"
"  connection string; the password comes from ~/.pgpass or PGPASSFILE\n", fp);
}

static int
db_prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep", required_argument, NULL, 'k' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_prune_stats ps;
	struct store *st;
	const char *db = NULL;
	char err[1400], *end;
	long keep = -1;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			keep = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || keep < 0 ||
			    keep > 100000) {
				log_warnx("--keep: not a number of days: %s",
				    optarg);
				return cmd_usage_error("db prune");
			}
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:	/* getopt_long() has named the option */
			return cmd_usage_error("db prune");
		}
	}
	if (keep < 0) {
		log_warnx("db prune: --keep DAYS is required");
		return cmd_usage_error("db prune");
	}
	if (optind != argc) {
		log_warnx("db prune: unexpected argument \"%s\"", argv[optind]);
		return cmd_usage_error("db prune");
	}
	if (db == NULL)
		db = paths_db();
	if (pg_is_conninfo(db)) {
		log_warnx("db prune: prune each sensor's spool (capture"
		    " --keep-detail, or db prune -d SPOOL): its changes are"
		    " forwarded to PostgreSQL");
		return EXIT_USAGE;
	}
	if ((st = store_open(db, 0, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if (store_prune(st, (int)keep, &ps) == -1) {
		log_warnx("%s", store_errmsg(st));
		store_close(st);
		return EXIT_RUNTIME;
	}
	store_close(st);
	printf("pruned %" PRIu64 " rows into %" PRIu64 " daily rows\n",
	    ps.rolled, ps.daily);
	return EXIT_OK;
}

/* RFC 4180 field; defused like the summary CSV (no formulas, no controls). */
static void
csv_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', fp);
	if (*p == '=' || *p == '+' || *p == '-' || *p == '@' || *p == '\t' ||
	    *p == '\r')
		fputc('\'', fp);
	for (; *p != '\0'; p++) {
		if (*p == '"')
			fputs("\"\"", fp);
		else if (*p == '\\')
			fputs("\\\\", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02X", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

struct export_out {
	FILE	*fp;
	int	 csv;
};

static const char *
ts(int64_t us, char *buf, size_t len)
{
	if (us == 0) {
		buf[0] = '\0';
		return buf;
	}
	return util_iso8601(us, buf, len);
}

static int
export_row(void *arg, const struct store_export_row *r)
{
	struct export_out *o = arg;
	FILE *fp = o->fp;
	char t1[UTIL_TS_LEN], t2[UTIL_TS_LEN], t3[UTIL_TS_LEN];
	const char *str[] = { r->type, r->sensor, r->device, r->ip, r->mac,
	    r->service, r->name, r->category, r->status };
	static const char *const skey[] = { "type", "sensor", "device", "ip",
	    "mac", "service", "name", "category", "status" };
	size_t i;

	ts(r->window_s > 0 ? r->bucket * 1000000 : 0, t1, sizeof(t1));
	ts(r->first_us, t2, sizeof(t2));
	ts(r->last_us, t3, sizeof(t3));
	if (o->csv) {
		for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
			csv_str(fp, str[i]);
			fputc(',', fp);
		}
		fprintf(fp, "%s,%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		    ",%s,%s,", t1, r->window_s, r->flows, r->bytes_up,
		    r->bytes_down, t2, t3);
		csv_str(fp, r->evidence);
		fprintf(fp, ",%" PRId64 ",", r->confidence);
		csv_str(fp, r->department);
		fputc(',', fp);
		csv_str(fp, r->country);
		fprintf(fp, ",%" PRId64 ",", r->asn);
		csv_str(fp, r->proto);
		fputc(',', fp);
		csv_str(fp, r->server);
		fputc(',', fp);
		csv_str(fp, r->user);
		fprintf(fp, ",%" PRIu64 ",", r->count);
		csv_str(fp, r->instance);
		fputs("\r\n", fp);
	} else {
		fputc('{', fp);
		for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
			if (i > 0)
				fputc(',', fp);
			json_key(fp, skey[i]);
			json_str(fp, str[i]);
		}
		fputc(',', fp);
		json_key(fp, "window_start");
		json_str(fp, t1[0] != '\0' ? t1 : NULL);
		fprintf(fp, ",\"window_s\":%" PRId64 ",\"flows\":%" PRIu64
		    ",\"bytes_up\":%" PRIu64 ",\"bytes_down\":%" PRIu64 ",",
		    r->window_s, r->flows, r->bytes_up, r->bytes_down);
		json_key(fp, "first_seen");
		json_str(fp, t2[0] != '\0' ? t2 : NULL);
		fputc(',', fp);
		json_key(fp, "last_seen");
		json_str(fp, t3[0] != '\0' ? t3 : NULL);
		fputc(',', fp);
		json_key(fp, "evidence");
		json_str(fp, r->evidence);
		fprintf(fp, ",\"confidence\":%" PRId64 ",", r->confidence);
		json_key(fp, "department");
		json_str(fp, r->department);
		fputc(',', fp);
		json_key(fp, "country");
		json_str(fp, r->country);
		fprintf(fp, ",\"asn\":%" PRId64 ",", r->asn);
		json_key(fp, "proto");
		json_str(fp, r->proto);
		fputc(',', fp);
		json_key(fp, "server");
		json_str(fp, r->server);
		fputc(',', fp);
		json_key(fp, "user");
		json_str(fp, r->user);
		fprintf(fp, ",\"count\":%" PRIu64 ",", r->count);
		json_key(fp, "instance");
		json_str(fp, r->instance);
		fputs("}\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

static int
db_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbs[STORE_MERGE_MAX], *out = NULL;
	struct export_out o = { stdout, 0 };
	struct pg_pulled *pulled = NULL;
	struct store *st;
	int64_t since = STORE_TIME_MIN;
	size_t ndb = 0;
	char err[1400];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:s:d:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "jsonl") == 0)
				o.csv = 0;
			else if (strcmp(optarg, "csv") == 0)
				o.csv = 1;
			else {
				log_warnx("--format: jsonl or csv, not %s",
				    optarg);
				return cmd_usage_error("db export");
			}
			break;
		case 's':
			if (util_parse_date(optarg, &since) == -1) {
				log_warnx("--since: \"%s\" is not a date; use "
				    "YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
				    "YYYY-MM-DDTHH:MM:SS (UTC)", optarg);
				return cmd_usage_error("db export");
			}
			break;
		case 'd':
			if (ndb == STORE_MERGE_MAX) {
				log_warnx("at most %d databases",
				    STORE_MERGE_MAX);
				return cmd_usage_error("db export");
			}
			dbs[ndb++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:	/* getopt_long() has named the option */
			return cmd_usage_error("db export");
		}
	}
	if (optind != argc) {
		log_warnx("db export: unexpected argument \"%s\"", argv[optind]);
		return cmd_usage_error("db export");
	}
	if (ndb == 0)
		dbs[ndb++] = paths_db();
	for (c = 0; c < (int)ndb && !pg_is_conninfo(dbs[c]); c++)
		;
	if (c < (int)ndb && (pulled = pg_pull_expand(dbs, &ndb,
	    STORE_MERGE_MAX, NULL, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	st = store_open_many(dbs, ndb, err, sizeof(err));
	pg_pulled_free(pulled);
	if (st == NULL) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if (out != NULL && (o.fp = fopen(out, "w")) == NULL) {
		log_warn("%s", out);
		store_close(st);
		return EXIT_RUNTIME;
	}
	if (o.csv)
		fputs("type,sensor,device,ip,mac,service,name,category,status,"
		    "window_start,window_s,flows,bytes_up,bytes_down,"
		    "first_seen,last_seen,evidence,confidence,department,"
		    "country,asn,proto,server,user,count,instance\r\n", o.fp);
	rc = store_export(st, since, export_row, &o);
	if (rc == -1)
		log_warnx("%s", store_errmsg(st));
	if (fflush(o.fp) == EOF || ferror(o.fp)) {
		log_warnx("%s: write error", out != NULL ? out : "stdout");
		rc = -1;
	}
	if (out != NULL) {
		if (fclose(o.fp) == EOF)
			rc = -1;
		if (rc == -1)
			unlink(out);
	}
	store_close(st);
	return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}

int
cmd_db(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "prune") == 0)
		return db_prune(argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return db_export(argc - 1, argv + 1);
	if (strcmp(argv[1], "import") == 0)
		return cmd_db_import(argc - 1, argv + 1);
	if (strcmp(argv[1], "push") == 0)
		return cmd_db_push(argc - 1, argv + 1);
	log_warnx("db: unknown command \"%s\" (prune, export, import or"
	    " push)", argv[1]);
	return cmd_usage_error("db");
}
