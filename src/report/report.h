/* SPDX-License-Identifier: ISC */
/*
 * report.h: the audit summary as a renderer-agnostic model, built from store
 * queries; the renderers that print it are behind render.h. The model
 * holds raw strings as stored, some of them from the wire; each renderer
 * escapes every string for its own format. The model is fully ordered, so
 * the same database always renders the same.
 */
#ifndef SHADOWTAP_REPORT_H
#define SHADOWTAP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/cidr.h"
#include "policy/rules.h"
#include "report/report_rel.h"
#include "store/store.h"
#include "base/verdict.h"

#define REPORT_SCHEMA		1	/* "schema" of the JSON output */
#define REPORT_TOP_DESTS	20	/* unclassified names listed */
#define REPORT_HEADLINE_MAX	7	/* sentences in the headline */
#define REPORT_RECS_MAX		10	/* recommendations */
#define REPORT_TOP_DEVICES	10	/* devices listed */
#define REPORT_DAYS_MAX		400	/* days in the trend (a quarter fits) */
#define REPORT_TOP_GEO		10	/* countries and networks listed */
#define REPORT_TOP_LOGINS	20	/* clear-text log-ins listed */
#define REPORT_TOP_LOOKUPS	20	/* services looked up, listed */
#define REPORT_TOP_DEFAULT	3	/* --top: rows of a long table */

/*
 * How a device used a service over the report's period (use.c):
 * sustained (on at least the policy's number of distinct days, or with
 * at least its upload), occasional (on two days or more), or one-off (on
 * one day). A service's class is the best of its devices'.
 */
enum report_use {
	REPORT_USE_SUSTAINED = 0,
	REPORT_USE_OCCASIONAL,
	REPORT_USE_ONE_OFF,
};

/* Relative periods, counted back from the last packet in the database. */
enum report_period {
	REPORT_PERIOD_NONE = 0,	/* --since/--until, or everything */
	REPORT_PERIOD_7D,	/* the 7 UTC days ending with the last packet's */
	REPORT_PERIOD_30D,	/* the 30 UTC days ending likewise */
	REPORT_PERIOD_MONTH,	/* the calendar month of the last packet */
	REPORT_PERIOD_QUARTER,	/* the calendar quarter of the last packet */
};

struct report_opts {
	int64_t			 since_us;	/* used when period is NONE */
	int64_t			 until_us;
	enum report_period	 period;
	int			 compare;	/* also build the previous period */
	/* --pseudonymize: store_pseudonym_key()'s key, or NULL for real
	 * names. Devices, IPs, MACs and user names are replaced by
	 * report_pseudonym() of them. */
	const uint8_t		*pseudonym_key;
	/* Reliability thresholds (the policy's), or NULL for defaults. */
	const struct rel_opts	*rel_opts;
	/* The catalog and policy the recommendations follow (recommend.h),
	 * or NULL: then none proposes a tool to use or approve. Not owned;
	 * only used while the report is built. */
	const struct ruleset	*rules;
	/* What the report says it judged by (report_judged_by()). */
	const char		*org;		/* --org, or NULL */
	const char		*author;	/* --author, or NULL */
	const char		*policy_path;	/* the policy read, or NULL */
	/* The part of the organisation (--department, --owner), for
	 * people: "department Sales", or NULL for all of it. */
	const char		*scope;
	/* Rows of each long table the renderers print (--top); 0 for
	 * REPORT_TOP_DEFAULT. */
	size_t			 top;
};

/*
 * What a report was judged by: the policy and catalog files (names and a
 * SHA-256 prefix of their contents), the organisation, the author and
 * when it was generated (wall clock; $SOURCE_DATE_EPOCH when set, so
 * tests and reproducible builds give the same output).
 */
struct report_basis {
	char		*org;		/* "" when not given */
	char		*author;	/* "" when not given */
	char		*scope;		/* "department Sales", "" for all */
	char		*policy;	/* file name, "" without a policy */
	char		*policy_hash;	/* 12 hex digits, "" */
	char		*catalog;	/* "528 services in 23 files", "" */
	char		*catalog_hash;	/* 12 hex digits, "" */
	int64_t		 generated_s;	/* seconds since the epoch */
	/* The sensors whose runs overlap the period, by name ("" for runs
	 * recorded without one), each with its inputs. */
	struct report_sensor	*sensors;
	size_t			 nsensors;
};

/* A sensor of the basis and what it read. */
struct report_sensor {
	char		*name;		/* "" unnamed */
	char		*sources;	/* "eth1, sample.pcap" (file names
					   without their directory; at most
					   3, then "and N more") */
	uint64_t	 runs;
};

