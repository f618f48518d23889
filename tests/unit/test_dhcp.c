/* SPDX-License-Identifier: ISC */
/*
 * test_dhcp.c: unit tests for dissect/dhcp.c. Real messages come from the
 * seed corpus (tests/fuzz/corpus/dhcp, extracted from ../shared/corpus/ndpi
 * with tshark -e udp.payload); the values asserted are tshark's. Edge cases
 * are built inline: truncation at every length, option overruns, FQDN
 * encodings, relay nesting.
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

#include "dissect/dhcp.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR "."
#endif

#define SEED_MAX	2048
#define BOOTP_LEN	236

static size_t
seed(const char *name, uint8_t *buf)
{
	char path[1024];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/dhcp/%s",
	    SHADOWTAP_SRCDIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, SEED_MAX, f);
	fclose(f);
	assert_true(n > 0 && n < SEED_MAX);
	return n;
}

/* A minimal DHCPv4 header (op, htype 1, hlen 6, chaddr) plus cookie. */
static size_t
v4_header(uint8_t *m, uint8_t op)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

	memset(m, 0, BOOTP_LEN + 4);
	m[0] = op;
	m[1] = 1;
	m[2] = 6;
	m[4] = 0xde, m[5] = 0xad, m[6] = 0xbe, m[7] = 0xef;
	memcpy(m + 28, mac, sizeof(mac));
	m[236] = 0x63, m[237] = 0x82, m[238] = 0x53, m[239] = 0x63;
	return BOOTP_LEN + 4;
}

static void
test_iphone_discover(void **state)
{
	static const uint8_t mac[6] = { 0xd8, 0x30, 0x62, 0x56, 0x00, 0x1c };
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("iphone-imac-discover", buf);

	(void)state;
	assert_int_equal(dhcp_parse(buf, n, &m), DIS_OK);
	assert_int_equal(m.version, 4);
	assert_int_equal(m.op, DHCP_OP_REQUEST);
	assert_int_equal(m.msg_type, DHCP_DISCOVER);
	assert_string_equal(dhcp_type_name(4, m.msg_type), "DISCOVER");
	assert_int_equal(m.xid, 0x78544709);
	assert_true(m.has_mac);
	assert_memory_equal(m.mac, mac, 6);
	assert_string_equal(m.hostname, "lucas-imac");	/* Lucas-iMac */
	assert_string_equal(m.prl, "1,121,3,6,15,119,252,95,44,46");
	assert_int_equal(m.malformed, 0);
}

static void
test_offer(void **state)
{
	static const uint8_t yi[4] = { 192, 168, 2, 17 }, sid[4] = { 192,
	    168, 2, 1 };
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("iphone-offer", buf);

	(void)state;
	assert_int_equal(dhcp_parse(buf, n, &m), DIS_OK);
	assert_int_equal(m.op, DHCP_OP_REPLY);
	assert_int_equal(m.msg_type, DHCP_OFFER);
	assert_int_equal(m.xid, 0xb796bad1);
	assert_memory_equal(m.yiaddr, yi, 4);
	assert_true(m.has_server_id);
	assert_memory_equal(m.server_id, sid, 4);
	assert_string_equal(m.hostname, "");
	assert_int_equal(m.hostname_bad, 0);
}

static void
test_corpus_hosts(void **state)
{
	static const struct {
		const char *file, *host, *vendor, *prl;
		uint8_t type;
	} t[] = {
		{ "iphone-iphone-discover", "lucas-iphone", "",
		    "1,121,3,6,15,119,252", DHCP_DISCOVER },
		{ "teams-tl-sg116e", "tl-sg116e", "TL-SG116E", "1,3",
		    DHCP_DISCOVER },
		{ "teams-dhcpcd", "pi3.ntop.org",
		    "dhcpcd-6.10.1:Linux-4.9.57-v7+:armv7l:BCM2835",
		    "1,121,33,3,6,12,15,26,28,42,51,54,58,59,119",
		    DHCP_DISCOVER },
		{ "wechat-request", "iphonedimonica", "",
		    "1,121,3,6,15,119,252", DHCP_REQUEST },
	};
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = seed(t[i].file, buf);
		assert_int_equal(dhcp_parse(buf, n, &m), DIS_OK);
		assert_string_equal(m.hostname, t[i].host);
		assert_string_equal(m.vendor_class, t[i].vendor);
		assert_string_equal(m.prl, t[i].prl);
		assert_int_equal(m.msg_type, t[i].type);
	}
}

