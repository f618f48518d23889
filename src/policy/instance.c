/* SPDX-License-Identifier: ISC */
/*
 * instance.c: the "instance" and "instance-except" keys of a service, the
 * policy's "VERDICT service ID when instance is A, B" statements, and
 * the lookups over them (instance.h). A placeholder "{x}" stands for
 * exactly one label, or the part of one between fixed text.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "base/hostname.h"
#include "policy/instance.h"
#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

#define LABELS_MAX	128	/* a 253-byte name has at most 127 */

struct inst_exc {
	const char	*glob;		/* "app", "us*web" */
	size_t		 service;
};

struct inst_stmt {
	size_t		 service;	/* SIZE_MAX until resolved */
	const char	*svcid;
	const char	*name;		/* NULL: "any other" */
	enum verdict	 verdict;
	size_t		 rank;
	struct rule_loc	 loc;
};

struct inst_tab {
	struct rule_instance	*pat;
	size_t			 npat, cappat, patstart;
	struct inst_exc		*exc;
	size_t			 nexc, capexc, excstart;
	struct inst_stmt	*st;
	size_t			 nst, capst;
};

static struct inst_tab *
tab(struct ruleset *rs)
{
	if (rs->inst == NULL)
		rs->inst = xcalloc(1, sizeof(*rs->inst));
	return rs->inst;
}

void
instance_free(struct ruleset *rs)
{
	if (rs->inst == NULL)
		return;
	free(rs->inst->pat);
	free(rs->inst->exc);
	free(rs->inst->st);
	free(rs->inst);
	rs->inst = NULL;
}

static int
label_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_';
}

/*
 * Validates a pattern and writes it in lowercase to out. Returns NULL or
 * why it is not one.
 */
static const char *
pattern_check(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i, label = 0, tail = 0, holes = 0, inlabel = 0;
	int c, inhole = 0, hname = 0;

	if (len == 0)
		return "empty pattern";
	if (len >= outsz || len > NAME_MAX_LEN)
		return "longer than 253 bytes";
	for (i = 0; i <= len; i++) {
		c = i < len ? (unsigned char)s[i] : '.';
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (i < len)
			out[i] = (char)c;
		if (inhole) {
			if (c == '}') {
				if (hname == 0)
					return "a placeholder needs a name, "
					    "as \"{tenant}\"";
				inhole = 0;
			} else if (c >= 'a' && c <= 'z')
				hname++;
			else if (c == '.')
				return "unclosed placeholder";
			else
				return "a placeholder's name is letters "
				    "only, as \"{tenant}\"";
			continue;
		}
		if (c == '{') {
			if (inlabel)
				return "at most one placeholder per label";
			inhole = inlabel = 1;
			hname = 0;
			holes++;
			label++;
			continue;
		}
		if (c == '.') {
			if (label == 0)
				return "empty label";
			tail = inlabel ? 0 : tail + 1;
			label = inlabel = 0;
			continue;
		}
		if (c == '}')
			return "\"}\" without \"{\"";
		if (c == '*')
			return "write a placeholder \"{name}\", not \"*\"";
		if (!label_char(c))
			return "only letters, digits, \"-\", \"_\", \".\" and "
			    "placeholders are allowed";
		if (++label > 63)
			return "label longer than 63 bytes";
	}
	if (inhole)
		return "unclosed placeholder";
	out[len] = '\0';
	if (holes == 0)
		return "no placeholder; write the customer's label as "
		    "\"{tenant}\"";
	if (tail < 2)
		return "too broad: end in at least two fixed labels";
	return NULL;
}

/* The labels of s, left to right; returns their number or -1. */
static int
labels(const char *s, const char *lab[LABELS_MAX], size_t len[LABELS_MAX])
{
	int n = 0;
	const char *dot;

	for (;;) {
		if (n == LABELS_MAX)
			return -1;
		lab[n] = s;
		dot = strchr(s, '.');
		len[n] = dot != NULL ? (size_t)(dot - s) : strlen(s);
		n++;
		if (dot == NULL)
			return n;
		s = dot + 1;
	}
}

/*
 * Matches name against pattern, label by label; on a match copies the
 * first placeholder's text to buf and returns 1.
 */
