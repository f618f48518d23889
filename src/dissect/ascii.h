/* SPDX-License-Identifier: ISC */
/*
 * dissect/ascii.h: case-insensitive comparison of untrusted bytes with a
 * literal, for the text protocols (HTTP header names and schemes, login
 * prompts) where case does not matter. ASCII only, independent of the
 * locale. Header-only.
 */
#ifndef SHADOWTAP_DISSECT_ASCII_H
#define SHADOWTAP_DISSECT_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Whether [s, s+n) equals the NUL-terminated lit, ignoring the case of
 * ASCII letters. Reads s[0..n) only when n is lit's length.
 */
static inline int
ascii_eq_ci(const uint8_t *s, size_t n, const char *lit)
{
	size_t i;

	if (n != strlen(lit))
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t a = s[i], b = (uint8_t)lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

#endif
