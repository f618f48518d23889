/* SPDX-License-Identifier: ISC */
/*
 * dissect.c: the dispatch from a flow's packets to the dissectors. Ports
 * only pick which parser to try first for UDP; TCP streams are recognised
 * by their content (a ClientHello on port 80 is still TLS). Nothing here
 * allocates; stream bytes live in the flow table's slots and what is
 * learnt in its detail slots.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <assert.h>
#include <string.h>
#include <strings.h>

#include "base/app.h"
#include "packet/decode.h"
#include "dissect/dissect.h"
#include "dissect/creds.h"
#include "dissect/dhcp.h"
#include "dissect/dns.h"
#include "dissect/hrr.h"
#include "dissect/http.h"
#include "dissect/ja3.h"
#include "dissect/ovpn.h"
#include "dissect/ja4.h"
#include "dissect/sig.h"
#include "dissect/sip.h"
#include "dissect/socks.h"
#include "dissect/stun.h"
#include "dissect/devname.h"
#include "flow/peers.h"
#include "dissect/tls.h"
#include "dissect/tlssrv.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "flow/names.h"
#include "base/record.h"
#include "base/util.h"

#define PORT_DNS	53	/* RFC 1035 */
#define PORT_MDNS	5353	/* RFC 6762 */
#define PORT_LLMNR	5355	/* RFC 4795 */
#define PORT_NBNS	137	/* RFC 1002 4.2 */
#define DNS_TCP_LEN	2	/* RFC 1035 4.2.2 length prefix */
#define PORT_DHCP_SERVER 67	/* RFC 2131 4.1 */
#define PORT_DHCP_CLIENT 68
#define PORT_DHCP6_CLIENT 546	/* RFC 8415 7.2 */
#define PORT_DHCP6_SERVER 547

/* How sure each kind of evidence makes us (0..100), for events. */
#define QUIC_LONG_HEADER 0x80	/* RFC 9000 17.2: header form bit */
#define GQUIC_VERSION_FLAG 0x01	/* gQUIC <= Q043 public flags: version */
#define QUIC_MAX_TRIES	4	/* client datagrams tried before giving up */
#define QUIC_HRR_PKTS	12	/* packets a named QUIC flow is watched for
				   a second ClientHello */
#define TLS_VERSION_13	0x0304	/* RFC 8446 4.2.1 */
#define HRR_WAIT_PKTS	6	/* client packets a named TLS 1.3 flow
				   waits for the server's first record */

#define CONF_SNI	95
#define CONF_QUIC_SNI	95
#define CONF_HTTP_HOST	90
#define CONF_DNS_QUERY	90
#define CONF_DNS_CACHE	70
#define CONF_CERT	80
#define CONF_STUN_REALM	75
#define CONF_STUN_PEER	60
#define CONF_SOCKS	85
#define CONF_SIP	85

/* Looking for TLS inside another protocol's stream (find_embedded). */
#define EMBED_SCAN_MAX	4096	/* client bytes searched */
#define TLS_PROBE_LEN	6	/* record header and handshake type */
#define OVPN_TLS_MAX	4096	/* hello bytes joined from OpenVPN */
#define TLS_MAJOR	0x03
#define TLS_MINOR_MAX	0x04
#define TLS_HS_CLIENT_HELLO 0x01
#define UDP_OTHER_PKTS	8	/* UDP datagrams looked at for signatures */

static void
done(struct dissect *d, struct flow *f)
{
	f->inspecting = 0;
	flow_stream_release(d->flows, f);
}

/* Sets the flow's name; returns 1 when it is new. */
static int
name_flow(struct dissect *d, struct flow *f, const char *name,
    enum name_src src, enum flow_evidence ev, int conf)
{
	struct flow_detail *fd;

	if (name[0] == '\0')
		return 0;
	if ((fd = flow_detail_get(d->flows, f)) == NULL)
		return 0;
	if (strcmp(fd->name, name) == 0 && f->evidence == ev)
		return 0;
	strlcpy(fd->name, name, sizeof(fd->name));
	f->name_src = (uint8_t)src;
	f->evidence = (uint8_t)ev;
	f->confidence = (uint8_t)conf;
	return 1;
}

static int
is_dns_port(uint16_t port)
{
	return port == PORT_DNS || port == PORT_MDNS || port == PORT_LLMNR;
}

static int
is_dhcp_port(uint16_t a, uint16_t b)
{
	return (a == PORT_DHCP_SERVER || a == PORT_DHCP_CLIENT) &&
	    (b == PORT_DHCP_SERVER || b == PORT_DHCP_CLIENT);
}

static int
is_dhcp6_port(uint16_t a, uint16_t b)
{
	return (a == PORT_DHCP6_SERVER || a == PORT_DHCP6_CLIENT) &&
	    (b == PORT_DHCP6_SERVER || b == PORT_DHCP6_CLIENT);
}

/*
 * The hook's view of a parsed message, in the terms of flow/dnslog.h (the
 * pending-query log sits below this stage and cannot read struct dns_msg).
 * The strings and addresses stay in m.
 */
static_assert(DNSLOG_MAX_ANSWERS >= DNS_MAX_ANSWERS,
    "every answer a DNS message keeps must reach the DNS log");

static void
dns_to_dnslog(const struct dns_msg *m, struct dnslog_msg *o)
{
	size_t i;

	o->id = m->id;
	o->qr = m->qr;
	o->rcode = m->rcode;
	o->qtype = m->qtype;
	o->qname = m->qname;
	o->nanswers = 0;
	for (i = 0; i < m->nanswers && i < DNSLOG_MAX_ANSWERS; i++) {
		o->answers[i].type = m->answers[i].type;
		o->answers[i].ttl = m->answers[i].ttl;
		o->answers[i].addr = m->answers[i].addr;
		o->answers[i].cname = m->answers[i].cname;
		o->nanswers++;
	}
}

/*
 * DNS flows are parsed message by message for as long as they live: one
 * flow (a client port reused) can carry many questions, and each one goes
 * to the hook. The first question names the flow. Returns 1 when it named
 * the flow, 0 when not, -1 when the bytes are not a DNS message.
 */
static int
on_dns(struct dissect *d, struct flow *f, int dir, const struct pkt *pk,
    const uint8_t *p, size_t len)
{
	struct dns_msg m;
	struct dnslog_msg dm;
	size_t i;

	if (dns_parse(p, len, &m) != DIS_OK) {
		d->st.dns_bad++;
		return -1;
	}
	d->st.dns_messages++;
	f->app = APP_DNS;
	if (d->hooks.dns != NULL) {
		dns_to_dnslog(&m, &dm);
		d->hooks.dns(d->hooks.arg, f, dir, pk, &dm);
	}
	if (d->hooks.devname != NULL && m.qr && (pk->sport == PORT_MDNS ||
	    pk->sport == PORT_LLMNR)) {
		struct devname dn;

		if (pk->sport == PORT_MDNS ? devname_from_mdns(p, len, &m,
		    &dn) : devname_from_dns(&m, DEVNAME_LLMNR, &dn)) {
			d->st.device_names++;
			d->hooks.devname(d->hooks.arg, f, pk, &dn);
		}
	}
	if (d->names != NULL && m.qr) {
		for (i = 0; i < m.nanswers; i++) {
			const struct dns_answer *a = &m.answers[i];

			if (a->type == DNS_TYPE_A)
				names_learn(d->names, 4, a->addr, m.qname,
				    a->ttl, pk->ts_us);
			else if (a->type == DNS_TYPE_AAAA)
				names_learn(d->names, 6, a->addr, m.qname,
				    a->ttl, pk->ts_us);
		}
	}
	if (m.qname[0] == '\0' || flow_name(d->flows, f)[0] != '\0')
		return 0;
	return name_flow(d, f, m.qname, NAME_DNS_QUERY, EVIDENCE_DNS_QUERY,
	    CONF_DNS_QUERY);
}

