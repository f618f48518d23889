/* SPDX-License-Identifier: ISC */
/*
 * cmd_db.h: `shadowtap db prune|export`, the retention and SIEM-export
 * side of the findings database.
 */
#ifndef SHADOWTAP_CMD_DB_H
#define SHADOWTAP_CMD_DB_H

/*
 * argv[0] is "db". `db prune --keep DAYS [-d DB]` rolls old hourly rows
 * into daily ones; `db export --format jsonl|csv [--since DATE] [-d DB
 * ...] [-o FILE]` writes every row with its sensor. Returns the exit code
 * (0 ok, 1 runtime failure, 2 usage).
 */
int	cmd_db(int argc, char **argv);
/* `db import devices FILE.csv [-d DB]` (cmd_dbimport.c); argv[0] is
 * "import". Exit code as cmd_db(). */
int	cmd_db_import(int argc, char **argv);
/* `db push FILE.db ... -d CONNINFO` (cmd_dbpush.c); argv[0] is "push".
 * Exit code as cmd_db(). */
int	cmd_db_push(int argc, char **argv);

#endif
