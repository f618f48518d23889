/* SPDX-License-Identifier: ISC */
/*
 * dnslog.h: pairs DNS queries with their responses and hands out one
 * struct dns_event per query: the question, the response code and the
 * answers when a response was seen, and nothing else when it was not
 * (a timeout). A fixed table of pending queries, expired by packet time;
 * when it is full the oldest query in the slot is reported unanswered.
 * Messages come in as struct dnslog_msg, which the dissect stage above
 * fills from its own parse, so this stage needs no dissector header.
 */
#ifndef SHADOWTAP_DNSLOG_H
#define SHADOWTAP_DNSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/hostname.h"

struct flow;
struct dnslog;

/* Answer types a message and an event carry (RFC 1035 3.2.2, RFC 3596). */
#define DNSLOG_TYPE_A		1
#define DNSLOG_TYPE_CNAME	5
#define DNSLOG_TYPE_AAAA	28
#define DNSLOG_MAX_ANSWERS	16	/* answers kept per message */

/*
 * One DNS message as dnslog_message() reads it: the header fields, the
 * first question and the A, AAAA and CNAME answers. The pointers belong
 * to the caller and are only read during the call.
 */
struct dnslog_answer {
	uint16_t	 type;		/* DNSLOG_TYPE_A, _AAAA or _CNAME */
	uint32_t	 ttl;
	const uint8_t	*addr;		/* A: 4 bytes, AAAA: 16 bytes */
	const char	*cname;		/* CNAME target */
};

struct dnslog_msg {
	uint16_t	 id;		/* transaction id */
	uint8_t		 qr;		/* 0 query, 1 response */
	uint8_t		 rcode;
	uint16_t	 qtype;
	const char	*qname;		/* first question; "" if none */
	size_t		 nanswers;	/* entries used in answers[] */
	struct dnslog_answer answers[DNSLOG_MAX_ANSWERS];
};

struct dns_event_answer {
	uint16_t	type;			/* DNSLOG_TYPE_A, _AAAA, _CNAME */
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
	struct dns_event_answer answers[DNSLOG_MAX_ANSWERS];
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
		    int64_t ts_us, const struct dnslog_msg *m);
/* Reports queries pending longer than the timeout as unanswered. */
void		 dnslog_expire(struct dnslog *, int64_t now_us);
/* Reports every pending query (end of run). */
void		 dnslog_drain(struct dnslog *);

const struct dnslog_stats *dnslog_stats(const struct dnslog *);

#endif
