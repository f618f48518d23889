/* SPDX-License-Identifier: ISC */
/*
 * dissect/devname.c: device names from mDNS and LLMNR answers (already
 * parsed by dns.c) and from NetBIOS name service messages, whose names
 * are RFC 1001 section 14.1's first-level encoding (each nibble a letter
 * 'A'..'P'). Reads only through rd.h.
 */
#include <string.h>

#include "dissect/devname.h"
#include "dissect/dns.h"
#include "base/rd.h"

#define NBNS_HDR_LEN		12
#define NBNS_ENC_LEN		32	/* 16 bytes, two letters each */
#define NBNS_NAME_LEN		15	/* then the suffix byte */
#define NBNS_OP_QUERY		0
#define NBNS_OP_REGISTRATION	5
#define NBNS_OP_REFRESH		8
#define NBNS_OP_REFRESH_ALT	9	/* RFC 1002 4.2.4, as Windows sends */
#define NBNS_OP_MULTIHOMED	15
#define NBNS_TYPE_NB		0x0020
#define NBNS_SUFFIX_WORKSTATION	0x00
#define NBNS_SUFFIX_SERVER	0x20
#define NBNS_NB_GROUP		0x8000	/* NB_FLAGS G: a group name */
#define MDNS_SUFFIX		".local"

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ' ' ||
	    c == '.' || c == '\'';
}

/* Copies n checked characters; 0 when one is not a name character. */
static int
keep(char *dst, const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!name_char(s[i]))
			return 0;
	if (n >= DEVNAME_SIZE)
		n = DEVNAME_SIZE - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

/* The first device name among the A and AAAA records of ans[0..nans). */
static int
from_records(const struct dns_answer *ans, size_t nans, enum devname_src src,
    struct devname *out)
{
	const struct dns_answer *a;
	size_t i, n, sl = sizeof(MDNS_SUFFIX) - 1;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < nans; i++) {
		a = &ans[i];
		if (a->type != DNS_TYPE_A && a->type != DNS_TYPE_AAAA)
			continue;
		n = strlen(a->name);
		if (src == DEVNAME_MDNS) {
			if (n <= sl || strcmp(a->name + n - sl,
			    MDNS_SUFFIX) != 0)
				continue;
			n -= sl;
		}
		if (memchr(a->name, '.', n) != NULL || a->name[0] == '_' ||
		    !keep(out->name, a->name, n))
			continue;
		out->src = src;
		out->family = a->type == DNS_TYPE_A ? 4 : 6;
		memcpy(out->addr, a->addr, out->family == 4 ? 4 : 16);
		return 1;
	}
	memset(out, 0, sizeof(*out));
	return 0;
}

int
devname_from_dns(const struct dns_msg *m, enum devname_src src,
    struct devname *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->qr || m->rcode != 0)
		return 0;
	return from_records(m->answers, m->nanswers < DNS_MAX_ANSWERS ?
	    m->nanswers : DNS_MAX_ANSWERS, src, out);
}

int
devname_from_mdns(const uint8_t *p, size_t len, const struct dns_msg *m,
    struct devname *out)
{
	struct dns_answer extra[DEVNAME_EXTRA];
	size_t n;

	if (devname_from_dns(m, DEVNAME_MDNS, out))
		return 1;
	if (!m->qr || m->rcode != 0)
		return 0;
	n = dns_extra_addrs(p, len, m, extra, DEVNAME_EXTRA);
	return from_records(extra, n, DEVNAME_MDNS, out);
}

/* RFC 1001 14.1: 32 letters 'A'..'P' -> 16 bytes. */
static int
nb_decode(const uint8_t *enc, uint8_t *raw)
{
	size_t i;

	for (i = 0; i < NBNS_ENC_LEN; i += 2) {
		if (enc[i] < 'A' || enc[i] > 'P' || enc[i + 1] < 'A' ||
		    enc[i + 1] > 'P')
			return -1;
		raw[i / 2] = (uint8_t)((enc[i] - 'A') << 4 | (enc[i + 1] - 'A'));
	}
	return 0;
}

/*
 * A name in the message: a 32-octet label, then the scope (labels up to
 * the root) or a compression pointer. Returns the decoded 16 bytes.
 */
static int
nb_name(struct rd *r, uint8_t *raw)
{
	const uint8_t *enc;
	uint8_t len;
	size_t k;

	len = rd_u8(r);
	if ((len & 0xc0) == 0xc0) {	/* a pointer to the question's name */
		rd_skip(r, 1);
		return rd_ok(r) ? 1 : -1;
	}
	if (len != NBNS_ENC_LEN || (enc = rd_bytes(r, len)) == NULL)
		return -1;
	if (nb_decode(enc, raw) == -1)
		return -1;
	for (k = 0; k < 64; k++) {	/* scope labels */
		len = rd_u8(r);
		if (!rd_ok(r) || len > 63)
			return -1;
		if (len == 0)
			return 0;
		rd_skip(r, len);
	}
	return -1;
}

enum dis_result
devname_nbns(const uint8_t *p, size_t len, struct devname *out)
{
	struct rd r;
	uint8_t raw[16], other[16];
	uint16_t flags, qd, an, ar, type, rdlen, op, nbflags;
	const uint8_t *ip;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len);
	rd_skip(&r, 2);
	flags = rd_be16(&r);
	qd = rd_be16(&r);
	an = rd_be16(&r);
	rd_skip(&r, 2);
	ar = rd_be16(&r);
	if (!rd_ok(&r) || qd > 1 || an > 1 || ar > 1)
		return DIS_NOTME;
	op = (flags >> 11) & 0x0f;
	if (!(flags & 0x8000) ? !((op == NBNS_OP_REGISTRATION ||
	    op == NBNS_OP_REFRESH || op == NBNS_OP_REFRESH_ALT ||
	    op == NBNS_OP_MULTIHOMED) && qd == 1 && ar == 1) :
	    !(op == NBNS_OP_QUERY && (flags & 0x000f) == 0 && qd == 0 &&
	    an == 1))
		return DIS_NOTME;
	if ((rc = nb_name(&r, raw)) != 0)
		return rc == 1 ? DIS_NOTME : DIS_BAD;
	if (qd == 1) {
		rd_skip(&r, 4);		/* question type, class */
		if ((rc = nb_name(&r, other)) == -1)
			return DIS_BAD;
	}
	type = rd_be16(&r);
	rd_skip(&r, 2 + 4);		/* class, TTL */
	rdlen = rd_be16(&r);
	nbflags = rd_be16(&r);
	ip = rd_bytes(&r, 4);
	if (!rd_ok(&r) || ip == NULL)
		return DIS_BAD;
	/* A group name (G bit, RFC 1002 4.2.1.3) is a workgroup's. */
	if (type != NBNS_TYPE_NB || rdlen < 6 || (nbflags & NBNS_NB_GROUP) ||
	    (raw[NBNS_NAME_LEN] != NBNS_SUFFIX_WORKSTATION &&
	    raw[NBNS_NAME_LEN] != NBNS_SUFFIX_SERVER))
		return DIS_NOTME;
	for (n = NBNS_NAME_LEN; n > 0 && raw[n - 1] == ' '; n--)
		;
	if (raw[0] == '*' || !keep(out->name, (const char *)raw, n))
		return DIS_NOTME;
	out->src = DEVNAME_NBNS;
	out->family = 4;
	memcpy(out->addr, ip, 4);
	return DIS_OK;
}