/*
 * A recommendation: the sentence, and what it rests on (recommend.h).
 * Ranked by risk x devices, then bytes.
 */
struct report_rec {
	char		*text;
	const char	*kind;		/* "move-to", "pick-one", "personal-
					   edition", "remote-access", ... */
	char		*category;	/* "" when not about one category */
	char		*targets;	/* ",id,id,": services it proposes to
					   use or approve; "" for none */
	char		*rule;		/* policy statement "policy.example:24",
					   "" for a built-in check */
	uint64_t	 devices;	/* evidence */
	uint64_t	 bytes_up;
	uint64_t	 days;		/* first to last day seen, inclusive */
	unsigned	 risk;		/* 0 operational, 1 low .. 4 critical */
};

struct report_service {
	char		*id;		/* catalog id */
	char		*name;		/* display name (the id if unknown) */
	char		*category;
	enum verdict	 status;	/* policy at the time of the traffic */
	uint64_t	 devices;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
	char		*risk;		/* catalog risk, "" when not given */
	char		*instance;	/* the tenant, bucket or account the
					   flows showed; "" for none. name
					   then says which (report_name_-
					   instances()) */
	int		 other;		/* 1: another instance of the service
					   is sanctioned: this is another
					   organisation's */
	/* Its devices by use (use.c); they add up to devices. */
	uint64_t	 sustained;
	uint64_t	 occasional;
	uint64_t	 oneoff;
	enum report_use	 use;		/* the best of its devices' */
	int		 shown;		/* 1: in the tables of the body (the
					   top-N sustained of its category,
					   or of its status when not
					   unsanctioned); else only in the
					   appendix and JSON/CSV */
};

struct report_dest {
	char		*name;		/* host name as seen on the wire */
	uint64_t	 devices;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
};

/* A capture run whose parser died (runs.status 'failed'). */
struct report_failed_run {
	char		*started_at;	/* ISO 8601, UTC, wall clock */
	char		*source;	/* file or interface */
	char		*reason;
	uint64_t	 packets;	/* counted before it failed */
	uint64_t	 flows;
};
#define REPORT_FAILED_RUNS_MAX	10	/* listed; the count has them all */

/* A service that appeared or stopped between two periods. */
struct report_change {
	char		*id;
	char		*name;
	char		*category;
	enum verdict	 status;	/* in the period where it was seen */
	uint64_t	 devices;	/* ditto */
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
};

/* Use of one category; the basis of "duplicate tools". */
struct report_category {
	char		*id;		/* "" when the catalog gives none */
	char		*name;		/* for people (report_category_names()) */
	uint64_t	 devices;	/* distinct, any status */
	uint64_t	 unsanctioned_devices;
	uint64_t	 unapproved_devices;	/* on a non-sanctioned service */
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	size_t		 nservices;	/* distinct services in use */
	size_t		 nunsanctioned;	/* of which unsanctioned */
	/* The first sanctioned service of the category in use, or NULL
	 * (points into report.services). */
	const struct report_service *sanctioned;
	/* Unsanctioned use by class (use.c): services whose best use is
	 * sustained, occasional or one-off, and the distinct devices with
	 * sustained use, and that contacted the others. */
	size_t		 nsustained;
	uint64_t	 sustained_devices;
	size_t		 noccasional;
	uint64_t	 occasional_devices;
	size_t		 noneoff;
	uint64_t	 oneoff_devices;
};

/*
 * A workaround: unsanctioned use of a group of categories that shows
 * people going around the approved tools. Only groups with use appear.
 * The last kind, "cleartext-passwords", is log-ins seen in clear text
 * instead: categories is NULL, services counts protocols, flows counts
 * log-ins, bytes are 0 and examples lists the protocols.
 */
struct report_workaround {
	const char	*id;		/* "file-transfer", "messaging", ... */
	const char	*title;		/* for people */
	const char	*categories;	/* ",webmail,cloud-storage," or NULL */
	uint64_t	 devices;
	uint64_t	 services;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	char		*examples;	/* "Gmail, Dropbox" (up to 3 names) */
};

/* Bytes to one destination country, or to one AS ("where data goes"). */
struct report_geo {
	char		*country;	/* ISO 3166 alpha-2; "" unknown or AS */
	uint32_t	 asn;		/* 0 unknown or a country row */
	char		*as_org;	/* "" when unknown */
	uint64_t	 devices;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
};

