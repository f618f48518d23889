/* SPDX-License-Identifier: ISC */
/*
 * cmd.c: what the subcommands share. A usage error is one line naming the
 * fault, then where the options are described; never the whole usage text,
 * which would scroll the fault away.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "cmd.h"

int
cmd_usage_error(const char *cmd)
{
	fprintf(stderr, "try 'shadowtap %s --help'\n", cmd);
	return EXIT_USAGE;
}
