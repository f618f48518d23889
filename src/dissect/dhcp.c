/* SPDX-License-Identifier: ISC */
/*
 * dissect/dhcp.c: DHCPv4 and DHCPv6 dissector for device attribution. Every
 * string that leaves here is either a normalised host name or printable
 * ASCII cut to its field; the option walks are flat loops over sub-readers,
 * and DHCPv6 relay nesting is unwrapped by a bounded loop, not recursion.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dhcp.h"
#include "base/hostname.h"
#include "base/rd.h"

/* RFC 2131 section 2, the fixed BOOTP header. */
#define DHCP_CHADDR_LEN		16
#define DHCP_SNAME_LEN		64
#define DHCP_FILE_LEN		128
#define DHCP_MAGIC		0x63825363u	/* RFC 2131 section 3 */
#define DHCP_HTYPE_ETHER	1		/* RFC 1700 ARP hardware type */

/* RFC 2132 option codes. */
#define DHCP_OPT_PAD		0	/* section 3.1 */
#define DHCP_OPT_END		255	/* section 3.2 */
#define DHCP_OPT_HOSTNAME	12	/* section 3.14 */
#define DHCP_OPT_REQUESTED_IP	50	/* section 9.1 */
#define DHCP_OPT_OVERLOAD	52	/* section 9.3 */
#define DHCP_OPT_MSG_TYPE	53	/* section 9.6 */
#define DHCP_OPT_SERVER_ID	54	/* section 9.7 */
#define DHCP_OPT_PRL		55	/* section 9.8 */
#define DHCP_OPT_VENDOR_CLASS	60	/* section 9.13 */
#define DHCP_OPT_CLIENT_FQDN	81	/* RFC 4702 section 2 */
#define DHCP_ADDR_LEN		4

/* RFC 4702 section 2.1 / RFC 4704 section 4.1: the E (encoding) bit. */
#define DHCP_FQDN_FLAG_E	0x04
#define DHCP_FQDN_V4_HDR	3	/* flags, RCODE1, RCODE2 */
#define DNS_WIRE_MAX		255	/* RFC 1035 section 2.3.4 */
#define DNS_LABEL_MAX		63

/* RFC 8415 section 8 and 9: headers; section 21: option codes. */
#define DHCP6_HDR_LEN		4	/* msg-type, transaction-id[3] */
#define DHCP6_RELAY_ADDRS	32	/* link-address, peer-address */
#define DHCP6_RELAY_MAX		32	/* HOP_COUNT_LIMIT, section 7.6 */
#define DHCP6_OPT_CLIENTID	1	/* section 21.2 */
#define DHCP6_OPT_ORO		6	/* section 21.7 */
#define DHCP6_OPT_RELAY_MSG	9	/* section 21.10 */
#define DHCP6_OPT_VENDOR_CLASS	16	/* section 21.16 */
#define DHCP6_OPT_CLIENT_FQDN	39	/* RFC 4704 section 4 */
#define DHCP6_MSG_TYPE_MAX	DHCP6_RELAY_REPL
#define DUID_LLT		1	/* RFC 8415 section 11.2 */
#define DUID_LL			3	/* RFC 8415 section 11.4 */
#define DUID_LLT_HDR		8	/* type, hwtype, time */
#define DUID_LL_HDR		4	/* type, hwtype */

/* Bits for the options read, so only the first instance counts. */
#define SEEN_HOSTNAME		0x01
#define SEEN_FQDN		0x02
#define SEEN_VENDOR		0x04
#define SEEN_PRL		0x08
#define SEEN_MSG_TYPE		0x10
#define SEEN_REQUESTED_IP	0x20
#define SEEN_SERVER_ID		0x40
#define SEEN_CLIENTID		0x80

/* Drops trailing NUL octets: some clients NUL-terminate option strings. */
static size_t
strip_nuls(const uint8_t *s, size_t n)
{
	while (n > 0 && s[n - 1] == '\0')
		n--;
	return n;
}

/*
 * Copies n bytes as printable ASCII: 0x20..0x7e kept, anything else
 * written as '?'. Cut to dstsz - 1 bytes, setting *truncated.
 */
