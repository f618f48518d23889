/* SPDX-License-Identifier: ISC */
/*
 * test_rules.c: the rule-language parser. Every diagnostic is checked for
 * its exact file:line:col and text, several errors in one file are all
 * reported, and hostile input (NULs, binary, huge lines) never crashes.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/classify.h"
#include "policy/instance.h"
#include "policy/match.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "base/util.h"

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


static const char catalog_text[] =
    "category chat {\n name Chat\n}\n"
    "category storage {\n name Storage\n}\n"
    "service figma {\n name Figma\n category chat\n domains figma.example\n}\n"
    "service box {\n name Box\n category storage\n domains box.example\n}\n"
    "service slack {\n name Slack\n category chat\n domains slack.example\n"
    " ips 192.0.2.0/24\n}\n";

static const char policy_text[] =
    "default unsanctioned\n"				/* 1 */
    "sanctioned service slack\n"			/* 2 */
    "tolerated category storage\n"			/* 3 */
    "unknown unsanctioned\n"				/* 4 */
    "ignore networks 10.99.0.0/16 2001:db8:99::/48\n"	/* 5 */
    "alert upload 100MB per day unsanctioned category storage\n" /* 6 */
    "alert upload 2 GiB per week\n"			/* 7 */
    "department \"Design\" {\n"			/* 8 */
    "\tsubnets 10.2.0.0/16 10.2.5.0/24\n"		/* 9 */
    "\tvlans 30\n"					/* 10 */
    "\tsanctioned service figma\n"			/* 11 */
    "\tunsanctioned category chat\n"			/* 12 */
    "\talert upload 1GB per day service box\n"		/* 13 */
    "}\n"						/* 14 */
    "department Finance {\n"				/* 15 */
    "\tsubnets 10.2.5.0/25\n"				/* 16 */
    "\tvlans 20\n"					/* 17 */
    "}\n"						/* 18 */
    "override service box {\n"				/* 19 */
    "\tname \"Box (company tenant)\"\n"		/* 20 */
    "\tcategory storage\n"				/* 21 */
    "\tdomains company.box.example\n"			/* 22 */
    "}\n";

static struct ruleset *
load_two(const char *a, const char *b, struct diags *d, int parse)
{
	char pa[] = "/tmp/test_rules_a.XXXXXX", pb[] = "/tmp/test_rules_b.XXXXXX";
	const char *paths[2] = { pa, pb };
	struct ruleset *rs;
	FILE *fp;
	int fd;

	fd = mkstemp(pa);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(a, fp);
	fclose(fp);
	fd = mkstemp(pb);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(b, fp);
	fclose(fp);
	rs = parse ? rules_parse(paths, 2, d) : rules_load(paths, 2, d);
	unlink(pa);
	unlink(pb);
	return rs;
}

/* What classify() makes of a host name: "svc/instance verdict". */
static const char *
inst_of(const struct ruleset *rs, const char *name, char *buf, size_t len)
{
	struct classify_in in;
	struct classify_out out;

	memset(&in, 0, sizeof(in));
	in.family = AF_INET;
	in.name = name;
	in.ja4 = in.signature = "";
	classify(rs, &in, &out);
	strlcpy(buf, out.svc != NULL ? out.svc->id : "-", len);
	strlcat(buf, "/", len);
	strlcat(buf, out.instance, len);
	strlcat(buf, " ", len);
	strlcat(buf, verdict_str(out.verdict), len);
	return buf;
}

/*
 * A UDP flow seen from its middle may have its roles guessed wrong: when
 * the server address names nothing and the server port is not a
 * well-known one, a vendor's address on the client side names the
 * service, with less confidence than the server side would.
 */
