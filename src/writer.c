/* SPDX-License-Identifier: ISC */
/*
 * writer.c: the store's process of a capture run (see writer.h). It never
 * sees a packet: only messages privsep.c has validated, which it sums in
 * the aggregates and commits every DEF_FLUSH_EVERY_S seconds and at the
 * end. It holds the database; the sniffer holds the capture. With
 * --workers there is one sniffer, and one channel, per worker: the run's
 * counters are their sums.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>
#include <sys/wait.h>

#include <poll.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/defaults.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/util.h"
#include "cmd.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "privsep.h"
#include "rulefiles.h"
#include "sandbox.h"
#include "signals.h"
#include "store/aggregate.h"
#include "store/flusher.h"
#include "store/pg.h"
#include "store/relagg.h"
#include "store/store.h"
#include "writer.h"

#define WRITER_HEALTH_SUMS	8	/* intervals summed over workers */

/* One sniffer's channel (--workers: one each). */
struct writer_chan {
	struct privsep		*ps;
	struct privsep_run_stats rstats;	/* its latest counters */
	int			 have_rstats;
	int			 open;		/* not at its end yet */
};

struct writer {
	struct writer_conf	*c;
	struct writer_chan	*ch;		/* c->nps of them */
	size_t			 cur;		/* whose message is handled */
	struct store		*store;
	struct flusher		*fl;	/* the batches and the commit thread */
	int64_t			 run_id;
	struct privsep_run_stats rstats;	/* from the sniffers, summed */
	int			 have_rstats;	/* from every one */
	uint64_t		 store_failed;
	/* What arrived, for a run whose parser dies before its counters. */
	uint64_t		 got_packets;	/* from the health messages */
	uint64_t		 got_flows;
	int64_t			 got_first_us;
	int64_t			 got_last_us;
	char			 failed[192];	/* why the run failed, or "" */
	uint64_t		 progress_packets; /* in the run's row */
	int			 pieces;	/* flow pieces since the commit */
	int			 commit_now;	/* a round of pieces is whole */
	struct pg_fwd		*fwd;	/* -d postgresql://: the forwarder */
	int			 fwd_down;	/* said that it is away */
	/* --workers: each sends its own counts of an interval, which the
	 * store's row replaces; the latest intervals' sums go there. */
	struct store_health	 hsum[WRITER_HEALTH_SUMS];
};

/* The parser's counters so far, for the batch's run row, if changed. */
static void
batch_progress(struct writer *w, struct flusher_batch *b)
{
	struct run_stats *rst = &b->progress;

	if (!w->have_rstats || w->rstats.packets == w->progress_packets)
		return;
	memset(rst, 0, sizeof(*rst));
	rst->packets = w->rstats.packets;
	rst->bytes = w->rstats.bytes;
	rst->flows = w->rstats.flows;
	rst->kernel_drops = w->rstats.kernel_drops;
	rst->decode_errors = w->rstats.decode_errors;
	rst->first_us = w->rstats.first_us;
	rst->last_us = w->rstats.last_us;
	b->run_id = w->run_id;
	b->have_progress = 1;
	w->progress_packets = rst->packets;
}

/*
 * With PostgreSQL: sends what the spool's last commits changed (force: at
 * the end, now, whatever the backoff). Never stops the run; says once
 * when the database went away and when it came back.
 */
static void
forward(struct writer *w, int force)
{
	int64_t n;

	if (w->fwd == NULL)
		return;
	if (pg_fwd_tick(w->fwd, force) >= 0) {
		if (w->fwd_down)
			log_info("postgresql: reachable again; the spool %s"
			    " is forwarded", w->c->db);
		w->fwd_down = 0;
		return;
	}
	if (!w->fwd_down || force) {
		n = pg_fwd_pending(w->fwd);
		log_warnx("%s; %" PRId64 " rows wait in the spool %s (sent"
		    " when it is back, by this run or the next, or by db"
		    " push)", pg_fwd_errmsg(w->fwd), n, w->c->db);
	}
	w->fwd_down = 1;
}

/*
 * The flusher's hook, on its thread after each batch is written (the
 * store is the thread's then): the batch's changes go on to PostgreSQL.
 */
static void
on_commit(void *arg, struct store *st)
{
	(void)st;
	forward(arg, 0);
}

