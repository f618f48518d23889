/* SPDX-License-Identifier: ISC */
/* strlcat(3) for C libraries that lack it: appends while keeping the
 * result NUL-terminated within size, returns the length it tried to make. */
#include <stddef.h>
#include <string.h>

size_t strlcat(char *, const char *, size_t);

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t d = strnlen(dst, size);
	size_t s = strlen(src);

	if (d == size)
		return size + s;
	if (s < size - d) {
		memcpy(dst + d, src, s + 1);
	} else {
		memcpy(dst + d, src, size - d - 1);
		dst[size - 1] = '\0';
	}
	return d + s;
}
