/* SPDX-License-Identifier: ISC */
/*
 * aggregate.h: turns flow records into findings: one row per device x
 * service x time window (flows, bytes up and down, first and last seen,
 * strongest evidence), one per device x unclassified registrable domain x
 * window, one per device x service x destination country x AS x window,
 * and one per clear-text log-in (device, protocol, server, user). A device
 * is its client MAC when the record has one, else its IP. DHCP sightings
 * queue beside the rows. Bounded: when the table is full, aggregate_add()
 * fails and counts the loss; the caller flushes. This table is the queue
 * between the packet path and the disk: a failed flush keeps every row.
 */
#ifndef SHADOWTAP_AGGREGATE_H
#define SHADOWTAP_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/record.h"

struct store;
struct aggregate;

struct aggregate_stats {
	uint64_t	records;	/* flow records added */
	uint64_t	dropped;	/* records lost because the table was full */
	uint64_t	rows_written;	/* rows handed to the store */
	uint64_t	write_errors;	/* flushes the store refused */
	uint64_t	flush_skipped;	/* flushes not tried: backing off */
	uint64_t	devices;	/* device records queued */
	uint64_t	devices_dropped;/* device records lost: queue full */
};

/* The window when aggregate_new() is given 0: one hour. */
#define AGGREGATE_WINDOW_S	3600
/* Device sightings held between flushes. */
#define AGGREGATE_DEVICES_MAX	1024
/* After a failed flush, a full table retries at most this often (ms). */
#define AGGREGATE_RETRY_MS	1000

/*
 * Allocates a table of capacity rows and a window of window_s seconds
 * (0: AGGREGATE_WINDOW_S). NULL on a zero capacity or negative window.
 */
struct aggregate *aggregate_new(size_t capacity, int64_t window_s);
void		 aggregate_free(struct aggregate *);

/*
 * Adds one flow record. Records with no service and no name only count in
 * the totals. A piece of a flow that goes on (record.h, FLOW_PIECE_*)
 * adds its bytes and widens first/last seen; the flow counts on its first
 * piece only, so the pieces of a flow add up to the whole flow's record.
 * Returns 0, or -1 when the table is full (stats.dropped++).
 */
int		 aggregate_add(struct aggregate *, const struct flow_record *);

/*
 * Queues one DHCP sighting of a device for the next flush (identical
 * sightings merge). Returns 0, or -1 when the queue is full
 * (stats.devices_dropped++).
 */
int		 aggregate_device(struct aggregate *,
		    const struct device_record *);

/* Number of rows held (findings, destinations, log-ins, sightings). */
size_t		 aggregate_rows(const struct aggregate *);
/*
 * Whether one more aggregate_add() and aggregate_device() surely fit (a
 * record makes at most three rows): 1, or 0 when the caller should flush
 * first rather than lose the record.
 */
int		 aggregate_room(const struct aggregate *);

/*
 * Writes every row to st inside one transaction and empties the table.
 * Returns 0, or -1 when the store failed (rows are kept for a retry). So
 * that a failing disk cannot stall capture, a call made while the table
 * is full less than AGGREGATE_RETRY_MS after a failure does not touch
 * the store and returns -1 (stats.flush_skipped++); a call on a table
 * that is not full always tries.
 */
int		 aggregate_flush(struct aggregate *, struct store *st);

const struct aggregate_stats *aggregate_stats(const struct aggregate *);

#endif
