/* SPDX-License-Identifier: ISC */
/*
 * test_events_eve.c: the Community ID against the spec's own baseline
 * (community-id-spec, baseline/baseline_deflt.json: seed 0, and
 * baseline_seed1.json), the flow_id's symmetry, and one EVE flow line.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/record.h"
#include "base/verdict.h"
#include "base/app.h"
#include "events_eve.h"

struct vec {
	uint16_t	 seed;
	uint8_t		 proto;
	const char	*saddr;
	const char	*daddr;
	uint16_t	 sport;		/* ICMP: type */
	uint16_t	 dport;		/* ICMP: code, or the type's pair */
	const char	*want;
};

/* The baseline's rows, in its order (ports 0 for RSVP's null). */
static const struct vec vecs[] = {
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da",
	    136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da",
	    135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=" },
	{ 0, 58, "3ffe:501:410:0:2c0:dfff:fe47:33e",
	    "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4,
	    "1:hLZd0XGWojozrvxqE0dWB1iM6R0=" },
	{ 0, 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2",
	    128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134,
	    "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133,
	    "1:pkvHqCL88/tg1k4cPigmZXUtL00=" },
	{ 0, 1, "192.168.0.89", "192.168.0.1", 8, 0,
	    "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "192.168.0.1", "192.168.0.89", 0, 8,
	    "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "10.0.0.1", "10.0.0.2", 11, 0,
	    "1:YHxtAirCG//0OzkcVAukqKQN9xM=" },
	{ 0, 6, "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    "2607:f8b0:400c:c03::1a", 63943, 25,
	    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 6, "2607:f8b0:400c:c03::1a",
	    "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
	    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 132, "192.168.170.8", "192.168.170.56", 7, 7,
	    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 132, "192.168.170.56", "192.168.170.8", 7, 7,
	    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 6, "128.232.110.120", "66.35.250.204", 34855, 80,
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 6, "66.35.250.204", "128.232.110.120", 80, 34855,
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 17, "192.168.1.52", "8.8.8.8", 54585, 53,
	    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 17, "8.8.8.8", "192.168.1.52", 53, 54585,
	    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 46, "10.1.12.1", "10.1.12.2", 0, 0,
	    "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	{ 0, 46, "10.1.12.2", "10.1.12.1", 0, 0,
	    "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	/* baseline_seed1.json: one row of each kind. */
	{ 1, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    135, 136, "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=" },
	{ 1, 1, "10.0.0.1", "10.0.0.2", 11, 0,
	    "1:XjUibYHaafLQ3pxQeiMI8g25q20=" },
	{ 1, 6, "2607:f8b0:400c:c03::1a",
	    "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
	    "1:eJYTW6AOzFLlSUoESovMjnu7rMw=" },
	{ 1, 6, "128.232.110.120", "66.35.250.204", 34855, 80,
	    "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 1, 17, "8.8.8.8", "192.168.1.52", 53, 54585,
	    "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 1, 46, "10.1.12.2", "10.1.12.1", 0, 0,
	    "1:rYir8gphR31noO9iDRQmF/BteEI=" },
};

static int
parse(const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
	return 6;
}

static void
test_baseline(void **state)
{
	uint8_t sa[16], da[16];
	char buf[EVENTS_EVE_CID_LEN];
	size_t i;
	int fam;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		fam = parse(vecs[i].saddr, sa);
		assert_int_equal(parse(vecs[i].daddr, da), fam);
		events_eve_community_id(vecs[i].seed, fam, vecs[i].proto, sa,
		    vecs[i].sport, da, vecs[i].dport, buf, sizeof(buf));
		if (strcmp(buf, vecs[i].want) != 0)
			fail_msg("row %zu (%s -> %s proto %u): %s, want %s",
			    i, vecs[i].saddr, vecs[i].daddr, vecs[i].proto,
			    buf, vecs[i].want);
	}
}

