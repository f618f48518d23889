/* SPDX-License-Identifier: ISC */
/*
 * test_tls.c: unit tests for dissect/tls.c: a Chrome-like ClientHello with
 * GREASE, SNI, ALPN, supported_versions and ECH; truncation at every
 * length; the hello split over several records (down to one byte each);
 * not-TLS streams; malformed vectors and list caps.
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

#include "dissect/ja3.h"
#include "dissect/tls.h"

#define REC_HDR		5
#define HS_HDR		4

static const uint8_t hello[] = {
	/* Record layer, RFC 8446 section 5.1 */
	0x16,			/* content type handshake */
	0x03, 0x01,		/* legacy_record_version TLS 1.0 */
	0x00, 0xb0,		/* length 176 */
	/* Handshake, RFC 8446 section 4 */
	0x01,			/* client_hello */
	0x00, 0x00, 0xac,	/* length 172 */
	/* ClientHello, RFC 8446 section 4.1.2 */
	0x03, 0x03,		/* legacy_version TLS 1.2 */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* random */
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	0x20,			/* legacy_session_id length 32 */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0x00, 0x08,		/* cipher_suites length 8 */
	0x0a, 0x0a,		/* GREASE */
	0x13, 0x01,		/* TLS_AES_128_GCM_SHA256 */
	0x13, 0x02,		/* TLS_AES_256_GCM_SHA384 */
	0xc0, 0x2f,		/* ECDHE_RSA_AES_128_GCM_SHA256 */
	0x01, 0x00,		/* compression: 1 method, null */
	0x00, 0x5b,		/* extensions length 91 */
	0x0a, 0x0a, 0x00, 0x00,	/* GREASE extension, empty */
	0x00, 0x00, 0x00, 0x10,	/* server_name, length 16 */
	0x00, 0x0e,		/* server_name_list length 14 */
	0x00,			/* host_name */
	0x00, 0x0b,		/* length 11 */
	'E', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
	0x00, 0x0a, 0x00, 0x08,	/* supported_groups, length 8 */
	0x00, 0x06,		/* list length 6 */
	0x1a, 0x1a,		/* GREASE */
	0x00, 0x1d,		/* x25519 */
	0x00, 0x17,		/* secp256r1 */
	0x00, 0x0b, 0x00, 0x02,	/* ec_point_formats, length 2 */
	0x01, 0x00,		/* 1 format: uncompressed */
	0x00, 0x0d, 0x00, 0x08,	/* signature_algorithms, length 8 */
	0x00, 0x06,		/* list length 6 */
	0x04, 0x03,		/* ecdsa_secp256r1_sha256 */
	0x08, 0x04,		/* rsa_pss_rsae_sha256 */
	0x04, 0x01,		/* rsa_pkcs1_sha256 */
	0x00, 0x10, 0x00, 0x0e,	/* ALPN, length 14 */
	0x00, 0x0c,		/* protocol_name_list length 12 */
	0x02, 'h', '2',
	0x08, 'h', 't', 't', 'p', '/', '1', '.', '1',
	0x00, 0x2b, 0x00, 0x07,	/* supported_versions, length 7 */
	0x06,			/* list length 6 */
	0x3a, 0x3a,		/* GREASE */
	0x03, 0x04,		/* TLS 1.3 */
	0x03, 0x03,		/* TLS 1.2 */
	0xfe, 0x0d, 0x00, 0x04,	/* encrypted_client_hello, length 4 */
	0x00, 0x00, 0x01, 0x00,	/* (opaque here) */
};

/* Offsets into hello[] for the mutation tests. */
#define OFF_SIDLEN	(REC_HDR + HS_HDR + 2 + 32)
#define OFF_CIPHERS	(OFF_SIDLEN + 1 + 32)
#define OFF_EXTS	(OFF_CIPHERS + 2 + 8 + 2)
#define OFF_SNI		(OFF_EXTS + 2 + 4)

