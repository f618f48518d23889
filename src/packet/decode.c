/* SPDX-License-Identifier: ISC */
/*
 * decode.c: from link-layer bytes to struct pkt. Every read goes through
 * rd.h. Encapsulations are unwrapped with an explicit depth limit, so a
 * packet of nested tunnels cannot make the decoder loop or recurse without
 * bound; lengths in headers are checked against what was captured.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <string.h>

#include "packet/decode.h"
#include "base/rd.h"

#define DECODE_MAX_DEPTH	8	/* nested encapsulations unwrapped */

/* IEEE 802.3 / IANA EtherTypes. */
#define ETHERTYPE_MIN		0x0600	/* below: an 802.3 length field */
#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_VLAN		0x8100	/* IEEE 802.1Q */
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_MPLS		0x8847
#define ETHERTYPE_MPLS_MC	0x8848
#define ETHERTYPE_PPPOE_SESS	0x8864	/* RFC 2516 */
#define ETHERTYPE_QINQ		0x88a8	/* IEEE 802.1ad */
#define ETHERTYPE_QINQ_OLD	0x9100	/* pre-standard QinQ */
#define ETHER_HDR_LEN		14

/* PPP protocol numbers (RFC 1661, RFC 1332, RFC 5072). */
#define PPP_ADDRESS		0xff
#define PPP_CONTROL		0x03
#define PPP_IPV4		0x0021
#define PPP_IPV6		0x0057

/* BSD loopback address families as the various systems number them. */
#define BSD_AF_INET		2
#define BSD_AF_INET6_BSD	24
#define BSD_AF_INET6_FREEBSD	28
#define BSD_AF_INET6_DARWIN	30
#define BSD_AF_INET6_LINUX	10

/* IPv4 (RFC 791 section 3.1). */
#define IPV4_MIN_HDR		20
#define IPV4_OFFSET_MASK	0x1fff
#define IPV4_FLAG_MF		0x2000
/* IPv6 (RFC 8200). */
#define IPV6_HDR_LEN		40
#define IP6_NH_HOPOPTS		0
#define IP6_NH_ROUTING		43
#define IP6_NH_FRAGMENT		44
#define IP6_NH_AH		51
#define IP6_NH_DSTOPTS		60
#define IP6_NH_NONE		59
#define IP6_MAX_EXT		16	/* extension headers walked */
#define IP6_FRAG_OFFSET_MASK	0xfff8	/* offset, already in bytes */
#define IP6_FRAG_M		0x0001
/* TCP (RFC 9293 section 3.1), UDP (RFC 768). */
#define TCP_MIN_HDR		20
#define UDP_HDR_LEN		8
/* MPLS label stack entry (RFC 3032 section 2.1). */
#define MPLS_BOS		0x00000100u
/* GRE (RFC 2784, RFC 2890; version 1: RFC 2637) and what it carries. */
#define IPPROTO_GRE_		47
#define GRE_C			0x8000
#define GRE_K			0x2000
#define GRE_S			0x1000
#define GRE_A			0x0080	/* version 1 acknowledgment present */
#define GRE_VERSION		0x0007
#define GRE_PROTO_TEB		0x6558	/* transparent Ethernet bridging */
#define GRE_PROTO_ERSPAN2	0x88be	/* ERSPAN type I (no S bit) and II */
#define GRE_PROTO_ERSPAN3	0x22eb
#define GRE_PROTO_PPP		0x880b
#define ERSPAN2_HDR_LEN		8
#define ERSPAN3_HDR_LEN		12
#define ERSPAN3_O		0x0001	/* platform sub-header follows */
#define ERSPAN3_SUBHDR_LEN	8
/* UDP tunnels and their well-known ports. */
#define PORT_VXLAN		4789	/* RFC 7348 */
#define VXLAN_HDR_LEN		8
#define VXLAN_FLAG_I		0x08
#define PORT_GTPU		2152	/* 3GPP TS 29.281 */
#define GTP_VERSION_1		0x20
#define GTP_PT			0x10
#define GTP_EXT_FLAGS		0x07	/* E, S, PN: 4 optional octets */
#define GTP_EXT_E		0x04
#define GTP_TYPE_GPDU		0xff
#define PORT_TEREDO		3544	/* RFC 4380 */
#define TEREDO_AUTH		0x0001
#define TEREDO_ORIGIN		0x0000
#define PORT_CAPWAP_DATA	5247	/* RFC 5415 */
#define CAPWAP_T		0x00000100u	/* native frame (802.11) */
#define CAPWAP_F		0x00000080u	/* fragment */
#define CAPWAP_WBID_80211	1
/* IEEE 802.11 data frames and the LLC/SNAP header (RFC 1042). */
#define WLAN_TYPE_MASK		0x0c
#define WLAN_TYPE_DATA		0x08
#define WLAN_SUBTYPE_QOS	0x80
#define WLAN_NODATA		0x40	/* subtypes without a frame body */
#define WLAN_TODS_FROMDS	0x03
#define WLAN_PROTECTED		0x40	/* second flags byte */
#define WLAN_HDR_LEN		24
#define LLC_SNAP_LEN		8