/* fuzz-2006-06-26-2594.pcap frame 484: Windows 2000 REQUEST, ASCII FQDN. */
static void
test_fqdn_ascii(void **state)
{
	static const uint8_t mac[6] = { 0xdf, 0xe0, 0xed, 0x01, 0x6e, 0xbd };
	static const uint8_t ci[4] = { 192, 168, 1, 2 };
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("fuzz2006-request-fqdn", buf);

	(void)state;
	assert_int_equal(dhcp_parse(buf, n, &m), DIS_OK);
	assert_int_equal(m.msg_type, DHCP_REQUEST);
	assert_memory_equal(m.mac, mac, 6);
	assert_memory_equal(m.ciaddr, ci, 4);
	assert_string_equal(m.hostname, "d002465");
	assert_true(m.has_fqdn);
	assert_int_equal(m.fqdn_flags, 0);
	assert_string_equal(m.fqdn, "d002465");	/* "d002465." */
	assert_string_equal(m.vendor_class, "MSFT 5.0");
	assert_string_equal(m.prl, "1,15,3,6,44,46,47,31,33,43");
}

/*
 * dhcp-fuzz.pcapng: message type 106, then option 60 claims 49 octets
 * where fewer remain. The host name before it is kept.
 */
static void
test_hostile_capture(void **state)
{
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("dhcp-fuzz", buf);

	(void)state;
	assert_int_equal(dhcp_parse(buf, n, &m), DIS_BAD);
	assert_true(m.malformed);
	assert_int_equal(m.msg_type, 106);
	assert_string_equal(dhcp_type_name(4, m.msg_type), "UNKNOWN");
	assert_string_equal(m.hostname, "mk03862");
	assert_string_equal(m.vendor_class, "");
}

static void
test_truncation(void **state)
{
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("fuzz2006-request-fqdn", buf), i;
	enum dis_result rc;

	(void)state;
	for (i = 0; i < n; i++) {
		rc = dhcp_parse(buf, i, &m);
		if (i < BOOTP_LEN + 4)
			assert_int_equal(rc, DIS_NOTME);
		else
			assert_true(rc == DIS_OK || rc == DIS_BAD);
		assert_true(strlen(m.hostname) < sizeof(m.hostname));
	}
}

static void
test_notme(void **state)
{
	uint8_t m4[BOOTP_LEN + 8];
	struct dhcp_msg m;
	size_t n;

	(void)state;
	n = v4_header(m4, DHCP_OP_REQUEST);
	assert_int_equal(dhcp_parse(m4, n, &m), DIS_OK);
	assert_int_equal(m.msg_type, 0);
	assert_string_equal(dhcp_type_name(4, 0), "BOOTP");
	m4[239] = 0x64;				/* magic cookie */
	assert_int_equal(dhcp_parse(m4, n, &m), DIS_NOTME);
	assert_int_equal(m.version, 0);
	n = v4_header(m4, 3);			/* op */
	assert_int_equal(dhcp_parse(m4, n, &m), DIS_NOTME);
	n = v4_header(m4, DHCP_OP_REQUEST);
	m4[2] = 17;				/* hlen */
	assert_int_equal(dhcp_parse(m4, n, &m), DIS_NOTME);
	assert_int_equal(dhcp_parse(NULL, 0, &m), DIS_NOTME);
}

