/* SPDX-License-Identifier: ISC */
/*
 * dissect/dns.c: DNS message dissector (RFC 1035 section 4) for the name
 * cache: the first question and the A, AAAA and CNAME answers. Names are
 * decompressed iteratively; every compression pointer must point before the
 * start of the labels it was reached from, so a name walk always terminates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/dns.h"
#include "base/hostname.h"
#include "base/rd.h"

#define DNS_HDR_LEN		12	/* RFC 1035 section 4.1.1 */
#define DNS_NAME_WIRE_MAX	255	/* RFC 1035 section 2.3.4, wire octets */
#define DNS_NAME_LABELS_MAX	127	/* 255 octets / 2 octets per label */
#define DNS_LABEL_MAX		63	/* RFC 1035 section 2.3.4 */
#define DNS_LABEL_KIND		0xc0	/* top two bits of a length octet */
#define DNS_LABEL_NORMAL	0x00
#define DNS_LABEL_POINTER	0xc0	/* RFC 1035 section 4.1.4 */
#define DNS_POINTER_MASK	0x3fff

#define DNS_FLAG_QR		0x8000	/* RFC 1035 section 4.1.1 */
#define DNS_OPCODE_SHIFT	11
#define DNS_OPCODE_MASK		0x0f
#define DNS_RCODE_MASK		0x0f

#define DNS_OPCODE_QUERY	0	/* RFC 1035 */
#define DNS_OPCODE_NOTIFY	4	/* RFC 1996 */
#define DNS_OPCODE_UPDATE	5	/* RFC 2136 */

#define DNS_QDCOUNT_MAX		16	/* more is not a real message */
#define DNS_ANCOUNT_MAX		256

#define DNS_CLASS_IN		1
#define DNS_CLASS_MASK		0x7fff	/* mDNS cache-flush bit, RFC 6762 10.2 */
#define DNS_A_LEN		4
#define DNS_AAAA_LEN		16

/*
 * Reads the (possibly compressed) name at *offp in the message [msg, len)
 * and leaves *offp just past the name as it appears at that position.
 *
 * RFC 1035 section 4.1.4: a name is a sequence of labels ending in a zero
 * octet or in a pointer to another name in the message:
 *
 *	  0 1 2 3 4 5 6 7
 *	+-+-+-+-+-+-+-+-+-+-+-+- ... -+
 *	|0 0|   length  |   octets     |	label, length 1..63
 *	+-+-+-+-+-+-+-+-+-+-+-+- ... -+
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|1 1|          offset           |	pointer
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The walk is a loop. A pointer must point strictly before the start of
 * the run of labels it ends (that is before the pointer itself and before
 * every label read so far), so each jump moves to a smaller offset and the
 * walk ends after at most len jumps; forward and self pointers are errors.
 * The wire form is capped at 255 octets and 127 labels.
 *
 * Returns -1 when the name is structurally malformed. Otherwise returns 0
 * and, if dst is not NULL, stores the normalised name there, or "" when
 * the name is the root or is not a valid host name (a label holding '.'
 * or a byte outside 0x21..0x7e).
 */