static void
copy_printable(char *dst, size_t dstsz, const uint8_t *s, size_t n,
    int *truncated)
{
	size_t i;

	if (n > dstsz - 1) {
		n = dstsz - 1;
		*truncated = 1;
	}
	for (i = 0; i < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] <= 0x7e ? (char)s[i] : '?';
	dst[n] = '\0';
}

/* Appends a decimal code to the comma-joined list; cuts at a whole entry. */
static void
prl_add(struct dhcp_msg *out, size_t *used, unsigned int code)
{
	char item[8];
	int n;

	n = snprintf(item, sizeof(item), "%s%u", *used > 0 ? "," : "", code);
	if (n < 0 || (size_t)n >= sizeof(out->prl) - *used) {
		out->truncated = 1;
		return;
	}
	memcpy(out->prl + *used, item, (size_t)n + 1);
	*used += (size_t)n;
}

/*
 * A domain name in DNS wire format without compression (RFC 4702 section
 * 2.3.1, RFC 4704 section 4.2), possibly partial: the terminating zero
 * label may be missing. Converted to dotted text and normalised. Returns
 * -1 when a label overruns, is not a plain label (compression and
 * extended types are not allowed here), holds a '.', when bytes follow
 * the root label, or the name is empty or not a host name.
 */
static int
wire_name(struct rd *r, char *dst, size_t dstsz)
{
	uint8_t text[DNS_WIRE_MAX];
	const uint8_t *label;
	size_t tlen = 0, i;
	uint8_t c;

	dst[0] = '\0';
	while (rd_left(r) > 0) {
		c = rd_u8(r);
		if (c == 0)
			return rd_left(r) == 0 && tlen > 0 ? hostname_norm(dst,
			    dstsz, text, tlen, 0) : -1;
		if (c > DNS_LABEL_MAX || tlen + 1 + c > sizeof(text))
			return -1;
		if ((label = rd_bytes(r, c)) == NULL)
			return -1;
		if (tlen > 0)
			text[tlen++] = '.';
		for (i = 0; i < c; i++) {
			if (label[i] == '.')
				return -1;
			text[tlen++] = label[i];
		}
	}
	return tlen > 0 ? hostname_norm(dst, dstsz, text, tlen, 0) : -1;
}

/*
 * RFC 4702 section 2, the Client FQDN option body:
 *
 *	+--------+--------+--------+--------+--------+-----
 *	| Flags  | RCODE1 | RCODE2 |   Domain Name ...
 *	+--------+--------+--------+--------+--------+-----
 *
 * With E set the name is in canonical wire format, else (deprecated) in
 * ASCII, which may carry a trailing dot or NUL. A body shorter than three
 * octets is malformed (-1); a bad name only sets fqdn_bad.
 */
static int
opt_fqdn_v4(struct rd *o, struct dhcp_msg *out)
{
	const uint8_t *s;
	size_t n;
	int rc;

	out->fqdn_flags = rd_u8(o);
	rd_skip(o, 2);
	if (!rd_ok(o))
		return -1;
	out->has_fqdn = 1;
	if (out->fqdn_flags & DHCP_FQDN_FLAG_E)
		rc = wire_name(o, out->fqdn, sizeof(out->fqdn));
	else {
		n = rd_left(o);
		s = rd_bytes(o, n);
		n = strip_nuls(s, n);
		rc = n > 0 ? hostname_norm(out->fqdn, sizeof(out->fqdn), s, n,
		    0) : -1;
	}
	if (rc == -1) {
		out->fqdn[0] = '\0';
		out->fqdn_bad = 1;
	}
	return 0;
}

