/* SPDX-License-Identifier: ISC */
/*
 * report.c: builds the audit summary model from store queries: the
 * headline sentences, the services ordered by concern, workarounds
 * (clear-text log-ins among them), where data goes by country and AS, the
 * top unclassified destinations, the capture coverage and departments. It
 * decides what is said and in which order; the renderers only decide how
 * it looks.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/json.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"

#define US_PER_S	1000000LL
#define DAY_S		86400LL

struct svc_list {
	struct report_service	*v;
	size_t			 n;
	size_t			 cap;
};

static int
add_service(void *arg, const struct store_service_row *r)
{
	struct svc_list *l = arg;
	struct report_service *s;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	s = &l->v[l->n++];
	s->id = xstrdup(r->id);
	s->name = xstrdup(r->name[0] != '\0' ? r->name : r->id);
	s->category = xstrdup(r->category);
	s->status = r->verdict;
	s->devices = r->devices;
	s->flows = r->flows;
	s->bytes_up = r->bytes_up;
	s->bytes_down = r->bytes_down;
	s->first_us = r->first_us;
	s->last_us = r->last_us;
	s->risk = xstrdup(r->risk);
	s->instance = xstrdup(r->instance != NULL ? r->instance : "");
	s->other = 0;
	s->sustained = s->occasional = s->oneoff = 0;
	s->use = REPORT_USE_SUSTAINED;
	return 0;
}

/* What an instance of a service of category cat is called. */
static const char *
instance_word(const char *id, const char *cat)
{
	if (strcmp(id, "azure-storage") == 0)
		return "storage account";
	if (strcmp(cat, "object-storage") == 0)
		return "bucket";
	return "tenant";
}

/*
 * Names each instance in its service's row: "Amazon S3 - bucket
 * \"acme-backups\"", and "SharePoint - another organisation's tenant
 * \"contoso\"" when another instance of the service is sanctioned and
 * this one is not. The summary's every format shows the name, so each
 * shows the instance.
 */
static void
name_instances(struct report_service *v, size_t n)
{
	char buf[512];
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (v[i].instance[0] == '\0')
			continue;
		for (j = 0; j < n && v[i].status != VERDICT_SANCTIONED; j++)
			if (v[j].instance[0] != '\0' &&
			    v[j].status == VERDICT_SANCTIONED &&
			    strcmp(v[j].id, v[i].id) == 0)
				v[i].other = 1;
		snprintf(buf, sizeof(buf), "%s - %s%s \"%s\"", v[i].name,
		    v[i].other ? "another organisation's " : "",
		    instance_word(v[i].id, v[i].category), v[i].instance);
		free(v[i].name);
		v[i].name = xstrdup(buf);
	}
}

static void
free_services(struct report_service *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].category);
		free(v[i].risk);
		free(v[i].instance);
	}
	free(v);
}

static int
add_dest(void *arg, const struct store_dest_row *r)
{
	struct report *rep = arg;
	struct report_dest *d;

	if (rep->ndests == REPORT_TOP_DESTS)
		return -1;
	d = &rep->dests[rep->ndests++];
	d->name = xstrdup(r->name);
	d->devices = r->devices;
	d->flows = r->flows;
	d->bytes_up = r->bytes_up;
	d->bytes_down = r->bytes_down;
	d->first_us = r->first_us;
	d->last_us = r->last_us;
	return 0;
}

int
report_status_rank(enum verdict v)
{
	switch (v) {
	case VERDICT_UNSANCTIONED:
		return 0;
	case VERDICT_TOLERATED:
		return 1;
	case VERDICT_SANCTIONED:
		return 2;
	case VERDICT_NONE:
		break;
	}
	return 3;
}

static int
risk_rank(const char *risk)
{
	static const char *const names[] = { "low", "medium", "high",
	    "critical" };
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (strcmp(risk, names[i]) == 0)
			return (int)i + 1;
	return 0;
}

#define CMP_DESC(a, b)	((a) < (b) ? 1 : (a) > (b) ? -1 : 0)

static int
cmp_service(const void *pa, const void *pb)
{
	const struct report_service *a = pa, *b = pb;
	int c;

	if ((c = report_status_rank(a->status) -
	    report_status_rank(b->status)) != 0)
		return c;
	if ((c = CMP_DESC(a->devices, b->devices)) != 0)
		return c;
	if ((c = CMP_DESC(a->bytes_up + a->bytes_down,
	    b->bytes_up + b->bytes_down)) != 0)
		return c;
	if ((c = CMP_DESC(a->flows, b->flows)) != 0)
		return c;
	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	return strcmp(a->instance, b->instance);
}

char *
report_logins_shown(const struct report *r, char *buf, size_t len)
{
	char n1[32], n2[32];

	if (len > 0)
		buf[0] = '\0';
	if (r->nlogins < r->login_totals.rows)
		snprintf(buf, len, "first %s of %s",
		    report_count(r->nlogins, n1, sizeof(n1)),
		    report_count(r->login_totals.rows, n2, sizeof(n2)));
	return buf;
}

char *
report_dests_shown(const struct report *r, char *buf, size_t len)
{
	char n1[32], n2[32];

	report_count(r->ndests, n1, sizeof(n1));
	report_count(r->totals.unclassified_names, n2, sizeof(n2));
	if (r->ndests == r->totals.unclassified_names)
		snprintf(buf, len, "All %s, busiest first.", n1);
	else
		snprintf(buf, len, "The %s busiest of %s, by devices and"
		    " flows.", n1, n2);
	return buf;
}

