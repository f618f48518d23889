/* SPDX-License-Identifier: ISC */
/*
 * dedup.h: drops the second copy of a packet that a SPAN port delivers
 * twice (two mirrored ports on one path). A packet is a copy when the
 * same fingerprint (addresses, IP id and length, and the first bytes of
 * the transport header and payload; not the VLAN tag or TTL, which the
 * two copies may not share) was seen within a short window of packet time.
 */
#ifndef SHADOWTAP_DEDUP_H
#define SHADOWTAP_DEDUP_H

#include <stddef.h>
#include <stdint.h>

struct pkt;
struct dedup;

struct dedup	*dedup_new(size_t slots, int64_t window_us, int deterministic);
void		 dedup_free(struct dedup *);
/* Returns 1 when p is a copy of a recent packet (drop it), else 0. */
int		 dedup_check(struct dedup *, const struct pkt *p);
/*
 * dedup_check() in two steps: dedup_hash() fingerprints p and prefetches
 * its slot; dedup_seen() then answers as dedup_check() would and records
 * the packet. Work done in between hides the cache miss.
 */
uint64_t	 dedup_hash(const struct dedup *, const struct pkt *p);
int		 dedup_seen(struct dedup *, uint64_t hash, int64_t ts_us);

#endif
