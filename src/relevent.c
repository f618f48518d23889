/* SPDX-License-Identifier: ISC */
/*
 * relevent.c: flows, DNS exchanges and DHCP messages into network-health
 * events (see relevent.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <string.h>

#include "base/defaults.h"
#include "dissect/dhcp.h"
#include "dissect/dns.h"
#include "flow/dnslog.h"
#include "flow/flow.h"
#include "packet/decode.h"
#include "relevent.h"

/* A SYN this close to the end of the run may still be answered. */
#define RELEVENT_DRAIN_GRACE_US	((int64_t)DEF_SYN_TIMEOUT_S * 1000000)
/* Packets each way before a reset counts as cutting a transfer short. */
#define RELEVENT_CUT_MIN_PKTS	3

int
relevent_from_flow(const struct flow *f, int why, int64_t last_us,
    struct rel_event *e)
{
	memset(e, 0, sizeof(*e));
	if (f->key.proto != IPPROTO_TCP || !(f->tcp & FLOW_TCP_SYN_UP))
		return 0;
	if (f->tcp & FLOW_TCP_SYN_DOWN) {
		e->kind = REL_EV_TCP_OK;
		if ((f->tcp & FLOW_TCP_RST) && !(f->tcp & FLOW_TCP_FIN) &&
		    f->pkts[FLOW_UP] >= RELEVENT_CUT_MIN_PKTS &&
		    f->pkts[FLOW_DOWN] >= RELEVENT_CUT_MIN_PKTS)
			e->kind = REL_EV_TCP_CUT;
	} else if (f->tcp & FLOW_TCP_RST) {
		e->kind = REL_EV_TCP_RESET;
	} else {
		if (why == FLOW_END_DRAIN &&
		    f->last_us + RELEVENT_DRAIN_GRACE_US > last_us)
			return 0;
		e->kind = REL_EV_TCP_UNANSWERED;
	}
	e->ts_us = f->first_us;
	e->rtt_ms = -1;
	e->hs_server_us = (int32_t)FLOW_HS_US(f->hs_server);
	e->hs_client_us = (int32_t)FLOW_HS_US(f->hs_client);
	if (e->hs_server_us < 0 || e->hs_client_us < 0)
		e->hs_server_us = e->hs_client_us = -1;
	e->tcp_packets = f->pkts[FLOW_UP] + f->pkts[FLOW_DOWN] > UINT32_MAX ?
	    UINT32_MAX : (uint32_t)(f->pkts[FLOW_UP] + f->pkts[FLOW_DOWN]);
	e->tcp_retrans = f->retrans < e->tcp_packets ? f->retrans :
	    e->tcp_packets;
	e->tcp_ooo = f->ooo < e->tcp_packets ? f->ooo : e->tcp_packets;
	e->family = f->key.family;
	e->vlan = f->key.vlan;
	e->has_mac = f->has_mac;
	memcpy(e->mac, f->client_mac, sizeof(e->mac));
	memcpy(e->ip, flow_client_ip(f), sizeof(e->ip));
	return 1;
}

int
relevent_from_dns(const struct dns_event *d, struct rel_event *e)
{
	memset(e, 0, sizeof(*e));
	/* A response to a question asked before the capture began. */
	if (d->rcode >= 0 && d->rtt_us < 0)
		return 0;
	if (d->rcode < 0)
		e->kind = REL_EV_DNS_TIMEOUT;
	else if (d->rcode == DNS_RCODE_SERVFAIL)
		e->kind = REL_EV_DNS_SERVFAIL;
	else if (d->rcode == DNS_RCODE_REFUSED)
		e->kind = REL_EV_DNS_REFUSED;
	else
		e->kind = REL_EV_DNS_ANSWERED;
	e->ts_us = d->ts_us;
	e->rtt_ms = d->rtt_us < 0 ? -1 : d->rtt_us / 1000 > REL_RTT_MAX_MS ?
	    REL_RTT_MAX_MS : (int32_t)(d->rtt_us / 1000);
	e->hs_server_us = e->hs_client_us = -1;
	e->family = d->family == 6 ? 6 : 4;
	e->vlan = d->vlan;
	e->has_mac = d->has_mac ? 1 : 0;
	memcpy(e->mac, d->client_mac, sizeof(e->mac));
	memcpy(e->ip, d->client_ip, sizeof(e->ip));
	return 1;
}

int
relevent_from_dhcp(const struct dhcp_msg *m, int64_t ts_us, uint16_t vlan,
    struct rel_event *e)
{
	memset(e, 0, sizeof(*e));
	if (!m->has_mac)
		return 0;
	if (m->version == 4) {
		switch (m->msg_type) {
		case DHCP_DISCOVER:
			e->kind = REL_EV_DHCP_DISCOVER;
			break;
		case DHCP_OFFER:
			e->kind = REL_EV_DHCP_OFFER;
			break;
		case DHCP_REQUEST:
			e->kind = REL_EV_DHCP_REQUEST;
			break;
		case DHCP_NAK:
			e->kind = REL_EV_DHCP_NAK;
			break;
		default:
			return 0;
		}
	} else {
		switch (m->msg_type) {
		case DHCP6_SOLICIT:
			e->kind = REL_EV_DHCP_DISCOVER;
			break;
		case DHCP6_ADVERTISE:
			e->kind = REL_EV_DHCP_OFFER;
			break;
		case DHCP6_REQUEST:
			e->kind = REL_EV_DHCP_REQUEST;
			break;
		default:
			return 0;
		}
	}
	/* Before it has an address the device is placed by its VLAN. */
	e->ts_us = ts_us;
	e->rtt_ms = -1;
	e->hs_server_us = e->hs_client_us = -1;
	e->vlan = vlan & VLAN_ID_MAX;
	e->has_mac = 1;
	memcpy(e->mac, m->mac, sizeof(e->mac));
	return 1;
}
