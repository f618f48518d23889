/* SPDX-License-Identifier: ISC */
/*
 * test_hrr.c: unit tests for dissect/hrr.c: where a ClientHello's records
 * end (one record, several, followed by ChangeCipherSpec, cut short),
 * HelloRetryRequest against an ordinary ServerHello and other records,
 * and the end of a bare handshake message.
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

#include "dissect/hrr.h"

static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* A record of type ct holding n bytes of data at b; returns its size. */
static size_t
record(uint8_t *b, uint8_t ct, const uint8_t *data, size_t n)
{
	b[0] = ct;
	b[1] = 3;
	b[2] = 3;
	b[3] = (uint8_t)(n >> 8);
	b[4] = (uint8_t)n;
	memcpy(b + 5, data, n);
	return 5 + n;
}

static void
test_hello_end(void **state)
{
	uint8_t hs[100], b[512], ccs = 1;
	size_t n, k, cut;

	(void)state;
	memset(hs, 0xab, sizeof(hs));
	hs[0] = 1;			/* client_hello, 96 bytes of body */
	hs[1] = 0;
	hs[2] = 0;
	hs[3] = 96;
	/* One record. */
	n = record(b, 22, hs, sizeof(hs));
	assert_int_equal(hrr_hello_end(b, n), n);
	/* Then a ChangeCipherSpec and the start of the next hello. */
	k = n + record(b + n, 20, &ccs, 1);
	assert_int_equal(hrr_hello_end(b, k), k);
	k += record(b + k, 22, hs, 10);
	assert_int_equal(hrr_hello_end(b, k), n + 6);
	/* Split over two records. */
	n = record(b, 22, hs, 40);
	n += record(b + n, 22, hs + 40, 60);
	assert_int_equal(hrr_hello_end(b, n), n);
	for (cut = 0; cut < n; cut++)
		assert_int_equal(hrr_hello_end(b, cut), 0);
	/* Not a handshake record. */
	b[0] = 23;
	assert_int_equal(hrr_hello_end(b, n), 0);
}

static void
test_is_retry(void **state)
{
	uint8_t sh[38], b[64];
	size_t n, cut;

	(void)state;
	memset(sh, 0, sizeof(sh));
	sh[0] = 2;			/* server_hello */
	sh[3] = 34;
	sh[4] = 3;
	sh[5] = 3;
	memcpy(sh + 6, hrr_random, sizeof(hrr_random));
	n = record(b, 22, sh, sizeof(sh));
	assert_int_equal(hrr_is_retry(b, n), 1);
	/* Cut before the random's end: not known yet. */
	for (cut = 0; cut < n; cut++)
		assert_int_equal(hrr_is_retry(b, cut), cut < 5 + 6 + 32 ?
		    -1 : 1);
	b[5 + 6 + 31] ^= 1;		/* an ordinary ServerHello */
	assert_int_equal(hrr_is_retry(b, n), 0);
	b[5 + 6 + 31] ^= 1;
	b[5] = 11;			/* a Certificate message */
	assert_int_equal(hrr_is_retry(b, n), 0);
	b[5] = 2;
	b[0] = 21;			/* an alert */
	assert_int_equal(hrr_is_retry(b, n), 0);
	assert_int_equal(hrr_is_retry(b, 1), 0);
}

static void
test_handshake_end(void **state)
{
	static const uint8_t m[] = { 1, 0, 0, 3, 'a', 'b', 'c', 1, 0 };

	(void)state;
	assert_int_equal(hrr_handshake_end(m, sizeof(m)), 7);
	assert_int_equal(hrr_handshake_end(m, 7), 7);
	assert_int_equal(hrr_handshake_end(m, 6), 0);
	assert_int_equal(hrr_handshake_end(m, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_end),
		cmocka_unit_test(test_is_retry),
		cmocka_unit_test(test_handshake_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