static int
pattern_match(const char *pat, const char *name, char *buf, size_t bufsz)
{
	const char *pl[LABELS_MAX], *nl[LABELS_MAX], *o, *c;
	size_t plen[LABELS_MAX], nlen[LABELS_MAX], pre, suf, k;
	int np, nn, i, got = 0;

	if ((np = labels(pat, pl, plen)) == -1 ||
	    (nn = labels(name, nl, nlen)) == -1 || np != nn)
		return 0;
	for (i = np - 1; i >= 0; i--) {
		o = memchr(pl[i], '{', plen[i]);
		if (o == NULL) {
			if (plen[i] != nlen[i] ||
			    memcmp(pl[i], nl[i], plen[i]) != 0)
				return 0;
			continue;
		}
		c = memchr(o, '}', plen[i] - (size_t)(o - pl[i]));
		pre = (size_t)(o - pl[i]);
		suf = plen[i] - (size_t)(c - pl[i]) - 1;
		if (nlen[i] <= pre + suf || memcmp(nl[i], pl[i], pre) != 0 ||
		    memcmp(nl[i] + nlen[i] - suf, c + 1, suf) != 0)
			return 0;
		for (k = pre; k < nlen[i] - suf; k++)
			if (!label_char((unsigned char)nl[i][k]))
				return 0;
		got = i + 1;
		if (bufsz > nlen[i] - suf - pre) {
			memcpy(buf, nl[i] + pre, nlen[i] - suf - pre);
			buf[nlen[i] - suf - pre] = '\0';
		} else
			return 0;
	}
	return got != 0;
}

/* "app" matches "app"; "us*web" anything from "us" to "web". */
static int
glob_match(const char *g, const char *s)
{
	const char *star = strchr(g, '*');
	size_t pre, suf, n = strlen(s);

	if (star == NULL)
		return strcmp(g, s) == 0;
	pre = (size_t)(star - g);
	suf = strlen(star + 1);
	return n >= pre + suf && strncmp(g, s, pre) == 0 &&
	    strcmp(s + n - suf, star + 1) == 0;
}

static size_t
svc_index(const struct ruleset *rs, const struct service *s)
{
	if (s == NULL || s < rs->svc || s >= rs->svc + rs->nsvc)
		return SIZE_MAX;
	return (size_t)(s - rs->svc);
}

int
instance_find(const struct ruleset *rs, const struct service *s,
    const char *name, char *buf, size_t len,
    const struct rule_instance **why)
{
	const struct inst_tab *t = rs != NULL ? rs->inst : NULL;
	size_t i, j, si = rs != NULL ? svc_index(rs, s) : SIZE_MAX;

	if (why != NULL)
		*why = NULL;
	if (len > 0)
		buf[0] = '\0';
	if (t == NULL || si == SIZE_MAX || name == NULL || len == 0)
		return 0;
	for (i = 0; i < t->npat; i++) {
		if (t->pat[i].service != si ||
		    !pattern_match(t->pat[i].pattern, name, buf, len))
			continue;
		for (j = 0; j < t->nexc; j++) {
			if (t->exc[j].service == si &&
			    glob_match(t->exc[j].glob, buf)) {
				buf[0] = '\0';
				return 0;
			}
		}
		if (why != NULL)
			*why = &t->pat[i];
		return 1;
	}
	buf[0] = '\0';
	return 0;
}

/* The statement deciding inst of service si; *named: one listing it. */
static const struct inst_stmt *
stmt_for(const struct inst_tab *t, size_t si, const char *inst, int *named)
{
	const struct inst_stmt *first = NULL, *other = NULL, *hit = NULL;
	size_t i;

	for (i = 0; i < t->nst; i++) {
		if (t->st[i].service != si)
			continue;
		if (t->st[i].name == NULL)
			other = &t->st[i];
		else {
			if (first == NULL)
				first = &t->st[i];
			if (strcmp(t->st[i].name, inst) == 0)
				hit = &t->st[i];
		}
	}
	*named = hit != NULL;
	if (hit != NULL)
		return hit;
	if (first == NULL)
		return NULL;	/* no instance is named: nothing to tell */
	return other != NULL ? other : first;
}

int
instance_is_other(const struct ruleset *rs, const struct service *s,
    const char *inst)
{
	size_t si = rs != NULL ? svc_index(rs, s) : SIZE_MAX;
	int named;

	if (si == SIZE_MAX || rs->inst == NULL || inst == NULL ||
	    inst[0] == '\0')
		return 0;
	return stmt_for(rs->inst, si, inst, &named) != NULL && !named;
}

int
instance_decide(const struct ruleset *rs, const struct service *s,
    const char *inst, struct decision *why)
{
	const struct inst_stmt *st;
	size_t si = rs != NULL ? svc_index(rs, s) : SIZE_MAX;
	int named;

	if (si == SIZE_MAX || rs->inst == NULL || inst == NULL ||
	    inst[0] == '\0' ||
	    (st = stmt_for(rs->inst, si, inst, &named)) == NULL)
		return 0;
	memset(why, 0, sizeof(*why));
	why->verdict = named || st->name == NULL ? st->verdict :
	    VERDICT_UNSANCTIONED;
	why->level = RULE_SERVICE;
	why->loc = st->loc;
	return named ? INSTANCE_LISTED : st->name == NULL ? INSTANCE_OTHER :
	    INSTANCE_BUILTIN;
}

