/* SPDX-License-Identifier: ISC */
/*
 * flow.c: a fixed-size flow table with SipHash-keyed chaining, three
 * activity-ordered lists (open TCP, closing TCP, UDP) for idle expiry by
 * packet time and for evicting the least recently active flow when full,
 * and a fixed pool of stream slots for TCP prefix reassembly. Nothing here
 * allocates after flow_table_new().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "base/cidr.h"
#include "packet/decode.h"
#include "flow/flow.h"
#include "base/siphash.h"
#include "base/util.h"

#define NONE			UINT32_MAX
#define STREAM_MAX_RANGES	8	/* holes tracked per direction */
#define PORT_EPHEMERAL_MIN	1024	/* below: a well-known service port */

enum flow_list {
	LIST_TCP = 0,
	LIST_TCP_CLOSED,
	LIST_UDP,
	LIST_MAX
};

struct range {
	uint32_t	start;
	uint32_t	end;
};

struct stream {
	uint64_t	aux[FLOW_STREAM_AUX_LEN / 8]; /* a dissector's state */
	uint32_t	base[2];	/* sequence number of stream byte 0 */
	uint8_t		based[2];
	uint8_t		nranges[2];
	struct range	ranges[2][STREAM_MAX_RANGES];
	uint8_t		buf[2][DEF_STREAM_BYTES];
};

struct flow_list_head {
	uint32_t	head;		/* least recently active */
	uint32_t	tail;		/* most recently active */
};

struct flow_table {
	struct flow_opts	 o;
	struct siphash_key	 key;
	struct flow		*flows;
	uint32_t		*buckets;
	size_t			 mask;
	uint32_t		 free_head;
	struct flow_list_head	 lists[LIST_MAX];
	struct flow_detail	*details;
	uint32_t		*detail_free;
	size_t			 ndetail_free;
	struct stream		*streams;
	uint32_t		*stream_free;
	size_t			 nstream_free;
	struct flow_stats	 st;
};

void
flow_opts_default(struct flow_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->capacity = DEF_FLOW_CAPACITY;
	o->stream_slots = DEF_STREAM_SLOTS;
	o->detail_slots = DEF_DETAIL_SLOTS;
	o->tcp_idle_us = (int64_t)DEF_FLOW_TCP_IDLE_S * 1000000;
	o->tcp_closed_us = (int64_t)DEF_FLOW_TCP_CLOSED_S * 1000000;
	o->udp_idle_us = (int64_t)DEF_FLOW_UDP_IDLE_S * 1000000;
}

struct flow_table *
flow_table_new(const struct flow_opts *o)
{
	struct flow_table *ft;
	size_t i, nb;

	ft = xcalloc(1, sizeof(*ft));
	ft->o = *o;
	if (ft->o.capacity < 1)
		ft->o.capacity = 1;
	if (ft->o.capacity >= NONE)
		ft->o.capacity = NONE - 1;
	siphash_key_init(&ft->key, o->deterministic);
	nb = util_pow2(ft->o.capacity);
	ft->mask = nb - 1;
	ft->buckets = xcalloc(nb, sizeof(*ft->buckets));
	for (i = 0; i < nb; i++)
		ft->buckets[i] = NONE;
	ft->flows = xcalloc(ft->o.capacity, sizeof(*ft->flows));
	for (i = 0; i < ft->o.capacity; i++)
		ft->flows[i].hnext = i + 1 < ft->o.capacity ? (uint32_t)i + 1 :
		    NONE;
	ft->free_head = 0;
	for (i = 0; i < LIST_MAX; i++)
		ft->lists[i].head = ft->lists[i].tail = NONE;
	if (ft->o.detail_slots >= NONE)
		ft->o.detail_slots = NONE - 1;
	if (ft->o.detail_slots > 0) {
		ft->details = xcalloc(ft->o.detail_slots,
		    sizeof(*ft->details));
		ft->detail_free = xcalloc(ft->o.detail_slots,
		    sizeof(*ft->detail_free));
		for (i = 0; i < ft->o.detail_slots; i++)
			ft->detail_free[i] =
			    (uint32_t)(ft->o.detail_slots - 1 - i);
		ft->ndetail_free = ft->o.detail_slots;
	}
	if (ft->o.stream_slots > 0) {
		ft->streams = xcalloc(ft->o.stream_slots, sizeof(*ft->streams));
		ft->stream_free = xcalloc(ft->o.stream_slots,
		    sizeof(*ft->stream_free));
		for (i = 0; i < ft->o.stream_slots; i++)
			ft->stream_free[i] = (uint32_t)(ft->o.stream_slots - 1 - i);
		ft->nstream_free = ft->o.stream_slots;
	}
	return ft;
}

