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

#include "base/json.h"
#include "report/render.h"
#include "report/report.h"
#include "base/util.h"

/*
 * The field writers: sep (',' or 0 for an object's first field) is written
 * before the key, so each field is one call.
 */
static void
jkey(FILE *fp, int sep, const char *key)
{
	if (sep != 0)
		putc(sep, fp);
	json_key(fp, key);
}

static void
jtime(FILE *fp, int sep, const char *key, int64_t us, int valid)
{
	char buf[UTIL_TS_LEN];

	jkey(fp, sep, key);
	if (valid)
		json_str(fp, util_iso8601(us, buf, sizeof(buf)));
	else
		fputs("null", fp);
}

static void
jnum(FILE *fp, int sep, const char *key, uint64_t n)
{
	jkey(fp, sep, key);
	fprintf(fp, "%" PRIu64, n);
}

/* A number, or null when !valid. */
static void
jopt(FILE *fp, int sep, const char *key, int64_t n, int valid)
{
	jkey(fp, sep, key);
	if (valid)
		fprintf(fp, "%" PRId64, n);
	else
		fputs("null", fp);
}

static void
jstr(FILE *fp, int sep, const char *key, const char *s)
{
	jkey(fp, sep, key);
	json_str(fp, s);
}

/* Opens the array key at the top level; elem() and end_array() go on. */
static void
begin_array(FILE *fp, const char *key)
{
	fprintf(fp, "  \"%s\":[", key);
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

/*
 * "recommendations" (the sentences, as before) and "recommendation_basis"
 * (what each rests on, in the same order).
 */
static void
recommendations(FILE *fp, const struct report *r)
{
	const struct report_rec *e;
	size_t i;

	begin_array(fp, "recommendations");
	for (i = 0; i < r->nrecs; i++) {
		fputs(i > 0 ? ",\n    " : "\n    ", fp);
		json_str(fp, r->recs[i].text);
	}
	end_array(fp, r->nrecs, ",\n");
	begin_array(fp, "recommendation_basis");
	for (i = 0; i < r->nrecs; i++) {
		e = &r->recs[i];
		elem(fp, i);
		jstr(fp, 0, "kind", e->kind);
		jstr(fp, ',', "category", e->category);
		jstr(fp, ',', "targets", e->targets);
		jstr(fp, ',', "rule", e->rule);
		jnum(fp, ',', "devices", e->devices);
		jnum(fp, ',', "bytes_up", e->bytes_up);
		jnum(fp, ',', "days", e->days);
		jnum(fp, ',', "risk", e->risk);
		putc('}', fp);
	}
	end_array(fp, r->nrecs, ",\n");
}

/* A top-level array of strings, one per line. */
static void
str_array(FILE *fp, const char *key, char *const *v, size_t n)
{
	size_t i;

	begin_array(fp, key);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n    " : "\n    ", fp);
		json_str(fp, v[i]);
	}
	end_array(fp, n, ",\n");
}

static void
period(FILE *fp, const struct report *r)
{
	int data = r->totals.first_us != 0 || r->totals.last_us != 0;

	fputs("  \"period\":{", fp);
	jtime(fp, 0, "since", r->since_us, r->since_us != STORE_TIME_MIN);
	jtime(fp, ',', "until", r->until_us, r->until_us != STORE_TIME_MAX);
	jtime(fp, ',', "first_seen", r->totals.first_us, data);
	jtime(fp, ',', "last_seen", r->totals.last_us, data);
	jstr(fp, ',', "relative", r->period != REPORT_PERIOD_NONE ?
	    report_period_name(r->period) : NULL);
	jtime(fp, ',', "last_packet", r->last_us, r->last_us != 0);
	jkey(fp, ',', "previous");
	if (r->compare) {
		putc('{', fp);
		jtime(fp, 0, "since", r->prev_since_us, 1);
		jtime(fp, ',', "until", r->prev_until_us, 1);
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
		elem(fp, i);
		jstr(fp, 0, "id", v[i].id);
		jstr(fp, ',', "name", v[i].name);
		jstr(fp, ',', "category", v[i].category);
		jstr(fp, ',', "status", verdict_str(v[i].status));
		jnum(fp, ',', "devices", v[i].devices);
		jnum(fp, ',', "bytes_up", v[i].bytes_up);
		jnum(fp, ',', "bytes_down", v[i].bytes_down);
		putc('}', fp);
	}
	end_array(fp, n, "");
}

