/* SPDX-License-Identifier: ISC */
/*
 * hostname.c: one canonical form for host names, applied at the boundary
 * where a name enters shadowtap (a packet or a rule file), so comparisons
 * elsewhere are plain byte compares.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>

#include <string.h>

#include "base/hostname.h"

#define LABEL_MAX	63	/* RFC 1035 section 2.3.4 */

int
hostname_norm(char *dst, size_t dstsz, const uint8_t *src, size_t len,
    int strip_port)
{
	size_t i, label = 0, n = 0;

	if (dstsz == 0)
		return -1;
	dst[0] = '\0';
	if (strip_port && len > 0 && src[0] != '[') {
		for (i = len; i > 0; i--) {
			if (src[i - 1] == ':') {
				len = i - 1;
				break;
			}
			if (src[i - 1] < '0' || src[i - 1] > '9')
				break;
		}
	}
	if (len > 0 && src[len - 1] == '.')
		len--;
	if (len == 0 || len > NAME_MAX_LEN || len + 1 > dstsz)
		return -1;
	for (i = 0; i < len; i++) {
		uint8_t c = src[i];

		if (c < 0x21 || c > 0x7e)
			goto bad;
		if (c == '.') {
			if (label == 0)
				goto bad;
			label = 0;
		} else if (++label > LABEL_MAX) {
			goto bad;
		}
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		dst[n++] = (char)c;
	}
	dst[n] = '\0';
	return 0;
bad:
	dst[0] = '\0';
	return -1;
}

int
hostname_is_ip(const char *name)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, name, buf) == 1 ||
	    inet_pton(AF_INET6, name, buf) == 1;
}
