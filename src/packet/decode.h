/* SPDX-License-Identifier: ISC */
/*
 * decode.h: link, network and transport headers of one captured packet
 * into a plain struct pkt. Tunnels are unwrapped: the addresses and ports
 * in struct pkt are those of the innermost conversation.
 *
 * Ownership: pkt.payload points into the capture buffer and is BORROWED
 * for the duration of the packet callback only; anything kept must be
 * copied (flow.c copies stream bytes into its own buffers).
 */
#ifndef SHADOWTAP_DECODE_H
#define SHADOWTAP_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/record.h"

/* IEEE 802.1Q: a VLAN id is 12 bits (also the mask that takes them). */

/* Link types (libpcap DLT_* values on Linux; see pcap-linktype(7)). */
#define LINK_NULL		0	/* BSD loopback, host byte order */
#define LINK_EN10MB		1	/* Ethernet */
#define LINK_PPP		9
#define LINK_RAW		12	/* raw IP (LINKTYPE_RAW 101) */
#define LINK_PPP_SERIAL		50
#define LINK_C_HDLC		104	/* Cisco HDLC */
#define LINK_IEEE802_11		105	/* 802.11 data frames, no radio header */
#define LINK_LOOP		108	/* OpenBSD loopback, network order */
#define LINK_LINUX_SLL		113
#define LINK_IEEE802_11_RADIO	127	/* radiotap + 802.11 */
#define LINK_PPI		192
#define LINK_IPV4		228
#define LINK_IPV6		229
#define LINK_LINUX_SLL2		276

/* 1 when decode_packet() understands the link type. */
int	decode_link_supported(int link);

enum decode_result {
	DECODE_OK = 0,		/* TCP or UDP with ports */
	DECODE_OTHER,		/* valid, but not a TCP/UDP flow (ARP, ICMP) */
	DECODE_TRUNCATED,	/* a header was cut by the snapshot length */
	DECODE_BAD_LINK,	/* malformed link-layer header */
	DECODE_BAD_IP,		/* bad version, header length or total length */
	DECODE_BAD_L4,		/* bad TCP/UDP header */
	DECODE_FRAGMENT,	/* an IP fragment: payload is its data */
	DECODE_TOO_DEEP,	/* more nested encapsulations than allowed */
	DECODE_UNSUPPORTED_LINK,
	DECODE_RESULT_MAX
};

/* Tunnels decode_packet() unwraps (the outermost is reported). */
enum decode_encap {
	ENCAP_NONE = 0,
	ENCAP_IPIP,		/* 4in4, 6in4, 4in6, 6in6 */
	ENCAP_GRE,
	ENCAP_ERSPAN,
	ENCAP_VXLAN,
	ENCAP_GTPU,
	ENCAP_TEREDO,
	ENCAP_CAPWAP,
};

/* Short stable name for a result ("truncated", "bad_ip", ...). */
const char	*decode_result_str(enum decode_result);

#define PKT_TCP_FIN	0x01
#define PKT_TCP_SYN	0x02
#define PKT_TCP_RST	0x04
#define PKT_TCP_PSH	0x08
#define PKT_TCP_ACK	0x10

struct pkt {
	int64_t		 ts_us;		/* packet time */
	uint32_t	 caplen;
	uint32_t	 wirelen;
	uint8_t		 has_mac;	/* innermost Ethernet addresses set */
	uint8_t		 src_mac[6];
	uint8_t		 dst_mac[6];
	uint16_t	 vlan;		/* innermost 802.1Q VLAN id, 0 if none */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 proto;		/* IPPROTO_* of the transport */
	uint8_t		 src[16];	/* IPv4 in the first 4 bytes */
	uint8_t		 dst[16];
	uint16_t	 sport;
	uint16_t	 dport;
	uint8_t		 tcp_flags;	/* PKT_TCP_* */
	uint32_t	 seq;
	uint32_t	 ack;
	uint32_t	 ip_len;	/* innermost IP datagram length (wire) */
	uint8_t		 encap_depth;	/* tunnels unwrapped */
	uint8_t		 encap;		/* outermost tunnel (enum decode_encap) */
	uint8_t		 frag_more;	/* DECODE_FRAGMENT: more fragments follow */
	uint32_t	 frag_id;	/* IP identification (IPv6: fragments) */
	uint32_t	 frag_off;	/* DECODE_FRAGMENT: offset in bytes */
	const uint8_t	*l4;		/* transport header, borrowed */
	size_t		 l4_len;	/* captured bytes from l4 on */
	const uint8_t	*payload;	/* transport payload, borrowed */
	size_t		 payload_len;	/* captured payload bytes */
	uint32_t	 seg_len;	/* TCP: payload bytes on the wire, which
					   the snap length may have cut */
};

/*
 * Decodes one packet of link type link. Fills *p (ts_us, caplen and
 * wirelen are set by the caller) and returns DECODE_OK for a TCP or UDP
 * packet, or the reason it is not one. Never reads outside [data,
 * data+caplen). For DECODE_FRAGMENT, p holds the addresses, proto (the
 * upper protocol), frag_id, frag_off, frag_more, and payload/payload_len
 * is the fragment's data: hand it to frag.h.
 */
enum decode_result decode_packet(int link, const uint8_t *data, size_t caplen,
		    struct pkt *p);

/*
 * Decodes the transport layer of a reassembled datagram (len bytes of
 * p->proto data, as frag.h returns it) into p, which still holds the
 * fragment's network-layer fields. Same results as decode_packet(). With
 * p->frag_more set, the data is a partial datagram (frag_partial): the
 * transport header's length may then exceed len.
 */
enum decode_result decode_reassembled(struct pkt *p, const uint8_t *data,
		    size_t len);

#endif
