/* SPDX-License-Identifier: ISC */
/*
 * json.h: the one JSON string writer (RFC 8259 section 7). Everything that
 * came off the wire goes through json_str(): quotes, backslashes and control
 * bytes are escaped, and bytes that are not valid UTF-8 become \u00XX.
 */
#ifndef SHADOWTAP_JSON_H
#define SHADOWTAP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes s as a JSON string with quotes; NULL writes null. */
void	json_str(FILE *fp, const char *s);
/*
 * Length of the UTF-8 character at s: 1 for an ASCII byte other than NUL,
 * 2 to 4 for a valid multi-byte sequence (RFC 3629 section 4: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 for NUL or a byte that
 * starts no valid sequence. The one UTF-8 validator; report_safe_len()
 * builds on it.
 */
size_t	json_utf8_len(const char *s);
/* Writes "key": followed by the value; the caller writes separators. */
void	json_key(FILE *fp, const char *key);

#endif