int
writer_spool(const char *db, const char *spool, const char *sensor,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	char dir[PATH_MAX], host[256];
	int n;

	if (db == NULL || !pg_is_conninfo(db))
		return 0;
	if (pg_check_conninfo(db, err, errlen) == -1)
		return -1;
	if (spool != NULL) {
		strlcpy(path, spool, pathlen);
		return 1;
	}
	if (sensor == NULL) {
		if (gethostname(host, sizeof(host)) == -1)
			strlcpy(host, "sensor", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		sensor = host;
	}
	(void)paths_dir_of(paths_db(), dir, sizeof(dir));
	n = snprintf(path, pathlen, "%s/spool-%s.db", dir, sensor);
	if (n < 0 || (size_t)n >= pathlen || strchr(sensor, '/') != NULL) {
		snprintf(err, errlen, "--sensor %s: cannot name a spool after"
		    " it; give --spool FILE", sensor);
		return -1;
	}
	return 1;
}


/*
 * Store process: hands what the batch holds to the commit thread
 * (flusher.h), which writes it while the next batch fills; waits only
 * while the previous batch is still being written.
 */
static void
flush_findings(struct writer *w)
{
	if (w->store == NULL)
		return;
	batch_progress(w, flusher_front(w->fl));
	(void)flusher_hand(w->fl);
}

/* Makes room for one more message: a full batch is handed over. */
static struct flusher_batch *
room(struct writer *w)
{
	if (flusher_full(w->fl))
		flush_findings(w);
	return flusher_front(w->fl);
}

/*
 * The run's counters: the sum of every sniffer's latest (the span from
 * the earliest first packet to the latest last one), once each has sent.
 */
static void
sum_rstats(struct writer *w)
{
	struct privsep_run_stats *t = &w->rstats;
	const struct privsep_run_stats *r;
	size_t i;

	memset(t, 0, sizeof(*t));
	w->have_rstats = 1;
	for (i = 0; i < w->c->nps; i++) {
		r = &w->ch[i].rstats;
		if (!w->ch[i].have_rstats)
			w->have_rstats = 0;
		t->packets += r->packets;
		t->bytes += r->bytes;
		t->flows += r->flows;
		t->kernel_drops += r->kernel_drops;
		t->if_drops += r->if_drops;
		t->decode_errors += r->decode_errors;
		t->bad_time += r->bad_time;
		t->read_error |= r->read_error;
		if (r->first_us != 0 && (t->first_us == 0 ||
		    r->first_us < t->first_us))
			t->first_us = r->first_us;
		if (r->last_us > t->last_us)
			t->last_us = r->last_us;
	}
}

/* Every sniffer: killed, after a violation or a failure here. */
static void
kill_all(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->c->nps; i++)
		(void)privsep_kill(w->ch[i].ps);
}

/* The catalog's services and their verdicts, into the store. 0 or -1. */
static int
put_services(struct writer *w)
{
	const struct service *s;
	size_t i;

	for (i = 0; i < rules_nservices(w->c->rs); i++) {
		s = rules_service_at(w->c->rs, i);
		if (store_put_service(w->store, s->id, s->name, s->category,
		    risk_str(s->risk), s->verdict) == -1)
			return -1;
	}
	return 0;
}

/*
 * The store's side of SIGHUP. The sandboxed sniffer cannot open files, so
 * the store reads the rules, checks them (with errors they are logged and
 * the rules in use stay, here and in the sniffer), then sends their bytes
 * to the sniffer, which parses them again and swaps at once.
 */
