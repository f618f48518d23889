/* SPDX-License-Identifier: ISC */
/*
 * rules_parse.c: reads rule files a line at a time. Dispatches each
 * statement, and parses the catalog's blocks: "service", "override
 * service" and "category" with their keys. Every problem becomes a
 * diagnostic and parsing resumes at the next line or block, so one run
 * reports every error of every file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hostname.h"
#include "policy/rules.h"
#include "policy/rules_int.h"
#include "policy/rulesrc.h"
#include "base/util.h"

static const char *const key_names[K_NKEYS] = {
	"name", "vendor", "category", "risk", "notes", "domains", "except",
	"ips", "asns", "ja4", "protocols", "ports", "instance",
	"instance-except", "description",
};

static const char *const stmt_names[] = {
	"service", "category", "default", "sanctioned", "tolerated",
	"unsanctioned", "department", "ignore", "unknown", "alert",
	"override", "reliability", "pick-one", "local-networks", "use",
};

static const char *const risk_names[] = {
	"low", "medium", "high", "critical",
};

static const char *const protocol_names[] = {
	"ssh", "rdp", "vnc", "teamviewer", "anydesk", "radmin", "nomachine",
	"rustdesk", "openvpn", "wireguard", "ipsec", "pptp", "l2tp", "socks",
	"http-connect", "tor", "bittorrent", "edonkey", "syncthing", "dot",
	"doq", "doh", "dnscrypt", "stun", "quic", "tinc", "xmpp", "whatsapp",
	"ms-stun", "gquic-rtp", "discord-voice", "whatsapp-call", "sip",
};

int
rules_protocol_known(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < nitems(protocol_names); i++)
		if (strcmp(name, protocol_names[i]) == 0)
			return 1;
	return 0;
}

static void
block_open(struct parser *ps, enum block kind)
{
	char q[QUOTE_MAX * 4 + 8];
	const struct tok *id;
	size_t prev;
	const char *what = kind == B_SERVICE ? "service" : "category";
	const char *pf;
	int pl;

	ps->block = B_SKIP;
	if (ps->ntok < 2 || ps->tok[1].type == T_LBRACE) {
		perr(ps, ps->ntok < 2 ? ps->tok[0].endcol : ps->tok[1].col,
		    "expected a %s id after \"%s\"", what, what);
		return;
	}
	id = &ps->tok[1];
	ps->discard = rules_check_id(ps, id, what, kind == B_SERVICE ?
	    SERVICE_ID_MAX : CATEGORY_MAX) == -1;
	ps->block = kind;
	ps->bline = ps->line;
	ps->bcol = ps->override ? ps->ovcol : ps->tok[0].col;
	ps->idcol = id->col;
	ps->berrs = diags_errors(ps->d);
	strlcpy(ps->bid, ps->discard ? "" : id->s, sizeof(ps->bid));
	ps->need_brace = 0;
	memset(ps->seen, 0, sizeof(ps->seen));
	ps->domstart = ps->rs->ndom;
	ps->ndomains = 0;
	ps->itemstart = ps->rs->nitem;
	instance_block_start(ps);
	if (ps->ntok == 2)
		ps->need_brace = 1;
	else if (ps->tok[2].type != T_LBRACE) {
		perr(ps, ps->tok[2].col, "expected \"{\" after %s \"%s\", "
		    "not %s", what, ps->bid, tok_desc(q, sizeof(q),
		    &ps->tok[2]));
		if (ps->tok[ps->ntok - 1].type != T_LBRACE)
			ps->need_brace = 1;
	} else if (ps->ntok > 3)
		perr(ps, ps->tok[3].col, "unexpected %s after \"{\"; put "
		    "each key on a line of its own",
		    tok_desc(q, sizeof(q), &ps->tok[3]));
	if (ps->discard)
		return;
	if (kind == B_SERVICE && ps->override) {
		if (!rules_strmap_get(&ps->rs->svcmap, ps->bid, &prev)) {
			struct suggest sg = { NULL, 0 };
			char dy[QUOTE_MAX * 4 + 32];
			size_t j;

			for (j = 0; j < ps->rs->nsvc; j++)
				rules_suggest_try(&sg, ps->bid,
				    ps->rs->svc[j].id);
			perr(ps, id->col, "override of unknown service "
			    "\"%s\"%s", ps->bid, didyoumean(dy, sizeof(dy),
			    sg.best));
			ps->discard = 1;
		} else if (ps->rs->svcx[prev].override.file != NULL) {
			perr(ps, id->col, "service \"%s\" is already "
			    "overridden at %s:%d", ps->bid,
			    ps->rs->svcx[prev].override.file,
			    ps->rs->svcx[prev].override.line);
			ps->discard = 1;
		} else
			ps->ovidx = prev;
	} else if (kind == B_SERVICE) {
		if (rules_strmap_get(&ps->rs->svcmap, ps->bid, &prev)) {
			pf = ps->rs->svc[prev].file;
			pl = ps->rs->svc[prev].line;
			if (pf != ps->file)
				perr(ps, id->col, "duplicate service \"%s\"; "
				    "first defined at %s:%d; to replace it, "
				    "write \"override service %s\"", ps->bid,
				    pf, pl, ps->bid);
			else
				perr(ps, id->col, "duplicate service \"%s\"; "
				    "first defined at %s:%d", ps->bid, pf, pl);
			ps->discard = 1;
		}
	}
	if (kind == B_SERVICE) {
		memset(&ps->cur, 0, sizeof(ps->cur));
		memset(&ps->curx, 0, sizeof(ps->curx));
		strlcpy(ps->cur.id, ps->bid, sizeof(ps->cur.id));
		ps->cur.file = ps->file;
		ps->cur.line = ps->line;
		ps->curx.rank = ps->rank;
		if (ps->override) {
			ps->curx.override.file = ps->file;
			ps->curx.override.line = ps->line;
			ps->curx.override.col = ps->bcol;
		}
	} else {
		if (rules_strmap_get(&ps->rs->catmap, ps->bid, &prev)) {
			pf = ps->rs->cat[prev].file;
			pl = ps->rs->cat[prev].line;
			perr(ps, id->col, "duplicate category \"%s\"; first "
			    "defined at %s:%d", ps->bid, pf, pl);
			ps->discard = 1;
		}
		memset(&ps->curcat, 0, sizeof(ps->curcat));
		strlcpy(ps->curcat.id, ps->bid, sizeof(ps->curcat.id));
		ps->curcat.file = ps->file;
		ps->curcat.line = ps->line;
	}
}

void
rules_block_close(struct parser *ps)
{
	struct ruleset *rs = ps->rs;
	const char *what = ps->block == B_SERVICE ? "service" : "category";
	size_t j, k;

	if (ps->block == B_SKIP || ps->block == B_NONE) {
		ps->block = B_NONE;
		ps->override = 0;
		return;
	}
	if (ps->block == B_DEPARTMENT) {
		ps->block = B_NONE;
		ps->discard = 0;
		return;
	}
	/*
	 * A block with an error inside may lack a key only because its line
	 * did not parse: the first cause is reported, not its consequences.
	 */
	if (!ps->discard && diags_errors(ps->d) == ps->berrs) {
		if (!ps->seen[K_NAME])
			rerr(rs, ps->d, ps->file, ps->rank, ps->bline,
			    ps->idcol, DIAG_ERROR, "missing required key "
			    "\"name\" in %s \"%s\"", what, ps->bid);
		if (ps->block == B_SERVICE && !ps->seen[K_CATEGORY])
			rerr(rs, ps->d, ps->file, ps->rank, ps->bline,
			    ps->idcol, DIAG_ERROR, "missing required key "
			    "\"category\" in service \"%s\"", ps->bid);
		if (ps->block == B_SERVICE && ps->ndomains == 0 &&
		    rs->nitem == ps->itemstart)
			pwarn(ps, ps->bline, ps->idcol, "service \"%s\" has "
			    "no domains, ips, asns, ja4, protocols or ports "
			    "and can never match", ps->bid);
	}
	if (ps->block == B_SERVICE)
		instance_block_end(ps);
	if (ps->discard) {
		if (ps->block == B_SERVICE) {
			rs->ndom = ps->domstart;
			rs->nitem = ps->itemstart;
		}
	} else if (ps->block == B_SERVICE && ps->override) {
		/* The catalog's keys go; the override's take their place. */
		if (!ps->seen[K_NAME])
			strlcpy(ps->cur.name, ps->cur.id,
			    sizeof(ps->cur.name));
		for (j = k = 0; j < rs->ndom; j++) {
			if (j < ps->domstart && rs->dom[j].service == ps->ovidx)
				continue;
			if (j >= ps->domstart)
				rs->dom[j].service = ps->ovidx;
			rs->dom[k++] = rs->dom[j];
		}
		rs->ndom = k;
		for (j = k = 0; j < rs->nitem; j++) {
			if (j < ps->itemstart &&
			    rs->item[j].service == ps->ovidx)
				continue;
			if (j >= ps->itemstart)
				rs->item[j].service = ps->ovidx;
			rs->item[k++] = rs->item[j];
		}
		rs->nitem = k;
		rs->svc[ps->ovidx] = ps->cur;
		rs->svcx[ps->ovidx] = ps->curx;
	} else if (ps->block == B_SERVICE) {
		if (!ps->seen[K_NAME])
			strlcpy(ps->cur.name, ps->cur.id,
			    sizeof(ps->cur.name));
		if (rs->nsvc == rs->capsvc) {
			rs->capsvc = rs->capsvc ? rs->capsvc * 2 : 64;
			rs->svc = xreallocarray(rs->svc, rs->capsvc,
			    sizeof(*rs->svc));
			rs->svcx = xreallocarray(rs->svcx, rs->capsvc,
			    sizeof(*rs->svcx));
		}
		rs->svc[rs->nsvc] = ps->cur;
		rs->svcx[rs->nsvc] = ps->curx;
		rules_strmap_put(&rs->svcmap, rules_arena_dup(rs, ps->cur.id,
		    strlen(ps->cur.id)), rs->nsvc);
		rs->nsvc++;
	} else {
		if (!ps->seen[K_NAME])
			strlcpy(ps->curcat.name, ps->curcat.id,
			    sizeof(ps->curcat.name));
		if (rs->ncat == rs->capcat) {
			rs->capcat = rs->capcat ? rs->capcat * 2 : 32;
			rs->cat = xreallocarray(rs->cat, rs->capcat,
			    sizeof(*rs->cat));
		}
		rs->cat[rs->ncat] = ps->curcat;
		rules_strmap_put(&rs->catmap, rules_arena_dup(rs, ps->curcat.id,
		    strlen(ps->curcat.id)), rs->ncat);
		rs->ncat++;
	}
	ps->block = B_NONE;
	ps->override = 0;
}

