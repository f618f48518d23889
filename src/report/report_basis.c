/* SPDX-License-Identifier: ISC */
/*
 * report_basis.c: what a report was judged by: the policy file and the
 * catalog (names, and SHA-256 prefixes of their contents), the
 * organisation, the author and when it was generated (see report.h); and
 * the catalog's names for its categories.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "base/util.h"
#include "policy/rules.h"
#include "report/report.h"
#include "store/store.h"

#define US_PER_S	1000000LL

/* The first 12 hex digits of SHA-256 over the files' contents, in order. */
static void
hash_files(const char *const *files, size_t n, char *out, size_t len)
{
	uint8_t md[EVP_MAX_MD_SIZE], buf[8192];
	unsigned mdlen = 0, j;
	EVP_MD_CTX *ctx;
	size_t i, got;
	FILE *fp;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto done;
	for (i = 0; i < n; i++) {
		if ((fp = fopen(files[i], "r")) == NULL)
			goto done;
		while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
			(void)EVP_DigestUpdate(ctx, buf, got);
		fclose(fp);
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		goto done;
	for (j = 0; j < mdlen && j < 6 && 2 * j + 2 < len; j++)
		snprintf(out + 2 * j, len - 2 * j, "%02x", md[j]);
done:
	EVP_MD_CTX_free(ctx);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds f to the set v (unless it is there or is skip). */
static void
file_add(const char **v, size_t *n, size_t cap, const char *f,
    const char *skip)
{
	size_t i;

	if (f == NULL || *n == cap || (skip != NULL && strcmp(f, skip) == 0))
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], f) == 0)
			return;
	v[(*n)++] = f;
}

void
report_basis_build(struct report *r, const struct report_opts *o)
{
	struct report_basis *b = &r->basis;
	const struct ruleset *rs = o->rules;
	const char **files, *base, *env;
	char hash[32], line[128];
	size_t i, n = 0, cap;

	b->org = xstrdup(o->org != NULL ? o->org : "");
	b->scope = xstrdup(o->scope != NULL ? o->scope : "");
	b->author = xstrdup(o->author != NULL ? o->author : "");
	env = getenv("SOURCE_DATE_EPOCH");
	b->generated_s = env != NULL && *env != '\0' ? strtoll(env, NULL, 10) :
	    (int64_t)time(NULL);
	if (rs == NULL || o->policy_path == NULL) {
		b->policy = xstrdup("");
		b->policy_hash = xstrdup("");
		b->catalog = xstrdup("");
		b->catalog_hash = xstrdup("");
		return;
	}
	base = strrchr(o->policy_path, '/');
	b->policy = xstrdup(base != NULL ? base + 1 : o->policy_path);
	hash_files(&o->policy_path, 1, hash, sizeof(hash));
	b->policy_hash = xstrdup(hash);
	cap = rules_nservices(rs) + rules_ncategory_defs(rs);
	files = xcalloc(cap + 1, sizeof(*files));
	for (i = 0; i < rules_nservices(rs); i++)
		file_add(files, &n, cap, rules_service_at(rs, i)->file,
		    o->policy_path);
	for (i = 0; i < rules_ncategory_defs(rs); i++)
		file_add(files, &n, cap, rules_category_at(rs, i)->file,
		    o->policy_path);
	qsort(files, n, sizeof(*files), cmp_str);
	hash_files(files, n, hash, sizeof(hash));
	b->catalog_hash = xstrdup(hash);
	snprintf(line, sizeof(line), "%zu services in %zu %s",
	    rules_nservices(rs), n, n == 1 ? "file" : "files");
	b->catalog = xstrdup(line);
	free(files);
}

static char	*sensor_words(const struct report *, char *, size_t);

char *
report_basis_words(const struct report *r, char *buf, size_t len)
{
	const struct report_basis *b = &r->basis;
	char when[UTIL_TS_LEN], part[512], *gen;

	if (b->policy[0] != '\0')
		snprintf(buf, len, "Judged by the policy %s (sha256 %s) and"
		    " the catalog (%s, sha256 %s); generated", b->policy,
		    b->policy_hash, b->catalog, b->catalog_hash);
	else
		snprintf(buf, len, "Judged by the status recorded at capture"
		    " time (no policy given); generated");
	/* The sensors go before "; generated". */
	if ((gen = strstr(buf, "; generated")) != NULL) {
		*gen = '\0';
		strlcat(buf, sensor_words(r, part, sizeof(part)), len);
		strlcat(buf, "; generated", len);
	}
	snprintf(part, sizeof(part), " %s", util_iso8601(b->generated_s *
	    US_PER_S, when, sizeof(when)));
	strlcat(buf, part, len);
	if (b->org[0] != '\0') {
		snprintf(part, sizeof(part), " for %s", b->org);
		strlcat(buf, part, len);
	}
	if (b->author[0] != '\0') {
		snprintf(part, sizeof(part), " by %s", b->author);
		strlcat(buf, part, len);
	}
	if (b->scope[0] != '\0') {
		snprintf(part, sizeof(part), "; only the devices of %s",
		    b->scope);
		strlcat(buf, part, len);
	}
	strlcat(buf, ".", len);
	return buf;
}

