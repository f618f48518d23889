/* SPDX-License-Identifier: ISC */
/*
 * test_stun.c: unit tests for dissect/stun.c on messages of the ndpi-more
 * corpus (adult_content.pcap frames 2 and 4: a Binding success with
 * XOR-MAPPED-ADDRESS, a TURN Allocate error with REALM;
 * stun_tcp_multiple_msgs_same_pkt.pcap: an Allocate request), two
 * messages back to back as over TCP, every truncation, and a classic
 * (RFC 3489) Binding request.
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

#include "dissect/stun.h"

static size_t
unhex(const char *s, uint8_t *out, size_t outsz)
{
	size_t n = 0;
	unsigned int b;

	while (s[0] != '\0' && s[1] != '\0' && n < outsz) {
		assert_int_equal(sscanf(s, "%2x", &b), 1);
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

static const char binding_ok[] =
    "010100382112a4424133516369344e75724f4b41002000080001c99c7c310fe3"
    "000100080001e88e5d23aba1802b0008000100501fdc1b45802c000800010823"
    "7f0000f9802800049d5c3cc1";
static const char alloc_err[] =
    "011300482112a44243425673496a674f6d6e332f000900100000040155"
    "6e617574686f72697a6564001500106663376536353762393338363534626600"
    "140013622d657531342e737472697063646e2e636f6d00802800043149c6f4";
static const char alloc_req[] =
    "000300082112a442704b6e453952586746596c590019000411000000";

/*
 * TURN Allocate success answers (RFC 8656 7.3) built by hand: the
 * relayed address 198.51.100.7:50000 with XOR-MAPPED-ADDRESS
 * 192.0.2.10:41004, and [2001:db8::42]:3479 alone (XORed with the
 * cookie and the transaction id 01..0c).
 */
static const char alloc_ok4[] =
    "010300182112a4420102030405060708090a0b0c001600080001e242e721c045"
    "002000080001813ee112a648";
static const char alloc_ok6[] =
    "010300182112a4420102030405060708090a0b0c0016001400022c850113a9fa"
    "0102030405060708090a0b4e";

static void
test_relayed(void **state)
{
	static const uint8_t relay4[4] = { 198, 51, 100, 7 };
	static const uint8_t mapped4[4] = { 192, 0, 2, 10 };
	static const uint8_t relay6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0x42 };
	uint8_t b[256];
	struct stun_msg m;
	size_t n;

	(void)state;
	n = unhex(alloc_ok4, b, sizeof(b));
	assert_int_equal(stun_parse(b, n, &m), DIS_OK);
	assert_int_equal(m.method, 0x003);
	assert_int_equal(m.cls, 2);
	assert_int_equal(m.relayed_family, 4);
	assert_int_equal(m.relayed_port, 50000);
	assert_memory_equal(m.relayed_addr, relay4, 4);
	assert_int_equal(m.mapped_family, 4);
	assert_int_equal(m.mapped_port, 41004);
	assert_memory_equal(m.mapped_addr, mapped4, 4);
	n = unhex(alloc_ok6, b, sizeof(b));
	assert_int_equal(stun_parse(b, n, &m), DIS_OK);
	assert_int_equal(m.relayed_family, 6);
	assert_int_equal(m.relayed_port, 3479);
	assert_memory_equal(m.relayed_addr, relay6, 16);
	assert_int_equal(m.mapped_family, 0);
	/* An attribute too short for its family is not taken. */
	b[23] = 4;
	b[3] = 8;
	assert_int_equal(stun_parse(b, 28, &m), DIS_OK);
	assert_int_equal(m.relayed_family, 0);
}

static void
test_binding(void **state)
{
	static const uint8_t want[4] = { 93, 35, 171, 161 };
	uint8_t b[256];
	struct stun_msg m;
	size_t n, cut;

	(void)state;
	n = unhex(binding_ok, b, sizeof(b));
	assert_int_equal(stun_parse(b, n, &m), DIS_OK);
	assert_int_equal(m.len, n);
	assert_int_equal(m.method, 0x001);
	assert_int_equal(m.cls, 2);
	assert_false(m.classic);
	assert_int_equal(m.mapped_family, 4);
	assert_int_equal(m.mapped_port, 59534);
	assert_memory_equal(m.mapped_addr, want, 4);
	assert_int_equal(m.nattrs, 5);
	assert_int_equal(m.nvendor, 0);
	for (cut = 1; cut < n; cut++)
		assert_int_equal(stun_parse(b, cut, &m), DIS_MORE);
}

static void
test_realm(void **state)
{
	uint8_t b[256];
	struct stun_msg m;
	size_t n;

	(void)state;
	n = unhex(alloc_err, b, sizeof(b));
	assert_int_equal(stun_parse(b, n, &m), DIS_OK);
	assert_int_equal(m.method, 0x003);
	assert_int_equal(m.cls, 3);
	assert_string_equal(m.realm, "b-eu14.stripcdn.com");
	assert_string_equal(m.software, "");
	/* An attribute that overruns its message. */
	b[3] = 0x48;
	b[20 + 3] = 0x40;
	assert_int_equal(stun_parse(b, n, &m), DIS_BAD);
}

/* Two messages in one TCP segment: m.len says where the next begins. */
static void
test_stream(void **state)
{
	uint8_t b[512];
	struct stun_msg m;
	size_t n, k;

	(void)state;
	n = unhex(alloc_req, b, sizeof(b));
	k = unhex(alloc_err, b + n, sizeof(b) - n);
	assert_int_equal(stun_parse(b, n + k, &m), DIS_OK);
	assert_int_equal(m.len, n);
	assert_int_equal(m.method, 0x003);
	assert_int_equal(m.cls, 0);
	assert_int_equal(stun_parse(b + m.len, n + k - m.len, &m), DIS_OK);
	assert_string_equal(m.realm, "b-eu14.stripcdn.com");
}

static void
test_other(void **state)
{
	/* RFC 3489 Binding request: 16-byte transaction id, no cookie. */
	static const uint8_t classic[20] = { 0, 1, 0, 0, 1, 2, 3, 4, 5, 6,
	    7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const uint8_t tls[] = { 0x16, 3, 1, 0, 0x20, 1, 0, 0, 0x1c, 3,
	    3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t vendor[28];
	struct stun_msg m;

	(void)state;
	assert_int_equal(stun_parse(classic, sizeof(classic), &m), DIS_OK);
	assert_true(m.classic);
	assert_int_equal(stun_parse(tls, sizeof(tls), &m), DIS_NOTME);
	/* A vendor's optional attribute (Microsoft's 0x8070) is listed. */
	memcpy(vendor, classic, 20);
	vendor[3] = 8;
	vendor[4] = 0x21;
	vendor[5] = 0x12;
	vendor[6] = 0xa4;
	vendor[7] = 0x42;
	memcpy(vendor + 20, "\x80\x70\x00\x04\x00\x00\x00\x02", 8);
	assert_int_equal(stun_parse(vendor, sizeof(vendor), &m), DIS_OK);
	assert_int_equal(m.nvendor, 1);
	assert_int_equal(m.vendor[0], 0x8070);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_relayed),
		cmocka_unit_test(test_realm),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
