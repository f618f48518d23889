/* SPDX-License-Identifier: ISC */
/*
 * test_chart.c: the HTML summary's charts (report/chart.c): round y-axis
 * ticks, evenly spaced date labels, heatmap cells of 0% left untinted,
 * bars drawn in the order their legend names (categories by data moved,
 * services by devices even where the data moved says otherwise), labels
 * escaped, and category names from the real catalog.
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

#include <cmocka.h>

#include "policy/rules.h"
#include "report/chart.h"
#include "report/render.h"
#include "report/report.h"
#include "base/util.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

#define DAY_US	(86400LL * 1000000)
#define D0_US	(1767225600LL * 1000000)	/* 2026-01-01T00:00:00Z */

static void
test_ticks(void **state)
{
	static const uint64_t max[] = { 1, 3, 4, 5, 99, 100, 101, 1023,
	    5900000, 26400000, 999999999999ULL, UINT64_MAX / 3, UINT64_MAX };
	uint64_t t[CHART_TICKS_MAX], step, m;
	size_t i, j, n;

	(void)state;
	n = chart_ticks(0, t);
	assert_int_equal(n, 2);
	assert_true(t[0] == 0 && t[1] == 1);
	n = chart_ticks(5900000, t);
	assert_int_equal(n, 4);
	assert_true(t[1] == 2000000 && t[3] == 6000000);
	n = chart_ticks(100, t);
	assert_int_equal(n, 3);
	assert_true(t[1] == 50 && t[2] == 100);
	for (i = 0; i < nitems(max); i++) {
		n = chart_ticks(max[i], t);
		assert_true(n >= 2 && n <= 5);
		assert_true(t[0] == 0);
		step = t[1];
		for (j = 1; j < n; j++)
			assert_true(t[j] - t[j - 1] == step);
		/* The top tick reaches max (or is the last that fits). */
		assert_true(t[n - 1] >= max[i] ||
		    t[n - 1] > UINT64_MAX - step);
		/* The step is 1, 2 or 5 times a power of ten. */
		for (m = step; m % 10 == 0; m /= 10)
			;
		assert_true(m == 1 || m == 2 || m == 5);
	}
}

static void
test_date_ticks(void **state)
{
	size_t idx[CHART_DATES], n, days, k, gap, g;

	(void)state;
	assert_int_equal(chart_date_ticks(0, idx), 0);
	assert_int_equal(chart_date_ticks(1, idx), 1);
	assert_int_equal(idx[0], 0);
	n = chart_date_ticks(30, idx);
	assert_int_equal(n, 6);
	assert_int_equal(idx[1], 6);
	assert_int_equal(idx[5], 29);
	for (days = 2; days <= 400; days++) {
		n = chart_date_ticks(days, idx);
		assert_int_equal(n, days < CHART_DATES ? days : CHART_DATES);
		assert_int_equal(idx[0], 0);
		assert_int_equal(idx[n - 1], days - 1);
		gap = idx[1] - idx[0];
		for (k = 1; k < n; k++) {
			assert_true(idx[k] > idx[k - 1]);
			/* Even: every gap within one day of the first. */
			g = idx[k] - idx[k - 1];
			assert_true(g + 1 >= gap && g <= gap + 1);
		}
	}
}

static void
test_heat(void **state)
{
	(void)state;
	assert_int_equal(chart_heat_opacity(0, 500), 0);
	assert_int_equal(chart_heat_opacity(0, 0), 0);
	assert_int_equal(chart_heat_opacity(1, 500), 10);
	assert_int_equal(chart_heat_opacity(250, 500), 49);
	assert_int_equal(chart_heat_opacity(500, 500), 99);
	assert_int_equal(chart_heat_opacity(900, 500), 99);
}

static char *
bars(const struct chart_bar *b, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	chart_bars(fp, "t\"itle<", b, n);
	fclose(fp);
	return buf;
}

/* The width of each <rect> in s, in order. */
static size_t
widths(const char *s, double *w, size_t max)
{
	size_t n = 0;

	while (n < max && (s = strstr(s, "<rect ")) != NULL) {
		s = strstr(s, "width=\"");
		assert_non_null(s);
		w[n++] = strtod(s + 7, NULL);
	}
	return n;
}

static void
test_bars(void **state)
{
	struct chart_bar b[3];
	double w[4];
	char *out;

	(void)state;
	memset(b, 0, sizeof(b));
	b[0].label = "<script>alert(1)</script>";
	b[0].value = 900;
	strlcpy(b[0].text, "900 B", sizeof(b[0].text));
	b[1].label = "caf\xc3\xa9 & \x1b[31m";
	b[1].value = 300;
	b[2].label = "zero";
	b[2].value = 0;
	out = bars(b, 3);
	assert_non_null(strstr(out, "aria-label=\"t&quot;itle&lt;\""));
	assert_null(strstr(out, "<script"));
	assert_non_null(strstr(out, ">&lt;script&gt;alert(1)&lt;/script&gt;"
	    "</text>"));
	assert_non_null(strstr(out, ">caf\xc3\xa9 &amp; \\x1B[31m</text>"));
	assert_non_null(strstr(out, ">900 B</text>"));
	assert_int_equal(widths(out, w, 4), 3);
	/* Lengths follow the values: 900 is three times 300. */
	assert_true(w[0] > w[1] && w[1] > w[2]);
	assert_true(w[0] > 2.9 * w[1] && w[0] < 3.1 * w[1]);
	assert_true(w[2] >= 1);		/* a zero still shows a sliver */
	free(out);
}

