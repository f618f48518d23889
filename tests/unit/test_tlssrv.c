/* SPDX-License-Identifier: ISC */
/*
 * test_tlssrv.c: unit tests for dissect/tlssrv.c. Real server streams come
 * from the seed corpus (tests/fuzz/corpus/tlssrv: server->client stream
 * prefixes cut from ../shared/corpus/ndpi); the names asserted are what
 * tshark shows (x509sat.*, x509ce.dNSName) and the manifest's cert= and
 * cert-O= values. Inline cases cover every prefix length, re-fragmented
 * records, resumption, TLS 1.3 and malformed framing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/tlssrv.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR "."
#endif

#define SEED_MAX	(64 * 1024)

static uint8_t seedbuf[SEED_MAX];
static uint8_t work[2 * SEED_MAX];

static size_t
seed(const char *name)
{
	char path[1024];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/tlssrv/%s",
	    SHADOWTAP_SRCDIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(seedbuf, 1, SEED_MAX, f);
	fclose(f);
	assert_true(n > 0 && n < SEED_MAX);
	return n;
}

static int
has_name(const struct tls_server *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], name) == 0)
			return 1;
	return 0;
}

static void
test_corpus(void **state)
{
	static const struct {
		const char *file, *cn, *o, *io, *name1, *name2;
		uint16_t version, cipher;
	} t[] = {
		{ "psiphon3", "sni.cloudflaressl.com", "Cloudflare, Inc.",
		    "Cloudflare, Inc.", "psiphon3.net", "*.psiphon3.net",
		    0x0303, 0xc02b },
		{ "dns-dot", "dns.google", "Google LLC",
		    "Google Trust Services", "dns.google", "*.dns.google.com",
		    0x0303, 0xcca8 },
		{ "anydesk-relay", "AnyNet Relay", "philandro Software GmbH",
		    "philandro Software GmbH", NULL, NULL, 0x0303, 0xc02c },
		{ "anydesk-client", "AnyDesk Client", "", "", NULL, NULL,
		    0x0303, 0x009f },
		{ "webex-san", "www.webex.com", "Cisco Systems",
		    "GeoTrust, Inc.", "www.webex.com.au", "www.webex.ca",
		    0x0301, 0x0035 },
		{ "webex-wildcard", "*.webex.com", "Cisco Systems, Inc.",
		    "Symantec Corporation", "*.webex.com", NULL, 0x0303,
		    0x0004 },
		{ "ftp-start-tls", "OSS Certificate", "Huawei", "Huawei",
		    "oss.huawei.com", NULL, 0x0301, 0x000a },
		{ "verylong-certificate", "p2.shared.global.fastly.net",
		    "Fastly, Inc.", "GlobalSign nv-sa",
		    "p2.shared.global.fastly.net", "*.abuse.ch", 0x0303,
		    0xc02f },
		{ "badssl", "*.badssl.com", "Lucas Garron Torres",
		    "DigiCert Inc", "*.badssl.com", "badssl.com", 0x0303,
		    0xc02f },
		{ "kakaotalk", "Kakao.com", "Kakao", "Kakao", "kakao.com",
		    NULL, 0x0301, 0x002f },
		{ "certificate-too-long", "wdcp.microsoft.com",
		    "Microsoft Corporation", "Microsoft Corporation",
		    "spynet2.microsoft.com", "*.cp.wd.microsoft.com", 0x0303,
		    0xc030 },
	};
	struct tls_server s;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = seed(t[i].file);
		assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
		assert_int_equal(s.tls13, 0);
		assert_true(s.has_cert);
		assert_int_equal(s.version, t[i].version);
		assert_int_equal(s.cipher, t[i].cipher);
		assert_string_equal(s.subject_cn, t[i].cn);
		assert_string_equal(s.subject_o, t[i].o);
		assert_string_equal(s.issuer_o, t[i].io);
		if (t[i].name1 != NULL)
			assert_true(has_name(&s, t[i].name1));
		if (t[i].name2 != NULL)
			assert_true(has_name(&s, t[i].name2));
		if (t[i].name1 == NULL)
			assert_int_equal(s.nnames, 0);
	}
}

static void
test_details(void **state)
{
	struct tls_server s;
	size_t n;

	(void)state;
	n = seed("psiphon3");
	assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
	assert_string_equal(s.alpn, "h2");
	assert_int_equal(s.nnames, 3);		/* CN is also the first SAN */
	assert_string_equal(s.names[0], "sni.cloudflaressl.com");

	/* "AnyDesk Client" is not a host name: only in subject_cn. */
	n = seed("anydesk-client");
	assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
	assert_int_equal(s.names_skipped, 1);

	/* 130 SANs: TLSSRV_MAX_NAMES kept, the rest counted. */
	n = seed("verylong-certificate");
	assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
	assert_int_equal(s.nnames, TLSSRV_MAX_NAMES);
	assert_true(s.names_skipped > 100);
	assert_string_equal(s.alpn, "http/1.1");
}

