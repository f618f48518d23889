/* SPDX-License-Identifier: ISC */
/* reallocarray(3) for C libraries that lack it: realloc(p, n * m) that
 * fails with ENOMEM instead of overflowing. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

void *reallocarray(void *, size_t, size_t);

void *
reallocarray(void *p, size_t n, size_t m)
{
	if (m != 0 && n > SIZE_MAX / m) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * m);
}