static const char *const result_names[DECODE_RESULT_MAX] = {
	[DECODE_OK] = "ok",
	[DECODE_OTHER] = "other",
	[DECODE_TRUNCATED] = "truncated",
	[DECODE_BAD_LINK] = "bad_link",
	[DECODE_BAD_IP] = "bad_ip",
	[DECODE_BAD_L4] = "bad_l4",
	[DECODE_FRAGMENT] = "fragment",
	[DECODE_TOO_DEEP] = "too_deep",
	[DECODE_UNSUPPORTED_LINK] = "unsupported_link",
};

static enum decode_result decode_link(int, struct rd *, struct pkt *, int);
static enum decode_result decode_ethertype(uint16_t, struct rd *,
    struct pkt *, int);
static enum decode_result decode_ip(struct rd *, struct pkt *, int);
static enum decode_result decode_ether(struct rd *, struct pkt *, int);
static enum decode_result decode_ppp(struct rd *, struct pkt *, int);
static enum decode_result decode_80211(struct rd *, struct pkt *, int, int);

const char *
decode_result_str(enum decode_result r)
{
	if ((unsigned)r >= DECODE_RESULT_MAX)
		return "unknown";
	return result_names[r];
}

int
decode_link_supported(int link)
{
	switch (link) {
	case LINK_NULL:
	case LINK_EN10MB:
	case LINK_PPP:
	case LINK_RAW:
	case LINK_PPP_SERIAL:
	case LINK_C_HDLC:
	case LINK_LOOP:
	case LINK_LINUX_SLL:
	case LINK_PPI:
	case LINK_IPV4:
	case LINK_IPV6:
	case LINK_LINUX_SLL2:
	case LINK_IEEE802_11:
	case LINK_IEEE802_11_RADIO:
		return 1;
	}
	return 0;
}

/*
 * TCP header (RFC 9293 section 3.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * +-------+-------+---------------+-------------------------------+
 * |  DOff | Rsrvd |     Flags     |            Window             |
 * +-------+-------+---------------+-------------------------------+
 * |           Checksum            |         Urgent Pointer        |
 * +-------------------------------+-------------------------------+
 */
static enum decode_result
decode_tcp(struct rd *r, struct pkt *p, size_t l4len)
{
	struct rd seg = rd_sub(r, rd_left(r) < l4len ? rd_left(r) : l4len);
	size_t hlen;
	uint8_t off;

	p->l4 = seg.p;
	p->l4_len = rd_left(&seg);
	p->sport = rd_be16(&seg);
	p->dport = rd_be16(&seg);
	p->seq = rd_be32(&seg);
	p->ack = rd_be32(&seg);
	off = rd_u8(&seg);
	p->tcp_flags = rd_u8(&seg) & 0x1f;
	if (!rd_ok(&seg))
		return DECODE_TRUNCATED;
	hlen = (size_t)(off >> 4) * 4;
	if (hlen < TCP_MIN_HDR || hlen > l4len)
		return DECODE_BAD_L4;
	rd_skip(&seg, hlen - 14);
	if (!rd_ok(&seg))
		return DECODE_TRUNCATED;
	p->payload_len = rd_left(&seg);
	p->payload = rd_bytes(&seg, p->payload_len);
	p->seg_len = (uint32_t)(l4len - hlen);
	return DECODE_OK;
}

