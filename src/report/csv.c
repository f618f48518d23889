/* SPDX-License-Identifier: ISC */
/*
 * report/csv.c: the summary as CSV, one section per report table, for
 * spreadsheets and scripts. Records follow RFC 4180 (CRLF line ends, every
 * text field quoted, quotes doubled). A section is a one-field record naming
 * the table, a header record, the data records and an empty line. Text from
 * the database cannot start a spreadsheet formula (a leading = + - @ tab or
 * CR gets a ' in front, as OWASP advises) and control bytes appear as \xNN,
 * so a name cannot break a record either.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "report/report.h"
#include "base/util.h"

#define CSV_EOL	"\r\n"

void
render_csv_str(FILE *fp, const char *s)
{
	size_t n;

	putc('"', fp);
	if (strchr("=+-@\t\r", *s) != NULL && *s != '\0')
		putc('\'', fp);
	while (*s != '\0') {
		if (*s == '"') {
			fputs("\"\"", fp);
			s++;
		} else if (*s == '\\') {
			fputs("\\\\", fp);
			s++;
		} else if ((n = report_safe_len(s)) == 0) {
			fprintf(fp, "\\x%02X", (unsigned char)*s++);
		} else {
			fwrite(s, 1, n, fp);
			s += n;
		}
	}
	putc('"', fp);
}

/* Field writers: each writes a separator first unless it starts a record. */
static void
sep(FILE *fp, int *first)
{
	if (!*first)
		putc(',', fp);
	*first = 0;
}

static void
fstr(FILE *fp, int *first, const char *s)
{
	sep(fp, first);
	render_csv_str(fp, s);
}

static void
fnum(FILE *fp, int *first, uint64_t n)
{
	sep(fp, first);
	fprintf(fp, "%" PRIu64, n);
}

static void
ftime(FILE *fp, int *first, int64_t us, int valid)
{
	char buf[UTIL_TS_LEN];

	sep(fp, first);
	if (valid)
		fputs(util_iso8601(us, buf, sizeof(buf)), fp);
}

static void
eol(FILE *fp, int *first)
{
	fputs(CSV_EOL, fp);
	*first = 1;
}

/* The section name record and the header record. */
static void
section(FILE *fp, const char *name, const char *header)
{
	fprintf(fp, "%s" CSV_EOL "%s" CSV_EOL, name, header);
}

static void
summary(FILE *fp, const struct report *r)
{
	const struct store_totals *t = &r->totals;
	int data = t->first_us != 0 || t->last_us != 0, f = 1;

	section(fp, "summary", "since,until,first_seen,last_seen,devices,"
	    "services,unsanctioned_devices,unsanctioned_services,"
	    "unsanctioned_categories,unclassified_names,unclassified_flows,"
	    "unclassified_bytes");
	ftime(fp, &f, r->since_us, r->since_us != STORE_TIME_MIN);
	ftime(fp, &f, r->until_us, r->until_us != STORE_TIME_MAX);
	ftime(fp, &f, t->first_us, data);
	ftime(fp, &f, t->last_us, data);
	fnum(fp, &f, t->devices);
	fnum(fp, &f, t->services);
	fnum(fp, &f, t->unsanctioned_devices);
	fnum(fp, &f, t->unsanctioned_services);
	fnum(fp, &f, t->unsanctioned_categories);
	fnum(fp, &f, t->unclassified_names);
	fnum(fp, &f, t->unclassified_flows);
	fnum(fp, &f, t->unclassified_bytes);
	eol(fp, &f);
	fputs(CSV_EOL, fp);
}

