/* SPDX-License-Identifier: ISC */
/*
 * test_rules.c: the rule-language parser. Every diagnostic is checked for
 * its exact file:line:col and text, several errors in one file are all
 * reported, and hostile input (NULs, binary, huge lines) never crashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rules.h"
#include "util.h"

/* The source tree, for the shipped catalog (set by Makefile.am). */
#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

static char tmpfile_path[64];

/* Writes len bytes to a fresh temporary file and returns its path. */
static const char *
write_tmp(const void *buf, size_t len)
{
	FILE *fp;
	int fd;

	strlcpy(tmpfile_path, "/tmp/test_rules.XXXXXX", sizeof(tmpfile_path));
	fd = mkstemp(tmpfile_path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	fclose(fp);
	return tmpfile_path;
}

static struct ruleset *
parse_str(const char *text, struct diags *d)
{
	const char *p = write_tmp(text, strlen(text));
	struct ruleset *rs = rules_parse(&p, 1, d);

	unlink(p);
	return rs;
}

static const char good[] =
    "category chat {\n"
    "\tname \"Chat\"\n"
    "\tdescription \"Say \\\"hi\\\" \\\\ bye\"\n"
    "}\n"
    "service a {\n"
    "\tname \"Alpha\"\n"
    "\tvendor \"Alpha, Inc.\"\n"
    "\tcategory chat   # trailing comment\n"
    "\trisk critical\n"
    "\tnotes \"n\"\n"
    "\tdomains a.example *.b.example\n"
    "\tdomains C.Example.\n"
    "}\n"
    "service z {\n"
    "\tname Zed\n"
    "\tcategory chat\n"
    "\tdomains z.example\n"
    "}\n"
    "default tolerated\n"
    "sanctioned category chat\n"
    "unsanctioned service z\n";

static void
test_good(void **state)
{
	struct diags *d = diags_new();
	struct ruleset *rs;
	const struct service *s;
	const struct category *c;

	(void)state;
	rs = parse_str(good, d);
	assert_int_equal(diags_count(d), 0);
	assert_int_equal(rules_nservices(rs), 2);
	assert_int_equal(rules_ncategories(rs), 1);
	s = rules_service_by_id(rs, "a");
	assert_non_null(s);
	assert_string_equal(s->name, "Alpha");
	assert_string_equal(s->vendor, "Alpha, Inc.");
	assert_string_equal(s->category, "chat");
	assert_int_equal(s->risk, RISK_CRITICAL);
	assert_int_equal(s->line, 5);
	assert_int_equal(s->verdict, VERDICT_SANCTIONED);
	assert_int_equal(s->decided_by, RULE_CATEGORY);
	assert_int_equal(s->decided_line, 20);
	s = rules_service_by_id(rs, "z");
	assert_int_equal(s->verdict, VERDICT_UNSANCTIONED);
	assert_int_equal(s->decided_by, RULE_SERVICE);
	assert_string_equal(s->name, "Zed");
	assert_int_equal(rules_default_verdict(rs), VERDICT_TOLERATED);
	c = rules_category_by_id(rs, "chat");
	assert_string_equal(c->description, "Say \"hi\" \\ bye");
	assert_int_equal(rules_ndomains(rs), 4);
	assert_string_equal(rules_domain_at(rs, 1)->name, "b.example");
	assert_string_equal(rules_domain_at(rs, 2)->name, "c.example");
	assert_int_equal(rules_domain_at(rs, 2)->col, 10);
	assert_null(rules_service_by_id(rs, "nope"));
	assert_null(rules_service_at(rs, 2));
	rules_free(rs);
	diags_free(d);
}

/* Expects diagnostic i to be at line:col with exactly msg. */
static void
expect(const struct diags *d, size_t i, int line, int col,
    enum diag_level level, const char *msg)
{
	const struct diag *g = diags_at(d, i);

	assert_non_null(g);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	assert_int_equal(g->level, level);
	assert_string_equal(g->msg, msg);
}

static void
test_errors_all_reported(void **state)
{
	struct diags *d = diags_new();
	struct ruleset *rs;
	const char *p;

	(void)state;
	rs = parse_str("category c {\n name \"C\"\n}\n"
	    "service x {\n name \"X\"\n category c\n domian x.example\n"
	    " risk extreme\n domains x.example\n}\n"
	    "sanctioned service y\n}\n", d);
	assert_int_equal(diags_errors(d), 4);
	expect(d, 0, 7, 2, DIAG_ERROR,
	    "unknown key \"domian\"; did you mean \"domains\"?");
	expect(d, 1, 8, 7, DIAG_ERROR, "bad risk level \"extreme\"; "
	    "expected low, medium, high or critical");
	expect(d, 2, 11, 20, DIAG_ERROR, "unknown service \"y\"");
	expect(d, 3, 12, 1, DIAG_ERROR, "stray \"}\" outside any block");
	p = diags_at(d, 0)->file;
	assert_non_null(strstr(p, "/tmp/test_rules."));
	rules_free(rs);
	diags_free(d);
}

static void
test_load_returns_null_on_error(void **state)
{
	struct diags *d = diags_new();
	const char *p = write_tmp("bogus\n", 6);

	(void)state;
	assert_null(rules_load(&p, 1, d));
	assert_int_equal(diags_errors(d), 1);
	expect(d, 0, 1, 1, DIAG_ERROR, "unknown statement \"bogus\"");
	unlink(p);
	diags_free(d);
}

static void
test_missing_file(void **state)
{
	struct diags *d = diags_new();
	const char *p = "/nonexistent/x.rules";
	FILE *fp;
	char buf[256];

	(void)state;
	assert_null(rules_load(&p, 1, d));
	expect(d, 0, 0, 0, DIAG_ERROR,
	    "cannot open: No such file or directory");
	fp = tmpfile();
	diags_print(d, fp);
	rewind(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	assert_string_equal(buf, "/nonexistent/x.rules: error: cannot open: "
	    "No such file or directory\n");
	fclose(fp);
	diags_free(d);
}

static void
test_duplicate_service_names_first(void **state)
{
	struct diags *d = diags_new();
	struct ruleset *rs;
	char want[160];

	(void)state;
	rs = parse_str("category c {\n name C\n}\n"
	    "service s {\n name S\n category c\n domains s.example\n}\n"
	    "service s {\n name T\n category c\n domains t.example\n}\n", d);
	assert_int_equal(diags_errors(d), 1);
	snprintf(want, sizeof(want), "duplicate service \"s\"; first defined "
	    "at %s:4", diags_at(d, 0)->file);
	expect(d, 0, 9, 9, DIAG_ERROR, want);
	assert_int_equal(rules_nservices(rs), 1);
	assert_string_equal(rules_service_at(rs, 0)->name, "S");
	rules_free(rs);
	diags_free(d);
}

static void
test_hostile_input(void **state)
{
	struct diags *d;
	struct ruleset *rs;
	const char *p;
	unsigned char *buf;
	size_t i, n = 1 << 20;
	uint32_t x = 12345;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (unsigned char)(x >> 16);
	}
	d = diags_new();
	p = write_tmp(buf, n);
	rs = rules_parse(&p, 1, d);
	assert_true(diags_errors(d) > 0);
	assert_true(diags_count(d) <= 205);
	rules_free(rs);
	unlink(p);
	diags_free(d);

	/* One huge line, NULs, a string that never ends. */
	memset(buf, 'a', n);
	buf[0] = '"';
	buf[10] = '\0';
	d = diags_new();
	p = write_tmp(buf, n);
	rs = rules_parse(&p, 1, d);
	assert_int_equal(diags_errors(d), 1);
	expect(d, 0, 1, 11, DIAG_ERROR, "control byte 0x00 in string");
	rules_free(rs);
	unlink(p);
	diags_free(d);
	free(buf);
}

static void
test_risk_str(void **state)
{
	(void)state;
	assert_string_equal(risk_str(RISK_LOW), "low");
	assert_string_equal(risk_str(RISK_CRITICAL), "critical");
	assert_string_equal(risk_str(RISK_UNSET), "unset");
}

static void
test_catalog_loads(void **state)
{
	struct diags *d = diags_new();
	struct ruleset *rs;
	const char *paths[2] = {
		SHADOWTAP_SRCDIR "/rules",
		SHADOWTAP_SRCDIR "/rules/policy.example",
	};
	const struct service *s;

	(void)state;
	rs = rules_load(paths, 2, d);
	diags_print(d, stderr);
	assert_non_null(rs);
	assert_int_equal(diags_count(d), 0);
	assert_true(rules_nservices(rs) >= 400);
	assert_true(rules_ncategories(rs) >= 18);
	s = rules_service_by_id(rs, "microsoft-teams");
	assert_non_null(s);
	assert_int_equal(s->verdict, VERDICT_SANCTIONED);
	s = rules_service_by_id(rs, "anydesk");
	assert_string_equal(s->category, "remote-access");
	assert_int_equal(s->verdict, VERDICT_UNSANCTIONED);
	rules_free(rs);
	diags_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors_all_reported),
		cmocka_unit_test(test_load_returns_null_on_error),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_duplicate_service_names_first),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_risk_str),
		cmocka_unit_test(test_catalog_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
