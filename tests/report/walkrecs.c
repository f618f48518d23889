/* SPDX-License-Identifier: ISC */
/*
 * walkrecs.c: walks every recommendation of a findings database's summary
 * against every policy verdict, for tests/report/recs-policy.sh. Usage:
 * walkrecs DB RULES_DIR POLICY. Prints each violation and exits 1 when
 * there is one, or when the database gave no recommendation that proposes
 * a tool (the walk would prove nothing).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"

static int bad;

static void
fail(size_t i, const char *text, const char *why, const char *id)
{
	fprintf(stderr, "recommendation %zu (%s): %s %s\n", i + 1, text, why,
	    id);
	bad++;
}

/* "Unsanctioned always": a service or category statement forbids it. */
static int
forbidden(const struct service *s)
{
	return s->verdict == VERDICT_UNSANCTIONED &&
	    (s->decided_by == RULE_SERVICE || s->decided_by == RULE_CATEGORY);
}

/* Line `line` of the file in paths whose name ends in base. */
static int
rule_line(const char *rule, const char *const *paths, char *out, size_t len)
{
	char file[256], path[1024];
	const char *colon = strrchr(rule, ':');
	int line, n = 0;
	size_t i;
	FILE *fp;

	if (colon == NULL)
		return -1;
	snprintf(file, sizeof(file), "%.*s", (int)(colon - rule), rule);
	line = atoi(colon + 1);
	for (i = 0; i < 2; i++) {
		const char *b = strrchr(paths[i], '/');

		if (strcmp(b != NULL ? b + 1 : paths[i], file) == 0)
			snprintf(path, sizeof(path), "%s", paths[i]);
		else if (i == 0)
			snprintf(path, sizeof(path), "%s/%s", paths[0], file);
		else
			continue;
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		while (fgets(out, (int)len, fp) != NULL)
			if (++n == line) {
				fclose(fp);
				return 0;
			}
		fclose(fp);
	}
	return -1;
}

static void
walk(const struct report *r, const struct ruleset *rs,
    const char *const *paths, size_t *proposing)
{
	const struct report_rec *e;
	const struct service *s;
	char key[80], stmt[1024], sentence[256];
	size_t i, j;

	for (i = 0; i < r->nrecs; i++) {
		e = &r->recs[i];
		if (strstr(e->text, "Sanction one") != NULL)
			fail(i, e->text, "proposes sanctioning", "");
		if (e->targets[0] != '\0' || e->category[0] != '\0') {
			(*proposing)++;
			if (!rules_pick_one(rs, e->category, NULL))
				fail(i, e->text, "category is not pick-one:",
				    e->category);
		}
		if (e->rule[0] != '\0' && (rule_line(e->rule, paths, stmt,
		    sizeof(stmt)) == -1 || (strstr(stmt, "sanctioned") ==
		    NULL && strstr(stmt, "tolerated") == NULL &&
		    strstr(stmt, "pick-one") == NULL)))
			fail(i, e->text, "rule is not a policy statement:",
			    e->rule);
		for (j = 0; j < rules_nservices(rs); j++) {
			s = rules_service_at(rs, j);
			snprintf(key, sizeof(key), ",%s,", s->id);
			if (strcmp(s->category, e->category) == 0 &&
			    s->decided_by == RULE_CATEGORY &&
			    s->verdict == VERDICT_UNSANCTIONED)
				fail(i, e->text, "category is forbidden:",
				    s->category);
			snprintf(sentence, sizeof(sentence), "to %s,",
			    s->name);
			if (report_rec_personal(s->name) &&
			    strstr(e->text, sentence) != NULL)
				fail(i, e->text, "moves to a personal"
				    " edition:", s->id);
			if (strstr(e->targets, key) == NULL)
				continue;
			if (forbidden(s))
				fail(i, e->text, "proposes a forbidden"
				    " service:", s->id);
			if (report_rec_personal(s->name))
				fail(i, e->text, "proposes a personal"
				    " edition:", s->id);
			if (strcmp(e->kind, "move-to") == 0 &&
			    s->verdict != VERDICT_SANCTIONED)
				fail(i, e->text, "moves to an unsanctioned"
				    " service:", s->id);
			if (strcmp(e->kind, "pick-one") == 0 &&
			    s->verdict == VERDICT_SANCTIONED)
				fail(i, e->text, "proposes choosing among"
				    " sanctioned:", s->id);
		}
	}
}

int
main(int argc, char **argv)
{
	const char *paths[2];
	struct report_opts o;
	struct ruleset *rs;
	struct report *r;
	struct store *st;
	struct diags *d;
	char err[256];
	size_t proposing = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: walkrecs DB RULES_DIR POLICY\n");
		return 2;
	}
	paths[0] = argv[2];
	paths[1] = argv[3];
	d = diags_new();
	rs = rules_load(paths, 2, d);
	diags_print(d, stderr);
	diags_free(d);
	if (rs == NULL)
		return 2;
	if ((st = store_open(argv[1], STORE_RDONLY, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.since_us = STORE_TIME_MIN;
	o.until_us = STORE_TIME_MAX;
	o.rules = rs;
	if ((r = report_build_opts(st, &o)) == NULL) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		return 2;
	}
	walk(r, rs, paths, &proposing);
	printf("%s: %zu recommendations (%zu about a category's tool)"
	    " walked against %zu policy verdicts, %d violations\n", argv[1],
	    r->nrecs, proposing, rules_nservices(rs), bad);
	if (proposing == 0) {
		fprintf(stderr, "no recommendation proposes a tool\n");
		bad++;
	}
	report_free(r);
	store_close(st);
	rules_free(rs);
	return bad > 0 ? 1 : 0;
}
