/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig.c: the vocabulary of the protocol signatures (the rules
 * language's name of each, the ones an ALPN value names on its own) and
 * the RTP/RTCP test of sig_rtp_datagram(). The classifier itself is
 * sig_classify.c and the checks it runs are in the sig_*.c of their
 * families.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/sig.h"
#include "base/rd.h"

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
	[SIG_DISCORD_VOICE] = "discord-voice",
	[SIG_WHATSAPP_CALL] = "whatsapp-call",
	[SIG_SIP] = "sip",
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