static void
test_client_side_address(void **state)
{
	static const char text[] =
	    "category c {\n\tname \"C\"\n}\n"
	    "service v {\n\tname \"V\"\n\tcategory c\n"
	    "\tips 198.51.100.0/24\n}\n";
	static const uint8_t vendor[4] = { 198, 51, 100, 7 };
	static const uint8_t other[4] = { 203, 0, 113, 9 };
	struct diags *d = diags_new();
	struct ruleset *rs;
	struct classify_in in;
	struct classify_out out, srv;

	(void)state;
	rs = parse_str(text, d);
	assert_non_null(rs);
	memset(&in, 0, sizeof(in));
	in.family = AF_INET;
	in.proto = IPPROTO_UDP;
	in.server_port = 54935;
	in.name = in.ja4 = in.signature = "";
	in.server_ip = vendor;
	in.client_ip = other;
	classify(rs, &in, &srv);
	assert_non_null(srv.svc);
	assert_string_equal(srv.svc->id, "v");
	assert_int_equal(srv.evidence, EVIDENCE_IP);
	in.server_ip = other;
	in.client_ip = vendor;
	classify(rs, &in, &out);
	assert_non_null(out.svc);
	assert_string_equal(out.svc->id, "v");
	assert_int_equal(out.evidence, EVIDENCE_IP);
	assert_true(out.confidence < srv.confidence);
	/* Not when the server port is a well-known one, nor over TCP. */
	in.server_port = 427;
	classify(rs, &in, &out);
	assert_null(out.svc);
	in.server_port = 54935;
	in.proto = IPPROTO_TCP;
	classify(rs, &in, &out);
	assert_null(out.svc);
	in.proto = IPPROTO_UDP;
	in.client_ip = other;
	classify(rs, &in, &out);
	assert_null(out.svc);
	in.client_ip = NULL;
	classify(rs, &in, &out);
	assert_null(out.svc);
	rules_free(rs);
	diags_free(d);
}

/* Instance patterns, exceptions, an override and "when instance is". */
static void
test_instances(void **state)
{
	static const char catalog[] =
	    "category c {\n\tname \"C\"\n}\n"
	    "service sp {\n\tname \"SP\"\n\tcategory c\n"
	    "\tdomains sp.example\n"
	    "\tinstance \"{t}-my.sp.example\" \"{t}.sp.example\"\n"
	    "\tinstance-except www us*web\n}\n"
	    "service s3 {\n\tname \"S3\"\n\tcategory c\n"
	    "\tdomains s3.example\n"
	    "\tinstance \"{b}.s3.{r}.s3.example\" \"{b}.s3.example\"\n}\n"
	    "service gone {\n\tname \"G\"\n\tcategory c\n"
	    "\tdomains g.example\n\tinstance \"{t}.g.example\"\n}\n";
	static const char policy[] =
	    "default tolerated\n"
	    "sanctioned service sp when instance is acme, acme-eu\n"
	    "tolerated service s3 when instance is our-bucket\n"
	    "tolerated service s3 when instance is any other\n"
	    "override service gone {\n\tname \"G\"\n\tcategory c\n"
	    "\tdomains g.example\n}\n";
	struct diags *d = diags_new();
	struct ruleset *rs;
	char b[128];

	(void)state;
	rs = load_two(catalog, policy, d, 0);
	if (diags_count(d) > 0)
		diags_print(d, stderr);
	assert_non_null(rs);
	assert_int_equal(diags_count(d), 0);
	/* The first pattern that matches wins: acme-my is the tenant acme. */
	assert_string_equal(inst_of(rs, "acme-my.sp.example", b, sizeof(b)),
	    "sp/acme sanctioned");
	assert_string_equal(inst_of(rs, "acme.sp.example", b, sizeof(b)),
	    "sp/acme sanctioned");
	assert_string_equal(inst_of(rs, "acme-eu.sp.example", b, sizeof(b)),
	    "sp/acme-eu sanctioned");
	/* Another tenant of a sanctioned service: unsanctioned by default. */
	assert_string_equal(inst_of(rs, "contoso-my.sp.example", b, sizeof(b)),
	    "sp/contoso unsanctioned");
	/* No instance: the service's own verdict, from the first statement. */
	assert_string_equal(inst_of(rs, "sp.example", b, sizeof(b)),
	    "sp/ sanctioned");
	assert_string_equal(inst_of(rs, "x.acme.sp.example", b, sizeof(b)),
	    "sp/ sanctioned");
	/* The vendor's own labels, exact or with one "*". */
	assert_string_equal(inst_of(rs, "www.sp.example", b, sizeof(b)),
	    "sp/ sanctioned");
	assert_string_equal(inst_of(rs, "us02web.sp.example", b, sizeof(b)),
	    "sp/ sanctioned");
	/* Several placeholders: the first is the instance. */
	assert_string_equal(inst_of(rs, "logs.s3.eu-1.s3.example", b,
	    sizeof(b)), "s3/logs tolerated");
	assert_string_equal(inst_of(rs, "our-bucket.s3.example", b, sizeof(b)),
	    "s3/our-bucket tolerated");
	/* Path-style: no instance. */
	assert_string_equal(inst_of(rs, "s3.eu-1.s3.example", b, sizeof(b)),
	    "s3/ tolerated");
	/* An override replaces the catalog's patterns. */
	assert_string_equal(inst_of(rs, "acme.g.example", b, sizeof(b)),
	    "gone/ tolerated");
	assert_int_equal(instance_is_other(rs, rules_service_by_id(rs, "sp"),
	    "contoso"), 1);
	assert_int_equal(instance_is_other(rs, rules_service_by_id(rs, "sp"),
	    "acme"), 0);
	rules_free(rs);
	diags_free(d);
}

