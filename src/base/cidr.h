/* SPDX-License-Identifier: ISC */
/*
 * cidr.h: IPv4/IPv6 prefixes ("10.0.0.0/8", "fd00::/8", a bare address is
 * a full-length prefix) and a small list of them, for command-line options
 * such as --local-net. Parsing checks that no host bits are set.
 */
#ifndef SHADOWTAP_CIDR_H
#define SHADOWTAP_CIDR_H

#include <stddef.h>
#include <stdint.h>

struct cidr {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		len;		/* prefix length in bits */
	uint8_t		addr[16];
};

#define CIDR_LIST_MAX	64

struct cidr_list {
	size_t		n;
	struct cidr	v[CIDR_LIST_MAX];
};

/* Parses s into *c. Returns 0, or -1 with a reason in err. */
int	cidr_parse(const char *s, struct cidr *c, char *err, size_t errlen);
/* 1 when addr (of family) lies inside c. */
int	cidr_contains(const struct cidr *c, int family, const uint8_t *addr);
/* 1 when addr lies inside any prefix of the list. */
int	cidr_list_contains(const struct cidr_list *l, int family,
	    const uint8_t *addr);
/* Appends; returns -1 when the list is full. */
int	cidr_list_add(struct cidr_list *l, const struct cidr *c);
/* RFC 1918, RFC 6598 shared space, link-local, and IPv6 ULA/link-local. */
void	cidr_list_private(struct cidr_list *l);

#endif