static void
keep_hello(struct dissect *d, struct flow *f, const struct tls_hello *h,
    int quic)
{
	struct flow_detail *fd = flow_detail_get(d->flows, f);
	char ja3str[JA3_STR_MAX];
	enum sig_proto sp;

	if (fd == NULL)
		return;
	if (h->nalpn > 0)
		strlcpy(fd->alpn, h->alpn[0], sizeof(fd->alpn));
	if (fd->signature[0] == '\0' && h->nalpn > 0 &&
	    (sp = sig_from_alpn(h->alpn[0])) != SIG_NONE)
		strlcpy(fd->signature, sig_name(sp), sizeof(fd->signature));
	fd->ech = h->ech != 0;
	if (ja3_compute(h, ja3str, sizeof(ja3str), fd->ja3) != 0)
		fd->ja3[0] = '\0';
	if (ja4_compute(h, quic, fd->ja4) != 0)
		fd->ja4[0] = '\0';
}

/* Phases of a TCP flow's inspection (struct flow.phase). */
enum {
	PHASE_START = 0,	/* what the client says first decides */
	PHASE_CERT,		/* TLS without SNI: wait for the certificate */
	PHASE_OTHER,		/* neither TLS nor HTTP: credentials, signatures */
	PHASE_GQUIC_MEDIA,	/* UDP: gQUIC without SNI, RTP may follow */
	PHASE_QUIC_VN,		/* UDP: QUIC after Version Negotiation */
	PHASE_HRR,		/* TLS 1.3 named: a HelloRetryRequest? */
	PHASE_QUIC_HRR,		/* QUIC named: a second ClientHello? */
	PHASE_CONNECT,		/* HTTP CONNECT: the TLS inside the tunnel */
};

static int	signature(struct dissect *, struct flow *, const uint8_t *,
		    size_t, const uint8_t *, size_t);
static int	on_stun_tcp(struct dissect *, struct flow *, const uint8_t *,
		    size_t);

/* Whether a ClientHello offers TLS 1.3 (supported_versions). */
static int
offers_tls13(const struct tls_hello *h)
{
	size_t i;

	for (i = 0; i < h->nversions && i < TLS_MAX_LIST; i++)
		if (h->versions[i] == TLS_VERSION_13)
			return 1;
	return 0;
}

/*
 * A ClientHello: its name, fingerprints, and the signatures that are
 * TLS-shaped (Tor's random names, DoT, AnyDesk, Syncthing) over up.
 */
static int
on_hello(struct dissect *d, struct flow *f, const struct tls_hello *hello,
    const uint8_t *up, size_t ulen, int watch)
{
	int named;

	d->st.tls_hellos++;
	f->app = APP_TLS;
	if (!hello->has_sni || hello->sni[0] == '\0')
		d->st.tls_no_sni++;
	if (hello->ech)
		d->st.tls_ech++;
	named = name_flow(d, f, hello->sni, NAME_SNI, EVIDENCE_SNI, CONF_SNI);
	keep_hello(d, f, hello, 0);
	(void)signature(d, f, up, ulen, NULL, 0);
	/*
	 * Without a server name, the server's certificate may name it.
	 * With one, a TLS 1.3 server may still answer HelloRetryRequest,
	 * and the client's second ClientHello gets a JA4 of its own (watch:
	 * a TCP stream that starts with the hello and has its slot).
	 */
	if (hello->sni[0] == '\0')
		f->phase = PHASE_CERT;
	else if (watch && offers_tls13(hello) &&
	    flow_stream_aux(d->flows, f) != NULL)
		f->phase = PHASE_HRR;
	else
		done(d, f);
	return named;
}

/*
 * The second ClientHello of a flow (after a HelloRetryRequest): its JA4
 * goes to ja4_retry; the first one's stays in ja4, the record's
 * fingerprint. No other field changes: a client must repeat its server
 * name (RFC 8446 4.1.2), and the flow is named already.
 */
static void
keep_retry(struct dissect *d, struct flow *f, const struct tls_hello *h,
    int quic)
{
	struct flow_detail *fd = flow_detail_get(d->flows, f);

	if (fd != NULL && ja4_compute(h, quic, fd->ja4_retry) != 0)
		fd->ja4_retry[0] = '\0';
}

/*
 * PHASE_HRR: the server's first handshake record decides. Anything but
 * a HelloRetryRequest ends inspection; after one, the client's stream
 * past its first ClientHello (and a ChangeCipherSpec) holds the second.
 */
static void
on_retry(struct dissect *d, struct flow *f, const uint8_t *up, size_t ulen,
    const uint8_t *down, size_t dlen, int full)
{
	struct tls_hello hello;
	size_t end;

	switch (hrr_is_retry(down, dlen)) {
	case 0:
		done(d, f);
		return;
	case -1:
		if (full)
			done(d, f);
		return;
	}
	end = hrr_hello_end(up, ulen);
	if (end == 0 || end >= ulen) {
		if (full)
			done(d, f);
		return;
	}
	switch (tls_parse_client_hello(up + end, ulen - end, &hello)) {
	case DIS_MORE:
		if (full)
			done(d, f);
		return;
	case DIS_OK:
		keep_retry(d, f, &hello, 0);
		break;
	default:
		break;
	}
	done(d, f);
}

/*
 * Where the server's TLS starts in its stream: at 0, or after the text
 * lines of a STARTTLS reply (SMTP "220 Ready to start TLS", IMAP "a1 OK
 * Begin TLS", POP3 "+OK"), at the start of a line within EMBED_SCAN_MAX
 * bytes; SIZE_MAX while only text has come.
 */
static size_t
tls_after_text(const uint8_t *down, size_t dlen)
{
	size_t i, scan = dlen < EMBED_SCAN_MAX ? dlen : EMBED_SCAN_MAX;

	if (down[0] < 0x20 || down[0] > 0x7e)
		return 0;
	for (i = 1; i + 3 <= scan; i++) {
		if (down[i - 1] != '\n')
			continue;
		if (down[i] == TLS_CT_HANDSHAKE && down[i + 1] == TLS_MAJOR &&
		    down[i + 2] <= TLS_MINOR_MAX)
			return i;
	}
	return dlen < EMBED_SCAN_MAX ? SIZE_MAX : 0;
}

