/* SPDX-License-Identifier: ISC */
/*
 * classify.c: flow signals -> service, department and verdict (see
 * classify.h). The order of the signals is the decision; it lives here
 * and nowhere else.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <string.h>

#include "policy/classify.h"
#include "policy/match.h"

#define CONF_CERT	80
#define CONF_JA4	75
#define CONF_ADDR	60
#define CONF_ADDR_CLIENT 50
#define PORT_REGISTERED_MIN 1024	/* RFC 6335 6: above the well-known */
#define CONF_PORT	30

static const struct service *
by_signals(const struct ruleset *rs, const struct classify_in *in,
    struct classify_out *out)
{
	const struct service *svc, *by_addr;
	const struct rule_item *it;
	unsigned i;

	/*
	 * A SOCKS handshake makes the flow's peer a proxy, most often the
	 * local end of a tunnel (Tor, Shadowsocks, V2Ray) or an SSH dynamic
	 * forward: the name inside is where the proxy goes, kept in the
	 * event, but the flow is the proxy's. HTTP CONNECT is left to its
	 * target's name: it is how an organisation's own web proxy carries
	 * all HTTPS, and there the destination is what matters.
	 */
	/*
	 * Unless the domain the SOCKS request named (evidence "socks") is a
	 * service's: then it is classified like an SNI, and the "socks"
	 * signature stays in the event to say how it was reached.
	 */
	if (strcmp(in->signature, "socks") == 0 &&
	    in->name_evidence == EVIDENCE_SOCKS && in->name[0] != '\0' &&
	    (svc = match_name_why(rs, in->name, &out->domain,
	    &out->except)) != NULL) {
		out->matched = in->name;
		return svc;
	}
	if (strcmp(in->signature, "socks") == 0 &&
	    (svc = match_protocol(rs, in->signature, &out->item)) != NULL) {
		out->evidence = EVIDENCE_SIGNATURE;
		out->confidence = in->signature_conf;
		return svc;
	}
	if (in->name[0] != '\0' && (svc = match_name_why(rs, in->name,
	    &out->domain, &out->except)) != NULL) {
		out->matched = in->name;
		return svc;
	}
	/* Any of the certificate's names (the first may be a CDN's). */
	for (i = 0; i < in->ncert_names && i < CLASSIFY_CERT_NAMES; i++) {
		if ((svc = match_name_why(rs, in->cert_names[i], &out->domain,
		    NULL)) != NULL) {
			out->matched = in->cert_names[i];
			out->evidence = EVIDENCE_CERT;
			out->confidence = CONF_CERT;
			return svc;
		}
	}
	if (in->ja4[0] != '\0' && (svc = match_ja4(rs, in->ja4,
	    &out->item)) != NULL) {
		out->evidence = EVIDENCE_JA4;
		out->confidence = CONF_JA4;
	} else if (in->signature[0] != '\0' &&
	    (svc = match_protocol(rs, in->signature, &out->item)) != NULL) {
		/* A call relay's signature an earlier flow's endpoint gave. */
		out->evidence = in->name_evidence == EVIDENCE_STUN_PEER ?
		    EVIDENCE_STUN_PEER : EVIDENCE_SIGNATURE;
		out->confidence = in->signature_conf;
		/*
		 * The protocol says what is spoken, a server address a
		 * service of the same category lists says whose server it
		 * is: OpenVPN to one of NordVPN's is NordVPN, not just "a
		 * VPN". An address of another category (a CDN's, a
		 * collaboration suite's) does not outrank the protocol.
		 */
		if ((by_addr = match_addr(rs, in->family, in->server_ip,
		    &it)) != NULL && by_addr != svc &&
		    strcmp(by_addr->category, svc->category) == 0) {
			svc = by_addr;
			out->protocol = out->item;
			out->item = it;
			out->evidence = EVIDENCE_IP;
		}
	} else if ((svc = match_addr(rs, in->family, in->server_ip,
	    &out->item)) != NULL || (in->asn != 0 &&
	    (svc = match_asn(rs, in->asn, &out->item)) != NULL)) {
		out->evidence = EVIDENCE_IP;
		out->confidence = CONF_ADDR;
	} else if (in->proto == IPPROTO_UDP &&
	    in->server_port >= PORT_REGISTERED_MIN && in->client_ip != NULL &&
	    (svc = match_addr(rs, in->family, in->client_ip,
	    &out->item)) != NULL) {
		/*
		 * A vendor's server on the side taken for the client: a UDP
		 * flow seen from its middle, both ports above the well-known
		 * ones, whose roles were guessed from its first packet. Not
		 * for a well-known server port: there the roles are sure,
		 * and a vendor's address as the client is traffic from it
		 * (a VPN's exit scanning), not its use.
		 */
		out->evidence = EVIDENCE_IP;
		out->confidence = CONF_ADDR_CLIENT;
	} else if ((svc = match_port(rs, in->proto, in->server_port,
	    &out->item)) != NULL) {
		out->evidence = EVIDENCE_PORT;
		out->confidence = CONF_PORT;
	}
	return svc;
}

void
classify(const struct ruleset *rs, const struct classify_in *in,
    struct classify_out *out)
{
	memset(out, 0, sizeof(*out));
	out->evidence = in->name_evidence;
	out->confidence = in->name_confidence;
	out->verdict = VERDICT_NONE;
	if (rs != NULL) {
		out->svc = by_signals(rs, in, out);
		out->dept = match_department(rs, in->family, in->client_ip,
		    in->vlan, &out->dept_loc);
	}
	if (out->svc != NULL && out->matched != NULL)
		instance_find(rs, out->svc, out->matched, out->instance,
		    sizeof(out->instance), &out->inst_rule);
	if (out->svc != NULL) {
		out->verdict = rules_verdict(rs, out->svc, out->dept,
		    &out->why);
		out->inst_decided = instance_decide(rs, out->svc,
		    out->instance, &out->why);
		if (out->inst_decided)
			out->verdict = out->why.verdict;
		out->inst_other = instance_is_other(rs, out->svc,
		    out->instance);
	}
	else if (in->name[0] == '\0')
		out->evidence = EVIDENCE_NONE;
}
