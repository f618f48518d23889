/* SPDX-License-Identifier: ISC */
/*
 * rel_render.c: the summary's "Reliability" section in every format, one
 * struct render_ops per format that the format's renderer calls where the
 * section goes. Reads only the model (struct report_rel in report_rel.h);
 * strings go through each format's own escaping from render.h and json.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "report/chart.h"
#include "report/reliability.h"
#include "report/render.h"
#include "report/report.h"
#include "report/report_rel.h"
#include "base/util.h"

#define TEXT_WIDTH	96

/* The counters over everything, for the coverage line of each format. */
static uint64_t
avg_ms(const struct report_rel *rel)
{
	const uint64_t *n = rel->res.n;

	return n[REL_DNS_ANSWERED] == 0 ? 0 : n[REL_DNS_RTT_MS] /
	    n[REL_DNS_ANSWERED];
}

/*
 * "; handshakes took 1.2 ms to servers and 0.3 ms to clients on average"
 * into buf, or "" when none was timed.
 */
static void
hs_words(const struct report_rel *rel, char *buf, size_t len)
{
	const uint64_t *n = rel->res.n;
	uint64_t s, c;

	buf[0] = '\0';
	if (n[REL_TCP_HANDSHAKES] == 0)
		return;
	s = n[REL_TCP_HS_SERVER_US] / n[REL_TCP_HANDSHAKES];
	c = n[REL_TCP_HS_CLIENT_US] / n[REL_TCP_HANDSHAKES];
	snprintf(buf, len, "; handshakes took %" PRIu64 ".%" PRIu64 " ms to"
	    " servers and %" PRIu64 ".%" PRIu64 " ms to clients on average",
	    s / 1000, s % 1000 / 100, c / 1000, c % 1000 / 100);
}

/*
 * "; 1.2 % of their packets were sent again and 0.3 % came after a gap"
 * into buf, or "" when no TCP packet was counted.
 */
static void
rt_words(const struct report_rel *rel, char *buf, size_t len)
{
	const uint64_t *n = rel->res.n;
	uint64_t r, o;

	buf[0] = '\0';
	if (n[REL_TCP_PACKETS] == 0)
		return;
	r = n[REL_TCP_RETRANS] * 1000 / n[REL_TCP_PACKETS];
	o = n[REL_TCP_OOO] * 1000 / n[REL_TCP_PACKETS];
	snprintf(buf, len, "; %" PRIu64 ".%" PRIu64 " %% of their packets"
	    " were sent again and %" PRIu64 ".%" PRIu64 " %% came after a gap",
	    r / 10, r % 10, o / 10, o % 10);
}

/*
 * "No recurring network problem found (N days of DNS, connection and DHCP
 * traffic in N network segments)." into buf, for every format. Returns buf.
 */
static char *
quiet_words(const struct report_rel *rel, char *buf, size_t len)
{
	snprintf(buf, len, "No recurring network problem found (%u day%s of"
	    " DNS, connection and DHCP traffic in %zu network segment%s).",
	    rel->res.days, rel->res.days == 1 ? "" : "s", rel->res.segments,
	    rel->res.segments == 1 ? "" : "s");
	return buf;
}

/*
 * The counters over everything in one paragraph ("DNS: ... NAKs.") into
 * buf, for Markdown and HTML; text lays them out on lines of their own.
 * Returns buf.
 */
static char *
totals_words(const struct report_rel *rel, char *buf, size_t len)
{
	char a[32], b[32], hs[128], rt[128];

	hs_words(rel, hs, sizeof(hs));
	rt_words(rel, rt, sizeof(rt));
	snprintf(buf, len, "DNS: %s lookups, %" PRIu64 " unanswered, %" PRIu64
	    " refused or failed, answers in %" PRIu64 " ms on average."
	    " Connections: %s attempts, %" PRIu64 " unanswered, %" PRIu64
	    " reset, %" PRIu64 " cut off mid-transfer%s%s. DHCP: %" PRIu64
	    " DISCOVERs, %" PRIu64 " OFFERs, %" PRIu64 " NAKs.",
	    report_count(rel->res.n[REL_DNS_QUERIES], a, sizeof(a)),
	    rel->res.n[REL_DNS_TIMEOUTS], rel->res.n[REL_DNS_SERVFAIL] +
	    rel->res.n[REL_DNS_REFUSED], avg_ms(rel),
	    report_count(rel->res.n[REL_TCP_ATTEMPTS], b, sizeof(b)),
	    rel->res.n[REL_TCP_UNANSWERED], rel->res.n[REL_TCP_RESET],
	    rel->res.n[REL_TCP_CUT], hs, rt, rel->res.n[REL_DHCP_DISCOVER],
	    rel->res.n[REL_DHCP_OFFER], rel->res.n[REL_DHCP_NAK]);
	return buf;
}

