/* SPDX-License-Identifier: ISC */
/*
 * cmd_capture.c: "shadowtap capture". Wires capture -> decode -> flow ->
 * dissect -> match -> aggregate -> store, with events on the side. Rules
 * are loaded and checked before anything is opened; per-packet problems
 * are counted, never logged; time inside the pipeline is packet time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>
#include <sys/stat.h>

#include <sys/wait.h>

#include <netdb.h>
#include <poll.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/aggregate.h"
#include "packet/capture.h"
#include "base/cidr.h"
#include "cmd.h"
#include "packet/decode.h"
#include "packet/dedup.h"
#include "base/defaults.h"
#include "dissect/dissect.h"
#include "flow/dnslog.h"
#include "events.h"
#include "flow/flow.h"
#include "dissect/dhcp.h"
#include "packet/frag.h"
#include "policy/geo.h"
#include "base/hostname.h"
#include "base/log.h"
#include "policy/match.h"
#include "flow/names.h"
#include "base/paths.h"
#include "privsep.h"
#include "base/record.h"
#include "store/relagg.h"
#include "policy/rules.h"
#include "policy/rulesrc.h"
#include "sandbox.h"
#include "store/store.h"
#include "base/util.h"

#define PROGRESS_EVERY_PKTS	4096	/* packets between clock checks */
#define PROGRESS_INTERVAL_MS	250
#define FILTER_MAX		4096
#define SYSLOG_SOCKET		"/dev/log"	/* glibc's _PATH_LOG */
#define CAPTURE_WAIT_MS		250	/* live: wake up this often when idle */

struct capture_run {
	struct ruleset		*rs;
	struct geo		*geo;		/* NULL without --geoip-* */
	struct flow_table	*flows;
	struct aggregate	*agg;
	struct relagg		*rel;		/* store: network health */
	struct store		*store;		/* store process only */
	struct privsep		*ps;		/* sniffer: the channel */
	uint64_t		 send_failed;
	struct privsep_run_stats rstats;	/* store: from the sniffer */
	int			 have_rstats;
	const char		*sensor;	/* --sensor, or NULL: host name */
	long			 keep_days;	/* --keep-detail, 0: keep all */
	struct events		*events;
	struct dnslog		*dns;
	struct frag_table	*frags;
	struct dedup		*dedup;
	uint64_t		 duplicates;
	uint64_t		 ignored;	/* flows of ignored networks */
	uint64_t		 reloads;
	const char		*rules_path;	/* -R, or the installed dir */
	const char		*policy_path;	/* -P, or the installed file */
	int			 policy_given;	/* -P: it must exist */
	int			 syslog_fd;	/* --syslog, or -1 */
	uint64_t		 syslog_failed;
	char			 hostname[256];
	int64_t			 run_id;
	/* The current health interval (packet time). */
	int64_t			 health_start_us;
	uint64_t		 h_packets;
	uint64_t		 h_decode_errors;
	uint64_t		 h_tcp_failed;
	uint64_t		 h_dns_unanswered_base;
	uint64_t		 h_drops_base;
	struct dissect		 dis;
	uint64_t		 packets;
	uint64_t		 bytes;
	uint64_t		 decode[DECODE_RESULT_MAX];
	uint64_t		 events_failed;
	uint64_t		 store_failed;
	int			 read_error;
	int64_t			 first_us;
	int64_t			 last_us;
	int64_t			 next_expire_us;
};

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

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: shadowtap capture (-r FILE | -i IFACE) [-d DB] [-R RULES_DIR]\n"
"                         [-P POLICY] [--events FILE|-] [--stats FILE]\n"
"                         [-c COUNT] [-s SNAPLEN] [-B MB] [-p] [-q]\n"
"                         [--ignore-vlan] [--deterministic] [expression...]\n"
"\n"
"Reads packets from a capture file or a live interface, recognises the\n"
"services that devices talk to, and records findings (device x service x\n"
"day, with bytes and flow counts) in an SQLite database.\n"
"\n"
"  -r FILE           read packets from FILE (pcap or pcapng; - for stdin)\n"
"  -i IFACE          capture live on IFACE (needs root or CAP_NET_RAW)\n"
"  -d DB             SQLite database to write (default: %s)\n"
"  -R RULES_DIR      service catalog directory (default: %s)\n"
"  -P POLICY         organisation policy file (default: %s)\n"
"  --events FILE     write one JSON object per flow to FILE (- for stdout)\n"
"  --stats FILE      write run counters as a JSON object to FILE at the end\n"
"  --no-db           do not write a database (events and stats only)\n"
"  -c COUNT          stop after COUNT packets\n"
"  -s SNAPLEN        bytes to capture per packet (live; default %d)\n"
"  -B MB             kernel capture buffer in MiB (live; default %d)\n"
"  -p                do not put the interface into promiscuous mode\n"
"  -q                quiet: no progress bar or informational messages\n"
"  --ignore-vlan     treat both directions as one flow even when only one\n"
"                    carries a VLAN tag (one-sided tagging on SPAN ports)\n"
"  --local-net CIDR  the organisation's networks, to tell devices from\n"
"                    servers when no TCP handshake is seen (repeatable;\n"
"                    default: RFC 1918, 100.64/10, link-local, fc00::/7)\n"
"  -u USER           user the packet parser runs as (default " SHADOWTAP_USER
"\n                    or, if missing, nobody); it also chroots to an\n"
"                    empty directory and loads a seccomp allow-list\n"
"  --no-sandbox      go on when the sandbox cannot be set up (unsafe)\n"
"  --no-dedup        keep packets a double mirror delivers twice\n"
"  --max-flows N     flows tracked at once (default %u); the oldest is\n"
"                    evicted when full, so memory stays bounded\n"
"  --geoip-country F MaxMind-format country database (GeoLite2, DB-IP...)\n"
"  --geoip-asn F     MaxMind-format ASN database, for asns rules and\n"
"                    the AS of each destination\n"
"  --immediate       live: deliver packets as they arrive (no batching)\n"
"  --keep-detail DAYS  at the end of the run, roll hourly findings older\n"
"                    than DAYS into daily rows (as shadowtap db prune)\n"
"  --sensor NAME     the name this sensor's runs are recorded under\n"
"                    (default: the host name); summary -d A -d B keeps\n"
"                    sites apart by it\n"
"  --syslog HOST[:PORT]  send each finding to a syslog collector as an\n"
"                    RFC 5424 message over UDP (default port 514)\n"
"  --log syslog|stderr  where messages go (default stderr); syslog uses\n"
"                    the local daemon (" SYSLOG_SOCKET "), facility daemon\n"
"  --deterministic   fixed hash keys, for reproducible test runs\n"
"  expression        a BPF filter, as for tcpdump (e.g. 'not port 22')\n"
"\n"
"Exit status: 0 ok, 1 runtime failure, 2 usage error or bad rules.\n",
	    paths_db(), paths_rules_dir(), paths_policy_file(), DEF_SNAPLEN,
	    DEF_PCAP_BUFFER_MB, DEF_FLOW_CAPACITY);
}

