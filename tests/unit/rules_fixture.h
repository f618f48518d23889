/* SPDX-License-Identifier: ISC */
/*
 * rules_fixture.h: the report's unit tests load the real catalog with a
 * policy of their own; rules_fixture_load() writes the policy text to a
 * temporary file (its name into path, for tests that look for it in a
 * "file:line"), loads both and removes the file. NULL (the diagnostics
 * on stderr) when they do not load. Include after <cmocka.h> and
 * "policy/rules.h".
 */
#ifndef SHADOWTAP_TESTS_RULES_FIXTURE_H
#define SHADOWTAP_TESTS_RULES_FIXTURE_H

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

static struct ruleset *
rules_fixture_load(const char *policy, char *path, size_t pathlen)
{
	const char *paths[2];
	struct ruleset *rs;
	struct diags *d;
	int fd;

	strlcpy(path, "/tmp/shadowtap-test.XXXXXX", pathlen);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, policy, strlen(policy)),
	    (ssize_t)strlen(policy));
	close(fd);
	paths[0] = SHADOWTAP_SRCDIR "/rules";
	paths[1] = path;
	d = diags_new();
	rs = rules_load(paths, 2, d);
	if (rs == NULL)
		diags_print(d, stderr);
	diags_free(d);
	unlink(path);
	return rs;
}

#endif
