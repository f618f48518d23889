/* SPDX-License-Identifier: ISC */
/*
 * events.c: JSON Lines writer for flow events. Every string that came off
 * the wire goes through json_str(); output is buffered by stdio and
 * flushed when the run ends, so writing costs no syscall per flow.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/record.h"
#include "base/app.h"
#include "dissect/devname.h"
#include "dissect/dhcp.h"
#include "dissect/dns.h"
#include "dissect/quic.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "packet/decode.h"
#include "events.h"
#include "events_eve.h"
#include "base/json.h"
#include "base/util.h"
#include "base/verdict.h"

static void	endpoints(FILE *, int, const uint8_t *, uint16_t,
		    const uint8_t *, uint16_t, uint8_t);

struct events {
	FILE	*fp;
	int	 own;
	int	 failed;
	int	 format;	/* enum events_format */
	char	 host[256];	/* sensor name for EVE, "" none */
	uint64_t devname_seen[EVENTS_DEVNAME_SEEN];	/* FNV-1a, 0: none */
};

int
events_format_parse(const char *s)
{
	if (strcmp(s, "shadowtap") == 0)
		return EVENTS_FMT_SHADOWTAP;
	if (strcmp(s, "eve") == 0)
		return EVENTS_FMT_EVE;
	return -1;
}

void
events_set_format(struct events *ev, int format, const char *host)
{
	if (ev == NULL)
		return;
	ev->format = format;
	strlcpy(ev->host, host != NULL ? host : "", sizeof(ev->host));
}

/* The end of every writer: a write error is sticky. */
static int
written(struct events *ev)
{
	if (ferror(ev->fp))
		ev->failed = 1;
	return ev->failed ? -1 : 0;
}

struct events *
events_open(const char *path, char *err, size_t errlen)
{
	struct events *ev = xcalloc(1, sizeof(*ev));

	if (strcmp(path, "-") == 0) {
		ev->fp = stdout;
	} else {
		ev->fp = fopen(path, "a");
		ev->own = 1;
		if (ev->fp == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(ev);
			return NULL;
		}
	}
	return ev;
}

int
events_close(struct events *ev)
{
	int rc;

	if (ev == NULL)
		return 0;
	if (fflush(ev->fp) == EOF)
		ev->failed = 1;
	if (ev->own && fclose(ev->fp) == EOF)
		ev->failed = 1;
	rc = ev->failed ? -1 : 0;
	free(ev);
	return rc;
}

static void
str_or_null(FILE *fp, const char *key, const char *s, int cond)
{
	fputc(',', fp);
	json_key(fp, key);
	json_str(fp, cond && s[0] != '\0' ? s : NULL);
}

/* The evidence name, one spelling for events, syslog and the store. */
static const char *
evidence_str(enum flow_evidence e)
{
	const char *n = record_evidence_name(e);

	return n[0] != '\0' ? n : NULL;
}

static const char *
creds_str(int proto)
{
	static const char *const names[] = { NULL, "ftp", "telnet", "pop3",
	    "imap", "smtp", "http" };

	if (proto <= 0 || (size_t)proto >= nitems(names))
		return NULL;
	return names[proto];
}

/* The identification keys of a flow event. */
static void
detail_keys(FILE *fp, const struct flow_record *r, const struct flow_detail *d)
{
	static const struct flow_detail none;
	size_t i;

	if (d == NULL)
		d = &none;
	str_or_null(fp, "alpn", d->alpn, 1);
	str_or_null(fp, "ja3", d->ja3, 1);
	str_or_null(fp, "ja4", d->ja4, 1);
	if (d->ja4_retry[0] != '\0')	/* after a HelloRetryRequest */
		str_or_null(fp, "ja4_retry", d->ja4_retry, 1);
	fputc(',', fp);
	json_key(fp, "quic_version");
	json_str(fp, d->quic_version != 0 ? quic_version_str(d->quic_version) :
	    NULL);
	fputs(",\"cert_names\":", fp);
	if (d->ncert_names == 0) {
		fputs("null", fp);
	} else {
		fputc('[', fp);
		for (i = 0; i < d->ncert_names; i++) {
			if (i > 0)
				fputc(',', fp);
			json_str(fp, d->cert_names[i]);
		}
		fputc(']', fp);
	}
	fprintf(fp, ",\"ech\":%s", d->ech ? "true" : "false");
	str_or_null(fp, "http_user_agent", d->user_agent, 1);
	fputs(",\"creds\":", fp);
	if (creds_str(d->creds_proto) == NULL) {
		fputs("null", fp);
	} else {
		fputs("{\"proto\":", fp);
		json_str(fp, creds_str(d->creds_proto));
		fputs(",\"user\":", fp);
		json_str(fp, d->creds_user[0] != '\0' ? d->creds_user : NULL);
		fputc('}', fp);
	}
	str_or_null(fp, "signature", d->signature, 1);
	fputc(',', fp);
	json_key(fp, "evidence");
	json_str(fp, evidence_str(r->evidence));
	fputs(",\"confidence\":", fp);
	if (r->evidence != EVIDENCE_NONE)
		fprintf(fp, "%u", r->confidence);
	else
		fputs("null", fp);
}

