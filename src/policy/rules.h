/* SPDX-License-Identifier: ISC */
/*
 * rules.h: the rule language (doc/shadowtap.rules.5). Reads the service
 * catalog and the organisation's policy into an immutable struct ruleset.
 * Every problem in every file is collected as a diagnostic with
 * file:line:col; loading never exits and never stops at the first error.
 */
#ifndef SHADOWTAP_RULES_H
#define SHADOWTAP_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/defaults.h"
#include "base/health.h"
#include "base/verdict.h"

enum risk {
	RISK_UNSET = 0,
	RISK_LOW,
	RISK_MEDIUM,
	RISK_HIGH,
	RISK_CRITICAL,
};

const char	*risk_str(enum risk);

/* Which kind of policy statement decided a service's verdict. */
enum rule_level {
	RULE_BUILTIN = 0,	/* no statement: the built-in default */
	RULE_DEFAULT,		/* "default VERDICT" */
	RULE_CATEGORY,		/* "VERDICT category ID" */
	RULE_SERVICE,		/* "VERDICT service ID" */
	RULE_UNKNOWN,		/* "unknown VERDICT" (unclassified names) */
};

/* Where a rule or statement was written. file is NULL for "nowhere". */
struct rule_loc {
	const char	*file;		/* owned by the ruleset */
	int		 line;
	int		 col;
};

struct service {
	char		 id[SERVICE_ID_MAX + 1];	/* "dropbox" */
	char		 name[96];			/* "Dropbox" */
	char		 vendor[96];			/* "" if not given */
	char		 category[CATEGORY_MAX + 1];	/* "file-sharing" */
	enum risk	 risk;
	char		 risk_notes[256];		/* "" if not given */
	enum verdict	 verdict;	/* the policy's decision (never NONE) */
	const char	*file;		/* where it was defined */
	int		 line;
	enum rule_level	 decided_by;	/* what set verdict */
	const char	*decided_file;	/* the statement; NULL if RULE_BUILTIN */
	int		 decided_line;
	int		 decided_col;
};

struct category {
	char		 id[CATEGORY_MAX + 1];		/* "file-sharing" */
	char		 name[96];			/* "File sharing" */
	char		 description[256];		/* "" if not given */
	const char	*file;
	int		 line;
};

/*
 * One "domains" or "except" suffix of a service, canonical form (no "*.",
 * lowercase). Strings are owned by the ruleset.
 */
struct rule_domain {
	const char	*name;
	size_t		 service;	/* index for rules_service_at() */
	int		 except;	/* 1 for an "except" suffix */
	const char	*file;
	int		 line;
	int		 col;
};

/*
 * The other keys of a service: "ips", "asns", "ja4", "protocols" and
 * "ports". One entry per value, in load order.
 */
enum rule_kind {
	RULE_IP = 0,
	RULE_ASN,
	RULE_JA4,
	RULE_PROTOCOL,
	RULE_PORT,
};

struct rule_item {
	enum rule_kind	 kind;
	size_t		 service;	/* index for rules_service_at() */
	const char	*text;		/* canonical: "192.0.2.0/24", "AS64496",
					   "tcp/5938", "ssh", a JA4 string */
	int		 family;	/* RULE_IP: AF_INET or AF_INET6 */
	unsigned	 plen;		/* RULE_IP: prefix length */
	uint8_t		 addr[16];	/* RULE_IP: network, host bits zero */
	uint32_t	 asn;		/* RULE_ASN */
	uint8_t		 proto;		/* RULE_PORT: IPPROTO_TCP or _UDP */
	uint16_t	 port;		/* RULE_PORT */
	struct rule_loc	 loc;
};

/*
 * The protocol signature names "protocols" accepts (the identification
 * work's vocabulary). Returns 1 for a known name.
 */
int		 rules_protocol_known(const char *name);

/* A "department" block of the policy. */
struct department {
	char		 name[64];	/* "Finance" */
	struct rule_loc	 loc;		/* the "department" keyword */
};

/*
 * A network of the policy: a department's "subnets" entry, or an "ignore
 * networks" entry (dept == SIZE_MAX).
 */
struct rule_net {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned	 plen;
	uint8_t		 addr[16];	/* host bits zero */
	size_t		 dept;		/* rules_department_at() index */
	const char	*text;		/* "10.1.0.0/16" */
	struct rule_loc	 loc;
};

/* How a verdict came about, for rules_verdict(). */
struct decision {
	enum verdict		 verdict;
	enum rule_level		 level;	/* RULE_BUILTIN if no statement */
	const struct department	*dept;	/* a department's own statement */
	struct rule_loc		 loc;	/* the statement (file NULL if none) */
};

