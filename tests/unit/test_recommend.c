/* SPDX-License-Identifier: ISC */
/*
 * test_recommend.c: the summary's recommendations against the real
 * catalog and small policies: each rule of recommend.c, and the two
 * sentences that once contradicted the example policy ("Sanction one
 * vpn-proxy service" beside "Ask why 2 devices use personal VPN", and
 * "Move the devices ... to Microsoft OneDrive (personal), the sanctioned
 * one").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/rules.h"
#include "report/render.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"
#include "rules_fixture.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

#define US	1000000LL
#define D0	1704153600LL	/* 2024-01-02T00:00:00Z */

static char policy_path[64];

/* The real catalog and policy text (written to a temporary file). */
static struct ruleset *
load(const char *policy)
{
	struct ruleset *rs;

	assert_non_null(rs = rules_fixture_load(policy, policy_path,
	    sizeof(policy_path)));
	return rs;
}

/* A finding of service id (as the catalog and rs decide it). */
static void
use(struct store *st, const struct ruleset *rs, const char *dev,
    const char *id, int64_t t, uint64_t up)
{
	const struct service *s = rules_service_by_id(rs, id);
	struct finding f;

	assert_non_null(s);
	assert_int_equal(store_put_service(st, s->id, s->name, s->category,
	    risk_str(s->risk), s->verdict), 0);
	memset(&f, 0, sizeof(f));
	strlcpy(f.device, dev, sizeof(f.device));
	strlcpy(f.ip, dev, sizeof(f.ip));
	strlcpy(f.service, id, sizeof(f.service));
	strlcpy(f.category, s->category, sizeof(f.category));
	f.verdict = s->verdict;
	f.bucket = t - t % 3600;
	f.window_s = 3600;
	f.flows = 1;
	f.bytes_up = up;
	f.bytes_down = up;
	f.first_us = t * US;
	f.last_us = t * US + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
}

static struct store *
db(void)
{
	struct store *st;
	char err[256];

	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	return st;
}

static struct report *
build(struct store *st, const struct ruleset *rs)
{
	struct report_opts o;
	struct report *r;

	memset(&o, 0, sizeof(o));
	o.since_us = STORE_TIME_MIN;
	o.until_us = STORE_TIME_MAX;
	o.rules = rs;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	return r;
}

static const struct report_rec *
find_kind(const struct report *r, const char *kind, const char *cat)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++)
		if (strcmp(r->recs[i].kind, kind) == 0 && (cat == NULL ||
		    strcmp(r->recs[i].category, cat) == 0))
			return &r->recs[i];
	return NULL;
}

static int
any_text(const struct report *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++)
		if (strstr(r->recs[i].text, needle) != NULL)
			return 1;
	return 0;
}

/* The statement rec->rule names is line `line` of the policy file. */
static void
rule_is(const struct report_rec *rec, int line)
{
	char want[128];
	const char *base = strrchr(policy_path, '/') + 1;

	snprintf(want, sizeof(want), "%s:%d", base, line);
	assert_string_equal(rec->rule, want);
}

/*
 * Personal VPNs are forbidden by category and no organisation picks one:
 * never "Sanction one vpn-proxy service", only "Ask why", citing the
 * statement.
 */
