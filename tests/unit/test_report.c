/* SPDX-License-Identifier: ISC */
/*
 * test_report.c: the summary model and its renderers. Names in the store
 * are hostile on purpose (<script>, |, *, newline, ESC, quotes, C1 and
 * bidi controls, invalid UTF-8): each renderer must neutralise them its
 * own way, keep its layout, and render the same input identically twice.
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
#include <sqlite3.h>

#include "report/render.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"

#define US	1000000LL
#define D0	1704153600LL	/* 2024-01-02T00:00:00Z */

static const char hostile[] = "<script>alert(1)</script>|*x*_\n\x1b[31m\"q\"";
static const char hostile_host[] = "evil|`x`[a](b)\x1b]8;;\xc2\x9b\xe2\x80\xae\xff.example";

static void
finding(struct store *st, const char *dev, const char *svc, enum verdict v,
    int64_t t, uint64_t up)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	strlcpy(f.device, dev, sizeof(f.device));
	strlcpy(f.ip, dev, sizeof(f.ip));
	strlcpy(f.service, svc, sizeof(f.service));
	strlcpy(f.category, "file-sharing", sizeof(f.category));
	f.verdict = v;
	f.bucket = t - t % 86400;
	f.window_s = 86400;
	f.flows = 1;
	f.bytes_up = up;
	f.bytes_down = 2 * up;
	f.first_us = t * US;
	f.last_us = t * US + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
}

static void
unclassified(struct store *st, const char *dev, const char *name, int64_t t)
{
	struct unclassified u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.device, dev, sizeof(u.device));
	strlcpy(u.name, name, sizeof(u.name));
	u.bucket = t - t % 86400;
	u.window_s = 86400;
	u.flows = 4;
	u.bytes_up = 10;
	u.bytes_down = 20;
	u.first_us = u.last_us = t * US;
	assert_int_equal(store_add_unclassified(st, &u), 0);
}

static struct store *
sample(void)
{
	struct run_info ri = { "sample.pcap", NULL, "rules", NULL };
	struct run_stats rs;
	struct store *st;
	char err[256];
	int64_t id;

	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_service(st, "evil", hostile, "chat", NULL,
	    VERDICT_UNSANCTIONED), 0);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	assert_int_equal(store_put_service(st, "o365", "Microsoft 365",
	    "office", NULL, VERDICT_SANCTIONED), 0);
	assert_int_equal(store_put_service(st, "zoom", "Zoom", "meetings",
	    NULL, VERDICT_TOLERATED), 0);
	finding(st, "10.0.0.1", "o365", VERDICT_SANCTIONED, D0 + 10, 5000);
	finding(st, "10.0.0.2", "o365", VERDICT_SANCTIONED, D0 + 10, 5000);
	finding(st, "10.0.0.3", "o365", VERDICT_SANCTIONED, D0 + 10, 5000);
	finding(st, "10.0.0.1", "zoom", VERDICT_TOLERATED, D0 + 20, 100);
	finding(st, "10.0.0.1", "evil", VERDICT_UNSANCTIONED, D0 + 30, 10);
	finding(st, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, D0 + 40,
	    2500000);
	finding(st, "10.0.0.2", "dropbox", VERDICT_UNSANCTIONED,
	    D0 + 86400 + 5, 1);
	unclassified(st, "10.0.0.1", hostile_host, D0 + 50);
	unclassified(st, "10.0.0.1", "plain.example", D0 + 60);
	unclassified(st, "10.0.0.2", "plain.example", D0 + 61);

	assert_int_equal(store_run_begin(st, &ri, &id), 0);
	memset(&rs, 0, sizeof(rs));
	rs.packets = 123456;
	rs.bytes = 98765432;
	rs.flows = 77;
	rs.kernel_drops = 3;
	rs.decode_errors = 2;
	rs.first_us = D0 * US;
	rs.last_us = (D0 + 86400 + 100) * US;
	assert_int_equal(store_run_end(st, id, &rs), 0);
	return st;
}

/* Renders r with fn into a string the caller frees. */
static char *
render(int (*fn)(FILE *, const struct report *), const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(fn(fp, r), 0);
	fclose(fp);
	return buf;
}

static int
has_byte(const char *s, int c)
{
	return strchr(s, c) != NULL;
}

static void
test_count(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(report_count(0, b, sizeof(b)), "0");
	assert_string_equal(report_count(999, b, sizeof(b)), "999");
	assert_string_equal(report_count(1000, b, sizeof(b)), "1,000");
	assert_string_equal(report_count(1234567, b, sizeof(b)), "1,234,567");
	assert_string_equal(report_count(UINT64_MAX, b, sizeof(b)),
	    "18,446,744,073,709,551,615");
}

static void
test_model(void **state)
{
	struct report *r;
	struct store *st;

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	assert_non_null(r);
	assert_int_equal(r->nservices, 4);
	/* Unsanctioned first, by devices; then tolerated; then sanctioned. */
	assert_string_equal(r->services[0].id, "dropbox");
	assert_int_equal(r->services[0].devices, 2);
	assert_string_equal(r->services[1].id, "evil");
	assert_string_equal(r->services[1].name, hostile);
	assert_string_equal(r->services[2].id, "zoom");
	assert_string_equal(r->services[3].id, "o365");
	assert_int_equal(r->services[3].devices, 3);
	assert_int_equal(r->ndests, 2);
	assert_string_equal(r->dests[0].name, "plain.example");
	assert_true(r->nheadline >= 2);
	assert_string_equal(r->headline[0], "2 devices used 2 unsanctioned"
	    " services in 2 categories between 2024-01-02 and 2024-01-03.");
	assert_string_equal(r->headline[1], "The biggest risk is Dropbox"
	    " (file-sharing, high risk): 2 devices, 2.5 MB uploaded, 5.0 MB"
	    " downloaded.");
	report_free(r);

	/* --since 2024-01-03: only the second day. */
	r = report_build(st, (D0 + 86400) * US, STORE_TIME_MAX);
	assert_non_null(r);
	assert_int_equal(r->nservices, 1);
	assert_int_equal(r->ndests, 0);
	assert_string_equal(r->headline[0], "1 device used 1 unsanctioned"
	    " service in 1 category on 2024-01-03.");
	report_free(r);
	report_free(NULL);
	store_close(st);
}

