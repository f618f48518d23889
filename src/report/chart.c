/* SPDX-License-Identifier: ISC */
/*
 * report/chart.c: the HTML summary's charts as inline SVG. Every chart
 * is drawn in the order its legend names, with its own legend; the trend has a
 * y-axis with round steps and evenly spaced dates. Labels from the database go
 * through render_html_str(); numbers are ours.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/chart.h"
#include "report/render.h"
#include "report/report.h"

#define CHART_LABEL	250	/* left column of the bar charts */
#define CHART_LABEL_MAX	34	/* characters of a label that fit in it */
#define CHART_BAR	18
#define CHART_GAP	8
#define CHART_TOP	10
#define CHART_TEXT_W	130	/* room kept for the words after a bar */
#define CHART_CATEGORIES 12	/* bars of the category chart */
#define TREND_LEFT	70	/* y-axis labels */
#define TREND_TOP	10
#define TREND_H		170
#define DATE_HALF	36	/* half the width of "2026-01-05" */
#define COLOUR_BAD	"#b44d12"
#define COLOUR_OK	"#3e6c8a"
#define COLOUR_AXIS	"#9aa5b1"
#define COLOUR_GRID	"#e4e7eb"

/*
 * Writes s escaped, at most max characters (an escaped byte counts as
 * one), then an ellipsis, so that a long name stays inside the chart.
 */
static void
esc_label(FILE *fp, const char *s, size_t max)
{
	char buf[CHART_LABEL_MAX * 4 + 1];
	size_t n, used = 0, o = 0, cut = 0;

	while (s[o] != '\0' && used < max) {
		if (used == max - 1)
			cut = o;
		n = report_safe_len(s + o);
		o += n > 0 ? n : 1;
		used++;
	}
	if (s[o] == '\0') {
		render_html_str(fp, s);
		return;
	}
	if (cut >= sizeof(buf))
		cut = sizeof(buf) - 1;
	memcpy(buf, s, cut);
	buf[cut] = '\0';
	render_html_str(fp, buf);
	fputs("\xe2\x80\xa6", fp);
}

/* v against max on 0..w user units. */
static double
scale(uint64_t v, uint64_t max, double w)
{
	if (max == 0)
		return 0;
	return (double)v / (double)max * w;
}