/*
 * The server's certificate (TLS 1.2 and earlier send it in clear): its
 * names go to the event, and the first one names a flow that has none
 * better (no SNI; a DNS-cache name is replaced).
 */
static int
on_cert(struct dissect *d, struct flow *f, const uint8_t *down, size_t dlen,
    int full)
{
	struct tls_server srv;
	struct flow_detail *fd;
	size_t i;
	int named = 0;

	switch (tlssrv_parse(down, dlen, &srv)) {
	case DIS_MORE:
		if (full)
			done(d, f);
		return 0;
	case DIS_OK:
		break;
	default:
		done(d, f);
		return 0;
	}
	if (srv.has_cert && (fd = flow_detail_get(d->flows, f)) != NULL) {
		d->st.certs++;
		for (i = 0; i < srv.nnames && i < FLOW_DETAIL_CERT_NAMES; i++)
			strlcpy(fd->cert_names[i], srv.names[i],
			    sizeof(fd->cert_names[i]));
		fd->ncert_names = (uint8_t)i;
		strlcpy(fd->cert_org, srv.subject_o, sizeof(fd->cert_org));
		if (srv.nnames > 0 && (f->evidence == EVIDENCE_NONE ||
		    f->evidence == EVIDENCE_DNS_CACHE))
			named = name_flow(d, f, srv.names[0], NAME_NONE,
			    EVIDENCE_CERT, CONF_CERT);
	}
	done(d, f);
	return named;
}

/*
 * Signatures of call relays whose client endpoint is a call's (peers.h):
 * the peer-to-peer leg of the same call leaves from it.
 */
static int
call_signature(enum sig_proto p)
{
	return p == SIG_WHATSAPP_CALL || p == SIG_MS_STUN;
}

static int
signature(struct dissect *d, struct flow *f, const uint8_t *up, size_t ulen,
    const uint8_t *down, size_t dlen)
{
	struct flow_detail *fd;
	struct sig_input in;
	struct sig_result sr;
	enum dis_result r;

	memset(&in, 0, sizeof(in));
	in.proto = f->key.proto;
	in.client_port = flow_client_port(f);
	in.server_port = flow_server_port(f);
	in.up = up;
	in.up_len = ulen;
	in.down = down;
	in.down_len = dlen;
	r = sig_classify(&in, &sr);
	/* Plain STUN says less than the call relay's signature a peer gave. */
	if (r == DIS_OK && sr.proto == SIG_STUN &&
	    f->evidence == EVIDENCE_STUN_PEER)
		return r;
	/* A signature of the flow's own outranks the one a peer gave. */
	if (r == DIS_OK && f->evidence == EVIDENCE_STUN_PEER &&
	    flow_name(d->flows, f)[0] == '\0') {
		f->evidence = EVIDENCE_NONE;
		f->confidence = 0;
	}
	if (r == DIS_OK && call_signature(sr.proto) && d->peers != NULL &&
	    f->key.proto == IPPROTO_UDP)
		peers_learn(d->peers, f->key.family, flow_client_ip(f),
		    flow_client_port(f), "", sr.proto, f->last_us);
	if (r == DIS_OK && (fd = flow_detail_get(d->flows, f)) != NULL) {
		d->st.signatures++;
		strlcpy(fd->signature, sig_name(sr.proto),
		    sizeof(fd->signature));
		fd->signature_conf = (uint8_t)sr.confidence;
	}
	return r;
}

/*
 * Neither TLS nor HTTP: a login in clear on a mail, file-transfer or
 * terminal port, else a protocol signature over both directions' first
 * bytes (remote access, VPNs, P2P...).
 */
/*
 * TLS after a clear-text preamble (STARTTLS, RDP's X.224 exchange, an
 * OpenVPN or SOCKS header) or HTTP after a SOCKS handshake: look for the
 * start of a ClientHello record or a request line further into the
 * client's stream. Returns 1 and names the flow when one parses.
 */
static int
find_embedded(struct dissect *d, struct flow *f, const uint8_t *up,
    size_t ulen, int *named)
{
	static const char *const methods[] = { "GET ", "POST ", "HEAD ",
	    "PUT ", "OPTIONS ", "CONNECT " };
	struct tls_hello hello;
	struct http_req req;
	const uint8_t *p;
	size_t off, i, scan = ulen < EMBED_SCAN_MAX ? ulen : EMBED_SCAN_MAX;
	struct flow_detail *fd;

	for (off = 1; off + TLS_PROBE_LEN <= scan; off++) {
		p = memchr(up + off, TLS_CT_HANDSHAKE, scan - off);
		if (p == NULL)
			break;
		off = (size_t)(p - up);
		if (off + TLS_PROBE_LEN > ulen)
			break;
		if (p[1] == TLS_MAJOR && p[2] <= TLS_MINOR_MAX &&
		    p[5] == TLS_HS_CLIENT_HELLO &&
		    tls_parse_client_hello(p, ulen - off, &hello) == DIS_OK) {
			*named = on_hello(d, f, &hello, p, ulen - off, 0);
			return 1;
		}
	}
	for (off = 1; off < scan; off++) {
		if (up[off] < 'A' || up[off] > 'Z')
			continue;
		for (i = 0; i < nitems(methods); i++) {
			size_t ml = strlen(methods[i]);

			if (ulen - off < ml || memcmp(up + off, methods[i], ml))
				continue;
			if (http_parse_request(up + off, ulen - off, 1,
			    &req) != DIS_OK)
				continue;
			d->st.http_requests++;
			*named = name_flow(d, f, req.host, NAME_HTTP_HOST,
			    EVIDENCE_HTTP_HOST, CONF_HTTP_HOST);
			if ((fd = flow_detail_get(d->flows, f)) != NULL)
				strlcpy(fd->user_agent, req.user_agent,
				    sizeof(fd->user_agent));
			return 1;
		}
	}
	return 0;
}

/*
 * A ClientHello split over an OpenVPN-over-TCP control channel's messages
 * (dissect/ovpn.h): joined, then parsed like any other.
 */
/* Has the signature called the flow OpenVPN? */
static int
is_openvpn(const struct dissect *d, const struct flow *f)
{
	const struct flow_detail *fd = flow_detail(d->flows, f);

	return fd != NULL && strcmp(fd->signature, "openvpn") == 0;
}

static int
find_ovpn_tcp(struct dissect *d, struct flow *f, const uint8_t *up,
    size_t ulen, int *named)
{
	uint8_t tls[OVPN_TLS_MAX];
	struct tls_hello hello;
	size_t n;

	if (f->key.proto != IPPROTO_TCP || !is_openvpn(d, f))
		return 0;
	if ((n = ovpn_tcp_tls(up, ulen, tls, sizeof(tls))) == 0 ||
	    tls_parse_client_hello(tls, n, &hello) != DIS_OK)
		return 0;
	*named = on_hello(d, f, &hello, tls, n, 0);
	return 1;
}

/*
 * The same over UDP, where each datagram comes alone: once the signature
 * has called the flow OpenVPN, the TLS bytes of the client's control
 * messages are appended to its stream buffer after the first datagram
 * (which the signatures keep looking at) and parsed from there. The
 * control channel's state lives in the stream slot's scratch. Returns 1
 * when the datagram was taken (then *named says whether a hello named
 * the flow), 0 when it is none of this.
 */