/* Sustained use against the previous period (after "changes"). */
static void
trends(FILE *fp, const struct report *r)
{
	static const char *const key[] = { "grew", "shrank", "adopted",
	    "abandoned" };
	const struct report_trend_list *l;
	size_t j;
	int i;

	fputs("  \"trends\":{", fp);
	for (i = 0; i < 4; i++) {
		l = report_trend_list(r, i);
		fprintf(fp, "%s\n    \"%s\":[", i > 0 ? "," : "", key[i]);
		for (j = 0; j < l->n; j++) {
			fputs(j > 0 ? ",\n     {" : "{", fp);
			jstr(fp, 0, "id", l->v[j].id);
			jstr(fp, ',', "name", l->v[j].name);
			jstr(fp, ',', "category", l->v[j].category);
			jnum(fp, ',', "devices", l->v[j].devices);
			jnum(fp, ',', "previous_devices", l->v[j].previous);
			putc('}', fp);
		}
		putc(']', fp);
	}
	fputs("},\n", fp);
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
	trends(fp, r);
}

static void
totals(FILE *fp, const struct report *r)
{
	const struct store_totals *t = &r->totals;

	fputs("  \"totals\":{", fp);
	jnum(fp, 0, "devices", t->devices);
	jnum(fp, ',', "services", t->services);
	jnum(fp, ',', "unsanctioned_devices", t->unsanctioned_devices);
	jnum(fp, ',', "unsanctioned_services", t->unsanctioned_services);
	jnum(fp, ',', "unsanctioned_categories", t->unsanctioned_categories);
	jnum(fp, ',', "unclassified_names", t->unclassified_names);
	jnum(fp, ',', "unclassified_flows", t->unclassified_flows);
	jnum(fp, ',', "unclassified_bytes", t->unclassified_bytes);
	fputs("},\n", fp);
}

/* What counted as sustained use, and the unsanctioned totals by use. */
static void
use(FILE *fp, const struct report *r)
{
	const struct report_use_basis *u = &r->use;

	fputs("  \"use\":{", fp);
	jnum(fp, 0, "sustained_days", u->days);
	jnum(fp, ',', "policy_days", u->policy_days);
	jnum(fp, ',', "sustained_upload", u->upload);
	jnum(fp, ',', "unsanctioned_devices", u->devices);
	jnum(fp, ',', "unsanctioned_services", u->services);
	jnum(fp, ',', "unsanctioned_categories", u->categories);
	jnum(fp, ',', "occasional_services", u->noccasional);
	jnum(fp, ',', "occasional_devices", u->occasional_devices);
	jnum(fp, ',', "one_off_services", u->noneoff);
	jnum(fp, ',', "one_off_devices", u->oneoff_devices);
	jnum(fp, ',', "contact_devices", u->contact_devices);
	fputs("},\n", fp);
}

static void
services(FILE *fp, const struct report *r)
{
	const struct report_service *s;
	size_t i;

	begin_array(fp, "services");
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		elem(fp, i);
		jstr(fp, 0, "id", s->id);
		jstr(fp, ',', "name", s->name);
		jstr(fp, ',', "category", s->category);
		jstr(fp, ',', "status", verdict_str(s->status));
		jnum(fp, ',', "devices", s->devices);
		jnum(fp, ',', "flows", s->flows);
		jnum(fp, ',', "bytes_up", s->bytes_up);
		jnum(fp, ',', "bytes_down", s->bytes_down);
		jtime(fp, ',', "first_seen", s->first_us, 1);
		jtime(fp, ',', "last_seen", s->last_us, 1);
		jstr(fp, ',', "risk", s->risk[0] != '\0' ? s->risk : NULL);
		jstr(fp, ',', "use", report_use_name(s->use));
		jnum(fp, ',', "sustained_devices", s->sustained);
		jnum(fp, ',', "occasional_devices", s->occasional);
		jnum(fp, ',', "one_off_devices", s->oneoff);
		/* Only on a service's instances: other entries keep their
		 * keys as they were. */
		if (s->instance[0] != '\0') {
			jstr(fp, ',', "instance", s->instance);
			fprintf(fp, ",\"other_instance\":%s", s->other ?
			    "true" : "false");
		}
		putc('}', fp);
	}
	end_array(fp, r->nservices, ",\n");
}

