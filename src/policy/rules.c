/* SPDX-License-Identifier: ISC */
/*
 * rules.c: lexer and parser for the rule language (shadowtap.rules(5)).
 * Each file is read whole and handled a line at a time; every problem
 * becomes a diagnostic and parsing resumes at the next line or block, so
 * one run reports every error of every file. Cross-references (categories,
 * policy ids) are resolved once all files are read. Nothing here exits.
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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hostname.h"
#include "policy/match.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "base/util.h"

#define RULES_DIAGS_MAX		100	/* errors (and warnings) per file */
#define SUGGEST_DIST		2	/* Levenshtein bound for "did you mean" */
#define SUGGEST_LEN		64	/* longer words get no suggestion */
#define QUOTE_MAX		48	/* bytes of a token quoted in a message */
#define ARENA_BLOCK		65536	/* string arena allocation unit */
#define VLAN_MAX		4094	/* IEEE 802.1Q: VIDs 1..4094 */
#define DEPT_NONE		SIZE_MAX	/* an organisation-wide statement */
#define PERIOD_HOUR		3600
#define PERIOD_DAY		86400
#define PERIOD_WEEK		604800

/* Diagnostics. */

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

static const char *
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

static void
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

static void
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

const char *
risk_str(enum risk r)
{
	switch (r) {
	case RISK_LOW:
		return "low";
	case RISK_MEDIUM:
		return "medium";
	case RISK_HIGH:
		return "high";
	case RISK_CRITICAL:
		return "critical";
	case RISK_UNSET:
		break;
	}
	return "unset";
}

/* A small open-addressing map from strings to indexes, for id lookups. */
struct strmap {
	const char	**key;
	size_t		 *val;
	size_t		  cap;		/* power of two, or 0 */
	size_t		  n;
};

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
strmap_get(const struct strmap *m, const char *k, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	for (i = str_hash(k) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->key[i], k) == 0) {
			if (val != NULL)
				*val = m->val[i];
			return 1;
		}
	}
	return 0;
}

/* Inserts k (which must outlive the map) unless present. */
static void
strmap_put(struct strmap *m, const char *k, size_t val)
{
	struct strmap old;
	size_t i;

	if (strmap_get(m, k, NULL))
		return;
	if ((m->n + 1) * 2 > m->cap) {
		old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->key = xcalloc(m->cap, sizeof(*m->key));
		m->val = xcalloc(m->cap, sizeof(*m->val));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.key[i] != NULL)
				strmap_put(m, old.key[i], old.val[i]);
		free(old.key);
		free(old.val);
	}
	for (i = str_hash(k) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->key[i] = k;
	m->val[i] = val;
	m->n++;
}

static void
strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* The ruleset. */

struct pstmt {
	enum rule_level	 level;
	enum verdict	 verdict;
	const char	*id;		/* NULL for "default" and "unknown" */
	size_t		 dept;		/* DEPT_NONE: organisation-wide */
	const char	*file;
	size_t		 rank;		/* file load order */
	size_t		 seq;
	int		 line;
	int		 col;
};

struct svcx {
	int		 catline;	/* where "category" was given */
	int		 catcol;
	size_t		 rank;
	struct rule_loc	 override;	/* "override service", if any */
};

struct vlanent {
	unsigned	 vlan;
	size_t		 dept;
	size_t		 rank;
	struct rule_loc	 loc;
};

/* A threshold as parsed: ids and departments are resolved later. */
struct thrx {
	size_t	 dept;
	size_t	 rank;
};

struct ruleset {
	struct service		*svc;
	struct svcx		*svcx;
	size_t			 nsvc;
	size_t			 capsvc;
	struct category		*cat;
	size_t			 ncat;
	size_t			 capcat;
	struct rule_domain	*dom;
	size_t			 ndom;
	size_t			 capdom;
	struct pstmt		*pol;
	size_t			 npol;
	size_t			 cappol;
	struct strmap		 svcmap;
	struct strmap		 catmap;
	char			**blocks;	/* string arena */
	size_t			 nblocks;
	size_t			 blockused;
	size_t			 ncatused;
	enum verdict		 defverdict;
	struct match_index	*idx;
	size_t			*ndiag;		/* per file rank */
	size_t			 nfiles;
	struct rule_item	*item;
	size_t			 nitem;
	size_t			 capitem;
	struct department	*dept;
	size_t			 ndept;
	size_t			 capdept;
	struct rule_net		*net;
	size_t			 nnet;
	size_t			 capnet;
	struct vlanent		*vlan;
	size_t			 nvlan;
	size_t			 capvlan;
	uint32_t		*vlanmap;	/* VLAN_MAX + 1: 1 + vlan index */
	struct threshold	*thr;
	struct thrx		*thrx;
	size_t			 nthr;
	size_t			 capthr;
	const struct pstmt	*unkdec;	/* "unknown" statement or NULL */
	const struct pstmt	**deptdec;	/* ndept x nsvc, or NULL */
	struct rel_opts		 rel;		/* "reliability" settings */
	struct rule_loc		 relset[REL_SETTINGS]; /* where each was set */
};