static void
test_empty(void **state)
{
	struct report *r;
	struct store *st;
	char err[256], *out;

	(void)state;
	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	assert_non_null(r);
	assert_int_equal(r->nservices, 0);
	assert_string_equal(r->headline[0],
	    "No use of catalogued services was recorded so far.");
	out = render(render_text_report, r);
	/* Sections with nothing to say are left out. */
	assert_null(strstr(out, "UNSANCTIONED SERVICES"));
	assert_null(strstr(out, "DESTINATIONS"));
	assert_null(strstr(out, "RECOMMENDATIONS"));
	assert_non_null(strstr(out, "VISIBILITY AND COVERAGE"));
	free(out);
	out = render(render_json_report, r);
	assert_non_null(strstr(out, "\"services\":[]"));
	assert_non_null(strstr(out, "\"first_seen\":null"));
	free(out);
	out = render(render_md_report, r);
	free(out);
	report_free(r);
	store_close(st);
}

static void
test_text(void **state)
{
	struct report *r;
	struct store *st;
	char *out, *again, *line, *nl;
	size_t cols;
	const char *p;

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	out = render(render_text_report, r);
	assert_false(has_byte(out, 0x1b));
	assert_null(strstr(out, "\xc2\x9b"));
	assert_null(strstr(out, "\xe2\x80\xae"));
	assert_null(strstr(out, "\xff"));
	assert_non_null(strstr(out, "\\x1B"));
	assert_non_null(strstr(out, "\\xC2\\x9B\\xE2\\x80\\xAE..."));
	assert_non_null(strstr(out, "\n  chat: 1 unsanctioned service, 1 device\n"));
	assert_non_null(strstr(out, "\n    <script>alert(1...        1  "));
	/* Sections in order; other statuses in order of concern. */
	assert_true(strstr(out, "UNSANCTIONED SERVICES BY CATEGORY") <
	    strstr(out, "WORKAROUNDS"));
	assert_true(strstr(out, "WORKAROUNDS") < strstr(out, "OTHER SERVICES"));
	assert_true(strstr(out, "Tolerated (") < strstr(out, "Sanctioned ("));
	assert_true(strstr(out, "VISIBILITY") < strstr(out, "RECOMMENDATIONS"));
	assert_non_null(strstr(out, "123,456 (98.8 MB)"));
	/* Every line fits in 100 columns. */
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		cols = 0;
		for (p = line; p < nl; p++)
			if (((unsigned char)*p & 0xc0) != 0x80)
				cols++;
		if (cols > 100)
			fail_msg("line too wide (%zu): %.*s", cols,
			    (int)(nl - line), line);
	}
	again = render(render_text_report, r);
	assert_string_equal(out, again);
	free(again);
	free(out);
	report_free(r);
	store_close(st);
}

static void
test_text_str(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	assert_int_equal(render_text_str(fp, "abcdefghijklmnop", 10), 10);
	assert_int_equal(render_text_str(fp, "ab", 5), 5);
	assert_int_equal(render_text_str(fp, "a\\b\x01", 0), 8);
	/* An escape is never cut in half. */
	assert_int_equal(render_text_str(fp, "abcd\x1b\x1b\x1b", 9), 9);
	assert_int_equal(render_text_str(fp, "caf\xc3\xa9", 4), 4);
	fclose(fp);
	assert_string_equal(buf, "abcdefg...ab   a\\\\b\\x01abcd...  caf\xc3\xa9");
	free(buf);

	/* A newline or an escape sequence in a name is shown, not obeyed. */
	buf = NULL;
	fp = open_memstream(&buf, &len);
	render_text_str(fp, hostile, 0);
	fclose(fp);
	assert_string_equal(buf, "<script>alert(1)</script>|*x*_\\x0A"
	    "\\x1B[31m\"q\"");
	free(buf);
}

static void
test_markdown(void **state)
{
	struct report *r;
	struct store *st;
	char *out, *again, *line, *nl;
	const char *p;
	int pipes, want;

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	out = render(render_md_report, r);
	assert_null(strstr(out, "<script>"));
	assert_non_null(strstr(out, "\\<script\\>alert(1)\\</script\\>\\|"
	    "\\*x\\*\\_\\x0A\\x1B\\[31m\"q\""));
	assert_false(has_byte(out, 0x1b));
	assert_non_null(strstr(out, "evil\\|\\`x\\`\\[a\\](b)\\x1B\\]8;;"
	    "\\xC2\\x9B\\xE2\\x80\\xAE\\xFF.example"));
	/* Every table row keeps its column count: unescaped pipes only. */
	want = -1;
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		if (*line != '|') {
			want = -1;
			continue;
		}
		pipes = 0;
		for (p = line; p < nl; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '|')
				pipes++;
		}
		if (want == -1)
			want = pipes;
		assert_int_equal(pipes, want);
	}
	again = render(render_md_report, r);
	assert_string_equal(out, again);
	free(again);
	free(out);
	report_free(r);
	store_close(st);
}