/*
 * UDP header (RFC 768):
 * +----------------+----------------+----------------+----------------+
 * |  Source Port   |   Dest Port    |     Length     |    Checksum    |
 * +----------------+----------------+----------------+----------------+
 */
static enum decode_result
decode_udp(struct rd *r, struct pkt *p, size_t l4len)
{
	uint16_t len;
	size_t avail;

	p->l4 = r->p != NULL ? r->p + r->off : NULL;
	p->l4_len = rd_left(r);
	p->sport = rd_be16(r);
	p->dport = rd_be16(r);
	len = rd_be16(r);
	rd_skip(r, 2);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	/* A zero length is allowed for IPv6 jumbograms (RFC 2675). */
	if (len != 0 && (len < UDP_HDR_LEN || len > l4len))
		return DECODE_BAD_L4;
	if (len == 0)
		len = (uint16_t)(l4len > UINT16_MAX ? UINT16_MAX : l4len);
	avail = rd_left(r);
	p->payload_len = avail < (size_t)len - UDP_HDR_LEN ? avail :
	    (size_t)len - UDP_HDR_LEN;
	p->payload = rd_bytes(r, p->payload_len);
	return DECODE_OK;
}

/*
 * Entering a tunnel: the outer VLAN and MAC addresses describe the
 * tunnel's path, not the inner conversation (the two directions of a
 * tunnel often travel on different VLANs), so they are forgotten.
 */
static void
set_encap(struct pkt *p, enum decode_encap e)
{
	if (p->encap == ENCAP_NONE)
		p->encap = (uint8_t)e;
	p->encap_depth++;
	p->vlan = 0;
	p->has_mac = 0;
}

/*
 * VXLAN header (RFC 7348 section 5), then an Ethernet frame:
 * +-+-+-+-+-+-+-+-+-------------------------------------------------+
 * |R|R|R|R|I|R|R|R|            Reserved                             |
 * |        VXLAN Network Identifier (VNI)         |   Reserved      |
 * +-----------------------------------------------+-----------------+
 */
static enum decode_result
decode_vxlan(struct rd *r, struct pkt *p, int depth)
{
	uint8_t flags = rd_u8(r);

	rd_skip(r, VXLAN_HDR_LEN - 1);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (!(flags & VXLAN_FLAG_I))
		return DECODE_BAD_LINK;
	set_encap(p, ENCAP_VXLAN);
	return decode_ether(r, p, depth + 1);
}

/*
 * GTP-U header (3GPP TS 29.281 section 5.1):
 * | Ver(3) | PT | * | E | S | PN |  Message Type  |     Length (16)     |
 * |                 Tunnel Endpoint Identifier (32)                     |
 * | Sequence Number (16) | N-PDU Number | Next Ext Header Type |  (opt)
 * Extension headers: length in 4-octet units, ..., next type (0: none).
 */
static enum decode_result
decode_gtpu(struct rd *r, struct pkt *p, int depth)
{
	uint8_t flags, type, next, elen;
	int n;

	flags = rd_u8(r);
	type = rd_u8(r);
	rd_skip(r, 6);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if ((flags & 0xe0) != GTP_VERSION_1 || !(flags & GTP_PT))
		return DECODE_BAD_LINK;
	if (type != GTP_TYPE_GPDU)
		return DECODE_OTHER;
	if (flags & GTP_EXT_FLAGS) {
		rd_skip(r, 3);
		next = rd_u8(r);
		for (n = 0; (flags & GTP_EXT_E) && next != 0; n++) {
			if (n == DECODE_MAX_DEPTH)
				return DECODE_TOO_DEEP;
			elen = rd_u8(r);
			if (elen == 0)
				return DECODE_BAD_LINK;
			rd_skip(r, (size_t)elen * 4 - 2);
			next = rd_u8(r);
		}
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
	}
	set_encap(p, ENCAP_GTPU);
	return decode_ip(r, p, depth + 1);
}

/*
 * Teredo (RFC 4380 section 5.1.1): an IPv6 packet, optionally preceded by
 * an authentication indicator and/or an origin indication.
 */