static void
check_hello(const struct tls_hello *h)
{
	assert_int_equal(h->version, 0x0303);
	assert_int_equal(h->has_sni, 1);
	assert_string_equal(h->sni, "example.com");
	assert_int_equal(h->ech, 1);
	assert_int_equal(h->nciphers, 4);
	assert_int_equal(h->ciphers[0], 0x0a0a);
	assert_int_equal(h->ciphers[3], 0xc02f);
	assert_int_equal(h->nexts, 8);
	assert_int_equal(h->exts[0], 0x0a0a);
	assert_int_equal(h->exts[1], TLS_EXT_SERVER_NAME);
	assert_int_equal(h->exts[7], TLS_EXT_ECH);
	assert_int_equal(h->ngroups, 3);
	assert_int_equal(h->groups[0], 0x1a1a);
	assert_int_equal(h->groups[1], 0x001d);
	assert_int_equal(h->nec_formats, 1);
	assert_int_equal(h->ec_formats[0], 0);
	assert_int_equal(h->nsig_algs, 3);
	assert_int_equal(h->sig_algs[1], 0x0804);
	assert_int_equal(h->nversions, 3);
	assert_int_equal(h->versions[0], 0x3a3a);
	assert_int_equal(h->versions[1], 0x0304);
	assert_int_equal(h->nalpn, 2);
	assert_string_equal(h->alpn[0], "h2");
	assert_string_equal(h->alpn[1], "http/1.1");
	assert_int_equal(h->truncated, 0);
}

static void
test_full(void **state)
{
	struct tls_hello h;

	(void)state;
	assert_int_equal(sizeof(hello), REC_HDR + 176);
	assert_int_equal(tls_parse_client_hello(hello, sizeof(hello), &h),
	    DIS_OK);
	assert_int_equal(h.record_version, 0x0301);
	check_hello(&h);
}

static void
test_handshake_only(void **state)
{
	struct tls_hello h;
	size_t len;

	(void)state;
	assert_int_equal(tls_parse_handshake(hello + REC_HDR,
	    sizeof(hello) - REC_HDR, &h), DIS_OK);
	assert_int_equal(h.record_version, 0);
	check_hello(&h);
	for (len = 0; len < sizeof(hello) - REC_HDR; len++)
		assert_int_equal(tls_parse_handshake(hello + REC_HDR, len, &h),
		    DIS_MORE);
	assert_int_equal(tls_parse_handshake(hello, sizeof(hello), &h),
	    DIS_NOTME);
}

static void
test_every_prefix_is_more(void **state)
{
	struct tls_hello h;
	size_t len;

	(void)state;
	for (len = 0; len < sizeof(hello); len++)
		assert_int_equal(tls_parse_client_hello(hello, len, &h),
		    DIS_MORE);
}

/*
 * Re-frames the handshake message of hello[] into records of at most
 * chunk bytes each. Returns the length written to out.
 */
static size_t
split(uint8_t *out, size_t outsz, size_t chunk)
{
	const uint8_t *hs = hello + REC_HDR;
	size_t hslen = sizeof(hello) - REC_HDR, o = 0, i, n;

	for (i = 0; i < hslen; i += n) {
		n = hslen - i < chunk ? hslen - i : chunk;
		assert_true(o + REC_HDR + n <= outsz);
		out[o++] = 0x16;			/* handshake */
		out[o++] = 0x03;			/* TLS 1.2 */
		out[o++] = 0x03;
		out[o++] = (uint8_t)(n >> 8);		/* length */
		out[o++] = (uint8_t)n;
		memcpy(out + o, hs + i, n);
		o += n;
	}
	return o;
}

static void
test_split_records(void **state)
{
	static const size_t chunks[] = { 100, 50, 3, 1 };
	uint8_t buf[4096];
	struct tls_hello h;
	size_t c, n, len;

	(void)state;
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		n = split(buf, sizeof(buf), chunks[c]);
		assert_int_equal(tls_parse_client_hello(buf, n, &h), DIS_OK);
		assert_int_equal(h.record_version, 0x0303);
		check_hello(&h);
		for (len = 0; len < n; len++)
			assert_int_equal(tls_parse_client_hello(buf, len, &h),
			    DIS_MORE);
	}
}

