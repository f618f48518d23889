/* SPDX-License-Identifier: ISC */
/* test_hostname.c: the canonical name form, and the SipHash reference
 * vector (both are tiny shared helpers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/hostname.h"
#include "base/siphash.h"

static int
norm(char *out, const char *in, int strip_port)
{
	return hostname_norm(out, HOSTNAME_SIZE, (const uint8_t *)in,
	    strlen(in), strip_port);
}

static void
test_lowercase_and_dot(void **state)
{
	char out[HOSTNAME_SIZE];

	(void)state;
	assert_int_equal(norm(out, "WWW.Example.COM.", 0), 0);
	assert_string_equal(out, "www.example.com");
	assert_int_equal(norm(out, "a_b-c.example", 0), 0);
	assert_string_equal(out, "a_b-c.example");
}

static void
test_port(void **state)
{
	char out[HOSTNAME_SIZE];

	(void)state;
	assert_int_equal(norm(out, "example.com:8443", 1), 0);
	assert_string_equal(out, "example.com");
	/* Without strip_port a colon is just a byte. */
	assert_int_equal(norm(out, "example.com:8443", 0), 0);
	assert_string_equal(out, "example.com:8443");
}

static void
test_rejects(void **state)
{
	char out[HOSTNAME_SIZE], big[300];
	char label[70];

	(void)state;
	assert_int_equal(norm(out, "", 0), -1);
	assert_int_equal(norm(out, ".", 0), -1);
	assert_int_equal(norm(out, "a..b", 0), -1);
	assert_int_equal(norm(out, ".a", 0), -1);
	assert_int_equal(norm(out, "a b", 0), -1);
	assert_int_equal(norm(out, "a\nb", 0), -1);
	assert_int_equal(norm(out, "caf\xc3\xa9.fr", 0), -1);
	assert_string_equal(out, "");
	memset(label, 'a', 64);
	label[64] = '\0';
	assert_int_equal(norm(out, label, 0), -1);
	label[63] = '\0';
	assert_int_equal(norm(out, label, 0), 0);
	memset(big, 'a', sizeof(big));
	for (size_t i = 10; i < sizeof(big); i += 10)
		big[i] = '.';
	big[254] = '\0';
	assert_int_equal(norm(out, big, 0), -1);
	big[253] = '\0';
	if (big[252] == '.')
		big[252] = 'a';
	assert_int_equal(norm(out, big, 0), 0);
}

static void
test_is_ip(void **state)
{
	(void)state;
	assert_true(hostname_is_ip("192.0.2.1"));
	assert_true(hostname_is_ip("2001:db8::1"));
	assert_false(hostname_is_ip("example.com"));
	assert_false(hostname_is_ip("1.2.3"));
}

/* Reference vector from the SipHash paper, appendix A. */
static void
test_siphash_vector(void **state)
{
	struct siphash_key k = { 0x0706050403020100ULL,
	    0x0f0e0d0c0b0a0908ULL };
	uint8_t msg[15];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash(&k, msg, sizeof(msg)) == 0xa129ca6149be45e5ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowercase_and_dot),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_is_ip),
		cmocka_unit_test(test_siphash_vector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
