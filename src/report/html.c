/* SPDX-License-Identifier: ISC */
/*
 * report/html.c: the summary as one self-contained HTML file for people
 * who read it in a browser, on a phone or printed to PDF. No script, font,
 * image or style comes from outside; the charts are inline SVG, and a
 * Content-Security-Policy forbids scripts altogether, so even a mistake in
 * escaping could not run one. Every string from the database goes through
 * render_html_str().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/render.h"
#include "report/report.h"
#include "base/util.h"

void
render_html_str(FILE *fp, const char *s)
{
	size_t n;

	while (*s != '\0') {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		default:
			if ((n = report_safe_len(s)) == 0) {
				fprintf(fp, "\\x%02X", (unsigned char)*s);
				break;
			}
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		}
		s++;
	}
}

static const char style[] =
":root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#fff;"
"--soft:#f5f7fa;--bad:#b44d12;--ok:#2f6f4f;--bar:#3e6c8a}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;background:var(--bg);color:var(--ink);"
"font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n"
"main{max-width:960px;margin:0 auto;padding:24px 16px 48px}\n"
"h1{font-size:1.6em;margin:0 0 4px}\n"
"h2{font-size:1.2em;margin:32px 0 8px;padding-bottom:4px;"
"border-bottom:1px solid var(--line)}\n"
"h3{font-size:1em;margin:16px 0 4px}\n"
".period{color:var(--muted);margin:0 0 16px}\n"
".headline p{font-size:1.1em;margin:0 0 8px}\n"
".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));"
"gap:12px;margin:16px 0}\n"
".card{background:var(--soft);border-radius:8px;padding:12px}\n"
".card b{display:block;font-size:1.6em}\n"
".card span{color:var(--muted);font-size:.9em}\n"
".scroll{overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;font-size:.92em}\n"
"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);"
"vertical-align:top}\n"
"th{color:var(--muted);font-weight:600}\n"
"td.n,th.n{text-align:right;white-space:nowrap}\n"
"td.name{overflow-wrap:anywhere}\ntd.tok{white-space:nowrap}\n"
".risk-critical,.risk-high{color:var(--bad);font-weight:600}\n"
"svg{width:100%;height:auto;display:block}\n"
"svg text{font:12px system-ui,sans-serif;fill:var(--ink)}\n"
".legend{color:var(--muted);font-size:.9em}\n"
".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px}\n"
"ol li,ul li{margin-bottom:6px}\n"
"footer{margin-top:32px;color:var(--muted);font-size:.85em}\n"
"@media (max-width:600px){body{font-size:15px}main{padding:16px 10px}"
"th,td{padding:4px 5px}}\n"
"@media print{@page{margin:12mm 15mm}body{font-size:9pt;"
"line-height:1.3}h2{margin:12px 0 4px}h3{margin:6px 0 1px}"
"p{margin:3px 0}.headline p{font-size:1em;margin:0 0 3px}"
".cards{margin:6px 0;gap:6px}.card{padding:3px 8px}"
"th,td{padding:1px 6px}ol li,ul li{margin-bottom:1px}"
".appendix{font-size:7.5pt;line-height:1.25}"
"main{max-width:none;padding:0}.card{border:1px solid var(--line);"
"background:none}h2,h3{break-after:avoid}"
"svg,.cards,tr,li,.legend{break-inside:avoid}"
".scroll{overflow:visible}"
"thead{display:table-header-group}}\n";

static void
esc(FILE *fp, const char *s)
{
	render_html_str(fp, s);
}

static void
td_str(FILE *fp, const char *s)
{
	fputs("<td class=\"name\">", fp);
	esc(fp, s);
	fputs("</td>", fp);
}

/* A cell for a short token such as an address: never broken inside. */
static void
td_token(FILE *fp, const char *s)
{
	fputs("<td>", fp);
	esc(fp, s);
	fputs("</td>", fp);
}

/* A MAC or an address: printed whole, never wrapped inside. */
static void
td_nowrap(FILE *fp, const char *s)
{
	fputs("<td class=\"tok\">", fp);
	esc(fp, s);
	fputs("</td>", fp);
}

static void
td_count(FILE *fp, uint64_t n)
{
	char buf[32];

	fprintf(fp, "<td class=\"n\">%s</td>", report_count(n, buf,
	    sizeof(buf)));
}

static void
td_bytes(FILE *fp, uint64_t n)
{
	char buf[32];

	fprintf(fp, "<td class=\"n\">%s</td>", util_human_bytes(n, buf,
	    sizeof(buf)));
}

