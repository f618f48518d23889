/* SPDX-License-Identifier: ISC */
/*
 * record.c: what a valid network-health event is, and the public names of
 * the record enums (see record.h). Shared by both processes: the sniffer
 * names evidence in its events, the store checks and names what it gets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "base/record.h"
#include "base/util.h"

int
record_rel_is_tcp(uint8_t kind)
{
	return kind == REL_EV_TCP_OK || kind == REL_EV_TCP_UNANSWERED ||
	    kind == REL_EV_TCP_RESET || kind == REL_EV_TCP_CUT;
}

static const char *
rel_problem(const struct rel_event *e)
{
	size_t i;

	if (e->kind < REL_EV_DNS_ANSWERED || e->kind >= REL_EV_MAX)
		return "kind out of range";
	if (e->family != 0 && e->family != 4 && e->family != 6)
		return "bad address family";
	if (e->has_mac > 1)
		return "has_mac not 0 or 1";
	if (e->pad0 != 0 || e->pad1 != 0)
		return "padding not zero";
	if (e->vlan > VLAN_ID_MAX)
		return "VLAN id out of range";
	if (e->rtt_ms < -1 || e->rtt_ms > REL_RTT_MAX_MS)
		return "response time out of range";
	if (e->hs_server_us < -1 || e->hs_server_us > REL_HS_MAX_US ||
	    e->hs_client_us < -1 || e->hs_client_us > REL_HS_MAX_US)
		return "handshake time out of range";
	if (!record_rel_is_tcp(e->kind) && (e->tcp_packets != 0 ||
	    e->tcp_retrans != 0 || e->tcp_ooo != 0))
		return "TCP packet counts on a non-TCP event";
	if (e->tcp_retrans > e->tcp_packets || e->tcp_ooo > e->tcp_packets)
		return "more retransmissions or gaps than packets";
	if (memchr(e->department, '\0', sizeof(e->department)) == NULL)
		return "department not terminated";
	for (i = 0; e->department[i] != '\0'; i++)
		if ((unsigned char)e->department[i] < 0x20 ||
		    e->department[i] == 0x7f)
			return "control byte in department";
	return NULL;
}

int
record_rel_check(const struct rel_event *e, char *why, size_t whysz)
{
	const char *w = rel_problem(e);

	if (w == NULL)
		return 0;
	if (why != NULL && whysz > 0)
		strlcpy(why, w, whysz);
	return -1;
}

const char *
record_evidence_name(int e)
{
	static const char *const names[EVIDENCE_MAX] = {
		[EVIDENCE_NONE] = "",
		[EVIDENCE_SNI] = "sni",
		[EVIDENCE_QUIC_SNI] = "quic_sni",
		[EVIDENCE_HTTP_HOST] = "http_host",
		[EVIDENCE_DNS_QUERY] = "dns_query",
		[EVIDENCE_DNS_CACHE] = "dns_cache",
		[EVIDENCE_CERT] = "cert",
		[EVIDENCE_JA4] = "ja4",
		[EVIDENCE_SIGNATURE] = "signature",
		[EVIDENCE_IP] = "ip",
		[EVIDENCE_PORT] = "port",
		[EVIDENCE_STUN_REALM] = "stun_realm",
		[EVIDENCE_STUN_PEER] = "stun_peer",
		[EVIDENCE_SOCKS] = "socks",
		[EVIDENCE_SIP] = "sip",
	};

	return e >= 0 && e < EVIDENCE_MAX ? names[e] : "";
}

const char *
record_creds_name(enum creds_proto p)
{
	static const char *const names[CREDS_MAX] = {
		[CREDS_NONE] = "none",
		[CREDS_FTP] = "ftp",
		[CREDS_TELNET] = "telnet",
		[CREDS_POP3] = "pop3",
		[CREDS_IMAP] = "imap",
		[CREDS_SMTP] = "smtp",
		[CREDS_HTTP_BASIC] = "http-basic",
	};

	return (unsigned)p < CREDS_MAX ? names[p] : "none";
}