static uint32_t
heat_max(const uint32_t heat[REL_WEEKDAYS][REL_HOURS])
{
	uint32_t m = 0;
	int d, h;

	for (d = 0; d < REL_WEEKDAYS; d++)
		for (h = 0; h < REL_HOURS; h++)
			if (heat[d][h] != REL_HEAT_NONE && heat[d][h] > m)
				m = heat[d][h];
	return m;
}

#define W_REL_DEV	36	/* text: a device and its owner */

/* "-" for an unknown owner or department. */
static const char *
dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

/* Text. */

static void
wrap(FILE *fp, const char *indent, const char *s)
{
	const char *w, *e;
	size_t col = 0, len;

	for (w = s; *w != '\0'; w = e) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		for (e = w; *e != '\0' && *e != ' '; e++)
			;
		len = (size_t)(e - w);
		if (col == 0) {
			fputs(indent, fp);
			col = strlen(indent);
		} else if (col + 1 + len > TEXT_WIDTH) {
			fprintf(fp, "\n%s", indent);
			col = strlen(indent);
		} else {
			putc(' ', fp);
			col++;
		}
		{
			char word[512];

			if (len >= sizeof(word))
				len = sizeof(word) - 1;
			memcpy(word, w, len);
			word[len] = '\0';
			col += render_text_str(fp, word, 0);
		}
	}
	if (col > 0)
		putc('\n', fp);
}

static void
text_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS],
    const uint8_t (*bad)[REL_HOURS])
{
	static const char shade[] = " .:-=+*#%@";
	uint32_t m = heat_max(heat);
	int d, h;

	if (m < 50)
		m = 50;
	fputs("      hour (UTC) 0         1         2\n"
	    "                 012345678901234567890123\n", fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		fprintf(fp, "      %s        |", reliability_day_name(d));
		for (h = 0; h < REL_HOURS; h++) {
			uint32_t v = heat[d][h];

			if (v == REL_HEAT_NONE)
				putc(' ', fp);
			else
				putc(shade[(v * 9 + m - 1) / m > 9 ? 9 :
				    (v * 9 + m - 1) / m], fp);
		}
		fputs("|", fp);
		if (bad != NULL) {
			for (h = 0; h < REL_HOURS && !bad[d][h]; h++)
				;
			if (h < REL_HOURS)
				fputs("  <- recurring problem", fp);
		}
		putc('\n', fp);
	}
	fprintf(fp, "      Darker: more failures (%s = %u.%u%% of lookups and"
	    " connections or more).\n", "@", m / 10, m % 10);
}

static int
text_section(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], hs[128], rt[128], q[256], who[256];
	const char *brk;
	size_t i, j;

	if (rel == NULL)
		return 0;
	fputs("RELIABILITY\n\n", fp);
	/* Two lines, the second from "traffic in". */
	if (rel->res.nf == 0 && (brk = strstr(quiet_words(rel, q,
	    sizeof(q)), " traffic in ")) != NULL)
		fprintf(fp, "  %.*s\n  %s\n", (int)(brk - q), q, brk + 1);
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		wrap(fp, "  ", rel->sentence[i]);
		putc('\n', fp);
		text_heat(fp, f->heat, f->bad);
		if (f->ndev > 0) {
			fprintf(fp, "\n    %-*s %9s %9s\n", W_REL_DEV,
			    "Device", "Failures", "Attempts");
			for (j = 0; j < f->ndev; j++) {
				fputs("    ", fp);
				render_text_str(fp, report_who_words(r,
				    f->dev[j].device, who, sizeof(who)),
				    W_REL_DEV);
				fprintf(fp, " %9s %9s\n", report_count(
				    f->dev[j].failures, a, sizeof(a)),
				    report_count(f->dev[j].attempts, b,
				    sizeof(b)));
			}
		}
		putc('\n', fp);
	}
	fprintf(fp, "%s  DNS: %s lookups, %" PRIu64 " unanswered, %" PRIu64
	    " refused or failed, answers in %" PRIu64 " ms on average.\n",
	    rel->res.nf == 0 ? "\n" : "", report_count(
	    rel->res.n[REL_DNS_QUERIES], a, sizeof(a)),
	    rel->res.n[REL_DNS_TIMEOUTS], rel->res.n[REL_DNS_SERVFAIL] +
	    rel->res.n[REL_DNS_REFUSED], avg_ms(rel));
	hs_words(rel, hs, sizeof(hs));
	fprintf(fp, "  Connections: %s attempts, %" PRIu64 " unanswered, %"
	    PRIu64 " reset, %" PRIu64 " cut off mid-transfer",
	    report_count(rel->res.n[REL_TCP_ATTEMPTS], b, sizeof(b)),
	    rel->res.n[REL_TCP_UNANSWERED], rel->res.n[REL_TCP_RESET],
	    rel->res.n[REL_TCP_CUT]);
	if (hs[0] != '\0')
		fprintf(fp, ";\n    %s", hs + 2);
	rt_words(rel, rt, sizeof(rt));
	if (rt[0] != '\0')
		fprintf(fp, ";\n    %s", rt + 2);
	fputs(".\n", fp);
	fprintf(fp, "  DHCP: %" PRIu64 " DISCOVERs, %" PRIu64 " OFFERs, %"
	    PRIu64 " REQUESTs, %" PRIu64 " NAKs.\n\n",
	    rel->res.n[REL_DHCP_DISCOVER], rel->res.n[REL_DHCP_OFFER],
	    rel->res.n[REL_DHCP_REQUEST], rel->res.n[REL_DHCP_NAK]);
	return 0;
}

