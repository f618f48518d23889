/* SPDX-License-Identifier: ISC */
/*
 * rules_policy.c: the statements of the organisation's policy: verdicts
 * for services and categories, "default", "unknown", "ignore networks",
 * upload alerts, "reliability" settings and department blocks with their
 * subnets and VLANs. Ids are resolved later (rules_resolve.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/rules.h"
#include "policy/rules_int.h"
#include "base/util.h"

#define PERIOD_HOUR		3600
#define PERIOD_DAY		86400
#define PERIOD_WEEK		604800

static const char *const dept_key_names[] = {
	"subnets", "vlans", "sanctioned", "tolerated", "unsanctioned",
	"alert",
};

static const char *const verdict_names[] = {
	"sanctioned", "tolerated", "unsanctioned",
};

int
rules_parse_verdict(const char *s, enum verdict *v)
{
	if (strcmp(s, "sanctioned") == 0)
		*v = VERDICT_SANCTIONED;
	else if (strcmp(s, "tolerated") == 0)
		*v = VERDICT_TOLERATED;
	else if (strcmp(s, "unsanctioned") == 0)
		*v = VERDICT_UNSANCTIONED;
	else
		return -1;
	return 0;
}

static void
bad_verdict(struct parser *ps, const struct tok *t)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	const char *best;

	best = rules_suggest_list(t->s, verdict_names, nitems(verdict_names));
	if (best != NULL)
		perr(ps, t->col, "unknown verdict \"%s\"%s",
		    rules_quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), best));
	else
		perr(ps, t->col, "unknown verdict \"%s\"; expected sanctioned, "
		    "tolerated or unsanctioned", rules_quote(q, sizeof(q), t->s,
		    t->len));
}

static void
pol_push(struct parser *ps, enum rule_level level, enum verdict v,
    const struct tok *id, int line, int col)
{
	struct ruleset *rs = ps->rs;
	struct pstmt *p;

	if (ps->block == B_DEPARTMENT && ps->discard)
		return;
	if (rs->npol == rs->cappol) {
		rs->cappol = rs->cappol ? rs->cappol * 2 : 32;
		rs->pol = xreallocarray(rs->pol, rs->cappol, sizeof(*rs->pol));
	}
	p = &rs->pol[rs->npol];
	p->level = level;
	p->verdict = v;
	p->id = id != NULL ? rules_arena_dup(rs, id->s, id->len) : NULL;
	p->dept = ps->block == B_DEPARTMENT ? ps->curdept : DEPT_NONE;
	p->file = ps->file;
	p->rank = ps->rank;
	p->seq = rs->npol++;
	p->line = line;
	p->col = col;
}

/* "default VERDICT" */
void
rules_stmt_default(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	enum verdict v;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected a verdict after "
		    "\"default\"");
		return;
	}
	if (ps->tok[1].type != T_WORD ||
	    rules_parse_verdict(ps->tok[1].s, &v) == -1) {
		bad_verdict(ps, &ps->tok[1]);
		return;
	}
	if (ps->ntok > 2) {
		perr(ps, ps->tok[2].col, "unexpected %s after the verdict",
		    tok_desc(q, sizeof(q), &ps->tok[2]));
		return;
	}
	pol_push(ps, RULE_DEFAULT, v, NULL, ps->line, ps->tok[0].col);
}

