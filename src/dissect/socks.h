/* SPDX-License-Identifier: ISC */
/*
 * dissect/socks.h: the target of a SOCKS 4, 4a or 5 request (RFC 1928,
 * and the SOCKS 4/4a notes) read from the client's stream, with the
 * RFC 1929 username/password log-in between greeting and request skipped:
 * only the fact of a log-in is reported, never its user name or password.
 */
#ifndef SHADOWTAP_DISSECT_SOCKS_H
#define SHADOWTAP_DISSECT_SOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"

#define SOCKS_HOST_LEN	255	/* RFC 1928: a one-octet length */

struct socks_req {
	uint8_t		version;	/* 4 or 5 (4a reports 4) */
	uint8_t		cmd;		/* 1 CONNECT, 2 BIND, 3 UDP ASSOCIATE */
	uint8_t		is_domain;	/* host is a name (5 ATYP 3, or 4a) */
	uint8_t		login;		/* an RFC 1929 log-in came first */
	uint16_t	port;
	char		host[SOCKS_HOST_LEN + 1];	/* lower-case name or
							   address text */
};

/*
 * Parses the client->server stream prefix up: a SOCKS 5 greeting
 * (VER 5, NMETHODS 1..255, no method 0xff), an optional RFC 1929
 * sub-negotiation (VER 1, ULEN, UNAME, PLEN, PASSWD: skipped, not copied),
 * then the request (VER 5, CMD 1..3, RSV 0, ATYP 1/3/4, address, port); or
 * a SOCKS 4 request (VN 4, CD 1..2, port, IPv4, USERID NUL; for 4a, an
 * address 0.0.0.x with x != 0 and a host name NUL). A domain must be
 * printable, without spaces, and is lower-cased; an address is written
 * as text. Bytes after the request (the tunnelled stream) are ignored.
 * Returns DIS_OK with *out filled, DIS_MORE when the prefix is a correct
 * start, DIS_NOTME when it is not SOCKS, DIS_BAD for a request that is
 * SOCKS-shaped but malformed (an empty or unprintable name).
 */
enum dis_result	socks_parse(const uint8_t *up, size_t ulen,
		    struct socks_req *out);

#endif
