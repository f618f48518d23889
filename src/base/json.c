/* SPDX-License-Identifier: ISC */
/*
 * json.c: RFC 8259 string output. Valid UTF-8 passes through; quotes,
 * backslashes, control bytes, DEL and every byte of an invalid UTF-8
 * sequence are escaped, so no wire byte can break the surrounding JSON.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>

#include "base/json.h"

size_t
json_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void
json_str(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	putc('"', fp);
	while (*s != '\0') {
		switch (*s) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(fp, "\\u%04x", *s);
			} else if (*s < 0x80) {
				putc(*s, fp);
			} else if ((n = json_utf8_len((const char *)s)) > 0) {
				for (i = 0; i < n; i++)
					putc(s[i], fp);
				s += n;
				continue;
			} else {
				fprintf(fp, "\\u%04x", *s);
			}
			break;
		}
		s++;
	}
	putc('"', fp);
}

void
json_key(FILE *fp, const char *key)
{
	json_str(fp, key);
	putc(':', fp);
}