/* "VERDICT service|category ID..." */
void
rules_stmt_verdict(struct parser *ps, enum verdict v)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	static const char *const kinds[] = { "service", "category" };
	enum rule_level level;
	const struct tok *t;
	size_t i;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected \"service\" or "
		    "\"category\" after \"%s\"", ps->tok[0].s);
		return;
	}
	t = &ps->tok[1];
	if (t->type == T_WORD && strcmp(t->s, "service") == 0)
		level = RULE_SERVICE;
	else if (t->type == T_WORD && strcmp(t->s, "category") == 0)
		level = RULE_CATEGORY;
	else {
		perr(ps, t->col, "expected \"service\" or \"category\" after "
		    "\"%s\", not %s%s", ps->tok[0].s,
		    tok_desc(q, sizeof(q), t), didyoumean(dy, sizeof(dy),
		    t->type == T_WORD ? rules_suggest_list(t->s, kinds,
		    nitems(kinds)) : NULL));
		return;
	}
	if (ps->ntok < 3) {
		perr(ps, t->endcol, "expected at least one %s id after \"%s\"",
		    t->s, t->s);
		return;
	}
	for (i = 2; i < ps->ntok; i++) {
		if (ps->tok[i].type != T_WORD ||
		    strcmp(ps->tok[i].s, "when") != 0)
			continue;
		if (level != RULE_SERVICE)
			perr(ps, ps->tok[i].col, "\"when instance is\" "
			    "applies to a service, not a category");
		else if (i > 2 && rules_check_id(ps, &ps->tok[2], t->s,
		    SERVICE_ID_MAX) == 0 && instance_stmt(ps, v, i))
			pol_push(ps, level, v, &ps->tok[2], ps->line,
			    ps->tok[2].col);
		else if (i == 2)
			perr(ps, ps->tok[i].col, "expected a service id "
			    "before \"when\"");
		return;
	}
	for (i = 2; i < ps->ntok; i++) {
		if (rules_check_id(ps, &ps->tok[i], t->s,
		    level == RULE_SERVICE ? SERVICE_ID_MAX : CATEGORY_MAX) ==
		    -1)
			continue;
		pol_push(ps, level, v, &ps->tok[i], ps->line, ps->tok[i].col);
	}
}

/*
 * Parses "ADDR" or "ADDR/LEN" (IPv4 or IPv6) into family, addr and plen,
 * with the canonical text in canon. Returns NULL, or why it is not a
 * network; when only host bits are wrong, canon holds the network.
 */
const char *
rules_cidr_parse(const char *w, int *family, uint8_t addr[16], unsigned *plen,
    char *canon, size_t canonsz)
{
	char buf[INET6_ADDRSTRLEN + 8], txt[INET6_ADDRSTRLEN];
	const char *slash;
	unsigned max, i, len;
	char *end;
	unsigned long v;
	int hostbits = 0;

	memset(addr, 0, 16);
	if (strlen(w) >= sizeof(buf))
		return "not an IPv4 or IPv6 address";
	strlcpy(buf, w, sizeof(buf));
	if ((slash = strchr(buf, '/')) != NULL)
		buf[slash - buf] = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else
		return "not an IPv4 or IPv6 address";
	len = max;
	if (slash != NULL) {
		slash = w + (slash - buf) + 1;
		if (*slash < '0' || *slash > '9')
			return "bad prefix length";
		errno = 0;
		v = strtoul(slash, &end, 10);
		if (*end != '\0' || errno != 0 || v > max)
			return *family == AF_INET ? "prefix length must be "
			    "0 to 32" : "prefix length must be 0 to 128";
		len = (unsigned)v;
	}
	for (i = len; i < max; i++) {
		if (addr[i / 8] & (0x80 >> (i % 8))) {
			addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
			hostbits = 1;
		}
	}
	*plen = len;
	inet_ntop(*family, addr, txt, sizeof(txt));
	snprintf(canon, canonsz, "%s/%u", txt, len);
	return hostbits ? "host bits are set" : NULL;
}

