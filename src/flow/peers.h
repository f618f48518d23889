/* SPDX-License-Identifier: ISC */
/*
 * peers.h: the endpoints of calls. When a STUN/TURN exchange names a
 * call's service (its REALM, or a signature of a call relay's protocol),
 * the client's address and port and the relayed address the TURN server
 * gave it are remembered with that name or signature, so that the media
 * flows that follow on those endpoints (ICE checks, DTLS, RTP, SRTP: no
 * name of their own) are named too, as nDPI's STUN cache does.
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

/* What a call's endpoint was learned with. */
struct peers_hit {
	const char	*name;	/* a host name, or "" */
	int		 sig;	/* a signature (dissect/sig.h), or 0 */
};

/*
 * Remembers that the UDP endpoint addr:port (family 4 or 6) takes part in
 * a call named name (or "") or recognised by signature sig (or 0), for
 * DEF_PEERS_TTL_S from now_us. A name longer than the entry holds is not
 * kept, nor an entry with neither.
 */
void		 peers_learn(struct peers *, int family, const uint8_t *addr,
		    uint16_t port, const char *name, int sig, int64_t now_us);

/*
 * Fills *hit with what was last learned for addr:port and returns 1 if
 * it is still valid at now_us, else returns 0. hit->name stays valid
 * until the next peers_learn().
 */
int		 peers_lookup(struct peers *, int family, const uint8_t *addr,
		    uint16_t port, int64_t now_us, struct peers_hit *hit);

const struct peers_stats *peers_stats(const struct peers *);

#endif