size_t
instance_npatterns(const struct ruleset *rs)
{
	return rs->inst != NULL ? rs->inst->npat : 0;
}

const struct rule_instance *
instance_pattern_at(const struct ruleset *rs, size_t i)
{
	return i < instance_npatterns(rs) ? &rs->inst->pat[i] : NULL;
}

/* The parser's side. */

void
instance_block_start(struct parser *ps)
{
	struct inst_tab *t = tab(ps->rs);

	t->patstart = t->npat;
	t->excstart = t->nexc;
}

void
instance_block_end(struct parser *ps)
{
	struct inst_tab *t = ps->rs->inst;
	size_t j, k;

	if (t == NULL)
		return;
	if (ps->discard) {
		t->npat = t->patstart;
		t->nexc = t->excstart;
		return;
	}
	if (!ps->override)
		return;
	/* An override's patterns replace the catalog's, as its domains do. */
	for (j = k = 0; j < t->npat; j++) {
		if (j < t->patstart && t->pat[j].service == ps->ovidx)
			continue;
		if (j >= t->patstart)
			t->pat[j].service = ps->ovidx;
		t->pat[k++] = t->pat[j];
	}
	t->npat = k;
	for (j = k = 0; j < t->nexc; j++) {
		if (j < t->excstart && t->exc[j].service == ps->ovidx)
			continue;
		if (j >= t->excstart)
			t->exc[j].service = ps->ovidx;
		t->exc[k++] = t->exc[j];
	}
	t->nexc = k;
}

/* "instance PATTERN..." and "instance-except LABEL...". */
void
instance_key(struct parser *ps, int except)
{
	char q[QUOTE_MAX * 4 + 8], norm[HOSTNAME_SIZE];
	struct ruleset *rs = ps->rs;
	struct inst_tab *t = tab(rs);
	const struct tok *tk;
	const char *why;
	size_t i, k;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "missing value for \"%s\"",
		    ps->tok[0].s);
		return;
	}
	for (i = 1; i < ps->ntok; i++) {
		tk = &ps->tok[i];
		if (except) {
			why = NULL;
			if (tk->type != T_WORD)
				why = "write labels without quotes";
			for (k = 0; why == NULL && k < tk->len; k++)
				if (!label_char(tk->s[k]) && tk->s[k] != '*')
					why = "a label is lowercase letters, "
					    "digits, \"-\" and \"_\", with at "
					    "most one \"*\"";
			if (why == NULL && (tk->len > INSTANCE_MAX ||
			    strchr(tk->s, '*') != strrchr(tk->s, '*')))
				why = "a label is lowercase letters, digits, "
				    "\"-\" and \"_\", with at most one \"*\"";
			if (why != NULL) {
				perr(ps, tk->col, "bad instance-except \"%s\": "
				    "%s", rules_quote(q, sizeof(q), tk->s,
				    tk->len), why);
				continue;
			}
			if (ps->discard)
				continue;
			if (t->nexc == t->capexc) {
				t->capexc = t->capexc ? t->capexc * 2 : 32;
				t->exc = xreallocarray(t->exc, t->capexc,
				    sizeof(*t->exc));
			}
			t->exc[t->nexc].glob = rules_arena_dup(rs, tk->s,
			    tk->len);
			t->exc[t->nexc++].service = rs->nsvc;
			continue;
		}
		if (tk->type != T_STRING) {
			/* Unquoted, "{" and "}" split it: one error. */
			perr(ps, tk->col, "put instance patterns in double "
			    "quotes, as \"{tenant}.example.com\"");
			return;
		}
		if ((why = pattern_check(tk->s, tk->len, norm,
		    sizeof(norm))) != NULL) {
			perr(ps, tk->col, "bad instance pattern \"%s\": %s",
			    rules_quote(q, sizeof(q), tk->s, tk->len), why);
			continue;
		}
		if (ps->discard)
			continue;
		if (t->npat == t->cappat) {
			t->cappat = t->cappat ? t->cappat * 2 : 32;
			t->pat = xreallocarray(t->pat, t->cappat,
			    sizeof(*t->pat));
		}
		t->pat[t->npat].pattern = rules_arena_dup(rs, norm,
		    strlen(norm));
		t->pat[t->npat].service = rs->nsvc;
		t->pat[t->npat].loc.file = ps->file;
		t->pat[t->npat].loc.line = ps->line;
		t->pat[t->npat].loc.col = tk->col;
		t->npat++;
	}
}

