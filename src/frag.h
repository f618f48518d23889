/* SPDX-License-Identifier: ISC */
/*
 * frag.h: IPv4 and IPv6 fragment reassembly (RFC 791 section 3.2, RFC 8200
 * section 4.5), bounded: a fixed number of datagrams in progress, each at
 * most FRAG_MAX_DATAGRAM bytes, given up after a timeout in packet time or
 * when a newer datagram needs the slot. Overlapping fragments: the later
 * bytes win.
 */
#ifndef SHADOWTAP_FRAG_H
#define SHADOWTAP_FRAG_H

#include <stddef.h>
#include <stdint.h>

#define FRAG_MAX_DATAGRAM	65535	/* bytes of upper-layer data */

struct pkt;
struct frag_table;

struct frag_stats {
	uint64_t	fragments;	/* fragments seen */
	uint64_t	reassembled;	/* datagrams completed */
	uint64_t	timeouts;	/* datagrams given up: time or slot */
	uint64_t	too_big;	/* fragments past FRAG_MAX_DATAGRAM */
	uint64_t	too_many_holes;	/* fragments dropped: holes */
};

struct frag_table *frag_new(size_t slots, int64_t timeout_us, int deterministic);
void		 frag_free(struct frag_table *);

/*
 * Adds the fragment p (as decode_packet() returned it with
 * DECODE_FRAGMENT). Returns 1 when it completes a datagram: *data and *len
 * then hold the reassembled upper-layer bytes, valid until the next call
 * on the table. Returns 0 otherwise.
 */
int		 frag_add(struct frag_table *, const struct pkt *p,
		    const uint8_t **data, size_t *len);

/* Gives up datagrams older than the timeout at packet time now_us. */
void		 frag_expire(struct frag_table *, int64_t now_us);

const struct frag_stats *frag_stats(const struct frag_table *);

#endif
