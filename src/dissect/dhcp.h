/* SPDX-License-Identifier: ISC */
/*
 * dissect/dhcp.h: DHCPv4 (RFC 2131, options RFC 2132) and DHCPv6 (RFC 8415)
 * messages, for device attribution: the client's MAC, addresses, host name
 * (v4 option 12), client FQDN (v4 option 81, RFC 4702; v6 option 39, RFC
 * 4704), vendor class and the parameter request list (the fingerprint).
 * Both parsers fill the same struct dhcp_msg; version tells them apart.
 */
#ifndef SHADOWTAP_DISSECT_DHCP_H
#define SHADOWTAP_DISSECT_DHCP_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define DHCP_SERVER_PORT	67	/* RFC 2131 section 4.1 */
#define DHCP_CLIENT_PORT	68
#define DHCP6_CLIENT_PORT	546	/* RFC 8415 section 7.2 */
#define DHCP6_SERVER_PORT	547

/* BOOTP op, RFC 951 / RFC 2131 section 2. */
#define DHCP_OP_REQUEST		1
#define DHCP_OP_REPLY		2

/* DHCPv4 message types, option 53, RFC 2132 section 9.6. */
#define DHCP_DISCOVER		1
#define DHCP_OFFER		2
#define DHCP_REQUEST		3
#define DHCP_DECLINE		4
#define DHCP_ACK		5
#define DHCP_NAK		6
#define DHCP_RELEASE		7
#define DHCP_INFORM		8

/* DHCPv6 message types, RFC 8415 section 7.3 (the client-server ones). */
#define DHCP6_SOLICIT		1
#define DHCP6_ADVERTISE		2
#define DHCP6_REQUEST		3
#define DHCP6_CONFIRM		4
#define DHCP6_RENEW		5
#define DHCP6_REBIND		6
#define DHCP6_REPLY		7
#define DHCP6_RELEASE		8
#define DHCP6_DECLINE		9
#define DHCP6_RECONFIGURE	10
#define DHCP6_INFORMATION_REQUEST 11
#define DHCP6_RELAY_FORW	12
#define DHCP6_RELAY_REPL	13

#define DHCP_MAC_LEN		6	/* Ethernet, htype 1 / hlen 6 */
#define DHCP_VENDOR_SIZE	128	/* vendor class kept, NUL included */
#define DHCP_PRL_SIZE		1024	/* "1,3,6,..." text, NUL included */
#define DHCP_DUID_MAX		130	/* RFC 8415 section 11.1: type + 128 */

struct dhcp_msg {
	int		version;	/* 4 or 6 */
	uint8_t		op;		/* v4 DHCP_OP_*; v6 0 */
	uint8_t		msg_type;	/* v4 option 53 (0: absent, plain
					   BOOTP); v6 msg-type (of the
					   innermost relayed message) */
	uint32_t	xid;		/* v4 xid; v6 24-bit transaction-id */
	int		has_mac;
	uint8_t		mac[DHCP_MAC_LEN]; /* v4 chaddr; v6 the link-layer
					   address of a DUID-LL/LLT with
					   hardware type 1 */
	uint8_t		ciaddr[4];	/* v4 only, network order */
	uint8_t		yiaddr[4];
	int		has_requested_ip;
	uint8_t		requested_ip[4]; /* v4 option 50 */
	int		has_server_id;
	uint8_t		server_id[4];	/* v4 option 54 */
	char		hostname[HOSTNAME_SIZE]; /* v4 option 12, normalised */
	int		hostname_bad;	/* option 12 present, not a host name */
	int		has_fqdn;
	uint8_t		fqdn_flags;	/* RFC 4702 / 4704 flags octet */
	char		fqdn[HOSTNAME_SIZE]; /* v4 option 81 / v6 option 39,
					   normalised; may be partial
					   (a single label) */
	int		fqdn_bad;	/* FQDN option present, name rejected */
	uint32_t	vendor_enterprise; /* v6 option 16 enterprise-number */
	char		vendor_class[DHCP_VENDOR_SIZE]; /* v4 option 60, v6
					   option 16 first data item;
					   printable ASCII, others '?' */
	char		prl[DHCP_PRL_SIZE]; /* v4 option 55 / v6 ORO (6) as
					   decimal codes joined by ',' in
					   wire order; "" if absent */
	size_t		duid_len;
	uint8_t		duid[DHCP_DUID_MAX]; /* v4 option 61 is not a DUID;
					   v6 option 1 (client id) */
	int		overload;	/* v4 option 52 seen: the options in
					   sname/file were NOT read */
	int		truncated;	/* a string or list was cut to fit */
	int		malformed;	/* an option overran, or had a wrong
					   fixed length: later ones unread */
};

/*
 * Parses a DHCPv4 message (the UDP payload on port 67/68). Returns DIS_OK
 * with *out filled; DIS_NOTME when the bytes cannot be DHCP: shorter than
 * the 236-octet BOOTP header plus the 4-octet magic cookie, op not 1 or 2,
 * hlen over 16, or a wrong magic cookie (plain BOOTP without one is
 * refused too); DIS_BAD when an option overruns the message or a
 * fixed-size option (50, 53, 54) has the wrong length: malformed is set
 * and the fields from the options before it are kept. A missing END
 * option is tolerated. The first instance of each option is used; RFC
 * 3396 concatenation of split options is not done, nor is the option
 * overload of option 52 (RFC 2132 section 9.3: only overload is set; the
 * options in sname/file are not read). A host name or FQDN that fails
 * hostname_norm() is not stored and sets hostname_bad / fqdn_bad; trailing
 * NUL octets, which some clients send, are dropped first. *out is zeroed
 * first.
 */
enum dis_result	dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *out);

/*
 * Parses a DHCPv6 message (the UDP payload on port 546/547). Relay-forward
 * and relay-reply messages are unwrapped (iteratively, at most 32 levels,
 * RFC 8415 section 7.6 HOP_COUNT_LIMIT) and the relayed message is
 * parsed. Returns DIS_OK; DIS_NOTME when the message is shorter than its
 * header or msg-type is outside 1..13 (RFC 8415's client/server and relay
 * messages); DIS_BAD when an option overruns its parent or a relay
 * message carries no Relay Message option; the fields read before the
 * bad option are kept and malformed is set. Read: client id (1, DUID),
 * ORO (6), vendor class (16), client FQDN (39). *out is zeroed first.
 */
enum dis_result	dhcp_parse_v6(const uint8_t *p, size_t len,
		    struct dhcp_msg *out);

/*
 * Returns a static upper-case name for msg_type of a message of the given
 * version ("DISCOVER", "ACK", "SOLICIT", ...), "BOOTP" for a v4 message
 * without option 53, or "UNKNOWN".
 */
const char	*dhcp_type_name(int version, uint8_t msg_type);

#endif
