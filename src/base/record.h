/* SPDX-License-Identifier: ISC */
/*
 * record.h: every message that crosses from the sniffer (packets, hostile
 * bytes) to the store (validated messages only), and the enums inside
 * them, each with its _MAX so that the validator in privsep.c checks the
 * range without naming the last value. Fixed layouts, no pointers, every
 * string NUL-terminated within its array. Both processes include this;
 * it includes nothing from either side.
 */
#ifndef SHADOWTAP_RECORD_H
#define SHADOWTAP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "base/defaults.h"

#define VLAN_ID_MAX		4095	/* IEEE 802.1Q: 12-bit VLAN id */
#define CONFIDENCE_MAX		100

/* The message types (privsep.h frames them). */
enum privsep_type {
	PRIVSEP_FLOW = 1,	/* struct flow_record: a flow ended, or a
				 * piece of one that goes on (piece) */
	PRIVSEP_DEVICE,		/* struct device_record: DHCP named a device */
	PRIVSEP_HEALTH,		/* struct privsep_health: periodic counters */
	PRIVSEP_RUN_STATS,	/* struct privsep_run_stats: so far, about once
				 * a second, and last at the end */
	PRIVSEP_REL,		/* struct rel_event: network health */
	PRIVSEP_TYPE_MAX
};

enum name_src {
	NAME_NONE = 0,
	NAME_SNI,		/* TLS ClientHello server_name */
	NAME_HTTP_HOST,		/* HTTP/1.x Host header */
	NAME_DNS_QUERY,		/* first DNS question of a DNS flow */
	NAME_STUN_REALM,	/* REALM of a STUN/TURN message */
	NAME_SOCKS,		/* domain target of a SOCKS request */
	NAME_SIP,		/* request-URI or To domain of a SIP message */
	NAME_SRC_MAX
};

/* Evidence: which signal named the service (event key "evidence"). */
enum flow_evidence {
	EVIDENCE_NONE = 0,
	EVIDENCE_SNI,		/* TLS ClientHello server_name */
	EVIDENCE_QUIC_SNI,	/* server_name inside a QUIC Initial */
	EVIDENCE_HTTP_HOST,
	EVIDENCE_DNS_QUERY,	/* the flow is itself a DNS lookup */
	EVIDENCE_DNS_CACHE,	/* the device resolved the server's address */
	EVIDENCE_CERT,		/* the server certificate's names */
	EVIDENCE_JA4,		/* client fingerprint */
	EVIDENCE_SIGNATURE,	/* protocol signature */
	EVIDENCE_IP,		/* address or AS rule */
	EVIDENCE_PORT,		/* port rule, last resort */
	EVIDENCE_STUN_REALM,	/* REALM of a STUN/TURN message */
	EVIDENCE_STUN_PEER,	/* an endpoint of a call STUN named earlier */
	EVIDENCE_SOCKS,		/* domain target of a SOCKS request */
	EVIDENCE_SIP,		/* request-URI or To domain of SIP */
	EVIDENCE_MAX
};

/* A login sent in clear (dissect/creds.h finds them). */
enum creds_proto {
	CREDS_NONE = 0,
	CREDS_FTP,
	CREDS_TELNET,
	CREDS_POP3,
	CREDS_IMAP,
	CREDS_SMTP,
	CREDS_HTTP_BASIC,
	CREDS_MAX
};

struct flow_record {
	int64_t		first_us;	/* packet time of the first packet */
	int64_t		last_us;	/* packet time of the last packet */
	uint64_t	bytes_up;	/* IP bytes client -> server */
	uint64_t	bytes_down;	/* IP bytes server -> client */
	uint64_t	pkts_up;
	uint64_t	pkts_down;
	uint8_t		family;		/* 4 or 6 */
	uint8_t		proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t		app;		/* enum app */
	uint8_t		verdict;	/* enum verdict */
	uint8_t		name_src;	/* enum name_src */
	uint8_t		has_mac;	/* client_mac is valid */
	uint8_t		client_mac[6];
	uint8_t		client_ip[16];	/* IPv4 in the first 4 bytes */
	uint8_t		server_ip[16];
	uint16_t	client_port;
	uint16_t	server_port;
	uint16_t	vlan;		/* innermost 802.1Q id, 0 if none */
	uint8_t		evidence;	/* enum flow_evidence: what named it */
	uint8_t		confidence;	/* 0..100 */
	char		country[3];	/* server's ISO country, "" unknown */
	uint32_t	asn;		/* server's AS number, 0 unknown */
	char		as_org[64];	/* its name, "" unknown */
	char		service[SERVICE_ID_MAX + 1];	/* "" when unclassified */
	char		category[CATEGORY_MAX + 1];	/* "" when unclassified */
	char		name[NAME_MAX_LEN + 1];		/* "" when none seen */
	char		domain[NAME_MAX_LEN + 1];	/* registrable domain of
							   an unclassified name */
	char		department[64];			/* "" when none */
	uint8_t		creds_proto;	/* enum creds_proto: a login in clear */
	char		creds_user[64];	/* its user name; never a password */
	char		instance[INSTANCE_MAX + 1];	/* the service's
						   tenant, bucket or account
						   the name showed; "" */
	/* The server is inside the organisation: 1 for a private,
	 * link-local or own (--local-net, the policy's local-networks)
	 * address, 2 for multicast or broadcast; 0 outside. Such a flow is
	 * never use of a cloud service. */
	uint8_t		local_server;
	uint8_t		piece;		/* FLOW_PIECE_*: 0 for a whole flow */
};

