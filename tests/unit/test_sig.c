/* SPDX-License-Identifier: ISC */
/*
 * test_sig.c: unit tests for dissect/sig.c: one hand-built message per
 * signature (with the field layout commented), prefixes that must give
 * DIS_MORE, look-alikes that must not match, the port-only guess, and the
 * seed files cut from the ../shared/corpus captures (tests/fuzz/corpus/sig,
 * named "<expected>--<capture>-<n>"), each of which must classify as named.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/sig.h"
#include "sig_seed.h"

#define SEED_MAX	4096

/* Classifies up/down (either may be NULL/0) and returns the result code. */
static enum dis_result
classify(uint8_t proto, uint16_t sport, const void *up, size_t up_len,
    const void *down, size_t down_len, struct sig_result *r)
{
	struct sig_input in;

	memset(&in, 0, sizeof(in));
	in.proto = proto;
	in.client_port = 40000;
	in.server_port = sport;
	in.up = up;
	in.up_len = up_len;
	in.down = down;
	in.down_len = down_len;
	return sig_classify(&in, r);
}

#define TCP(port, up, down, r) classify(IPPROTO_TCP, (port), (up), \
	sizeof(up) - 1, (down), (down) == NULL ? 0 : sizeof(down) - 1, (r))
#define UDP(port, up, r) classify(IPPROTO_UDP, (port), (up), sizeof(up), \
	NULL, 0, (r))

static const char *const none = NULL;

/* ALPN values that name a protocol by themselves, and near misses. */
static void
test_alpn(void **state)
{
	(void)state;
	assert_int_equal(sig_from_alpn("doq"), SIG_DOQ);
	assert_int_equal(sig_from_alpn("doq-i11"), SIG_DOQ);
	assert_int_equal(sig_from_alpn("dot"), SIG_DOT);
	assert_int_equal(sig_from_alpn("h2"), SIG_NONE);
	assert_int_equal(sig_from_alpn("doqx"), SIG_NONE);
	assert_int_equal(sig_from_alpn("dots"), SIG_NONE);
	assert_int_equal(sig_from_alpn(""), SIG_NONE);
}

static void
test_names(void **state)
{
	static const char *const want[] = { "none", "ssh", "rdp", "vnc",
	    "teamviewer", "anydesk", "radmin", "nomachine", "rustdesk",
	    "openvpn", "wireguard", "ipsec", "pptp", "l2tp", "socks",
	    "http-connect", "tor", "bittorrent", "edonkey", "syncthing", "dot",
	    "doq", "doh", "dnscrypt", "stun", "quic", "tinc", "xmpp",
	    "whatsapp", "ms-stun", "gquic-rtp", "discord-voice",
	    "whatsapp-call", "sip" };
	int i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), SIG_MAX);
	for (i = 0; i < SIG_MAX; i++) {
		assert_string_equal(sig_name((enum sig_proto)i), want[i]);
		if (i > 0)
			assert_int_equal(sig_from_name(want[i]), i);
	}
	assert_string_equal(sig_name(SIG_MAX), "none");
	assert_string_equal(sig_name((enum sig_proto)-1), "none");
	assert_int_equal(sig_from_name("telnet"), SIG_NONE);
}

static void
test_ssh(void **state)
{
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(2222, "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n",
	    "SSH-2.0-dropbear_2022.83\r\n", &r), DIS_OK);
	assert_int_equal(r.proto, SIG_SSH);
	assert_string_equal(r.detail, "OpenSSH_8.9p1");
	assert_true(r.confidence >= SIG_CONF_STRONG);
	/* Server-first view (client bytes not seen yet). */
	assert_int_equal(TCP(22, "", "SSH-1.99-Cisco-1.25\r\n", &r), DIS_OK);
	assert_string_equal(r.detail, "Cisco-1.25");
	/* Prefixes. */
	assert_int_equal(TCP(22, "SS", none, &r), DIS_MORE);
	assert_int_equal(TCP(22, "SSH-2.", none, &r), DIS_MORE);
	assert_int_equal(r.proto, SIG_SSH);	/* the port-only guess */
	assert_string_equal(r.detail, SIG_DETAIL_PORT_ONLY);
	assert_int_equal(r.confidence, SIG_CONF_PORT_ONLY);
	assert_int_equal(TCP(22, "SSH-x.0-foo\r\n", none, &r), DIS_NOTME);
	/* Control characters never reach detail. */
	assert_int_equal(TCP(22, "SSH-2.0-a\x01" "b\r\n", none, &r), DIS_OK);
	assert_string_equal(r.detail, "a");
}

