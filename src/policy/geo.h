/* SPDX-License-Identifier: ISC */
/*
 * geo.h: country and AS of an address, from MaxMind DB files (GeoLite2
 * Country/ASN, DB-IP Lite, ip-location-db and similar). The only module
 * that includes <maxminddb.h>; the files are mapped once at open, so
 * lookups do no I/O and can run after the sandbox is in place.
 */
#ifndef SHADOWTAP_GEO_H
#define SHADOWTAP_GEO_H

#include <stddef.h>
#include <stdint.h>

struct geo;

struct geo_info {
	char		 country[3];	/* ISO 3166-1 alpha-2, "" if unknown */
	uint32_t	 asn;		/* 0 if unknown */
	char		 as_org[128];	/* "" if unknown */
};

/*
 * Opens the MMDB files (either path may be NULL, not both; one file that
 * carries both kinds of data may be given once). Field names differ
 * between vendors; each file is searched for country.iso_code,
 * country_code, registered_country.iso_code or a two-letter country, for
 * autonomous_system_number or asn (number or "AS64496" string), and for
 * autonomous_system_organization, as_org, organization or as_name.
 * Returns the handle, or NULL with a message in err. The caller frees it
 * with geo_free (NULL is a no-op).
 */
struct geo	*geo_open(const char *country_mmdb, const char *asn_mmdb,
		    char *err, size_t errsz);
void		 geo_free(struct geo *);

/*
 * Looks up addr (4 bytes for AF_INET, 16 for AF_INET6; IPv4-mapped IPv6
 * is looked up as IPv4). *out is always cleared first. Returns 1 when
 * anything was found, 0 when nothing was, -1 on a bad argument or a
 * corrupt file. Read-only on g: safe from several threads.
 */
int		 geo_lookup(const struct geo *g, int family, const uint8_t *addr,
		    struct geo_info *out);

#endif