void
chart_bars(FILE *fp, const char *title, const struct chart_bar *b, size_t n)
{
	uint64_t max = 0;
	double w, room = CHART_W - CHART_LABEL - CHART_TEXT_W;
	unsigned h, y;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i].value > max)
			max = b[i].value;
	h = CHART_TOP * 2 + (unsigned)n * (CHART_BAR + CHART_GAP);
	fprintf(fp, "<svg class=\"chart\" viewBox=\"0 0 %d %u\" role=\"img\""
	    " aria-label=\"", CHART_W, h);
	render_html_str(fp, title);
	fputs("\">\n", fp);
	for (i = 0; i < n; i++) {
		y = CHART_TOP + (unsigned)i * (CHART_BAR + CHART_GAP);
		w = scale(b[i].value, max, room);
		if (w < 1)
			w = 1;
		fprintf(fp, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">",
		    CHART_LABEL - 8, y + 13);
		esc_label(fp, b[i].label, CHART_LABEL_MAX);
		fprintf(fp, "</text><rect x=\"%d\" y=\"%u\" width=\"%.1f\""
		    " height=\"%d\" rx=\"3\" fill=\"%s\"/>", CHART_LABEL, y,
		    w, CHART_BAR, b[i].bad ? COLOUR_BAD : COLOUR_OK);
		fprintf(fp, "<text x=\"%.1f\" y=\"%u\">", CHART_LABEL + w + 6,
		    y + 13);
		render_html_str(fp, b[i].text);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

size_t
chart_ticks(uint64_t max, uint64_t t[CHART_TICKS_MAX])
{
	static const uint64_t mult[] = { 1, 2, 5 };
	uint64_t target, p, step = 0;
	size_t i, n;

	if (max == 0) {
		t[0] = 0;
		t[1] = 1;
		return 2;
	}
	/* The smallest round step that reaches max in four. */
	target = max / 4 + (max % 4 != 0);
	for (p = 1; step == 0; p *= 10) {
		for (i = 0; i < nitems(mult); i++)
			if (mult[i] * p >= target) {
				step = mult[i] * p;
				break;
			}
		if (p > UINT64_MAX / 10)
			step = p;
	}
	for (n = 0; n < CHART_TICKS_MAX; n++) {
		t[n] = step * n;
		if (t[n] >= max || t[n] > UINT64_MAX - step)
			return n + 1;
	}
	return n;
}

size_t
chart_date_ticks(size_t n, size_t idx[CHART_DATES])
{
	size_t k, t;

	if (n == 0)
		return 0;
	t = n < CHART_DATES ? n : CHART_DATES;
	if (t == 1) {
		idx[0] = 0;
		return 1;
	}
	for (k = 0; k < t; k++)
		idx[k] = (k * (n - 1) + (t - 1) / 2) / (t - 1);
	return t;
}

unsigned
chart_heat_opacity(uint32_t v, uint32_t m)
{
	uint64_t a;

	if (v == 0 || m == 0)
		return 0;
	a = (uint64_t)(v > m ? m : v) * 99 / m;
	return a < 10 ? 10 : (unsigned)a;
}

static int
cmp_bar_desc(const void *pa, const void *pb)
{
	const struct chart_bar *a = pa, *b = pb;

	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return strcmp(a->label, b->label);
}

static void
legend_swatches(FILE *fp, const char *lead, const char *bad,
    const char *ok)
{
	fprintf(fp, "<p class=\"legend\">%s<span class=\"sw\" style=\""
	    "background:%s\"></span>%s<span class=\"sw\" style=\"background:"
	    "%s\"></span>%s</p>\n", lead, COLOUR_BAD, bad, COLOUR_OK, ok);
}

/* Usage by category, most data first (the order the legend names). */
static void
category_chart(FILE *fp, const struct report *r)
{
	struct chart_bar *b;
	char h[32];
	size_t i, n;

	b = xcalloc(r->ncategories, sizeof(*b));
	for (i = 0; i < r->ncategories; i++) {
		const struct report_category *c = &r->categories[i];

		b[i].label = c->name != NULL ? c->name : c->id;
		b[i].value = c->bytes_up + c->bytes_down;
		b[i].bad = c->nunsanctioned > 0;
		snprintf(b[i].text, sizeof(b[i].text), "%s",
		    util_human_bytes(b[i].value, h, sizeof(h)));
	}
	qsort(b, r->ncategories, sizeof(*b), cmp_bar_desc);
	n = r->ncategories < CHART_CATEGORIES ? r->ncategories :
	    CHART_CATEGORIES;
	fputs("<section class=\"chart\"><h2>Usage by category</h2>\n", fp);
	chart_bars(fp, "Usage by category, most data first", b, n);
	legend_swatches(fp, "Data moved (up and down) per category, most"
	    " first, all statuses:", "with unsanctioned use", "without.");
	if (r->ncategories > n)
		fprintf(fp, "<p class=\"legend\">The %zu largest of %zu"
		    " categories.</p>\n", n, r->ncategories);
	fputs("</section>\n", fp);
	free(b);
}

/* Top unsanctioned services: bars are devices, the list's own order. */
static void
service_chart(FILE *fp, const struct report *r)
{
	struct chart_bar b[10];
	char c[32], h[32];
	size_t i, n;

	memset(b, 0, sizeof(b));
	for (i = 0, n = 0; i < r->nservices && n < nitems(b); i++) {
		const struct report_service *s = &r->services[i];

		if (s->status != VERDICT_UNSANCTIONED ||
		    s->use != REPORT_USE_SUSTAINED)
			continue;
		b[n].label = s->name;
		b[n].value = s->devices;
		b[n].bad = 1;
		snprintf(b[n].text, sizeof(b[n].text), "%s %s, %s",
		    report_count(s->devices, c, sizeof(c)), s->devices == 1 ?
		    "device" : "devices", util_human_bytes(s->bytes_up +
		    s->bytes_down, h, sizeof(h)));
		n++;
	}
	if (n == 0)
		return;
	fputs("<section class=\"chart\"><h2>Top unsanctioned services</h2>\n",
	    fp);
	chart_bars(fp, "Top unsanctioned services, by devices", b, n);
	fputs("<p class=\"legend\">Bar length: devices that used the service"
	    " (most first; ties by data moved); beside it, data moved up and"
	    " down.</p>\n", fp);
	fputs("</section>\n", fp);
}

/* The y-axis: round ticks, grid lines and their labels. */
static void
trend_axis(FILE *fp, const uint64_t *t, size_t nt)
{
	char h[32];
	double y;
	size_t i;

	for (i = 0; i < nt; i++) {
		y = TREND_TOP + TREND_H - scale(t[i], t[nt - 1], TREND_H);
		fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
		    " stroke=\"%s\"/><text x=\"%d\" y=\"%.1f\" text-anchor="
		    "\"end\">%s</text>\n", TREND_LEFT, y, CHART_W - 10, y,
		    i == 0 ? COLOUR_AXIS : COLOUR_GRID, TREND_LEFT - 6, y + 4,
		    util_human_bytes(t[i], h, sizeof(h)));
	}
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s"
	    "\"/>\n", TREND_LEFT, TREND_TOP, TREND_LEFT, TREND_TOP + TREND_H,
	    COLOUR_AXIS);
}