static void
geo_list(FILE *fp, const char *key, const struct report_geo *v, size_t n,
    int as)
{
	size_t i;

	begin_array(fp, key);
	for (i = 0; i < n; i++) {
		elem(fp, i);
		if (as) {
			jopt(fp, 0, "asn", v[i].asn, v[i].asn != 0);
			jstr(fp, ',', "organisation", v[i].as_org[0] != '\0' ?
			    v[i].as_org : NULL);
		} else
			jstr(fp, 0, "country", v[i].country[0] != '\0' ?
			    v[i].country : NULL);
		jnum(fp, ',', "devices", v[i].devices);
		jnum(fp, ',', "flows", v[i].flows);
		jnum(fp, ',', "bytes_up", v[i].bytes_up);
		jnum(fp, ',', "bytes_down", v[i].bytes_down);
		putc('}', fp);
	}
	end_array(fp, n, ",\n");
}

/* Catalog services looked up in DNS (not use). */
static void
lookups(FILE *fp, const struct report *r)
{
	const struct report_lookup *l;
	size_t i;

	begin_array(fp, "lookups");
	for (i = 0; i < r->nlookups; i++) {
		l = &r->lookups[i];
		elem(fp, i);
		jstr(fp, 0, "id", l->id);
		jstr(fp, ',', "name", l->name);
		jstr(fp, ',', "category", l->category);
		jnum(fp, ',', "devices", l->devices);
		jnum(fp, ',', "lookups", l->lookups);
		jnum(fp, ',', "used_devices", l->used_devices);
		putc('}', fp);
	}
	end_array(fp, r->nlookups, ",\n");
}

static void
dests(FILE *fp, const struct report *r)
{
	const struct report_dest *d;
	size_t i;

	begin_array(fp, "unclassified");
	for (i = 0; i < r->ndests; i++) {
		d = &r->dests[i];
		elem(fp, i);
		jstr(fp, 0, "name", d->name);
		jnum(fp, ',', "devices", d->devices);
		jnum(fp, ',', "flows", d->flows);
		jnum(fp, ',', "bytes_up", d->bytes_up);
		jnum(fp, ',', "bytes_down", d->bytes_down);
		jtime(fp, ',', "first_seen", d->first_us, 1);
		jtime(fp, ',', "last_seen", d->last_us, 1);
		putc('}', fp);
	}
	end_array(fp, r->ndests, ",\n");
}

