/* SPDX-License-Identifier: ISC */
/*
 * sig_seed.h: the input format shared by fuzz_sig.c, fuzz_creds.c and the
 * unit tests that replay the same seed files (tests/fuzz/corpus/{sig,creds}):
 *
 *	sig:   | selector | up_len (16, BE) | up ... | down ... |
 *	       selector bit 0: 1 TCP, 0 UDP; bits 1..7: index into
 *	       seed_ports[] for the server port (0 if out of range)
 *	creds: | proto    | up_len (16, BE) | up ... | down ... |
 *	       proto: enum creds_proto, taken modulo CREDS_HTTP_BASIC + 1
 *
 * up_len larger than what follows is cut to it. Seed files are named
 * "<expected>--<capture>-<n>" (creds: "<proto>--<user>--<capture>-<n>").
 */
#ifndef SHADOWTAP_TESTS_SIG_SEED_H
#define SHADOWTAP_TESTS_SIG_SEED_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"

#define SEED_HDR_LEN		3
#define SEED_CLIENT_PORT	40000
#define SEED_SEL_TCP		0x01

static const uint16_t seed_ports[] = {
	0, 22, 3389, 5900, 5938, 7070, 4899, 4000, 21116, 1194, 51820, 500,
	4500, 1723, 1701, 1080, 443, 80, 6881, 4662, 21027, 853, 784, 3478,
	8080, 9001, 8801, 5353, 13680, 1234, 36037, 6771, 55655, 5222,
};

/*
 * Splits a seed into its selector byte, up and down. Returns -1 when it
 * is shorter than the header.
 */
static inline int
seed_split(const uint8_t *data, size_t size, uint8_t *sel,
    const uint8_t **up, size_t *up_len, const uint8_t **down,
    size_t *down_len)
{
	struct rd r;
	size_t n;

	rd_init(&r, data, size);
	*sel = rd_u8(&r);
	n = rd_be16(&r);
	if (!rd_ok(&r))
		return -1;
	if (n > rd_left(&r))
		n = rd_left(&r);
	*up = rd_bytes(&r, n);
	*up_len = n;
	*down_len = rd_left(&r);
	*down = rd_bytes(&r, *down_len);
	return 0;
}

/* Fills the protocol and ports of a sig_input from a selector byte. */
static inline void
seed_ports_of(uint8_t sel, uint8_t *proto, uint16_t *client, uint16_t *server)
{
	size_t i = (size_t)(sel >> 1);

	*proto = (sel & SEED_SEL_TCP) ? IPPROTO_TCP : IPPROTO_UDP;
	*client = SEED_CLIENT_PORT;
	*server = i < sizeof(seed_ports) / sizeof(seed_ports[0]) ?
	    seed_ports[i] : 0;
}

#endif
