/* SPDX-License-Identifier: ISC */
/*
 * test_socks.c: SOCKS 4, 4a and 5 request targets from hand-built client
 * streams (RFC 1928, RFC 1929): domain, IPv4 and IPv6 targets, a log-in
 * whose user name and password must not come out, streams cut short,
 * and first bytes that are not SOCKS.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/socks.h"

#define S(x)	(const uint8_t *)(x), sizeof(x) - 1

/* Does the n octets at p hold the string w anywhere? */
static int
holds(const void *p, size_t n, const char *w)
{
	const char *c = p;
	size_t i, wl = strlen(w);

	for (i = 0; i + wl <= n; i++)
		if (memcmp(c + i, w, wl) == 0)
			return 1;
	return 0;
}

static void
test_socks5(void **state)
{
	/* greeting (no auth), request CONNECT example.com:443, then TLS */
	static const char dom[] = "\x05\x01\x00" "\x05\x01\x00\x03\x0b"
	    "Example.COM\x01\xbb" "\x16\x03\x01";
	static const char v6[] = "\x05\x01\x00" "\x05\x01\x00\x04"
	    "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
	    "\x00\x50";
	struct socks_req r;
	size_t n;

	(void)state;
	assert_int_equal(socks_parse(S(dom), &r), DIS_OK);
	assert_int_equal(r.version, 5);
	assert_int_equal(r.cmd, 1);
	assert_int_equal(r.is_domain, 1);
	assert_int_equal(r.login, 0);
	assert_int_equal(r.port, 443);
	assert_string_equal(r.host, "example.com");
	/* every shorter prefix of the greeting and request waits */
	for (n = 0; n < sizeof(dom) - 1 - 3; n++)
		assert_int_equal(socks_parse((const uint8_t *)dom, n, &r),
		    DIS_MORE);
	assert_int_equal(socks_parse(S(v6), &r), DIS_OK);
	assert_int_equal(r.is_domain, 0);
	assert_int_equal(r.port, 80);
	assert_string_equal(r.host, "2001:db8::1");
}

static void
test_login(void **state)
{
	/* RFC 1929: methods none+user/pass, VER 1, "alice", "hunter2" */
	static const char s[] = "\x05\x02\x00\x02" "\x01\x05" "alice"
	    "\x07" "hunter2" "\x05\x01\x00\x01\xc0\x00\x02\x07\x1f\x90";
	/* the same log-in when the greeting did not offer user/pass */
	static const char bad[] = "\x05\x01\x00" "\x01\x05" "alice"
	    "\x07" "hunter2" "\x05\x01\x00\x01\xc0\x00\x02\x07\x1f\x90";
	struct socks_req r;

	(void)state;
	assert_int_equal(socks_parse(S(s), &r), DIS_OK);
	assert_int_equal(r.login, 1);
	assert_int_equal(r.is_domain, 0);
	assert_string_equal(r.host, "192.0.2.7");
	assert_int_equal(r.port, 8080);
	assert_false(holds(&r, sizeof(r), "hunter2"));
	assert_false(holds(&r, sizeof(r), "alice"));
	assert_int_equal(socks_parse(S(bad), &r), DIS_NOTME);
}

static void
test_socks4(void **state)
{
	static const char v4[] = "\x04\x01\x00\x50\xc6\x33\x64\x02" "bob\0";
	static const char v4a[] = "\x04\x01\x01\xbb\x00\x00\x00\x01" "bob\0"
	    "WWW.Example.org\0";
	static const char v4a_bad[] = "\x04\x01\x01\xbb\x00\x00\x00\x01"
	    "\0" "a b\0";
	struct socks_req r;

	(void)state;
	assert_int_equal(socks_parse(S(v4), &r), DIS_OK);
	assert_int_equal(r.version, 4);
	assert_int_equal(r.is_domain, 0);
	assert_string_equal(r.host, "198.51.100.2");
	assert_int_equal(r.port, 80);
	assert_int_equal(socks_parse(S(v4a), &r), DIS_OK);
	assert_int_equal(r.is_domain, 1);
	assert_int_equal(r.port, 443);
	assert_string_equal(r.host, "www.example.org");
	/* 4a name not yet terminated */
	assert_int_equal(socks_parse((const uint8_t *)v4a, sizeof(v4a) - 3,
	    &r), DIS_MORE);
	assert_int_equal(socks_parse(S(v4a_bad), &r), DIS_BAD);
}

static void
test_not_socks(void **state)
{
	struct socks_req r;

	(void)state;
	assert_int_equal(socks_parse(S("GET / HTTP/1.1\r\n"), &r), DIS_NOTME);
	/* a method 0xff (no acceptable method) is the server's only */
	assert_int_equal(socks_parse(S("\x05\x01\xff"), &r), DIS_NOTME);
	/* no methods */
	assert_int_equal(socks_parse(S("\x05\x00\x05"), &r), DIS_NOTME);
	/* request with a bad command, a set reserved octet, a bad ATYP */
	assert_int_equal(socks_parse(S("\x05\x01\x00\x05\x09\x00\x01"), &r),
	    DIS_NOTME);
	assert_int_equal(socks_parse(S("\x05\x01\x00\x05\x01\x01\x01"), &r),
	    DIS_NOTME);
	assert_int_equal(socks_parse(S("\x05\x01\x00\x05\x01\x00\x07"), &r),
	    DIS_NOTME);
	/* SOCKS 4: command 0, port 0, address 0.x.y.z other than 4a's */
	assert_int_equal(socks_parse(S("\x04\x00\x00\x50\x01\x02\x03\x04"),
	    &r), DIS_NOTME);
	assert_int_equal(socks_parse(S("\x04\x01\x00\x00\x01\x02\x03\x04"),
	    &r), DIS_NOTME);
	assert_int_equal(socks_parse(S("\x04\x01\x00\x50\x00\x02\x03\x04\0"),
	    &r), DIS_NOTME);
	/* an empty domain */
	assert_int_equal(socks_parse(S("\x05\x01\x00\x05\x01\x00\x03\x00"
	    "\x00\x50"), &r), DIS_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socks5),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_socks4),
		cmocka_unit_test(test_not_socks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
