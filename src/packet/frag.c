/* SPDX-License-Identifier: ISC */
/*
 * frag.c: the reassembly slots. A datagram is keyed by (family, protocol,
 * source, destination, identification, VLAN) and hashed into a fixed
 * array; a colliding newer datagram replaces an older one. Received byte
 * ranges are kept as a short sorted list, so duplicates and overlaps cost
 * nothing extra and a datagram is complete when one range covers it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "packet/decode.h"
#include "packet/frag.h"
#include "base/siphash.h"
#include "base/util.h"

#define FRAG_MAX_RANGES	16	/* holes tracked per datagram */

struct frag_key {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	vlan;
	uint32_t	id;
	uint8_t		src[16];
	uint8_t		dst[16];
};

struct frag_range {
	uint32_t	start;
	uint32_t	end;
};

struct frag_slot {
	int		 used;
	struct frag_key	 key;
	int64_t		 first_us;
	uint32_t	 total;		/* known once the last fragment came */
	uint8_t		 nranges;
	struct frag_range ranges[FRAG_MAX_RANGES];
	uint8_t		*buf;		/* FRAG_MAX_DATAGRAM bytes */
};

struct frag_table {
	struct frag_slot	*slots;
	uint8_t			*bufs;
	size_t			 nslots;
	int64_t			 timeout_us;
	struct siphash_key	 hkey;
	frag_partial_cb		*cb;
	void			*arg;
	struct frag_stats	 st;
};

struct frag_table *
frag_new(size_t slots, int64_t timeout_us, int deterministic,
    frag_partial_cb *cb, void *arg)
{
	struct frag_table *ft = xcalloc(1, sizeof(*ft));
	size_t i;

	ft->nslots = slots > 0 ? slots : 1;
	ft->slots = xcalloc(ft->nslots, sizeof(*ft->slots));
	ft->bufs = xcalloc(ft->nslots, FRAG_MAX_DATAGRAM);
	for (i = 0; i < ft->nslots; i++)
		ft->slots[i].buf = ft->bufs + i * FRAG_MAX_DATAGRAM;
	ft->timeout_us = timeout_us;
	ft->cb = cb;
	ft->arg = arg;
	siphash_key_init(&ft->hkey, deterministic);
	return ft;
}

void
frag_free(struct frag_table *ft)
{
	if (ft == NULL)
		return;
	free(ft->bufs);
	free(ft->slots);
	free(ft);
}

static void	give_up(struct frag_table *, struct frag_slot *);

/* Inserts [s, e) into the sorted, merged list; -1 when out of room. */
static int
range_insert(struct frag_slot *fs, uint32_t s, uint32_t e)
{
	struct frag_range r[FRAG_MAX_RANGES + 1];
	size_t i, n = 0, k = 0;
	int placed = 0;

	for (i = 0; i < fs->nranges; i++) {
		if (!placed && s < fs->ranges[i].start) {
			r[n++] = (struct frag_range){ s, e };
			placed = 1;
		}
		r[n++] = fs->ranges[i];
	}
	if (!placed)
		r[n++] = (struct frag_range){ s, e };
	for (i = 0; i < n; i++) {
		if (k > 0 && r[i].start <= fs->ranges[k - 1].end) {
			if (r[i].end > fs->ranges[k - 1].end)
				fs->ranges[k - 1].end = r[i].end;
			continue;
		}
		if (k == FRAG_MAX_RANGES)
			return -1;
		fs->ranges[k++] = r[i];
	}
	fs->nranges = (uint8_t)k;
	return 0;
}

int
frag_add(struct frag_table *ft, const struct pkt *p, const uint8_t **data,
    size_t *len)
{
	struct frag_key k;
	struct frag_slot *fs;
	uint64_t end;

	ft->st.fragments++;
	memset(&k, 0, sizeof(k));
	k.family = p->family;
	k.proto = p->proto;
	k.vlan = p->vlan;
	k.id = p->frag_id;
	memcpy(k.src, p->src, sizeof(k.src));
	memcpy(k.dst, p->dst, sizeof(k.dst));
	fs = &ft->slots[siphash13(&ft->hkey, &k, sizeof(k)) % ft->nslots];
	if (fs->used && memcmp(&fs->key, &k, sizeof(k)) != 0)
		give_up(ft, fs);
	if (!fs->used) {
		fs->used = 1;
		fs->key = k;
		fs->first_us = p->ts_us;
		fs->total = 0;
		fs->nranges = 0;
	}
	end = (uint64_t)p->frag_off + p->payload_len;
	if (end > FRAG_MAX_DATAGRAM) {
		ft->st.too_big++;
		fs->used = 0;
		return 0;
	}
	if (!p->frag_more)
		fs->total = (uint32_t)end;
	if (p->payload_len > 0) {
		if (range_insert(fs, p->frag_off, (uint32_t)end) == -1) {
			ft->st.too_many_holes++;
			fs->used = 0;
			return 0;
		}
		memcpy(fs->buf + p->frag_off, p->payload, p->payload_len);
	}
	if (fs->total > 0 && fs->nranges == 1 && fs->ranges[0].start == 0 &&
	    fs->ranges[0].end >= fs->total) {
		fs->used = 0;
		ft->st.reassembled++;
		*data = fs->buf;
		*len = fs->total;
		return 1;
	}
	return 0;
}

static void
give_up(struct frag_table *ft, struct frag_slot *fs)
{
	struct frag_partial fp;

	fs->used = 0;
	ft->st.timeouts++;
	if (ft->cb == NULL || fs->nranges == 0 || fs->ranges[0].start != 0)
		return;
	memset(&fp, 0, sizeof(fp));
	fp.family = fs->key.family;
	fp.proto = fs->key.proto;
	fp.vlan = fs->key.vlan;
	memcpy(fp.src, fs->key.src, sizeof(fp.src));
	memcpy(fp.dst, fs->key.dst, sizeof(fp.dst));
	fp.ts_us = fs->first_us;
	fp.data = fs->buf;
	fp.len = fs->ranges[0].end;
	ft->st.partial++;
	ft->cb(ft->arg, &fp);
}

void
frag_expire(struct frag_table *ft, int64_t now_us)
{
	size_t i;

	for (i = 0; i < ft->nslots; i++)
		if (ft->slots[i].used &&
		    ft->slots[i].first_us + ft->timeout_us < now_us)
			give_up(ft, &ft->slots[i]);
}

void
frag_drain(struct frag_table *ft)
{
	size_t i;

	for (i = 0; i < ft->nslots; i++)
		if (ft->slots[i].used)
			give_up(ft, &ft->slots[i]);
}

const struct frag_stats *
frag_stats(const struct frag_table *ft)
{
	return &ft->st;
}
