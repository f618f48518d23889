/* SPDX-License-Identifier: ISC */
/*
 * main.c: the shadowtap binary. Dispatches to a subcommand; everything
 * else lives in src/libshadowtap.a so tests and fuzzers link the same code.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_db.h"
#include "base/log.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static void
usage(FILE *fp)
{
	fputs(
"usage: shadowtap COMMAND [options]\n"
"\n"
"Finds the shadow IT on a network: which devices use which unsanctioned\n"
"cloud services, how much data goes there, and since when.\n"
"\n"
"Commands:\n"
"  capture   read packets (-r FILE or -i IFACE) and record findings\n"
"  summary   print an audit summary from the findings database\n"
"  rules     check, list and test the service catalog and policy\n"
"  db        prune old detail, export findings for a SIEM\n"
"\n"
"  shadowtap COMMAND --help    options of a command\n"
"  shadowtap --version         version\n"
"\n"
"Example:\n"
"  shadowtap capture -r sample.pcap -d findings.db\n"
"  shadowtap summary -d findings.db\n", fp);
}

int
main(int argc, char **argv)
{
	const char *cmd;

	log_init("shadowtap", 0, 0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("shadowtap %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "capture") == 0)
		return cmd_capture(argc - 1, argv + 1);
	if (strcmp(cmd, "summary") == 0)
		return cmd_summary(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "db") == 0)
		return cmd_db(argc - 1, argv + 1);
	log_warnx("unknown command \"%s\" (try shadowtap --help)", cmd);
	return EXIT_USAGE;
}
