/* SPDX-License-Identifier: ISC */
/*
 * sniffer.c: the packet side of a capture run (see sniffer.h): capture ->
 * decode -> flow -> dissect -> classify, then a fixed-layout record per
 * flow to the store. Per-packet problems are counted, never logged; time
 * inside the pipeline is packet time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/app.h"
#include "base/defaults.h"
#include "base/hostname.h"
#include "base/log.h"
#include "base/util.h"
#include "cmd.h"
#include "dissect/dhcp.h"
#include "dissect/dissect.h"
#include "events.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "flow/names.h"
#include "packet/decode.h"
#include "packet/dedup.h"
#include "packet/frag.h"
#include "policy/classify.h"
#include "policy/geo.h"
#include "policy/match.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "privsep.h"
#include "relevent.h"
#include "rulefiles.h"
#include "sandbox.h"
#include "sniffer.h"
#include "syslogfwd.h"
#include "syslogtx.h"

#define PROGRESS_EVERY_PKTS	4096	/* packets between clock checks */
#define PROGRESS_INTERVAL_MS	250
#define CAPTURE_WAIT_MS		250	/* live: wake up this often when idle */
#define RUN_STATS_EVERY_MS	1000	/* the counters so far, to the store */
#define PIECE_EVERY_PKTS	256	/* packets between interim-report checks */

struct sniffer {
	struct sniffer_conf	*c;
	struct ruleset		*rs;		/* in use; a reload swaps it */
	struct geo		*geo;		/* NULL without --geoip-* */
	struct privsep		*ps;		/* NULL with --no-db */
	struct events		*events;
	struct syslogtx		*syslog;	/* NULL without --syslog */
	const char		*hostname;
	struct flow_table	*flows;
	struct dnslog		*dns;
	struct frag_table	*frags;
	struct dedup		*dedup;
	struct dissect		 dis;
	struct cidr_list	 private;	/* always local (cidr.h) */
	struct sandbox_report	 sandbox;
	/* The current health interval (packet time). */
	int64_t			 health_start_us;
	uint64_t		 h_packets;
	uint64_t		 h_decode_errors;
	uint64_t		 h_tcp_failed;
	uint64_t		 h_dns_unanswered_base;
	uint64_t		 h_drops_base;
	/* Counters of the run. */
	uint64_t		 packets;
	uint64_t		 bytes;
	uint64_t		 decode[DECODE_RESULT_MAX];
	uint64_t		 duplicates;
	uint64_t		 ignored;	/* flows of ignored networks */
	uint64_t		 reloads;
	uint64_t		 send_failed;
	uint64_t		 events_failed;
	uint64_t		 syslog_failed;
	int			 read_error;
	int			 tty;		/* progress bar on stderr */
	int64_t			 first_us;
	int64_t			 last_us;
	int64_t			 next_expire_us;
	/* Packets dated before 2000, or (live) more than a day ahead of
	 * the host clock: counted, and left out of the run's span. */
	uint64_t		 bad_time;
	int64_t			 future_us;	/* live: the bound; else 0 */
	int64_t			 span_first_us;	/* plausible packets only */
	int64_t			 span_last_us;
	/* Interim accounting: the next report by packet time, the last by
	 * the clock (not with --deterministic). */
	int64_t			 next_piece_us;
	int64_t			 piece_ms;
	uint64_t		 pieces;	/* pieces sent */
	int			 stale_round;	/* the input paused a round */
	uint64_t		 round_count;	/* packets at the last round */
};

#define TIME_PLAUSIBLE_MIN_US	(946684800LL * 1000000)	/* 2000-01-01 */

static volatile sig_atomic_t	 stop_requested;
static volatile sig_atomic_t	 stats_requested;
static volatile sig_atomic_t	 reload_requested;
static struct capture		*sig_capture;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (sig_capture != NULL)
		capture_breakloop(sig_capture);
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

/*
 * The handlers, then the signals cmd_capture() blocked are let through.
 * SIGINT and SIGTERM interrupt a blocking read (no SA_RESTART), so a
 * stalled pipe does not hold the stop back; loop() then ends normally.
 * With a store, SIGHUP is the store's: it sends the rules here.
 */
static void
install_signals(int has_store)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	(void)sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = has_store ? SIG_IGN : on_hup;
	(void)sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* rules.h and geo.h take AF_INET/AF_INET6; flows keep 4 or 6. */
static int
af(const struct flow *f)
{
	return f->key.family == 6 ? AF_INET6 : AF_INET;
}

/*
 * Copies an AS name from the MMDB for the record: a control byte or DEL
 * (which the store side would refuse as a malformed record) becomes '?'.
 */
static void
geo_text(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ?
		    '?' : src[i];
	if (len > 0)
		dst[i] = '\0';
}

