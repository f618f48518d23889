/* SPDX-License-Identifier: ISC */
/*
 * dissect/http.h: HTTP/1.x request head (RFC 9112 section 3, RFC 9110):
 * method, target, Host, User-Agent, the CONNECT authority and the user
 * name of an "Authorization: Basic" header. The password is never copied.
 */
#ifndef SHADOWTAP_DISSECT_HTTP_H
#define SHADOWTAP_DISSECT_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define HTTP_UA_LEN		255
#define HTTP_USER_LEN		63

struct http_req {
	char	method[16];			/* "GET", "CONNECT", ... */
	char	host[HOSTNAME_SIZE];		/* Host (port cut), or the
						   CONNECT authority's host */
	uint16_t connect_port;			/* CONNECT target port, or 0 */
	char	user_agent[HTTP_UA_LEN + 1];	/* printable ASCII, cut */
	int	has_basic_auth;
	char	auth_user[HTTP_USER_LEN + 1];	/* user of Basic auth */
};

/*
 * Parses the request head at the start of a client->server stream.
 * Returns DIS_OK when the head (up to the empty line) is complete;
 * DIS_MORE when the bytes so far are a plausible request head prefix;
 * DIS_NOTME when the first line is not an HTTP/1.x request line; DIS_BAD
 * when it is, but a header is malformed. With last set (the caller's buffer
 * is full), an incomplete head is parsed as far as it goes and DIS_OK is
 * returned if the request line and any complete header lines parsed.
 *
 * The request line is "METHOD SP target SP HTTP/1.d" ending in CRLF or a
 * bare LF: METHOD is 1..15 token octets (longer methods are DIS_NOTME),
 * single spaces only. Whatever fails that is DIS_NOTME, decided from the
 * first bytes when possible; a request line still without LF is DIS_MORE,
 * or DIS_NOTME when last is set. DIS_BAD covers: a CONNECT target that is
 * not host:port with a port of 1..65535, a header name that is empty or
 * not a token (including space before ':'), obs-fold lines, control octets
 * or a bare CR in a line, and a second Host header.
 *
 * host comes from, in order: the CONNECT authority, an absolute-form
 * target's authority (its userinfo is skipped), the Host header. Ports are
 * cut; an IPv6 literal is stored without brackets ("2001:db8::1"); a host
 * that fails hostname_norm() or has a bad port leaves host "" and is not
 * an error. user_agent is the first User-Agent, "" if it holds octets
 * outside 0x20..0x7e, cut at HTTP_UA_LEN. has_basic_auth is set for an
 * "Authorization: Basic" header (scheme case-insensitive); auth_user is
 * the user-id only when the credentials decode, hold a ':' and the user is
 * printable, cut at HTTP_USER_LEN. The password is never copied: decoding
 * stops at the ':' and the scratch octets are wiped. Proxy-Authorization
 * is not read.
 */
enum dis_result	http_parse_request(const uint8_t *p, size_t len, int last,
		    struct http_req *out);

#endif
