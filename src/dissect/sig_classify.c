/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_classify.c: sig_classify(), the classifier over the first
 * payload bytes of a flow. It runs every check, one per protocol, from
 * the files of their families (sig_remote.c, sig_vpn.c, sig_p2p.c,
 * sig_chat.c, and sig_carrier.c for those read from TLS, HTTP, DNS or
 * QUIC); each offers a candidate with a confidence and the best is kept.
 * When none matches, the server port alone gives a guess.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect/sig.h"
#include "dissect/sig_int.h"

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

	/*
	 * Every check runs and offer() keeps the best, so the order only
	 * tells two equal offers of one protocol apart: the first one's
	 * detail stays.
	 */
	sig_remote_ssh(&c);
	sig_remote_rdp(&c);
	sig_remote_vnc(&c);
	sig_remote_teamviewer(&c);
	sig_carrier_tls(&c);
	sig_remote_radmin(&c);
	sig_remote_nomachine(&c);
	sig_remote_rustdesk(&c);
	sig_vpn_openvpn(&c);
	sig_vpn_wireguard(&c);
	sig_vpn_ipsec(&c);
	sig_vpn_pptp(&c);
	sig_vpn_l2tp(&c);
	sig_vpn_socks(&c);
	sig_carrier_http(&c);
	sig_p2p_bittorrent(&c);
	sig_p2p_edonkey(&c);
	sig_p2p_syncthing(&c);
	sig_carrier_dnscrypt(&c);
	sig_chat_stun(&c);
	sig_carrier_quic(&c);
	sig_vpn_tinc(&c);
	sig_chat_xmpp(&c);
	sig_chat_whatsapp(&c);
	sig_chat_discord(&c);
	sig_chat_whatsapp_call(&c);
	if (c.found)
		return DIS_OK;
	memset(out, 0, sizeof(*out));
	port_guess(in, out);
	if (c.more || (c.tcp && in->up_len == 0))
		return DIS_MORE;
	return DIS_NOTME;
}
