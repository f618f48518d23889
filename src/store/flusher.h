/* SPDX-License-Identifier: ISC */
/*
 * flusher.h: the writer's commit thread. What arrives from the parser is
 * summed into the front batch (aggregate, network-health accumulator,
 * health rows, the run's progress); flusher_hand() gives that batch to a
 * thread that writes it in one transaction while the other batch fills.
 * Two batches make a bounded queue: a hand-off waits while the previous
 * batch is still being written, which stops the caller reading and so
 * holds the parser back. The store handle belongs to the thread while a
 * batch is in flight; call flusher_wait() before any other use of it.
 */
#ifndef SHADOWTAP_FLUSHER_H
#define SHADOWTAP_FLUSHER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct aggregate;
struct relagg;
struct flusher;

/* Health rows a batch holds; one more hands it over first. */
#define FLUSHER_HEALTH_MAX	64

struct flusher_batch {
	struct aggregate	*agg;
	struct relagg		*rel;
	struct store_health	 health[FLUSHER_HEALTH_MAX];
	size_t			 nhealth;
	/* The run's counters so far, for store_run_progress(). */
	int			 have_progress;
	int64_t			 run_id;
	struct run_stats	 progress;
};

struct flusher_stats {
	uint64_t	batches;	/* hand-offs written (or tried) */
	uint64_t	waits;		/* hand-offs that waited for the last */
	uint64_t	wait_us;	/* how long they waited in all */
	uint64_t	write_us;	/* time spent writing batches */
	uint64_t	failed;		/* writes the store refused */
};

/*
 * Two batches of aggregate_new(agg_capacity, window_s) and
 * relagg_new(rel_capacity, rel_interval_s) over st (not owned). With
 * threaded 0, or when no thread can be made, flusher_hand() writes at
 * once in the caller. Aborts when memory is short.
 */
struct flusher	*flusher_new(struct store *st, size_t agg_capacity,
		    int64_t window_s, size_t rel_capacity, int rel_interval_s,
		    int threaded);
/* Writes nothing more: waits for the batch in flight, ends the thread. */
void		 flusher_free(struct flusher *);

/*
 * fn(arg, st) is called after each batch is written, on the thread that
 * wrote it (so with the store to itself), e.g. to forward what the
 * batch's transactions changed. Set it before the first hand-off.
 */
void		 flusher_on_commit(struct flusher *,
		    void (*fn)(void *, struct store *), void *arg);

/* The batch that fills. Valid until the next flusher_hand(). */
struct flusher_batch *flusher_front(struct flusher *);

/*
 * Gives the front batch to the thread (after the previous one is written)
 * and makes the other batch the front. A batch whose write failed keeps
 * its rows and comes back as a front later, so they are tried again with
 * whatever is added to them. Returns 0 (a failure shows in the stats).
 */
int		 flusher_hand(struct flusher *);
/* Whether a batch is in flight (a hand-off would wait). */
int		 flusher_busy(struct flusher *);
/* Waits until no batch is in flight. */
void		 flusher_wait(struct flusher *);

/*
 * No room for one more flow record (three rows) in the front batch: the
 * caller hands it over first. (For network health, relagg_try().)
 */
int		 flusher_full(struct flusher *);
/* Queues one health row in the front batch, handing it over if full. */
void		 flusher_health(struct flusher *, const struct store_health *);

/* Rows held and lost in both batches (call after flusher_wait()). */
size_t		 flusher_rows(struct flusher *);
uint64_t	 flusher_dropped(struct flusher *);
/* The counters; call after flusher_wait(). */
const struct flusher_stats *flusher_stats(struct flusher *);
/* The store's message of the first failed write, "" if none. */
const char	*flusher_errmsg(struct flusher *);

#endif