static void
test_vpn_forbidden(void **state)
{
	static const char policy[] =
	    "default unsanctioned\n"
	    "unsanctioned category remote-access vpn-proxy tunneling\n";
	const struct report_rec *e;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;

	(void)state;
	use(st, rs, "10.0.0.1", "surfshark", D0, 1000);
	use(st, rs, "10.0.0.2", "nordvpn", D0 + 86400, 2000);
	r = build(st, rs);
	assert_false(any_text(r, "Sanction one"));
	assert_false(any_text(r, "Choose one vpn-proxy"));
	assert_null(find_kind(r, "pick-one", NULL));
	assert_non_null(e = find_kind(r, "vpn-proxy", NULL));
	assert_non_null(strstr(e->text, "Ask why 2 devices use personal"
	    " VPN"));
	rule_is(e, 2);
	assert_int_equal(e->devices, 2);
	assert_int_equal(e->bytes_up, 3000);
	assert_int_equal(e->days, 2);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/* Not forbidden, but not a category where one tool is picked either. */
static void
test_vpn_not_pick_one(void **state)
{
	struct ruleset *rs = load("default unsanctioned\n");
	struct store *st = db();
	struct report *r;

	(void)state;
	assert_int_equal(rules_pick_one(rs, "vpn-proxy", NULL), 0);
	assert_int_equal(rules_pick_one(rs, "cloud-storage", NULL), 1);
	use(st, rs, "10.0.0.1", "surfshark", D0, 1000);
	use(st, rs, "10.0.0.2", "nordvpn", D0, 2000);
	use(st, rs, "10.0.0.1", "youtube", D0, 10);
	use(st, rs, "10.0.0.2", "netflix", D0, 10);
	r = build(st, rs);
	assert_null(find_kind(r, "pick-one", NULL));
	assert_null(find_kind(r, "move-to", NULL));
	assert_non_null(find_kind(r, "vpn-proxy", NULL));
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/*
 * The example policy sanctions microsoft-onedrive, which the catalog
 * names "Microsoft OneDrive (personal)": never "the sanctioned one".
 */
static void
test_personal_edition(void **state)
{
	static const char policy[] =
	    "default unsanctioned\n"
	    "sanctioned service microsoft-teams microsoft-onedrive\n";
	const struct report_rec *e;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;

	(void)state;
	assert_true(report_rec_personal("Microsoft OneDrive (personal)"));
	assert_false(report_rec_personal("Box"));
	use(st, rs, "10.0.0.1", "microsoft-onedrive", D0, 100);
	use(st, rs, "10.0.0.2", "google-drive", D0, 5000);
	r = build(st, rs);
	assert_false(any_text(r, "to Microsoft OneDrive (personal)"));
	assert_false(any_text(r, "(personal), the sanctioned one"));
	assert_null(find_kind(r, "move-to", NULL));
	assert_non_null(e = find_kind(r, "personal-edition",
	    "cloud-storage"));
	assert_string_equal(e->targets, "");
	rule_is(e, 2);
	assert_int_equal(e->devices, 1);
	assert_int_equal(e->bytes_up, 5000);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/* A sanctioned company tool in use: move the others to it. */
static void
test_move_to(void **state)
{
	static const char policy[] =
	    "default unsanctioned\n"
	    "\n"
	    "sanctioned service box\n";
	const struct report_rec *e;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;

	(void)state;
	use(st, rs, "10.0.0.1", "box", D0, 100);
	use(st, rs, "10.0.0.2", "dropbox", D0, 5000);
	use(st, rs, "10.0.0.3", "wetransfer", D0 + 2 * 86400, 7000);
	r = build(st, rs);
	assert_non_null(e = find_kind(r, "move-to", "file-sharing"));
	assert_string_equal(e->text, "Move the 2 devices using other"
	    " file-sharing services (WeTransfer, Dropbox) to Box, the"
	    " sanctioned one.");
	assert_string_equal(e->targets, ",box,");
	rule_is(e, 3);
	assert_int_equal(e->devices, 2);
	assert_int_equal(e->bytes_up, 12000);
	assert_int_equal(e->days, 3);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/*
 * No sanctioned tool: choose one, among those the policy does not forbid
 * (MEGA is forbidden by a service statement).
 */
static void
test_pick_one(void **state)
{
	static const char policy[] =
	    "default unsanctioned\n"
	    "unsanctioned service mega\n";
	const struct report_rec *e;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;

	(void)state;
	use(st, rs, "10.0.0.1", "mega", D0, 100000);
	use(st, rs, "10.0.0.2", "dropbox", D0, 5000);
	use(st, rs, "10.0.0.3", "wetransfer", D0, 7000);
	r = build(st, rs);
	assert_non_null(e = find_kind(r, "pick-one", "file-sharing"));
	assert_string_equal(e->targets, ",wetransfer,dropbox,");
	assert_null(strstr(e->text, "MEGA"));
	assert_string_equal(e->text, "Choose one file-sharing tool for the"
	    " organisation (candidates in use: WeTransfer, Dropbox) and move"
	    " the 3 devices using the others to it.");
	rule_is(e, 1);
	/* Ranked by risk x devices: it comes before "Review ...". */
	assert_true(e == &r->recs[0] || e == &r->recs[1]);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/*
 * "pick-one category" replaces the built-in list: streaming becomes one
 * (cited), file sharing is no longer.
 */
static void
test_pick_one_configured(void **state)
{
	static const char policy[] =
	    "default unsanctioned\n"
	    "pick-one category streaming notes\n";
	const struct report_rec *e;
	struct rule_loc why;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;

	(void)state;
	assert_int_equal(rules_pick_one(rs, "streaming", &why), 1);
	assert_int_equal(why.line, 2);
	assert_int_equal(rules_pick_one(rs, "file-sharing", NULL), 0);
	use(st, rs, "10.0.0.1", "youtube", D0, 10);
	use(st, rs, "10.0.0.2", "netflix", D0, 10);
	use(st, rs, "10.0.0.2", "dropbox", D0, 10);
	use(st, rs, "10.0.0.3", "wetransfer", D0, 10);
	r = build(st, rs);
	assert_non_null(e = find_kind(r, "pick-one", "streaming"));
	rule_is(e, 2);
	assert_null(find_kind(r, "pick-one", "file-sharing"));
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/* Without a policy no recommendation proposes a service. */
static void
test_no_policy(void **state)
{
	struct ruleset *rs = load("sanctioned service box\n");
	struct store *st = db();
	struct report *r;
	size_t i;

	(void)state;
	use(st, rs, "10.0.0.1", "box", D0, 100);
	use(st, rs, "10.0.0.2", "dropbox", D0, 5000);
	r = build(st, NULL);
	assert_true(r->nrecs > 0);
	for (i = 0; i < r->nrecs; i++)
		assert_string_equal(r->recs[i].targets, "");
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/* Every format prints what each recommendation rests on. */
static void
test_basis_rendered(void **state)
{
	static const char policy[] = "sanctioned service box\n";
	static const char *const formats[] = {
		"text", "markdown", "json", "csv", "html",
	};
	const struct render_ops *ops;
	struct ruleset *rs = load(policy);
	struct store *st = db();
	struct report *r;
	char *out, basis[512];
	size_t i, len;
	FILE *fp;

	(void)state;
	use(st, rs, "10.0.0.1", "box", D0, 100);
	use(st, rs, "10.0.0.2", "dropbox", D0, 5000);
	r = build(st, rs);
	assert_non_null(find_kind(r, "move-to", NULL));
	report_rec_basis(&r->recs[0], basis, sizeof(basis));
	assert_non_null(strstr(basis, "Policy: shadowtap-test."));
	assert_non_null(strstr(basis, ":1. Evidence: 1 device, 5.0 KB"
	    " uploaded, over 1 day."));
	for (i = 0; i < nitems(formats); i++) {
		assert_non_null(ops = render_find(formats[i]));
		out = NULL;
		fp = open_memstream(&out, &len);
		assert_non_null(fp);
		assert_int_equal(ops->render(fp, r), 0);
		fclose(fp);
		if (i == 2 || i == 3)
			assert_non_null(strstr(out, r->recs[0].rule));
		else
			assert_non_null(strstr(out, "Evidence: 1 device"));
		free(out);
	}
	report_free(r);
	store_close(st);
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpn_forbidden),
		cmocka_unit_test(test_vpn_not_pick_one),
		cmocka_unit_test(test_personal_edition),
		cmocka_unit_test(test_move_to),
		cmocka_unit_test(test_pick_one),
		cmocka_unit_test(test_pick_one_configured),
		cmocka_unit_test(test_no_policy),
		cmocka_unit_test(test_basis_rendered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
