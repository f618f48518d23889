/* SPDX-License-Identifier: ISC */
/*
 * dissect.c: the dispatch from a flow's packets to the dissectors. Ports
 * only pick which parser to try first for UDP; TCP streams are recognised
 * by their content (a ClientHello on port 80 is still TLS). Nothing here
 * allocates; the stream bytes live in the flow table's slots.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <string.h>

#include "app.h"
#include "decode.h"
#include "dissect.h"
#include "dissect/dns.h"
#include "dissect/http.h"
#include "dissect/tls.h"
#include "flow.h"
#include "record.h"
#include "util.h"

#define PORT_DNS	53	/* RFC 1035 */
#define PORT_MDNS	5353	/* RFC 6762 */
#define PORT_LLMNR	5355	/* RFC 4795 */
#define DNS_TCP_LEN	2	/* RFC 1035 4.2.2 length prefix */

static void
done(struct flow_table *ft, struct flow *f)
{
	f->inspecting = 0;
	flow_stream_release(ft, f);
}

static int
set_name(struct flow_table *ft, struct flow *f, enum app app,
    enum name_src src, const char *name)
{
	f->app = app;
	done(ft, f);
	if (name[0] == '\0')
		return 0;
	strlcpy(f->name, name, sizeof(f->name));
	f->name_src = src;
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
on_dns(struct flow *f, int dir, const struct pkt *pk, const uint8_t *p,
    size_t len, const struct dissect_hooks *hooks, struct dissect_stats *st)
{
	struct dns_msg m;
	enum dis_result r;

	r = dns_parse(p, len, &m);
	if (r != DIS_OK) {
		st->dns_bad++;
		return 0;
	}
	st->dns_messages++;
	f->app = APP_DNS;
	if (hooks != NULL && hooks->dns != NULL)
		hooks->dns(hooks->arg, f, dir, pk, &m);
	if (m.qname[0] == '\0' || f->name[0] != '\0')
		return 0;
	strlcpy(f->name, m.qname, sizeof(f->name));
	f->name_src = NAME_DNS_QUERY;
	return 1;
}

static int
on_stream(struct flow_table *ft, struct flow *f, const uint8_t *buf,
    size_t len, int full, struct dissect_stats *st)
{
	struct tls_hello hello;
	struct http_req req;
	enum dis_result r;

	r = tls_parse_client_hello(buf, len, &hello);
	switch (r) {
	case DIS_OK:
		st->tls_hellos++;
		if (!hello.has_sni || hello.sni[0] == '\0')
			st->tls_no_sni++;
		return set_name(ft, f, APP_TLS, NAME_SNI, hello.sni);
	case DIS_MORE:
		if (full) {
			st->tls_bad++;
			done(ft, f);
		}
		f->app = APP_TLS;
		return 0;
	case DIS_BAD:
		st->tls_bad++;
		f->app = APP_TLS;
		done(ft, f);
		return 0;
	case DIS_NOTME:
		break;
	}
	r = http_parse_request(buf, len, full, &req);
	switch (r) {
	case DIS_OK:
		st->http_requests++;
		return set_name(ft, f, APP_HTTP, NAME_HTTP_HOST, req.host);
	case DIS_MORE:
		if (full)
			done(ft, f);
		return 0;
	case DIS_BAD:
		st->http_bad++;
		f->app = APP_HTTP;
		done(ft, f);
		return 0;
	case DIS_NOTME:
		break;
	}
	done(ft, f);
	return 0;
}

int
dissect_packet(struct flow_table *ft, struct flow *f, int dir,
    const struct pkt *p, const struct dissect_hooks *hooks,
    struct dissect_stats *st)
{
	const uint8_t *buf;
	size_t len;
	int named = 0, full;

	if (!f->inspecting)
		return 0;
	if (p->proto == IPPROTO_UDP) {
		if (p->payload_len == 0)
			return 0;
		if (is_dns_port(p->sport) || is_dns_port(p->dport))
			return on_dns(f, dir, p, p->payload, p->payload_len,
			    hooks, st);
	} else if (p->proto == IPPROTO_TCP) {
		if (flow_stream_add(ft, f, dir, p, &buf, &len) == -1) {
			/* No stream slot: judge single segments. */
			buf = p->payload;
			len = p->payload_len;
		}
		if (p->payload_len == 0 || dir != FLOW_UP || len == 0)
			goto count;
		full = flow_stream_full(ft, f, dir);
		if (p->sport == PORT_DNS || p->dport == PORT_DNS) {
			size_t mlen;

			if (len < DNS_TCP_LEN)
				goto count;
			mlen = (size_t)buf[0] << 8 | buf[1];
			if (len - DNS_TCP_LEN >= mlen) {
				named = on_dns(f, dir, p, buf + DNS_TCP_LEN,
				    mlen, hooks, st);
				done(ft, f);
			} else if (full) {
				done(ft, f);
			}
		} else {
			named = on_stream(ft, f, buf, len, full, st);
		}
	}
count:
	if (p->payload_len > 0 && f->inspecting &&
	    ++f->inspected_pkts >= DEF_INSPECT_PKTS) {
		st->gave_up++;
		done(ft, f);
	}
	return named;
}
