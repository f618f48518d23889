/* SPDX-License-Identifier: ISC */
/*
 * flusher.c: two batches and one thread (see flusher.h). The writer's main
 * thread fills one batch from the parser's messages while the thread
 * writes the other, so SQLite's work overlaps the parser's instead of
 * stopping it: before, the writer stopped reading the channel for each
 * commit and the parser blocked on the full socket.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "store/aggregate.h"
#include "store/flusher.h"
#include "store/relagg.h"
#include "store/store.h"

struct flusher {
	struct store		*st;
	struct flusher_batch	 b[2];
	int			 front;		/* index of the filling batch */
	int			 threaded;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct flusher_batch	*work;		/* in flight, or NULL */
	int			 quit;
	struct flusher_stats	 stats;
	char			 err[256];
	void			(*on_commit)(void *, struct store *);
	void			*on_commit_arg;
};

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The first failure's message is kept (and logged once). */
static void
failed(struct flusher *f, const char *what)
{
	if (f->stats.failed++ == 0) {
		strlcpy(f->err, store_errmsg(f->st), sizeof(f->err));
		log_warnx("cannot write %s: %s", what, f->err);
	}
}

/*
 * Writes one batch: the run's progress, health rows, network health,
 * findings, each as before in its own transaction. What fails stays in
 * the batch (the accumulators keep their rows), for the next try.
 */
static void
write_batch(struct flusher *f, struct flusher_batch *b)
{
	struct store *st = f->st;
	uint64_t t0 = now_us();
	size_t i;

	if (b->have_progress) {
		if (store_begin(st) == -1 ||
		    store_run_progress(st, b->run_id, &b->progress) == -1 ||
		    store_commit(st) == -1)
			(void)store_rollback(st);	/* the end tries again */
		b->have_progress = 0;
	}
	if (b->nhealth > 0) {
		if (store_begin(st) == -1)
			failed(f, "capture health");
		else {
			for (i = 0; i < b->nhealth; i++) {
				if (store_put_health(st, &b->health[i]) == -1)
					break;
			}
			if (i < b->nhealth || store_commit(st) == -1) {
				(void)store_rollback(st);
				failed(f, "capture health");
			}
		}
		b->nhealth = 0;
	}
	if (relagg_rows(b->rel) > 0 && relagg_flush(b->rel, st) == -1)
		failed(f, "network health");
	if (aggregate_rows(b->agg) > 0 && aggregate_flush(b->agg, st) == -1)
		failed(f, "findings");
	if (f->on_commit != NULL)
		f->on_commit(f->on_commit_arg, st);
	f->stats.batches++;
	f->stats.write_us += now_us() - t0;
}

static void *
run(void *arg)
{
	struct flusher *f = arg;
	struct flusher_batch *b;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (f->work == NULL && !f->quit)
			pthread_cond_wait(&f->cv, &f->mu);
		if (f->work == NULL)
			break;
		b = f->work;
		pthread_mutex_unlock(&f->mu);
		write_batch(f, b);
		pthread_mutex_lock(&f->mu);
		f->work = NULL;
		pthread_cond_broadcast(&f->cv);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

struct flusher *
flusher_new(struct store *st, size_t agg_capacity, int64_t window_s,
    size_t rel_capacity, int rel_interval_s, int threaded)
{
	struct flusher *f = xcalloc(1, sizeof(*f));
	sigset_t all, old;
	int i;

	f->st = st;
	for (i = 0; i < 2; i++) {
		f->b[i].agg = aggregate_new(agg_capacity, window_s);
		f->b[i].rel = relagg_new(rel_capacity, rel_interval_s);
		if (f->b[i].agg == NULL)
			fatalx("flusher: cannot make the aggregate");
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (threaded) {
		/* Signals stay with the main thread, whose loop reads them. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		f->threaded = pthread_create(&f->thread, NULL, run, f) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!f->threaded)
			log_warnx("flusher: no thread; commits stop the reader");
	}
	return f;
}

int
flusher_busy(struct flusher *f)
{
	int busy;

	if (!f->threaded)
		return 0;
	pthread_mutex_lock(&f->mu);
	busy = f->work != NULL;
	pthread_mutex_unlock(&f->mu);
	return busy;
}

void
flusher_wait(struct flusher *f)
{
	uint64_t t0;

	if (!f->threaded)
		return;
	pthread_mutex_lock(&f->mu);
	if (f->work != NULL) {
		t0 = now_us();
		f->stats.waits++;
		while (f->work != NULL)
			pthread_cond_wait(&f->cv, &f->mu);
		f->stats.wait_us += now_us() - t0;
	}
	pthread_mutex_unlock(&f->mu);
}

void
flusher_free(struct flusher *f)
{
	int i;

	if (f == NULL)
		return;
	if (f->threaded) {
		pthread_mutex_lock(&f->mu);
		f->quit = 1;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->thread, NULL);
	}
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	for (i = 0; i < 2; i++) {
		aggregate_free(f->b[i].agg);
		relagg_free(f->b[i].rel);
	}
	free(f);
}

void
flusher_on_commit(struct flusher *f, void (*fn)(void *, struct store *),
    void *arg)
{
	f->on_commit = fn;
	f->on_commit_arg = arg;
}

struct flusher_batch *
flusher_front(struct flusher *f)
{
	return &f->b[f->front];
}

int
flusher_hand(struct flusher *f)
{
	struct flusher_batch *b = &f->b[f->front];

	if (!f->threaded) {
		write_batch(f, b);
		return 0;
	}
	flusher_wait(f);
	pthread_mutex_lock(&f->mu);
	f->work = b;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	f->front ^= 1;
	return 0;
}

int
flusher_full(struct flusher *f)
{
	struct flusher_batch *b = &f->b[f->front];

	return !aggregate_room(b->agg);
}

void
flusher_health(struct flusher *f, const struct store_health *h)
{
	struct flusher_batch *b = &f->b[f->front];

	if (b->nhealth == FLUSHER_HEALTH_MAX) {
		(void)flusher_hand(f);
		b = &f->b[f->front];
	}
	b->health[b->nhealth++] = *h;
}

size_t
flusher_rows(struct flusher *f)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 2; i++)
		n += aggregate_rows(f->b[i].agg) + relagg_rows(f->b[i].rel);
	return n;
}

uint64_t
flusher_dropped(struct flusher *f)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < 2; i++)
		n += aggregate_stats(f->b[i].agg)->dropped +
		    relagg_stats(f->b[i].rel)->dropped;
	return n;
}

const struct flusher_stats *
flusher_stats(struct flusher *f)
{
	return &f->stats;
}

const char *
flusher_errmsg(struct flusher *f)
{
	return f->err;
}
