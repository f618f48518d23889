/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_remote.c: the signatures of remote-access tools: SSH, RDP,
 * VNC, TeamViewer, Radmin, NoMachine and RustDesk (AnyDesk, which shows
 * only a TLS ClientHello, is in sig_carrier.c). Each check reads one
 * protocol's opening messages and offers a candidate to sig_classify().
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

void
sig_remote_ssh(struct sig_ctx *c)
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

void
sig_remote_rdp(struct sig_ctx *c)
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

void
sig_remote_vnc(struct sig_ctx *c)
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

void
sig_remote_teamviewer(struct sig_ctx *c)
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

void
sig_remote_radmin(struct sig_ctx *c)
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

void
sig_remote_nomachine(struct sig_ctx *c)
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

void
sig_remote_rustdesk(struct sig_ctx *c)
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
