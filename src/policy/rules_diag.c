/* SPDX-License-Identifier: ISC */
/*
 * rules_diag.c: the diagnostics of the rule language. Collects every
 * problem as file:line:col with a message, at most RULES_DIAGS_MAX per
 * file, quotes offending tokens safely and suggests the closest known
 * word ("did you mean"). Nothing here stops loading.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

#define SUGGEST_DIST		2	/* Levenshtein bound for "did you mean" */
#define SUGGEST_LEN		64	/* longer words get no suggestion */

struct diags {
	struct diag	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 nerr;
	char		**files;	/* interned file names */
	size_t		 nfiles;
};

struct diags *
diags_new(void)
{
	return xcalloc(1, sizeof(struct diags));
}

void
diags_free(struct diags *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	free(d->v);
	free(d);
}

size_t
diags_count(const struct diags *d)
{
	return d->n;
}

size_t
diags_errors(const struct diags *d)
{
	return d->nerr;
}

size_t
diags_warnings(const struct diags *d)
{
	return d->n - d->nerr;
}

const struct diag *
diags_at(const struct diags *d, size_t i)
{
	return i < d->n ? &d->v[i] : NULL;
}

const char *
diags_intern(struct diags *d, const char *file)
{
	size_t i;

	for (i = d->nfiles; i > 0; i--)
		if (strcmp(d->files[i - 1], file) == 0)
			return d->files[i - 1];
	d->files = xreallocarray(d->files, d->nfiles + 1, sizeof(char *));
	d->files[d->nfiles] = xstrdup(file);
	return d->files[d->nfiles++];
}

static size_t
diags_rank(const struct diags *d, const char *file)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++)
		if (d->files[i] == file)
			return i;
	return d->nfiles;
}

void
diags_vadd(struct diags *d, enum diag_level level, const char *file,
    int line, int col, const char *fmt, va_list ap)
{
	struct diag *g;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xreallocarray(d->v, d->cap, sizeof(struct diag));
	}
	g = &d->v[d->n++];
	g->file = diags_intern(d, file != NULL ? file : "(null)");
	g->line = line;
	g->col = col;
	g->level = level;
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
	if (level == DIAG_ERROR)
		d->nerr++;
}

void
diags_add(struct diags *d, enum diag_level level, const char *file, int line,
    int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, level, file, line, col, fmt, ap);
	va_end(ap);
}

char *
diag_format(const struct diag *g, char *buf, size_t len)
{
	const char *lv = g->level == DIAG_ERROR ? "error" : "warning";

	if (g->line <= 0)
		(void)snprintf(buf, len, "%s: %s: %s", g->file, lv, g->msg);
	else
		(void)snprintf(buf, len, "%s:%d:%d: %s: %s", g->file, g->line,
		    g->col, lv, g->msg);
	return buf;
}

void
diags_print(const struct diags *d, FILE *fp)
{
	char line[DIAG_LINE_MAX];
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(fp, "%s\n", diag_format(&d->v[i], line, sizeof(line)));
}

/* Sorts v[from..n) by (file rank, line, col), keeping emission order. */
struct diag_key {
	size_t	rank;
	size_t	seq;
	int	line;
	int	col;
};