/* Reads the CIDR tokens tok[from..] of a line; calls back for each. */
static void
cidr_list(struct parser *ps, size_t from, const char *key, size_t dept)
{
	char q[QUOTE_MAX * 4 + 8], canon[INET6_ADDRSTRLEN + 8];
	struct ruleset *rs = ps->rs;
	struct rule_net *n;
	const struct tok *t;
	const char *why;
	uint8_t addr[16];
	unsigned plen;
	int family;
	size_t i;

	if (ps->ntok <= from) {
		perr(ps, ps->tok[from - 1].endcol, "missing value for "
		    "\"%s\"", key);
		return;
	}
	for (i = from; i < ps->ntok; i++) {
		t = &ps->tok[i];
		if (t->type != T_WORD) {
			perr(ps, t->col, "expected a network, not %s",
			    tok_desc(q, sizeof(q), t));
			continue;
		}
		why = rules_cidr_parse(t->s, &family, addr, &plen, canon,
		    sizeof(canon));
		if (why != NULL && strcmp(why, "host bits are set") == 0) {
			perr(ps, t->col, "bad network \"%s\": host bits are "
			    "set; did you mean \"%s\"?", rules_quote(q,
			    sizeof(q), t->s, t->len), canon);
			continue;
		}
		if (why != NULL) {
			perr(ps, t->col, "bad network \"%s\": %s",
			    rules_quote(q, sizeof(q), t->s, t->len), why);
			continue;
		}
		if (dept != DEPT_NONE && dept != DEPT_LOCAL && ps->discard)
			continue;
		if (dept == DEPT_LOCAL) {
			if (rs->nlnet == rs->caplnet) {
				rs->caplnet = rs->caplnet ? rs->caplnet * 2 : 8;
				rs->lnet = xreallocarray(rs->lnet, rs->caplnet,
				    sizeof(*rs->lnet));
			}
			n = &rs->lnet[rs->nlnet++];
		} else {
			if (rs->nnet == rs->capnet) {
				rs->capnet = rs->capnet ? rs->capnet * 2 : 16;
				rs->net = xreallocarray(rs->net, rs->capnet,
				    sizeof(*rs->net));
			}
			n = &rs->net[rs->nnet++];
		}
		memset(n, 0, sizeof(*n));
		n->family = family;
		n->plen = plen;
		memcpy(n->addr, addr, sizeof(n->addr));
		n->dept = dept;
		n->text = rules_arena_dup(rs, canon, strlen(canon));
		n->loc.file = ps->file;
		n->loc.line = ps->line;
		n->loc.col = t->col;
	}
}

/* "ignore networks CIDR..." */
void
rules_stmt_ignore(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];

	if (ps->ntok < 2 || ps->tok[1].type != T_WORD ||
	    strcmp(ps->tok[1].s, "networks") != 0) {
		if (ps->ntok < 2)
			perr(ps, ps->tok[0].endcol, "expected \"networks\" "
			    "after \"ignore\"");
		else
			perr(ps, ps->tok[1].col, "expected \"networks\" after "
			    "\"ignore\", not %s", tok_desc(q, sizeof(q),
			    &ps->tok[1]));
		return;
	}
	cidr_list(ps, 2, "ignore networks", DEPT_NONE);
}

/* "local-networks CIDR..." */
void
rules_stmt_local_networks(struct parser *ps)
{
	cidr_list(ps, 1, "local-networks", DEPT_LOCAL);
}

/* "unknown VERDICT" */
void
rules_stmt_unknown(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	enum verdict v;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected a verdict after "
		    "\"unknown\"");
		return;
	}
	if (ps->tok[1].type != T_WORD ||
	    rules_parse_verdict(ps->tok[1].s, &v) == -1) {
		bad_verdict(ps, &ps->tok[1]);
		return;
	}
	if (ps->ntok > 2) {
		perr(ps, ps->tok[2].col, "unexpected %s after the verdict",
		    tok_desc(q, sizeof(q), &ps->tok[2]));
		return;
	}
	pol_push(ps, RULE_UNKNOWN, v, NULL, ps->line, ps->tok[0].col);
}

/*
 * Parses a size: a whole number with a unit, in one word ("100MB") or
 * two ("100 MB"). Units: B, kB/KB, MB, GB, TB (powers of 1000) and KiB,
 * MiB, GiB, TiB (powers of 1024), any case. Returns the number of tokens
 * used (1 or 2), or 0 after reporting the problem.
 */