void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	free(ft->flows);
	free(ft->buckets);
	free(ft->streams);
	free(ft->stream_free);
	free(ft->details);
	free(ft->detail_free);
	free(ft);
}

static size_t
addr_len(uint8_t family)
{
	return family == 6 ? 16 : 4;
}

/*
 * The key's hash over the bytes that matter: an IPv4 key hashes 16 bytes,
 * not the 40 the struct holds.
 */
static uint32_t
key_hash(const struct flow_table *ft, const struct flow_key *k)
{
	uint8_t b[8 + 32];
	size_t alen = addr_len(k->family);

	b[0] = k->family;
	b[1] = k->proto;
	memcpy(b + 2, &k->vlan, 2);
	memcpy(b + 4, &k->port_lo, 2);
	memcpy(b + 6, &k->port_hi, 2);
	memcpy(b + 8, k->addr_lo, alen);
	memcpy(b + 8 + alen, k->addr_hi, alen);
	return (uint32_t)(siphash13(&ft->key, b, 8 + 2 * alen) & ft->mask);
}

/* Builds the canonical key; returns 1 when p's source is the lo side. */
static int
make_key(const struct flow_table *ft, const struct pkt *p,
    struct flow_key *k)
{
	int c;

	memset(k, 0, sizeof(*k));
	k->family = p->family;
	k->proto = p->proto;
	k->vlan = ft->o.ignore_vlan ? 0 : p->vlan;
	c = memcmp(p->src, p->dst, addr_len(p->family));
	if (c < 0 || (c == 0 && p->sport <= p->dport)) {
		memcpy(k->addr_lo, p->src, addr_len(p->family));
		memcpy(k->addr_hi, p->dst, addr_len(p->family));
		k->port_lo = p->sport;
		k->port_hi = p->dport;
		return 1;
	}
	memcpy(k->addr_lo, p->dst, addr_len(p->family));
	memcpy(k->addr_hi, p->src, addr_len(p->family));
	k->port_lo = p->dport;
	k->port_hi = p->sport;
	return 0;
}

static void
list_unlink(struct flow_table *ft, uint32_t i)
{
	struct flow *f = &ft->flows[i];
	struct flow_list_head *l = &ft->lists[f->list];

	if (f->lprev != NONE)
		ft->flows[f->lprev].lnext = f->lnext;
	else
		l->head = f->lnext;
	if (f->lnext != NONE)
		ft->flows[f->lnext].lprev = f->lprev;
	else
		l->tail = f->lprev;
	f->lprev = f->lnext = NONE;
}

static void
list_append(struct flow_table *ft, uint32_t i, uint8_t list)
{
	struct flow *f = &ft->flows[i];
	struct flow_list_head *l = &ft->lists[list];

	f->list = list;
	f->lnext = NONE;
	f->lprev = l->tail;
	if (l->tail != NONE)
		ft->flows[l->tail].lnext = i;
	else
		l->head = i;
	l->tail = i;
}

void
flow_stream_release(struct flow_table *ft, struct flow *f)
{
	if (f->stream == NONE)
		return;
	ft->stream_free[ft->nstream_free++] = f->stream;
	f->stream = NONE;
}

static void
flow_end(struct flow_table *ft, uint32_t i, enum flow_end why)
{
	struct flow *f = &ft->flows[i];
	uint32_t *pp;

	for (pp = &ft->buckets[f->bucket]; *pp != NONE; pp = &ft->flows[*pp].hnext) {
		if (*pp == i) {
			*pp = f->hnext;
			break;
		}
	}
	list_unlink(ft, i);
	flow_stream_release(ft, f);
	ft->st.ended++;
	ft->st.active--;
	if (why == FLOW_END_EVICTED)
		ft->st.evicted++;
	if (ft->o.end_cb != NULL)
		ft->o.end_cb(ft->o.end_arg, f, why);
	if (f->detail != NONE) {
		ft->detail_free[ft->ndetail_free++] = f->detail;
		f->detail = NONE;
	}
	f->hnext = ft->free_head;
	ft->free_head = i;
}

/* The list whose head was least recently active, or NONE. */
static uint32_t
oldest(const struct flow_table *ft)
{
	uint32_t best = NONE, h;
	int l;

	for (l = 0; l < LIST_MAX; l++) {
		h = ft->lists[l].head;
		if (h != NONE && (best == NONE ||
		    ft->flows[h].last_us < ft->flows[best].last_us))
			best = h;
	}
	return best;
}

static int
port_is_service(uint16_t port)
{
	return port != 0 && port < PORT_EPHEMERAL_MIN;
}

