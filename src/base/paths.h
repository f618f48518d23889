/* SPDX-License-Identifier: ISC */
/*
 * paths.h: default locations, so that shadowtap works out of the box both
 * from its build tree (rules from the source tree, database in the build
 * tree) and after "make install" (pkgdatadir, sysconfdir, localstatedir).
 * The environment variables SHADOWTAP_RULES_DIR, SHADOWTAP_POLICY and
 * SHADOWTAP_DB override the defaults.
 */
#ifndef SHADOWTAP_PATHS_H
#define SHADOWTAP_PATHS_H

#include <stddef.h>

/* 1 when the running binary is the one in the build tree. */
int		 paths_in_build_tree(void);
/* Directory holding the service catalog (*.rules). */
const char	*paths_rules_dir(void);
/* The organisation's policy file (may not exist; callers check). */
const char	*paths_policy_file(void);
/* Default SQLite database path. */
const char	*paths_db(void);
/*
 * The directory part of FILE into DIR ("." when it has none); -1 when that
 * directory does not exist (or is not one), 0 when it does.
 */
int		 paths_dir_of(const char *file, char *dir, size_t size);

#endif
