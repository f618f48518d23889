/* SPDX-License-Identifier: ISC */
/*
 * health.h: the network-health counters, the contract between the three
 * places that handle them: the sniffer counts them per device and hour
 * (struct rel_event), the store keeps them (table reliability), the
 * report judges them (report/reliability.h). Also the signals made of
 * them, and the policy's thresholds for those signals.
 */
#ifndef SHADOWTAP_HEALTH_H
#define SHADOWTAP_HEALTH_H

#include <stddef.h>
#include <stdint.h>

/* The counters of one device over one interval (store table reliability). */
enum rel_count {
	REL_DNS_QUERIES = 0,	/* questions asked */
	REL_DNS_TIMEOUTS,	/* no response within the timeout */
	REL_DNS_SERVFAIL,	/* rcode 2 */
	REL_DNS_REFUSED,	/* rcode 5 */
	REL_DNS_ANSWERED,	/* any response */
	REL_DNS_RTT_MS,		/* sum of response times of those */
	REL_TCP_ATTEMPTS,	/* SYNs seen from the device */
	REL_TCP_UNANSWERED,	/* no SYN-ACK ever came */
	REL_TCP_RESET,		/* reset before the handshake completed */
	REL_TCP_CUT,		/* reset mid-transfer, no FIN */
	REL_DHCP_DISCOVER,
	REL_DHCP_OFFER,
	REL_DHCP_REQUEST,
	REL_DHCP_NAK,
	REL_TCP_HANDSHAKES,	/* handshakes timed (SYN, SYN-ACK, ACK seen) */
	REL_TCP_HS_SERVER_US,	/* sum of SYN to SYN-ACK times */
	REL_TCP_HS_CLIENT_US,	/* sum of SYN-ACK to ACK times */
	REL_TCP_PACKETS,	/* packets of the TCP connections counted */
	REL_TCP_RETRANS,	/* their segments sent again */
	REL_TCP_OOO,		/* their segments after a gap */
	REL_DNS_SLOW,		/* answers later than REL_DNS_SLOW_MS */
	REL_NCOUNTS
};

/* What findings are made of: failures out of attempts. */
enum rel_signal {
	REL_SIG_DNS_TIMEOUT = 0,	/* timeouts / queries */
	REL_SIG_DNS_ERROR,		/* (SERVFAIL + REFUSED) / queries */
	REL_SIG_TCP_FAIL,		/* (unanswered + reset) / attempts */
	REL_SIG_DHCP_FAIL,		/* (DISCOVER without OFFER + NAK) /
					   (DISCOVER + REQUEST) */
	REL_SIG_DNS_SLOW,		/* slow answers / answers */
	REL_SIG_TCP_RETRANS,		/* segments sent again / packets */
	REL_NSIGNALS
};

#define REL_HOURS		24
#define REL_WEEKDAYS		7	/* 0 = Monday */
#define REL_TOP_DEVICES		10	/* devices listed per finding */
#define REL_HEAT_NONE		UINT32_MAX /* no attempts in that slot */
#define REL_ALPHA		0.001	/* chance an abnormal hour is noise */

/* Thresholds ("reliability" statements of the policy). */
struct rel_opts {
	unsigned	 min_days;	/* distinct days a window must recur */
	unsigned	 min_events;	/* attempts for an hour to be judged */
	double		 factor;	/* times the segment's usual rate */
	double		 min_rate[REL_NSIGNALS]; /* and at least this, 0..1 */
};

#define REL_DEF_MIN_DAYS	3
#define REL_DEF_MIN_EVENTS	20
#define REL_DEF_FACTOR		3.0
#define REL_DEF_DNS_TIMEOUT	0.05
#define REL_DEF_DNS_ERROR	0.05
#define REL_DEF_TCP_FAIL	0.05
#define REL_DEF_DHCP_FAIL	0.20
#define REL_DEF_DNS_SLOW	0.10
#define REL_DEF_TCP_RETRANS	0.05
#define REL_DNS_SLOW_MS		500	/* a DNS answer this late stalls a page */

/* Fills o with the REL_DEF_* values. */
void		 health_opts_default(struct rel_opts *o);
/* Stable names: "dns-timeouts", "dns-errors", "tcp-failures",
 * "dhcp-failures", "dns-slow", "tcp-retransmits" (policy keys and JSON
 * values). NULL when out of range. */
const char	*health_signal_name(enum rel_signal);
/* The signal of a policy key, or -1. */
int		 health_signal_by_name(const char *);
/* Failures and attempts of signal s in counters n. */
uint64_t	 health_failures(const uint64_t *n, enum rel_signal s);
uint64_t	 health_attempts(const uint64_t *n, enum rel_signal s);

#endif