int
events_flow(struct events *ev, const struct flow_record *r,
    const struct flow_detail *d)
{
	char ts[UTIL_TS_LEN], te[UTIL_TS_LEN];
	FILE *fp = ev->fp;
	int has_svc = r->service[0] != '\0';

	if (ev->format == EVENTS_FMT_EVE) {
		events_eve_flow(fp, ev->host, r, d);
		return written(ev);
	}
	fputs("{\"type\":\"flow\",", fp);
	json_key(fp, "ts");
	json_str(fp, util_iso8601(r->first_us, ts, sizeof(ts)));
	fputc(',', fp);
	json_key(fp, "ts_end");
	json_str(fp, util_iso8601(r->last_us, te, sizeof(te)));
	fputc(',', fp);
	endpoints(fp, r->family, r->client_ip, r->client_port, r->server_ip,
	    r->server_port, r->proto);
	fputc(',', fp);
	json_key(fp, "app");
	json_str(fp, app_str(r->app));
	str_or_null(fp, "sni", r->name, r->name_src == NAME_SNI);
	str_or_null(fp, "http_host", r->name, r->name_src == NAME_HTTP_HOST);
	str_or_null(fp, "dns_query", r->name, r->name_src == NAME_DNS_QUERY);
	if (r->name_src == NAME_STUN_REALM)	/* only then: issue 16 */
		str_or_null(fp, "stun_realm", r->name, 1);
	if (r->name_src == NAME_SOCKS)
		str_or_null(fp, "socks_target", r->name, 1);
	if (r->name_src == NAME_SIP)
		str_or_null(fp, "sip_domain", r->name, 1);
	str_or_null(fp, "service", r->service, has_svc);
	str_or_null(fp, "category", r->category, has_svc);
	fputs(",\"sanctioned\":", fp);
	fputs(!has_svc ? "null" : r->verdict == VERDICT_SANCTIONED ? "true" :
	    "false", fp);
	fputc(',', fp);
	json_key(fp, "status");
	json_str(fp, verdict_str(r->verdict));
	fprintf(fp, ",\"vlan\":%u", r->vlan);
	detail_keys(fp, r, d);
	fputc(',', fp);
	json_key(fp, "country");
	json_str(fp, r->country[0] != '\0' ? r->country : NULL);
	fputs(",\"asn\":", fp);
	if (r->asn != 0)
		fprintf(fp, "%u", r->asn);
	else
		fputs("null", fp);
	str_or_null(fp, "department", r->department, 1);
	str_or_null(fp, "domain", r->domain, 1);
	str_or_null(fp, "instance", r->instance, 1);
	fprintf(fp, ",\"bytes_up\":%" PRIu64 ",\"bytes_down\":%" PRIu64
	    ",\"pkts_up\":%" PRIu64 ",\"pkts_down\":%" PRIu64 "}\n",
	    r->bytes_up, r->bytes_down, r->pkts_up, r->pkts_down);
	return written(ev);
}

static const char *
qtype_str(uint16_t t)
{
	switch (t) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_CNAME:
		return "CNAME";
	case DNS_TYPE_AAAA:
		return "AAAA";
	}
	return NULL;
}

static void
endpoints(FILE *fp, int family, const uint8_t *cip, uint16_t cport,
    const uint8_t *sip, uint16_t sport, uint8_t proto)
{
	char ip[UTIL_ADDR_LEN];

	json_key(fp, "src_ip");
	json_str(fp, util_addr_str(family, cip, ip, sizeof(ip)));
	fprintf(fp, ",\"src_port\":%u,", cport);
	json_key(fp, "dst_ip");
	json_str(fp, util_addr_str(family, sip, ip, sizeof(ip)));
	fprintf(fp, ",\"dst_port\":%u,", sport);
	json_key(fp, "proto");
	json_str(fp, proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ?
	    "udp" : NULL);
}

