/* SPDX-License-Identifier: ISC */
/*
 * store.h: the SQLite findings store. The only module that includes
 * <sqlite3.h>. Opening creates or migrates the schema (PRAGMA user_version);
 * writes go through prepared statements inside explicit transactions.
 */
#ifndef SHADOWTAP_STORE_H
#define SHADOWTAP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/health.h"
#include "base/verdict.h"

#define STORE_RDONLY	0x01	/* open an existing database read-only */
#define STORE_CREATE	0x02	/* create the file and schema if missing */
#define STORE_NO_ROLLUP	0x04	/* read detail rows only (tests, benchmarks) */

struct store;

/*
 * Opens path. A read-only open accepts an older schema that it can read
 * (version 1 and up) and changes nothing; a read-write open migrates it.
 * Returns NULL and writes a one-line reason naming the file to
 * err on failure (missing, locked, corrupt, newer schema, not writable).
 */
struct store	*store_open(const char *path, int flags, char *err,
		    size_t errlen);
/* Commits any open transaction and closes; store_close(NULL) is a no-op. */
void		 store_close(struct store *);

/* The last error message of this handle (for logging by the caller). */
const char	*store_errmsg(const struct store *);

/*
 * Opens a write transaction (BEGIN IMMEDIATE, so the write lock is taken at
 * once and waits out the busy timeout rather than failing mid-batch).
 * Fails if one is already open. 0 or -1.
 */
int		 store_begin(struct store *);
/* Commits the open transaction. 0 or -1 (the transaction stays open). */
int		 store_commit(struct store *);
/* Discards the open transaction; a no-op without one. 0 or -1. */
int		 store_rollback(struct store *);

/* The schema version this build creates, reads and writes. */
#define STORE_SCHEMA_VERSION	11

struct run_info {
	const char	*source;	/* capture file path or interface */
	const char	*filter;	/* BPF expression or NULL */
	const char	*rules;		/* rules paths, for the record */
	const char	*fingerprint;	/* the capture file's, or NULL */
};

struct run_stats {
	uint64_t	packets;
	uint64_t	bytes;
	uint64_t	flows;
	uint64_t	kernel_drops;
	uint64_t	decode_errors;
	int64_t		first_us;	/* packet time span of the run */
	int64_t		last_us;
	uint64_t	rows_dropped;	/* aggregate rows lost: table full */
	uint64_t	rows_unwritten;	/* rows the store could not write */
	int		read_error;	/* the capture file was cut off */
	/* NULL: the run finished; else it failed, and this says how. */
	const char	*failed;
	uint64_t	bad_time;	/* packets with implausible times (of
					   packets; outside first/last_us) */
};

/*
 * Names the sensor that later runs are recorded under (copied). Without a
 * call, the host name is used. 0 or -1.
 */
int		 store_set_sensor(struct store *, const char *name);

/* Records the start of a capture run; sets *run_id. 0 or -1. */
int		 store_run_begin(struct store *, const struct run_info *,
		    int64_t *run_id);
/*
 * Looks for an earlier run that read a file of this fingerprint: 1 with its
 * id and start time (ISO 8601) and source, 0 when there is none (also in a
 * file older than the fingerprints, schema 7), -1 on error.
 */
int		 store_run_find(struct store *, const char *fingerprint,
		    int64_t *run_id, char *started, size_t startedlen,
		    char *source, size_t sourcelen);
/*
 * Records the counters of a run still going (the parser's so far; the
 * failed and row fields are ignored), so that a run killed before its
 * end shows how far it got. A no-op once the run has ended. 0 or -1.
 */
int		 store_run_progress(struct store *, int64_t run_id,
		    const struct run_stats *);
/* Records the end of a run and its counters. 0 or -1. */
int		 store_run_end(struct store *, int64_t run_id,
		    const struct run_stats *);

/* Inserts or updates one catalog service as loaded. 0 or -1. */
int		 store_put_service(struct store *, const char *id,
		    const char *name, const char *category, const char *risk,
		    enum verdict verdict);

struct finding {
	char		device[64];	/* device key: MAC text, else client IP */
	char		ip[46];
	char		mac[18];	/* "" when unknown */
	char		service[64];	/* catalog id */
	char		category[48];
	enum verdict	verdict;	/* status at the time of the traffic */
	int64_t		bucket;		/* window start, seconds since epoch */
	int64_t		window_s;	/* window length in seconds */
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
	int64_t		first_us;
	int64_t		last_us;
	char		evidence[16];	/* strongest evidence, e.g. "sni" */
	uint8_t		confidence;	/* 0..100, of that evidence */
	char		department[64];	/* "" when none */
	char		instance[64];	/* the service's tenant, bucket or
					   account; "" when none */
};

