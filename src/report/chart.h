/* SPDX-License-Identifier: ISC */
/*
 * chart.h: the HTML summary's charts as inline SVG (no script, font or
 * file from outside), drawn to print on A4 or Letter: bars that follow
 * the order they are labelled with, a trend with a y-axis and evenly
 * spaced dates, a legend under every chart.
 */
#ifndef SHADOWTAP_CHART_H
#define SHADOWTAP_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report;

#define CHART_W		640	/* SVG user units; scaled to the page */
#define CHART_TICKS_MAX	8	/* y-axis ticks of the trend, at most */
#define CHART_DATES	6	/* date labels under the trend, at most */

/*
 * One bar: label (escaped here), the value the bar's length follows, and
 * the words printed after it (a number we formatted, not escaped).
 */
struct chart_bar {
	const char	*label;
	uint64_t	 value;
	char		 text[64];
	int		 bad;		/* the unsanctioned colour */
};

/*
 * A horizontal bar chart in the order given; title is its accessible
 * name (escaped). Callers give the bars in the order their legend names.
 */
void		 chart_bars(FILE *fp, const char *title,
		    const struct chart_bar *b, size_t n);

/*
 * Axis ticks for values 0..max: 0 and then equal steps of 1, 2 or 5
 * times a power of ten, the last one >= max; at most CHART_TICKS_MAX
 * (max 0 gives 0 and 1). Returns the number written to t.
 */
size_t		 chart_ticks(uint64_t max, uint64_t t[CHART_TICKS_MAX]);

/*
 * Which of n days get a date label: the first, the last and evenly
 * spaced ones between (at most CHART_DATES; each day once). Returns the
 * number of indices written to idx, ascending.
 */
size_t		 chart_date_ticks(size_t n, size_t idx[CHART_DATES]);

/*
 * The fill opacity (0-99, in hundredths) of a heatmap cell of value v
 * (permille) when m is the darkest: 0 for a value of 0, so that only
 * cells with failures are tinted; else at least 10.
 */
unsigned	 chart_heat_opacity(uint32_t v, uint32_t m);

/*
 * The charts section of the HTML summary: usage by category (most data
 * first), the top unsanctioned services (by devices, as the list is),
 * the trend over the period. Nothing when there is no use.
 */
void		 chart_html(FILE *fp, const struct report *r);

#endif