/* Markdown. */

static int
md_section(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], w[1024];
	size_t i, j;
	int d, h;

	if (rel == NULL)
		return 0;
	fputs("## Reliability\n\n", fp);
	if (rel->res.nf == 0)
		fprintf(fp, "%s\n\n", quiet_words(rel, w, sizeof(w)));
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		fprintf(fp, "### ");
		render_md_str(fp, f->segment);
		fprintf(fp, ", %02d:00-%02d:00\n\n", f->start_hour,
		    f->end_hour);
		render_md_str(fp, rel->sentence[i]);
		fputs("\n\n| Day |", fp);
		for (h = 0; h < REL_HOURS; h++)
			fprintf(fp, " %02d |", h);
		fputs("\n|---|", fp);
		for (h = 0; h < REL_HOURS; h++)
			fputs("---:|", fp);
		putc('\n', fp);
		for (d = 0; d < REL_WEEKDAYS; d++) {
			fprintf(fp, "| %s |", reliability_day_name(d));
			for (h = 0; h < REL_HOURS; h++) {
				uint32_t v = f->heat[d][h];

				if (v == REL_HEAT_NONE)
					fputs("  |", fp);
				else
					fprintf(fp, f->bad[d][h] ?
					    " **%u** |" : " %u |", v / 10);
			}
			putc('\n', fp);
		}
		fputs("\nFailed lookups and connections, percent of all, by"
		    " weekday and hour (UTC); the recurring problem in"
		    " bold.\n\n", fp);
		if (f->ndev > 0) {
			fputs("| Device | Owner | Department | Failures |"
			    " Attempts |\n|---|---|---|---:|---:|\n", fp);
			for (j = 0; j < f->ndev; j++) {
				const char *dv = f->dev[j].device;

				fputs("| ", fp);
				render_md_str(fp, report_ident_label(r, dv));
				fputs(" | ", fp);
				render_md_str(fp, dash(report_ident_owner(r, dv)));
				fputs(" | ", fp);
				render_md_str(fp, dash(report_ident_department(r,
				    dv)));
				fprintf(fp, " | %s | %s |\n", report_count(
				    f->dev[j].failures, a, sizeof(a)),
				    report_count(f->dev[j].attempts, b,
				    sizeof(b)));
			}
			putc('\n', fp);
		}
	}
	fprintf(fp, "%s\n\n", totals_words(rel, w, sizeof(w)));
	return 0;
}

/* JSON. */

static void
json_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS])
{
	int d, h;

	fputs("[", fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		fputs(d > 0 ? ",[" : "[", fp);
		for (h = 0; h < REL_HOURS; h++) {
			if (h > 0)
				putc(',', fp);
			if (heat[d][h] == REL_HEAT_NONE)
				fputs("null", fp);
			else
				fprintf(fp, "%u", heat[d][h]);
		}
		putc(']', fp);
	}
	putc(']', fp);
}

static unsigned
permille(double r)
{
	return (unsigned)(r * 1000 + 0.5);
}