/*
 * Adds the counts of f to its (device, service, instance, bucket) row. The
 * evidence with the higher confidence wins (ties: the newer). 0 or -1.
 */
int		 store_add_finding(struct store *, const struct finding *f);

struct unclassified {
	char		device[64];
	char		name[254];	/* destination host name */
	int64_t		bucket;
	int64_t		window_s;
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
	int64_t		first_us;
	int64_t		last_us;
};

/* Adds the counts of u to its (device, name, bucket) row. 0 or -1. */
int		 store_add_unclassified(struct store *,
		    const struct unclassified *u);

/*
 * DNS lookups by a device of one service's names per window (schema 10). A
 * lookup is not use: it adds no flows or bytes to the service.
 */
struct lookup {
	char		device[64];
	char		service[64];
	int64_t		bucket;
	int64_t		window_s;
	uint64_t	count;
	int64_t		first_us;
	int64_t		last_us;
};

/* Adds l's count to its (device, service, bucket) row. 0 or -1. */
int		 store_add_lookup(struct store *, const struct lookup *l);

/* Services looked up in a period: by devices, lookups (desc), id. */
struct store_lookup_row {
	const char	*service;
	const char	*name;		/* the id when the catalog has none */
	const char	*category;	/* "" when unknown */
	uint64_t	 devices;	/* that looked it up */
	uint64_t	 lookups;
	uint64_t	 used_devices;	/* that had traffic to it */
};
int		 store_query_lookups(struct store *, int64_t since,
		    int64_t until,
		    int (*fn)(void *, const struct store_lookup_row *),
		    void *arg);

/*
 * The device inventory (schema 10): rows of `db import devices`, each
 * matching a device by MAC, address or subnet (match is canonical:
 * "aa:bb:cc:dd:ee:ff", "10.0.0.5/32", "10.1.0.0/16").
 */
struct store_inventory_row {
	int		 line;		/* in the imported file */
	const char	*match;
	const char	*name;
	const char	*owner;
	const char	*department;
	const char	*asset;		/* asset tag */
};
/* Replaces the whole inventory with v[0..n) in one transaction. 0, -1. */
int		 store_inventory_replace(struct store *,
		    const struct store_inventory_row *v, size_t n);
/* Calls fn for each inventory row, by line. 0, or -1. */
int		 store_query_inventory(struct store *,
		    int (*fn)(void *, const struct store_inventory_row *),
		    void *arg);
/*
 * Every device the database knows and each address it had: one row per
 * (device, address), with its MAC ("" unknown) and DHCP host name ("").
 */
struct store_known_device {
	const char	*device;
	const char	*mac;
	const char	*ip;
	const char	*hostname;
};
int		 store_query_known_devices(struct store *,
		    int (*fn)(void *, const struct store_known_device *),
		    void *arg);

/* Traffic of a device to one destination country and AS per window. */
struct destination {
	char		device[64];
	char		service[64];	/* catalog id, "" when unclassified */
	char		country[3];	/* ISO 3166 alpha-2, "" unknown */
	uint32_t	asn;		/* 0 unknown */
	char		as_org[64];	/* the AS's name, "" unknown */
	int64_t		bucket;
	int64_t		window_s;
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
	int64_t		first_us;
	int64_t		last_us;
};

/*
 * Adds d to its (device, service, country, asn, bucket) row, and records
 * a non-empty as_org as the name of its AS (the latest name wins). 0 or -1.
 */
int		 store_add_destination(struct store *,
		    const struct destination *d);

/* A log-in seen in clear text. Never carries a password. */
struct credential {
	char		device[64];
	char		ip[46];		/* client IP */
	char		proto[16];	/* "ftp", "pop3", "http-basic"... */
	char		server[46];	/* server IP */
	char		user[64];	/* user name, "" when none */
	uint64_t	count;		/* log-ins seen */
	int64_t		first_us;
	int64_t		last_us;
};

/* Adds c to its (device, proto, server, user) row. 0 or -1. */
int		 store_add_credential(struct store *,
		    const struct credential *c);

