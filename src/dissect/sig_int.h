/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_int.h: what the files of the signature classifier share and
 * nothing outside them may include: the classification context, the
 * helpers every check uses (offer() keeps the best candidate), and one
 * entry point per check, which sig_classify() calls in order.
 * Checks read only through rd.h and never recurse or allocate.
 */
#ifndef SHADOWTAP_DISSECT_SIG_INT_H
#define SHADOWTAP_DISSECT_SIG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/sig.h"
#include "base/rd.h"

/* Confidence added when the flow uses the protocol's registered port. */
#define SIG_PORT_BONUS		10

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
static inline void
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
static inline void
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

static inline int
port_is(const struct sig_ctx *c, uint16_t port)
{
	return c->in->server_port == port || c->in->client_port == port;
}

static inline int
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
static inline int
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
static inline int
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

static inline int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * The checks. Each looks at one protocol's structure (or, for the carrier
 * checks, one general-purpose parse that can name several protocols) and
 * calls offer() for a candidate, or sets c->more when a longer prefix
 * could decide. sig_classify() calls every one of them, in a fixed order.
 */

/* sig_remote.c: remote access. */
void	sig_remote_ssh(struct sig_ctx *);
void	sig_remote_rdp(struct sig_ctx *);
void	sig_remote_vnc(struct sig_ctx *);
void	sig_remote_teamviewer(struct sig_ctx *);
void	sig_remote_radmin(struct sig_ctx *);
void	sig_remote_nomachine(struct sig_ctx *);
void	sig_remote_rustdesk(struct sig_ctx *);

/* sig_vpn.c: VPNs, tunnels and proxies. */
void	sig_vpn_openvpn(struct sig_ctx *);
void	sig_vpn_wireguard(struct sig_ctx *);
void	sig_vpn_ipsec(struct sig_ctx *);
void	sig_vpn_pptp(struct sig_ctx *);
void	sig_vpn_l2tp(struct sig_ctx *);
void	sig_vpn_socks(struct sig_ctx *);
void	sig_vpn_tinc(struct sig_ctx *);

/* sig_p2p.c: peer-to-peer file sharing and sync. */
void	sig_p2p_bittorrent(struct sig_ctx *);
void	sig_p2p_edonkey(struct sig_ctx *);
void	sig_p2p_syncthing(struct sig_ctx *);

/* sig_chat.c: messaging and calls. */
void	sig_chat_stun(struct sig_ctx *);
void	sig_chat_xmpp(struct sig_ctx *);
void	sig_chat_whatsapp(struct sig_ctx *);
void	sig_chat_discord(struct sig_ctx *);
void	sig_chat_whatsapp_call(struct sig_ctx *);

/*
 * sig_carrier.c: one parse of a general-purpose carrier (TLS ClientHello,
 * HTTP/1.x request line, QUIC long header, DNS message) naming protocols
 * of several families, encrypted DNS among them.
 */
void	sig_carrier_tls(struct sig_ctx *);
void	sig_carrier_http(struct sig_ctx *);
void	sig_carrier_dnscrypt(struct sig_ctx *);
void	sig_carrier_quic(struct sig_ctx *);

#endif
