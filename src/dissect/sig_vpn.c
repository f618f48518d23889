/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_vpn.c: the signatures of VPNs, tunnels and proxies:
 * OpenVPN, WireGuard, IPsec (IKE and NAT-T), PPTP, L2TP, SOCKS 4/4a/5 and
 * tinc (HTTP CONNECT and Tor are in sig_carrier.c). Each check reads one
 * protocol's first messages and offers a candidate to sig_classify().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect/sig.h"
#include "dissect/sig_int.h"
#include "base/rd.h"

/*
 * OpenVPN (openvpn/src/openvpn/ssl_pkt.h, "Protocol overview" in
 * doc/): every packet starts with opcode << 3 | key_id; over TCP each
 * packet is preceded by a 16-bit length. A session starts with:
 *
 *	P_CONTROL_HARD_RESET_CLIENT_V2 (7) or _V3 (10, tls-crypt-v2)
 *	+--------+-----------------+----------------------------------+
 *	| op|kid | session id (8)  | variant-specific ...             |
 *	+--------+-----------------+----------------------------------+
 *	  plain:     ack_len=0 (1) msg_packet_id=0 (4)        = 14 bytes
 *	  tls-auth:  hmac (16/20/32/48/64) packet_id (4) time (4)
 *	             ack_len=0 (1) msg_packet_id=0 (4)        = 22 + hmac
 *	  tls-crypt: packet_id (4) time (4) tag (32) enc (5)  = 54 bytes
 *	  tls-crypt-v2: tls-crypt, then WKc ending in its 16-bit length
 *
 * and the server answers P_CONTROL_HARD_RESET_SERVER_V2 (8).
 */
#define OVPN_OP_SHIFT		3
#define OVPN_KEYID_MASK		0x7
#define OVPN_RESET_CLIENT_V2	7
#define OVPN_RESET_SERVER_V2	8
#define OVPN_RESET_CLIENT_V3	10
#define OVPN_SID_LEN		8
#define OVPN_PLAIN_LEN		14
#define OVPN_TLS_AUTH_FIXED	22
#define OVPN_TLS_CRYPT_LEN	54
#define OVPN_PORT		1194
#define OVPN_PKT_MAX		2048	/* control packets, with a WKc */
#define OVPN_TIME_MIN		1262304000u	/* 2010-01-01: plausible
						   net_time */

static const size_t ovpn_hmac_sizes[] = { 16, 20, 32, 48, 64 };

static int
ovpn_time_ok(uint32_t t)
{
	return t >= OVPN_TIME_MIN;
}

/* Returns a variant name for a client hard reset message, or NULL. */
static const char *
ovpn_client_reset(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t op;
	size_t i, h;

	rd_init(&r, p, len);
	op = rd_u8(&r);
	if (!rd_ok(&r) || (op & OVPN_KEYID_MASK) != 0)
		return NULL;
	op >>= OVPN_OP_SHIFT;
	if (op != OVPN_RESET_CLIENT_V2 && op != OVPN_RESET_CLIENT_V3)
		return NULL;
	if (op == OVPN_RESET_CLIENT_V3) {
		uint16_t wkc;

		rd_skip(&r, len - 1 - 2);
		wkc = rd_be16(&r);
		rd_init(&r, p, len);
		rd_skip(&r, 1 + OVPN_SID_LEN + 4);
		if (rd_ok(&r) && wkc > 0 && len > wkc &&
		    len - wkc == OVPN_TLS_CRYPT_LEN && ovpn_time_ok(rd_be32(&r)))
			return "tls-crypt-v2";
		return NULL;
	}
	if (len == OVPN_PLAIN_LEN) {
		rd_skip(&r, OVPN_SID_LEN);
		if (rd_u8(&r) == 0 && rd_be32(&r) == 0 && rd_ok(&r))
			return "plain";
		return NULL;
	}
	for (i = 0; i < sizeof(ovpn_hmac_sizes) / sizeof(ovpn_hmac_sizes[0]);
	    i++) {
		h = ovpn_hmac_sizes[i];
		if (len != OVPN_TLS_AUTH_FIXED + h)
			continue;
		rd_init(&r, p, len);
		rd_skip(&r, 1 + OVPN_SID_LEN + h);
		if (rd_be32(&r) != 0 && ovpn_time_ok(rd_be32(&r)) &&
		    rd_u8(&r) == 0 && rd_be32(&r) == 0 && rd_ok(&r))
			return "tls-auth";
	}
	if (len == OVPN_TLS_CRYPT_LEN) {
		rd_init(&r, p, len);
		rd_skip(&r, 1 + OVPN_SID_LEN);
		if (rd_be32(&r) != 0 && ovpn_time_ok(rd_be32(&r)) && rd_ok(&r))
			return "tls-crypt";
	}
	return NULL;
}

