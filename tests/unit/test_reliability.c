/* SPDX-License-Identifier: ISC */
/*
 * test_reliability.c: baselines and recurring windows from hand-built
 * rows: a clean week, a weekday afternoon problem, one bad day, too few
 * days, a problem on every segment, thresholds, and the word forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/reliability.h"

#define HOUR_US		(3600LL * 1000000)
#define DAY_US		(86400LL * 1000000)
#define MONDAY_US	(1767571200LL * 1000000)	/* 2026-01-05 00:00Z */

struct week {
	struct rel_row	*v;
	size_t		 n;
	size_t		 cap;
};

static void
add(struct week *w, const char *seg, const char *dev, int64_t hour_us,
    uint64_t q, uint64_t tmo, uint64_t syn, uint64_t fail)
{
	struct rel_row *r;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		assert_non_null(w->v);
	}
	r = &w->v[w->n++];
	memset(r, 0, sizeof(*r));
	r->hour_us = hour_us;
	r->segment = seg;
	r->device = dev;
	r->n[REL_DNS_QUERIES] = q;
	r->n[REL_DNS_TIMEOUTS] = tmo;
	r->n[REL_DNS_ANSWERED] = q - tmo;
	r->n[REL_TCP_ATTEMPTS] = syn;
	r->n[REL_TCP_UNANSWERED] = fail;
}

/* Is the hour (day d from Monday, hour h) one of the planted bad ones? */
typedef int	badfn(int d, int h);

static int
never(int d, int h)
{
	(void)d;
	(void)h;
	return 0;
}

static int
weekday_afternoons(int d, int h)
{
	return d < 5 && (h == 14 || h == 15);
}

static int
tuesday_only(int d, int h)
{
	return d == 1 && h >= 9 && h < 12;
}

/*
 * days of traffic: two segments of two devices, 20 lookups and 20
 * connections per device and hour, one background failure in 40 on
 * some hours; bad hours on segment "B" lose 8 of 20 of each.
 */
static void
build(struct week *w, int days, badfn *bad)
{
	static const char *const dev[2][2] = {
		{ "a1", "a2" }, { "b1", "b2" },
	};
	static const char *const seg[2] = { "A", "B" };
	int d, h, s, k;

	memset(w, 0, sizeof(*w));
	for (d = 0; d < days; d++)
		for (h = 0; h < 24; h++)
			for (s = 0; s < 2; s++)
				for (k = 0; k < 2; k++) {
					int b = s == 1 && bad(d % 7, h);
					int noise = (d * 24 + h + k) % 40 == 0;

					add(w, seg[s], dev[s][k], MONDAY_US +
					    d * DAY_US + h * HOUR_US, 20,
					    b ? 8 : noise, 20, b ? 8 : noise);
				}
}

static void
test_clean_week(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, never);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	assert_int_equal(r.days, 7);
	assert_int_equal(r.segments, 2);
	assert_int_equal(r.n[REL_DNS_QUERIES], 7 * 24 * 4 * 20);
	assert_true(r.heat[0][0] != REL_HEAT_NONE);
	reliability_free(&r);
	free(w.v);
}

static void
test_weekday_afternoons(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;
	const struct rel_finding *f;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, weekday_afternoons);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 1);
	f = &r.f[0];
	assert_string_equal(f->segment, "B");
	assert_int_equal(f->weekdays, 0x1f);
	assert_int_equal(f->start_hour, 14);
	assert_int_equal(f->end_hour, 16);
	assert_int_equal(f->days, 5);
	assert_true(f->sig[REL_SIG_DNS_TIMEOUT].abnormal);
	assert_true(f->sig[REL_SIG_TCP_FAIL].abnormal);
	assert_false(f->sig[REL_SIG_DNS_ERROR].abnormal);
	assert_false(f->sig[REL_SIG_DHCP_FAIL].abnormal);
	assert_int_equal(f->sig[REL_SIG_DNS_TIMEOUT].failures, 5 * 2 * 2 * 8);
	assert_int_equal(f->first_us, MONDAY_US + 14 * HOUR_US);
	assert_int_equal(f->last_us, MONDAY_US + 4 * DAY_US + 16 * HOUR_US);
	assert_int_equal(f->devices, 2);
	assert_int_equal(f->ndev, 2);
	assert_true(f->bad[0][14] && f->bad[4][15] && !f->bad[5][14] &&
	    !f->bad[0][13] && !f->bad[0][16]);
	assert_true(f->heat[0][14] >= 400 && f->heat[5][14] < 100);
	reliability_free(&r);
	free(w.v);

	/* Three weeks of it are still one finding, on 15 days. */
	build(&w, 21, weekday_afternoons);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 1);
	assert_int_equal(r.f[0].days, 15);
	assert_int_equal(r.f[0].weekdays, 0x1f);
	reliability_free(&r);
	free(w.v);
}