/* 1 when addr (family 4 or 6) lies in the rule network n. */
static int
in_rule_net(const struct rule_net *n, int family, const uint8_t *addr)
{
	unsigned i;

	if ((family == 4 ? AF_INET : AF_INET6) != n->family)
		return 0;
	for (i = 0; i < n->plen; i++)
		if ((addr[i / 8] ^ n->addr[i / 8]) & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

/*
 * Whether the flow's server is inside the organisation (record.h's
 * local_server): 2 for multicast or broadcast, 1 for a private, shared,
 * unique-local or link-local address, --local-net or the policy's
 * local-networks, else 0. Such traffic is never use of a cloud service
 * (Dropbox LAN sync, printers, file servers).
 */
static int
server_local(const struct sniffer *sn, const struct flow *f)
{
	const uint8_t *ip = flow_server_ip(f);
	int fam = f->key.family;
	size_t i;

	if ((fam == 4 && ip[0] >= 224) || (fam == 6 && ip[0] == 0xff))
		return 2;
	if (cidr_list_contains(&sn->private, fam, ip) ||
	    cidr_list_contains(&sn->c->local, fam, ip))
		return 1;
	for (i = 0; sn->rs != NULL && i < rules_nlocal_nets(sn->rs); i++)
		if (in_rule_net(rules_local_net_at(sn->rs, i), fam, ip))
			return 1;
	return 0;
}

/* The flow's signals, for classify(). */
static void
flow_signals(const struct flow *f, const struct flow_detail *fd,
    const char *name, uint32_t asn, struct classify_in *in)
{
	unsigned i;

	memset(in, 0, sizeof(*in));
	in->family = af(f);
	in->client_ip = flow_client_ip(f);
	in->server_ip = flow_server_ip(f);
	in->proto = f->key.proto;
	in->server_port = flow_server_port(f);
	in->vlan = f->key.vlan;
	in->name = name;
	in->name_evidence = f->evidence;
	in->name_confidence = f->confidence;
	in->ja4 = fd != NULL ? fd->ja4 : "";
	in->signature = fd != NULL ? fd->signature : "";
	in->signature_conf = fd != NULL ? fd->signature_conf : 0;
	for (i = 0; fd != NULL && i < fd->ncert_names &&
	    i < CLASSIFY_CERT_NAMES; i++)
		in->cert_names[in->ncert_names++] = fd->cert_names[i];
	in->asn = asn;
}

static void
make_record(const struct sniffer *sn, const struct flow *f,
    struct flow_record *r)
{
	const struct flow_detail *fd = flow_detail(sn->flows, f);
	struct classify_in in;
	struct classify_out out;
	struct geo_info gi;

	memset(r, 0, sizeof(*r));
	r->first_us = f->first_us;
	r->last_us = f->last_us;
	r->bytes_up = f->bytes[FLOW_UP];
	r->bytes_down = f->bytes[FLOW_DOWN];
	r->pkts_up = f->pkts[FLOW_UP];
	r->pkts_down = f->pkts[FLOW_DOWN];
	r->family = f->key.family;
	r->proto = f->key.proto;
	r->app = f->app;
	r->name_src = f->name_src;
	r->has_mac = f->has_mac;
	memcpy(r->client_mac, f->client_mac, sizeof(r->client_mac));
	memcpy(r->client_ip, flow_client_ip(f), sizeof(r->client_ip));
	memcpy(r->server_ip, flow_server_ip(f), sizeof(r->server_ip));
	r->client_port = flow_client_port(f);
	r->server_port = flow_server_port(f);
	r->vlan = f->key.vlan;
	strlcpy(r->name, flow_name(sn->flows, f), sizeof(r->name));
	if (fd != NULL && fd->creds_proto != 0) {
		r->creds_proto = fd->creds_proto;
		strlcpy(r->creds_user, fd->creds_user, sizeof(r->creds_user));
	}
	memset(&gi, 0, sizeof(gi));
	if (sn->geo != NULL && geo_lookup(sn->geo, af(f),
	    flow_server_ip(f), &gi) == 1) {
		strlcpy(r->country, gi.country, sizeof(r->country));
		r->asn = gi.asn;
		if (r->asn != 0)
			geo_text(r->as_org, gi.as_org, sizeof(r->as_org));
	}
	r->local_server = (uint8_t)server_local(sn, f);
	flow_signals(f, fd, r->name, gi.asn, &in);
	classify(sn->rs, &in, &out);
	r->evidence = out.evidence;
	r->confidence = out.confidence;
	r->verdict = out.verdict;
	if (out.dept != NULL)
		strlcpy(r->department, out.dept->name, sizeof(r->department));
	if (out.svc != NULL) {
		strlcpy(r->service, out.svc->id, sizeof(r->service));
		strlcpy(r->category, out.svc->category, sizeof(r->category));
		strlcpy(r->instance, out.instance, sizeof(r->instance));
	} else if (r->name[0] != '\0' && !hostname_is_ip(r->name) &&
	    match_registrable_domain(r->name, r->domain,
	    sizeof(r->domain)) == -1)
		r->domain[0] = '\0';
}

/*
 * Network health: one event per DNS question, TCP connection attempt and
 * DHCP message of interest, attributed to the client device and the
 * time the exchange began, to the store process (relagg.h). This places
 * a DNS or DHCP event by the rules; a flow's event takes what its record
 * found (on_flow_end()). Callers make the event only when there is a
 * store to send it to.
 */
static void
rel_send(struct sniffer *sn, struct rel_event *e)
{
	const struct department *dept = NULL;
	int fam = e->family == 6 ? AF_INET6 : AF_INET;

	if (sn->rs != NULL && e->family != 0 &&
	    match_ignored(sn->rs, fam, e->ip, NULL))
		return;
	if (sn->rs != NULL)
		dept = e->family != 0 ? match_department(sn->rs, fam, e->ip,
		    e->vlan, NULL) : rules_vlan_department(sn->rs, e->vlan,
		    NULL);
	if (dept != NULL)
		strlcpy(e->department, dept->name, sizeof(e->department));
	if (privsep_send(sn->ps, PRIVSEP_REL, e, sizeof(*e)) == -1)
		sn->send_failed++;
}

/*
 * Whether the store would only count r: no service, name or domain (no
 * finding or unclassified row), no country or AS (no destination row),
 * no log-in. Such records are not sent: a flood of single-SYN flows
 * evicted from the table made a 1 KB message each, which the store
 * checked and threw away (its network-health events still go). The
 * run's flows are the parser's counter, not the records'.
 */
static int
record_empty(const struct flow_record *r)
{
	return r->service[0] == '\0' && r->name[0] == '\0' &&
	    r->domain[0] == '\0' && r->country[0] == '\0' && r->asn == 0 &&
	    r->creds_proto == 0;
}

/* Makes r, a whole-flow record of f, carry only what is not reported. */
static void
piece_delta(const struct flow *f, struct flow_record *r)
{
	r->bytes_up -= f->rep_bytes[FLOW_UP];
	r->bytes_down -= f->rep_bytes[FLOW_DOWN];
	r->pkts_up -= f->rep_pkts[FLOW_UP];
	r->pkts_down -= f->rep_pkts[FLOW_DOWN];
}

static void
on_flow_end(void *arg, const struct flow *f, enum flow_end why)
{
	struct sniffer *sn = arg;
	struct flow_record r;
	struct rel_event rev;

	if (sn->rs != NULL && (match_ignored(sn->rs, af(f),
	    flow_client_ip(f), NULL) || match_ignored(sn->rs, af(f),
	    flow_server_ip(f), NULL))) {
		sn->ignored++;
		return;
	}
	if ((f->tcp & FLOW_TCP_SYN_UP) && !(f->tcp & FLOW_TCP_SYN_DOWN))
		sn->h_tcp_failed++;
	make_record(sn, f, &r);
	/*
	 * Not rel_send(): the flow passed the ignore check above, and
	 * make_record() has looked up the department of the same client.
	 */
	if (sn->ps != NULL && relevent_from_flow(f, why, sn->last_us, &rev)) {
		strlcpy(rev.department, r.department, sizeof(rev.department));
		if (privsep_send(sn->ps, PRIVSEP_REL, &rev, sizeof(rev)) == -1)
			sn->send_failed++;
	}
	if (sn->events != NULL && events_flow(sn->events, &r,
	    flow_detail(sn->flows, f)) == -1)
		sn->events_failed++;
	if (sn->syslog != NULL && (r.service[0] != '\0' ||
	    r.creds_proto != 0)) {
		char msg[SYSLOGTX_MSG_MAX];
		int n = syslogfwd_format(&r, sn->hostname, msg,
		    sizeof(msg));

		if (n < 0)
			sn->syslog_failed++;
		else
			syslogtx_send(sn->syslog, msg, (size_t)n);
	}
	/*
	 * To the store process; a full batch is written, never waited on.
	 * Events and syslog above had the whole flow; the store has had the
	 * pieces reported so far and gets the rest (nothing when no packet
	 * came since the last piece, which carried the same last_us).
	 */
	if (sn->ps == NULL || record_empty(&r))
		return;
	if (f->rep_pkts[FLOW_UP] + f->rep_pkts[FLOW_DOWN] > 0) {
		if (f->pkts[FLOW_UP] == f->rep_pkts[FLOW_UP] &&
		    f->pkts[FLOW_DOWN] == f->rep_pkts[FLOW_DOWN])
			return;
		piece_delta(f, &r);
		r.piece = FLOW_PIECE_CONT;
	}
	if (privsep_send(sn->ps, PRIVSEP_FLOW, &r, sizeof(r)) == -1)
		sn->send_failed++;
}

/*
 * Interim accounting (record.h, FLOW_PIECE_*): every flow with packets
 * not yet reported sends them as a piece, so that a commit holds what was
 * seen even if the process dies before the flow ends. Only flows whose
 * dissectors are done (f->inspecting == 0, or a DNS flow named by its
 * first question): their classification will not change, so every piece
 * lands in the row the whole flow would, and the totals per service are
 * the same as with one record at the end. A flow still being inspected
 * waits for its end (or for a later report). A rule reload between the
 * pieces of a flow may file them under different verdicts, as it would
 * two flows.
 */
static int
piece_ready(const struct sniffer *sn, const struct flow *f)
{
	/* A DNS flow keeps its first question's name (dissect.c) while its
	 * messages go on to the DNS log. */
	if (!f->inspecting || (f->app == APP_DNS &&
	    f->name_src == NAME_DNS_QUERY))
		return 1;
	/*
	 * When the input has paused for a whole round by the clock (never
	 * with --deterministic), a flow still inspected reports what it
	 * has: its next packets may be long in coming. Should a later
	 * packet name it otherwise, its pieces fall under two services.
	 */
	return sn->stale_round;
}

static void
on_flow_piece(void *arg, struct flow *f)
{
	struct sniffer *sn = arg;
	struct flow_record r;
	int first;

	if (!piece_ready(sn, f) || (f->pkts[FLOW_UP] == f->rep_pkts[FLOW_UP] &&
	    f->pkts[FLOW_DOWN] == f->rep_pkts[FLOW_DOWN]))
		return;
	if (sn->rs != NULL && (match_ignored(sn->rs, af(f),
	    flow_client_ip(f), NULL) || match_ignored(sn->rs, af(f),
	    flow_server_ip(f), NULL)))
		return;
	first = f->rep_pkts[FLOW_UP] + f->rep_pkts[FLOW_DOWN] == 0;
	make_record(sn, f, &r);
	piece_delta(f, &r);
	r.piece = FLOW_PIECE_MORE | (first ? 0 : FLOW_PIECE_CONT);
	if (!record_empty(&r) &&
	    privsep_send(sn->ps, PRIVSEP_FLOW, &r, sizeof(r)) == -1) {
		sn->send_failed++;
		return;		/* not reported: the next piece carries it */
	}
	f->rep_bytes[FLOW_UP] = f->bytes[FLOW_UP];
	f->rep_bytes[FLOW_DOWN] = f->bytes[FLOW_DOWN];
	f->rep_pkts[FLOW_UP] = f->pkts[FLOW_UP];
	f->rep_pkts[FLOW_DOWN] = f->pkts[FLOW_DOWN];
	sn->pieces++;
}

/* Sends the pieces of the open flows (with a store) and notes when. */
static void
pieces_report(struct sniffer *sn, int64_t ts_us)
{
	sn->next_piece_us = ts_us + (int64_t)DEF_FLUSH_EVERY_S * 1000000;
	if (sn->ps != NULL)
		flow_foreach(sn->flows, on_flow_piece, sn);
}

/*
 * A round is due by packet time. From a capture file read faster than
 * real time that would be one every few milliseconds, each a record per
 * open flow that the store then adds and rewrites: from a file, a round
 * also waits for DEF_FLUSH_EVERY_S of the clock, as the store's commits
 * do (its pieces still sum to the whole flow, so the totals are the
 * same). The clock is read once per interval of packet time. Not with
 * --deterministic: which record of a flow comes last decides ties (the
 * evidence of equal confidence), so rounds stay by packet time only.
 */
static void
pieces_due(struct sniffer *sn, int64_t ts_us)
{
	int64_t t;

	if (sn->ps != NULL && sn->c->co->iface == NULL &&
	    !sn->c->fo.deterministic) {
		t = util_mono_ms();
		if (t - sn->piece_ms < DEF_FLUSH_EVERY_S * 1000) {
			sn->next_piece_us = ts_us +
			    (int64_t)DEF_FLUSH_EVERY_S * 1000000;
			return;
		}
		sn->piece_ms = t;
	}
	pieces_report(sn, ts_us);
}

static void
on_dns_event(void *arg, const struct dns_event *e)
{
	struct sniffer *sn = arg;
	struct rel_event rev;

	if (sn->events != NULL && events_dns(sn->events, e) == -1)
		sn->events_failed++;
	if (sn->ps != NULL && relevent_from_dns(e, &rev))
		rel_send(sn, &rev);
}

static void
on_dns_message(void *arg, const struct flow *f, int dir, const struct pkt *p,
    const struct dnslog_msg *m)
{
	struct sniffer *sn = arg;

	dnslog_message(sn->dns, f, dir, p->ts_us, m);
}

static void
on_dhcp_message(void *arg, const struct flow *f, const struct pkt *p,
    const struct dhcp_msg *m)
{
	static const uint8_t zero[4];
	struct sniffer *sn = arg;
	struct device_record dr;
	struct rel_event rev;

	if (sn->events != NULL && events_dhcp(sn->events, p->ts_us, m,
	    f) == -1)
		sn->events_failed++;
	if (sn->ps != NULL && relevent_from_dhcp(m, p->ts_us, p->vlan, &rev))
		rel_send(sn, &rev);
	if (sn->ps == NULL || !m->has_mac)
		return;
	memset(&dr, 0, sizeof(dr));
	dr.ts_us = p->ts_us;
	dr.has_mac = 1;
	memcpy(dr.mac, m->mac, sizeof(dr.mac));
	if (m->version == 4 && memcmp(m->yiaddr, zero, 4) != 0) {
		dr.family = 4;
		memcpy(dr.ip, m->yiaddr, 4);
	} else if (m->version == 4 && memcmp(m->ciaddr, zero, 4) != 0) {
		dr.family = 4;
		memcpy(dr.ip, m->ciaddr, 4);
	}
	strlcpy(dr.hostname, m->hostname[0] != '\0' ? m->hostname : m->fqdn,
	    sizeof(dr.hostname));
	strlcpy(dr.vendor_class, m->vendor_class, sizeof(dr.vendor_class));
	strlcpy(dr.prl, m->prl, sizeof(dr.prl));
	if (privsep_send(sn->ps, PRIVSEP_DEVICE, &dr, sizeof(dr)) == -1)
		sn->send_failed++;
}

/* Packets that could not be decoded (not those that were just not IP). */
static uint64_t
decode_errors(const struct sniffer *sn)
{
	int i;
	uint64_t n = 0;

	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++)
		if (i != DECODE_FRAGMENT)
			n += sn->decode[i];
	return n;
}

/*
 * Capture health per interval of packet time: packets, drops, decode
 * errors, DNS questions left unanswered, TCP handshakes that never
 * completed. Written with the findings.
 */
static void
health_flush(struct sniffer *sn, struct capture *cap)
{
	const struct dnslog_stats *ds = dnslog_stats(sn->dns);
	struct capture_stats cs;
	struct privsep_health h;

	if (sn->ps == NULL || sn->health_start_us == 0)
		return;
	if (capture_stats(cap, &cs) == -1)
		memset(&cs, 0, sizeof(cs));
	memset(&h, 0, sizeof(h));
	h.ts_us = sn->health_start_us;
	h.interval_us = (int64_t)DEF_HEALTH_INTERVAL_S * 1000000;
	h.packets = sn->h_packets;
	h.decode_errors = sn->h_decode_errors;
	h.tcp_failed = sn->h_tcp_failed;
	h.dns_unanswered = ds->unanswered - sn->h_dns_unanswered_base;
	h.drops = cs.kernel_drops + cs.if_drops - sn->h_drops_base;
	h.flows_active = flow_stats(sn->flows)->active;
	if (privsep_send(sn->ps, PRIVSEP_HEALTH, &h, sizeof(h)) == -1)
		sn->send_failed++;
	sn->h_packets = sn->h_decode_errors = sn->h_tcp_failed = 0;
	sn->h_dns_unanswered_base = ds->unanswered;
	sn->h_drops_base = cs.kernel_drops + cs.if_drops;
}

static void
health_packet(struct sniffer *sn, struct capture *cap, int64_t ts_us,
    int decode_error)
{
	int64_t iv = (int64_t)DEF_HEALTH_INTERVAL_S * 1000000;
	int64_t start = ts_us - ((ts_us % iv) + iv) % iv;

	if (start != sn->health_start_us) {
		health_flush(sn, cap);
		sn->health_start_us = start;
	}
	sn->h_packets++;
	if (decode_error)
		sn->h_decode_errors++;
}

/* A decoded TCP/UDP packet: the flow, then the dissectors. */
static void
on_decoded(struct sniffer *sn, struct pkt *p,
    const struct flow_lookup *lk)
{
	struct flow *f;
	int dir;

	f = lk != NULL ? flow_packet_prepared(sn->flows, p, lk, &dir) :
	    flow_packet(sn->flows, p, &dir);
	(void)dissect_packet(&sn->dis, f, dir, p);
}

/* An IP datagram whose later fragments never came. */
static void
on_partial(void *arg, const struct frag_partial *fp)
{
	struct sniffer *sn = arg;
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts_us = fp->ts_us;
	p.family = fp->family;
	p.proto = fp->proto;
	p.vlan = fp->vlan;
	memcpy(p.src, fp->src, sizeof(p.src));
	memcpy(p.dst, fp->dst, sizeof(p.dst));
	p.frag_more = 1;
	if (decode_reassembled(&p, fp->data, fp->len) == DECODE_OK)
		on_decoded(sn, &p, NULL);
}

static void
on_packet(struct sniffer *sn, int link, const struct capture_pkthdr *h,
    const uint8_t *data)
{
	enum decode_result dr;
	struct flow_lookup lk;
	struct pkt p;
	uint64_t dh = 0;

	sn->packets++;
	sn->bytes += h->wirelen;
	if (h->ts_us < TIME_PLAUSIBLE_MIN_US || (sn->future_us != 0 &&
	    h->ts_us > sn->future_us))
		sn->bad_time++;
	else {
		if (sn->span_first_us == 0 || h->ts_us < sn->span_first_us)
			sn->span_first_us = h->ts_us;
		if (h->ts_us > sn->span_last_us)
			sn->span_last_us = h->ts_us;
	}
	if (sn->first_us == 0 || h->ts_us < sn->first_us)
		sn->first_us = h->ts_us;
	if (h->ts_us > sn->last_us)
		sn->last_us = h->ts_us;
	if (h->ts_us >= sn->next_expire_us) {
		flow_expire(sn->flows, h->ts_us);
		dnslog_expire(sn->dns, h->ts_us);
		frag_expire(sn->frags, h->ts_us);
		sn->next_expire_us = h->ts_us +
		    (int64_t)DEF_FLOW_EXPIRE_EVERY_S * 1000000;
	}
	if (h->ts_us >= sn->next_piece_us)
		pieces_due(sn, h->ts_us);
	p.ts_us = h->ts_us;
	p.caplen = h->caplen;
	p.wirelen = h->wirelen;
	dr = decode_packet(link, data, h->caplen, &p);
	if (dr == DECODE_FRAGMENT) {
		const uint8_t *dg;
		size_t dglen;

		if (!frag_add(sn->frags, &p, &dg, &dglen))
			return;
		dr = decode_reassembled(&p, dg, dglen);
	}
	sn->decode[dr]++;
	if (dr != DECODE_OK)
		return;
	/* Both lookups miss the cache as a rule: start both, then wait. */
	if (sn->dedup != NULL)
		dh = dedup_hash(sn->dedup, &p);
	flow_lookup_prepare(sn->flows, &p, &lk);
	if (sn->dedup != NULL && dedup_seen(sn->dedup, dh, p.ts_us)) {
		sn->duplicates++;
		return;
	}
	on_decoded(sn, &p, &lk);
}

static void
progress(const struct capture *cap, const struct sniffer *sn,
    int64_t started_ms, int final)
{
	int64_t size = capture_file_size(cap), pos = capture_file_pos(cap);
	int64_t el = util_mono_ms() - started_ms;
	double frac, rate;
	char bar[31];
	int i, w;

	if (size <= 0 || pos < 0)
		return;
	frac = final ? 1.0 : (double)pos / (double)size;
	if (frac > 1.0)
		frac = 1.0;
	w = (int)(frac * 30);
	for (i = 0; i < 30; i++)
		bar[i] = i < w ? '#' : '.';
	bar[30] = '\0';
	rate = el > 0 ? (double)sn->packets * 1000.0 / (double)el : 0;
	fprintf(stderr, "\r[%s] %3d%%  %" PRIu64 " packets  %.0f pkt/s  "
	    "ETA %lds   ", bar, (int)(frac * 100), sn->packets, rate,
	    frac > 0 && !final ? (long)((double)el * (1 - frac) / frac / 1000) :
	    0L);
	if (final)
		fputc('\n', stderr);
}

/* The end of the --stats object: the syslog counters, with --syslog. */
static void
write_syslog_stats(FILE *fp, const struct sniffer *sn)
{
	const struct syslogtx_stats *st;

	if (sn->syslog != NULL) {
		st = syslogtx_stats(sn->syslog);
		fprintf(fp, ",\"syslog_sent\":%" PRIu64 ",\"syslog_dropped\":%"
		    PRIu64 ",\"syslog_connects\":%" PRIu64
		    ",\"syslog_failures\":%" PRIu64, st->sent,
		    st->dropped + sn->syslog_failed, st->connects,
		    st->failures);
	}
	fputs("}\n", fp);
}

/*
 * Writes the counters to fp (the --stats file, opened before the
 * sandbox, or stdout), replacing what an earlier SIGUSR1 wrote in a file.
 * store_write_errors is always 0 here: the writer logs its own.
 */
static int
write_stats(FILE *fp, const struct sniffer *sn,
    const struct capture_stats *cs)
{
	const struct flow_stats *fs = flow_stats(sn->flows);
	uint64_t errors = 0;
	int i, first = 1;

	if (fp != stdout) {
		rewind(fp);
		if (ftruncate(fileno(fp), 0) == -1)
			return -1;
	}
	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++)
		errors += sn->decode[i];
	fprintf(fp, "{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64
	    ",\"kernel_drops\":%" PRIu64 ",\"if_drops\":%" PRIu64
	    ",\"flows\":%" PRIu64 ",\"flows_evicted\":%" PRIu64
	    ",\"flows_peak\":%" PRIu64 ",\"fragments_reassembled\":%" PRIu64
	    ",\"fragment_timeouts\":%" PRIu64 ",\"duplicates_dropped\":%" PRIu64
	    ",\"truncated\":%" PRIu64
	    ",\"decode_errors_total\":%" PRIu64 ",\"decode_errors\":{",
	    sn->packets, sn->bytes, cs->kernel_drops, cs->if_drops,
	    fs->created, fs->evicted, fs->peak,
	    frag_stats(sn->frags)->reassembled,
	    frag_stats(sn->frags)->timeouts, sn->duplicates,
	    sn->decode[DECODE_TRUNCATED],
	    errors);
	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++) {
		if (sn->decode[i] == 0)
			continue;
		fprintf(fp, "%s\"%s\":%" PRIu64, first ? "" : ",",
		    decode_result_str((enum decode_result)i), sn->decode[i]);
		first = 0;
	}
	fprintf(fp, "},\"not_tcp_udp\":%" PRIu64 ",\"dns_messages\":%" PRIu64
	    ",\"dns_bad\":%" PRIu64 ",\"tls_client_hellos\":%" PRIu64
	    ",\"tls_bad\":%" PRIu64 ",\"tls_no_sni\":%" PRIu64
	    ",\"http_requests\":%" PRIu64 ",\"http_bad\":%" PRIu64
	    ",\"stream_no_slot\":%" PRIu64 ",\"stream_full\":%" PRIu64
	    ",\"stream_gaps\":%" PRIu64 ",\"events_write_errors\":%" PRIu64
	    ",\"store_write_errors\":%" PRIu64 ",\"read_error\":%s"
	    ",\"dns_queries\":%" PRIu64 ",\"dns_unanswered\":%" PRIu64
	    ",\"tls_ech\":%" PRIu64 ",\"named_by_dns_cache\":%" PRIu64
	    ",\"detail_no_slot\":%" PRIu64 ",\"certs\":%" PRIu64
	    ",\"signatures\":%" PRIu64 ",\"cleartext_logins\":%" PRIu64
	    ",\"dhcp_messages\":%" PRIu64 ",\"quic_initials\":%" PRIu64
	    ",\"flows_ignored\":%" PRIu64 ",\"rule_reloads\":%" PRIu64,
	    sn->decode[DECODE_OTHER], sn->dis.st.dns_messages,
	    sn->dis.st.dns_bad, sn->dis.st.tls_hellos, sn->dis.st.tls_bad,
	    sn->dis.st.tls_no_sni, sn->dis.st.http_requests,
	    sn->dis.st.http_bad, fs->stream_no_slot,
	    fs->stream_full, fs->stream_gaps, sn->events_failed,
	    (uint64_t)0, sn->read_error ? "true" : "false",
	    dnslog_stats(sn->dns)->queries,
	    dnslog_stats(sn->dns)->unanswered, sn->dis.st.tls_ech,
	    sn->dis.st.named_by_dns_cache, fs->detail_no_slot,
	    sn->dis.st.certs, sn->dis.st.signatures,
	    sn->dis.st.cleartext_logins, sn->dis.st.dhcp_messages,
	    sn->dis.st.quic_initials, sn->ignored, sn->reloads);
	write_syslog_stats(fp, sn);
	return fflush(fp) == EOF ? -1 : 0;
}