static const char *
arena_dup(struct ruleset *rs, const char *s, size_t len)
{
	char *p;
	size_t need = len + 1;

	if (need > ARENA_BLOCK / 4) {
		rs->blocks = xreallocarray(rs->blocks, rs->nblocks + 1,
		    sizeof(char *));
		p = xmalloc(need);
		/* Oversized strings get a block of their own, kept first. */
		if (rs->nblocks > 0) {
			rs->blocks[rs->nblocks] = rs->blocks[rs->nblocks - 1];
			rs->blocks[rs->nblocks - 1] = p;
		} else {
			rs->blocks[0] = p;
			rs->blockused = ARENA_BLOCK;
		}
		rs->nblocks++;
	} else {
		if (rs->nblocks == 0 || rs->blockused + need > ARENA_BLOCK) {
			rs->blocks = xreallocarray(rs->blocks, rs->nblocks + 1,
			    sizeof(char *));
			rs->blocks[rs->nblocks++] = xmalloc(ARENA_BLOCK);
			rs->blockused = 0;
		}
		p = rs->blocks[rs->nblocks - 1] + rs->blockused;
		rs->blockused += need;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
rules_free(struct ruleset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	match_index_free(rs->idx);
	for (i = 0; i < rs->nblocks; i++)
		free(rs->blocks[i]);
	free(rs->blocks);
	strmap_free(&rs->svcmap);
	strmap_free(&rs->catmap);
	free(rs->svc);
	free(rs->svcx);
	free(rs->cat);
	free(rs->dom);
	free(rs->pol);
	free(rs->ndiag);
	free(rs->item);
	free(rs->dept);
	free(rs->net);
	free(rs->vlan);
	free(rs->vlanmap);
	free(rs->thr);
	free(rs->thrx);
	free(rs->deptdec);
	free(rs);
}

size_t
rules_nservices(const struct ruleset *rs)
{
	return rs->nsvc;
}

const struct service *
rules_service_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nsvc ? &rs->svc[i] : NULL;
}

const struct service *
rules_service_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	if (id == NULL || !strmap_get(&rs->svcmap, id, &i))
		return NULL;
	return &rs->svc[i];
}

size_t
rules_ncategories(const struct ruleset *rs)
{
	return rs->ncatused;
}

size_t
rules_ncategory_defs(const struct ruleset *rs)
{
	return rs->ncat;
}

const struct category *
rules_category_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ncat ? &rs->cat[i] : NULL;
}

const struct category *
rules_category_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	if (id == NULL || !strmap_get(&rs->catmap, id, &i))
		return NULL;
	return &rs->cat[i];
}

size_t
rules_ndomains(const struct ruleset *rs)
{
	return rs->ndom;
}

const struct rule_domain *
rules_domain_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ndom ? &rs->dom[i] : NULL;
}

enum verdict
rules_default_verdict(const struct ruleset *rs)
{
	return rs->defverdict;
}

const struct match_index *
rules_index(const struct ruleset *rs)
{
	return rs->idx;
}

size_t
rules_nitems(const struct ruleset *rs)
{
	return rs->nitem;
}

const struct rule_item *
rules_item_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nitem ? &rs->item[i] : NULL;
}

size_t
rules_ndepartments(const struct ruleset *rs)
{
	return rs->ndept;
}

const struct department *
rules_department_at(const struct ruleset *rs, size_t i)
{
	return i < rs->ndept ? &rs->dept[i] : NULL;
}

const struct department *
rules_department_by_name(const struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < rs->ndept; i++)
		if (strcmp(rs->dept[i].name, name) == 0)
			return &rs->dept[i];
	return NULL;
}

size_t
rules_nnets(const struct ruleset *rs)
{
	return rs->nnet;
}

const struct rule_net *
rules_net_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nnet ? &rs->net[i] : NULL;
}

const struct department *
rules_vlan_department(const struct ruleset *rs, unsigned vlan,
    struct rule_loc *why)
{
	const struct vlanent *v;

	if (why != NULL)
		memset(why, 0, sizeof(*why));
	if (rs == NULL || rs->vlanmap == NULL || vlan == 0 ||
	    vlan > VLAN_MAX || rs->vlanmap[vlan] == 0)
		return NULL;
	v = &rs->vlan[rs->vlanmap[vlan] - 1];
	if (why != NULL)
		*why = v->loc;
	return &rs->dept[v->dept];
}

static void
decision_set(struct decision *why, const struct pstmt *p,
    const struct department *dept)
{
	why->verdict = p->verdict;
	why->level = p->level;
	why->dept = dept;
	why->loc.file = p->file;
	why->loc.line = p->line;
	why->loc.col = p->col;
}

enum verdict
rules_verdict(const struct ruleset *rs, const struct service *s,
    const struct department *dept, struct decision *why)
{
	struct decision tmp;
	const struct pstmt *p = NULL;
	size_t k, i;

	if (why == NULL)
		why = &tmp;
	memset(why, 0, sizeof(*why));
	if (s == NULL) {
		if (rs->unkdec != NULL) {
			decision_set(why, rs->unkdec, NULL);
			return why->verdict;
		}
		why->verdict = VERDICT_TOLERATED;
		why->level = RULE_BUILTIN;
		return why->verdict;
	}
	if (dept != NULL && rs->deptdec != NULL && dept >= rs->dept &&
	    dept < rs->dept + rs->ndept && s >= rs->svc &&
	    s < rs->svc + rs->nsvc) {
		k = (size_t)(dept - rs->dept);
		i = (size_t)(s - rs->svc);
		p = rs->deptdec[k * rs->nsvc + i];
	}
	if (p != NULL) {
		decision_set(why, p, dept);
		return why->verdict;
	}
	why->verdict = s->verdict;
	why->level = s->decided_by;
	why->loc.file = s->decided_file;
	why->loc.line = s->decided_line;
	why->loc.col = s->decided_col;
	return why->verdict;
}

enum verdict
rules_unknown_verdict(const struct ruleset *rs)
{
	return rules_verdict(rs, NULL, NULL, NULL);
}

size_t
rules_nthresholds(const struct ruleset *rs)
{
	return rs->nthr;
}

const struct threshold *
rules_threshold_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nthr ? &rs->thr[i] : NULL;
}

