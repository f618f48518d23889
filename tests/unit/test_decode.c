/* SPDX-License-Identifier: ISC */
/* test_decode.c: link types, VLAN/QinQ, PPPoE, MPLS, IP-in-IP, IPv4
 * options, IPv6 extension chains, bad header lengths and truncation, with
 * packets built byte by byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "packet/decode.h"

/* Ethernet II header: dst 02:..:02, src 02:..:01, then an EtherType. */
static size_t
put_eth(uint8_t *b, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	memcpy(b, macs, 12);
	b[12] = (uint8_t)(type >> 8);
	b[13] = (uint8_t)type;
	return 14;
}

/* IPv4 header 10.0.0.1 -> 10.0.0.2 with optlen bytes of options. */
static size_t
put_ip4(uint8_t *b, uint8_t proto, size_t payload, size_t optlen)
{
	size_t hl = 20 + optlen, total = hl + payload;

	memset(b, 0, hl);
	b[0] = (uint8_t)(0x40 | (hl / 4));
	b[2] = (uint8_t)(total >> 8);
	b[3] = (uint8_t)total;
	b[8] = 64;
	b[9] = proto;
	b[12] = 10; b[15] = 1;			/* source 10.0.0.1 */
	b[16] = 10; b[19] = 2;			/* destination 10.0.0.2 */
	if (optlen > 0)
		memset(b + 20, 1, optlen);	/* NOP options */
	return hl;
}

/* IPv6 header 2001:db8::1 -> 2001:db8::2. */
static size_t
put_ip6(uint8_t *b, uint8_t nh, size_t payload)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(payload >> 8);
	b[5] = (uint8_t)payload;
	b[6] = nh;
	b[7] = 64;
	b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;
	b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = 0xb8; b[39] = 2;
	return 40;
}

/* TCP header 40000 -> 443, SYN, data offset 5, then plen bytes 'x'. */
static size_t
put_tcp(uint8_t *b, size_t plen)
{
	memset(b, 0, 20);
	b[0] = 0x9c; b[1] = 0x40;	/* 40000 */
	b[2] = 0x01; b[3] = 0xbb;	/* 443 */
	b[7] = 7;			/* seq 7 */
	b[12] = 5 << 4;
	b[13] = PKT_TCP_SYN;
	memset(b + 20, 'x', plen);
	return 20 + plen;
}

/* UDP header 5353 -> 53 and plen bytes 'u'. */
static size_t
put_udp(uint8_t *b, size_t plen)
{
	b[0] = 0x14; b[1] = 0xe9;
	b[2] = 0; b[3] = 53;
	b[4] = (uint8_t)((8 + plen) >> 8);
	b[5] = (uint8_t)(8 + plen);
	b[6] = b[7] = 0;
	memset(b + 8, 'u', plen);
	return 8 + plen;
}

static void
test_ether_ipv4_tcp(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = 0;

	(void)state;
	n += put_eth(b, 0x0800);
	n += put_ip4(b + n, IPPROTO_TCP, 25, 0);
	n += put_tcp(b + n, 5);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.seq, 7);
	assert_int_equal(p.tcp_flags, PKT_TCP_SYN);
	assert_int_equal(p.payload_len, 5);
	assert_memory_equal(p.payload, "xxxxx", 5);
	assert_int_equal(p.ip_len, 45);
	assert_true(p.has_mac);
	assert_int_equal(p.src_mac[5], 1);
	assert_int_equal(p.src[3], 1);
	assert_int_equal(p.dst[3], 2);
}

static void
test_ipv4_options_and_padding(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = 0;

	(void)state;
	n += put_eth(b, 0x0800);
	n += put_ip4(b + n, IPPROTO_UDP, 12, 8);
	n += put_udp(b + n, 4);
	memset(b + n, 0xee, 10);	/* Ethernet trailer padding */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n + 10, &p), DECODE_OK);
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.payload_len, 4);
}