static void
td_day(FILE *fp, int64_t us)
{
	char buf[UTIL_TS_LEN];

	util_iso8601(us, buf, sizeof(buf));
	buf[10] = '\0';
	fprintf(fp, "<td class=\"n\">%s</td>", buf);
}

static void
cards(FILE *fp, const struct report *r)
{
	const struct store_totals *t = &r->totals;
	char n[32];

	fputs("<div class=\"cards\">", fp);
	fprintf(fp, "<div class=\"card\"><b>%s</b><span>devices using"
	    " unsanctioned services</span></div>",
	    report_count(r->use.devices, n, sizeof(n)));
	fprintf(fp, "<div class=\"card\"><b>%s</b><span>unsanctioned"
	    " services</span></div>",
	    report_count(r->use.services, n, sizeof(n)));
	fprintf(fp, "<div class=\"card\"><b>%s</b><span>categories with"
	    " unsanctioned use</span></div>", report_count(r->use.categories,
	    n, sizeof(n)));
	fprintf(fp, "<div class=\"card\"><b>%s</b><span>destinations not in"
	    " the catalog</span></div>",
	    report_count(t->unclassified_names, n, sizeof(n)));
	fputs("</div>\n", fp);
}

/* A note under a table; nothing when line is "". */
static void
note(FILE *fp, const char *line)
{
	if (line[0] == '\0')
		return;
	fputs("<p class=\"legend\">", fp);
	esc(fp, line);
	fputs("</p>\n", fp);
}

/* The categories whose unsanctioned services were all only contacted. */
static void
contacted_only(FILE *fp, const struct report *r)
{
	char line[2048];

	if (*report_use_contact_only(r, line, sizeof(line)) == '\0')
		return;
	fputs("<p class=\"legend\">Only contacted, no sustained use: ", fp);
	esc(fp, line);
	fputs("</p>\n", fp);
}

/* One paragraph of the appendix, its section opened before the first. */
static void
appendix_line(void *arg, size_t i, const char *category, const char *use,
    const char *list)
{
	FILE *fp = arg;

	if (i == 0)
		fputs("<section class=\"appendix\"><h2>Appendix: unsanctioned"
		    " services not listed above (devices)</h2>\n", fp);
	fputs("<p><b>", fp);
	esc(fp, category);
	fprintf(fp, ", %s:</b> ", use);
	esc(fp, list);
	fputs("</p>\n", fp);
}

/* Every unsanctioned service the body left out, by category and use. */
static void
appendix(FILE *fp, const struct report *r)
{
	if (report_use_appendix_each(r, appendix_line, fp) > 0)
		fputs("</section>\n", fp);
}

static void
unsanctioned(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	const struct report_service *s;
	char n1[32], n2[32], line[1024], contact[512];
	size_t i, j, more;

	if (r->totals.unsanctioned_services == 0)
		return;
	fputs("<section><h2>Unsanctioned services by category</h2>\n", fp);
	if (*report_use_words(r, line, sizeof(line)) != '\0') {
		fputs("<p class=\"legend\">Devices in sustained use: ", fp);
		esc(fp, line);
		fputs(".</p>\n", fp);
	}
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (c->nunsanctioned == 0)
			continue;
		fputs("<h3>", fp);
		esc(fp, c->name != NULL ? c->name : c->id);
		fprintf(fp, " <span class=\"legend\">%s %s, %s %s</span></h3>\n",
		    report_count(c->nunsanctioned, n1, sizeof(n1)),
		    c->nunsanctioned == 1 ? "service" : "services",
		    report_count(c->unsanctioned_devices, n2, sizeof(n2)),
		    c->unsanctioned_devices == 1 ? "device" : "devices");
		fputs("<div class=\"scroll\"><table><thead><tr><th>Service</th>"
		    "<th class=\"n\">Devices</th><th class=\"n\">Flows</th>"
		    "<th class=\"n\">Uploaded</th><th class=\"n\">Downloaded"
		    "</th><th class=\"n\">First seen</th><th>Risk</th></tr>"
		    "</thead><tbody>\n", fp);
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
			fputs("<tr>", fp);
			td_str(fp, s->name);
			td_count(fp, s->sustained);
			td_count(fp, s->flows);
			td_bytes(fp, s->bytes_up);
			td_bytes(fp, s->bytes_down);
			td_day(fp, s->first_us);
			if (s->risk[0] == '\0')
				fputs("<td>-</td>", fp);
			else {
				fputs("<td class=\"risk-", fp);
				esc(fp, s->risk);
				fputs("\">", fp);
				esc(fp, s->risk);
				fputs("</td>", fp);
			}
			fputs("</tr>\n", fp);
		}
		fputs("</tbody></table></div>\n", fp);
		/* One line under the table, to keep the page short. */
		report_use_more(0, more, 1, line, sizeof(line));
		report_use_contact_words(c, contact, sizeof(contact));
		if (line[0] != '\0' && contact[0] != '\0')
			strlcat(line, "; ", sizeof(line));
		strlcat(line, contact, sizeof(line));
		note(fp, line);
	}
	contacted_only(fp, r);
	fputs("</section>\n", fp);
}