char *
report_runs_words(const struct report *r, char *buf, size_t len)
{
	const struct store_coverage *c = &r->coverage;
	char n1[32], n2[32];

	char n3[32];

	report_count(c->runs, n1, sizeof(n1));
	report_count(c->unfinished, n2, sizeof(n2));
	report_count(c->failed, n3, sizeof(n3));
	if (c->unfinished > 0 && c->failed > 0)
		snprintf(buf, len, "%s (%s did not finish, %s failed)", n1,
		    n2, n3);
	else if (c->unfinished > 0)
		snprintf(buf, len, "%s (%s did not finish)", n1, n2);
	else if (c->failed > 0)
		snprintf(buf, len, "%s (%s failed)", n1, n3);
	else
		snprintf(buf, len, "%s", n1);
	return buf;
}

char *
report_share_words(const struct report *r, char *buf, size_t len)
{
	int sf, sb;

	report_classified_share(r, &sf, &sb);
	if (sf < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%d.%d%% of flows, %d.%d%% of bytes",
		    sf / 10, sf % 10, sb / 10, sb % 10);
	return buf;
}

char *
report_count(uint64_t n, char *buf, size_t len)
{
	char digits[24];
	size_t nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, n);
	for (i = 0; i < nd && o + 1 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (len > 0)
		buf[o] = '\0';
	return buf;
}

const char *
report_geo_label(const struct report_geo *g, int as, int org, char *buf,
    size_t len)
{
	if (!as)
		return g->country[0] != '\0' ? g->country : "unknown";
	if (g->asn == 0)
		return "unknown";
	if (org && g->as_org[0] != '\0')
		snprintf(buf, len, "AS%u %s", g->asn, g->as_org);
	else
		snprintf(buf, len, "AS%u", g->asn);
	return buf;
}

const char *
report_status_label(enum verdict v)
{
	switch (v) {
	case VERDICT_UNSANCTIONED:
		return "Unsanctioned";
	case VERDICT_TOLERATED:
		return "Tolerated";
	case VERDICT_SANCTIONED:
		return "Sanctioned";
	case VERDICT_NONE:
		break;
	}
	return "Unclassified";
}

size_t
report_safe_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	size_t n;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c < 0x80 || (n = json_utf8_len(str)) == 0)
		return 0;
	/* U+0080..U+009F are C1 controls: CSI is 0xC2 0x9B. */
	if (n == 2 && c == 0xc2 && s[1] < 0xa0)
		return 0;
	/* Bidirectional controls can disguise the text around them:
	 * U+200E..U+200F, U+202A..U+202E, U+2066..U+2069. */
	if (n == 3 && c == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x8e && s[2] <= 0x8f) ||
	    (s[2] >= 0xaa && s[2] <= 0xae)))
		return 0;
	if (n == 3 && c == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 &&
	    s[2] <= 0xa9)
		return 0;
	return n;
}

static void
day(int64_t us, char *buf, size_t len)
{
	char iso[UTIL_TS_LEN];

	util_iso8601(us, iso, sizeof(iso));
	iso[10] = '\0';
	strlcpy(buf, iso, len);
}

void
report_period_days(const struct report *r, char *from, char *to, size_t len)
{
	int64_t a, b;

	a = r->since_us != STORE_TIME_MIN ? r->since_us : r->totals.first_us;
	b = r->until_us != STORE_TIME_MAX ? r->until_us - 1 :
	    r->totals.last_us;
	if (r->since_us == STORE_TIME_MIN && r->totals.first_us == 0 &&
	    r->totals.last_us == 0)
		from[0] = '\0';
	else
		day(a, from, len);
	if (r->until_us == STORE_TIME_MAX && r->totals.first_us == 0 &&
	    r->totals.last_us == 0)
		to[0] = '\0';
	else
		day(b, to, len);
	/* One end given and no data: the period is that one day. */
	if (from[0] == '\0' && to[0] != '\0')
		strlcpy(from, to, len);
	else if (to[0] == '\0' && from[0] != '\0')
		strlcpy(to, from, len);
}

static const char *const period_names[] = {
	[REPORT_PERIOD_NONE] = "",
	[REPORT_PERIOD_7D] = "last-7d",
	[REPORT_PERIOD_30D] = "last-30d",
	[REPORT_PERIOD_MONTH] = "month",
	[REPORT_PERIOD_QUARTER] = "quarter",
};

int
report_period_parse(const char *s, enum report_period *out)
{
	size_t i;

	for (i = 1; i < nitems(period_names); i++) {
		if (strcmp(s, period_names[i]) == 0) {
			*out = (enum report_period)i;
			return 0;
		}
	}
	return -1;
}

const char *
report_period_name(enum report_period p)
{
	return (size_t)p < nitems(period_names) ? period_names[p] : "";
}

/* Seconds of 00:00 UTC on the first day of month mon (0-11, may overflow). */
static int64_t
month_start(int year, int mon)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900 + (mon < 0 ? -1 : mon / 12);
	tm.tm_mon = (mon % 12 + 12) % 12;
	tm.tm_mday = 1;
	return (int64_t)timegm(&tm);
}

void
report_period_bounds(enum report_period p, int64_t last_us, int64_t *since,
    int64_t *until, int64_t *psince, int64_t *puntil)
{
	struct tm tm;
	time_t t;
	int64_t day, days = 0;
	int mon, year;

	t = (time_t)(last_us / US_PER_S - (last_us % US_PER_S < 0 ? 1 : 0));
	day = (int64_t)t - (((int64_t)t % DAY_S) + DAY_S) % DAY_S;
	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	switch (p) {
	case REPORT_PERIOD_7D:
		days = 7;
		break;
	case REPORT_PERIOD_30D:
		days = 30;
		break;
	case REPORT_PERIOD_MONTH:
		mon = tm.tm_mon;
		*since = month_start(year, mon) * US_PER_S;
		*until = month_start(year, mon + 1) * US_PER_S;
		*psince = month_start(year, mon - 1) * US_PER_S;
		*puntil = *since;
		return;
	case REPORT_PERIOD_QUARTER:
		mon = tm.tm_mon - tm.tm_mon % 3;
		*since = month_start(year, mon) * US_PER_S;
		*until = month_start(year, mon + 3) * US_PER_S;
		*psince = month_start(year, mon - 3) * US_PER_S;
		*puntil = *since;
		return;
	case REPORT_PERIOD_NONE:
		break;
	}
	if (days == 0) {
		*since = *psince = *puntil = STORE_TIME_MIN;
		*until = STORE_TIME_MAX;
		return;
	}
	*until = (day + DAY_S) * US_PER_S;
	*since = (day + DAY_S - days * DAY_S) * US_PER_S;
	*puntil = *since;
	*psince = *since - days * DAY_S * US_PER_S;
}

