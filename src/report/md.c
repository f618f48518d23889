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
#include <stdlib.h>
#include <string.h>

#include "report/render.h"
#include "report/report.h"
#include "base/util.h"

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

/* A paragraph of its own: "*line*". */
static void
md_note(FILE *fp, const char *line)
{
	if (line[0] == '\0')
		return;
	fputs("\n*", fp);
	render_md_str(fp, line);
	fputs("*\n", fp);
}

/* The categories whose unsanctioned services were all only contacted. */
static void
contacted_only(FILE *fp, const struct report *r)
{
	char line[2048];

	if (*report_use_contact_only(r, line, sizeof(line)) == '\0')
		return;
	fputs("\nOnly contacted, no sustained use: ", fp);
	render_md_str(fp, line);
	putc('\n', fp);
}

/* One line of the appendix. */
static void
appendix_line(void *arg, size_t i, const char *category, const char *use,
    const char *list)
{
	FILE *fp = arg;

	if (i == 0)
		fputs("\n## Appendix: unsanctioned services not listed above"
		    " (devices)\n\n", fp);
	fputs("- **", fp);
	render_md_str(fp, category);
	fprintf(fp, ", %s:** ", use);
	render_md_str(fp, list);
	putc('\n', fp);
}

/* Every unsanctioned service the body left out, by category and use. */
static void
appendix(FILE *fp, const struct report *r)
{
	(void)report_use_appendix_each(r, appendix_line, fp);
}

static void
unsanctioned(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	const struct report_service *s;
	char n1[32], n2[32], line[512];
	size_t i, j, more;

	if (r->totals.unsanctioned_services == 0)
		return;
	fputs("## Unsanctioned services by category\n", fp);
	if (*report_use_words(r, line, sizeof(line)) != '\0') {
		fputs("\nDevices in sustained use: ", fp);
		render_md_str(fp, line);
		fputs(".\n", fp);
	}
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (c->nunsanctioned == 0)
			continue;
		fputs("\n### ", fp);
		render_md_str(fp, c->name != NULL ? c->name : c->id);
		fprintf(fp, "\n\n%s unsanctioned %s, %s %s.\n\n",
		    report_count(c->nunsanctioned, n1, sizeof(n1)),
		    c->nunsanctioned == 1 ? "service" : "services",
		    report_count(c->unsanctioned_devices, n2, sizeof(n2)),
		    c->unsanctioned_devices == 1 ? "device" : "devices");
		fputs("| Service | Devices | Flows | Uploaded | Downloaded |"
		    " First seen | Risk |\n", fp);
		fputs("| --- | ---: | ---: | ---: | ---: | --- | --- |\n", fp);
		for (j = 0, more = 0; j < r->nservices; j++) {
			s = &r->services[j];
			if (s->status != VERDICT_UNSANCTIONED ||
			    strcmp(s->category, c->id) != 0 ||
			    s->use != REPORT_USE_SUSTAINED)
				continue;
			if (!s->shown) {
				more++;
				continue;
			}
			putc('|', fp);
			cell_str(fp, s->name);
			cell_count(fp, s->sustained);
			cell_count(fp, s->flows);
			cell_bytes(fp, s->bytes_up);
			cell_bytes(fp, s->bytes_down);
			cell_time(fp, s->first_us);
			cell_str(fp, s->risk[0] != '\0' ? s->risk : "-");
			putc('\n', fp);
		}
		report_use_more(0, more, 1, line, sizeof(line));
		md_note(fp, line);
		md_note(fp, report_use_contact_words(c, line, sizeof(line)));
	}
	contacted_only(fp, r);
	putc('\n', fp);
}