/* What DHCP (or any flow) says about a device. */
struct store_device {
	char		device[64];	/* key: MAC text, else IP text */
	char		mac[18];	/* "" when unknown */
	char		ip[46];		/* "" when none */
	char		hostname[254];	/* "" when none */
	char		vendor_class[128];
	char		prl[256];
	int64_t		ts_us;		/* packet time (the latest sighting) */
	int64_t		first_us;	/* the earliest, when several are
					   summed; 0: ts_us */
};

/*
 * Records a sighting of a device: the devices row (newest non-empty MAC,
 * IP, host name, vendor class and parameter list win; first/last seen
 * widen) and the IP and host-name history rows. 0 or -1.
 */
int		 store_put_device(struct store *, const struct store_device *);

/* Capture health over one interval [start_us, start_us + interval_s). */
struct store_health {
	int64_t		run_id;		/* from store_run_begin() */
	int64_t		start_us;	/* interval start, packet or wall time */
	int64_t		interval_s;
	uint64_t	packets;
	uint64_t	drops;		/* kernel + interface drops */
	uint64_t	decode_errors;
	uint64_t	dns_unanswered;	/* queries with no response */
	uint64_t	tcp_failed;	/* handshakes that never completed */
};

/*
 * Records one interval's counters (replacing a row for the same run and
 * start). Works inside or outside a transaction. 0 or -1.
 */
int		 store_put_health(struct store *, const struct store_health *);

/*
 * Network health of one device over one interval (table reliability,
 * schema 4): counters indexed by enum rel_count (reliability.h).
 */
struct store_rel {
	int64_t		 start_us;	/* interval start, packet time */
	int64_t		 interval_s;
	const char	*segment;	/* department, subnet or VLAN */
	const char	*device;	/* MAC, else address */
	const char	*ip;		/* "" when not known */
	uint64_t	 n[REL_NCOUNTS];
};

/*
 * Adds n rows' counters to the table (a row for the same interval,
 * segment and device grows). Call inside a transaction. 0 or -1; needs
 * schema 4.
 */
int		 store_put_reliability(struct store *, const struct store_rel *,
		    size_t n);
/*
 * Calls fn once per segment and hour (device "") or, when segment is
 * not NULL, once per device and hour of that segment (start_us a
 * multiple of an hour, interval_s 3600, ip "") for the intervals
 * starting in [since, until), counters summed, ordered by segment, hour
 * and device; strings are valid during the call only. A database
 * without the table (older schema) gives no rows. fn returning -1 stops
 * the query. 0 or -1.
 */
int		 store_query_reliability(struct store *, int64_t since,
		    int64_t until, const char *segment,
		    int (*fn)(void *, const struct store_rel *), void *arg);

/*
 * The sensors and inputs whose runs overlap [since, until) (query_sensors.c):
 * one row per (sensor, source), by sensor then source. sensor is "" for
 * runs recorded without a sensor name (and before schema 3); source is
 * the capture file or interface as given. Strings are valid during the
 * call only. 0 or -1.
 */
struct store_sensor_row {
	const char	*sensor;
	const char	*source;
	uint64_t	 runs;
};
int		 store_query_sensors(struct store *, int64_t since,
		    int64_t until,
		    int (*fn)(void *, const struct store_sensor_row *),
		    void *arg);

/* Hourly (or rolled-up daily) uploads to webmail, storage and sharing. */
struct store_upload_row {
	const char	*device;
	const char	*ip;
	const char	*department;	/* "" when none or an older schema */
	const char	*service;	/* catalog id */
	const char	*name;		/* its display name */
	int64_t		 bucket_us;	/* window start */
	int64_t		 window_s;
	uint64_t	 bytes_up;
};

/*
 * Calls fn for each finding row with uploads to a webmail, cloud-storage
 * or file-sharing service whose first packet is in [since, until), by
 * window, device and service (the reliability section's workaround
 * link). Strings are valid during the call only. 0 or -1.
 */
int		 store_query_uploads(struct store *, int64_t since,
		    int64_t until,
		    int (*fn)(void *, const struct store_upload_row *),
		    void *arg);

/*
 * Opens several databases read-only as one (one per sensor), for reports
 * and export: every read query then covers all of them. Device keys are
 * prefixed with the sensor name ("branch-1/aa:bb:...") when n > 1 so that
 * two sites' 10.0.0.5 stay two devices. At most STORE_MERGE_MAX files; each
 * is checked like store_open(STORE_RDONLY) and the first failure is
 * reported (naming its file) in err. The sensor name of a file is that of
 * its latest run, else the file name without ".db".
 */