/* Decides which side opened the conversation from its first packet. */
static int
client_is_src(const struct flow_table *ft, const struct pkt *p)
{
	int sl, dl;

	if (p->proto == IPPROTO_TCP && (p->tcp_flags & PKT_TCP_SYN))
		return !(p->tcp_flags & PKT_TCP_ACK);
	if (ft->o.local != NULL) {
		sl = cidr_list_contains(ft->o.local, p->family, p->src);
		dl = cidr_list_contains(ft->o.local, p->family, p->dst);
		if (sl != dl)
			return sl;
	}
	if (port_is_service(p->sport) && !port_is_service(p->dport))
		return 0;
	if (port_is_service(p->sport) && port_is_service(p->dport))
		return p->sport > p->dport;
	return 1;
}

/* A handshake interval for struct flow's hs_* fields (see flow.h). */
static uint16_t
hs_units(int64_t us)
{
	int64_t u = us < 0 ? 0 : (us + FLOW_HS_UNIT_US / 2) / FLOW_HS_UNIT_US;

	return (uint16_t)(u >= UINT16_MAX - 1 ? UINT16_MAX : u + 1);
}

void
flow_lookup_prepare(const struct flow_table *ft, const struct pkt *p,
    struct flow_lookup *lk)
{
	lk->src_lo = make_key(ft, p, &lk->key);
	lk->hash = key_hash(ft, &lk->key);
	__builtin_prefetch(&ft->buckets[lk->hash]);
}

/*
 * Follows one direction's sequence numbers: a segment that starts before
 * the next number expected is sent again (a retransmission, or a repeat
 * only partly new); one that starts beyond it came after a gap. SYN and
 * FIN take one number each; empty ACKs and resets are left alone.
 */
static void
seq_track(struct flow *f, int dir, const struct pkt *p)
{
	uint32_t len = p->seg_len + !!(p->tcp_flags & PKT_TCP_SYN) +
	    !!(p->tcp_flags & PKT_TCP_FIN), end = p->seq + len;
	int32_t d;

	if (len == 0 || (p->tcp_flags & PKT_TCP_RST))
		return;
	if (!(f->seq_known & (1u << dir))) {
		f->seq_known |= (uint8_t)(1u << dir);
		f->next_seq[dir] = end;
		return;
	}
	d = (int32_t)(p->seq - f->next_seq[dir]);
	if (d < 0) {
		if (f->retrans < UINT16_MAX)
			f->retrans++;
		if ((int32_t)(end - f->next_seq[dir]) > 0)
			f->next_seq[dir] = end;
		return;
	}
	if (d > 0 && f->ooo < UINT16_MAX)
		f->ooo++;
	f->next_seq[dir] = end;
}

struct flow *
flow_packet(struct flow_table *ft, const struct pkt *p, int *dir)
{
	struct flow_lookup lk;

	flow_lookup_prepare(ft, p, &lk);
	return flow_packet_prepared(ft, p, &lk, dir);
}