static void
test_json(void **state)
{
	struct report *r;
	struct store *st;
	char *out, *again;

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	out = render(render_json_report, r);
	assert_false(has_byte(out, 0x1b));
	assert_int_equal(strncmp(out, "{\n  \"schema\":1,\n", 16), 0);
	assert_non_null(strstr(out, "\"name\":\"<script>alert(1)</script>|*x*_"
	    "\\n\\u001b[31m\\\"q\\\"\""));
	assert_non_null(strstr(out, "{\"id\":\"dropbox\",\"name\":\"Dropbox\","
	    "\"category\":\"file-sharing\",\"status\":\"unsanctioned\","
	    "\"devices\":2,\"flows\":2,\"bytes_up\":2500001,"
	    "\"bytes_down\":5000002,\"first_seen\":\"2024-01-02T00:00:40Z\","
	    "\"last_seen\":\"2024-01-03T00:00:05Z\",\"risk\":\"high\","
	    "\"use\":\"sustained\",\"sustained_devices\":2,"
	    "\"occasional_devices\":0,\"one_off_devices\":0}"));
	assert_non_null(strstr(out, "\"period\":{\"since\":null,\"until\":null,"
	    "\"first_seen\":\"2024-01-02T00:00:10Z\""));
	assert_non_null(strstr(out, "\"kernel_drops\":3"));
	assert_non_null(strstr(out, "\"unclassified\":[\n    {\"name\":"
	    "\"plain.example\",\"devices\":2"));
	again = render(render_json_report, r);
	assert_string_equal(out, again);
	free(again);
	free(out);
	report_free(r);
	store_close(st);
}

/* Counts CSV records (CRLF outside quotes) and checks quoting balances. */
static size_t
csv_records(const char *s)
{
	size_t n = 0;
	int inq = 0;

	for (; *s != '\0'; s++) {
		if (*s == '"')
			inq = !inq;
		else if (!inq && *s == '\r') {
			assert_int_equal(s[1], '\n');
			s++;
			n++;
		} else if (!inq)
			assert_int_not_equal(*s, '\n');
	}
	assert_false(inq);
	return n;
}

static void
test_csv_str(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	render_csv_str(fp, "a,b");
	render_csv_str(fp, "say \"hi\"\r\nnext");
	render_csv_str(fp, "=HYPERLINK(\"x\")");
	render_csv_str(fp, "+1");
	render_csv_str(fp, "-2");
	render_csv_str(fp, "@SUM(A1)");
	render_csv_str(fp, "\tx");
	render_csv_str(fp, "");
	render_csv_str(fp, "a=b\x1b\\");
	fclose(fp);
	assert_string_equal(buf, "\"a,b\"\"say \"\"hi\"\"\\x0D\\x0Anext\""
	    "\"'=HYPERLINK(\"\"x\"\")\"\"'+1\"\"'-2\"\"'@SUM(A1)\""
	    "\"'\\x09x\"\"\"\"a=b\\x1B\\\\\"");
	free(buf);
}

static void
test_csv(void **state)
{
	struct report *r;
	struct store *st;
	char *out, *again;

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	out = render(render_csv_report, r);
	assert_false(has_byte(out, 0x1b));
	assert_null(strstr(out, "\xc2\x9b"));
	assert_int_equal(strncmp(out, "summary\r\nsince,until,", 21), 0);
	assert_non_null(strstr(out, "\r\n\r\nservices\r\nid,name,category,"));
	assert_non_null(strstr(out, "\"dropbox\",\"Dropbox\",\"file-sharing\","
	    "\"unsanctioned\",2,2,2500001,5000002,2024-01-02T00:00:40Z,"
	    "2024-01-03T00:00:05Z,\"high\",\"sustained\",2,0,0\r\n"));
	assert_non_null(strstr(out, "\"<script>alert(1)</script>|*x*_\\x0A"
	    "\\x1B[31m\"\"q\"\"\""));
	/* Header + one row per service, whatever the names contain. */
	assert_true(csv_records(out) > r->nservices + r->ndests);
	again = render(render_csv_report, r);
	assert_string_equal(out, again);
	free(again);
	free(out);
	report_free(r);
	store_close(st);
}

/*
 * Sections: duplicate tools, workarounds, days, devices, coverage share
 * and the recommendations that follow from them.
 */