/* A log-in seen in clear text (pseudonymised with --pseudonymize). */
struct report_login {
	char		*device;
	char		*proto;		/* "ftp", "pop3", "http-basic"... */
	char		*server;	/* server IP */
	char		*user;		/* "" when none */
	uint64_t	 count;		/* over the row's whole span */
	int64_t		 first_us;
	int64_t		 last_us;
};

/*
 * A catalog service whose names devices looked up in DNS. A lookup is not
 * use: it adds nothing to the service's devices, flows or bytes.
 */
struct report_lookup {
	char		*id;
	char		*name;
	char		*category;
	uint64_t	 devices;	/* that looked it up */
	uint64_t	 lookups;
	uint64_t	 used_devices;	/* that had traffic to it */
};

/*
 * Knowledge that leaves with people (knowledge.c): the personal accounts
 * (webmail, cloud storage, file sharing that the policy does not sanction
 * for the organisation, and any personal edition) that received uploads
 * in the period, per owner from the inventory, or per device where no
 * owner is known. When someone leaves, these hold the organisation's
 * files.
 */
struct report_know_svc {
	char		*id;
	char		*name;
	uint64_t	 bytes_up;
	uint64_t	 devices;	/* of this owner that uploaded to it */
	int64_t		 first_us;	/* start of the first upload window */
	int64_t		 last_us;	/* end of the last */
};
struct report_know {
	char		*who;		/* owner, or the device's best name */
	int		 owner;		/* 1: who is an owner (inventory) */
	char		*department;	/* inventory's, else the policy's */
	uint64_t	 devices;	/* theirs that uploaded */
	uint64_t	 bytes_up;	/* to all of svc */
	struct report_know_svc *svc;	/* by bytes_up (desc), then id */
	size_t		 nsvc;
};
#define REPORT_TOP_KNOW		20	/* owners or devices listed */

/* Use by the devices of one department of the policy. */
struct report_department {
	char		*name;		/* "" for devices in none */
	uint64_t	 devices;
	uint64_t	 unsanctioned_devices;
	uint64_t	 unsanctioned_services;
	uint64_t	 bytes_up;		/* to any service */
	uint64_t	 unsanctioned_up;	/* to unsanctioned ones */
};

struct report_day {
	int64_t		 day_us;
	uint64_t	 unsanctioned_bytes;
	uint64_t	 other_bytes;
	uint64_t	 unsanctioned_devices;
	uint64_t	 devices;
};

/* A device that used unsanctioned services (names pseudonymised with
 * --pseudonymize). */
struct report_device {
	char		*name;		/* device key */
	char		*ip;
	char		*mac;		/* "" when unknown */
	/* Who it is (report_identify()); "" when unknown. */
	char		*label;		/* best name: inventory, DHCP host
					   name, MAC, address */
	char		*hostname;	/* DHCP */
	char		*owner;		/* inventory */
	char		*department;	/* inventory */
	char		*asset;		/* inventory asset tag */
	uint64_t	 services;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
};

/*
 * Not in the store yet, so not in the report: encrypted-and-unknown
 * traffic by kind (ECH, DoH; needs counters per run). It belongs in the
 * model as its own array next to the ones below, and in each renderer as
 * an optional section.
 */
/*
 * What the report counted as sustained use (use.c): the policy's
 * thresholds, the days actually required (the policy's, or 1 when the
 * period's traffic spans fewer days: then every use of the period counts)
 * and the unsanctioned totals by class, as in struct report_category.
 */
struct report_use_basis {
	unsigned	 policy_days;
	uint64_t	 upload;
	unsigned	 days;		/* required; 1: every use counts,
					   the period spans too few days */
	uint64_t	 devices;	/* with sustained unsanctioned use */
	size_t		 services;	/* unsanctioned, sustained */
	size_t		 categories;	/* with sustained unsanctioned use */
	size_t		 noccasional;
	uint64_t	 occasional_devices;
	size_t		 noneoff;
	uint64_t	 oneoff_devices;
	uint64_t	 contact_devices; /* of either */
	size_t		 top;		/* --top */
	struct report_use_pair *pairs;	/* while the report is built */
	size_t		 npairs;
};

/*
 * A change in sustained use of an unsanctioned service between the
 * previous period and this one (trend.c): devices in sustained use now
 * and before.
 */
struct report_trend {
	char		*id;
	char		*name;
	char		*category;
	uint64_t	 devices;
	uint64_t	 previous;
};
struct report_trend_list {
	struct report_trend	*v;
	size_t			 n;
	size_t			 cap;
};
/* Biggest change first (then more devices, then id); all of them. */
struct report_trends {
	int			 built;		/* --compare previous */
	struct report_trend_list grew;		/* more sustained devices */
	struct report_trend_list shrank;	/* fewer, but some */
	struct report_trend_list adopted;	/* none before */
	struct report_trend_list abandoned;	/* none now */
};