size_t
rules_parse_size(struct parser *ps, size_t i, uint64_t *out)
{
	static const char *const units = "kmgt";
	char q[QUOTE_MAX * 4 + 8];
	const struct tok *t = &ps->tok[i];
	const char *u, *p;
	uint64_t v = 0, mul = 1, base;
	size_t used = 1, k;

	if (t->type != T_WORD || t->s[0] < '0' || t->s[0] > '9') {
		perr(ps, t->col, "expected a size like 100MB, not %s",
		    tok_desc(q, sizeof(q), t));
		return 0;
	}
	for (p = t->s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10) {
			perr(ps, t->col, "size \"%s\" is too large",
			    rules_quote(q, sizeof(q), t->s, t->len));
			return 0;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	u = p;
	if (*u == '\0' && i + 1 < ps->ntok && ps->tok[i + 1].type == T_WORD &&
	    strcasecmp(ps->tok[i + 1].s, "per") != 0) {
		u = ps->tok[i + 1].s;
		used = 2;
	}
	base = (strlen(u) == 3 && tolower((unsigned char)u[1]) == 'i') ?
	    1024 : 1000;
	if (strcasecmp(u, "b") == 0)
		mul = 1;
	else if ((strlen(u) == 2 || (strlen(u) == 3 && base == 1024)) &&
	    tolower((unsigned char)u[strlen(u) - 1]) == 'b' &&
	    (p = strchr(units, tolower((unsigned char)u[0]))) != NULL) {
		for (k = 0; k <= (size_t)(p - units); k++)
			mul *= base;
	} else if (*u == '\0') {
		perr(ps, t->endcol, "missing unit after size \"%s\"; use B, KB, "
		    "MB, GB, TB, KiB, MiB, GiB or TiB", rules_quote(q,
		    sizeof(q), t->s, t->len));
		return 0;
	} else {
		perr(ps, used == 2 ? ps->tok[i + 1].col : t->col, "bad size "
		    "unit \"%s\"; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB",
		    *u != '\0' ? u : "");
		return 0;
	}
	if (v > UINT64_MAX / mul) {
		perr(ps, t->col, "size \"%s\" is too large",
		    rules_quote(q, sizeof(q), t->s, t->len));
		return 0;
	}
	*out = v * mul;
	return used;
}

/*
 * "alert upload SIZE per hour|day|week [VERDICT]
 *      [category ID... | service ID...]"
 */
void
rules_stmt_alert(struct parser *ps)
{
	static const char *const periods[] = { "hour", "day", "week" };
	static const uint32_t secs[] = { PERIOD_HOUR, PERIOD_DAY,
	    PERIOD_WEEK };
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	struct ruleset *rs = ps->rs;
	struct threshold th;
	const struct tok *t;
	enum verdict v;
	size_t i, n, p, first;

	memset(&th, 0, sizeof(th));
	th.scope = RULE_DEFAULT;
	if (ps->ntok < 2 || ps->tok[1].type != T_WORD ||
	    strcmp(ps->tok[1].s, "upload") != 0) {
		if (ps->ntok < 2)
			perr(ps, ps->tok[0].endcol, "expected \"upload\" "
			    "after \"alert\"");
		else
			perr(ps, ps->tok[1].col, "expected \"upload\" after "
			    "\"alert\", not %s", tok_desc(q, sizeof(q),
			    &ps->tok[1]));
		return;
	}
	if (ps->ntok < 3) {
		perr(ps, ps->tok[1].endcol, "expected a size after "
		    "\"upload\"");
		return;
	}
	if ((n = rules_parse_size(ps, 2, &th.bytes)) == 0)
		return;
	i = 2 + n;
	if (i >= ps->ntok || ps->tok[i].type != T_WORD ||
	    strcmp(ps->tok[i].s, "per") != 0) {
		if (i >= ps->ntok)
			perr(ps, ps->tok[i - 1].endcol, "expected \"per\" "
			    "and a period after the size");
		else
			perr(ps, ps->tok[i].col, "expected \"per\" after the "
			    "size, not %s", tok_desc(q, sizeof(q),
			    &ps->tok[i]));
		return;
	}
	if (++i >= ps->ntok) {
		perr(ps, ps->tok[i - 1].endcol, "expected hour, day or week "
		    "after \"per\"");
		return;
	}
	t = &ps->tok[i];
	for (p = 0; p < nitems(periods); p++)
		if (t->type == T_WORD && strcmp(t->s, periods[p]) == 0)
			break;
	if (p == nitems(periods)) {
		didyoumean(dy, sizeof(dy), t->type == T_WORD ?
		    rules_suggest_list(t->s, periods, nitems(periods)) : NULL);
		perr(ps, t->col, "bad period %s%s", tok_desc(q, sizeof(q), t),
		    dy[0] != '\0' ? dy : "; expected hour, day or week");
		return;
	}
	th.period = secs[p];
	i++;
	if (i < ps->ntok && ps->tok[i].type == T_WORD &&
	    rules_parse_verdict(ps->tok[i].s, &v) == 0) {
		th.verdict = v;
		i++;
	}
	first = i;
	if (i < ps->ntok) {
		t = &ps->tok[i];
		if (t->type == T_WORD && strcmp(t->s, "category") == 0)
			th.scope = RULE_CATEGORY;
		else if (t->type == T_WORD && strcmp(t->s, "service") == 0)
			th.scope = RULE_SERVICE;
		else {
			perr(ps, t->col, "expected a verdict, \"category\" or "
			    "\"service\", not %s", tok_desc(q, sizeof(q), t));
			return;
		}
		if (++i >= ps->ntok) {
			perr(ps, t->endcol, "expected at least one %s id "
			    "after \"%s\"", t->s, t->s);
			return;
		}
	}
	if (ps->block == B_DEPARTMENT && ps->discard)
		return;
	th.loc.file = ps->file;
	th.loc.line = ps->line;
	th.loc.col = ps->tok[0].col;
	do {
		if (th.scope != RULE_DEFAULT) {
			t = &ps->tok[i];
			if (rules_check_id(ps, t, ps->tok[first].s,
			    th.scope == RULE_SERVICE ? SERVICE_ID_MAX :
			    CATEGORY_MAX) == -1)
				continue;
			th.id = rules_arena_dup(rs, t->s, t->len);
			th.loc.col = t->col;
		}
		if (rs->nthr == rs->capthr) {
			rs->capthr = rs->capthr ? rs->capthr * 2 : 8;
			rs->thr = xreallocarray(rs->thr, rs->capthr,
			    sizeof(*rs->thr));
			rs->thrx = xreallocarray(rs->thrx, rs->capthr,
			    sizeof(*rs->thrx));
		}
		rs->thrx[rs->nthr].dept = ps->block == B_DEPARTMENT ?
		    ps->curdept : DEPT_NONE;
		rs->thrx[rs->nthr].rank = ps->rank;
		rs->thr[rs->nthr++] = th;
	} while (++i < ps->ntok);
}

/* "department NAME {" */
void
rules_stmt_department(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	struct ruleset *rs = ps->rs;
	struct department *dp;
	const struct tok *id;
	size_t i;

	ps->block = B_SKIP;
	if (ps->ntok < 2 || ps->tok[1].type == T_LBRACE ||
	    ps->tok[1].type == T_RBRACE) {
		perr(ps, ps->ntok < 2 ? ps->tok[0].endcol : ps->tok[1].col,
		    "expected a department name after \"department\"");
		return;
	}
	id = &ps->tok[1];
	ps->block = B_DEPARTMENT;
	ps->bline = ps->line;
	ps->bcol = ps->tok[0].col;
	ps->idcol = id->col;
	ps->discard = 0;
	ps->need_brace = 0;
	strlcpy(ps->bid, id->s, sizeof(ps->bid));
	if (id->len == 0 || id->len >= sizeof(dp->name)) {
		perr(ps, id->col, "department name must be 1 to %zu bytes",
		    sizeof(dp->name) - 1);
		ps->discard = 1;
	}
	if (ps->ntok == 2)
		ps->need_brace = 1;
	else if (ps->tok[2].type != T_LBRACE) {
		perr(ps, ps->tok[2].col, "expected \"{\" after department "
		    "\"%s\", not %s", ps->bid, tok_desc(q, sizeof(q),
		    &ps->tok[2]));
		if (ps->tok[ps->ntok - 1].type != T_LBRACE)
			ps->need_brace = 1;
	} else if (ps->ntok > 3)
		perr(ps, ps->tok[3].col, "unexpected %s after \"{\"; put "
		    "each key on a line of its own",
		    tok_desc(q, sizeof(q), &ps->tok[3]));
	if (ps->discard)
		return;
	for (i = 0; i < rs->ndept; i++) {
		if (strcmp(rs->dept[i].name, id->s) == 0) {
			perr(ps, id->col, "duplicate department \"%s\"; first "
			    "defined at %s:%d", ps->bid, rs->dept[i].loc.file,
			    rs->dept[i].loc.line);
			ps->discard = 1;
			return;
		}
	}
	if (rs->ndept == rs->capdept) {
		rs->capdept = rs->capdept ? rs->capdept * 2 : 8;
		rs->dept = xreallocarray(rs->dept, rs->capdept,
		    sizeof(*rs->dept));
	}
	dp = &rs->dept[rs->ndept];
	memset(dp, 0, sizeof(*dp));
	strlcpy(dp->name, id->s, sizeof(dp->name));
	dp->loc.file = ps->file;
	dp->loc.line = ps->line;
	dp->loc.col = ps->tok[0].col;
	ps->curdept = rs->ndept++;
}

/* "vlans N..." inside a department. */
static void
dept_vlans(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	struct ruleset *rs = ps->rs;
	const struct tok *t;
	unsigned long v;
	char *end;
	size_t i;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "missing value for \"vlans\"");
		return;
	}
	for (i = 1; i < ps->ntok; i++) {
		t = &ps->tok[i];
		v = 0;
		end = NULL;
		if (t->type == T_WORD && t->s[0] >= '0' && t->s[0] <= '9') {
			errno = 0;
			v = strtoul(t->s, &end, 10);
			if (errno != 0)
				v = 0;
		}
		if (end == NULL || *end != '\0' || v < 1 || v > VLAN_MAX) {
			perr(ps, t->col, "bad VLAN id %s; expected 1 to %d",
			    tok_desc(q, sizeof(q), t), VLAN_MAX);
			continue;
		}
		if (ps->discard)
			continue;
		if (rs->nvlan == rs->capvlan) {
			rs->capvlan = rs->capvlan ? rs->capvlan * 2 : 16;
			rs->vlan = xreallocarray(rs->vlan, rs->capvlan,
			    sizeof(*rs->vlan));
		}
		rs->vlan[rs->nvlan].vlan = (unsigned)v;
		rs->vlan[rs->nvlan].dept = ps->curdept;
		rs->vlan[rs->nvlan].rank = ps->rank;
		rs->vlan[rs->nvlan].loc.file = ps->file;
		rs->vlan[rs->nvlan].loc.line = ps->line;
		rs->vlan[rs->nvlan].loc.col = t->col;
		rs->nvlan++;
	}
}

