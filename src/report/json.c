/* SPDX-License-Identifier: ISC */
/*
 * report/json.c: the summary as one JSON object (schema in doc/schema.md),
 * for scripts and the golden tests. Keys come in a fixed order, numbers are
 * raw integers, times are ISO 8601 UTC or null, and every string goes
 * through json_str().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "report.h"
#include "util.h"

static void
jtime(FILE *fp, const char *key, int64_t us, int valid)
{
	char buf[UTIL_TS_LEN];

	json_key(fp, key);
	if (valid)
		json_str(fp, util_iso8601(us, buf, sizeof(buf)));
	else
		fputs("null", fp);
}

static void
jnum(FILE *fp, const char *key, uint64_t n)
{
	json_key(fp, key);
	fprintf(fp, "%" PRIu64, n);
}

static void
jstr(FILE *fp, const char *key, const char *s)
{
	json_key(fp, key);
	json_str(fp, s);
}

static void
period(FILE *fp, const struct report *r)
{
	int data = r->totals.first_us != 0 || r->totals.last_us != 0;

	fputs("  \"period\":{", fp);
	jtime(fp, "since", r->since_us, r->since_us != STORE_TIME_MIN);
	fputs(",", fp);
	jtime(fp, "until", r->until_us, r->until_us != STORE_TIME_MAX);
	fputs(",", fp);
	jtime(fp, "first_seen", r->totals.first_us, data);
	fputs(",", fp);
	jtime(fp, "last_seen", r->totals.last_us, data);
	fputs(",", fp);
	jstr(fp, "relative", r->period != REPORT_PERIOD_NONE ?
	    report_period_name(r->period) : NULL);
	fputs(",", fp);
	jtime(fp, "last_packet", r->last_us, r->last_us != 0);
	fputs(",", fp);
	json_key(fp, "previous");
	if (r->compare) {
		putc('{', fp);
		jtime(fp, "since", r->prev_since_us, 1);
		fputs(",", fp);
		jtime(fp, "until", r->prev_until_us, 1);
		putc('}', fp);
	} else
		fputs("null", fp);
	fputs("},\n", fp);
}

static void
change_list(FILE *fp, const char *key, const struct report_change *v,
    size_t n)
{
	size_t i;

	json_key(fp, key);
	putc('[', fp);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		jstr(fp, "id", v[i].id);
		fputs(",", fp);
		jstr(fp, "name", v[i].name);
		fputs(",", fp);
		jstr(fp, "category", v[i].category);
		fputs(",", fp);
		jstr(fp, "status", verdict_str(v[i].status));
		fputs(",", fp);
		jnum(fp, "devices", v[i].devices);
		fputs(",", fp);
		jnum(fp, "bytes_up", v[i].bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", v[i].bytes_down);
		putc('}', fp);
	}
	fputs(n > 0 ? "\n  ]" : "]", fp);
}

static void
changes(FILE *fp, const struct report *r)
{
	fputs("  \"changes\":", fp);
	if (!r->compare) {
		fputs("null,\n", fp);
		return;
	}
	fputs("{\n  ", fp);
	change_list(fp, "added", r->added, r->nadded);
	fputs(",\n  ", fp);
	change_list(fp, "stopped", r->stopped, r->nstopped);
	fputs("},\n", fp);
}

static void
totals(FILE *fp, const struct report *r)
{
	const struct store_totals *t = &r->totals;

	fputs("  \"totals\":{", fp);
	jnum(fp, "devices", t->devices);
	fputs(",", fp);
	jnum(fp, "services", t->services);
	fputs(",", fp);
	jnum(fp, "unsanctioned_devices", t->unsanctioned_devices);
	fputs(",", fp);
	jnum(fp, "unsanctioned_services", t->unsanctioned_services);
	fputs(",", fp);
	jnum(fp, "unsanctioned_categories", t->unsanctioned_categories);
	fputs(",", fp);
	jnum(fp, "unclassified_names", t->unclassified_names);
	fputs(",", fp);
	jnum(fp, "unclassified_flows", t->unclassified_flows);
	fputs(",", fp);
	jnum(fp, "unclassified_bytes", t->unclassified_bytes);
	fputs("},\n", fp);
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	size_t i;

	fputs("  \"services\":[", fp);
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		jstr(fp, "id", s->id);
		fputs(",", fp);
		jstr(fp, "name", s->name);
		fputs(",", fp);
		jstr(fp, "category", s->category);
		fputs(",", fp);
		jstr(fp, "status", verdict_str(s->status));
		fputs(",", fp);
		jnum(fp, "devices", s->devices);
		fputs(",", fp);
		jnum(fp, "flows", s->flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", s->bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", s->bytes_down);
		fputs(",", fp);
		jtime(fp, "first_seen", s->first_us, 1);
		fputs(",", fp);
		jtime(fp, "last_seen", s->last_us, 1);
		fputs(",", fp);
		jstr(fp, "risk", s->risk[0] != '\0' ? s->risk : NULL);
		putc('}', fp);
	}
	fputs(r->nservices > 0 ? "\n  ],\n" : "],\n", fp);
}

static void
geo_list(FILE *fp, const char *key, const struct report_geo *v, size_t n,
    int as)
{
	size_t i;

	fprintf(fp, "  \"%s\":[", key);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		if (as) {
			json_key(fp, "asn");
			if (v[i].asn != 0)
				fprintf(fp, "%u", v[i].asn);
			else
				fputs("null", fp);
			fputs(",", fp);
			jstr(fp, "organisation", v[i].as_org[0] != '\0' ?
			    v[i].as_org : NULL);
		} else
			jstr(fp, "country", v[i].country[0] != '\0' ?
			    v[i].country : NULL);
		fputs(",", fp);
		jnum(fp, "devices", v[i].devices);
		fputs(",", fp);
		jnum(fp, "flows", v[i].flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", v[i].bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", v[i].bytes_down);
		putc('}', fp);
	}
	fputs(n > 0 ? "\n  ],\n" : "],\n", fp);
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	size_t i;

	fputs("  \"unclassified\":[", fp);
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		jstr(fp, "name", d->name);
		fputs(",", fp);
		jnum(fp, "devices", d->devices);
		fputs(",", fp);
		jnum(fp, "flows", d->flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", d->bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", d->bytes_down);
		fputs(",", fp);
		jtime(fp, "first_seen", d->first_us, 1);
		fputs(",", fp);
		jtime(fp, "last_seen", d->last_us, 1);
		putc('}', fp);
	}
	fputs(r->ndests > 0 ? "\n  ],\n" : "],\n", fp);
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	int span = c->first_us != 0 || c->last_us != 0;

	fputs("  \"coverage\":{", fp);
	jnum(fp, "runs", c->runs);
	fputs(",", fp);
	jnum(fp, "unfinished_runs", c->unfinished);
	fputs(",", fp);
	jnum(fp, "packets", c->packets);
	fputs(",", fp);
	jnum(fp, "bytes", c->bytes);
	fputs(",", fp);
	jnum(fp, "flows", c->flows);
	fputs(",", fp);
	jnum(fp, "kernel_drops", c->kernel_drops);
	fputs(",", fp);
	jnum(fp, "decode_errors", c->decode_errors);
	fputs(",", fp);
	jtime(fp, "first_packet", c->first_us, span);
	fputs(",", fp);
	jtime(fp, "last_packet", c->last_us, span);
	fputs("},\n", fp);
}

/* Opens an array element: a newline and indent before each. */
static void
elem(FILE *fp, size_t i)
{
	fputs(i > 0 ? ",\n    {" : "\n    {", fp);
}

