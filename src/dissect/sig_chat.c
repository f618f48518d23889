/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_chat.c: the signatures of messaging and calls that carry
 * no host name: STUN and Microsoft's dialect of it (Teams, Skype), XMPP
 * streams, WhatsApp's chat connection and its calls' relay messages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/sig.h"
#include "dissect/sig_int.h"
#include "base/rd.h"

/*
 * STUN header, RFC 5389 section 6 (RFC 8489 section 5):
 *
 *	|0 0| message type (14) | message length (16) |
 *	|        magic cookie 0x2112A442               |
 *	|        transaction id (96)                   |
 *
 * The length counts the attributes after the 20-byte header and is a
 * multiple of 4. Each attribute is type (16), length (16), then the value
 * padded to 4 bytes (section 15).
 *
 * Microsoft's real-time media stack (Teams, Skype, Skype for Business)
 * adds attributes of its own in the comprehension-optional range, from
 * its published Open Specifications: [MS-ICE2] section 2.2 defines
 * CANDIDATE-IDENTIFIER (0x8054) and IMPLEMENTATION-VERSION (0x8070), sent
 * in every connectivity check, and [MS-TURN] section 2.2.2 MS-VERSION
 * (0x8008), MS-SEQUENCE-NUMBER (0x8050) and MS-SERVICE-QUALITY (0x8055).
 * A STUN message with one of them is "ms-stun".
 */
#define STUN_MAGIC		0x2112A442u
#define STUN_HDR_LEN		20
#define STUN_TYPE_MASK		0xC000
#define STUN_ATTR_ALIGN		4
#define STUN_ATTR_MS_VERSION	0x8008
#define STUN_ATTR_MS_SEQUENCE	0x8050
#define STUN_ATTR_MS_CANDIDATE	0x8054
#define STUN_ATTR_MS_QUALITY	0x8055
#define STUN_ATTR_MS_IMPL	0x8070

/* Whether the attributes in r (a whole message body) have a Microsoft one. */
static int
stun_ms_attr(struct rd *r)
{
	uint16_t type, len;

	while (rd_left(r) >= STUN_ATTR_ALIGN) {
		type = rd_be16(r);
		len = rd_be16(r);
		switch (type) {
		case STUN_ATTR_MS_VERSION:
		case STUN_ATTR_MS_SEQUENCE:
		case STUN_ATTR_MS_CANDIDATE:
		case STUN_ATTR_MS_QUALITY:
		case STUN_ATTR_MS_IMPL:
			return 1;
		default:
			break;
		}
		rd_skip(r, ((size_t)len + STUN_ATTR_ALIGN - 1) &
		    ~(size_t)(STUN_ATTR_ALIGN - 1));
		if (!rd_ok(r))
			return 0;
	}
	return 0;
}

void
sig_chat_stun(struct sig_ctx *c)
{
	struct rd r, attrs;
	uint16_t type, len;

	rd_init(&r, c->in->up, c->in->up_len);
	/*
	 * Over TCP, ICE (RFC 6544) frames each message with a 16-bit
	 * length (RFC 4571), as Skype and Teams do: skip it when the
	 * magic cookie follows it rather than the message's own length.
	 */
	if (c->tcp && c->in->up_len >= 2 + STUN_HDR_LEN) {
		struct rd f = r;

		rd_skip(&f, 2 + 4);
		if (rd_be32(&f) == STUN_MAGIC)
			rd_skip(&r, 2);
	}
	type = rd_be16(&r);
	len = rd_be16(&r);
	if (rd_be32(&r) != STUN_MAGIC || !rd_ok(&r) ||
	    (type & STUN_TYPE_MASK) != 0 || len % STUN_ATTR_ALIGN != 0)
		return;
	if (c->udp && c->in->up_len != STUN_HDR_LEN + (size_t)len)
		return;
	if (c->tcp && c->in->up_len < STUN_HDR_LEN) {
		c->more = 1;
		return;
	}
	rd_skip(&r, STUN_HDR_LEN - 8);
	attrs = rd_sub(&r, len);
	if (rd_ok(&attrs) && stun_ms_attr(&attrs)) {
		offer(c, SIG_MS_STUN, SIG_CONF_STRONG + 5, type == 0x0001 ?
		    "binding" : NULL);
		return;
	}
	offer(c, SIG_STUN, SIG_CONF_STRONG, type == 0x0001 ? "binding" :
	    NULL);
}

/*
 * XMPP, RFC 6120 section 4.2 and 4.7: the initiating entity opens an XML
 * stream, optionally after an XML declaration:
 *
 *	<?xml version='1.0'?>
 *	<stream:stream to='example.com' version='1.0'
 *	    xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>
 *
 * The stream namespace is fixed (section 4.8.1); the content namespace
 * is jabber:client between client and server, jabber:server between
 * servers. The receiving entity answers with a stream header of its own.
 * The header is the evidence; the usual ports (5222 client, 5269 server)
 * add nothing to it.
 */
