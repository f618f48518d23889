/* SPDX-License-Identifier: ISC */
/*
 * test_use.c: use, not contact (report/use.c). The classification at the
 * boundaries of the policy's days and upload, the "use" policy
 * statement, and a report built from hand-made rows: its services'
 * counts, its headline figures and what the period's length does.
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
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"
#include "rules_fixture.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

#define US	1000000LL
#define DAY	86400LL
#define D0	1704153600LL	/* 2024-01-02T00:00:00Z */
#define MB	(1000ULL * 1000)

/* The real catalog and policy text; NULL when it does not load. */
static struct ruleset *
load(const char *policy)
{
	char path[64];

	return rules_fixture_load(policy, path, sizeof(path));
}

/* One hourly finding of service id by dev at t (seconds). */
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
	f.bytes_down = 1000;
	f.first_us = t * US;
	f.last_us = t * US + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
}

/* Boundaries of N days and X bytes, and the days a period requires. */
static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(report_use_classify(5, 0, 5, 100 * MB),
	    REPORT_USE_SUSTAINED);
	assert_int_equal(report_use_classify(4, 0, 5, 100 * MB),
	    REPORT_USE_OCCASIONAL);
	assert_int_equal(report_use_classify(4, 100 * MB - 1, 5, 100 * MB),
	    REPORT_USE_OCCASIONAL);
	assert_int_equal(report_use_classify(2, 0, 5, 100 * MB),
	    REPORT_USE_OCCASIONAL);
	assert_int_equal(report_use_classify(1, 0, 5, 100 * MB),
	    REPORT_USE_ONE_OFF);
	assert_int_equal(report_use_classify(1, 100 * MB - 1, 5, 100 * MB),
	    REPORT_USE_ONE_OFF);
	assert_int_equal(report_use_classify(1, 100 * MB, 5, 100 * MB),
	    REPORT_USE_SUSTAINED);
	assert_int_equal(report_use_classify(1, 0, 1, 100 * MB),
	    REPORT_USE_SUSTAINED);
	/* A period spanning fewer days than the policy's counts all. */
	assert_int_equal(report_use_days(5, D0 * US, (D0 + 3 * DAY) * US +
	    5), 1);
	assert_int_equal(report_use_days(5, D0 * US, (D0 + 4 * DAY) * US),
	    5);
	assert_int_equal(report_use_days(5, D0 * US + 1, D0 * US + 2), 1);
	assert_int_equal(report_use_days(5, 0, 0), 1);
	assert_string_equal(report_use_name(REPORT_USE_ONE_OFF), "one-off");
}

/* The "use" statement: its values, its errors and its defaults. */
static void
test_policy(void **state)
{
	struct ruleset *rs;
	const struct use_opts *u;

	(void)state;
	assert_non_null(rs = load("default unsanctioned\n"));
	u = rules_use(rs);
	assert_int_equal(u->days, USE_DEF_DAYS);
	assert_true(u->upload == USE_DEF_UPLOAD);
	assert_null(u->days_at.file);
	rules_free(rs);
	assert_non_null(rs = load("use sustained-days 3\n"
	    "use sustained-upload 10 MiB\n"));
	u = rules_use(rs);
	assert_int_equal(u->days, 3);
	assert_true(u->upload == 10ULL * 1024 * 1024);
	assert_int_equal(u->days_at.line, 1);
	assert_int_equal(u->upload_at.line, 2);
	rules_free(rs);
	assert_null(load("use sustained-days 0\n"));
	assert_null(load("use sustained-days 367\n"));
	assert_null(load("use sustained-days five\n"));
	assert_null(load("use sustained-upload 10\n"));
	assert_null(load("use sustained-hours 3\n"));
	assert_null(load("use sustained-days 3\nuse sustained-days 4\n"));
}

static const struct report_service *
find(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nservices; i++)
		if (strcmp(r->services[i].id, id) == 0)
			return &r->services[i];
	return NULL;
}

