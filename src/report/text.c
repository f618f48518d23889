/* SPDX-License-Identifier: ISC */
/*
 * report/text.c: the plain-text summary, for a terminal or an e-mail body.
 * Lines fit in 100 columns. Strings from the database are printed one
 * character at a time through report_safe_len(): anything that could move
 * the cursor, recolour the terminal or reorder the text shows as \xNN.
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

#define TEXT_WIDTH	100
#define UNIT_MAX	8	/* longest display form of one character */

/* Column widths of the services table (two-space indent and gaps: 99). */
#define W_NAME		18
#define W_CAT		13
#define W_DEV		7
#define W_FLOWS		7
#define W_UP		8
#define W_DOWN		10
#define W_DATE		10
#define W_STATUS	12
#define W_WORK		60
#define W_DEVNAME	22
#define W_IP		22
#define W_MAC		17
#define W_SVC		8
/* Destinations table. */
#define W_DEST		48
/* Where data goes (flows of a year reach millions). */
#define W_COUNTRY	9
#define W_GFLOWS	11
#define W_ASN		10
#define W_ORG		38
/* Clear-text log-ins (2 + 10 + 2 + 22 + 2 + 20 + 2 + 26 + 2 + 7). */
#define W_PROTO		10
#define W_SERVER	22
#define W_LDEV		20
#define W_USER		26
#define W_LOGINS	7
/* Departments (2 + 26 + 2 + 7 + 2 + 21 + 2 + 18 + 2 + 16). */
#define W_DEPT		26
#define W_DSVC		21
#define W_DDEV		18
#define W_DUP		16

/*
 * The display form of the character at s into out; returns the bytes it
 * used and sets *cols to the columns it takes.
 */