static int
json_section(FILE *fp, const struct report *r)
{
	static const char *const cnt[REL_NCOUNTS] = {
		"dns_queries", "dns_timeouts", "dns_servfail", "dns_refused",
		"dns_answered", "dns_rtt_ms_total", "tcp_attempts",
		"tcp_unanswered", "tcp_reset", "tcp_cut", "dhcp_discover",
		"dhcp_offer", "dhcp_request", "dhcp_nak", "tcp_handshakes",
		"tcp_hs_server_us_total", "tcp_hs_client_us_total",
		"tcp_packets", "tcp_retrans", "tcp_ooo", "dns_slow",
	};
	const struct report_rel *rel = r->rel;
	char ts[UTIL_TS_LEN], dw[64];
	size_t i, j;
	int s, d, k, first;

	fputs("  \"reliability\":", fp);
	if (rel == NULL) {
		fputs("null,\n", fp);
		return 0;
	}
	fprintf(fp, "{\"thresholds\":{\"min_days\":%u,\"min_events\":%u,"
	    "\"factor_permille\":%u", rel->opts.min_days, rel->opts.min_events,
	    permille(rel->opts.factor));
	for (s = 0; s < REL_NSIGNALS; s++)
		fprintf(fp, ",\"%s_permille\":%u", health_signal_name(
		    (enum rel_signal)s), permille(rel->opts.min_rate[s]));
	fprintf(fp, "},\n    \"days\":%u,\"segments\":%zu,\"totals\":{",
	    rel->res.days, rel->res.segments);
	for (k = 0; k < REL_NCOUNTS; k++)
		fprintf(fp, "%s\"%s\":%" PRIu64, k > 0 ? "," : "", cnt[k],
		    rel->res.n[k]);
	fputs("},\n    \"findings\":[", fp);
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];
		const struct report_rel_link *l = &rel->link[i];

		fputs(i > 0 ? ",\n      {" : "\n      {", fp);
		json_key(fp, "segment");
		json_str(fp, f->segment);
		fputs(",\"weekdays\":[", fp);
		for (d = 0, first = 1; d < REL_WEEKDAYS; d++) {
			if (!(f->weekdays & (1u << d)))
				continue;
			fprintf(fp, "%s\"%s\"", first ? "" : ",", reliability_day_name(d));
			first = 0;
		}
		fputs("],", fp);
		json_key(fp, "when");
		json_str(fp, reliability_days_str(f->weekdays, dw,
		    sizeof(dw)));
		fprintf(fp, ",\"start_hour\":%d,\"end_hour\":%d,\"days\":%u,"
		    "\"days_seen\":%u,", f->start_hour, f->end_hour, f->days,
		    f->days_seen);
		json_key(fp, "first_seen");
		json_str(fp, util_iso8601(f->first_us, ts, sizeof(ts)));
		putc(',', fp);
		json_key(fp, "last_seen");
		json_str(fp, util_iso8601(f->last_us, ts, sizeof(ts)));
		fputs(",\"signals\":[", fp);
		for (s = 0, first = 1; s < REL_NSIGNALS; s++) {
			if (!f->sig[s].abnormal)
				continue;
			fprintf(fp, "%s{\"signal\":\"%s\",\"failures\":%" PRIu64
			    ",\"attempts\":%" PRIu64 ",\"rate_permille\":%u,"
			    "\"usual_permille\":%u}", first ? "" : ",",
			    health_signal_name((enum rel_signal)s),
			    f->sig[s].failures, f->sig[s].attempts,
			    permille(f->sig[s].rate),
			    permille(f->sig[s].usual));
			first = 0;
		}
		fprintf(fp, "],\n       \"devices_affected\":%zu,"
		    "\"devices\":[", f->devices);
		for (j = 0; j < f->ndev; j++) {
			fputs(j > 0 ? ",{" : "{", fp);
			json_key(fp, "device");
			json_str(fp, f->dev[j].device);
			putc(',', fp);
			json_key(fp, "label");
			json_str(fp, report_ident_label(r, f->dev[j].device));
			putc(',', fp);
			json_key(fp, "owner");
			json_str(fp, report_ident_owner(r, f->dev[j].device));
			putc(',', fp);
			json_key(fp, "department");
			json_str(fp, report_ident_department(r,
			    f->dev[j].device));
			fprintf(fp, ",\"failures\":%" PRIu64 ",\"attempts\":%"
			    PRIu64 "}", f->dev[j].failures,
			    f->dev[j].attempts);
		}
		fputs("],\n       \"workaround\":", fp);
		if (l->service == NULL) {
			fputs("null", fp);
		} else {
			fputs("{", fp);
			json_key(fp, "service");
			json_str(fp, l->service);
			putc(',', fp);
			json_key(fp, "name");
			json_str(fp, l->name);
			fprintf(fp, ",\"bytes_up_in_window\":%" PRIu64
			    ",\"bytes_up_outside\":%" PRIu64
			    ",\"hours_in_window\":%" PRIu64
			    ",\"hours_outside\":%" PRIu64 "}",
			    l->bytes_in, l->bytes_out, l->hours_in,
			    l->hours_out);
		}
		fputs(",\n       ", fp);
		json_key(fp, "summary");
		json_str(fp, rel->sentence[i]);
		fputs(",\n       \"heatmap_permille\":", fp);
		json_heat(fp, f->heat);
		fputs("}", fp);
	}
	fputs(rel->res.nf > 0 ? "\n    ],\n    \"heatmap_permille\":" :
	    "],\n    \"heatmap_permille\":", fp);
	json_heat(fp, rel->res.heat);
	fputs("},\n", fp);
	return 0;
}

