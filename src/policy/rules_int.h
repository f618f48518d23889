/* SPDX-License-Identifier: ISC */
/*
 * rules_int.h: the rule language's internals, shared by policy/rules*.c
 * only: the ruleset's layout, the parser's state and the functions each
 * part of the loader gives the others. Include policy/rules.h first: this
 * header does not, so that rules.c including it makes no include loop.
 */
#ifndef SHADOWTAP_RULES_INT_H
#define SHADOWTAP_RULES_INT_H

#ifndef SHADOWTAP_RULES_H
#error "include policy/rules.h before policy/rules_int.h"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "base/health.h"

#define RULES_DIAGS_MAX		100	/* errors (and warnings) per file */
#define QUOTE_MAX		48	/* bytes of a token quoted in a message */
#define VLAN_MAX		4094	/* IEEE 802.1Q: VIDs 1..4094 */
#define DEPT_NONE		SIZE_MAX	/* an organisation-wide statement */
#define DEPT_LOCAL		(SIZE_MAX - 1)	/* a "local-networks" entry */

/* A small open-addressing map from strings to indexes, for id lookups. */
struct strmap {
	const char	**key;
	size_t		 *val;
	size_t		  cap;		/* power of two, or 0 */
	size_t		  n;
};

/*
 * The ruleset: rules.h's opaque struct ruleset, with what the loader
 * keeps of each policy statement (pstmt), service (svcx), VLAN and
 * upload alert (thrx) to resolve them once every file is read.
 */
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
	struct use_opts		 use;		/* "use" settings (rules_org.c) */
	struct inst_tab		*inst;		/* instance.c's, or NULL */
	struct pick_one		*pick;		/* "pick-one" (rules_org.c) */
	size_t			 npick;
	size_t			 cappick;
	struct rule_net		*lnet;		/* "local-networks" */
	size_t			 nlnet;
	size_t			 caplnet;
};

/* The parser (rules_parse.c, rules_policy.c, rules_lex.c). */

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
	K_INSTANCE,
	K_INSTANCE_EXCEPT,
	K_DESCRIPTION,
	K_NKEYS
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

/* Keeps the closest candidate within a small edit distance. */
struct suggest {
	const char	*best;
	size_t		 dist;
};

/* rules.c: the ruleset's id maps and string arena. */
int		 rules_strmap_get(const struct strmap *, const char *k,
		    size_t *val);
/* Inserts k (which must outlive the map) unless present. */
void		 rules_strmap_put(struct strmap *, const char *k, size_t val);
void		 rules_strmap_free(struct strmap *);
/* A NUL-terminated copy of s[0..len) that lives as long as rs. */
const char	*rules_arena_dup(struct ruleset *rs, const char *s, size_t len);

/* rules_diag.c: collecting diagnostics and wording them. */
const char	*diags_intern(struct diags *, const char *file);
void		 diags_vadd(struct diags *, enum diag_level, const char *file,
		    int line, int col, const char *fmt, va_list ap)
		    __attribute__((format(printf, 6, 0)));
/* Sorts diagnostics from..end by (file rank, line, col), stably. */
void		 diags_sort_from(struct diags *, size_t from);
/*
 * Copies a token into buf for quoting in a message: printable ASCII is
 * kept, everything else becomes \xNN, and long tokens end in "...".
 */
const char	*rules_quote(char *buf, size_t bufsz, const char *s,
		    size_t len);
void		 rules_suggest_try(struct suggest *, const char *word,
		    const char *cand);
const char	*rules_suggest_list(const char *word, const char *const *cands,
		    size_t n);
/* Formats "; did you mean \"x\"?" or "" into buf. */
const char	*didyoumean(char *buf, size_t bufsz, const char *best);
/* An error at column col of the parser's current line. */
void		 perr(struct parser *, int col, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 pwarn(struct parser *, int line, int col, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
/* A diagnostic found after parsing, at an arbitrary place. */
void		 rerr(struct ruleset *, struct diags *, const char *file,
		    size_t rank, int line, int col, enum diag_level,
		    const char *, ...)
		    __attribute__((format(printf, 8, 9)));

/* rules_lex.c */
/*
 * Splits one line into ps->tok. Returns 0, or -1 after reporting the
 * first problem (the rest of the line is then ignored).
 */
int		 rules_lex_line(struct parser *ps, const char *line,
		    size_t len);
/* The token quoted for a message: "\"word\"". */
const char	*tok_desc(char *buf, size_t bufsz, const struct tok *t);
/* Checks a service or category id token; reports and returns -1 if bad. */
int		 rules_check_id(struct parser *ps, const struct tok *t,
		    const char *what, size_t max);

/* rules_parse.c */
/* Parses every source into rs, reporting into d. */
struct rules_sources;
void		 rules_parse_all(struct ruleset *rs,
		    const struct rules_sources *src, struct diags *d);
void		 rules_stmt_top(struct parser *);
void		 rules_block_close(struct parser *);
/* Reports the current block as missing its "}". */
void		 rules_unterminated(struct parser *);
/* "service", "category", "department" or "override". */
int		 rules_is_block_word(const char *s);

/* rules_policy.c: policy statements, each given its whole line. */
int		 rules_parse_verdict(const char *s, enum verdict *v);
/*
 * Parses "ADDR" or "ADDR/LEN" (IPv4 or IPv6) into family, addr and plen,
 * with the canonical text in canon. Returns NULL, or why it is not a
 * network; when only host bits are wrong, canon holds the network.
 */
const char	*rules_cidr_parse(const char *w, int *family, uint8_t addr[16],
		    unsigned *plen, char *canon, size_t canonsz);
void		 rules_stmt_default(struct parser *);
void		 rules_stmt_verdict(struct parser *, enum verdict v);
void		 rules_stmt_ignore(struct parser *);
void		 rules_stmt_unknown(struct parser *);
void		 rules_stmt_alert(struct parser *);
void		 rules_stmt_department(struct parser *);
void		 rules_stmt_reliability(struct parser *);
/* "use SETTING VALUE" (rules_org.c). */
void		 rules_stmt_use(struct parser *);
/* A size at token i ("100MB" or "100 MB") into *out: tokens used (1 or
 * 2), or 0 after reporting the problem (rules_policy.c). */
size_t		 rules_parse_size(struct parser *ps, size_t i, uint64_t *out);
/* "local-networks CIDR..." (rules_policy.c), "pick-one" (rules_org.c). */
void		 rules_stmt_local_networks(struct parser *);
void		 rules_stmt_pick_one(struct parser *);
/* One line inside a department block. */
void		 rules_dept_line(struct parser *);

/*
 * instance.c: the "instance" and "instance-except" keys, around every
 * service block, and "VERDICT service ID when instance is ..." (tok[when]
 * is "when"; returns 1 when the service's own statement is wanted too).
 */
void		 instance_block_start(struct parser *);
void		 instance_block_end(struct parser *);
void		 instance_key(struct parser *, int except);
int		 instance_stmt(struct parser *, enum verdict v, size_t when);
void		 instance_resolve(struct ruleset *, struct diags *);
void		 instance_free(struct ruleset *);

/* rules_resolve.c: after every file is read. */
void		 rules_resolve_categories(struct ruleset *, struct diags *);
void		 rules_resolve_policy(struct ruleset *, struct diags *);
void		 rules_resolve_thresholds(struct ruleset *, struct diags *);

#endif