static size_t
unit(const char *s, char out[UNIT_MAX], size_t *cols)
{
	size_t n;

	if (*s == '\\') {
		strlcpy(out, "\\\\", UNIT_MAX);
		*cols = 2;
		return 1;
	}
	if ((n = report_safe_len(s)) == 0) {
		snprintf(out, UNIT_MAX, "\\x%02X", (unsigned char)*s);
		*cols = 4;
		return 1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	*cols = 1;
	return n;
}

static size_t
display_cols(const char *s)
{
	char u[UNIT_MAX];
	size_t cols, total = 0;

	while (*s != '\0') {
		s += unit(s, u, &cols);
		total += cols;
	}
	return total;
}

size_t
render_text_str(FILE *fp, const char *s, size_t w)
{
	char u[UNIT_MAX];
	size_t cols, used = 0, limit;

	limit = w > 0 && display_cols(s) > w ? (w > 3 ? w - 3 : 0) : SIZE_MAX;
	while (*s != '\0') {
		s += unit(s, u, &cols);
		if (used + cols > limit)
			break;
		fputs(u, fp);
		used += cols;
	}
	if (limit != SIZE_MAX) {
		fputs(w > 3 ? "..." : "", fp);
		used += w > 3 ? 3 : 0;
	}
	while (used < w) {
		putc(' ', fp);
		used++;
	}
	return used;
}

/*
 * Table cells: each writes the two-column gap (or the indent of the first
 * column) before itself.
 *
 * A count right-aligned in w columns: "1,234,567" when it fits, else the
 * short form "1.2M" or "12G" (SI), so a table keeps its 100 columns
 * however large a database grows.
 */
static void
cell_num(FILE *fp, uint64_t n, int w)
{
	static const char units[] = "kMGTPE";
	char buf[32];
	double v = (double)n;
	size_t u = 0;

	if ((int)strlen(report_count(n, buf, sizeof(buf))) > w) {
		do {
			v /= 1000;
		} while (v >= 999.95 && ++u < sizeof(units) - 2);
		snprintf(buf, sizeof(buf), v < 9.95 ? "%.1f%c" : "%.0f%c", v,
		    units[u]);
	}
	fprintf(fp, "  %*s", w, buf);
}

static void
cell_bytes(FILE *fp, uint64_t n, int w)
{
	char buf[32];

	fprintf(fp, "  %*s", w, util_human_bytes(n, buf, sizeof(buf)));
}

static void
cell_date(FILE *fp, int64_t us)
{
	char buf[UTIL_TS_LEN];

	util_iso8601(us, buf, sizeof(buf));
	buf[W_DATE] = '\0';
	fprintf(fp, "  %s", buf);
}

/* s escaped and padded or cut to w columns (0: as it is). */
static void
cell_str(FILE *fp, const char *s, size_t w)
{
	fputs("  ", fp);
	render_text_str(fp, s, w);
}

static const char *
status_title(enum verdict v)
{
	switch (v) {
	case VERDICT_UNSANCTIONED:
		return "Unsanctioned (not approved)";
	case VERDICT_TOLERATED:
		return "Tolerated (accepted, not approved)";
	case VERDICT_SANCTIONED:
		return "Sanctioned (approved)";
	case VERDICT_NONE:
		break;
	}
	return "Other";
}

/*
 * Prints a sentence escaped and word-wrapped at TEXT_WIDTH columns, the
 * cursor being at column indent; lines after the first are indented as
 * much.
 */
static void
wrap(FILE *fp, const char *s, size_t indent)
{
	char u[UNIT_MAX];
	const char *w, *e;
	size_t col = indent, wcols, cols;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		w = s;
		for (wcols = 0; *s != '\0' && *s != ' '; wcols += cols)
			s += unit(s, u, &cols);
		if (col > indent && col + 1 + wcols > TEXT_WIDTH) {
			fprintf(fp, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putc(' ', fp);
			col++;
		}
		/* A word longer than the line is printed whole. */
		for (e = w; e < s; ) {
			e += unit(e, u, &cols);
			fputs(u, fp);
		}
		col += wcols;
	}
	putc('\n', fp);
}

/* A bulleted sentence: "  - " then the text wrapped under itself. */
static void
bullet(FILE *fp, const char *lead, const char *s)
{
	fprintf(fp, "  %s ", lead);
	wrap(fp, s, 3 + strlen(lead));
}

/*
 * A service's instance does not fit the name column: the whole name goes
 * on a line of its own under the row, at indent.
 */
static void
instance_line(FILE *fp, const struct report_service *s, int indent)
{
	if (s->instance[0] == '\0')
		return;
	fprintf(fp, "%*s= ", indent + 2, "");
	render_text_str(fp, s->name, 0);
	putc('\n', fp);
}

/* The categories whose unsanctioned services were all only contacted. */
static void
contacted_only(FILE *fp, const struct report *r)
{
	char line[2048];

	if (*report_use_contact_only(r, line, sizeof(line)) == '\0')
		return;
	fputs("\n  Only contacted, no sustained use: ", fp);
	wrap(fp, line, 4);
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
	fputs("UNSANCTIONED SERVICES BY CATEGORY\n", fp);
	if (*report_use_words(r, line, sizeof(line)) != '\0') {
		putc('\n', fp);
		fprintf(fp, "  Devices in sustained use: %s.\n", line);
	}
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (c->nunsanctioned == 0)
			continue;
		putc('\n', fp);
		cell_str(fp, c->name != NULL ? c->name : c->id, 0);
		fprintf(fp, ": %s unsanctioned %s, %s %s\n",
		    report_count(c->nunsanctioned, n1, sizeof(n1)),
		    c->nunsanctioned == 1 ? "service" : "services",
		    report_count(c->unsanctioned_devices, n2, sizeof(n2)),
		    c->unsanctioned_devices == 1 ? "device" : "devices");
		fprintf(fp, "    %-*s  %*s  %*s  %*s  %*s  %-*s  %s\n", W_NAME,
		    "Service", W_DEV, "Devices", W_FLOWS, "Flows", W_UP,
		    "Uploaded", W_DOWN, "Downloaded", W_DATE, "First seen",
		    "Risk");
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
			fputs("    ", fp);
			render_text_str(fp, s->name, W_NAME);
			cell_num(fp, s->sustained, W_DEV);
			cell_num(fp, s->flows, W_FLOWS);
			cell_bytes(fp, s->bytes_up, W_UP);
			cell_bytes(fp, s->bytes_down, W_DOWN);
			cell_date(fp, s->first_us);
			cell_str(fp, s->risk[0] != '\0' ? s->risk : "-", 0);
			putc('\n', fp);
			instance_line(fp, s, 4);
		}
		if (report_use_more(0, more, 1, line, sizeof(line)) > 0)
			fprintf(fp, "    %s\n", line);
		if (*report_use_contact_words(c, line, sizeof(line)) != '\0')
			fprintf(fp, "    %s\n", line);
	}
	contacted_only(fp, r);
	putc('\n', fp);
}

