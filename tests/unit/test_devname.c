/* SPDX-License-Identifier: ISC */
/*
 * test_devname.c: unit tests for dissect/devname.c: hand-made mDNS and
 * LLMNR responses, the NetBIOS messages of the ndpi corpus's netbios.pcap
 * (tests/unit/data/devname: frame 69, a positive name query response for
 * GUNNAR; frame 55, a node status response), every truncation, and names
 * that are refused.
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

#include "dissect/devname.h"
#include "dissect/dns.h"

#define DATA_DIR	SHADOWTAP_SRCDIR "/tests/unit/data/devname"

static struct dns_msg msg;

static size_t
slurp(const char *name, uint8_t *buf, size_t bufsz)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, bufsz, f);
	fclose(f);
	return n;
}

/*
 * An mDNS announcement (RFC 6762 8.3): no question, the answer
 * "Lucas-iPhone.local" A 192.168.1.20 with the cache-flush bit, then a
 * DNS-SD service name that is no device name.
 */
static void
test_mdns(void **state)
{
	static const uint8_t ann[] = { 0, 0, 0x84, 0x00, 0, 0, 0, 2, 0, 0,
	    0, 0,
	    4, '_', 's', 's', 'h', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c',
	    'a', 'l', 0, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 168, 1, 21,
	    12, 'L', 'u', 'c', 'a', 's', '-', 'i', 'P', 'h', 'o', 'n', 'e',
	    0xc0, 22, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 168, 1, 20 };
	static const uint8_t want[4] = { 192, 168, 1, 20 };
	struct devname dn;

	(void)state;
	assert_int_equal(dns_parse(ann, sizeof(ann), &msg), DIS_OK);
	assert_int_equal(devname_from_dns(&msg, DEVNAME_MDNS, &dn), 1);
	assert_string_equal(dn.name, "lucas-iphone");	/* dns.c lowers */
	assert_int_equal(dn.family, 4);
	assert_memory_equal(dn.addr, want, 4);
	/* As LLMNR it names nobody: the names have several labels. */
	assert_int_equal(devname_from_dns(&msg, DEVNAME_LLMNR, &dn), 0);
	/* A query names nobody. */
	msg.qr = 0;
	assert_int_equal(devname_from_dns(&msg, DEVNAME_MDNS, &dn), 0);
}

static void
test_llmnr(void **state)
{
	/* Response: question host1 A IN, answer (pointer) A 192.0.2.5. */
	static const uint8_t resp[] = { 0x12, 0x34, 0x80, 0x00, 0, 1, 0, 1,
	    0, 0, 0, 0, 5, 'h', 'o', 's', 't', '1', 0, 0, 1, 0, 1,
	    0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 5 };
	uint8_t bad[sizeof(resp)];
	struct devname dn;

	(void)state;
	assert_int_equal(dns_parse(resp, sizeof(resp), &msg), DIS_OK);
	assert_int_equal(devname_from_dns(&msg, DEVNAME_LLMNR, &dn), 1);
	assert_string_equal(dn.name, "host1");
	assert_int_equal(dn.src, DEVNAME_LLMNR);
	/* Not an mDNS name (no ".local"). */
	assert_int_equal(devname_from_dns(&msg, DEVNAME_MDNS, &dn), 0);
	/* A name with a character that is not a name's: refused. */
	memcpy(bad, resp, sizeof(bad));
	bad[15] = '"';
	assert_int_equal(dns_parse(bad, sizeof(bad), &msg), DIS_OK);
	assert_int_equal(devname_from_dns(&msg, DEVNAME_LLMNR, &dn), 0);
}

/*
 * A DNS-SD answer over mDNS (RFC 6763 12): the answer is a PTR to
 * "Lucas-iPhone._ssh._tcp.local", the additional section an SRV and then
 * "Lucas-iPhone.local" A 192.168.1.20. Only devname_from_mdns() reads
 * the additional section; a count beyond the records ends the walk.
 */