static void
test_sections(void **state)
{
	const struct report_category *c;
	struct report *r;
	struct store *st;
	char *out;
	size_t i;
	int sf, sb;

	(void)state;
	st = sample();
	assert_int_equal(store_put_service(st, "box", "Box", "file-sharing",
	    "low", VERDICT_SANCTIONED), 0);
	assert_int_equal(store_put_service(st, "anydesk", "AnyDesk",
	    "remote-access", "critical", VERDICT_UNSANCTIONED), 0);
	finding(st, "10.0.0.3", "box", VERDICT_SANCTIONED, D0 + 70, 10);
	finding(st, "10.0.0.3", "anydesk", VERDICT_UNSANCTIONED, D0 + 80, 10);
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	assert_non_null(r);
	/* The critical-risk service is the biggest risk, not the widest. */
	assert_string_equal(r->headline[1], "The biggest risk is AnyDesk"
	    " (remote-access, critical risk): 1 device, 10 B uploaded, 20 B"
	    " downloaded.");
	/* file-sharing: Dropbox (unsanctioned) and Box (sanctioned). The
	 * helper files every finding under file-sharing. */
	for (i = 0, c = NULL; i < r->ncategories; i++)
		if (strcmp(r->categories[i].id, "file-sharing") == 0)
			c = &r->categories[i];
	assert_non_null(c);
	assert_true(REPORT_IS_DUPLICATE(c));
	assert_int_equal(c->nservices, 2);
	assert_int_equal(c->nunsanctioned, 1);
	assert_non_null(c->sanctioned);
	assert_string_equal(c->sanctioned->id, "box");
	assert_int_equal(c->unapproved_devices, 2);
	/* Without a policy no recommendation proposes a tool
	 * (test_recommend.c has them with one). */
	for (i = 0; i < r->nrecs; i++)
		assert_string_equal(r->recs[i].targets, "");
	assert_int_equal(r->nworkarounds, 2);
	assert_string_equal(r->workarounds[0].id, "file-transfer");
	assert_int_equal(r->workarounds[0].devices, 2);
	assert_int_equal(r->workarounds[0].bytes_up, 2500001);
	assert_string_equal(r->workarounds[0].examples, "Dropbox");
	assert_string_equal(r->workarounds[1].id, "remote-access");
	assert_int_equal(r->ndays, 2);
	assert_true(r->days[1].day_us == (D0 + 86400) * US);
	assert_int_equal(r->days[1].unsanctioned_bytes, 3);
	assert_int_equal(r->ndevices, 3);
	assert_string_equal(r->devices[0].name, "10.0.0.1");
	assert_int_equal(r->devices[0].services, 2);
	/* 9 findings of 1 flow each, 3 unclassified rows of 4 flows. */
	report_classified_share(r, &sf, &sb);
	assert_int_equal(sf, 429);
	out = render(render_text_report, r);
	assert_non_null(strstr(out, "  - file-sharing: 2 services in use on 3"
	    " devices; Box is the sanctioned one.\n"));
	assert_non_null(strstr(out, "Named traffic in the catalog:   42.9% of"
	    " flows"));
	/* Ranked by risk x devices: high x 2 devices before critical x 1. */
	assert_non_null(strstr(out, "\n  1. Find out what the 2.5 MB"));
	assert_non_null(strstr(out, "\n  2. Check the 1 device running"
	    " remote-access tools (AnyDesk)"));
	assert_non_null(strstr(out, "     Policy: not given; the status"
	    " recorded at capture time. Evidence: 1 device, 10 B uploaded,"));
	free(out);
	out = render(render_json_report, r);
	assert_non_null(strstr(out, "\"duplicate\":true,\"sanctioned\":\"box\"}"));
	assert_non_null(strstr(out, "\"classified_flows_permille\":429,"));
	assert_non_null(strstr(out, "\"pseudonymized\":false\n}\n"));
	free(out);
	report_free(r);
	store_close(st);
}

static void
test_html(void **state)
{
	struct report *r;
	struct store *st;
	char *out, *again, *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	render_html_str(fp, "<a href='x'>\"&\"</a>\x1b\\\xc2\x9b\xe2\x80\xae"
	    "caf\xc3\xa9");
	fclose(fp);
	assert_string_equal(buf, "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;"
	    "&lt;/a&gt;\\x1B\\\\\\xC2\\x9B\\xE2\\x80\\xAEcaf\xc3\xa9");
	free(buf);

	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	out = render(render_html_report, r);
	assert_int_equal(strncmp(out, "<!DOCTYPE html>\n", 16), 0);
	/* No markup from the wire; the only <script> is none at all. */
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "alert(1)</"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;|*x*_"
	    "\\x0A\\x1B[31m&quot;q&quot;"));
	assert_non_null(strstr(out, "evil|`x`[a](b)\\x1B]8;;\\xC2\\x9B"
	    "\\xE2\\x80\\xAE\\xFF.example"));
	assert_false(has_byte(out, 0x1b));
	assert_null(strstr(out, "\xc2\x9b"));
	/* Self-contained: no URL to fetch, scripts forbidden by policy. */
	assert_null(strstr(out, "http://"));
	assert_null(strstr(out, "https://"));
	assert_null(strstr(out, "src="));
	assert_non_null(strstr(out, "default-src 'none'; style-src"
	    " 'unsafe-inline'"));
	assert_non_null(strstr(out, "@media print"));
	assert_non_null(strstr(out, "name=\"viewport\""));
	assert_non_null(strstr(out, "<svg class=\"chart\" viewBox="));
	assert_non_null(strstr(out, "aria-label=\"Data moved per day\""));
	/* A long name is cut to fit the chart, never inside an escape. */
	assert_non_null(strstr(out, ">&lt;script&gt;alert(1)&lt;/script&gt;"
	    "|*x*_\\x0A\\x1B[\xe2\x80\xa6</text>"));
	assert_non_null(strstr(out, ">evil|`x`[a](b)\\x1B]8;;\\xC2\\x9B"
	    "\\xE2\\x80\\xAE\\xFF.exa"));
	assert_non_null(strstr(out, "</html>\n"));
	again = render(render_html_report, r);
	assert_string_equal(out, again);
	free(again);
	free(out);
	report_free(r);
	store_close(st);
}

