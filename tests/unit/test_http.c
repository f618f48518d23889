/* SPDX-License-Identifier: ISC */
/*
 * test_http.c: unit tests for dissect/http.c: request lines, Host with
 * ports and IPv6 literals, CONNECT authorities, absolute-form targets,
 * Basic user extraction (and that the password is never copied), heads
 * split at every length, bare LF, malformed headers and non-HTTP streams.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/http.h"

/* Wraps a string literal (without its NUL) for http_parse_request. */
#define S(lit)	(const uint8_t *)(lit), sizeof(lit) - 1

/* Whether the n bytes of needle occur anywhere in the object at p. */
static int
contains(const void *p, size_t len, const char *needle)
{
	const uint8_t *b = p;
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return 1;
	return 0;
}

static const char get[] =
    "GET /index.html?q=1 HTTP/1.1\r\n"		/* request line */
    "Host: WWW.Example.com\r\n"			/* mixed case host */
    "user-agent: curl/8.5.0\r\n"		/* lowercase name */
    "Accept: */*\r\n"				/* ignored */
    "\r\n";					/* end of head */

static void
test_get(void **state)
{
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(get), 0, &r), DIS_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.host, "www.example.com");
	assert_string_equal(r.user_agent, "curl/8.5.0");
	assert_int_equal(r.connect_port, 0);
	assert_int_equal(r.has_basic_auth, 0);
	assert_string_equal(r.auth_user, "");
}

static void
test_every_prefix_is_more(void **state)
{
	struct http_req r;
	size_t len, line1 = strchr(get, '\n') - get + 1;

	(void)state;
	for (len = 0; len < sizeof(get) - 1; len++) {
		assert_int_equal(http_parse_request((const uint8_t *)get, len,
		    0, &r), DIS_MORE);
		/* A full buffer: OK once the request line is whole. */
		assert_int_equal(http_parse_request((const uint8_t *)get, len,
		    1, &r), len < line1 ? DIS_NOTME : DIS_OK);
	}
	/* The Host line is cut: not used. */
	assert_int_equal(http_parse_request((const uint8_t *)get, line1 + 10,
	    1, &r), DIS_OK);
	assert_string_equal(r.host, "");
}

static void
test_bare_lf(void **state)
{
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(
	    "POST /api HTTP/1.0\n"		/* bare LF */
	    "Host:example.org\n"		/* no OWS */
	    "User-Agent:  Mozilla/5.0 (X11)  \n"	/* OWS both sides */
	    "\n"), 0, &r), DIS_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.host, "example.org");
	assert_string_equal(r.user_agent, "Mozilla/5.0 (X11)");
}

static void
test_host_port(void **state)
{
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: Example.com:8080\r\n\r\n"), 0, &r),
	    DIS_OK);
	assert_string_equal(r.host, "example.com");
	assert_int_equal(r.connect_port, 0);
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: example.com.:\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "example.com");
	/* IPv6 literal: kept without brackets. */
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: [2001:DB8::1]:8443\r\n\r\n"), 0, &r),
	    DIS_OK);
	assert_string_equal(r.host, "2001:db8::1");
	/* Bad ports, bare IPv6, zone ids: host left "" but still HTTP. */
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: example.com:99999\r\n\r\n"), 0, &r),
	    DIS_OK);
	assert_string_equal(r.host, "");
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: ::1\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "");
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: [fe80::1%25eth0]\r\n\r\n"), 0, &r),
	    DIS_OK);
	assert_string_equal(r.host, "");
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost: a..b\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "");
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "");
}