struct report {
	int64_t			 since_us;	/* STORE_TIME_MIN: open start */
	int64_t			 until_us;	/* STORE_TIME_MAX: open end */
	enum report_period	 period;
	int64_t			 last_us;	/* last packet in the database */
	/* --compare previous: the period of the same kind just before. */
	int			 compare;
	int64_t			 prev_since_us;
	int64_t			 prev_until_us;
	struct store_totals	 prev_totals;
	/* Services in this period and not the previous (added), and the
	 * reverse (stopped), by concern as services are. */
	struct report_change	*added;
	size_t			 nadded;
	struct report_change	*stopped;
	size_t			 nstopped;
	struct store_totals	 totals;
	char			*headline[REPORT_HEADLINE_MAX];
	size_t			 nheadline;
	/* Unsanctioned first, then tolerated, sanctioned, other; within a
	 * status by devices, bytes, flows (descending), then id. */
	struct report_service	*services;
	size_t			 nservices;
	/* By devices, flows, bytes (descending), then name. */
	struct report_dest	*dests;
	size_t			 ndests;
	struct store_coverage	 coverage;
	/* Latest first, at most REPORT_FAILED_RUNS_MAX (losses.c). */
	struct report_failed_run *failed_runs;
	size_t			 nfailed_runs;
	/* By unsanctioned devices, bytes (descending), then id. */
	struct report_category	*categories;
	size_t			 ncategories;
	/* Fixed order: file transfer, messaging, remote access, VPN, AI. */
	struct report_workaround *workarounds;
	size_t			 nworkarounds;
	struct report_day	*days;		/* oldest first */
	size_t			 ndays;
	struct report_device	*devices;	/* at most REPORT_TOP_DEVICES */
	size_t			 ndevices;
	/* Where data goes: by bytes up + down (descending), then country
	 * or AS number; at most REPORT_TOP_GEO each. */
	struct report_geo	*countries;
	size_t			 ncountries;
	struct report_geo	*networks;
	size_t			 nnetworks;
	/* Clear-text log-ins: at most REPORT_TOP_LOGINS, by protocol,
	 * server, user, device; login_totals counts them all. */
	struct report_login	*logins;
	size_t			 nlogins;
	struct store_credential_totals login_totals;
	/* By name, "" (no department) first; none when no finding of the
	 * period has a department. */
	struct report_department *departments;
	size_t			 ndepartments;
	/* Services looked up in DNS: by devices, lookups (descending),
	 * then id; at most REPORT_TOP_LOOKUPS. */
	struct report_lookup	*lookups;
	size_t			 nlookups;
	/* Knowledge at risk: by bytes_up (desc), then who; at most
	 * REPORT_TOP_KNOW of know_total. */
	struct report_know	*know;
	size_t			 nknow;
	size_t			 know_total;
	/* Who the devices of the log-in and reliability lists are, by
	 * device key (as those lists show it, pseudonymised or not). */
	struct report_ident	*idents;
	size_t			 nidents;
	struct report_basis	 basis;
	struct report_rec	 recs[REPORT_RECS_MAX];
	size_t			 nrecs;
	int			 pseudonymized;	/* device names replaced */
	struct report_use_basis	 use;
	struct report_trends	 trends;
	struct report_rel	*rel;		/* NULL: no network-health data */
};

/*
 * A category is a duplicate when two or more of its services are in use.
 * Infrastructure ("infra-*") and everyday web ("web-*") categories never
 * are: nobody chose a CDN or a news site as a tool (shadowtap.rules(5)).
 */
#define REPORT_IS_DUPLICATE(c)	((c)->nservices >= 2 && \
	(c)->id[0] != '\0' && !REPORT_IS_BACKGROUND((c)->id))
#define REPORT_IS_BACKGROUND(id) \
	(strncmp((id), "infra-", 6) == 0 || strncmp((id), "web-", 4) == 0)

/*
 * Of the flows that had a destination name, the share (0-1000, in tenths
 * of a percent) that matched a catalog service, by flows and by bytes.
 * Both are -1 when no flow had a name.
 */
void		 report_classified_share(const struct report *, int *flows,
		    int *bytes);

/*
 * Builds the report for packet time [since_us, until_us) (STORE_TIME_MIN
 * and STORE_TIME_MAX for open ends) from st. Returns NULL when a query
 * failed; store_errmsg(st) says why. Free with report_free().
 */