static void
test_pseudonym(void **state)
{
	uint8_t key[STORE_KEY_LEN], key2[STORE_KEY_LEN];
	char a[64], b[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	/* HMAC-SHA256(key, "device:10.0.0.1") starts e3043a82. */
	assert_string_equal(report_pseudonym(key, "device", "10.0.0.1", a,
	    sizeof(a)), "device-e3043a82");
	assert_string_equal(report_pseudonym(key, "ip", "10.0.0.1", a,
	    sizeof(a)), "ip-5beb538a");
	assert_string_equal(report_pseudonym(key, "mac", "aa:bb:cc:dd:ee:ff",
	    a, sizeof(a)), "mac-062da1aa");
	assert_string_equal(report_pseudonym(key, "mac", "", a, sizeof(a)),
	    "");
	/* Another key, another pseudonym. */
	memcpy(key2, key, sizeof(key));
	key2[0] ^= 1;
	report_pseudonym(key2, "device", "10.0.0.1", b, sizeof(b));
	assert_string_not_equal(b, "device-e3043a82");
}

static void
test_pseudonymize(void **state)
{
	uint8_t key[STORE_KEY_LEN], again[STORE_KEY_LEN];
	struct report_opts o;
	struct report *r;
	struct store *st;
	char *out, want[64];

	(void)state;
	st = sample();
	assert_int_equal(store_pseudonym_key(st, key), 1);
	assert_int_equal(store_pseudonym_key(st, again), 1);
	assert_memory_equal(key, again, sizeof(key));
	memset(&o, 0, sizeof(o));
	o.since_us = STORE_TIME_MIN;
	o.until_us = STORE_TIME_MAX;
	o.pseudonym_key = key;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	assert_true(r->pseudonymized);
	report_pseudonym(key, "device", "10.0.0.1", want, sizeof(want));
	assert_string_equal(r->devices[0].name, want);
	out = render(render_json_report, r);
	assert_null(strstr(out, "10.0.0."));
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "\"pseudonymized\":true"));
	free(out);
	out = render(render_html_report, r);
	assert_null(strstr(out, "10.0.0."));
	assert_non_null(strstr(out, "device names are pseudonyms"));
	free(out);
	report_free(r);
	store_close(st);
}

/* Adds destinations, departments and clear-text log-ins to sample(). */
static void
sample_more(struct store *st)
{
	struct destination d;
	struct credential c;
	struct finding f;

	memset(&d, 0, sizeof(d));
	strlcpy(d.device, "10.0.0.1", sizeof(d.device));
	strlcpy(d.service, "dropbox", sizeof(d.service));
	strlcpy(d.country, "US", sizeof(d.country));
	d.asn = 19679;
	strlcpy(d.as_org, hostile, sizeof(d.as_org));
	d.bucket = D0 - D0 % 86400;
	d.window_s = 86400;
	d.flows = 2;
	d.bytes_up = 2500000;
	d.bytes_down = 1000;
	d.first_us = d.last_us = (D0 + 40) * US;
	assert_int_equal(store_add_destination(st, &d), 0);
	strlcpy(d.device, "10.0.0.2", sizeof(d.device));
	strlcpy(d.country, "SE", sizeof(d.country));
	d.asn = 64500;
	strlcpy(d.as_org, "Example Transit", sizeof(d.as_org));
	d.bytes_up = 10;
	assert_int_equal(store_add_destination(st, &d), 0);

	memset(&c, 0, sizeof(c));
	strlcpy(c.device, "10.0.0.3", sizeof(c.device));
	strlcpy(c.ip, "10.0.0.3", sizeof(c.ip));
	strlcpy(c.proto, "pop3", sizeof(c.proto));
	strlcpy(c.server, "192.0.2.9", sizeof(c.server));
	strlcpy(c.user, hostile, sizeof(c.user));
	c.count = 3;
	c.first_us = (D0 + 70) * US;
	c.last_us = (D0 + 80) * US;
	assert_int_equal(store_add_credential(st, &c), 0);

	memset(&f, 0, sizeof(f));
	strlcpy(f.device, "10.0.0.9", sizeof(f.device));
	strlcpy(f.ip, "10.0.0.9", sizeof(f.ip));
	strlcpy(f.service, "dropbox", sizeof(f.service));
	strlcpy(f.category, "file-sharing", sizeof(f.category));
	strlcpy(f.department, hostile, sizeof(f.department));
	f.verdict = VERDICT_UNSANCTIONED;
	f.bucket = D0 - D0 % 86400;
	f.window_s = 86400;
	f.flows = 1;
	f.bytes_up = 7000;
	f.first_us = (D0 + 90) * US;
	f.last_us = f.first_us + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
	strlcpy(f.device, "10.0.0.8", sizeof(f.device));
	strlcpy(f.service, "o365", sizeof(f.service));
	strlcpy(f.department, "Sales", sizeof(f.department));
	f.verdict = VERDICT_SANCTIONED;
	assert_int_equal(store_add_finding(st, &f), 0);
}

/*
 * Where data goes, departments and clear-text log-ins: in the model in
 * order, in every format, escaped, and pseudonymised on request.
 */