static void
test_connect(void **state)
{
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(
	    "CONNECT API.OpenAI.com:443 HTTP/1.1\r\n"
	    "Host: api.openai.com:443\r\n"
	    "\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.method, "CONNECT");
	assert_string_equal(r.host, "api.openai.com");
	assert_int_equal(r.connect_port, 443);
	assert_int_equal(http_parse_request(S(
	    "CONNECT [2001:db8::5]:8443 HTTP/1.1\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "2001:db8::5");
	assert_int_equal(r.connect_port, 8443);
	/* The port is mandatory in authority-form. */
	assert_int_equal(http_parse_request(S(
	    "CONNECT example.com HTTP/1.1\r\n\r\n"), 0, &r), DIS_BAD);
	assert_int_equal(http_parse_request(S(
	    "CONNECT example.com:0 HTTP/1.1\r\n\r\n"), 0, &r), DIS_BAD);
	assert_int_equal(http_parse_request(S(
	    "CONNECT example.com:65536 HTTP/1.1\r\n\r\n"), 0, &r), DIS_BAD);
	assert_int_equal(http_parse_request(S(
	    "CONNECT example.com:44x HTTP/1.1\r\n\r\n"), 0, &r), DIS_BAD);
}

/* Proxy requests name the host in the target; userinfo is skipped. */
static void
test_absolute_form(void **state)
{
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(
	    "GET http://bob:hunter2@Files.Example.net:8080/x?y HTTP/1.1\r\n"
	    "Host: other.example\r\n"
	    "\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "files.example.net");
	assert_false(contains(&r, sizeof(r), "hunter2"));
	assert_false(contains(&r, sizeof(r), "bob"));
	assert_int_equal(http_parse_request(S(
	    "OPTIONS * HTTP/1.1\r\nHost: x.example\r\n\r\n"), 0, &r), DIS_OK);
	assert_string_equal(r.host, "x.example");
}

static void
test_basic_auth(void **state)
{
	/* alice:s3cr3t */
	static const char req[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: intranet\r\n"
	    "Authorization: Basic YWxpY2U6czNjcjN0\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(req), 0, &r), DIS_OK);
	assert_int_equal(r.has_basic_auth, 1);
	assert_string_equal(r.auth_user, "alice");
	assert_false(contains(&r, sizeof(r), "s3"));
	assert_false(contains(&r, sizeof(r), "cr3t"));
}

/* The ':' at every position within a base64 quantum, with padding. */
static void
test_basic_alignment(void **state)
{
	static const struct {
		const char *hdr, *user;
	} cases[] = {
		{ "Authorization: Basic YTpw\r\n", "a" },	/* a:p */
		{ "Authorization: Basic YWI6cA==\r\n", "ab" },	/* ab:p */
		{ "Authorization: Basic YWJjOnA=\r\n", "abc" },	/* abc:p */
		{ "Authorization: Basic YWJjZDpw\r\n", "abcd" },	/* abcd:p */
		{ "Authorization: Basic YWJjZDo=\r\n", "abcd" },	/* abcd: */
		{ "authorization: basic  dXNlcjpwdw==\r\n", "user" },
		{ "Authorization: Basic OnB3\r\n", "" },	/* :pw */
		{ "Authorization: Basic cGFzc3dvcmQ=\r\n", "" },	/* no : */
		{ "Authorization: Basic AQI6cHc=\r\n", "" },	/* \1\2:pw */
		{ "Authorization: Basic YW*6cA==\r\n", "" },	/* bad b64 */
		{ "Authorization: Basic\r\n", "" },
	};
	char buf[256];
	struct http_req r;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n%s\r\n",
		    cases[i].hdr);
		assert_true(n > 0 && (size_t)n < sizeof(buf));
		assert_int_equal(http_parse_request((const uint8_t *)buf,
		    (size_t)n, 0, &r), DIS_OK);
		assert_int_equal(r.has_basic_auth, 1);
		assert_string_equal(r.auth_user, cases[i].user);
	}
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nAuthorization: Bearer abc.def\r\n\r\n"), 0,
	    &r), DIS_OK);
	assert_int_equal(r.has_basic_auth, 0);
}

/* A user longer than HTTP_USER_LEN is cut; the password still isn't read. */
static void
test_basic_long_user(void **state)
{
	/* 70 x 'u' ":" "pw", base64 */
	static const char req[] =
	    "GET / HTTP/1.1\r\n"
	    "Authorization: Basic dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1"
	    "dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dTpwdw==\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(http_parse_request(S(req), 0, &r), DIS_OK);
	assert_int_equal(strlen(r.auth_user), HTTP_USER_LEN);
	assert_int_equal(r.auth_user[0], 'u');
}

static void
test_user_agent(void **state)
{
	char buf[512];
	struct http_req r;
	int n;

	(void)state;
	n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nUser-Agent: %0300d"
	    "\r\n\r\n", 7);
	assert_int_equal(http_parse_request((const uint8_t *)buf, (size_t)n,
	    0, &r), DIS_OK);
	assert_int_equal(strlen(r.user_agent), HTTP_UA_LEN);
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nUser-Agent: caf\xc3\xa9\r\n\r\n"), 0, &r),
	    DIS_OK);
	assert_string_equal(r.user_agent, "");
	/* The first User-Agent wins. */
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nUser-Agent: a\r\nUser-Agent: b\r\n\r\n"), 0,
	    &r), DIS_OK);
	assert_string_equal(r.user_agent, "a");
}

