/* SPDX-License-Identifier: ISC */
/*
 * paths.c: default file locations. A binary that runs from its build tree
 * uses the source tree's rules and a database in the build tree, so that
 * "./src/shadowtap capture -r x.pcap" works before "make install"; an
 * installed binary uses the configured system directories.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/paths.h"
#include "base/util.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif
#ifndef SHADOWTAP_BUILDDIR
#define SHADOWTAP_BUILDDIR	"."
#endif
#ifndef SHADOWTAP_PKGDATADIR
#define SHADOWTAP_PKGDATADIR	"/usr/local/share/shadowtap"
#endif
#ifndef SHADOWTAP_SYSCONFDIR
#define SHADOWTAP_SYSCONFDIR	"/usr/local/etc"
#endif
#ifndef SHADOWTAP_LOCALSTATEDIR
#define SHADOWTAP_LOCALSTATEDIR	"/usr/local/var"
#endif

static char	rules_dir[PATH_MAX];
static char	policy_file[PATH_MAX];
static char	db_file[PATH_MAX];

int
paths_in_build_tree(void)
{
	static int cached = -1;
	char exe[PATH_MAX], want[PATH_MAX], *real;
	ssize_t n;

	if (cached != -1)
		return cached;
	cached = 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return cached;
	exe[n] = '\0';
	real = realpath(SHADOWTAP_BUILDDIR, NULL);
	if (real == NULL)
		return cached;
	snprintf(want, sizeof(want), "%s/", real);
	free(real);
	if (strncmp(exe, want, strlen(want)) == 0)
		cached = 1;
	return cached;
}

const char *
paths_rules_dir(void)
{
	const char *env = getenv("SHADOWTAP_RULES_DIR");

	if (env != NULL && *env != '\0')
		return env;
	if (paths_in_build_tree())
		snprintf(rules_dir, sizeof(rules_dir), "%s/rules",
		    SHADOWTAP_SRCDIR);
	else
		snprintf(rules_dir, sizeof(rules_dir), "%s/rules",
		    SHADOWTAP_PKGDATADIR);
	return rules_dir;
}

const char *
paths_policy_file(void)
{
	const char *env = getenv("SHADOWTAP_POLICY");

	if (env != NULL && *env != '\0')
		return env;
	if (paths_in_build_tree())
		snprintf(policy_file, sizeof(policy_file),
		    "%s/rules/policy.example", SHADOWTAP_SRCDIR);
	else
		snprintf(policy_file, sizeof(policy_file),
		    "%s/shadowtap/policy.example", SHADOWTAP_SYSCONFDIR);
	return policy_file;
}

const char *
paths_db(void)
{
	const char *env = getenv("SHADOWTAP_DB");

	if (env != NULL && *env != '\0')
		return env;
	if (paths_in_build_tree())
		snprintf(db_file, sizeof(db_file), "%s/shadowtap.db",
		    SHADOWTAP_BUILDDIR);
	else
		snprintf(db_file, sizeof(db_file),
		    "%s/lib/shadowtap/shadowtap.db", SHADOWTAP_LOCALSTATEDIR);
	return db_file;
}