/*
 * Interim accounting: a flow still open at a commit is sent in pieces.
 * Each piece carries the bytes and packets since the previous one (so the
 * pieces of a flow sum to the whole), the flow's first_us and its last_us
 * so far, and its classification so far. The first piece counts the flow;
 * a piece with FLOW_PIECE_CONT adds only bytes and packets. The last piece
 * (the flow ended) lacks FLOW_PIECE_MORE.
 */
#define FLOW_PIECE_MORE		0x01	/* the flow goes on */
#define FLOW_PIECE_CONT		0x02	/* not the flow's first piece */
#define FLOW_PIECE_MASK		0x03

/*
 * What DHCP says about a device: sent to the store side for every DHCP
 * message that names or addresses one.
 */
struct device_record {
	int64_t		ts_us;		/* packet time */
	uint8_t		has_mac;
	uint8_t		mac[6];
	uint8_t		family;		/* of ip, 0 when none */
	uint8_t		ip[16];
	char		hostname[NAME_MAX_LEN + 1];	/* option 12 or FQDN */
	char		vendor_class[128];
	char		prl[256];	/* parameter request list, "1,3,6" */
};

/*
 * The end-of-run counters the store records in the run's row and in
 * --stats. Sent once by the sniffer after its last flow record.
 */
struct privsep_run_stats {
	uint64_t	packets;
	uint64_t	bytes;		/* wire bytes */
	uint64_t	flows;		/* flows created */
	uint64_t	kernel_drops;	/* pcap ps_drop: no buffer space */
	uint64_t	if_drops;	/* pcap ps_ifdrop */
	uint64_t	decode_errors;	/* packets decode_packet() rejected */
	int64_t		first_us;	/* packet time of the first packet */
	int64_t		last_us;	/* and of the last; first <= last */
	uint8_t		read_error;	/* 0 or 1: the file was cut off */
	uint8_t		pad[7];		/* zero */
	/* Packets with an implausible time (before 2000, or on a live
	 * capture more than a day ahead of the host clock): counted in
	 * packets and processed, but left out of first_us/last_us. */
	uint64_t	bad_time;
};

/*
 * Counters for one health interval (what happened since the previous
 * HEALTH message), so the store can record and log drops while a live
 * capture runs. interval_us is wall time, the only wall time that crosses.
 */
struct privsep_health {
	int64_t		ts_us;		/* start of the interval, packet time */
	int64_t		interval_us;	/* > 0 */
	uint64_t	packets;
	uint64_t	bytes;
	uint64_t	drops;		/* kernel + interface drops */
	uint64_t	decode_errors;
	uint64_t	flows_active;	/* flows in the table at ts_us */
	uint64_t	dns_unanswered;	/* DNS questions left unanswered */
	uint64_t	tcp_failed;	/* TCP handshakes never completed */
};

/* Network health: one event per exchange (store/relagg.h sums them). */
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

#define REL_RTT_MAX_MS		3600000		/* an hour is no answer */
#define REL_HS_MAX_US		60000000	/* a minute-long handshake */

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

/* 1 when kind is one of the TCP connection kinds, else 0. */
int		 record_rel_is_tcp(uint8_t kind);

/*
 * Checks a received event: kind in range, family 0/4/6, has_mac 0/1,
 * padding zero, vlan <= VLAN_ID_MAX, rtt_ms -1..REL_RTT_MAX_MS, handshake
 * times -1..REL_HS_MAX_US, department NUL-terminated and printable, the
 * TCP packet counts zero unless a TCP kind, and retransmissions and gaps
 * no more than the packets. 0, or -1 with the reason in why (may be NULL).
 */
int		 record_rel_check(const struct rel_event *, char *why,
		    size_t whysz);

/* The public names (event key "evidence", findings column): "sni", ...,
 * "" for EVIDENCE_NONE or out of range. Static strings. */
const char	*record_evidence_name(int evidence);

/* "ftp", "telnet", "pop3", "imap", "smtp", "http-basic", or "none".
 * Static strings. */
const char	*record_creds_name(enum creds_proto p);

#endif