int
events_dns(struct events *ev, const struct dns_event *e)
{
	char ts[UTIL_TS_LEN];
	FILE *fp = ev->fp;
	const char *qt;
	size_t i;

	if (ev->format == EVENTS_FMT_EVE) {
		events_eve_dns(fp, ev->host, e);
		return written(ev);
	}
	fputs("{\"type\":\"dns\",", fp);
	json_key(fp, "ts");
	json_str(fp, util_iso8601(e->ts_us, ts, sizeof(ts)));
	fputc(',', fp);
	endpoints(fp, e->family, e->client_ip, e->client_port, e->server_ip,
	    e->server_port, e->proto);
	fputc(',', fp);
	json_key(fp, "query");
	json_str(fp, e->query[0] != '\0' ? e->query : NULL);
	fputc(',', fp);
	json_key(fp, "qtype");
	if ((qt = qtype_str(e->qtype)) != NULL)
		json_str(fp, qt);
	else
		fprintf(fp, "%u", e->qtype);
	if (e->rcode < 0) {
		fputs(",\"rcode\":null,\"rtt_ms\":null,\"answers\":null}\n", fp);
	} else {
		fprintf(fp, ",\"rcode\":%d,\"rtt_ms\":", e->rcode);
		if (e->rtt_us >= 0)
			fprintf(fp, "%.3f", (double)e->rtt_us / 1000.0);
		else
			fputs("null", fp);
		fputs(",\"answers\":[", fp);
		for (i = 0; i < e->nanswers; i++) {
			fprintf(fp, "%s{\"type\":", i > 0 ? "," : "");
			json_str(fp, qtype_str(e->answers[i].type));
			fprintf(fp, ",\"ttl\":%u,", e->answers[i].ttl);
			json_key(fp, "value");
			json_str(fp, e->answers[i].value);
			fputc('}', fp);
		}
		fputs("]}\n", fp);
	}
	return written(ev);
}

int
events_dhcp(struct events *ev, int64_t ts_us, const struct dhcp_msg *m,
    const struct flow *f)
{
	static const uint8_t zero[4];
	char ts[UTIL_TS_LEN], buf[UTIL_ADDR_LEN];
	FILE *fp = ev->fp;
	const uint8_t *ip = NULL;

	if (ev->format == EVENTS_FMT_EVE) {
		events_eve_dhcp(fp, ev->host, ts_us, m, f);
		return written(ev);
	}
	if (m->version == 4) {
		if (memcmp(m->yiaddr, zero, 4) != 0)
			ip = m->yiaddr;
		else if (memcmp(m->ciaddr, zero, 4) != 0)
			ip = m->ciaddr;
		else if (m->has_requested_ip)
			ip = m->requested_ip;
	}
	fputs("{\"type\":\"dhcp\",", fp);
	json_key(fp, "ts");
	json_str(fp, util_iso8601(ts_us, ts, sizeof(ts)));
	fprintf(fp, ",\"version\":%d,", m->version);
	json_key(fp, "msg_type");
	json_str(fp, dhcp_type_name(m->version, m->msg_type));
	fputc(',', fp);
	json_key(fp, "mac");
	json_str(fp, m->has_mac ? util_mac_str(m->mac, buf, sizeof(buf)) :
	    NULL);
	fputc(',', fp);
	json_key(fp, "ip");
	json_str(fp, ip != NULL ? util_addr_str(4, ip, buf, sizeof(buf)) :
	    NULL);
	str_or_null(fp, "hostname", m->hostname, 1);
	str_or_null(fp, "fqdn", m->fqdn, 1);
	str_or_null(fp, "vendor_class", m->vendor_class, 1);
	str_or_null(fp, "prl", m->prl, 1);
	fputs("}\n", fp);
	return written(ev);
}

/* FNV-1a over a buffer, continuing from h. */
static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int
events_devname(struct events *ev, const struct pkt *p, const struct devname *n)
{
	static const char *const srcs[] = { "", "mdns", "llmnr", "netbios" };
	char ts[UTIL_TS_LEN], buf[UTIL_ADDR_LEN];
	FILE *fp = ev->fp;
	uint64_t h = 0xcbf29ce484222325ull;
	uint64_t *slot;

	if (ev->format == EVENTS_FMT_EVE)
		return 0;
	h = fnv1a(h, &n->src, sizeof(n->src));
	h = fnv1a(h, n->name, strlen(n->name) + 1);
	h = fnv1a(h, &n->family, sizeof(n->family));
	h = fnv1a(h, n->addr, sizeof(n->addr));
	h = fnv1a(h, &p->family, sizeof(p->family));
	h = fnv1a(h, p->src, sizeof(p->src));
	h |= 1;			/* never 0, the empty slot */
	slot = &ev->devname_seen[h % EVENTS_DEVNAME_SEEN];
	if (*slot == h)
		return 0;
	*slot = h;
	fputs("{\"type\":\"device_name\",", fp);
	json_key(fp, "ts");
	json_str(fp, util_iso8601(p->ts_us, ts, sizeof(ts)));
	fputc(',', fp);
	json_key(fp, "source");
	json_str(fp, n->src >= DEVNAME_MDNS && n->src <= DEVNAME_NBNS ?
	    srcs[n->src] : NULL);
	str_or_null(fp, "name", n->name, 1);
	fputc(',', fp);
	json_key(fp, "ip");
	json_str(fp, n->family != 0 ? util_addr_str(n->family, n->addr, buf,
	    sizeof(buf)) : NULL);
	fputc(',', fp);
	json_key(fp, "src_ip");
	json_str(fp, util_addr_str(p->family, p->src, buf, sizeof(buf)));
	fputc(',', fp);
	json_key(fp, "src_mac");
	json_str(fp, p->has_mac ? util_mac_str(p->src_mac, buf, sizeof(buf)) :
	    NULL);
	fputs("}\n", fp);
	return written(ev);
}