/* CSV. */

static int
csv_section(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char dw[64], ts[UTIL_TS_LEN], ts2[UTIL_TS_LEN];
	size_t i;
	int s;

	if (rel == NULL)
		return 0;
	fputs("reliability\r\nsegment,weekdays,start_hour,end_hour,days,"
	    "first_seen,last_seen,signal,failures,attempts,rate_permille,"
	    "usual_permille,devices_affected,workaround,summary\r\n", fp);
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		for (s = 0; s < REL_NSIGNALS; s++) {
			if (!f->sig[s].abnormal)
				continue;
			render_csv_str(fp, f->segment);
			putc(',', fp);
			render_csv_str(fp, reliability_days_str(f->weekdays,
			    dw, sizeof(dw)));
			fprintf(fp, ",%d,%d,%u,", f->start_hour, f->end_hour,
			    f->days);
			fprintf(fp, "%s,%s,", util_iso8601(f->first_us, ts,
			    sizeof(ts)), util_iso8601(f->last_us, ts2,
			    sizeof(ts2)));
			render_csv_str(fp, health_signal_name(
			    (enum rel_signal)s));
			fprintf(fp, ",%" PRIu64 ",%" PRIu64 ",%u,%u,%zu,",
			    f->sig[s].failures, f->sig[s].attempts,
			    permille(f->sig[s].rate),
			    permille(f->sig[s].usual), f->devices);
			render_csv_str(fp, rel->link[i].service != NULL ?
			    rel->link[i].service : "");
			putc(',', fp);
			render_csv_str(fp, rel->sentence[i]);
			fputs("\r\n", fp);
		}
	}
	fputs("\r\n", fp);
	return 0;
}

/* HTML. */

#define HM_LEFT		40
#define HM_TOP		18
#define HM_CELL		30
#define HM_ROW		22

/*
 * An hour-of-day by weekday heatmap as inline SVG: darker is a larger
 * share of failed lookups and connections; the recurring window is
 * outlined. Every value is a number we computed; labels are fixed.
 */
