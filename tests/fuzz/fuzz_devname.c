/* SPDX-License-Identifier: ISC */
/*
 * fuzz_devname.c: libFuzzer target for dissect/devname.c. The input is
 * read as a NetBIOS name service message and, through dns_parse(), as an
 * mDNS and an LLMNR response; a name found must be non-empty, end inside
 * its buffer and come with an address family of 4, 6 or none.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/devname.h"
#include "dissect/dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct dns_msg msg;

static void
check(const struct devname *dn)
{
	size_t n = strnlen(dn->name, sizeof(dn->name));

	if (n == 0 || n == sizeof(dn->name) ||
	    (dn->family != 0 && dn->family != 4 && dn->family != 6))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devname dn;

	if (devname_nbns(data, size, &dn) == DIS_OK)
		check(&dn);
	if (dns_parse(data, size, &msg) == DIS_OK) {
		if (devname_from_dns(&msg, DEVNAME_MDNS, &dn))
			check(&dn);
		if (devname_from_dns(&msg, DEVNAME_LLMNR, &dn))
			check(&dn);
		if (devname_from_mdns(data, size, &msg, &dn))
			check(&dn);
	}
	return 0;
}