static void
coverage(FILE *fp, const struct report *r)
{
	const struct store_coverage *c = &r->coverage;
	const struct report_failed_run *f;
	int span = c->first_us != 0 || c->last_us != 0;
	size_t i;

	fputs("  \"coverage\":{", fp);
	jnum(fp, 0, "runs", c->runs);
	jnum(fp, ',', "unfinished_runs", c->unfinished);
	jnum(fp, ',', "packets", c->packets);
	jnum(fp, ',', "bytes", c->bytes);
	jnum(fp, ',', "flows", c->flows);
	jnum(fp, ',', "kernel_drops", c->kernel_drops);
	jnum(fp, ',', "decode_errors", c->decode_errors);
	jtime(fp, ',', "first_packet", c->first_us, span);
	jtime(fp, ',', "last_packet", c->last_us, span);
	jnum(fp, ',', "failed_runs", c->failed);
	jnum(fp, ',', "rows_unwritten", c->rows_unwritten);
	jnum(fp, ',', "rows_dropped", c->rows_dropped);
	jnum(fp, ',', "files_cut_off", c->read_errors);
	jnum(fp, ',', "bad_time", c->bad_time);
	fputs(",\"failed\":[", fp);
	for (i = 0; i < r->nfailed_runs; i++) {
		f = &r->failed_runs[i];
		fputs(i > 0 ? ",{" : "{", fp);
		jstr(fp, 0, "started_at", f->started_at);
		jstr(fp, ',', "source", f->source);
		jstr(fp, ',', "reason", f->reason);
		jnum(fp, ',', "packets", f->packets);
		jnum(fp, ',', "flows", f->flows);
		putc('}', fp);
	}
	fputs("]},\n", fp);
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

	begin_array(fp, "categories");
	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		elem(fp, i);
		jstr(fp, 0, "id", c->id);
		jstr(fp, ',', "name", c->name != NULL ? c->name : c->id);
		jnum(fp, ',', "services", c->nservices);
		jnum(fp, ',', "unsanctioned_services", c->nunsanctioned);
		jnum(fp, ',', "devices", c->devices);
		jnum(fp, ',', "unsanctioned_devices", c->unsanctioned_devices);
		jnum(fp, ',', "unapproved_devices", c->unapproved_devices);
		jnum(fp, ',', "occasional_services", c->noccasional);
		jnum(fp, ',', "occasional_devices", c->occasional_devices);
		jnum(fp, ',', "one_off_services", c->noneoff);
		jnum(fp, ',', "one_off_devices", c->oneoff_devices);
		jnum(fp, ',', "flows", c->flows);
		jnum(fp, ',', "bytes_up", c->bytes_up);
		jnum(fp, ',', "bytes_down", c->bytes_down);
		jkey(fp, ',', "duplicate");
		fputs(REPORT_IS_DUPLICATE(c) ? "true" : "false", fp);
		jstr(fp, ',', "sanctioned", c->sanctioned != NULL ?
		    c->sanctioned->id : NULL);
		putc('}', fp);
	}
	end_array(fp, r->ncategories, ",\n");

	begin_array(fp, "workarounds");
	for (i = 0; i < r->nworkarounds; i++) {
		w = &r->workarounds[i];
		elem(fp, i);
		jstr(fp, 0, "id", w->id);
		jstr(fp, ',', "title", w->title);
		jnum(fp, ',', "devices", w->devices);
		jnum(fp, ',', "services", w->services);
		jnum(fp, ',', "flows", w->flows);
		jnum(fp, ',', "bytes_up", w->bytes_up);
		jnum(fp, ',', "bytes_down", w->bytes_down);
		jstr(fp, ',', "examples", w->examples);
		putc('}', fp);
	}
	end_array(fp, r->nworkarounds, ",\n");

	begin_array(fp, "cleartext_logins");
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		elem(fp, i);
		jstr(fp, 0, "protocol", l->proto);
		jstr(fp, ',', "server", l->server);
		jstr(fp, ',', "device", l->device);
		jstr(fp, ',', "label", report_ident_label(r, l->device));
		jstr(fp, ',', "owner", report_ident_owner(r, l->device));
		jstr(fp, ',', "department", report_ident_department(r,
		    l->device));
		jstr(fp, ',', "user", l->user[0] != '\0' ? l->user : NULL);
		jnum(fp, ',', "logins", l->count);
		jtime(fp, ',', "first_seen", l->first_us, 1);
		jtime(fp, ',', "last_seen", l->last_us, 1);
		putc('}', fp);
	}
	end_array(fp, r->nlogins, ",\n");
	fprintf(fp, "  \"cleartext_login_rows\":%" PRIu64 ",\n",
	    r->login_totals.rows);

	begin_array(fp, "days");
	for (i = 0; i < r->ndays; i++) {
		d = &r->days[i];
		elem(fp, i);
		jtime(fp, 0, "day", d->day_us, 1);
		jnum(fp, ',', "unsanctioned_bytes", d->unsanctioned_bytes);
		jnum(fp, ',', "other_bytes", d->other_bytes);
		jnum(fp, ',', "unsanctioned_devices", d->unsanctioned_devices);
		jnum(fp, ',', "devices", d->devices);
		putc('}', fp);
	}
	end_array(fp, r->ndays, ",\n");

	begin_array(fp, "devices");
	for (i = 0; i < r->ndevices; i++) {
		v = &r->devices[i];
		elem(fp, i);
		jstr(fp, 0, "device", v->name);
		jstr(fp, ',', "ip", v->ip);
		jstr(fp, ',', "mac", v->mac[0] != '\0' ? v->mac : NULL);
		jstr(fp, ',', "label", v->label);
		jstr(fp, ',', "hostname", v->hostname);
		jstr(fp, ',', "owner", v->owner);
		jstr(fp, ',', "department", v->department);
		jstr(fp, ',', "asset", v->asset);
		jnum(fp, ',', "unsanctioned_services", v->services);
		jnum(fp, ',', "flows", v->flows);
		jnum(fp, ',', "bytes_up", v->bytes_up);
		jnum(fp, ',', "bytes_down", v->bytes_down);
		jtime(fp, ',', "first_seen", v->first_us, 1);
		jtime(fp, ',', "last_seen", v->last_us, 1);
		putc('}', fp);
	}
	end_array(fp, r->ndevices, ",\n");

	report_classified_share(r, &sf, &sb);
	fputs("  \"visibility\":{", fp);
	jnum(fp, 0, "classified_flows", r->totals.classified_flows);
	jnum(fp, ',', "classified_bytes", r->totals.classified_bytes);
	jnum(fp, ',', "unclassified_flows", r->totals.unclassified_flows);
	jnum(fp, ',', "unclassified_bytes", r->totals.unclassified_bytes);
	jopt(fp, ',', "classified_flows_permille", sf, sf >= 0);
	jopt(fp, ',', "classified_bytes_permille", sb, sb >= 0);
	fputs("},\n", fp);

	begin_array(fp, "departments");
	for (i = 0; i < r->ndepartments; i++) {
		p = &r->departments[i];
		elem(fp, i);
		jstr(fp, 0, "name", p->name);
		jnum(fp, ',', "devices", p->devices);
		jnum(fp, ',', "unsanctioned_services",
		    p->unsanctioned_services);
		jnum(fp, ',', "unsanctioned_devices", p->unsanctioned_devices);
		jnum(fp, ',', "bytes_up", p->bytes_up);
		jnum(fp, ',', "unsanctioned_bytes_up", p->unsanctioned_up);
		putc('}', fp);
	}
	end_array(fp, r->ndepartments, ",\n");

	recommendations(fp, r);
	fputs("  \"pseudonymized\":", fp);
	fputs(r->pseudonymized ? "true\n" : "false\n", fp);
}