static void
test_options_edge(void **state)
{
	uint8_t b[BOOTP_LEN + 64];
	struct dhcp_msg m;
	size_t n;

	(void)state;
	/* Host name with a control byte: refused, flagged. Trailing NUL ok. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x0c\x04" "a\x1b" "b\0" "\x3c\x03" "x\x01y" "\xff", 12);
	assert_int_equal(dhcp_parse(b, n + 12, &m), DIS_OK);
	assert_string_equal(m.hostname, "");
	assert_true(m.hostname_bad);
	assert_string_equal(m.vendor_class, "x?y");

	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x0c\x04" "Pc1\0" "\x0c\x02" "zz", 10);
	assert_int_equal(dhcp_parse(b, n + 10, &m), DIS_OK);
	assert_string_equal(m.hostname, "pc1");	/* first instance wins */
	assert_int_equal(m.has_mac, 1);

	/* Message type of length 2: malformed, host name before it kept. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x0c\x01" "h" "\x35\x02\x01\x01" "\x0c\x01" "i", 9);
	assert_int_equal(dhcp_parse(b, n + 9, &m), DIS_BAD);
	assert_string_equal(m.hostname, "h");
	assert_int_equal(m.msg_type, 0);

	/* Option length byte missing at the end. */
	n = v4_header(b, DHCP_OP_REQUEST);
	b[n] = 0x35;
	assert_int_equal(dhcp_parse(b, n + 1, &m), DIS_BAD);

	/* Pads, overload flag, requested IP, END then garbage ignored. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\0\0\x34\x01\x03\x32\x04\x0a\0\0\x07\xff\x99", 13);
	assert_int_equal(dhcp_parse(b, n + 13, &m), DIS_OK);
	assert_true(m.overload);
	assert_true(m.has_requested_ip);
	assert_int_equal(m.requested_ip[3], 7);

	/* RFC 4702 canonical wire format (E set), partial and full. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x51\x0d\x05\0\0\x04Host\x03" "Lan\0\xff", 17);
	assert_int_equal(dhcp_parse(b, n + 17, &m), DIS_OK);
	assert_string_equal(m.fqdn, "host.lan");
	assert_int_equal(m.fqdn_flags, 5);
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x51\x08\x04\0\0\x04Host", 10);
	assert_int_equal(dhcp_parse(b, n + 10, &m), DIS_OK);
	assert_string_equal(m.fqdn, "host");
	/* A label overrunning the option, and a compression pointer. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x51\x06\x04\0\0\x09Ho", 8);
	assert_int_equal(dhcp_parse(b, n + 8, &m), DIS_OK);
	assert_true(m.has_fqdn && m.fqdn_bad);
	assert_string_equal(m.fqdn, "");
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x51\x05\x04\0\0\xc0\x0c", 7);
	assert_int_equal(dhcp_parse(b, n + 7, &m), DIS_OK);
	assert_true(m.fqdn_bad);
	/* FQDN shorter than its 3-octet header. */
	n = v4_header(b, DHCP_OP_REQUEST);
	memcpy(b + n, "\x51\x02\x04\0", 4);
	assert_int_equal(dhcp_parse(b, n + 4, &m), DIS_BAD);
}

static void
test_prl_cap(void **state)
{
	uint8_t b[BOOTP_LEN + 4 + 2 * 257];
	struct dhcp_msg m;
	size_t n, i, k;

	(void)state;
	/* Two full PRL options are not concatenated; 255 codes of 3 digits fit. */
	n = v4_header(b, DHCP_OP_REQUEST);
	b[n++] = 55;
	b[n++] = 255;
	for (i = 0; i < 255; i++)
		b[n++] = 200;
	assert_int_equal(dhcp_parse(b, n, &m), DIS_OK);
	assert_int_equal(strlen(m.prl), 255 * 4 - 1);
	assert_int_equal(m.truncated, 0);
	for (i = k = 0; m.prl[i] != '\0'; i++)
		k += m.prl[i] == ',';
	assert_int_equal(k, 254);
}