/* Carves the first OpenVPN packet out of a direction; -1 if incomplete. */
static int
ovpn_packet(const struct sig_ctx *c, const uint8_t *p, size_t len,
    const uint8_t **pkt, size_t *plen)
{
	struct rd r;
	uint16_t n;

	if (c->udp) {
		*pkt = p;
		*plen = len;
		return len > 0 ? 0 : -1;
	}
	rd_init(&r, p, len);
	n = rd_be16(&r);
	if ((*pkt = rd_bytes(&r, n)) == NULL)
		return -1;
	*plen = n;
	return 0;
}

void
sig_vpn_openvpn(struct sig_ctx *c)
{
	const uint8_t *pkt;
	const char *v;
	size_t plen;
	int conf;

	if (ovpn_packet(c, c->in->up, c->in->up_len, &pkt, &plen) == -1) {
		if (c->tcp && c->in->up_len > 0 && c->in->up_len < 3)
			c->more = 1;
		else if (c->tcp) {
			struct rd r;
			uint16_t n;
			uint8_t op;

			rd_init(&r, c->in->up, c->in->up_len);
			n = rd_be16(&r);
			op = rd_u8(&r) >> OVPN_OP_SHIFT;
			if (rd_ok(&r) && n >= OVPN_PLAIN_LEN &&
			    n <= OVPN_PKT_MAX && (op == OVPN_RESET_CLIENT_V2 ||
			    op == OVPN_RESET_CLIENT_V3))
				c->more = 1;
		}
		return;
	}
	if ((v = ovpn_client_reset(pkt, plen)) == NULL)
		return;
	conf = SIG_CONF_GOOD;
	if (ovpn_packet(c, c->in->down, c->in->down_len, &pkt, &plen) == 0 &&
	    plen > OVPN_SID_LEN &&
	    pkt[0] == OVPN_RESET_SERVER_V2 << OVPN_OP_SHIFT)
		conf += 2 * SIG_PORT_BONUS;
	if (port_is(c, OVPN_PORT))
		conf += SIG_PORT_BONUS;
	offer(c, SIG_OPENVPN, conf, v);
}

/*
 * WireGuard (whitepaper section 5.4): a one-byte message type, three
 * reserved zero bytes, then fixed-size messages:
 *
 *	1 handshake initiation: sender(4) ephemeral(32) static(48)
 *	  timestamp(28) mac1(16) mac2(16)                   = 148 bytes
 *	2 handshake response:   sender(4) receiver(4) ... = 92 bytes
 *	3 cookie reply:                                   = 64 bytes
 *	4 transport data: receiver(4) counter(8) data+tag(16n+16)
 */
#define WG_INIT			1
#define WG_RESP			2
#define WG_COOKIE		3
#define WG_DATA			4
#define WG_INIT_LEN		148
#define WG_RESP_LEN		92
#define WG_COOKIE_LEN		64
#define WG_DATA_MIN		32
#define WG_AEAD_BLOCK		16
#define WG_PORT			51820

static int
wg_type(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t t;

	rd_init(&r, p, len);
	t = rd_u8(&r);
	if (rd_be24(&r) != 0 || !rd_ok(&r))
		return 0;
	if ((t == WG_INIT && len == WG_INIT_LEN) ||
	    (t == WG_RESP && len == WG_RESP_LEN) ||
	    (t == WG_COOKIE && len == WG_COOKIE_LEN) ||
	    (t == WG_DATA && len >= WG_DATA_MIN &&
	    len % WG_AEAD_BLOCK == 0))
		return t;
	return 0;
}