void
report_category_names(struct report *r, const struct ruleset *rs)
{
	const struct category *def;
	struct report_category *c;
	size_t i;

	for (i = 0; i < r->ncategories; i++) {
		c = &r->categories[i];
		free(c->name);
		def = rs != NULL && c->id[0] != '\0' ?
		    rules_category_by_id(rs, c->id) : NULL;
		if (def != NULL && def->name[0] != '\0')
			c->name = xstrdup(def->name);
		else
			c->name = xstrdup(c->id[0] != '\0' ? c->id :
			    "(no category)");
	}
}

const char *
report_category_name(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ncategories; i++)
		if (strcmp(r->categories[i].id, id) == 0 &&
		    r->categories[i].name != NULL)
			return r->categories[i].name;
	return id;
}

#define SENSOR_SOURCES	3	/* inputs named per sensor */

struct sensor_list {
	struct report_sensor	*v;
	size_t			 n;
	size_t			 nsrc;	/* inputs of the last one */
};

static int
add_sensor(void *arg, const struct store_sensor_row *row)
{
	struct sensor_list *l = arg;
	struct report_sensor *s;
	const char *base = strrchr(row->source, '/');
	char buf[512];

	base = base != NULL && base[1] != '\0' ? base + 1 : row->source;
	if (l->n == 0 || strcmp(l->v[l->n - 1].name, row->sensor) != 0) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		s = &l->v[l->n++];
		s->name = xstrdup(row->sensor);
		s->sources = xstrdup("");
		s->runs = 0;
		l->nsrc = 0;
	}
	s = &l->v[l->n - 1];
	s->runs += row->runs;
	if (l->nsrc++ >= SENSOR_SOURCES)
		return 0;
	snprintf(buf, sizeof(buf), "%s%s%s", s->sources, s->sources[0] !=
	    '\0' ? ", " : "", base);
	free(s->sources);
	s->sources = xstrdup(buf);
	return 0;
}

/* Ends the sources of the sensor whose inputs l counted. */
static void
more_sources(struct sensor_list *l)
{
	struct report_sensor *s;
	char buf[600];

	if (l->n == 0 || l->nsrc <= SENSOR_SOURCES)
		return;
	s = &l->v[l->n - 1];
	snprintf(buf, sizeof(buf), "%s and %zu more", s->sources,
	    l->nsrc - SENSOR_SOURCES);
	free(s->sources);
	s->sources = xstrdup(buf);
}

static int
add_sensor_row(void *arg, const struct store_sensor_row *row)
{
	struct sensor_list *l = arg;

	if (l->n > 0 && strcmp(l->v[l->n - 1].name, row->sensor) != 0)
		more_sources(l);
	return add_sensor(l, row);
}

int
report_basis_sensors(struct store *st, struct report *r)
{
	struct sensor_list l;
	int rc;

	memset(&l, 0, sizeof(l));
	rc = store_query_sensors(st, r->since_us, r->until_us,
	    add_sensor_row, &l);
	more_sources(&l);
	r->basis.sensors = l.v;
	r->basis.nsensors = l.n;
	return rc;
}

void
report_basis_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->basis.nsensors; i++) {
		free(r->basis.sensors[i].name);
		free(r->basis.sensors[i].sources);
	}
	free(r->basis.sensors);
	r->basis.sensors = NULL;
	r->basis.nsensors = 0;
}

/*
 * "; traffic from sample.pcap", "; traffic from the sensor hq (eth1)",
 * "; traffic from the sensors hq (eth1) and branch-1 (eth0)" into buf
 * ("" without runs). At most three sensors are named.
 */
static char *
sensor_words(const struct report *r, char *buf, size_t len)
{
	const struct report_sensor *s;
	char part[600];
	size_t i, n = r->basis.nsensors, named = 0;

	buf[0] = '\0';
	if (n == 0)
		return buf;
	for (i = 0; i < n; i++)
		named += r->basis.sensors[i].name[0] != '\0';
	strlcpy(buf, named == 0 ? "; traffic from " : n == 1 ?
	    "; traffic from the sensor " : "; traffic from the sensors ", len);
	for (i = 0; i < n && i < 3; i++) {
		s = &r->basis.sensors[i];
		if (i > 0)
			strlcat(buf, i + 1 == n ? " and " : ", ", len);
		if (s->name[0] != '\0')
			snprintf(part, sizeof(part), "%s (%s)", s->name,
			    s->sources);
		else
			snprintf(part, sizeof(part), "%s", s->sources);
		strlcat(buf, part, len);
	}
	if (n > 3) {
		snprintf(part, sizeof(part), " and %zu more", n - 3);
		strlcat(buf, part, len);
	}
	return buf;
}
