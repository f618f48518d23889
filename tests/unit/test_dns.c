/* SPDX-License-Identifier: ISC */
/*
 * test_dns.c: unit tests for dissect/dns.c: questions, A/AAAA/CNAME
 * answers, truncation at every length, compression pointer abuse (loops,
 * forward and self pointers), label and name length limits.
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

#include "dissect/dns.h"

/* Standard query for www.Example.COM A, recursion desired. */
static const uint8_t query[] = {
	0x12, 0x34,		/* ID */
	0x01, 0x00,		/* QR=0 opcode=QUERY RD=1 */
	0x00, 0x01,		/* QDCOUNT 1 */
	0x00, 0x00,		/* ANCOUNT 0 */
	0x00, 0x00,		/* NSCOUNT 0 */
	0x00, 0x00,		/* ARCOUNT 0 */
	0x03, 'w', 'w', 'w',	/* offset 12: QNAME */
	0x07, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
	0x03, 'C', 'O', 'M',
	0x00,			/* root */
	0x00, 0x01,		/* QTYPE A */
	0x00, 0x01,		/* QCLASS IN */
};

/*
 * Response: www.example.com CNAME edge.cdn.net, edge.cdn.net A, AAAA, and
 * a TXT that is skipped. Names are compressed against earlier ones.
 */
static const uint8_t response[] = {
	0xab, 0xcd,		/* ID */
	0x81, 0x80,		/* QR=1 opcode=QUERY RD RA rcode=0 */
	0x00, 0x01,		/* QDCOUNT 1 */
	0x00, 0x04,		/* ANCOUNT 4 */
	0x00, 0x00,		/* NSCOUNT */
	0x00, 0x00,		/* ARCOUNT */
	0x03, 'w', 'w', 'w',	/* 12: QNAME www.example.com */
	0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	0x03, 'c', 'o', 'm',
	0x00,
	0x00, 0x01,		/* QTYPE A */
	0x00, 0x01,		/* QCLASS IN */
	/* 33: answer 1 */
	0xc0, 0x0c,		/* NAME -> 12 */
	0x00, 0x05,		/* TYPE CNAME */
	0x00, 0x01,		/* CLASS IN */
	0x00, 0x00, 0x01, 0x2c,	/* TTL 300 */
	0x00, 0x0e,		/* RDLENGTH 14 */
	0x04, 'e', 'd', 'g', 'e',	/* 45: edge */
	0x03, 'c', 'd', 'n',		/* 50: cdn */
	0x03, 'n', 'e', 't',		/* 54: net */
	0x00,
	/* 59: answer 2 */
	0xc0, 0x2d,		/* NAME -> 45 edge.cdn.net */
	0x00, 0x01,		/* TYPE A */
	0x00, 0x01,		/* CLASS IN */
	0x00, 0x00, 0x00, 0x3c,	/* TTL 60 */
	0x00, 0x04,		/* RDLENGTH 4 */
	192, 0, 2, 7,		/* 192.0.2.7 */
	/* 75: answer 3 */
	0xc0, 0x2d,		/* NAME -> 45 */
	0x00, 0x1c,		/* TYPE AAAA */
	0x00, 0x01,		/* CLASS IN */
	0x00, 0x00, 0x00, 0x3c,	/* TTL 60 */
	0x00, 0x10,		/* RDLENGTH 16 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* 2001:db8::1 */
	0, 0, 0, 0, 0, 0, 0, 0x01,
	/* 103: answer 4 */
	0xc0, 0x2d,		/* NAME -> 45 */
	0x00, 0x10,		/* TYPE TXT */
	0x00, 0x01,		/* CLASS IN */
	0x00, 0x00, 0x00, 0x3c,	/* TTL */
	0x00, 0x03,		/* RDLENGTH 3 */
	0x02, 'h', 'i',		/* "hi" */
};
#define RESPONSE_Q_END	33	/* first byte after the question */
#define RESPONSE_A1_END	59

static void
test_query(void **state)
{
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(query, sizeof(query), &m), DIS_OK);
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(m.qr, 0);
	assert_int_equal(m.opcode, 0);
	assert_int_equal(m.qdcount, 1);
	assert_string_equal(m.qname, "www.example.com");
	assert_int_equal(m.qtype, DNS_TYPE_A);
	assert_int_equal(m.qclass, 1);
	assert_int_equal(m.nanswers, 0);
	assert_int_equal(m.truncated, 0);
}