void
sig_vpn_wireguard(struct sig_ctx *c)
{
	struct rd u, d;
	int t, conf;

	if (!c->udp || (t = wg_type(c->in->up, c->in->up_len)) == 0)
		return;
	switch (t) {
	case WG_INIT:
		conf = SIG_CONF_GOOD + SIG_PORT_BONUS;
		break;
	case WG_RESP:
		conf = SIG_CONF_GOOD;
		break;
	case WG_COOKIE:
		conf = SIG_CONF_WEAK + SIG_PORT_BONUS;
		break;
	default:
		conf = SIG_CONF_WEAK;
		break;
	}
	if (t == WG_INIT && wg_type(c->in->down, c->in->down_len) ==
	    WG_RESP) {
		/* The response's receiver index is the initiator's sender. */
		rd_init(&u, c->in->up, c->in->up_len);
		rd_init(&d, c->in->down, c->in->down_len);
		rd_skip(&u, 4);
		rd_skip(&d, 8);
		if (rd_be32(&u) == rd_be32(&d))
			conf += 2 * SIG_PORT_BONUS;
	} else if (t == WG_DATA && wg_type(c->in->down, c->in->down_len) ==
	    WG_DATA)
		conf += SIG_PORT_BONUS;
	if (port_is(c, WG_PORT))
		conf += SIG_PORT_BONUS;
	offer(c, SIG_WIREGUARD, conf, t == WG_INIT ? "handshake" :
	    t == WG_DATA ? "data" : "handshake-response");
}

/*
 * IKE header, RFC 7296 section 3.1 (IKEv2) and RFC 2408 section 3.1
 * (ISAKMP/IKEv1), on UDP 500, or on 4500 after the four-zero-byte
 * non-ESP marker (RFC 3948 section 2.2):
 *
 *	+-------------------------------+
 *	|   initiator SPI (8, nonzero)  |
 *	|   responder SPI (8)           |
 *	+-------+-------+-------+-------+
 *	| next  | MjMn  | exch  | flags |
 *	+-------+-------+-------+-------+
 *	|          message ID           |
 *	|     length (whole message)    |
 *	+-------------------------------+
 */
#define IKE_PORT		500
#define IKE_NATT_PORT		4500
#define IKE_HDR_LEN		28
#define IKE_NON_ESP_MARKER	0
#define IKE_NATT_KEEPALIVE	0xff	/* RFC 3948 section 2.3 */
#define IKEV1_EXCH_MAX		5	/* base .. aggressive, RFC 2408 */
#define IKEV1_QUICK_MODE	32	/* RFC 2409 */
#define IKEV1_NEW_GROUP		33
#define IKEV2_EXCH_MIN		34	/* IKE_SA_INIT */
#define IKEV2_EXCH_MAX		44	/* IANA, incl. IKE_INTERMEDIATE */

void
sig_vpn_ipsec(struct sig_ctx *c)
{
	struct rd r;
	uint64_t ispi;
	uint8_t ver, exch;
	uint32_t mlen;
	size_t len = c->in->up_len;
	int natt = port_is(c, IKE_NATT_PORT);
	char d[SIG_DETAIL_SIZE];

	if (!c->udp)
		return;
	rd_init(&r, c->in->up, len);
	if (natt && len == 1 && c->in->up[0] == IKE_NATT_KEEPALIVE) {
		offer(c, SIG_IPSEC, SIG_CONF_WEAK, "nat-keepalive");
		return;
	}
	if (natt && len > IKE_HDR_LEN && rd_be32(&r) == IKE_NON_ESP_MARKER)
		len -= 4;
	else
		rd_init(&r, c->in->up, len);
	ispi = (uint64_t)rd_be32(&r) << 32;
	ispi |= rd_be32(&r);
	rd_skip(&r, 8 + 1);
	ver = rd_u8(&r);
	exch = rd_u8(&r);
	rd_skip(&r, 1 + 4);
	mlen = rd_be32(&r);
	if (!rd_ok(&r) || ispi == 0 || mlen != len)
		return;
	if (ver >> 4 == 1 && ((exch >= 1 && exch <= IKEV1_EXCH_MAX) ||
	    exch == IKEV1_QUICK_MODE || exch == IKEV1_NEW_GROUP))
		snprintf(d, sizeof(d), "ikev1");
	else if (ver >> 4 == 2 && exch >= IKEV2_EXCH_MIN &&
	    exch <= IKEV2_EXCH_MAX)
		snprintf(d, sizeof(d), "ikev2");
	else
		return;
	offer(c, SIG_IPSEC, SIG_CONF_GOOD + 5 + (port_is(c, IKE_PORT) || natt ?
	    2 * SIG_PORT_BONUS : 0), d);
}