static void
headline(FILE *fp, const struct report *r)
{
	size_t i;
	int f = 1;

	section(fp, "headline", "sentence");
	for (i = 0; i < r->nheadline; i++) {
		fstr(fp, &f, r->headline[i]);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	size_t i;
	int f = 1;

	section(fp, "services", "id,name,category,status,devices,flows,"
	    "bytes_up,bytes_down,first_seen,last_seen,risk,use,"
	    "sustained_devices,occasional_devices,one_off_devices");
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		fstr(fp, &f, s->id);
		fstr(fp, &f, s->name);
		fstr(fp, &f, s->category);
		fstr(fp, &f, verdict_str(s->status));
		fnum(fp, &f, s->devices);
		fnum(fp, &f, s->flows);
		fnum(fp, &f, s->bytes_up);
		fnum(fp, &f, s->bytes_down);
		ftime(fp, &f, s->first_us, 1);
		ftime(fp, &f, s->last_us, 1);
		fstr(fp, &f, s->risk);
		fstr(fp, &f, report_use_name(s->use));
		fnum(fp, &f, s->sustained);
		fnum(fp, &f, s->occasional);
		fnum(fp, &f, s->oneoff);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
	section(fp, "use", "sustained_days,policy_days,sustained_upload,"
	    "unsanctioned_devices,unsanctioned_services,"
	    "unsanctioned_categories,occasional_services,occasional_devices,"
	    "one_off_services,one_off_devices,contact_devices");
	fnum(fp, &f, r->use.days);
	fnum(fp, &f, r->use.policy_days);
	fnum(fp, &f, r->use.upload);
	fnum(fp, &f, r->use.devices);
	fnum(fp, &f, r->use.services);
	fnum(fp, &f, r->use.categories);
	fnum(fp, &f, r->use.noccasional);
	fnum(fp, &f, r->use.occasional_devices);
	fnum(fp, &f, r->use.noneoff);
	fnum(fp, &f, r->use.oneoff_devices);
	fnum(fp, &f, r->use.contact_devices);
	eol(fp, &f);
	fputs(CSV_EOL, fp);
}

static void
tables(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	const struct report_workaround *w;
	const struct report_day *d;
	const struct report_device *v;
	const struct report_login *l;
	size_t i;
	int f = 1;

	section(fp, "categories", "id,services,unsanctioned_services,devices,"
	    "unsanctioned_devices,unapproved_devices,flows,bytes_up,"
	    "bytes_down,duplicate,sanctioned,occasional_services,"
	    "occasional_devices,one_off_services,one_off_devices,name");
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		fstr(fp, &f, c->id);
		fnum(fp, &f, c->nservices);
		fnum(fp, &f, c->nunsanctioned);
		fnum(fp, &f, c->devices);
		fnum(fp, &f, c->unsanctioned_devices);
		fnum(fp, &f, c->unapproved_devices);
		fnum(fp, &f, c->flows);
		fnum(fp, &f, c->bytes_up);
		fnum(fp, &f, c->bytes_down);
		fnum(fp, &f, REPORT_IS_DUPLICATE(c) ? 1 : 0);
		fstr(fp, &f, c->sanctioned != NULL ? c->sanctioned->id : "");
		fnum(fp, &f, c->noccasional);
		fnum(fp, &f, c->occasional_devices);
		fnum(fp, &f, c->noneoff);
		fnum(fp, &f, c->oneoff_devices);
		fstr(fp, &f, c->name != NULL ? c->name : c->id);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
	section(fp, "workarounds", "id,title,devices,services,flows,bytes_up,"
	    "bytes_down,examples");
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		fstr(fp, &f, w->id);
		fstr(fp, &f, w->title);
		fnum(fp, &f, w->devices);
		fnum(fp, &f, w->services);
		fnum(fp, &f, w->flows);
		fnum(fp, &f, w->bytes_up);
		fnum(fp, &f, w->bytes_down);
		fstr(fp, &f, w->examples);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
	section(fp, "cleartext_logins", "protocol,server,device,user,logins,"
	    "first_seen,last_seen,label,owner,department");
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		fstr(fp, &f, l->proto);
		fstr(fp, &f, l->server);
		fstr(fp, &f, l->device);
		fstr(fp, &f, l->user);
		fnum(fp, &f, l->count);
		ftime(fp, &f, l->first_us, 1);
		ftime(fp, &f, l->last_us, 1);
		fstr(fp, &f, report_ident_label(r, l->device));
		fstr(fp, &f, report_ident_owner(r, l->device));
		fstr(fp, &f, report_ident_department(r, l->device));
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
	section(fp, "days", "day,unsanctioned_bytes,other_bytes,"
	    "unsanctioned_devices,devices");
	for (i = 0; i < r->ndays; i++) {
		d = &r->days[i];
		ftime(fp, &f, d->day_us, 1);
		fnum(fp, &f, d->unsanctioned_bytes);
		fnum(fp, &f, d->other_bytes);
		fnum(fp, &f, d->unsanctioned_devices);
		fnum(fp, &f, d->devices);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
	section(fp, "devices", "device,ip,mac,label,hostname,owner,department,"
	    "asset,unsanctioned_services,flows,bytes_up,bytes_down,first_seen,"
	    "last_seen");
	for (i = 0; i < r->ndevices; i++) {
		v = &r->devices[i];
		fstr(fp, &f, v->name);
		fstr(fp, &f, v->ip);
		fstr(fp, &f, v->mac);
		fstr(fp, &f, v->label);
		fstr(fp, &f, v->hostname);
		fstr(fp, &f, v->owner);
		fstr(fp, &f, v->department);
		fstr(fp, &f, v->asset);
		fnum(fp, &f, v->services);
		fnum(fp, &f, v->flows);
		fnum(fp, &f, v->bytes_up);
		fnum(fp, &f, v->bytes_down);
		ftime(fp, &f, v->first_us, 1);
		ftime(fp, &f, v->last_us, 1);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
}

static void
recommendations(FILE *fp, const struct report *r)
{
	const struct report_rec *e;
	size_t i;
	int f = 1;

	fputs(CSV_EOL, fp);
	section(fp, "recommendations", "recommendation,kind,category,"
	    "targets,rule,devices,bytes_up,days,risk");
	for (i = 0; i < r->nrecs; i++) {
		e = &r->recs[i];
		fstr(fp, &f, e->text);
		fstr(fp, &f, e->kind);
		fstr(fp, &f, e->category);
		fstr(fp, &f, e->targets);
		fstr(fp, &f, e->rule);
		fnum(fp, &f, e->devices);
		fnum(fp, &f, e->bytes_up);
		fnum(fp, &f, e->days);
		fnum(fp, &f, e->risk);
		eol(fp, &f);
	}
}

static void
geo_section(FILE *fp, const char *name, const struct report_geo *v, size_t n,
    int as)
{
	size_t i;
	int f = 1;

	section(fp, name, as ? "asn,organisation,devices,flows,bytes_up,"
	    "bytes_down" : "country,devices,flows,bytes_up,bytes_down");
	for (i = 0; i < n; i++) {
		if (as) {
			sep(fp, &f);
			if (v[i].asn != 0)
				fprintf(fp, "%u", v[i].asn);
			fstr(fp, &f, v[i].as_org);
		} else
			fstr(fp, &f, v[i].country);
		fnum(fp, &f, v[i].devices);
		fnum(fp, &f, v[i].flows);
		fnum(fp, &f, v[i].bytes_up);
		fnum(fp, &f, v[i].bytes_down);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
}

static void
departments(FILE *fp, const struct report *r)
{
	const struct report_department *d;
	size_t i;
	int f = 1;

	fputs(CSV_EOL, fp);
	section(fp, "departments", "name,devices,unsanctioned_services,"
	    "unsanctioned_devices,bytes_up,unsanctioned_bytes_up");
	for (i = 0; i < r->ndepartments; i++) {
		d = &r->departments[i];
		fstr(fp, &f, d->name);
		fnum(fp, &f, d->devices);
		fnum(fp, &f, d->unsanctioned_services);
		fnum(fp, &f, d->unsanctioned_devices);
		fnum(fp, &f, d->bytes_up);
		fnum(fp, &f, d->unsanctioned_up);
		eol(fp, &f);
	}
}

/* Catalog services looked up in DNS (not use). */
static void
lookups(FILE *fp, const struct report *r)
{
	const struct report_lookup *l;
	size_t i;
	int f = 1;

	fputs(CSV_EOL, fp);
	section(fp, "lookups", "service,name,category,devices,lookups,"
	    "used_devices");
	for (i = 0; i < r->nlookups; i++) {
		l = &r->lookups[i];
		fstr(fp, &f, l->id);
		fstr(fp, &f, l->name);
		fstr(fp, &f, l->category);
		fnum(fp, &f, l->devices);
		fnum(fp, &f, l->lookups);
		fnum(fp, &f, l->used_devices);
		eol(fp, &f);
	}
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	size_t i;
	int f = 1;

	section(fp, "unclassified", "name,devices,flows,bytes_up,bytes_down,"
	    "first_seen,last_seen");
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		fstr(fp, &f, d->name);
		fnum(fp, &f, d->devices);
		fnum(fp, &f, d->flows);
		fnum(fp, &f, d->bytes_up);
		fnum(fp, &f, d->bytes_down);
		ftime(fp, &f, d->first_us, 1);
		ftime(fp, &f, d->last_us, 1);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
}

static void
change_section(FILE *fp, const char *name, const struct report_change *v,
    size_t n)
{
	size_t i;
	int f = 1;

	section(fp, name, "id,name,category,status,devices,bytes_up,"
	    "bytes_down");
	for (i = 0; i < n; i++) {
		fstr(fp, &f, v[i].id);
		fstr(fp, &f, v[i].name);
		fstr(fp, &f, v[i].category);
		fstr(fp, &f, verdict_str(v[i].status));
		fnum(fp, &f, v[i].devices);
		fnum(fp, &f, v[i].bytes_up);
		fnum(fp, &f, v[i].bytes_down);
		eol(fp, &f);
	}
	fputs(CSV_EOL, fp);
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	int span = c->first_us != 0 || c->last_us != 0, f = 1;
	size_t i;

	section(fp, "coverage", "runs,unfinished_runs,packets,bytes,flows,"
	    "kernel_drops,decode_errors,first_packet,last_packet,failed_runs,"
	    "rows_unwritten,rows_dropped,files_cut_off,bad_time");
	fnum(fp, &f, c->runs);
	fnum(fp, &f, c->unfinished);
	fnum(fp, &f, c->packets);
	fnum(fp, &f, c->bytes);
	fnum(fp, &f, c->flows);
	fnum(fp, &f, c->kernel_drops);
	fnum(fp, &f, c->decode_errors);
	ftime(fp, &f, c->first_us, span);
	ftime(fp, &f, c->last_us, span);
	fnum(fp, &f, c->failed);
	fnum(fp, &f, c->rows_unwritten);
	fnum(fp, &f, c->rows_dropped);
	fnum(fp, &f, c->read_errors);
	fnum(fp, &f, c->bad_time);
	eol(fp, &f);
	fputs(CSV_EOL, fp);
	section(fp, "failed_runs", "started_at,source,reason,packets,flows");
	for (i = 0; i < r->nfailed_runs; i++) {
		fstr(fp, &f, r->failed_runs[i].started_at);
		fstr(fp, &f, r->failed_runs[i].source);
		fstr(fp, &f, r->failed_runs[i].reason);
		fnum(fp, &f, r->failed_runs[i].packets);
		fnum(fp, &f, r->failed_runs[i].flows);
		eol(fp, &f);
	}
}

/* Sustained use against the previous period, one row per service. */
static void
trend_section(FILE *fp, const struct report *r)
{
	static const char *const kind[] = { "grew", "shrank", "adopted",
	    "abandoned" };
	const struct report_trend_list *l;
	size_t j;
	int i, f = 1;

	section(fp, "trends", "kind,id,name,category,devices,"
	    "previous_devices");
	for (i = 0; i < 4; i++) {
		l = report_trend_list(r, i);
		for (j = 0; j < l->n; j++) {
			fstr(fp, &f, kind[i]);
			fstr(fp, &f, l->v[j].id);
			fstr(fp, &f, l->v[j].name);
			fstr(fp, &f, l->v[j].category);
			fnum(fp, &f, l->v[j].devices);
			fnum(fp, &f, l->v[j].previous);
			eol(fp, &f);
		}
	}
	fputs(CSV_EOL, fp);
}

int
render_csv_report(FILE *fp, const struct report *r)
{
	summary(fp, r);
	headline(fp, r);
	services(fp, r);
	if (r->compare) {
		change_section(fp, "added", r->added, r->nadded);
		change_section(fp, "stopped", r->stopped, r->nstopped);
		trend_section(fp, r);
	}
	tables(fp, r);
	geo_section(fp, "countries", r->countries, r->ncountries, 0);
	geo_section(fp, "networks", r->networks, r->nnetworks, 1);
	dests(fp, r);
	lookups(fp, r);
	rel_render_csv.render(fp, r);
	know_render_csv.render(fp, r);
	coverage(fp, r);
	departments(fp, r);
	recommendations(fp, r);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

const struct render_ops render_csv = { "csv", NULL, render_csv_report };
