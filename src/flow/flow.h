/* SPDX-License-Identifier: ISC */
/*
 * flow.h: the flow table. Both directions of a conversation are one flow;
 * the side that opened it is the client. The table has a fixed capacity
 * set at creation: it never grows, it evicts the least recently active
 * flow when full, and it expires idle flows by packet time, so reading a
 * file gives the same answer every time. Each TCP flow may hold a stream
 * slot from a fixed pool: the first bytes of each direction reassembled in
 * sequence order, for dissectors that need more than one segment. What
 * identification learns about a flow beyond its class (names, fingerprints,
 * user agent...) lives in a detail slot from another fixed pool, so that a
 * flood of flows that say nothing costs only the small struct flow.
 */
#ifndef SHADOWTAP_FLOW_H
#define SHADOWTAP_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/defaults.h"
#include "base/record.h"

struct cidr_list;
struct pkt;
struct flow_table;

#define FLOW_UP		0	/* client -> server */
#define FLOW_DOWN	1	/* server -> client */

/* Canonical key: the lower (address, port) endpoint first. */
struct flow_key {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	vlan;
	uint16_t	port_lo;
	uint16_t	port_hi;
	uint8_t		addr_lo[16];
	uint8_t		addr_hi[16];
};

enum flow_end {
	FLOW_END_IDLE = 0,	/* no packet for the idle timeout */
	FLOW_END_CLOSED,	/* FIN or RST, then the grace period */
	FLOW_END_EVICTED,	/* the table was full */
	FLOW_END_DRAIN,		/* the run ended */
};

#define FLOW_TCP_SYN_UP		0x01	/* client sent SYN */
#define FLOW_TCP_SYN_DOWN	0x02	/* server sent SYN-ACK */
#define FLOW_TCP_FIN		0x04
#define FLOW_TCP_RST		0x08

#define FLOW_DETAIL_CERT_NAMES	4
#define FLOW_DETAIL_UA_LEN	127

struct flow_detail {
	char		name[NAME_MAX_LEN + 1];	/* best server name */
	char		alpn[33];		/* first ALPN offered */
	char		ja3[33];		/* MD5 hex */
	char		ja4[40];
	char		ja4_retry[40];		/* of the ClientHello after a
						   HelloRetryRequest, or "" */
	char		user_agent[FLOW_DETAIL_UA_LEN + 1];
	char		cert_org[64];		/* certificate subject O */
	char		cert_names[FLOW_DETAIL_CERT_NAMES][NAME_MAX_LEN + 1];
	uint8_t		ncert_names;
	uint8_t		ech;		/* ClientHello carried ECH */
	uint8_t		creds_proto;	/* enum creds_proto, 0 = none */
	char		creds_user[64];	/* never a password */
	char		signature[24];	/* protocol signature name */
	uint8_t		signature_conf;	/* its confidence, 0..100 */
	uint32_t	quic_version;
};

struct flow {
	struct flow_key	 key;
	uint8_t		 client_lo;	/* the client is key's lo endpoint */
	uint8_t		 tcp;		/* FLOW_TCP_* seen */
	uint8_t		 inspecting;	/* dissectors still want payload */
	uint8_t		 inspected_pkts; /* payload packets looked at */
	uint8_t		 app;		/* enum app */
	uint8_t		 name_src;	/* enum name_src */
	uint8_t		 evidence;	/* enum flow_evidence */
	uint8_t		 confidence;	/* 0..100 */
	uint8_t		 phase;		/* the dissectors' progress */
	uint8_t		 has_mac;
	uint8_t		 client_mac[6];
	int64_t		 first_us;
	int64_t		 last_us;
	uint64_t	 bytes[2];	/* IP bytes, FLOW_UP / FLOW_DOWN */
	uint64_t	 pkts[2];
	/* Table internals, not for callers. */
	uint32_t	 bucket;
	uint32_t	 detail;
	uint32_t	 hnext;
	uint32_t	 lprev;
	uint32_t	 lnext;
	uint32_t	 stream;
	uint8_t		 list;
	/* Handshake times, FLOW_HS_UNIT_US units plus one, saturating; 0 when
	 * not seen. They sit in what was padding, so a flow is no bigger. */
	uint16_t	 hs_server;	/* SYN to SYN-ACK: the server's side */
	uint16_t	 hs_client;	/* SYN-ACK to ACK: the client's side */
	/*
	 * TCP segments sent again (starting before the next sequence number
	 * expected) and segments after a gap (starting beyond it: reordered,
	 * or lost before the sensor), both directions, saturating.
	 */
	uint16_t	 retrans;
	uint16_t	 ooo;
	uint8_t		 seq_known;	/* bit FLOW_UP/FLOW_DOWN: next_seq set */
	uint32_t	 next_seq[2];	/* next sequence number expected */
	/* What interim reports have sent to the store so far (record.h,
	 * FLOW_PIECE_*); zero when nothing was. The table zeroes them. */
	uint64_t	 rep_bytes[2];
	uint64_t	 rep_pkts[2];
};

#define FLOW_HS_UNIT_US	100	/* handshake time resolution */
/* A handshake time in microseconds, or -1 when not seen. */
#define FLOW_HS_US(v)	((v) == 0 ? -1 : ((int64_t)(v) - 1) * FLOW_HS_UNIT_US)

/* Called for every flow that ends, before its slot is reused. */
typedef void	flow_end_cb(void *arg, const struct flow *, enum flow_end);

