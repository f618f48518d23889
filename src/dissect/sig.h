/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig.h: protocol signatures for traffic that names no host:
 * remote access (SSH, RDP, VNC, TeamViewer, AnyDesk, Radmin, NoMachine,
 * RustDesk), VPNs and proxies (OpenVPN, WireGuard, IPsec, PPTP, L2TP,
 * SOCKS, HTTP CONNECT, Tor), P2P (BitTorrent, eDonkey, Syncthing) and
 * encrypted DNS (DoT, DoQ, DoH, DNSCrypt), messaging that carries no
 * host name (XMPP, WhatsApp's chat protocol, Microsoft's STUN dialect of
 * Teams and Skype), Discord's voice IP discovery, tinc, plus STUN and
 * QUIC. A pure classifier over the
 * first payload bytes of each direction of a flow; and the test for an
 * RTP or RTCP datagram that the dissector applies to the later datagrams
 * of a gQUIC flow without SNI ("gquic-rtp", see sig_rtp_datagram()).
 */
#ifndef SHADOWTAP_DISSECT_SIG_H
#define SHADOWTAP_DISSECT_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"

enum sig_proto {
	SIG_NONE = 0,
	SIG_SSH,
	SIG_RDP,
	SIG_VNC,
	SIG_TEAMVIEWER,
	SIG_ANYDESK,
	SIG_RADMIN,
	SIG_NOMACHINE,
	SIG_RUSTDESK,
	SIG_OPENVPN,
	SIG_WIREGUARD,
	SIG_IPSEC,
	SIG_PPTP,
	SIG_L2TP,
	SIG_SOCKS,
	SIG_HTTP_CONNECT,
	SIG_TOR,
	SIG_BITTORRENT,
	SIG_EDONKEY,
	SIG_SYNCTHING,
	SIG_DOT,
	SIG_DOQ,
	SIG_DOH,
	SIG_DNSCRYPT,
	SIG_STUN,
	SIG_QUIC,
	SIG_TINC,
	SIG_XMPP,
	SIG_WHATSAPP,
	SIG_MS_STUN,
	SIG_GQUIC_RTP,	/* never from sig_classify(): see sig_rtp_datagram() */
	SIG_DISCORD_VOICE,
	SIG_WHATSAPP_CALL,
	SIG_SIP,	/* never from sig_classify(): dissect/sip.c */
	SIG_MAX
};

/*
 * Confidence scale of sig_result.confidence (0..100). A result keyed on
 * the port alone has confidence SIG_CONF_PORT_ONLY and the detail
 * SIG_DETAIL_PORT_ONLY, so a caller can tell it from a payload match.
 */
#define SIG_CONF_PORT_ONLY	10	/* port number only, no payload check */
#define SIG_CONF_WEAK		40	/* short or common-looking structure */
#define SIG_CONF_GOOD		70	/* full structure of one message */
#define SIG_CONF_STRONG		90	/* long magic or both directions agree */
#define SIG_CONF_MAX		100
#define SIG_DETAIL_PORT_ONLY	"port-only"

#define SIG_DETAIL_SIZE		64

struct sig_input {
	uint8_t		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t	 client_port;
	uint16_t	 server_port;
	const uint8_t	*up;		/* client->server stream prefix, or
					   first datagram for UDP */
	size_t		 up_len;
	const uint8_t	*down;		/* server->client, NULL/0 if none */
	size_t		 down_len;
};

struct sig_result {
	enum sig_proto	proto;
	int		confidence;		/* 0..100, see SIG_CONF_* */
	char		detail[SIG_DETAIL_SIZE];	/* printable ASCII, e.g.
						   "OpenSSH_8.9", "socks5
						   example.com:443", "v1" */
};

/*
 * Returns the rules-language name of p ("ssh", "rdp", ..., "quic"), or
 * "none" for SIG_NONE and for values out of range. The strings are static.
 */
const char	*sig_name(enum sig_proto p);

/*
 * Looks up a rules-language name; returns SIG_NONE when unknown.
 */
enum sig_proto	sig_from_name(const char *name);

/*
 * The protocol a TLS or QUIC ALPN value names on its own: DNS over QUIC
 * ("doq", RFC 9250; "doq-iNN" in its drafts) and over TLS ("dot", IANA's
 * registry for RFC 7858). SIG_NONE for any other.
 */
enum sig_proto	sig_from_alpn(const char *alpn);

/*
 * Classifies a flow from the first bytes of each direction. Reads only
 * in->up[0..up_len) and in->down[0..down_len); either may be NULL with
 * length 0. For UDP, up and down are the first datagram of each direction
 * (lengths are datagram lengths; several checks compare declared lengths
 * against them). For TCP they are stream prefixes and may hold several
 * messages.
 *
 * Every signature looks at protocol structure (magic values, header
 * fields that must be consistent, banners); the well-known port only
 * raises confidence. When several signatures match, the one with the
 * highest confidence wins (ties: the lower enum value).
 *
 * Returns DIS_OK with *out filled when a signature matched. Returns
 * DIS_MORE when no signature matched but the bytes so far are a prefix of
 * at least one (a longer prefix could decide), and DIS_NOTME otherwise. On
 * DIS_MORE and DIS_NOTME *out holds the port-only guess, if the server
 * port is one a tool in this list is known to use (confidence
 * SIG_CONF_PORT_ONLY, detail SIG_DETAIL_PORT_ONLY), else proto SIG_NONE
 * with confidence 0 and detail "". Never returns DIS_BAD: a malformed
 * instance of one protocol is simply not that protocol. detail is always
 * NUL-terminated printable ASCII (0x20..0x7e), cut to fit.
 */
enum dis_result	sig_classify(const struct sig_input *in,
		    struct sig_result *out);

/*
 * Whether one UDP datagram p[0..len) is an RTP packet (RFC 3550 5.1) or
 * an RTCP one (RFC 3550 6.4, RFC 4585 6.1, RFC 3611 2), told apart by the
 * payload type as RFC 5761 4 says. RTP needs version 2, a payload type
 * of RFC 3551's static table (0..34) or its dynamic range (96..127), and
 * the header with its CSRCs and extension inside the datagram; RTCP
 * needs version 2, packet type 200..207 and a first packet whose length
 * field fits the datagram and holds the report blocks it counts. SRTP
 * and SRTCP keep these headers in clear, so they pass too. Reads only
 * p[0..len).
 *
 * No version of gQUIC starts a datagram with the bits 10 that RTP's
 * version 2 puts first, so the dissector asks this of the datagrams that
 * follow a gQUIC CHLO without SNI: RTP and RTCP multiplexed into such a
 * session are what nDPI (src/lib/protocols/quic.c, PR #1147) reports as
 * Snapchat's calls. A match gives the signature SIG_GQUIC_RTP.
 */
int		sig_rtp_datagram(const uint8_t *p, size_t len);

#endif