/* A record of another type in the middle of the handshake is broken. */
static void
test_split_interleaved(void **state)
{
	uint8_t buf[4096];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = split(buf, sizeof(buf), 100);
	buf[REC_HDR + 100] = 0x15;			/* alert */
	assert_int_equal(tls_parse_client_hello(buf, n, &h), DIS_BAD);
	buf[REC_HDR + 100] = 0x16;
	buf[REC_HDR + 100 + 2] = 0x07;			/* version 3.7 */
	assert_int_equal(tls_parse_client_hello(buf, n, &h), DIS_BAD);
}

static void
test_notme(void **state)
{
	static const uint8_t http[] = "GET / HTTP/1.1\r\n";
	static const uint8_t appdata[] = { 0x17, 0x03, 0x03, 0x00, 0x10 };
	static const uint8_t sslv2[] = { 0x80, 0x2e, 0x01, 0x00, 0x02 };
	uint8_t buf[sizeof(hello)];
	struct tls_hello h;

	(void)state;
	assert_int_equal(tls_parse_client_hello(http, sizeof(http) - 1, &h),
	    DIS_NOTME);
	assert_int_equal(tls_parse_client_hello(appdata, sizeof(appdata), &h),
	    DIS_NOTME);
	assert_int_equal(tls_parse_client_hello(sslv2, sizeof(sslv2), &h),
	    DIS_NOTME);
	/* Judged from the first bytes already. */
	assert_int_equal(tls_parse_client_hello(http, 1, &h), DIS_NOTME);

	memcpy(buf, hello, sizeof(buf));
	buf[1] = 0x02;					/* major 2 */
	assert_int_equal(tls_parse_client_hello(buf, 2, &h), DIS_NOTME);
	memcpy(buf, hello, sizeof(buf));
	buf[2] = 0x05;					/* 3.5 */
	assert_int_equal(tls_parse_client_hello(buf, 3, &h), DIS_NOTME);
	memcpy(buf, hello, sizeof(buf));
	buf[3] = 0x00;					/* length 0 */
	buf[4] = 0x00;
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_NOTME);
	buf[3] = 0x40;					/* 16385 */
	buf[4] = 0x01;
	assert_int_equal(tls_parse_client_hello(buf, 5, &h), DIS_NOTME);
	memcpy(buf, hello, sizeof(buf));
	buf[REC_HDR] = 0x02;				/* server_hello */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_NOTME);
	assert_int_equal(tls_parse_client_hello(buf, REC_HDR + 1, &h),
	    DIS_NOTME);
}

static void
test_malformed(void **state)
{
	uint8_t buf[sizeof(hello)];
	struct tls_hello h;

	(void)state;
	memcpy(buf, hello, sizeof(buf));
	buf[OFF_SIDLEN] = 33;				/* session id > 32 */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_BAD);

	memcpy(buf, hello, sizeof(buf));
	buf[OFF_CIPHERS + 1] = 7;			/* odd cipher length */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_BAD);

	memcpy(buf, hello, sizeof(buf));
	buf[OFF_EXTS + 1] = 0x5c;			/* exts overrun */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_BAD);

	/*
	 * A broken server_name inside an extension whose framing holds:
	 * no name, but the hello is read on and fingerprinted.
	 */
	memcpy(buf, hello, sizeof(buf));
	buf[OFF_SNI + 5] = 0x0f;			/* SNI list 15 > 14 */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.has_sni, 0);
	assert_string_equal(h.sni, "");
	assert_true(h.ngroups > 0);

	memcpy(buf, hello, sizeof(buf));
	buf[OFF_SNI + 5] = 0x0d;			/* SNI list short */
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.has_sni, 0);
	assert_string_equal(h.sni, "");

	/*
	 * The groups extension's type turned into a second server_name:
	 * malformed, the first name is kept, and the rest is still read.
	 */
	memcpy(buf, hello, sizeof(buf));
	buf[OFF_SNI + 20 + 1] = 0x00;
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_string_equal(h.sni, "example.com");
	assert_int_equal(h.ngroups, 0);
	assert_true(h.nalpn > 0);

	/* Turned into an unknown type instead: just listed. */
	buf[OFF_SNI + 20 + 1] = 0x77;
	assert_int_equal(tls_parse_client_hello(buf, sizeof(buf), &h),
	    DIS_OK);
	assert_int_equal(h.malformed, 0);
	assert_int_equal(h.exts[2], 0x0077);
	assert_int_equal(h.ngroups, 0);
}