void
rules_unterminated(struct parser *ps)
{
	rerr(ps->rs, ps->d, ps->file, ps->rank, ps->bline, ps->bcol,
	    DIAG_ERROR, "unterminated block for %s \"%s\": missing \"}\"",
	    ps->block == B_SERVICE ? "service" : ps->block == B_CATEGORY ?
	    "category" : "department", ps->bid);
}

int
rules_is_block_word(const char *s)
{
	return strcmp(s, "service") == 0 || strcmp(s, "category") == 0 ||
	    strcmp(s, "department") == 0 || strcmp(s, "override") == 0;
}

static int
is_policy_word(const char *s)
{
	enum verdict v;

	return strcmp(s, "default") == 0 || strcmp(s, "ignore") == 0 ||
	    strcmp(s, "unknown") == 0 || strcmp(s, "alert") == 0 ||
	    strcmp(s, "reliability") == 0 || strcmp(s, "pick-one") == 0 ||
	    strcmp(s, "local-networks") == 0 || strcmp(s, "use") == 0 ||
	    rules_parse_verdict(s, &v) == 0;
}

/* "override service ID {": a service block that replaces one. */
static void
stmt_override(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];

	if (ps->ntok < 2 || ps->tok[1].type != T_WORD ||
	    strcmp(ps->tok[1].s, "service") != 0) {
		if (ps->ntok < 2)
			perr(ps, ps->tok[0].endcol, "expected \"service\" "
			    "after \"override\"");
		else
			perr(ps, ps->tok[1].col, "expected \"service\" after "
			    "\"override\", not %s", tok_desc(q, sizeof(q),
			    &ps->tok[1]));
		if (ps->tok[ps->ntok - 1].type == T_LBRACE)
			ps->block = B_SKIP;
		return;
	}
	/* Drop "override" and read the rest as a service header. */
	ps->ovcol = ps->tok[0].col;
	memmove(ps->tok, ps->tok + 1, (ps->ntok - 1) * sizeof(*ps->tok));
	ps->ntok--;
	ps->override = 1;
	block_open(ps, B_SERVICE);
	if (ps->block != B_SERVICE)
		ps->override = 0;
}