/* One DHCPv4 option body; -1 when it is malformed. */
static int
opt_v4(uint8_t code, struct rd *o, struct dhcp_msg *out, unsigned int *seen,
    size_t *prl_used)
{
	const uint8_t *s;
	size_t n;
	unsigned int bit;

	switch (code) {
	case DHCP_OPT_HOSTNAME:
		bit = SEEN_HOSTNAME;
		break;
	case DHCP_OPT_CLIENT_FQDN:
		bit = SEEN_FQDN;
		break;
	case DHCP_OPT_VENDOR_CLASS:
		bit = SEEN_VENDOR;
		break;
	case DHCP_OPT_PRL:
		bit = SEEN_PRL;
		break;
	case DHCP_OPT_MSG_TYPE:
		bit = SEEN_MSG_TYPE;
		break;
	case DHCP_OPT_REQUESTED_IP:
		bit = SEEN_REQUESTED_IP;
		break;
	case DHCP_OPT_SERVER_ID:
		bit = SEEN_SERVER_ID;
		break;
	case DHCP_OPT_OVERLOAD:
		out->overload = 1;
		return 0;
	default:
		return 0;
	}
	if (*seen & bit)
		return 0;
	*seen |= bit;

	n = rd_left(o);
	switch (code) {
	case DHCP_OPT_HOSTNAME:
		s = rd_bytes(o, n);
		n = strip_nuls(s, n);
		if (n == 0 || hostname_norm(out->hostname,
		    sizeof(out->hostname), s, n, 0) == -1)
			out->hostname_bad = 1;
		return 0;
	case DHCP_OPT_CLIENT_FQDN:
		return opt_fqdn_v4(o, out);
	case DHCP_OPT_VENDOR_CLASS:
		s = rd_bytes(o, n);
		copy_printable(out->vendor_class, sizeof(out->vendor_class), s,
		    strip_nuls(s, n), &out->truncated);
		return 0;
	case DHCP_OPT_PRL:
		while (rd_left(o) > 0)
			prl_add(out, prl_used, rd_u8(o));
		return 0;
	case DHCP_OPT_MSG_TYPE:
		if (n != 1)
			return -1;
		out->msg_type = rd_u8(o);
		return 0;
	case DHCP_OPT_REQUESTED_IP:
		if (n != DHCP_ADDR_LEN)
			return -1;
		rd_copy(o, out->requested_ip, DHCP_ADDR_LEN);
		out->has_requested_ip = 1;
		return 0;
	case DHCP_OPT_SERVER_ID:
		if (n != DHCP_ADDR_LEN)
			return -1;
		rd_copy(o, out->server_id, DHCP_ADDR_LEN);
		out->has_server_id = 1;
		return 0;
	}
	return 0;
}

/*
 * RFC 2131 section 2, the message, then section 3 / RFC 2132 section 2,
 * the options after the magic cookie:
 *
 *	 0                   1                   2                   3
 *	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *	+---------------+---------------+---------------+---------------+
 *	|     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 *	+---------------+---------------+---------------+---------------+
 *	|                            xid (4)                            |
 *	+-------------------------------+-------------------------------+
 *	|           secs (2)            |           flags (2)           |
 *	+-------------------------------+-------------------------------+
 *	|                          ciaddr  (4)                          |
 *	|                          yiaddr  (4)                          |
 *	|                          siaddr  (4)                          |
 *	|                          giaddr  (4)                          |
 *	+---------------------------------------------------------------+
 *	|                          chaddr  (16)                         |
 *	|                          sname   (64)                         |
 *	|                          file    (128)                        |
 *	+---------------------------------------------------------------+
 *	|                 magic cookie 99.130.83.99 (4)                 |
 *	+---------------+---------------+-------------------------------+
 *	|  code (1)     |  len (1)      |  data (len) ...   options,
 *	+---------------+---------------+---------------    0 pad, 255 end
 */