static void
duplicates(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	char n1[32];
	size_t i, n = 0, more = 0;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (!REPORT_IS_DUPLICATE(c))
			continue;
		if (n == r->use.top) {
			more++;
			continue;
		}
		if (n++ == 0)
			fputs("<section><h2>Duplicate tools</h2>\n<ul>\n", fp);
		fputs("<li><b>", fp);
		esc(fp, c->name != NULL ? c->name : c->id);
		fprintf(fp, "</b>: %zu services in use on %s %s; ", c->nservices,
		    report_count(c->devices, n1, sizeof(n1)),
		    c->devices == 1 ? "device" : "devices");
		if (c->sanctioned != NULL) {
			esc(fp, c->sanctioned->name);
			fputs(" is the sanctioned one.</li>\n", fp);
		} else
			fputs("none is sanctioned.</li>\n", fp);
	}
	if (more > 0)
		fprintf(fp, "<li>... and %zu more %s: see --format csv"
		    " (categories).</li>\n", more, more == 1 ? "category" :
		    "categories");
	if (n > 0)
		fputs("</ul>\n</section>\n", fp);
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
	fputs("<h3>Passwords sent in clear text</h3>\n<p>User names only;"
	    " shadowtap never stores a password", fp);
	if (*report_logins_shown(r, shown, sizeof(shown)) != '\0')
		fprintf(fp, ". The %s", shown);
	fputs(".</p>\n<div class=\"scroll\"><table><thead><tr><th>Protocol"
	    "</th><th>Server</th><th>Device</th><th>Owner</th>"
	    "<th>Department</th><th>User name</th>"
	    "<th class=\"n\">Log-ins</th><th class=\"n\">Last seen</th></tr>"
	    "</thead><tbody>\n", fp);
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		fputs("<tr>", fp);
		td_token(fp, l->proto);
		td_token(fp, l->server);
		td_str(fp, report_ident_label(r, l->device));
		td_str(fp, dash(report_ident_owner(r, l->device)));
		td_str(fp, dash(report_ident_department(r, l->device)));
		td_str(fp, l->user[0] != '\0' ? l->user : "-");
		td_count(fp, l->count);
		td_day(fp, l->last_us);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

static void
workarounds(FILE *fp, const struct report *r)
{
	const struct report_workaround *w;
	size_t i;

	if (r->nworkarounds == 0)
		return;
	fputs("<section><h2>Workarounds</h2>\n<div class=\"scroll\"><table>"
	    "<thead><tr><th>What</th><th>Services</th><th class=\"n\">Devices"
	    "</th><th class=\"n\">Uploaded</th><th class=\"n\">Downloaded</th>"
	    "</tr></thead><tbody>\n", fp);
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		fputs("<tr>", fp);
		td_str(fp, w->title);
		td_str(fp, w->examples);
		td_count(fp, w->devices);
		if (w->categories != NULL) {
			td_bytes(fp, w->bytes_up);
			td_bytes(fp, w->bytes_down);
		} else
			fputs("<td class=\"n\">-</td><td class=\"n\">-</td>", fp);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	fputs("</section>\n", fp);
}