static int
cmp_change(const void *pa, const void *pb)
{
	const struct report_change *a = pa, *b = pb;
	int c;

	if ((c = report_status_rank(a->status) -
	    report_status_rank(b->status)) != 0)
		return c;
	if ((c = CMP_DESC(a->devices, b->devices)) != 0)
		return c;
	if ((c = CMP_DESC(a->bytes_up + a->bytes_down,
	    b->bytes_up + b->bytes_down)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

static int
has_id(const struct report_service *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return 1;
	return 0;
}

/*
 * The services of a that b lacks, by id. A service listed once per status
 * is reported once, with its most worrying status and the largest counts.
 */
static struct report_change *
diff_services(const struct report_service *a, size_t na,
    const struct report_service *b, size_t nb, size_t *nout)
{
	struct report_change *v, *c;
	size_t i, j, n = 0;

	v = xcalloc(na > 0 ? na : 1, sizeof(*v));
	for (i = 0; i < na; i++) {
		if (has_id(b, nb, a[i].id))
			continue;
		for (j = 0, c = NULL; j < n; j++)
			if (strcmp(v[j].id, a[i].id) == 0)
				c = &v[j];
		if (c == NULL) {
			c = &v[n++];
			c->id = xstrdup(a[i].id);
			c->name = xstrdup(a[i].name);
			c->category = xstrdup(a[i].category);
			c->status = a[i].status;
		} else if (report_status_rank(a[i].status) <
		    report_status_rank(c->status))
			c->status = a[i].status;
		if (a[i].devices > c->devices)
			c->devices = a[i].devices;
		c->bytes_up += a[i].bytes_up;
		c->bytes_down += a[i].bytes_down;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_change);
	*nout = n;
	return v;
}

static void
free_changes(struct report_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].category);
	}
	free(v);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
say(struct report *r, const char *s)
{
	if (r->nheadline < REPORT_HEADLINE_MAX)
		r->headline[r->nheadline++] = xstrdup(s);
}

/* "Dropbox (file-sharing, unsanctioned)" */
static void
describe(char *buf, size_t len, const char *name, const char *category,
    enum verdict status)
{
	snprintf(buf, len, "%s (%s%s%s)", name, category,
	    category[0] != '\0' ? ", " : "", verdict_str(status));
}

/* The headline's comparison with the previous period. */
static void
change_sentence(struct report *r)
{
	const struct report_change *a, *b;
	char from[16], to[16], prev[64], what[512], line[1024];
	char n1[32], n2[32];
	int64_t s;

	s = r->prev_since_us;
	day(s, from, sizeof(from));
	day(r->prev_until_us - 1, to, sizeof(to));
	if (strcmp(from, to) == 0)
		snprintf(prev, sizeof(prev), "%s", from);
	else
		snprintf(prev, sizeof(prev), "%s to %s", from, to);
	if (r->prev_totals.first_us == 0 && r->prev_totals.last_us == 0) {
		snprintf(line, sizeof(line), "No traffic is recorded for the"
		    " previous period (%s), so there is nothing to compare"
		    " with.", prev);
		say(r, line);
		return;
	}
	if (r->nadded == 0 && r->nstopped == 0) {
		report_count(r->prev_totals.unsanctioned_devices, n1,
		    sizeof(n1));
		report_count(r->totals.unsanctioned_devices, n2, sizeof(n2));
		snprintf(line, sizeof(line), "The same services were in use as"
		    " in the previous period (%s); devices using unsanctioned"
		    " services went from %s to %s.", prev, n1, n2);
		say(r, line);
		return;
	}
	a = r->nadded > 0 ? &r->added[0] : NULL;
	b = r->nstopped > 0 ? &r->stopped[0] : NULL;
	/* The change that touches more devices; a new service wins a tie. */
	if (a != NULL && (b == NULL || a->devices >= b->devices)) {
		describe(what, sizeof(what), a->name, a->category, a->status);
		report_count(a->devices, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Since the previous period (%s),"
		    " %zu %s appeared and %zu stopped; the biggest change is"
		    " %s, new on %s %s.", prev, r->nadded,
		    plural(r->nadded, "service", "services"), r->nstopped,
		    what, n1, plural(a->devices, "device", "devices"));
	} else {
		describe(what, sizeof(what), b->name, b->category, b->status);
		report_count(b->devices, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Since the previous period (%s),"
		    " %zu %s appeared and %zu stopped; the biggest change is"
		    " that %s is no longer used (it was on %s %s).", prev,
		    r->nadded, plural(r->nadded, "service", "services"),
		    r->nstopped, what, n1,
		    plural(b->devices, "device", "devices"));
	}
	say(r, line);
}

/* The sentences a director reads first. */
static void
headline(struct report *r)
{
	const struct store_totals *t = &r->totals;
	const struct report_service *top;
	char from[16], to[16], when[64], line[1024];
	char n1[32], n2[32], n3[64], cats[32], up[32], down[32], rule[96];
	size_t i;

	report_period_days(r, from, to, sizeof(from));
	if (from[0] == '\0' && to[0] == '\0')
		strlcpy(when, "so far", sizeof(when));
	else if (strcmp(from, to) == 0)
		snprintf(when, sizeof(when), "on %s", from);
	else
		snprintf(when, sizeof(when), "between %s and %s", from, to);

	if (r->use.services > 0) {
		report_count(r->use.devices, n1, sizeof(n1));
		report_count(r->use.services, n2, sizeof(n2));
		n3[0] = '\0';
		if (r->use.categories > 0) {
			report_count(r->use.categories, cats, sizeof(cats));
			snprintf(n3, sizeof(n3), " in %s %s", cats,
			    plural(r->use.categories, "category",
			    "categories"));
		}
		report_use_words(r, rule, sizeof(rule));
		snprintf(line, sizeof(line), "%s %s used %s unsanctioned %s"
		    "%s %s%s%s%s.", n1,
		    plural(r->use.devices, "device", "devices"), n2,
		    plural(r->use.services, "service", "services"),
		    n3, when, rule[0] != '\0' ? " (sustained use: " : "",
		    rule, rule[0] != '\0' ? ")" : "");
		say(r, line);
		top = &r->services[0];
		for (i = 1; i < r->nservices &&
		    r->services[i].status == VERDICT_UNSANCTIONED &&
		    r->services[i].use == REPORT_USE_SUSTAINED; i++)
			if (risk_rank(r->services[i].risk) >
			    risk_rank(top->risk))
				top = &r->services[i];
		report_count(top->sustained, n1, sizeof(n1));
		util_human_bytes(top->bytes_up, up, sizeof(up));
		util_human_bytes(top->bytes_down, down, sizeof(down));
		if (risk_rank(top->risk) > 0)
			snprintf(line, sizeof(line), "The biggest risk is %s"
			    " (%s%s%s risk): %s %s, %s uploaded, %s"
			    " downloaded.", top->name, top->category,
			    top->category[0] != '\0' ? ", " : "", top->risk,
			    n1, plural(top->sustained, "device", "devices"), up,
			    down);
		else
			snprintf(line, sizeof(line), "The most widespread was"
			    " %s%s%s%s: %s %s, %s uploaded, %s downloaded.",
			    top->name, top->category[0] != '\0' ? " (" : "",
			    top->category, top->category[0] != '\0' ? ")" :
			    "", n1, plural(top->sustained, "device",
			    "devices"), up, down);
		say(r, line);
		if (report_use_contact_sentence(r, "Another", line,
		    sizeof(line)) != NULL)
			say(r, line);
	} else if (t->unsanctioned_services > 0) {
		report_use_words(r, rule, sizeof(rule));
		snprintf(line, sizeof(line), "No unsanctioned service was in"
		    " sustained use (%s) %s.", rule, when);
		say(r, line);
		if (report_use_contact_sentence(r, "But", line,
		    sizeof(line)) != NULL)
			say(r, line);
	} else if (t->services > 0) {
		report_count(t->devices, n1, sizeof(n1));
		snprintf(line, sizeof(line), "No unsanctioned services were"
		    " seen %s; %s %s used only approved or tolerated"
		    " services.", when, n1,
		    plural(t->devices, "device", "devices"));
		say(r, line);
	} else {
		snprintf(line, sizeof(line), "No use of catalogued services"
		    " was recorded %s.", when);
		say(r, line);
	}
	if (r->compare)
		change_sentence(r);
	if (r->coverage.runs == 0) {
		say(r, "No capture run is recorded for this period.");
	} else if (r->coverage.kernel_drops > 0) {
		report_count(r->coverage.kernel_drops, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Some traffic was missed: %s"
		    " %s dropped before %s could be examined, so the"
		    " figures above are a lower bound.", n1,
		    plural(r->coverage.kernel_drops, "packet was",
		    "packets were"),
		    plural(r->coverage.kernel_drops, "it", "they"));
		say(r, line);
	}
	if (r->coverage.unfinished > 0) {
		report_count(r->coverage.unfinished, n1, sizeof(n1));
		snprintf(line, sizeof(line), "%s capture %s not finish"
		    " cleanly; %s counts may be incomplete.", n1,
		    plural(r->coverage.unfinished, "run did", "runs did"),
		    plural(r->coverage.unfinished, "its", "their"));
		say(r, line);
	}
	if (report_failed_sentence(r, line, sizeof(line)))
		say(r, line);
	if (report_losses_material(r, line, sizeof(line)))
		say(r, line);
	if (t->unclassified_names > 0) {
		report_count(t->unclassified_names, n1, sizeof(n1));
		snprintf(line, sizeof(line), "%s other %s not in the service"
		    " catalog %s also contacted; the busiest are listed"
		    " below.", n1, plural(t->unclassified_names,
		    "destination", "destinations"),
		    plural(t->unclassified_names, "was", "were"));
		say(r, line);
	}
}

struct cat_list {
	struct report_category	*v;
	size_t			 n;
	size_t			 cap;
};

static int
add_category(void *arg, const struct store_category_row *row)
{
	struct cat_list *l = arg;
	struct report_category *c;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(row->category);
	c->devices = row->devices;
	c->unsanctioned_devices = row->unsanctioned_devices;
	c->unapproved_devices = row->unapproved_devices;
	c->flows = row->flows;
	c->bytes_up = row->bytes_up;
	c->bytes_down = row->bytes_down;
	return 0;
}

static int
cmp_category(const void *pa, const void *pb)
{
	const struct report_category *a = pa, *b = pb;
	int c;

	if ((c = CMP_DESC(a->unsanctioned_devices, b->unsanctioned_devices)))
		return c;
	if ((c = CMP_DESC(a->bytes_up + a->bytes_down,
	    b->bytes_up + b->bytes_down)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

/* Counts each category's distinct services from the service list. */
static void
count_category_services(struct report *r)
{
	struct report_category *c;
	const struct report_service *s;
	size_t i, j, k;
	int seen;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		for (j = 0; j < r->nservices; j++) {
			s = &r->services[j];
			if (strcmp(s->category, c->id) != 0)
				continue;
			for (k = 0, seen = 0; k < j; k++)
				if (strcmp(r->services[k].id, s->id) == 0)
					seen = 1;
			if (!seen)
				c->nservices++;
			/* Instances of one service are one service here. */
			for (k = 0, seen = 0; k < j; k++)
				if (strcmp(r->services[k].id, s->id) == 0 &&
				    r->services[k].status == s->status)
					seen = 1;
			if (s->status == VERDICT_UNSANCTIONED && !seen)
				c->nunsanctioned++;
			if (s->status == VERDICT_SANCTIONED &&
			    c->sanctioned == NULL)
				c->sanctioned = s;
		}
	}
}

/*
 * Names of the services in category cat (any of ",a,b," when cat starts
 * with a comma) with status want (VERDICT_NONE: any but sanctioned), at
 * most three and then "and N more". Returns a new string.
 */
static char *
join_names(const struct report *r, const char *cat, enum verdict want)
{
	const struct report_service *s;
	char buf[1024], key[64];
	size_t i, n = 0, more = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (cat[0] == ',') {
			snprintf(key, sizeof(key), ",%s,", s->category);
			if (s->category[0] == '\0' || strstr(cat, key) == NULL)
				continue;
		} else if (strcmp(s->category, cat) != 0)
			continue;
		if (want == VERDICT_NONE ? s->status == VERDICT_SANCTIONED :
		    s->status != want)
			continue;
		if (s->use != REPORT_USE_SUSTAINED)
			continue;
		if (n == 3) {
			more++;
			continue;
		}
		if (n++ > 0)
			strlcat(buf, ", ", sizeof(buf));
		strlcat(buf, s->name, sizeof(buf));
	}
	if (more > 0) {
		snprintf(key, sizeof(key), " and %zu more", more);
		strlcat(buf, key, sizeof(buf));
	}
	return xstrdup(buf);
}

static const struct {
	const char	*id;
	const char	*title;
	const char	*categories;
} workaround_kinds[] = {
	{ "file-transfer", "Files sent through personal webmail, storage or"
	    " file-sharing", ",webmail,cloud-storage,file-sharing," },
	{ "messaging", "Unapproved chat", ",messaging," },
	{ "remote-access", "Remote-access tools", ",remote-access," },
	{ "vpn-proxy", "Personal VPN, proxy or tunnel",
	    ",vpn-proxy,tunneling," },
	{ "genai", "Generative AI", ",genai," },
	{ "cleartext-passwords", "Passwords sent in clear text", NULL },
};

/* "FTP, HTTP Basic" from the store's "ftp, http-basic". */
static char *
proto_names(const char *list)
{
	static const struct {
		const char	*id;
		const char	*name;
	} names[] = {
		{ "ftp", "FTP" }, { "telnet", "Telnet" }, { "pop3", "POP3" },
		{ "imap", "IMAP" }, { "smtp", "SMTP" },
		{ "http-basic", "HTTP Basic" },
	};
	char buf[256], one[64];
	const char *p = list, *e;
	size_t i, n;

	buf[0] = '\0';
	while (*p != '\0') {
		e = strstr(p, ", ");
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		for (i = 0; i < nitems(names); i++)
			if (strcmp(one, names[i].id) == 0)
				strlcpy(one, names[i].name, sizeof(one));
		if (buf[0] != '\0')
			strlcat(buf, ", ", sizeof(buf));
		strlcat(buf, one, sizeof(buf));
		p += n;
		if (*p != '\0')
			p += 2;
	}
	return xstrdup(buf);
}

static int
build_workarounds(struct store *st, struct report *r)
{
	struct report_workaround *w;
	struct store_group g;
	size_t i;

	r->workarounds = xcalloc(nitems(workaround_kinds), sizeof(*w));
	for (i = 0; i < nitems(workaround_kinds); i++) {
		if (workaround_kinds[i].categories == NULL) {
			if (r->login_totals.rows == 0)
				continue;
			w = &r->workarounds[r->nworkarounds++];
			w->id = workaround_kinds[i].id;
			w->title = workaround_kinds[i].title;
			w->devices = r->login_totals.devices;
			w->services = r->login_totals.protos;
			w->flows = r->login_totals.logins;
			w->examples = proto_names(r->login_totals.protos_list);
			continue;
		}
		if (store_query_group(st, r->since_us, r->until_us,
		    workaround_kinds[i].categories, &g) == -1)
			return -1;
		if (g.services == 0)
			continue;
		w = &r->workarounds[r->nworkarounds++];
		w->id = workaround_kinds[i].id;
		w->title = workaround_kinds[i].title;
		w->categories = workaround_kinds[i].categories;
		w->devices = g.devices;
		w->services = g.services;
		w->flows = g.flows;
		w->bytes_up = g.bytes_up;
		w->bytes_down = g.bytes_down;
		w->examples = join_names(r, w->categories,
		    VERDICT_UNSANCTIONED);
	}
	return 0;
}

static int
add_day(void *arg, const struct store_day_row *row)
{
	struct report *r = arg;
	struct report_day *d;

	if (r->ndays == REPORT_DAYS_MAX)
		return 0;
	d = &r->days[r->ndays++];
	d->day_us = row->day_us;
	d->unsanctioned_bytes = row->unsanctioned_bytes;
	d->other_bytes = row->other_bytes;
	d->unsanctioned_devices = row->unsanctioned_devices;
	d->devices = row->devices;
	return 0;
}

static int
add_device(void *arg, const struct store_device_row *row)
{
	struct report *r = arg;
	struct report_device *d;

	if (r->ndevices == REPORT_TOP_DEVICES)
		return -1;
	d = &r->devices[r->ndevices++];
	d->name = xstrdup(row->device);
	d->ip = xstrdup(row->ip);
	d->mac = xstrdup(row->mac);
	d->services = row->services;
	d->flows = row->flows;
	d->bytes_up = row->bytes_up;
	d->bytes_down = row->bytes_down;
	d->first_us = row->first_us;
	d->last_us = row->last_us;
	return 0;
}

static int
add_geo(struct report_geo *v, size_t *n, const struct store_geo_row *row)
{
	struct report_geo *g;

	if (*n == REPORT_TOP_GEO)
		return -1;
	g = &v[(*n)++];
	g->country = xstrdup(row->country);
	g->asn = row->asn;
	g->as_org = xstrdup(row->as_org);
	g->devices = row->devices;
	g->flows = row->flows;
	g->bytes_up = row->bytes_up;
	g->bytes_down = row->bytes_down;
	return 0;
}

static int
add_country(void *arg, const struct store_geo_row *row)
{
	struct report *r = arg;

	return add_geo(r->countries, &r->ncountries, row);
}

static int
add_network(void *arg, const struct store_geo_row *row)
{
	struct report *r = arg;

	return add_geo(r->networks, &r->nnetworks, row);
}

static int
add_login(void *arg, const struct store_credential_row *row)
{
	struct report *r = arg;
	struct report_login *l;

	if (r->nlogins == REPORT_TOP_LOGINS)
		return -1;
	l = &r->logins[r->nlogins++];
	l->device = xstrdup(row->device);
	l->proto = xstrdup(row->proto);
	l->server = xstrdup(row->server);
	l->user = xstrdup(row->user);
	l->count = row->count;
	l->first_us = row->first_us;
	l->last_us = row->last_us;
	return 0;
}

struct dept_list {
	struct report_department	*v;
	size_t				 n;
	size_t				 cap;
};

static int
add_department(void *arg, const struct store_department_row *row)
{
	struct dept_list *l = arg;
	struct report_department *d;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	d = &l->v[l->n++];
	d->name = xstrdup(row->department);
	d->devices = row->devices;
	d->unsanctioned_devices = row->unsanctioned_devices;
	d->unsanctioned_services = row->unsanctioned_services;
	d->bytes_up = row->bytes_up;
	d->unsanctioned_up = row->unsanctioned_up;
	return 0;
}

/* Where data goes, clear-text log-ins and departments. */
static int
add_lookup(void *arg, const struct store_lookup_row *row)
{
	struct report *r = arg;
	struct report_lookup *l;

	if (r->nlookups == REPORT_TOP_LOOKUPS)
		return 0;
	l = &r->lookups[r->nlookups++];
	l->id = xstrdup(row->service);
	l->name = xstrdup(row->name);
	l->category = xstrdup(row->category);
	l->devices = row->devices;
	l->lookups = row->lookups;
	l->used_devices = row->used_devices;
	return 0;
}

char *
report_lookup_words(const struct report_lookup *l, char *buf, size_t len)
{
	char n1[32], n2[32], n3[32], used[96];

	report_count(l->devices, n1, sizeof(n1));
	report_count(l->lookups, n2, sizeof(n2));
	if (l->used_devices == 0)
		strlcpy(used, "no traffic to it", sizeof(used));
	else
		snprintf(used, sizeof(used), "%s with traffic to it",
		    report_count(l->used_devices, n3, sizeof(n3)));
	snprintf(buf, len, "%s%s%s%s: looked up by %s %s (%s %s), %s.",
	    l->name, l->category[0] != '\0' ? " (" : "", l->category,
	    l->category[0] != '\0' ? ")" : "", n1, plural(l->devices,
	    "device", "devices"), n2, plural(l->lookups, "lookup", "lookups"),
	    used);
	return buf;
}

size_t
report_lookups_unused(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nlookups; i++)
		if (r->lookups[i].used_devices == 0)
			n++;
	return n;
}

static int
build_more(struct store *st, struct report *r)
{
	struct dept_list dl;
	int rc;

	r->countries = xcalloc(REPORT_TOP_GEO, sizeof(*r->countries));
	r->networks = xcalloc(REPORT_TOP_GEO, sizeof(*r->networks));
	r->logins = xcalloc(REPORT_TOP_LOGINS, sizeof(*r->logins));
	r->lookups = xcalloc(REPORT_TOP_LOOKUPS, sizeof(*r->lookups));
	if (store_query_lookups(st, r->since_us, r->until_us, add_lookup,
	    r) == -1 ||
	    store_query_countries(st, r->since_us, r->until_us,
	    REPORT_TOP_GEO, add_country, r) == -1 ||
	    store_query_networks(st, r->since_us, r->until_us,
	    REPORT_TOP_GEO, add_network, r) == -1 ||
	    store_query_credential_totals(st, r->since_us, r->until_us,
	    &r->login_totals) == -1 ||
	    store_query_credentials(st, r->since_us, r->until_us,
	    REPORT_TOP_LOGINS, add_login, r) == -1)
		return -1;
	memset(&dl, 0, sizeof(dl));
	rc = store_query_departments(st, r->since_us, r->until_us,
	    add_department, &dl);
	r->departments = dl.v;
	r->ndepartments = dl.n;
	return rc;
}

void
report_classified_share(const struct report *r, int *flows, int *bytes)
{
	uint64_t cf = r->totals.classified_flows;
	uint64_t uf = r->totals.unclassified_flows;
	uint64_t cb = r->totals.classified_bytes;
	uint64_t ub = r->totals.unclassified_bytes;

	/* Rounded to the nearest tenth of a percent, in integers only. */
	*flows = cf + uf == 0 ? -1 :
	    (int)((cf * 2000 + (cf + uf)) / (2 * (cf + uf)));
	*bytes = cb + ub == 0 ? -1 :
	    (int)(((double)cb * 1000.0) / (double)(cb + ub) + 0.5);
}

char *
report_pseudonym(const uint8_t key[STORE_KEY_LEN], const char *kind,
    const char *value, char *out, size_t len)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	char msg[512];
	size_t i, o;
	int n;

	if (value[0] == '\0') {
		if (len > 0)
			out[0] = '\0';
		return out;
	}
	n = snprintf(msg, sizeof(msg), "%s:%s", kind, value);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return NULL;
	if (HMAC(EVP_sha256(), key, STORE_KEY_LEN, (const uint8_t *)msg,
	    (size_t)n, mac, &maclen) == NULL || maclen < 4)
		return NULL;
	o = (size_t)snprintf(out, len, "%s-", kind);
	for (i = 0; i < REPORT_PSEUDONYM_HEX / 2 && o + 2 < len; i++, o += 2)
		snprintf(out + o, len - o, "%02x", mac[i]);
	return out;
}

