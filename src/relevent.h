/* SPDX-License-Identifier: ISC */
/*
 * relevent.h: the sniffer's network-health events. What it sees becomes
 * fixed-layout struct rel_event messages (base/record.h), one per DNS
 * question, TCP connection attempt and DHCP message of interest,
 * attributed to the client device at the time the exchange began; the
 * store sums them (store/relagg.h).
 */
#ifndef SHADOWTAP_RELEVENT_H
#define SHADOWTAP_RELEVENT_H

#include <stdint.h>

#include "base/record.h"

struct dhcp_msg;
struct dns_event;
struct flow;

/*
 * The event of what ended or was seen, without the
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
int		 relevent_from_flow(const struct flow *f, int why,
		    int64_t last_us, struct rel_event *e);
int		 relevent_from_dns(const struct dns_event *d,
		    struct rel_event *e);
int		 relevent_from_dhcp(const struct dhcp_msg *m, int64_t ts_us,
		    uint16_t vlan, struct rel_event *e);

#endif