static void
store_reload(struct writer *w)
{
	struct rules_sources src;
	struct diags *d = diags_new();
	struct ruleset *nrs;
	uint8_t *b = NULL;
	size_t blen, i;
	char err[256];

	rulefiles_read(w->c->files, &src);
	nrs = rules_load_sources(&src, d);
	rulefiles_log_diags(d);
	flusher_wait(w->fl);	/* the store is the main thread's again */
	if (nrs == NULL) {
		log_warnx("reload: %zu error%s in the rules; keeping the rules "
		    "in use", diags_errors(d), diags_errors(d) == 1 ? "" : "s");
		goto done;
	}
	if (rulesrc_pack(&src, &b, &blen, err, sizeof(err)) == -1) {
		log_warnx("reload: %s; keeping the rules in use", err);
		rules_free(nrs);
		goto done;
	}
	for (i = 0; i < w->c->nps; i++) {
		if (privsep_rules_send(w->ch[i].ps, b, blen) == -1) {
			log_warn("reload: sending the rules to the sniffer");
			rules_free(nrs);
			goto done;
		}
		(void)privsep_out_flush(w->ch[i].ps);
	}
	rules_free(w->c->rs);
	w->c->rs = nrs;
	if (put_services(w) == -1)
		log_warnx("reload: %s", store_errmsg(w->store));
	log_info("reload: %zu services checked, %zu bytes of rules sent to "
	    "the sniffer", rules_nservices(nrs), blen);
done:
	free(b);
	diags_free(d);
	rulesrc_free(&src);
}

/*
 * --workers: *h, one worker's counts of an interval, becomes the sum of
 * what every worker sent for it, kept for the WRITER_HEALTH_SUMS latest
 * intervals (the workers' clocks are the same, so they report the same
 * few at about the same time; an older one replaces the oldest sum).
 */
static void
health_sum(struct writer *w, struct store_health *h)
{
	struct store_health *s, *old = &w->hsum[0];
	size_t i;

	for (i = 0; i < WRITER_HEALTH_SUMS; i++) {
		s = &w->hsum[i];
		if (s->interval_s != 0 && s->start_us == h->start_us) {
			s->packets += h->packets;
			s->drops += h->drops;
			s->decode_errors += h->decode_errors;
			s->dns_unanswered += h->dns_unanswered;
			s->tcp_failed += h->tcp_failed;
			*h = *s;
			return;
		}
		if (s->interval_s == 0 || s->start_us < old->start_us)
			old = s;
	}
	*old = *h;
}

/* Store process: one validated message from the sniffer. */
static void
on_message(void *arg, uint32_t type, const void *msg, size_t len)
{
	struct writer *w = arg;
	const struct privsep_health *ph;
	const struct flow_record *fr;
	struct store_health h;

	(void)len;
	switch (type) {
	case PRIVSEP_FLOW:
		fr = msg;
		if (!(fr->piece & FLOW_PIECE_CONT))
			w->got_flows++;
		if (fr->piece & FLOW_PIECE_MORE)
			w->pieces = 1;
		if (w->got_first_us == 0 || fr->first_us < w->got_first_us)
			w->got_first_us = fr->first_us;
		if (fr->last_us > w->got_last_us)
			w->got_last_us = fr->last_us;
		(void)aggregate_add(room(w)->agg, msg);
		break;
	case PRIVSEP_DEVICE:
		(void)aggregate_device(room(w)->agg, msg);
		break;
	case PRIVSEP_HEALTH:
		ph = msg;
		w->got_packets += ph->packets;
		memset(&h, 0, sizeof(h));
		h.run_id = w->run_id;
		h.start_us = ph->ts_us;
		h.interval_s = ph->interval_us / 1000000;
		h.packets = ph->packets;
		h.drops = ph->drops;
		h.decode_errors = ph->decode_errors;
		h.dns_unanswered = ph->dns_unanswered;
		h.tcp_failed = ph->tcp_failed;
		if (w->c->nps > 1)
			health_sum(w, &h);
		flusher_health(w->fl, &h);
		break;
	case PRIVSEP_RUN_STATS:
		memcpy(&w->ch[w->cur].rstats, msg, sizeof(w->rstats));
		w->ch[w->cur].have_rstats = 1;
		sum_rstats(w);
		/*
		 * The sniffer sends its counters right after each round of
		 * flow pieces: commit the round now rather than up to a
		 * commit interval later, so that what was seen is on disk
		 * about one interval after it was seen.
		 */
		if (w->pieces)
			w->commit_now = 1;
		break;
	case PRIVSEP_REL:
		/* A full table hands the batch over only for a new row. */
		if (relagg_try(flusher_front(w->fl)->rel, msg) == -1) {
			flush_findings(w);
			(void)relagg_add(flusher_front(w->fl)->rel, msg);
		}
		break;
	}
}

/* A signal's name for the log; the few a parser dies of by name. */
static const char *
sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGABRT:
		return "SIGABRT";
	case SIGILL:
		return "SIGILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGKILL:
		return "SIGKILL";
	case SIGSYS:
		return "SIGSYS";
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	default:
		return "a signal";
	}
}