struct ovpn_udp {
	uint32_t	magic;
	uint32_t	off;		/* where the TLS bytes start */
	uint32_t	got;
	struct ovpn_ctl	ctl;
};
#define OVPN_UDP_MAGIC	0x4f56504e	/* "OVPN" */
static_assert(sizeof(struct ovpn_udp) <= FLOW_STREAM_AUX_LEN,
    "the OpenVPN state must fit in a stream slot's scratch");

static int
find_ovpn_udp(struct dissect *d, struct flow *f, const struct pkt *p,
    int *named)
{
	struct ovpn_udp *ou = flow_stream_aux(d->flows, f);
	struct tls_hello hello;
	const uint8_t *tls, *buf;
	size_t n, len;

	if (ou == NULL || !is_openvpn(d, f))
		return 0;
	if (ou->magic != OVPN_UDP_MAGIC) {
		flow_stream_prefix(d->flows, f, FLOW_UP, &buf, &len);
		ou->magic = OVPN_UDP_MAGIC;
		ou->off = (uint32_t)len;
		ou->got = 0;
		ovpn_ctl_init(&ou->ctl);
	}
	if (!ovpn_ctl_next(&ou->ctl, p->payload, p->payload_len, &tls, &n))
		return 0;
	if (flow_stream_put(d->flows, f, FLOW_UP, (uint64_t)ou->off + ou->got,
	    tls, n, &buf, &len) == -1 || len <= ou->off)
		return 0;
	ou->got = (uint32_t)(len - ou->off);
	switch (tls_parse_client_hello(buf + ou->off, len - ou->off, &hello)) {
	case DIS_OK:
		*named = on_hello(d, f, &hello, buf + ou->off, len - ou->off,
		    0);
		done(d, f);
		return 1;
	case DIS_MORE:
		if (!flow_stream_full(d->flows, f, FLOW_UP))
			return 1;
		/* FALLTHROUGH */
	default:
		done(d, f);
		return 1;
	}
}

/*
 * A SOCKS request's target (dissect/socks.h), once the signature called
 * the flow SOCKS: a domain names the flow (evidence "socks"), so that the
 * destination is classified like an SNI would be; an RFC 1929 log-in is
 * only counted. Returns 1 when the flow got a new name.
 */
static int
socks_target(struct dissect *d, struct flow *f, const uint8_t *up,
    size_t ulen)
{
	struct flow_detail *fd;
	struct socks_req sr;

	if ((fd = flow_detail_get(d->flows, f)) == NULL ||
	    strcmp(fd->signature, "socks") != 0 || f->evidence == EVIDENCE_SOCKS)
		return 0;
	if (socks_parse(up, ulen, &sr) != DIS_OK)
		return 0;
	if (sr.login)
		d->st.cleartext_logins++;
	if (!sr.is_domain || (flow_name(d->flows, f)[0] != '\0' &&
	    f->evidence != EVIDENCE_DNS_CACHE))
		return 0;
	d->st.socks_targets++;
	return name_flow(d, f, sr.host, NAME_SOCKS, EVIDENCE_SOCKS,
	    CONF_SOCKS);
}

static int
on_other(struct dissect *d, struct flow *f, const uint8_t *up, size_t ulen,
    const uint8_t *down, size_t dlen, int full)
{
	enum creds_proto cp = creds_proto_for_port(flow_server_port(f));
	struct flow_detail *fd;
	struct creds cr;
	enum dis_result r;
	int named = 0;

	if (cp != CREDS_NONE) {
		r = creds_parse(cp, up, ulen, down, dlen, &cr);
		if ((r == DIS_OK || r == DIS_MORE) && cr.user[0] != '\0' &&
		    (fd = flow_detail_get(d->flows, f)) != NULL) {
			fd->creds_proto = (uint8_t)cp;
			strlcpy(fd->creds_user, cr.user, sizeof(fd->creds_user));
		}
		if (r == DIS_OK) {
			d->st.cleartext_logins++;
			done(d, f);
			return 0;
		}
		if (r == DIS_MORE && !full)
			return 0;
	}
	r = signature(d, f, up, ulen, down, dlen);
	named = socks_target(d, f, up, ulen);
	if (flow_name(d->flows, f)[0] == '\0' || f->evidence ==
	    EVIDENCE_DNS_CACHE || f->evidence == EVIDENCE_SOCKS) {
		int emb = 0;	/* as before: the caller matches at the end */

		if (find_embedded(d, f, up, ulen, &emb) ||
		    find_ovpn_tcp(d, f, up, ulen, &emb)) {
			d->st.embedded++;
			/*
			 * STARTTLS without a server name: the certificate
			 * comes after the server's text reply (PHASE_CERT).
			 */
			if (f->inspecting && !(f->key.proto == IPPROTO_TCP &&
			    f->phase == PHASE_CERT))
				done(d, f);
			return named;
		}
		/* The hello may still come after the preamble. */
		if (!full && f->inspected_pkts + 1 < DEF_INSPECT_PKTS)
			return named;
	}
	if (r == DIS_MORE && !full)
		return named;
	done(d, f);
	return named;
}

/*
 * A SIP message (dissect/sip.h) on port 5060, a UDP datagram or the start
 * of a TCP stream: the signature says SIP, the User-Agent (else Server)
 * goes where an HTTP user agent would, and a domain names the flow
 * (evidence "sip"): a request's request-URI, else its To; a response's
 * To, else its From. An address names nothing. Returns DIS_NOTME when it
 * is not SIP, else the parse result; *named is 1 for a new name.
 */
static enum dis_result
on_sip(struct dissect *d, struct flow *f, const uint8_t *s, size_t len,
    int last, int *named)
{
	struct sip_msg m;
	struct flow_detail *fd;
	const char *cand[3];
	enum dis_result r;
	size_t i;

	*named = 0;
	if ((r = sip_parse(s, len, last, &m)) != DIS_OK)
		return r;
	d->st.sip_messages++;
	if ((fd = flow_detail_get(d->flows, f)) != NULL) {
		strlcpy(fd->signature, sig_name(SIG_SIP),
		    sizeof(fd->signature));
		fd->signature_conf = SIG_CONF_STRONG;
		if (m.agent[0] != '\0')
			strlcpy(fd->user_agent, m.agent,
			    sizeof(fd->user_agent));
	}
	cand[0] = m.is_request ? m.ruri_host : m.to_host;
	cand[1] = m.is_request ? m.to_host : m.from_host;
	cand[2] = "";
	for (i = 0; i < nitems(cand); i++)
		if (cand[i][0] != '\0' && !hostname_is_ip(cand[i]))
			break;
	if (i < nitems(cand) && cand[i][0] != '\0' &&
	    (flow_name(d->flows, f)[0] == '\0' ||
	    f->evidence == EVIDENCE_DNS_CACHE))
		*named = name_flow(d, f, cand[i], NAME_SIP, EVIDENCE_SIP,
		    CONF_SIP);
	return DIS_OK;
}