enum dis_result
dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *out)
{
	struct rd r, o;
	const uint8_t *chaddr;
	uint8_t htype, hlen, code;
	unsigned int seen = 0;
	size_t prl_used = 0;

	memset(out, 0, sizeof(*out));
	out->version = 4;
	rd_init(&r, p, len);
	out->op = rd_u8(&r);
	htype = rd_u8(&r);
	hlen = rd_u8(&r);
	rd_skip(&r, 1);				/* hops */
	out->xid = rd_be32(&r);
	rd_skip(&r, 2 * sizeof(uint16_t));	/* secs, flags */
	rd_copy(&r, out->ciaddr, DHCP_ADDR_LEN);
	rd_copy(&r, out->yiaddr, DHCP_ADDR_LEN);
	rd_skip(&r, 2 * DHCP_ADDR_LEN);		/* siaddr, giaddr */
	chaddr = rd_bytes(&r, DHCP_CHADDR_LEN);
	rd_skip(&r, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	if (rd_be32(&r) != DHCP_MAGIC || !rd_ok(&r) ||
	    (out->op != DHCP_OP_REQUEST && out->op != DHCP_OP_REPLY) ||
	    hlen > DHCP_CHADDR_LEN) {
		memset(out, 0, sizeof(*out));
		return DIS_NOTME;
	}
	if (htype == DHCP_HTYPE_ETHER && hlen == DHCP_MAC_LEN) {
		memcpy(out->mac, chaddr, DHCP_MAC_LEN);
		out->has_mac = 1;
	}

	while (rd_left(&r) > 0) {
		code = rd_u8(&r);
		if (code == DHCP_OPT_END)
			break;
		if (code == DHCP_OPT_PAD)
			continue;
		o = rd_sub(&r, rd_u8(&r));
		if (!rd_ok(&r) || opt_v4(code, &o, out, &seen, &prl_used) == -1) {
			out->malformed = 1;
			return DIS_BAD;
		}
	}
	return DIS_OK;
}

/*
 * RFC 4704 section 4, the DHCPv6 Client FQDN option body:
 *
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|   flags       |                                               |
 *	+-+-+-+-+-+-+-+-+                                               |
 *	.                    domain-name (wire format, maybe partial)   .
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static int
opt_fqdn_v6(struct rd *o, struct dhcp_msg *out)
{
	out->fqdn_flags = rd_u8(o);
	if (!rd_ok(o))
		return -1;
	out->has_fqdn = 1;
	if (wire_name(o, out->fqdn, sizeof(out->fqdn)) == -1) {
		out->fqdn[0] = '\0';
		out->fqdn_bad = 1;
	}
	return 0;
}

/*
 * RFC 8415 section 21.16, the Vendor Class option body: enterprise-number
 * (uint32), then vendor-class-data, a list of opaque items each behind a
 * uint16 length. The first item is kept as text.
 */
static int
opt_vendor_v6(struct rd *o, struct dhcp_msg *out)
{
	struct rd item;
	const uint8_t *s;
	size_t n;

	out->vendor_enterprise = rd_be32(o);
	if (!rd_ok(o))
		return -1;
	if (rd_left(o) == 0)
		return 0;
	item = rd_sub(o, rd_be16(o));
	if (!rd_ok(o))
		return -1;
	n = rd_left(&item);
	s = rd_bytes(&item, n);
	copy_printable(out->vendor_class, sizeof(out->vendor_class), s,
	    strip_nuls(s, n), &out->truncated);
	return 0;
}

/*
 * RFC 8415 section 21.2 and 11: the client DUID is copied whole (cut at
 * DHCP_DUID_MAX); for DUID-LLT and DUID-LL with hardware type 1 and a
 * 6-octet address, that address is also the MAC.
 */
static int
opt_clientid_v6(struct rd *o, struct dhcp_msg *out)
{
	struct rd d = *o;
	uint16_t type, hwtype;
	size_t n = rd_left(o);

	if (n > DHCP_DUID_MAX) {
		n = DHCP_DUID_MAX;
		out->truncated = 1;
	}
	rd_copy(o, out->duid, n);
	out->duid_len = n;
	type = rd_be16(&d);
	hwtype = rd_be16(&d);
	if (type == DUID_LLT)
		rd_skip(&d, sizeof(uint32_t));
	if (rd_ok(&d) && (type == DUID_LLT || type == DUID_LL) &&
	    hwtype == DHCP_HTYPE_ETHER && rd_left(&d) == DHCP_MAC_LEN) {
		rd_copy(&d, out->mac, DHCP_MAC_LEN);
		out->has_mac = 1;
	}
	return 0;
}

/*
 * RFC 8415 section 8, a client/server message, and section 9, a relay
 * message; options (section 21.1) follow either header:
 *
 *	 0                   1                   2                   3
 *	+---------------+-----------------------------------------------+
 *	|    msg-type   |               transaction-id                  |
 *	+---------------+-----------------------------------------------+
 *	|    msg-type   |   hop-count   |  link-address (16), peer-address
 *	+---------------+---------------+  (16), then options ...
 *
 *	+-------------------------------+-------------------------------+
 *	|          option-code          |           option-len          |
 *	+-------------------------------+-------------------------------+
 *	|                 option-data (option-len octets)               |
 *	+---------------------------------------------------------------+
 *
 * A relay message's options are searched for the Relay Message option,
 * whose body is the next message to parse; the loop runs at most
 * DHCP6_RELAY_MAX + 1 times.
 */
enum dis_result
dhcp_parse_v6(const uint8_t *p, size_t len, struct dhcp_msg *out)
{
	struct rd r, opts, o, inner;
	unsigned int seen = 0, depth;
	size_t prl_used = 0;
	uint16_t code;
	uint8_t type;
	int found, bad;

	memset(out, 0, sizeof(*out));
	out->version = 6;
	rd_init(&r, p, len);
	for (depth = 0;; depth++) {
		type = rd_u8(&r);
		if (!rd_ok(&r) || type == 0 || type > DHCP6_MSG_TYPE_MAX) {
			if (depth == 0) {
				memset(out, 0, sizeof(*out));
				return DIS_NOTME;
			}
			out->malformed = 1;
			return DIS_BAD;
		}
		out->msg_type = type;
		if (type != DHCP6_RELAY_FORW && type != DHCP6_RELAY_REPL)
			break;
		rd_skip(&r, 1 + DHCP6_RELAY_ADDRS);
		if (!rd_ok(&r) || depth >= DHCP6_RELAY_MAX) {
			if (depth == 0) {
				memset(out, 0, sizeof(*out));
				return DIS_NOTME;
			}
			out->malformed = 1;
			return DIS_BAD;
		}
		opts = rd_rest(&r);
		found = 0;
		while (rd_left(&opts) > 0 && !found) {
			code = rd_be16(&opts);
			o = rd_sub(&opts, rd_be16(&opts));
			if (!rd_ok(&opts))
				break;
			if (code == DHCP6_OPT_RELAY_MSG) {
				inner = o;
				found = 1;
			}
		}
		if (!found) {
			out->malformed = 1;
			return DIS_BAD;
		}
		r = inner;
	}
	out->xid = rd_be24(&r);
	if (!rd_ok(&r)) {
		if (depth == 0) {
			memset(out, 0, sizeof(*out));
			return DIS_NOTME;
		}
		out->malformed = 1;
		return DIS_BAD;
	}

	while (rd_left(&r) > 0) {
		code = rd_be16(&r);
		o = rd_sub(&r, rd_be16(&r));
		if (!rd_ok(&r)) {
			out->malformed = 1;
			return DIS_BAD;
		}
		bad = 0;
		switch (code) {
		case DHCP6_OPT_CLIENTID:
			if (!(seen & SEEN_CLIENTID))
				bad = opt_clientid_v6(&o, out);
			seen |= SEEN_CLIENTID;
			break;
		case DHCP6_OPT_ORO:
			if (seen & SEEN_PRL)
				break;
			seen |= SEEN_PRL;
			if (rd_left(&o) % 2 != 0) {
				bad = -1;
				break;
			}
			while (rd_left(&o) > 0)
				prl_add(out, &prl_used, rd_be16(&o));
			break;
		case DHCP6_OPT_VENDOR_CLASS:
			if (!(seen & SEEN_VENDOR))
				bad = opt_vendor_v6(&o, out);
			seen |= SEEN_VENDOR;
			break;
		case DHCP6_OPT_CLIENT_FQDN:
			if (!(seen & SEEN_FQDN))
				bad = opt_fqdn_v6(&o, out);
			seen |= SEEN_FQDN;
			break;
		default:
			break;
		}
		if (bad == -1) {
			out->malformed = 1;
			return DIS_BAD;
		}
	}
	return DIS_OK;
}

const char *
dhcp_type_name(int version, uint8_t msg_type)
{
	static const char *const v4[] = {
		"BOOTP", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK",
		"NAK", "RELEASE", "INFORM",
	};
	static const char *const v6[] = {
		"UNKNOWN", "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM",
		"RENEW", "REBIND", "REPLY", "RELEASE", "DECLINE",
		"RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW",
		"RELAY-REPL",
	};

	if (version == 4 && msg_type < sizeof(v4) / sizeof(v4[0]))
		return v4[msg_type];
	if (version == 6 && msg_type < sizeof(v6) / sizeof(v6[0]))
		return v6[msg_type];
	return "UNKNOWN";
}