static void
duplicates(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	char line[1024], n1[32];
	size_t i, n = 0;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		if (!REPORT_IS_DUPLICATE(c))
			continue;
		if (n++ == 0)
			fputs("DUPLICATE TOOLS (several services doing the same"
			    " job)\n\n", fp);
		report_count(c->devices, n1, sizeof(n1));
		if (c->sanctioned != NULL)
			snprintf(line, sizeof(line), "%s: %zu services in use"
			    " on %s %s; %s is the sanctioned one.", c->name,
			    c->nservices, n1,
			    c->devices == 1 ? "device" : "devices",
			    c->sanctioned->name);
		else
			snprintf(line, sizeof(line), "%s: %zu services in use"
			    " on %s %s; none is sanctioned.", c->name,
			    c->nservices, n1,
			    c->devices == 1 ? "device" : "devices");
		bullet(fp, "-", line);
	}
	if (n > 0)
		putc('\n', fp);
}

static void
logins(FILE *fp, const struct report *r)
{
	const struct report_login *l;
	char shown[80], who[256];
	size_t i;

	if (r->nlogins == 0)
		return;
	fputs("  Passwords sent in clear text (user names only; shadowtap"
	    " never stores a password):\n", fp);
	if (*report_logins_shown(r, shown, sizeof(shown)) != '\0')
		fprintf(fp, "  the %s, by protocol, server and user name.\n",
		    shown);
	putc('\n', fp);
	fprintf(fp, "  %-*s  %-*s  %-*s  %-*s  %*s\n", W_PROTO, "Protocol",
	    W_SERVER, "Server", W_LDEV, "Device", W_USER, "User name",
	    W_LOGINS, "Log-ins");
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		cell_str(fp, l->proto, W_PROTO);
		cell_str(fp, l->server, W_SERVER);
		cell_str(fp, report_who_words(r, l->device, who, sizeof(who)),
		    W_LDEV);
		cell_str(fp, l->user[0] != '\0' ? l->user : "-", W_USER);
		cell_num(fp, l->count, W_LOGINS);
		putc('\n', fp);
	}
	putc('\n', fp);
}

static void
workarounds(FILE *fp, const struct report *r)
{
	const struct report_workaround *w;
	size_t i;

	if (r->nworkarounds == 0)
		return;
	fputs("WORKAROUNDS\n\n", fp);
	fprintf(fp, "  %-*s  %*s  %*s  %*s\n", W_WORK, "What", W_DEV,
	    "Devices", W_UP, "Uploaded", W_DOWN, "Downloaded");
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		cell_str(fp, w->title, W_WORK);
		cell_num(fp, w->devices, W_DEV);
		if (w->categories != NULL) {
			cell_bytes(fp, w->bytes_up, W_UP);
			cell_bytes(fp, w->bytes_down, W_DOWN);
		} else
			fprintf(fp, "  %*s  %*s", W_UP, "-", W_DOWN, "-");
		putc('\n', fp);
		fputs("    ", fp);
		if (display_cols(w->examples) > TEXT_WIDTH - 4)
			render_text_str(fp, w->examples, TEXT_WIDTH - 4);
		else
			render_text_str(fp, w->examples, 0);
		fputs("\n", fp);
	}
	putc('\n', fp);
	logins(fp, r);
}