static void
html_heat(FILE *fp, const uint32_t heat[REL_WEEKDAYS][REL_HOURS],
    const uint8_t (*bad)[REL_HOURS], const char *label)
{
	uint32_t m = heat_max(heat);
	int d, h, w = HM_LEFT + REL_HOURS * HM_CELL + 4;
	int ht = HM_TOP + REL_WEEKDAYS * HM_ROW + 4;

	if (m < 50)
		m = 50;
	fprintf(fp, "<svg class=\"heat\" viewBox=\"0 0 %d %d\" role=\"img\""
	    " aria-label=\"", w, ht);
	render_html_str(fp, label);
	fputs("\">\n", fp);
	for (h = 0; h < REL_HOURS; h += 2)
		fprintf(fp, "<text x=\"%d\" y=\"12\" text-anchor=\"middle\">"
		    "%02d</text>", HM_LEFT + h * HM_CELL + HM_CELL / 2, h);
	putc('\n', fp);
	for (d = 0; d < REL_WEEKDAYS; d++) {
		int y = HM_TOP + d * HM_ROW;

		fprintf(fp, "<text x=\"0\" y=\"%d\">%s</text>", y + 15,
		    reliability_day_name(d));
		for (h = 0; h < REL_HOURS; h++) {
			uint32_t v = heat[d][h];
			unsigned a = v == REL_HEAT_NONE ? 0 :
			    chart_heat_opacity(v, m);

			fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\""
			    " height=\"%d\"", HM_LEFT + h * HM_CELL, y,
			    HM_CELL - 2, HM_ROW - 2);
			if (v == REL_HEAT_NONE) {
				fputs(" fill=\"#f5f7fa\"/>", fp);
				continue;
			}
			if (a == 0)
				fputs(" fill=\"#ffffff\" stroke=\"#d9e2ec\"", fp);
			else
				fprintf(fp, " fill=\"#b44d12\" fill-opacity="
				    "\"0.%02u\"", a);
			if (bad != NULL && bad[d][h])
				fputs(" stroke=\"#1f2933\" stroke-width=\"2\"",
				    fp);
			fprintf(fp, "><title>%s %02d:00, %u.%u%% failed</title>"
			    "</rect>", reliability_day_name(d), h, v / 10, v % 10);
		}
		putc('\n', fp);
	}
	fputs("</svg>\n", fp);
	fprintf(fp, "<p class=\"legend\">Share of DNS lookups and connections"
	    " that failed, by weekday and hour (UTC):<span class=\"sw\""
	    " style=\"background:#f5f7fa\"></span>no traffic<span"
	    " class=\"sw\" style=\"background:#fff;border:1px solid"
	    " #d9e2ec\"></span>none failed<span class=\"sw\" style=\""
	    "background:rgba(180,77,18,.1)\"></span>a few<span class=\"sw\""
	    " style=\"background:#b44d12\"></span>%u.%u%% or more%s.</p>\n",
	    m / 10, m % 10, bad != NULL ?
	    "; the recurring problem is outlined" : "");
}

static int
html_section(FILE *fp, const struct report *r)
{
	const struct report_rel *rel = r->rel;
	char a[32], b[32], lab[256], w[1024];
	size_t i, j;

	if (rel == NULL)
		return 0;
	fputs("<section class=\"reliability\"><h2>Reliability</h2>\n", fp);
	if (rel->res.nf == 0) {
		fprintf(fp, "<p>%s</p>\n", quiet_words(rel, w, sizeof(w)));
		html_heat(fp, rel->res.heat, NULL, "Failures by weekday and"
		    " hour, whole network");
	}
	for (i = 0; i < rel->res.nf; i++) {
		const struct rel_finding *f = &rel->res.f[i];

		fputs("<h3>", fp);
		render_html_str(fp, f->segment);
		fprintf(fp, ", %02d:00&ndash;%02d:00</h3>\n<p>", f->start_hour,
		    f->end_hour);
		render_html_str(fp, rel->sentence[i]);
		fputs("</p>\n", fp);
		snprintf(lab, sizeof(lab), "Failures by weekday and hour, %s",
		    f->segment);
		html_heat(fp, f->heat, f->bad, lab);
		if (f->ndev == 0)
			continue;
		fputs("<div class=\"scroll\"><table><thead><tr><th>Device</th>"
		    "<th>Owner</th><th>Department</th>"
		    "<th class=\"n\">Failures</th><th class=\"n\">Attempts</th>"
		    "</tr></thead><tbody>\n", fp);
		for (j = 0; j < f->ndev; j++) {
			const char *dv = f->dev[j].device;

			fputs("<tr><td class=\"name\">", fp);
			render_html_str(fp, report_ident_label(r, dv));
			fputs("</td><td class=\"name\">", fp);
			render_html_str(fp, dash(report_ident_owner(r, dv)));
			fputs("</td><td class=\"name\">", fp);
			render_html_str(fp, dash(report_ident_department(r, dv)));
			fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">"
			    "%s</td></tr>\n", report_count(f->dev[j].failures,
			    a, sizeof(a)), report_count(f->dev[j].attempts, b,
			    sizeof(b)));
		}
		fputs("</tbody></table></div>\n", fp);
	}
	fprintf(fp, "<p class=\"legend\">%s</p>\n</section>\n",
	    totals_words(rel, w, sizeof(w)));
	return 0;
}

const struct render_ops rel_render_text = { "text", NULL, text_section };
const struct render_ops rel_render_md = { "markdown", "md", md_section };
const struct render_ops rel_render_json = { "json", NULL, json_section };
const struct render_ops rel_render_csv = { "csv", NULL, csv_section };
const struct render_ops rel_render_html = { "html", NULL, html_section };
