/* SPDX-License-Identifier: ISC */
/*
 * events_eve.c: Suricata EVE JSON lines for flows, DNS questions and DHCP
 * messages, with the Community ID v1 and a flow_id that join them (see
 * events_eve.h). Keys whose value is unknown are left out, as EVE does.
 * Everything that came off the wire goes through json_str().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "base/app.h"
#include "base/json.h"
#include "base/record.h"
#include "base/util.h"
#include "base/verdict.h"
#include "dissect/dhcp.h"
#include "dissect/quic.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "events_eve.h"

#define CID_VERSION		"1:"
#define PROTO_SCTP		132	/* IANA protocol number */
#define FLOW_ID_MASK		((UINT64_C(1) << 53) - 1)
#define EVE_TS_LEN		40

/* RFC 792 and RFC 4443 types with a counterpart (Community ID spec). */
static const uint8_t icmp4_pairs[][2] = {
	{ 8, 0 }, { 0, 8 },		/* echo, echo reply */
	{ 13, 14 }, { 14, 13 },		/* timestamp */
	{ 15, 16 }, { 16, 15 },		/* information */
	{ 10, 9 }, { 9, 10 },		/* router solicitation, advert */
	{ 17, 18 }, { 18, 17 },		/* address mask */
};
static const uint8_t icmp6_pairs[][2] = {
	{ 128, 129 }, { 129, 128 },	/* echo */
	{ 133, 134 }, { 134, 133 },	/* router solicitation, advert */
	{ 135, 136 }, { 136, 135 },	/* neighbor solicitation, advert */
	{ 130, 131 },			/* MLD query, report */
	{ 139, 140 }, { 140, 139 },	/* node information */
	{ 144, 145 }, { 145, 144 },	/* home agent address discovery */
};

/* The endpoints of an event, and the link fields that go with them. */
struct eve_tuple {
	int		 family;
	uint8_t		 proto;
	const uint8_t	*sip;
	const uint8_t	*dip;
	uint16_t	 sport;
	uint16_t	 dport;
	uint16_t	 vlan;
	int		 has_mac;
	const uint8_t	*mac;
};

/* An object being written: how many members it has so far. */
struct jw {
	FILE	*fp;
	int	 n;
};

/*
 * The hashed bytes of the spec: seed, the two addresses, proto, a zero,
 * and the two ports, with the endpoints ordered. Returns the length.
 */
static size_t
cid_input(uint16_t seed, int family, uint8_t proto, const uint8_t *sa,
    uint16_t sp, const uint8_t *da, uint16_t dp, uint8_t out[40])
{
	const uint8_t (*pairs)[2] = NULL;
	size_t alen = family == 6 ? 16 : 4, i, n = 0, npairs = 0;
	int ports = 1, one_way = 0, c;
	const uint8_t *t;
	uint16_t tp;

	if (proto == IPPROTO_ICMP && family == 4) {
		pairs = icmp4_pairs;
		npairs = nitems(icmp4_pairs);
	} else if (proto == IPPROTO_ICMPV6 && family == 6) {
		pairs = icmp6_pairs;
		npairs = nitems(icmp6_pairs);
	} else if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	    proto != PROTO_SCTP)
		ports = 0;
	if (pairs != NULL) {
		/* The type is the source "port"; its counterpart, or else
		 * the code, the destination's; one-way types keep order. */
		one_way = 1;
		for (i = 0; i < npairs; i++) {
			if (pairs[i][0] == sp) {
				dp = pairs[i][1];
				one_way = 0;
				break;
			}
		}
	}
	c = memcmp(sa, da, alen);
	if (!one_way && (c > 0 || (c == 0 && ports && sp > dp))) {
		t = sa, sa = da, da = t;
		tp = sp, sp = dp, dp = tp;
	}
	out[n++] = (uint8_t)(seed >> 8);
	out[n++] = (uint8_t)seed;
	memcpy(out + n, sa, alen);
	n += alen;
	memcpy(out + n, da, alen);
	n += alen;
	out[n++] = proto;
	out[n++] = 0;
	if (ports) {
		out[n++] = (uint8_t)(sp >> 8);
		out[n++] = (uint8_t)sp;
		out[n++] = (uint8_t)(dp >> 8);
		out[n++] = (uint8_t)dp;
	}
	return n;
}

