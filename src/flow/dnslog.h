/* SPDX-License-Identifier: ISC */
/*
 * dnslog.h: pairs DNS queries with their responses and hands out one
 * struct dns_event per query: the question, the response code and the
 * answers when a response was seen, and nothing else when it was not
 * (a timeout). A fixed table of pending queries, expired by packet time;
 * when it is full the oldest query in the slot is reported unanswered.
 */
#ifndef SHADOWTAP_DNSLOG_H
#define SHADOWTAP_DNSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/dns.h"

struct flow;
struct dnslog;

struct dns_event_answer {
	uint16_t	type;			/* DNS_TYPE_A, _AAAA, _CNAME */
	uint32_t	ttl;
	char		value[HOSTNAME_SIZE];	/* address text or CNAME */
};

struct dns_event {
	int64_t		ts_us;		/* query time (response time if alone) */
	int64_t		rtt_us;		/* response - query, or -1 */
	uint8_t		family;
	uint8_t		proto;
	uint8_t		client_ip[16];
	uint8_t		server_ip[16];
	uint16_t	client_port;
	uint16_t	server_port;
	uint16_t	vlan;		/* the query's 802.1Q id, 0 if none */
	uint8_t		has_mac;	/* client_mac is valid */
	uint8_t		client_mac[6];
	char		query[HOSTNAME_SIZE];	/* "" when not a valid name */
	uint16_t	qtype;
	int		rcode;		/* -1: no response seen */
	size_t		nanswers;
	struct dns_event_answer answers[DNS_MAX_ANSWERS];
};

typedef void	dnslog_cb(void *arg, const struct dns_event *);

struct dnslog_stats {
	uint64_t	queries;
	uint64_t	answered;
	uint64_t	unanswered;	/* timed out, evicted or still open */
	uint64_t	unmatched;	/* responses with no query seen */
};

/* A table of slots pending queries, a timeout, and the event sink. */
struct dnslog	*dnslog_new(size_t slots, int64_t timeout_us, int deterministic,
		    dnslog_cb *cb, void *arg);
void		 dnslog_free(struct dnslog *);

/* One parsed DNS message of flow f, seen in direction dir at ts_us. */
void		 dnslog_message(struct dnslog *, const struct flow *f, int dir,
		    int64_t ts_us, const struct dns_msg *m);
/* Reports queries pending longer than the timeout as unanswered. */
void		 dnslog_expire(struct dnslog *, int64_t now_us);
/* Reports every pending query (end of run). */
void		 dnslog_drain(struct dnslog *);

const struct dnslog_stats *dnslog_stats(const struct dnslog *);

#endif