static void
end_array(FILE *fp, size_t n, const char *tail)
{
	fprintf(fp, "%s%s", n > 0 ? "\n  ]" : "]", tail);
}

static void
sections(FILE *fp, const struct report *r)
{
	const struct report_category *c;
	const struct report_workaround *w;
	const struct report_day *d;
	const struct report_device *v;
	const struct report_login *l;
	const struct report_department *p;
	size_t i;
	int sf, sb;

	fputs("  \"categories\":[", fp);
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		elem(fp, i);
		jstr(fp, "id", c->id);
		fputs(",", fp);
		jnum(fp, "services", c->nservices);
		fputs(",", fp);
		jnum(fp, "unsanctioned_services", c->nunsanctioned);
		fputs(",", fp);
		jnum(fp, "devices", c->devices);
		fputs(",", fp);
		jnum(fp, "unsanctioned_devices", c->unsanctioned_devices);
		fputs(",", fp);
		jnum(fp, "unapproved_devices", c->unapproved_devices);
		fputs(",", fp);
		jnum(fp, "flows", c->flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", c->bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", c->bytes_down);
		fputs(",", fp);
		json_key(fp, "duplicate");
		fputs(REPORT_IS_DUPLICATE(c) ? "true" : "false", fp);
		fputs(",", fp);
		jstr(fp, "sanctioned", c->sanctioned != NULL ?
		    c->sanctioned->id : NULL);
		putc('}', fp);
	}
	end_array(fp, r->ncategories, ",\n");

	fputs("  \"workarounds\":[", fp);
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		elem(fp, i);
		jstr(fp, "id", w->id);
		fputs(",", fp);
		jstr(fp, "title", w->title);
		fputs(",", fp);
		jnum(fp, "devices", w->devices);
		fputs(",", fp);
		jnum(fp, "services", w->services);
		fputs(",", fp);
		jnum(fp, "flows", w->flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", w->bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", w->bytes_down);
		fputs(",", fp);
		jstr(fp, "examples", w->examples);
		putc('}', fp);
	}
	end_array(fp, r->nworkarounds, ",\n");

	fputs("  \"cleartext_logins\":[", fp);
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		elem(fp, i);
		jstr(fp, "protocol", l->proto);
		fputs(",", fp);
		jstr(fp, "server", l->server);
		fputs(",", fp);
		jstr(fp, "device", l->device);
		fputs(",", fp);
		jstr(fp, "user", l->user[0] != '\0' ? l->user : NULL);
		fputs(",", fp);
		jnum(fp, "logins", l->count);
		fputs(",", fp);
		jtime(fp, "first_seen", l->first_us, 1);
		fputs(",", fp);
		jtime(fp, "last_seen", l->last_us, 1);
		putc('}', fp);
	}
	end_array(fp, r->nlogins, ",\n");
	fputs("  \"cleartext_login_rows\":", fp);
	fprintf(fp, "%" PRIu64 ",\n", r->login_totals.rows);

	fputs("  \"days\":[", fp);
	for (i = 0; i < r->ndays; i++) {
		d = &r->days[i];
		elem(fp, i);
		jtime(fp, "day", d->day_us, 1);
		fputs(",", fp);
		jnum(fp, "unsanctioned_bytes", d->unsanctioned_bytes);
		fputs(",", fp);
		jnum(fp, "other_bytes", d->other_bytes);
		fputs(",", fp);
		jnum(fp, "unsanctioned_devices", d->unsanctioned_devices);
		fputs(",", fp);
		jnum(fp, "devices", d->devices);
		putc('}', fp);
	}
	end_array(fp, r->ndays, ",\n");

	fputs("  \"devices\":[", fp);
	for (i = 0; i < r->ndevices; i++) {
		v = &r->devices[i];
		elem(fp, i);
		jstr(fp, "device", v->name);
		fputs(",", fp);
		jstr(fp, "ip", v->ip);
		fputs(",", fp);
		jstr(fp, "mac", v->mac[0] != '\0' ? v->mac : NULL);
		fputs(",", fp);
		jnum(fp, "unsanctioned_services", v->services);
		fputs(",", fp);
		jnum(fp, "flows", v->flows);
		fputs(",", fp);
		jnum(fp, "bytes_up", v->bytes_up);
		fputs(",", fp);
		jnum(fp, "bytes_down", v->bytes_down);
		fputs(",", fp);
		jtime(fp, "first_seen", v->first_us, 1);
		fputs(",", fp);
		jtime(fp, "last_seen", v->last_us, 1);
		putc('}', fp);
	}
	end_array(fp, r->ndevices, ",\n");

	report_classified_share(r, &sf, &sb);
	fputs("  \"visibility\":{", fp);
	jnum(fp, "classified_flows", r->totals.classified_flows);
	fputs(",", fp);
	jnum(fp, "classified_bytes", r->totals.classified_bytes);
	fputs(",", fp);
	jnum(fp, "unclassified_flows", r->totals.unclassified_flows);
	fputs(",", fp);
	jnum(fp, "unclassified_bytes", r->totals.unclassified_bytes);
	fputs(",", fp);
	json_key(fp, "classified_flows_permille");
	if (sf >= 0)
		fprintf(fp, "%d", sf);
	else
		fputs("null", fp);
	fputs(",", fp);
	json_key(fp, "classified_bytes_permille");
	if (sb >= 0)
		fprintf(fp, "%d", sb);
	else
		fputs("null", fp);
	fputs("},\n", fp);

	fputs("  \"departments\":[", fp);
	for (i = 0; i < r->ndepartments; i++) {
		p = &r->departments[i];
		elem(fp, i);
		jstr(fp, "name", p->name);
		fputs(",", fp);
		jnum(fp, "devices", p->devices);
		fputs(",", fp);
		jnum(fp, "unsanctioned_services", p->unsanctioned_services);
		fputs(",", fp);
		jnum(fp, "unsanctioned_devices", p->unsanctioned_devices);
		fputs(",", fp);
		jnum(fp, "bytes_up", p->bytes_up);
		fputs(",", fp);
		jnum(fp, "unsanctioned_bytes_up", p->unsanctioned_up);
		putc('}', fp);
	}
	end_array(fp, r->ndepartments, ",\n");

	fputs("  \"recommendations\":[", fp);
	for (i = 0; i < r->nrecs; i++) {
		fputs(i > 0 ? ",\n    " : "\n    ", fp);
		json_str(fp, r->recs[i]);
	}
	end_array(fp, r->nrecs, ",\n");
	fputs("  \"pseudonymized\":", fp);
	fputs(r->pseudonymized ? "true\n" : "false\n", fp);
}

int
render_json_report(FILE *fp, const struct report *r)
{
	size_t i;

	fprintf(fp, "{\n  \"schema\":%d,\n", REPORT_SCHEMA);
	period(fp, r);
	fputs("  \"headline\":[", fp);
	for (i = 0; i < r->nheadline; i++) {
		fputs(i > 0 ? ",\n    " : "\n    ", fp);
		json_str(fp, r->headline[i]);
	}
	fputs(r->nheadline > 0 ? "\n  ],\n" : "],\n", fp);
	totals(fp, r);
	services(fp, r);
	changes(fp, r);
	geo_list(fp, "countries", r->countries, r->ncountries, 0);
	geo_list(fp, "networks", r->networks, r->nnetworks, 1);
	dests(fp, r);
	coverage(fp, r);
	render_json_reliability(fp, r);
	sections(fp, r);
	fputs("}\n", fp);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}
