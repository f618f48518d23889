/* SPDX-License-Identifier: ISC */
/*
 * dissect/devname.h: the names devices give themselves on the local
 * network: multicast DNS (RFC 6762; "Lucas-iPhone.local"), LLMNR (RFC
 * 4795) and the NetBIOS name service (RFC 1002). Each name comes with the
 * address it claims. Names are checked (letters, digits, '-', '_', ' ',
 * '.', '\'' only) so that they can be written as they are. Pure: no
 * allocation, nothing read outside the bytes given.
 */
#ifndef SHADOWTAP_DISSECT_DEVNAME_H
#define SHADOWTAP_DISSECT_DEVNAME_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"

#define DEVNAME_SIZE	64	/* the name, NUL-terminated, cut to fit */

enum devname_src {
	DEVNAME_MDNS = 1,
	DEVNAME_LLMNR,
	DEVNAME_NBNS,
};

struct devname {
	enum devname_src src;
	char		name[DEVNAME_SIZE];
	int		family;		/* 4 or 6; 0 when no address given */
	uint8_t		addr[16];
};

struct dns_msg;

#define DEVNAME_EXTRA	4	/* additional-section addresses looked at */

/*
 * A device name from a parsed mDNS or LLMNR response (dns_parse()): the
 * owner of its first A or AAAA answer, without ".local" for mDNS (a name
 * of one label below "local" only: "Lucas-iPhone.local", not
 * "_airplay._tcp.local"); for LLMNR, a name of one label. Queries name
 * nobody. The name is as dns.c keeps it, lowercased. Returns 1 with *out
 * filled, else 0.
 */
int	devname_from_dns(const struct dns_msg *m, enum devname_src src,
	    struct devname *out);

/*
 * The same for an mDNS response m parsed from p[0..len), then, when its
 * answers name no device, from the first DEVNAME_EXTRA A and AAAA
 * records of its authority and additional sections (dns_extra_addrs()),
 * where DNS-SD answers put the host's addresses ("_airplay._tcp.local"
 * PTR in the answers, "Lucas-iPhone.local" A in the additional section).
 */
int	devname_from_mdns(const uint8_t *p, size_t len,
	    const struct dns_msg *m, struct devname *out);

/*
 * A NetBIOS name service message (UDP 137, RFC 1002 section 4.2): the
 * name of a registration, refresh or positive query response, with the
 * address of its NB record, for the workstation (suffix 0x00) and server
 * (0x20) names; group names (a workgroup or domain) are not a device's. DIS_OK
 * with *out filled; DIS_NOTME for other messages or names; DIS_BAD when the
 * header announces records that are cut short.
 */
enum dis_result	devname_nbns(const uint8_t *p, size_t len,
		    struct devname *out);

#endif