/* What the report was judged by. */
static void
basis(FILE *fp, const struct report *r)
{
	const struct report_basis *b = &r->basis;
	char when[UTIL_TS_LEN];
	size_t i;

	fputs("  \"basis\":{", fp);
	jstr(fp, 0, "policy", b->policy);
	jstr(fp, ',', "policy_sha256", b->policy_hash);
	jstr(fp, ',', "catalog", b->catalog);
	jstr(fp, ',', "catalog_sha256", b->catalog_hash);
	jstr(fp, ',', "organisation", b->org);
	jstr(fp, ',', "author", b->author);
	jstr(fp, ',', "scope", b->scope);
	jstr(fp, ',', "generated", util_iso8601(b->generated_s * 1000000,
	    when, sizeof(when)));
	fputs(",\"sensors\":[", fp);
	for (i = 0; i < b->nsensors; i++) {
		putc(i > 0 ? ',' : '{', fp);
		if (i > 0)
			putc('{', fp);
		jstr(fp, 0, "name", b->sensors[i].name);
		jstr(fp, ',', "sources", b->sensors[i].sources);
		jnum(fp, ',', "runs", b->sensors[i].runs);
		putc('}', fp);
	}
	fputs("]},\n", fp);
}

int
render_json_report(FILE *fp, const struct report *r)
{
	fprintf(fp, "{\n  \"schema\":%d,\n", REPORT_SCHEMA);
	period(fp, r);
	basis(fp, r);
	str_array(fp, "headline", r->headline, r->nheadline);
	totals(fp, r);
	use(fp, r);
	services(fp, r);
	changes(fp, r);
	geo_list(fp, "countries", r->countries, r->ncountries, 0);
	geo_list(fp, "networks", r->networks, r->nnetworks, 1);
	dests(fp, r);
	lookups(fp, r);
	coverage(fp, r);
	rel_render_json.render(fp, r);
	know_render_json.render(fp, r);
	sections(fp, r);
	fputs("}\n", fp);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

const struct render_ops render_json = { "json", NULL, render_json_report };