/*
 * SIGUSR1 without --stats: the main counters as one log line. Never
 * write_stats() on stderr, which would rewind and truncate the log.
 */
static void
log_stats(const struct sniffer *sn, const struct capture_stats *cs)
{
	const struct flow_stats *fs = flow_stats(sn->flows);

	log_info("stats: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
	    " flows (%" PRIu64 " open, %" PRIu64 " evicted), %" PRIu64
	    " kernel drops, %" PRIu64 " interface drops, %" PRIu64
	    " decode errors, %" PRIu64 " duplicates dropped, %" PRIu64
	    " records not passed to the store", sn->packets, sn->bytes,
	    fs->created, fs->active, fs->evicted, cs->kernel_drops,
	    cs->if_drops, decode_errors(sn), sn->duplicates, sn->send_failed);
}

/* The sniffer's side: parse the bundle the store sent, swap if it is good. */
static void
sniffer_reload(struct sniffer *sn)
{
	struct rules_sources src;
	struct diags *d;
	struct ruleset *nrs;
	uint8_t *b;
	size_t blen;
	char err[256];

	if (privsep_rules_take(sn->ps, &b, &blen) == -1)
		return;
	if (rulesrc_unpack(&src, b, blen, err, sizeof(err)) == -1) {
		free(b);
		log_warnx("reload: %s; keeping the rules in use", err);
		return;
	}
	free(b);
	d = diags_new();
	nrs = rules_load_sources(&src, d);
	if (nrs == NULL) {
		rulefiles_log_diags(d);
		log_warnx("reload: the rules did not parse here; keeping the "
		    "rules in use");
	} else {
		rules_free(sn->rs);
		sn->rs = nrs;
		sn->reloads++;
		log_info("reload: %zu services", rules_nservices(nrs));
	}
	diags_free(d);
	rulesrc_free(&src);
}