static void
test_more_sections(void **state)
{
	uint8_t key[STORE_KEY_LEN];
	struct report_opts o;
	struct report *r;
	struct store *st;
	char *out, want[64];

	(void)state;
	st = sample();
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	assert_non_null(r);
	/* Nothing to say: no section, in any format. */
	assert_int_equal(r->ncountries + r->nnetworks + r->nlogins +
	    r->ndepartments, 0);
	out = render(render_text_report, r);
	assert_null(strstr(out, "WHERE DATA GOES"));
	assert_null(strstr(out, "DEPARTMENTS"));
	assert_null(strstr(out, "clear text"));
	free(out);
	out = render(render_json_report, r);
	assert_non_null(strstr(out, "\"countries\":[],\n"));
	assert_non_null(strstr(out, "\"departments\":[],\n"));
	assert_non_null(strstr(out, "\"cleartext_logins\":[],\n"));
	free(out);
	report_free(r);

	sample_more(st);
	r = report_build(st, STORE_TIME_MIN, STORE_TIME_MAX);
	assert_non_null(r);
	assert_int_equal(r->ncountries, 2);
	assert_string_equal(r->countries[0].country, "US");
	assert_int_equal(r->countries[0].bytes_up, 2500000);
	assert_int_equal(r->nnetworks, 2);
	assert_int_equal(r->networks[0].asn, 19679);
	assert_string_equal(r->networks[0].as_org, hostile);
	assert_int_equal(r->nlogins, 1);
	assert_int_equal(r->login_totals.logins, 3);
	assert_string_equal(r->logins[0].user, hostile);
	/* "" (no department) first, then by name. */
	assert_int_equal(r->ndepartments, 3);
	assert_string_equal(r->departments[0].name, "");
	assert_int_equal(r->departments[0].devices, 3);
	assert_string_equal(r->departments[1].name, hostile);
	assert_int_equal(r->departments[1].unsanctioned_up, 7000);
	assert_string_equal(r->departments[2].name, "Sales");
	assert_int_equal(r->departments[2].unsanctioned_services, 0);
	assert_string_equal(r->workarounds[r->nworkarounds - 1].id,
	    "cleartext-passwords");
	assert_string_equal(r->workarounds[r->nworkarounds - 1].examples,
	    "POP3");

	out = render(render_text_report, r);
	assert_false(has_byte(out, 0x1b));
	/* The decision page may name it first; the section lists it. */
	assert_non_null(strstr(out, "WORKAROUNDS"));
	assert_non_null(strstr(strstr(out, "WORKAROUNDS"), "clear text"));
	assert_true(strstr(out, "OTHER SERVICES") <
	    strstr(out, "WHERE DATA GOES"));
	assert_true(strstr(out, "WHERE DATA GOES") <
	    strstr(out, "DESTINATIONS NOT IN THE CATALOG"));
	assert_true(strstr(out, "VISIBILITY") < strstr(out, "DEPARTMENTS"));
	assert_true(strstr(out, "DEPARTMENTS") < strstr(out, "RECOMMENDATIONS"));
	assert_non_null(strstr(out, "\n  US" "               1            2"
	    "    2.5 MB      1.0 KB\n"));
	assert_non_null(strstr(out, "\n  AS19679     <script>alert(1)"));
	assert_non_null(strstr(out, "\n  pop3        192.0.2.9"));
	assert_non_null(strstr(out, "Switch the 1 device that sends passwords"
	    " in clear text (POP3)"));
	free(out);

	out = render(render_md_report, r);
	assert_non_null(strstr(out, "## Where data goes"));
	assert_non_null(strstr(out, "| AS19679 | \\<script\\>alert(1)"));
	assert_non_null(strstr(out, "### Passwords sent in clear text"));
	assert_non_null(strstr(out, "## Departments"));
	assert_non_null(strstr(out, "| \\<script\\>alert(1)\\</script\\>"
	    "\\|\\*x\\*\\_\\x0A\\x1B\\[31m\"q\" | 1 |"));
	assert_false(has_byte(out, 0x1b));
	free(out);

	out = render(render_html_report, r);
	assert_null(strstr(out, "<script"));
	assert_false(has_byte(out, 0x1b));
	assert_non_null(strstr(out, "aria-label=\"Data moved by destination"
	    " country\""));
	assert_non_null(strstr(out, "<td class=\"name\">AS19679 &lt;script"
	    "&gt;alert(1)&lt;/script&gt;|*x*_\\x0A\\x1B[31m&quot;q&quot;"
	    "</td>"));
	assert_non_null(strstr(out, "<h2>Departments</h2>"));
	free(out);

	out = render(render_csv_report, r);
	assert_non_null(strstr(out, "\r\ncountries\r\ncountry,devices,"));
	assert_non_null(strstr(out, "\r\n19679,\"<script>alert(1)</script>|"
	    "*x*_\\x0A\\x1B[31m\"\"q\"\"\",1,2,"));
	assert_non_null(strstr(out, "\r\ndepartments\r\n"));
	assert_non_null(strstr(out, "\r\n\"pop3\",\"192.0.2.9\","
	    "\"10.0.0.3\",\"<script>"));
	free(out);

	out = render(render_json_report, r);
	assert_non_null(strstr(out, "{\"asn\":19679,\"organisation\":"
	    "\"<script>alert(1)</script>|*x*_\\n\\u001b[31m\\\"q\\\"\","));
	assert_non_null(strstr(out, "\"cleartext_login_rows\":1,\n"));
	assert_non_null(strstr(out, "{\"name\":\"Sales\",\"devices\":1,"));
	free(out);

	/* More log-ins than listed: every format says how many it shows. */
	assert_string_equal(report_logins_shown(r, want, sizeof(want)), "");
	r->login_totals.rows = 1234;
	assert_string_equal(report_logins_shown(r, want, sizeof(want)),
	    "first 1 of 1,234");
	out = render(render_text_report, r);
	assert_non_null(strstr(out, "\n  the first 1 of 1,234, by protocol,"
	    " server and user name.\n"));
	free(out);
	out = render(render_md_report, r);
	assert_non_null(strstr(out, "never stores a password. The first 1 of"
	    " 1,234.\n"));
	free(out);
	out = render(render_html_report, r);
	assert_non_null(strstr(out, "never stores a password. The first 1 of"
	    " 1,234.</p>"));
	free(out);
	report_free(r);

	/* Pseudonyms for the log-in's device and user name. */
	assert_int_equal(store_pseudonym_key(st, key), 1);
	memset(&o, 0, sizeof(o));
	o.since_us = STORE_TIME_MIN;
	o.until_us = STORE_TIME_MAX;
	o.pseudonym_key = key;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	report_pseudonym(key, "user", hostile, want, sizeof(want));
	assert_string_equal(r->logins[0].user, want);
	out = render(render_json_report, r);
	assert_null(strstr(out, "10.0.0."));
	assert_non_null(strstr(out, want));
	free(out);
	report_free(r);
	store_close(st);
}