static void
test_response(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(response, sizeof(response), &m), DIS_OK);
	assert_int_equal(m.qr, 1);
	assert_int_equal(m.rcode, 0);
	assert_int_equal(m.ancount, 4);
	assert_string_equal(m.qname, "www.example.com");
	assert_int_equal(m.nanswers, 3);
	assert_int_equal(m.answers_skipped, 1);
	assert_int_equal(m.truncated, 0);
	assert_int_equal(m.answers[0].type, DNS_TYPE_CNAME);
	assert_int_equal(m.answers[0].ttl, 300);
	assert_string_equal(m.answers[0].name, "www.example.com");
	assert_string_equal(m.answers[0].cname, "edge.cdn.net");
	assert_int_equal(m.answers[1].type, DNS_TYPE_A);
	assert_string_equal(m.answers[1].name, "edge.cdn.net");
	assert_memory_equal(m.answers[1].addr, ((uint8_t[]){ 192, 0, 2, 7 }),
	    4);
	assert_int_equal(m.answers[2].type, DNS_TYPE_AAAA);
	assert_memory_equal(m.answers[2].addr, v6, 16);
}

/* Every prefix: short header, broken question, then partial answers. */
static void
test_truncation_every_length(void **state)
{
	struct dns_msg m;
	enum dis_result rc;
	size_t len;

	(void)state;
	for (len = 0; len < sizeof(response); len++) {
		rc = dns_parse(response, len, &m);
		if (len < 12) {
			assert_int_equal(rc, DIS_NOTME);
		} else if (len < RESPONSE_Q_END) {
			assert_int_equal(rc, DIS_BAD);
			assert_string_equal(m.qname, "");
		} else {
			assert_int_equal(rc, DIS_OK);
			assert_string_equal(m.qname, "www.example.com");
			assert_int_equal(m.truncated, 1);
			assert_true(m.nanswers <= 3);
			if (len < RESPONSE_A1_END)
				assert_int_equal(m.nanswers, 0);
			else
				assert_string_equal(m.answers[0].cname,
				    "edge.cdn.net");
		}
	}
}

/* A header followed by the given question name and QTYPE/QCLASS. */
static size_t
build(uint8_t *buf, size_t bufsz, const uint8_t *name, size_t nlen)
{
	static const uint8_t hdr[12] = {
		0, 1,		/* ID */
		0x01, 0x00,	/* query */
		0, 1,		/* QDCOUNT 1 */
		0, 0, 0, 0, 0, 0,
	};

	assert_true(sizeof(hdr) + nlen + 4 <= bufsz);
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), name, nlen);
	memcpy(buf + sizeof(hdr) + nlen, "\0\1\0\1", 4);
	return sizeof(hdr) + nlen + 4;
}

static void
test_pointer_self(void **state)
{
	static const uint8_t name[] = {
		0xc0, 0x0c,	/* 12: pointer to itself */
	};
	uint8_t buf[64];
	struct dns_msg m;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), name, sizeof(name));
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);
	assert_string_equal(m.qname, "");
}

static void
test_pointer_loop_within_name(void **state)
{
	static const uint8_t name[] = {
		0x01, 'a',	/* 12: "a" */
		0xc0, 0x0c,	/* 14: pointer back to 12, the same run */
	};
	uint8_t buf[64];
	struct dns_msg m;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), name, sizeof(name));
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);
}

static void
test_pointer_forward(void **state)
{
	static const uint8_t name[] = {
		0xc0, 0x0e,	/* 12: pointer forward to 14 */
		0x01, 'a', 0x00,	/* 14: "a" */
	};
	uint8_t buf[64];
	struct dns_msg m;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), name, sizeof(name));
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);
}

static void
test_pointer_into_header(void **state)
{
	static const uint8_t name[] = {
		0xc0, 0x02,	/* 12: pointer to offset 2 (flags) */
	};
	uint8_t buf[64];
	struct dns_msg m;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), name, sizeof(name));
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);
}