void
rules_stmt_top(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	const struct tok *t = &ps->tok[0];
	enum verdict v;

	switch (t->type) {
	case T_RBRACE:
		perr(ps, t->col, "stray \"}\" outside any block");
		return;
	case T_LBRACE:
		perr(ps, t->col, "unexpected \"{\" outside a service or "
		    "category header");
		return;
	case T_STRING:
		perr(ps, t->col, "expected a statement, not a quoted string");
		return;
	case T_WORD:
		break;
	}
	if (strcmp(t->s, "service") == 0)
		block_open(ps, B_SERVICE);
	else if (strcmp(t->s, "category") == 0)
		block_open(ps, B_CATEGORY);
	else if (strcmp(t->s, "default") == 0)
		rules_stmt_default(ps);
	else if (rules_parse_verdict(t->s, &v) == 0)
		rules_stmt_verdict(ps, v);
	else if (strcmp(t->s, "department") == 0)
		rules_stmt_department(ps);
	else if (strcmp(t->s, "ignore") == 0)
		rules_stmt_ignore(ps);
	else if (strcmp(t->s, "unknown") == 0)
		rules_stmt_unknown(ps);
	else if (strcmp(t->s, "alert") == 0)
		rules_stmt_alert(ps);
	else if (strcmp(t->s, "override") == 0)
		stmt_override(ps);
	else if (strcmp(t->s, "reliability") == 0)
		rules_stmt_reliability(ps);
	else if (strcmp(t->s, "pick-one") == 0)
		rules_stmt_pick_one(ps);
	else if (strcmp(t->s, "local-networks") == 0)
		rules_stmt_local_networks(ps);
	else if (strcmp(t->s, "use") == 0)
		rules_stmt_use(ps);
	else
		perr(ps, t->col, "unknown statement \"%s\"%s",
		    rules_quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), rules_suggest_list(t->s,
		    stmt_names, nitems(stmt_names))));
}