static int
dns_name(const uint8_t *msg, size_t len, size_t *offp, char *dst,
    size_t dstsz)
{
	uint8_t text[DNS_NAME_WIRE_MAX];
	size_t tlen = 0, wire = 0, labels = 0, run = *offp, end = 0;
	int jumped = 0, odd = 0;
	struct rd r;
	const uint8_t *label;
	uint8_t c;
	size_t i, ptr;

	if (dst != NULL)
		dst[0] = '\0';
	rd_init(&r, msg, len);
	rd_skip(&r, run);
	for (;;) {
		c = rd_u8(&r);
		if (!rd_ok(&r))
			return -1;
		if (c == 0) {
			wire++;
			break;
		}
		switch (c & DNS_LABEL_KIND) {
		case DNS_LABEL_POINTER:
			ptr = (size_t)((c << 8 | rd_u8(&r)) & DNS_POINTER_MASK);
			if (!rd_ok(&r))
				return -1;
			if (!jumped)
				end = rd_pos(&r);
			jumped = 1;
			if (ptr >= run || ptr < DNS_HDR_LEN)
				return -1;
			run = ptr;
			rd_init(&r, msg, len);
			rd_skip(&r, run);
			continue;
		case DNS_LABEL_NORMAL:
			break;
		default:
			/* 0x40 and 0x80: extended label types, RFC 6891. */
			return -1;
		}
		label = rd_bytes(&r, c);
		if (label == NULL)
			return -1;
		wire += 1 + (size_t)c;
		if (wire + 1 > DNS_NAME_WIRE_MAX || ++labels > DNS_NAME_LABELS_MAX)
			return -1;
		if (tlen > 0)
			text[tlen++] = '.';
		for (i = 0; i < c; i++) {
			if (label[i] == '.')
				odd = 1;
			text[tlen++] = label[i];
		}
	}
	*offp = jumped ? end : rd_pos(&r);
	if (dst != NULL && !odd && tlen > 0)
		(void)hostname_norm(dst, dstsz, text, tlen, 0);
	return 0;
}

/*
 * One resource record, RFC 1035 section 4.1.3:
 *
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	/                      NAME                     /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|          TYPE         |         CLASS         |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|                      TTL                      |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|       RDLENGTH        /        RDATA          /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * Returns -1 when the record is malformed or truncated, else 0; *offp moves
 * past the record. Kept records go to out->answers[], others are counted.
 */
static int
dns_answer(const uint8_t *msg, size_t len, size_t *offp, struct dns_msg *out)
{
	struct dns_answer *a, tmp;
	struct rd r;
	uint16_t type, class, rdlen;
	uint32_t ttl;
	size_t rdata, cname_off;
	int keep;

	a = out->nanswers < DNS_MAX_ANSWERS ? &out->answers[out->nanswers] :
	    &tmp;
	memset(a, 0, sizeof(*a));
	if (dns_name(msg, len, offp, a->name, sizeof(a->name)) == -1)
		return -1;
	rd_init(&r, msg, len);
	rd_skip(&r, *offp);
	type = rd_be16(&r);
	class = rd_be16(&r) & DNS_CLASS_MASK;
	ttl = rd_be32(&r);
	rdlen = rd_be16(&r);
	rdata = rd_pos(&r);
	rd_skip(&r, rdlen);
	if (!rd_ok(&r))
		return -1;
	*offp = rd_pos(&r);

	keep = class == DNS_CLASS_IN && a->name[0] != '\0' &&
	    out->nanswers < DNS_MAX_ANSWERS;
	switch (type) {
	case DNS_TYPE_A:
		keep = keep && rdlen == DNS_A_LEN;
		if (keep)
			memcpy(a->addr, msg + rdata, DNS_A_LEN);
		break;
	case DNS_TYPE_AAAA:
		keep = keep && rdlen == DNS_AAAA_LEN;
		if (keep)
			memcpy(a->addr, msg + rdata, DNS_AAAA_LEN);
		break;
	case DNS_TYPE_CNAME:
		/*
		 * The target may point anywhere before itself, but its own
		 * labels must stay inside RDATA: parse within a window that
		 * ends where RDATA ends.
		 */
		cname_off = rdata;
		if (dns_name(msg, rdata + rdlen, &cname_off, a->cname,
		    sizeof(a->cname)) == -1)
			return -1;
		keep = keep && a->cname[0] != '\0';
		break;
	default:
		keep = 0;
		break;
	}
	if (keep) {
		a->type = type;
		a->ttl = ttl;
		out->nanswers++;
	} else {
		memset(a, 0, sizeof(*a));
		out->answers_skipped++;
	}
	return 0;
}

