/* SPDX-License-Identifier: ISC */
/*
 * record.h: the flow record, the one thing the packet side hands to the
 * store side when a flow ends (or the run ends). Fixed layout, no pointers,
 * every string NUL-terminated within its array, so that it can later cross
 * the privilege-separation socket as a message and be validated there.
 */
#ifndef SHADOWTAP_RECORD_H
#define SHADOWTAP_RECORD_H

#include <stdint.h>

#include "base/defaults.h"

enum name_src {
	NAME_NONE = 0,
	NAME_SNI,		/* TLS ClientHello server_name */
	NAME_HTTP_HOST,		/* HTTP/1.x Host header */
	NAME_DNS_QUERY,		/* first DNS question of a DNS flow */
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
};

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

#endif
