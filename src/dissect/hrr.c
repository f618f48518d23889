/* SPDX-License-Identifier: ISC */
/*
 * dissect/hrr.c: the HelloRetryRequest helpers of hrr.h: record walking
 * and the fixed random of RFC 8446 section 4.1.3. Reads only through
 * rd.h.
 */
#include <string.h>

#include "dissect/hrr.h"
#include "base/rd.h"

#define TLS_CT_CCS		20
#define TLS_CT_HANDSHAKE	22
#define TLS_HS_SERVER_HELLO	2
#define TLS_REC_HDR		5
#define TLS_HS_HDR		4
#define HRR_MAX_RECORDS		16	/* records walked per hello */

/* SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

size_t
hrr_hello_end(const uint8_t *up, size_t ulen)
{
	struct rd r, h;
	const uint8_t *frag;
	size_t need = 0, have = 0, n, i, at;
	uint8_t type;

	rd_init(&r, up, ulen);
	for (i = 0; i < HRR_MAX_RECORDS && rd_left(&r) >= TLS_REC_HDR; i++) {
		at = rd_pos(&r);
		type = rd_u8(&r);
		rd_skip(&r, 2);
		n = rd_be16(&r);
		if (need > 0 && have >= need) {
			/* After the hello only ChangeCipherSpec is skipped. */
			if (type != TLS_CT_CCS)
				return at;
		} else if (type != TLS_CT_HANDSHAKE) {
			return 0;
		}
		if ((frag = rd_bytes(&r, n)) == NULL)
			return 0;
		if (type != TLS_CT_HANDSHAKE)
			continue;
		if (need == 0) {
			rd_init(&h, frag, n);
			rd_skip(&h, 1);
			need = TLS_HS_HDR + (size_t)rd_be24(&h);
			if (!rd_ok(&h))
				return 0;
		}
		have += n;
	}
	return need > 0 && have >= need ? rd_pos(&r) : 0;
}

int
hrr_is_retry(const uint8_t *down, size_t dlen)
{
	struct rd r;
	const uint8_t *rnd;
	uint8_t ct, hs;

	rd_init(&r, down, dlen);
	ct = rd_u8(&r);
	rd_skip(&r, 4);				/* version, length */
	hs = rd_u8(&r);
	rd_skip(&r, 3 + 2);			/* length, legacy_version */
	rnd = rd_bytes(&r, sizeof(hrr_random));
	if ((dlen >= 1 && ct != TLS_CT_HANDSHAKE) ||
	    (dlen >= TLS_REC_HDR + 1 && hs != TLS_HS_SERVER_HELLO))
		return 0;
	if (rnd == NULL)
		return -1;
	return memcmp(rnd, hrr_random, sizeof(hrr_random)) == 0;
}

size_t
hrr_handshake_end(const uint8_t *p, size_t len)
{
	struct rd r;
	size_t n;

	rd_init(&r, p, len);
	rd_skip(&r, 1);
	n = rd_be24(&r);
	if (!rd_ok(&r) || rd_bytes(&r, n) == NULL)
		return 0;
	return TLS_HS_HDR + n;
}
