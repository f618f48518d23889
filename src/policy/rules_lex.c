/* SPDX-License-Identifier: ISC */
/*
 * rules_lex.c: splits one line of a rule file into tokens (words, quoted
 * strings, braces); "#" starts a comment. Strings must be valid UTF-8
 * with only \" and \\ escapes. A bad line is reported once, at its
 * first problem, and the rest of it is ignored.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

/* Returns the length of the UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
is_word(unsigned char c)
{
	return c > 0x20 && c != 0x7f && c != '"' && c != '{' && c != '}' &&
	    c != '#';
}

static struct tok *
tok_push(struct parser *ps, enum tok_type type, int col)
{
	struct tok *t;

	if (ps->ntok == ps->captok) {
		ps->captok = ps->captok ? ps->captok * 2 : 16;
		ps->tok = xreallocarray(ps->tok, ps->captok, sizeof(*ps->tok));
	}
	t = &ps->tok[ps->ntok++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->col = col;
	return t;
}

/*
 * Splits one line into tokens. Returns 0, or -1 after reporting the first
 * problem (the rest of the line is then ignored).
 */
int
rules_lex_line(struct parser *ps, const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line;
	struct tok *t;
	size_t i = 0, o = 0, start, k, n;

	ps->ntok = 0;
	if (len * 2 + 2 > ps->sbufcap) {
		ps->sbufcap = len * 2 + 2;
		free(ps->sbuf);
		ps->sbuf = xmalloc(ps->sbufcap);
	}
	while (i < len) {
		if (is_space(p[i])) {
			i++;
			continue;
		}
		if (p[i] == '#')
			break;
		if (p[i] == '{' || p[i] == '}') {
			t = tok_push(ps, p[i] == '{' ? T_LBRACE : T_RBRACE,
			    (int)i + 1);
			t->off = o;
			ps->sbuf[o++] = (char)p[i];
			ps->sbuf[o++] = '\0';
			t->len = 1;
			t->endcol = (int)i + 2;
			i++;
			continue;
		}
		if (p[i] == '"') {
			t = tok_push(ps, T_STRING, (int)i + 1);
			t->off = o;
			start = o;
			for (i++;; i++) {
				if (i >= len) {
					perr(ps, t->col, "unterminated string");
					return -1;
				}
				if (p[i] == '"')
					break;
				if (p[i] == '\\') {
					if (i + 1 < len &&
					    (p[i + 1] == '"' || p[i + 1] == '\\')) {
						ps->sbuf[o++] = (char)p[++i];
						continue;
					}
					perr(ps, (int)i + 1, "bad escape in "
					    "string; only \\\" and \\\\ are "
					    "allowed");
					return -1;
				}
				if (p[i] < 0x20 || p[i] == 0x7f) {
					perr(ps, (int)i + 1, "control byte "
					    "0x%02x in string", p[i]);
					return -1;
				}
				n = utf8_len(p + i, len - i);
				if (n == 0) {
					perr(ps, (int)i + 1,
					    "invalid UTF-8 in string");
					return -1;
				}
				for (k = 0; k < n; k++)
					ps->sbuf[o++] = (char)p[i + k];
				i += n - 1;
			}
			t->len = o - start;
			ps->sbuf[o++] = '\0';
			t->endcol = (int)i + 2;
			i++;
			continue;
		}
		if (!is_word(p[i])) {
			perr(ps, (int)i + 1, "unexpected control byte 0x%02x",
			    p[i]);
			return -1;
		}
		t = tok_push(ps, T_WORD, (int)i + 1);
		t->off = o;
		start = o;
		while (i < len && is_word(p[i]))
			ps->sbuf[o++] = (char)p[i++];
		t->len = o - start;
		ps->sbuf[o++] = '\0';
		t->endcol = (int)i + 1;
	}
	for (k = 0; k < ps->ntok; k++)
		ps->tok[k].s = ps->sbuf + ps->tok[k].off;
	return 0;
}

const char *
tok_desc(char *buf, size_t bufsz, const struct tok *t)
{
	char q[QUOTE_MAX * 4 + 8];

	snprintf(buf, bufsz, "\"%s\"", rules_quote(q, sizeof(q), t->s, t->len));
	return buf;
}

/* Ids: lowercase letters, digits and '-', starting with a letter or digit. */
int
rules_check_id(struct parser *ps, const struct tok *t, const char *what,
    size_t max)
{
	char q[QUOTE_MAX * 4 + 8];
	size_t i;

	if (t->type != T_WORD) {
		perr(ps, t->col, "expected a %s id, not %s", what,
		    t->type == T_STRING ? "a quoted string" :
		    t->type == T_LBRACE ? "\"{\"" : "\"}\"");
		return -1;
	}
	for (i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c == '-' && i > 0)))
			break;
	}
	if (i < t->len || t->len == 0) {
		perr(ps, t->col, "bad %s id \"%s\": use lowercase letters, "
		    "digits and \"-\"", what, rules_quote(q, sizeof(q), t->s,
		    t->len));
		return -1;
	}
	if (t->len > max) {
		perr(ps, t->col, "%s id \"%s\" is longer than %zu bytes",
		    what, rules_quote(q, sizeof(q), t->s, t->len), max);
		return -1;
	}
	return 0;
}