int
rules_threshold_applies(const struct threshold *t, const struct service *s,
    enum verdict v, const struct department *dept)
{
	if (t->dept != NULL && t->dept != dept)
		return 0;
	if (t->verdict != VERDICT_NONE && t->verdict != v)
		return 0;
	switch (t->scope) {
	case RULE_CATEGORY:
		return s != NULL && strcmp(s->category, t->id) == 0;
	case RULE_SERVICE:
		return s != NULL && strcmp(s->id, t->id) == 0;
	default:
		return 1;
	}
}

static const char *const protocol_names[] = {
	"ssh", "rdp", "vnc", "teamviewer", "anydesk", "radmin", "nomachine",
	"rustdesk", "openvpn", "wireguard", "ipsec", "pptp", "l2tp", "socks",
	"http-connect", "tor", "bittorrent", "edonkey", "syncthing", "dot",
	"doq", "doh", "dnscrypt", "stun", "quic", "tinc", "xmpp", "whatsapp",
	"ms-stun", "gquic-rtp",
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

/* Message helpers. */

/*
 * Copies a token into buf for quoting in a message: printable ASCII is
 * kept, everything else becomes \xNN, and long tokens end in "...".
 */
static const char *
quote(char *buf, size_t bufsz, const char *s, size_t len)
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

#define Q(buf, s)	quote((buf), sizeof(buf), (s), strlen(s))

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

/* Keeps the closest candidate within SUGGEST_DIST; first one wins ties. */
struct suggest {
	const char	*best;
	size_t		 dist;
};

static void
suggest_try(struct suggest *sg, const char *word, const char *cand)
{
	size_t dist = edit_distance(word, cand);

	if (dist <= SUGGEST_DIST && dist > 0 && dist < strlen(word) &&
	    (sg->best == NULL || dist < sg->dist)) {
		sg->best = cand;
		sg->dist = dist;
	}
}

static const char *
suggest_list(const char *word, const char *const *cands, size_t n)
{
	struct suggest sg = { NULL, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		suggest_try(&sg, word, cands[i]);
	return sg.best;
}

/* Formats "; did you mean \"x\"?" or "" into buf. */
static const char *
didyoumean(char *buf, size_t bufsz, const char *best)
{
	char q[QUOTE_MAX * 4 + 8];

	if (best == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, bufsz, "; did you mean \"%s\"?",
		    quote(q, sizeof(q), best, strlen(best)));
	return buf;
}

/* The parser. */

enum tok_type {
	T_WORD,
	T_STRING,
	T_LBRACE,
	T_RBRACE,
};

struct tok {
	enum tok_type	 type;
	const char	*s;	/* NUL-terminated value (decoded string) */
	size_t		 off;	/* offset of s in the parser's sbuf */
	size_t		 len;
	int		 col;	/* 1-based */
	int		 endcol;	/* column just past the token */
};

enum block {
	B_NONE,
	B_SERVICE,
	B_CATEGORY,
	B_DEPARTMENT,
	B_SKIP,		/* a broken header: skip to the next "}" */
};

/* Keys inside blocks. */
enum key {
	K_NAME,
	K_VENDOR,
	K_CATEGORY,
	K_RISK,
	K_NOTES,
	K_DOMAINS,
	K_EXCEPT,
	K_IPS,
	K_ASNS,
	K_JA4,
	K_PROTOCOLS,
	K_PORTS,
	K_DESCRIPTION,
	K_NKEYS
};

static const char *const key_names[K_NKEYS] = {
	"name", "vendor", "category", "risk", "notes", "domains", "except",
	"ips", "asns", "ja4", "protocols", "ports", "description",
};

static const char *const stmt_names[] = {
	"service", "category", "default", "sanctioned", "tolerated",
	"unsanctioned", "department", "ignore", "unknown", "alert",
	"override", "reliability",
};

static const char *const dept_key_names[] = {
	"subnets", "vlans", "sanctioned", "tolerated", "unsanctioned",
	"alert",
};

static const char *const verdict_names[] = {
	"sanctioned", "tolerated", "unsanctioned",
};

static const char *const risk_names[] = {
	"low", "medium", "high", "critical",
};

struct parser {
	struct ruleset	*rs;
	struct diags	*d;
	const char	*file;		/* in the ruleset's arena */
	size_t		 rank;
	int		 line;
	int		 gaveup;
	/* The block being read. */
	enum block	 block;
	int		 bline;		/* the header keyword */
	int		 bcol;
	int		 idcol;		/* the header id */
	size_t		 berrs;		/* errors before the block opened */
	char		 bid[SERVICE_ID_MAX + 1];
	int		 need_brace;
	int		 discard;	/* duplicate or bad id: drop at "}" */
	int		 seen[K_NKEYS];	/* line a single-valued key was set */
	size_t		 domstart;
	size_t		 ndomains;
	size_t		 itemstart;
	int		 override;	/* "override service" */
	int		 ovcol;
	size_t		 ovidx;		/* the service it replaces */
	size_t		 curdept;	/* B_DEPARTMENT: its index */
	struct service	 cur;
	struct svcx	 curx;
	struct category	 curcat;
	/* The current line's tokens. */
	struct tok	*tok;
	size_t		 ntok;
	size_t		 captok;
	char		*sbuf;
	size_t		 sbufcap;
};

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

static void perr(struct parser *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void pwarn(struct parser *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static void rerr(struct ruleset *, struct diags *, const char *, size_t, int,
    int, enum diag_level, const char *, ...)
    __attribute__((format(printf, 8, 9)));

/* An error at column col of the current line. */
static void
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

static void
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
static void
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
static int
lex_line(struct parser *ps, const char *line, size_t len)
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

static const char *
tok_desc(char *buf, size_t bufsz, const struct tok *t)
{
	char q[QUOTE_MAX * 4 + 8];

	snprintf(buf, bufsz, "\"%s\"", quote(q, sizeof(q), t->s, t->len));
	return buf;
}

/* Ids: lowercase letters, digits and '-', starting with a letter or digit. */
static int
check_id(struct parser *ps, const struct tok *t, const char *what,
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
		    "digits and \"-\"", what, quote(q, sizeof(q), t->s,
		    t->len));
		return -1;
	}
	if (t->len > max) {
		perr(ps, t->col, "%s id \"%s\" is longer than %zu bytes",
		    what, quote(q, sizeof(q), t->s, t->len), max);
		return -1;
	}
	return 0;
}

static int
parse_verdict(const char *s, enum verdict *v)
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

	best = suggest_list(t->s, verdict_names, nitems(verdict_names));
	if (best != NULL)
		perr(ps, t->col, "unknown verdict \"%s\"%s",
		    quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), best));
	else
		perr(ps, t->col, "unknown verdict \"%s\"; expected sanctioned, "
		    "tolerated or unsanctioned", quote(q, sizeof(q), t->s,
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
	p->id = id != NULL ? arena_dup(rs, id->s, id->len) : NULL;
	p->dept = ps->block == B_DEPARTMENT ? ps->curdept : DEPT_NONE;
	p->file = ps->file;
	p->rank = ps->rank;
	p->seq = rs->npol++;
	p->line = line;
	p->col = col;
}

/* "default VERDICT" */
static void
stmt_default(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	enum verdict v;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected a verdict after "
		    "\"default\"");
		return;
	}
	if (ps->tok[1].type != T_WORD ||
	    parse_verdict(ps->tok[1].s, &v) == -1) {
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
static void
stmt_verdict(struct parser *ps, enum verdict v)
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
		    t->type == T_WORD ? suggest_list(t->s, kinds,
		    nitems(kinds)) : NULL));
		return;
	}
	if (ps->ntok < 3) {
		perr(ps, t->endcol, "expected at least one %s id after \"%s\"",
		    t->s, t->s);
		return;
	}
	for (i = 2; i < ps->ntok; i++) {
		if (check_id(ps, &ps->tok[i], t->s, level == RULE_SERVICE ?
		    SERVICE_ID_MAX : CATEGORY_MAX) == -1)
			continue;
		pol_push(ps, level, v, &ps->tok[i], ps->line, ps->tok[i].col);
	}
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
	ps->discard = check_id(ps, id, what, kind == B_SERVICE ?
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
		if (!strmap_get(&ps->rs->svcmap, ps->bid, &prev)) {
			struct suggest sg = { NULL, 0 };
			char dy[QUOTE_MAX * 4 + 32];
			size_t j;

			for (j = 0; j < ps->rs->nsvc; j++)
				suggest_try(&sg, ps->bid, ps->rs->svc[j].id);
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
		if (strmap_get(&ps->rs->svcmap, ps->bid, &prev)) {
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
		if (strmap_get(&ps->rs->catmap, ps->bid, &prev)) {
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

static void
block_close(struct parser *ps)
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
		strmap_put(&rs->svcmap, arena_dup(rs, ps->cur.id,
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
		strmap_put(&rs->catmap, arena_dup(rs, ps->curcat.id,
		    strlen(ps->curcat.id)), rs->ncat);
		rs->ncat++;
	}
	ps->block = B_NONE;
	ps->override = 0;
}

static void
unterminated(struct parser *ps)
{
	rerr(ps->rs, ps->d, ps->file, ps->rank, ps->bline, ps->bcol,
	    DIAG_ERROR, "unterminated block for %s \"%s\": missing \"}\"",
	    ps->block == B_SERVICE ? "service" : ps->block == B_CATEGORY ?
	    "category" : "department", ps->bid);
}

static void stmt_top(struct parser *);

/*
 * Parses "ADDR" or "ADDR/LEN" (IPv4 or IPv6) into family, addr and plen,
 * with the canonical text in canon. Returns NULL, or why it is not a
 * network; when only host bits are wrong, canon holds the network.
 */
static const char *
cidr_parse(const char *w, int *family, uint8_t addr[16], unsigned *plen,
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
		why = cidr_parse(t->s, &family, addr, &plen, canon,
		    sizeof(canon));
		if (why != NULL && strcmp(why, "host bits are set") == 0) {
			perr(ps, t->col, "bad network \"%s\": host bits are "
			    "set; did you mean \"%s\"?", quote(q, sizeof(q),
			    t->s, t->len), canon);
			continue;
		}
		if (why != NULL) {
			perr(ps, t->col, "bad network \"%s\": %s",
			    quote(q, sizeof(q), t->s, t->len), why);
			continue;
		}
		if (dept != DEPT_NONE && ps->discard)
			continue;
		if (rs->nnet == rs->capnet) {
			rs->capnet = rs->capnet ? rs->capnet * 2 : 16;
			rs->net = xreallocarray(rs->net, rs->capnet,
			    sizeof(*rs->net));
		}
		n = &rs->net[rs->nnet++];
		memset(n, 0, sizeof(*n));
		n->family = family;
		n->plen = plen;
		memcpy(n->addr, addr, sizeof(n->addr));
		n->dept = dept;
		n->text = arena_dup(rs, canon, strlen(canon));
		n->loc.file = ps->file;
		n->loc.line = ps->line;
		n->loc.col = t->col;
	}
}

/* "ignore networks CIDR..." */
static void
stmt_ignore(struct parser *ps)
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

/* "unknown VERDICT" */
static void
stmt_unknown(struct parser *ps)
{
	char q[QUOTE_MAX * 4 + 8];
	enum verdict v;

	if (ps->ntok < 2) {
		perr(ps, ps->tok[0].endcol, "expected a verdict after "
		    "\"unknown\"");
		return;
	}
	if (ps->tok[1].type != T_WORD ||
	    parse_verdict(ps->tok[1].s, &v) == -1) {
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
static size_t
parse_size(struct parser *ps, size_t i, uint64_t *out)
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
			    quote(q, sizeof(q), t->s, t->len));
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
		    "MB, GB, TB, KiB, MiB, GiB or TiB", quote(q, sizeof(q),
		    t->s, t->len));
		return 0;
	} else {
		perr(ps, used == 2 ? ps->tok[i + 1].col : t->col, "bad size "
		    "unit \"%s\"; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB",
		    *u != '\0' ? u : "");
		return 0;
	}
	if (v > UINT64_MAX / mul) {
		perr(ps, t->col, "size \"%s\" is too large",
		    quote(q, sizeof(q), t->s, t->len));
		return 0;
	}
	*out = v * mul;
	return used;
}

/*
 * "alert upload SIZE per hour|day|week [VERDICT]
 *      [category ID... | service ID...]"
 */
static void
stmt_alert(struct parser *ps)
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
	if ((n = parse_size(ps, 2, &th.bytes)) == 0)
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
		    suggest_list(t->s, periods, nitems(periods)) : NULL);
		perr(ps, t->col, "bad period %s%s", tok_desc(q, sizeof(q), t),
		    dy[0] != '\0' ? dy : "; expected hour, day or week");
		return;
	}
	th.period = secs[p];
	i++;
	if (i < ps->ntok && ps->tok[i].type == T_WORD &&
	    parse_verdict(ps->tok[i].s, &v) == 0) {
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
			if (check_id(ps, t, ps->tok[first].s,
			    th.scope == RULE_SERVICE ? SERVICE_ID_MAX :
			    CATEGORY_MAX) == -1)
				continue;
			th.id = arena_dup(rs, t->s, t->len);
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
static void
stmt_department(struct parser *ps)
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

static int
is_block_word(const char *s)
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
	    strcmp(s, "reliability") == 0 || parse_verdict(s, &v) == 0;
}

