/* SPDX-License-Identifier: ISC */
/*
 * dissect/http.c: HTTP/1.x request head dissector (RFC 9112, RFC 9110).
 * Reads the request line and header lines at the start of a client's
 * stream and copies out method, host, User-Agent, the CONNECT port and the
 * Basic user name. The Basic password is never decoded past the octets that
 * share a base64 quantum with the ':' and those are wiped.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/http.h"
#include "base/hostname.h"
#include "dissect/ascii.h"
#include "dissect/b64.h"
#include "base/rd.h"

#define HTTP_VERSION_PREFIX	"HTTP/1."	/* RFC 9112 section 2.3 */
#define HTTP_VERSION_LEN	8		/* "HTTP/1.x" */
#define HTTP_PORT_MAX		65535
#define HTTP_PORT_DIGITS	5

/* RFC 9110 section 5.6.2: tchar. */
static int
is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Clears a buffer in a way the compiler may not drop as a dead store. */
static void
wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/*
 * Carves the next line out of r: the bytes up to LF, without the LF and
 * without one CR before it (bare LF is tolerated, RFC 9112 section 2.2).
 * Returns -1 when no LF is in r yet (r unchanged).
 */
static int
next_line(struct rd *r, struct rd *line)
{
	struct rd peek = *r;
	const uint8_t *s, *lf;
	size_t n, eol;

	n = rd_left(&peek);
	s = rd_bytes(&peek, n);
	if (s == NULL || (lf = memchr(s, '\n', n)) == NULL)
		return -1;
	n = (size_t)(lf - s);
	eol = n > 0 && s[n - 1] == '\r' ? 2 : 1;
	*line = rd_sub(r, n + 1 - eol);
	rd_skip(r, eol);
	return 0;
}

/*
 * Splits "host[:port]" or "[v6]:port" (RFC 9110 section 4.2.3 uri-host,
 * RFC 3986 section 3.2.2) and normalises the host into dst. An IPv6
 * literal is kept without its brackets, so it compares equal to the address
 * text elsewhere; only hex digits, ':' and '.' may appear between the
 * brackets (no zone identifiers, no IPvFuture). The port, if any, must be
 * 1..5 digits no more than 65535 and is stored in *port (0 when absent or
 * empty); with need_port set a port is required. Returns 0 or -1 (dst "").
 */