/* tor.pcap frame 462: DHCPv6 SOLICIT from Windows, FQDN "Endian-PC". */
static void
test_v6_fqdn(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xa0, 0x14, 0xb8 };
	uint8_t buf[SEED_MAX];
	struct dhcp_msg m;
	size_t n = seed("v6-tor-solicit-fqdn", buf);

	(void)state;
	assert_int_equal(dhcp_parse(buf, n, &m), DIS_NOTME);
	assert_int_equal(dhcp_parse_v6(buf, n, &m), DIS_OK);
	assert_int_equal(m.version, 6);
	assert_int_equal(m.msg_type, DHCP6_SOLICIT);
	assert_string_equal(dhcp_type_name(6, m.msg_type), "SOLICIT");
	assert_int_equal(m.xid, 0x6633dc);
	assert_true(m.has_fqdn);
	assert_string_equal(m.fqdn, "endian-pc");
	assert_int_equal(m.vendor_enterprise, 311);
	assert_string_equal(m.vendor_class, "MSFT 5.0");
	assert_string_equal(m.prl, "24,23,17,39");
	assert_int_equal(m.duid_len, 14);
	assert_true(m.has_mac);				/* DUID-LLT */
	assert_memory_equal(m.mac, mac, 6);
}

static void
test_v6_edge(void **state)
{
	/* RELAY-FORW wrapping a SOLICIT with an ORO. */
	static const uint8_t relay[] = {
		12, 0,					/* RELAY-FORW, hops */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* link */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* peer */
		0, 18, 0, 2, 'i', 'f',			/* Interface-Id */
		0, 9, 0, 10,				/* Relay Message */
		1, 0xaa, 0xbb, 0xcc,			/* SOLICIT */
		0, 6, 0, 2, 0, 23,			/* ORO: 23 */
	};
	uint8_t buf[40 * 38 + 4], *q;
	struct dhcp_msg m;
	size_t i, n;

	(void)state;
	assert_int_equal(dhcp_parse_v6(relay, sizeof(relay), &m), DIS_OK);
	assert_int_equal(m.msg_type, DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0xaabbcc);
	assert_string_equal(m.prl, "23");
	for (i = 0; i < sizeof(relay); i++)
		assert_int_not_equal(dhcp_parse_v6(relay, i, &m), DIS_OK);
	assert_int_equal(dhcp_parse_v6(relay, 1, &m), DIS_NOTME);
	assert_int_equal(dhcp_parse_v6((const uint8_t *)"\0\1\2\3", 4, &m),
	    DIS_NOTME);
	assert_int_equal(dhcp_parse_v6((const uint8_t *)"\x0e\1\2\3", 4, &m),
	    DIS_NOTME);
	/* Odd-length ORO is malformed. */
	assert_int_equal(dhcp_parse_v6((const uint8_t *)"\1\0\0\0\0\6\0\1\5",
	    9, &m), DIS_BAD);

	/* 40 nested relays: refused after the hop limit, no recursion. */
	n = 40 * 38 + 4;
	for (i = 0; i < 40; i++) {
		size_t inner = n - (i + 1) * 38;

		q = buf + i * 38;
		q[0] = 12;
		memset(q + 1, 0, 33);
		q[34] = 0, q[35] = 9;
		q[36] = (uint8_t)(inner >> 8), q[37] = (uint8_t)inner;
	}
	memcpy(buf + 40 * 38, "\1\0\0\0", 4);
	assert_int_equal(dhcp_parse_v6(buf, n, &m), DIS_BAD);
	assert_true(m.malformed);
	/* 32 levels are fine. */
	assert_int_equal(dhcp_parse_v6(buf + 8 * 38, n - 8 * 38, &m), DIS_OK);
	assert_int_equal(m.msg_type, DHCP6_SOLICIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iphone_discover),
		cmocka_unit_test(test_offer),
		cmocka_unit_test(test_corpus_hosts),
		cmocka_unit_test(test_fqdn_ascii),
		cmocka_unit_test(test_hostile_capture),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_options_edge),
		cmocka_unit_test(test_prl_cap),
		cmocka_unit_test(test_v6_fqdn),
		cmocka_unit_test(test_v6_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