/* What the client sent first decides between TLS, HTTP and the rest. */
static int
on_start(struct dissect *d, struct flow *f, const uint8_t *up, size_t ulen,
    int full)
{
	struct tls_hello hello;
	struct http_req req;
	struct flow_detail *fd;
	int named;

	switch (tls_parse_client_hello(up, ulen, &hello)) {
	case DIS_OK:
		return on_hello(d, f, &hello, up, ulen, 1);
	case DIS_MORE:
		f->app = APP_TLS;
		if (full) {
			d->st.tls_bad++;
			done(d, f);
		}
		return 0;
	case DIS_BAD:
		d->st.tls_bad++;
		f->app = APP_TLS;
		f->phase = PHASE_OTHER;
		return 0;
	case DIS_NOTME:
		break;
	}
	switch (http_parse_request(up, ulen, full, &req)) {
	case DIS_OK:
		d->st.http_requests++;
		f->app = APP_HTTP;
		named = name_flow(d, f, req.host, NAME_HTTP_HOST,
		    EVIDENCE_HTTP_HOST, CONF_HTTP_HOST);
		if ((fd = flow_detail_get(d->flows, f)) != NULL) {
			strlcpy(fd->user_agent, req.user_agent,
			    sizeof(fd->user_agent));
			if (req.has_basic_auth && req.auth_user[0] != '\0') {
				fd->creds_proto = CREDS_HTTP_BASIC;
				strlcpy(fd->creds_user, req.auth_user,
				    sizeof(fd->creds_user));
				d->st.cleartext_logins++;
			}
		}
		/*
		 * A CONNECT tunnel: the signature names the proxy use, and
		 * the ClientHello that follows the request in the client's
		 * stream is read as well (PHASE_CONNECT).
		 */
		if (strcmp(req.method, "CONNECT") == 0) {
			if (fd != NULL)
				strlcpy(fd->signature, "http-connect",
				    sizeof(fd->signature));
			f->phase = PHASE_CONNECT;
			return named;
		}
		done(d, f);
		return named;
	case DIS_MORE:
		if (full)
			done(d, f);
		return 0;
	case DIS_BAD:
		d->st.http_bad++;
		f->app = APP_HTTP;
		done(d, f);
		return 0;
	case DIS_NOTME:
		break;
	}
	f->phase = PHASE_OTHER;
	return 0;
}