/* The tables, sized once; the dissectors' hooks. */
static void
setup(struct sniffer *sn)
{
	struct sniffer_conf *c = sn->c;
	struct flow_opts *fo = &c->fo;

	sn->rs = c->rs;
	sn->geo = c->geo;
	sn->ps = c->ps;
	sn->events = c->events;
	events_set_format(sn->events, c->events_format, c->sensor != NULL ?
	    c->sensor : c->hostname);
	sn->hostname = c->hostname;
	cidr_list_private(&sn->private);
	if (c->local.n == 0)
		cidr_list_private(&c->local);
	fo->local = &c->local;
	fo->end_cb = on_flow_end;
	fo->end_arg = sn;
	sn->flows = flow_table_new(fo);
	sn->dns = dnslog_new(DEF_DNS_PENDING,
	    (int64_t)DEF_DNS_TIMEOUT_S * 1000000, fo->deterministic,
	    on_dns_event, sn);
	sn->dis.flows = sn->flows;
	sn->dis.names = names_new(DEF_NAMES_SLOTS, fo->deterministic);
	sn->dis.hooks.dns = on_dns_message;
	sn->dis.hooks.dhcp = on_dhcp_message;
	sn->dis.hooks.arg = sn;
	sn->frags = frag_new(DEF_FRAG_SLOTS, (int64_t)DEF_FRAG_TIMEOUT_S *
	    1000000, fo->deterministic, on_partial, sn);
	if (!c->nodedup)
		sn->dedup = dedup_new(DEF_DEDUP_SLOTS,
		    (int64_t)DEF_DEDUP_WINDOW_US, fo->deterministic);
}