static void
geo_row(FILE *fp, const struct report_geo *g)
{
	cell_num(fp, g->devices, W_DEV);
	cell_num(fp, g->flows, W_GFLOWS);
	cell_bytes(fp, g->bytes_up, W_UP);
	cell_bytes(fp, g->bytes_down, W_DOWN);
	putc('\n', fp);
}

static void
geography(FILE *fp, const struct report *r)
{
	const struct report_geo *g;
	char as[24];
	size_t i;

	if (r->ncountries == 0 && r->nnetworks == 0)
		return;
	fputs("WHERE DATA GOES\n", fp);
	if (r->ncountries > 0) {
		fputs("\n  By destination country, most data first:\n\n", fp);
		fprintf(fp, "  %-*s  %*s  %*s  %*s  %*s\n", W_COUNTRY,
		    "Country", W_DEV, "Devices", W_GFLOWS, "Flows", W_UP,
		    "Uploaded", W_DOWN, "Downloaded");
	}
	for (i = 0; i < r->ncountries; i++) {
		g = &r->countries[i];
		cell_str(fp, report_geo_label(g, 0, 0, as, sizeof(as)),
		    W_COUNTRY);
		geo_row(fp, g);
	}
	if (r->nnetworks > 0) {
		fputs("\n  By network (autonomous system), most data first:\n\n",
		    fp);
		fprintf(fp, "  %-*s  %-*s  %*s  %*s  %*s  %*s\n", W_ASN, "AS",
		    W_ORG, "Organisation", W_DEV, "Devices", W_GFLOWS, "Flows",
		    W_UP, "Uploaded", W_DOWN, "Downloaded");
	}
	for (i = 0; i < r->nnetworks; i++) {
		g = &r->networks[i];
		fprintf(fp, "  %-*s", W_ASN, report_geo_label(g, 1, 0, as,
		    sizeof(as)));
		cell_str(fp, g->as_org[0] != '\0' ? g->as_org : "-", W_ORG);
		geo_row(fp, g);
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
	fputs("DEPARTMENTS\n\n", fp);
	fprintf(fp, "  %-*s  %*s  %*s  %*s  %*s\n", W_DEPT, "Department",
	    W_DEV, "Devices", W_DSVC, "Unsanctioned services", W_DDEV,
	    "Devices using them", W_DUP, "Uploaded to them");
	for (i = 0; i < r->ndepartments; i++) {
		d = &r->departments[i];
		cell_str(fp, d->name[0] != '\0' ? d->name :
		    "(no department)", W_DEPT);
		cell_num(fp, d->devices, W_DEV);
		cell_num(fp, d->unsanctioned_services, W_DSVC);
		cell_num(fp, d->unsanctioned_devices, W_DDEV);
		cell_bytes(fp, d->unsanctioned_up, W_DUP);
		putc('\n', fp);
	}
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	char line[160];
	size_t i, n = 0, more = 0;
	int status = -1;

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
			fputs("OTHER SERVICES IN USE\n", fp);
		if ((int)s->status != status) {
			if (report_use_more(0, more, 0, line,
			    sizeof(line)) > 0)
				fprintf(fp, "  %s\n", line);
			more = 0;
			status = (int)s->status;
			fprintf(fp, "\n%s\n", status_title(s->status));
			fprintf(fp, "  %-*s  %-*s  %*s  %*s  %*s  %*s  %-*s  %s\n",
			    W_NAME, "Service", W_CAT, "Category", W_DEV,
			    "Devices", W_FLOWS, "Flows", W_UP, "Uploaded",
			    W_DOWN, "Downloaded", W_DATE, "First seen",
			    "Last seen");
		}
		cell_str(fp, s->name, W_NAME);
		cell_str(fp, s->category, W_CAT);
		cell_num(fp, s->sustained, W_DEV);
		cell_num(fp, s->flows, W_FLOWS);
		cell_bytes(fp, s->bytes_up, W_UP);
		cell_bytes(fp, s->bytes_down, W_DOWN);
		cell_date(fp, s->first_us);
		cell_date(fp, s->last_us);
		putc('\n', fp);
		instance_line(fp, s, 2);
	}
	if (report_use_more(0, more, 0, line, sizeof(line)) > 0)
		fprintf(fp, "  %s\n", line);
	if (n > 0)
		putc('\n', fp);
}