/*
 * How a sniffer ended, from its wait status. The run failed when the
 * sniffer did not exit by itself after its last counters (it died, was
 * killed, or its sandbox stopped it) or broke the protocol (w->failed is
 * set already). The first reason goes into w->failed (named by worker
 * with --workers); finish() says it once. Returns the sniffer's exit code,
 * or EXIT_RUNTIME.
 */
static int
judge_sniffer(struct writer *w, size_t i, int waited, int status)
{
	char why[sizeof(w->failed)] = "";

	if (!waited)
		snprintf(why, sizeof(why), "the parser could not be waited "
		    "for");
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "the parser was killed by %s "
		    "(signal %d)", sig_name(WTERMSIG(status)),
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) == SANDBOX_SECCOMP_EXIT)
		snprintf(why, sizeof(why), "the parser made a system call its "
		    "sandbox forbids");
	else if (!w->ch[i].have_rstats)
		snprintf(why, sizeof(why), "the parser exited with status %d "
		    "before the end of the run", WEXITSTATUS(status));
	if (why[0] != '\0' && w->failed[0] == '\0' && w->c->nps > 1)
		snprintf(w->failed, sizeof(w->failed), "worker %zu: %s",
		    i + 1, why);
	else if (why[0] != '\0' && w->failed[0] == '\0')
		strlcpy(w->failed, why, sizeof(w->failed));
	return why[0] != '\0' || !waited ? EXIT_RUNTIME :
	    WEXITSTATUS(status);
}

/* The sniffers' ends, judged; the run's failure said once. Exit code. */
static int
judge_all(struct writer *w)
{
	uint64_t pkts;
	size_t i;
	int status, waited, rc, exitcode = EXIT_OK;

	for (i = 0; i < w->c->nps; i++) {
		status = 0;
		waited = privsep_wait(w->ch[i].ps, &status) == 0;
		rc = judge_sniffer(w, i, waited, status);
		if (exitcode == EXIT_OK)
			exitcode = rc;
	}
	if (w->failed[0] == '\0')
		return exitcode;
	pkts = w->have_rstats && w->rstats.packets > w->got_packets ?
	    w->rstats.packets : w->got_packets;
	log_warnx("%s after %" PRIu64 " packets; the %" PRIu64 " flows it "
	    "sent are kept and the run is marked failed", w->failed, pkts,
	    w->got_flows);
	return EXIT_RUNTIME;
}

/*
 * After the sniffer has gone: its exit status, the run's row with the
 * sniffer's counters (or, when it died, what arrived) and what could not
 * be written, then retention. Returns the exit code.
 */
static int
finish(struct writer *w)
{
	struct run_stats rst;
	size_t i;
	int exitcode;

	flusher_wait(w->fl);	/* the store is the main thread's again */
	exitcode = judge_all(w);
	memset(&rst, 0, sizeof(rst));
	/* When the parser died, its last counters so far, if any came. */
	for (i = 0; i < w->c->nps && !w->have_rstats; i++) {
		if (w->ch[i].have_rstats)
			w->have_rstats = 1;	/* some, not all */
	}
	if (w->have_rstats) {
		rst.packets = w->rstats.packets;
		rst.bytes = w->rstats.bytes;
		rst.flows = w->rstats.flows;
		rst.kernel_drops = w->rstats.kernel_drops;
		rst.decode_errors = w->rstats.decode_errors;
		rst.first_us = w->rstats.first_us;
		rst.last_us = w->rstats.last_us;
		rst.read_error = w->rstats.read_error;
		rst.bad_time = w->rstats.bad_time;
	}
	if (w->failed[0] != '\0' && rst.packets < w->got_packets) {
		rst.packets = w->got_packets;
		rst.flows = w->got_flows;
		rst.first_us = w->got_first_us;
		rst.last_us = w->got_last_us;
	}
	if (w->failed[0] != '\0')
		rst.failed = w->failed;
	rst.rows_dropped = flusher_dropped(w->fl);
	rst.rows_unwritten = flusher_rows(w->fl);
	if (store_begin(w->store) == -1 ||
	    store_run_end(w->store, w->run_id, &rst) == -1 ||
	    store_commit(w->store) == -1) {
		log_warnx("%s: cannot record the run: %s", w->c->db,
		    store_errmsg(w->store));
		exitcode = EXIT_RUNTIME;
	}
	w->store_failed += flusher_stats(w->fl)->failed;
	if (w->store_failed > 0 && exitcode == EXIT_OK)
		exitcode = EXIT_RUNTIME;
	/* Automatic retention: hourly detail older than that becomes daily. */
	if (w->c->keep_days > 0) {
		struct store_prune_stats ps;

		if (store_prune(w->store, (int)w->c->keep_days, &ps) == -1) {
			log_warnx("%s: prune: %s", w->c->db,
			    store_errmsg(w->store));
			exitcode = EXIT_RUNTIME;
		} else if (ps.rolled > 0) {
			log_info("rolled %" PRIu64 " hourly rows older than "
			    "%ld days into %" PRIu64 " daily rows", ps.rolled,
			    w->c->keep_days, ps.daily);
		}
	}
	forward(w, 1);
	if (exitcode == EXIT_OK)
		log_info("findings in %s", w->c->pg != NULL && !w->fwd_down ?
		    w->c->pg : w->c->db);
	return exitcode;
}