static void
duplicates(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	char n1[32];
	size_t i, n = 0;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (!REPORT_IS_DUPLICATE(c))
			continue;
		if (n++ == 0)
			fputs("## Duplicate tools\n\n", fp);
		fputs("- **", fp);
		render_md_str(fp, c->name != NULL ? c->name : c->id);
		fprintf(fp, "**: %zu services in use on %s %s; ", c->nservices,
		    report_count(c->devices, n1, sizeof(n1)),
		    c->devices == 1 ? "device" : "devices");
		if (c->sanctioned != NULL) {
			render_md_str(fp, c->sanctioned->name);
			fputs(" is the sanctioned one.\n", fp);
		} else
			fputs("none is sanctioned.\n", fp);
	}
	if (n > 0)
		putc('\n', fp);
}

static const char *dash(const char *);

static void
logins(FILE *fp, const struct report *r)
{
	const struct report_login *l;
	char shown[80];
	size_t i;

	if (r->nlogins == 0)
		return;
	fputs("### Passwords sent in clear text\n\n", fp);
	fputs("User names only; shadowtap never stores a password", fp);
	if (*report_logins_shown(r, shown, sizeof(shown)) != '\0')
		fprintf(fp, ". The %s", shown);
	fputs(".\n\n", fp);
	fputs("| Protocol | Server | Device | Owner | Department | User name |"
	    " Log-ins | Last seen |\n", fp);
	fputs("| --- | --- | --- | --- | --- | --- | ---: | --- |\n", fp);
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		putc('|', fp);
		cell_str(fp, l->proto);
		cell_str(fp, l->server);
		cell_str(fp, report_ident_label(r, l->device));
		cell_str(fp, dash(report_ident_owner(r, l->device)));
		cell_str(fp, dash(report_ident_department(r, l->device)));
		cell_str(fp, l->user[0] != '\0' ? l->user : "-");
		cell_count(fp, l->count);
		cell_time(fp, l->last_us);
		putc('\n', fp);
	}
	putc('\n', fp);
}

static void
geo_cells(FILE *fp, const struct report_geo *g)
{
	cell_count(fp, g->devices);
	cell_count(fp, g->flows);
	cell_bytes(fp, g->bytes_up);
	cell_bytes(fp, g->bytes_down);
	putc('\n', fp);
}

static void
geography(FILE *fp, const struct report *r)
{
	const struct report_geo *g;
	char label[96];
	size_t i;

	if (r->ncountries == 0 && r->nnetworks == 0)
		return;
	fputs("## Where data goes\n\n", fp);
	if (r->ncountries > 0) {
		fputs("By destination country, most data first.\n\n", fp);
		fputs("| Country | Devices | Flows | Uploaded | Downloaded |\n",
		    fp);
		fputs("| --- | ---: | ---: | ---: | ---: |\n", fp);
	}
	for (i = 0; i < r->ncountries; i++) {
		g = &r->countries[i];
		putc('|', fp);
		cell_str(fp, report_geo_label(g, 0, 0, label, sizeof(label)));
		geo_cells(fp, g);
	}
	if (r->nnetworks > 0) {
		fputs(r->ncountries > 0 ? "\n" : "", fp);
		fputs("By network (autonomous system), most data first.\n\n",
		    fp);
		fputs("| AS | Organisation | Devices | Flows | Uploaded |"
		    " Downloaded |\n", fp);
		fputs("| --- | --- | ---: | ---: | ---: | ---: |\n", fp);
	}
	for (i = 0; i < r->nnetworks; i++) {
		g = &r->networks[i];
		putc('|', fp);
		cell_str(fp, report_geo_label(g, 1, 0, label, sizeof(label)));
		cell_str(fp, g->as_org[0] != '\0' ? g->as_org : "-");
		geo_cells(fp, g);
	}
	putc('\n', fp);
}

static void
departments(FILE *fp, const struct report *r)
{
	const struct report_department *d;
	size_t i;

	if (r->ndepartments == 0)
		return;
	fputs("\n## Departments\n\n", fp);
	fputs("| Department | Devices | Unsanctioned services |"
	    " Devices using them | Uploaded to them | Uploaded in all |\n", fp);
	fputs("| --- | ---: | ---: | ---: | ---: | ---: |\n", fp);
	for (i = 0; i < r->ndepartments; i++) {
		d = &r->departments[i];
		putc('|', fp);
		cell_str(fp, d->name[0] != '\0' ? d->name : "(no department)");
		cell_count(fp, d->devices);
		cell_count(fp, d->unsanctioned_services);
		cell_count(fp, d->unsanctioned_devices);
		cell_bytes(fp, d->unsanctioned_up);
		cell_bytes(fp, d->bytes_up);
		putc('\n', fp);
	}
}