/*
 * PPTP control message, RFC 2637 section 2.1:
 *
 *	+---------------+---------------+
 *	|  length (16)  | msg type = 1  |
 *	+---------------+---------------+
 *	|    magic cookie 0x1A2B3C4D    |
 *	+---------------+---------------+
 *	| control type  |  reserved 0   |
 *	+---------------+---------------+
 */
#define PPTP_MSG_CONTROL	1
#define PPTP_MAGIC		0x1A2B3C4Du
#define PPTP_CTRL_MAX		15	/* Set-Link-Info */
#define PPTP_HDR_LEN		12

void
sig_vpn_pptp(struct sig_ctx *c)
{
	struct rd r;
	uint16_t len, type, ctrl;

	if (!c->tcp)
		return;
	rd_init(&r, c->in->up, c->in->up_len);
	len = rd_be16(&r);
	type = rd_be16(&r);
	if (rd_be32(&r) != PPTP_MAGIC) {
		if (!rd_ok(&r) && c->in->up_len > 0 && c->in->server_port ==
		    1723)
			c->more = 1;
		return;
	}
	ctrl = rd_be16(&r);
	if (!rd_ok(&r) || type != PPTP_MSG_CONTROL || len < PPTP_HDR_LEN ||
	    ctrl == 0 || ctrl > PPTP_CTRL_MAX)
		return;
	offer(c, SIG_PPTP, SIG_CONF_STRONG + 5, ctrl == 1 ?
	    "start-control-connection" : "control");
}

/*
 * L2TP control message header, RFC 2661 section 3.1 (v2) and RFC 3931
 * section 3.2.1 (v3 over UDP):
 *
 *	|T|L|x|x|S|x|O|P|x|x|x|x| Ver |   length    |
 *	| tunnel id (v2) / control connection id (v3, 32 bits) ... |
 *	| Ns | Nr | AVP: M|H|rsvd|len=8 | vendor 0 | type 0 | msg type |
 *
 * A control message sets T, L and S and clears O and P; its first AVP
 * must be Message Type (RFC 2661 section 4.4.1).
 */
#define L2TP_PORT		1701
#define L2TP_CTRL_V2		0xC802
#define L2TP_CTRL_V3		0xC803
#define L2TP_FLAGS_MASK		0xFBFF	/* everything but reserved bit 5 */
#define L2TP_AVP_LEN_MASK	0x03FF
#define L2TP_AVP_MSGTYPE_LEN	8
#define L2TP_MSGTYPE_MAX	20	/* WEN (v2); v3 adds a few below 64 */

void
sig_vpn_l2tp(struct sig_ctx *c)
{
	struct rd r;
	uint16_t w, len, avp, mt;

	if (!c->udp)
		return;
	rd_init(&r, c->in->up, c->in->up_len);
	w = rd_be16(&r) & L2TP_FLAGS_MASK;
	len = rd_be16(&r);
	if (w != L2TP_CTRL_V2 && w != L2TP_CTRL_V3)
		return;
	rd_skip(&r, 4 + 2 + 2);
	avp = rd_be16(&r);
	if (rd_be16(&r) != 0 || rd_be16(&r) != 0)
		return;
	mt = rd_be16(&r);
	if (!rd_ok(&r) || len != c->in->up_len ||
	    (avp & L2TP_AVP_LEN_MASK) != L2TP_AVP_MSGTYPE_LEN || mt == 0 ||
	    mt > 2 * L2TP_MSGTYPE_MAX)
		return;
	offer(c, SIG_L2TP, SIG_CONF_STRONG - 5 + (port_is(c, L2TP_PORT) ?
	    SIG_PORT_BONUS : 0), w == L2TP_CTRL_V2 ? "v2" : "v3");
}

/*
 * SOCKS 5, RFC 1928 sections 3-6:
 *
 *	greeting  | VER=5 | NMETHODS | METHODS (NMETHODS) |
 *	choice    | VER=5 | METHOD |
 *	request   | VER=5 | CMD | RSV=0 | ATYP | DST.ADDR | DST.PORT |
 *
 * SOCKS 4 and 4a (Ying-Da Lee, "SOCKS 4A: A Simple Extension to SOCKS 4
 * Protocol"):
 *
 *	request | VN=4 | CD | DSTPORT (2) | DSTIP (4) | USERID | NUL |
 *	        [ 4a, DSTIP 0.0.0.x: HOSTNAME | NUL ]
 *	reply   | VN=0 | CD=90..93 | DSTPORT | DSTIP |
 */