static int
diag_key_cmp(const void *a, const void *b)
{
	const struct diag_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
diags_sort_from(struct diags *d, size_t from)
{
	struct diag_key *k;
	struct diag *tmp;
	size_t i, n = d->n - from;

	if (n < 2)
		return;
	k = xreallocarray(NULL, n, sizeof(*k));
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	for (i = 0; i < n; i++) {
		k[i].rank = diags_rank(d, d->v[from + i].file);
		k[i].seq = i;
		k[i].line = d->v[from + i].line;
		k[i].col = d->v[from + i].col;
	}
	qsort(k, n, sizeof(*k), diag_key_cmp);
	for (i = 0; i < n; i++)
		tmp[i] = d->v[from + k[i].seq];
	memcpy(d->v + from, tmp, n * sizeof(*tmp));
	free(tmp);
	free(k);
}

/* Message helpers. */

/*
 * Copies a token into buf for quoting in a message: printable ASCII is
 * kept, everything else becomes \xNN, and long tokens end in "...".
 */
const char *
rules_quote(char *buf, size_t bufsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; i < len && n + 8 < bufsz && i < QUOTE_MAX; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[n++] = (char)c;
		} else {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 0xf];
		}
	}
	if (i < len) {
		buf[n++] = '.';
		buf[n++] = '.';
		buf[n++] = '.';
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Edit distance with adjacent transpositions (optimal string alignment),
 * so "domian" is one edit from "domain". Words longer than SUGGEST_LEN get
 * SIZE_MAX.
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v;
	size_t r0[SUGGEST_LEN + 1], r1[SUGGEST_LEN + 1], r2[SUGGEST_LEN + 1];
	size_t *pp = r0, *p = r1, *c = r2, *t;

	if (la > SUGGEST_LEN || lb > SUGGEST_LEN)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			v = p[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (v > p[j] + 1)
				v = p[j] + 1;
			if (v > c[j - 1] + 1)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && v > pp[j - 2] + 1)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

void
rules_suggest_try(struct suggest *sg, const char *word, const char *cand)
{
	size_t dist = edit_distance(word, cand);

	if (dist <= SUGGEST_DIST && dist > 0 && dist < strlen(word) &&
	    (sg->best == NULL || dist < sg->dist)) {
		sg->best = cand;
		sg->dist = dist;
	}
}

const char *
rules_suggest_list(const char *word, const char *const *cands, size_t n)
{
	struct suggest sg = { NULL, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		rules_suggest_try(&sg, word, cands[i]);
	return sg.best;
}

/* Formats "; did you mean \"x\"?" or "" into buf. */
const char *
didyoumean(char *buf, size_t bufsz, const char *best)
{
	char q[QUOTE_MAX * 4 + 8];

	if (best == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, bufsz, "; did you mean \"%s\"?",
		    rules_quote(q, sizeof(q), best, strlen(best)));
	return buf;
}

static int
diag_budget(struct ruleset *rs, struct diags *d, const char *file,
    size_t rank, int line)
{
	if (rank >= rs->nfiles)
		return 1;
	if (rs->ndiag[rank] == RULES_DIAGS_MAX) {
		diags_add(d, DIAG_ERROR, file, line, 1,
		    "too many problems; not reporting more for this file");
		rs->ndiag[rank]++;
		return 0;
	}
	if (rs->ndiag[rank] > RULES_DIAGS_MAX)
		return 0;
	rs->ndiag[rank]++;
	return 1;
}

/* An error at column col of the current line. */
void
perr(struct parser *ps, int col, const char *fmt, ...)
{
	va_list ap;

	if (!diag_budget(ps->rs, ps->d, ps->file, ps->rank, ps->line)) {
		ps->gaveup = 1;
		return;
	}
	va_start(ap, fmt);
	diags_vadd(ps->d, DIAG_ERROR, ps->file, ps->line, col, fmt, ap);
	va_end(ap);
}

void
pwarn(struct parser *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (!diag_budget(ps->rs, ps->d, ps->file, ps->rank, line))
		return;
	va_start(ap, fmt);
	diags_vadd(ps->d, DIAG_WARNING, ps->file, line, col, fmt, ap);
	va_end(ap);
}

/* A diagnostic found after parsing, at an arbitrary place. */
void
rerr(struct ruleset *rs, struct diags *d, const char *file, size_t rank,
    int line, int col, enum diag_level level, const char *fmt, ...)
{
	va_list ap;

	if (!diag_budget(rs, d, file, rank, line))
		return;
	va_start(ap, fmt);
	diags_vadd(d, level, file, line, col, fmt, ap);
	va_end(ap);
}