/*
 * Hand-made rows over ten days, the first and last partial so that both
 * the day roll-ups and the hourly rows are read: dropbox by a on 5 days
 * (sustained), b on 4 (occasional), c on 1 with 100 MB - 1 uploaded
 * (one-off), d on 1 with 100 MB (sustained); wetransfer by e on 1 day
 * only; yahoo-mail by a on 2 days. Run again with 4 days required.
 */
static const struct report_category *
find_cat(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ncategories; i++)
		if (strcmp(r->categories[i].id, id) == 0)
			return &r->categories[i];
	return NULL;
}

static void
build_rows(struct store *st, const struct ruleset *rs)
{
	int i;

	for (i = 0; i < 5; i++)
		use(st, rs, "10.0.0.1", "dropbox", D0 + 13 * 3600 + i * 2 * DAY,
		    1000);
	for (i = 0; i < 4; i++)
		use(st, rs, "10.0.0.2", "dropbox", D0 + 14 * 3600 + i * DAY,
		    1000);
	/* Several rows on one day are one day. */
	use(st, rs, "10.0.0.3", "dropbox", D0 + 3 * DAY + 3600, 50 * MB);
	use(st, rs, "10.0.0.3", "dropbox", D0 + 3 * DAY + 7200,
	    50 * MB - 1);
	use(st, rs, "10.0.0.4", "dropbox", D0 + 5 * DAY, 100 * MB);
	use(st, rs, "10.0.0.5", "wetransfer", D0 + 6 * DAY, 1000);
	use(st, rs, "10.0.0.1", "yahoo-mail", D0 + 2 * DAY, 1000);
	use(st, rs, "10.0.0.1", "yahoo-mail", D0 + 9 * DAY + 3600, 1000);
}

static struct report *
build(struct store *st, const struct ruleset *rs)
{
	struct report_opts o;
	struct report *r;

	memset(&o, 0, sizeof(o));
	o.since_us = (D0 + 12 * 3600) * US;
	o.until_us = (D0 + 9 * DAY + 12 * 3600) * US;
	o.rules = rs;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	return r;
}

static void
test_rows(void **state)
{
	struct ruleset *rs;
	struct store *st;
	struct report *r;
	const struct report_service *s;
	const struct report_category *c;
	char err[256];

	(void)state;
	assert_non_null(rs = load("default unsanctioned\n"));
	assert_non_null(st = store_open(":memory:", STORE_CREATE, err,
	    sizeof(err)));
	build_rows(st, rs);
	r = build(st, rs);
	assert_int_equal(r->use.days, 5);
	assert_non_null(s = find(r, "dropbox"));
	assert_int_equal(s->devices, 4);
	assert_int_equal(s->sustained, 2);
	assert_int_equal(s->occasional, 1);
	assert_int_equal(s->oneoff, 1);
	assert_int_equal(s->use, REPORT_USE_SUSTAINED);
	assert_true(s->shown);
	assert_non_null(s = find(r, "wetransfer"));
	assert_int_equal(s->use, REPORT_USE_ONE_OFF);
	assert_false(s->shown);
	assert_non_null(s = find(r, "yahoo-mail"));
	assert_int_equal(s->use, REPORT_USE_OCCASIONAL);
	/* The headline counts sustained use: 2 devices, 1 service. */
	assert_int_equal(r->totals.unsanctioned_devices, 5);
	assert_int_equal(r->use.devices, 2);
	assert_int_equal(r->use.services, 1);
	assert_int_equal(r->use.noccasional, 1);
	assert_int_equal(r->use.noneoff, 1);
	assert_int_equal(r->use.contact_devices, 2);
	assert_non_null(strstr(r->headline[0], "2 devices used 1"
	    " unsanctioned service"));
	/* Categories count sustained use; the rest in one line. */
	assert_non_null(c = find_cat(r, "file-sharing"));
	assert_int_equal(c->unsanctioned_devices, 2);
	assert_int_equal(c->nunsanctioned, 1);
	assert_int_equal(c->noneoff, 1);
	assert_int_equal(c->oneoff_devices, 1);
	assert_non_null(c = find_cat(r, "webmail"));
	assert_int_equal(c->unsanctioned_devices, 0);
	assert_int_equal(c->noccasional, 1);
	assert_int_equal(c->occasional_devices, 1);
	/* The sustained service comes first among the unsanctioned. */
	assert_string_equal(r->services[0].id, "dropbox");
	report_free(r);
	rules_free(rs);

	/* Four days make b sustained too. */
	assert_non_null(rs = load("default unsanctioned\n"
	    "use sustained-days 4\n"));
	r = build(st, rs);
	assert_non_null(s = find(r, "dropbox"));
	assert_int_equal(s->sustained, 3);
	assert_int_equal(s->occasional, 0);
	assert_int_equal(s->oneoff, 1);
	report_free(r);
	rules_free(rs);

	/* 100 MB - 1 is not 100 MB; 50 MB is. */
	assert_non_null(rs = load("default unsanctioned\n"
	    "use sustained-upload 50MB\n"));
	r = build(st, rs);
	assert_non_null(s = find(r, "dropbox"));
	assert_int_equal(s->sustained, 3);
	assert_int_equal(s->oneoff, 0);
	report_free(r);
	rules_free(rs);
	store_close(st);
}

