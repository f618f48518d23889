/* SPDX-License-Identifier: ISC */
/*
 * dissect/socks.c: the target of a SOCKS 4/4a/5 request (socks.h). Pure:
 * bytes in through rd.h, a plain struct out.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "dissect/socks.h"

#define V4		4
#define V5		5
#define AUTH_VER	1	/* RFC 1929 sub-negotiation version */
#define METHOD_NONE_OK	0xff
#define CMD_MAX_5	3
#define CMD_MAX_4	2
#define ATYP_V4		1
#define ATYP_DOMAIN	3
#define ATYP_V6		4
#define ID_MAX		255	/* SOCKS 4 user id and 4a name bounds */

/* Copies a printable name of n octets, lower-cased; -1 if unfit. */
static int
copy_name(char *d, const uint8_t *s, size_t n)
{
	size_t i;

	if (n == 0 || n > SOCKS_HOST_LEN)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > 0x7e)
			return -1;
		d[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	}
	d[n] = '\0';
	return 0;
}

/* Skips a NUL-terminated string of at most ID_MAX octets; its length. */
static enum dis_result
skip_cstr(struct rd *r, const uint8_t **s, size_t *n)
{
	size_t i;

	*s = NULL;
	for (i = 0; i <= ID_MAX; i++) {
		const uint8_t *c;

		if (rd_left(r) == 0)
			return DIS_MORE;
		c = rd_bytes(r, 1);
		if (i == 0)
			*s = c;
		if (*c == 0) {
			*n = i;
			return DIS_OK;
		}
	}
	return DIS_NOTME;
}

static enum dis_result
parse4(struct rd *r, struct socks_req *out)
{
	const uint8_t *ip, *s;
	enum dis_result e;
	size_t n;

	out->version = V4;
	out->cmd = rd_u8(r);
	out->port = rd_be16(r);
	ip = rd_bytes(r, 4);
	if (!rd_ok(r))
		return DIS_MORE;
	if (out->cmd < 1 || out->cmd > CMD_MAX_4 || out->port == 0)
		return DIS_NOTME;
	if ((e = skip_cstr(r, &s, &n)) != DIS_OK)
		return e;
	if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) {
		/* 4a: the name follows the user id. */
		if ((e = skip_cstr(r, &s, &n)) != DIS_OK)
			return e;
		if (copy_name(out->host, s, n) == -1)
			return DIS_BAD;
		out->is_domain = 1;
		return DIS_OK;
	}
	if (ip[0] == 0)
		return DIS_NOTME;
	snprintf(out->host, sizeof(out->host), "%u.%u.%u.%u", ip[0], ip[1],
	    ip[2], ip[3]);
	return DIS_OK;
}

/* The request after the greeting (and log-in). */
static enum dis_result
request5(struct rd *r, struct socks_req *out)
{
	const uint8_t *a;
	uint8_t atyp, rsv, n;

	if (rd_left(r) == 0)
		return DIS_MORE;
	if (rd_u8(r) != V5)
		return DIS_NOTME;
	out->cmd = rd_u8(r);
	rsv = rd_u8(r);
	atyp = rd_u8(r);
	if (!rd_ok(r))
		return DIS_MORE;
	if (out->cmd < 1 || out->cmd > CMD_MAX_5 || rsv != 0)
		return DIS_NOTME;
	switch (atyp) {
	case ATYP_V4:
		a = rd_bytes(r, 4);
		out->port = rd_be16(r);
		if (!rd_ok(r))
			return DIS_MORE;
		snprintf(out->host, sizeof(out->host), "%u.%u.%u.%u", a[0],
		    a[1], a[2], a[3]);
		return DIS_OK;
	case ATYP_DOMAIN:
		n = rd_u8(r);
		a = rd_bytes(r, n);
		out->port = rd_be16(r);
		if (!rd_ok(r))
			return DIS_MORE;
		if (copy_name(out->host, a, n) == -1)
			return DIS_BAD;
		out->is_domain = 1;
		return DIS_OK;
	case ATYP_V6:
		a = rd_bytes(r, 16);
		out->port = rd_be16(r);
		if (!rd_ok(r))
			return DIS_MORE;
		if (inet_ntop(AF_INET6, a, out->host, sizeof(out->host)) ==
		    NULL)
			out->host[0] = '\0';
		return DIS_OK;
	default:
		return DIS_NOTME;
	}
}

static enum dis_result
parse5(struct rd *r, struct socks_req *out)
{
	const uint8_t *m;
	struct rd peek;
	uint8_t nm, len;
	size_t i;

	out->version = V5;
	nm = rd_u8(r);
	m = rd_bytes(r, nm);
	if (!rd_ok(r))
		return DIS_MORE;
	if (nm == 0)
		return DIS_NOTME;
	for (i = 0; i < nm; i++)
		if (m[i] == METHOD_NONE_OK)
			return DIS_NOTME;
	peek = *r;
	if (rd_u8(&peek) == AUTH_VER && rd_ok(&peek)) {
		/* RFC 1929: skipped; the secret is never looked at. */
		if (memchr(m, 2, nm) == NULL)
			return DIS_NOTME;
		(void)rd_u8(r);
		len = rd_u8(r);
		rd_skip(r, len);
		len = rd_u8(r);
		rd_skip(r, len);
		if (!rd_ok(r))
			return DIS_MORE;
		out->login = 1;
	}
	return request5(r, out);
}

enum dis_result
socks_parse(const uint8_t *up, size_t ulen, struct socks_req *out)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, up, ulen);
	switch (rd_u8(&r)) {
	case V4:
		return rd_ok(&r) ? parse4(&r, out) : DIS_MORE;
	case V5:
		return parse5(&r, out);
	default:
		return rd_ok(&r) ? DIS_NOTME : DIS_MORE;
	}
}
