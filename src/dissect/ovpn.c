/* SPDX-License-Identifier: ISC */
/*
 * ovpn.c: TLS bytes out of an OpenVPN control channel (see ovpn.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "dissect/ovpn.h"
#include "base/rd.h"

#define OP_SHIFT	3
#define OP_CONTROL_V1	4
#define SID_LEN		8
#define AUTH_TAIL	8	/* tls-auth: packet id and net time */
#define ACKS_MAX	8	/* RELIABLE_ACK_SIZE */
#define TLS_HANDSHAKE	0x16
#define TLS_MAJOR	0x03

/* tls-auth HMAC sizes (MD5, SHA1, SHA256, SHA384, SHA512), none first. */
static const size_t hmac_sizes[] = { 0, 16, 20, 32, 48, 64 };

void
ovpn_ctl_init(struct ovpn_ctl *c)
{
	memset(c, 0, sizeof(*c));
	c->auth = OVPN_HMAC_UNKNOWN;
}

/*
 * Reads a P_CONTROL_V1 header with auth bytes of tls-auth material;
 * returns 0 with the message id and payload, or -1.
 */
static int
control(const uint8_t *pkt, size_t len, size_t auth, uint32_t *id,
    const uint8_t **payload, size_t *plen)
{
	struct rd r;
	uint8_t op, nacks;

	rd_init(&r, pkt, len);
	op = rd_u8(&r);
	if (!rd_ok(&r) || op >> OP_SHIFT != OP_CONTROL_V1)
		return -1;
	rd_skip(&r, SID_LEN + auth);
	nacks = rd_u8(&r);
	if (!rd_ok(&r) || nacks > ACKS_MAX)
		return -1;
	rd_skip(&r, (size_t)nacks * 4 + (nacks > 0 ? SID_LEN : 0));
	*id = rd_be32(&r);
	if (!rd_ok(&r))
		return -1;
	*plen = rd_left(&r);
	*payload = rd_bytes(&r, *plen);
	return *payload != NULL || *plen == 0 ? 0 : -1;
}

int
ovpn_ctl_next(struct ovpn_ctl *c, const uint8_t *pkt, size_t len,
    const uint8_t **tls, size_t *tlslen)
{
	const uint8_t *pl;
	uint32_t id;
	size_t i, n, auth;

	if (len == 0 || pkt[0] >> OP_SHIFT != OP_CONTROL_V1)
		return 0;
	if (c->auth == OVPN_HMAC_UNKNOWN) {
		for (i = 0; i < sizeof(hmac_sizes) / sizeof(hmac_sizes[0]);
		    i++) {
			auth = hmac_sizes[i] ? hmac_sizes[i] + AUTH_TAIL : 0;
			if (control(pkt, len, auth, &id, &pl, &n) == 0 &&
			    n >= 3 && pl[0] == TLS_HANDSHAKE &&
			    pl[1] == TLS_MAJOR) {
				c->auth = auth;
				break;
			}
		}
		if (c->auth == OVPN_HMAC_UNKNOWN)
			return 0;
	}
	if (control(pkt, len, c->auth, &id, &pl, &n) == -1 || n == 0)
		return 0;
	if (!c->started) {
		if (pl[0] != TLS_HANDSHAKE || n < 3 || pl[1] != TLS_MAJOR)
			return 0;
		c->started = 1;
	} else if (id != c->next)
		return 0;		/* a repeat, or one out of order */
	c->next = id + 1;
	*tls = pl;
	*tlslen = n;
	return 1;
}

size_t
ovpn_tcp_tls(const uint8_t *s, size_t len, uint8_t *out, size_t outsz)
{
	struct ovpn_ctl c;
	struct rd r;
	const uint8_t *pkt, *tls;
	size_t got = 0, n;
	uint16_t plen;

	ovpn_ctl_init(&c);
	rd_init(&r, s, len);
	for (;;) {
		plen = rd_be16(&r);
		if ((pkt = rd_bytes(&r, plen)) == NULL || plen == 0)
			break;
		if (!ovpn_ctl_next(&c, pkt, plen, &tls, &n))
			continue;
		if (n > outsz - got)
			n = outsz - got;
		memcpy(out + got, tls, n);
		got += n;
		if (got == outsz)
			break;
	}
	return got;
}