struct flow *
flow_packet_prepared(struct flow_table *ft, const struct pkt *p,
    const struct flow_lookup *lk, int *dir)
{
	const struct flow_key k = lk->key;
	struct flow *f = NULL;
	uint32_t i, h = lk->hash;
	int src_lo = lk->src_lo;

	for (i = ft->buckets[h]; i != NONE; i = ft->flows[i].hnext) {
		if (memcmp(&ft->flows[i].key, &k, sizeof(k)) == 0) {
			f = &ft->flows[i];
			break;
		}
	}
	if (f == NULL) {
		if (ft->free_head == NONE)
			flow_end(ft, oldest(ft), FLOW_END_EVICTED);
		i = ft->free_head;
		f = &ft->flows[i];
		ft->free_head = f->hnext;
		memset(f, 0, sizeof(*f));
		f->key = k;
		f->client_lo = client_is_src(ft, p) ? (uint8_t)src_lo :
		    (uint8_t)!src_lo;
		f->first_us = f->last_us = p->ts_us;
		f->inspecting = 1;
		f->stream = NONE;
		f->detail = NONE;
		f->lprev = f->lnext = NONE;
		if (p->proto == IPPROTO_TCP)
			(void)flow_stream_acquire(ft, f);
		f->bucket = h;
		f->hnext = ft->buckets[h];
		ft->buckets[h] = i;
		list_append(ft, i, p->proto == IPPROTO_TCP ? LIST_TCP :
		    LIST_UDP);
		ft->st.created++;
		if (++ft->st.active > ft->st.peak)
			ft->st.peak = ft->st.active;
	} else {
		list_unlink(ft, i);
		list_append(ft, i, f->list);
	}
	*dir = (src_lo == f->client_lo) ? FLOW_UP : FLOW_DOWN;
	f->bytes[*dir] += p->ip_len;
	f->pkts[*dir]++;
	if (p->ts_us > f->last_us)
		f->last_us = p->ts_us;
	if (*dir == FLOW_UP && p->has_mac) {
		memcpy(f->client_mac, p->src_mac, 6);
		f->has_mac = 1;
	}
	if (p->proto == IPPROTO_TCP) {
		if ((p->tcp_flags & (PKT_TCP_SYN | PKT_TCP_ACK)) ==
		    (PKT_TCP_SYN | PKT_TCP_ACK) && *dir == FLOW_DOWN &&
		    f->tcp == FLOW_TCP_SYN_UP)
			f->hs_server = hs_units(p->ts_us - f->first_us);
		else if (*dir == FLOW_UP && f->hs_server != 0 &&
		    f->hs_client == 0 && p->tcp_flags == PKT_TCP_ACK)
			f->hs_client = hs_units(p->ts_us - f->first_us -
			    FLOW_HS_US(f->hs_server));
		seq_track(f, *dir, p);
		if (p->tcp_flags & PKT_TCP_SYN)
			f->tcp |= *dir == FLOW_UP ? FLOW_TCP_SYN_UP :
			    FLOW_TCP_SYN_DOWN;
		if (p->tcp_flags & (PKT_TCP_FIN | PKT_TCP_RST)) {
			f->tcp |= p->tcp_flags & PKT_TCP_RST ? FLOW_TCP_RST :
			    FLOW_TCP_FIN;
			if (f->list != LIST_TCP_CLOSED) {
				list_unlink(ft, i);
				list_append(ft, i, LIST_TCP_CLOSED);
			}
		}
	}
	return f;
}

/* Records [s, e) in the sorted, disjoint range list; -1 if no room. */
static int
range_add(struct range *r, uint8_t *n, uint32_t s, uint32_t e)
{
	struct range tmp[STREAM_MAX_RANGES + 1];
	size_t i, j = 0, k = 0;
	int placed = 0;

	for (i = 0; i < *n; i++) {
		if (!placed && s < r[i].start) {
			tmp[k++] = (struct range){ s, e };
			placed = 1;
		}
		tmp[k++] = r[i];
	}
	if (!placed)
		tmp[k++] = (struct range){ s, e };
	for (i = 0; i < k; i++) {
		if (j > 0 && tmp[i].start <= r[j - 1].end) {
			if (tmp[i].end > r[j - 1].end)
				r[j - 1].end = tmp[i].end;
			continue;
		}
		if (j == STREAM_MAX_RANGES)
			return -1;
		r[j++] = tmp[i];
	}
	*n = (uint8_t)j;
	return 0;
}

int
flow_stream_acquire(struct flow_table *ft, struct flow *f)
{
	if (f->stream != NONE)
		return 0;
	if (ft->nstream_free == 0) {
		ft->st.stream_no_slot++;
		return -1;
	}
	f->stream = ft->stream_free[--ft->nstream_free];
	memset(&ft->streams[f->stream], 0, offsetof(struct stream, buf));
	return 0;
}

void *
flow_stream_aux(struct flow_table *ft, struct flow *f)
{
	return f->stream != NONE ? ft->streams[f->stream].aux : NULL;
}

/* Stores data at off in dir's buffer, as far as it fits. */
static void
stream_store(struct flow_table *ft, struct stream *s, int dir, uint64_t off,
    const uint8_t *data, size_t len)
{
	size_t n = len;

	if (len == 0)
		return;
	if (off >= DEF_STREAM_BYTES) {
		ft->st.stream_full++;
		return;
	}
	if (off + n > DEF_STREAM_BYTES) {
		n = DEF_STREAM_BYTES - (size_t)off;
		ft->st.stream_full++;
	}
	if (range_add(s->ranges[dir], &s->nranges[dir], (uint32_t)off,
	    (uint32_t)(off + n)) == -1) {
		ft->st.stream_gaps++;
		return;
	}
	memcpy(s->buf[dir] + off, data, n);
}

static void
stream_prefix(const struct stream *s, int dir, const uint8_t **buf,
    size_t *len)
{
	if (s->nranges[dir] > 0 && s->ranges[dir][0].start == 0) {
		*buf = s->buf[dir];
		*len = s->ranges[dir][0].end;
	}
}