/*
 * An "alert upload SIZE per PERIOD [VERDICT] [category ID | service ID]"
 * statement, one entry per id. It applies to a device's upload to a
 * service within one period when every filter that is set matches.
 */
struct threshold {
	uint64_t		 bytes;		/* alert above this many */
	uint32_t		 period;	/* seconds: 3600, 86400, 604800 */
	enum verdict		 verdict;	/* VERDICT_NONE: any verdict */
	enum rule_level		 scope;		/* RULE_DEFAULT (all services
						   and unclassified names),
						   RULE_CATEGORY, RULE_SERVICE */
	const char		*id;		/* category/service; NULL */
	const struct department	*dept;		/* NULL: every device */
	struct rule_loc		 loc;
};

enum diag_level {
	DIAG_ERROR = 0,
	DIAG_WARNING,
};

struct diag {
	const char	*file;		/* owned by the diags list */
	int		 line;		/* 1-based */
	int		 col;		/* 1-based, in bytes */
	enum diag_level	 level;
	char		 msg[160];
};

struct diags;

struct diags	*diags_new(void);
void		 diags_free(struct diags *);
size_t		 diags_count(const struct diags *);
size_t		 diags_errors(const struct diags *);
const struct diag *diags_at(const struct diags *, size_t i);
/*
 * Prints every diagnostic, one per line, as
 * "file:line:col: error: message" or "file:line:col: warning: message".
 */
void		 diags_print(const struct diags *, FILE *);
/* One diagnostic as diags_print() writes it, without the newline, into
 * buf (DIAG_LINE_MAX bytes hold any); returns buf. */
#define DIAG_LINE_MAX	4352	/* a path, positions, and the message */
char		*diag_format(const struct diag *, char *buf, size_t len);
/*
 * Appends a diagnostic; fmt is printf-like. file is copied. line 0 means
 * "the whole file" (printed as "file: error: message").
 */
void		 diags_add(struct diags *, enum diag_level, const char *file,
		    int line, int col, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));
/* Number of warnings (diags_count() - diags_errors()). */
size_t		 diags_warnings(const struct diags *);

struct ruleset;

/*
 * Loads the files named in paths. A path that is a directory contributes
 * every "*.rules" file in it, in name order; a path that is a file is read
 * whatever its name (so "policy.example" can be passed directly). Returns
 * the ruleset, or NULL when any file had an error; diagnostics (errors and
 * warnings) are appended to d either way. The caller owns the result.
 */
struct ruleset	*rules_load(const char *const *paths, size_t npaths,
		    struct diags *d);
/*
 * Like rules_load, but always returns what could be parsed, even when some
 * file had errors (for "rules check" and tests): broken blocks are left
 * out, everything else is usable. The caller owns the result.
 */
struct ruleset	*rules_parse(const char *const *paths, size_t npaths,
		    struct diags *d);
/*
 * Like rules_parse and rules_load, from files already read into memory
 * (rulesrc.h): the store reads them, the sandboxed sniffer parses them.
 */
struct rules_sources;
struct ruleset	*rules_parse_sources(const struct rules_sources *,
		    struct diags *d);
struct ruleset	*rules_load_sources(const struct rules_sources *,
		    struct diags *d);
void		 rules_free(struct ruleset *);

size_t		 rules_nservices(const struct ruleset *);
/* Services in catalog order; i < rules_nservices(). */
const struct service *rules_service_at(const struct ruleset *, size_t i);
const struct service *rules_service_by_id(const struct ruleset *,
		    const char *id);
/* Number of distinct categories with at least one service. */
size_t		 rules_ncategories(const struct ruleset *);

/* Category blocks in load order (with or without services). */
size_t		 rules_ncategory_defs(const struct ruleset *);
const struct category *rules_category_at(const struct ruleset *, size_t i);
const struct category *rules_category_by_id(const struct ruleset *,
		    const char *id);

/* Domain and exception suffixes in load order; i < rules_ndomains(). */
size_t		 rules_ndomains(const struct ruleset *);
const struct rule_domain *rules_domain_at(const struct ruleset *, size_t i);

/* The policy's "default" verdict (VERDICT_UNSANCTIONED if none given). */
enum verdict	 rules_default_verdict(const struct ruleset *);

/* Service keys other than domains, in load order. */
size_t		 rules_nitems(const struct ruleset *);
const struct rule_item *rules_item_at(const struct ruleset *, size_t i);