static const struct report_trend *
trend(const struct report *r, int which, const char *id)
{
	const struct report_trend_list *l = report_trend_list(r, which);
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

/*
 * Trends against the previous period (the 9 days before): dropbox went
 * from 1 device in sustained use to 2 (grew), yahoo-mail from 1 to only
 * occasional use (abandoned), gmail from 1 to nothing at all
 * (abandoned), wetransfer was only contacted (in no list).
 */
static void
test_trends(void **state)
{
	struct ruleset *rs;
	struct store *st;
	struct report_opts o;
	struct report *r;
	const struct report_trend *t;
	char err[256], *w;
	int i;

	(void)state;
	assert_non_null(rs = load("default unsanctioned\n"));
	assert_non_null(st = store_open(":memory:", STORE_CREATE, err,
	    sizeof(err)));
	build_rows(st, rs);
	for (i = 0; i < 5; i++) {
		use(st, rs, "10.0.0.9", "dropbox", D0 - 8 * DAY + 13 * 3600 +
		    i * DAY, 1000);
		use(st, rs, "10.0.0.1", "yahoo-mail", D0 - 8 * DAY +
		    13 * 3600 + i * DAY, 1000);
		use(st, rs, "10.0.0.7", "gmail", D0 - 8 * DAY + 14 * 3600 +
		    i * DAY, 1000);
	}
	memset(&o, 0, sizeof(o));
	o.since_us = (D0 + 12 * 3600) * US;
	o.until_us = (D0 + 9 * DAY + 12 * 3600) * US;
	o.compare = 1;
	o.rules = rs;
	assert_non_null(r = report_build_opts(st, &o));
	assert_true(r->trends.built);
	assert_non_null(t = trend(r, 0, "dropbox"));
	assert_int_equal(t->previous, 1);
	assert_int_equal(t->devices, 2);
	assert_non_null(t = trend(r, 3, "yahoo-mail"));
	assert_int_equal(t->previous, 1);
	assert_int_equal(t->devices, 0);
	assert_non_null(trend(r, 3, "gmail"));
	assert_null(trend(r, 2, "wetransfer"));
	assert_null(trend(r, 3, "wetransfer"));
	assert_int_equal(r->trends.adopted.n, 0);
	assert_int_equal(r->trends.shrank.n, 0);
	assert_non_null(w = report_trend_words(r, 0));
	assert_string_equal(w, "Dropbox (file-sharing, 1 to 2 devices)");
	free(w);
	report_free(r);
	rules_free(rs);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_trends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