static int
authority(const uint8_t *s, size_t n, int need_port, char *dst, size_t dstsz,
    uint16_t *port)
{
	const uint8_t *host = s, *ps = NULL;
	size_t hlen = n, plen = 0, i;
	uint32_t v = 0;

	dst[0] = '\0';
	*port = 0;
	if (n > 0 && s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			;
		if (i == n)
			return -1;
		host = s + 1;
		hlen = i - 1;
		if (i + 1 < n) {
			if (s[i + 1] != ':')
				return -1;
			ps = s + i + 2;
			plen = n - i - 2;
		}
		for (i = 0; i < hlen; i++)
			if (!is_digit(host[i]) && host[i] != ':' &&
			    host[i] != '.' && !((host[i] | 0x20) >= 'a' &&
			    (host[i] | 0x20) <= 'f'))
				return -1;
	} else {
		for (i = 0; i < n && s[i] != ':'; i++)
			;
		if (i < n) {
			hlen = i;
			ps = s + i + 1;
			plen = n - i - 1;
		}
	}
	if (ps != NULL) {
		if (plen > HTTP_PORT_DIGITS)
			return -1;
		for (i = 0; i < plen; i++) {
			if (!is_digit(ps[i]))
				return -1;
			v = v * 10 + (uint32_t)(ps[i] - '0');
		}
		if (v > HTTP_PORT_MAX)
			return -1;
	}
	if (need_port && (plen == 0 || v == 0))
		return -1;
	if (hostname_norm(dst, dstsz, host, hlen, 0) == -1)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * Request line, RFC 9112 section 3:
 *
 *	request-line = method SP request-target SP HTTP-version
 *
 * Returns DIS_OK, DIS_MORE when line so far is a prefix of one, or
 * DIS_NOTME. A method longer than the out->method field (15 octets) is
 * refused, which excludes a few rare WebDAV methods; that is the price of
 * deciding "not HTTP" from the first 16 bytes of any stream.
 */
static enum dis_result
request_line(const uint8_t *s, size_t n, int complete, const uint8_t **target,
    size_t *tlen, struct http_req *out)
{
	size_t i, m, t;

	for (i = 0; i < n && is_tchar(s[i]); i++)
		if (i >= sizeof(out->method) - 1)
			return DIS_NOTME;
	if (i == n)
		return complete ? DIS_NOTME : DIS_MORE;
	if (s[i] != ' ' || i == 0)
		return DIS_NOTME;
	m = i++;
	t = i;
	/* Visible octets; obs-text is tolerated in targets in the wild. */
	for (; i < n && s[i] > ' ' && s[i] != 0x7f; i++)
		;
	if (i == n)
		return complete ? DIS_NOTME : DIS_MORE;
	if (s[i] != ' ' || i == t)
		return DIS_NOTME;
	*target = s + t;
	*tlen = i - t;
	i++;
	if (n - i < HTTP_VERSION_LEN) {
		if (complete || memcmp(s + i, HTTP_VERSION_PREFIX,
		    n - i < sizeof(HTTP_VERSION_PREFIX) - 1 ? n - i :
		    sizeof(HTTP_VERSION_PREFIX) - 1) != 0)
			return DIS_NOTME;
		return DIS_MORE;
	}
	if (memcmp(s + i, HTTP_VERSION_PREFIX,
	    sizeof(HTTP_VERSION_PREFIX) - 1) != 0 ||
	    !is_digit(s[i + HTTP_VERSION_LEN - 1]) ||
	    n - i != HTTP_VERSION_LEN)
		return DIS_NOTME;
	memcpy(out->method, s, m);
	out->method[m] = '\0';
	return DIS_OK;
}

/*
 * RFC 7617 section 2: credentials = "Basic" 1*SP token68, where token68 is
 * base64(user-id ":" password). The token is decoded one quantum at a time
 * and decoding stops at the ':', so at most two password octets are ever
 * decoded, into a 3-byte buffer that is wiped. The user is stored only when
 * a ':' was seen (a token without one may be a secret) and only when every
 * octet kept is printable ASCII; a longer user is cut at HTTP_USER_LEN.
 */
static void
basic_user(const uint8_t *s, size_t n, struct http_req *out)
{
	char user[HTTP_USER_LEN + 1];
	uint8_t q[3], d[B64_QUANTUM];
	size_t i = 0, j, k, ulen = 0, nq;
	int found = 0, ok = 1;

	while (i < n && !found && ok) {
		nq = 0;
		for (j = 0; j < B64_QUANTUM && i < n; j++, i++) {
			if (s[i] == '=')
				break;
			if ((d[j] = b64_value(s[i])) == B64_BAD) {
				ok = 0;
				break;
			}
			nq++;
		}
		if (!ok || nq < 2)
			break;
		q[0] = (uint8_t)(d[0] << 2 | d[1] >> 4);
		q[1] = nq > 2 ? (uint8_t)(d[1] << 4 | d[2] >> 2) : 0;
		q[2] = nq > 3 ? (uint8_t)(d[2] << 6 | d[3]) : 0;
		for (k = 0; k < nq - 1 && !found; k++) {
			if (q[k] == ':')
				found = 1;
			else if (q[k] < 0x20 || q[k] > 0x7e)
				ok = 0;
			else if (ulen < HTTP_USER_LEN)
				user[ulen++] = (char)q[k];
		}
		if (nq < B64_QUANTUM)
			break;
	}
	wipe(q, sizeof(q));
	wipe(d, sizeof(d));
	if (found && ok && ulen > 0) {
		memcpy(out->auth_user, user, ulen);
		out->auth_user[ulen] = '\0';
	}
	wipe(user, sizeof(user));
}

/* Trims optional whitespace (SP, HTAB) from both ends of [*s, *s+*n). */
static void
trim_ows(const uint8_t **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * Header line, RFC 9112 section 5:
 *
 *	field-line = field-name ":" OWS field-value OWS
 *
 * Malformed (DIS_BAD): an empty or non-token name, whitespace before the
 * colon, obs-fold continuation lines (RFC 9112 section 5.2 lets a server
 * reject them, and servers do), control octets in the value, and a second
 * Host (RFC 9112 section 3.2).
 */
static enum dis_result
header_line(const uint8_t *s, size_t n, int *seen_host, struct http_req *out)
{
	const uint8_t *v;
	size_t i, k, vlen;
	uint16_t port;

	for (i = 0; i < n && is_tchar(s[i]); i++)
		;
	if (i == 0 || i == n || s[i] != ':')
		return DIS_BAD;
	v = s + i + 1;
	vlen = n - i - 1;
	trim_ows(&v, &vlen);
	for (k = 0; k < vlen; k++)
		if ((v[k] < ' ' && v[k] != '\t') || v[k] == 0x7f)
			return DIS_BAD;

	if (ascii_eq_ci(s, i, "Host")) {
		if ((*seen_host)++)
			return DIS_BAD;
		/* An absolute-form target already set host (section 3.2.2). */
		if (out->host[0] == '\0' && out->connect_port == 0)
			(void)authority(v, vlen, 0, out->host,
			    sizeof(out->host), &port);
	} else if (ascii_eq_ci(s, i, "User-Agent")) {
		if (out->user_agent[0] != '\0')
			return DIS_OK;
		if (vlen > HTTP_UA_LEN)
			vlen = HTTP_UA_LEN;
		for (i = 0; i < vlen; i++)
			if (v[i] < ' ' || v[i] > '~')
				return DIS_OK;
		memcpy(out->user_agent, v, vlen);
		out->user_agent[vlen] = '\0';
	} else if (ascii_eq_ci(s, i, "Authorization")) {
		for (i = 0; i < vlen && v[i] != ' '; i++)
			;
		if (!ascii_eq_ci(v, i, "Basic") || out->has_basic_auth)
			return DIS_OK;
		out->has_basic_auth = 1;
		while (i < vlen && v[i] == ' ')
			i++;
		basic_user(v + i, vlen - i, out);
	}
	return DIS_OK;
}

/*
 * The authority of an absolute-form target (RFC 9112 section 3.2.2),
 * "scheme://[userinfo@]host[:port]/...": proxies take the host from here,
 * not from Host. The userinfo (which may hold a password) is skipped.
 */
static void
absolute_form(const uint8_t *t, size_t n, struct http_req *out)
{
	size_t i, start, end, at;
	uint16_t port;

	for (i = 0; i < n && t[i] != ':'; i++)
		;
	if (i + 2 >= n || t[i + 1] != '/' || t[i + 2] != '/' ||
	    !(ascii_eq_ci(t, i, "http") || ascii_eq_ci(t, i, "https")))
		return;
	start = at = i + 3;
	for (end = start; end < n && t[end] != '/' && t[end] != '?' &&
	    t[end] != '#'; end++)
		if (t[end] == '@')
			at = end + 1;
	(void)authority(t + at, end - at, 0, out->host, sizeof(out->host),
	    &port);
}

enum dis_result
http_parse_request(const uint8_t *p, size_t len, int last,
    struct http_req *out)
{
	struct rd r, line;
	const uint8_t *s, *target = NULL;
	size_t n, tlen = 0;
	enum dis_result rc;
	int seen_host = 0;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len);
	if (next_line(&r, &line) == -1) {
		n = rd_left(&r);
		s = rd_bytes(&r, n);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		rc = request_line(s, n, 0, &target, &tlen, out);
		memset(out, 0, sizeof(*out));
		if (rc == DIS_NOTME)
			return DIS_NOTME;
		/* A full buffer without a whole request line is not HTTP. */
		return last ? DIS_NOTME : DIS_MORE;
	}
	n = rd_left(&line);
	s = rd_bytes(&line, n);
	if ((rc = request_line(s, n, 1, &target, &tlen, out)) != DIS_OK)
		return rc;

	if (strcmp(out->method, "CONNECT") == 0) {
		/* RFC 9110 section 9.3.6: authority-form, port required. */
		if (authority(target, tlen, 1, out->host, sizeof(out->host),
		    &out->connect_port) == -1)
			return DIS_BAD;
	} else
		absolute_form(target, tlen, out);

	while (next_line(&r, &line) == 0) {
		n = rd_left(&line);
		s = rd_bytes(&line, n);
		if (n == 0)
			return DIS_OK;
		if (s[0] == ' ' || s[0] == '\t')
			return DIS_BAD;
		if (memchr(s, '\r', n) != NULL)
			return DIS_BAD;
		if (header_line(s, n, &seen_host, out) == DIS_BAD)
			return DIS_BAD;
	}
	return last ? DIS_OK : DIS_MORE;
}
