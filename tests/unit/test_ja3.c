/* SPDX-License-Identifier: ISC */
/*
 * test_ja3.c: unit tests for dissect/ja3.c: the example of the JA3 README,
 * GREASE removal, a hello without extensions, a too-small string buffer,
 * and the ClientHellos of nDPI captures (tests/unit/data/tls, extracted by
 * its extract.sh) against the JA3 and server name tshark shows for them.
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

#include "dissect/ja3.h"
#include "dissect/tls.h"

#define DATA_DIR	SHADOWTAP_SRCDIR "/tests/unit/data/tls"

static void
set16(uint16_t *dst, size_t *n, const uint16_t *src, size_t cnt)
{
	memcpy(dst, src, cnt * sizeof(*src));
	*n = cnt;
}

/* The example in salesforce/ja3 README.md. */
static void
test_readme(void **state)
{
	static const uint16_t ciphers[] = { 47, 53, 5, 10, 49161, 49162,
	    49171, 49172, 50, 56, 19, 4 };
	static const uint16_t exts[] = { 0, 10, 11 };
	static const uint16_t groups[] = { 23, 24, 25 };
	struct tls_hello h;
	char s[JA3_STR_MAX + 1], md5[JA3_MD5_HEX + 1];

	(void)state;
	memset(&h, 0, sizeof(h));
	h.version = 769;
	set16(h.ciphers, &h.nciphers, ciphers, 12);
	set16(h.exts, &h.nexts, exts, 3);
	set16(h.groups, &h.ngroups, groups, 3);
	h.nec_formats = 1;
	assert_int_equal(ja3_compute(&h, s, sizeof(s), md5), 0);
	assert_string_equal(s, "769,47-53-5-10-49161-49162-49171-49172-50-"
	    "56-19-4,0-10-11,23-24-25,0");
	assert_string_equal(md5, "ada70206e40642a3e4461f35503241d5");

	/* GREASE anywhere changes nothing; a short buffer cuts the string
	 * but not the hash. */
	h.ciphers[h.nciphers++] = 0x0a0a;
	h.exts[h.nexts++] = 0xfafa;
	h.groups[h.ngroups++] = 0x2a2a;
	assert_int_equal(ja3_compute(&h, s, 8, md5), 0);
	assert_string_equal(s, "769,47-");
	assert_string_equal(md5, "ada70206e40642a3e4461f35503241d5");
	assert_int_equal(ja3_compute(&h, NULL, 0, md5), 0);
	assert_string_equal(md5, "ada70206e40642a3e4461f35503241d5");
}

static void
test_empty_lists(void **state)
{
	struct tls_hello h;
	char s[64], md5[JA3_MD5_HEX + 1];

	(void)state;
	memset(&h, 0, sizeof(h));
	h.version = 0x0300;
	h.ciphers[0] = 4;
	h.nciphers = 1;
	assert_int_equal(ja3_compute(&h, s, sizeof(s), md5), 0);
	assert_string_equal(s, "768,4,,,");
	assert_int_equal(strlen(md5), JA3_MD5_HEX);
}

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
 * Every line of expected.tsv: file, tshark's JA3 ("-" when tshark shows
 * none, as for a malformed hello), tshark's server name ("-" for none).
 */
static void
test_tshark(void **state)
{
	char line[512], file[128], ja3[64], sni[300];
	char s[JA3_STR_MAX + 1], md5[JA3_MD5_HEX + 1];
	uint8_t buf[4096];
	struct tls_hello h;
	FILE *f;
	size_t n;
	int count = 0;

	(void)state;
	f = fopen(DATA_DIR "/expected.tsv", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%127s %63s %299s", file, ja3,
		    sni), 3);
		n = slurp(file, buf, sizeof(buf));
		/*
		 * This hello has zero compression methods and one stray
		 * octet where the extensions would be. Wireshark prints
		 * the JA3 of what it got ("769,4-5-...-37,", three fields
		 * only); for us the structure before the extensions is
		 * broken, so it is DIS_BAD and has no JA3 by design.
		 */
		if (strcmp(file, "tls_invalid_reads-4.bin") == 0) {
			assert_int_equal(tls_parse_client_hello(buf, n, &h),
			    DIS_BAD);
			continue;
		}
		assert_int_equal(tls_parse_client_hello(buf, n, &h), DIS_OK);
		if (strcmp(sni, "-") == 0)
			assert_string_equal(h.sni, "");
		else
			assert_string_equal(h.sni, sni);
		assert_int_equal(ja3_compute(&h, s, sizeof(s), md5), 0);
		if (strcmp(ja3, "-") == 0)
			assert_int_equal(h.malformed, 1);
		else {
			assert_int_equal(h.malformed, 0);
			assert_string_equal(md5, ja3);
		}
		count++;
	}
	fclose(f);
	assert_true(count >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme),
		cmocka_unit_test(test_empty_lists),
		cmocka_unit_test(test_tshark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
