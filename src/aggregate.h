/* SPDX-License-Identifier: ISC */
/*
 * aggregate.h: turns flow records into findings: one row per device x
 * service x time window (flows, bytes up and down, first and last seen),
 * and one per device x unclassified name x window. Bounded: when the table
 * is full, aggregate_add() fails and counts the loss; the caller flushes.
 */
#ifndef SHADOWTAP_AGGREGATE_H
#define SHADOWTAP_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct store;
struct aggregate;

struct aggregate_stats {
	uint64_t	records;	/* flow records added */
	uint64_t	dropped;	/* records lost because the table was full */
	uint64_t	rows_written;	/* rows handed to the store */
	uint64_t	write_errors;	/* rows the store refused */
};

/* Allocates a table of capacity rows and a window of window_s seconds. */
struct aggregate *aggregate_new(size_t capacity, int64_t window_s);
void		 aggregate_free(struct aggregate *);

/*
 * Adds one flow record. Records with no service and no name only count in
 * the totals. Returns 0, or -1 when the table is full (stats.dropped++).
 */
int		 aggregate_add(struct aggregate *, const struct flow_record *);

/* Number of rows held. */
size_t		 aggregate_rows(const struct aggregate *);

/*
 * Writes every row to st inside one transaction and empties the table.
 * Returns 0, or -1 when the store failed (rows are kept for a retry).
 */
int		 aggregate_flush(struct aggregate *, struct store *st);

const struct aggregate_stats *aggregate_stats(const struct aggregate *);

#endif
