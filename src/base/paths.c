/* SPDX-License-Identifier: ISC */
/*
 * paths.c: default file locations. A binary that runs from its build tree
 * uses the source tree's rules and a database in the build tree, so that
 * "./src/shadowtap capture -r x.pcap" works before "make install"; an
 * installed binary uses the configured system directories (config.h), moved
 * with it when it runs from PREFIX/bin of another prefix (make install
 * prefix=DIR, a staged copy).
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
#ifndef SHADOWTAP_PREFIX
#define SHADOWTAP_PREFIX	"/usr/local"
#endif
#ifndef SHADOWTAP_BINDIR
#define SHADOWTAP_BINDIR	"/usr/local/bin"
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

/*
 * The prefix the binary was installed into when that is not the configured
 * one: the binary is DIR/bin/shadowtap and DIR/bin is not SHADOWTAP_BINDIR.
 * NULL otherwise (configured prefix, or not in a bin directory).
 */
static const char *
paths_moved_prefix(void)
{
	static char prefix[PATH_MAX];
	static int cached = -1;
	char exe[PATH_MAX], *slash, *bin;
	ssize_t n;
	int same;

	if (cached != -1)
		return cached ? prefix : NULL;
	cached = 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	if ((bin = realpath(SHADOWTAP_BINDIR, NULL)) != NULL) {
		same = strcmp(bin, exe) == 0;
		free(bin);
		if (same)
			return NULL;
	}
	if ((slash = strrchr(exe, '/')) == NULL || strcmp(slash, "/bin") != 0)
		return NULL;
	*slash = '\0';
	snprintf(prefix, sizeof(prefix), "%s", exe);
	cached = 1;
	return prefix;
}

/* DIR (a configured directory) moved to the binary's prefix, into buf. */
static const char *
paths_installed(char *buf, size_t size, const char *dir)
{
	const char *moved = paths_moved_prefix();
	size_t plen = strlen(SHADOWTAP_PREFIX);

	if (moved != NULL && strncmp(dir, SHADOWTAP_PREFIX, plen) == 0 &&
	    (dir[plen] == '/' || dir[plen] == '\0'))
		snprintf(buf, size, "%s%s", moved, dir + plen);
	else
		snprintf(buf, size, "%s", dir);
	return buf;
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
		paths_installed(rules_dir, sizeof(rules_dir),
		    SHADOWTAP_PKGDATADIR "/rules");
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
		paths_installed(policy_file, sizeof(policy_file),
		    SHADOWTAP_SYSCONFDIR "/shadowtap/policy.rules");
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
		paths_installed(db_file, sizeof(db_file),
		    SHADOWTAP_LOCALSTATEDIR "/lib/shadowtap/shadowtap.db");
	return db_file;
}

int
paths_dir_of(const char *file, char *dir, size_t size)
{
	const char *slash = strrchr(file, '/');
	struct stat st;

	if (slash == NULL)
		snprintf(dir, size, ".");
	else if (slash == file)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - file), file);
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}
