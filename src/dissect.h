/* SPDX-License-Identifier: ISC */
/*
 * dissect.h: hands the first packets of a flow to the dissectors that fit
 * it (DNS, TLS, HTTP) and records what they find in the flow: the
 * application and the best server name. A flow is inspected until it is
 * named, its stream buffer is full, or DEF_INSPECT_PKTS payload packets
 * have passed; after that only its bytes are counted. DNS is the
 * exception: every message is parsed, for the per-query DNS events.
 */
#ifndef SHADOWTAP_DISSECT_H
#define SHADOWTAP_DISSECT_H

#include <stdint.h>

#include "dissect/result.h"

struct dns_msg;
struct flow;
struct flow_table;
struct pkt;

/* Optional observers of what the dissectors parse (NULL to ignore). */
struct dissect_hooks {
	void	(*dns)(void *arg, const struct flow *f, int dir,
		    const struct pkt *p, const struct dns_msg *m);
	void	 *arg;
};

struct dissect_stats {
	uint64_t	dns_messages;	/* parsed DNS messages */
	uint64_t	dns_bad;	/* DNS port traffic that did not parse */
	uint64_t	tls_hellos;	/* ClientHellos parsed */
	uint64_t	tls_bad;	/* malformed TLS handshakes */
	uint64_t	tls_no_sni;	/* ClientHellos without a usable SNI */
	uint64_t	http_requests;	/* request heads parsed */
	uint64_t	http_bad;	/* malformed request heads */
	uint64_t	gave_up;	/* flows inspected to the limit unnamed */
};

/*
 * Inspects one packet of f travelling in dir. Returns 1 when this packet
 * gave f its name (f->name, f->name_src and f->app are set; the caller
 * then matches the name), else 0. Clears f->inspecting and releases the
 * flow's stream slot once inspection is over. DNS flows stay inspected
 * for their whole life so that every message reaches hooks->dns.
 */
int	dissect_packet(struct flow_table *ft, struct flow *f, int dir,
	    const struct pkt *p, const struct dissect_hooks *hooks,
	    struct dissect_stats *st);

#endif