/*
 * Assembles a bare handshake message: version, random, empty session id,
 * ncipher ciphers, null compression and the given extensions block.
 */
static size_t
mkhello(uint8_t *buf, size_t bufsz, size_t nciphers, const uint8_t *exts,
    size_t extlen)
{
	size_t o = HS_HDR, i, body;

	assert_true(HS_HDR + 2 + 32 + 1 + 2 + 2 * nciphers + 2 + 2 + extlen <=
	    bufsz);
	buf[o++] = 0x03;
	buf[o++] = 0x03;
	memset(buf + o, 0x5a, 32);
	o += 32;
	buf[o++] = 0;
	buf[o++] = (uint8_t)(2 * nciphers >> 8);
	buf[o++] = (uint8_t)(2 * nciphers);
	for (i = 0; i < nciphers; i++) {
		buf[o++] = (uint8_t)(i >> 8);
		buf[o++] = (uint8_t)i;
	}
	buf[o++] = 1;
	buf[o++] = 0;
	if (exts != NULL) {
		buf[o++] = (uint8_t)(extlen >> 8);
		buf[o++] = (uint8_t)extlen;
		memcpy(buf + o, exts, extlen);
		o += extlen;
	}
	body = o - HS_HDR;
	buf[0] = 1;
	buf[1] = (uint8_t)(body >> 16);
	buf[2] = (uint8_t)(body >> 8);
	buf[3] = (uint8_t)body;
	return o;
}

static void
test_no_extensions(void **state)
{
	uint8_t buf[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), 2, NULL, 0);
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.nciphers, 2);
	assert_int_equal(h.nexts, 0);
	assert_int_equal(h.has_sni, 0);
	assert_string_equal(h.sni, "");
}

static void
test_cipher_cap(void **state)
{
	uint8_t buf[4 * TLS_MAX_LIST];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), TLS_MAX_LIST + 44, NULL, 0);
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.nciphers, TLS_MAX_LIST);
	assert_int_equal(h.ciphers[TLS_MAX_LIST - 1], TLS_MAX_LIST - 1);
	assert_int_equal(h.truncated, 1);
}

static void
test_sni_odd(void **state)
{
	static const uint8_t bad[] = {
		0x00, 0x00, 0x00, 0x09,	/* server_name, length 9 */
		0x00, 0x07,		/* list length 7 */
		0x00, 0x00, 0x04,	/* host_name, length 4 */
		'a', 0x00, 'b', 'c',	/* NUL inside */
	};
	static const uint8_t two[] = {
		0x00, 0x00, 0x00, 0x0d,	/* server_name, length 13 */
		0x00, 0x0b,		/* list length 11 */
		0x01, 0x00, 0x02, 'x', 'y',	/* type 1: skipped */
		0x00, 0x00, 0x03, 'A', '.', 'B',	/* host_name "A.B" */
	};
	static const uint8_t ip[] = {
		0x00, 0x00, 0x00, 0x0d,	/* server_name, length 13 */
		0x00, 0x0b,		/* list length 11 */
		0x00, 0x00, 0x08, '1', '0', '.', '0', '.', '0', '.', '1',
	};
	uint8_t buf[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), 1, bad, sizeof(bad));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.has_sni, 1);
	assert_string_equal(h.sni, "");
	n = mkhello(buf, sizeof(buf), 1, two, sizeof(two));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_string_equal(h.sni, "a.b");
	n = mkhello(buf, sizeof(buf), 1, ip, sizeof(ip));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_string_equal(h.sni, "10.0.0.1");
}

