/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_p2p.c: the signatures of peer-to-peer file sharing and
 * sync: BitTorrent (peer wire, DHT, uTP, UDP tracker), eDonkey/eMule and
 * Syncthing (their HTTP tracker requests and Syncthing's TLS ALPN are
 * read in sig_carrier.c).
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

/*
 * A KRPC message (BEP 5) caught anywhere in a DHT conversation: a
 * bencoded dictionary ("d" ... "e") whose keys, sorted as bencoding
 * wants, hold a 20-byte node id ("2:id20:") and the message type
 * ("1:y1:" then q, r or e). Answers may start with "d2:ip" (BEP 42), so
 * no fixed prefix is required.
 */
#define BT_DHT_ID		"2:id20:"
#define BT_DHT_TYPE		"1:y1:"
#define BT_DHT_MIN		(sizeof(BT_DHT_ID) - 1 + 20 + \
				 sizeof(BT_DHT_TYPE) - 1 + 3)

static const uint8_t *
find_lit(const uint8_t *p, size_t len, const char *lit, size_t n)
{
	size_t i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (p[i] == (uint8_t)lit[0] && memcmp(p + i, lit, n) == 0)
			return p + i;
	return NULL;
}

static int
bt_krpc(const uint8_t *p, size_t len)
{
	const uint8_t *t;

	if (p == NULL || len < BT_DHT_MIN || p[0] != 'd' || p[len - 1] != 'e')
		return 0;
	if (find_lit(p, len, BT_DHT_ID, sizeof(BT_DHT_ID) - 1) == NULL)
		return 0;
	t = find_lit(p, len, BT_DHT_TYPE, sizeof(BT_DHT_TYPE) - 1);
	if (t == NULL || (size_t)(t - p) + sizeof(BT_DHT_TYPE) > len - 1)
		return 0;
	t += sizeof(BT_DHT_TYPE) - 1;
	return *t == 'q' || *t == 'r' || *t == 'e';
}

/* One uTP header (BEP 29); returns 0 when p does not start with one. */
struct utp_hdr {
	uint8_t		type;
	uint16_t	cid, seq, ack;
};

static int
utp_header(const uint8_t *p, size_t len, struct utp_hdr *h)
{
	struct rd r;
	uint8_t b0, ext;

	rd_init(&r, p, len);
	b0 = rd_u8(&r);
	ext = rd_u8(&r);
	h->cid = rd_be16(&r);
	rd_skip(&r, 12);
	h->seq = rd_be16(&r);
	h->ack = rd_be16(&r);
	h->type = b0 >> 4;
	return rd_ok(&r) && (b0 & 0xf) == UTP_VERSION &&
	    h->type <= UTP_ST_SYN && ext <= UTP_EXT_MAX;
}

#define UTP_ACK_WINDOW		64	/* packets in flight either way */

/*
 * uTP from its SYN, or from the middle of a connection: the two sides'
 * connection ids differ by one (the initiator receives on id and sends
 * on id + 1) and each acknowledges a sequence number near the other's.
 */
static void
bt_utp(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct utp_hdr u, d;
	uint16_t diff;
	int conf;

	if (!utp_header(in->up, in->up_len, &u))
		return;
	if (u.type == UTP_ST_SYN) {
		if (in->up_len != UTP_HDR_LEN && in->up[1] == 0)
			return;
		conf = SIG_CONF_WEAK;
		/* The answer is ST_STATE on the same connection id. */
		if (utp_header(in->down, in->down_len, &d) &&
		    d.type == UTP_ST_STATE && d.cid == u.cid &&
		    d.ack == u.seq)
			conf += 4 * SIG_PORT_BONUS;
		offer(c, SIG_BITTORRENT, conf, "utp");
		return;
	}
	if (!utp_header(in->down, in->down_len, &d) || d.type == UTP_ST_SYN)
		return;
	diff = (uint16_t)(u.cid - d.cid);
	if (diff != 1 && diff != UINT16_MAX)
		return;
	if ((uint16_t)(d.ack - u.seq + UTP_ACK_WINDOW) > 2 * UTP_ACK_WINDOW ||
	    (uint16_t)(u.ack - d.seq + UTP_ACK_WINDOW) > 2 * UTP_ACK_WINDOW)
		return;
	offer(c, SIG_BITTORRENT, SIG_CONF_GOOD, "utp-midstream");
}

void
sig_p2p_bittorrent(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
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
	if (bt_krpc(in->up, in->up_len) || bt_krpc(in->down, in->down_len)) {
		offer(c, SIG_BITTORRENT, SIG_CONF_GOOD, "dht");
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
	}
	bt_utp(c);
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

void
sig_p2p_edonkey(struct sig_ctx *c)
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

void
sig_p2p_syncthing(struct sig_ctx *c)
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
