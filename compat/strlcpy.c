/* SPDX-License-Identifier: ISC */
/* strlcpy(3) for C libraries that lack it: copies at most size-1 bytes,
 * always NUL-terminates when size > 0, returns strlen(src). */
#include <stddef.h>
#include <string.h>

size_t strlcpy(char *, const char *, size_t);

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