#define SOCKS_PORT		1080
#define SOCKS5_VERSION		5
#define SOCKS5_NO_ACCEPTABLE	0xff
#define SOCKS5_CMD_MAX		3	/* CONNECT, BIND, UDP ASSOCIATE */
#define SOCKS5_ATYP_V4		1
#define SOCKS5_ATYP_DOMAIN	3
#define SOCKS5_ATYP_V6		4
#define SOCKS4_VERSION		4
#define SOCKS4_REPLY_LEN	8
#define SOCKS4_GRANTED		90
#define SOCKS4_REJECT_MAX	93
#define SOCKS4A_IP_MAX		255	/* 0.0.0.x, x != 0 */
#define SOCKS_NAME_MAX		255

/* Formats "host:port" into d from a name of n printable octets. */
static void
socks_target(char *d, size_t dsz, const char *ver, const uint8_t *name,
    size_t n, uint16_t port)
{
	char host[SIG_DETAIL_SIZE];
	size_t i;

	for (i = 0; i < n && i < sizeof(host) - 1; i++) {
		if (name[i] <= ' ' || name[i] > 0x7e)
			break;
		host[i] = (char)name[i];
	}
	host[i] = '\0';
	if (i < n || i == 0)
		snprintf(d, dsz, "%s", ver);
	else
		snprintf(d, dsz, "%s %s:%u", ver, host, (unsigned)port);
}

static void
check_socks5(struct sig_ctx *c)
{
	struct rd r, dr;
	const uint8_t *methods, *name = NULL;
	char d[SIG_DETAIL_SIZE], ip[16];
	uint8_t nm, choice, atyp, nlen = 0;
	uint16_t port;
	int conf, req = 0, i;

	rd_init(&r, c->in->up, c->in->up_len);
	if (rd_u8(&r) != SOCKS5_VERSION)
		return;
	nm = rd_u8(&r);
	methods = rd_bytes(&r, nm);
	if (!rd_ok(&r)) {
		c->more = 1;
		return;
	}
	if (nm == 0)
		return;
	for (i = 0; i < nm; i++)
		if (methods[i] == SOCKS5_NO_ACCEPTABLE)
			return;
	conf = SIG_CONF_WEAK;
	snprintf(d, sizeof(d), "socks5");
	rd_init(&dr, c->in->down, c->in->down_len);
	if (rd_u8(&dr) == SOCKS5_VERSION) {
		choice = rd_u8(&dr);
		if (rd_ok(&dr) && (choice == SOCKS5_NO_ACCEPTABLE ||
		    memchr(methods, choice, nm) != NULL))
			conf += 4 * SIG_PORT_BONUS + 5;
	}
	/* With "no authentication" the request follows the greeting. */
	if (rd_u8(&r) == SOCKS5_VERSION) {
		uint8_t cmd = rd_u8(&r);

		if (cmd >= 1 && cmd <= SOCKS5_CMD_MAX && rd_u8(&r) == 0) {
			atyp = rd_u8(&r);
			if (atyp == SOCKS5_ATYP_V4) {
				const uint8_t *a = rd_bytes(&r, 4);

				port = rd_be16(&r);
				if (rd_ok(&r)) {
					snprintf(ip, sizeof(ip), "%u.%u.%u.%u",
					    a[0], a[1], a[2], a[3]);
					socks_target(d, sizeof(d), "socks5",
					    (const uint8_t *)ip, strlen(ip),
					    port);
					req = 1;
				}
			} else if (atyp == SOCKS5_ATYP_DOMAIN) {
				nlen = rd_u8(&r);
				name = rd_bytes(&r, nlen);
				port = rd_be16(&r);
				if (rd_ok(&r) && nlen > 0) {
					socks_target(d, sizeof(d), "socks5",
					    name, nlen, port);
					req = 1;
				}
			} else if (atyp == SOCKS5_ATYP_V6) {
				rd_skip(&r, 16);
				(void)rd_be16(&r);
				req = rd_ok(&r);
			}
		}
	}
	if (req)
		conf += SIG_CONF_WEAK;
	if (conf == SIG_CONF_WEAK && c->in->up_len != 2 + (size_t)nm)
		return;
	if (port_is(c, SOCKS_PORT))
		conf += SIG_PORT_BONUS / 2;
	offer(c, SIG_SOCKS, conf, d);
}