static enum decode_result
decode_teredo(struct rd *r, struct pkt *p, int depth)
{
	uint16_t ind;
	uint8_t idlen, aulen;
	int i;

	for (i = 0; i < 2 && rd_left(r) >= 2 && (r->p[r->off] >> 4) != 6;
	    i++) {
		ind = rd_be16(r);
		if (ind == TEREDO_AUTH) {
			idlen = rd_u8(r);
			aulen = rd_u8(r);
			rd_skip(r, (size_t)idlen + aulen + 8 + 1);
		} else if (ind == TEREDO_ORIGIN) {
			rd_skip(r, 6);
		} else {
			return DECODE_BAD_LINK;
		}
	}
	if (!rd_ok(r) || rd_left(r) < 1)
		return DECODE_TRUNCATED;
	if ((r->p[r->off] >> 4) != 6)
		return DECODE_BAD_LINK;
	set_encap(p, ENCAP_TEREDO);
	return decode_ip(r, p, depth + 1);
}

/*
 * CAPWAP data channel (RFC 5415 section 4.3):
 * | Preamble (8) | HLEN (5) | RID (5) | WBID (5) |T|F|L|W|M|K| Flags(3) |
 * HLEN counts 4-octet words of the whole header. T set: a native frame of
 * the wireless binding (802.11 for WBID 1); clear: an 802.3 frame.
 */
static enum decode_result
decode_capwap(struct rd *r, struct pkt *p, int depth)
{
	uint32_t w;
	size_t hlen;

	w = rd_be32(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if ((w >> 24) != 0)
		return DECODE_BAD_LINK;
	hlen = (size_t)((w >> 19) & 0x1f) * 4;
	if (hlen < 8)
		return DECODE_BAD_LINK;
	if (w & CAPWAP_F)
		return DECODE_FRAGMENT;
	rd_skip(r, hlen - 4);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	set_encap(p, ENCAP_CAPWAP);
	if (!(w & CAPWAP_T))
		return decode_ether(r, p, depth + 1);
	if (((w >> 9) & 0x1f) == CAPWAP_WBID_80211) {
		/*
		 * Cisco access points send the 802.11 frame control field
		 * byte-swapped; a "type data" in the second byte shows it.
		 */
		int swap = rd_left(r) >= 2 &&
		    (r->p[r->off] & WLAN_TYPE_MASK) != WLAN_TYPE_DATA &&
		    (r->p[r->off + 1] & WLAN_TYPE_MASK) == WLAN_TYPE_DATA;

		return decode_80211(r, p, depth + 1, swap);
	}
	return DECODE_OTHER;
}

/*
 * Tunnels carried in UDP, recognised by port and a sane header. When the
 * inner decode fails, the packet is kept as the outer UDP packet.
 */
static enum decode_result
decode_udp_tunnel(struct pkt *p, int depth)
{
	enum decode_result (*fn)(struct rd *, struct pkt *, int) = NULL;
	struct pkt inner;
	enum decode_result res;
	struct rd r;

	if (p->sport == PORT_VXLAN || p->dport == PORT_VXLAN)
		fn = decode_vxlan;
	else if (p->sport == PORT_GTPU && p->dport == PORT_GTPU)
		fn = decode_gtpu;
	else if (p->sport == PORT_TEREDO || p->dport == PORT_TEREDO)
		fn = decode_teredo;
	else if (p->sport == PORT_CAPWAP_DATA || p->dport == PORT_CAPWAP_DATA)
		fn = decode_capwap;
	if (fn == NULL || depth >= DECODE_MAX_DEPTH || p->payload_len == 0)
		return DECODE_OK;
	inner = *p;
	rd_init(&r, p->payload, p->payload_len);
	res = fn(&r, &inner, depth);
	if (res == DECODE_BAD_LINK || res == DECODE_BAD_IP ||
	    res == DECODE_TRUNCATED)
		return DECODE_OK;
	*p = inner;
	return res;
}

/*
 * GRE header (RFC 2784 section 2.1, RFC 2890 section 2; version 1 as PPTP
 * uses it, RFC 2637 section 4.1):
 * |C| |K|S| Reserved0 |A| Flags | Ver |      Protocol Type       |
 * |  Checksum (optional)        |  Reserved1 (optional)          |
 * |  Key (optional; v1: payload length, call id)                 |
 * |  Sequence Number (optional)                                  |
 * |  Acknowledgment Number (v1, optional)                        |
 */
static enum decode_result
decode_gre(struct rd *r, struct pkt *p, int depth)
{
	uint16_t flags, proto, w;
	uint32_t w2;

	flags = rd_be16(r);
	proto = rd_be16(r);
	if (flags & GRE_C)
		rd_skip(r, 4);
	if (flags & GRE_K)
		rd_skip(r, 4);
	if (flags & GRE_S)
		rd_skip(r, 4);
	if ((flags & GRE_VERSION) == 1 && (flags & GRE_A))
		rd_skip(r, 4);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if ((flags & GRE_VERSION) > 1)
		return DECODE_OTHER;
	set_encap(p, ENCAP_GRE);
	switch (proto) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
		return decode_ip(r, p, depth + 1);
	case GRE_PROTO_TEB:
		return decode_ether(r, p, depth + 1);
	case GRE_PROTO_PPP:
		return decode_ppp(r, p, depth + 1);
	case GRE_PROTO_ERSPAN2:
		p->encap = ENCAP_ERSPAN;
		if (flags & GRE_S)
			rd_skip(r, ERSPAN2_HDR_LEN);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_ether(r, p, depth + 1);
	case GRE_PROTO_ERSPAN3:
		p->encap = ENCAP_ERSPAN;
		rd_skip(r, 8);
		w2 = rd_be32(r);
		if (w2 & ERSPAN3_O)
			rd_skip(r, ERSPAN3_SUBHDR_LEN);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_ether(r, p, depth + 1);
	}
	(void)w;
	return DECODE_OTHER;
}