/* The positions of the labels in s, in the order given. */
static void
assert_order(const char *s, const char *const *labels, size_t n)
{
	const char *p, *prev = s;
	size_t i;

	for (i = 0; i < n; i++) {
		p = strstr(prev, labels[i]);
		if (p == NULL)
			fail_msg("\"%s\" missing or out of order", labels[i]);
		prev = p + 1;
	}
}

static void
test_sections(void **state)
{
	struct report r;
	struct report_category c[3];
	struct report_service s[3];
	struct report_day d[30];
	const char *cats[] = { ">Busy<", ">Middle<", ">Quiet<" };
	const char *svcs[] = { ">Wide<", ">Narrow<" };
	char *out = NULL, want[64], h[32];
	double w[3];
	size_t len = 0, i;
	FILE *fp;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(c));
	memset(s, 0, sizeof(s));
	memset(d, 0, sizeof(d));
	/* The model's order (unsanctioned devices) is not the bytes'. */
	c[0].id = "a";
	c[0].name = "Quiet";
	c[0].unsanctioned_devices = 5;
	c[0].nunsanctioned = 1;
	c[0].bytes_up = 10;
	c[1].id = "b";
	c[1].name = "Busy";
	c[1].bytes_up = 9000;
	c[2].id = "c";
	c[2].name = "Middle";
	c[2].bytes_down = 500;
	r.categories = c;
	r.ncategories = 3;
	/* Wide: more devices, less data; it comes first and is longer. */
	s[0].name = "Wide";
	s[0].status = VERDICT_UNSANCTIONED;
	s[0].devices = 4;
	s[0].bytes_up = 100;
	s[1].name = "Narrow";
	s[1].status = VERDICT_UNSANCTIONED;
	s[1].devices = 1;
	s[1].bytes_up = 1000000;
	s[2].name = "Sanctioned";
	s[2].status = VERDICT_SANCTIONED;
	s[2].devices = 9;
	r.services = s;
	r.nservices = 3;
	for (i = 0; i < 30; i++) {
		d[i].day_us = D0_US + (int64_t)i * DAY_US;
		d[i].other_bytes = 1000 * i;
		d[i].unsanctioned_bytes = 50;
	}
	r.days = d;
	r.ndays = 30;
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	chart_html(fp, &r);
	fclose(fp);
	assert_order(out, cats, 3);
	assert_non_null(strstr(out, "most first"));
	assert_order(out, svcs, 2);
	/* Bar lengths follow that order (devices), not the data moved. */
	assert_int_equal(widths(strstr(out, "Top unsanctioned services"), w,
	    2), 2);
	assert_true(w[0] > w[1]);
	/* And the category bars follow data moved. */
	assert_int_equal(widths(strstr(out, "Usage by category"), w, 3), 3);
	assert_true(w[0] > w[1] && w[1] > w[2]);
	assert_null(strstr(out, ">Sanctioned<"));
	snprintf(want, sizeof(want), ">4 devices, %s</text>",
	    util_human_bytes(100, h, sizeof(h)));
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), ">1 device, %s</text>",
	    util_human_bytes(1000000, h, sizeof(h)));
	assert_non_null(strstr(out, want));
	/* The y-axis: 0 and round steps up to the largest day (29,050). */
	assert_non_null(strstr(out, "text-anchor=\"end\">0 B</text>"));
	/* Six dates: the first, the last and four between. */
	assert_non_null(strstr(out, ">2026-01-01</text>"));
	assert_non_null(strstr(out, ">2026-01-07</text>"));
	assert_non_null(strstr(out, ">2026-01-30</text>"));
	assert_null(strstr(out, ">2026-01-02</text>"));
	/* Every chart has a legend after it. */
	assert_non_null(strstr(strstr(out, "Data moved per day"),
	    "class=\"legend\""));
	assert_null(strstr(out, "<script"));
	free(out);
}

static void
test_names(void **state)
{
	const char *paths[1] = { SHADOWTAP_SRCDIR "/rules" };
	struct report_category c[3];
	struct ruleset *rs;
	struct report r;
	struct diags *d;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(c));
	c[0].id = "vpn-proxy";
	c[1].id = "no-such-category";
	c[2].id = "";
	r.categories = c;
	r.ncategories = 3;
	report_category_names(&r, NULL);
	assert_string_equal(c[0].name, "vpn-proxy");
	assert_string_equal(c[2].name, "(no category)");
	d = diags_new();
	rs = rules_load(paths, 1, d);
	diags_free(d);
	assert_non_null(rs);
	report_category_names(&r, rs);
	assert_string_equal(c[0].name, "VPNs, proxies and anonymisers");
	assert_string_equal(c[1].name, "no-such-category");
	assert_string_equal(report_category_name(&r, "vpn-proxy"),
	    "VPNs, proxies and anonymisers");
	assert_string_equal(report_category_name(&r, "other"), "other");
	rules_free(rs);
	free(c[0].name);
	free(c[1].name);
	free(c[2].name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_date_ticks),
		cmocka_unit_test(test_heat),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
