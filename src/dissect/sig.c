/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig.c: protocol signatures over the first payload bytes of a
 * flow. Each check_* function looks at one protocol's structure and offers
 * a candidate with a confidence; sig_classify() keeps the best. The checks
 * only read through rd.h and never recurse or allocate.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect/http.h"
#include "dissect/sig.h"
#include "dissect/tls.h"
#include "base/rd.h"

/* Confidence added when the flow uses the protocol's registered port. */
#define SIG_PORT_BONUS		10

static const char *const sig_names[SIG_MAX] = {
	[SIG_NONE] = "none",
	[SIG_SSH] = "ssh",
	[SIG_RDP] = "rdp",
	[SIG_VNC] = "vnc",
	[SIG_TEAMVIEWER] = "teamviewer",
	[SIG_ANYDESK] = "anydesk",
	[SIG_RADMIN] = "radmin",
	[SIG_NOMACHINE] = "nomachine",
	[SIG_RUSTDESK] = "rustdesk",
	[SIG_OPENVPN] = "openvpn",
	[SIG_WIREGUARD] = "wireguard",
	[SIG_IPSEC] = "ipsec",
	[SIG_PPTP] = "pptp",
	[SIG_L2TP] = "l2tp",
	[SIG_SOCKS] = "socks",
	[SIG_HTTP_CONNECT] = "http-connect",
	[SIG_TOR] = "tor",
	[SIG_BITTORRENT] = "bittorrent",
	[SIG_EDONKEY] = "edonkey",
	[SIG_SYNCTHING] = "syncthing",
	[SIG_DOT] = "dot",
	[SIG_DOQ] = "doq",
	[SIG_DOH] = "doh",
	[SIG_DNSCRYPT] = "dnscrypt",
	[SIG_STUN] = "stun",
	[SIG_QUIC] = "quic",
	[SIG_TINC] = "tinc",
	[SIG_XMPP] = "xmpp",
	[SIG_WHATSAPP] = "whatsapp",
	[SIG_MS_STUN] = "ms-stun",
	[SIG_GQUIC_RTP] = "gquic-rtp",
};

const char *
sig_name(enum sig_proto p)
{
	if ((int)p < 0 || p >= SIG_MAX)
		return sig_names[SIG_NONE];
	return sig_names[p];
}

enum sig_proto
sig_from_name(const char *name)
{
	int i;

	for (i = SIG_NONE + 1; i < SIG_MAX; i++)
		if (strcmp(sig_names[i], name) == 0)
			return (enum sig_proto)i;
	return SIG_NONE;
}

enum sig_proto
sig_from_alpn(const char *alpn)
{
	if (strcmp(alpn, "doq") == 0 || strncmp(alpn, "doq-i", 5) == 0)
		return SIG_DOQ;
	if (strcmp(alpn, "dot") == 0)
		return SIG_DOT;
	return SIG_NONE;
}

/* What the checks share: the input, the best candidate, the MORE flag. */
struct sig_ctx {
	const struct sig_input	*in;
	int			 tcp;
	int			 udp;
	struct sig_result	*best;
	int			 found;
	int			 more;
};

/* Copies n bytes as printable ASCII, stopping at the first other octet. */
static void
detail_copy(char *dst, const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < SIG_DETAIL_SIZE - 1; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			break;
		dst[i] = (char)s[i];
	}
	dst[i] = '\0';
}

/*
 * Offers a candidate. detail may be NULL. The highest confidence wins;
 * on a tie, the lower enum value.
 */
static void
offer(struct sig_ctx *c, enum sig_proto p, int conf, const char *detail)
{
	struct sig_result *b = c->best;

	if (conf > SIG_CONF_MAX)
		conf = SIG_CONF_MAX;
	if (c->found && (conf < b->confidence ||
	    (conf == b->confidence && p >= b->proto)))
		return;
	c->found = 1;
	b->proto = p;
	b->confidence = conf;
	detail_copy(b->detail, (const uint8_t *)(detail != NULL ? detail : ""),
	    detail != NULL ? strlen(detail) : 0);
}

static int
port_is(const struct sig_ctx *c, uint16_t port)
{
	return c->in->server_port == port || c->in->client_port == port;
}

static int
port_in(const struct sig_ctx *c, uint16_t lo, uint16_t hi)
{
	return (c->in->server_port >= lo && c->in->server_port <= hi) ||
	    (c->in->client_port >= lo && c->in->client_port <= hi);
}

/*
 * Compares the start of [p, p+len) with the n bytes of lit. Returns 1 on
 * a full match, -1 when the data is shorter than lit but agrees so far
 * (a longer prefix could match), 0 otherwise, and for no data at all
 * (an empty direction is not evidence).
 */
static int
prefix(const uint8_t *p, size_t len, const void *lit, size_t n)
{
	struct rd r;
	const uint8_t *b;
	size_t k = len < n ? len : n;

	if (k == 0)		/* nothing seen in this direction yet */
		return n == 0 ? 1 : 0;
	rd_init(&r, p, len);
	if ((b = rd_bytes(&r, k)) == NULL || memcmp(b, lit, k) != 0)
		return 0;
	return k == n ? 1 : -1;
}

#define PREFIX(p, len, lit)	prefix((p), (len), (lit), sizeof(lit) - 1)