/*
 * Two answers whose names point at each other: the second points back to
 * the first (fine), the first's tail points forward to the second (refused
 * because it is not before the run it ends).
 */
static void
test_pointer_mutual_loop(void **state)
{
	static const uint8_t msg[] = {
		0, 1,			/* ID */
		0x81, 0x80,		/* response */
		0, 0,			/* QDCOUNT 0 */
		0, 1,			/* ANCOUNT 1 */
		0, 0, 0, 0,
		0x01, 'x', 0xc0, 0x10,	/* 12: "x" -> 16 (forward) */
		0x01, 'y', 0xc0, 0x0c,	/* 16: "y" -> 12 */
		0, 1, 0, 1,		/* TYPE A CLASS IN */
		0, 0, 0, 1, 0, 4,	/* TTL, RDLENGTH */
		1, 2, 3, 4,
	};
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(msg, sizeof(msg), &m), DIS_OK);
	assert_int_equal(m.nanswers, 0);
	assert_int_equal(m.truncated, 1);
}

/* Chained backward pointers are fine: 38 -> 21 -> 12. */
static void
test_pointer_chain(void **state)
{
	static const uint8_t msg[] = {
		0, 1, 0x81, 0x80,	/* ID, response */
		0, 1, 0, 2,		/* QDCOUNT 1, ANCOUNT 2 */
		0, 0, 0, 0,
		0x03, 'c', 'o', 'm', 0x00,	/* 12: QNAME com */
		0, 2, 0, 1,			/* NS IN */
		0x03, 'c', 'd', 'n', 0xc0, 0x0c, /* 21: cdn -> 12 */
		0, 16, 0, 1,			/* TXT IN */
		0, 0, 0, 9, 0, 1, 0x00,		/* TTL, RDLENGTH 1, "" */
		0x01, 'a', 0xc0, 0x15,		/* 38: a -> 21 */
		0, 1, 0, 1, 0, 0, 0, 9, 0, 4,	/* A IN TTL 9 len 4 */
		10, 0, 0, 1,
	};
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(msg, sizeof(msg), &m), DIS_OK);
	assert_string_equal(m.qname, "com");
	assert_int_equal(m.nanswers, 1);
	assert_int_equal(m.answers_skipped, 1);
	assert_string_equal(m.answers[0].name, "a.cdn.com");
	assert_int_equal(m.truncated, 0);
}

static void
test_label_limits(void **state)
{
	uint8_t name[300], buf[320];
	struct dns_msg m;
	size_t n, i, k;

	(void)state;
	/* 63-octet label: fine. */
	name[0] = 63;
	memset(name + 1, 'a', 63);
	name[64] = 0;
	n = build(buf, sizeof(buf), name, 65);
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_int_equal(strlen(m.qname), 63);

	/* 64 is 0x40, an extended label type: malformed. */
	name[0] = 64;
	memset(name + 1, 'a', 64);
	name[65] = 0;
	n = build(buf, sizeof(buf), name, 66);
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);

	/* 0x80 label type: malformed. */
	name[0] = 0x81;
	n = build(buf, sizeof(buf), name, 66);
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);

	/* 255 wire octets (3 x 63 + 61 + 5 length/root octets): fine. */
	for (i = 0, k = 0; i < 4; i++) {
		size_t l = i < 3 ? 63 : 61;

		name[k++] = (uint8_t)l;
		memset(name + k, 'b', l);
		k += l;
	}
	name[k++] = 0;
	assert_int_equal(k, 255);
	n = build(buf, sizeof(buf), name, k);
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_int_equal(strlen(m.qname), 253);

	/* 256 wire octets: one more in the last label. */
	for (i = 0, k = 0; i < 4; i++) {
		size_t l = i < 3 ? 63 : 62;

		name[k++] = (uint8_t)l;
		memset(name + k, 'b', l);
		k += l;
	}
	name[k++] = 0;
	n = build(buf, sizeof(buf), name, k);
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);

	/* 127 one-octet labels (255 octets): fine; 128: too long. */
	for (k = 0, i = 0; i < 127; i++) {
		name[k++] = 1;
		name[k++] = 'c';
	}
	name[k++] = 0;
	n = build(buf, sizeof(buf), name, k);
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_int_equal(strlen(m.qname), 253);
	for (k = 0, i = 0; i < 128; i++) {
		name[k++] = 1;
		name[k++] = 'c';
	}
	name[k++] = 0;
	n = build(buf, sizeof(buf), name, k);
	assert_int_equal(dns_parse(buf, n, &m), DIS_BAD);
}