/* What the store asked for over the channel. */
static void
poll_control(struct sniffer *sn)
{
	switch (privsep_control_poll(sn->ps)) {
	case PRIVSEP_CTL_STOP:
	case -1:
		stop_requested = 1;
		break;
	case PRIVSEP_CTL_STATS:
		stats_requested = 1;
		break;
	case PRIVSEP_CTL_RULES:
		sniffer_reload(sn);
		break;
	case PRIVSEP_CTL_RULES_BAD:
		log_warnx("reload: a rule bundle from the store was malformed; "
		    "keeping the rules in use");
		break;
	}
}

/*
 * SIGHUP with --no-db: this process reads the rules itself. All or
 * nothing: with errors the old rules stay. (With a database the store
 * reloads and sends the rules here.)
 */
static void
local_reload(struct sniffer *sn)
{
	struct ruleset *nrs = rulefiles_load(sn->c->files);

	if (nrs == NULL) {
		log_warnx("reload: the rules could not be loaded%s; keeping "
		    "the rules in use", sn->sandbox.chrooted ? " (with --no-db "
		    "the sandboxed process cannot read files: use a database "
		    "or --no-sandbox to reload)" : "");
		return;
	}
	rules_free(sn->rs);
	sn->rs = nrs;
	sn->reloads++;
	log_info("reload: %zu services", rules_nservices(nrs));
}