/* rules.h and geo.h take AF_INET/AF_INET6; flows keep 4 or 6. */
static int
af(const struct flow *f)
{
	return f->key.family == 6 ? AF_INET6 : AF_INET;
}

/*
 * The service of a flow, by the strongest signal that names one: its
 * name (SNI, Host, DNS, certificate), then JA4, protocol signature, the
 * server's address or AS, and the port as a last resort (match.h).
 */
static const struct service *
classify(const struct capture_run *run, const struct flow *f,
    const struct flow_detail *fd, const struct geo_info *gi,
    uint8_t *evidence, uint8_t *confidence)
{
	const struct service *svc = NULL, *by_addr;
	const char *name = fd != NULL ? fd->name : "";
	size_t i;

	*evidence = f->evidence;
	*confidence = f->confidence;
	if (run->rs == NULL)
		return NULL;
	/*
	 * A SOCKS handshake makes the flow's peer a proxy, most often the
	 * local end of a tunnel (Tor, Shadowsocks, V2Ray) or an SSH dynamic
	 * forward: the name inside is where the proxy goes, kept in the
	 * event, but the flow is the proxy's. HTTP CONNECT is left to its
	 * target's name: it is how an organisation's own web proxy carries
	 * all HTTPS, and there the destination is what matters.
	 */
	if (fd != NULL && strcmp(fd->signature, "socks") == 0 &&
	    (svc = match_protocol(run->rs, fd->signature, NULL)) != NULL) {
		*evidence = EVIDENCE_SIGNATURE;
		*confidence = fd->signature_conf;
		return svc;
	}
	if (name[0] != '\0' && (svc = match_name(run->rs, name)) != NULL)
		return svc;
	/* Any of the certificate's names (the first may be a CDN's). */
	for (i = 0; fd != NULL && i < fd->ncert_names; i++) {
		if ((svc = match_name(run->rs, fd->cert_names[i])) != NULL) {
			*evidence = EVIDENCE_CERT;
			*confidence = 80;
			return svc;
		}
	}
	if (fd != NULL && fd->ja4[0] != '\0' &&
	    (svc = match_ja4(run->rs, fd->ja4, NULL)) != NULL) {
		*evidence = EVIDENCE_JA4;
		*confidence = 75;
	} else if (fd != NULL && fd->signature[0] != '\0' &&
	    (svc = match_protocol(run->rs, fd->signature, NULL)) != NULL) {
		*evidence = EVIDENCE_SIGNATURE;
		*confidence = fd->signature_conf;
		/*
		 * The protocol says what is spoken, a server address a
		 * service of the same category lists says whose server it
		 * is: OpenVPN to one of NordVPN's is NordVPN, not just "a
		 * VPN". An address of another category (a CDN's, a
		 * collaboration suite's) does not outrank the protocol.
		 */
		if ((by_addr = match_addr(run->rs, af(f), flow_server_ip(f),
		    NULL)) != NULL && by_addr != svc &&
		    strcmp(by_addr->category, svc->category) == 0) {
			svc = by_addr;
			*evidence = EVIDENCE_IP;
		}
	} else if ((svc = match_addr(run->rs, af(f),
	    flow_server_ip(f), NULL)) != NULL ||
	    (gi->asn != 0 && (svc = match_asn(run->rs, gi->asn, NULL)) !=
	    NULL)) {
		*evidence = EVIDENCE_IP;
		*confidence = 60;
	} else if ((svc = match_port(run->rs, f->key.proto,
	    flow_server_port(f), NULL)) != NULL) {
		*evidence = EVIDENCE_PORT;
		*confidence = 30;
	}
	return svc;
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

static void
make_record(const struct capture_run *run, const struct flow *f,
    struct flow_record *r)
{
	const struct flow_detail *fd = flow_detail(run->flows, f);
	const struct department *dept = NULL;
	const struct service *svc;
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
	strlcpy(r->name, flow_name(run->flows, f), sizeof(r->name));
	if (fd != NULL && fd->creds_proto != 0) {
		r->creds_proto = fd->creds_proto;
		strlcpy(r->creds_user, fd->creds_user, sizeof(r->creds_user));
	}
	memset(&gi, 0, sizeof(gi));
	if (run->geo != NULL && geo_lookup(run->geo, af(f),
	    flow_server_ip(f), &gi) == 1) {
		strlcpy(r->country, gi.country, sizeof(r->country));
		r->asn = gi.asn;
		if (r->asn != 0)
			geo_text(r->as_org, gi.as_org, sizeof(r->as_org));
	}
	svc = classify(run, f, fd, &gi, &r->evidence, &r->confidence);
	if (run->rs != NULL) {
		dept = match_department(run->rs, af(f),
		    flow_client_ip(f), f->key.vlan, NULL);
		if (dept != NULL)
			strlcpy(r->department, dept->name,
			    sizeof(r->department));
	}
	if (svc != NULL) {
		strlcpy(r->service, svc->id, sizeof(r->service));
		strlcpy(r->category, svc->category, sizeof(r->category));
		r->verdict = rules_verdict(run->rs, svc, dept, NULL);
	} else {
		r->verdict = VERDICT_NONE;
		r->evidence = r->name[0] != '\0' ? r->evidence : EVIDENCE_NONE;
		if (r->name[0] != '\0' && !hostname_is_ip(r->name) &&
		    match_registrable_domain(r->name, r->domain,
		    sizeof(r->domain)) == -1)
			r->domain[0] = '\0';
	}
}

/* Store process: writes what the aggregate holds, in one transaction. */
static void
flush_findings(struct capture_run *run)
{
	if (run->store == NULL)
		return;
	if (run->rel != NULL && relagg_rows(run->rel) > 0 &&
	    relagg_flush(run->rel, run->store) == -1) {
		if (run->store_failed++ == 0)
			log_warnx("cannot write network health: %s",
			    store_errmsg(run->store));
	}
	if (aggregate_rows(run->agg) == 0)
		return;
	if (aggregate_flush(run->agg, run->store) == -1) {
		if (run->store_failed++ == 0)
			log_warnx("cannot write findings: %s",
			    store_errmsg(run->store));
	}
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
rel_send(struct capture_run *run, struct rel_event *e)
{
	const struct department *dept = NULL;
	int fam = e->family == 6 ? AF_INET6 : AF_INET;

	if (run->rs != NULL && e->family != 0 &&
	    match_ignored(run->rs, fam, e->ip, NULL))
		return;
	if (run->rs != NULL)
		dept = e->family != 0 ? match_department(run->rs, fam, e->ip,
		    e->vlan, NULL) : rules_vlan_department(run->rs, e->vlan,
		    NULL);
	if (dept != NULL)
		strlcpy(e->department, dept->name, sizeof(e->department));
	if (privsep_send(run->ps, PRIVSEP_REL, e, sizeof(*e)) == -1)
		run->send_failed++;
}

static void
on_flow_end(void *arg, const struct flow *f, enum flow_end why)
{
	struct capture_run *run = arg;
	struct flow_record r;
	struct rel_event rev;

	if (run->rs != NULL && (match_ignored(run->rs, af(f),
	    flow_client_ip(f), NULL) || match_ignored(run->rs, af(f),
	    flow_server_ip(f), NULL))) {
		run->ignored++;
		return;
	}
	if ((f->tcp & FLOW_TCP_SYN_UP) && !(f->tcp & FLOW_TCP_SYN_DOWN))
		run->h_tcp_failed++;
	make_record(run, f, &r);
	/*
	 * Not rel_send(): the flow passed the ignore check above, and
	 * make_record() has looked up the department of the same client.
	 */
	if (run->ps != NULL && relagg_from_flow(f, why, run->last_us, &rev)) {
		strlcpy(rev.department, r.department, sizeof(rev.department));
		if (privsep_send(run->ps, PRIVSEP_REL, &rev, sizeof(rev)) == -1)
			run->send_failed++;
	}
	if (run->events != NULL && events_flow(run->events, &r,
	    flow_detail(run->flows, f)) == -1)
		run->events_failed++;
	if (run->syslog_fd != -1 && (r.service[0] != '\0' ||
	    r.creds_proto != 0)) {
		char msg[2048];
		int n = aggregate_format_syslog(&r, run->hostname, msg,
		    sizeof(msg));

		if (n < 0 || send(run->syslog_fd, msg, (size_t)n, 0) == -1)
			run->syslog_failed++;
	}
	/* To the store process; a full batch is written, never waited on. */
	if (run->ps != NULL && privsep_send(run->ps, PRIVSEP_FLOW, &r,
	    sizeof(r)) == -1)
		run->send_failed++;
}

static void
on_dns_event(void *arg, const struct dns_event *e)
{
	struct capture_run *run = arg;
	struct rel_event rev;

	if (run->events != NULL && events_dns(run->events, e) == -1)
		run->events_failed++;
	if (run->ps != NULL && relagg_from_dns(e, &rev))
		rel_send(run, &rev);
}

static void
on_dns_message(void *arg, const struct flow *f, int dir, const struct pkt *p,
    const struct dnslog_msg *m)
{
	struct capture_run *run = arg;

	dnslog_message(run->dns, f, dir, p->ts_us, m);
}

static void
on_dhcp_message(void *arg, const struct flow *f, const struct pkt *p,
    const struct dhcp_msg *m)
{
	static const uint8_t zero[4];
	struct capture_run *run = arg;
	struct device_record dr;
	struct rel_event rev;

	(void)f;
	if (run->events != NULL && events_dhcp(run->events, p->ts_us, m) == -1)
		run->events_failed++;
	if (run->ps != NULL && relagg_from_dhcp(m, p->ts_us, p->vlan, &rev))
		rel_send(run, &rev);
	if (run->ps == NULL || !m->has_mac)
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
	if (privsep_send(run->ps, PRIVSEP_DEVICE, &dr, sizeof(dr)) == -1)
		run->send_failed++;
}

/* Packets that could not be decoded (not those that were just not IP). */
static uint64_t
decode_errors(const struct capture_run *run)
{
	int i;
	uint64_t n = 0;

	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++)
		if (i != DECODE_FRAGMENT)
			n += run->decode[i];
	return n;
}

/*
 * Capture health per interval of packet time: packets, drops, decode
 * errors, DNS questions left unanswered, TCP handshakes that never
 * completed. Written with the findings.
 */
static void
health_flush(struct capture_run *run, struct capture *cap)
{
	const struct dnslog_stats *ds = dnslog_stats(run->dns);
	struct capture_stats cs;
	struct privsep_health h;

	if (run->ps == NULL || run->health_start_us == 0)
		return;
	if (capture_stats(cap, &cs) == -1)
		memset(&cs, 0, sizeof(cs));
	memset(&h, 0, sizeof(h));
	h.ts_us = run->health_start_us;
	h.interval_us = (int64_t)DEF_HEALTH_INTERVAL_S * 1000000;
	h.packets = run->h_packets;
	h.decode_errors = run->h_decode_errors;
	h.tcp_failed = run->h_tcp_failed;
	h.dns_unanswered = ds->unanswered - run->h_dns_unanswered_base;
	h.drops = cs.kernel_drops + cs.if_drops - run->h_drops_base;
	h.flows_active = flow_stats(run->flows)->active;
	if (privsep_send(run->ps, PRIVSEP_HEALTH, &h, sizeof(h)) == -1)
		run->send_failed++;
	run->h_packets = run->h_decode_errors = run->h_tcp_failed = 0;
	run->h_dns_unanswered_base = ds->unanswered;
	run->h_drops_base = cs.kernel_drops + cs.if_drops;
}

static void
health_packet(struct capture_run *run, struct capture *cap, int64_t ts_us,
    int decode_error)
{
	int64_t iv = (int64_t)DEF_HEALTH_INTERVAL_S * 1000000;
	int64_t start = ts_us - ((ts_us % iv) + iv) % iv;

	if (start != run->health_start_us) {
		health_flush(run, cap);
		run->health_start_us = start;
	}
	run->h_packets++;
	if (decode_error)
		run->h_decode_errors++;
}

/* A decoded TCP/UDP packet: the flow, then the dissectors. */
static void
on_decoded(struct capture_run *run, struct pkt *p,
    const struct flow_lookup *lk)
{
	struct flow *f;
	int dir;

	f = lk != NULL ? flow_packet_prepared(run->flows, p, lk, &dir) :
	    flow_packet(run->flows, p, &dir);
	(void)dissect_packet(&run->dis, f, dir, p);
}

/* An IP datagram whose later fragments never came. */
static void
on_partial(void *arg, const struct frag_partial *fp)
{
	struct capture_run *run = arg;
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
		on_decoded(run, &p, NULL);
}

static void
on_packet(struct capture_run *run, int link, const struct capture_pkthdr *h,
    const uint8_t *data)
{
	enum decode_result dr;
	struct flow_lookup lk;
	struct pkt p;
	uint64_t dh = 0;

	run->packets++;
	run->bytes += h->wirelen;
	if (run->first_us == 0 || h->ts_us < run->first_us)
		run->first_us = h->ts_us;
	if (h->ts_us > run->last_us)
		run->last_us = h->ts_us;
	if (h->ts_us >= run->next_expire_us) {
		flow_expire(run->flows, h->ts_us);
		dnslog_expire(run->dns, h->ts_us);
		frag_expire(run->frags, h->ts_us);
		run->next_expire_us = h->ts_us +
		    (int64_t)DEF_FLOW_EXPIRE_EVERY_S * 1000000;
	}
	p.ts_us = h->ts_us;
	p.caplen = h->caplen;
	p.wirelen = h->wirelen;
	dr = decode_packet(link, data, h->caplen, &p);
	if (dr == DECODE_FRAGMENT) {
		const uint8_t *dg;
		size_t dglen;

		if (!frag_add(run->frags, &p, &dg, &dglen))
			return;
		dr = decode_reassembled(&p, dg, dglen);
	}
	run->decode[dr]++;
	if (dr != DECODE_OK)
		return;
	/* Both lookups miss the cache as a rule: start both, then wait. */
	if (run->dedup != NULL)
		dh = dedup_hash(run->dedup, &p);
	flow_lookup_prepare(run->flows, &p, &lk);
	if (run->dedup != NULL && dedup_seen(run->dedup, dh, p.ts_us)) {
		run->duplicates++;
		return;
	}
	on_decoded(run, &p, &lk);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
progress(const struct capture *cap, const struct capture_run *run,
    int64_t started_ms, int final)
{
	int64_t size = capture_file_size(cap), pos = capture_file_pos(cap);
	int64_t el = now_ms() - started_ms;
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
	rate = el > 0 ? (double)run->packets * 1000.0 / (double)el : 0;
	fprintf(stderr, "\r[%s] %3d%%  %" PRIu64 " packets  %.0f pkt/s  "
	    "ETA %lds   ", bar, (int)(frac * 100), run->packets, rate,
	    frac > 0 && !final ? (long)((double)el * (1 - frac) / frac / 1000) :
	    0L);
	if (final)
		fputc('\n', stderr);
}

/*
 * Writes the counters to fp (opened before the sandbox), replacing what
 * an earlier SIGUSR1 wrote there.
 */
static int
write_stats(FILE *fp, const struct capture_run *run,
    const struct capture_stats *cs)
{
	const struct flow_stats *fs = flow_stats(run->flows);
	uint64_t errors = 0;
	int i, first = 1;

	if (fp != stdout) {
		rewind(fp);
		if (ftruncate(fileno(fp), 0) == -1)
			return -1;
	}
	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++)
		errors += run->decode[i];
	fprintf(fp, "{\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64
	    ",\"kernel_drops\":%" PRIu64 ",\"if_drops\":%" PRIu64
	    ",\"flows\":%" PRIu64 ",\"flows_evicted\":%" PRIu64
	    ",\"flows_peak\":%" PRIu64 ",\"fragments_reassembled\":%" PRIu64
	    ",\"fragment_timeouts\":%" PRIu64 ",\"duplicates_dropped\":%" PRIu64
	    ",\"truncated\":%" PRIu64
	    ",\"decode_errors_total\":%" PRIu64 ",\"decode_errors\":{",
	    run->packets, run->bytes, cs->kernel_drops, cs->if_drops,
	    fs->created, fs->evicted, fs->peak,
	    frag_stats(run->frags)->reassembled,
	    frag_stats(run->frags)->timeouts, run->duplicates,
	    run->decode[DECODE_TRUNCATED],
	    errors);
	for (i = DECODE_TRUNCATED; i < DECODE_RESULT_MAX; i++) {
		if (run->decode[i] == 0)
			continue;
		fprintf(fp, "%s\"%s\":%" PRIu64, first ? "" : ",",
		    decode_result_str((enum decode_result)i), run->decode[i]);
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
	    ",\"flows_ignored\":%" PRIu64 ",\"rule_reloads\":%" PRIu64 "}\n",
	    run->decode[DECODE_OTHER], run->dis.st.dns_messages,
	    run->dis.st.dns_bad, run->dis.st.tls_hellos, run->dis.st.tls_bad,
	    run->dis.st.tls_no_sni, run->dis.st.http_requests,
	    run->dis.st.http_bad, fs->stream_no_slot,
	    fs->stream_full, fs->stream_gaps, run->events_failed,
	    run->store_failed, run->read_error ? "true" : "false",
	    dnslog_stats(run->dns)->queries,
	    dnslog_stats(run->dns)->unanswered, run->dis.st.tls_ech,
	    run->dis.st.named_by_dns_cache, fs->detail_no_slot,
	    run->dis.st.certs, run->dis.st.signatures,
	    run->dis.st.cleartext_logins, run->dis.st.dhcp_messages,
	    run->dis.st.quic_initials, run->ignored, run->reloads);
	return fflush(fp) == EOF ? -1 : 0;
}

/*
 * Opens a UDP socket to the syslog collector HOST[:PORT] (default port
 * 514, RFC 5426). Returns the connected socket or -1 with err set.
 */
static int
open_syslog(const char *dest, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *ai;
	char host[256], *colon;
	const char *port = "514";
	int fd = -1, rc;

	strlcpy(host, dest, sizeof(host));
	if (host[0] == '[' && (colon = strchr(host, ']')) != NULL) {
		*colon = '\0';
		memmove(host, host + 1, strlen(host + 1) + 1);
		if (colon[1] == ':')
			port = dest + (colon - host) + 3;
	} else if ((colon = strrchr(host, ':')) != NULL &&
	    strchr(host, ':') == colon) {
		*colon = '\0';
		port = dest + (colon - host) + 1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", dest, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		snprintf(err, errlen, "%s: %s", dest, strerror(errno));
	return fd;
}

/* Creates the parent directory of the default database if missing. */
static void
ensure_parent_dir(const char *path)
{
	char dir[PATH_MAX], *slash;

	strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		log_debug("mkdir %s: %s", dir, strerror(errno));
}

/* Diagnostics of the rule files, through the log (stderr or syslog). */
static void
log_diags(const struct diags *d)
{
	const struct diag *g;
	char line[DIAG_LINE_MAX];
	size_t i;

	for (i = 0; (g = diags_at(d, i)) != NULL; i++)
		log_warnx("%s", diag_format(g, line, sizeof(line)));
}

/* The rule files of a run: the rules directory, then the policy (when it
 * was given, or when the installed one exists). */
static void
read_sources(struct rules_sources *src, const struct capture_run *run)
{
	const char *paths[2];
	struct stat st;
	size_t n = 0;

	memset(src, 0, sizeof(*src));
	paths[n++] = run->rules_path;
	if (run->policy_given || stat(run->policy_path, &st) == 0)
		paths[n++] = run->policy_path;
	rulesrc_read(src, paths, n);
}

static struct ruleset *
load_rules(const struct capture_run *run)
{
	struct rules_sources src;
	struct diags *d = diags_new();
	struct ruleset *rs;

	read_sources(&src, run);
	rs = rules_load_sources(&src, d);
	log_diags(d);
	diags_free(d);
	rulesrc_free(&src);
	return rs;
}

/* The catalog's services and their verdicts, into the store. 0 or -1. */
static int
put_services(struct capture_run *run)
{
	const struct service *s;
	size_t i;

	for (i = 0; i < rules_nservices(run->rs); i++) {
		s = rules_service_at(run->rs, i);
		if (store_put_service(run->store, s->id, s->name, s->category,
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
store_reload(struct capture_run *run)
{
	struct rules_sources src;
	struct diags *d = diags_new();
	struct ruleset *nrs;
	uint8_t *b = NULL;
	size_t blen;
	char err[256];

	read_sources(&src, run);
	nrs = rules_load_sources(&src, d);
	log_diags(d);
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
	if (privsep_rules_send(run->ps, b, blen) == -1) {
		log_warn("reload: sending the rules to the sniffer");
		rules_free(nrs);
		goto done;
	}
	(void)privsep_out_flush(run->ps);
	rules_free(run->rs);
	run->rs = nrs;
	if (put_services(run) == -1)
		log_warnx("reload: %s", store_errmsg(run->store));
	log_info("reload: %zu services checked, %zu bytes of rules sent to "
	    "the sniffer", rules_nservices(nrs), blen);
done:
	free(b);
	diags_free(d);
	rulesrc_free(&src);
}

/* The sniffer's side: parse the bundle the store sent, swap if it is good. */
static void
sniffer_reload(struct capture_run *run)
{
	struct rules_sources src;
	struct diags *d;
	struct ruleset *nrs;
	uint8_t *b;
	size_t blen;
	char err[256];

	if (privsep_rules_take(run->ps, &b, &blen) == -1)
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
		log_diags(d);
		log_warnx("reload: the rules did not parse here; keeping the "
		    "rules in use");
	} else {
		rules_free(run->rs);
		run->rs = nrs;
		run->reloads++;
		log_info("reload: %zu services", rules_nservices(nrs));
	}
	diags_free(d);
	rulesrc_free(&src);
}

/*
 * The parser's side of a run: sandbox, tables, the packet loop, and at the
 * end every flow and the run's counters sent to the store. Runs in the
 * sniffer process (or alone with --no-db). Returns the exit code.
 */
static int
sniff(struct capture_run *run, struct capture *cap,
    const struct capture_opts *co, struct flow_opts *fo,
    struct cidr_list *local, int nodedup, uint64_t limit, int quiet,
    const struct sandbox_opts *so, FILE *stats_fp)
{
	struct sandbox_report rep;
	struct capture_pkthdr h;
	struct capture_stats cs;
	struct privsep_run_stats rst;
	const uint8_t *data;
	int64_t started_ms, last_ms;
	uint64_t count = 0;
	int rc, tty, exitcode = EXIT_OK, link = capture_datalink(cap);
	char err[512];

	if (local->n == 0)
		cidr_list_private(local);
	fo->local = local;
	fo->end_cb = on_flow_end;
	fo->end_arg = run;
	run->flows = flow_table_new(fo);
	run->dns = dnslog_new(DEF_DNS_PENDING,
	    (int64_t)DEF_DNS_TIMEOUT_S * 1000000, fo->deterministic,
	    on_dns_event, run);
	run->dis.flows = run->flows;
	run->dis.names = names_new(DEF_NAMES_SLOTS, fo->deterministic);
	run->dis.hooks.dns = on_dns_message;
	run->dis.hooks.dhcp = on_dhcp_message;
	run->dis.hooks.arg = run;
	run->frags = frag_new(DEF_FRAG_SLOTS, (int64_t)DEF_FRAG_TIMEOUT_S *
	    1000000, fo->deterministic, on_partial, run);
	if (!nodedup)
		run->dedup = dedup_new(DEF_DEDUP_SLOTS,
		    (int64_t)DEF_DEDUP_WINDOW_US, fo->deterministic);

	/* Everything that opens files happens before this point. */
	tzset();
	dissect_warmup(&run->dis);
	if (sandbox_sniffer(so, &rep) == -1) {
		log_warnx("sandbox: %s (use --no-sandbox to run unprotected)",
		    rep.err);
		return EXIT_RUNTIME;
	}
	log_info("%s", rep.summary);

	sig_capture = cap;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_usr1);
	/* With a store, SIGHUP is the store's: it sends the rules here. */
	signal(SIGHUP, run->ps != NULL ? SIG_IGN : on_hup);
	tty = !quiet && co->file != NULL && isatty(STDERR_FILENO);
	started_ms = last_ms = now_ms();

	while (!stop_requested) {
		rc = capture_next(cap, &h, &data, err, sizeof(err));
		if (rc == -2)
			break;
		if (rc == -1 && co->file != NULL) {
			/* A cut-off file: keep everything read before it. */
			log_warnx("%s: %s; keeping the %" PRIu64 " packets "
			    "read before it", co->file, err, run->packets);
			run->read_error = 1;
			break;
		}
		if (rc == -1) {
			log_warnx("%s: %s", co->iface, err);
			exitcode = EXIT_RUNTIME;
			break;
		}
		if (rc == 0)
			(void)capture_wait(cap, run->ps != NULL ?
			    privsep_fd(run->ps) : -1, CAPTURE_WAIT_MS);
		if (rc == 1) {
			uint64_t errs = decode_errors(run);

			on_packet(run, link, &h, data);
			health_packet(run, cap, h.ts_us,
			    decode_errors(run) != errs);
			count++;
		}
		if (limit > 0 && count >= limit)
			break;
		if (run->ps != NULL && (rc == 0 ||
		    (count % PROGRESS_EVERY_PKTS) == 0)) {
			switch (privsep_control_poll(run->ps)) {
			case PRIVSEP_CTL_STOP:
			case -1:
				stop_requested = 1;
				break;
			case PRIVSEP_CTL_STATS:
				stats_requested = 1;
				break;
			case PRIVSEP_CTL_RULES:
				sniffer_reload(run);
				break;
			case PRIVSEP_CTL_RULES_BAD:
				log_warnx("reload: a rule bundle from the store "
				    "was malformed; keeping the rules in use");
				break;
			}
		}
		if (reload_requested) {
			struct ruleset *nrs;

			reload_requested = 0;
			/* All or nothing: with errors the old rules stay. */
			/* Only with --no-db: otherwise the store reloads. */
			nrs = load_rules(run);
			if (nrs == NULL) {
				log_warnx("reload: the rules could not be "
				    "loaded%s; keeping the rules in use",
				    rep.chrooted ? " (with --no-db the sandboxed "
				    "process cannot read files: use a database "
				    "or --no-sandbox to reload)" : "");
			} else {
				rules_free(run->rs);
				run->rs = nrs;
				run->reloads++;
				log_info("reload: %zu services",
				    rules_nservices(nrs));
			}
		}
		if (stats_requested) {
			stats_requested = 0;
			if (capture_stats(cap, &cs) == -1)
				memset(&cs, 0, sizeof(cs));
			write_stats(stats_fp != NULL ? stats_fp : stderr, run,
			    &cs);
		}
		if (rc == 0 || (count % PROGRESS_EVERY_PKTS) == 0) {
			int64_t t = now_ms();

			if (tty && t - last_ms >= PROGRESS_INTERVAL_MS) {
				progress(cap, run, started_ms, 0);
				last_ms = t;
			}
			if (run->ps != NULL)
				(void)privsep_tick(run->ps, t);
		}
	}
	if (tty)
		progress(cap, run, started_ms, 1);

	/* End of run: every flow ends, everything goes to the store. */
	frag_drain(run->frags);
	dnslog_drain(run->dns);
	flow_drain(run->flows);
	health_flush(run, cap);
	if (capture_stats(cap, &cs) == -1)
		memset(&cs, 0, sizeof(cs));
	if (stats_fp != NULL && write_stats(stats_fp, run, &cs) == -1)
		exitcode = EXIT_RUNTIME;
	if (run->ps != NULL) {
		memset(&rst, 0, sizeof(rst));
		rst.packets = run->packets;
		rst.bytes = run->bytes;
		rst.flows = flow_stats(run->flows)->created;
		rst.kernel_drops = cs.kernel_drops;
		rst.if_drops = cs.if_drops;
		rst.decode_errors = decode_errors(run);
		rst.first_us = run->first_us;
		rst.last_us = run->last_us < run->first_us ? run->first_us :
		    run->last_us;
		rst.read_error = (uint8_t)run->read_error;
		if (privsep_send(run->ps, PRIVSEP_RUN_STATS, &rst,
		    sizeof(rst)) == -1 || privsep_flush(run->ps) == -1) {
			log_warnx("cannot reach the store process");
			exitcode = EXIT_RUNTIME;
		}
		if (run->send_failed > 0)
			log_warnx("%" PRIu64 " records were not passed to the "
			    "store", run->send_failed);
	}
	if (events_close(run->events) == -1) {
		log_warnx("events: write error");
		exitcode = EXIT_RUNTIME;
	}
	run->events = NULL;
	if (exitcode == EXIT_OK)
		log_info("%" PRIu64 " packets, %" PRIu64 " flows",
		    run->packets, flow_stats(run->flows)->created);
	return exitcode;
}

/* Store process: one validated message from the sniffer. */
static void
on_message(void *arg, uint32_t type, const void *msg, size_t len)
{
	struct capture_run *run = arg;
	const struct privsep_health *ph;
	struct store_health h;

	(void)len;
	switch (type) {
	case PRIVSEP_FLOW:
		(void)aggregate_add(run->agg, msg);
		break;
	case PRIVSEP_DEVICE:
		(void)aggregate_device(run->agg, msg);
		break;
	case PRIVSEP_HEALTH:
		ph = msg;
		memset(&h, 0, sizeof(h));
		h.run_id = run->run_id;
		h.start_us = ph->ts_us;
		h.interval_s = ph->interval_us / 1000000;
		h.packets = ph->packets;
		h.drops = ph->drops;
		h.decode_errors = ph->decode_errors;
		h.dns_unanswered = ph->dns_unanswered;
		h.tcp_failed = ph->tcp_failed;
		if (store_put_health(run->store, &h) == -1)
			run->store_failed++;
		break;
	case PRIVSEP_RUN_STATS:
		memcpy(&run->rstats, msg, sizeof(run->rstats));
		run->have_rstats = 1;
		break;
	case PRIVSEP_REL:
		(void)relagg_add(run->rel, msg);
		break;
	}
}

/*
 * The parent after the fork: sandbox (no packet bytes ever reach it), open
 * the database, then aggregate what the sniffer sends and commit every
 * DEF_FLUSH_EVERY_S seconds and at the end. Signals are passed on to the
 * sniffer, which ends the run. Returns the exit code.
 */
static int
store_main(struct capture_run *run, struct capture *cap, const char *db,
    const struct run_info *ri, const struct sandbox_opts *so)
{
	struct sandbox_report rep;
	struct run_stats rst;
	struct pollfd pfd;
	int64_t last_flush_ms, t;
	int rc, status = 0, exitcode = EXIT_OK;
	char err[512];

	log_setrole("shadowtap[store]");
	/*
	 * The sniffer owns the capture: the store leaves the handle alone
	 * (closing it would tear down a live ring or move a file's offset
	 * under the sniffer) until the sniffer has exited.
	 */
	(void)cap;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_usr1);
	signal(SIGHUP, on_hup);
	if (sandbox_store(so, &rep) == -1) {
		log_warnx("sandbox: %s (use --no-sandbox to run unprotected)",
		    rep.err);
		privsep_kill(run->ps);
		return EXIT_RUNTIME;
	}
	log_debug("%s", rep.summary);
	run->store = store_open(db, STORE_CREATE, err, sizeof(err));
	if (run->store == NULL) {
		log_warnx("%s", err);
		privsep_kill(run->ps);
		return EXIT_RUNTIME;
	}
	run->agg = aggregate_new(DEF_AGG_CAPACITY, DEF_AGG_WINDOW_S);
	run->rel = relagg_new(DEF_REL_CAPACITY, DEF_HEALTH_INTERVAL_S);
	if (run->sensor != NULL && store_set_sensor(run->store,
	    run->sensor) == -1)
		goto store_fail;
	if (store_begin(run->store) == -1 ||
	    store_run_begin(run->store, ri, &run->run_id) == -1)
		goto store_fail;
	if (put_services(run) == -1 || store_commit(run->store) == -1)
		goto store_fail;

	pfd.fd = privsep_fd(run->ps);
	last_flush_ms = now_ms();
	for (;;) {
		if (stop_requested) {
			stop_requested = 0;
			(void)privsep_control(run->ps, PRIVSEP_CTL_STOP);
		}
		if (reload_requested) {
			reload_requested = 0;
			store_reload(run);
		}
		if (stats_requested) {
			stats_requested = 0;
			(void)privsep_control(run->ps, PRIVSEP_CTL_STATS);
		}
		pfd.events = POLLIN;
		if (privsep_out_pending(run->ps))
			pfd.events |= POLLOUT;
		rc = poll(&pfd, 1, 500);
		if (rc > 0 && (pfd.revents & POLLOUT) &&
		    privsep_out_flush(run->ps) == -1)
			log_warn("reload: sending the rules to the sniffer");
		if (rc > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			rc = privsep_recv(run->ps, on_message, run);
			if (rc == 0)
				break;
			if (rc == -1) {
				privsep_kill(run->ps);
				fatalx("sniffer: %s", privsep_errmsg(run->ps));
			}
		} else if (rc == -1 && errno != EINTR) {
			log_warn("poll");
			break;
		}
		t = now_ms();
		if (t - last_flush_ms >= DEF_FLUSH_EVERY_S * 1000) {
			flush_findings(run);
			last_flush_ms = t;
		}
	}
	flush_findings(run);
	if (privsep_wait(run->ps, &status) == 0 && WIFEXITED(status))
		exitcode = WEXITSTATUS(status);
	else
		exitcode = EXIT_RUNTIME;
	if (WIFEXITED(status) && WEXITSTATUS(status) == SANDBOX_SECCOMP_EXIT)
		log_warnx("the sniffer made a system call its sandbox "
		    "forbids");
	memset(&rst, 0, sizeof(rst));
	if (run->have_rstats) {
		rst.packets = run->rstats.packets;
		rst.bytes = run->rstats.bytes;
		rst.flows = run->rstats.flows;
		rst.kernel_drops = run->rstats.kernel_drops;
		rst.decode_errors = run->rstats.decode_errors;
		rst.first_us = run->rstats.first_us;
		rst.last_us = run->rstats.last_us;
	}
	rst.rows_dropped = aggregate_stats(run->agg)->dropped +
	    relagg_stats(run->rel)->dropped;
	rst.rows_unwritten = aggregate_rows(run->agg) + relagg_rows(run->rel);
	if (store_begin(run->store) == -1 ||
	    store_run_end(run->store, run->run_id, &rst) == -1 ||
	    store_commit(run->store) == -1) {
		log_warnx("%s: cannot record the run: %s", db,
		    store_errmsg(run->store));
		exitcode = EXIT_RUNTIME;
	}
	if (run->store_failed > 0 && exitcode == EXIT_OK)
		exitcode = EXIT_RUNTIME;
	/* Automatic retention: hourly detail older than that becomes daily. */
	if (run->keep_days > 0) {
		struct store_prune_stats ps;

		if (store_prune(run->store, (int)run->keep_days, &ps) == -1) {
			log_warnx("%s: prune: %s", db,
			    store_errmsg(run->store));
			exitcode = EXIT_RUNTIME;
		} else if (ps.rolled > 0) {
			log_info("rolled %" PRIu64 " hourly rows older than "
			    "%ld days into %" PRIu64 " daily rows", ps.rolled,
			    run->keep_days, ps.daily);
		}
	}
	if (exitcode == EXIT_OK)
		log_info("findings in %s", db);
	store_close(run->store);
	run->store = NULL;
	return exitcode;

store_fail:
	log_warnx("%s: %s", db, store_errmsg(run->store));
	privsep_kill(run->ps);
	store_close(run->store);
	run->store = NULL;
	return EXIT_RUNTIME;
}

int
cmd_capture(int argc, char **argv)
{
	enum { OPT_EVENTS = 256, OPT_STATS, OPT_DET, OPT_NODB, OPT_IGNVLAN,
	    OPT_LOCALNET, OPT_NODEDUP, OPT_IMMEDIATE, OPT_GEOCC, OPT_GEOASN,
	    OPT_MAXFLOWS, OPT_SYSLOG, OPT_NOSANDBOX, OPT_SENSOR, OPT_KEEP,
	    OPT_LOG };
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "deterministic", no_argument, NULL, OPT_DET },
		{ "no-db", no_argument, NULL, OPT_NODB },
		{ "ignore-vlan", no_argument, NULL, OPT_IGNVLAN },
		{ "local-net", required_argument, NULL, OPT_LOCALNET },
		{ "no-dedup", no_argument, NULL, OPT_NODEDUP },
		{ "immediate", no_argument, NULL, OPT_IMMEDIATE },
		{ "geoip-country", required_argument, NULL, OPT_GEOCC },
		{ "geoip-asn", required_argument, NULL, OPT_GEOASN },
		{ "max-flows", required_argument, NULL, OPT_MAXFLOWS },
		{ "syslog", required_argument, NULL, OPT_SYSLOG },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "no-sandbox", no_argument, NULL, OPT_NOSANDBOX },
		{ "sensor", required_argument, NULL, OPT_SENSOR },
		{ "keep-detail", required_argument, NULL, OPT_KEEP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct capture_opts co = { .snaplen = DEF_SNAPLEN, .promisc = 1,
	    .buffer_mb = DEF_PCAP_BUFFER_MB, .immediate = 0 };
	const char *db = NULL, *rules_dir = NULL, *policy = NULL;
	const char *events_path = NULL, *stats_path = NULL;
	const char *geo_country = NULL, *geo_asn = NULL, *syslog_dest = NULL;
	const char *user = NULL;
	struct sandbox_opts so;
	FILE *stats_fp = NULL;
	int nosandbox = 0;
	char filter[FILTER_MAX] = "", err[512];
	struct capture_run run;
	struct cidr_list local;
	struct cidr cidr;
	struct flow_opts fo;
	struct ruleset *rs;
	struct capture *cap;
	struct run_info ri;
	struct stat st;
	uint64_t limit = 0;
	int ch, quiet = 0, nodb = 0, link, exitcode = EXIT_OK;
	int nodedup = 0;
	size_t i;
	char *end;

	memset(&run, 0, sizeof(run));
	memset(&ri, 0, sizeof(ri));
	memset(&so, 0, sizeof(so));
	run.syslog_fd = -1;
	flow_opts_default(&fo);
	local.n = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+r:i:d:R:P:c:s:B:u:pqh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			co.file = optarg;
			break;
		case 'i':
			co.iface = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'R':
			rules_dir = optarg;
			break;
		case 'P':
			policy = optarg;
			break;
		case 'c':
			errno = 0;
			limit = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || limit == 0) {
				log_warnx("-c: not a positive count: %s",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			co.snaplen = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || co.snaplen < 64 ||
			    co.snaplen > 262144) {
				log_warnx("-s: snaplen must be 64..262144");
				return EXIT_USAGE;
			}
			break;
		case 'B':
			co.buffer_mb = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || co.buffer_mb < 1 ||
			    co.buffer_mb > 4096) {
				log_warnx("-B: buffer must be 1..4096 MiB");
				return EXIT_USAGE;
			}
			break;
		case 'p':
			co.promisc = 0;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_EVENTS:
			events_path = optarg;
			break;
		case OPT_STATS:
			stats_path = optarg;
			break;
		case OPT_DET:
			fo.deterministic = 1;
			break;
		case OPT_NODB:
			nodb = 1;
			break;
		case OPT_IGNVLAN:
			fo.ignore_vlan = 1;
			break;
		case OPT_LOCALNET:
			if (cidr_parse(optarg, &cidr, err, sizeof(err)) == -1) {
				log_warnx("--local-net: %s", err);
				return EXIT_USAGE;
			}
			if (cidr_list_add(&local, &cidr) == -1) {
				log_warnx("--local-net: at most %d networks",
				    CIDR_LIST_MAX);
				return EXIT_USAGE;
			}
			break;
		case OPT_NODEDUP:
			nodedup = 1;
			break;
		case OPT_IMMEDIATE:
			co.immediate = 1;
			break;
		case OPT_GEOCC:
			geo_country = optarg;
			break;
		case OPT_GEOASN:
			geo_asn = optarg;
			break;
		case OPT_SYSLOG:
			syslog_dest = optarg;
			break;
		case OPT_LOG:
			if (strcmp(optarg, "stderr") == 0)
				break;
			if (strcmp(optarg, "syslog") != 0) {
				log_warnx("--log: \"%s\" is neither syslog nor "
				    "stderr", optarg);
				return EXIT_USAGE;
			}
			if (stat(SYSLOG_SOCKET, &st) == -1)
				log_warnx("--log syslog: %s: %s; messages may be "
				    "lost", SYSLOG_SOCKET, strerror(errno));
			/* Connected now: the sandboxes cannot open it later. */
			log_init("shadowtap", 1, 0);
			break;
		case OPT_NOSANDBOX:
			nosandbox = 1;
			break;
		case OPT_SENSOR:
			run.sensor = optarg;
			break;
		case OPT_KEEP:
			errno = 0;
			run.keep_days = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || run.keep_days < 1 ||
			    run.keep_days > 36500) {
				log_warnx("--keep-detail: days must be "
				    "1..36500");
				return EXIT_USAGE;
			}
			break;
		case 'u':
			user = optarg;
			break;
		case OPT_MAXFLOWS:
			errno = 0;
			fo.capacity = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || fo.capacity < 16 ||
			    fo.capacity > (1u << 26)) {
				log_warnx("--max-flows: 16..67108864 flows");
				return EXIT_USAGE;
			}
			if (fo.stream_slots > fo.capacity)
				fo.stream_slots = fo.capacity;
			if (fo.detail_slots > fo.capacity)
				fo.detail_slots = fo.capacity;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if ((co.file == NULL) == (co.iface == NULL)) {
		log_warnx("capture: give exactly one of -r FILE or -i IFACE "
		    "(see shadowtap capture --help)");
		return EXIT_USAGE;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (filter[0] != '\0')
			strlcat(filter, " ", sizeof(filter));
		if (strlcat(filter, argv[i], sizeof(filter)) >= sizeof(filter)) {
			log_warnx("filter expression too long");
			return EXIT_USAGE;
		}
	}
	co.filter = filter[0] != '\0' ? filter : NULL;
	log_setquiet(quiet);

	/* 1. Rules first: a broken rule file stops us before anything opens. */
	run.rules_path = rules_dir != NULL ? rules_dir : paths_rules_dir();
	run.policy_path = policy != NULL ? policy : paths_policy_file();
	run.policy_given = policy != NULL;
	rs = load_rules(&run);
	if (rs == NULL) {
		log_warnx("rules have errors; nothing captured");
		return EXIT_USAGE;
	}
	run.rs = rs;
	if (syslog_dest != NULL && (run.syslog_fd = open_syslog(syslog_dest,
	    err, sizeof(err))) == -1) {
		log_warnx("--syslog: %s", err);
		rules_free(rs);
		return EXIT_RUNTIME;
	}
	if (gethostname(run.hostname, sizeof(run.hostname)) == -1)
		strlcpy(run.hostname, "-", sizeof(run.hostname));
	if (geo_country != NULL || geo_asn != NULL) {
		run.geo = geo_open(geo_country, geo_asn, err, sizeof(err));
		if (run.geo == NULL) {
			log_warnx("%s", err);
			rules_free(rs);
			return EXIT_RUNTIME;
		}
	}

	/* 2. The capture source, then the store and the events file. */
	cap = capture_open(&co, err, sizeof(err));
	if (cap == NULL) {
		log_warnx("%s", err);
		rules_free(rs);
		return EXIT_RUNTIME;
	}
	link = capture_datalink(cap);
	if (!decode_link_supported(link)) {
		log_warnx("%s: unsupported link type %s (%d)",
		    co.file != NULL ? co.file : co.iface,
		    capture_datalink_name(link), link);
		capture_close(cap);
		rules_free(rs);
		return EXIT_RUNTIME;
	}
	if (!nodb && db == NULL) {
		db = paths_db();
		ensure_parent_dir(db);
	}
	if (events_path != NULL) {
		run.events = events_open(events_path, err, sizeof(err));
		if (run.events == NULL) {
			log_warnx("%s", err);
			exitcode = EXIT_RUNTIME;
			goto out;
		}
	}
	if (stats_path != NULL) {
		stats_fp = strcmp(stats_path, "-") == 0 ? stdout :
		    fopen(stats_path, "w");
		if (stats_fp == NULL) {
			log_warn("--stats: %s", stats_path);
			exitcode = EXIT_RUNTIME;
			goto out;
		}
	}
	so.user = user;
	so.allow_unsandboxed = nosandbox;

	/*
	 * 3. Privilege separation: with a database, the packet parser runs in
	 * a child that drops to the service user, chroots and loads a seccomp
	 * allow-list; the parent becomes the store, which only ever sees
	 * validated fixed-size messages. Without one, this process is the
	 * parser and sandboxes itself.
	 */
	fflush(NULL);
	if (!nodb) {
		int role = privsep_start(&run.ps, err, sizeof(err));

		if (role == -1) {
			log_warnx("privsep: %s", err);
			exitcode = EXIT_RUNTIME;
			goto out;
		}
		if (role == PRIVSEP_ROLE_STORE) {
			ri.source = co.file != NULL ? co.file : co.iface;
			ri.filter = co.filter;
			ri.rules = run.rules_path;
			exitcode = store_main(&run, cap, db, &ri, &so);
			goto out;
		}
		log_setrole("shadowtap[sniffer]");
	}
	exitcode = sniff(&run, cap, &co, &fo, &local, nodedup, limit, quiet,
	    &so, stats_fp);
	/*
	 * The sandboxed parser ends here, without the exit handlers: they
	 * (and LeakSanitizer's) would make calls its seccomp filter forbids.
	 */
	fflush(NULL);
	_exit(exitcode);
out:
	if (stats_fp != NULL && stats_fp != stdout)
		fclose(stats_fp);
	(void)events_close(run.events);
	aggregate_free(run.agg);
	relagg_free(run.rel);
	dnslog_free(run.dns);
	names_free(run.dis.names);
	geo_free(run.geo);
	if (run.syslog_fd != -1)
		close(run.syslog_fd);
	frag_free(run.frags);
	dedup_free(run.dedup);
	flow_table_free(run.flows);
	privsep_free(run.ps);
	capture_close(cap);
	rules_free(run.rs);
	return exitcode;
}
