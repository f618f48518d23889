/* SPDX-License-Identifier: ISC */
/*
 * dissect/stun.h: one STUN message (RFC 5389, RFC 8489; TURN's methods and
 * attributes, RFC 8656; classic STUN of RFC 3489, without the magic
 * cookie) and the attributes that can name who runs the server or the
 * client: SOFTWARE, REALM, XOR-MAPPED-ADDRESS, XOR-RELAYED-ADDRESS and
 * the types of the comprehension-optional attributes (0x8000 and above:
 * Microsoft's, Google's and other vendors' own). Over TCP several messages may
 * share a segment: stun_parse() says how long each is. Pure: no allocation.
 */
#ifndef SHADOWTAP_DISSECT_STUN_H
#define SHADOWTAP_DISSECT_STUN_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"

#define STUN_HDR_LEN		20
#define STUN_MAGIC_COOKIE	0x2112A442u
#define STUN_SOFTWARE_SIZE	128	/* RFC 8489 14.14: < 128 characters */
#define STUN_REALM_SIZE		256	/* RFC 8489 14.9: < 128 characters,
					   up to 763 bytes: longer is cut */
#define STUN_MAX_VENDOR		8	/* optional attribute types kept */

/* Attribute types (RFC 8489 18.3, RFC 8656 18, RFC 5245/8445 16). */
#define STUN_ATTR_MAPPED_ADDRESS	0x0001
#define STUN_ATTR_USERNAME		0x0006
#define STUN_ATTR_XOR_RELAYED_ADDRESS	0x0016	/* RFC 8656 18.5 */
#define STUN_ATTR_REALM			0x0014
#define STUN_ATTR_XOR_MAPPED_ADDRESS	0x0020
#define STUN_ATTR_SOFTWARE		0x8022

struct stun_msg {
	uint16_t	type;		/* method and class bits */
	uint16_t	method;		/* 0x001 Binding, 0x003 Allocate, ... */
	uint8_t		cls;		/* 0 request, 1 indication, 2 success,
					   3 error */
	int		classic;	/* RFC 3489: no magic cookie */
	size_t		len;		/* whole message, header included */
	uint8_t		txid[12];	/* (classic: the last 12 of its 16) */
	char		software[STUN_SOFTWARE_SIZE];	/* printable ASCII */
	char		realm[STUN_REALM_SIZE];		/* printable ASCII */
	int		mapped_family;	/* 4 or 6 for XOR-MAPPED-ADDRESS (or
					   MAPPED-ADDRESS), else 0 */
	uint16_t	mapped_port;
	uint8_t		mapped_addr[16];
	int		relayed_family;	/* 4 or 6 for XOR-RELAYED-ADDRESS (a
					   TURN server's allocation), else 0 */
	uint16_t	relayed_port;
	uint8_t		relayed_addr[16];
	size_t		nattrs;
	size_t		nvendor;
	uint16_t	vendor[STUN_MAX_VENDOR];	/* types >= 0x8000 other
					   than RFC 8489's, first seen first */
};

/*
 * Parses the STUN message at the start of p[0..len). The header must
 * have its two top bits zero, a length that is a multiple of 4 and, for
 * RFC 5389 and later, the magic cookie; without the cookie (classic) the
 * method must be Binding and the attributes must walk to the exact end.
 * The attributes are walked in full (each padded to 4 octets, RFC 8489
 * 14); FINGERPRINT and MESSAGE-INTEGRITY are not verified.
 *
 * Returns DIS_OK with *m filled (m->len: where the next message of a TCP
 * stream starts), DIS_MORE when p holds a valid header whose message is
 * longer than len, DIS_NOTME when the header is not STUN's and DIS_BAD
 * when an attribute overruns the message. Reads only p[0..len).
 */
enum dis_result	stun_parse(const uint8_t *p, size_t len, struct stun_msg *m);

#endif