static void
test_mdns_additional(void **state)
{
	static const uint8_t sd[] = { 0, 0, 0x84, 0x00, 0, 0, 0, 1, 0, 0,
	    0, 2,
	    /* 12: _ssh._tcp.local PTR -> Lucas-iPhone.<12> */
	    4, '_', 's', 's', 'h', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c',
	    'a', 'l', 0, 0, 12, 0, 1, 0, 0, 0, 120, 0, 15,
	    /* 39 */ 12, 'L', 'u', 'c', 'a', 's', '-', 'i', 'P', 'h', 'o',
	    'n', 'e', 0xc0, 12,
	    /* SRV of <39>: priority, weight, port 22, target <39> */
	    0xc0, 39, 0, 33, 0x80, 1, 0, 0, 0, 120, 0, 8, 0, 0, 0, 0, 0, 22,
	    0xc0, 39,
	    /* Lucas-iPhone.local A 192.168.1.20 (name at 39 up to "_ssh",
	       then local at 22) */
	    12, 'L', 'u', 'c', 'a', 's', '-', 'i', 'P', 'h', 'o', 'n', 'e',
	    0xc0, 22, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 168, 1, 20 };
	static const uint8_t want[4] = { 192, 168, 1, 20 };
	uint8_t b[sizeof(sd)];
	struct dns_msg m;
	struct devname dn;
	size_t cut;

	(void)state;
	assert_int_equal(dns_parse(sd, sizeof(sd), &m), DIS_OK);
	assert_int_equal(devname_from_dns(&m, DEVNAME_MDNS, &dn), 0);
	assert_int_equal(devname_from_mdns(sd, sizeof(sd), &m, &dn), 1);
	assert_string_equal(dn.name, "lucas-iphone");
	assert_int_equal(dn.src, DEVNAME_MDNS);
	assert_int_equal(dn.family, 4);
	assert_memory_equal(dn.addr, want, 4);
	/* Cut anywhere in the additional section: no name, no overread. */
	for (cut = 54; cut < sizeof(sd); cut++) {
		assert_int_equal(dns_parse(sd, cut, &m), DIS_OK);
		assert_int_equal(devname_from_mdns(sd, cut, &m, &dn), 0);
	}
	/* More records announced than there are. */
	memcpy(b, sd, sizeof(b));
	b[11] = 40;
	assert_int_equal(dns_parse(b, sizeof(b), &m), DIS_OK);
	assert_int_equal(devname_from_mdns(b, sizeof(b), &m, &dn), 1);
	/* A query carries no names. */
	b[2] = 0;
	assert_int_equal(dns_parse(b, sizeof(b), &m), DIS_OK);
	assert_int_equal(devname_from_mdns(b, sizeof(b), &m, &dn), 0);
}

static void
test_nbns(void **state)
{
	static const uint8_t want[4] = { 10, 0, 4, 24 };
	uint8_t b[512];
	struct devname dn;
	size_t n, cut;

	(void)state;
	n = slurp("nbns-netbios-69.bin", b, sizeof(b));
	assert_int_equal(devname_nbns(b, n, &dn), DIS_OK);
	assert_string_equal(dn.name, "GUNNAR");
	assert_int_equal(dn.src, DEVNAME_NBNS);
	assert_memory_equal(dn.addr, want, 4);
	for (cut = 0; cut < n; cut++)
		assert_int_not_equal(devname_nbns(b, cut, &dn), DIS_OK);
	/* A letter outside 'A'..'P' in the encoded name. */
	b[13] = 'Z';
	assert_int_not_equal(devname_nbns(b, n, &dn), DIS_OK);
	/* The same registered as a group name (NB_FLAGS G): a workgroup. */
	n = slurp("nbns-netbios-69.bin", b, sizeof(b));
	b[n - 6] |= 0x80;
	assert_int_equal(devname_nbns(b, n, &dn), DIS_NOTME);
	/* A node status response (NBSTAT, name "*"): not a device name. */
	n = slurp("nbns-netbios-55.bin", b, sizeof(b));
	assert_int_equal(devname_nbns(b, n, &dn), DIS_NOTME);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mdns),
		cmocka_unit_test(test_llmnr),
		cmocka_unit_test(test_mdns_additional),
		cmocka_unit_test(test_nbns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
