/* SPDX-License-Identifier: ISC */
/*
 * peers.h: the endpoints of calls. When a STUN/TURN exchange names a
 * call's service (its REALM), the client's address and port and the
 * relayed address the TURN server gave it are remembered with that name,
 * so that the media flows that follow on those endpoints (DTLS, RTP,
 * SRTP: no name of their own) are named too, as nDPI's STUN cache does.
 * Fixed size, one entry per hash bucket, entries expire by packet time.
 */
#ifndef SHADOWTAP_PEERS_H
#define SHADOWTAP_PEERS_H

#include <stddef.h>
#include <stdint.h>

struct peers;

struct peers_stats {
	uint64_t	learned;
	uint64_t	replaced;	/* a live entry lost its bucket */
	uint64_t	hits;
};

struct peers	*peers_new(size_t slots, int deterministic);
void		 peers_free(struct peers *);

/*
 * Remembers that the UDP endpoint addr:port (family 4 or 6) takes part in
 * a call named name, for DEF_PEERS_TTL_S from now_us. A name longer than
 * the entry holds is not kept.
 */
void		 peers_learn(struct peers *, int family, const uint8_t *addr,
		    uint16_t port, const char *name, int64_t now_us);

/* The name last learned for addr:port if still valid at now_us, else NULL. */
const char	*peers_lookup(struct peers *, int family, const uint8_t *addr,
		    uint16_t port, int64_t now_us);

const struct peers_stats *peers_stats(const struct peers *);

#endif