static void
trend_chart(FILE *fp, const struct report *r)
{
	uint64_t t[CHART_TICKS_MAX], max = 0, v;
	size_t idx[CHART_DATES], i, nt, nd;
	double bw, x, tx, hu, ho, plot = CHART_W - 10 - TREND_LEFT;
	char d[UTIL_TS_LEN];

	for (i = 0; i < r->ndays; i++) {
		v = r->days[i].unsanctioned_bytes + r->days[i].other_bytes;
		if (v > max)
			max = v;
	}
	nt = chart_ticks(max, t);
	fputs("<section class=\"chart\"><h2>Trend over the period</h2>\n", fp);
	fprintf(fp, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\""
	    " aria-label=\"Data moved per day\">\n", CHART_W,
	    TREND_TOP + TREND_H + 30);
	trend_axis(fp, t, nt);
	bw = plot / (double)r->ndays;
	for (i = 0; i < r->ndays; i++) {
		x = TREND_LEFT + 1 + (double)i * bw;
		hu = scale(r->days[i].unsanctioned_bytes, t[nt - 1], TREND_H);
		ho = scale(r->days[i].other_bytes, t[nt - 1], TREND_H);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
		    " height=\"%.1f\" fill=\"%s\"/>", x, TREND_TOP + TREND_H -
		    hu - ho, bw > 3 ? bw - 2 : bw * 0.7, ho, COLOUR_OK);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
		    " height=\"%.1f\" fill=\"%s\"/>\n", x, TREND_TOP + TREND_H -
		    hu, bw > 3 ? bw - 2 : bw * 0.7, hu, COLOUR_BAD);
	}
	nd = chart_date_ticks(r->ndays, idx);
	for (i = 0; i < nd; i++) {
		x = TREND_LEFT + 1 + ((double)idx[i] + 0.5) * bw;
		util_iso8601(r->days[idx[i]].day_us, d, sizeof(d));
		d[10] = '\0';
		/* Centred under its day, kept inside the chart. */
		tx = x < DATE_HALF ? DATE_HALF : x > CHART_W - DATE_HALF ?
		    CHART_W - DATE_HALF : x;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
		    " stroke=\"%s\"/><text x=\"%.1f\" y=\"%d\" text-anchor="
		    "\"middle\">%s</text>\n", x, TREND_TOP + TREND_H, x,
		    TREND_TOP + TREND_H + 5, COLOUR_AXIS, tx, TREND_TOP +
		    TREND_H + 20, d);
	}
	fputs("</svg>\n", fp);
	legend_swatches(fp, "Data moved per day (UTC), stacked:",
	    "unsanctioned", "other.");
	fputs("</section>\n", fp);
}

void
chart_html(FILE *fp, const struct report *r)
{
	if (r->ncategories == 0)
		return;
	category_chart(fp, r);
	service_chart(fp, r);
	if (r->ndays > 0)
		trend_chart(fp, r);
}