static int
weekday_mornings(int d, int h)
{
	return d < 5 && h == 9;
}

/*
 * The DNS that stalls every morning at nine: answers that come, but late,
 * and connections that have to resend, judged like failures (slow or
 * resent out of answered or sent), and left out of the heatmap, which
 * counts failed exchanges only.
 */
static void
test_slow_mornings(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;
	const struct rel_finding *f;
	size_t i;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, never);
	for (i = 0; i < w.n; i++) {
		int d = (int)((w.v[i].hour_us - MONDAY_US) / DAY_US);
		int h = (int)((w.v[i].hour_us - MONDAY_US) / HOUR_US % 24);
		int bad = strcmp(w.v[i].segment, "A") == 0 &&
		    weekday_mornings(d % 7, h);

		w.v[i].n[REL_DNS_SLOW] = bad ? 12 : (h % 12 == 0);
		w.v[i].n[REL_TCP_PACKETS] = 400;
		w.v[i].n[REL_TCP_RETRANS] = bad ? 60 : 2;
	}
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 1);
	f = &r.f[0];
	assert_string_equal(f->segment, "A");
	assert_int_equal(f->weekdays, 0x1f);
	assert_int_equal(f->start_hour, 9);
	assert_int_equal(f->end_hour, 10);
	assert_true(f->sig[REL_SIG_DNS_SLOW].abnormal);
	assert_true(f->sig[REL_SIG_TCP_RETRANS].abnormal);
	assert_false(f->sig[REL_SIG_DNS_TIMEOUT].abnormal);
	assert_false(f->sig[REL_SIG_TCP_FAIL].abnormal);
	assert_string_equal(health_signal_name(REL_SIG_DNS_SLOW),
	    "dns-slow");
	assert_int_equal(health_signal_by_name("tcp-retransmits"),
	    REL_SIG_TCP_RETRANS);
	/* Slowness is not a failed exchange: the heatmap stays low. */
	assert_true(f->heat[0][9] < 100);
	reliability_free(&r);

	/* Raise the thresholds above what was planted: nothing. */
	o.min_rate[REL_SIG_DNS_SLOW] = 0.9;
	o.min_rate[REL_SIG_TCP_RETRANS] = 0.9;
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	reliability_free(&r);
	free(w.v);
}

/*
 * Segment totals (device "") give the same finding without devices;
 * reliability_devices() then fills them from the devices' rows.
 */
static void
test_totals_then_devices(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w, t;
	size_t i, j;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, weekday_afternoons);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < w.n; i += 2) {
		/* build() writes a segment's two devices next to each other. */
		add(&t, w.v[i].segment, "", w.v[i].hour_us, 0, 0, 0, 0);
		for (j = 0; j < REL_NCOUNTS; j++)
			t.v[t.n - 1].n[j] = w.v[i].n[j] + w.v[i + 1].n[j];
	}
	assert_int_equal(reliability_analyze(t.v, t.n, &o, &r), 1);
	assert_string_equal(r.f[0].segment, "B");
	assert_int_equal(r.f[0].weekdays, 0x1f);
	assert_int_equal(r.f[0].ndev, 0);
	reliability_devices(&r.f[0], w.v, w.n);
	assert_int_equal(r.f[0].ndev, 2);
	assert_int_equal(r.f[0].devices, 2);
	assert_string_equal(r.f[0].dev[0].device, "b1");
	assert_int_equal(r.f[0].dev[0].failures, 5 * 2 * 2 * 8);
	reliability_free(&r);
	free(w.v);
	free(t.v);
}

/* One bad morning is an incident, not a pattern. */
static void
test_one_bad_day(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, tuesday_only);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	reliability_free(&r);
	free(w.v);
	/* Three Tuesdays make it one, at min_days 3. */
	build(&w, 21, tuesday_only);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 1);
	assert_int_equal(r.f[0].weekdays, 0x02);
	assert_int_equal(r.f[0].start_hour, 9);
	assert_int_equal(r.f[0].end_hour, 12);
	assert_int_equal(r.f[0].days, 3);
	reliability_free(&r);
	/* Unless four days are asked for. */
	o.min_days = 4;
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	reliability_free(&r);
	free(w.v);
}