static int
swap_pseudonym(const uint8_t *key, const char *kind, char **s)
{
	char buf[64];

	if (report_pseudonym(key, kind, *s, buf, sizeof(buf)) == NULL)
		return -1;
	free(*s);
	*s = xstrdup(buf);
	return 0;
}

/*
 * Replaces every name that points at a person or their machine. The order
 * of the device list stays that of the real keys, which pseudonyms do not
 * reveal.
 */
static int
pseudonymize(struct report *r, const uint8_t *key)
{
	struct report_device *d;
	struct report_login *l;
	struct rel_finding *f;
	size_t i, j;

	for (i = 0; i < r->ndevices; i++) {
		d = &r->devices[i];
		/* The best name keeps the kind it came from. */
		if (swap_pseudonym(key, strcmp(d->label, d->mac) == 0 ? "mac" :
		    strcmp(d->label, d->ip) == 0 ? "ip" : "name",
		    &d->label) == -1 ||
		    swap_pseudonym(key, "name", &d->hostname) == -1 ||
		    swap_pseudonym(key, "owner", &d->owner) == -1 ||
		    swap_pseudonym(key, "asset", &d->asset) == -1 ||
		    swap_pseudonym(key, "device", &d->name) == -1 ||
		    swap_pseudonym(key, "ip", &d->ip) == -1 ||
		    swap_pseudonym(key, "mac", &d->mac) == -1)
			return -1;
	}
	for (i = 0; i < r->nlogins; i++) {
		l = &r->logins[i];
		if (swap_pseudonym(key, "device", &l->device) == -1 ||
		    swap_pseudonym(key, "user", &l->user) == -1)
			return -1;
	}
	for (i = 0; r->rel != NULL && i < r->rel->res.nf; i++) {
		f = &r->rel->res.f[i];
		for (j = 0; j < f->ndev; j++)
			if (swap_pseudonym(key, "device", &f->dev[j].device) ==
			    -1)
				return -1;
	}
	r->pseudonymized = 1;
	return 0;
}