/* One line inside a department block. */
static void
dept_line(struct parser *ps)
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
		block_close(ps);
		return;
	}
	if (t->type == T_WORD && ((is_block_word(t->s) && ps->ntok >= 2 &&
	    ps->tok[ps->ntok - 1].type == T_LBRACE) ||
	    strcmp(t->s, "default") == 0 || strcmp(t->s, "ignore") == 0 ||
	    strcmp(t->s, "unknown") == 0)) {
		unterminated(ps);
		block_close(ps);
		stmt_top(ps);
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
		stmt_alert(ps);
	else if (parse_verdict(t->s, &v) == 0)
		stmt_verdict(ps, v);
	else
		perr(ps, t->col, "unknown key \"%s\" in a department%s",
		    quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), suggest_list(t->s,
		    dept_key_names, nitems(dept_key_names))));
	if (close)
		block_close(ps);
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

static void
stmt_reliability(struct parser *ps)
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
		    suggest_list(k->s, rel_names, nitems(rel_names))));
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

const struct rel_opts *
rules_reliability(const struct ruleset *rs)
{
	return &rs->rel;
}

static void
stmt_top(struct parser *ps)
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
		stmt_default(ps);
	else if (parse_verdict(t->s, &v) == 0)
		stmt_verdict(ps, v);
	else if (strcmp(t->s, "department") == 0)
		stmt_department(ps);
	else if (strcmp(t->s, "ignore") == 0)
		stmt_ignore(ps);
	else if (strcmp(t->s, "unknown") == 0)
		stmt_unknown(ps);
	else if (strcmp(t->s, "alert") == 0)
		stmt_alert(ps);
	else if (strcmp(t->s, "override") == 0)
		stmt_override(ps);
	else if (strcmp(t->s, "reliability") == 0)
		stmt_reliability(ps);
	else
		perr(ps, t->col, "unknown statement \"%s\"%s",
		    quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), suggest_list(t->s, stmt_names,
		    nitems(stmt_names))));
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
			    quote(q, sizeof(q), t->s, t->len), why);
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
		rd->name = arena_dup(rs, norm, strlen(norm));
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
	didyoumean(dy, sizeof(dy), suggest_list(t->s, risk_names,
	    nitems(risk_names)));
	perr(ps, t->col, "bad risk level \"%s\"%s",
	    quote(q, sizeof(q), t->s, t->len), dy[0] != '\0' ? dy :
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
			why = cidr_parse(t->s, &it.family, it.addr, &it.plen,
			    canon, sizeof(canon));
			if (why != NULL && strcmp(why, "host bits are set") ==
			    0) {
				perr(ps, t->col, "bad network \"%s\": host "
				    "bits are set; did you mean \"%s\"?",
				    quote(q, sizeof(q), t->s, t->len), canon);
				continue;
			}
			if (why != NULL) {
				perr(ps, t->col, "bad network \"%s\": %s",
				    quote(q, sizeof(q), t->s, t->len), why);
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
				    "AS64496", quote(q, sizeof(q), t->s,
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
				    quote(q, sizeof(q), t->s, t->len));
				continue;
			}
			break;
		case RULE_PROTOCOL:
			if (!rules_protocol_known(t->s)) {
				didyoumean(dy, sizeof(dy), suggest_list(t->s,
				    protocol_names, nitems(protocol_names)));
				perr(ps, t->col, "unknown protocol \"%s\"%s",
				    quote(q, sizeof(q), t->s, t->len),
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
				    quote(q, sizeof(q), t->s, t->len));
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
		ip->text = arena_dup(rs, canon, strlen(canon));
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
		block_close(ps);
		return;
	}
	if (t->type == T_WORD && is_block_word(t->s) && ps->ntok >= 2 &&
	    ps->tok[ps->ntok - 1].type == T_LBRACE) {
		unterminated(ps);
		block_close(ps);
		stmt_top(ps);
		return;
	}
	if (t->type == T_WORD && is_policy_word(t->s)) {
		unterminated(ps);
		block_close(ps);
		stmt_top(ps);
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
		    quote(q, sizeof(q), t->s, t->len),
		    didyoumean(dy, sizeof(dy), suggest_list(t->s, key_names,
		    ps->block == B_SERVICE ? K_DESCRIPTION : K_NKEYS)));
		ki = -1;
	}
	if (ki >= 0 && ki != K_DOMAINS && ki != K_EXCEPT && ki != K_IPS &&
	    ki != K_ASNS && ki != K_JA4 && ki != K_PROTOCOLS &&
	    ki != K_PORTS) {
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
		if (check_id(ps, t, "category", CATEGORY_MAX) == -1)
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
	default:
		break;
	}
	if (close)
		block_close(ps);
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
		if (lex_line(ps, line, ll) == -1) {
			if (ps->block == B_NONE && memchr(line, '{', ll))
				ps->block = B_SKIP;
		} else if (ps->ntok > 0) {
			switch (ps->block) {
			case B_NONE:
				stmt_top(ps);
				break;
			case B_SKIP:
				if (ps->tok[0].type == T_RBRACE)
					ps->block = B_NONE;
				else if (ps->tok[0].type == T_WORD &&
				    is_block_word(ps->tok[0].s))
					stmt_top(ps);
				break;
			case B_DEPARTMENT:
				dept_line(ps);
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
			unterminated(ps);
		block_close(ps);
	}
	ps->block = B_NONE;
}

