/* SPDX-License-Identifier: ISC */
/*
 * cmd_dbpush.c: `shadowtap db push FILE.db ... -d postgresql://...`: loads
 * SQLite files (sensors that ran offline, or a spool to drain by hand) into
 * the central PostgreSQL database, each under its file's origin, so that a
 * file pushed twice counts once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_db.h"
#include "base/log.h"
#include "store/pg.h"

int
cmd_db_push(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	char err[1400];
	int64_t rows;
	int c, i, quiet = 0, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs("usage: shadowtap db push FILE.db ... -d"
			    " postgresql://...\n", stdout);
			return EXIT_OK;
		default:	/* getopt_long() has named the option */
			return cmd_usage_error("db push");
		}
	}
	if (db == NULL || !pg_is_conninfo(db)) {
		log_warnx("db push: -d must name a PostgreSQL database"
		    " (postgresql://... or a connection string)");
		return cmd_usage_error("db push");
	}
	if (optind == argc) {
		log_warnx("db push: no SQLite file to push");
		return cmd_usage_error("db push");
	}
	if (pg_check_conninfo(db, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (pg_push_file(argv[i], db, &rows, err, sizeof(err)) == -1) {
			log_warnx("%s: %s", argv[i], err);
			rc = EXIT_RUNTIME;
			continue;
		}
		if (!quiet)
			printf("%s: %" PRId64 " rows pushed\n", argv[i], rows);
	}
	return rc;
}
