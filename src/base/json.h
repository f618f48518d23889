/* SPDX-License-Identifier: ISC */
/*
 * json.h: the one JSON string writer (RFC 8259 section 7). Everything that
 * came off the wire goes through json_str(): quotes, backslashes and control
 * bytes are escaped, and bytes that are not valid UTF-8 become \u00XX.
 */
#ifndef SHADOWTAP_JSON_H
#define SHADOWTAP_JSON_H

#include <stdint.h>
#include <stdio.h>

/* Writes s as a JSON string with quotes; NULL writes null. */
void	json_str(FILE *fp, const char *s);
/* Writes "key": followed by the value; the caller writes separators. */
void	json_key(FILE *fp, const char *key);

#endif