static void
test_malformed_headers(void **state)
{
	static const char *bad[] = {
		"GET / HTTP/1.1\r\nHost : x\r\n\r\n",	/* space before : */
		"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",	/* obs-fold */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",	/* 2 Hosts */
		"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
		"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",	/* bare CR */
		"GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n",	/* control */
		"GET / HTTP/1.1\r\nX\x7f: y\r\n\r\n",	/* DEL in name */
	};
	struct http_req r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(http_parse_request((const uint8_t *)bad[i],
		    strlen(bad[i]), 0, &r), DIS_BAD);
	/* NUL in a value. */
	assert_int_equal(http_parse_request(S(
	    "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n"), 0, &r), DIS_BAD);
}

static void
test_notme(void **state)
{
	static const char *notme[] = {
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc",	/* TLS */
		"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
		"HELLO world\r\n",
		"GET / HTTP/2.0\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",	/* h2 preface */
		"GET /\r\n",				/* HTTP/0.9 */
		"GET  / HTTP/1.1\r\n\r\n",		/* two spaces */
		"GET / HTTP/1.1 \r\n\r\n",		/* trailing space */
		"GET / http/1.1\r\n\r\n",		/* version case */
		"GET / HTTP/1.x\r\n\r\n",
		" GET / HTTP/1.1\r\n\r\n",
		"BASELINE-CONTROL / HTTP/1.1\r\n\r\n",	/* method > 15 */
		"GET /\x01 HTTP/1.1\r\n\r\n",
		"\r\n",
	};
	struct http_req r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(notme) / sizeof(notme[0]); i++)
		assert_int_equal(http_parse_request((const uint8_t *)notme[i],
		    strlen(notme[i]), 0, &r), DIS_NOTME);
	/* Decided early, before a line end is seen. */
	assert_int_equal(http_parse_request(S("GET / HTTX"), 0, &r),
	    DIS_NOTME);
	assert_int_equal(http_parse_request(S("\x16\x03"), 0, &r), DIS_NOTME);
	assert_int_equal(http_parse_request(S("GET / HTTP/1."), 0, &r),
	    DIS_MORE);
	assert_int_equal(http_parse_request(NULL, 0, 0, &r), DIS_MORE);
}

static void
test_methods(void **state)
{
	static const char *methods[] = {
		"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH",
		"TRACE", "PROPFIND", "MKCOL", "M-SEARCH", "UPDATEREDIRECT",
	};
	char buf[128];
	struct http_req r;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		n = snprintf(buf, sizeof(buf), "%s /x HTTP/1.1\r\n"
		    "Host: h.example\r\n\r\n", methods[i]);
		assert_int_equal(http_parse_request((const uint8_t *)buf,
		    (size_t)n, 0, &r), DIS_OK);
		assert_string_equal(r.method, methods[i]);
		assert_string_equal(r.host, "h.example");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_every_prefix_is_more),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_host_port),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_absolute_form),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_basic_alignment),
		cmocka_unit_test(test_basic_long_user),
		cmocka_unit_test(test_user_agent),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_methods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
