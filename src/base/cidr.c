/* SPDX-License-Identifier: ISC */
/*
 * cidr.c: prefix parsing with inet_pton and a bitwise containment test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cidr.h"
#include "base/util.h"

int
cidr_parse(const char *s, struct cidr *c, char *err, size_t errlen)
{
	char buf[64], *slash, *end;
	long len;
	size_t i, maxlen;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf)) {
		snprintf(err, errlen, "\"%s\": too long for an address", s);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = 4;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = 6;
		maxlen = 128;
	} else {
		snprintf(err, errlen, "\"%s\": not an IPv4 or IPv6 address", s);
		return -1;
	}
	len = (long)maxlen;
	if (slash != NULL) {
		len = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || len < 0 ||
		    len > (long)maxlen) {
			snprintf(err, errlen, "\"%s\": prefix length must be "
			    "0..%zu", s, maxlen);
			return -1;
		}
	}
	c->len = (uint8_t)len;
	for (i = (size_t)len; i < maxlen; i++) {
		if (c->addr[i / 8] & (0x80 >> (i % 8))) {
			snprintf(err, errlen, "\"%s\": host bits set after "
			    "/%ld", s, len);
			return -1;
		}
	}
	return 0;
}

int
cidr_contains(const struct cidr *c, int family, const uint8_t *addr)
{
	size_t full = c->len / 8, rest = c->len % 8;

	if (c->family != family)
		return 0;
	if (memcmp(c->addr, addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((c->addr[full] ^ addr[full]) & (0xff << (8 - rest))) == 0;
}

int
cidr_list_contains(const struct cidr_list *l, int family, const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (cidr_contains(&l->v[i], family, addr))
			return 1;
	return 0;
}

int
cidr_list_add(struct cidr_list *l, const struct cidr *c)
{
	if (l->n >= CIDR_LIST_MAX)
		return -1;
	l->v[l->n++] = *c;
	return 0;
}

void
cidr_list_private(struct cidr_list *l)
{
	static const char *const nets[] = { "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7",
	    "fe80::/10" };
	char err[128];
	struct cidr c;
	size_t i;

	l->n = 0;
	for (i = 0; i < nitems(nets); i++)
		if (cidr_parse(nets[i], &c, err, sizeof(err)) == 0)
			(void)cidr_list_add(l, &c);
}