/* Where the request head at the start of s ends (after its empty line). */
static size_t
head_end(const uint8_t *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '\n')
			continue;
		if (s[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/*
 * The client's stream of an HTTP CONNECT tunnel: after the request head
 * (the proxy's "200" goes the other way), the TLS ClientHello the client
 * sends to the target: its ALPN and fingerprints are kept, and an SNI
 * other than the CONNECT target (a front) names the flow; the same one
 * leaves the name as the CONNECT request gave it (http_host). The
 * "http-connect" signature stays. Anything else inside ends it.
 */
static int
on_connect(struct dissect *d, struct flow *f, const uint8_t *up,
    size_t ulen, int full)
{
	struct tls_hello hello;
	size_t off = head_end(up, ulen);

	if (off == 0 || off == ulen) {
		if (full)
			done(d, f);
		return 0;
	}
	switch (tls_parse_client_hello(up + off, ulen - off, &hello)) {
	case DIS_OK:
		d->st.embedded++;
		if (strcasecmp(hello.sni, flow_name(d->flows, f)) != 0)
			return on_hello(d, f, &hello, up + off, ulen - off, 0);
		d->st.tls_hellos++;
		keep_hello(d, f, &hello, 0);
		done(d, f);
		return 0;
	case DIS_MORE:
		if (full)
			done(d, f);
		return 0;
	default:
		done(d, f);
		return 0;
	}
}

static int
on_tcp(struct dissect *d, struct flow *f, int dir, const struct pkt *p)
{
	const uint8_t *up, *down, *buf;
	size_t ulen, dlen, len, off;
	int named;

	if (flow_stream_add(d->flows, f, dir, p, &buf, &len) == -1) {
		/* No stream slot: judge the client's single segments. */
		if (dir != FLOW_UP || p->payload_len == 0)
			return 0;
		return on_start(d, f, p->payload, p->payload_len, 1);
	}
	if (p->payload_len == 0)
		return 0;
	flow_stream_prefix(d->flows, f, FLOW_UP, &up, &ulen);
	flow_stream_prefix(d->flows, f, FLOW_DOWN, &down, &dlen);
	if (p->sport == PORT_DNS || p->dport == PORT_DNS) {
		size_t mlen;

		named = 0;
		if (ulen < DNS_TCP_LEN)
			return 0;
		mlen = (size_t)up[0] << 8 | up[1];
		if (ulen - DNS_TCP_LEN >= mlen) {
			named = on_dns(d, f, FLOW_UP, p, up + DNS_TCP_LEN,
			    mlen) > 0;
			done(d, f);
		} else if (flow_stream_full(d->flows, f, FLOW_UP)) {
			done(d, f);
		}
		return named;
	}
	switch (f->phase) {
	case PHASE_START:
		if (ulen == 0) {
			/*
			 * The server spoke first (SSH, FTP, mail, VNC banners)
			 * or the capture began mid-conversation: a banner may
			 * decide; else wait for the client.
			 */
			if (dlen > 0 && signature(d, f, NULL, 0, down, dlen) ==
			    DIS_OK)
				done(d, f);
			return 0;
		}
		if (p->sport == SIP_PORT || p->dport == SIP_PORT) {
			switch (on_sip(d, f, up, ulen,
			    flow_stream_full(d->flows, f, FLOW_UP), &named)) {
			case DIS_NOTME:
				break;
			case DIS_MORE:
				return 0;
			default:
				done(d, f);
				return named;
			}
		}
		named = on_start(d, f, up, ulen,
		    flow_stream_full(d->flows, f, FLOW_UP));
		/*
		 * Neither TLS nor HTTP: the same segment goes to the
		 * signatures now, for a peer that never sends a second one
		 * (a BitTorrent handshake left unanswered).
		 */
		if (f->phase != PHASE_OTHER || !f->inspecting)
			return named;
		break;
	case PHASE_CERT:
		if (dir != FLOW_DOWN || dlen == 0)
			return 0;
		if ((off = tls_after_text(down, dlen)) == SIZE_MAX) {
			if (flow_stream_full(d->flows, f, FLOW_DOWN))
				done(d, f);
			return 0;
		}
		return on_cert(d, f, down + off, dlen - off,
		    flow_stream_full(d->flows, f, FLOW_DOWN));
	case PHASE_CONNECT:
		return on_connect(d, f, up, ulen,
		    flow_stream_full(d->flows, f, FLOW_UP));
	case PHASE_HRR:
		if (dlen > 0)
			on_retry(d, f, up, ulen, down, dlen,
			    flow_stream_full(d->flows, f, dir));
		else if (f->inspected_pkts + 1 >= HRR_WAIT_PKTS)
			done(d, f);	/* the server's answer is not seen */
		return 0;
	}
	if (flow_name(d->flows, f)[0] == '\0' &&
	    (on_stun_tcp(d, f, up, ulen) || on_stun_tcp(d, f, down, dlen))) {
		(void)on_other(d, f, up, ulen, down, dlen, 1);
		return 1;
	}
	return on_other(d, f, up, ulen, down, dlen,
	    flow_stream_full(d->flows, f, dir));
}

/*
 * Other UDP: the first datagram of each direction is kept in the stream
 * slot, and the signatures look at them (VPNs, P2P, STUN...).
 */
/*
 * A STUN or TURN message (RFC 8489, RFC 8656) in a datagram of a flow
 * that has no name of its own: its REALM, the domain of the server's
 * long-term credentials (a TURN server answers an Allocate with it, the
 * client repeats it), names the flow as a host name does
 * (turn.l.google.com). Once a realm named the flow, the client's endpoint
 * and the relayed address a TURN server allocates (XOR-RELAYED-ADDRESS)
 * are remembered with it: the call's media flows use them (peers.h).
 */
static int
on_stun(struct dissect *d, struct flow *f, const struct pkt *p)
{
	struct flow_detail *fd;
	struct stun_msg m;
	char name[HOSTNAME_SIZE];
	int named = 0;

	if (stun_parse(p->payload, p->payload_len, &m) != DIS_OK ||
	    m.len != p->payload_len)
		return 0;
	if (f->evidence != EVIDENCE_STUN_REALM && m.realm[0] != '\0' &&
	    hostname_norm(name, sizeof(name), (const uint8_t *)m.realm,
	    strlen(m.realm), 0) == 0 && !hostname_is_ip(name))
		named = name_flow(d, f, name, NAME_STUN_REALM,
		    EVIDENCE_STUN_REALM, CONF_STUN_REALM);
	if (d->peers == NULL || f->evidence != EVIDENCE_STUN_REALM ||
	    (fd = flow_detail_get(d->flows, f)) == NULL)
		return named;
	peers_learn(d->peers, f->key.family, flow_client_ip(f),
	    flow_client_port(f), fd->name, SIG_NONE, p->ts_us);
	if (m.relayed_family != 0)
		peers_learn(d->peers, m.relayed_family, m.relayed_addr,
		    m.relayed_port, fd->name, SIG_NONE, p->ts_us);
	return named;
}

/*
 * A datagram of a flow from or to an endpoint of a call named earlier
 * (the media or the peer-to-peer ICE checks after STUN on the same client
 * port, or sent to the TURN relay's allocation): the call's name, or the
 * signature of its relay protocol, with less confidence.
 */
static int
from_peers(struct dissect *d, struct flow *f, int64_t now_us)
{
	struct flow_detail *fd;
	struct peers_hit hit;

	if (d->peers == NULL)
		return 0;
	if (!peers_lookup(d->peers, f->key.family, flow_client_ip(f),
	    flow_client_port(f), now_us, &hit) &&
	    !peers_lookup(d->peers, f->key.family, flow_server_ip(f),
	    flow_server_port(f), now_us, &hit))
		return 0;
	if (hit.name[0] != '\0') {
		d->st.named_by_peers++;
		return name_flow(d, f, hit.name, NAME_STUN_REALM,
		    EVIDENCE_STUN_PEER, CONF_STUN_PEER);
	}
	if (f->evidence == EVIDENCE_STUN_PEER ||
	    (fd = flow_detail_get(d->flows, f)) == NULL ||
	    fd->signature[0] != '\0')
		return 0;
	d->st.named_by_peers++;
	strlcpy(fd->signature, sig_name((enum sig_proto)hit.sig),
	    sizeof(fd->signature));
	fd->signature_conf = CONF_STUN_PEER;
	f->evidence = EVIDENCE_STUN_PEER;
	f->confidence = CONF_STUN_PEER;
	return 0;
}

/*
 * The same over TCP (TURN over TCP, RFC 8656 3.1; ICE-TCP's RFC 4571
 * framing, a 16-bit length before each message): the first messages of
 * each direction's stream prefix.
 */
#define STUN_TCP_MSGS	8

static int
on_stun_tcp(struct dissect *d, struct flow *f, const uint8_t *s, size_t len)
{
	struct stun_msg m;
	char name[HOSTNAME_SIZE];
	size_t off = 0, k, framed;

	for (k = 0; k < STUN_TCP_MSGS && off < len; k++) {
		framed = len - off >= 2 + STUN_HDR_LEN &&
		    stun_parse(s + off + 2, len - off - 2, &m) == DIS_OK &&
		    m.len == ((size_t)s[off] << 8 | s[off + 1]) ? 2 : 0;
		if (stun_parse(s + off + framed, len - off - framed, &m) !=
		    DIS_OK)
			return 0;
		off += framed + m.len;
		if (m.realm[0] != '\0' && hostname_norm(name, sizeof(name),
		    (const uint8_t *)m.realm, strlen(m.realm), 0) == 0 &&
		    !hostname_is_ip(name))
			return name_flow(d, f, name, NAME_STUN_REALM,
			    EVIDENCE_STUN_REALM, CONF_STUN_REALM);
	}
	return 0;
}

static void
on_udp_other(struct dissect *d, struct flow *f, int dir, const struct pkt *p)
{
	const uint8_t *up, *down, *buf;
	size_t ulen, dlen, len;

	if (flow_stream_acquire(d->flows, f) == -1) {
		done(d, f);
		return;
	}
	flow_stream_prefix(d->flows, f, dir, &buf, &len);
	if (len == 0)
		(void)flow_stream_put(d->flows, f, dir, 0, p->payload,
		    p->payload_len, &buf, &len);
	flow_stream_prefix(d->flows, f, FLOW_UP, &up, &ulen);
	flow_stream_prefix(d->flows, f, FLOW_DOWN, &down, &dlen);
	/* A ClientHello inside a later datagram (OpenVPN's control channel). */
	if (dir == FLOW_UP && len > 0 && flow_name(d->flows, f)[0] == '\0') {
		int named = 0;

		if (find_ovpn_udp(d, f, p, &named)) {
			d->st.embedded += named;
			return;
		}
		if (find_embedded(d, f, p->payload, p->payload_len, &named)) {
			d->st.embedded++;
			if (f->inspecting)
				done(d, f);
			return;
		}
	}
	/*
	 * A call STUN named is read on until the TURN server's allocation
	 * (XOR-RELAYED-ADDRESS, for peers.h) has had its chance to pass.
	 */
	if (f->evidence == EVIDENCE_STUN_REALM && d->peers != NULL &&
	    f->inspected_pkts + 1 < UDP_OTHER_PKTS) {
		(void)signature(d, f, up, ulen, down, dlen);
		return;
	}
	(void)on_other(d, f, up, ulen, down, dlen,
	    f->inspected_pkts + 1 >= UDP_OTHER_PKTS);
}

/*
 * The NetBIOS name service (UDP 137 both ways): registrations and
 * answers name the machine that sends them; read for every message, like
 * DNS, and never a service.
 */
static void
on_nbns(struct dissect *d, struct flow *f, const struct pkt *p)
{
	struct devname dn;

	if (d->hooks.devname != NULL &&
	    devname_nbns(p->payload, p->payload_len, &dn) == DIS_OK) {
		d->st.device_names++;
		d->hooks.devname(d->hooks.arg, f, p, &dn);
	}
}

static void
on_dhcp(struct dissect *d, struct flow *f, const struct pkt *p, int v6)
{
	struct dhcp_msg m;
	enum dis_result r;

	r = v6 ? dhcp_parse_v6(p->payload, p->payload_len, &m) :
	    dhcp_parse(p->payload, p->payload_len, &m);
	f->app = APP_DHCP;
	if (r != DIS_OK)
		d->st.dhcp_bad++;
	/* A malformed option ends parsing; what came before still counts. */
	if (r != DIS_OK && !(r == DIS_BAD && m.hostname[0] != '\0'))
		return;
	d->st.dhcp_messages++;
	if (d->hooks.dhcp != NULL)
		d->hooks.dhcp(d->hooks.arg, f, p, &m);
}

/* What a QUIC flow keeps in its stream slot's scratch. */
struct quic_slot {
	struct quic_keyctx	keys;
	uint32_t		hello_end;	/* CRYPTO offset after the first
						   ClientHello, once read */
};

static_assert(sizeof(struct quic_slot) <= FLOW_STREAM_AUX_LEN,
    "QUIC keys must fit in a stream slot's scratch");

/*
 * A gQUIC CHLO without SNI: nothing names the flow yet, but a session
 * that carries RTP and RTCP next to gQUIC is one nDPI attributes to
 * Snapchat's calls (src/lib/protocols/quic.c, PR #1147), so the later
 * datagrams of both directions are watched (on_gquic_media) until the
 * inspection limit. The stream slot is not needed for that.
 */
static void
watch_gquic_media(struct dissect *d, struct flow *f)
{
	flow_stream_release(d->flows, f);
	f->phase = PHASE_GQUIC_MEDIA;
}

static void
on_gquic_media(struct dissect *d, struct flow *f, const struct pkt *p)
{
	struct flow_detail *fd;

	if (!sig_rtp_datagram(p->payload, p->payload_len))
		return;
	if ((fd = flow_detail_get(d->flows, f)) != NULL) {
		d->st.signatures++;
		strlcpy(fd->signature, sig_name(SIG_GQUIC_RTP),
		    sizeof(fd->signature));
		fd->signature_conf = SIG_CONF_GOOD;
	}
	done(d, f);
}

/*
 * PHASE_QUIC_HRR: the first ClientHello named the flow. After a
 * HelloRetryRequest (in the server's Initial, which is not decrypted
 * here) the client's next Initials carry a second ClientHello in the
 * CRYPTO stream right after the first; its JA4 goes to ja4_retry. The
 * watch ends at the client's first packet that is not an Initial (the
 * handshake went on without a retry) or after QUIC_HRR_PKTS packets.
 */
static int
on_quic_retry(struct dissect *d, struct flow *f, struct quic_slot *slot,
    enum dis_result r)
{
	const struct quic_initial *qi = &d->qi;
	struct tls_hello hello;
	const uint8_t *buf = NULL;
	size_t i, len = 0;

	if (r != DIS_OK || qi->is_gquic ||
	    f->inspected_pkts + 1 >= QUIC_HRR_PKTS) {
		done(d, f);
		return 0;
	}
	for (i = 0; i < qi->nfrags; i++)
		(void)flow_stream_put(d->flows, f, FLOW_UP,
		    qi->frags[i].offset, qi->frags[i].data, qi->frags[i].len,
		    &buf, &len);
	if (len <= slot->hello_end)
		return 0;
	r = tls_parse_handshake(buf + slot->hello_end, len - slot->hello_end,
	    &hello);
	if (r == DIS_OK)
		keep_retry(d, f, &hello, 1);
	if (r != DIS_MORE || flow_stream_full(d->flows, f, FLOW_UP))
		done(d, f);
	return 0;
}

/*
 * QUIC: decrypt the client's Initial packets (keys kept in the stream
 * slot's scratch), put their CRYPTO frames in the up-direction buffer at
 * their offsets, and read the ClientHello (or gQUIC CHLO) once a prefix
 * of it is contiguous.
 */
static int
on_quic(struct dissect *d, struct flow *f, const struct pkt *p)
{
	struct quic_initial *qi = &d->qi;
	struct quic_slot *slot;
	struct quic_keyctx *ctx;
	struct flow_detail *fd;
	struct tls_hello hello;
	const uint8_t *buf = NULL;
	size_t i, len = 0;
	enum dis_result r;
	int named = 0;

	if (flow_stream_acquire(d->flows, f) == -1) {
		done(d, f);
		return 0;
	}
	slot = flow_stream_aux(d->flows, f);
	ctx = &slot->keys;
	r = quic_parse_client(p->payload, p->payload_len, ctx, qi);
	if (f->phase == PHASE_QUIC_HRR)
		return on_quic_retry(d, f, slot, r);
	if (r == DIS_BAD)
		d->st.quic_bad++;
	/*
	 * 0-RTT packets may come before the Initial that names the flow,
	 * an Initial may not decrypt, and a client may first send a version
	 * meant to force Version Negotiation: the long header's version
	 * still says QUIC, and which QUIC.
	 */
	if (r != DIS_OK && p->payload_len >= 5 &&
	    (p->payload[0] & QUIC_LONG_HEADER)) {
		uint32_t v = (uint32_t)p->payload[1] << 24 |
		    (uint32_t)p->payload[2] << 16 |
		    (uint32_t)p->payload[3] << 8 | p->payload[4];

		if (quic_version_known(v) || quic_version_forces_vn(v)) {
			f->app = APP_QUIC;
			if (quic_version_known(v) &&
			    (fd = flow_detail_get(d->flows, f)) != NULL)
				fd->quic_version = v;
		}
	}
	/*
	 * A datagram that is not QUIC (WireGuard's handshake, a STUN
	 * response, RTP, DNSCrypt: their first byte has a QUIC or gQUIC
	 * flag bit) goes on to the signatures of on_udp_other() unless the
	 * flow is QUIC.
	 */
	if (r != DIS_OK) {
		if (f->app == APP_QUIC && f->inspected_pkts >= QUIC_MAX_TRIES)
			done(d, f);
		return 0;
	}
	d->st.quic_initials++;
	f->app = APP_QUIC;
	if ((fd = flow_detail_get(d->flows, f)) != NULL)
		fd->quic_version = qi->version;
	if (qi->is_gquic && qi->nfrags == 0) {
		named = name_flow(d, f, qi->gquic_sni, NAME_SNI,
		    EVIDENCE_QUIC_SNI, CONF_QUIC_SNI);
		if (fd != NULL)
			strlcpy(fd->user_agent, qi->gquic_uaid,
			    sizeof(fd->user_agent));
		if (qi->gquic_sni[0] == '\0')
			watch_gquic_media(d, f);
		else
			done(d, f);
		return named;
	}
	for (i = 0; i < qi->nfrags; i++)
		(void)flow_stream_put(d->flows, f, FLOW_UP,
		    qi->frags[i].offset, qi->frags[i].data, qi->frags[i].len,
		    &buf, &len);
	if (len == 0)
		return 0;
	if (qi->is_gquic) {
		r = quic_parse_chlo(buf, len, qi);
		if (r == DIS_OK) {
			named = name_flow(d, f, qi->gquic_sni, NAME_SNI,
			    EVIDENCE_QUIC_SNI, CONF_QUIC_SNI);
			if (fd != NULL)
				strlcpy(fd->user_agent, qi->gquic_uaid,
				    sizeof(fd->user_agent));
			if (qi->gquic_sni[0] == '\0') {
				watch_gquic_media(d, f);
				return named;
			}
		}
	} else {
		r = tls_parse_handshake(buf, len, &hello);
		if (r == DIS_OK) {
			d->st.tls_hellos++;
			named = name_flow(d, f, hello.sni, NAME_SNI,
			    EVIDENCE_QUIC_SNI, CONF_QUIC_SNI);
			keep_hello(d, f, &hello, 1);
			/* A second ClientHello may follow a retry. */
			slot->hello_end = (uint32_t)hrr_handshake_end(buf, len);
			if (slot->hello_end > 0 && hello.sni[0] != '\0' &&
			    !flow_stream_full(d->flows, f, FLOW_UP)) {
				f->phase = PHASE_QUIC_HRR;
				return named;
			}
		}
	}
	if (r != DIS_MORE || flow_stream_full(d->flows, f, FLOW_UP))
		done(d, f);
	return named;
}

/*
 * The server answered the client's first Initial with Version
 * Negotiation: the client's next Initial, in another version and
 * perhaps with another DCID, starts the handshake again at CRYPTO offset
 * 0. What the first attempt left in the stream slot (its keys, its CRYPTO
 * bytes, or the raw datagram the signatures kept when the version was
 * not one quic.c reads) would be mixed into the new ClientHello, so the
 * slot is given back and the retry starts clean, with the packet budget
 * of a new flow. Once per flow (PHASE_QUIC_VN).
 */
static void
on_quic_vn(struct dissect *d, struct flow *f)
{
	if (f->phase == PHASE_QUIC_VN || flow_name(d->flows, f)[0] != '\0')
		return;
	flow_stream_release(d->flows, f);
	f->app = APP_QUIC;
	f->phase = PHASE_QUIC_VN;
	f->inspected_pkts = 0;
}

/* A new flow to an address a device resolved earlier takes that name. */
static int
from_dns_cache(struct dissect *d, struct flow *f, int64_t now_us)
{
	const char *name;

	if (d->names == NULL)
		return 0;
	name = names_lookup(d->names, f->key.family, flow_server_ip(f),
	    now_us);
	if (name == NULL)
		return 0;
	d->st.named_by_dns_cache++;
	return name_flow(d, f, name, NAME_NONE, EVIDENCE_DNS_CACHE,
	    CONF_DNS_CACHE);
}

int
dissect_packet(struct dissect *d, struct flow *f, int dir,
    const struct pkt *p)
{
	uint16_t sp = flow_server_port(f);
	int named = 0;

	if (!f->inspecting)
		return 0;
	/*
	 * A call's endpoint is looked up again while the flow has no better
	 * name: its media may start before STUN names the call.
	 */
	if (p->proto == IPPROTO_UDP && !is_dns_port(sp) &&
	    (flow_name(d->flows, f)[0] == '\0' ||
	    f->evidence == EVIDENCE_DNS_CACHE))
		named = from_peers(d, f, p->ts_us);
	if (!named && f->pkts[FLOW_UP] + f->pkts[FLOW_DOWN] == 1 &&
	    !is_dns_port(sp))
		named = from_dns_cache(d, f, p->ts_us);
	if (p->proto == IPPROTO_UDP) {
		if (p->payload_len == 0)
			return named;
		if (is_dns_port(p->sport) || is_dns_port(p->dport)) {
			int r = on_dns(d, f, dir, p, p->payload,
			    p->payload_len);

			/*
			 * Not DNS on a DNS port, and never was (DNSCrypt on
			 * 5353, say): the signatures below decide.
			 */
			if (r >= 0 || f->app == APP_DNS)
				return r > 0 || named;
		}
		if (is_dhcp_port(p->sport, p->dport)) {
			on_dhcp(d, f, p, 0);
			return named;
		}
		if (p->sport == PORT_NBNS && p->dport == PORT_NBNS) {
			on_nbns(d, f, p);
			return named;
		}
		if (is_dhcp6_port(p->sport, p->dport)) {
			on_dhcp(d, f, p, 1);
			return named;
		}
		if ((p->sport == SIP_PORT || p->dport == SIP_PORT) &&
		    f->app != APP_QUIC) {
			int sn;

			if (on_sip(d, f, p->payload, p->payload_len, 1,
			    &sn) != DIS_NOTME) {
				done(d, f);
				return named || sn;
			}
		}
		if (f->app == APP_QUIC && f->phase == PHASE_GQUIC_MEDIA) {
			on_gquic_media(d, f, p);
		} else if (dir == FLOW_DOWN &&
		    quic_is_vn(p->payload, p->payload_len)) {
			on_quic_vn(d, f);
			return named;
		} else {
			if (dir == FLOW_UP && (f->app == APP_QUIC ||
			    (p->payload[0] & (QUIC_LONG_HEADER |
			    GQUIC_VERSION_FLAG))))
				named |= on_quic(d, f, p);
			if (f->inspecting && f->app != APP_QUIC) {
				if (flow_name(d->flows, f)[0] == '\0' ||
				    f->evidence == EVIDENCE_DNS_CACHE ||
				    f->evidence == EVIDENCE_STUN_PEER ||
				    f->evidence == EVIDENCE_STUN_REALM)
					named |= on_stun(d, f, p);
				on_udp_other(d, f, dir, p);
			}
		}
	} else if (p->proto == IPPROTO_TCP) {
		named |= on_tcp(d, f, dir, p);
	}
	if (p->payload_len > 0 && f->inspecting &&
	    ++f->inspected_pkts >= DEF_INSPECT_PKTS) {
		d->st.gave_up++;
		done(d, f);
	}
	return named;
}

void
dissect_warmup(struct dissect *d)
{
	/* A QUIC v1 Initial header (RFC 9000 17.2.2) with zero payload. */
	static uint8_t dgram[1200] = { 0xc3, 0x00, 0x00, 0x00, 0x01, 0x08,
	    1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x00, 0x44, 0x9e };
	struct quic_keyctx ctx;
	struct tls_hello hello;
	char ja3str[64], ja3[JA3_MD5_HEX + 1], ja4[JA4_LEN + 1];

	memset(&ctx, 0, sizeof(ctx));
	(void)quic_parse_client(dgram, sizeof(dgram), &ctx, &d->qi);
	memset(&hello, 0, TLS_HELLO_LISTS);
	hello.version = 0x0303;
	(void)ja3_compute(&hello, ja3str, sizeof(ja3str), ja3);
	(void)ja4_compute(&hello, 0, ja4);
}