static void
workarounds(FILE *fp, const struct report *r)
{
	const struct report_workaround *w;
	size_t i;

	if (r->nworkarounds == 0)
		return;
	fputs("## Workarounds\n\n", fp);
	fputs("| What | Services | Devices | Uploaded | Downloaded |\n", fp);
	fputs("| --- | --- | ---: | ---: | ---: |\n", fp);
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		putc('|', fp);
		cell_str(fp, w->title);
		cell_str(fp, w->examples);
		cell_count(fp, w->devices);
		if (w->categories != NULL) {
			cell_bytes(fp, w->bytes_up);
			cell_bytes(fp, w->bytes_down);
		} else
			fputs(" - | - |", fp);
		putc('\n', fp);
	}
	putc('\n', fp);
	logins(fp, r);
}

static const char *
dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

static void
devices(FILE *fp, const struct report *r)
{
	const struct report_device *d;
	size_t i;

	if (r->ndevices == 0)
		return;
	fputs("## Devices using the most unsanctioned services\n\n", fp);
	fputs("| Device | MAC | Address | Owner | Department | Services |"
	    " Uploaded | Downloaded |\n", fp);
	fputs("| --- | --- | --- | --- | --- | ---: | ---: | ---: |\n", fp);
	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		putc('|', fp);
		cell_str(fp, d->label);
		cell_str(fp, dash(report_device_mac(d)));
		cell_str(fp, dash(report_device_ip(d)));
		cell_str(fp, dash(d->owner));
		cell_str(fp, dash(d->department));
		cell_count(fp, d->services);
		cell_bytes(fp, d->bytes_up);
		cell_bytes(fp, d->bytes_down);
		putc('\n', fp);
	}
	putc('\n', fp);
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	char line[160];
	size_t i, n = 0, more = 0;

	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (s->status == VERDICT_UNSANCTIONED ||
		    s->use != REPORT_USE_SUSTAINED)
			continue;
		if (!s->shown) {
			more++;
			continue;
		}
		if (n++ == 0) {
			fputs("## Other services in use\n\n", fp);
			fputs("| Service | Category | Status | Devices | Flows |"
			    " Uploaded | Downloaded | First seen | Last seen |\n",
			    fp);
			fputs("| --- | --- | --- | ---: | ---: | ---: | ---: |"
			    " --- | --- |\n", fp);
		}
		putc('|', fp);
		cell_str(fp, s->name);
		cell_str(fp, report_category_name(r, s->category));
		fprintf(fp, " %s |", report_status_label(s->status));
		cell_count(fp, s->sustained);
		cell_count(fp, s->flows);
		cell_bytes(fp, s->bytes_up);
		cell_bytes(fp, s->bytes_down);
		cell_time(fp, s->first_us);
		cell_time(fp, s->last_us);
		putc('\n', fp);
	}
	report_use_more(0, more, 0, line, sizeof(line));
	md_note(fp, line);
	if (n > 0)
		putc('\n', fp);
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	char shown[128];
	size_t i;

	if (r->ndests == 0)
		return;
	fputs("## Destinations not in the catalog\n\n", fp);
	fprintf(fp, "%s\n\n", report_dests_shown(r, shown, sizeof(shown)));
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

