/* SPDX-License-Identifier: ISC */
/*
 * dissect/dns.h: DNS messages (RFC 1035 section 4): header, first question,
 * and A / AAAA / CNAME answers. Names are decompressed iteratively with
 * strictly backward pointers and normalised with hostname_norm().
 */
#ifndef SHADOWTAP_DISSECT_DNS_H
#define SHADOWTAP_DISSECT_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define DNS_PORT		53
#define DNS_MAX_ANSWERS		16	/* answers kept; the rest are counted */

#define DNS_TYPE_A		1
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_AAAA		28
#define DNS_RCODE_SERVFAIL	2	/* RFC 1035 section 4.1.1 */
#define DNS_RCODE_REFUSED	5

struct dns_answer {
	uint16_t	type;			/* DNS_TYPE_A, _AAAA or _CNAME */
	uint32_t	ttl;
	char		name[HOSTNAME_SIZE];	/* owner name */
	uint8_t		addr[16];		/* A: 4 bytes, AAAA: 16 bytes */
	char		cname[HOSTNAME_SIZE];	/* CNAME target */
};

struct dns_msg {
	uint16_t	id;
	uint8_t		qr;			/* 0 query, 1 response */
	uint8_t		opcode;
	uint8_t		rcode;
	uint16_t	qdcount;
	uint16_t	ancount;
	uint16_t	nscount;
	uint16_t	arcount;
	size_t		answers_end;		/* offset after the answer
						   section, 0: not reached */
	char		qname[HOSTNAME_SIZE];	/* first question; "" if none */
	uint16_t	qtype;
	uint16_t	qclass;
	size_t		nanswers;		/* entries used in answers[] */
	size_t		answers_skipped;	/* other types or beyond the cap */
	int		truncated;		/* answer section malformed or
						   cut short; answers[] holds
						   the records before that */
	struct dns_answer answers[DNS_MAX_ANSWERS];
};

/*
 * Parses one DNS message (UDP payload, or a TCP message without its 2-byte
 * length prefix). Returns DIS_OK with *out filled; DIS_NOTME when the bytes
 * cannot be a DNS message (short header, absurd counts); DIS_BAD when the
 * header is plausible but the question or a name is malformed (qname is ""
 * then). A question name that fails hostname_norm() leaves qname "" and
 * still returns DIS_OK if the rest parses. Answers after a malformed record
 * are dropped; those before it are kept, truncated is set and the result is
 * still DIS_OK. Only QUERY messages have their answers walked (for NOTIFY
 * and UPDATE the answer section is not a resolution): answers_skipped is
 * ancount for those. Answers whose owner name or CNAME target fails
 * hostname_norm(), whose class is not IN, or whose RDATA length does not
 * fit the type are counted in answers_skipped, not stored.
 *
 * DIS_NOTME: fewer than 12 octets, QDCOUNT > 16, ANCOUNT > 256, or an
 * opcode other than QUERY (0), NOTIFY (4) and UPDATE (5). mDNS (port 5353)
 * parses the same; the cache-flush bit of CLASS is ignored. Compression
 * pointers must point before the start of the run of labels they end and
 * after the header; names are capped at 255 wire octets / 127 labels.
 */
enum dis_result	dns_parse(const uint8_t *p, size_t len, struct dns_msg *out);

/*
 * The A and AAAA records of the authority and additional sections of a
 * response m that dns_parse() made of the same p[0..len) (where DNS-SD
 * answers over mDNS put the host's addresses, RFC 6763 12), in the form
 * of answers, first ones first, at most max into out. At most
 * DNS_EXTRA_MAX records are walked; a malformed one ends the walk.
 * Returns how many were stored.
 */
#define DNS_EXTRA_MAX		64
size_t		dns_extra_addrs(const uint8_t *p, size_t len,
		    const struct dns_msg *m, struct dns_answer *out, size_t max);

#endif