static void
test_tls13(void **state)
{
	struct tls_server s;
	size_t n;

	(void)state;
	n = seed("doh-tls13");
	assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
	assert_true(s.tls13);
	assert_int_equal(s.version, 0x0304);
	assert_int_equal(s.legacy_version, 0x0303);
	assert_int_equal(s.cipher, 0x1301);
	assert_int_equal(s.has_cert, 0);

	/* tls_2_reasms.pcapng: Facebook's Fizz draft 0xfb1a. */
	n = seed("fizz-tls13");
	assert_int_equal(tlssrv_parse(seedbuf, n, &s), DIS_OK);
	assert_true(s.tls13);
	assert_int_equal(s.version, 0xfb1a);
}

/*
 * Every prefix of a stream is DIS_MORE until the leaf certificate is
 * complete, and DIS_OK from there on.
 */
static void
test_prefixes(void **state)
{
	static const char *const files[] = { "psiphon3", "ftp-start-tls",
	    "doh-tls13" };
	struct tls_server s;
	enum dis_result rc;
	size_t f, i, n;
	int ok;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		n = seed(files[f]);
		ok = 0;
		for (i = 0; i <= n; i++) {
			rc = tlssrv_parse(seedbuf, i, &s);
			if (ok)
				assert_int_equal(rc, DIS_OK);
			else if (rc == DIS_OK)
				ok = 1;
			else
				assert_int_equal(rc, DIS_MORE);
		}
		assert_true(ok);
	}
}

/*
 * Re-frames the handshake bytes of the first records of p as records of
 * at most frag bytes; returns the new length in work[].
 */
static size_t
refragment(const uint8_t *p, size_t len, size_t frag)
{
	static uint8_t hs[SEED_MAX];
	size_t off = 0, got = 0, rl, out = 0, k;

	while (off + 5 <= len && p[off] == 22) {
		rl = (size_t)p[off + 3] << 8 | p[off + 4];
		if (off + 5 + rl > len)
			rl = len - off - 5;
		memcpy(hs + got, p + off + 5, rl);
		got += rl;
		off += 5 + rl;
	}
	for (k = 0; k < got; k += frag) {
		size_t n = got - k < frag ? got - k : frag;

		work[out++] = 22;
		work[out++] = 3;
		work[out++] = 3;
		work[out++] = (uint8_t)(n >> 8);
		work[out++] = (uint8_t)n;
		memcpy(work + out, hs + k, n);
		out += n;
	}
	return out;
}

static void
test_fragments(void **state)
{
	static const size_t frags[] = { 1, 7, 100, 1000, 16384 };
	struct tls_server s;
	size_t i, n, m;

	(void)state;
	n = seed("dns-dot");
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		m = refragment(seedbuf, n, frags[i]);
		assert_int_equal(tlssrv_parse(work, m, &s), DIS_OK);
		assert_string_equal(s.subject_cn, "dns.google");
		assert_true(has_name(&s, "dns64.dns.google"));
	}
}

/* A TLS 1.2 ServerHello, no session id, cipher 0xc02f, no extensions. */
static const uint8_t server_hello[] = {
	0x16, 0x03, 0x03, 0x00, 0x2a,		/* record: handshake, 42 */
	0x02, 0x00, 0x00, 0x26,			/* ServerHello, 38 */
	0x03, 0x03,				/* legacy_version */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* random */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00,					/* session id <0> */
	0xc0, 0x2f,				/* cipher */
	0x00,					/* compression */
};

static size_t
build(const uint8_t *tail, size_t tlen)
{
	memcpy(work, server_hello, sizeof(server_hello));
	memcpy(work + sizeof(server_hello), tail, tlen);
	return sizeof(server_hello) + tlen;
}