/*
 * Schema 1 to 2: a version-1 file (made by dropping what 2 added) is
 * readable read-only without a key, and a read-write open migrates it,
 * keeps its data and can then keep a key that later opens find.
 */
static void
test_migrate_key(void **state)
{
	char path[] = "/tmp/test_report_XXXXXX", err[512];
	uint8_t key[STORE_KEY_LEN], key2[STORE_KEY_LEN];
	struct store_totals t;
	struct store *st;
	sqlite3 *db;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	finding(st, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, D0, 5);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* Back to a version-1 file: without what versions 2 to 6 added. */
	assert_int_equal(sqlite3_exec(db, "DROP TABLE as_names;"
	    " DROP INDEX findings_period; DROP INDEX findings_unsanctioned;"
	    " DROP INDEX unclassified_period;"
	    " CREATE INDEX findings_first ON findings(first_us);"
	    " CREATE INDEX unclassified_first ON unclassified(first_us);"
	    " DROP TABLE secrets;"
	    " DROP TABLE sensors; DROP TABLE devices; DROP TABLE device_ips;"
	    " DROP TABLE device_names; DROP TABLE destinations;"
	    " DROP TABLE credentials; DROP TABLE health;"
	    " DROP TABLE reliability;"
	    " DROP TABLE findings_month; DROP TABLE findings_day;"
	    " DROP TABLE unclassified_month; DROP TABLE destinations_month;"
	    " DROP TABLE destinations_day; DROP TABLE device_days;"
	    " DROP TABLE reliability_hour; DROP TABLE lookups;"
	    " DROP TABLE inventory;"
	    " ALTER TABLE runs DROP COLUMN status;"
	    " ALTER TABLE runs DROP COLUMN status_reason;"
	    " ALTER TABLE runs DROP COLUMN read_error;"
	    " DROP INDEX unclassified_name;"
	    " DROP INDEX runs_fingerprint;"
	    " ALTER TABLE runs DROP COLUMN fingerprint;"
	    " ALTER TABLE runs DROP COLUMN sensor_id;"
	    " ALTER TABLE runs DROP COLUMN rows_dropped;"
	    " ALTER TABLE runs DROP COLUMN rows_unwritten;"
	    " ALTER TABLE runs DROP COLUMN bad_time;"
	    " ALTER TABLE findings DROP COLUMN evidence;"
	    " ALTER TABLE findings DROP COLUMN confidence;"
	    " ALTER TABLE findings DROP COLUMN department;"
	    " PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	st = store_open(path, STORE_RDONLY, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_version(st), 1);
	assert_int_equal(store_pseudonym_key(st, key), 0);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &t), 0);
	assert_int_equal(t.devices, 1);
	store_close(st);

	st = store_open(path, 0, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_pseudonym_key(st, key), 1);
	assert_int_equal(store_query_totals(st, STORE_TIME_MIN,
	    STORE_TIME_MAX, &t), 0);
	assert_int_equal(t.devices, 1);
	store_close(st);

	/* Read-only now finds the key; it never makes one. */
	st = store_open(path, STORE_RDONLY, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_pseudonym_key(st, key2), 1);
	assert_memory_equal(key, key2, sizeof(key));
	store_close(st);
	unlink(path);
}

static int64_t
ts(const char *iso)
{
	int64_t t;

	assert_int_equal(util_parse_date(iso, &t), 0);
	return t;
}

