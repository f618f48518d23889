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

#include "verdict.h"

#define STORE_RDONLY	0x01	/* open an existing database read-only */
#define STORE_CREATE	0x02	/* create the file and schema if missing */

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
#define STORE_SCHEMA_VERSION	2

struct run_info {
	const char	*source;	/* capture file path or interface */
	const char	*filter;	/* BPF expression or NULL */
	const char	*rules;		/* rules paths, for the record */
};

struct run_stats {
	uint64_t	packets;
	uint64_t	bytes;
	uint64_t	flows;
	uint64_t	kernel_drops;
	uint64_t	decode_errors;
	int64_t		first_us;	/* packet time span of the run */
	int64_t		last_us;
};

/* Records the start of a capture run; sets *run_id. 0 or -1. */
int		 store_run_begin(struct store *, const struct run_info *,
		    int64_t *run_id);
/* Records the end of a run and its counters. 0 or -1. */
int		 store_run_end(struct store *, int64_t run_id,
		    const struct run_stats *);

/* Inserts or updates one catalog service as loaded. 0 or -1. */
int		 store_put_service(struct store *, const char *id,
		    const char *name, const char *category, const char *risk,
		    enum verdict verdict);

struct finding {
	char		device[64];	/* device key: client IP text for now */
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
};

/* Adds the counts of f to its (device, service, bucket) row. 0 or -1. */
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
};

/*
 * Calls fn once per (service, status) seen in the period, in order of
 * service id then status. A service whose policy changed within the period
 * appears once per status.
 */
int		 store_query_services(struct store *, int64_t since_us,
		    int64_t until_us,
		    int (*fn)(void *, const struct store_service_row *),
		    void *arg);

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
};

/* Fills *out with the capture runs that cover the period. */
int		 store_query_coverage(struct store *, int64_t since_us,
		    int64_t until_us, struct store_coverage *out);

/*
 * Sets *out_us to the latest packet time anywhere in the database (findings,
 * unclassified rows, runs), or 0 when it holds no traffic. Relative periods
 * ("the last 7 days") count back from it, not from the wall clock.
 */
int		 store_query_last(struct store *, int64_t *out_us);

/* The schema version of the file as opened (after any migration). */
int64_t		 store_version(const struct store *);

#define STORE_KEY_LEN	32

/*
 * The database's own key for --pseudonymize. Copies it to key and returns
 * 1. When the database has none yet, a read-write handle creates one from
 * RAND_bytes() and stores it (once; a concurrent creator's key wins) and
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
