/* SPDX-License-Identifier: ISC */
/*
 * dissect/sip.h: the start of a SIP message (RFC 3261): the request line
 * or status line, the domains of the request-URI, From and To, and the
 * User-Agent or Server product. Credentials (Authorization,
 * Proxy-Authorization) and the user parts of the URIs are never copied.
 */
#ifndef SHADOWTAP_DISSECT_SIP_H
#define SHADOWTAP_DISSECT_SIP_H

#include <stddef.h>
#include <stdint.h>

#include "base/hostname.h"
#include "dissect/result.h"

#define SIP_PORT	5060
#define SIP_METHOD_LEN	15
#define SIP_AGENT_LEN	63

struct sip_msg {
	int		is_request;
	uint16_t	status;				/* a response's code */
	char		method[SIP_METHOD_LEN + 1];	/* request method */
	char		ruri_host[HOSTNAME_SIZE];	/* request-URI host */
	char		from_host[HOSTNAME_SIZE];
	char		to_host[HOSTNAME_SIZE];
	char		agent[SIP_AGENT_LEN + 1];	/* User-Agent, else
							   Server; printable,
							   cut */
};

/*
 * Parses the message at the start of p (a UDP datagram, or a TCP stream
 * prefix). The first line is "Method SP sip:/sips:URI SP SIP/2.0" (the
 * method a token of capitals) or "SIP/2.0 SP 3DIGIT SP reason"
 * (RFC 3261 section 7.1, 7.2); header names match case-insensitively
 * with the compact forms f and t (section 7.3.3). A URI's host is the
 * part after "user@" up to ';', '?', ':' port or '>' (section 19.1.1),
 * normalised with hostname_norm(); an IPv6 reference is kept without
 * brackets. Hosts that do not normalise are left "". Reading stops at the
 * empty line ending the headers; the body is not read.
 * Returns DIS_OK when the first line and all headers are read (*out
 * filled), DIS_MORE when last is 0 and the headers have not ended,
 * DIS_NOTME when the first line is not SIP, DIS_BAD when it is SIP/2.0 but
 * malformed (no URI scheme, a status code outside 100..699).
 */
enum dis_result	sip_parse(const uint8_t *p, size_t len, int last,
		    struct sip_msg *out);

#endif