/* Loading files. */

static void
file_rank(struct parser *ps, const char *path)
{
	struct ruleset *rs = ps->rs;

	ps->file = arena_dup(rs, path, strlen(path));
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

/* Resolution, after every file is read. */

static void
resolve_categories(struct ruleset *rs, struct diags *d)
{
	char dy[QUOTE_MAX * 4 + 32];
	struct suggest sg;
	unsigned char *used;
	struct service *s;
	size_t i, j, ci;

	used = xcalloc(rs->ncat + 1, 1);
	for (i = 0; i < rs->nsvc; i++) {
		s = &rs->svc[i];
		if (s->category[0] == '\0')
			continue;
		if (strmap_get(&rs->catmap, s->category, &ci)) {
			if (!used[ci])
				rs->ncatused++;
			used[ci] = 1;
			continue;
		}
		sg.best = NULL;
		sg.dist = 0;
		for (j = 0; j < rs->ncat; j++)
			suggest_try(&sg, s->category, rs->cat[j].id);
		rerr(rs, d, s->file, rs->svcx[i].rank, rs->svcx[i].catline,
		    rs->svcx[i].catcol, DIAG_ERROR, "unknown category \"%s\"%s",
		    s->category, didyoumean(dy, sizeof(dy), sg.best));
	}
	free(used);
}

static int
pstmt_cmp(const void *a, const void *b)
{
	const struct pstmt *x = *(const struct pstmt *const *)a;
	const struct pstmt *y = *(const struct pstmt *const *)b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if (x->id != NULL && y->id != NULL && (c = strcmp(x->id, y->id)) != 0)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *
level_word(enum rule_level l)
{
	return l == RULE_SERVICE ? "service" : l == RULE_CATEGORY ?
	    "category" : l == RULE_UNKNOWN ? "unknown" : "default";
}

/*
 * One pass over the sorted statements of department dept (DEPT_NONE: the
 * organisation-wide ones): resolves ids, reports conflicts, and leaves the
 * deciding statement per service, per category, for "default" and for
 * "unknown".
 */
static void
decide(struct ruleset *rs, struct diags *d, const struct pstmt **sorted,
    size_t dept, const struct pstmt **svcdec, const struct pstmt **catdec,
    const struct pstmt **def, const struct pstmt **unk)
{
	char dy[QUOTE_MAX * 4 + 32];
	const struct pstmt *p, *q;
	struct suggest sg;
	size_t i, j, idx = 0;

	for (i = 0; i < rs->npol; i++) {
		p = sorted[i];
		if (p->dept != dept)
			continue;
		if (p->level == RULE_SERVICE &&
		    !strmap_get(&rs->svcmap, p->id, &idx)) {
			sg.best = NULL;
			sg.dist = 0;
			if (rs->ndiag[p->rank] < RULES_DIAGS_MAX)
				for (j = 0; j < rs->nsvc; j++)
					suggest_try(&sg, p->id, rs->svc[j].id);
			rerr(rs, d, p->file, p->rank, p->line, p->col,
			    DIAG_ERROR, "unknown service \"%s\"%s", p->id,
			    didyoumean(dy, sizeof(dy), sg.best));
			continue;
		}
		if (p->level == RULE_CATEGORY &&
		    !strmap_get(&rs->catmap, p->id, &idx)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->ncat; j++)
				suggest_try(&sg, p->id, rs->cat[j].id);
			rerr(rs, d, p->file, p->rank, p->line, p->col,
			    DIAG_ERROR, "unknown category \"%s\"%s", p->id,
			    didyoumean(dy, sizeof(dy), sg.best));
			continue;
		}
		q = p->level == RULE_SERVICE ? svcdec[idx] :
		    p->level == RULE_CATEGORY ? catdec[idx] :
		    p->level == RULE_UNKNOWN ? *unk : *def;
		if (q != NULL && q->rank == p->rank) {
			if (q->verdict != p->verdict)
				rerr(rs, d, p->file, p->rank, p->line, p->col,
				    DIAG_ERROR, "conflicting decision for "
				    "%s%s%s: %s here, %s on line %d",
				    level_word(p->level), p->id ? " " : "",
				    p->id ? p->id : "", verdict_str(p->verdict),
				    verdict_str(q->verdict), q->line);
			else
				rerr(rs, d, p->file, p->rank, p->line, p->col,
				    DIAG_WARNING, "%s%s%s is already %s on "
				    "line %d", level_word(p->level),
				    p->id ? " " : "", p->id ? p->id : "",
				    verdict_str(q->verdict), q->line);
			continue;
		}
		if (p->level == RULE_SERVICE)
			svcdec[idx] = p;
		else if (p->level == RULE_CATEGORY)
			catdec[idx] = p;
		else if (p->level == RULE_UNKNOWN)
			*unk = p;
		else
			*def = p;
	}
}

/*
 * Applies the policy: a service statement beats a category statement,
 * which beats "default"; at the same level a later file beats an earlier
 * one, and two different decisions in one file are an error. Then each
 * department's own statements are resolved the same way into deptdec.
 */
static void
resolve_policy(struct ruleset *rs, struct diags *d)
{
	const struct pstmt **sorted, **catdec, **svcdec, *p, *def = NULL;
	const struct pstmt *unk = NULL;
	struct service *s;
	size_t i, k, idx;

	sorted = xreallocarray(NULL, rs->npol + 1, sizeof(*sorted));
	catdec = xcalloc(rs->ncat + 1, sizeof(*catdec));
	svcdec = xcalloc(rs->nsvc + 1, sizeof(*svcdec));
	for (i = 0; i < rs->npol; i++)
		sorted[i] = &rs->pol[i];
	qsort(sorted, rs->npol, sizeof(*sorted), pstmt_cmp);
	decide(rs, d, sorted, DEPT_NONE, svcdec, catdec, &def, &unk);
	rs->defverdict = def != NULL ? def->verdict : VERDICT_UNSANCTIONED;
	rs->unkdec = unk;
	for (i = 0; i < rs->nsvc; i++) {
		s = &rs->svc[i];
		p = svcdec[i];
		if (p == NULL && strmap_get(&rs->catmap, s->category, &idx))
			p = catdec[idx];
		if (p == NULL)
			p = def;
		if (p == NULL) {
			s->verdict = VERDICT_UNSANCTIONED;
			s->decided_by = RULE_BUILTIN;
			s->decided_file = NULL;
			s->decided_line = 0;
			s->decided_col = 0;
		} else {
			s->verdict = p->verdict;
			s->decided_by = p->level;
			s->decided_file = p->file;
			s->decided_line = p->line;
			s->decided_col = p->col;
		}
	}
	if (rs->ndept > 0 && rs->nsvc > 0)
		rs->deptdec = xcalloc(rs->ndept * rs->nsvc,
		    sizeof(*rs->deptdec));
	for (k = 0; k < rs->ndept; k++) {
		memset(svcdec, 0, (rs->nsvc + 1) * sizeof(*svcdec));
		memset(catdec, 0, (rs->ncat + 1) * sizeof(*catdec));
		def = unk = NULL;
		decide(rs, d, sorted, k, svcdec, catdec, &def, &unk);
		for (i = 0; i < rs->nsvc; i++) {
			p = svcdec[i];
			if (p == NULL && strmap_get(&rs->catmap,
			    rs->svc[i].category, &idx))
				p = catdec[idx];
			rs->deptdec[k * rs->nsvc + i] = p;
		}
	}
	free(sorted);
	free(catdec);
	free(svcdec);
}

/*
 * Resolves thresholds (ids and departments) and the VLAN map; reports
 * unknown ids and VLANs given to two departments.
 */
static void
resolve_thresholds(struct ruleset *rs, struct diags *d)
{
	char dy[QUOTE_MAX * 4 + 32];
	struct threshold *t;
	struct vlanent *v, *w;
	struct suggest sg;
	size_t i, j;

	for (i = 0; i < rs->nthr; i++) {
		t = &rs->thr[i];
		t->dept = rs->thrx[i].dept == DEPT_NONE ? NULL :
		    &rs->dept[rs->thrx[i].dept];
		if (t->scope == RULE_SERVICE &&
		    !strmap_get(&rs->svcmap, t->id, NULL)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->nsvc; j++)
				suggest_try(&sg, t->id, rs->svc[j].id);
			rerr(rs, d, t->loc.file, rs->thrx[i].rank, t->loc.line,
			    t->loc.col, DIAG_ERROR, "unknown service "
			    "\"%s\"%s", t->id, didyoumean(dy, sizeof(dy),
			    sg.best));
		} else if (t->scope == RULE_CATEGORY &&
		    !strmap_get(&rs->catmap, t->id, NULL)) {
			sg.best = NULL;
			sg.dist = 0;
			for (j = 0; j < rs->ncat; j++)
				suggest_try(&sg, t->id, rs->cat[j].id);
			rerr(rs, d, t->loc.file, rs->thrx[i].rank, t->loc.line,
			    t->loc.col, DIAG_ERROR, "unknown category "
			    "\"%s\"%s", t->id, didyoumean(dy, sizeof(dy),
			    sg.best));
		}
	}
	if (rs->nvlan == 0)
		return;
	rs->vlanmap = xcalloc(VLAN_MAX + 1, sizeof(*rs->vlanmap));
	for (i = 0; i < rs->nvlan; i++) {
		v = &rs->vlan[i];
		if (rs->vlanmap[v->vlan] == 0) {
			rs->vlanmap[v->vlan] = (uint32_t)i + 1;
			continue;
		}
		w = &rs->vlan[rs->vlanmap[v->vlan] - 1];
		rerr(rs, d, v->loc.file, v->rank, v->loc.line, v->loc.col,
		    DIAG_WARNING, "VLAN %u of department \"%s\" is already "
		    "given to \"%s\" at %s:%d, which wins", v->vlan,
		    rs->dept[v->dept].name, rs->dept[w->dept].name,
		    w->loc.file, w->loc.line);
	}
}

