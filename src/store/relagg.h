/* SPDX-License-Identifier: ISC */
/*
 * relagg.h: the accumulator of network-health events (struct rel_event,
 * base/record.h; the sniffer makes them in relevent.c). The store side
 * sums them per interval, network segment and device in a table of fixed
 * capacity, and writes the sums to the store's reliability table, adding
 * to what an earlier flush wrote for the same key.
 */
#ifndef SHADOWTAP_RELAGG_H
#define SHADOWTAP_RELAGG_H

#include <stddef.h>
#include <stdint.h>

#include "base/health.h"
#include "base/record.h"

/*
 * The segment of an event: its department, else the /24 (IPv4) or /64
 * (IPv6) of its address, else "VLAN n", else "unknown". Returns buf.
 */
char		*relagg_segment(const struct rel_event *, char *buf, size_t len);

struct store;
struct relagg;

struct relagg_stats {
	uint64_t	events;
	uint64_t	dropped;	/* the table was full */
	uint64_t	rows_written;
	uint64_t	write_errors;
};

/* capacity rows of interval_s seconds each; aborts if memory is short. */
struct relagg	*relagg_new(size_t capacity, int interval_s);
void		 relagg_free(struct relagg *);
/* Counts one checked event. 0, or -1 when the table is full (counted). */
int		 relagg_add(struct relagg *, const struct rel_event *);
/* The same, but a full table counts no loss: the caller flushes and
 * adds the event again. */
int		 relagg_try(struct relagg *, const struct rel_event *);
size_t		 relagg_rows(const struct relagg *);
/* 1 when one more event surely fits, 0 when the caller should flush. */
int		 relagg_room(const struct relagg *);
/*
 * Writes every row in one transaction and empties the table. 0, or -1
 * with the store's message (the rows are kept for the next try).
 */
int		 relagg_flush(struct relagg *, struct store *);
const struct relagg_stats *relagg_stats(const struct relagg *);

#endif
