/* SPDX-License-Identifier: ISC */
/*
 * relagg.h: network-health events and their accumulator. The sniffer
 * turns what it sees into fixed-layout struct rel_event messages (one per
 * DNS question, TCP connection attempt and DHCP message of interest),
 * attributed to the client device at the time the exchange began. The
 * store side sums them per interval, network segment and device in a
 * table of fixed capacity, and writes the sums to the store's reliability
 * table, adding to what an earlier flush wrote for the same key.
 */
#ifndef SHADOWTAP_RELAGG_H
#define SHADOWTAP_RELAGG_H

#include <stddef.h>
#include <stdint.h>

#include "base/health.h"

enum rel_event_kind {
	REL_EV_DNS_ANSWERED = 1,	/* a response (rcode other than below) */
	REL_EV_DNS_TIMEOUT,		/* no response within the timeout */
	REL_EV_DNS_SERVFAIL,
	REL_EV_DNS_REFUSED,
	REL_EV_TCP_OK,			/* handshake completed */
	REL_EV_TCP_UNANSWERED,		/* SYN, never a SYN-ACK */
	REL_EV_TCP_RESET,		/* SYN, then a reset, no SYN-ACK */
	REL_EV_TCP_CUT,			/* established, reset mid-transfer */
	REL_EV_DHCP_DISCOVER,
	REL_EV_DHCP_OFFER,
	REL_EV_DHCP_REQUEST,
	REL_EV_DHCP_NAK,
	REL_EV_MAX
};

/* Crosses the privsep channel (PRIVSEP_REL): fixed layout, no pointers,
 * no implicit padding, 128 bytes. */
struct rel_event {
	int64_t		ts_us;		/* when the exchange began, packet time */
	int32_t		rtt_ms;		/* DNS response time, -1 when none */
	uint8_t		kind;		/* enum rel_event_kind */
	uint8_t		family;		/* 4 or 6; 0 when ip is unknown */
	uint8_t		has_mac;	/* 0 or 1 */
	uint8_t		pad0;		/* zero */
	uint16_t	vlan;		/* 0..4095 */
	uint8_t		mac[6];		/* the client device */
	uint8_t		ip[16];		/* IPv4 in the first 4 bytes */
	char		department[64];	/* policy department, "" none */
	int32_t		hs_server_us;	/* TCP: SYN to SYN-ACK, -1 unknown */
	int32_t		hs_client_us;	/* TCP: SYN-ACK to ACK, -1 unknown */
	uint32_t	tcp_packets;	/* TCP: the flow's packets, both ways */
	uint32_t	tcp_retrans;	/* TCP: segments sent again */
	uint32_t	tcp_ooo;	/* TCP: segments after a gap */
	uint32_t	pad1;		/* zero */
};

/*
 * Checks a received event: kind in range, family 0/4/6, has_mac 0/1,
 * padding zero, vlan < 4096, rtt_ms -1..3600000, handshake times
 * -1..60000000, department NUL-terminated and printable, the TCP
 * packet counts zero unless a TCP kind, and retransmissions and gaps no
 * more than the packets. 0, or -1
 * with the reason in why (may be NULL).
 */
int		 relagg_event_check(const struct rel_event *, char *why,
		    size_t whysz);

struct dhcp_msg;
struct dns_event;
struct flow;

/*
 * Sniffer side: the event of what ended or was seen, without the
 * department (the caller looks it up in the policy). Each fills *e and
 * returns 1, or returns 0 when there is nothing to count. A flow counts
 * when it is TCP and its SYN was seen: completed, cut (reset without FIN
 * after a few packets each way), reset before the SYN-ACK, or never
 * answered; why (enum flow_end) is FLOW_END_DRAIN at the end of the run,
 * and a SYN within the DNS timeout of last_us (the run's last packet) is
 * then left out, as it may still be answered. A DNS event counts unless
 * it is a response to a question never seen. DHCP counts DISCOVER
 * (SOLICIT), OFFER (ADVERTISE), REQUEST and NAK with a client MAC; the
 * device has no address yet, so the event carries its VLAN only.
 */
int		 relagg_from_flow(const struct flow *f, int why,
		    int64_t last_us, struct rel_event *e);
int		 relagg_from_dns(const struct dns_event *d,
		    struct rel_event *e);
int		 relagg_from_dhcp(const struct dhcp_msg *m, int64_t ts_us,
		    uint16_t vlan, struct rel_event *e);

/*
 * The segment of an event: its department, else the /24 (IPv4) or /64
 * (IPv6) of its address, else "VLAN n", else "unknown". Returns buf.
 */
char		*relagg_segment(const struct rel_event *, char *buf, size_t len);

struct store;
struct relagg;

struct relagg_stats {
	uint64_t	events;
	uint64_t	dropped;	/* the table was full */
	uint64_t	rows_written;
	uint64_t	write_errors;
};

/* capacity rows of interval_s seconds each; aborts if memory is short. */
struct relagg	*relagg_new(size_t capacity, int interval_s);
void		 relagg_free(struct relagg *);
/* Counts one checked event. 0, or -1 when the table is full (counted). */
int		 relagg_add(struct relagg *, const struct rel_event *);
size_t		 relagg_rows(const struct relagg *);
/*
 * Writes every row in one transaction and empties the table. 0, or -1
 * with the store's message (the rows are kept for the next try).
 */
int		 relagg_flush(struct relagg *, struct store *);
const struct relagg_stats *relagg_stats(const struct relagg *);

#endif