static size_t
file_rank_of(const struct ruleset *rs, const char *file)
{
	size_t i;

	for (i = 0; i < rs->npol; i++)
		if (rs->pol[i].file == file)
			return rs->pol[i].rank;
	for (i = 0; i < rs->nsvc; i++)
		if (rs->svc[i].file == file)
			return rs->svcx[i].rank;
	return rs->nfiles;
}

/*
 * Reports service keys and policy networks listed twice: the first one
 * in load order wins, the rest are warnings naming both places.
 */
static void
check_items(struct ruleset *rs, struct diags *d)
{
	static const char *const kinds[] = { "network", "AS number",
	    "JA4 fingerprint", "protocol", "port" };
	const struct rule_item *it, *own;
	const struct rule_net *n, *on;
	size_t i;

	for (i = 0; i < rs->nitem; i++) {
		it = &rs->item[i];
		own = match_index_item(rs->idx, it);
		if (own == NULL || own == it)
			continue;
		rerr(rs, d, it->loc.file, rs->svcx[it->service].rank,
		    it->loc.line, it->loc.col, DIAG_WARNING, "%s %s of "
		    "service \"%s\" is already listed by \"%s\" at %s:%d, "
		    "which wins", kinds[it->kind], it->text,
		    rs->svc[it->service].id, rs->svc[own->service].id,
		    own->loc.file, own->loc.line);
	}
	for (i = 0; i < rs->nnet; i++) {
		n = &rs->net[i];
		on = match_index_net(rs->idx, n);
		if (on == NULL || on == n)
			continue;
		if (n->dept == DEPT_NONE)
			rerr(rs, d, n->loc.file, file_rank_of(rs, n->loc.file),
			    n->loc.line, n->loc.col, DIAG_WARNING, "network "
			    "%s is already ignored at %s:%d", n->text,
			    on->loc.file, on->loc.line);
		else
			rerr(rs, d, n->loc.file, file_rank_of(rs, n->loc.file),
			    n->loc.line, n->loc.col, DIAG_WARNING, "subnet %s "
			    "of department \"%s\" is already given to \"%s\" "
			    "at %s:%d, which wins", n->text,
			    rs->dept[n->dept].name, rs->dept[on->dept].name,
			    on->loc.file, on->loc.line);
	}
}