/* Whether the n bytes of needle occur in [p, p+len). */
static int
contains(const uint8_t *p, size_t len, const void *needle, size_t n)
{
	size_t i;

	if (p == NULL || n == 0 || len < n)
		return 0;
	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return 1;
	return 0;
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * SSH identification string, RFC 4253 section 4.2:
 *
 *	SSH-protoversion-softwareversion SP comments CR LF
 *
 * protoversion is "2.0" (or "1.99" for compatibility, section 5.1).
 * Either side sends it first; the server may send other lines before
 * it, which are not looked for here. detail is the softwareversion.
 */
#define SSH_ID		"SSH-"
#define SSH_PROTO_MAX	4		/* "1.99" */

static int
ssh_banner(struct sig_ctx *c, const uint8_t *p, size_t len)
{
	struct rd r;
	const uint8_t *s;
	size_t i, n;
	int m;

	if ((m = PREFIX(p, len, SSH_ID)) <= 0) {
		if (m < 0)
			c->more = 1;
		return 0;
	}
	rd_init(&r, p, len);
	rd_skip(&r, sizeof(SSH_ID) - 1);
	n = rd_left(&r);
	s = rd_bytes(&r, n);
	for (i = 0; i < n && i <= SSH_PROTO_MAX &&
	    (is_digit(s[i]) || s[i] == '.'); i++)
		;
	if (i == n) {
		c->more = 1;
		return 0;
	}
	if (s[i] != '-' || i == 0 || !is_digit(s[0]))
		return 0;
	s += i + 1;
	n -= i + 1;
	for (i = 0; i < n && s[i] > ' ' && s[i] < 0x7f; i++)
		;
	if (i == 0) {
		if (n == 0)
			c->more = 1;
		return 0;
	}
	{
		char d[SIG_DETAIL_SIZE];

		detail_copy(d, s, i);
		offer(c, SIG_SSH, SIG_CONF_STRONG + (port_is(c, 22) ?
		    SIG_PORT_BONUS : 5), d);
	}
	return 1;
}

static void
check_ssh(struct sig_ctx *c)
{
	if (!c->tcp)
		return;
	if (!ssh_banner(c, c->in->up, c->in->up_len))
		(void)ssh_banner(c, c->in->down, c->in->down_len);
}

/*
 * RDP connection request, TPKT (RFC 1006 section 6) carrying an X.224
 * Connection Request TPDU (ITU-T X.224 section 13.3) with the RDP
 * routing cookie and negotiation request of [MS-RDPBCGR] 2.2.1.1:
 *
 *	+------+------+-------------+
 *	| 0x03 | 0x00 | length (16) |		TPKT
 *	+------+------+------+------+------+-------+
 *	|  LI  | 0xE0 | dst-ref (16)| src-ref (16) | class |	X.224 CR
 *	+------+------+------+------+------+-------+
 *	"Cookie: mstshash=...\r\n" (optional)
 *	+------+-------+------------+-----------------------+
 *	| 0x01 | flags | length = 8 | requestedProtocols 32 |	rdpNegReq
 *	+------+-------+------------+-----------------------+	(LE fields)
 *
 * The server answers with a Connection Confirm (0xD0). X.224 over TPKT is
 * also used by ISO-on-TCP protocols (S7comm on 102), so the TPKT shape
 * alone only counts on port 3389.
 */
#define TPKT_VERSION		3
#define TPKT_HDR_LEN		4
#define X224_CR			0xE0
#define X224_CC			0xD0
#define X224_CODE_MASK		0xF0
#define X224_CR_LEN		7		/* LI .. class */
#define RDP_NEG_REQ		0x01
#define RDP_NEG_LEN		8
#define RDP_PORT		3389
#define RDP_COOKIE		"Cookie: mstshash="
#define RDP_COOKIE_TOKEN	"Cookie: msts="

/* Returns the X.224 code of a TPKT + X.224 header, or -1; sets *more. */
static int
tpkt_x224(const uint8_t *p, size_t len, struct rd *body, int *more)
{
	struct rd r;
	uint16_t tlen;
	uint8_t code;

	rd_init(&r, p, len);
	if (rd_u8(&r) != TPKT_VERSION || rd_u8(&r) != 0) {
		if (!rd_ok(&r) && len > 0 && p[0] == TPKT_VERSION)
			*more = 1;
		return -1;
	}
	tlen = rd_be16(&r);
	rd_skip(&r, 1);
	code = rd_u8(&r);
	if (!rd_ok(&r)) {
		*more = 1;
		return -1;
	}
	if (tlen < TPKT_HDR_LEN + X224_CR_LEN)
		return -1;
	rd_skip(&r, X224_CR_LEN - 2);
	if (!rd_ok(&r)) {
		*more = 1;
		return -1;
	}
	rd_init(body, p + rd_pos(&r), (len < tlen ? len : tlen) - rd_pos(&r));
	return code & X224_CODE_MASK;
}

/*
 * [MS-RDPEUDP] 2.2.2.1 / 3.1.5.1.1: the first datagram of RDP over UDP is
 * a SYN with snSourceAck -1 and RDPUDP_FLAG_SYN, padded to 1232 bytes.
 */
#define RDPUDP_SN_SYN		0xffffffffu
#define RDPUDP_FLAG_SYN		0x0001
#define RDPUDP_SYN_LEN		1232

static void
check_rdp(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd body, dbody, r;
	char d[SIG_DETAIL_SIZE];
	int conf = 0, more = 0, code;

	if (c->udp) {
		uint32_t sn;
		uint16_t flags;

		rd_init(&r, in->up, in->up_len);
		sn = rd_be32(&r);
		rd_skip(&r, 2);
		flags = rd_be16(&r);
		if (rd_ok(&r) && sn == RDPUDP_SN_SYN &&
		    (flags & RDPUDP_FLAG_SYN) && in->up_len == RDPUDP_SYN_LEN)
			offer(c, SIG_RDP, SIG_CONF_GOOD + (port_is(c,
			    RDP_PORT) ? 2 * SIG_PORT_BONUS : 0), "udp");
		return;
	}
	if (!c->tcp)
		return;
	code = tpkt_x224(in->up, in->up_len, &body, &more);
	if (more)
		c->more = 1;
	if (code != X224_CR)
		return;
	d[0] = '\0';
	if (PREFIX(body.p, rd_left(&body), RDP_COOKIE) == 1 ||
	    PREFIX(body.p, rd_left(&body), RDP_COOKIE_TOKEN) == 1) {
		conf = SIG_CONF_STRONG;
		snprintf(d, sizeof(d), "cookie");
	} else {
		uint32_t protos;
		uint16_t nlen;
		uint8_t type;

		r = body;
		type = rd_u8(&r);
		rd_skip(&r, 1);
		nlen = rd_le16(&r);
		protos = rd_le32(&r);
		if (rd_ok(&r) && type == RDP_NEG_REQ && nlen == RDP_NEG_LEN) {
			conf = SIG_CONF_STRONG;
			snprintf(d, sizeof(d), "protocols=0x%x",
			    (unsigned)protos);
		}
	}
	if (conf == 0)
		conf = port_is(c, RDP_PORT) ? SIG_CONF_GOOD : 0;
	if (conf == 0)
		return;
	more = 0;
	if (tpkt_x224(in->down, in->down_len, &dbody, &more) == X224_CC)
		conf += SIG_PORT_BONUS / 2;
	if (port_is(c, RDP_PORT))
		conf += SIG_PORT_BONUS / 2;
	offer(c, SIG_RDP, conf, d);
}

/*
 * RFB protocol version, RFC 6143 section 7.1.1: the server sends 12
 * bytes "RFB xxx.yyy\n" first, the client answers with the same form.
 */
#define RFB_MAGIC		"RFB "
#define RFB_VERSION_LEN		12

static int
rfb_version(struct sig_ctx *c, const uint8_t *p, size_t len, char *d)
{
	struct rd r;
	const uint8_t *s;
	size_t i;
	int m;

	if ((m = PREFIX(p, len, RFB_MAGIC)) <= 0) {
		if (m < 0)
			c->more = 1;
		return 0;
	}
	if (len < RFB_VERSION_LEN) {
		c->more = 1;
		return 0;
	}
	rd_init(&r, p, len);
	s = rd_bytes(&r, RFB_VERSION_LEN);
	for (i = sizeof(RFB_MAGIC) - 1; i < RFB_VERSION_LEN - 1; i++)
		if (i == 7 ? s[i] != '.' : !is_digit(s[i]))
			return 0;
	if (s[RFB_VERSION_LEN - 1] != '\n')
		return 0;
	detail_copy(d, s, RFB_VERSION_LEN - 1);
	return 1;
}

static void
check_vnc(struct sig_ctx *c)
{
	char d[SIG_DETAIL_SIZE];

	if (!c->tcp)
		return;
	if (rfb_version(c, c->in->down, c->in->down_len, d))
		offer(c, SIG_VNC, SIG_CONF_STRONG +
		    (rfb_version(c, c->in->up, c->in->up_len, d) ?
		    SIG_PORT_BONUS : 5), d);
	else if (rfb_version(c, c->in->up, c->in->up_len, d))
		offer(c, SIG_VNC, SIG_CONF_STRONG, d);
}

/*
 * TeamViewer has no public specification. Its framing as documented by
 * nDPI (protocols/teamviewer.c) and Wireshark users: TCP messages from
 * the client start with the magic 0x17 0x24 and the server's with
 * 0x11 0x30; UDP datagrams carry 0x17 0x24 at offset 11 with a zero
 * first byte. 0x17 0x24 is not a TLS record (0x17 0x03).
 */
#define TV_PORT			5938
#define TV_CLIENT_MAGIC		"\x17\x24"
#define TV_SERVER_MAGIC		"\x11\x30"
#define TV_UDP_MAGIC_OFF	11

static void
check_teamviewer(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
	int conf;

	if (c->tcp) {
		if (in->up_len < 3 ||
		    PREFIX(in->up, in->up_len, TV_CLIENT_MAGIC) != 1)
			return;
		conf = SIG_CONF_WEAK;
		if (in->down_len >= 3 &&
		    PREFIX(in->down, in->down_len, TV_SERVER_MAGIC) == 1)
			conf += 2 * SIG_PORT_BONUS + 5;
		if (port_is(c, TV_PORT))
			conf += 4 * SIG_PORT_BONUS;
		offer(c, SIG_TEAMVIEWER, conf, "tcp");
	} else if (c->udp) {
		rd_init(&r, in->up, in->up_len);
		if (rd_u8(&r) != 0)
			return;
		rd_skip(&r, TV_UDP_MAGIC_OFF - 1);
		if (rd_be16(&r) != 0x1724 || rd_left(&r) == 0)
			return;
		offer(c, SIG_TEAMVIEWER, SIG_CONF_WEAK + (port_is(c, TV_PORT) ?
		    4 * SIG_PORT_BONUS : SIG_PORT_BONUS), "udp");
	}
}

/*
 * TLS-based checks share one ClientHello parse (dissect/tls.c):
 * DoT (RFC 7858 section 3.1, port 853; ALPN "dot"), AnyDesk (TLS on its
 * port 7070), Syncthing (ALPN "bep/1.0", BEP v1 "TLS" section) and Tor,
 * whose link handshake (tor-spec section 2, v2/v3 link protocol) uses a
 * random SNI of the form www.<base32>.com/.net and no ALPN.
 */
#define DOT_PORT		853
#define ANYDESK_PORT		7070
#define DOT_ALPN		"dot"
#define SYNCTHING_ALPN		"bep/1.0"
#define TOR_SNI_PREFIX		"www."
#define TOR_LABEL_MIN		4
#define TOR_LABEL_MAX		25

static int
tor_sni(const char *sni)
{
	const char *s, *dot;
	size_t n;
	int digit = 0;

	if (strncmp(sni, TOR_SNI_PREFIX, sizeof(TOR_SNI_PREFIX) - 1) != 0)
		return 0;
	s = sni + sizeof(TOR_SNI_PREFIX) - 1;
	if ((dot = strchr(s, '.')) == NULL)
		return 0;
	if (strcmp(dot, ".com") != 0 && strcmp(dot, ".net") != 0)
		return 0;
	n = (size_t)(dot - s);
	if (n < TOR_LABEL_MIN || n > TOR_LABEL_MAX)
		return 0;
	/* Base32 of random bytes: a digit 2..7 is all but certain. */
	for (; s < dot; s++) {
		if (*s >= '2' && *s <= '7')
			digit = 1;
		else if (!(*s >= 'a' && *s <= 'z'))
			return 0;
	}
	return digit;
}

static int
has_alpn(const struct tls_hello *h, const char *a)
{
	size_t i;

	for (i = 0; i < h->nalpn; i++)
		if (strcmp(h->alpn[i], a) == 0)
			return 1;
	return 0;
}

static void
check_tls(struct sig_ctx *c)
{
	struct tls_hello h;
	enum dis_result rc;

	if (!c->tcp)
		return;
	rc = tls_parse_client_hello(c->in->up, c->in->up_len, &h);
	if (rc == DIS_MORE && c->in->up_len > 0)
		c->more = 1;
	if (rc != DIS_OK)
		return;
	if (has_alpn(&h, DOT_ALPN))
		offer(c, SIG_DOT, SIG_CONF_STRONG + 5, "alpn");
	else if (c->in->server_port == DOT_PORT)
		offer(c, SIG_DOT, SIG_CONF_GOOD + SIG_PORT_BONUS, "tls:853");
	if (has_alpn(&h, SYNCTHING_ALPN))
		offer(c, SIG_SYNCTHING, SIG_CONF_STRONG, "tls bep/1.0");
	if (c->in->server_port == ANYDESK_PORT)
		offer(c, SIG_ANYDESK, SIG_CONF_GOOD - SIG_PORT_BONUS,
		    "tls:7070");
	if (h.nalpn == 0 && tor_sni(h.sni))
		offer(c, SIG_TOR, SIG_CONF_GOOD - 2 * SIG_PORT_BONUS,
		    "random-sni");
}

/*
 * Radmin (Famatech, no public specification). Its messages in radmin3
 * captures: a 9-byte header, 0x01 0x00 0x00 0x00, a one-byte body length,
 * two zero bytes, two bytes, then the body. Weak on its own; its port
 * 4899 and a server answer of the same shape make it usable.
 */
#define RADMIN_PORT		4899
#define RADMIN_HDR_LEN		9

static int
radmin_msg(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t blen;

	rd_init(&r, p, len);
	if (rd_be32(&r) != 0x01000000)
		return 0;
	blen = rd_u8(&r);
	if (rd_be16(&r) != 0 || !rd_ok(&r) || blen == 0)
		return 0;
	return len >= RADMIN_HDR_LEN + (size_t)blen;
}

static void
check_radmin(struct sig_ctx *c)
{
	int conf;

	if (!c->tcp || !radmin_msg(c->in->up, c->in->up_len))
		return;
	conf = SIG_CONF_WEAK / 2;
	if (radmin_msg(c->in->down, c->in->down_len))
		conf += SIG_CONF_WEAK / 2;
	if (port_is(c, RADMIN_PORT))
		conf += 4 * SIG_PORT_BONUS;
	offer(c, SIG_RADMIN, conf, NULL);
}

/*
 * NoMachine NX: the client opens with "NXSH-<version>\n", the server
 * with "NXD-<version>\n" (as in nomachine captures and nDPI's notes).
 */
#define NX_CLIENT		"NXSH-"
#define NX_SERVER		"NXD-"
#define NX_VERSION_MAX		16

static int
nx_banner(struct sig_ctx *c, const uint8_t *p, size_t len, const char *magic,
    char *d)
{
	size_t n = strlen(magic), i;
	int m;

	if ((m = prefix(p, len, magic, n)) <= 0) {
		if (m < 0)
			c->more = 1;
		return 0;
	}
	for (i = n; i < len && i < n + NX_VERSION_MAX &&
	    (is_digit(p[i]) || p[i] == '.'); i++)
		;
	if (i == len) {
		c->more = 1;
		return 0;
	}
	if (i == n || p[i] != '\n')
		return 0;
	detail_copy(d, p, i);
	return 1;
}

static void
check_nomachine(struct sig_ctx *c)
{
	char d[SIG_DETAIL_SIZE], d2[SIG_DETAIL_SIZE];
	int up, down;

	if (!c->tcp)
		return;
	up = nx_banner(c, c->in->up, c->in->up_len, NX_CLIENT, d);
	down = nx_banner(c, c->in->down, c->in->down_len, NX_SERVER, d2);
	if (up || down)
		offer(c, SIG_NOMACHINE, SIG_CONF_STRONG + (up && down ?
		    SIG_PORT_BONUS : 0), up ? d : d2);
}

/*
 * RustDesk (rustdesk/hbb_common, AGPL source): TCP messages are protobuf
 * framed by BytesCodec, whose header is 1..4 little-endian bytes with
 * (header length - 1) in the low two bits and the body length above
 * them. UDP rendezvous messages (port 21116) are bare protobuf. Both are
 * too generic to trust away from the RustDesk ports 21115..21119.
 */
#define RUSTDESK_PORT_LO	21115
#define RUSTDESK_PORT_HI	21119
#define RUSTDESK_HDR_MASK	0x3
#define RUSTDESK_LEN_SHIFT	2
#define PROTOBUF_WT_MASK	0x7
#define PROTOBUF_WT_LEN		2		/* length-delimited */

static void
check_rustdesk(struct sig_ctx *c)
{
	struct rd r;
	uint32_t v = 0;
	size_t hlen, i;
	uint8_t key;

	if (!port_in(c, RUSTDESK_PORT_LO, RUSTDESK_PORT_HI) ||
	    c->in->up_len == 0)
		return;
	rd_init(&r, c->in->up, c->in->up_len);
	if (c->tcp) {
		hlen = (size_t)(c->in->up[0] & RUSTDESK_HDR_MASK) + 1;
		for (i = 0; i < hlen; i++)
			v |= (uint32_t)rd_u8(&r) << (8 * i);
		v >>= RUSTDESK_LEN_SHIFT;
		if (!rd_ok(&r) || v == 0 || rd_left(&r) < v)
			return;
	}
	key = rd_u8(&r);
	if (!rd_ok(&r) || (key & PROTOBUF_WT_MASK) != PROTOBUF_WT_LEN)
		return;
	offer(c, SIG_RUSTDESK, SIG_CONF_WEAK, c->tcp ? "tcp" : "udp");
}

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

static void
check_openvpn(struct sig_ctx *c)
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

static void
check_wireguard(struct sig_ctx *c)
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

static void
check_ipsec(struct sig_ctx *c)
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

static void
check_pptp(struct sig_ctx *c)
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

static void
check_l2tp(struct sig_ctx *c)
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

static void
check_socks(struct sig_ctx *c)
{
	if (!c->tcp)
		return;
	check_socks5(c);
	check_socks4(c);
}

/*
 * HTTP/1.x request heads with a signature in the request line: CONNECT
 * (RFC 9110 section 9.3.6, parsed by dissect/http.c), BitTorrent tracker
 * announce/scrape (BEP 3, BEP 48) and local service discovery (BEP 14,
 * "BT-SEARCH * HTTP/1.1"), and DoH over cleartext HTTP (RFC 8484
 * section 4.1: "/dns-query?dns=" GET or an application/dns-message POST;
 * the path is only conventional). DoH over TLS shows only its server name
 * and is identified by the catalog, not here.
 */
#define HTTP_CONNECT		"CONNECT "
#define BT_ANNOUNCE		"GET /announce?"
#define BT_SCRAPE		"GET /scrape?"
#define BT_INFO_HASH		"info_hash="
#define BT_SEARCH		"BT-SEARCH * HTTP/1."
#define DOH_GET			"GET /dns-query?"
#define DOH_POST		"POST /dns-query"
#define DOH_MEDIA_TYPE		"application/dns-message"
#define HTTP_LINE_MAX		2048

static void
check_http(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct http_req req;
	const uint8_t *lf;
	size_t line;
	char d[SIG_DETAIL_SIZE];
	int m;

	if (in->up_len == 0)
		return;
	lf = memchr(in->up, '\n', in->up_len < HTTP_LINE_MAX ? in->up_len :
	    HTTP_LINE_MAX);
	line = lf != NULL ? (size_t)(lf - in->up) : in->up_len;
	if (c->udp) {
		if (PREFIX(in->up, in->up_len, BT_SEARCH) == 1)
			offer(c, SIG_BITTORRENT, SIG_CONF_STRONG, "lsd");
		return;
	}
	if (!c->tcp)
		return;
	if ((m = PREFIX(in->up, in->up_len, HTTP_CONNECT)) != 0) {
		if (m < 0 || lf == NULL) {
			c->more = 1;
			return;
		}
		if (http_parse_request(in->up, in->up_len, 1, &req) == DIS_OK &&
		    strcmp(req.method, "CONNECT") == 0) {
			snprintf(d, sizeof(d), "%.50s:%u", req.host,
			    (unsigned)req.connect_port);
			offer(c, SIG_HTTP_CONNECT, SIG_CONF_STRONG, d);
		}
		return;
	}
	if ((PREFIX(in->up, in->up_len, BT_ANNOUNCE) == 1 ||
	    PREFIX(in->up, in->up_len, BT_SCRAPE) == 1) &&
	    contains(in->up, line, BT_INFO_HASH, sizeof(BT_INFO_HASH) - 1))
		offer(c, SIG_BITTORRENT, SIG_CONF_STRONG, "tracker");
	if (PREFIX(in->up, in->up_len, DOH_GET) == 1 ||
	    (PREFIX(in->up, in->up_len, DOH_POST) == 1 &&
	    contains(in->up, in->up_len, DOH_MEDIA_TYPE,
	    sizeof(DOH_MEDIA_TYPE) - 1)))
		offer(c, SIG_DOH, SIG_CONF_GOOD + SIG_PORT_BONUS, "cleartext");
}

/*
 * BitTorrent peer wire handshake (BEP 3), DHT KRPC (BEP 5), uTP (BEP 29)
 * and the UDP tracker connect request (BEP 15):
 *
 *	handshake | 19 | "BitTorrent protocol" | reserved (8) | ...
 *	DHT       "d1:ad2:id20:" (query) / "d1:rd2:id20:" (response)
 *	uTP       | type<<4 | ver=1 | extension | connection_id (16) |
 *	          | timestamp (32) | timestamp_diff (32) | wnd_size (32) |
 *	          | seq_nr (16) | ack_nr (16) |                 20 bytes
 *	tracker   | protocol_id 0x41727101980 (64) | action=0 | txid |
 */
#define BT_HANDSHAKE		"\x13" "BitTorrent protocol"
#define BT_DHT_QUERY		"d1:ad2:id20:"
#define BT_DHT_RESPONSE		"d1:rd2:id20:"
#define UTP_VERSION		1
#define UTP_ST_DATA		0
#define UTP_ST_STATE		2
#define UTP_ST_SYN		4
#define UTP_EXT_MAX		2
#define UTP_HDR_LEN		20
#define BT_UDP_TRACKER_ID	0x41727101980ull
#define BT_UDP_CONNECT_LEN	16

static void
check_bittorrent(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r, dr;
	int m, m2;

	if (c->tcp) {
		m = PREFIX(in->up, in->up_len, BT_HANDSHAKE);
		m2 = PREFIX(in->down, in->down_len, BT_HANDSHAKE);
		if (m > 0 || m2 > 0)
			offer(c, SIG_BITTORRENT, SIG_CONF_MAX - (m > 0 &&
			    m2 > 0 ? 0 : 2), "handshake");
		else if (m < 0)
			c->more = 1;
		return;
	}
	if (!c->udp)
		return;
	if (PREFIX(in->up, in->up_len, BT_DHT_QUERY) == 1 ||
	    PREFIX(in->up, in->up_len, BT_DHT_RESPONSE) == 1) {
		offer(c, SIG_BITTORRENT, SIG_CONF_STRONG, "dht");
		return;
	}
	rd_init(&r, in->up, in->up_len);
	if (in->up_len == BT_UDP_CONNECT_LEN) {
		uint64_t id = (uint64_t)rd_be32(&r) << 32;

		id |= rd_be32(&r);
		if (id == BT_UDP_TRACKER_ID && rd_be32(&r) == 0) {
			offer(c, SIG_BITTORRENT, SIG_CONF_STRONG,
			    "udp-tracker");
			return;
		}
		rd_init(&r, in->up, in->up_len);
	}
	{
		uint8_t b0 = rd_u8(&r), ext = rd_u8(&r);
		uint16_t cid = rd_be16(&r), seq, dcid, dack;
		int conf;

		rd_skip(&r, 12);
		seq = rd_be16(&r);
		if (!rd_ok(&r) || (b0 & 0xf) != UTP_VERSION ||
		    b0 >> 4 != UTP_ST_SYN || ext > UTP_EXT_MAX)
			return;
		if (ext == 0 && in->up_len != UTP_HDR_LEN)
			return;
		conf = SIG_CONF_WEAK;
		/* The answer is ST_STATE on the same connection id. */
		rd_init(&dr, in->down, in->down_len);
		b0 = rd_u8(&dr);
		rd_skip(&dr, 1);
		dcid = rd_be16(&dr);
		rd_skip(&dr, 14);
		dack = rd_be16(&dr);
		if (rd_ok(&dr) && b0 == (UTP_ST_STATE << 4 | UTP_VERSION) &&
		    dcid == cid && dack == seq)
			conf += 4 * SIG_PORT_BONUS;
		offer(c, SIG_BITTORRENT, conf, "utp");
	}
}

/*
 * eDonkey2000 / eMule TCP messages (eMule sources, "eDonkey protocol"
 * spec by Kulbak and Bickson):
 *
 *	| protocol (0xE3 eDonkey, 0xC5 eMule, 0xD4 packed) | length LE32 |
 *	| opcode | ...
 *
 * The first message of a peer connection is OP_HELLO (0x01) with a
 * 16-byte user hash (size byte 16); the answer OP_HELLOANSWER (0x4C).
 */
#define ED_PROTO_EDONKEY	0xE3
#define ED_PROTO_EMULE		0xC5
#define ED_PROTO_PACKED		0xD4
#define ED_OP_HELLO		0x01
#define ED_OP_HELLOANSWER	0x4C
#define ED_HASH_LEN		16
#define ED_MSG_MAX		(1u << 20)

static int
ed_msg(const uint8_t *p, size_t len, uint8_t *op)
{
	struct rd r;
	uint8_t proto;
	uint32_t mlen;

	rd_init(&r, p, len);
	proto = rd_u8(&r);
	mlen = rd_le32(&r);
	*op = rd_u8(&r);
	if (!rd_ok(&r) || (proto != ED_PROTO_EDONKEY &&
	    proto != ED_PROTO_EMULE && proto != ED_PROTO_PACKED) ||
	    mlen == 0 || mlen > ED_MSG_MAX)
		return 0;
	return 1;
}

static void
check_edonkey(struct sig_ctx *c)
{
	uint8_t op, dop;
	int conf;

	if (!c->tcp || !ed_msg(c->in->up, c->in->up_len, &op))
		return;
	if (op != ED_OP_HELLO || c->in->up_len < 7 ||
	    c->in->up[6] != ED_HASH_LEN)
		return;
	conf = SIG_CONF_GOOD;
	if (ed_msg(c->in->down, c->in->down_len, &dop) &&
	    dop == ED_OP_HELLOANSWER)
		conf += 2 * SIG_PORT_BONUS;
	offer(c, SIG_EDONKEY, conf, "hello");
}

/*
 * Syncthing: local discovery v4 announcements (UDP 21027) and the BEP
 * Hello start with the magic 0x2EA7D90B; relay protocol messages with
 * 0x9E79BC40 (docs.syncthing.net, "Local Discovery Protocol v4", "Block
 * Exchange Protocol v1", "Relay Protocol v1").
 */
#define SYNC_MAGIC		0x2EA7D90Bu
#define SYNC_RELAY_MAGIC	0x9E79BC40u
#define SYNC_DISCOVERY_PORT	21027

static void
check_syncthing(struct sig_ctx *c)
{
	struct rd r;
	uint32_t m;

	rd_init(&r, c->in->up, c->in->up_len);
	m = rd_be32(&r);
	if (!rd_ok(&r) || rd_left(&r) == 0)
		return;
	if (m == SYNC_MAGIC)
		offer(c, SIG_SYNCTHING, SIG_CONF_STRONG - 5 + (port_is(c,
		    SYNC_DISCOVERY_PORT) ? SIG_PORT_BONUS : 0),
		    c->udp ? "discovery" : "hello");
	else if (m == SYNC_RELAY_MAGIC && c->tcp)
		offer(c, SIG_SYNCTHING, SIG_CONF_GOOD, "relay");
}

/*
 * DNSCrypt v2 (dnscrypt.info/protocol): the client first fetches the
 * resolver certificate with a plain DNS TXT query for
 * "2.dnscrypt-cert.<provider>"; encrypted responses start with the
 * resolver magic "r6fnvWj8". Over TCP both carry the DNS 16-bit length.
 */
#define DNSCRYPT_RESOLVER_MAGIC	"r6fnvWj8"
#define DNSCRYPT_CERT_LABEL0	"\x01" "2"
#define DNSCRYPT_CERT_LABEL1	"\x0d" "dnscrypt-cert"
#define DNS_HDR_LEN		12

static void
check_dnscrypt(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
	const uint8_t *d = in->down, *q;
	size_t dlen = in->down_len;

	rd_init(&r, in->up, in->up_len);
	if (c->tcp && in->down_len > 2) {
		d += 2;
		dlen -= 2;
		rd_skip(&r, 2);
	}
	if (PREFIX(d, dlen, DNSCRYPT_RESOLVER_MAGIC) == 1) {
		offer(c, SIG_DNSCRYPT, SIG_CONF_STRONG + 5, "encrypted");
		return;
	}
	rd_skip(&r, DNS_HDR_LEN);
	q = rd_bytes(&r, sizeof(DNSCRYPT_CERT_LABEL0) - 1 +
	    sizeof(DNSCRYPT_CERT_LABEL1) - 1);
	if (q != NULL && memcmp(q, DNSCRYPT_CERT_LABEL0 DNSCRYPT_CERT_LABEL1,
	    sizeof(DNSCRYPT_CERT_LABEL0 DNSCRYPT_CERT_LABEL1) - 1) == 0)
		offer(c, SIG_DNSCRYPT, SIG_CONF_STRONG, "cert-query");
}

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

static void
check_stun(struct sig_ctx *c)
{
	struct rd r, attrs;
	uint16_t type, len;

	rd_init(&r, c->in->up, c->in->up_len);
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
 * QUIC long header, RFC 9000 section 17.2 (RFC 8999 invariants):
 *
 *	|1|1|T T|x x x x| version (32) | DCID len (8) | DCID (0..20) |
 *	| SCID len (8) | SCID (0..20) | ...
 *
 * with a version from RFC 9000 (1), RFC 9369 (0x6b3343cf), the IETF
 * drafts (0xff0000xx), mvfst (0xfaceb00x) or Google QUIC Q0xx/T0xx in
 * long-header form (Q046 and later). Older gQUIC (Q043 and before) uses
 * the public header: flags with PUBLIC_FLAG_VERSION (0x01) and an 8-byte
 * connection id (0x08), then the version. DoQ (RFC 9250) is QUIC on port
 * 853 (784 and 8853 in drafts).
 */
#define QUIC_LONG_HEADER	0x80
#define QUIC_FIXED_BIT		0x40
#define QUIC_CID_MAX		20
#define QUIC_V1			0x00000001u
#define QUIC_V2			0x6b3343cfu
#define QUIC_DRAFT_MASK		0xffffff00u
#define QUIC_DRAFT		0xff000000u
#define QUIC_MVFST_MASK		0xfffffff0u
#define QUIC_MVFST		0xfaceb000u
#define QUIC_GREASE_MASK	0x0f0f0f0fu
#define QUIC_GREASE		0x0a0a0a0au
#define QUIC_MIN_INITIAL	1200	/* RFC 9000 section 14.1 */
#define GQUIC_FLAG_VERSION	0x01
#define GQUIC_FLAG_CID8		0x08
#define GQUIC_CID_LEN		8
#define DOQ_PORT		853
#define DOQ_DRAFT_PORT		784
#define DOQ_DRAFT_PORT2		8853

/* Names a QUIC version into d; returns 0 if it is not a known one. */
static int
quic_version(uint32_t v, char *d, size_t dsz)
{
	uint8_t b0 = (uint8_t)(v >> 24), b1 = (uint8_t)(v >> 16);
	uint8_t b2 = (uint8_t)(v >> 8), b3 = (uint8_t)v;

	if (v == QUIC_V1)
		snprintf(d, dsz, "v1");
	else if (v == QUIC_V2)
		snprintf(d, dsz, "v2");
	else if ((v & QUIC_DRAFT_MASK) == QUIC_DRAFT)
		snprintf(d, dsz, "draft-%u", (unsigned)b3);
	else if ((v & QUIC_MVFST_MASK) == QUIC_MVFST)
		snprintf(d, dsz, "mvfst-%u", (unsigned)(v & 0xf));
	else if ((b0 == 'Q' || b0 == 'T') && is_digit(b1) && is_digit(b2) &&
	    is_digit(b3))
		snprintf(d, dsz, "%c%c%c%c", b0, b1, b2, b3);
	else
		return 0;
	return 1;
}

static void
check_quic(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
	char d[SIG_DETAIL_SIZE];
	uint8_t b0, dl, sl;
	uint32_t v;
	int conf;
	enum sig_proto p;

	if (!c->udp)
		return;
	rd_init(&r, in->up, in->up_len);
	b0 = rd_u8(&r);
	v = rd_be32(&r);
	if (!rd_ok(&r))
		return;
	conf = 0;
	if ((b0 & QUIC_LONG_HEADER) && (b0 & QUIC_FIXED_BIT)) {
		dl = rd_u8(&r);
		rd_skip(&r, dl);
		sl = rd_u8(&r);
		rd_skip(&r, sl);
		if (!rd_ok(&r) || dl > QUIC_CID_MAX || sl > QUIC_CID_MAX)
			return;
		if (quic_version(v, d, sizeof(d)))
			conf = SIG_CONF_GOOD + SIG_PORT_BONUS;
		else if ((v & QUIC_GREASE_MASK) == QUIC_GREASE) {
			snprintf(d, sizeof(d), "grease");
			conf = SIG_CONF_WEAK;
		}
		if (conf > 0 && in->up_len >= QUIC_MIN_INITIAL)
			conf += SIG_PORT_BONUS;
	} else if ((b0 & GQUIC_FLAG_VERSION) && (b0 & GQUIC_FLAG_CID8) &&
	    !(b0 & QUIC_LONG_HEADER)) {
		rd_init(&r, in->up, in->up_len);
		rd_skip(&r, 1 + GQUIC_CID_LEN);
		v = rd_be32(&r);
		if (rd_ok(&r) && (v >> 24 == 'Q') &&
		    quic_version(v, d, sizeof(d)))
			conf = SIG_CONF_GOOD + SIG_PORT_BONUS;
	}
	if (conf == 0)
		return;
	p = SIG_QUIC;
	if (in->server_port == DOQ_PORT || in->server_port == DOQ_DRAFT_PORT ||
	    in->server_port == DOQ_DRAFT_PORT2) {
		p = SIG_DOQ;
		conf += 5;
	}
	offer(c, p, conf, d);
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

static void
check_tinc(struct sig_ctx *c)
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

static void
check_xmpp(struct sig_ctx *c)
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

static void
check_whatsapp(struct sig_ctx *c)
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
 * RTP and RTCP (RFC 3550). Both start with version 2 in the top two bits
 * of the first byte. RTP: V P X CC(4) | M PT(7) | seq (16) | timestamp
 * (32) | SSRC (32) | CC CSRCs (32 each) | with X, an extension header of
 * a 16-bit profile value and a 16-bit length in 32-bit words, then that
 * many words. RTCP: V P RC(5) | PT (8) | length (16, in 32-bit words
 * minus one) | ...; a sender report (200) holds 28 bytes before its RC
 * report blocks of 24, a receiver report (201) 8. RFC 5761 4: on one
 * port, a second byte of 192..223 is RTCP (RTP with the marker bit set
 * would need payload types 64..95, which are never used).
 */
#define RTP_VERSION		2
#define RTP_HDR_LEN		12
#define RTP_CSRC_LEN		4
#define RTP_EXT_PROFILE_LEN	2	/* then a 16-bit length in words */
#define RTP_X_BIT		0x10
#define RTP_CC_MASK		0x0f
#define RTP_PT_MASK		0x7f
#define RTP_PT_STATIC_MAX	34	/* RFC 3551 table 4 and 5 */
#define RTP_PT_DYN_MIN		96	/* RFC 3551 3: dynamic range */
#define RTCP_PT_FIRST		192	/* RFC 5761 4: RTCP's range */
#define RTCP_PT_LAST		223
#define RTCP_PT_SR		200
#define RTCP_PT_RR		201
#define RTCP_PT_MAX		207	/* XR, RFC 3611 */
#define RTCP_RC_MASK		0x1f
#define RTCP_SR_LEN		28
#define RTCP_RR_LEN		8
#define RTCP_BLOCK_LEN		24

static int
rtcp_datagram(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t b0, pt;
	size_t plen, need;

	rd_init(&r, p, len);
	b0 = rd_u8(&r);
	pt = rd_u8(&r);
	plen = ((size_t)rd_be16(&r) + 1) * 4;
	if (!rd_ok(&r) || pt < RTCP_PT_SR || pt > RTCP_PT_MAX || plen > len)
		return 0;
	need = pt == RTCP_PT_SR ? RTCP_SR_LEN : pt == RTCP_PT_RR ?
	    RTCP_RR_LEN : 0;
	if (need > 0)
		need += (size_t)(b0 & RTCP_RC_MASK) * RTCP_BLOCK_LEN;
	return plen >= need;
}

int
sig_rtp_datagram(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t b0, b1, pt;
	size_t ext;

	rd_init(&r, p, len);
	b0 = rd_u8(&r);
	b1 = rd_u8(&r);
	if (!rd_ok(&r) || b0 >> 6 != RTP_VERSION)
		return 0;
	if (b1 >= RTCP_PT_FIRST && b1 <= RTCP_PT_LAST)
		return rtcp_datagram(p, len);
	pt = b1 & RTP_PT_MASK;
	if (pt > RTP_PT_STATIC_MAX && pt < RTP_PT_DYN_MIN)
		return 0;
	rd_skip(&r, RTP_HDR_LEN - 2 + (size_t)(b0 & RTP_CC_MASK) *
	    RTP_CSRC_LEN);
	if (b0 & RTP_X_BIT) {
		rd_skip(&r, RTP_EXT_PROFILE_LEN);
		ext = (size_t)rd_be16(&r) * 4;
		rd_skip(&r, ext);
	}
	return rd_ok(&r);
}

/*
 * Ports that tools in this list are known to use, for the port-only
 * guess. Only consulted when no payload signature matched.
 */
struct sig_port {
	uint8_t		proto;		/* IPPROTO_TCP/UDP, 0 for both */
	uint16_t	lo, hi;
	enum sig_proto	sig;
};

static const struct sig_port sig_ports[] = {
	{ IPPROTO_TCP, 22, 22, SIG_SSH },
	{ 0, 3389, 3389, SIG_RDP },
	{ IPPROTO_TCP, 5900, 5903, SIG_VNC },
	{ 0, 5938, 5938, SIG_TEAMVIEWER },
	{ IPPROTO_TCP, 7070, 7070, SIG_ANYDESK },
	{ IPPROTO_TCP, 4899, 4899, SIG_RADMIN },
	{ 0, 4000, 4000, SIG_NOMACHINE },
	{ 0, 21115, 21119, SIG_RUSTDESK },
	{ 0, 1194, 1194, SIG_OPENVPN },
	{ IPPROTO_UDP, 51820, 51820, SIG_WIREGUARD },
	{ IPPROTO_UDP, 500, 500, SIG_IPSEC },
	{ IPPROTO_UDP, 4500, 4500, SIG_IPSEC },
	{ IPPROTO_TCP, 1723, 1723, SIG_PPTP },
	{ IPPROTO_UDP, 1701, 1701, SIG_L2TP },
	{ IPPROTO_TCP, 1080, 1080, SIG_SOCKS },
	{ IPPROTO_TCP, 9001, 9001, SIG_TOR },
	{ IPPROTO_TCP, 9030, 9030, SIG_TOR },
	{ 0, 6881, 6889, SIG_BITTORRENT },
	{ 0, 4662, 4662, SIG_EDONKEY },
	{ IPPROTO_UDP, 4672, 4672, SIG_EDONKEY },
	{ IPPROTO_TCP, 22000, 22000, SIG_SYNCTHING },
	{ IPPROTO_UDP, 21027, 21027, SIG_SYNCTHING },
	{ IPPROTO_TCP, 853, 853, SIG_DOT },
	{ IPPROTO_UDP, 853, 853, SIG_DOQ },
	{ 0, 3478, 3478, SIG_STUN },
};

static void
port_guess(const struct sig_input *in, struct sig_result *out)
{
	size_t i;

	for (i = 0; i < sizeof(sig_ports) / sizeof(sig_ports[0]); i++) {
		const struct sig_port *sp = &sig_ports[i];

		if ((sp->proto == 0 || sp->proto == in->proto) &&
		    in->server_port >= sp->lo && in->server_port <= sp->hi) {
			out->proto = sp->sig;
			out->confidence = SIG_CONF_PORT_ONLY;
			snprintf(out->detail, sizeof(out->detail), "%s",
			    SIG_DETAIL_PORT_ONLY);
			return;
		}
	}
}

enum dis_result
sig_classify(const struct sig_input *in, struct sig_result *out)
{
	struct sig_ctx c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.tcp = in->proto == IPPROTO_TCP;
	c.udp = in->proto == IPPROTO_UDP;
	c.best = out;
	if (in->up == NULL && in->up_len != 0)
		return DIS_NOTME;
	if (in->down == NULL && in->down_len != 0)
		return DIS_NOTME;

	check_ssh(&c);
	check_rdp(&c);
	check_vnc(&c);
	check_teamviewer(&c);
	check_tls(&c);
	check_radmin(&c);
	check_nomachine(&c);
	check_rustdesk(&c);
	check_openvpn(&c);
	check_wireguard(&c);
	check_ipsec(&c);
	check_pptp(&c);
	check_l2tp(&c);
	check_socks(&c);
	check_http(&c);
	check_bittorrent(&c);
	check_edonkey(&c);
	check_syncthing(&c);
	check_dnscrypt(&c);
	check_stun(&c);
	check_quic(&c);
	check_tinc(&c);
	check_xmpp(&c);
	check_whatsapp(&c);
	if (c.found)
		return DIS_OK;
	memset(out, 0, sizeof(*out));
	port_guess(in, out);
	if (c.more || (c.tcp && in->up_len == 0))
		return DIS_MORE;
	return DIS_NOTME;
}