/* Appends "what value" to buf, after ", " when buf is not empty. */
static void
who_add(char *buf, size_t len, const char *what, const char *value)
{
	if (value[0] == '\0')
		return;
	if (buf[0] != '\0')
		strlcat(buf, ", ", len);
	strlcat(buf, what, len);
	strlcat(buf, " ", len);
	strlcat(buf, value, len);
}

static void
devices(FILE *fp, const struct report *r)
{
	const struct report_device *d;
	const char *mac, *ip;
	char who[512];
	size_t i;

	if (r->ndevices == 0)
		return;
	fputs("DEVICES USING THE MOST UNSANCTIONED SERVICES\n\n", fp);
	fprintf(fp, "  %-*s  %-*s  %-*s  %*s  %*s  %*s\n", W_DEVNAME, "Device",
	    W_MAC, "MAC", W_IP, "Address", W_SVC, "Services", W_UP,
	    "Uploaded", W_DOWN, "Downloaded");
	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		mac = report_device_mac(d);
		ip = report_device_ip(d);
		cell_str(fp, d->label, W_DEVNAME);
		cell_str(fp, mac[0] != '\0' ? mac : "-", W_MAC);
		cell_str(fp, ip[0] != '\0' ? ip : "-", W_IP);
		cell_num(fp, d->services, W_SVC);
		cell_bytes(fp, d->bytes_up, W_UP);
		cell_bytes(fp, d->bytes_down, W_DOWN);
		putc('\n', fp);
		if (d->owner[0] == '\0' && d->department[0] == '\0' &&
		    d->asset[0] == '\0')
			continue;
		who[0] = '\0';
		who_add(who, sizeof(who), "owner", d->owner);
		who_add(who, sizeof(who), "department", d->department);
		who_add(who, sizeof(who), "asset", d->asset);
		fputs("    ", fp);
		cell_str(fp, who, 0);
		putc('\n', fp);
	}
	putc('\n', fp);
}

static void
recommendations(FILE *fp, const struct report *r)
{
	char n[32], basis[512];
	size_t i;

	if (r->nrecs == 0)
		return;
	fputs("RECOMMENDATIONS\n\n", fp);
	for (i = 0; i < r->nrecs; i++) {
		snprintf(n, sizeof(n), "%zu.", i + 1);
		bullet(fp, n, r->recs[i].text);
		fprintf(fp, "  %*s ", (int)strlen(n), "");
		wrap(fp, report_rec_basis(&r->recs[i], basis, sizeof(basis)),
		    3 + strlen(n));
	}
}

/* The decision page: the actions that matter most, and the basis. */
static void
first_actions(FILE *fp, const struct report *r)
{
	char n[32], line[1024];
	size_t i;

	if (r->nrecs > 0) {
		fputs("WHAT TO DO FIRST\n\n", fp);
		for (i = 0; i < r->nrecs && i < REPORT_FIRST_ACTIONS; i++) {
			snprintf(n, sizeof(n), "%zu.", i + 1);
			bullet(fp, n, r->recs[i].text);
		}
		putc('\n', fp);
	}
	wrap(fp, report_basis_words(r, line, sizeof(line)), 0);
	putc('\n', fp);
}