static void
addr_of(const char *text, int *family, uint8_t a[16])
{
	*family = inet_pton(AF_INET, text, a) == 1 ? AF_INET : AF_INET6;
	if (*family == AF_INET6)
		assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

/* Departments, exceptions, ignore, unknown, thresholds and override. */
static void
test_policy_departments(void **state)
{
	struct diags *d = diags_new();
	const struct department *design, *fin, *dp;
	const struct service *figma, *box, *slack;
	const struct threshold *t;
	struct decision dc;
	struct rule_loc loc;
	struct ruleset *rs;
	uint8_t a[16];
	int fam;

	(void)state;
	rs = load_two(catalog_text, policy_text, d, 0);
	diags_print(d, stderr);
	assert_non_null(rs);
	assert_int_equal(diags_count(d), 0);
	figma = rules_service_by_id(rs, "figma");
	box = rules_service_by_id(rs, "box");
	slack = rules_service_by_id(rs, "slack");
	design = rules_department_by_name(rs, "Design");
	fin = rules_department_by_name(rs, "Finance");
	assert_non_null(design);
	assert_non_null(fin);
	assert_int_equal(design->loc.line, 8);

	/* Organisation-wide decisions. */
	assert_int_equal(rules_verdict(rs, figma, NULL, &dc),
	    VERDICT_UNSANCTIONED);
	assert_int_equal(dc.level, RULE_DEFAULT);
	assert_int_equal(rules_verdict(rs, box, NULL, &dc), VERDICT_TOLERATED);
	assert_int_equal(dc.level, RULE_CATEGORY);
	assert_int_equal(dc.loc.line, 3);
	assert_null(dc.dept);
	/* A department's statements beat the organisation's, even a
	 * department category statement over an organisation service one. */
	assert_int_equal(rules_verdict(rs, figma, design, &dc),
	    VERDICT_SANCTIONED);
	assert_int_equal(dc.level, RULE_SERVICE);
	assert_ptr_equal(dc.dept, design);
	assert_int_equal(dc.loc.line, 11);
	assert_int_equal(dc.loc.col, 21);
	assert_int_equal(rules_verdict(rs, slack, design, &dc),
	    VERDICT_UNSANCTIONED);
	assert_int_equal(dc.level, RULE_CATEGORY);
	assert_int_equal(dc.loc.line, 12);
	/* Nothing said by the department: the organisation decides. */
	assert_int_equal(rules_verdict(rs, slack, fin, &dc),
	    VERDICT_SANCTIONED);
	assert_null(dc.dept);
	assert_int_equal(dc.loc.line, 2);
	assert_int_equal(rules_verdict(rs, box, design, NULL),
	    VERDICT_TOLERATED);
	/* Unclassified names. */
	assert_int_equal(rules_verdict(rs, NULL, design, &dc),
	    VERDICT_UNSANCTIONED);
	assert_int_equal(dc.level, RULE_UNKNOWN);
	assert_int_equal(dc.loc.line, 4);
	assert_int_equal(rules_unknown_verdict(rs), VERDICT_UNSANCTIONED);

	/* Department of an address: longest subnet, then VLAN. */
	addr_of("10.2.5.7", &fam, a);
	assert_ptr_equal(match_department(rs, fam, a, 30, &loc), fin);
	assert_int_equal(loc.line, 16);
	addr_of("10.2.5.200", &fam, a);
	assert_ptr_equal(match_department(rs, fam, a, 20, &loc), design);
	assert_int_equal(loc.line, 9);
	assert_int_equal(loc.col, 22);
	addr_of("::ffff:10.2.1.1", &fam, a);
	assert_ptr_equal(match_department(rs, fam, a, 0, NULL), design);
	addr_of("10.7.0.1", &fam, a);
	assert_ptr_equal(match_department(rs, fam, a, 20, &loc), fin);
	assert_int_equal(loc.line, 17);
	assert_null(match_department(rs, fam, a, 0, &loc));
	assert_null(loc.file);
	assert_null(match_department(rs, fam, a, 4095, NULL));
	dp = rules_vlan_department(rs, 30, &loc);
	assert_ptr_equal(dp, design);
	assert_int_equal(loc.line, 10);

	/* Ignored networks. */
	addr_of("10.99.1.2", &fam, a);
	assert_int_equal(match_ignored(rs, fam, a, &loc), 1);
	assert_int_equal(loc.line, 5);
	assert_int_equal(loc.col, 17);
	addr_of("2001:db8:99:1::1", &fam, a);
	assert_int_equal(match_ignored(rs, fam, a, &loc), 1);
	assert_int_equal(loc.col, 30);
	addr_of("10.98.1.2", &fam, a);
	assert_int_equal(match_ignored(rs, fam, a, NULL), 0);

	/* Thresholds. */
	assert_int_equal(rules_nthresholds(rs), 3);
	t = rules_threshold_at(rs, 0);
	assert_true(t->bytes == 100000000ULL);
	assert_int_equal(t->period, 86400);
	assert_int_equal(t->verdict, VERDICT_UNSANCTIONED);
	assert_int_equal(t->scope, RULE_CATEGORY);
	assert_string_equal(t->id, "storage");
	assert_null(t->dept);
	assert_false(rules_threshold_applies(t, box, VERDICT_TOLERATED, NULL));
	assert_true(rules_threshold_applies(t, box, VERDICT_UNSANCTIONED,
	    design));
	assert_false(rules_threshold_applies(t, slack, VERDICT_UNSANCTIONED,
	    NULL));
	t = rules_threshold_at(rs, 1);
	assert_true(t->bytes == 2ULL << 30);
	assert_int_equal(t->period, 604800);
	assert_int_equal(t->scope, RULE_DEFAULT);
	assert_true(rules_threshold_applies(t, NULL, VERDICT_SANCTIONED, NULL));
	t = rules_threshold_at(rs, 2);
	assert_ptr_equal(t->dept, design);
	assert_int_equal(t->scope, RULE_SERVICE);
	assert_int_equal(t->loc.line, 13);
	assert_true(rules_threshold_applies(t, box, VERDICT_TOLERATED, design));
	assert_false(rules_threshold_applies(t, box, VERDICT_TOLERATED, fin));
	assert_null(rules_threshold_at(rs, 3));

	/* The override replaced the catalog's box in place. */
	assert_int_equal(rules_nservices(rs), 3);
	assert_string_equal(box->name, "Box (company tenant)");
	assert_int_equal(box->line, 19);
	assert_null(match_name(rs, "box.example"));
	assert_ptr_equal(match_name(rs, "x.company.box.example"), box);
	assert_ptr_equal(match_name(rs, "slack.example"), slack);
	rules_free(rs);
	diags_free(d);
}

/* A service redefined in another file without "override" says how. */
static void
test_override_hint(void **state)
{
	struct diags *d = diags_new();
	const struct diag *g;
	struct ruleset *rs;

	(void)state;
	rs = load_two(catalog_text,
	    "service box {\n name B\n category storage\n domains b.example\n}\n",
	    d, 0);
	assert_null(rs);
	assert_int_equal(diags_errors(d), 1);
	g = diags_at(d, 0);
	assert_int_equal(g->line, 1);
	assert_int_equal(g->col, 9);
	assert_non_null(strstr(g->msg, "; to replace it, write \"override "
	    "service box\""));
	diags_free(d);
}

/* Exact diagnostics for the new keys and statements. */
static void
test_new_diagnostics(void **state)
{
	static const char text[] =
	    "category c {\n name C\n}\n"			/* 1-3 */
	    "service s {\n name S\n category c\n"		/* 4-6 */
	    "\tips 10.0.0.1/8 ::/129\n"			/* 7 */
	    "\tasns AS\n"					/* 8 */
	    "\tprotocols wireguad\n"				/* 9 */
	    "\tports tcp/\n"					/* 10 */
	    "\tja4\n"						/* 11 */
	    "}\n"						/* 12 */
	    "department {\n"					/* 13 */
	    "}\n"						/* 14 */
	    "department D {\n"					/* 15 */
	    "\tvlan 3\n"					/* 16 */
	    "\tsubnets\n"					/* 17 */
	    "\tdefault sanctioned\n"				/* 18 */
	    "alert upload\n"					/* 19 */
	    "alert upload 5 per day\n"			/* 20 */
	    "alert upload 5MB per\n"				/* 21 */
	    "alert upload 5MB per day sanctioned category\n"	/* 22 */
	    "alert upload 5MB per day bogus\n"		/* 23 */
	    "ignore networks\n"				/* 24 */
	    "override category c {\n";			/* 25 */
	struct diags *d = diags_new();
	struct ruleset *rs;
	size_t i = 0;

	(void)state;
	rs = parse_str(text, d);
	diags_print(d, stderr);
	/* Not "can never match" at 4:9: its matchers' lines are the cause. */
	expect(d, i++, 7, 6, DIAG_ERROR, "bad network \"10.0.0.1/8\": host "
	    "bits are set; did you mean \"10.0.0.0/8\"?");
	expect(d, i++, 7, 17, DIAG_ERROR, "bad network \"::/129\": prefix "
	    "length must be 0 to 128");
	expect(d, i++, 8, 7, DIAG_ERROR, "bad AS number \"AS\"; expected 1 "
	    "to 4294967295, as 64496 or AS64496");
	expect(d, i++, 9, 12, DIAG_ERROR, "unknown protocol \"wireguad\"; "
	    "did you mean \"wireguard\"?");
	expect(d, i++, 10, 8, DIAG_ERROR, "bad port \"tcp/\"; expected tcp/N "
	    "or udp/N with N from 1 to 65535");
	expect(d, i++, 11, 5, DIAG_ERROR, "missing value for \"ja4\"");
	expect(d, i++, 13, 12, DIAG_ERROR, "expected a department name after "
	    "\"department\"");
	expect(d, i++, 15, 1, DIAG_ERROR, "unterminated block for department "
	    "\"D\": missing \"}\"");
	expect(d, i++, 16, 2, DIAG_ERROR, "unknown key \"vlan\" in a "
	    "department; did you mean \"vlans\"?");
	expect(d, i++, 17, 9, DIAG_ERROR, "missing value for \"subnets\"");
	expect(d, i++, 19, 13, DIAG_ERROR, "expected a size after "
	    "\"upload\"");
	expect(d, i++, 20, 15, DIAG_ERROR, "missing unit after size \"5\"; "
	    "use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
	expect(d, i++, 21, 21, DIAG_ERROR, "expected hour, day or week after "
	    "\"per\"");
	expect(d, i++, 22, 45, DIAG_ERROR, "expected at least one category id "
	    "after \"category\"");
	expect(d, i++, 23, 26, DIAG_ERROR, "expected a verdict, \"category\" "
	    "or \"service\", not \"bogus\"");
	expect(d, i++, 24, 16, DIAG_ERROR, "missing value for \"ignore "
	    "networks\"");
	expect(d, i++, 25, 10, DIAG_ERROR, "expected \"service\" after "
	    "\"override\", not \"category\"");
	assert_int_equal(diags_count(d), i);
	rules_free(rs);
	diags_free(d);
}

/*
 * Reload: a ruleset is immutable, so a new load never disturbs the one
 * in use, and a load with errors returns NULL: the caller keeps the old.
 */
static void
test_reload_broken_keeps_old(void **state)
{
	char path[] = "/tmp/test_reload.XXXXXX";
	const char *p = path;
	struct ruleset *cur, *next;
	struct diags *d;
	const struct service *s;
	size_t i;
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(catalog_text, fp);
	fclose(fp);
	d = diags_new();
	cur = rules_load(&p, 1, d);
	assert_non_null(cur);
	diags_free(d);
	s = match_name(cur, "www.slack.example");
	assert_non_null(s);

	/* The file is broken while the old rules are in use. */
	fp = fopen(path, "w");
	fputs("service slack {\n name Slack\n category chat\n domians x.example\n",
	    fp);
	fclose(fp);
	d = diags_new();
	next = rules_load(&p, 1, d);
	assert_null(next);
	assert_int_equal(diags_errors(d), 3);
	for (i = 0; i < diags_count(d); i++)
		if (strstr(diags_at(d, i)->msg, "\"domians\"") != NULL)
			break;
	assert_true(i < diags_count(d));
	assert_string_equal(diags_at(d, i)->msg, "unknown key \"domians\"; "
	    "did you mean \"domains\"?");
	diags_free(d);
	/* The old ruleset, and pointers into it, are untouched. */
	assert_ptr_equal(match_name(cur, "www.slack.example"), s);
	assert_string_equal(s->name, "Slack");

	/* Fixed again: the new one loads; swap, then free the old one. */
	fp = fopen(path, "w");
	fputs("category chat {\n name Chat\n}\n"
	    "service teams {\n name Teams\n category chat\n domains slack.example\n}\n",
	    fp);
	fclose(fp);
	d = diags_new();
	next = rules_load(&p, 1, d);
	assert_non_null(next);
	diags_free(d);
	assert_string_equal(match_name(next, "www.slack.example")->id, "teams");
	assert_string_equal(match_name(cur, "www.slack.example")->id, "slack");
	rules_free(cur);
	cur = next;
	assert_string_equal(match_name(cur, "slack.example")->id, "teams");
	rules_free(cur);
	unlink(path);
}

/* Writes text to dir/name. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Diagnostics as "file:line:col: level: msg" lines, for comparison. */
static char *
diag_text(const struct diags *d)
{
	const struct diag *g;
	size_t i, len = 0;
	char *out = xcalloc(1, 1), line[1024];

	for (i = 0; (g = diags_at(d, i)) != NULL; i++) {
		snprintf(line, sizeof(line), "%s:%d:%d: %d: %s\n", g->file,
		    g->line, g->col, (int)g->level, g->msg);
		out = xreallocarray(out, len + strlen(line) + 1, 1);
		memcpy(out + len, line, strlen(line) + 1);
		len += strlen(line);
	}
	return out;
}

/*
 * Rule sources (the SIGHUP path): a directory gives its *.rules files in
 * name order, the bundle carries them byte for byte, and parsing the
 * unpacked bundle gives the same rules and the same file:line:col
 * diagnostics as parsing the files; a damaged bundle is refused whole.
 */
static void
test_sources_bundle(void **state)
{
	char dir[] = "/tmp/test_rulesrc.XXXXXX", pol[600], err[160];
	const char *paths[2];
	struct rules_sources src, back;
	struct diags *d1, *d2;
	struct ruleset *r1, *r2;
	uint8_t *b, *bad;
	size_t blen, i;
	char *t1, *t2;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "b.rules", catalog_text);
	put_file(dir, "a.rules", "category notes {\n\tname \"Notes\"\n}\n"
	    "service scribble {\n\tname \"Scribble\"\n\tcategory notes\n"
	    "\tdomains scribble.example\n\tdomians typo.example\n}\n");
	put_file(dir, "README", "not a rule file\n");
	snprintf(pol, sizeof(pol), "%s/policy", dir);
	put_file(dir, "policy", "default tolerated\n"
	    "unsanctioned service scribble\n");
	paths[0] = dir;
	paths[1] = pol;

	memset(&src, 0, sizeof(src));
	rulesrc_read(&src, paths, 2);
	assert_int_equal(src.n, 3);
	assert_int_equal(src.nerr, 0);
	assert_non_null(strstr(src.v[0].name, "/a.rules"));
	assert_non_null(strstr(src.v[1].name, "/b.rules"));
	assert_string_equal(src.v[2].name, pol);
	assert_int_equal(src.v[1].len, strlen(catalog_text));

	assert_int_equal(rulesrc_pack(&src, &b, &blen, err, sizeof(err)), 0);
	assert_int_equal(rulesrc_unpack(&back, b, blen, err, sizeof(err)), 0);
	assert_int_equal(back.n, src.n);
	for (i = 0; i < src.n; i++) {
		assert_string_equal(back.v[i].name, src.v[i].name);
		assert_int_equal(back.v[i].len, src.v[i].len);
		assert_memory_equal(back.v[i].buf, src.v[i].buf, src.v[i].len);
	}

	/* The same rules and diagnostics from the files and the bundle. */
	d1 = diags_new();
	d2 = diags_new();
	r1 = rules_parse(paths, 2, d1);
	r2 = rules_parse_sources(&back, d2);
	assert_int_equal(diags_errors(d1), 1);	/* "domians" */
	t1 = diag_text(d1);
	t2 = diag_text(d2);
	assert_string_equal(t1, t2);
	assert_non_null(strstr(t1, "/a.rules:8:2: 0: unknown key "
	    "\"domians\"; did you mean \"domains\"?"));
	assert_int_equal(rules_nservices(r1), rules_nservices(r2));
	assert_non_null(match_name(r2, "www.slack.example"));
	assert_int_equal(rules_verdict(r2, rules_service_by_id(r2,
	    "scribble"), NULL, NULL), VERDICT_UNSANCTIONED);
	assert_null(rules_load_sources(&back, d2));	/* errors: NULL */
	free(t1);
	free(t2);
	rules_free(r1);
	rules_free(r2);
	diags_free(d1);
	diags_free(d2);
	rulesrc_free(&back);

	/* Every truncation, and a stray byte after the end, is refused. */
	for (i = 0; i < blen; i++) {
		assert_int_equal(rulesrc_unpack(&back, b, i, err,
		    sizeof(err)), -1);
		assert_int_equal(back.n, 0);
	}
	bad = xmalloc(blen + 1);
	memcpy(bad, b, blen);
	bad[blen] = 0;
	assert_int_equal(rulesrc_unpack(&back, bad, blen + 1, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "after the last entry"));
	/* A control byte in a name; a huge entry count. */
	memcpy(bad, b, blen);
	bad[8 + 1 + 4] = '\n';
	assert_int_equal(rulesrc_unpack(&back, bad, blen, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "bad name"));
	memcpy(bad, b, blen);
	bad[4] = 0x7f;
	assert_int_equal(rulesrc_unpack(&back, bad, blen, err,
	    sizeof(err)), -1);
	free(bad);
	free(b);
	rulesrc_free(&src);

	/* A file that cannot be read is an error entry: nothing is packed. */
	paths[1] = "/nonexistent/policy";
	rulesrc_read(&src, paths, 2);
	assert_int_equal(src.nerr, 1);
	assert_int_equal(src.v[src.n - 1].kind, RULESRC_ERROR);
	assert_int_equal(rulesrc_pack(&src, &b, &blen, err, sizeof(err)), -1);
	d1 = diags_new();
	assert_null(rules_load_sources(&src, d1));
	t1 = diag_text(d1);
	assert_non_null(strstr(t1, "/nonexistent/policy:0:0: 0: cannot "
	    "open: No such file or directory"));
	free(t1);
	diags_free(d1);
	rulesrc_free(&src);

	snprintf(pol, sizeof(pol), "rm -rf '%s'", dir);
	assert_int_equal(system(pol), 0);
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
		cmocka_unit_test(test_policy_departments),
		cmocka_unit_test(test_override_hint),
		cmocka_unit_test(test_new_diagnostics),
		cmocka_unit_test(test_reload_broken_keeps_old),
		cmocka_unit_test(test_sources_bundle),
		cmocka_unit_test(test_instances),
		cmocka_unit_test(test_client_side_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