static void
test_rdp(void **state)
{
	/* TPKT v3 len 19 | X.224 CR LI=14 dst 0 src 0 class 0 |
	   rdpNegReq type 1 flags 0 len 8 protocols 0x0b (LE). */
	static const char neg[] = "\x03\x00\x00\x13" "\x0e\xe0\x00\x00\x00"
	    "\x00\x00" "\x01\x00\x08\x00\x0b\x00\x00\x00";
	static const char cookie[] = "\x03\x00\x00\x2a" "\x25\xe0\x00\x00"
	    "\x00\x00\x00" "Cookie: mstshash=alice\r\n"
	    "\x01\x00\x08\x00\x03\x00\x00\x00";
	static const char cc[] = "\x03\x00\x00\x13" "\x0e\xd0\x00\x00\x12"
	    "\x34\x00" "\x02\x1f\x08\x00\x08\x00\x00\x00";
	/* ISO-on-TCP (S7comm) Connection Request: no RDP parts. */
	static const char cotp[] = "\x03\x00\x00\x16" "\x11\xe0\x00\x00\x00"
	    "\x01\x00" "\xc1\x02\x01\x00\xc2\x02\x01\x02\xc0\x01\x0a";
	uint8_t syn[1232];
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(3389, neg, cc, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_RDP);
	assert_string_equal(r.detail, "protocols=0xb");
	assert_int_equal(r.confidence, SIG_CONF_MAX);
	assert_int_equal(TCP(13389, cookie, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_RDP);
	/* The cookie's user name is not reported. */
	assert_string_equal(r.detail, "cookie");
	assert_int_equal(TCP(102, cotp, none, &r), DIS_NOTME);
	assert_int_equal(TCP(3389, "\x03\x00", none, &r), DIS_MORE);
	/* [MS-RDPEUDP] SYN: snSourceAck -1, window 64, flags SYN. */
	memset(syn, 0, sizeof(syn));
	memcpy(syn, "\xff\xff\xff\xff\x00\x40\x00\x01", 8);
	assert_int_equal(classify(IPPROTO_UDP, 3389, syn, sizeof(syn), NULL, 0,
	    &r), DIS_OK);
	assert_int_equal(r.proto, SIG_RDP);
	assert_int_equal(classify(IPPROTO_UDP, 3389, syn, 100, NULL, 0, &r),
	    DIS_NOTME);
}

static void
test_vnc_nx(void **state)
{
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(5901, "RFB 003.008\n", "RFB 003.008\n", &r),
	    DIS_OK);
	assert_int_equal(r.proto, SIG_VNC);
	assert_string_equal(r.detail, "RFB 003.008");
	assert_int_equal(TCP(5901, "", "RFB 003", &r), DIS_MORE);
	assert_int_not_equal(TCP(5901, "", "RFB 0x3.008\n", &r), DIS_OK);
	assert_int_equal(TCP(4000, "NXSH-8.10.1\n", "NXD-8.10.1\n", &r),
	    DIS_OK);
	assert_int_equal(r.proto, SIG_NOMACHINE);
	assert_string_equal(r.detail, "NXSH-8.10.1");
	assert_int_equal(TCP(4000, "NXSH-8.1", none, &r), DIS_MORE);
}