struct report	*report_build(struct store *st, int64_t since_us,
		    int64_t until_us);
/*
 * Builds the report that opts describe. A relative period is placed by
 * store_query_last(); when the database has no traffic it becomes the open
 * period. compare needs a bounded period (a relative one, or both --since
 * and --until); with an open one it is ignored. NULL as report_build().
 */
struct report	*report_build_opts(struct store *st,
		    const struct report_opts *opts);

/*
 * Writes the pseudonym of value into out: kind, "-", and the first
 * REPORT_PSEUDONYM_HEX hex digits of HMAC-SHA256(key, kind ":" value), e.g.
 * "device-3f9a2c71". The same key and value always give the same
 * pseudonym; without the key it cannot be reversed or recomputed. An
 * empty value stays empty. Returns out, or NULL if HMAC failed.
 */
#define REPORT_PSEUDONYM_HEX	8
char		*report_pseudonym(const uint8_t key[STORE_KEY_LEN],
		    const char *kind, const char *value, char *out,
		    size_t len);

/* Parses "last-7d", "last-30d", "month" or "quarter". 0 or -1. */
int		 report_period_parse(const char *s, enum report_period *out);
/* The name report_period_parse() takes; "" for NONE. */
const char	*report_period_name(enum report_period);
/*
 * Places period p around last_us (microseconds, UTC): sets [*since, *until)
 * and the previous period [*psince, *puntil). For last-Nd that is the N
 * days before; for month and quarter the previous calendar month or
 * quarter (so their lengths can differ by a few days).
 */
void		 report_period_bounds(enum report_period p, int64_t last_us,
		    int64_t *since, int64_t *until, int64_t *psince,
		    int64_t *puntil);

/* report_free(NULL) is a no-op. */
void		 report_free(struct report *);

/*
 * The period as people read it: the first and last day (UTC) covered, as
 * "YYYY-MM-DD", from the requested bounds or else from the data; when
 * only one end is known (one bound given, no data) both are that day.
 * Both are "" when the period is open and there is no data.
 */
void		 report_period_days(const struct report *, char *from,
		    char *to, size_t len);

/* Formats n with thousands separators ("1,234,567") into buf. Returns buf. */
char		*report_count(uint64_t n, char *buf, size_t len);

/*
 * "first N of M" (without an article) into buf when the report lists
 * fewer clear-text log-ins than the period holds, else "". Returns buf.
 */
char		*report_logins_shown(const struct report *, char *buf,
		    size_t len);

/*
 * The line under "Destinations not in the catalog" into buf: "All N,
 * busiest first." when the report lists them all, else "The N busiest of
 * M, by devices and flows." Returns buf.
 */
char		*report_dests_shown(const struct report *, char *buf,
		    size_t len);

/* Why packets with an implausible time are left out (coverage). */
#define REPORT_BAD_TIME_WORDS	"dated before 2000 or more than a day ahead" \
	" of the clock; left out of the period"

/* What the change tables of --compare say when they are empty. */
#define REPORT_NONE_ADDED	"No service appeared that was not used before."
#define REPORT_NONE_STOPPED	\
	"Every service of the previous period is still in use."

/*
 * The coverage figures in words, into buf; each returns buf.
 * report_runs_words(): the capture runs, "12" or "12 (1 did not finish)".
 * report_share_words(): the named traffic in the catalog, "93.1% of
 * flows, 97.4% of bytes" (report_classified_share()), "" when no flow had
 * a name.
 */
char		*report_runs_words(const struct report *, char *buf,
		    size_t len);

/*
 * losses.c: what the runs of the period lost, beyond kernel drops.
 * report_losses_build() reads the failed runs into r (0 or -1);
 * report_losses_free() frees them. report_losses_words(): "" when nothing
 * was lost, else e.g. "23,946 rows not written (database error or full
 * disk), 672,320 rows dropped (tables full), 1 capture file cut off".
 * report_failed_words(): one failed run, "2026-01-05T10:00:00Z eth0: the
 * parser was killed by SIGSEGV (signal 11), after 1,234 packets".
 * report_losses_material(): the headline sentence about rows lost when
 * they are material (more than 1% of the period's flows), 1; else 0.
 * report_failed_sentence(): the headline sentence about failed runs when
 * there are any, 1; else 0.
 */
int		 report_losses_build(struct store *, int64_t since_us,
		    int64_t until_us, struct report *);
void		 report_losses_free(struct report *);
char		*report_losses_words(const struct report *, char *buf,
		    size_t len);
