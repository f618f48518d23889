/* SPDX-License-Identifier: ISC */
/*
 * test_sip.c: SIP request and status lines and their headers from
 * hand-built messages (RFC 3261): request-URI, From and To domains with
 * name-addr and addr-spec forms, compact headers, User-Agent and Server,
 * credentials that must not come out, cut messages and other protocols.
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

#include "dissect/sip.h"

#define S(x)	(const uint8_t *)(x), sizeof(x) - 1

static const char invite[] =
    "INVITE sip:bob@VoIP.Example.NET;transport=udp SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: \"Bob\" <sip:bob@voip.example.net>\r\n"
    "From: Alice <sips:alice@atlanta.example.com:5061>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Proxy-Authorization: Digest username=\"alice\", response=\"s3cr3t\"\r\n"
    "User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

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
test_request(void **state)
{
	struct sip_msg m;
	size_t n;

	(void)state;
	assert_int_equal(sip_parse(S(invite), 1, &m), DIS_OK);
	assert_true(m.is_request);
	assert_string_equal(m.method, "INVITE");
	assert_string_equal(m.ruri_host, "voip.example.net");
	assert_string_equal(m.to_host, "voip.example.net");
	assert_string_equal(m.from_host, "atlanta.example.com");
	assert_string_equal(m.agent, "Linphone/5.2.0 (belle-sip/5.2.0)");
	assert_false(holds(&m, sizeof(m), "s3cr3t"));
	assert_false(holds(&m, sizeof(m), "alice"));
	assert_false(holds(&m, sizeof(m), "bob"));
	/* a TCP stream cut anywhere before the empty line waits */
	for (n = 1; n < sizeof(invite) - 3; n += 7)
		assert_int_equal(sip_parse((const uint8_t *)invite, n, 0, &m),
		    DIS_MORE);
}

static void
test_response(void **state)
{
	static const char ok[] = "SIP/2.0 401 Unauthorized\r\n"
	    "t: <sip:carol@sip.provider.example>;tag=8321234356\r\n"
	    "f: sip:carol@sip.provider.example;tag=1\r\n"
	    "Server: Asterisk PBX 20.5.0\r\n"
	    "WWW-Authenticate: Digest realm=\"x\", nonce=\"abc\"\r\n\r\n";
	static const char v6[] = "REGISTER sip:[2001:DB8::1]:5060 SIP/2.0\r\n"
	    "To: <sip:dave@[2001:db8::1]>\r\n\r\n";
	struct sip_msg m;

	(void)state;
	assert_int_equal(sip_parse(S(ok), 1, &m), DIS_OK);
	assert_false(m.is_request);
	assert_int_equal(m.status, 401);
	assert_string_equal(m.to_host, "sip.provider.example");
	assert_string_equal(m.from_host, "sip.provider.example");
	assert_string_equal(m.agent, "Asterisk PBX 20.5.0");
	assert_int_equal(sip_parse(S(v6), 1, &m), DIS_OK);
	assert_string_equal(m.method, "REGISTER");
	assert_string_equal(m.ruri_host, "2001:db8::1");
	assert_string_equal(m.to_host, "2001:db8::1");
}

static void
test_not_sip(void **state)
{
	struct sip_msg m;

	(void)state;
	assert_int_equal(sip_parse(S("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 1,
	    &m), DIS_NOTME);
	assert_int_equal(sip_parse(S("\x16\x03\x01\x02\x00"), 1, &m),
	    DIS_NOTME);
	assert_int_equal(sip_parse(S("get sip:a SIP/2.0\r\n\r\n"), 1, &m),
	    DIS_NOTME);
	/* SIP/2.0 but malformed: a status of 99, no URI scheme */
	assert_int_equal(sip_parse(S("SIP/2.0 099 Odd\r\n\r\n"), 1, &m),
	    DIS_BAD);
	assert_int_equal(sip_parse(S("OPTIONS tel:+1555 SIP/2.0\r\n\r\n"), 1,
	    &m), DIS_BAD);
	/* a datagram with only part of a first line */
	assert_int_equal(sip_parse(S("INVITE sip:a@b"), 1, &m), DIS_NOTME);
	assert_int_equal(sip_parse(S("INVITE sip:a@b"), 0, &m), DIS_MORE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_not_sip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