static enum decode_result
decode_l4(uint8_t proto, struct rd *r, struct pkt *p, size_t l4len, int depth)
{
	p->proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
		return decode_tcp(r, p, l4len);
	case IPPROTO_UDP: {
		enum decode_result res = decode_udp(r, p, l4len);

		return res == DECODE_OK ? decode_udp_tunnel(p, depth) : res;
	}
	case IPPROTO_IPIP:
	case IPPROTO_IPV6:
		if (depth >= DECODE_MAX_DEPTH)
			return DECODE_TOO_DEEP;
		set_encap(p, ENCAP_IPIP);
		return decode_ip(r, p, depth + 1);
	case IPPROTO_GRE_:
		if (depth >= DECODE_MAX_DEPTH)
			return DECODE_TOO_DEEP;
		return decode_gre(r, p, depth);
	}
	return DECODE_OTHER;
}

/*
 * IPv4 header (RFC 791 section 3.1):
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options (IHL > 5)                          |
 * +---------------------------------------------------------------+
 */
static enum decode_result
decode_ipv4(struct rd *r, struct pkt *p, int depth)
{
	uint8_t vihl, proto;
	uint16_t total, frag, id;
	size_t hlen, avail;
	struct rd dgram;

	avail = rd_left(r);
	vihl = rd_u8(r);
	rd_skip(r, 1);
	total = rd_be16(r);
	id = rd_be16(r);
	frag = rd_be16(r);
	rd_skip(r, 1);
	proto = rd_u8(r);
	rd_skip(r, 2);
	memset(p->src, 0, sizeof(p->src));
	memset(p->dst, 0, sizeof(p->dst));
	rd_copy(r, p->src, 4);
	rd_copy(r, p->dst, 4);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (vihl >> 4 != 4 || hlen < IPV4_MIN_HDR || total < hlen)
		return DECODE_BAD_IP;
	p->family = 4;
	p->ip_len = total;
	rd_skip(r, hlen - IPV4_MIN_HDR);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	/* Trailing Ethernet padding is cut off; a short capture is kept. */
	avail = avail - hlen;
	dgram = rd_sub(r, avail < (size_t)total - hlen ? avail :
	    (size_t)total - hlen);
	p->proto = proto;
	p->frag_id = id;
	if ((frag & IPV4_OFFSET_MASK) != 0 || (frag & IPV4_FLAG_MF)) {
		p->frag_off = (uint32_t)(frag & IPV4_OFFSET_MASK) * 8;
		p->frag_more = (frag & IPV4_FLAG_MF) != 0;
		p->payload_len = rd_left(&dgram);
		p->payload = rd_bytes(&dgram, p->payload_len);
		return DECODE_FRAGMENT;
	}
	return decode_l4(proto, &dgram, p, (size_t)total - hlen, depth);
}