/*
 * Waits up to 500 ms for the sniffers' channels, then handles a datagram
 * from each that has one and sends rule bytes to each that takes them.
 * Returns 1 when the run is over (every sniffer has closed its channel,
 * one broke the protocol, or poll failed), else 0. With --workers, one
 * that ends (it failed, or was stopped) ends the run for all, as a lone
 * sniffer's end does.
 */
static int
serve(struct writer *w, struct pollfd *pfd)
{
	struct writer_chan *ch;
	size_t i, open = 0, ended = 0;
	int rc;

	for (i = 0; i < w->c->nps; i++) {
		ch = &w->ch[i];
		pfd[i].fd = ch->open ? privsep_fd(ch->ps) : -1;
		pfd[i].events = POLLIN;
		if (ch->open && privsep_out_pending(ch->ps))
			pfd[i].events |= POLLOUT;
		pfd[i].revents = 0;
	}
	rc = poll(pfd, (nfds_t)w->c->nps, 500);
	if (rc == -1 && errno != EINTR) {
		log_warn("poll");
		return 1;
	}
	for (i = 0; rc > 0 && i < w->c->nps; i++) {
		ch = &w->ch[i];
		if ((pfd[i].revents & POLLOUT) &&
		    privsep_out_flush(ch->ps) == -1)
			log_warn("reload: sending the rules to the sniffer");
		if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		w->cur = i;
		rc = privsep_recv(ch->ps, on_message, w);
		if (rc == 0) {
			ch->open = 0;
			ended++;
		} else if (rc == -1) {
			/*
			 * Keep what came before; trust no more. A sniffer
			 * the kill cannot reach (another user) sees its
			 * channel shut, and stops.
			 */
			kill_all(w);
			for (i = 0; i < w->c->nps; i++)
				(void)shutdown(privsep_fd(w->ch[i].ps),
				    SHUT_RDWR);
			snprintf(w->failed, sizeof(w->failed), "the parser "
			    "broke the protocol (%s)", privsep_errmsg(ch->ps));
			return 1;
		}
		rc = 1;
	}
	for (i = 0; i < w->c->nps; i++) {
		open += w->ch[i].open;
		if (ended > 0 && w->ch[i].open)
			(void)privsep_control(w->ch[i].ps, PRIVSEP_CTL_STOP);
	}
	return open == 0;
}

