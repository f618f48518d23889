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

#include "app.h"
#include "decode.h"
#include "dissect.h"
#include "dissect/dns.h"
#include "dissect/http.h"
#include "dissect/ja3.h"
#include "dissect/ja4.h"
#include "dissect/tls.h"
#include "flow.h"
#include "names.h"
#include "record.h"
#include "util.h"

#define PORT_DNS	53	/* RFC 1035 */
#define PORT_MDNS	5353	/* RFC 6762 */
#define PORT_LLMNR	5355	/* RFC 4795 */
#define DNS_TCP_LEN	2	/* RFC 1035 4.2.2 length prefix */

/* How sure each kind of evidence makes us (0..100), for events. */
#define QUIC_LONG_HEADER 0x80	/* RFC 9000 17.2: header form bit */
#define GQUIC_VERSION_FLAG 0x01	/* gQUIC <= Q043 public flags: version */
#define QUIC_MAX_TRIES	4	/* client datagrams tried before giving up */

#define CONF_SNI	95
#define CONF_QUIC_SNI	95
#define CONF_HTTP_HOST	90
#define CONF_DNS_QUERY	90
#define CONF_DNS_CACHE	70

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

/*
 * DNS flows are parsed message by message for as long as they live: one
 * flow (a client port reused) can carry many questions, and each one goes
 * to the hook. The first question names the flow.
 */
static int
on_dns(struct dissect *d, struct flow *f, int dir, const struct pkt *pk,
    const uint8_t *p, size_t len)
{
	struct dns_msg m;
	size_t i;

	if (dns_parse(p, len, &m) != DIS_OK) {
		d->st.dns_bad++;
		return 0;
	}
	d->st.dns_messages++;
	f->app = APP_DNS;
	if (d->hooks.dns != NULL)
		d->hooks.dns(d->hooks.arg, f, dir, pk, &m);
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

	if (fd == NULL)
		return;
	if (h->nalpn > 0)
		strlcpy(fd->alpn, h->alpn[0], sizeof(fd->alpn));
	fd->ech = h->ech != 0;
	if (ja3_compute(h, ja3str, sizeof(ja3str), fd->ja3) != 0)
		fd->ja3[0] = '\0';
	if (ja4_compute(h, quic, fd->ja4) != 0)
		fd->ja4[0] = '\0';
}

static int
on_stream(struct dissect *d, struct flow *f, const uint8_t *buf, size_t len,
    int full)
{
	struct tls_hello hello;
	struct http_req req;
	struct flow_detail *fd;
	int named;

	switch (tls_parse_client_hello(buf, len, &hello)) {
	case DIS_OK:
		d->st.tls_hellos++;
		f->app = APP_TLS;
		if (!hello.has_sni || hello.sni[0] == '\0')
			d->st.tls_no_sni++;
		if (hello.ech)
			d->st.tls_ech++;
		named = name_flow(d, f, hello.sni, NAME_SNI, EVIDENCE_SNI,
		    CONF_SNI);
		keep_hello(d, f, &hello, 0);
		done(d, f);
		return named;
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
		done(d, f);
		return 0;
	case DIS_NOTME:
		break;
	}
	switch (http_parse_request(buf, len, full, &req)) {
	case DIS_OK:
		d->st.http_requests++;
		f->app = APP_HTTP;
		named = name_flow(d, f, req.host, NAME_HTTP_HOST,
		    EVIDENCE_HTTP_HOST, CONF_HTTP_HOST);
		if ((fd = flow_detail_get(d->flows, f)) != NULL)
			strlcpy(fd->user_agent, req.user_agent,
			    sizeof(fd->user_agent));
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
	done(d, f);
	return 0;
}

static_assert(sizeof(struct quic_keyctx) <= FLOW_STREAM_AUX_LEN,
    "QUIC keys must fit in a stream slot's scratch");

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
	ctx = flow_stream_aux(d->flows, f);
	r = quic_parse_client(p->payload, p->payload_len, ctx, qi);
	if (r == DIS_BAD)
		d->st.quic_bad++;
	if (r != DIS_OK) {
		if (f->app != APP_QUIC || f->inspected_pkts >= QUIC_MAX_TRIES)
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
		}
	} else {
		r = tls_parse_handshake(buf, len, &hello);
		if (r == DIS_OK) {
			d->st.tls_hellos++;
			named = name_flow(d, f, hello.sni, NAME_SNI,
			    EVIDENCE_QUIC_SNI, CONF_QUIC_SNI);
			keep_hello(d, f, &hello, 1);
		}
	}
	if (r != DIS_MORE || flow_stream_full(d->flows, f, FLOW_UP))
		done(d, f);
	return named;
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
	const uint8_t *buf;
	size_t len;
	int named = 0, full;

	if (!f->inspecting)
		return 0;
	if (f->pkts[FLOW_UP] + f->pkts[FLOW_DOWN] == 1 &&
	    !is_dns_port(flow_server_port(f)))
		named = from_dns_cache(d, f, p->ts_us);
	if (p->proto == IPPROTO_UDP) {
		if (p->payload_len == 0)
			return named;
		if (is_dns_port(p->sport) || is_dns_port(p->dport))
			return on_dns(d, f, dir, p, p->payload,
			    p->payload_len) || named;
		if (dir == FLOW_UP && (p->payload[0] & (QUIC_LONG_HEADER |
		    GQUIC_VERSION_FLAG)))
			named |= on_quic(d, f, p);
		else if (f->app != APP_QUIC)
			done(d, f);
	} else if (p->proto == IPPROTO_TCP) {
		if (flow_stream_add(d->flows, f, dir, p, &buf, &len) == -1) {
			/* No stream slot: judge single segments. */
			buf = p->payload;
			len = p->payload_len;
		}
		if (p->payload_len == 0 || dir != FLOW_UP || len == 0)
			goto count;
		full = flow_stream_full(d->flows, f, dir);
		if (p->sport == PORT_DNS || p->dport == PORT_DNS) {
			size_t mlen;

			if (len < DNS_TCP_LEN)
				goto count;
			mlen = (size_t)buf[0] << 8 | buf[1];
			if (len - DNS_TCP_LEN >= mlen) {
				named |= on_dns(d, f, dir, p,
				    buf + DNS_TCP_LEN, mlen);
				done(d, f);
			} else if (full) {
				done(d, f);
			}
		} else {
			named |= on_stream(d, f, buf, len, full);
		}
	}
count:
	if (p->payload_len > 0 && f->inspecting &&
	    ++f->inspected_pkts >= DEF_INSPECT_PKTS) {
		d->st.gave_up++;
		done(d, f);
	}
	return named;
}