/*
 * IPv6 header (RFC 8200 section 3), then the extension header chain
 * (section 4): each but the fragment header carries its length in 8-octet
 * units after the first 8 octets; AH counts 4-octet units (RFC 4302).
 */
static enum decode_result
decode_ipv6(struct rd *r, struct pkt *p, int depth)
{
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh;
	size_t avail, i, l4len;
	struct rd dgram;

	vtf = rd_be32(r);
	plen = rd_be16(r);
	nh = rd_u8(r);
	rd_skip(r, 1);
	rd_copy(r, p->src, 16);
	rd_copy(r, p->dst, 16);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (vtf >> 28 != 6)
		return DECODE_BAD_IP;
	p->family = 6;
	p->ip_len = (uint32_t)plen + IPV6_HDR_LEN;
	avail = rd_left(r);
	dgram = rd_sub(r, avail < plen ? avail : plen);
	l4len = plen;
	for (i = 0; i < IP6_MAX_EXT; i++) {
		uint8_t next, elen;
		size_t skip;

		switch (nh) {
		case IP6_NH_HOPOPTS:
		case IP6_NH_ROUTING:
		case IP6_NH_DSTOPTS:
		case IP6_NH_AH:
			next = rd_u8(&dgram);
			elen = rd_u8(&dgram);
			skip = nh == IP6_NH_AH ? ((size_t)elen + 2) * 4 :
			    ((size_t)elen + 1) * 8;
			rd_skip(&dgram, skip - 2);
			if (!rd_ok(&dgram))
				return DECODE_TRUNCATED;
			if (skip > l4len)
				return DECODE_BAD_IP;
			l4len -= skip;
			nh = next;
			continue;
		case IP6_NH_FRAGMENT: {
			uint16_t off;
			uint32_t id;

			/* RFC 8200 4.5: next, reserved, offset|M, id. */
			next = rd_u8(&dgram);
			rd_skip(&dgram, 1);
			off = rd_be16(&dgram);
			id = rd_be32(&dgram);
			if (!rd_ok(&dgram))
				return DECODE_TRUNCATED;
			if (l4len < 8)
				return DECODE_BAD_IP;
			l4len -= 8;
			nh = next;
			p->proto = nh;
			if ((off & IP6_FRAG_OFFSET_MASK) != 0 ||
			    (off & IP6_FRAG_M)) {
				p->frag_id = id;
				p->frag_off = off & IP6_FRAG_OFFSET_MASK;
				p->frag_more = (off & IP6_FRAG_M) != 0;
				p->payload_len = rd_left(&dgram) < l4len ?
				    rd_left(&dgram) : l4len;
				p->payload = rd_bytes(&dgram, p->payload_len);
				return DECODE_FRAGMENT;
			}
			continue;
		}
		case IP6_NH_NONE:
			p->proto = nh;
			return DECODE_OTHER;
		}
		break;
	}
	if (i == IP6_MAX_EXT)
		return DECODE_BAD_IP;
	return decode_l4(nh, &dgram, p, l4len, depth);
}

static enum decode_result
decode_ip(struct rd *r, struct pkt *p, int depth)
{
	uint8_t v;

	if (rd_left(r) < 1)
		return DECODE_TRUNCATED;
	v = r->p[r->off] >> 4;
	if (v == 4)
		return decode_ipv4(r, p, depth);
	if (v == 6)
		return decode_ipv6(r, p, depth);
	return DECODE_BAD_IP;
}

static enum decode_result
decode_ppp_proto(uint16_t proto, struct rd *r, struct pkt *p, int depth)
{
	if (proto == PPP_IPV4 || proto == PPP_IPV6)
		return decode_ip(r, p, depth);
	return DECODE_OTHER;
}

/*
 * MPLS label stack (RFC 3032 section 2.1): 32-bit entries until the
 * bottom-of-stack bit; what follows has no type field, so the IP version
 * nibble decides.
 */