/* Checks that a key has exactly one value; returns it or NULL. */
static const struct tok *
one_value(struct parser *ps, const char *key, int text)
{
	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "missing value for \"%s\"", key);
		return NULL;
	}
	if (ps->ntok > 2) {
		perr(ps, ps->tok[2].col, "\"%s\" takes one value%s", key,
		    text ? "; put text with spaces in double quotes" : "");
		return NULL;
	}
	if (ps->tok[1].type == T_LBRACE || ps->tok[1].type == T_RBRACE) {
		perr(ps, ps->tok[1].col, "unexpected \"%s\"", ps->tok[1].s);
		return NULL;
	}
	return &ps->tok[1];
}

static void
set_text(struct parser *ps, const char *key, char *dst, size_t dstsz,
    int allow_empty)
{
	const struct tok *t;

	if ((t = one_value(ps, key, 1)) == NULL)
		return;
	if (t->len == 0 && !allow_empty) {
		perr(ps, t->col, "\"%s\" is empty", key);
		return;
	}
	if (t->len >= dstsz) {
		perr(ps, t->col, "\"%s\" is too long (at most %zu bytes)", key,
		    dstsz - 1);
		return;
	}
	memcpy(dst, t->s, t->len + 1);
}

/*
 * Validates a domain rule and writes its canonical form to out. Returns
 * NULL, or a reason why it is not a domain.
 */
