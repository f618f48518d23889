/* SPDX-License-Identifier: ISC */
/* test_rd.c: every edge of the bounded reader: empty windows, exact ends,
 * sub-readers at the end, and the sticky error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/rd.h"

static void
test_empty(void **state)
{
	struct rd r;

	(void)state;
	rd_init(&r, NULL, 5);
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(rd_u8(&r), 0);
	assert_false(rd_ok(&r));
}

static void
test_exact_and_sticky(void **state)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_be16(&r), 0x1234);
	assert_int_equal(rd_be24(&r), 0x56789a);
	assert_true(rd_ok(&r));
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(rd_u8(&r), 0);
	assert_false(rd_ok(&r));
	/* Sticky: nothing moves, nothing is read afterwards. */
	assert_int_equal(rd_left(&r), 0);
	assert_null(rd_bytes(&r, 0));
}

static void
test_partial_read_fails_whole(void **state)
{
	static const uint8_t b[] = { 0xff, 0xfe, 0xfd };
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_be32(&r), 0);
	assert_false(rd_ok(&r));
	assert_int_equal(rd_pos(&r), 0);
}

static void
test_widen_before_shift(void **state)
{
	static const uint8_t b[] = { 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00,
	    0x80 };
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_be32(&r), 0xffffffffu);
	assert_int_equal(rd_le32(&r), 0x80000001u);
}

static void
test_sub(void **state)
{
	static const uint8_t b[] = { 3, 'a', 'b', 'c', 9 };
	struct rd r, c, bad;

	(void)state;
	rd_init(&r, b, sizeof(b));
	c = rd_sub(&r, rd_u8(&r));
	assert_true(rd_ok(&c));
	assert_int_equal(rd_left(&c), 3);
	assert_int_equal(rd_u8(&c), 'a');
	rd_skip(&c, 3);		/* only 2 left in the child */
	assert_false(rd_ok(&c));
	assert_true(rd_ok(&r));	/* the parent is unaffected */
	assert_int_equal(rd_u8(&r), 9);
	/* A sub-reader longer than what is left fails both. */
	rd_init(&r, b, sizeof(b));
	bad = rd_sub(&r, 6);
	assert_false(rd_ok(&bad));
	assert_false(rd_ok(&r));
	assert_int_equal(rd_left(&bad), 0);
	/* A zero-length sub-reader at the very end is fine. */
	rd_init(&r, b, sizeof(b));
	rd_skip(&r, 5);
	c = rd_sub(&r, 0);
	assert_true(rd_ok(&c));
	assert_true(rd_ok(&r));
}

static void
test_copy(void **state)
{
	static const uint8_t b[] = { 1, 2, 3 };
	uint8_t out[4] = { 9, 9, 9, 9 };
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	rd_copy(&r, out, 4);
	assert_false(rd_ok(&r));
	assert_int_equal(out[0], 9);	/* untouched on error */
	rd_init(&r, b, sizeof(b));
	rd_copy(&r, out, 3);
	assert_int_equal(out[2], 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_exact_and_sticky),
		cmocka_unit_test(test_partial_read_fails_whole),
		cmocka_unit_test(test_widen_before_shift),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