/*
 * The run's counters to the store: so far (so that a store whose parser
 * dies knows how far it got), and last at the end. 0 or -1.
 */
static int
run_stats_send(struct sniffer *sn, const struct capture_stats *cs)
{
	struct privsep_run_stats rst;

	memset(&rst, 0, sizeof(rst));
	rst.packets = sn->packets;
	rst.bytes = sn->bytes;
	rst.flows = flow_stats(sn->flows)->created;
	rst.kernel_drops = cs->kernel_drops;
	rst.if_drops = cs->if_drops;
	rst.decode_errors = decode_errors(sn);
	/* The span leaves out implausible times (bad_time). */
	rst.first_us = sn->span_first_us;
	rst.last_us = sn->span_last_us < sn->span_first_us ?
	    sn->span_first_us : sn->span_last_us;
	rst.read_error = (uint8_t)sn->read_error;
	rst.bad_time = sn->bad_time;
	return privsep_send(sn->ps, PRIVSEP_RUN_STATS, &rst, sizeof(rst));
}

/* Reads packets until the input ends, a stop is asked for or -c is met. */
static int
loop(struct sniffer *sn, struct capture *cap)
{
	const struct capture_opts *co = sn->c->co;
	struct capture_pkthdr h;
	struct capture_stats cs;
	const uint8_t *data;
	int64_t started_ms, last_ms, stats_ms, t;
	uint64_t count = 0, errs;
	int rc, tty, every, exitcode = EXIT_OK, link = capture_datalink(cap);
	char err[512];

	tty = sn->tty;
	started_ms = last_ms = stats_ms = util_mono_ms();
	if (co->iface != NULL)
		sn->future_us = ((int64_t)time(NULL) + 86400) * 1000000;
	while (!stop_requested) {
		rc = capture_next(cap, &h, &data, err, sizeof(err));
		if (rc == -2)
			break;
		if (rc == -1 && stop_requested)
			break;		/* a read the stop interrupted */
		if (rc == -1 && co->file != NULL) {
			/* A cut-off file: keep everything read before it. */
			log_warnx("%s: %s; keeping the %" PRIu64 " packets "
			    "read before it", co->file, err, sn->packets);
			sn->read_error = 1;
			break;
		}
		if (rc == -1) {
			log_warnx("%s: %s", co->iface, err);
			exitcode = EXIT_RUNTIME;
			break;
		}
		if (rc == 0)
			(void)capture_wait(cap, sn->ps != NULL ?
			    privsep_fd(sn->ps) : -1, CAPTURE_WAIT_MS);
		if (rc == 1) {
			errs = decode_errors(sn);
			on_packet(sn, link, &h, data);
			health_packet(sn, cap, h.ts_us,
			    decode_errors(sn) != errs);
			count++;
		}
		if (sn->syslog != NULL)
			syslogtx_poll(sn->syslog);
		if (sn->c->limit > 0 && count >= sn->c->limit)
			break;
		/* The clock too, unless runs must repeat: a slow pipe. */
		if (sn->ps != NULL && !sn->c->fo.deterministic &&
		    (rc == 0 || (count % PIECE_EVERY_PKTS) == 0) &&
		    (t = util_mono_ms()) - sn->piece_ms >=
		    DEF_FLUSH_EVERY_S * 1000) {
			/*
			 * The round, then the counters at once: the store
			 * commits on them (writer.c), so what was seen is on
			 * disk within about one interval.
			 */
			sn->stale_round = count == sn->round_count;
			sn->round_count = count;
			pieces_report(sn, sn->last_us);
			sn->stale_round = 0;
			if (capture_stats(cap, &cs) == -1)
				memset(&cs, 0, sizeof(cs));
			if (run_stats_send(sn, &cs) == -1 ||
			    privsep_flush(sn->ps) == -1)
				sn->send_failed++;
			sn->piece_ms = stats_ms = t;
		}
		every = rc == 0 || (count % PROGRESS_EVERY_PKTS) == 0;
		if (every && sn->ps != NULL)
			poll_control(sn);
		if (every && co->iface != NULL)
			sn->future_us = ((int64_t)time(NULL) + 86400) *
			    1000000;
		if (reload_requested) {
			reload_requested = 0;
			local_reload(sn);
		}
		if (stats_requested) {
			stats_requested = 0;
			if (capture_stats(cap, &cs) == -1)
				memset(&cs, 0, sizeof(cs));
			if (sn->c->stats_fp != NULL)
				(void)write_stats(sn->c->stats_fp, sn, &cs);
			else
				log_stats(sn, &cs);
		}
		if (!every)
			continue;
		t = util_mono_ms();
		if (tty && t - last_ms >= PROGRESS_INTERVAL_MS) {
			progress(cap, sn, started_ms, 0);
			last_ms = t;
		}
		if (sn->ps != NULL && t - stats_ms >= RUN_STATS_EVERY_MS) {
			if (capture_stats(cap, &cs) == -1)
				memset(&cs, 0, sizeof(cs));
			if (run_stats_send(sn, &cs) == -1)
				sn->send_failed++;
			stats_ms = t;
		}
		if (sn->ps != NULL)
			(void)privsep_tick(sn->ps, t);
	}
	if (tty)
		progress(cap, sn, started_ms, 1);
	return exitcode;
}