/* Departments in load order, and their and "ignore" networks. */
size_t		 rules_ndepartments(const struct ruleset *);
const struct department *rules_department_at(const struct ruleset *,
		    size_t i);
const struct department *rules_department_by_name(const struct ruleset *,
		    const char *name);
size_t		 rules_nnets(const struct ruleset *);
const struct rule_net *rules_net_at(const struct ruleset *, size_t i);
/*
 * The department whose "vlans" lists vlan (1..4094), or NULL; *why (if
 * not NULL) is set to where, or zeroed.
 */
const struct department *rules_vlan_department(const struct ruleset *,
		    unsigned vlan, struct rule_loc *why);

/*
 * The policy's decision for service s (NULL: an unclassified name) as
 * seen from department dept (NULL: organisation-wide). Precedence, first
 * match wins: the department's "service" statement, the department's
 * "category" statement, then the organisation's service, category and
 * default statements; for s == NULL only "unknown VERDICT" (built-in:
 * tolerated). *why (if not NULL) says which statement decided. Never
 * returns VERDICT_NONE.
 */
enum verdict	 rules_verdict(const struct ruleset *,
		    const struct service *s, const struct department *dept,
		    struct decision *why);
/* The "unknown" verdict (VERDICT_TOLERATED if none given). */
enum verdict	 rules_unknown_verdict(const struct ruleset *);

/* Upload thresholds in load order. */
size_t		 rules_nthresholds(const struct ruleset *);
const struct threshold *rules_threshold_at(const struct ruleset *, size_t i);
/*
 * Returns 1 when threshold t applies to uploads from a device of
 * department dept (NULL: none known) to service s (NULL: unclassified)
 * whose verdict for that device is v.
 */
int		 rules_threshold_applies(const struct threshold *t,
		    const struct service *s, enum verdict v,
		    const struct department *dept);

/*
 * The "reliability SETTING VALUE" statements: thresholds of the summary's
 * network-health findings, REL_DEF_* for settings not given. Never NULL.
 * The settings in order: min-days, min-events, factor, then one
 * percentage per enum rel_signal (its health_signal_name()).
 */
#define REL_SET_MIN_DAYS	0
#define REL_SET_MIN_EVENTS	1
#define REL_SET_FACTOR		2
#define REL_SET_SIGNAL		3	/* + enum rel_signal */
#define REL_SETTINGS		(REL_SET_SIGNAL + REL_NSIGNALS)
const struct rel_opts *rules_reliability(const struct ruleset *);

/*
 * "pick-one category ID...": the categories in which the organisation
 * chooses one tool (file sharing, storage, chat...), so that two in use
 * are duplicates; not those where any use is the question (personal
 * VPNs, social media, streaming). Returns 1 when category is one; *why
 * (if not NULL) is set to the statement that lists it, or zeroed when
 * the built-in list decided (no "pick-one" statement: file-sharing,
 * cloud-storage, messaging, conferencing, project-management, notes,
 * password-manager, genai).
 */
struct pick_one {
	const char	*id;
	struct rule_loc	 loc;
};
int		 rules_pick_one(const struct ruleset *, const char *category,
		    struct rule_loc *why);

/*
 * "use sustained-days N" and "use sustained-upload SIZE": when the summary
 * counts a device's use of a service over its period as sustained (seen
 * on at least days distinct UTC days, or at least upload bytes sent to
 * it) rather than occasional (seen on two days or more) or one-off (one
 * day). Defaults: five days (once a week over a month, a working week
 * over any period) and 100 MB (more than a few documents: a deliberate
 * transfer even when done once); doc/shadowtap.rules.5 says why. Never
 * NULL; days_at and upload_at have a NULL file when not set.
 */
#define USE_DEF_DAYS	5
#define USE_DEF_UPLOAD	(100ULL * 1000 * 1000)
struct use_opts {
	unsigned	 days;
	uint64_t	 upload;
	struct rule_loc	 days_at;
	struct rule_loc	 upload_at;
};
const struct use_opts *rules_use(const struct ruleset *);

/*
 * "local-networks CIDR...": the organisation's own networks, beside the
 * private, link-local and multicast ranges that are always local. Traffic
 * to them is never use of a cloud service. dept is unused.
 */
size_t		 rules_nlocal_nets(const struct ruleset *);
const struct rule_net *rules_local_net_at(const struct ruleset *, size_t i);

/* The domain index built by match.c at load time; never NULL. */
struct match_index;
const struct match_index *rules_index(const struct ruleset *);

#endif
