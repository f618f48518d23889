/* SPDX-License-Identifier: ISC */
/*
 * dissect.h: hands the first packets of a flow to the dissectors that fit
 * it and records what they find in the flow: the application, the best
 * server name and the evidence for it, and in the flow's detail slot the
 * fingerprints (JA3, JA4), ALPN, user agent and ECH flag. A flow is
 * inspected until it is named, its stream buffer is full, or
 * DEF_INSPECT_PKTS payload packets have passed; after that only its bytes
 * are counted. DNS is the exception: every message is parsed, for the
 * per-query DNS events and the passive DNS cache.
 */
#ifndef SHADOWTAP_DISSECT_H
#define SHADOWTAP_DISSECT_H

#include <stdint.h>

#include "dissect/quic.h"
#include "dissect/result.h"

struct devname;
struct dhcp_msg;
struct dnslog_msg;
struct flow;
struct flow_table;
struct names;
struct peers;
struct pkt;

struct dissect_stats {
	uint64_t	dns_messages;	/* parsed DNS messages */
	uint64_t	dns_bad;	/* DNS port traffic that did not parse */
	uint64_t	tls_hellos;	/* ClientHellos parsed */
	uint64_t	tls_bad;	/* malformed TLS handshakes */
	uint64_t	tls_no_sni;	/* ClientHellos without a usable SNI */
	uint64_t	tls_ech;	/* ClientHellos with ECH */
	uint64_t	http_requests;	/* request heads parsed */
	uint64_t	http_bad;	/* malformed request heads */
	uint64_t	named_by_dns_cache; /* flows named by the DNS cache */
	uint64_t	named_by_peers;	/* flows named as a call's endpoint */
	uint64_t	certs;		/* server certificates read */
	uint64_t	signatures;	/* flows recognised by a signature */
	uint64_t	cleartext_logins; /* logins sent in clear */
	uint64_t	socks_targets;	/* flows named by a SOCKS target */
	uint64_t	sip_messages;	/* SIP messages parsed */
	uint64_t	embedded;	/* TLS/HTTP found after a preamble */
	uint64_t	dhcp_messages;
	uint64_t	dhcp_bad;
	uint64_t	device_names;	/* names devices gave themselves */
	uint64_t	quic_initials;	/* datagrams with a decrypted Initial */
	uint64_t	quic_bad;	/* Initials that did not decrypt */
	uint64_t	gave_up;	/* flows inspected to the limit unnamed */
};

/*
 * Optional observers of what the dissectors parse (NULL to ignore). Each
 * DNS message comes in the terms of flow/dnslog.h, ready for
 * dnslog_message(); its pointers are valid during the call only.
 */
struct dissect_hooks {
	void	(*dns)(void *arg, const struct flow *f, int dir,
		    const struct pkt *p, const struct dnslog_msg *m);
	void	(*dhcp)(void *arg, const struct flow *f, const struct pkt *p,
		    const struct dhcp_msg *m);
	/* A name a device gave itself (mDNS, LLMNR, NetBIOS; devname.h). */
	void	(*devname)(void *arg, const struct flow *f,
		    const struct pkt *p, const struct devname *n);
	void	 *arg;
};

/* What dissect_packet() works with; the caller owns every part. */
struct dissect {
	struct flow_table	*flows;
	struct names		*names;	/* passive DNS cache, or NULL */
	struct peers		*peers;	/* call endpoints, or NULL */
	struct dissect_hooks	 hooks;
	struct dissect_stats	 st;
	struct quic_initial	 qi;	/* scratch for one datagram */
};

/*
 * Inspects one packet of f travelling in dir (f was just returned by
 * flow_packet() for p). Returns 1 when this packet gave f a new name
 * (flow_name(), f->name_src, f->evidence and f->app are set; the caller
 * then matches it), else 0. Clears f->inspecting and releases the flow's
 * stream slot once inspection is over.
 */
int	dissect_packet(struct dissect *d, struct flow *f, int dir,
	    const struct pkt *p);

/*
 * Runs the fingerprints and the QUIC key schedule once on built-in bytes,
 * so that libcrypto loads its configuration and algorithms before the
 * sandbox forbids opening files. Call before sandbox_sniffer().
 */
void	dissect_warmup(struct dissect *d);

#endif