/* Two days of a daily problem are too few to call it recurring. */
static void
test_few_days(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;

	(void)state;
	health_opts_default(&o);
	build(&w, 2, weekday_afternoons);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	assert_int_equal(r.days, 2);
	reliability_free(&r);
	free(w.v);
	assert_int_equal(reliability_analyze(NULL, 0, &o, &r), 0);
	assert_int_equal(r.heat[3][3], REL_HEAT_NONE);
	reliability_free(&r);
}

/* Thresholds: a higher floor or factor silences the same data. */
static void
test_thresholds(void **state)
{
	struct rel_opts o;
	struct rel_result r;
	struct week w;

	(void)state;
	build(&w, 7, weekday_afternoons);
	health_opts_default(&o);
	o.min_rate[REL_SIG_DNS_TIMEOUT] = 0.5;
	o.min_rate[REL_SIG_TCP_FAIL] = 0.5;
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	reliability_free(&r);
	health_opts_default(&o);
	o.min_events = 100;	/* no hour has enough traffic to judge */
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 0);
	reliability_free(&r);
	health_opts_default(&o);
	o.min_rate[REL_SIG_TCP_FAIL] = 0.9;	/* DNS alone still shows */
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r), 1);
	assert_true(r.f[0].sig[REL_SIG_DNS_TIMEOUT].abnormal);
	assert_false(r.f[0].sig[REL_SIG_TCP_FAIL].abnormal);
	reliability_free(&r);
	free(w.v);
}

/* Rows in any order, one device's hour split over rows, sum alike. */
static void
test_order_and_split(void **state)
{
	struct rel_opts o;
	struct rel_result r1, r2;
	struct week w;
	size_t i, n;

	(void)state;
	health_opts_default(&o);
	build(&w, 7, weekday_afternoons);
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r1), 1);
	n = w.n;
	for (i = 0; i < n / 2; i++) {
		struct rel_row t = w.v[i];

		w.v[i] = w.v[n - 1 - i];
		w.v[n - 1 - i] = t;
	}
	assert_int_equal(reliability_analyze(w.v, w.n, &o, &r2), 1);
	assert_int_equal(r1.f[0].weekdays, r2.f[0].weekdays);
	assert_int_equal(r1.f[0].start_hour, r2.f[0].start_hour);
	assert_memory_equal(r1.f[0].heat, r2.f[0].heat, sizeof(r1.f[0].heat));
	reliability_free(&r1);
	reliability_free(&r2);
	free(w.v);
}

static void
test_words(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(reliability_days_str(0x1f, b, sizeof(b)),
	    "weekdays");
	assert_string_equal(reliability_days_str(0x7f, b, sizeof(b)),
	    "every day");
	assert_string_equal(reliability_days_str(0x60, b, sizeof(b)),
	    "weekends");
	assert_string_equal(reliability_days_str(0x07, b, sizeof(b)),
	    "Mon-Wed");
	assert_string_equal(reliability_days_str(0x15, b, sizeof(b)),
	    "Mon, Wed, Fri");
	assert_string_equal(reliability_days_str(0x43, b, sizeof(b)),
	    "Mon, Tue, Sun");
	assert_int_equal(reliability_weekday(MONDAY_US), 0);
	assert_int_equal(reliability_weekday(MONDAY_US + 6 * DAY_US + 1), 6);
	assert_int_equal(reliability_weekday(0), 3);
	assert_int_equal(reliability_weekday(-1), 2);
	assert_int_equal(health_signal_by_name("dns-timeouts"),
	    REL_SIG_DNS_TIMEOUT);
	assert_int_equal(health_signal_by_name("dhcp-failures"),
	    REL_SIG_DHCP_FAIL);
	assert_int_equal(health_signal_by_name("nope"), -1);
	assert_null(health_signal_name(REL_NSIGNALS));
}

static void
test_dhcp_signal(void **state)
{
	uint64_t n[REL_NCOUNTS];

	(void)state;
	memset(n, 0, sizeof(n));
	n[REL_DHCP_DISCOVER] = 10;
	n[REL_DHCP_OFFER] = 4;
	n[REL_DHCP_REQUEST] = 5;
	n[REL_DHCP_NAK] = 2;
	assert_int_equal(health_failures(n, REL_SIG_DHCP_FAIL), 8);
	assert_int_equal(health_attempts(n, REL_SIG_DHCP_FAIL), 15);
	n[REL_DHCP_OFFER] = 12;	/* two servers answer: no negative */
	assert_int_equal(health_failures(n, REL_SIG_DHCP_FAIL), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_week),
		cmocka_unit_test(test_weekday_afternoons),
		cmocka_unit_test(test_slow_mornings),
		cmocka_unit_test(test_totals_then_devices),
		cmocka_unit_test(test_one_bad_day),
		cmocka_unit_test(test_few_days),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_order_and_split),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_dhcp_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
