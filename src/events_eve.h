/* SPDX-License-Identifier: ISC */
/*
 * events_eve.h: flow, DNS and DHCP events as Suricata EVE JSON lines
 * (capture --events-format eve), so that a SIEM that reads Suricata takes
 * them as they are; and the Community ID v1 of a flow. events.c chooses
 * between this and its own format; the keys are listed in doc/schema.md.
 */
#ifndef SHADOWTAP_EVENTS_EVE_H
#define SHADOWTAP_EVENTS_EVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/record.h"

struct dhcp_msg;
struct dns_event;
struct flow;
struct flow_detail;

/* "1:" + 28 base64 characters + NUL. */
#define EVENTS_EVE_CID_LEN	31

/*
 * The Community ID v1 of a flow (github.com/corelight/community-id-spec):
 * "1:" + base64(SHA1(seed, saddr, daddr, proto, 0, sport, dport)) with
 * the two endpoints ordered lowest address (then port) first. family is
 * 4 or 6 (addresses of 4 or 16 bytes). Ports count for TCP, UDP and SCTP;
 * for ICMP and ICMPv6 sport is the type and dport the code, mapped as the
 * spec says; other protocols hash no ports. Writes into buf (at least
 * EVENTS_EVE_CID_LEN bytes) and returns it, or "" when len is too small.
 */
char	*events_eve_community_id(uint16_t seed, int family, uint8_t proto,
	    const uint8_t *saddr, uint16_t sport, const uint8_t *daddr,
	    uint16_t dport, char *buf, size_t len);

/*
 * EVE's flow_id for the flow of these endpoints: a hash of the ordered
 * five-tuple and the VLAN id, the same whichever side is given as source,
 * below 2^53 so that every JSON reader keeps it exact. A later flow on the
 * same five-tuple gets the same id.
 */
int64_t	 events_eve_flow_id(int family, uint8_t proto, const uint8_t *saddr,
	    uint16_t sport, const uint8_t *daddr, uint16_t dport,
	    uint16_t vlan);

/*
 * Writes one flow as EVE lines to fp: an application event ("tls",
 * "quic" or "http") when the flow carried one, then the "flow" event.
 * host is the sensor name (NULL or "": omitted). d may be NULL.
 */
void	 events_eve_flow(FILE *fp, const char *host,
	    const struct flow_record *r, const struct flow_detail *d);
/* Writes one "dns" event. */
void	 events_eve_dns(FILE *fp, const char *host, const struct dns_event *e);
/* Writes one "dhcp" event (ts in packet time), with the endpoints of f
 * when it is not NULL. */
void	 events_eve_dhcp(FILE *fp, const char *host, int64_t ts_us,
	    const struct dhcp_msg *m, const struct flow *f);

#endif