static void
test_alpn_odd(void **state)
{
	static const uint8_t alpn[] = {
		0x00, 0x10, 0x00, 0x38,	/* ALPN, length 56 */
		0x00, 0x36,		/* list length 54 */
		0x02, 0x01, 0x02,	/* non-printable: kept as "" */
		0x24,			/* 36 octets: cut to 32 */
		'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j',
		'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't',
		'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3',
		'4', '5', '6', '7', '8', '9',
		0x01, 'a', 0x01, 'b', 0x01, 'c', 0x01, 'd',
		0x01, 'e', 0x01, 'f', 0x01, 'g',	/* the 9th: dropped */
	};
	static const uint8_t empty[] = {
		0x00, 0x10, 0x00, 0x03,	/* ALPN, length 3 */
		0x00, 0x01, 0x00,	/* zero-length name: malformed */
	};
	uint8_t buf[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), 1, alpn, sizeof(alpn));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.nalpn, TLS_MAX_ALPN);
	assert_string_equal(h.alpn[0], "");
	assert_string_equal(h.alpn[1], "abcdefghijklmnopqrstuvwxyz012345");
	assert_string_equal(h.alpn[7], "f");
	assert_int_equal(h.truncated, 1);
	n = mkhello(buf, sizeof(buf), 1, empty, sizeof(empty));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
}

/*
 * An ALPN list longer than its extension (nDPI's tls_invalid_reads.pcap)
 * breaks that extension only: before or after server_name, the name is
 * read and so is what follows. An extension overrunning the block itself
 * ends parsing: DIS_OK with the name if it came first.
 */
static void
test_malformed_after_sni(void **state)
{
	static const uint8_t after[] = {
		0x00, 0x00, 0x00, 0x0a,	/* server_name, length 10 */
		0x00, 0x08, 0x00, 0x00, 0x05, 'a', '.', 'c', 'o', 'm',
		0x00, 0x10, 0x00, 0x05,	/* ALPN, length 5 */
		0xb8, 0x89,		/* list length 47241: overruns */
		0x02, 'h', '2',
		0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,	/* not reached */
	};
	static const uint8_t before[] = {
		0x00, 0x10, 0x00, 0x05,	/* ALPN, length 5 */
		0xb8, 0x89,		/* list length 47241: overruns */
		0x02, 'h', '2',
		0x00, 0x00, 0x00, 0x0a,	/* server_name, length 10 */
		0x00, 0x08, 0x00, 0x00, 0x05, 'a', '.', 'c', 'o', 'm',
	};
	static const uint8_t outer[] = {
		0x00, 0x00, 0x00, 0x0a,	/* server_name, length 10 */
		0x00, 0x08, 0x00, 0x00, 0x05, 'a', '.', 'c', 'o', 'm',
		0x00, 0x10, 0x00, 0x09,	/* ALPN, length 9 > the 5 left */
		0x00, 0x03, 0x02, 'h', '2',
	};
	uint8_t buf[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), 2, after, sizeof(after));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.has_sni, 1);
	assert_string_equal(h.sni, "a.com");
	assert_int_equal(h.nciphers, 2);
	assert_int_equal(h.nexts, 3);
	assert_int_equal(h.nversions, 1);		/* read on */
	n = mkhello(buf, sizeof(buf), 2, outer, sizeof(outer));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_string_equal(h.sni, "a.com");
	n = mkhello(buf, sizeof(buf), 2, before, sizeof(before));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_string_equal(h.sni, "a.com");
	/* The overrun first: nothing after it, and no name to keep. */
	n = mkhello(buf, sizeof(buf), 2, outer + 14, sizeof(outer) - 14);
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_BAD);
	/* A well-formed hello has the flag clear. */
	assert_int_equal(tls_parse_client_hello(hello, sizeof(hello), &h),
	    DIS_OK);
	assert_int_equal(h.malformed, 0);
	assert_int_equal(h.alpn0_len, 2);
	assert_int_equal(h.alpn0_first, 'h');
	assert_int_equal(h.alpn0_last, '2');
}