#define STORE_MERGE_MAX	10
struct store	*store_open_many(const char *const *paths, size_t n,
		    char *err, size_t errlen);

struct store_prune_stats {
	uint64_t	rolled;		/* detail rows rolled into daily rows */
	uint64_t	daily;		/* daily rows written or added to */
	int64_t		cutoff_us;	/* rows before this were rolled */
};

/*
 * Rolls every finding, unclassified, destination and health row with a
 * window shorter than a day whose window starts before the cutoff into
 * daily rows (same keys, window_s 86400, counts summed, first/last seen
 * widened, status and evidence of the latest hour; reliability rows into
 * hourly rows instead, which the summary judges), then deletes the
 * detail, in one transaction. The cutoff is 00:00 UTC of the day keep_days
 * before the latest packet time in the database. 0 or -1 (nothing changed).
 */
int		 store_prune(struct store *, int keep_days,
		    struct store_prune_stats *out);

/* One exported row: a finding, unclassified destination, destination
 * (country/AS) or credential. Unused fields are "" or 0. */
struct store_export_row {
	const char	*type;	/* "finding", "unclassified", "destination",
				   "credential" */
	const char	*sensor;
	const char	*device;
	const char	*ip;
	const char	*mac;
	const char	*service;
	const char	*name;	/* unclassified name */
	const char	*category;
	const char	*status;
	int64_t		 bucket;
	int64_t		 window_s;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
	const char	*evidence;
	int64_t		 confidence;
	const char	*department;
	const char	*country;
	int64_t		 asn;
	const char	*proto;
	const char	*server;
	const char	*user;
	uint64_t	 count;
	const char	*instance;	/* a finding's tenant, bucket or
					   account; "" when none */
};

/*
 * Calls fn for every row whose first packet time is >= since_us, ordered
 * by first_us, type, sensor, device. Needs a handle from store_open_many()
 * (which may hold a single file). 0 or -1.
 */
int		 store_export(struct store *, int64_t since_us,
		    int (*fn)(void *, const struct store_export_row *),
		    void *arg);

/*
 * Read side, for reports. Every query takes a packet-time period
 * [since_us, until_us) in microseconds since the epoch; pass STORE_TIME_MIN
 * and STORE_TIME_MAX for "all". A finding or unclassified row belongs to the
 * period when its first_us does; a run does when its packet-time span
 * overlaps the period (runs with no packet time only count for "all").
 * Strings handed to callbacks are borrowed for the duration of the call.
 * A callback returns 0 to continue or -1 to stop the query, which then
 * returns -1. All queries return 0 or -1 (reason in store_errmsg()).
 */
#define STORE_TIME_MIN	INT64_MIN
#define STORE_TIME_MAX	INT64_MAX

struct store_totals {
	uint64_t	devices;		/* distinct devices, any status */
	uint64_t	services;		/* distinct (service, status) */
	uint64_t	unsanctioned_devices;
	uint64_t	unsanctioned_services;
	uint64_t	unsanctioned_categories;
	uint64_t	unclassified_names;	/* distinct unclassified names */
	uint64_t	unclassified_flows;
	uint64_t	unclassified_bytes;	/* up + down */
	int64_t		first_us;		/* span of the data; 0 if none */
	int64_t		last_us;
	uint64_t	classified_flows;	/* flows of findings, any status */
	uint64_t	classified_bytes;	/* up + down */
};

/* Fills *out with the headline counts of the period. */
int		 store_query_totals(struct store *, int64_t since_us,
		    int64_t until_us, struct store_totals *out);

struct store_service_row {
	const char	*id;		/* catalog id */
	const char	*name;		/* display name; the id if unknown */
	const char	*category;
	enum verdict	 verdict;	/* status at the time of the traffic */
	uint64_t	 devices;	/* distinct devices */
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
	const char	*risk;		/* catalog risk ("high"...), or "" */
	const char	*instance;	/* tenant, bucket or account, or "" */
};

/*
 * Calls fn once per (service, instance, status) seen in the period, in
 * order of service id, instance, then status. A service whose policy
 * changed within the period appears once per status, and one whose
 * flows showed instances once per instance.
 */
int		 store_query_services(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_service_row *),
		    void *arg);

/*
 * Use of one service by one device over a period, the basis of the
 * report's sustained / occasional / one-off classification: distinct UTC
 * days with traffic, and bytes uploaded.
 */