static void
test_remote_tools(void **state)
{
	/* Radmin: 01 00 00 00 | len 1 | 00 00 | 08 | 08 | body. */
	static const char radmin_up[] = "\x01\x00\x00\x00\x01\x00\x00\x00\x08"
	    "\x08";
	static const char radmin_down[] = "\x01\x00\x00\x00\x05\x00\x00\x00"
	    "\x27\x27\x00\x00\x00\x00";
	/* TeamViewer TCP: client 17 24, server 11 30. */
	static const char tv_up[] = "\x17\x24\x0a\x20\x00\x00\x00\x00";
	static const char tv_down[] = "\x11\x30\x36\x00\x18\x00\x00\x00";
	/* TeamViewer UDP: zero first byte, 17 24 at offset 11. */
	static const uint8_t tv_udp[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
	    0x17, 0x24, 0x47, 0x50 };
	/* RustDesk BytesCodec: 1-byte header (len 3 << 2), protobuf. */
	static const char rd_up[] = "\x0c\x0a\x01\x41";
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(4899, radmin_up, radmin_down, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_RADMIN);
	assert_int_equal(TCP(5938, tv_up, tv_down, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_TEAMVIEWER);
	assert_int_equal(r.confidence, SIG_CONF_MAX);
	assert_int_equal(TCP(443, tv_up, none, &r), DIS_OK);
	assert_true(r.confidence <= SIG_CONF_WEAK);
	assert_int_equal(UDP(5938, tv_udp, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_TEAMVIEWER);
	assert_int_equal(TCP(21116, rd_up, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_RUSTDESK);
	assert_int_equal(TCP(8080, rd_up, none, &r), DIS_NOTME);
}

static void
test_openvpn(void **state)
{
	/* TCP length 14 | 0x38 (HARD_RESET_CLIENT_V2 << 3, key 0) |
	   session id (8) | ack_len 0 | message packet id 0. */
	static const char plain[] = "\x00\x0e" "\x38"
	    "\x50\x7a\x28\xa7\x82\x75\x78\x8d" "\x00" "\x00\x00\x00\x00";
	/* Server: 0x40 (HARD_RESET_SERVER_V2) | sid | ack 1 | ... */
	static const char reset_srv[] = "\x00\x1a" "\x40"
	    "\x9a\xd7\x47\xbe\xb2\x4d\x8a\x1b" "\x01" "\x00\x00\x00\x00"
	    "\x50\x7a\x28\xa7\x82\x75\x78\x8d" "\x00\x00\x00\x00";
	/* UDP tls-auth SHA-1: op | sid | hmac (20) | pid 1 | time |
	   ack_len 0 | msg pid 0 = 42 bytes. */
	uint8_t ta[42];
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(1194, plain, reset_srv, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_OPENVPN);
	assert_string_equal(r.detail, "plain");
	assert_int_equal(r.confidence, SIG_CONF_MAX);
	assert_int_equal(TCP(443, "\x00\x0e\x38\x50", none, &r), DIS_MORE);
	memset(ta, 0xab, sizeof(ta));
	ta[0] = 0x38;
	memcpy(ta + 29, "\x00\x00\x00\x01" "\x62\x5a\x9e\x97" "\x00"
	    "\x00\x00\x00\x00", 13);
	assert_int_equal(classify(IPPROTO_UDP, 1194, ta, sizeof(ta), NULL, 0,
	    &r), DIS_OK);
	assert_string_equal(r.detail, "tls-auth");
	/* Key id set on a hard reset: not a session start. */
	ta[0] = 0x39;
	assert_int_equal(classify(IPPROTO_UDP, 5000, ta, sizeof(ta), NULL, 0,
	    &r), DIS_NOTME);
}

static void
test_wireguard(void **state)
{
	uint8_t init[148], resp[92];
	struct sig_result r;

	(void)state;
	memset(init, 0x5a, sizeof(init));
	memset(resp, 0x33, sizeof(resp));
	/* type 1 | reserved 0 0 0 | sender 0xd837d030 | ... */
	memcpy(init, "\x01\x00\x00\x00\xd8\x37\xd0\x30", 8);
	/* type 2 | reserved | sender | receiver = initiator's sender. */
	memcpy(resp, "\x02\x00\x00\x00\x06\xf4\x7d\xab\xd8\x37\xd0\x30", 12);
	assert_int_equal(classify(IPPROTO_UDP, 51820, init, sizeof(init), resp,
	    sizeof(resp), &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WIREGUARD);
	assert_int_equal(r.confidence, SIG_CONF_MAX);
	assert_int_equal(classify(IPPROTO_UDP, 9999, init, sizeof(init) - 1,
	    NULL, 0, &r), DIS_NOTME);
	init[1] = 1;
	assert_int_equal(classify(IPPROTO_UDP, 9999, init, sizeof(init), NULL,
	    0, &r), DIS_NOTME);
}

static void
test_ipsec_pptp_l2tp(void **state)
{
	/* IKEv2 IKE_SA_INIT: ispi | rspi 0 | next 33 | 0x20 | exch 34 |
	   flags 0x08 | msgid 0 | length 28. */
	static const uint8_t ike[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0,
	    0, 0, 0, 33, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 28 };
	uint8_t natt[4 + sizeof(ike)];
	/* PPTP SCCRQ: len 156 | type 1 | magic | ctrl 1 | reserved. */
	static const char pptp[] = "\x00\x9c\x00\x01\x1a\x2b\x3c\x4d\x00\x01"
	    "\x00\x00\x01\x00\x00\x00";
	/* L2TPv2 SCCRQ: 0xc802 | len 20 | tunnel 0 | session 0 | Ns 0 |
	   Nr 0 | AVP M, len 8, vendor 0, type 0, value 1. */
	static const uint8_t l2tp[] = { 0xc8, 0x02, 0, 20, 0, 0, 0, 0, 0, 0,
	    0, 0, 0x80, 0x08, 0, 0, 0, 0, 0, 1 };
	struct sig_result r;

	(void)state;
	assert_int_equal(UDP(500, ike, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_IPSEC);
	assert_string_equal(r.detail, "ikev2");
	memset(natt, 0, 4);
	memcpy(natt + 4, ike, sizeof(ike));
	assert_int_equal(UDP(4500, natt, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_IPSEC);
	assert_int_equal(classify(IPPROTO_UDP, 4500, "\xff", 1, NULL, 0, &r),
	    DIS_OK);
	assert_string_equal(r.detail, "nat-keepalive");
	assert_int_equal(classify(IPPROTO_UDP, 500, ike, sizeof(ike) - 1,
	    NULL, 0, &r), DIS_NOTME);
	assert_int_equal(TCP(1723, pptp, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_PPTP);
	assert_int_equal(UDP(1701, l2tp, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_L2TP);
	assert_string_equal(r.detail, "v2");
}

static void
test_proxies(void **state)
{
	/* SOCKS5: greeting (1 method: none) + CONNECT www.a.org:443. */
	static const char s5[] = "\x05\x01\x00" "\x05\x01\x00\x03\x09"
	    "www.a.org\x01\xbb";
	static const char s5_choice[] = "\x05\x00";
	/* SOCKS4a: CONNECT port 80 ip 0.0.0.1, user "u", host. */
	static const char s4a[] = "\x04\x01\x00\x50\x00\x00\x00\x01u\0"
	    "example.com";
	static const char s4_reply[] = "\x00\x5a\x00\x00\x00\x00\x00\x00";
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(1080, s5, s5_choice, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_SOCKS);
	assert_string_equal(r.detail, "socks5 www.a.org:443");
	/* A three-byte greeting alone is weak but still a match. */
	assert_int_equal(TCP(1080, "\x05\x01\x00", none, &r), DIS_OK);
	assert_true(r.confidence <= SIG_CONF_WEAK + 10);
	assert_int_equal(TCP(1080, "\x05\x02", none, &r), DIS_MORE);
	assert_int_equal(classify(IPPROTO_TCP, 1080, s4a, sizeof(s4a),
	    s4_reply, sizeof(s4_reply) - 1, &r), DIS_OK);
	assert_string_equal(r.detail, "socks4a example.com:80");
	assert_int_equal(TCP(3128, "CONNECT example.com:443 HTTP/1.1\r\n"
	    "Host: example.com:443\r\n\r\n", none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_HTTP_CONNECT);
	assert_string_equal(r.detail, "example.com:443");
	assert_int_equal(TCP(3128, "CONNECT exa", none, &r), DIS_MORE);
	assert_int_equal(TCP(80, "GET / HTTP/1.1\r\n\r\n", none, &r),
	    DIS_NOTME);
}

static void
test_p2p(void **state)
{
	static const char bt[] = "\x13" "BitTorrent protocol"
	    "\x00\x00\x00\x00\x00\x10\x00\x05";
	static const char dht[] = "d1:ad2:id20:abcdefghij0123456789e1:q4:"
	    "ping1:t2:aa1:y1:qe";
	/* uTP SYN: 0x41 | ext 0 | conn id 0x1234 | ts | diff | wnd |
	   seq 0x0001 | ack 0. */
	static const uint8_t utp[] = { 0x41, 0, 0x12, 0x34, 1, 2, 3, 4, 0, 0,
	    0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0 };
	static const uint8_t utp_state[] = { 0x21, 0, 0x12, 0x34, 1, 2, 3, 4,
	    0, 0, 0, 0, 0, 0x10, 0, 0, 0x55, 0x55, 0, 1 };
	/* BEP 15 connect: protocol id | action 0 | transaction id. */
	static const uint8_t udpt[] = { 0, 0, 4, 0x17, 0x27, 0x10, 0x19, 0x80,
	    0, 0, 0, 0, 1, 2, 3, 4 };
	/* eDonkey hello: 0xe3 | len 0x77 LE | op 0x01 | hash size 16. */
	static const char ed[] = "\xe3\x77\x00\x00\x00\x01\x10\x1b\x42";
	static const char ed_ans[] = "\xe3\x7f\x00\x00\x00\x4c\x3a\x35";
	/* Syncthing local discovery v4 magic. */
	static const uint8_t sync[] = { 0x2e, 0xa7, 0xd9, 0x0b, 0x0a, 0x20 };
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(51413, bt, bt, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_BITTORRENT);
	assert_int_equal(r.confidence, SIG_CONF_MAX);
	assert_int_equal(TCP(51413, "\x13" "BitTor", none, &r), DIS_MORE);
	assert_int_equal(classify(IPPROTO_UDP, 6881, dht, sizeof(dht) - 1,
	    NULL, 0, &r), DIS_OK);
	assert_string_equal(r.detail, "dht");
	assert_int_equal(classify(IPPROTO_UDP, 7000, utp, sizeof(utp),
	    utp_state, sizeof(utp_state), &r), DIS_OK);
	assert_string_equal(r.detail, "utp");
	assert_true(r.confidence > SIG_CONF_GOOD);
	assert_int_equal(UDP(6969, udpt, &r), DIS_OK);
	assert_string_equal(r.detail, "udp-tracker");
	assert_int_equal(TCP(80, "GET /announce?info_hash=%12%34&peer_id=x "
	    "HTTP/1.1\r\n", none, &r), DIS_OK);
	assert_string_equal(r.detail, "tracker");
	assert_int_equal(TCP(4662, ed, ed_ans, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_EDONKEY);
	assert_int_equal(UDP(21027, sync, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_SYNCTHING);
}

/*
 * BitTorrent caught mid-stream: uTP data and acknowledgements (no SYN),
 * and a DHT answer that starts with BEP 42's "ip" key.
 */
static void
test_p2p_midstream(void **state)
{
	/* ST_DATA 0x01 | ext 0 | cid 0x2001 | ts | diff | wnd | seq 0x0100 |
	   ack 0x0500 | payload. */
	static const uint8_t data[] = { 0x01, 0, 0x20, 0x01, 1, 2, 3, 4, 0, 0,
	    0, 0, 0, 0x10, 0, 0, 0x01, 0x00, 0x05, 0x00, 'x', 'y' };
	/* ST_STATE 0x21 | cid 0x2000 | seq 0x0501 | ack 0x00ff. */
	static const uint8_t state_ok[] = { 0x21, 0, 0x20, 0x00, 1, 2, 3, 4,
	    0, 0, 0, 0, 0, 0x10, 0, 0, 0x05, 0x01, 0x00, 0xff };
	/* The same, on an unrelated connection id. */
	static const uint8_t state_other[] = { 0x21, 0, 0x30, 0x00, 1, 2, 3,
	    4, 0, 0, 0, 0, 0, 0x10, 0, 0, 0x05, 0x01, 0x00, 0xff };
	/* The same ids, but acknowledging far from the other's numbers. */
	static const uint8_t state_far[] = { 0x21, 0, 0x20, 0x00, 1, 2, 3, 4,
	    0, 0, 0, 0, 0, 0x10, 0, 0, 0x05, 0x01, 0x80, 0x00 };
	static const char answer[] = "d2:ip6:abcdef1:rd2:id20:abcdefghij"
	    "0123456789e1:t2:aa1:y1:re";
	static const char notdht[] = "d2:ip6:abcdef1:rd2:id20:abcdefghij"
	    "0123456789e1:t2:aa1:y1:xe";
	struct sig_result r;

	(void)state;
	assert_int_equal(classify(IPPROTO_UDP, 51413, data, sizeof(data),
	    state_ok, sizeof(state_ok), &r), DIS_OK);
	assert_int_equal(r.proto, SIG_BITTORRENT);
	assert_string_equal(r.detail, "utp-midstream");
	assert_int_equal(classify(IPPROTO_UDP, 51413, state_ok,
	    sizeof(state_ok), data, sizeof(data), &r), DIS_OK);
	assert_int_equal(r.proto, SIG_BITTORRENT);
	assert_int_not_equal(classify(IPPROTO_UDP, 51413, data, sizeof(data),
	    state_other, sizeof(state_other), &r), DIS_OK);
	assert_int_not_equal(classify(IPPROTO_UDP, 51413, data, sizeof(data),
	    state_far, sizeof(state_far), &r), DIS_OK);
	/* One direction alone is not enough. */
	assert_int_not_equal(classify(IPPROTO_UDP, 51413, data, sizeof(data),
	    NULL, 0, &r), DIS_OK);
	assert_int_equal(classify(IPPROTO_UDP, 40001, "\x99", 1, answer,
	    sizeof(answer) - 1, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_BITTORRENT);
	assert_string_equal(r.detail, "dht");
	assert_int_not_equal(classify(IPPROTO_UDP, 40001, notdht,
	    sizeof(notdht) - 1, NULL, 0, &r), DIS_OK);
	/* Cut short: the closing "e" is missing. */
	assert_int_not_equal(classify(IPPROTO_UDP, 40001, answer,
	    sizeof(answer) - 2, NULL, 0, &r), DIS_OK);
}

static void
test_dns_privacy(void **state)
{
	/* DNS TXT query for 2.dnscrypt-cert.example (id 0x1234). */
	static const char cert_q[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00"
	    "\x00\x00" "\x01" "2" "\x0d" "dnscrypt-cert" "\x07" "example"
	    "\x00\x00\x10\x00\x01";
	static const char resp[] = "r6fnvWj8" "\x01\x02\x03\x04";
	/* QUIC v1 long header Initial: 0xc3 | version 1 | dcid 8 | scid 0. */
	uint8_t q[1200];
	struct sig_result r;

	(void)state;
	assert_int_equal(classify(IPPROTO_UDP, 443, cert_q, sizeof(cert_q) - 1,
	    NULL, 0, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_DNSCRYPT);
	assert_int_equal(classify(IPPROTO_UDP, 443, "\x99\x98", 2, resp,
	    sizeof(resp) - 1, &r), DIS_OK);
	assert_string_equal(r.detail, "encrypted");
	memset(q, 0, sizeof(q));
	memcpy(q, "\xc3\x00\x00\x00\x01\x08" "abcdefgh" "\x00", 15);
	assert_int_equal(classify(IPPROTO_UDP, 443, q, sizeof(q), NULL, 0, &r),
	    DIS_OK);
	assert_int_equal(r.proto, SIG_QUIC);
	assert_string_equal(r.detail, "v1");
	assert_int_equal(classify(IPPROTO_UDP, 853, q, sizeof(q), NULL, 0, &r),
	    DIS_OK);
	assert_int_equal(r.proto, SIG_DOQ);
	memcpy(q + 1, "\xff\x00\x00\x1d", 4);
	assert_int_equal(classify(IPPROTO_UDP, 443, q, sizeof(q), NULL, 0, &r),
	    DIS_OK);
	assert_string_equal(r.detail, "draft-29");
	memcpy(q + 1, "\x12\x34\x56\x78", 4);
	assert_int_equal(classify(IPPROTO_UDP, 443, q, sizeof(q), NULL, 0, &r),
	    DIS_NOTME);
	assert_int_equal(TCP(80, "GET /dns-query?dns=AAABAAABAAAAAAAA HTTP/1.1"
	    "\r\n", none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_DOH);
}

static void
test_stun(void **state)
{
	/* Binding request, length 8: one attribute of 4 bytes. */
	static const uint8_t stun[] = { 0x00, 0x01, 0x00, 0x08, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x80, 0x22,
	    0x00, 0x04, 'a', 'b', 'c', 'd' };
	struct sig_result r;

	(void)state;
	assert_int_equal(UDP(3478, stun, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_STUN);
	assert_int_equal(classify(IPPROTO_UDP, 3478, stun, sizeof(stun) - 4,
	    NULL, 0, &r), DIS_NOTME);
	assert_int_equal(r.proto, SIG_STUN);	/* port-only guess */
	assert_int_equal(r.confidence, SIG_CONF_PORT_ONLY);
}

static void
test_ms_stun(void **state)
{
	/*
	 * Binding request, length 24: USERNAME "ab:c" (4), [MS-ICE2]
	 * CANDIDATE-IDENTIFIER 0x8054 (1 byte, 3 of padding),
	 * IMPLEMENTATION-VERSION 0x8070 (4).
	 */
	static const uint8_t ice2[] = { 0x00, 0x01, 0x00, 0x18, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x00, 0x06, 0x00, 0x04, 'a', 'b', ':', 'c',
	    0x80, 0x54, 0x00, 0x01, '1', 0, 0, 0,
	    0x80, 0x70, 0x00, 0x04, 0, 0, 0, 3 };
	/* The same with the Microsoft attribute types changed: plain STUN. */
	static const uint8_t plain[] = { 0x00, 0x01, 0x00, 0x18, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x00, 0x06, 0x00, 0x04, 'a', 'b', ':', 'c',
	    0x80, 0x22, 0x00, 0x01, '1', 0, 0, 0,
	    0x80, 0x28, 0x00, 0x04, 0, 0, 0, 3 };
	/* An attribute length reaching past the message: no MS match. */
	static const uint8_t past[] = { 0x00, 0x01, 0x00, 0x08, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x00, 0x06, 0x00, 0x40, 0x80, 0x70, 0x00, 0x00 };
	/* [MS-TURN] MS-VERSION 0x8008 in an Allocate request. */
	static const uint8_t turn[] = { 0x00, 0x03, 0x00, 0x08, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x80, 0x08, 0x00, 0x04, 0, 0, 0, 6 };
	struct sig_result r;

	(void)state;
	assert_int_equal(UDP(50000, ice2, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_MS_STUN);
	assert_string_equal(r.detail, "binding");
	assert_int_equal(UDP(3478, turn, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_MS_STUN);
	assert_int_equal(UDP(50000, plain, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_STUN);
	assert_int_equal(UDP(50000, past, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_STUN);
}

/* Discord's voice IP discovery: request, then the response. */
/*
 * WhatsApp's call relay messages, built by hand: an Allocate with one
 * unpadded 0x4000 attribute (7 bytes, so the length is 11), a message of
 * WhatsApp's own type 0x0800, and look-alikes that are not it.
 */
static void
test_whatsapp_call(void **state)
{
	static const uint8_t alloc[] = { 0x00, 0x03, 0x00, 0x0b, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x40, 0x00, 0x00, 0x07, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11 };
	static const uint8_t own[] = { 0x08, 0x00, 0x00, 0x08, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x00, 0x08, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef };
	/* A standard Binding request with SOFTWARE: plain STUN. */
	static const uint8_t binding[] = { 0x00, 0x01, 0x00, 0x08, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x80, 0x22, 0x00, 0x04, 'a', 'b', 'c', 'd' };
	uint8_t buf[64];
	struct sig_result r;

	(void)state;
	assert_int_equal(UDP(3478, alloc, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WHATSAPP_CALL);
	assert_int_equal(UDP(3478, own, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WHATSAPP_CALL);
	assert_int_equal(classify(IPPROTO_UDP, 3478, "\x01", 1, alloc,
	    sizeof(alloc), &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WHATSAPP_CALL);
	assert_int_equal(UDP(3478, binding, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_STUN);
	/* The attribute overruns the datagram, or stops short of its end. */
	assert_false(classify(IPPROTO_UDP, 3478, alloc, sizeof(alloc) - 1,
	    NULL, 0, &r) == DIS_OK && r.proto == SIG_WHATSAPP_CALL);
	memcpy(buf, alloc, sizeof(alloc));
	buf[23] = 6;
	assert_false(classify(IPPROTO_UDP, 3478, buf, sizeof(alloc), NULL, 0,
	    &r) == DIS_OK && r.proto == SIG_WHATSAPP_CALL);
	/* Without the magic cookie it is not STUN-framed at all. */
	memcpy(buf, alloc, sizeof(alloc));
	buf[4] = 0x22;
	assert_false(classify(IPPROTO_UDP, 3478, buf, sizeof(alloc), NULL, 0,
	    &r) == DIS_OK && r.proto == SIG_WHATSAPP_CALL);
	/* Over TCP it is not looked for. */
	assert_false(classify(IPPROTO_TCP, 3478, alloc, sizeof(alloc), NULL,
	    0, &r) == DIS_OK && r.proto == SIG_WHATSAPP_CALL);
}

static void
test_discord_voice(void **state)
{
	uint8_t req[74], resp[74];
	struct sig_result r;

	(void)state;
	memset(req, 0, sizeof(req));
	req[1] = 1;			/* type 1, length 70 */
	req[3] = 70;
	req[4] = 0x00;
	req[5] = 0x1a;
	req[6] = 0x7e;
	req[7] = 0x73;			/* SSRC */
	memcpy(resp, req, sizeof(resp));
	resp[1] = 2;
	memcpy(resp + 8, "192.0.2.7", 9);
	resp[72] = 0xd3;
	resp[73] = 0xaa;
	assert_int_equal(classify(IPPROTO_UDP, 50003, req, sizeof(req),
	    resp, sizeof(resp), &r), DIS_OK);
	assert_int_equal(r.proto, SIG_DISCORD_VOICE);
	assert_int_equal(r.confidence, SIG_CONF_STRONG);
	assert_int_equal(classify(IPPROTO_UDP, 50003, req, sizeof(req),
	    NULL, 0, &r), DIS_OK);
	assert_int_equal(r.confidence, SIG_CONF_GOOD);
	/* One byte more or less, or text in the request: not it. */
	assert_int_not_equal(classify(IPPROTO_UDP, 50003, req,
	    sizeof(req) - 1, NULL, 0, &r) == DIS_OK &&
	    r.proto == SIG_DISCORD_VOICE, 1);
	req[8] = '1';
	assert_int_not_equal(classify(IPPROTO_UDP, 50003, req, sizeof(req),
	    NULL, 0, &r) == DIS_OK && r.proto == SIG_DISCORD_VOICE, 1);
	/* Over TCP: not it. */
	req[8] = 0;
	assert_int_not_equal(classify(IPPROTO_TCP, 50003, req, sizeof(req),
	    NULL, 0, &r) == DIS_OK && r.proto == SIG_DISCORD_VOICE, 1);
}

/* Over TCP with RFC 4571's 16-bit length first (Skype, Teams ICE-TCP). */
static void
test_ms_stun_tcp(void **state)
{
	/* The [MS-ICE2] Binding request of test_ms_stun, framed. */
	static const uint8_t framed[] = { 0x00, 0x2c,
	    0x00, 0x01, 0x00, 0x18, 0x21, 0x12,
	    0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    0x00, 0x06, 0x00, 0x04, 'a', 'b', ':', 'c',
	    0x80, 0x54, 0x00, 0x01, '1', 0, 0, 0,
	    0x80, 0x70, 0x00, 0x04, 0, 0, 0, 3 };
	struct sig_result r;

	(void)state;
	assert_int_equal(classify(IPPROTO_TCP, 42000, framed, sizeof(framed),
	    NULL, 0, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_MS_STUN);
	/* Unframed, as TURN over TCP sends it, still reads. */
	assert_int_equal(classify(IPPROTO_TCP, 42000, framed + 2,
	    sizeof(framed) - 2, NULL, 0, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_MS_STUN);
}

static void
test_tinc(void **state)
{
	struct sig_result r;

	(void)state;
	/* ID requests of both nodes (tinc 1.0, protocol 17). */
	assert_int_equal(TCP(655, "0 alpha 17\n1 429 672 0 0 2CDA",
	    "0 beta_2 17\n", &r), DIS_OK);
	assert_int_equal(r.proto, SIG_TINC);
	assert_int_equal(r.confidence, SIG_CONF_GOOD + 3 * 10);
	/* tinc 1.1 adds the minor version; any port. */
	assert_int_equal(TCP(55655, "0 node1 17.7\n", none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_TINC);
	assert_int_equal(r.confidence, SIG_CONF_GOOD);
	/* Prefixes wait for more. */
	assert_int_equal(TCP(655, "0 al", none, &r), DIS_MORE);
	assert_int_equal(TCP(655, "0 alpha 1", none, &r), DIS_MORE);
	/* Look-alikes. */
	assert_int_equal(TCP(655, "0 alpha beta\n", none, &r), DIS_NOTME);
	assert_int_equal(TCP(655, "0 al-pha 17\n", none, &r), DIS_NOTME);
	assert_int_equal(TCP(655, "0  17\n", none, &r), DIS_NOTME);
	assert_int_equal(TCP(655, "0 a 1234\n", none, &r), DIS_NOTME);
	assert_int_equal(TCP(80, "0 a 17\n", none, &r), DIS_OK);
	assert_int_equal(classify(IPPROTO_UDP, 655, "0 a 17\n", 7, NULL, 0,
	    &r), DIS_NOTME);
}

static void
test_xmpp(void **state)
{
	static const char decl[] = "<?xml version='1.0' ?>";
	static const char client[] = "<?xml version='1.0' ?>"
	    "<stream:stream to='example.net' xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
	static const char server[] = "<?xml version='1.0'?>"
	    "<stream:stream from='example.net' id='42' version='1.0' "
	    "xmlns:stream=\"http://etherx.jabber.org/streams\" "
	    "xmlns=\"jabber:client\">";
	static const char s2s[] = "\r\n<stream:stream xmlns='jabber:server' "
	    "xmlns:stream='http://etherx.jabber.org/streams' to='b.example'>";
	/* Some other XML over TCP: an RSS feed, a SOAP envelope. */
	static const char rss[] = "<?xml version=\"1.0\"?><rss version=\"2.0\">";
	static const char nons[] = "<stream:stream xmlns='urn:example'>";
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(5222, client, server, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_XMPP);
	assert_string_equal(r.detail, "jabber:client");
	assert_int_equal(r.confidence, SIG_CONF_STRONG + 10);
	/* The declaration and the header in separate segments. */
	assert_int_equal(TCP(5222, decl, none, &r), DIS_MORE);
	assert_int_equal(TCP(5222, "<stream:str", none, &r), DIS_MORE);
	assert_int_equal(TCP(5269, s2s, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_XMPP);
	assert_string_equal(r.detail, "jabber:server");
	/* Server-first view. */
	assert_int_equal(TCP(5222, "", server, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_XMPP);
	assert_int_equal(TCP(80, rss, none, &r), DIS_NOTME);
	assert_int_equal(TCP(5222, nons, none, &r), DIS_NOTME);
}

static void
test_whatsapp(void **state)
{
	/* "WA" version 5, dictionary 2, frame of 0x10e bytes (cut). */
	static const char direct[] = "WA\x05\x02\x00\x01\x0e\x12\x8b\x02";
	/* Edge pre-intro with 4 bytes of routing data, then the header. */
	static const char edge[] = "ED\x00\x01\x00\x00\x04\x08\x09\x08\x02"
	    "WA\x05\x02\x00\x01\x0e\x12";
	static const char edge_only[] = "ED\x00\x01";
	/* Text that starts with "WA", and a zero-length frame. */
	static const char text[] = "WAIT 10\r\n";
	static const char empty[] = "WA\x05\x02\x00\x00\x00";
	/* Routing data that does not end in the header. */
	static const char bad_edge[] = "ED\x00\x01\x00\x00\x01\x08GET /";
	struct sig_result r;

	(void)state;
	assert_int_equal(TCP(5222, direct, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WHATSAPP);
	assert_string_equal(r.detail, "direct");
	assert_int_equal(r.confidence, SIG_CONF_GOOD + 10);
	assert_int_equal(TCP(5222, edge, none, &r), DIS_OK);
	assert_int_equal(r.proto, SIG_WHATSAPP);
	assert_string_equal(r.detail, "edge");
	assert_int_equal(r.confidence, SIG_CONF_STRONG + 10);
	assert_int_equal(TCP(5222, edge_only, none, &r), DIS_MORE);
	assert_int_equal(TCP(5222, "WA\x05", none, &r), DIS_MORE);
	assert_int_equal(TCP(5222, text, none, &r), DIS_NOTME);
	assert_int_equal(TCP(5222, empty, none, &r), DIS_NOTME);
	assert_int_equal(TCP(443, bad_edge, none, &r), DIS_NOTME);
	assert_int_equal(classify(IPPROTO_UDP, 5222, direct,
	    sizeof(direct) - 1, NULL, 0, &r), DIS_NOTME);
}

static void
test_empty_and_null(void **state)
{
	struct sig_result r;

	(void)state;
	assert_int_equal(classify(IPPROTO_TCP, 22, NULL, 0, NULL, 0, &r),
	    DIS_MORE);
	assert_int_equal(r.proto, SIG_SSH);
	assert_string_equal(r.detail, SIG_DETAIL_PORT_ONLY);
	assert_int_equal(classify(IPPROTO_UDP, 9, NULL, 0, NULL, 0, &r),
	    DIS_NOTME);
	assert_int_equal(r.proto, SIG_NONE);
	assert_string_equal(r.detail, "");
	assert_int_equal(classify(IPPROTO_TCP, 22, NULL, 5, NULL, 0, &r),
	    DIS_NOTME);
}

/* Runs every seed in tests/fuzz/corpus/sig against its file name. */
static void
test_corpus_seeds(void **state)
{
	char path[4096], want[32];
	uint8_t buf[SEED_MAX], sel;
	struct sig_input in;
	struct sig_result r;
	struct dirent *de;
	enum dis_result rc;
	const char *dash;
	DIR *d;
	FILE *f;
	size_t n;
	int count = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/sig",
	    SHADOWTAP_SRCDIR);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    (dash = strstr(de->d_name, "--")) == NULL)
			continue;
		snprintf(want, sizeof(want), "%.*s",
		    (int)(dash - de->d_name), de->d_name);
		snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/sig/%s",
		    SHADOWTAP_SRCDIR, de->d_name);
		assert_non_null(f = fopen(path, "rb"));
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		memset(&in, 0, sizeof(in));
		assert_int_equal(seed_split(buf, n, &sel, &in.up, &in.up_len,
		    &in.down, &in.down_len), 0);
		seed_ports_of(sel, &in.proto, &in.client_port, &in.server_port);
		rc = sig_classify(&in, &r);
		if (strcmp(want, "none") == 0) {
			if (rc == DIS_OK)
				fail_msg("%s: got %s", de->d_name,
				    sig_name(r.proto));
		} else if (rc != DIS_OK || strcmp(sig_name(r.proto), want) != 0)
			fail_msg("%s: rc %d, got %s (%d, \"%s\")", de->d_name,
			    rc, sig_name(r.proto), r.confidence, r.detail);
		count++;
	}
	closedir(d);
	assert_true(count >= 30);
}

/* sig_rtp_datagram(): RTP and RTCP headers, and what is neither. */
static void
test_rtp(void **state)
{
	/* V=2 P=0 X=0 CC=0 | M=0 PT=111 (dynamic, Opus) | seq 0x1234 |
	   timestamp | SSRC | 3 payload bytes. */
	static const uint8_t rtp[] = { 0x80, 0x6f, 0x12, 0x34,
	    0x00, 0x00, 0x10, 0x00, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
	/* M=1 PT=0 (PCMU, static), CC=1: one CSRC after the SSRC. */
	static const uint8_t csrc[] = { 0x81, 0x80, 0, 1, 0, 0, 0, 0,
	    1, 2, 3, 4, 5, 6, 7, 8 };
	/* X=1: profile 0xbede, length 1 word, then that word. */
	static const uint8_t ext[] = { 0x90, 0x60, 0, 1, 0, 0, 0, 0,
	    1, 2, 3, 4, 0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0, 0 };
	/* RTCP RR, RC=0: PT 201, length 1 (8 bytes), SSRC; SRTCP's index
	   and tag may follow. */
	static const uint8_t rr[] = { 0x80, 0xc9, 0x00, 0x01,
	    0x87, 0x28, 0xa6, 0x1e, 0x80, 0, 0, 1, 9, 9, 9, 9 };
	/* RTCP SR, RC=1: 28 bytes + one 24-byte report block = 52, length
	   field 12. */
	uint8_t sr[52];
	/* gQUIC Q046 long header (0xc3 "Q046") and short header (0x40). */
	static const uint8_t q046[] = { 0xc3, 'Q', '0', '4', '6', 0x50,
	    1, 2, 3, 4, 5, 6, 7, 8, 0, 0 };
	static const uint8_t q046s[] = { 0x40, 0x05, 0x08, 0x7b, 0xd4, 0xc8,
	    0xcd, 0xad, 0x32, 0xd6, 0xda, 0x2c, 0x33, 0x9b };
	uint8_t b[sizeof(ext)];

	(void)state;
	assert_true(sig_rtp_datagram(rtp, sizeof(rtp)));
	assert_true(sig_rtp_datagram(rtp, 12));	/* header alone */
	assert_false(sig_rtp_datagram(rtp, 11));
	assert_true(sig_rtp_datagram(csrc, sizeof(csrc)));
	assert_false(sig_rtp_datagram(csrc, sizeof(csrc) - 1));
	assert_true(sig_rtp_datagram(ext, sizeof(ext)));
	assert_false(sig_rtp_datagram(ext, sizeof(ext) - 1));
	assert_true(sig_rtp_datagram(rr, sizeof(rr)));
	assert_true(sig_rtp_datagram(rr, 8));
	assert_false(sig_rtp_datagram(rr, 7));

	memset(sr, 0, sizeof(sr));
	sr[0] = 0x81;
	sr[1] = 200;
	sr[3] = 12;
	assert_true(sig_rtp_datagram(sr, sizeof(sr)));
	assert_false(sig_rtp_datagram(sr, sizeof(sr) - 1));
	sr[3] = 6;	/* 28 bytes: too short for its report block */
	assert_false(sig_rtp_datagram(sr, sizeof(sr)));
	sr[0] = 0x80;	/* RC=0: 28 bytes is a whole SR */
	assert_true(sig_rtp_datagram(sr, sizeof(sr)));

	/* Version 1, 3 and 0 are not RTP. */
	memcpy(b, rtp, sizeof(rtp));
	b[0] = 0x40;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	b[0] = 0xc0;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	b[0] = 0x00;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	/* Payload types 35..95 are unassigned or RTCP's (RFC 5761 4). */
	b[0] = 0x80;
	b[1] = 35;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	b[1] = 95;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	b[1] = 0x80 | 34;
	assert_true(sig_rtp_datagram(b, sizeof(rtp)));
	/* RTCP's range, but no RTCP packet type of 200..207. */
	b[1] = 192;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	b[1] = 208;
	assert_false(sig_rtp_datagram(b, sizeof(rtp)));
	/* An RTCP length beyond the datagram. */
	memcpy(b, rr, sizeof(rr));
	b[3] = 4;	/* 20 bytes */
	assert_false(sig_rtp_datagram(b, sizeof(rr)));
	/* An extension length beyond the datagram. */
	memcpy(b, ext, sizeof(ext));
	b[15] = 2;
	assert_false(sig_rtp_datagram(b, sizeof(ext)));

	/* gQUIC never starts with RTP's version bits. */
	assert_false(sig_rtp_datagram(q046, sizeof(q046)));
	assert_false(sig_rtp_datagram(q046s, sizeof(q046s)));
	assert_false(sig_rtp_datagram(rtp, 1));
	assert_false(sig_rtp_datagram(rtp, 0));
	assert_false(sig_rtp_datagram(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_alpn),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_rdp),
		cmocka_unit_test(test_vnc_nx),
		cmocka_unit_test(test_remote_tools),
		cmocka_unit_test(test_openvpn),
		cmocka_unit_test(test_wireguard),
		cmocka_unit_test(test_ipsec_pptp_l2tp),
		cmocka_unit_test(test_proxies),
		cmocka_unit_test(test_p2p),
		cmocka_unit_test(test_p2p_midstream),
		cmocka_unit_test(test_dns_privacy),
		cmocka_unit_test(test_stun),
		cmocka_unit_test(test_ms_stun),
		cmocka_unit_test(test_ms_stun_tcp),
		cmocka_unit_test(test_discord_voice),
		cmocka_unit_test(test_whatsapp_call),
		cmocka_unit_test(test_tinc),
		cmocka_unit_test(test_xmpp),
		cmocka_unit_test(test_whatsapp),
		cmocka_unit_test(test_rtp),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_corpus_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
