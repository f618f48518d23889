/* SPDX-License-Identifier: ISC */
/*
 * cmd.h: the subcommands main.c dispatches to. Each takes the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the
 * process exit code: 0 ok, 1 runtime failure, 2 usage error or bad rules.
 */
#ifndef SHADOWTAP_CMD_H
#define SHADOWTAP_CMD_H

#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

int	cmd_capture(int argc, char **argv);

/*
 * After a usage error's one line: "try 'shadowtap CMD --help'" on stderr.
 * Returns EXIT_USAGE.
 */
int	cmd_usage_error(const char *cmd);

int	cmd_summary(int argc, char **argv);
int	cmd_rules(int argc, char **argv);

#endif