static const char *
domain_check(const char *w, size_t len, char *out, size_t outsz)
{
	size_t i, label = 0, dots = 0;
	unsigned char c;

	if (len >= 2 && w[0] == '*' && w[1] == '.') {
		w += 2;
		len -= 2;
	}
	if (len > 0 && w[len - 1] == '.')
		len--;
	if (len == 0)
		return "empty name";
	for (i = 0; i < len; i++) {
		c = (unsigned char)w[i];
		if (c == '*')
			return "\"*\" is only allowed as a leading \"*.\"";
		if (c >= 0x80)
			return "write international names in their xn-- "
			    "(punycode) form";
		if (c == '/' || c == ':')
			return "write a host name, not a URL or host:port";
		if (c == '.') {
			if (label == 0)
				return "empty label";
			label = 0;
			dots++;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return "only letters, digits, \"-\", \"_\" and \".\" "
			    "are allowed";
		if (++label > 63)
			return "label longer than 63 bytes";
	}
	if (len > NAME_MAX_LEN)
		return "longer than 253 bytes";
	if (hostname_norm(out, outsz, (const uint8_t *)w, len, 0) == -1)
		return "not a valid host name";
	if (hostname_is_ip(out))
		return "IP addresses are not domains";
	if (dots == 0)
		return "a whole top-level domain is too broad";
	return NULL;
}

static void
key_domains(struct parser *ps, int except)
{
	char q[QUOTE_MAX * 4 + 8], norm[HOSTNAME_SIZE];
	struct ruleset *rs = ps->rs;
	struct rule_domain *rd;
	const struct tok *t;
	const char *why;
	size_t i;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "missing value for \"%s\"",
		    ps->tok[0].s);
		return;
	}
	for (i = 1; i < ps->ntok; i++) {
		t = &ps->tok[i];
		if (t->type == T_STRING) {
			perr(ps, t->col, "write domains without quotes");
			continue;
		}
		if (t->type != T_WORD) {
			perr(ps, t->col, "unexpected \"%s\"", t->s);
			continue;
		}
		if ((why = domain_check(t->s, t->len, norm,
		    sizeof(norm))) != NULL) {
			perr(ps, t->col, "bad domain \"%s\": %s",
			    rules_quote(q, sizeof(q), t->s, t->len), why);
			continue;
		}
		if (ps->discard)
			continue;
		if (rs->ndom == rs->capdom) {
			rs->capdom = rs->capdom ? rs->capdom * 2 : 256;
			rs->dom = xreallocarray(rs->dom, rs->capdom,
			    sizeof(*rs->dom));
		}
		rd = &rs->dom[rs->ndom++];
		rd->name = rules_arena_dup(rs, norm, strlen(norm));
		rd->service = rs->nsvc;
		rd->except = except;
		rd->file = ps->file;
		rd->line = ps->line;
		rd->col = t->col;
		if (!except)
			ps->ndomains++;
	}
}

static void
key_risk(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	const struct tok *t;
	size_t i;

	if ((t = one_value(ps, "risk", 0)) == NULL)
		return;
	for (i = 0; i < nitems(risk_names); i++) {
		if (strcmp(t->s, risk_names[i]) == 0) {
			ps->cur.risk = (enum risk)(RISK_LOW + i);
			return;
		}
	}
	didyoumean(dy, sizeof(dy), rules_suggest_list(t->s, risk_names,
	    nitems(risk_names)));
	perr(ps, t->col, "bad risk level \"%s\"%s",
	    rules_quote(q, sizeof(q), t->s, t->len), dy[0] != '\0' ? dy :
	    "; expected low, medium, high or critical");
}

/* Validates a JA4 fingerprint (a_b_c); writes it in lowercase to out. */
static int
ja4_check(const char *s, size_t len, char *out)
{
	size_t i;

	if (len != 36 || s[10] != '_' || s[23] != '_' ||
	    strchr("tqdTQD", s[0]) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		out[i] = (char)tolower((unsigned char)s[i]);
		if (i == 10 || i == 23)
			continue;
		if (i > 10 && !isxdigit((unsigned char)s[i]))
			return -1;
		if (i < 10 && !isalnum((unsigned char)s[i]))
			return -1;
	}
	out[len] = '\0';
	return 0;
}