/* Reports domains listed twice and exceptions that cannot apply. */
static void
check_domains(struct ruleset *rs, struct diags *d)
{
	const struct rule_domain *rd, *own;
	const char *s;
	size_t i;
	int ok;

	for (i = 0; i < rs->ndom; i++) {
		rd = &rs->dom[i];
		if (rd->except) {
			ok = 0;
			for (s = rd->name; s != NULL && !ok;
			    s = strchr(s, '.') != NULL ? strchr(s, '.') + 1 :
			    NULL) {
				own = match_index_domain(rs->idx, s);
				if (own != NULL && own->service == rd->service)
					ok = 1;
			}
			if (!ok)
				rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
				    rd->line, rd->col, DIAG_WARNING, "except "
				    "\"%s\" is not under any domain of service "
				    "\"%s\"; it has no effect", rd->name,
				    rs->svc[rd->service].id);
			continue;
		}
		own = match_index_domain(rs->idx, rd->name);
		if (own == NULL || own == rd)
			continue;
		if (own->service == rd->service)
			rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
			    rd->line, rd->col, DIAG_WARNING, "domain \"%s\" is "
			    "listed twice in service \"%s\"; first at %s:%d",
			    rd->name, rs->svc[rd->service].id, own->file,
			    own->line);
		else
			rerr(rs, d, rd->file, rs->svcx[rd->service].rank,
			    rd->line, rd->col, DIAG_WARNING, "domain \"%s\" of "
			    "service \"%s\" is already listed by \"%s\" at "
			    "%s:%d, which wins", rd->name,
			    rs->svc[rd->service].id, rs->svc[own->service].id,
			    own->file, own->line);
	}
}