static void
test_bad_ihl_and_total(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = put_eth(b, 0x0800), ip = n;

	(void)state;
	n += put_ip4(b + n, IPPROTO_TCP, 20, 0);
	n += put_tcp(b + n, 0);
	b[ip] = 0x44;		/* IHL 4: below the minimum */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_BAD_IP);
	b[ip] = 0x45;
	b[ip + 2] = 0;
	b[ip + 3] = 10;		/* total length shorter than the header */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_BAD_IP);
	b[ip] = 0x55;		/* version 5 */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_BAD_IP);
}

static void
test_truncation_every_length(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = 0, cut;
	enum decode_result r;

	(void)state;
	n += put_eth(b, 0x8100);
	b[n++] = 0; b[n++] = 20; b[n++] = 0x08; b[n++] = 0x00;
	n += put_ip4(b + n, IPPROTO_TCP, 20, 0);
	n += put_tcp(b + n, 0);
	for (cut = 0; cut < n; cut++) {
		r = decode_packet(LINK_EN10MB, b, cut, &p);
		assert_int_equal(r, DECODE_TRUNCATED);
	}
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
	assert_int_equal(p.vlan, 20);
}

static void
test_qinq(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = put_eth(b, 0x88a8);

	(void)state;
	b[n++] = 0x00; b[n++] = 100; b[n++] = 0x81; b[n++] = 0x00; /* outer */
	b[n++] = 0x00; b[n++] = 7; b[n++] = 0x08; b[n++] = 0x00;    /* inner */
	n += put_ip4(b + n, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
	assert_int_equal(p.vlan, 7);
	b[12] = 0x91;		/* pre-standard 0x9100 outer tag */
	b[13] = 0x00;
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
}

static void
test_pppoe_and_mpls(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = put_eth(b, 0x8864);

	(void)state;
	/* ver/type 0x11, code 0, session 0x0001, length, PPP proto IPv4 */
	b[n++] = 0x11; b[n++] = 0; b[n++] = 0; b[n++] = 1;
	b[n++] = 0; b[n++] = 30; b[n++] = 0x00; b[n++] = 0x21;
	n += put_ip4(b + n, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
	assert_int_equal(p.dport, 53);

	n = put_eth(b, 0x8847);
	/* two labels, the second with bottom-of-stack */
	b[n++] = 0; b[n++] = 1; b[n++] = 0; b[n++] = 64;
	b[n++] = 0; b[n++] = 2; b[n++] = 1; b[n++] = 64;
	n += put_ip6(b + n, IPPROTO_UDP, 8);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
}

static void
test_ip_in_ip(void **state)
{
	uint8_t b[192];
	struct pkt p;
	size_t n = 0;

	(void)state;
	/* 6in4: IPv4 protocol 41 carrying IPv6/TCP. */
	n += put_ip4(b, IPPROTO_IPV6, 40 + 20, 0);
	n += put_ip6(b + n, IPPROTO_TCP, 20);
	n += put_tcp(b + n, 0);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(p.encap_depth, 1);
	assert_int_equal(p.dst[15], 2);
	/* 4in6 */
	n = put_ip6(b, IPPROTO_IPIP, 20 + 8);
	n += put_ip4(b + n, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_IPV6, b, n, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
}

static void
test_ipv6_ext_chain(void **state)
{
	uint8_t b[192];
	struct pkt p;
	size_t n;

	(void)state;
	/* hop-by-hop (8 bytes) -> destination options (16 bytes) -> UDP */
	n = put_ip6(b, 0, 8 + 16 + 8);
	memset(b + n, 0, 24);
	b[n] = 60; b[n + 1] = 0;
	b[n + 8] = IPPROTO_UDP; b[n + 9] = 1;
	n += 24;
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_int_equal(p.proto, IPPROTO_UDP);
	/* A non-first fragment carries no transport header. */
	n = put_ip6(b, 44, 8 + 8);
	memset(b + n, 0, 8);
	b[n] = IPPROTO_UDP;
	b[n + 3] = 0x08;	/* offset 1 (8 octets) */
	n += 8;
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_FRAGMENT);
	/* An extension header that claims more than the payload. */
	n = put_ip6(b, 0, 8 + 8);
	memset(b + n, 0, 16);
	b[n] = IPPROTO_UDP; b[n + 1] = 3;
	assert_int_not_equal(decode_packet(LINK_RAW, b, n + 16, &p),
	    DECODE_OK);
}

static void
test_link_types(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n;

	(void)state;
	/* Linux cooked v1: 14 bytes, then the protocol. */
	memset(b, 0, 16);
	b[14] = 0x08;
	n = 16 + put_ip4(b + 16, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_LINUX_SLL, b, n, &p), DECODE_OK);
	/* SLL2: protocol first, 20 bytes in all. */
	memset(b, 0, 20);
	b[0] = 0x86; b[1] = 0xdd;
	n = 20 + put_ip6(b + 20, IPPROTO_UDP, 8);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_LINUX_SLL2, b, n, &p), DECODE_OK);
	/* BSD loopback: AF_INET in host (little-endian) order. */
	b[0] = 2; b[1] = b[2] = b[3] = 0;
	n = 4 + put_ip4(b + 4, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_NULL, b, n, &p), DECODE_OK);
	/* PPP with address/control, then IPv4 (0x0021). */
	b[0] = 0xff; b[1] = 0x03; b[2] = 0x00; b[3] = 0x21;
	n = 4 + put_ip4(b + 4, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_PPP, b, n, &p), DECODE_OK);
	/* Cisco HDLC: address, control, EtherType. */
	b[0] = 0x0f; b[1] = 0; b[2] = 0x08; b[3] = 0x00;
	assert_int_equal(decode_packet(LINK_C_HDLC, b, n, &p), DECODE_OK);
	assert_int_equal(decode_packet(147, b, n, &p),
	    DECODE_UNSUPPORTED_LINK);
	assert_false(decode_link_supported(147));
}