/* "ips", "asns", "ja4", "protocols" and "ports": one item per value. */
static void
key_items(struct parser *ps, enum rule_kind kind)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	char canon[INET6_ADDRSTRLEN + 8];
	struct ruleset *rs = ps->rs;
	struct rule_item it, *ip;
	const struct tok *t;
	const char *why, *v;
	unsigned long long n;
	char *end;
	size_t i;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "missing value for \"%s\"",
		    ps->tok[0].s);
		return;
	}
	for (i = 1; i < ps->ntok; i++) {
		t = &ps->tok[i];
		if (t->type != T_WORD) {
			perr(ps, t->col, "%s", t->type == T_STRING ?
			    "write values without quotes" : "unexpected "
			    "brace");
			continue;
		}
		memset(&it, 0, sizeof(it));
		it.kind = kind;
		canon[0] = '\0';
		switch (kind) {
		case RULE_IP:
			why = rules_cidr_parse(t->s, &it.family, it.addr,
			    &it.plen, canon, sizeof(canon));
			if (why != NULL && strcmp(why, "host bits are set") ==
			    0) {
				perr(ps, t->col, "bad network \"%s\": host "
				    "bits are set; did you mean \"%s\"?",
				    rules_quote(q, sizeof(q), t->s, t->len),
				    canon);
				continue;
			}
			if (why != NULL) {
				perr(ps, t->col, "bad network \"%s\": %s",
				    rules_quote(q, sizeof(q), t->s, t->len),
				    why);
				continue;
			}
			break;
		case RULE_ASN:
			v = t->s;
			if ((v[0] == 'A' || v[0] == 'a') &&
			    (v[1] == 'S' || v[1] == 's'))
				v += 2;
			n = 0;
			end = NULL;
			if (*v >= '0' && *v <= '9') {
				errno = 0;
				n = strtoull(v, &end, 10);
				if (errno != 0)
					n = 0;
			}
			if (end == NULL || *end != '\0' || n == 0 ||
			    n > UINT32_MAX) {
				perr(ps, t->col, "bad AS number \"%s\"; "
				    "expected 1 to 4294967295, as 64496 or "
				    "AS64496", rules_quote(q, sizeof(q), t->s,
				    t->len));
				continue;
			}
			it.asn = (uint32_t)n;
			snprintf(canon, sizeof(canon), "AS%u", it.asn);
			break;
		case RULE_JA4:
			if (t->len >= sizeof(canon) ||
			    ja4_check(t->s, t->len, canon) == -1) {
				perr(ps, t->col, "bad JA4 fingerprint \"%s\"; "
				    "expected three parts like "
				    "t13d1516h2_8daaf6152771_e5627efa2ab1",
				    rules_quote(q, sizeof(q), t->s, t->len));
				continue;
			}
			break;
		case RULE_PROTOCOL:
			if (!rules_protocol_known(t->s)) {
				didyoumean(dy, sizeof(dy),
				    rules_suggest_list(t->s, protocol_names,
				    nitems(protocol_names)));
				perr(ps, t->col, "unknown protocol \"%s\"%s",
				    rules_quote(q, sizeof(q), t->s, t->len),
				    dy[0] != '\0' ? dy : "; see "
				    "shadowtap.rules(5) for the list");
				continue;
			}
			strlcpy(canon, t->s, sizeof(canon));
			break;
		case RULE_PORT:
			n = 0;
			end = NULL;
			v = NULL;
			if (strncmp(t->s, "tcp/", 4) == 0) {
				it.proto = IPPROTO_TCP;
				v = t->s + 4;
			} else if (strncmp(t->s, "udp/", 4) == 0) {
				it.proto = IPPROTO_UDP;
				v = t->s + 4;
			}
			if (v != NULL && *v >= '1' && *v <= '9') {
				errno = 0;
				n = strtoull(v, &end, 10);
				if (errno != 0)
					n = 0;
			}
			if (end == NULL || *end != '\0' || n == 0 ||
			    n > UINT16_MAX) {
				perr(ps, t->col, "bad port \"%s\"; expected "
				    "tcp/N or udp/N with N from 1 to 65535",
				    rules_quote(q, sizeof(q), t->s, t->len));
				continue;
			}
			it.port = (uint16_t)n;
			snprintf(canon, sizeof(canon), "%s/%u",
			    it.proto == IPPROTO_TCP ? "tcp" : "udp", it.port);
			break;
		}
		if (ps->discard)
			continue;
		if (rs->nitem == rs->capitem) {
			rs->capitem = rs->capitem ? rs->capitem * 2 : 64;
			rs->item = xreallocarray(rs->item, rs->capitem,
			    sizeof(*rs->item));
		}
		ip = &rs->item[rs->nitem++];
		*ip = it;
		ip->service = rs->nsvc;
		ip->text = rules_arena_dup(rs, canon, strlen(canon));
		ip->loc.file = ps->file;
		ip->loc.line = ps->line;
		ip->loc.col = t->col;
	}
}