static enum decode_result
decode_mpls(struct rd *r, struct pkt *p, int depth)
{
	uint32_t lse;
	int n;

	for (n = 0; n < DECODE_MAX_DEPTH; n++) {
		lse = rd_be32(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (lse & MPLS_BOS)
			break;
	}
	if (n == DECODE_MAX_DEPTH)
		return DECODE_TOO_DEEP;
	if (rd_left(r) < 1)
		return DECODE_TRUNCATED;
	switch (r->p[r->off] >> 4) {
	case 4:
	case 6:
		return decode_ip(r, p, depth);
	}
	return DECODE_OTHER;
}

static enum decode_result
decode_ethertype(uint16_t type, struct rd *r, struct pkt *p, int depth)
{
	int tags;

	for (tags = 0; tags < DECODE_MAX_DEPTH; tags++) {
		switch (type) {
		case ETHERTYPE_VLAN:
		case ETHERTYPE_QINQ:
		case ETHERTYPE_QINQ_OLD:
			p->vlan = rd_be16(r) & VLAN_ID_MAX;
			type = rd_be16(r);
			if (!rd_ok(r))
				return DECODE_TRUNCATED;
			continue;
		case ETHERTYPE_IPV4:
		case ETHERTYPE_IPV6:
			return decode_ip(r, p, depth);
		case ETHERTYPE_PPPOE_SESS: {
			uint16_t proto;

			/* ver/type, code, session id, length (RFC 2516 4). */
			rd_skip(r, 6);
			proto = rd_be16(r);
			if (!rd_ok(r))
				return DECODE_TRUNCATED;
			return decode_ppp_proto(proto, r, p, depth);
		}
		case ETHERTYPE_MPLS:
		case ETHERTYPE_MPLS_MC:
			return decode_mpls(r, p, depth);
		}
		return DECODE_OTHER;
	}
	return DECODE_TOO_DEEP;
}

/*
 * IEEE 802.11 data frame (IEEE 802.11-2020 section 9.3.2.1) and the
 * LLC/SNAP header in front of the EtherType (RFC 1042):
 * | FC (2) | Duration (2) | Addr1 | Addr2 | Addr3 | SeqCtl (2) | [Addr4]
 * | [QoS (2)] | AA AA 03 | OUI (3) | EtherType (2) |
 */
static enum decode_result
decode_80211(struct rd *r, struct pkt *p, int depth, int swap_fc)
{
	uint8_t fc0, fc1, a1[6], a2[6], a3[6], llc[6];
	uint16_t type;

	fc0 = rd_u8(r);
	fc1 = rd_u8(r);
	if (swap_fc) {
		uint8_t t = fc0;

		fc0 = fc1;
		fc1 = t;
	}
	rd_skip(r, 2);
	rd_copy(r, a1, 6);
	rd_copy(r, a2, 6);
	rd_copy(r, a3, 6);
	rd_skip(r, 2);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if ((fc0 & WLAN_TYPE_MASK) != WLAN_TYPE_DATA || (fc0 & WLAN_NODATA) ||
	    (fc1 & WLAN_PROTECTED))
		return DECODE_OTHER;
	if ((fc1 & WLAN_TODS_FROMDS) == WLAN_TODS_FROMDS)
		rd_skip(r, 6);
	if (fc0 & WLAN_SUBTYPE_QOS)
		rd_skip(r, 2);
	rd_copy(r, llc, 6);
	type = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03)
		return DECODE_OTHER;
	/* Source: Addr2 from a station (ToDS), Addr3 towards it (FromDS). */
	memcpy(p->src_mac, (fc1 & WLAN_TODS_FROMDS) == 0x02 ? a3 : a2, 6);
	memcpy(p->dst_mac, (fc1 & WLAN_TODS_FROMDS) == 0x01 ? a3 : a1, 6);
	p->has_mac = 1;
	return decode_ethertype(type, r, p, depth);
}

static enum decode_result
decode_ether(struct rd *r, struct pkt *p, int depth)
{
	uint16_t type;

	rd_copy(r, p->dst_mac, 6);
	rd_copy(r, p->src_mac, 6);
	type = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	p->has_mac = 1;
	if (type < ETHERTYPE_MIN)
		return DECODE_OTHER;	/* 802.3 length: LLC/SNAP frames */
	return decode_ethertype(type, r, p, depth);
}

/* PPP in HDLC-like framing (RFC 1662): optional ff 03, then protocol. */
static enum decode_result
decode_ppp(struct rd *r, struct pkt *p, int depth)
{
	uint16_t proto;

	if (rd_left(r) >= 2 && r->p[r->off] == PPP_ADDRESS &&
	    r->p[r->off + 1] == PPP_CONTROL)
		rd_skip(r, 2);
	if (rd_left(r) >= 1 && (r->p[r->off] & 0x01))
		proto = rd_u8(r);	/* compressed protocol field */
	else
		proto = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	return decode_ppp_proto(proto, r, p, depth);
}