/* Services only looked up in DNS: no use, listed apart. */
static void
lookups(FILE *fp, const struct report *r)
{
	char line[512];
	size_t i;

	if (report_lookups_unused(r) == 0)
		return;
	fputs("## Looked up, not used\n\n", fp);
	for (i = 0; i < r->nlookups; i++) {
		if (r->lookups[i].used_devices != 0)
			continue;
		fputs("- ", fp);
		render_md_str(fp, report_lookup_words(&r->lookups[i], line,
		    sizeof(line)));
		putc('\n', fp);
	}
	putc('\n', fp);
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

/* Sustained use against the previous period: four lines. */
static void
trends(FILE *fp, const struct report *r)
{
	char *w;
	int i;

	fputs("\n### Trends in sustained use of unsanctioned services\n\n",
	    fp);
	for (i = 0; i < 4; i++) {
		fprintf(fp, "- **%s:** ", report_trend_title(i));
		if ((w = report_trend_words(r, i)) == NULL) {
			fputs("none.\n", fp);
			continue;
		}
		render_md_str(fp, w);
		putc('\n', fp);
		free(w);
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
	change_table(fp, title, r->added, r->nadded, REPORT_NONE_ADDED);
	putc('\n', fp);
	change_table(fp, "No longer seen", r->stopped, r->nstopped,
	    REPORT_NONE_STOPPED);
	trends(fp, r);
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN], n[32], h[32], w[96], l[1024];
	size_t i;

	fputs("## Visibility and coverage\n\n", fp);
	fprintf(fp, "- Capture runs: %s\n", report_runs_words(r, w, sizeof(w)));
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
	if (c->bad_time > 0)
		fprintf(fp, "- Packets with implausible time: %s (%s)\n",
		    report_count(c->bad_time, n, sizeof(n)),
		    REPORT_BAD_TIME_WORDS);
	if (*report_share_words(r, w, sizeof(w)) != '\0')
		fprintf(fp, "- Named traffic in the catalog: %s\n", w);
	if (*report_losses_words(r, l, sizeof(l)) != '\0')
		fprintf(fp, "- Not recorded: %s\n", l);
	for (i = 0; i < r->nfailed_runs; i++) {
		fputs("- Failed run: ", fp);
		render_md_str(fp, report_failed_words(&r->failed_runs[i], l,
		    sizeof(l)));
		putc('\n', fp);
	}
}

int
render_md_report(FILE *fp, const struct report *r)
{
	char from[16], to[16], basis[512];
	size_t i;

	report_period_days(r, from, to, sizeof(from));
	fputs("# Shadow IT summary\n\n", fp);
	if (from[0] != '\0')
		fprintf(fp, "Period: %s to %s (UTC)\n\n", from, to);
	for (i = 0; i < r->nheadline; i++) {
		render_md_str(fp, r->headline[i]);
		fputs("\n\n", fp);
	}
	if (r->nrecs > 0)
		fputs("## What to do first\n\n", fp);
	for (i = 0; i < r->nrecs && i < REPORT_FIRST_ACTIONS; i++) {
		fprintf(fp, "%zu. ", i + 1);
		render_md_str(fp, r->recs[i].text);
		putc('\n', fp);
	}
	if (r->nrecs > 0)
		putc('\n', fp);
	fputs("*", fp);
	render_md_str(fp, report_basis_words(r, basis, sizeof(basis)));
	fputs("*\n\n", fp);
	unsanctioned(fp, r);
	duplicates(fp, r);
	workarounds(fp, r);
	if (r->compare) {
		changes(fp, r);
		putc('\n', fp);
	}
	devices(fp, r);
	know_render_md.render(fp, r);
	services(fp, r);
	geography(fp, r);
	if (r->ndests > 0) {
		dests(fp, r);
		putc('\n', fp);
	}
	lookups(fp, r);
	rel_render_md.render(fp, r);
	coverage(fp, r);
	departments(fp, r);
	if (r->nrecs > 0) {
		fputs("\n## Recommendations\n\n", fp);
		for (i = 0; i < r->nrecs; i++) {
			fprintf(fp, "%zu. ", i + 1);
			render_md_str(fp, r->recs[i].text);
			fputs(" *", fp);
			render_md_str(fp, report_rec_basis(&r->recs[i], basis,
			    sizeof(basis)));
			fputs("*\n", fp);
		}
	}
	appendix(fp, r);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

const struct render_ops render_md = { "markdown", "md", render_md_report };