char *
events_eve_community_id(uint16_t seed, int family, uint8_t proto,
    const uint8_t *saddr, uint16_t sport, const uint8_t *daddr,
    uint16_t dport, char *buf, size_t len)
{
	uint8_t in[40], md[SHA_DIGEST_LENGTH];
	size_t n;

	if (len < EVENTS_EVE_CID_LEN) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	n = cid_input(seed, family, proto, saddr, sport, daddr, dport, in);
	SHA1(in, n, md);
	memcpy(buf, CID_VERSION, 2);
	/* 20 bytes are 28 base64 characters, and EVP adds the NUL. */
	EVP_EncodeBlock((unsigned char *)buf + 2, md, sizeof(md));
	return buf;
}

int64_t
events_eve_flow_id(int family, uint8_t proto, const uint8_t *saddr,
    uint16_t sport, const uint8_t *daddr, uint16_t dport, uint16_t vlan)
{
	uint8_t in[44], md[SHA_DIGEST_LENGTH];
	uint64_t id = 0;
	size_t n, i;

	n = cid_input(0, family, proto, saddr, sport, daddr, dport, in);
	in[n++] = (uint8_t)(vlan >> 8);
	in[n++] = (uint8_t)vlan;
	SHA1(in, n, md);
	for (i = 0; i < 8; i++)
		id = id << 8 | md[i];
	id &= FLOW_ID_MASK;
	return (int64_t)(id != 0 ? id : 1);
}

/* "2024-05-01T10:00:00.123456+0000", as Suricata writes it. */
static const char *
eve_ts(int64_t us, char *buf, size_t len)
{
	int64_t s = util_floor_div(us, 1000000);
	time_t t = (time_t)s;
	struct tm tm;
	int n;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	/* The result is looked at: GCC's -O2 range analysis otherwise
	 * warns (format-truncation) about years it cannot bound. */
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+0000",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(us - s * 1000000));
	if (n < 0 && len > 0)
		buf[0] = '\0';
	return buf;
}

static void
jw_sep(struct jw *w, const char *key)
{
	if (w->n++ > 0)
		fputc(',', w->fp);
	json_key(w->fp, key);
}

/* A string member, left out when NULL or empty. */
static void
jw_str(struct jw *w, const char *key, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	jw_sep(w, key);
	json_str(w->fp, v);
}

static void
jw_int(struct jw *w, const char *key, int64_t v)
{
	jw_sep(w, key);
	fprintf(w->fp, "%" PRId64, v);
}

/* Opens the object member key of w as *in. */
static void
jw_open(struct jw *w, const char *key, struct jw *in)
{
	jw_sep(w, key);
	fputc('{', w->fp);
	in->fp = w->fp;
	in->n = 0;
}

static void
jw_close(struct jw *in)
{
	fputc('}', in->fp);
}

/* The members every event with endpoints begins with. */
static void
eve_head(struct jw *w, const char *host, int64_t ts_us, const char *type,
    const struct eve_tuple *t)
{
	char buf[UTIL_ADDR_LEN > EVE_TS_LEN ? UTIL_ADDR_LEN : EVE_TS_LEN];
	struct jw in;

	fputc('{', w->fp);
	jw_str(w, "timestamp", eve_ts(ts_us, buf, sizeof(buf)));
	if (t != NULL)
		jw_int(w, "flow_id", events_eve_flow_id(t->family, t->proto,
		    t->sip, t->sport, t->dip, t->dport, t->vlan));
	jw_str(w, "event_type", type);
	jw_str(w, "host", host);
	if (t == NULL)
		return;
	if (t->vlan != 0) {
		jw_sep(w, "vlan");
		fprintf(w->fp, "[%u]", t->vlan);
	}
	jw_str(w, "src_ip", util_addr_str(t->family, t->sip, buf,
	    sizeof(buf)));
	jw_int(w, "src_port", t->sport);
	jw_str(w, "dest_ip", util_addr_str(t->family, t->dip, buf,
	    sizeof(buf)));
	jw_int(w, "dest_port", t->dport);
	jw_str(w, "proto", t->proto == IPPROTO_TCP ? "TCP" :
	    t->proto == IPPROTO_UDP ? "UDP" : NULL);
	jw_str(w, "community_id", events_eve_community_id(0, t->family,
	    t->proto, t->sip, t->sport, t->dip, t->dport, buf, sizeof(buf)));
	if (t->has_mac) {
		jw_open(w, "ether", &in);
		jw_str(&in, "src_mac", util_mac_str(t->mac, buf,
		    sizeof(buf)));
		jw_close(&in);
	}
}

