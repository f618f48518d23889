/* SPDX-License-Identifier: ISC */
/*
 * dissect/stun.c: STUN and TURN messages (RFC 8489 5 and 14, RFC 8656,
 * RFC 3489 for classic STUN): the header, then every attribute, keeping
 * the ones that can name a server or client. Reads only through rd.h.
 */
#include <string.h>

#include "dissect/stun.h"
#include "base/rd.h"

#define STUN_TYPE_TOP		0xC000	/* must be zero (RFC 8489 5) */
#define STUN_ATTR_ALIGN		4
#define STUN_METHOD_BINDING	0x001
#define STUN_ATTR_FINGERPRINT	0x8028
#define STUN_ATTR_ALTERNATE_SERVER 0x8023
#define STUN_ATTR_ICE_CONTROLLED 0x8029
#define STUN_ATTR_ICE_CONTROLLING 0x802A
#define STUN_ATTR_RESPONSE_ORIGIN 0x802B
#define STUN_ATTR_OTHER_ADDRESS	0x802C
#define STUN_ATTR_ALT_DOMAIN	0x8003	/* RFC 8489 ALTERNATE-DOMAIN */
#define STUN_ATTR_PASSWORD_ALGS	0x8002

/* Copies n bytes as printable ASCII; stops at the first other byte. */
static void
copy_text(char *dst, size_t dstsz, const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < dstsz; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			break;
		dst[i] = (char)s[i];
	}
	dst[i] = '\0';
}

/* Whether an optional type is one of RFC 8489/8445's own. */
static int
standard_optional(uint16_t t)
{
	switch (t) {
	case STUN_ATTR_PASSWORD_ALGS:
	case STUN_ATTR_ALT_DOMAIN:
	case STUN_ATTR_SOFTWARE:
	case STUN_ATTR_ALTERNATE_SERVER:
	case STUN_ATTR_FINGERPRINT:
	case STUN_ATTR_ICE_CONTROLLED:
	case STUN_ATTR_ICE_CONTROLLING:
	case STUN_ATTR_RESPONSE_ORIGIN:
	case STUN_ATTR_OTHER_ADDRESS:
		return 1;
	}
	return 0;
}

/*
 * (XOR-)MAPPED-ADDRESS, RFC 8489 14.1 and 14.2, and XOR-RELAYED-ADDRESS,
 * RFC 8656 18.5 (the same encoding): into *family (4 or 6), *port and
 * addr (16 bytes).
 */
static void
address(const struct stun_msg *m, const uint8_t *v, size_t n, int xor,
    int *family, uint16_t *port_out, uint8_t *addr)
{
	static const uint8_t cookie[4] = { 0x21, 0x12, 0xA4, 0x42 };
	struct rd r;
	const uint8_t *a;
	uint8_t fam;
	uint16_t port;
	size_t alen, i;

	rd_init(&r, v, n);
	rd_skip(&r, 1);
	fam = rd_u8(&r);
	port = rd_be16(&r);
	alen = fam == 1 ? 4 : fam == 2 ? 16 : 0;
	if (alen == 0 || (a = rd_bytes(&r, alen)) == NULL || !rd_ok(&r))
		return;
	if (xor && m->classic)
		return;		/* no cookie to undo the XOR with */
	*family = fam == 1 ? 4 : 6;
	*port_out = xor ? port ^ 0x2112 : port;
	for (i = 0; i < alen; i++)
		addr[i] = !xor ? a[i] : i < 4 ? a[i] ^ cookie[i] :
		    a[i] ^ m->txid[i - 4];
}

static enum dis_result
attributes(struct rd *r, struct stun_msg *m)
{
	const uint8_t *v;
	uint16_t t, n;

	while (rd_left(r) > 0) {
		t = rd_be16(r);
		n = rd_be16(r);
		v = rd_bytes(r, n);
		rd_skip(r, (STUN_ATTR_ALIGN - n % STUN_ATTR_ALIGN) %
		    STUN_ATTR_ALIGN);
		if (!rd_ok(r) || v == NULL)
			return DIS_BAD;
		m->nattrs++;
		switch (t) {
		case STUN_ATTR_SOFTWARE:
			copy_text(m->software, sizeof(m->software), v, n);
			break;
		case STUN_ATTR_REALM:
			copy_text(m->realm, sizeof(m->realm), v, n);
			break;
		case STUN_ATTR_XOR_MAPPED_ADDRESS:
			address(m, v, n, 1, &m->mapped_family,
			    &m->mapped_port, m->mapped_addr);
			break;
		case STUN_ATTR_MAPPED_ADDRESS:
			if (m->mapped_family == 0)
				address(m, v, n, 0, &m->mapped_family,
				    &m->mapped_port, m->mapped_addr);
			break;
		case STUN_ATTR_XOR_RELAYED_ADDRESS:
			address(m, v, n, 1, &m->relayed_family,
			    &m->relayed_port, m->relayed_addr);
			break;
		default:
			if (t >= 0x8000 && !standard_optional(t) &&
			    m->nvendor < STUN_MAX_VENDOR)
				m->vendor[m->nvendor++] = t;
			break;
		}
	}
	return DIS_OK;
}

enum dis_result
stun_parse(const uint8_t *p, size_t len, struct stun_msg *m)
{
	struct rd r, body;
	const uint8_t *b, *id;
	uint16_t type, mlen;
	uint32_t cookie;

	memset(m, 0, sizeof(*m));
	rd_init(&r, p, len);
	type = rd_be16(&r);
	mlen = rd_be16(&r);
	cookie = rd_be32(&r);
	id = rd_bytes(&r, 12);
	if (!rd_ok(&r) || id == NULL)
		return len < STUN_HDR_LEN && len >= 1 && (p[0] & 0xC0) == 0 ?
		    DIS_MORE : DIS_NOTME;
	if ((type & STUN_TYPE_TOP) != 0 || mlen % STUN_ATTR_ALIGN != 0)
		return DIS_NOTME;
	m->type = type;
	m->method = (type & 0x000F) | ((type & 0x00E0) >> 1) |
	    ((type & 0x3E00) >> 2);
	m->cls = (uint8_t)(((type >> 4) & 1) | ((type >> 7) & 2));
	m->classic = cookie != STUN_MAGIC_COOKIE;
	if (m->classic && m->method != STUN_METHOD_BINDING)
		return DIS_NOTME;
	memcpy(m->txid, id, sizeof(m->txid));
	if ((b = rd_bytes(&r, mlen)) == NULL)
		return DIS_MORE;
	m->len = STUN_HDR_LEN + (size_t)mlen;
	rd_init(&body, b, mlen);
	if (attributes(&body, m) != DIS_OK)
		return m->classic ? DIS_NOTME : DIS_BAD;
	return DIS_OK;
}