/* One entry of the appendix: its category and use, then the list. */
static void
appendix_line(void *arg, size_t i, const char *category, const char *use,
    const char *list)
{
	FILE *fp = arg;
	char lead[160];

	if (i == 0)
		fputs("\nAPPENDIX: UNSANCTIONED SERVICES NOT LISTED ABOVE"
		    " (devices)\n\n", fp);
	snprintf(lead, sizeof(lead), "%s, %s:", category, use);
	fputs("  ", fp);
	render_text_str(fp, lead, 0);
	putc('\n', fp);
	fputs("    ", fp);
	wrap(fp, list, 4);
}

/* Every unsanctioned service the body left out, by category and use. */
static void
appendix(FILE *fp, const struct report *r)
{
	(void)report_use_appendix_each(r, appendix_line, fp);
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	char shown[128];
	size_t i;

	if (r->ndests == 0)
		return;
	fputs("DESTINATIONS NOT IN THE CATALOG\n\n", fp);
	fprintf(fp, "  %s\n\n", report_dests_shown(r, shown, sizeof(shown)));
	fprintf(fp, "  %-*s  %*s  %*s  %*s  %*s\n", W_DEST, "Destination",
	    W_DEV, "Devices", W_FLOWS, "Flows", W_UP, "Uploaded", W_DOWN,
	    "Downloaded");
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		cell_str(fp, d->name, W_DEST);
		cell_num(fp, d->devices, W_DEV);
		cell_num(fp, d->flows, W_FLOWS);
		cell_bytes(fp, d->bytes_up, W_UP);
		cell_bytes(fp, d->bytes_down, W_DOWN);
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
	fputs("LOOKED UP, NOT USED\n\n", fp);
	for (i = 0; i < r->nlookups; i++)
		if (r->lookups[i].used_devices == 0)
			bullet(fp, "-", report_lookup_words(&r->lookups[i],
			    line, sizeof(line)));
	putc('\n', fp);
}

static void
change_table(FILE *fp, const char *title, const struct report_change *v,
    size_t n, const char *none)
{
	size_t i;

	fprintf(fp, "%s\n\n", title);
	if (n == 0) {
		fprintf(fp, "  %s\n", none);
		return;
	}
	fprintf(fp, "  %-*s  %-*s  %-*s  %*s  %*s  %*s\n", W_NAME, "Service",
	    W_CAT, "Category", W_STATUS, "Status", W_DEV, "Devices", W_UP,
	    "Uploaded", W_DOWN, "Downloaded");
	for (i = 0; i < n; i++) {
		cell_str(fp, v[i].name, W_NAME);
		cell_str(fp, v[i].category, W_CAT);
		fprintf(fp, "  %-*s", W_STATUS,
		    report_status_label(v[i].status));
		cell_num(fp, v[i].devices, W_DEV);
		cell_bytes(fp, v[i].bytes_up, W_UP);
		cell_bytes(fp, v[i].bytes_down, W_DOWN);
		putc('\n', fp);
	}
}

/* Sustained use against the previous period: four lines. */
static void
trends(FILE *fp, const struct report *r)
{
	char *w;
	int i;

	fputs("\nTRENDS IN SUSTAINED USE OF UNSANCTIONED SERVICES\n\n", fp);
	for (i = 0; i < 4; i++) {
		fprintf(fp, "  %s:", report_trend_title(i));
		if ((w = report_trend_words(r, i)) == NULL) {
			fputs(" none.\n", fp);
			continue;
		}
		fputs("\n    ", fp);
		wrap(fp, w, 4);
		free(w);
	}
}