static void
stmt_push(struct parser *ps, const struct tok *id, const char *name,
    size_t nlen, enum verdict v, int col)
{
	struct inst_tab *t = tab(ps->rs);
	struct inst_stmt *st;

	if (t->nst == t->capst) {
		t->capst = t->capst ? t->capst * 2 : 16;
		t->st = xreallocarray(t->st, t->capst, sizeof(*t->st));
	}
	st = &t->st[t->nst++];
	st->service = SIZE_MAX;
	st->svcid = rules_arena_dup(ps->rs, id->s, id->len);
	st->name = name != NULL ? rules_arena_dup(ps->rs, name, nlen) : NULL;
	st->verdict = v;
	st->rank = ps->rank;
	st->loc.file = ps->file;
	st->loc.line = ps->line;
	st->loc.col = col;
}

/*
 * "VERDICT service ID when instance is A, B" (ps->tok[when] is "when"):
 * returns 1 when the service's own verdict is to be set too (the first
 * statement that lists instances of ID), 0 otherwise and on errors.
 */
int
instance_stmt(struct parser *ps, enum verdict v, size_t when)
{
	char q[QUOTE_MAX * 4 + 8];
	const struct tok *tk;
	const char *w, *comma;
	size_t i, n, listed = 0, before = 0;
	struct inst_tab *t = tab(ps->rs);

	if (ps->block == B_DEPARTMENT) {
		perr(ps, ps->tok[when].col, "\"when instance is\" is "
		    "organisation-wide; write it outside a department");
		return 0;
	}
	if (when != 3) {
		perr(ps, ps->tok[when < 3 ? when : 3].col, "\"when instance "
		    "is\" follows exactly one service id");
		return 0;
	}
	if (ps->ntok < when + 4 || strcmp(ps->tok[when + 1].s, "instance") !=
	    0 || strcmp(ps->tok[when + 2].s, "is") != 0) {
		perr(ps, ps->tok[when].endcol, "expected \"when instance is "
		    "NAME, ...\"");
		return 0;
	}
	if (ps->ntok == when + 5 && strcmp(ps->tok[when + 3].s, "any") == 0 &&
	    strcmp(ps->tok[when + 4].s, "other") == 0) {
		stmt_push(ps, &ps->tok[2], NULL, 0, v, ps->tok[when + 3].col);
		return 0;
	}
	for (i = 0; i < t->nst; i++)
		if (t->st[i].name != NULL &&
		    strcmp(t->st[i].svcid, ps->tok[2].s) == 0)
			before++;
	for (i = when + 3; i < ps->ntok; i++) {
		tk = &ps->tok[i];
		if (tk->type != T_WORD) {
			perr(ps, tk->col, "expected an instance name, not %s",
			    tok_desc(q, sizeof(q), tk));
			return 0;
		}
		for (w = tk->s; *w != '\0'; w = *comma ? comma + 1 : comma) {
			comma = strchr(w, ',');
			if (comma == NULL)
				comma = w + strlen(w);
			n = (size_t)(comma - w);
			if (n == 0)
				continue;
			if (n > INSTANCE_MAX || strspn(w, "abcdefghijklmnopq"
			    "rstuvwxyz0123456789-_") < n) {
				perr(ps, tk->col + (int)(w - tk->s), "bad "
				    "instance \"%s\": one label of lowercase "
				    "letters, digits, \"-\" and \"_\"",
				    rules_quote(q, sizeof(q), w, n));
				return 0;
			}
			stmt_push(ps, &ps->tok[2], w, n, v,
			    tk->col + (int)(w - tk->s));
			listed++;
		}
	}
	if (listed == 0) {
		perr(ps, ps->tok[when + 2].endcol, "expected an instance name "
		    "after \"is\"");
		return 0;
	}
	return before == 0;
}

void
instance_resolve(struct ruleset *rs, struct diags *d)
{
	struct inst_tab *t = rs->inst;
	size_t i, si;

	for (i = 0; t != NULL && i < t->nst; i++) {
		if (rules_strmap_get(&rs->svcmap, t->st[i].svcid, &si))
			t->st[i].service = si;
		else if (t->st[i].name == NULL)
			rerr(rs, d, t->st[i].loc.file, t->st[i].rank,
			    t->st[i].loc.line, t->st[i].loc.col, DIAG_ERROR,
			    "unknown service \"%s\"", t->st[i].svcid);
	}
}