static void
block_line(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	const struct tok *t = &ps->tok[0];
	int close = 0, ki;

	if (ps->need_brace) {
		ps->need_brace = 0;
		if (ps->ntok == 1 && t->type == T_LBRACE)
			return;
		rerr(ps->rs, ps->d, ps->file, ps->rank, ps->bline, ps->idcol,
		    DIAG_ERROR, "expected \"{\" after %s \"%s\"",
		    ps->block == B_SERVICE ? "service" : "category", ps->bid);
	}
	if (t->type == T_RBRACE) {
		if (ps->ntok > 1)
			perr(ps, ps->tok[1].col, "unexpected %s after \"}\"",
			    tok_desc(q, sizeof(q), &ps->tok[1]));
		rules_block_close(ps);
		return;
	}
	if (t->type == T_WORD && rules_is_block_word(t->s) && ps->ntok >= 2 &&
	    ps->tok[ps->ntok - 1].type == T_LBRACE) {
		rules_unterminated(ps);
		rules_block_close(ps);
		rules_stmt_top(ps);
		return;
	}
	if (t->type == T_WORD && is_policy_word(t->s)) {
		rules_unterminated(ps);
		rules_block_close(ps);
		rules_stmt_top(ps);
		return;
	}
	if (t->type != T_WORD) {
		perr(ps, t->col, "expected a key, not %s",
		    t->type == T_STRING ? "a quoted string" : "\"{\"");
		return;
	}
	if (ps->ntok > 1 && ps->tok[ps->ntok - 1].type == T_RBRACE) {
		perr(ps, ps->tok[ps->ntok - 1].col, "put \"}\" on a line of "
		    "its own");
		ps->ntok--;
		close = 1;
	}
	for (ki = 0; ki < K_NKEYS; ki++)
		if (strcmp(t->s, key_names[ki]) == 0)
			break;
	if (ki < K_NKEYS && ps->block == B_CATEGORY && ki != K_NAME &&
	    ki != K_DESCRIPTION) {
		perr(ps, t->col, "key \"%s\" is not allowed in a category; "
		    "use name or description", t->s);
		ki = -1;
	} else if (ki == K_DESCRIPTION && ps->block == B_SERVICE) {
		perr(ps, t->col, "key \"description\" is not allowed in a "
		    "service; use notes");
		ki = -1;
	} else if (ki == K_NKEYS) {
		perr(ps, t->col, "unknown key \"%s\"%s",
		    rules_quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), rules_suggest_list(t->s,
		    key_names, ps->block == B_SERVICE ? K_DESCRIPTION :
		    K_NKEYS)));
		ki = -1;
	}
	if (ki >= 0 && ki != K_DOMAINS && ki != K_EXCEPT && ki != K_IPS &&
	    ki != K_ASNS && ki != K_JA4 && ki != K_PROTOCOLS &&
	    ki != K_PORTS && ki != K_INSTANCE && ki != K_INSTANCE_EXCEPT) {
		if (ps->seen[ki]) {
			perr(ps, t->col, "duplicate key \"%s\"; first given "
			    "on line %d", t->s, ps->seen[ki]);
			ki = -1;
		} else
			ps->seen[ki] = ps->line;
	}
	switch (ki) {
	case K_NAME:
		if (ps->block == B_SERVICE)
			set_text(ps, "name", ps->cur.name,
			    sizeof(ps->cur.name), 0);
		else
			set_text(ps, "name", ps->curcat.name,
			    sizeof(ps->curcat.name), 0);
		break;
	case K_VENDOR:
		set_text(ps, "vendor", ps->cur.vendor, sizeof(ps->cur.vendor),
		    1);
		break;
	case K_NOTES:
		set_text(ps, "notes", ps->cur.risk_notes,
		    sizeof(ps->cur.risk_notes), 1);
		break;
	case K_DESCRIPTION:
		set_text(ps, "description", ps->curcat.description,
		    sizeof(ps->curcat.description), 1);
		break;
	case K_RISK:
		key_risk(ps);
		break;
	case K_CATEGORY:
		if ((t = one_value(ps, "category", 0)) == NULL)
			break;
		if (rules_check_id(ps, t, "category", CATEGORY_MAX) == -1)
			break;
		strlcpy(ps->cur.category, t->s, sizeof(ps->cur.category));
		ps->curx.catline = ps->line;
		ps->curx.catcol = t->col;
		break;
	case K_DOMAINS:
	case K_EXCEPT:
		key_domains(ps, ki == K_EXCEPT);
		break;
	case K_IPS:
		key_items(ps, RULE_IP);
		break;
	case K_ASNS:
		key_items(ps, RULE_ASN);
		break;
	case K_JA4:
		key_items(ps, RULE_JA4);
		break;
	case K_PROTOCOLS:
		key_items(ps, RULE_PROTOCOL);
		break;
	case K_PORTS:
		key_items(ps, RULE_PORT);
		break;
	case K_INSTANCE:
	case K_INSTANCE_EXCEPT:
		instance_key(ps, ki == K_INSTANCE_EXCEPT);
		break;
	default:
		break;
	}
	if (close)
		rules_block_close(ps);
}