static void
test_period_bounds(void **state)
{
	int64_t a, b, pa, pb;
	enum report_period p;

	(void)state;
	assert_int_equal(report_period_parse("last-7d", &p), 0);
	assert_int_equal(p, REPORT_PERIOD_7D);
	assert_int_equal(report_period_parse("week", &p), -1);
	assert_string_equal(report_period_name(REPORT_PERIOD_QUARTER),
	    "quarter");

	report_period_bounds(REPORT_PERIOD_7D, ts("2024-03-15T12:00") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-03-09") * US && b == ts("2024-03-16") * US);
	assert_true(pa == ts("2024-03-02") * US && pb == a);
	report_period_bounds(REPORT_PERIOD_30D, ts("2024-03-15T00:00") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-02-15") * US && b == ts("2024-03-16") * US);
	assert_true(pa == ts("2024-01-16") * US && pb == a);
	/* Leap February; January's previous month is last December. */
	report_period_bounds(REPORT_PERIOD_MONTH, ts("2024-02-29T23:59:59") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-02-01") * US && b == ts("2024-03-01") * US);
	assert_true(pa == ts("2024-01-01") * US && pb == a);
	report_period_bounds(REPORT_PERIOD_MONTH, ts("2024-01-01") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-01-01") * US && b == ts("2024-02-01") * US);
	assert_true(pa == ts("2023-12-01") * US);
	report_period_bounds(REPORT_PERIOD_QUARTER, ts("2024-05-10") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-04-01") * US && b == ts("2024-07-01") * US);
	assert_true(pa == ts("2024-01-01") * US && pb == a);
	report_period_bounds(REPORT_PERIOD_QUARTER, ts("2024-02-10") * US,
	    &a, &b, &pa, &pb);
	assert_true(a == ts("2024-01-01") * US && b == ts("2024-04-01") * US);
	assert_true(pa == ts("2023-10-01") * US);
}

/*
 * Two weeks: the first uses Dropbox and MEGA, the second Dropbox and, on two
 * devices, WeTransfer. The last packet is 2024-01-14 (a Sunday) at noon.
 */
static struct store *
two_weeks(void)
{
	struct store *st;
	char err[256];
	int64_t w1 = ts("2024-01-02T09:00"), w2 = ts("2024-01-10T09:00");

	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_put_service(st, "dropbox", "Dropbox",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	assert_int_equal(store_put_service(st, "mega", "MEGA",
	    "file-sharing", "high", VERDICT_UNSANCTIONED), 0);
	assert_int_equal(store_put_service(st, "wetransfer", "WeTransfer",
	    "file-sharing", "medium", VERDICT_UNSANCTIONED), 0);
	finding(st, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, w1, 100);
	finding(st, "10.0.0.1", "mega", VERDICT_UNSANCTIONED, w1 + 60, 300);
	finding(st, "10.0.0.1", "dropbox", VERDICT_UNSANCTIONED, w2, 100);
	finding(st, "10.0.0.2", "wetransfer", VERDICT_UNSANCTIONED, w2, 50);
	finding(st, "10.0.0.3", "wetransfer", VERDICT_UNSANCTIONED,
	    ts("2024-01-14T12:00"), 50);
	/* Outside both periods: must not count. */
	finding(st, "10.0.0.9", "mega", VERDICT_UNSANCTIONED,
	    ts("2023-12-01"), 1);
	return st;
}

static void
test_compare(void **state)
{
	struct report_opts o;
	struct report *r;
	struct store *st;
	char *out;

	(void)state;
	st = two_weeks();
	memset(&o, 0, sizeof(o));
	o.period = REPORT_PERIOD_7D;
	o.compare = 1;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	assert_true(r->last_us == ts("2024-01-14T12:00") * US + 1);
	assert_true(r->since_us == ts("2024-01-08") * US);
	assert_true(r->until_us == ts("2024-01-15") * US);
	assert_true(r->prev_since_us == ts("2024-01-01") * US);
	assert_int_equal(r->nservices, 2);
	assert_int_equal(r->nadded, 1);
	assert_string_equal(r->added[0].id, "wetransfer");
	assert_int_equal(r->added[0].devices, 2);
	assert_int_equal(r->nstopped, 1);
	assert_string_equal(r->stopped[0].id, "mega");
	assert_int_equal(r->stopped[0].devices, 1);
	assert_int_equal(r->prev_totals.unsanctioned_services, 2);
	assert_string_equal(r->headline[2], "Since the previous period"
	    " (2024-01-01 to 2024-01-07), 1 service appeared and 1 stopped;"
	    " the biggest change is WeTransfer (file-sharing, unsanctioned),"
	    " new on 2 devices.");
	out = render(render_json_report, r);
	assert_non_null(strstr(out, "\"relative\":\"last-7d\",\"last_packet\":"
	    "\"2024-01-14T12:00:00Z\",\"previous\":{\"since\":"
	    "\"2024-01-01T00:00:00Z\",\"until\":\"2024-01-08T00:00:00Z\"}"));
	assert_non_null(strstr(out, "\"added\":[\n    {\"id\":\"wetransfer\""));
	free(out);
	out = render(render_text_report, r);
	assert_non_null(strstr(out, "NEW SINCE THE PREVIOUS PERIOD (2024-01-01"
	    " TO 2024-01-07)"));
	assert_non_null(strstr(out, "NO LONGER SEEN"));
	free(out);
	out = render(render_csv_report, r);
	assert_non_null(strstr(out, "\r\nstopped\r\nid,"));
	free(out);
	report_free(r);

	/* Explicit bounds: the previous period has the same length. */
	o.period = REPORT_PERIOD_NONE;
	o.since_us = ts("2024-01-09") * US;
	o.until_us = ts("2024-01-11") * US;
	r = report_build_opts(st, &o);
	assert_true(r->prev_since_us == ts("2024-01-07") * US);
	assert_true(r->prev_until_us == o.since_us);
	assert_string_equal(r->headline[2], "No traffic is recorded for the"
	    " previous period (2024-01-07 to 2024-01-08), so there is nothing"
	    " to compare with.");
	report_free(r);

	/* Without --compare there is no change sentence and no list. */
	o.compare = 0;
	o.period = REPORT_PERIOD_MONTH;
	r = report_build_opts(st, &o);
	assert_false(r->compare);
	assert_null(r->added);
	assert_true(r->since_us == ts("2024-01-01") * US);
	out = render(render_json_report, r);
	assert_non_null(strstr(out, "\"changes\":null,"));
	free(out);
	report_free(r);
	store_close(st);

	/* An empty database has no last packet: the period stays open. */
	st = store_open(":memory:", STORE_CREATE, NULL, 0);
	o.compare = 1;
	r = report_build_opts(st, &o);
	assert_true(r->since_us == STORE_TIME_MIN);
	assert_false(r->compare);
	report_free(r);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_str),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv_str),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_pseudonym),
		cmocka_unit_test(test_pseudonymize),
		cmocka_unit_test(test_more_sections),
		cmocka_unit_test(test_migrate_key),
		cmocka_unit_test(test_period_bounds),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