static void
test_other_and_8023(void **state)
{
	uint8_t b[64];
	struct pkt p;
	size_t n;

	(void)state;
	n = put_eth(b, 0x0806);	/* ARP */
	memset(b + n, 0, 28);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n + 28, &p),
	    DECODE_OTHER);
	n = put_eth(b, 0x0026);	/* 802.3 length field */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n + 20, &p),
	    DECODE_OTHER);
	n = put_eth(b, 0x0800);
	n += put_ip4(b + n, IPPROTO_ICMP, 8, 0);
	memset(b + n, 0, 8);
	assert_int_equal(decode_packet(LINK_EN10MB, b, n + 8, &p),
	    DECODE_OTHER);
}

static void
test_tcp_bad_offset(void **state)
{
	uint8_t b[128];
	struct pkt p;
	size_t n = 0, t;

	(void)state;
	n += put_eth(b, 0x0800);
	n += put_ip4(b + n, IPPROTO_TCP, 20, 0);
	t = n;
	n += put_tcp(b + n, 0);
	b[t + 12] = 4 << 4;	/* data offset below 5 */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_BAD_L4);
	b[t + 12] = 15 << 4;	/* beyond the datagram */
	assert_int_equal(decode_packet(LINK_EN10MB, b, n, &p), DECODE_BAD_L4);
}

/* Outer IPv4/UDP (10.0.0.1 -> 10.0.0.2, ports sport/dport) around
 * inner bytes; returns the length. */
static size_t
put_udp_outer(uint8_t *b, uint16_t sport, uint16_t dport,
    const uint8_t *inner, size_t ilen)
{
	size_t n = put_ip4(b, IPPROTO_UDP, 8 + ilen, 0);

	b[n] = (uint8_t)(sport >> 8); b[n + 1] = (uint8_t)sport;
	b[n + 2] = (uint8_t)(dport >> 8); b[n + 3] = (uint8_t)dport;
	b[n + 4] = (uint8_t)((8 + ilen) >> 8); b[n + 5] = (uint8_t)(8 + ilen);
	b[n + 6] = b[n + 7] = 0;
	memcpy(b + n + 8, inner, ilen);
	return n + 8 + ilen;
}