struct store_use_row {
	const char	*service;
	const char	*instance;	/* "" for none */
	enum verdict	 verdict;
	const char	*device;
	uint64_t	 days;		/* distinct UTC days seen */
	uint64_t	 bytes_up;
};

/*
 * Calls fn once per (service, instance, status, device) seen in the
 * period, ordered by service, instance, status, device. Days are read
 * from the day roll-ups and the detail rows, never from the months, whose
 * precision is not enough to count days.
 */
int		 store_query_use(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_use_row *),
		    void *arg);

/*
 * scope.c: a summary of part of the organisation. store_query_device_keys()
 * calls fn once per device with findings (in device order) with its
 * address, MAC and whether any of its findings was in the policy
 * department named (in_department; 0 when department is NULL).
 * store_scope() then restricts every later read of st to the devices
 * given (their keys): the tables with a device column are shadowed by
 * TEMP views of those devices' rows, and the statements prepared again.
 * Capture runs and network health stay whole. Only on a handle of one
 * file (not store_open_many()'s). 0 or -1.
 */
struct store_device_key {
	const char	*device;
	const char	*ip;
	const char	*mac;
	int		 in_department;
};
int		 store_query_device_keys(struct store *,
		    const char *department,
		    int (*fn)(void *, const struct store_device_key *),
		    void *arg);
int		 store_scope(struct store *, const char *const *devices,
		    size_t n);

struct store_dest_row {
	const char	*name;		/* host name as seen on the wire */
	uint64_t	 devices;
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
};

/*
 * Calls fn for at most limit unclassified names of the period, ordered by
 * devices, flows and bytes (descending), then name (ascending, bytewise).
 */
int		 store_query_unclassified(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_dest_row *),
		    void *arg);

struct store_coverage {
	uint64_t	runs;
	uint64_t	unfinished;	/* runs with no end recorded */
	uint64_t	packets;
	uint64_t	bytes;
	uint64_t	flows;
	uint64_t	kernel_drops;
	uint64_t	decode_errors;
	int64_t		first_us;	/* packet-time span; 0 if none */
	int64_t		last_us;
	/* What the runs lost. Files older than schema 3 read 0 for the
	 * rows, older than schema 8 0 for failed runs and read errors. */
	uint64_t	failed;		/* runs whose parser died */
	uint64_t	rows_dropped;	/* aggregate table full */
	uint64_t	rows_unwritten;	/* the store could not write */
	uint64_t	read_errors;	/* capture files cut off */
	uint64_t	bad_time;	/* packets with implausible times */
};

/* Fills *out with the capture runs that cover the period. */
int		 store_query_coverage(struct store *, int64_t since_us,
		    int64_t until_us, struct store_coverage *out);

/* A run marked failed (schema 8). Strings live until the next step. */
struct store_failed_run {
	const char	*started_at;	/* ISO 8601, UTC, wall clock */
	const char	*source;	/* file or interface */
	const char	*reason;	/* how it failed, for people */
	uint64_t	 packets;	/* counted before it failed */
	uint64_t	 flows;
};

/*
 * Calls fn for at most limit failed runs of the period (as for
 * store_query_coverage()), latest first. fn returns -1 to stop (then -1).
 * 0 or -1.
 */
int		 store_query_failed_runs(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_failed_run *),
		    void *arg);

/*
 * Sets *out_us to the latest packet time anywhere in the database (findings,
 * unclassified rows, runs), or 0 when it holds no traffic. Relative periods
 * ("the last 7 days") count back from it, not from the wall clock.
 */
int		 store_query_last(struct store *, int64_t *out_us);

/* Bytes to one destination country or one AS in a period. */
struct store_geo_row {
	const char	*country;	/* ISO 3166 alpha-2, "" unknown */
	uint32_t	 asn;		/* 0 unknown (AS rows only) */
	const char	*as_org;	/* AS name, "" unknown (AS rows only) */
	uint64_t	 devices;	/* distinct */
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
};

/*
 * Call fn for at most limit destination countries (store_query_countries)
 * or AS numbers (store_query_networks) of the period, from the
 * destinations table, by bytes up + down (descending), then country or
 * AS number. Country rows leave asn 0 and as_org ""; AS rows leave
 * country "". Files older than schema 3 have no such rows; files older
 * than schema 4 have no AS names.
 */
int		 store_query_countries(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_geo_row *), void *arg);
int		 store_query_networks(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_geo_row *), void *arg);