/*
 * RFC 1035 section 4.1.1, the header, then section 4.1.2, the questions:
 *
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|                      ID                       |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|        QDCOUNT        |        ANCOUNT        |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|        NSCOUNT        |        ARCOUNT        |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	/                     QNAME                     /
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *	|         QTYPE         |        QCLASS         |
 *	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * Opcodes other than QUERY, NOTIFY (RFC 1996) and UPDATE (RFC 2136) are
 * DIS_NOTME: IQUERY and STATUS are obsolete or never specified, DSO (RFC
 * 8490) carries no question, and the rest are unassigned, so seeing one on
 * port 53 means the payload is something else. Only QUERY messages have
 * their answer section walked: in NOTIFY it is a hint and in UPDATE it
 * holds prerequisites, neither a resolution the name cache may learn from.
 */
enum dis_result
dns_parse(const uint8_t *p, size_t len, struct dns_msg *out)
{
	struct rd r;
	uint16_t flags, i;
	size_t off;

	/* The answers are cleared one by one as they are filled. */
	memset(out, 0, offsetof(struct dns_msg, answers));
	rd_init(&r, p, len);
	out->id = rd_be16(&r);
	flags = rd_be16(&r);
	out->qdcount = rd_be16(&r);
	out->ancount = rd_be16(&r);
	out->nscount = rd_be16(&r);
	out->arcount = rd_be16(&r);
	if (!rd_ok(&r))
		return DIS_NOTME;
	out->qr = (flags & DNS_FLAG_QR) != 0;
	out->opcode = (flags >> DNS_OPCODE_SHIFT) & DNS_OPCODE_MASK;
	out->rcode = flags & DNS_RCODE_MASK;
	if (out->qdcount > DNS_QDCOUNT_MAX || out->ancount > DNS_ANCOUNT_MAX)
		return DIS_NOTME;
	if (out->opcode != DNS_OPCODE_QUERY &&
	    out->opcode != DNS_OPCODE_NOTIFY &&
	    out->opcode != DNS_OPCODE_UPDATE)
		return DIS_NOTME;

	off = rd_pos(&r);
	for (i = 0; i < out->qdcount; i++) {
		if (dns_name(p, len, &off, i == 0 ? out->qname : NULL,
		    sizeof(out->qname)) == -1)
			goto bad;
		rd_init(&r, p, len);
		rd_skip(&r, off);
		if (i == 0) {
			out->qtype = rd_be16(&r);
			out->qclass = rd_be16(&r);
		} else
			rd_skip(&r, 2 * sizeof(uint16_t));
		if (!rd_ok(&r))
			goto bad;
		off = rd_pos(&r);
	}

	if (out->opcode != DNS_OPCODE_QUERY) {
		out->answers_skipped = out->ancount;
		return DIS_OK;
	}
	for (i = 0; i < out->ancount; i++) {
		if (dns_answer(p, len, &off, out) == -1) {
			out->truncated = 1;
			break;
		}
	}
	if (!out->truncated)
		out->answers_end = off;
	return DIS_OK;
bad:
	out->qname[0] = '\0';
	out->qtype = out->qclass = 0;
	return DIS_BAD;
}

size_t
dns_extra_addrs(const uint8_t *p, size_t len, const struct dns_msg *m,
    struct dns_answer *out, size_t max)
{
	struct dns_msg x;		/* scratch for dns_answer() */
	size_t off = m->answers_end, n = 0, i, total;

	if (m->answers_end == 0 || m->answers_end > len || !m->qr)
		return 0;
	total = (size_t)m->nscount + m->arcount;
	if (total > DNS_EXTRA_MAX)
		total = DNS_EXTRA_MAX;
	x.answers_skipped = 0;
	for (i = 0; i < total && n < max; i++) {
		x.nanswers = 0;
		if (dns_answer(p, len, &off, &x) == -1)
			break;
		if (x.nanswers == 1 && (x.answers[0].type == DNS_TYPE_A ||
		    x.answers[0].type == DNS_TYPE_AAAA))
			out[n++] = x.answers[0];
	}
	return n;
}