/* Inner IPv4/TCP packet with its addresses changed to 192.168.0.x. */
static size_t
put_inner(uint8_t *b)
{
	size_t n = put_ip4(b, IPPROTO_TCP, 20, 0);

	b[12] = 192; b[13] = 168; b[14] = 0; b[15] = 5;
	b[16] = 192; b[17] = 168; b[18] = 0; b[19] = 6;
	return n + put_tcp(b + n, 0);
}

static void
assert_inner(const struct pkt *p, enum decode_encap e)
{
	assert_int_equal(p->encap, e);
	assert_int_equal(p->src[0], 192);
	assert_int_equal(p->dst[3], 6);
	assert_int_equal(p->dport, 443);
	assert_int_equal(p->vlan, 0);
}

static void
test_gre_erspan(void **state)
{
	uint8_t b[256], in[128];
	struct pkt p;
	size_t n, m;

	(void)state;
	/* GRE with key, carrying IPv4. */
	n = put_ip4(b, 47, 8 + 40, 0);
	b[n] = 0x20; b[n + 1] = 0; b[n + 2] = 0x08; b[n + 3] = 0x00;
	memset(b + n + 4, 0, 4);
	n += 8 + put_inner(b + n + 8);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_inner(&p, ENCAP_GRE);
	/* ERSPAN type II: GRE with sequence, 8-byte header, Ethernet. */
	m = put_eth(in, 0x0800);
	m += put_inner(in + m);
	n = put_ip4(b, 47, 8 + 8 + m, 0);
	b[n] = 0x10; b[n + 1] = 0; b[n + 2] = 0x88; b[n + 3] = 0xbe;
	memset(b + n + 4, 0, 4 + 8);
	b[n + 8] = 0x10;	/* version 1 */
	memcpy(b + n + 16, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n + 16 + m, &p),
	    DECODE_OK);
	assert_inner(&p, ENCAP_ERSPAN);
	assert_true(p.has_mac);
	/* ERSPAN type III with the platform sub-header (O bit). */
	n = put_ip4(b, 47, 4 + 12 + 8 + m, 0);
	b[n] = 0; b[n + 1] = 0; b[n + 2] = 0x22; b[n + 3] = 0xeb;
	memset(b + n + 4, 0, 20);
	b[n + 4] = 0x20;	/* version 2 */
	b[n + 15] = 0x01;	/* O */
	memcpy(b + n + 24, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n + 24 + m, &p),
	    DECODE_OK);
	assert_inner(&p, ENCAP_ERSPAN);
}

