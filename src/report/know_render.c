/* SPDX-License-Identifier: ISC */
/*
 * know_render.c: the "Knowledge at risk" section (knowledge.c) in each
 * format, one render_ops per format called by that format's renderer, as
 * rel_render.c does for Reliability. One row per person (or device) and
 * personal service; every name goes through the format's escaping.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "report/render.h"
#include "report/report.h"

#define KNOW_INTRO	"Personal accounts that received uploads in the" \
	" period, per owner (per device where no owner is known): when" \
	" someone leaves, these hold the organisation's files."

/* "The 20 largest of 31." when the list is cut, else "". */
static const char *
shown(const struct report *r, char *buf, size_t len)
{
	if (r->know_total <= r->nknow)
		return "";
	snprintf(buf, len, " The %zu largest of %zu.", r->nknow,
	    r->know_total);
	return buf;
}

static const char *
day(int64_t us, char *buf, size_t len)
{
	util_iso8601(us, buf, len);
	if (len > 10)
		buf[10] = '\0';
	return buf;
}

/* The last day of an upload window that ends at us (exclusive). */
static const char *
last_day(int64_t us, char *buf, size_t len)
{
	return day(us - 1, buf, len);
}

/* Text. */

static int
text_section(FILE *fp, const struct report *r)
{
	const struct report_know *k;
	char b[32], d[UTIL_TS_LEN], s[64];
	size_t i, j;

	if (r->nknow == 0)
		return 0;
	fputs("KNOWLEDGE AT RISK\n\n", fp);
	fprintf(fp, "  Personal accounts that received uploads in the period,"
	    " per owner (per device\n  where no owner is known): when someone"
	    " leaves, these hold the files.%s\n\n", shown(r, s, sizeof(s)));
	fprintf(fp, "  %-24s  %-16s  %-22s  %10s  %-11s\n", "Owner (or device)",
	    "Department", "Personal service", "Uploaded", "Last upload");
	for (i = 0; i < r->nknow; i++) {
		k = &r->know[i];
		for (j = 0; j < k->nsvc; j++) {
			fputs("  ", fp);
			if (j == 0) {
				render_text_str(fp, k->who, 24);
				fputs("  ", fp);
				render_text_str(fp, k->department[0] != '\0' ?
				    k->department : "-", 16);
			} else
				fprintf(fp, "%-24s  %-16s", "", "");
			fputs("  ", fp);
			render_text_str(fp, k->svc[j].name, 22);
			fprintf(fp, "  %10s  %s\n", util_human_bytes(
			    k->svc[j].bytes_up, b, sizeof(b)),
			    last_day(k->svc[j].last_us, d, sizeof(d)));
		}
	}
	putc('\n', fp);
	return 0;
}

/* Markdown. */

static int
md_section(FILE *fp, const struct report *r)
{
	const struct report_know *k;
	char b[32], d[UTIL_TS_LEN], s[64];
	size_t i, j;

	if (r->nknow == 0)
		return 0;
	fprintf(fp, "## Knowledge at risk\n\n%s%s\n\n", KNOW_INTRO,
	    shown(r, s, sizeof(s)));
	fputs("| Who | Department | Personal service | Uploaded |"
	    " Last upload |\n| --- | --- | --- | ---: | --- |\n", fp);
	for (i = 0; i < r->nknow; i++) {
		k = &r->know[i];
		for (j = 0; j < k->nsvc; j++) {
			fputs("| ", fp);
			if (j == 0) {
				render_md_str(fp, k->who);
				if (!k->owner)
					fputs(" (device)", fp);
				fputs(" | ", fp);
				render_md_str(fp, k->department[0] != '\0' ?
				    k->department : "-");
			} else
				fputs(" |", fp);
			fputs(" | ", fp);
			render_md_str(fp, k->svc[j].name);
			fprintf(fp, " | %s | %s |\n", util_human_bytes(
			    k->svc[j].bytes_up, b, sizeof(b)),
			    last_day(k->svc[j].last_us, d, sizeof(d)));
		}
	}
	putc('\n', fp);
	return 0;
}

/* JSON: "knowledge_at_risk":[...], "knowledge_at_risk_total":N. */

static void
json_kv(FILE *fp, const char *key, const char *s)
{
	json_key(fp, key);
	json_str(fp, s);
}