static enum decode_result
decode_link(int link, struct rd *r, struct pkt *p, int depth)
{
	uint32_t fam;
	uint16_t proto, hlen;
	int inner;

	switch (link) {
	case LINK_EN10MB:
		return decode_ether(r, p, depth);
	case LINK_RAW:
	case LINK_IPV4:
	case LINK_IPV6:
		return decode_ip(r, p, depth);
	case LINK_NULL:
	case LINK_LOOP:
		fam = link == LINK_NULL ? rd_le32(r) : rd_be32(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		/* A capture written on the other endianness. */
		if (fam > 0xffff)
			fam = (fam >> 24) | ((fam >> 8) & 0xff00);
		switch (fam) {
		case BSD_AF_INET:
		case BSD_AF_INET6_BSD:
		case BSD_AF_INET6_FREEBSD:
		case BSD_AF_INET6_DARWIN:
		case BSD_AF_INET6_LINUX:
			return decode_ip(r, p, depth);
		}
		return DECODE_OTHER;
	case LINK_PPP:
	case LINK_PPP_SERIAL:
		return decode_ppp(r, p, depth);
	case LINK_IEEE802_11:
		return decode_80211(r, p, depth, 0);
	case LINK_IEEE802_11_RADIO:
		/* radiotap: version, pad, length (LE), present flags. */
		rd_skip(r, 2);
		hlen = rd_le16(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (hlen < 8)
			return DECODE_BAD_LINK;
		rd_skip(r, (size_t)hlen - 4);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_80211(r, p, depth, 0);
	case LINK_C_HDLC:
		/* address, control, then an EtherType. */
		rd_skip(r, 2);
		proto = rd_be16(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_ethertype(proto, r, p, depth);
	case LINK_LINUX_SLL:
		/* packet type, ARPHRD, address length, address[8], protocol */
		rd_skip(r, 14);
		proto = rd_be16(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_ethertype(proto, r, p, depth);
	case LINK_LINUX_SLL2:
		/* protocol, reserved, ifindex, ARPHRD, type, addr len, addr */
		proto = rd_be16(r);
		rd_skip(r, 18);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		return decode_ethertype(proto, r, p, depth);
	case LINK_PPI:
		/* version, flags, length (LE), inner DLT (LE), fields. */
		rd_skip(r, 2);
		hlen = rd_le16(r);
		inner = (int)rd_le32(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (hlen < 8 || inner == LINK_PPI || depth >= DECODE_MAX_DEPTH)
			return DECODE_BAD_LINK;
		rd_skip(r, (size_t)hlen - 8);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (!decode_link_supported(inner))
			return DECODE_UNSUPPORTED_LINK;
		return decode_link(inner, r, p, depth + 1);
	}
	return DECODE_UNSUPPORTED_LINK;
}

enum decode_result
decode_packet(int link, const uint8_t *data, size_t caplen, struct pkt *p)
{
	struct rd r;

	p->has_mac = 0;
	p->vlan = 0;
	p->family = 0;
	p->proto = 0;
	p->sport = p->dport = 0;
	p->tcp_flags = 0;
	p->seq = p->ack = 0;
	p->ip_len = 0;
	p->encap_depth = 0;
	p->encap = ENCAP_NONE;
	p->frag_more = 0;
	p->frag_id = 0;
	p->frag_off = 0;
	p->payload = NULL;
	p->payload_len = 0;
	p->l4 = NULL;
	p->l4_len = 0;
	rd_init(&r, data, caplen);
	return decode_link(link, &r, p, 0);
}

enum decode_result
decode_reassembled(struct pkt *p, const uint8_t *data, size_t len)
{
	struct rd r;

	rd_init(&r, data, len);
	p->ip_len = (uint32_t)len + (p->family == 6 ? IPV6_HDR_LEN :
	    IPV4_MIN_HDR);
	p->payload = NULL;
	p->payload_len = 0;
	/* A partial datagram's headers may claim more than is there. */
	return decode_l4(p->proto, &r, p, p->frag_more ? UINT16_MAX : len,
	    p->encap_depth);
}