static void
test_short_buffer(void **state)
{
	uint8_t sa[16], da[16];
	char buf[EVENTS_EVE_CID_LEN];

	(void)state;
	parse("192.168.1.52", sa);
	parse("8.8.8.8", da);
	memset(buf, 'x', sizeof(buf));
	events_eve_community_id(0, 4, IPPROTO_UDP, sa, 54585, da, 53, buf,
	    sizeof(buf) - 1);
	assert_string_equal(buf, "");
}

static void
test_flow_id(void **state)
{
	uint8_t sa[16], da[16];
	int64_t a, b, c, d;

	(void)state;
	parse("192.168.1.52", sa);
	parse("8.8.8.8", da);
	a = events_eve_flow_id(4, IPPROTO_UDP, sa, 54585, da, 53, 0);
	b = events_eve_flow_id(4, IPPROTO_UDP, da, 53, sa, 54585, 0);
	c = events_eve_flow_id(4, IPPROTO_UDP, sa, 54586, da, 53, 0);
	d = events_eve_flow_id(4, IPPROTO_UDP, sa, 54585, da, 53, 10);
	assert_true(a > 0 && a < (INT64_C(1) << 53));
	assert_true(a == b);
	assert_true(a != c);
	assert_true(a != d);
}

/* One TLS flow: a "tls" event then a "flow" event, EVE's names, no vlan. */
static void
test_flow_lines(void **state)
{
	static struct flow_record r;
	char buf[4096], *nl, want[128];
	FILE *fp;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.first_us = INT64_C(1714557600123456);	/* 2024-05-01T10:00:00 */
	r.last_us = r.first_us + 2500000;
	r.family = 4;
	r.proto = IPPROTO_TCP;
	r.app = APP_TLS;
	r.name_src = NAME_SNI;
	r.verdict = VERDICT_UNSANCTIONED;
	r.evidence = EVIDENCE_SNI;
	r.confidence = 90;
	r.has_mac = 1;
	memcpy(r.client_mac, "\x02\x00\x00\x00\x00\x01", 6);
	parse("128.232.110.120", r.client_ip);
	parse("66.35.250.204", r.server_ip);
	r.client_port = 34855;
	r.server_port = 80;
	strcpy(r.name, "www.dropbox.com");
	strcpy(r.service, "dropbox");
	strcpy(r.category, "file-sharing");
	fp = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(fp);
	events_eve_flow(fp, "sensor-1", &r, NULL);
	fclose(fp);
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_non_null(strstr(buf,
	    "{\"timestamp\":\"2024-05-01T10:00:00.123456+0000\","));
	assert_non_null(strstr(buf, "\"event_type\":\"tls\""));
	assert_non_null(strstr(buf, "\"tls\":{\"sni\":\"www.dropbox.com\"}"));
	assert_non_null(strstr(buf,
	    "\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\""));
	assert_non_null(strstr(buf, "\"ether\":{\"src_mac\":"
	    "\"02:00:00:00:00:01\"}"));
	assert_non_null(strstr(buf, "\"host\":\"sensor-1\""));
	snprintf(want, sizeof(want), "\"flow_id\":%lld,", (long long)
	    events_eve_flow_id(4, IPPROTO_TCP, r.client_ip, 34855,
	    r.server_ip, 80, 0));
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(nl + 1, want));
	assert_non_null(strstr(nl + 1,
	    "{\"timestamp\":\"2024-05-01T10:00:02.623456+0000\","));
	assert_non_null(strstr(nl + 1, "\"event_type\":\"flow\""));
	assert_non_null(strstr(nl + 1, "\"proto\":\"TCP\""));
	assert_non_null(strstr(nl + 1, "\"app_proto\":\"tls\""));
	assert_non_null(strstr(nl + 1, "\"age\":2"));
	assert_non_null(strstr(nl + 1, "\"verdict\":\"unsanctioned\""));
	assert_null(strstr(buf, "vlan"));
	assert_null(strstr(nl + 1, "vlan"));
	assert_null(strstr(nl + 1, "country"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_flow_id),
		cmocka_unit_test(test_flow_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