static int
build_sections(struct store *st, struct report *r)
{
	struct cat_list cl;

	memset(&cl, 0, sizeof(cl));
	if (store_query_categories(st, r->since_us, r->until_us,
	    add_category, &cl) == -1) {
		r->categories = cl.v;
		r->ncategories = cl.n;
		return -1;
	}
	r->categories = cl.v;
	r->ncategories = cl.n;
	if (r->ncategories > 0)
		qsort(r->categories, r->ncategories, sizeof(*r->categories),
		    cmp_category);
	count_category_services(r);
	if (build_more(st, r) == -1 || build_workarounds(st, r) == -1)
		return -1;
	r->days = xcalloc(REPORT_DAYS_MAX, sizeof(*r->days));
	if (store_query_days(st, r->since_us, r->until_us, add_day, r) == -1)
		return -1;
	r->devices = xcalloc(REPORT_TOP_DEVICES, sizeof(*r->devices));
	if (store_query_devices(st, r->since_us, r->until_us,
	    REPORT_TOP_DEVICES, add_device, r) == -1 ||
	    report_identify(st, r) == -1)
		return -1;
	return 0;
}

/* Fills the previous period's totals and the added and stopped lists. */
static int
compare_previous(struct store *st, struct report *r)
{
	struct svc_list l;

	memset(&l, 0, sizeof(l));
	if (store_query_totals(st, r->prev_since_us, r->prev_until_us,
	    &r->prev_totals) == -1)
		return -1;
	if (store_query_services(st, r->prev_since_us, r->prev_until_us,
	    add_service, &l) == -1) {
		free_services(l.v, l.n);
		return -1;
	}
	r->added = diff_services(r->services, r->nservices, l.v, l.n,
	    &r->nadded);
	r->stopped = diff_services(l.v, l.n, r->services, r->nservices,
	    &r->nstopped);
	if (report_trend_previous(st, r, l.v, l.n) == -1) {
		free_services(l.v, l.n);
		return -1;
	}
	free_services(l.v, l.n);
	return 0;
}

