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
#include "hostname.h"

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
 */
enum dis_result	http_parse_request(const uint8_t *p, size_t len, int last,
		    struct http_req *out);

#endif