struct flow_opts {
	size_t		 capacity;	/* flows */
	size_t		 stream_slots;	/* TCP flows reassembling at once */
	size_t		 detail_slots;	/* flows with identification details */
	int		 deterministic;	/* fixed hash key (tests) */
	int		 ignore_vlan;	/* VLAN id not part of the key */
	const struct cidr_list *local;	/* the organisation's networks, or
					   NULL: decide direction by ports */
	int64_t		 tcp_idle_us;
	int64_t		 tcp_closed_us;
	int64_t		 udp_idle_us;
	flow_end_cb	*end_cb;
	void		*end_arg;
};

struct flow_stats {
	uint64_t	created;
	uint64_t	ended;
	uint64_t	evicted;
	uint64_t	active;
	uint64_t	peak;
	uint64_t	stream_no_slot;	/* TCP flows that got no stream slot */
	uint64_t	stream_full;	/* segments beyond the buffered prefix */
	uint64_t	stream_gaps;	/* segments dropped: too many holes */
	uint64_t	detail_no_slot;	/* details lost: pool exhausted */
};

/* Fills o with the defaults from defaults.h. */
void		 flow_opts_default(struct flow_opts *o);
/* Allocates every table and pool once; aborts if memory is short. */
struct flow_table *flow_table_new(const struct flow_opts *);
void		 flow_table_free(struct flow_table *);

/*
 * Finds or creates the flow of p (a decoded TCP/UDP packet), counts the
 * packet in it, and sets *dir to FLOW_UP or FLOW_DOWN. The client of a new
 * flow is the sender of a SYN (the receiver of a SYN-ACK); else the side
 * inside the local networks when only one is; else the side not on a
 * well-known port. When the table is
 * full the least recently active flow is ended (FLOW_END_EVICTED) to make
 * room, so this never fails.
 */
struct flow	*flow_packet(struct flow_table *, const struct pkt *p, int *dir);
/*
 * flow_packet() in two steps, so the caller can do other work (the
 * duplicate check) while the bucket, which the packet stream has usually
 * pushed out of the cache, is fetched: prepare builds the key, hashes it
 * and prefetches; prepared does the rest for the same, unchanged packet.
 */
struct flow_lookup {
	struct flow_key	key;
	uint32_t	hash;
	int		src_lo;
};
void		 flow_lookup_prepare(const struct flow_table *,
		    const struct pkt *p, struct flow_lookup *);
struct flow	*flow_packet_prepared(struct flow_table *, const struct pkt *p,
		    const struct flow_lookup *, int *dir);

/*
 * Adds a TCP segment's payload to the flow's stream buffer for dir and
 * returns the contiguous bytes from the start of that direction's stream
 * in *buf and *len (0 when nothing is contiguous yet). Returns -1 when the
 * flow has no stream slot. The buffer stays valid until the next call on
 * the table.
 */
int		 flow_stream_add(struct flow_table *, struct flow *, int dir,
		    const struct pkt *p, const uint8_t **buf, size_t *len);
/*
 * The same with the data's offset in the stream given explicitly (QUIC
 * CRYPTO frames): len bytes at offset. -1 when the flow has no slot.
 */
int		 flow_stream_put(struct flow_table *, struct flow *, int dir,
		    uint64_t offset, const uint8_t *data, size_t len,
		    const uint8_t **buf, size_t *buflen);
/*
 * Gives a flow without one (UDP flows start without) a stream slot.
 * Returns 0, or -1 when the pool is exhausted (counted).
 */
int		 flow_stream_acquire(struct flow_table *, struct flow *);
/*
 * FLOW_STREAM_AUX_LEN bytes of per-flow scratch that live as long as the
 * stream slot (zeroed when it is given), for a dissector's state such as
 * QUIC keys; NULL when the flow has no slot.
 */
#define FLOW_STREAM_AUX_LEN	128
void		*flow_stream_aux(struct flow_table *, struct flow *);
/* The contiguous bytes buffered so far for dir (0 when none or no slot). */
void		 flow_stream_prefix(const struct flow_table *,
		    const struct flow *, int dir, const uint8_t **buf,
		    size_t *len);
/* 1 when dir's buffered prefix is full. */
int		 flow_stream_full(const struct flow_table *,
		    const struct flow *, int dir);
/* Gives the flow's stream slot back; the flow keeps counting bytes. */
void		 flow_stream_release(struct flow_table *, struct flow *);

/*
 * The flow's detail slot: flow_detail() returns it or NULL when it has
 * none; flow_detail_get() allocates one (zeroed) on first use and returns
 * NULL when the pool is exhausted (counted). The slot is freed when the
 * flow ends, after the end callback.
 */
const struct flow_detail *flow_detail(const struct flow_table *,
		    const struct flow *);
struct flow_detail *flow_detail_get(struct flow_table *, struct flow *);
/* The flow's best server name, or "" (a convenience over flow_detail). */
const char	*flow_name(const struct flow_table *, const struct flow *);

/* Ends every flow idle past its timeout at packet time now_us. */
void		 flow_expire(struct flow_table *, int64_t now_us);
/* Ends every flow (end of run), oldest activity first. */
void		 flow_drain(struct flow_table *);
/* Calls fn for every active flow (e.g. to remap services on reload). */
void		 flow_foreach(struct flow_table *,
		    void (*fn)(void *arg, struct flow *), void *arg);

const struct flow_stats *flow_stats(const struct flow_table *);

/* The client or server endpoint of f. */
const uint8_t	*flow_client_ip(const struct flow *);
const uint8_t	*flow_server_ip(const struct flow *);
uint16_t	 flow_client_port(const struct flow *);
uint16_t	 flow_server_port(const struct flow *);

#endif