/* Labels that are structurally fine but not host names: qname "". */
static void
test_odd_labels(void **state)
{
	static const uint8_t dot[] = {
		0x03, 'a', '.', 'b',	/* label holding a dot */
		0x03, 'c', 'o', 'm', 0x00,
	};
	static const uint8_t space[] = {
		0x03, 'a', ' ', 'b',	/* label holding a space */
		0x00,
	};
	static const uint8_t high[] = {
		0x02, 0xc3, 0xa9,	/* UTF-8 e-acute, raw */
		0x00,
	};
	static const uint8_t root[] = {
		0x00,			/* the root */
	};
	uint8_t buf[64];
	struct dns_msg m;
	size_t n;

	(void)state;
	n = build(buf, sizeof(buf), dot, sizeof(dot));
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_string_equal(m.qname, "");
	assert_int_equal(m.qtype, DNS_TYPE_A);
	n = build(buf, sizeof(buf), space, sizeof(space));
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_string_equal(m.qname, "");
	n = build(buf, sizeof(buf), high, sizeof(high));
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_string_equal(m.qname, "");
	n = build(buf, sizeof(buf), root, sizeof(root));
	assert_int_equal(dns_parse(buf, n, &m), DIS_OK);
	assert_string_equal(m.qname, "");
}

static void
test_notme(void **state)
{
	uint8_t buf[sizeof(query)];
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(query, 11, &m), DIS_NOTME);
	assert_int_equal(dns_parse(NULL, 0, &m), DIS_NOTME);

	memcpy(buf, query, sizeof(buf));
	buf[5] = 17;				/* QDCOUNT 17 */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_NOTME);
	buf[5] = 16;				/* 16 is allowed... */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_BAD);

	memcpy(buf, query, sizeof(buf));
	buf[6] = 0x01;				/* ANCOUNT 257 */
	buf[7] = 0x01;
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_NOTME);

	memcpy(buf, query, sizeof(buf));
	buf[2] = 2 << 3;			/* opcode STATUS */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_NOTME);
	buf[2] = 6 << 3;			/* opcode DSO */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_NOTME);
	buf[2] = 4 << 3;			/* opcode NOTIFY */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_OK);
	assert_int_equal(m.opcode, 4);
}

/* UPDATE: the answer section holds prerequisites, not resolutions. */
static void
test_update_answers_not_learnt(void **state)
{
	uint8_t buf[sizeof(response)];
	struct dns_msg m;

	(void)state;
	memcpy(buf, response, sizeof(buf));
	buf[2] = 0x80 | 5 << 3;			/* QR=1 opcode UPDATE */
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_OK);
	assert_int_equal(m.nanswers, 0);
	assert_int_equal(m.answers_skipped, 4);
}

/* mDNS response: no question, cache-flush bit set in CLASS. */
static void
test_mdns(void **state)
{
	static const uint8_t msg[] = {
		0x00, 0x00,		/* ID 0 */
		0x84, 0x00,		/* QR=1 AA=1 */
		0x00, 0x00,		/* QDCOUNT 0 */
		0x00, 0x01,		/* ANCOUNT 1 */
		0x00, 0x00, 0x00, 0x00,
		0x07, 'P', 'r', 'i', 'n', 't', 'e', 'r',
		0x05, 'l', 'o', 'c', 'a', 'l', 0x00,
		0x00, 0x01,		/* TYPE A */
		0x80, 0x01,		/* CLASS IN | cache flush */
		0x00, 0x00, 0x00, 0x78,	/* TTL 120 */
		0x00, 0x04,		/* RDLENGTH */
		192, 168, 1, 20,
	};
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(msg, sizeof(msg), &m), DIS_OK);
	assert_string_equal(m.qname, "");
	assert_int_equal(m.nanswers, 1);
	assert_string_equal(m.answers[0].name, "printer.local");
	assert_int_equal(m.answers[0].ttl, 120);
}