static void
test_versions_odd(void **state)
{
	static const uint8_t odd[] = {
		0x00, 0x2b, 0x00, 0x04,	/* supported_versions, length 4 */
		0x03, 0x03, 0x04, 0x03,	/* list length 3: odd */
	};
	static const uint8_t empty[] = {
		0x00, 0x2b, 0x00, 0x01,	/* supported_versions, length 1 */
		0x00,			/* empty list */
	};
	uint8_t buf[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	/* Broken inside a well-framed extension: read, flagged, listed. */
	n = mkhello(buf, sizeof(buf), 1, odd, sizeof(odd));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.nexts, 1);
	n = mkhello(buf, sizeof(buf), 1, empty, sizeof(empty));
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.nversions, 0);
}

/*
 * Hellos below the RFC's minimums that Wireshark still fingerprints
 * (nDPI's ossfuzz_seed_fake_traces_1.pcapng): empty cipher and
 * compression lists give "768,,,,"; an empty server_name followed by one
 * stray byte in the extensions block gives "769,52,0,,".
 */
static void
test_below_minimums(void **state)
{
	static const uint8_t sni_stray[] = {
		0x00, 0x00, 0x00, 0x00,	/* server_name, length 0 */
		0x00,			/* one byte left over */
	};
	uint8_t buf[256];
	char str[64], md5[JA3_MD5_HEX + 1];
	struct tls_hello h;
	size_t n;

	(void)state;
	n = mkhello(buf, sizeof(buf), 0, NULL, 0);
	/* mkhello writes one null compression method: make it none. */
	buf[HS_HDR + 2 + 32 + 1 + 2] = 0;
	n = HS_HDR + 2 + 32 + 1 + 2 + 1;
	buf[1] = buf[2] = 0;
	buf[3] = (uint8_t)(n - HS_HDR);
	buf[HS_HDR] = 0x03;
	buf[HS_HDR + 1] = 0x00;				/* SSL 3.0 */
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(ja3_compute(&h, str, sizeof(str), md5), 0);
	assert_string_equal(str, "768,,,,");

	n = mkhello(buf, sizeof(buf), 1, sni_stray, sizeof(sni_stray));
	buf[HS_HDR] = 0x03;
	buf[HS_HDR + 1] = 0x01;				/* TLS 1.0 */
	buf[HS_HDR + 2 + 32 + 1 + 2] = 0x00;
	buf[HS_HDR + 2 + 32 + 1 + 3] = 0x34;		/* cipher 52 */
	assert_int_equal(tls_parse_handshake(buf, n, &h), DIS_OK);
	assert_int_equal(h.malformed, 1);
	assert_int_equal(h.has_sni, 0);
	assert_int_equal(ja3_compute(&h, str, sizeof(str), md5), 0);
	assert_string_equal(str, "769,52,0,,");
	assert_string_equal(md5, "5d9eb54dfeb9b4b50031e5f0cd0a479e");
}

/* A hello longer than the reassembly buffer over several records. */
static void
test_too_large(void **state)
{
	static const uint8_t rec[] = {
		0x16, 0x03, 0x01,	/* handshake, TLS 1.0 */
		0x00, 0x04,		/* length 4 */
		0x01,			/* client_hello */
		0x01, 0x00, 0x00,	/* length 65536 */
	};
	struct tls_hello h;

	(void)state;
	assert_int_equal(tls_parse_client_hello(rec, sizeof(rec), &h),
	    DIS_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_handshake_only),
		cmocka_unit_test(test_every_prefix_is_more),
		cmocka_unit_test(test_split_records),
		cmocka_unit_test(test_split_interleaved),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_after_sni),
		cmocka_unit_test(test_no_extensions),
		cmocka_unit_test(test_cipher_cap),
		cmocka_unit_test(test_sni_odd),
		cmocka_unit_test(test_alpn_odd),
		cmocka_unit_test(test_versions_odd),
		cmocka_unit_test(test_below_minimums),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
