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
#include "base/record.h"

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
