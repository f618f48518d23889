/* SPDX-License-Identifier: ISC */
/*
 * b64.h: the base64 alphabet of RFC 4648 section 4, for the dissectors
 * that decode a user name out of a credential (HTTP Basic, SASL) one
 * quantum at a time and stop before the password. Header-only.
 */
#ifndef SHADOWTAP_DISSECT_B64_H
#define SHADOWTAP_DISSECT_B64_H

#include <stdint.h>

#define B64_QUANTUM	4	/* characters per quantum */
#define B64_OCTETS	3	/* octets a full quantum decodes to */
#define B64_PAD		'='
#define B64_BAD		0xff	/* b64_value() of a character outside it */

/* The 6-bit value of base64 character c, or B64_BAD. */
static inline uint8_t
b64_value(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return (uint8_t)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (uint8_t)(c - '0' + 52);
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return B64_BAD;
}

#endif
