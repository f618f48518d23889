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

#include "defaults.h"

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
	char		service[SERVICE_ID_MAX + 1];	/* "" when unclassified */
	char		category[CATEGORY_MAX + 1];	/* "" when unclassified */
	char		name[NAME_MAX_LEN + 1];		/* "" when none seen */
};

#endif
