/* SPDX-License-Identifier: ISC */
/*
 * test_ja4.c: unit tests for dissect/ja4.c against the worked example and
 * the rules of FoxIO's technical_details/JA4.md: the full fingerprint,
 * the extension hash without signature algorithms, every ALPN example,
 * GREASE, the 99 cap, no ciphers / no extensions, versions and 'q'.
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

#include "dissect/ja4.h"
#include "dissect/tls.h"

/* JA4.md "Cipher hash" and "Extension hash", in wire order. */
static const uint16_t ex_ciphers[] = { 0x1301, 0x1302, 0x1303, 0xc02b,
    0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
    0x002f, 0x0035 };
static const uint16_t ex_exts[] = { 0x001b, 0x0000, 0x0033, 0x0010, 0x4469,
    0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b,
    0x000a, 0x0015 };
static const uint16_t ex_sigs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805,
    0x0501, 0x0806, 0x0601 };

static void
example(struct tls_hello *h)
{
	memset(h, 0, sizeof(*h));
	h->version = 0x0303;
	memcpy(h->ciphers, ex_ciphers, sizeof(ex_ciphers));
	h->nciphers = 15;
	memcpy(h->exts, ex_exts, sizeof(ex_exts));
	h->nexts = 16;
	memcpy(h->sig_algs, ex_sigs, sizeof(ex_sigs));
	h->nsig_algs = 8;
	h->versions[0] = 0x0304;
	h->versions[1] = 0x0303;
	h->nversions = 2;
	h->nalpn = 2;
	strcpy(h->alpn[0], "h2");
	strcpy(h->alpn[1], "http/1.1");
	h->alpn0_len = 2;
	h->alpn0_first = 'h';
	h->alpn0_last = '2';
}

static void
test_example(void **state)
{
	struct tls_hello h;
	char ja4[JA4_LEN + 1];

	(void)state;
	example(&h);
	assert_int_equal(ja4_compute(&h, 0, ja4), 0);
	assert_string_equal(ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");

	/* GREASE in every list is ignored, counts included. */
	h.ciphers[h.nciphers++] = 0x0a0a;
	h.exts[h.nexts++] = 0x1a1a;
	h.versions[h.nversions++] = 0xfafa;
	h.sig_algs[h.nsig_algs++] = 0x2a2a;
	assert_int_equal(ja4_compute(&h, 1, ja4), 0);
	assert_string_equal(ja4, "q13d1516h2_8daaf6152771_e5627efa2ab1");

	/* "If there are no signature algorithms ... = 6d807ffa2a79". */
	h.nsig_algs = 0;
	assert_int_equal(ja4_compute(&h, 0, ja4), 0);
	assert_string_equal(ja4, "t13d1516h2_8daaf6152771_6d807ffa2a79");
}

static void
alpn(struct tls_hello *h, const uint8_t *v, size_t n)
{
	h->nalpn = 1;
	h->alpn0_len = n;
	h->alpn0_first = v[0];
	h->alpn0_last = v[n - 1];
}

/* JA4.md "ALPN Extension Value", each example. */
static void
test_alpn(void **state)
{
	static const uint8_t http11[] = { 'h', 't', 't', 'p', '/', '1', '.',
	    '1' };
	static const uint8_t ab[] = { 0xab };
	static const uint8_t abcd[] = { 0xab, 0xcd };
	static const uint8_t x30ab[] = { 0x30, 0xab };
	static const uint8_t x3031abcd[] = { 0x30, 0x31, 0xab, 0xcd };
	static const uint8_t x30abcd31[] = { 0x30, 0xab, 0xcd, 0x31 };
	static const uint8_t single[] = { 'h' };
	struct tls_hello h;
	char ja4[JA4_LEN + 1];

	(void)state;
	example(&h);
	alpn(&h, http11, sizeof(http11));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "h1", 2);
	alpn(&h, ab, sizeof(ab));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "ab", 2);
	alpn(&h, abcd, sizeof(abcd));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "ad", 2);
	alpn(&h, x30ab, sizeof(x30ab));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "3b", 2);
	alpn(&h, x3031abcd, sizeof(x3031abcd));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "3d", 2);
	alpn(&h, x30abcd31, sizeof(x30abcd31));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "01", 2);
	alpn(&h, single, sizeof(single));
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "hh", 2);
	h.nalpn = 0;
	h.alpn0_len = 0;
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4 + 8, "00", 2);
}

static void
test_empty_and_caps(void **state)
{
	struct tls_hello h;
	char ja4[JA4_LEN + 1];
	size_t i;

	(void)state;
	/* No cipher, no extension (an SSLv3-era hello): zero hashes. */
	memset(&h, 0, sizeof(h));
	h.version = 0x0300;
	assert_int_equal(ja4_compute(&h, 0, ja4), 0);
	assert_string_equal(ja4, "ts3i000000_000000000000_000000000000");

	/* Only SNI and ALPN: nothing left to hash in c. */
	h.version = 0x0301;
	h.exts[0] = TLS_EXT_SERVER_NAME;
	h.exts[1] = TLS_EXT_ALPN;
	h.nexts = 2;
	assert_int_equal(ja4_compute(&h, 0, ja4), 0);
	assert_string_equal(ja4, "t10d000200_000000000000_000000000000");

	/* Over 99 ciphers and extensions: "99". */
	memset(&h, 0, sizeof(h));
	h.version = 0x0303;
	for (i = 0; i < 120; i++) {
		h.ciphers[i] = (uint16_t)(i + 1);
		h.exts[i] = (uint16_t)(i + 0x100);
	}
	h.nciphers = h.nexts = 120;
	assert_int_equal(ja4_compute(&h, 0, ja4), 0);
	assert_memory_equal(ja4, "t12i999900_", 11);

	/* Unknown versions are "00"; supported_versions wins. */
	h.version = 0x0305;
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4, "t00", 3);
	h.versions[0] = 0x0302;
	h.nversions = 1;
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4, "t11", 3);
	h.versions[0] = 0xfefd;
	(void)ja4_compute(&h, 0, ja4);
	assert_memory_equal(ja4, "td2", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_alpn),
		cmocka_unit_test(test_empty_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
