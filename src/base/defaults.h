/* SPDX-License-Identifier: ISC */
/*
 * defaults.h: every tunable limit and default in one place (the p0f
 * config.h idea). Tables are sized from these at start-up and never grow.
 */
#ifndef SHADOWTAP_DEFAULTS_H
#define SHADOWTAP_DEFAULTS_H

#define DEF_SNAPLEN		65535	/* bytes captured per packet */
#define DEF_PCAP_BUFFER_MB	32	/* kernel capture buffer (-B) */
#define DEF_FLOW_CAPACITY	(1u << 18) /* concurrent flows tracked */
#define DEF_FLOW_TCP_IDLE_S	300	/* TCP flow idle timeout */
#define DEF_FLOW_TCP_CLOSED_S	10	/* grace after FIN/RST */
#define DEF_FLOW_UDP_IDLE_S	60	/* UDP flow idle timeout */
#define DEF_FLOW_EXPIRE_EVERY_S	1	/* how often (packet time) to sweep */
#define DEF_STREAM_SLOTS	8192	/* flows inspecting payload at once */
#define DEF_STREAM_BYTES	8192	/* reassembled prefix per direction */
#define DEF_DETAIL_SLOTS	(1u << 16) /* flows with names/fingerprints */
#define DEF_INSPECT_PKTS	24	/* packets per flow before giving up */
#define DEF_DNS_PENDING		4096	/* DNS queries awaiting a response */
#define DEF_DNS_TIMEOUT_S	5	/* a query unanswered this long timed out */
#define DEF_SYN_TIMEOUT_S	5	/* a SYN unanswered this long failed */
#define DEF_FRAG_SLOTS		64	/* IP datagrams reassembling at once */
#define DEF_FRAG_TIMEOUT_S	30	/* give up on a datagram after this */
#define DEF_DEDUP_SLOTS		8192	/* recent packet fingerprints kept */
#define DEF_DEDUP_WINDOW_US	1000	/* copies arrive within this time */
#define DEF_NAMES_SLOTS		(1u << 16) /* passive DNS cache entries */
#define DEF_NAMES_MIN_TTL_S	300	/* keep answers at least this long */
#define DEF_NAMES_MAX_TTL_S	3600	/* and at most this long */
#define DEF_PEERS_SLOTS		(1u << 12) /* call endpoints named by STUN */
#define DEF_PEERS_TTL_S		600	/* kept this long after the last sign */
#define DEF_HEALTH_INTERVAL_S	300	/* capture health rows (packet time) */
#define DEF_AGG_CAPACITY	(1u << 16) /* device x service x window rows */
#define DEF_AGG_WINDOW_S	3600	/* aggregation window (one hour) */
#define DEF_REL_CAPACITY	(1u << 16) /* interval x segment x device
					      health rows between commits */
#define DEF_FLUSH_EVERY_S	2	/* store commit interval; open flows
					   report their bytes this often */
#define NAME_MAX_LEN		253	/* DNS name, text form, no trailing dot */
#define SERVICE_ID_MAX		63	/* catalog service id */
#define CATEGORY_MAX		47	/* catalog category id */
#define INSTANCE_MAX		63	/* a service's instance: one label */

#endif