#define XMPP_DECL		"<?xml"
#define XMPP_DECL_END		"?>"
#define XMPP_DECL_MAX		128
#define XMPP_STREAM		"<stream:stream"
#define XMPP_STREAM_NS		"http://etherx.jabber.org/streams"
#define XMPP_NS_SERVER		"jabber:server"
#define XMPP_HEADER_MAX		1024

/*
 * Looks for a stream header at the start of p. Returns 1 for a whole one
 * (its namespaces seen), -1 for a prefix of one, 0 otherwise; *s2s is
 * set for a server-to-server stream.
 */
static int
xmpp_header(const uint8_t *p, size_t len, int *s2s)
{
	const uint8_t *end, *gt;
	size_t off = 0, i, n;
	int m;

	if ((m = PREFIX(p, len, XMPP_DECL)) < 0)
		return -1;
	if (m > 0) {
		n = len < XMPP_DECL_MAX ? len : XMPP_DECL_MAX;
		for (i = 0; i + 1 < n; i++)
			if (memcmp(p + i, XMPP_DECL_END, 2) == 0)
				break;
		if (i + 1 >= n)
			return len < XMPP_DECL_MAX ? -1 : 0;
		off = i + 2;
	}
	while (off < len && (p[off] == ' ' || p[off] == '\t' ||
	    p[off] == '\r' || p[off] == '\n'))
		off++;
	if (off == len)
		return m > 0 ? -1 : 0;
	if ((m = PREFIX(p + off, len - off, XMPP_STREAM)) <= 0)
		return m;
	n = len - off < XMPP_HEADER_MAX ? len - off : XMPP_HEADER_MAX;
	if ((gt = memchr(p + off, '>', n)) == NULL)
		return n < XMPP_HEADER_MAX ? -1 : 0;
	end = gt + 1;
	n = (size_t)(end - (p + off));
	if (!contains(p + off, n, XMPP_STREAM_NS, sizeof(XMPP_STREAM_NS) - 1))
		return 0;
	*s2s = contains(p + off, n, XMPP_NS_SERVER,
	    sizeof(XMPP_NS_SERVER) - 1);
	return 1;
}

void
sig_chat_xmpp(struct sig_ctx *c)
{
	int u, d, s2s = 0, s2s_down = 0, conf;

	if (!c->tcp)
		return;
	u = xmpp_header(c->in->up, c->in->up_len, &s2s);
	d = xmpp_header(c->in->down, c->in->down_len, &s2s_down);
	if (u < 0)
		c->more = 1;
	if (u <= 0 && d <= 0)
		return;
	conf = SIG_CONF_STRONG;
	if (u > 0 && d > 0)
		conf += SIG_PORT_BONUS;
	offer(c, SIG_XMPP, conf, s2s || s2s_down ? "jabber:server" :
	    "jabber:client");
}

/*
 * WhatsApp's chat connection (TCP 443 or 5222), as described by the open
 * client implementations of its Noise Pipes handshake: the client starts
 * with a connection header, the two letters "WA", a protocol version
 * byte and a dictionary version byte, then frames of a 3-byte big-endian
 * length and a body. A client routed through an edge server sends first
 * the pre-intro "ED" 0x00 0x01, a 3-byte length and that many bytes of
 * routing data:
 *
 *	[ "ED" 00 01 | len (24) | routing data ] "WA" ver dict | len (24) | ...
 */
#define WA_EDGE			"ED\x00\x01"
#define WA_HEADER		"WA"
#define WA_EDGE_DATA_MAX	256
#define WA_VERSION_MAX		0x1f
#define WA_CHAT_PORT		5222
#define WA_TLS_PORT		443

void
sig_chat_whatsapp(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	const uint8_t *h;
	struct rd r;
	uint32_t n;
	uint8_t ver, dict;
	int m, edge = 0, conf;

	if (!c->tcp || in->up_len == 0)
		return;
	rd_init(&r, in->up, in->up_len);
	if ((m = PREFIX(in->up, in->up_len, WA_EDGE)) < 0) {
		c->more = 1;
		return;
	}
	if (m > 0) {
		rd_skip(&r, sizeof(WA_EDGE) - 1);
		n = rd_be24(&r);
		if (rd_ok(&r) && (n == 0 || n > WA_EDGE_DATA_MAX))
			return;
		rd_skip(&r, n);
		edge = 1;
	}
	if (!rd_ok(&r)) {
		c->more = 1;
		return;
	}
	if ((m = PREFIX(in->up + rd_pos(&r), rd_left(&r), WA_HEADER)) < 0 ||
	    (m == 0 && rd_left(&r) == 0)) {
		c->more = 1;
		return;
	}
	if (m == 0)
		return;
	h = rd_bytes(&r, sizeof(WA_HEADER) - 1);
	ver = rd_u8(&r);
	dict = rd_u8(&r);
	n = rd_be24(&r);
	if (h == NULL || !rd_ok(&r)) {
		c->more = 1;
		return;
	}
	if (ver == 0 || ver > WA_VERSION_MAX || dict > WA_VERSION_MAX ||
	    n == 0)
		return;
	conf = edge ? SIG_CONF_STRONG : SIG_CONF_GOOD;
	if (in->server_port == WA_CHAT_PORT || in->server_port == WA_TLS_PORT)
		conf += SIG_PORT_BONUS;
	offer(c, SIG_WHATSAPP, conf, edge ? "edge" : "direct");
}