/*
 * The worst recurring network problem in the headline when there is
 * room, and the recommendation to fix it ranked with the others.
 */
static void
rel_words(struct report *r, const struct ruleset *rs)
{
	char hl[512], rc[512];

	if (!report_rel_words(r->rel, hl, sizeof(hl), rc, sizeof(rc))) {
		report_recommend(r, rs, NULL);
		return;
	}
	if (r->nheadline < REPORT_HEADLINE_MAX)
		r->headline[r->nheadline++] = xstrdup(hl);
	report_recommend(r, rs, rc);
}

struct report *
report_build(struct store *st, int64_t since_us, int64_t until_us)
{
	struct report_opts o;

	memset(&o, 0, sizeof(o));
	o.since_us = since_us;
	o.until_us = until_us;
	return report_build_opts(st, &o);
}

struct report *
report_build_opts(struct store *st, const struct report_opts *o)
{
	struct svc_list l;
	struct report *r;
	int64_t since_us, until_us;

	r = xcalloc(1, sizeof(*r));
	if (store_query_last(st, &r->last_us) == -1) {
		free(r);
		return NULL;
	}
	since_us = o->since_us;
	until_us = o->until_us;
	if (o->period != REPORT_PERIOD_NONE && r->last_us != 0) {
		r->period = o->period;
		report_period_bounds(o->period, r->last_us, &since_us,
		    &until_us, &r->prev_since_us, &r->prev_until_us);
		r->compare = o->compare;
	} else if (o->period != REPORT_PERIOD_NONE) {
		since_us = STORE_TIME_MIN;
		until_us = STORE_TIME_MAX;
	} else if (o->compare && since_us != STORE_TIME_MIN &&
	    until_us != STORE_TIME_MAX) {
		r->compare = 1;
		r->prev_until_us = since_us;
		r->prev_since_us = since_us - (until_us - since_us);
	}
	r->since_us = since_us;
	r->until_us = until_us;
	memset(&l, 0, sizeof(l));
	if (store_query_totals(st, since_us, until_us, &r->totals) == -1)
		goto fail;
	if (store_query_services(st, since_us, until_us, add_service,
	    &l) == -1)
		goto fail;
	r->services = l.v;
	r->nservices = l.n;
	l.v = NULL;
	name_instances(r->services, r->nservices);
	if (r->nservices > 0)
		qsort(r->services, r->nservices, sizeof(*r->services),
		    cmp_service);
	r->use.top = o->top > 0 ? o->top : REPORT_TOP_DEFAULT;
	if (report_use_build(st, r, o->rules != NULL ? rules_use(o->rules) :
	    NULL) == -1)
		goto fail;
	r->dests = xcalloc(REPORT_TOP_DESTS, sizeof(*r->dests));
	if (store_query_unclassified(st, since_us, until_us, REPORT_TOP_DESTS,
	    add_dest, r) == -1)
		goto fail;
	if (store_query_coverage(st, since_us, until_us, &r->coverage) == -1 ||
	    report_losses_build(st, since_us, until_us, r) == -1)
		goto fail;
	if (r->compare && compare_previous(st, r) == -1)
		goto fail;
	if (build_sections(st, r) == -1 ||
	    report_know_build(st, r, o->pseudonym_key) == -1)
		goto fail;
	report_use_tally(r);
	if (report_rel_build(st, since_us, until_us, o->rel_opts,
	    &r->rel) == -1 ||
	    report_idents_build(st, r, o->pseudonym_key) == -1)
		goto fail;
	if (o->pseudonym_key != NULL && pseudonymize(r, o->pseudonym_key)
	    == -1)
		goto fail;
	report_category_names(r, o->rules);
	headline(r);
	rel_words(r, o->rules);
	report_basis_build(r, o);
	if (report_basis_sensors(st, r) == -1)
		goto fail;
	return r;
fail:
	if (l.v != NULL) {
		r->services = l.v;
		r->nservices = l.n;
	}
	report_free(r);
	return NULL;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nheadline; i++)
		free(r->headline[i]);
	report_use_free(r);
	report_trend_free(r);
	free_services(r->services, r->nservices);
	free_changes(r->added, r->nadded);
	free_changes(r->stopped, r->nstopped);
	for (i = 0; i < r->ncategories; i++) {
		free(r->categories[i].id);
		free(r->categories[i].name);
	}
	free(r->categories);
	for (i = 0; i < r->nworkarounds; i++)
		free(r->workarounds[i].examples);
	free(r->workarounds);
	free(r->days);
	for (i = 0; i < r->ndevices; i++) {
		free(r->devices[i].name);
		free(r->devices[i].ip);
		free(r->devices[i].mac);
		free(r->devices[i].hostname);
		free(r->devices[i].label);
		free(r->devices[i].owner);
		free(r->devices[i].department);
		free(r->devices[i].asset);
	}
	free(r->devices);
	for (i = 0; i < r->ncountries; i++) {
		free(r->countries[i].country);
		free(r->countries[i].as_org);
	}
	free(r->countries);
	for (i = 0; i < r->nnetworks; i++) {
		free(r->networks[i].country);
		free(r->networks[i].as_org);
	}
	free(r->networks);
	for (i = 0; i < r->nlogins; i++) {
		free(r->logins[i].device);
		free(r->logins[i].proto);
		free(r->logins[i].server);
		free(r->logins[i].user);
	}
	free(r->logins);
	for (i = 0; i < r->nlookups; i++) {
		free(r->lookups[i].id);
		free(r->lookups[i].name);
		free(r->lookups[i].category);
	}
	free(r->lookups);
	for (i = 0; i < r->ndepartments; i++)
		free(r->departments[i].name);
	free(r->departments);
	report_recs_free(r);
	free(r->basis.org);
	free(r->basis.author);
	free(r->basis.scope);
	free(r->basis.policy);
	free(r->basis.policy_hash);
	free(r->basis.catalog);
	free(r->basis.catalog_hash);
	report_basis_free(r);
	for (i = 0; i < r->ndests; i++)
		free(r->dests[i].name);
	free(r->dests);
	report_rel_free(r->rel);
	report_losses_free(r);
	report_know_free(r);
	report_idents_free(r);
	free(r);
}