static void
eve_end(struct jw *w)
{
	fputs("}\n", w->fp);
}

static void
record_tuple(const struct flow_record *r, struct eve_tuple *t)
{
	t->family = r->family;
	t->proto = r->proto;
	t->sip = r->client_ip;
	t->dip = r->server_ip;
	t->sport = r->client_port;
	t->dport = r->server_port;
	t->vlan = r->vlan;
	t->has_mac = r->has_mac;
	t->mac = r->client_mac;
}

/* The "shadowtap" object: what classify() and the policy made of it. */
static void
eve_shadowtap(struct jw *w, const struct flow_record *r,
    const struct flow_detail *d)
{
	struct jw o, c;

	jw_open(w, "shadowtap", &o);
	jw_str(&o, "service", r->service);
	jw_str(&o, "category", r->category);
	jw_str(&o, "verdict", verdict_str((enum verdict)r->verdict));
	jw_str(&o, "evidence", record_evidence_name(r->evidence));
	if (r->evidence != EVIDENCE_NONE)
		jw_int(&o, "confidence", r->confidence);
	jw_str(&o, "name", r->name);
	jw_str(&o, "domain", r->domain);
	jw_str(&o, "department", r->department);
	jw_str(&o, "country", r->country);
	if (r->asn != 0)
		jw_int(&o, "asn", r->asn);
	jw_str(&o, "as_org", r->as_org);
	if (d != NULL) {
		jw_str(&o, "signature", d->signature);
		if (d->ech) {
			jw_sep(&o, "ech");
			fputs("true", o.fp);
		}
	}
	if (r->creds_proto != CREDS_NONE) {
		jw_open(&o, "creds", &c);
		jw_str(&c, "proto",
		    record_creds_name((enum creds_proto)r->creds_proto));
		jw_str(&c, "user", r->creds_user);
		jw_close(&c);
	}
	jw_close(&o);
}

static void
jw_ja3(struct jw *w, const char *hash)
{
	struct jw o;

	if (hash[0] == '\0')
		return;
	jw_open(w, "ja3", &o);
	jw_str(&o, "hash", hash);
	jw_close(&o);
}

/* The "tls" object, in Suricata's names. */
static void
eve_tls(struct jw *w, const struct flow_record *r,
    const struct flow_detail *d)
{
	struct jw o;
	size_t i;

	jw_open(w, "tls", &o);
	if (r->name_src == NAME_SNI)
		jw_str(&o, "sni", r->name);
	jw_ja3(&o, d->ja3);
	jw_str(&o, "ja4", d->ja4);
	if (d->alpn[0] != '\0') {
		jw_sep(&o, "client_alpns");
		fputc('[', o.fp);
		json_str(o.fp, d->alpn);
		fputc(']', o.fp);
	}
	if (d->ncert_names > 0) {
		jw_sep(&o, "subjectaltname");
		fputc('[', o.fp);
		for (i = 0; i < d->ncert_names; i++) {
			if (i > 0)
				fputc(',', o.fp);
			json_str(o.fp, d->cert_names[i]);
		}
		fputc(']', o.fp);
	}
	jw_close(&o);
}

/*
 * The application event of a flow, as Suricata logs one per transaction:
 * "tls" for a ClientHello, "quic" for a QUIC Initial, "http" for a
 * request; at the flow's first packet time.
 */