char		*report_failed_words(const struct report_failed_run *,
		    char *buf, size_t len);
int		 report_losses_material(const struct report *, char *buf,
		    size_t len);
int		 report_failed_sentence(const struct report *, char *buf,
		    size_t len);
char		*report_share_words(const struct report *, char *buf,
		    size_t len);

/*
 * The label of a "where data goes" row for people: for a country row (as
 * 0) its code, as stored; for a network row "AS8075", or with org "AS8075
 * Microsoft Corporation" when the organisation is known, written into
 * buf; "unknown" when the row has no country or AS. Returns the label
 * (buf, g->country or a constant).
 */
const char	*report_geo_label(const struct report_geo *g, int as, int org,
		    char *buf, size_t len);

/*
 * A looked-up service in words, into buf: "Dropbox (file-sharing): looked
 * up by 1 device (5 lookups), no traffic to it." Returns buf.
 */
char		*report_lookup_words(const struct report_lookup *, char *buf,
		    size_t len);
/* Number of lookups rows with no traffic to the service (not used). */
size_t		 report_lookups_unused(const struct report *);

/* Human status label: "Unsanctioned", "Tolerated", "Sanctioned", ... */
const char	*report_status_label(enum verdict);

/*
 * Length of the character at s if it is safe to print as it is: printable
 * ASCII, or a valid UTF-8 sequence that is neither a C1 control nor a
 * bidirectional override. Returns 0 when the byte at s must be shown
 * escaped (as \xNN); s must point to a non-NUL byte.
 */
size_t		 report_safe_len(const char *s);

/*
 * Recommendations (recommend.c), derived from the findings and the
 * organisation's policy, never against it. Fills r->recs from the built report
 * (services, categories, workarounds, coverage) and rs (NULL: no policy known),
 * plus extra (a sentence from the reliability section, or NULL), ranked by risk
 * x devices, then bytes uploaded. With rs:
 * - "duplicate tools" only for categories rules_pick_one() names and the
 *   policy does not forbid ("unsanctioned category");
 * - "move to" only to a service the policy sanctions that is not a
 *   personal edition (report_rec_personal());
 * - "pick one" proposes only services the policy does not forbid by a
 *   service or category statement, and never a personal edition.
 * Without rs, no recommendation proposes a service.
 */
void		 report_recommend(struct report *r, const struct ruleset *rs,
		    const char *extra);

/* 1 when a service's display name marks a personal edition
 * ("Microsoft OneDrive (personal)"), which no organisation sanctions. */
int		 report_rec_personal(const char *name);

/*
 * What rec rests on, for people, into buf: "Policy: policy.example:24.
 * Evidence: 2 devices, 7.2 KB uploaded, over 3 days." ("Built-in check."
 * for checks no policy drives, "Policy: not given..." when the report was
 * built without one). Returns buf.
 */
char		*report_rec_basis(const struct report_rec *rec, char *buf,
		    size_t len);

/* Frees the strings of r->recs. */
void		 report_recs_free(struct report *r);

/*
 * The device inventory (inventory.c): a row of `db import devices`, its
 * key parsed. match is canonical ("aa:bb:cc:dd:ee:ff", "10.0.0.5/32").
 */
struct report_inv_entry {
	int		 line;
	char		 match[64];
	int		 is_mac;
	uint8_t		 mac[6];	/* is_mac */
	struct cidr	 net;		/* !is_mac */
	char		*name;
	char		*owner;
	char		*department;
	char		*asset;
};
/*
 * Parses an inventory key (a MAC with ':' or '-', an address, a subnet)
 * into e->match, is_mac, mac, net. 0, or -1 with a reason in err.
 */
int		 report_inv_key(const char *s, struct report_inv_entry *e,
		    char *err, size_t errlen);
/* The entry for a device: its MAC's, else the longest prefix holding
 * ip; NULL when none. mac and ip may be "" or NULL. */
const struct report_inv_entry *report_inv_find(
		    const struct report_inv_entry *v, size_t n,
		    const char *mac, const char *ip);
/* The inventory of st into *out (free with report_inv_free()). 0, -1. */
int		 report_inv_load(struct store *st,
		    struct report_inv_entry **out, size_t *n);
void		 report_inv_free(struct report_inv_entry *v, size_t n);
/* Sets each report device's label, hostname, owner, department, asset. */
int		 report_identify(struct store *st, struct report *r);
/* The MAC and address to show beside a device's label: "" when equal to
 * the label (or, for the address, to the MAC) or unknown. */
const char	*report_device_mac(const struct report_device *);
const char	*report_device_ip(const struct report_device *);

