/* SPDX-License-Identifier: ISC */
/*
 * writer.c: the store's process of a capture run (see writer.h). It never
 * sees a packet: only messages privsep.c has validated, which it sums in
 * the aggregates and commits every DEF_FLUSH_EVERY_S seconds and at the
 * end. It holds the database; the sniffer holds the capture.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/wait.h>

#include <poll.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/defaults.h"
#include "base/log.h"
#include "base/util.h"
#include "cmd.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "privsep.h"
#include "rulefiles.h"
#include "sandbox.h"
#include "store/aggregate.h"
#include "store/relagg.h"
#include "store/store.h"
#include "writer.h"

struct writer {
	struct writer_conf	*c;
	struct store		*store;
	struct aggregate	*agg;
	struct relagg		*rel;
	int64_t			 run_id;
	struct privsep_run_stats rstats;	/* from the sniffer */
	int			 have_rstats;
	uint64_t		 store_failed;
};

static volatile sig_atomic_t	 stop_requested;
static volatile sig_atomic_t	 stats_requested;
static volatile sig_atomic_t	 reload_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
on_usr1(int sig)
{
	(void)sig;
	stats_requested = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

/* Store process: writes what the aggregate holds, in one transaction. */
static void
flush_findings(struct writer *w)
{
	if (w->store == NULL)
		return;
	if (w->rel != NULL && relagg_rows(w->rel) > 0 &&
	    relagg_flush(w->rel, w->store) == -1) {
		if (w->store_failed++ == 0)
			log_warnx("cannot write network health: %s",
			    store_errmsg(w->store));
	}
	if (aggregate_rows(w->agg) == 0)
		return;
	if (aggregate_flush(w->agg, w->store) == -1) {
		if (w->store_failed++ == 0)
			log_warnx("cannot write findings: %s",
			    store_errmsg(w->store));
	}
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
	size_t blen;
	char err[256];

	rulefiles_read(w->c->files, &src);
	nrs = rules_load_sources(&src, d);
	rulefiles_log_diags(d);
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
	if (privsep_rules_send(w->c->ps, b, blen) == -1) {
		log_warn("reload: sending the rules to the sniffer");
		rules_free(nrs);
		goto done;
	}
	(void)privsep_out_flush(w->c->ps);
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

/* Store process: one validated message from the sniffer. */
static void
on_message(void *arg, uint32_t type, const void *msg, size_t len)
{
	struct writer *w = arg;
	const struct privsep_health *ph;
	struct store_health h;

	(void)len;
	switch (type) {
	case PRIVSEP_FLOW:
		(void)aggregate_add(w->agg, msg);
		break;
	case PRIVSEP_DEVICE:
		(void)aggregate_device(w->agg, msg);
		break;
	case PRIVSEP_HEALTH:
		ph = msg;
		memset(&h, 0, sizeof(h));
		h.run_id = w->run_id;
		h.start_us = ph->ts_us;
		h.interval_s = ph->interval_us / 1000000;
		h.packets = ph->packets;
		h.drops = ph->drops;
		h.decode_errors = ph->decode_errors;
		h.dns_unanswered = ph->dns_unanswered;
		h.tcp_failed = ph->tcp_failed;
		if (store_put_health(w->store, &h) == -1)
			w->store_failed++;
		break;
	case PRIVSEP_RUN_STATS:
		memcpy(&w->rstats, msg, sizeof(w->rstats));
		w->have_rstats = 1;
		break;
	case PRIVSEP_REL:
		(void)relagg_add(w->rel, msg);
		break;
	}
}

/*
 * After the sniffer has gone: its exit status, the run's row with the
 * sniffer's counters and what could not be written, then retention.
 * Returns the exit code.
 */
static int
finish(struct writer *w)
{
	struct run_stats rst;
	int status = 0, exitcode;

	if (privsep_wait(w->c->ps, &status) == 0 && WIFEXITED(status))
		exitcode = WEXITSTATUS(status);
	else
		exitcode = EXIT_RUNTIME;
	if (WIFEXITED(status) && WEXITSTATUS(status) == SANDBOX_SECCOMP_EXIT)
		log_warnx("the sniffer made a system call its sandbox "
		    "forbids");
	memset(&rst, 0, sizeof(rst));
	if (w->have_rstats) {
		rst.packets = w->rstats.packets;
		rst.bytes = w->rstats.bytes;
		rst.flows = w->rstats.flows;
		rst.kernel_drops = w->rstats.kernel_drops;
		rst.decode_errors = w->rstats.decode_errors;
		rst.first_us = w->rstats.first_us;
		rst.last_us = w->rstats.last_us;
		rst.bad_time = w->rstats.bad_time;
	}
	rst.rows_dropped = aggregate_stats(w->agg)->dropped +
	    relagg_stats(w->rel)->dropped;
	rst.rows_unwritten = aggregate_rows(w->agg) + relagg_rows(w->rel);
	if (store_begin(w->store) == -1 ||
	    store_run_end(w->store, w->run_id, &rst) == -1 ||
	    store_commit(w->store) == -1) {
		log_warnx("%s: cannot record the run: %s", w->c->db,
		    store_errmsg(w->store));
		exitcode = EXIT_RUNTIME;
	}
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
	if (exitcode == EXIT_OK)
		log_info("findings in %s", w->c->db);
	return exitcode;
}

int
writer_run(struct writer_conf *wc)
{
	struct writer ws, *w = &ws;
	struct sandbox_report rep;
	struct pollfd pfd;
	int64_t last_flush_ms, t;
	int rc, exitcode;
	char err[512];

	memset(w, 0, sizeof(*w));
	w->c = wc;

	log_setrole("shadowtap[store]");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_usr1);
	signal(SIGHUP, on_hup);
	if (sandbox_store(wc->so, &rep) == -1) {
		log_warnx("sandbox: %s (use --no-sandbox to run unprotected)",
		    rep.err);
		privsep_kill(w->c->ps);
		return EXIT_RUNTIME;
	}
	log_debug("%s", rep.summary);
	w->store = store_open(wc->db, STORE_CREATE, err, sizeof(err));
	if (w->store == NULL) {
		log_warnx("%s", err);
		privsep_kill(w->c->ps);
		return EXIT_RUNTIME;
	}
	w->agg = aggregate_new(DEF_AGG_CAPACITY, DEF_AGG_WINDOW_S);
	w->rel = relagg_new(DEF_REL_CAPACITY, DEF_HEALTH_INTERVAL_S);
	if (w->c->sensor != NULL && store_set_sensor(w->store,
	    w->c->sensor) == -1)
		goto store_fail;
	if (store_begin(w->store) == -1 ||
	    store_run_begin(w->store, &wc->ri, &w->run_id) == -1)
		goto store_fail;
	if (put_services(w) == -1 || store_commit(w->store) == -1)
		goto store_fail;

	pfd.fd = privsep_fd(w->c->ps);
	last_flush_ms = util_mono_ms();
	for (;;) {
		if (stop_requested) {
			stop_requested = 0;
			(void)privsep_control(w->c->ps, PRIVSEP_CTL_STOP);
		}
		if (reload_requested) {
			reload_requested = 0;
			store_reload(w);
		}
		if (stats_requested) {
			stats_requested = 0;
			(void)privsep_control(w->c->ps, PRIVSEP_CTL_STATS);
		}
		pfd.events = POLLIN;
		if (privsep_out_pending(w->c->ps))
			pfd.events |= POLLOUT;
		rc = poll(&pfd, 1, 500);
		if (rc > 0 && (pfd.revents & POLLOUT) &&
		    privsep_out_flush(w->c->ps) == -1)
			log_warn("reload: sending the rules to the sniffer");
		if (rc > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			rc = privsep_recv(w->c->ps, on_message, w);
			if (rc == 0)
				break;
			if (rc == -1) {
				privsep_kill(w->c->ps);
				fatalx("sniffer: %s", privsep_errmsg(w->c->ps));
			}
		} else if (rc == -1 && errno != EINTR) {
			log_warn("poll");
			break;
		}
		t = util_mono_ms();
		if (t - last_flush_ms >= DEF_FLUSH_EVERY_S * 1000) {
			flush_findings(w);
			last_flush_ms = t;
		}
	}
	flush_findings(w);
	exitcode = finish(w);
	store_close(w->store);
	aggregate_free(w->agg);
	relagg_free(w->rel);
	return exitcode;

store_fail:
	log_warnx("%s: %s", wc->db, store_errmsg(w->store));
	privsep_kill(w->c->ps);
	store_close(w->store);
	aggregate_free(w->agg);
	relagg_free(w->rel);
	return EXIT_RUNTIME;
}