static void
test_framing(void **state)
{
	static const uint8_t ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
	static const uint8_t done[] = { 0x16, 0x03, 0x03, 0x00, 0x04,
	    0x0e, 0x00, 0x00, 0x00 };			/* ServerHelloDone */
	static const uint8_t empty[] = { 0x16, 0x03, 0x03, 0x00, 0x07,
	    0x0b, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00 };	/* no certs */
	static const uint8_t badlist[] = { 0x16, 0x03, 0x03, 0x00, 0x07,
	    0x0b, 0x00, 0x00, 0x03, 0x00, 0x00, 0x01 };
	static const uint8_t junk[] = { 0x16, 0x03, 0x03, 0x00, 0x0d,
	    0x0b, 0x00, 0x00, 0x09, 0x00, 0x00, 0x06, 0x00, 0x00, 0x03,
	    0x30, 0x01, 0x00 };				/* DER junk */
	struct tls_server s;
	size_t n;

	(void)state;
	/* Resumption: ServerHello, ChangeCipherSpec. */
	n = build(ccs, sizeof(ccs));
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_OK);
	assert_int_equal(s.has_cert, 0);
	assert_int_equal(s.cipher, 0xc02f);
	/* Alone, the ServerHello could still be followed by a Certificate. */
	assert_int_equal(tlssrv_parse(work, sizeof(server_hello), &s),
	    DIS_MORE);
	n = build(done, sizeof(done));
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_OK);
	n = build(empty, sizeof(empty));
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_OK);
	n = build(badlist, sizeof(badlist));
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_BAD);
	n = build(junk, sizeof(junk));
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_BAD);
	assert_int_equal(s.has_cert, 0);
	assert_int_equal(s.cipher, 0xc02f);

	/* A Certificate cut by a ChangeCipherSpec. */
	memcpy(work, server_hello, sizeof(server_hello));
	memcpy(work + sizeof(server_hello), junk, 10);
	work[sizeof(server_hello) + 4] = 5;
	memcpy(work + sizeof(server_hello) + 10, ccs, sizeof(ccs));
	assert_int_equal(tlssrv_parse(work, sizeof(server_hello) + 10 +
	    sizeof(ccs), &s), DIS_BAD);

	/* What follows a complete leaf does not matter, even a bad record. */
	n = seed("kakaotalk");
	memcpy(work, seedbuf, n);
	memcpy(work + n, "\x16\x09\x09\x00\x00", 5);
	assert_int_equal(tlssrv_parse(work, n + 5, &s), DIS_OK);
	assert_string_equal(s.names[0], "kakao.com");

	/* Session id of 33 octets. */
	memcpy(work, server_hello, sizeof(server_hello));
	work[43] = 33;
	assert_int_equal(tlssrv_parse(work, sizeof(server_hello), &s),
	    DIS_BAD);
}

static void
test_notme(void **state)
{
	static const uint8_t client_hello[] = { 0x16, 0x03, 0x01, 0x00, 0x04,
	    0x01, 0x00, 0x00, 0x00 };
	static const uint8_t alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02,
	    0x28 };
	struct tls_server s;

	(void)state;
	assert_int_equal(tlssrv_parse((const uint8_t *)"HTTP/1.1 200 OK\r\n",
	    17, &s), DIS_NOTME);
	assert_int_equal(tlssrv_parse(client_hello, sizeof(client_hello), &s),
	    DIS_NOTME);
	assert_int_equal(tlssrv_parse(alert, sizeof(alert), &s), DIS_NOTME);
	assert_int_equal(tlssrv_parse(client_hello, 6, &s), DIS_NOTME);
	assert_int_equal(tlssrv_parse(client_hello, 5, &s), DIS_MORE);
	assert_int_equal(tlssrv_parse(NULL, 0, &s), DIS_MORE);
}

/* A leaf certificate larger than TLSSRV_HS_MAX cannot be decoded. */
static void
test_leaf_too_big(void **state)
{
	static const uint8_t cert_hdr[] = { 0x16, 0x03, 0x03, 0x40, 0x00,
	    0x0b, 0x00, 0x9c, 0x46, 0x00, 0x9c, 0x43, 0x00, 0x9c, 0x40 };
	struct tls_server s;
	size_t n;

	(void)state;
	n = build(cert_hdr, sizeof(cert_hdr));
	memset(work + n, 0x30, 0x4000 - 10);
	n += 0x4000 - 10;
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_MORE);
	/* One more full record overflows the 32 KiB buffer. */
	work[n++] = 0x16, work[n++] = 3, work[n++] = 3;
	work[n++] = 0x40, work[n++] = 0x00;
	memset(work + n, 0x30, 0x4000);
	n += 0x4000;
	assert_int_equal(tlssrv_parse(work, n, &s), DIS_BAD);
	assert_int_equal(s.cipher, 0xc02f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_tls13),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_leaf_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
