/* SPDX-License-Identifier: ISC */
/*
 * events.h: flow events as JSON Lines, one object per flow when it ends or
 * when the run ends. The keys are a public contract (doc/shadowtap.8,
 * EVENTS): type, ts, ts_end, src_ip, src_port, dst_ip, dst_port, proto,
 * app, sni, http_host, dns_query, service, category, sanctioned, status,
 * bytes_up, bytes_down, pkts_up, pkts_down (null when unknown; src is the
 * client), and from identification: alpn, ja3, ja4, quic_version,
 * cert_names, ech, http_user_agent, creds ({"proto","user"}: never a
 * password), evidence and confidence, signature, country, asn,
 * department, domain (registrable domain of an unclassified name).
 * DHCP events: type "dhcp", ts, version, msg_type, mac, ip, hostname,
 * fqdn, vendor_class, prl. New keys may be added; existing ones never
 * change meaning.
 * DNS events, one per query: type "dns", ts, src_ip, src_port, dst_ip,
 * dst_port, proto, query, qtype, rcode (null: no response seen), rtt_ms,
 * answers (array of {type, ttl, value}, null when no response).
 * Device name events: type "device_name", ts, source ("mdns", "llmnr",
 * "netbios"), name (as the device gave it, checked by dissect/devname.c),
 * ip (the address the name claims, null when none), src_ip, src_mac (the
 * sender's); the same name, address and sender are written once per
 * run (EVENTS_DEVNAME_SEEN remembered).
 * With EVENTS_FMT_EVE the same events are Suricata EVE lines instead
 * (events_eve.h; doc/schema.md lists both formats).
 */
#ifndef SHADOWTAP_EVENTS_H
#define SHADOWTAP_EVENTS_H

#include <stddef.h>

#include "base/record.h"

struct devname;
struct dhcp_msg;
struct dns_event;
struct flow;
struct flow_detail;

struct events;

enum events_format {
	EVENTS_FMT_SHADOWTAP = 0,	/* the keys above (the default) */
	EVENTS_FMT_EVE			/* Suricata EVE JSON */
};

/* Opens path for appending ("-" is stdout). NULL with err set on failure. */
struct events	*events_open(const char *path, char *err, size_t errlen);
/* "shadowtap" or "eve" as an enum events_format, or -1. */
int		 events_format_parse(const char *s);
/*
 * Chooses the format of the events written from now on, and the sensor
 * name EVE events carry as "host" (NULL: none). NULL ev is a no-op.
 */
void		 events_set_format(struct events *, int format,
		    const char *host);
/* Flushes and closes; returns -1 if a write had failed. NULL is a no-op. */
int		 events_close(struct events *);
/*
 * Writes one flow event from the record, the flow's evidence and its
 * detail slot (NULL when it has none). 0, or -1 on a write error (sticky).
 */
int		 events_flow(struct events *, const struct flow_record *,
		    const struct flow_detail *);
/*
 * Writes one DHCP event (ts in packet time); the flow it came in (NULL:
 * unknown) gives EVE events their endpoints. 0, or -1 on a write error.
 */
int		 events_dhcp(struct events *, int64_t ts_us,
		    const struct dhcp_msg *, const struct flow *);
/* Writes one DNS event. 0, or -1 on a write error (counted, sticky). */
int		 events_dns(struct events *, const struct dns_event *);
struct pkt;
/*
 * Writes one device_name event for n, sent in packet p, unless the same
 * name, address and sender were written already (a direct-mapped memory
 * of EVENTS_DEVNAME_SEEN of them: an evicted one is written again). EVE
 * output has no such event type: nothing is written. 0, or -1 on a write
 * error.
 */
#define EVENTS_DEVNAME_SEEN	512
int		 events_devname(struct events *, const struct pkt *p,
		    const struct devname *n);

#endif