/* One half of "Where data goes": a heading, a bar chart and the table. */
static void
geo_part(FILE *fp, const char *title, const char *what, const char *chart,
    const struct report_geo *v, size_t n, int as)
{
	struct chart_bar b[REPORT_TOP_GEO];
	char labels[REPORT_TOP_GEO][96];
	const char *l;
	size_t i;

	if (n == 0)
		return;
	if (n > REPORT_TOP_GEO)		/* the report never holds more */
		n = REPORT_TOP_GEO;
	memset(b, 0, sizeof(b));	/* gcc -O2 cannot see n bounds it */
	fprintf(fp, "<h3>%s</h3>\n<p class=\"legend\">Data moved (up and"
	    " down), most first.</p>\n", title);
	for (i = 0; i < n; i++) {
		l = report_geo_label(&v[i], as, 1, labels[i],
		    sizeof(labels[i]));
		if (l != labels[i])
			strlcpy(labels[i], l, sizeof(labels[i]));
		b[i].label = labels[i];
		b[i].value = v[i].bytes_up + v[i].bytes_down;
		util_human_bytes(b[i].value, b[i].text, sizeof(b[i].text));
		b[i].bad = 0;
	}
	chart_bars(fp, chart, b, n);
	fprintf(fp, "<div class=\"scroll\"><table><thead><tr><th>%s</th>"
	    "<th class=\"n\">Devices</th><th class=\"n\">Flows</th>"
	    "<th class=\"n\">Uploaded</th><th class=\"n\">Downloaded</th>"
	    "</tr></thead><tbody>\n", what);
	for (i = 0; i < n; i++) {
		fputs("<tr>", fp);
		td_str(fp, labels[i]);
		td_count(fp, v[i].devices);
		td_count(fp, v[i].flows);
		td_bytes(fp, v[i].bytes_up);
		td_bytes(fp, v[i].bytes_down);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

static void
geography(FILE *fp, const struct report *r)
{
	if (r->ncountries == 0 && r->nnetworks == 0)
		return;
	fputs("<section><h2>Where data goes</h2>\n", fp);
	geo_part(fp, "By destination country", "Country",
	    "Data moved by destination country", r->countries,
	    r->ncountries, 0);
	geo_part(fp, "By network (autonomous system)", "Network",
	    "Data moved by network", r->networks, r->nnetworks, 1);
	fputs("</section>\n", fp);
}

static void
departments(FILE *fp, const struct report *r)
{
	const struct report_department *d;
	size_t i;

	if (r->ndepartments == 0)
		return;
	fputs("<section><h2>Departments</h2>\n<div class=\"scroll\"><table>"
	    "<thead><tr><th>Department</th><th class=\"n\">Devices</th>"
	    "<th class=\"n\">Unsanctioned services</th><th class=\"n\">"
	    "Devices using them</th><th class=\"n\">Uploaded to them</th>"
	    "<th class=\"n\">Uploaded in all</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < r->ndepartments; i++) {
		d = &r->departments[i];
		fputs("<tr>", fp);
		td_str(fp, d->name[0] != '\0' ? d->name : "(no department)");
		td_count(fp, d->devices);
		td_count(fp, d->unsanctioned_services);
		td_count(fp, d->unsanctioned_devices);
		td_bytes(fp, d->unsanctioned_up);
		td_bytes(fp, d->bytes_up);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n</section>\n", fp);
}

static void
change_table(FILE *fp, const char *title, const struct report_change *v,
    size_t n, const char *none)
{
	size_t i;

	fputs("<h3>", fp);
	esc(fp, title);
	fputs("</h3>\n", fp);
	if (n == 0) {
		fprintf(fp, "<p>%s</p>\n", none);
		return;
	}
	fputs("<div class=\"scroll\"><table><thead><tr><th>Service</th>"
	    "<th>Category</th><th>Status</th><th class=\"n\">Devices</th>"
	    "<th class=\"n\">Uploaded</th><th class=\"n\">Downloaded</th></tr>"
	    "</thead><tbody>\n", fp);
	for (i = 0; i < n; i++) {
		fputs("<tr>", fp);
		td_str(fp, v[i].name);
		td_str(fp, v[i].category);
		fprintf(fp, "<td>%s</td>", report_status_label(v[i].status));
		td_count(fp, v[i].devices);
		td_bytes(fp, v[i].bytes_up);
		td_bytes(fp, v[i].bytes_down);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

/* Sustained use against the previous period: four lines. */
static void
trends(FILE *fp, const struct report *r)
{
	char *w;
	int i;

	fputs("<h3>Trends in sustained use of unsanctioned services</h3>\n"
	    "<ul>\n", fp);
	for (i = 0; i < 4; i++) {
		fprintf(fp, "<li><b>%s:</b> ", report_trend_title(i));
		if ((w = report_trend_words(r, i)) == NULL)
			fputs("none.", fp);
		else
			esc(fp, w);
		free(w);
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n", fp);
}

static void
changes(FILE *fp, const struct report *r)
{
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN];

	util_iso8601(r->prev_since_us, a, sizeof(a));
	util_iso8601(r->prev_until_us - 1, b, sizeof(b));
	a[10] = b[10] = '\0';
	fprintf(fp, "<section><h2>Changes since the previous period (%s to"
	    " %s)</h2>\n", a, b);
	change_table(fp, "New", r->added, r->nadded, REPORT_NONE_ADDED);
	change_table(fp, "No longer seen", r->stopped, r->nstopped,
	    REPORT_NONE_STOPPED);
	trends(fp, r);
	fputs("</section>\n", fp);
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
	fputs("<section><h2>Devices using the most unsanctioned services</h2>\n"
	    "<div class=\"scroll\"><table><thead><tr><th>Device</th>"
	    "<th>MAC</th><th>Address</th><th>Owner</th><th>Department</th>"
	    "<th class=\"n\">Services</th>"
	    "<th class=\"n\">Uploaded</th><th class=\"n\">Downloaded</th></tr>"
	    "</thead><tbody>\n", fp);
	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		fputs("<tr>", fp);
		/* A MAC or an address as the name is not broken either. */
		if (strcmp(d->label, d->mac) == 0 || strcmp(d->label, d->ip) == 0)
			td_nowrap(fp, d->label);
		else
			td_str(fp, d->label);
		td_nowrap(fp, dash(report_device_mac(d)));
		td_nowrap(fp, dash(report_device_ip(d)));
		td_str(fp, dash(d->owner));
		td_str(fp, dash(d->department));
		td_count(fp, d->services);
		td_bytes(fp, d->bytes_up);
		td_bytes(fp, d->bytes_down);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n</section>\n", fp);
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
		if (n++ == 0)
			fputs("<section><h2>Other services in use</h2>\n"
			    "<div class=\"scroll\"><table><thead><tr>"
			    "<th>Service</th><th>Category</th><th>Status</th>"
			    "<th class=\"n\">Devices</th><th class=\"n\">"
			    "Uploaded</th><th class=\"n\">Downloaded</th></tr>"
			    "</thead><tbody>\n", fp);
		fputs("<tr>", fp);
		td_str(fp, s->name);
		td_str(fp, report_category_name(r, s->category));
		fprintf(fp, "<td>%s</td>", report_status_label(s->status));
		td_count(fp, s->sustained);
		td_bytes(fp, s->bytes_up);
		td_bytes(fp, s->bytes_down);
		fputs("</tr>\n", fp);
	}
	if (n > 0) {
		fputs("</tbody></table></div>\n", fp);
		report_use_more(0, more, 0, line, sizeof(line));
		note(fp, line);
		fputs("</section>\n", fp);
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
	fputs("<section><h2>Looked up, not used</h2>\n<ul>\n", fp);
	for (i = 0; i < r->nlookups; i++) {
		if (r->lookups[i].used_devices != 0)
			continue;
		fputs("<li>", fp);
		esc(fp, report_lookup_words(&r->lookups[i], line,
		    sizeof(line)));
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n</section>\n", fp);
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	char shown[128];
	size_t i;

	if (r->ndests == 0)
		return;
	fputs("<section><h2>Destinations not in the catalog</h2>\n", fp);
	fprintf(fp, "<p>%s</p>\n", report_dests_shown(r, shown,
	    sizeof(shown)));
	fputs("<div class=\"scroll\"><table><thead><tr><th>Destination</th>"
	    "<th class=\"n\">Devices</th><th class=\"n\">Flows</th>"
	    "<th class=\"n\">Uploaded</th><th class=\"n\">Downloaded</th></tr>"
	    "</thead><tbody>\n", fp);
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		fputs("<tr>", fp);
		td_str(fp, d->name);
		td_count(fp, d->devices);
		td_count(fp, d->flows);
		td_bytes(fp, d->bytes_up);
		td_bytes(fp, d->bytes_down);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n</section>\n", fp);
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN], n[32], h[32], w[96], l[1024];
	size_t i;

	fputs("<section><h2>Visibility and coverage</h2>\n<ul>\n", fp);
	fprintf(fp, "<li>Capture runs: %s</li>\n", report_runs_words(r, w,
	    sizeof(w)));
	fprintf(fp, "<li>Packets examined: %s (%s)</li>\n",
	    report_count(c->packets, n, sizeof(n)),
	    util_human_bytes(c->bytes, h, sizeof(h)));
	if (c->first_us != 0 || c->last_us != 0)
		fprintf(fp, "<li>Traffic time covered: %s to %s</li>\n",
		    util_iso8601(c->first_us, a, sizeof(a)),
		    util_iso8601(c->last_us, b, sizeof(b)));
	fprintf(fp, "<li>Packets missed (kernel drops): %s</li>\n",
	    report_count(c->kernel_drops, n, sizeof(n)));
	fprintf(fp, "<li>Malformed packets ignored: %s</li>\n",
	    report_count(c->decode_errors, n, sizeof(n)));
	if (c->bad_time > 0)
		fprintf(fp, "<li>Packets with implausible time: %s (%s)</li>\n",
		    report_count(c->bad_time, n, sizeof(n)),
		    REPORT_BAD_TIME_WORDS);
	if (*report_share_words(r, w, sizeof(w)) != '\0')
		fprintf(fp, "<li>Named traffic in the catalog: %s</li>\n", w);
	if (*report_losses_words(r, l, sizeof(l)) != '\0')
		fprintf(fp, "<li>Not recorded: %s</li>\n", l);
	for (i = 0; i < r->nfailed_runs; i++) {
		fputs("<li>Failed run: ", fp);
		esc(fp, report_failed_words(&r->failed_runs[i], l, sizeof(l)));
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n</section>\n", fp);
}

int
render_html_report(FILE *fp, const struct report *r)
{
	char from[16], to[16], basis[512];
	size_t i;

	report_period_days(r, from, to, sizeof(from));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">\n<title>Shadow IT summary", fp);
	if (from[0] != '\0')
		fprintf(fp, ", %s to %s", from, to);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
	    style);
	fputs("<h1>Shadow IT summary</h1>\n", fp);
	if (from[0] != '\0')
		fprintf(fp, "<p class=\"period\">%s to %s (UTC)%s</p>\n", from,
		    to, r->pseudonymized ? "; device names are pseudonyms" :
		    "");
	fputs("<section class=\"headline\">\n", fp);
	for (i = 0; i < r->nheadline; i++) {
		fputs("<p>", fp);
		esc(fp, r->headline[i]);
		fputs("</p>\n", fp);
	}
	fputs("</section>\n", fp);
	if (r->nrecs > 0)
		fputs("<section><h2>What to do first</h2>\n<ol>\n", fp);
	for (i = 0; i < r->nrecs && i < REPORT_FIRST_ACTIONS; i++) {
		fputs("<li>", fp);
		esc(fp, r->recs[i].text);
		fputs("</li>\n", fp);
	}
	if (r->nrecs > 0)
		fputs("</ol>\n</section>\n", fp);
	fputs("<p class=\"basis\">", fp);
	esc(fp, report_basis_words(r, basis, sizeof(basis)));
	fputs("</p>\n", fp);
	cards(fp, r);
	unsanctioned(fp, r);
	duplicates(fp, r);
	workarounds(fp, r);
	if (r->compare)
		changes(fp, r);
	/* tests/report/bounded.sh prints what comes before on its own. */
	fputs("<!-- end of the decision pages -->\n", fp);
	if (r->nlogins > 0) {
		fputs("<section>", fp);
		logins(fp, r);
		fputs("</section>\n", fp);
	}
	chart_html(fp, r);
	devices(fp, r);
	know_render_html.render(fp, r);
	services(fp, r);
	geography(fp, r);
	dests(fp, r);
	lookups(fp, r);
	rel_render_html.render(fp, r);
	coverage(fp, r);
	departments(fp, r);
	if (r->nrecs > 0) {
		fputs("<section><h2>Recommendations</h2>\n<ol>\n", fp);
		for (i = 0; i < r->nrecs; i++) {
			fputs("<li>", fp);
			esc(fp, r->recs[i].text);
			fputs("<br><small class=\"basis\">", fp);
			esc(fp, report_rec_basis(&r->recs[i], basis,
			    sizeof(basis)));
			fputs("</small></li>\n", fp);
		}
		fputs("</ol>\n</section>\n", fp);
	}
	appendix(fp, r);
	fputs("<footer>Made by shadowtap from passively observed network"
	    " traffic. Names as seen on the wire are shown as text;"
	    " unprintable bytes appear as \\xNN.</footer>\n"
	    "</main>\n</body>\n</html>\n", fp);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

const struct render_ops render_html = { "html", NULL, render_html_report };