/*
 * Discord's voice connection starts with IP discovery (Discord's
 * developer documentation, "Voice Connections", IP Discovery): a UDP
 * datagram of 74 bytes, type 0x1 (request; 0x2 the response) and length
 * 70 as 16-bit fields, the 32-bit SSRC, a 64-byte NUL-padded address
 * (empty in the request, the client's address as text in the response)
 * and a 16-bit port. The RTP of the call follows on the same 5-tuple.
 */
#define DISCORD_IPD_LEN		74
#define DISCORD_IPD_BODY	70
#define DISCORD_IPD_ADDR	64

static int
discord_ipd(const uint8_t *p, size_t len, uint16_t type)
{
	struct rd r;
	const uint8_t *addr;
	size_t i;

	if (p == NULL || len != DISCORD_IPD_LEN)
		return 0;
	rd_init(&r, p, len);
	if (rd_be16(&r) != type || rd_be16(&r) != DISCORD_IPD_BODY)
		return 0;
	rd_skip(&r, 4);				/* SSRC */
	if ((addr = rd_bytes(&r, DISCORD_IPD_ADDR)) == NULL)
		return 0;
	/* Printable text, then NULs only; the request's is all NUL. */
	for (i = 0; i < DISCORD_IPD_ADDR && addr[i] != 0; i++)
		if (addr[i] < 0x20 || addr[i] > 0x7e || type == 1)
			return 0;
	for (; i < DISCORD_IPD_ADDR; i++)
		if (addr[i] != 0)
			return 0;
	return 1;
}

void
sig_chat_discord(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;

	if (!c->udp || !discord_ipd(in->up, in->up_len, 1))
		return;
	if (in->down_len == 0)
		offer(c, SIG_DISCORD_VOICE, SIG_CONF_GOOD, "ip-discovery");
	else if (discord_ipd(in->down, in->down_len, 2))
		offer(c, SIG_DISCORD_VOICE, SIG_CONF_STRONG, "ip-discovery");
}

/*
 * WhatsApp's call relays speak a dialect of STUN (seen in captures of its
 * calls; nDPI's STUN dissector keys on the same): the 20-byte header with
 * the magic cookie, then attributes of WhatsApp's own types 0x4000 to
 * 0x4007 whose values are not padded to 4 bytes, so the message length
 * need not be a multiple of 4. The client opens with an Allocate (0x003)
 * holding one 0x4000 attribute, and later sends messages of its own
 * method 0x800 (type 0x0800). Either, walking to the exact end of the
 * datagram, is "whatsapp-call".
 */
#define WA_ATTR_FIRST		0x4000
#define WA_ATTR_LAST		0x4007
#define WA_TYPE_OWN		0x0800

/* 1 when p is one such message: a WhatsApp attribute, or type 0x0800. */
static int
wa_call_msg(const uint8_t *p, size_t len)
{
	struct rd r;
	uint16_t type, mlen, at, alen;
	int own = 0, n = 0;

	rd_init(&r, p, len);
	type = rd_be16(&r);
	mlen = rd_be16(&r);
	if (rd_be32(&r) != STUN_MAGIC || !rd_ok(&r) ||
	    (type & STUN_TYPE_MASK) != 0 ||
	    len != STUN_HDR_LEN + (size_t)mlen)
		return 0;
	rd_skip(&r, STUN_HDR_LEN - 8);
	/* Unpadded attributes, each exactly where the last one ended. */
	while (rd_left(&r) > 0) {
		at = rd_be16(&r);
		alen = rd_be16(&r);
		rd_skip(&r, alen);
		if (!rd_ok(&r))
			return 0;
		if (at >= WA_ATTR_FIRST && at <= WA_ATTR_LAST)
			own = 1;
		n++;
	}
	return n > 0 && (own || type == WA_TYPE_OWN);
}

void
sig_chat_whatsapp_call(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;

	if (!c->udp)
		return;
	if (wa_call_msg(in->up, in->up_len))
		offer(c, SIG_WHATSAPP_CALL, SIG_CONF_STRONG + 5, "relay");
	else if (wa_call_msg(in->down, in->down_len))
		offer(c, SIG_WHATSAPP_CALL, SIG_CONF_STRONG, "relay");
}