int
writer_run(struct writer_conf *wc)
{
	struct writer ws, *w = &ws;
	struct sandbox_report rep;
	struct pollfd *pfd;
	int64_t last_flush_ms, t;
	size_t i;
	int stop, stats;
	int exitcode;
	char err[512];

	memset(w, 0, sizeof(*w));
	w->c = wc;
	w->ch = xcalloc(wc->nps, sizeof(*w->ch));
	pfd = xcalloc(wc->nps, sizeof(*pfd));
	for (i = 0; i < wc->nps; i++) {
		w->ch[i].ps = wc->ps[i];
		w->ch[i].open = 1;
	}

	log_setrole("shadowtap[store]");
	signals_install(SIGNALS_RESTART, NULL, NULL);
	if (sandbox_store(wc->so, &rep) == -1) {
		log_warnx("sandbox: %s (use --no-sandbox to run unprotected)",
		    rep.err);
		goto fail;
	}
	log_debug("%s", rep.summary);
	w->store = store_open(wc->db, STORE_CREATE, err, sizeof(err));
	if (w->store == NULL) {
		log_warnx("%s", err);
		goto fail;
	}
	w->fl = flusher_new(w->store, DEF_AGG_CAPACITY, DEF_AGG_WINDOW_S,
	    DEF_REL_CAPACITY, DEF_HEALTH_INTERVAL_S, 1);
	if (wc->pg != NULL && (w->fwd = pg_fwd_new(w->store, wc->pg, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s: %s", wc->db, err);
		goto fail;
	}
	/* What an earlier run left in the spool goes first. */
	forward(w, 1);
	flusher_on_commit(w->fl, on_commit, w);
	if (w->c->sensor != NULL && store_set_sensor(w->store,
	    w->c->sensor) == -1)
		goto store_fail;
	if (store_begin(w->store) == -1 ||
	    store_run_begin(w->store, &wc->ri, &w->run_id) == -1)
		goto store_fail;
	if (put_services(w) == -1 || store_commit(w->store) == -1)
		goto store_fail;

	last_flush_ms = util_mono_ms();
	for (;;) {
		stop = signals_take_stop();
		stats = signals_take_stats();
		for (i = 0; i < wc->nps; i++) {
			if (stop) {
				/*
				 * The byte reaches a sniffer busy with
				 * packets; the signal (when allowed) one
				 * blocked on a stalled pipe.
				 */
				(void)privsep_control(w->ch[i].ps,
				    PRIVSEP_CTL_STOP);
				(void)privsep_signal(w->ch[i].ps, SIGTERM);
			}
			if (stats)
				(void)privsep_control(w->ch[i].ps,
				    PRIVSEP_CTL_STATS);
		}
		if (signals_take_reload())
			store_reload(w);
		if (serve(w, pfd) == 1)
			break;
		/*
		 * A round of pieces or the interval hands the batch over,
		 * unless the last is still being written (then the reader
		 * goes on and tries again) or went less than 3/4 of an
		 * interval ago: a file read fast sends rounds far more
		 * often, and each batch rewrites the rows of the hour.
		 */
		t = util_mono_ms();
		if ((w->commit_now ||
		    t - last_flush_ms >= DEF_FLUSH_EVERY_S * 1000) &&
		    t - last_flush_ms >= DEF_FLUSH_EVERY_S * 750 &&
		    !flusher_busy(w->fl)) {
			flush_findings(w);
			last_flush_ms = t;
			w->pieces = w->commit_now = 0;
		}
	}
	flush_findings(w);
	exitcode = finish(w);
	log_debug("store: %" PRIu64 " batches written in %" PRIu64 " ms; "
	    "%" PRIu64 " hand-offs waited %" PRIu64 " ms for the last",
	    flusher_stats(w->fl)->batches, flusher_stats(w->fl)->write_us /
	    1000, flusher_stats(w->fl)->waits,
	    flusher_stats(w->fl)->wait_us / 1000);
	flusher_free(w->fl);
	pg_fwd_free(w->fwd);
	store_close(w->store);
	free(w->ch);
	free(pfd);
	return exitcode;

store_fail:
	log_warnx("%s: %s", wc->db, store_errmsg(w->store));
fail:
	kill_all(w);
	flusher_free(w->fl);
	pg_fwd_free(w->fwd);
	store_close(w->store);
	free(w->ch);
	free(pfd);
	return EXIT_RUNTIME;
}

int
writer_run_recorded(const char *db, const char *fingerprint, char *msg,
    size_t msglen)
{
	struct store *st;
	char err[512], started[64], source[1024];
	int64_t id;
	int rc;

	if ((st = store_open(db, STORE_RDONLY, err, sizeof(err))) == NULL)
		return 0;
	rc = store_run_find(st, fingerprint, &id, started, sizeof(started),
	    source, sizeof(source));
	if (rc == 1)
		snprintf(msg, msglen, "run %" PRId64 " of %s read %s", id,
		    started, source);
	store_close(st);
	return rc == 1;
}