static void
changes(FILE *fp, const struct report *r)
{
	char from[16], to[16], title[128];
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN];

	util_iso8601(r->prev_since_us, a, sizeof(a));
	util_iso8601(r->prev_until_us - 1, b, sizeof(b));
	memcpy(from, a, 10);
	from[10] = '\0';
	memcpy(to, b, 10);
	to[10] = '\0';
	snprintf(title, sizeof(title), "NEW SINCE THE PREVIOUS PERIOD (%s TO %s)",
	    from, to);
	change_table(fp, title, r->added, r->nadded, REPORT_NONE_ADDED);
	putc('\n', fp);
	change_table(fp, "NO LONGER SEEN", r->stopped, r->nstopped,
	    REPORT_NONE_STOPPED);
	trends(fp, r);
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	char a[UTIL_TS_LEN], b[UTIL_TS_LEN], n[32], h[32], w[96], l[1024];
	size_t i;

	fputs("VISIBILITY AND COVERAGE\n\n", fp);
	fprintf(fp, "  %-32s%s\n", "Capture runs:",
	    report_runs_words(r, w, sizeof(w)));
	fprintf(fp, "  %-32s%s (%s)\n", "Packets examined:",
	    report_count(c->packets, n, sizeof(n)),
	    util_human_bytes(c->bytes, h, sizeof(h)));
	if (c->first_us != 0 || c->last_us != 0)
		fprintf(fp, "  %-32s%s to %s\n", "Traffic time covered:",
		    util_iso8601(c->first_us, a, sizeof(a)),
		    util_iso8601(c->last_us, b, sizeof(b)));
	else
		fprintf(fp, "  %-32s%s\n", "Traffic time covered:", "none");
	fprintf(fp, "  %-32s%s\n", "Packets missed (kernel drops):",
	    report_count(c->kernel_drops, n, sizeof(n)));
	fprintf(fp, "  %-32s%s\n", "Malformed packets ignored:",
	    report_count(c->decode_errors, n, sizeof(n)));
	if (c->bad_time > 0)
		fprintf(fp, "  %-32s%s, left out of the period (dated before"
		    " 2000,\n  %-32sor more than a day ahead of the clock)\n",
		    "Packets with implausible time:",
		    report_count(c->bad_time, n, sizeof(n)), "");
	if (*report_share_words(r, w, sizeof(w)) != '\0')
		fprintf(fp, "  %-32s%s\n", "Named traffic in the catalog:", w);
	if (*report_losses_words(r, l, sizeof(l)) != '\0')
		fprintf(fp, "  %-32s%s\n", "Not recorded:", l);
	for (i = 0; i < r->nfailed_runs; i++)
		fprintf(fp, "  %-32s%s\n", i == 0 ? "Failed runs:" : "",
		    report_failed_words(&r->failed_runs[i], l, sizeof(l)));
}

int
render_text_report(FILE *fp, const struct report *r)
{
	char from[16], to[16];
	size_t i;

	report_period_days(r, from, to, sizeof(from));
	fputs("SHADOW IT SUMMARY", fp);
	if (from[0] != '\0')
		fprintf(fp, ", %s to %s (UTC)", from, to);
	fputs("\n\n", fp);
	for (i = 0; i < r->nheadline; i++)
		wrap(fp, r->headline[i], 0);
	putc('\n', fp);
	first_actions(fp, r);
	unsanctioned(fp, r);
	duplicates(fp, r);
	workarounds(fp, r);
	if (r->compare) {
		changes(fp, r);
		putc('\n', fp);
	}
	devices(fp, r);
	know_render_text.render(fp, r);
	services(fp, r);
	geography(fp, r);
	if (r->ndests > 0) {
		dests(fp, r);
		putc('\n', fp);
	}
	lookups(fp, r);
	rel_render_text.render(fp, r);
	coverage(fp, r);
	if (r->ndepartments > 0) {
		putc('\n', fp);
		departments(fp, r);
	}
	if (r->nrecs > 0) {
		putc('\n', fp);
		recommendations(fp, r);
	}
	appendix(fp, r);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

const struct render_ops render_text = { "text", NULL, render_text_report };