static void
check_socks4(struct sig_ctx *c)
{
	struct rd r, dr;
	const uint8_t *a, *s, *nul, *name;
	char d[SIG_DETAIL_SIZE], ip[16];
	uint8_t cd;
	uint16_t port;
	size_t n;
	int conf, is4a;

	rd_init(&r, c->in->up, c->in->up_len);
	if (rd_u8(&r) != SOCKS4_VERSION)
		return;
	cd = rd_u8(&r);
	port = rd_be16(&r);
	a = rd_bytes(&r, 4);
	if (!rd_ok(&r)) {
		c->more = 1;
		return;
	}
	if (cd < 1 || cd > 2 || port == 0)
		return;
	n = rd_left(&r);
	s = rd_bytes(&r, n);
	if ((nul = memchr(s, '\0', n)) == NULL) {
		if (n < SOCKS_NAME_MAX)
			c->more = 1;
		return;
	}
	is4a = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] != 0;
	if (is4a) {
		name = nul + 1;
		n -= (size_t)(name - s);
		if ((nul = memchr(name, '\0', n)) == NULL) {
			if (n < SOCKS_NAME_MAX)
				c->more = 1;
			return;
		}
		socks_target(d, sizeof(d), "socks4a", name,
		    (size_t)(nul - name), port);
	} else {
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		socks_target(d, sizeof(d), "socks4", (const uint8_t *)ip,
		    strlen(ip), port);
	}
	conf = SIG_CONF_WEAK + SIG_PORT_BONUS;
	rd_init(&dr, c->in->down, c->in->down_len);
	if (rd_u8(&dr) == 0) {
		cd = rd_u8(&dr);
		rd_skip(&dr, SOCKS4_REPLY_LEN - 2);
		if (rd_ok(&dr) && cd >= SOCKS4_GRANTED &&
		    cd <= SOCKS4_REJECT_MAX)
			conf += 4 * SIG_PORT_BONUS;
	}
	if (port_is(c, SOCKS_PORT))
		conf += SIG_PORT_BONUS / 2;
	offer(c, SIG_SOCKS, conf, d);
}

void
sig_vpn_socks(struct sig_ctx *c)
{
	if (!c->tcp)
		return;
	check_socks5(c);
	check_socks4(c);
}

/*
 * tinc meta protocol (tinc-vpn.org, "The meta-protocol"): requests are
 * text lines of space-separated fields, the first being the request
 * number. Each side opens with an ID request,
 *
 *	0 <name> <protocol major>[.<minor>] LF
 *
 * where the name is the node's name (letters, digits and "_") and the
 * major protocol version is 17 for tinc 1.0 and 1.1. Default port 655.
 */
#define TINC_PORT		655
#define TINC_ID			"0 "
#define TINC_NAME_MAX		64
#define TINC_VERSION_DIGITS	3

/* Returns 1 for a whole ID line, -1 for a prefix of one, 0 otherwise. */
static int
tinc_id(const uint8_t *p, size_t len)
{
	struct rd r;
	size_t n;
	uint8_t ch;
	int m;

	if ((m = PREFIX(p, len, TINC_ID)) <= 0)
		return m;
	rd_init(&r, p, len);
	rd_skip(&r, sizeof(TINC_ID) - 1);
	for (n = 0; rd_left(&r) > 0; n++) {
		ch = rd_u8(&r);
		if (ch == ' ')
			break;
		if (n == TINC_NAME_MAX || !(is_digit(ch) || ch == '_' ||
		    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return 0;
	}
	if (rd_left(&r) == 0)
		return -1;
	if (n == 0)
		return 0;
	for (n = 0; rd_left(&r) > 0; n++) {
		ch = rd_u8(&r);
		if (ch == '\n' || ch == '.')
			return n > 0 ? 1 : 0;
		if (!is_digit(ch) || n == TINC_VERSION_DIGITS)
			return 0;
	}
	return -1;
}

void
sig_vpn_tinc(struct sig_ctx *c)
{
	int u, d, conf;

	if (!c->tcp)
		return;
	u = tinc_id(c->in->up, c->in->up_len);
	d = tinc_id(c->in->down, c->in->down_len);
	if (u < 0 || (u == 0 && d < 0))
		c->more = 1;
	if (u <= 0 && d <= 0)
		return;
	conf = SIG_CONF_GOOD;
	if (u > 0 && d > 0)
		conf += 2 * SIG_PORT_BONUS;
	if (port_is(c, TINC_PORT))
		conf += SIG_PORT_BONUS;
	offer(c, SIG_TINC, conf, "id");
}