/* Wrong RDLENGTH for A, class CH, and a CNAME whose labels leave RDATA. */
static void
test_bad_rdata(void **state)
{
	static const uint8_t msg[] = {
		0, 1, 0x81, 0x80,
		0, 0, 0, 3, 0, 0, 0, 0,	/* ANCOUNT 3 */
		0x01, 'a', 0x00,	/* 12: "a" */
		0, 1, 0, 1, 0, 0, 0, 1,	/* A IN TTL 1 */
		0, 5, 1, 2, 3, 4, 5,	/* RDLENGTH 5: skipped */
		0xc0, 0x0c,		/* 29: -> "a" */
		0, 1, 0, 3, 0, 0, 0, 1,	/* A CH */
		0, 4, 1, 2, 3, 4,	/* skipped: not IN */
		0xc0, 0x0c,		/* 45: -> "a" */
		0, 5, 0, 1, 0, 0, 0, 1,	/* CNAME IN */
		0, 2,			/* RDLENGTH 2 but name is 3 long */
		0x01, 'b', 0x00,
	};
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(msg, sizeof(msg), &m), DIS_OK);
	assert_int_equal(m.nanswers, 0);
	assert_int_equal(m.answers_skipped, 2);
	assert_int_equal(m.truncated, 1);
}

/* More answers than DNS_MAX_ANSWERS: the rest are counted. */
static void
test_answer_cap(void **state)
{
	static const uint8_t head[] = {
		0, 1, 0x81, 0x80,
		0, 1, 0, 20,		/* QDCOUNT 1, ANCOUNT 20 */
		0, 0, 0, 0,
		0x01, 'q', 0x00, 0, 1, 0, 1,	/* q A IN */
	};
	static const uint8_t rr[] = {
		0xc0, 0x0c,		/* -> "q" */
		0, 1, 0, 1,		/* A IN */
		0, 0, 0, 5,		/* TTL */
		0, 4, 10, 0, 0, 0,	/* 10.0.0.x */
	};
	uint8_t buf[sizeof(head) + 20 * sizeof(rr)];
	struct dns_msg m;
	size_t i;

	(void)state;
	memcpy(buf, head, sizeof(head));
	for (i = 0; i < 20; i++) {
		memcpy(buf + sizeof(head) + i * sizeof(rr), rr, sizeof(rr));
		buf[sizeof(head) + i * sizeof(rr) + sizeof(rr) - 1] =
		    (uint8_t)i;
	}
	assert_int_equal(dns_parse(buf, sizeof(buf), &m), DIS_OK);
	assert_int_equal(m.nanswers, DNS_MAX_ANSWERS);
	assert_int_equal(m.answers_skipped, 20 - DNS_MAX_ANSWERS);
	assert_int_equal(m.answers[15].addr[3], 15);
	assert_int_equal(m.truncated, 0);
}

/* Several questions: the first is kept, the others are walked past. */
static void
test_two_questions(void **state)
{
	static const uint8_t msg[] = {
		0, 1, 0x01, 0x00,
		0, 2, 0, 0, 0, 0, 0, 0,	/* QDCOUNT 2 */
		0x01, 'a', 0x00, 0, 1, 0, 1,	/* a A IN */
		0x01, 'b', 0xc0, 0x0c, 0, 28, 0, 1,	/* b.a AAAA IN */
	};
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(msg, sizeof(msg), &m), DIS_OK);
	assert_string_equal(m.qname, "a");
	assert_int_equal(m.qtype, DNS_TYPE_A);
	assert_int_equal(dns_parse(msg, sizeof(msg) - 1, &m), DIS_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_truncation_every_length),
		cmocka_unit_test(test_pointer_self),
		cmocka_unit_test(test_pointer_loop_within_name),
		cmocka_unit_test(test_pointer_forward),
		cmocka_unit_test(test_pointer_into_header),
		cmocka_unit_test(test_pointer_mutual_loop),
		cmocka_unit_test(test_pointer_chain),
		cmocka_unit_test(test_label_limits),
		cmocka_unit_test(test_odd_labels),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_update_answers_not_learnt),
		cmocka_unit_test(test_mdns),
		cmocka_unit_test(test_bad_rdata),
		cmocka_unit_test(test_answer_cap),
		cmocka_unit_test(test_two_questions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