struct ruleset *
rules_parse_sources(const struct rules_sources *src, struct diags *d)
{
	struct parser ps;
	struct ruleset *rs;
	size_t i, first = d->n;

	rs = xcalloc(1, sizeof(*rs));
	health_opts_default(&rs->rel);
	memset(&ps, 0, sizeof(ps));
	ps.rs = rs;
	ps.d = d;
	for (i = 0; i < src->n; i++)
		load_source(&ps, &src->v[i]);
	free(ps.tok);
	free(ps.sbuf);
	resolve_categories(rs, d);
	resolve_policy(rs, d);
	resolve_thresholds(rs, d);
	rs->idx = match_index_new(rs);
	check_domains(rs, d);
	check_items(rs, d);
	diags_sort_from(d, first);
	return rs;
}

struct ruleset *
rules_load_sources(const struct rules_sources *src, struct diags *d)
{
	struct ruleset *rs;
	size_t before = d->nerr;

	rs = rules_parse_sources(src, d);
	if (d->nerr > before) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_parse(const char *const *paths, size_t npaths, struct diags *d)
{
	struct rules_sources src;
	struct ruleset *rs;

	memset(&src, 0, sizeof(src));
	rulesrc_read(&src, paths, npaths);
	rs = rules_parse_sources(&src, d);
	rulesrc_free(&src);
	return rs;
}

struct ruleset *
rules_load(const char *const *paths, size_t npaths, struct diags *d)
{
	struct ruleset *rs;
	size_t before = d->nerr;

	rs = rules_parse(paths, npaths, d);
	if (d->nerr > before) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}
