/* SPDX-License-Identifier: ISC */
/*
 * report/md.c: the summary as GitHub-flavoured Markdown, for pasting into a
 * ticket or wiki page. Every string from the database goes through
 * render_md_str(), so a host name cannot open a link, an image, HTML, or
 * emphasis, nor break a table row.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

void
render_md_str(FILE *fp, const char *s)
{
	size_t n;

	while (*s != '\0') {
		if (strchr("|*_`[]<>\\&~!#", *s) != NULL) {
			putc('\\', fp);
			putc(*s++, fp);
		} else if ((n = report_safe_len(s)) == 0) {
			fprintf(fp, "\\x%02X", (unsigned char)*s++);
		} else {
			fwrite(s, 1, n, fp);
			s += n;
		}
	}
}

static void
cell_count(FILE *fp, uint64_t n)
{
	char buf[32];

	fprintf(fp, " %s |", report_count(n, buf, sizeof(buf)));
}

static void
cell_bytes(FILE *fp, uint64_t n)
{
	char buf[32];

	fprintf(fp, " %s |", util_human_bytes(n, buf, sizeof(buf)));
}

static void
cell_time(FILE *fp, int64_t us)
{
	char buf[UTIL_TS_LEN];

	fprintf(fp, " %s |", util_iso8601(us, buf, sizeof(buf)));
}

static void
cell_str(FILE *fp, const char *s)
{
	putc(' ', fp);
	render_md_str(fp, s);
	fputs(" |", fp);
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	size_t i;

	fputs("## Services in use\n\n", fp);
	if (r->nservices == 0) {
		fputs("None recorded in this period.\n", fp);
		return;
	}
	fputs("| Service | Category | Status | Devices | Flows | Uploaded |"
	    " Downloaded | First seen | Last seen |\n", fp);
	fputs("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n",
	    fp);
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		putc('|', fp);
		cell_str(fp, s->name);
		cell_str(fp, s->category);
		fprintf(fp, " %s |", report_status_label(s->status));
		cell_count(fp, s->devices);
		cell_count(fp, s->flows);
		cell_bytes(fp, s->bytes_up);
		cell_bytes(fp, s->bytes_down);
		cell_time(fp, s->first_us);
		cell_time(fp, s->last_us);
		putc('\n', fp);
	}
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	char n1[32], n2[32];
	size_t i;

	fputs("## Destinations not in the catalog\n\n", fp);
	if (r->ndests == 0) {
		fputs("None recorded in this period.\n", fp);
		return;
	}
	report_count(r->ndests, n1, sizeof(n1));
	report_count(r->totals.unclassified_names, n2, sizeof(n2));
	if (r->ndests == r->totals.unclassified_names)
		fprintf(fp, "All %s, busiest first.\n\n", n1);
	else
		fprintf(fp, "The %s busiest of %s, by devices and flows.\n\n",
		    n1, n2);
	fputs("| Destination | Devices | Flows | Uploaded | Downloaded |"
	    " First seen | Last seen |\n", fp);
	fputs("| --- | ---: | ---: | ---: | ---: | --- | --- |\n", fp);
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		putc('|', fp);
		cell_str(fp, d->name);
		cell_count(fp, d->devices);
		cell_count(fp, d->flows);
		cell_bytes(fp, d->bytes_up);
		cell_bytes(fp, d->bytes_down);
		cell_time(fp, d->first_us);
		cell_time(fp, d->last_us);
		putc('\n', fp);
	}
}

static void
change_table(FILE *fp, const char *title, const struct report_change *v,
    size_t n, const char *none)
{
	size_t i;

	fprintf(fp, "## %s\n\n", title);
	if (n == 0) {
		fprintf(fp, "%s\n", none);
		return;
	}
	fputs("| Service | Category | Status | Devices | Uploaded |"
	    " Downloaded |\n", fp);
	fputs("| --- | --- | --- | ---: | ---: | ---: |\n", fp);
	for (i = 0; i < n; i++) {
		putc('|', fp);
		cell_str(fp, v[i].name);
		cell_str(fp, v[i].category);
		fprintf(fp, " %s |", report_status_label(v[i].status));
		cell_count(fp, v[i].devices);
		cell_bytes(fp, v[i].bytes_up);
		cell_bytes(fp, v[i].bytes_down);
		putc('\n', fp);
	}
}

static void
changes(FILE *fp, const struct report *r)
{
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN], title[128];

	util_iso8601(r->prev_since_us, a, sizeof(a));
	util_iso8601(r->prev_until_us - 1, b, sizeof(b));
	a[10] = b[10] = '\0';
	snprintf(title, sizeof(title), "New since the previous period"
	    " (%s to %s)", a, b);
	change_table(fp, title, r->added, r->nadded,
	    "No service appeared that was not used before.");
	putc('\n', fp);
	change_table(fp, "No longer seen", r->stopped, r->nstopped,
	    "Every service of the previous period is still in use.");
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN], n[32], h[32];

	fputs("## Coverage\n\n", fp);
	fprintf(fp, "- Capture runs: %s", report_count(c->runs, n, sizeof(n)));
	if (c->unfinished > 0)
		fprintf(fp, " (%s did not finish)",
		    report_count(c->unfinished, n, sizeof(n)));
	putc('\n', fp);
	fprintf(fp, "- Packets examined: %s (%s)\n",
	    report_count(c->packets, n, sizeof(n)),
	    util_human_bytes(c->bytes, h, sizeof(h)));
	if (c->first_us != 0 || c->last_us != 0)
		fprintf(fp, "- Traffic time covered: %s to %s\n",
		    util_iso8601(c->first_us, a, sizeof(a)),
		    util_iso8601(c->last_us, b, sizeof(b)));
	else
		fputs("- Traffic time covered: none\n", fp);
	fprintf(fp, "- Packets missed (kernel drops): %s\n",
	    report_count(c->kernel_drops, n, sizeof(n)));
	fprintf(fp, "- Malformed packets ignored: %s\n",
	    report_count(c->decode_errors, n, sizeof(n)));
}

int
render_md_report(FILE *fp, const struct report *r)
{
	char from[16], to[16];
	size_t i;

	report_period_days(r, from, to, sizeof(from));
	fputs("# Shadow IT summary\n\n", fp);
	if (from[0] != '\0')
		fprintf(fp, "Period: %s to %s (UTC)\n\n", from, to);
	for (i = 0; i < r->nheadline; i++) {
		render_md_str(fp, r->headline[i]);
		fputs("\n\n", fp);
	}
	services(fp, r);
	putc('\n', fp);
	if (r->compare) {
		changes(fp, r);
		putc('\n', fp);
	}
	dests(fp, r);
	putc('\n', fp);
	coverage(fp, r);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}
