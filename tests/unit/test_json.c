/* SPDX-License-Identifier: ISC */
/* test_json.c: the JSON string escaper against hostile wire strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/json.h"

static char *
render(const char *s)
{
	static char buf[512];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(fp);
	json_str(fp, s);
	fclose(fp);
	return buf;
}

static void
test_plain_and_null(void **state)
{
	(void)state;
	assert_string_equal(render("abc"), "\"abc\"");
	assert_string_equal(render(NULL), "null");
	assert_string_equal(render(""), "\"\"");
}

static void
test_escapes(void **state)
{
	(void)state;
	assert_string_equal(render("a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(render("l1\nl2\r\t"), "\"l1\\nl2\\r\\t\"");
	assert_string_equal(render("\x1b[31m"), "\"\\u001b[31m\"");
	assert_string_equal(render("\x7f"), "\"\\u007f\"");
	assert_string_equal(render("</script>"), "\"</script>\"");
}

static void
test_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 passes through, invalid bytes are escaped. */
	assert_string_equal(render("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	assert_string_equal(render("\xc3"), "\"\\u00c3\"");
	assert_string_equal(render("\xed\xa0\x80"),
	    "\"\\u00ed\\u00a0\\u0080\"");
	assert_string_equal(render("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_null),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