/* Fills r->basis from the options (policy, catalog, org, author). */
void		 report_basis_build(struct report *r, const struct report_opts *o);
/* Fills r->basis.sensors from the runs of r's period. 0, or -1. */
int		 report_basis_sensors(struct store *st, struct report *r);
void		 report_basis_free(struct report *r);
/* The basis in one sentence for people, into buf: "Judged by policy
 * policy.example (sha256 3f9a2c71d0e4) and the catalog (528 services in
 * 23 files, sha256 ...); generated 2026-01-01T00:00:00Z for Example Ltd
 * by J. Doe." Returns buf. */
char		*report_basis_words(const struct report *, char *buf,
		    size_t len);
/*
 * use.c: the use classification. report_use_classify(): the class of a
 * device's use seen on days distinct days with bytes_up uploaded, given
 * the days and upload that make it sustained (days >= 1).
 * report_use_days(): the days required over a period whose traffic spans
 * [first_us, last_us]: the policy's, or 1 (every use counts: so few days
 * cannot tell use from contact) when the traffic spans fewer days.
 * report_use_build() reads the period's (device, service) use and sets
 * each service's counts and class, then orders the services as the
 * report shows them: unsanctioned first, then tolerated, sanctioned,
 * other; within a status sustained services first, by sustained devices,
 * then devices, bytes, flows, id. Call it before the categories are
 * built; report_use_tally() then fills their counts and r->use's totals.
 * 0 or -1 (store_errmsg()).
 */
enum report_use	 report_use_classify(uint64_t days, uint64_t bytes_up,
		    unsigned min_days, uint64_t min_upload);
unsigned	 report_use_days(unsigned policy_days, int64_t first_us,
		    int64_t last_us);
int		 report_use_build(struct store *st, struct report *r,
		    const struct use_opts *o);
void		 report_use_tally(struct report *r);
void		 report_use_free(struct report *r);
/* "sustained", "occasional", "one-off". */
const char	*report_use_name(enum report_use);
/* Lower is more worrying: unsanctioned 0, tolerated 1, sanctioned 2,
 * any other 3 (the report's order of statuses). */
int		 report_status_rank(enum verdict v);
/* The rule in words, into buf: "on 5 days or more, or 100 MB uploaded";
 * "" when every use counts (use.days 1). Returns buf. */
char		*report_use_words(const struct report *, char *buf,
		    size_t len);
/*
 * A category's unsanctioned services not in sustained use, in words, into
 * buf: "plus 3 services used occasionally (by 4 devices) and 12 contacted
 * on one day only (by 10 devices)" ("plus " only when the category has
 * sustained use); "" when there are none. Returns buf.
 */
char		*report_use_contact_words(const struct report_category *c,
		    char *buf, size_t len);
/*
 * The line under a table cut at the top-N, into buf: "... and 12 more in
 * sustained use: see the appendix or --format csv" (without the appendix
 * when appendix is 0). Returns the rows not shown (total - shown), 0 with
 * buf "" when none.
 */
size_t		 report_use_more(size_t shown, size_t total, int appendix,
		    char *buf, size_t len);
/*
 * The appendix: the unsanctioned services of category not shown in the
 * body whose use is u, as "WeTransfer (3), Smash (1)" (devices: in
 * sustained use for REPORT_USE_SUSTAINED, else that contacted it), in the
 * report's order; NULL when there are none. Free it.
 */
char		*report_use_appendix(const struct report *r,
		    const char *category, enum report_use u);
/*
 * Walks the appendix in the report's order: fn gets each (category, use)
 * with services in it, as the category's name for people, the use's
 * title ("occasional", "one day only", "sustained, not listed above"),
 * the list (report_use_appendix()) and its index from 0. Returns how many.
 */
size_t		 report_use_appendix_each(const struct report *r,
		    void (*fn)(void *arg, size_t i, const char *category,
		    const char *use, const char *list), void *arg);
/*
 * trend.c: report_trend_build() fills r->trends from r's services and
 * those of the previous period (prev, with their use counted by
 * report_use_build()). report_trend_list(r, which) is one of the four
 * lists (0 grew, 1 shrank, 2 adopted, 3 abandoned), report_trend_title()
 * its title ("Grew most"...), report_trend_words() its top-N as one line
 * for people, "Dropbox (file-sharing, 3 to 7 devices), ..." and "and N
 * more", or NULL when it is empty (free it).
 */
void		 report_trend_build(struct report *r,
		    const struct report_service *prev, size_t nprev);