static void
eve_app(FILE *fp, const char *host, const struct flow_record *r,
    const struct flow_detail *d, const struct eve_tuple *t)
{
	const char *app = app_str((enum app)r->app);
	struct jw w = { fp, 0 }, o;

	if (r->app == APP_TLS) {
		if (r->name_src != NAME_SNI && d->ja3[0] == '\0' &&
		    d->ja4[0] == '\0' && d->ncert_names == 0)
			return;
	} else if (r->app == APP_QUIC) {
		if (r->name_src != NAME_SNI && d->quic_version == 0)
			return;
	} else if (r->app == APP_HTTP) {
		if (r->name_src != NAME_HTTP_HOST && d->user_agent[0] == '\0')
			return;
	} else
		return;
	eve_head(&w, host, r->first_us, app, t);
	jw_str(&w, "app_proto", app);
	if (r->app == APP_TLS) {
		eve_tls(&w, r, d);
	} else if (r->app == APP_QUIC) {
		jw_open(&w, "quic", &o);
		if (d->quic_version != 0)
			jw_str(&o, "version", quic_version_str(d->quic_version));
		if (r->name_src == NAME_SNI)
			jw_str(&o, "sni", r->name);
		jw_ja3(&o, d->ja3);
		jw_str(&o, "ja4", d->ja4);
		jw_close(&o);
	} else {
		jw_open(&w, "http", &o);
		if (r->name_src == NAME_HTTP_HOST)
			jw_str(&o, "hostname", r->name);
		jw_str(&o, "http_user_agent", d->user_agent);
		jw_close(&o);
	}
	eve_shadowtap(&w, r, d);
	eve_end(&w);
}

void
events_eve_flow(FILE *fp, const char *host, const struct flow_record *r,
    const struct flow_detail *d)
{
	static const struct flow_detail none;
	char ts[EVE_TS_LEN];
	struct eve_tuple t;
	struct jw w = { fp, 0 }, o;
	int64_t age;

	if (d == NULL)
		d = &none;
	record_tuple(r, &t);
	eve_app(fp, host, r, d, &t);
	eve_head(&w, host, r->last_us, "flow", &t);
	jw_str(&w, "app_proto", app_str((enum app)r->app));
	jw_open(&w, "flow", &o);
	jw_int(&o, "pkts_toserver", (int64_t)r->pkts_up);
	jw_int(&o, "pkts_toclient", (int64_t)r->pkts_down);
	jw_int(&o, "bytes_toserver", (int64_t)r->bytes_up);
	jw_int(&o, "bytes_toclient", (int64_t)r->bytes_down);
	jw_str(&o, "start", eve_ts(r->first_us, ts, sizeof(ts)));
	jw_str(&o, "end", eve_ts(r->last_us, ts, sizeof(ts)));
	age = util_floor_div(r->last_us, 1000000) -
	    util_floor_div(r->first_us, 1000000);
	jw_int(&o, "age", age);
	jw_close(&o);
	eve_shadowtap(&w, r, d);
	eve_end(&w);
}

/* RFC 1035 3.2.2 and the IANA registry: the types people look at. */
static const char *
rrtype_str(uint16_t t, char *buf, size_t len)
{
	static const struct {
		uint16_t	 type;
		const char	*name;
	} names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
		{ 12, "PTR" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
		{ 33, "SRV" }, { 64, "SVCB" }, { 65, "HTTPS" }, { 255, "ANY" },
	};
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (names[i].type == t)
			return names[i].name;
	snprintf(buf, len, "TYPE%u", t);	/* RFC 3597 5 */
	return buf;
}

/* RFC 1035 4.1.1 and RFC 2136 2.2: Suricata's rcode names. */
static const char *
rcode_str(int rc, char *buf, size_t len)
{
	static const char *const names[] = { "NOERROR", "FORMERR",
	    "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
	    "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE" };

	if (rc >= 0 && (size_t)rc < nitems(names))
		return names[rc];
	snprintf(buf, len, "%d", rc);
	return buf;
}