/* End of run: every flow ends, everything goes to the store. */
static int
drain(struct sniffer *sn, struct capture *cap)
{
	struct capture_stats cs;
	int exitcode = EXIT_OK;

	frag_drain(sn->frags);
	dnslog_drain(sn->dns);
	flow_drain(sn->flows);
	health_flush(sn, cap);
	if (sn->syslog != NULL)
		syslogtx_flush(sn->syslog, SYSLOGTX_FLUSH_MS);
	if (capture_stats(cap, &cs) == -1)
		memset(&cs, 0, sizeof(cs));
	if (sn->c->stats_fp != NULL && write_stats(sn->c->stats_fp, sn,
	    &cs) == -1)
		exitcode = EXIT_RUNTIME;
	if (sn->ps != NULL) {
		if (run_stats_send(sn, &cs) == -1 ||
		    privsep_flush(sn->ps) == -1) {
			log_warnx("cannot reach the store process");
			exitcode = EXIT_RUNTIME;
		}
		if (sn->send_failed > 0)
			log_warnx("%" PRIu64 " records were not passed to the "
			    "store", sn->send_failed);
	}
	if (events_close(sn->events) == -1) {
		log_warnx("events: write error");
		exitcode = EXIT_RUNTIME;
	}
	sn->events = NULL;
	return exitcode;
}

