/* SPDX-License-Identifier: ISC */
/*
 * dissect/sip.c: SIP request and status lines and the headers that name
 * the parties' domains and the software (sip.h). Pure: bytes in through
 * rd.h, a plain struct out.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/hostname.h"
#include "base/rd.h"
#include "dissect/sip.h"

#define SIPVER		"SIP/2.0"
#define SIPVER_LEN	7
#define STATUS_MIN	100
#define STATUS_MAX	699
#define HEADERS_MAX	64	/* header lines read before giving up */

/* Carves the next line (without CRLF or LF) out of r; -1 without LF. */
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

/* The bytes of a carved line (NULL when empty). */
static const uint8_t *
line_bytes(struct rd *line, size_t *n)
{
	*n = rd_left(line);
	return *n > 0 ? rd_bytes(line, *n) : NULL;
}

/*
 * The host of a sip: or sips: URI somewhere in [s, s+n) (a name-addr's
 * "<...>" or an addr-spec), into dst; 0, or -1 without a SIP URI.
 */
static int
uri_host(const uint8_t *s, size_t n, char *dst, size_t dstsz)
{
	size_t i, b, e;

	dst[0] = '\0';
	for (i = 0; i + 4 <= n; i++)
		if (strncasecmp((const char *)s + i, "sip:", 4) == 0 ||
		    (i + 5 <= n &&
		    strncasecmp((const char *)s + i, "sips:", 5) == 0))
			break;
	if (i + 4 > n)
		return -1;
	b = i + (s[i + 3] == ':' ? 4 : 5);
	/* userinfo ends at the last '@' before the host's delimiters */
	for (e = b; e < n && s[e] != '>' && s[e] != ';' && s[e] != '?' &&
	    s[e] != ' ' && s[e] != '\t'; e++)
		if (s[e] == '@')
			b = e + 1;
	if (b < e && s[b] == '[') {
		for (i = b + 1; i < e && s[i] != ']'; i++)
			;
		if (i >= e)
			return 0;
		(void)hostname_norm(dst, dstsz, s + b + 1, i - b - 1, 0);
		return 0;
	}
	for (i = b; i < e && s[i] != ':'; i++)
		;
	if (i > b)
		(void)hostname_norm(dst, dstsz, s + b, i - b, 0);
	return 0;
}

static enum dis_result
first_line(const uint8_t *s, size_t n, struct sip_msg *out)
{
	size_t i, m;

	if (n >= SIPVER_LEN + 1 && memcmp(s, SIPVER " ", SIPVER_LEN + 1) ==
	    0) {
		if (n < SIPVER_LEN + 4)
			return DIS_BAD;
		for (i = SIPVER_LEN + 1; i < SIPVER_LEN + 4; i++) {
			if (s[i] < '0' || s[i] > '9')
				return DIS_BAD;
			out->status = (uint16_t)(out->status * 10 +
			    (s[i] - '0'));
		}
		if (out->status < STATUS_MIN || out->status > STATUS_MAX ||
		    (n > SIPVER_LEN + 4 && s[SIPVER_LEN + 4] != ' '))
			return DIS_BAD;
		return DIS_OK;
	}
	for (m = 0; m < n && m <= SIP_METHOD_LEN && s[m] >= 'A' &&
	    s[m] <= 'Z'; m++)
		;
	if (m == 0 || m > SIP_METHOD_LEN || m >= n || s[m] != ' ')
		return DIS_NOTME;
	if (n < m + 1 + SIPVER_LEN + 1 || memcmp(s + n - SIPVER_LEN - 1,
	    " " SIPVER, SIPVER_LEN + 1) != 0)
		return DIS_NOTME;
	memcpy(out->method, s, m);
	out->method[m] = '\0';
	out->is_request = 1;
	if (uri_host(s + m + 1, n - SIPVER_LEN - 1 - (m + 1),
	    out->ruri_host, sizeof(out->ruri_host)) == -1)
		return DIS_BAD;
	return DIS_OK;
}

/* Is [s, s+n) "name:" (optional whitespace before the colon)? */
static size_t
header_is(const uint8_t *s, size_t n, const char *name)
{
	size_t l = strlen(name), i;

	if (n <= l || strncasecmp((const char *)s, name, l) != 0)
		return 0;
	for (i = l; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i < n && s[i] == ':' ? i + 1 : 0;
}

static void
copy_agent(char *dst, const uint8_t *s, size_t n)
{
	size_t i, o = 0;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	for (i = 0; i < n && o < SIP_AGENT_LEN; i++)
		if (s[i] >= 0x20 && s[i] <= 0x7e)
			dst[o++] = (char)s[i];
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

static void
header(const uint8_t *s, size_t n, struct sip_msg *out, int *server)
{
	size_t v;

	if ((v = header_is(s, n, "From")) != 0 ||
	    (v = header_is(s, n, "f")) != 0)
		(void)uri_host(s + v, n - v, out->from_host,
		    sizeof(out->from_host));
	else if ((v = header_is(s, n, "To")) != 0 ||
	    (v = header_is(s, n, "t")) != 0)
		(void)uri_host(s + v, n - v, out->to_host,
		    sizeof(out->to_host));
	else if ((v = header_is(s, n, "User-Agent")) != 0) {
		copy_agent(out->agent, s + v, n - v);
		*server = 0;
	} else if ((v = header_is(s, n, "Server")) != 0 &&
	    (out->agent[0] == '\0' || *server)) {
		copy_agent(out->agent, s + v, n - v);
		*server = 1;
	}
}

enum dis_result
sip_parse(const uint8_t *p, size_t len, int last, struct sip_msg *out)
{
	struct rd r, line;
	const uint8_t *s;
	enum dis_result e;
	size_t n, k;
	int server = 0;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len);
	if (next_line(&r, &line) == -1) {
		/* Not even a whole first line: judge what there is. */
		s = line_bytes(&r, &n);
		if (n == 0)
			return DIS_MORE;
		if (memcmp(s, SIPVER, n < SIPVER_LEN ? n : SIPVER_LEN) !=
		    0) {
			for (k = 0; k < n && k <= SIP_METHOD_LEN &&
			    s[k] >= 'A' && s[k] <= 'Z'; k++)
				;
			if (k == 0 || k > SIP_METHOD_LEN || (k < n &&
			    s[k] != ' '))
				return DIS_NOTME;
		}
		return last ? DIS_NOTME : DIS_MORE;
	}
	s = line_bytes(&line, &n);
	if (s == NULL)
		return DIS_NOTME;
	if ((e = first_line(s, n, out)) != DIS_OK)
		return e;
	for (k = 0; k < HEADERS_MAX; k++) {
		if (next_line(&r, &line) == -1)
			return last ? DIS_OK : DIS_MORE;
		if ((s = line_bytes(&line, &n)) == NULL)
			return DIS_OK;	/* the empty line */
		header(s, n, out, &server);
	}
	return DIS_OK;
}
