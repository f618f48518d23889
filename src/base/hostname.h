/* SPDX-License-Identifier: ISC */
/*
 * hostname.h: normalisation of host names taken off the wire or out of a
 * rule file, so that every module compares names in one canonical form:
 * lowercase ASCII, no trailing dot, labels of 1..63 bytes, at most 253
 * bytes, printable characters only (0x21..0x7e).
 */
#ifndef SHADOWTAP_HOSTNAME_H
#define SHADOWTAP_HOSTNAME_H

#include <stddef.h>
#include <stdint.h>

#include "base/defaults.h"

#define HOSTNAME_SIZE	(NAME_MAX_LEN + 1)

/*
 * Copies the len bytes at src into dst (dstsz bytes) in canonical form:
 * A-Z lowered, one trailing dot removed, and an optional ":port" suffix cut
 * when strip_port is set. Returns 0 on success; -1 when the name is empty,
 * too long, has an empty or over-long label, or contains a byte outside
 * 0x21..0x7e, in which case dst is set to "".
 */
int	hostname_norm(char *dst, size_t dstsz, const uint8_t *src, size_t len,
	    int strip_port);

/* Returns 1 when name is an IPv4 or IPv6 literal, else 0. */
int	hostname_is_ip(const char *name);

#endif