static void
parse_buf(struct parser *ps, const char *buf, size_t len)
{
	const char *line, *nl;
	size_t left = len, ll;

	ps->line = 0;
	ps->block = B_NONE;
	line = buf;
	if (left >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		left -= 3;
	}
	while (left > 0 && !ps->gaveup) {
		ps->line++;
		nl = memchr(line, '\n', left);
		ll = nl != NULL ? (size_t)(nl - line) : left;
		if (rules_lex_line(ps, line, ll) == -1) {
			if (ps->block == B_NONE && memchr(line, '{', ll))
				ps->block = B_SKIP;
		} else if (ps->ntok > 0) {
			switch (ps->block) {
			case B_NONE:
				rules_stmt_top(ps);
				break;
			case B_SKIP:
				if (ps->tok[0].type == T_RBRACE)
					ps->block = B_NONE;
				else if (ps->tok[0].type == T_WORD &&
				    rules_is_block_word(ps->tok[0].s))
					rules_stmt_top(ps);
				break;
			case B_DEPARTMENT:
				rules_dept_line(ps);
				break;
			case B_SERVICE:
			case B_CATEGORY:
				block_line(ps);
				break;
			}
		}
		if (nl == NULL)
			break;
		left -= ll + 1;
		line = nl + 1;
	}
	if (ps->block == B_SERVICE || ps->block == B_CATEGORY ||
	    ps->block == B_DEPARTMENT) {
		if (!ps->gaveup)
			rules_unterminated(ps);
		rules_block_close(ps);
	}
	ps->block = B_NONE;
}

static void
file_rank(struct parser *ps, const char *path)
{
	struct ruleset *rs = ps->rs;

	ps->file = rules_arena_dup(rs, path, strlen(path));
	ps->rank = rs->nfiles;
	rs->ndiag = xreallocarray(rs->ndiag, rs->nfiles + 1,
	    sizeof(*rs->ndiag));
	rs->ndiag[rs->nfiles++] = 0;
	ps->gaveup = 0;
	diags_intern(ps->d, path);
}

static void
load_source(struct parser *ps, const struct rules_source *src)
{
	file_rank(ps, src->name);
	switch (src->kind) {
	case RULESRC_FILE:
		parse_buf(ps, src->buf != NULL ? src->buf : "", src->len);
		break;
	case RULESRC_WARNING:
		diags_add(ps->d, DIAG_WARNING, src->name, 0, 0, "%s",
		    src->msg);
		break;
	case RULESRC_ERROR:
		diags_add(ps->d, DIAG_ERROR, src->name, 0, 0, "%s", src->msg);
		break;
	}
}

void
rules_parse_all(struct ruleset *rs, const struct rules_sources *src,
    struct diags *d)
{
	struct parser ps;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	ps.rs = rs;
	ps.d = d;
	for (i = 0; i < src->n; i++)
		load_source(&ps, &src->v[i]);
	free(ps.tok);
	free(ps.sbuf);
}