/* One line inside a department block. */
void
rules_dept_line(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	const struct tok *t = &ps->tok[0];
	enum verdict v;
	int close = 0;

	if (ps->need_brace) {
		ps->need_brace = 0;
		if (ps->ntok == 1 && t->type == T_LBRACE)
			return;
		rerr(ps->rs, ps->d, ps->file, ps->rank, ps->bline, ps->idcol,
		    DIAG_ERROR, "expected \"{\" after department \"%s\"",
		    ps->bid);
	}
	if (t->type == T_RBRACE) {
		if (ps->ntok > 1)
			perr(ps, ps->tok[1].col, "unexpected %s after \"}\"",
			    tok_desc(q, sizeof(q), &ps->tok[1]));
		rules_block_close(ps);
		return;
	}
	if (t->type == T_WORD && ((rules_is_block_word(t->s) && ps->ntok >= 2 &&
	    ps->tok[ps->ntok - 1].type == T_LBRACE) ||
	    strcmp(t->s, "default") == 0 || strcmp(t->s, "ignore") == 0 ||
	    strcmp(t->s, "unknown") == 0)) {
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
	if (strcmp(t->s, "subnets") == 0)
		cidr_list(ps, 1, "subnets", ps->curdept);
	else if (strcmp(t->s, "vlans") == 0)
		dept_vlans(ps);
	else if (strcmp(t->s, "alert") == 0)
		rules_stmt_alert(ps);
	else if (rules_parse_verdict(t->s, &v) == 0)
		rules_stmt_verdict(ps, v);
	else
		perr(ps, t->col, "unknown key \"%s\" in a department%s",
		    rules_quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), rules_suggest_list(t->s,
		    dept_key_names, nitems(dept_key_names))));
	if (close)
		rules_block_close(ps);
}

