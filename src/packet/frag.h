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
	uint64_t	partial;	/* given up, first part still read */
};

/*
 * A datagram given up with its first fragment present: the bytes from
 * offset 0 up to the first hole, so that a caller can still read the
 * transport header and the start of the payload (a DNS answer whose last
 * fragment was lost still carries its question).
 */
struct frag_partial {
	uint8_t		 family;
	uint8_t		 proto;
	uint16_t	 vlan;
	uint8_t		 src[16];
	uint8_t		 dst[16];
	int64_t		 ts_us;		/* the first fragment's time */
	const uint8_t	*data;
	size_t		 len;
};

typedef void	frag_partial_cb(void *arg, const struct frag_partial *);

/*
 * A table of slots datagrams in progress. A datagram given up (timeout,
 * its slot needed by another, end of run) with its first fragment present
 * goes to cb (may be NULL) before its slot is reused.
 */
struct frag_table *frag_new(size_t slots, int64_t timeout_us, int deterministic,
		    frag_partial_cb *cb, void *arg);
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
/* Gives up every datagram in progress (end of run). */
void		 frag_drain(struct frag_table *);

const struct frag_stats *frag_stats(const struct frag_table *);

#endif