void
events_eve_dns(FILE *fp, const char *host, const struct dns_event *e)
{
	char tb[16];
	struct eve_tuple t;
	struct jw w = { fp, 0 }, o, a, s;
	size_t i;

	t.family = e->family;
	t.proto = e->proto;
	t.sip = e->client_ip;
	t.dip = e->server_ip;
	t.sport = e->client_port;
	t.dport = e->server_port;
	t.vlan = e->vlan;
	t.has_mac = e->has_mac;
	t.mac = e->client_mac;
	eve_head(&w, host, e->ts_us, "dns", &t);
	jw_str(&w, "app_proto", "dns");
	jw_open(&w, "dns", &o);
	jw_int(&o, "version", 2);
	jw_str(&o, "type", e->rcode < 0 ? "query" : "answer");
	jw_str(&o, "rrname", e->query);
	jw_str(&o, "rrtype", rrtype_str(e->qtype, tb, sizeof(tb)));
	if (e->rcode >= 0)
		jw_str(&o, "rcode", rcode_str(e->rcode, tb, sizeof(tb)));
	if (e->rcode >= 0 && e->nanswers > 0) {
		jw_sep(&o, "answers");
		fputc('[', fp);
		for (i = 0; i < e->nanswers; i++) {
			if (i > 0)
				fputc(',', fp);
			a.fp = fp;
			a.n = 0;
			fputc('{', fp);
			jw_str(&a, "rrtype", rrtype_str(e->answers[i].type, tb,
			    sizeof(tb)));
			jw_int(&a, "ttl", e->answers[i].ttl);
			jw_str(&a, "rdata", e->answers[i].value);
			jw_close(&a);
		}
		fputc(']', fp);
	}
	jw_close(&o);
	if (e->rtt_us >= 0) {
		jw_open(&w, "shadowtap", &s);
		jw_sep(&s, "rtt_ms");
		fprintf(fp, "%.3f", (double)e->rtt_us / 1000.0);
		jw_close(&s);
	}
	eve_end(&w);
}

/* A DHCPv4 address member, left out when 0.0.0.0. */
static void
jw_ip4(struct jw *w, const char *key, const uint8_t ip[4])
{
	static const uint8_t zero[4];
	char buf[UTIL_ADDR_LEN];

	if (memcmp(ip, zero, 4) != 0)
		jw_str(w, key, util_addr_str(4, ip, buf, sizeof(buf)));
}

/* RFC 8415 7.3: ADVERTISE (2), REPLY (7) and RECONFIGURE (10) are the
 * server's; everything else a client's. */
static int
dhcp_is_reply(const struct dhcp_msg *m)
{
	if (m->version == 4)
		return m->op == DHCP_OP_REPLY;
	return m->msg_type == 2 || m->msg_type == 7 || m->msg_type == 10;
}

void
events_eve_dhcp(FILE *fp, const char *host, int64_t ts_us,
    const struct dhcp_msg *m, const struct flow *f)
{
	char buf[UTIL_ADDR_LEN], type[24];
	struct jw w = { fp, 0 }, o, s;
	struct eve_tuple t;
	size_t i;

	if (f != NULL) {
		t.family = f->key.family;
		t.proto = f->key.proto;
		t.sip = flow_client_ip(f);
		t.dip = flow_server_ip(f);
		t.sport = flow_client_port(f);
		t.dport = flow_server_port(f);
		t.vlan = f->key.vlan;
		t.has_mac = f->has_mac;
		t.mac = f->client_mac;
	}
	eve_head(&w, host, ts_us, "dhcp", f != NULL ? &t : NULL);
	jw_str(&w, "app_proto", "dhcp");
	jw_open(&w, "dhcp", &o);
	jw_str(&o, "type", dhcp_is_reply(m) ? "reply" : "request");
	jw_int(&o, "id", m->xid);
	if (m->has_mac)
		jw_str(&o, "client_mac", util_mac_str(m->mac, buf,
		    sizeof(buf)));
	if (m->version == 4) {
		jw_ip4(&o, "client_ip", m->ciaddr);
		jw_ip4(&o, "assigned_ip", m->yiaddr);
		if (m->has_requested_ip)
			jw_ip4(&o, "requested_ip", m->requested_ip);
	}
	strlcpy(type, dhcp_type_name(m->version, m->msg_type), sizeof(type));
	for (i = 0; type[i] != '\0'; i++)
		if (type[i] >= 'A' && type[i] <= 'Z')
			type[i] = (char)(type[i] - 'A' + 'a');
	jw_str(&o, "dhcp_type", type);
	jw_str(&o, "hostname", m->hostname);
	jw_str(&o, "vendor_class_identifier", m->vendor_class);
	jw_close(&o);
	jw_open(&w, "shadowtap", &s);
	jw_int(&s, "dhcp_version", m->version);
	jw_str(&s, "fqdn", m->fqdn);
	jw_str(&s, "prl", m->prl);
	jw_close(&s);
	eve_end(&w);
}