/*
 * "reliability SETTING VALUE": the thresholds of the summary's network
 * health findings (reliability.h). min-days and min-events take whole
 * numbers, factor a number above 1 ("3", "2.5"), the signals a
 * percentage ("5%", "2.5%").
 */
static const char *const rel_names[REL_SETTINGS] = {
	"min-days", "min-events", "factor", "dns-timeouts", "dns-errors",
	"tcp-failures", "dhcp-failures", "dns-slow", "tcp-retransmits",
};

/* A decimal "12", "2.5" (at most 3 decimals) into thousandths; -1 bad. */
static int
milli(const char *w, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int dec = -1;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (w[i] == '.' && dec == -1 && i > 0 && i + 1 < len) {
			dec = 0;
			continue;
		}
		if (w[i] < '0' || w[i] > '9' || dec == 3 || v > 1000000000)
			return -1;
		v = v * 10 + (uint64_t)(w[i] - '0');
		if (dec >= 0)
			dec++;
	}
	for (dec = dec < 0 ? 0 : dec; dec < 3; dec++)
		v *= 10;
	*out = v;
	return 0;
}

void
rules_stmt_reliability(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8], dy[QUOTE_MAX * 4 + 32];
	struct ruleset *rs = ps->rs;
	const struct tok *k, *v;
	uint64_t m;
	size_t len;
	int i;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected a setting after"
		    " \"reliability\": min-days, min-events, factor,"
		    " dns-timeouts, dns-errors, tcp-failures, dhcp-failures,"
		    " dns-slow or tcp-retransmits");
		return;
	}
	k = &ps->tok[1];
	for (i = 0; i < REL_SETTINGS; i++)
		if (k->type == T_WORD && strcmp(k->s, rel_names[i]) == 0)
			break;
	if (i == REL_SETTINGS) {
		perr(ps, k->col, "unknown reliability setting %s%s",
		    tok_desc(q, sizeof(q), k), didyoumean(dy, sizeof(dy),
		    rules_suggest_list(k->s, rel_names, nitems(rel_names))));
		return;
	}
	if (ps->ntok < 3) {
		perr(ps, k->endcol, "expected a value after \"%s\"",
		    rel_names[i]);
		return;
	}
	v = &ps->tok[2];
	if (ps->ntok > 3) {
		perr(ps, ps->tok[3].col, "unexpected %s after the value",
		    tok_desc(q, sizeof(q), &ps->tok[3]));
		return;
	}
	len = v->type == T_WORD ? v->len : 0;
	if (i >= REL_SET_SIGNAL) {
		if (len < 2 || v->s[len - 1] != '%' ||
		    milli(v->s, len - 1, &m) == -1 || m == 0 ||
		    m > 100 * 1000) {
			perr(ps, v->col, "\"%s\" needs a percentage above 0%%"
			    " and at most 100%%, like 5%%, not %s", rel_names[i],
			    tok_desc(q, sizeof(q), v));
			return;
		}
	} else if (i == REL_SET_FACTOR) {
		if (milli(v->s, len, &m) == -1 || m <= 1000 ||
		    m > 100 * 1000) {
			perr(ps, v->col, "\"factor\" needs a number above 1 and"
			    " at most 100, like 3 or 2.5, not %s",
			    tok_desc(q, sizeof(q), v));
			return;
		}
	} else {
		uint64_t max = i == REL_SET_MIN_DAYS ? 365 : 1000000;

		if (milli(v->s, len, &m) == -1 || m % 1000 != 0 || m == 0 ||
		    m / 1000 > max) {
			perr(ps, v->col, "\"%s\" needs a whole number from 1"
			    " to %" PRIu64 ", not %s", rel_names[i], max,
			    tok_desc(q, sizeof(q), v));
			return;
		}
	}
	if (rs->relset[i].file != NULL) {
		perr(ps, k->col, "reliability %s is already set at %s:%d",
		    rel_names[i], rs->relset[i].file, rs->relset[i].line);
		return;
	}
	rs->relset[i].file = ps->file;
	rs->relset[i].line = ps->line;
	rs->relset[i].col = k->col;
	if (i == REL_SET_MIN_DAYS)
		rs->rel.min_days = (unsigned)(m / 1000);
	else if (i == REL_SET_MIN_EVENTS)
		rs->rel.min_events = (unsigned)(m / 1000);
	else if (i == REL_SET_FACTOR)
		rs->rel.factor = (double)m / 1000;
	else
		rs->rel.min_rate[i - REL_SET_SIGNAL] = (double)m / 100000;
}
