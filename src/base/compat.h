/* SPDX-License-Identifier: ISC */
/*
 * compat.h: prototypes of the libc functions that compat/ supplies where
 * the C library lacks them (configure's AC_REPLACE_FUNCS). Includes
 * nothing of shadowtap's, so any module may include it.
 */
#ifndef SHADOWTAP_COMPAT_H
#define SHADOWTAP_COMPAT_H

#include <stddef.h>
#include <string.h>
#include <stdlib.h>

#ifndef HAVE_STRLCPY
size_t	 strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t	 strlcat(char *, const char *, size_t);
#endif
#ifndef HAVE_REALLOCARRAY
void	*reallocarray(void *, size_t, size_t);
#endif

#endif