static int
json_section(FILE *fp, const struct report *r)
{
	const struct report_know *k;
	const struct report_know_svc *s;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN];
	size_t i, j;

	fputs("  \"knowledge_at_risk\":[", fp);
	for (i = 0; i < r->nknow; i++) {
		k = &r->know[i];
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		json_kv(fp, "who", k->who);
		fprintf(fp, ",\"owner\":%s,", k->owner ? "true" : "false");
		json_kv(fp, "department", k->department);
		fprintf(fp, ",\"devices\":%" PRIu64 ",\"bytes_up\":%" PRIu64
		    ",\"services\":[", k->devices, k->bytes_up);
		for (j = 0; j < k->nsvc; j++) {
			s = &k->svc[j];
			fputs(j > 0 ? ",{" : "{", fp);
			json_kv(fp, "id", s->id);
			putc(',', fp);
			json_kv(fp, "name", s->name);
			fprintf(fp, ",\"devices\":%" PRIu64 ",\"bytes_up\":%"
			    PRIu64 ",", s->devices, s->bytes_up);
			json_kv(fp, "first_upload", util_iso8601(s->first_us,
			    a, sizeof(a)));
			putc(',', fp);
			json_kv(fp, "last_upload", util_iso8601(s->last_us,
			    b, sizeof(b)));
			putc('}', fp);
		}
		fputs("]}", fp);
	}
	fprintf(fp, "%s],\n  \"knowledge_at_risk_total\":%zu,\n",
	    r->nknow > 0 ? "\n  " : "", r->know_total);
	return 0;
}

/* CSV: one record per person (or device) and service. */

static int
csv_section(FILE *fp, const struct report *r)
{
	const struct report_know *k;
	const struct report_know_svc *s;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN];
	size_t i, j;

	fputs("knowledge_at_risk\r\nwho,owner,department,devices,service,"
	    "name,bytes_up,first_upload,last_upload\r\n", fp);
	for (i = 0; i < r->nknow; i++) {
		k = &r->know[i];
		for (j = 0; j < k->nsvc; j++) {
			s = &k->svc[j];
			render_csv_str(fp, k->who);
			fprintf(fp, ",%d,", k->owner);
			render_csv_str(fp, k->department);
			fprintf(fp, ",%" PRIu64 ",", s->devices);
			render_csv_str(fp, s->id);
			putc(',', fp);
			render_csv_str(fp, s->name);
			fprintf(fp, ",%" PRIu64 ",%s,%s\r\n", s->bytes_up,
			    util_iso8601(s->first_us, a, sizeof(a)),
			    util_iso8601(s->last_us, b, sizeof(b)));
		}
	}
	fputs("\r\n", fp);
	return 0;
}

/* HTML. */

static int
html_section(FILE *fp, const struct report *r)
{
	const struct report_know *k;
	char b[32], d[UTIL_TS_LEN], f[UTIL_TS_LEN], s[64];
	size_t i, j;

	if (r->nknow == 0)
		return 0;
	fprintf(fp, "<section class=\"know\"><h2>Knowledge at risk</h2>\n"
	    "<p>%s%s</p>\n", KNOW_INTRO, shown(r, s, sizeof(s)));
	fputs("<div class=\"scroll\"><table><thead><tr><th>Who</th>"
	    "<th>Department</th><th>Personal service</th>"
	    "<th class=\"n\">Uploaded</th><th class=\"n\">First upload</th>"
	    "<th class=\"n\">Last upload</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < r->nknow; i++) {
		k = &r->know[i];
		for (j = 0; j < k->nsvc; j++) {
			fputs("<tr>", fp);
			if (j == 0) {
				fprintf(fp, "<td class=\"name\" rowspan=\"%zu\">",
				    k->nsvc);
				render_html_str(fp, k->who);
				if (!k->owner)
					fputs(" <small class=\"legend\">"
					    "(device)</small>", fp);
				fprintf(fp, "</td><td class=\"name\""
				    " rowspan=\"%zu\">", k->nsvc);
				render_html_str(fp, k->department[0] != '\0' ?
				    k->department : "-");
				fputs("</td>", fp);
			}
			fputs("<td class=\"name\">", fp);
			render_html_str(fp, k->svc[j].name);
			fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">"
			    "%s</td><td class=\"n\">%s</td></tr>\n",
			    util_human_bytes(k->svc[j].bytes_up, b, sizeof(b)),
			    day(k->svc[j].first_us, f, sizeof(f)),
			    last_day(k->svc[j].last_us, d, sizeof(d)));
		}
	}
	fputs("</tbody></table></div>\n</section>\n", fp);
	return 0;
}

const struct render_ops know_render_text = { "text", NULL, text_section };
const struct render_ops know_render_md = { "markdown", "md", md_section };
const struct render_ops know_render_json = { "json", NULL, json_section };
const struct render_ops know_render_csv = { "csv", NULL, csv_section };
const struct render_ops know_render_html = { "html", NULL, html_section };
