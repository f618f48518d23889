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
 * Opens path. Returns NULL and writes a one-line reason naming the file to
 * err on failure (missing, locked, corrupt, newer schema, not writable).
 */
struct store	*store_open(const char *path, int flags, char *err,
		    size_t errlen);
/* Commits any open transaction and closes; store_close(NULL) is a no-op. */
void		 store_close(struct store *);

/* The last error message of this handle (for logging by the caller). */
const char	*store_errmsg(const struct store *);

int		 store_begin(struct store *);
int		 store_commit(struct store *);

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

#endif