int
flow_stream_add(struct flow_table *ft, struct flow *f, int dir,
    const struct pkt *p, const uint8_t **buf, size_t *len)
{
	struct stream *s;
	uint32_t seq = p->seq;
	const uint8_t *data = p->payload;
	size_t plen = p->payload_len;
	int64_t off;

	*buf = NULL;
	*len = 0;
	if (f->stream == NONE)
		return -1;
	s = &ft->streams[f->stream];
	if (p->tcp_flags & PKT_TCP_SYN) {
		seq++;
		s->base[dir] = seq;
		s->based[dir] = 1;
	}
	if (plen > 0) {
		if (!s->based[dir]) {
			s->base[dir] = seq;
			s->based[dir] = 1;
		}
		off = (int32_t)(seq - s->base[dir]);
		if (off < 0 && (uint64_t)-off < plen) {
			data += -off;
			plen -= (size_t)-off;
			off = 0;
		}
		if (off >= 0)
			stream_store(ft, s, dir, (uint64_t)off, data, plen);
	}
	stream_prefix(s, dir, buf, len);
	return 0;
}

void
flow_stream_prefix(const struct flow_table *ft, const struct flow *f,
    int dir, const uint8_t **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (f->stream != NONE)
		stream_prefix(&ft->streams[f->stream], dir, buf, len);
}

int
flow_stream_put(struct flow_table *ft, struct flow *f, int dir,
    uint64_t offset, const uint8_t *data, size_t len, const uint8_t **buf,
    size_t *buflen)
{
	struct stream *s;

	*buf = NULL;
	*buflen = 0;
	if (f->stream == NONE)
		return -1;
	s = &ft->streams[f->stream];
	stream_store(ft, s, dir, offset, data, len);
	stream_prefix(s, dir, buf, buflen);
	return 0;
}

int
flow_stream_full(const struct flow_table *ft, const struct flow *f, int dir)
{
	const struct stream *s;

	if (f->stream == NONE)
		return 1;
	s = &ft->streams[f->stream];
	return s->nranges[dir] > 0 && s->ranges[dir][0].start == 0 &&
	    s->ranges[dir][0].end >= DEF_STREAM_BYTES;
}

void
flow_expire(struct flow_table *ft, int64_t now_us)
{
	int64_t timeout[LIST_MAX] = { ft->o.tcp_idle_us, ft->o.tcp_closed_us,
	    ft->o.udp_idle_us };
	uint32_t i;
	int l;

	for (l = 0; l < LIST_MAX; l++) {
		while ((i = ft->lists[l].head) != NONE &&
		    ft->flows[i].last_us + timeout[l] < now_us)
			flow_end(ft, i, l == LIST_TCP_CLOSED ?
			    FLOW_END_CLOSED : FLOW_END_IDLE);
	}
}

void
flow_drain(struct flow_table *ft)
{
	uint32_t i;

	while ((i = oldest(ft)) != NONE)
		flow_end(ft, i, FLOW_END_DRAIN);
}

const struct flow_detail *
flow_detail(const struct flow_table *ft, const struct flow *f)
{
	return f->detail != NONE ? &ft->details[f->detail] : NULL;
}

struct flow_detail *
flow_detail_get(struct flow_table *ft, struct flow *f)
{
	if (f->detail != NONE)
		return &ft->details[f->detail];
	if (ft->ndetail_free == 0) {
		ft->st.detail_no_slot++;
		return NULL;
	}
	f->detail = ft->detail_free[--ft->ndetail_free];
	memset(&ft->details[f->detail], 0, sizeof(struct flow_detail));
	return &ft->details[f->detail];
}

const char *
flow_name(const struct flow_table *ft, const struct flow *f)
{
	return f->detail != NONE ? ft->details[f->detail].name : "";
}

void
flow_foreach(struct flow_table *ft, void (*fn)(void *, struct flow *),
    void *arg)
{
	uint32_t i;
	int l;

	for (l = 0; l < LIST_MAX; l++)
		for (i = ft->lists[l].head; i != NONE; i = ft->flows[i].lnext)
			fn(arg, &ft->flows[i]);
}

const struct flow_stats *
flow_stats(const struct flow_table *ft)
{
	return &ft->st;
}

const uint8_t *
flow_client_ip(const struct flow *f)
{
	return f->client_lo ? f->key.addr_lo : f->key.addr_hi;
}

const uint8_t *
flow_server_ip(const struct flow *f)
{
	return f->client_lo ? f->key.addr_hi : f->key.addr_lo;
}

uint16_t
flow_client_port(const struct flow *f)
{
	return f->client_lo ? f->key.port_lo : f->key.port_hi;
}

uint16_t
flow_server_port(const struct flow *f)
{
	return f->client_lo ? f->key.port_hi : f->key.port_lo;
}