struct store_department_row {
	const char	*department;	/* "" for devices in none */
	uint64_t	 devices;	/* distinct, any status */
	uint64_t	 unsanctioned_devices;
	uint64_t	 unsanctioned_services;	/* distinct */
	uint64_t	 bytes_up;	/* all findings */
	uint64_t	 unsanctioned_up;	/* to unsanctioned services */
};

/*
 * Calls fn once per department recorded with the period's findings, by
 * name ("" first), but not at all when no finding of the period has a
 * department (the policy defines none, or the file predates schema 3).
 */
int		 store_query_departments(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_department_row *),
		    void *arg);

struct store_credential_row {
	const char	*device;
	const char	*proto;		/* "ftp", "pop3", "http-basic"... */
	const char	*server;	/* server IP */
	const char	*user;		/* "" when none */
	uint64_t	 count;		/* log-ins, over the row's whole span */
	int64_t		 first_us;
	int64_t		 last_us;
};

/*
 * Calls fn for at most limit clear-text log-ins whose span [first_us,
 * last_us] overlaps the period, by protocol, server, user, device. The
 * credentials table keeps no windows, so count covers the whole span.
 */
int		 store_query_credentials(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_credential_row *),
		    void *arg);

struct store_credential_totals {
	uint64_t	rows;		/* (device, proto, server, user) */
	uint64_t	devices;	/* distinct */
	uint64_t	protos;		/* distinct */
	uint64_t	logins;		/* sum of count */
	char		protos_list[128];	/* "ftp, pop3": by name */
};

/* Fills *out with the totals of store_query_credentials() without limit. */
int		 store_query_credential_totals(struct store *,
		    int64_t since_us, int64_t until_us,
		    struct store_credential_totals *out);

/* The schema version of the file as opened (after any migration). */
int64_t		 store_version(const struct store *);

#define STORE_KEY_LEN	32

/*
 * The database's own key for --pseudonymize. Copies it to key and returns
 * 1. When the database has none yet, a read-write handle creates one from
 * getrandom(2) and stores it (once; a concurrent creator's key wins) and
 * returns 1; a read-only handle, or a file older than schema 2, returns 0
 * and leaves key unchanged. -1 on error.
 */
int		 store_pseudonym_key(struct store *, uint8_t key[STORE_KEY_LEN]);

struct store_category_row {
	const char	*category;		/* "" for none */
	uint64_t	 devices;		/* distinct, any status */
	uint64_t	 unsanctioned_devices;
	uint64_t	 unapproved_devices;	/* using a non-sanctioned one */
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
};

/*
 * Calls fn once per category in use in the period (the catalog's category
 * of each service, else the one recorded with the finding), by name.
 */
int		 store_query_categories(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_category_row *),
		    void *arg);

struct store_group {
	uint64_t	devices;	/* distinct */
	uint64_t	services;	/* distinct */
	uint64_t	flows;
	uint64_t	bytes_up;
	uint64_t	bytes_down;
};

/*
 * Fills *out with the unsanctioned use of the period in any of the
 * categories listed in categories, written ",a,b,c," (commas around each).
 */
int		 store_query_group(struct store *, int64_t since_us,
		    int64_t until_us, const char *categories,
		    struct store_group *out);

struct store_day_row {
	int64_t		day_us;			/* 00:00 UTC of the day */
	uint64_t	unsanctioned_bytes;	/* up + down */
	uint64_t	other_bytes;		/* any other status */
	uint64_t	unsanctioned_devices;
	uint64_t	devices;
};

/* Calls fn once per UTC day with findings in the period, oldest first. */
int		 store_query_days(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_day_row *),
		    void *arg);

struct store_device_row {
	const char	*device;	/* device key */
	const char	*ip;		/* the latest seen */
	const char	*mac;		/* "" when unknown */
	uint64_t	 services;	/* distinct unsanctioned services */
	uint64_t	 flows;
	uint64_t	 bytes_up;
	uint64_t	 bytes_down;
	int64_t		 first_us;
	int64_t		 last_us;
};

/*
 * Calls fn for at most limit devices that used unsanctioned services in
 * the period (counts cover that use only), by number of such services and
 * upload (descending), then device key.
 */
int		 store_query_devices(struct store *, int64_t since_us,
		    int64_t until_us, size_t limit,
		    int (*fn)(void *, const struct store_device_row *),
		    void *arg);

#endif