void		 report_trend_free(struct report *r);
/* Counts the use of prev, the services of the previous period (it sorts
 * them), and builds r's trends from them. 0 or -1. */
int		 report_trend_previous(struct store *st, struct report *r,
		    struct report_service *prev, size_t nprev);
const struct report_trend_list *report_trend_list(const struct report *r,
		    int which);
const char	*report_trend_title(int which);
char		*report_trend_words(const struct report *r, int which);
/*
 * The headline's sentence about the unsanctioned services only
 * contacted, after lead ("Another", "But"), into buf: "Another 312
 * unsanctioned services were only contacted, occasionally or once, by 540
 * devices; the appendix lists them." Returns buf, or NULL when there are
 * none.
 */
char		*report_use_contact_sentence(const struct report *r,
		    const char *lead, char *buf, size_t len);
/*
 * The categories whose unsanctioned services were all only contacted, in
 * one line, the top-N (--top) by unsanctioned devices: "p2p (136
 * services, 197 device contacts), games (...) and 28 more categories: see
 * the appendix."; "" when there are none. Returns buf.
 */
char		*report_use_contact_only(const struct report *r, char *buf,
		    size_t len);
/* The rows of long tables to print (--top). */
#define REPORT_TOP(r)	((r)->use.top)

/*
 * scope.c: restricts st to the devices of a part of the organisation:
 * those with findings in the policy department, or whose inventory row
 * names it (department); those whose inventory row names owner; both when
 * both are given (NULL: not asked). *ndevices: how many. 0 or -1
 * (store_errmsg()).
 */
int		 report_scope(struct store *st, const char *department,
		    const char *owner, size_t *ndevices);
/*
 * Sets each category's name for people (report_category.name) from rs's
 * category definitions; the id where rs is NULL or does not define it,
 * "(no category)" for the empty id.
 */
void		 report_category_names(struct report *r,
		    const struct ruleset *rs);
/* The name for people of category id in r, or id when r has none. */
const char	*report_category_name(const struct report *r, const char *id);
/*
 * Who a device is, by its store key (who.c): the inventory and the
 * devices the database knows, loaded once (NULL when a query failed).
 * report_who_find() fills out with the device's best name (inventory
 * name, DHCP host name, MAC, address, else the key), owner and
 * department ("" unknown), and the pseudonym kind that keeps the best
 * name's origin ("name", "mac", "ip" or "device"). ip may be NULL or ""
 * when the caller does not know it. The strings live as long as w or
 * the arguments.
 */
struct report_who;
struct report_who_is {
	const char	*label;
	const char	*kind;
	const char	*mac;
	const char	*ip;
	const char	*hostname;
	const char	*owner;
	const char	*department;
};
struct report_who *report_who_load(struct store *st);
/*
 * The identity of a device key that a section lists by key only:
 * best name, owner and department ("" unknown), pseudonymised with the
 * rest of the report.
 */
struct report_ident {
	char		*device;	/* key, as the section holds it */
	char		*label;
	char		*owner;
	char		*department;
};
/*
 * Fills r->idents for the devices of r->logins and r->rel (called before
 * the report is pseudonymised; with key the keys are stored as their
 * "device" pseudonyms, which those lists then hold, and the names
 * pseudonymised as report.c does). 0 or -1.
 */
int		 report_idents_build(struct store *st, struct report *r,
		    const uint8_t *key);
void		 report_idents_free(struct report *r);
/* The identity of device key dev in r, or NULL when none is known. */
const struct report_ident *report_ident(const struct report *r,
		    const char *dev);
/* Its best name (dev itself when unknown) and owner ("" unknown). */
const char	*report_ident_label(const struct report *r, const char *dev);
const char	*report_ident_owner(const struct report *r, const char *dev);
const char	*report_ident_department(const struct report *r,
		    const char *dev);
/* "best name (owner)", or the best name alone, into buf; returns buf. */
char		*report_who_words(const struct report *r, const char *dev,
		    char *buf, size_t len);
void		 report_who_free(struct report_who *w);
void		 report_who_find(const struct report_who *w,
		    const char *device, const char *ip,
		    struct report_who_is *out);

/*
 * Builds r->know from the uploads of r's period (r->services must be
 * built: they say what the policy sanctions), pseudonymised with key
 * when not NULL. 0, or -1 when a query failed. report_know_free() frees
 * it (and is called by report_free()).
 */
int		 report_know_build(struct store *st, struct report *r,
		    const uint8_t *key);
void		 report_know_free(struct report *r);

/* How many recommendations the decision page shows (at most 5). */
#define REPORT_FIRST_ACTIONS	5

#endif