/*
 * --syslog: the transport takes the socket cmd_capture opened, reads its
 * CA file and starts connecting, all before the sandbox. 0, or -1 after
 * a message.
 */
static int
open_syslog(struct sniffer *sn)
{
	struct sniffer_conf *c = sn->c;
	struct syslogtx_opts o;
	char err[512];

	if (c->syslog_fd == -1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.dest = c->syslog_dest;
	o.ca = c->syslog_ca;
	o.queue = c->syslog_queue;
	sn->syslog = syslogtx_new(&o, c->syslog_fd, err, sizeof(err));
	c->syslog_fd = -1;	/* the transport's now */
	if (sn->syslog == NULL) {
		log_warnx("--syslog: %s", err);
		return -1;
	}
	return 0;
}

int
sniffer_run(struct sniffer_conf *c, struct capture *cap)
{
	struct sandbox_opts so;
	struct sniffer *sn;
	int exitcode, rc;

	/* cmd_capture() blocked these until a handler is in place. */
	sig_capture = cap;
	install_signals(c->ps != NULL);
	sn = xcalloc(1, sizeof(*sn));
	sn->c = c;
	setup(sn);
	if (open_syslog(sn) == -1)
		return EXIT_RUNTIME;

	/*
	 * Everything that opens files, or makes a call the seccomp filter
	 * refuses (isatty()'s ioctl), happens before this point.
	 */
	sn->tty = !c->quiet && c->co->file != NULL && isatty(STDERR_FILENO);
	tzset();
	dissect_warmup(&sn->dis);
	so = *c->so;
	so.net_family = sn->syslog != NULL ? syslogtx_family(sn->syslog) : 0;
	if (sandbox_sniffer(&so, &sn->sandbox) == -1) {
		log_warnx("sandbox: %s (use --no-sandbox to run unprotected)",
		    sn->sandbox.err);
		return EXIT_RUNTIME;
	}
	log_info("%s", sn->sandbox.summary);

	exitcode = loop(sn, cap);
	rc = drain(sn, cap);
	if (exitcode == EXIT_OK)
		exitcode = rc;
	if (exitcode == EXIT_OK)
		log_info("%" PRIu64 " packets, %" PRIu64 " flows",
		    sn->packets, flow_stats(sn->flows)->created);
	return exitcode;
}