static void
test_udp_tunnels(void **state)
{
	uint8_t b[256], in[160];
	struct pkt p;
	size_t n, m;

	(void)state;
	/* VXLAN: flags I, VNI 42, then Ethernet. */
	memset(in, 0, 8);
	in[0] = 0x08;
	in[6] = 42;
	m = 8 + put_eth(in + 8, 0x0800);
	m += put_inner(in + m);
	n = put_udp_outer(b, 40000, 4789, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_inner(&p, ENCAP_VXLAN);
	/* VXLAN port without the I flag stays plain UDP. */
	b[28] = 0;
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_int_equal(p.encap, ENCAP_NONE);
	assert_int_equal(p.dport, 4789);
	/* GTP-U with an extension header (PDU session container). */
	in[0] = 0x34;		/* version 1, PT, E */
	in[1] = 0xff;		/* G-PDU */
	in[2] = in[3] = 0;
	memset(in + 4, 0, 4);
	in[8] = in[9] = 0; in[10] = 0;
	in[11] = 0x85;		/* next extension header type */
	in[12] = 1;		/* 4 octets */
	in[13] = 0; in[14] = 9;
	in[15] = 0;		/* no more */
	m = 16 + put_inner(in + 16);
	n = put_udp_outer(b, 2152, 2152, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_inner(&p, ENCAP_GTPU);
	/* Teredo with an origin indication, then IPv6/UDP. */
	in[0] = 0; in[1] = 0;
	memset(in + 2, 0x11, 6);
	m = 8 + put_ip6(in + 8, IPPROTO_UDP, 8);
	m += put_udp(in + m, 0);
	n = put_udp_outer(b, 3544, 51000, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_int_equal(p.encap, ENCAP_TEREDO);
	assert_int_equal(p.family, 6);
	/* CAPWAP data, T bit, WBID 1, 802.11 with byte-swapped frame
	 * control (Cisco), QoS data, LLC/SNAP, IPv4. */
	memset(in, 0, 8);
	{
		/* HLEN 2 words, WBID 1 (802.11), T set. */
		uint32_t w = (2u << 19) | (1u << 9) | 0x100u;

		in[1] = (uint8_t)(w >> 16);
		in[2] = (uint8_t)(w >> 8);
		in[3] = (uint8_t)w;
	}
	memset(in + 8, 0, 26);
	in[8] = 0x01;		/* flags: ToDS (swapped first) */
	in[9] = 0x88;		/* QoS data */
	memset(in + 12, 0xaa, 6);
	memset(in + 18, 0xbb, 6);	/* transmitter: the station */
	memset(in + 24, 0xcc, 6);
	m = 8 + 26;
	in[m++] = 0xaa; in[m++] = 0xaa; in[m++] = 0x03;
	in[m++] = 0; in[m++] = 0; in[m++] = 0;
	in[m++] = 0x08; in[m++] = 0x00;
	m += put_inner(in + m);
	n = put_udp_outer(b, 5247, 5247, in, m);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_OK);
	assert_inner(&p, ENCAP_CAPWAP);
	assert_int_equal(p.src_mac[0], 0xbb);
}

static void
test_80211_radiotap(void **state)
{
	uint8_t b[160];
	struct pkt p;
	size_t n;

	(void)state;
	/* radiotap: version 0, length 8, no fields. */
	memset(b, 0, 8);
	b[2] = 8;
	memset(b + 8, 0, 24);
	b[8] = 0x08;		/* data */
	b[9] = 0x02;		/* FromDS */
	memset(b + 12, 0x11, 6);
	memset(b + 18, 0x22, 6);
	memset(b + 24, 0x33, 6);	/* source when FromDS */
	n = 8 + 24;
	b[n++] = 0xaa; b[n++] = 0xaa; b[n++] = 0x03;
	b[n++] = 0; b[n++] = 0; b[n++] = 0;
	b[n++] = 0x08; b[n++] = 0x00;
	n += put_inner(b + n);
	assert_int_equal(decode_packet(LINK_IEEE802_11_RADIO, b, n, &p),
	    DECODE_OK);
	assert_int_equal(p.src_mac[0], 0x33);
	assert_int_equal(decode_packet(LINK_IEEE802_11, b + 8, n - 8, &p),
	    DECODE_OK);
	b[9] |= 0x40;		/* protected: not readable */
	assert_int_equal(decode_packet(LINK_IEEE802_11, b + 8, n - 8, &p),
	    DECODE_OTHER);
}

static void
test_nested_too_deep(void **state)
{
	uint8_t b[512];
	struct pkt p;
	size_t n = 0;
	int i;

	(void)state;
	/* Twelve IP-in-IP layers: more than the decoder unwraps. */
	for (i = 0; i < 12; i++)
		n += put_ip4(b + n, IPPROTO_IPIP, 20 * (12 - i) + 8, 0);
	n += put_ip4(b + n, IPPROTO_UDP, 8, 0);
	n += put_udp(b + n, 0);
	assert_int_equal(decode_packet(LINK_RAW, b, n, &p), DECODE_TOO_DEEP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ether_ipv4_tcp),
		cmocka_unit_test(test_ipv4_options_and_padding),
		cmocka_unit_test(test_bad_ihl_and_total),
		cmocka_unit_test(test_truncation_every_length),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_pppoe_and_mpls),
		cmocka_unit_test(test_ip_in_ip),
		cmocka_unit_test(test_ipv6_ext_chain),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_other_and_8023),
		cmocka_unit_test(test_tcp_bad_offset),
		cmocka_unit_test(test_gre_erspan),
		cmocka_unit_test(test_udp_tunnels),
		cmocka_unit_test(test_80211_radiotap),
		cmocka_unit_test(test_nested_too_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
