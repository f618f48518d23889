/* SPDX-License-Identifier: ISC */
/*
 * geo.c: a thin wrapper over libmaxminddb. Vendors name the same facts
 * differently (GeoLite2 and DB-IP say country.iso_code and
 * autonomous_system_number, ip-location-db says country_code, others say
 * asn and as_name), so each lookup tries every known spelling in each
 * open file and keeps the first answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

#include "policy/geo.h"
#include "base/util.h"

#define GEO_DB_MAX	2	/* a country file and an ASN file */

struct geo {
	MMDB_s	 db[GEO_DB_MAX];
	size_t	 ndb;
};

static const char *const country_paths[][3] = {
	{ "country", "iso_code", NULL },
	{ "country_code", NULL, NULL },
	{ "registered_country", "iso_code", NULL },
	{ "country", NULL, NULL },
};

static const char *const asn_paths[][2] = {
	{ "autonomous_system_number", NULL },
	{ "asn", NULL },
};

static const char *const org_paths[][2] = {
	{ "autonomous_system_organization", NULL },
	{ "as_org", NULL },
	{ "organization", NULL },
	{ "as_name", NULL },
};

void
geo_free(struct geo *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ndb; i++)
		MMDB_close(&g->db[i]);
	free(g);
}

struct geo *
geo_open(const char *country_mmdb, const char *asn_mmdb, char *err,
    size_t errsz)
{
	const char *paths[GEO_DB_MAX];
	struct geo *g;
	size_t i, n = 0;
	int st;

	if (country_mmdb != NULL)
		paths[n++] = country_mmdb;
	if (asn_mmdb != NULL && (country_mmdb == NULL ||
	    strcmp(asn_mmdb, country_mmdb) != 0))
		paths[n++] = asn_mmdb;
	if (n == 0) {
		snprintf(err, errsz, "no MMDB file given");
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	for (i = 0; i < n; i++) {
		st = MMDB_open(paths[i], MMDB_MODE_MMAP, &g->db[i]);
		if (st != MMDB_SUCCESS) {
			snprintf(err, errsz, "%s: %s%s%s", paths[i],
			    MMDB_strerror(st), st == MMDB_IO_ERROR ? ": " : "",
			    st == MMDB_IO_ERROR ? strerror(errno) : "");
			geo_free(g);
			return NULL;
		}
		g->ndb++;
	}
	return g;
}

/* Reads a string field into dst; returns 1 if there was one. */
static int
get_string(MMDB_entry_s *e, const char *const *path, char *dst, size_t dstsz)
{
	MMDB_entry_data_s d;
	size_t n;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size == 0)
		return 0;
	n = d.data_size < dstsz - 1 ? d.data_size : dstsz - 1;
	memcpy(dst, d.utf8_string, n);
	dst[n] = '\0';
	return 1;
}

/* An AS number stored as a number, or as "64496" / "AS64496". */
static uint32_t
get_asn(MMDB_entry_s *e, const char *const *path)
{
	MMDB_entry_data_s d;
	char buf[16], *end;
	const char *p;
	unsigned long long v;
	size_t n;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data)
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16:
		return d.uint16;
	case MMDB_DATA_TYPE_UINT32:
		return d.uint32;
	case MMDB_DATA_TYPE_INT32:
		return d.int32 > 0 ? (uint32_t)d.int32 : 0;
	case MMDB_DATA_TYPE_UINT64:
		return d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
	case MMDB_DATA_TYPE_UTF8_STRING:
		if (d.data_size == 0 || d.data_size >= sizeof(buf))
			return 0;
		n = d.data_size;
		memcpy(buf, d.utf8_string, n);
		buf[n] = '\0';
		p = buf;
		if ((p[0] == 'A' || p[0] == 'a') && (p[1] == 'S' || p[1] == 's'))
			p += 2;
		if (*p < '0' || *p > '9')
			return 0;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno != 0 || *end != '\0' || v > UINT32_MAX)
			return 0;
		return (uint32_t)v;
	default:
		return 0;
	}
}

int
geo_lookup(const struct geo *g, int family, const uint8_t *addr,
    struct geo_info *out)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	MMDB_lookup_result_s r;
	MMDB_entry_s e;
	char cc[8];
	size_t i, j;
	int mmerr, found = 0;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (g == NULL || addr == NULL || out == NULL)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6 && memcmp(addr, v4mapped, 12) == 0) {
		family = AF_INET;
		addr += 12;
	}
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
	} else if (family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
	} else
		return -1;
	for (i = 0; i < g->ndb; i++) {
		r = MMDB_lookup_sockaddr(&g->db[i],
		    (const struct sockaddr *)&ss, &mmerr);
		if (mmerr == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			continue;
		if (mmerr != MMDB_SUCCESS)
			return -1;
		if (!r.found_entry)
			continue;
		e = r.entry;
		for (j = 0; out->country[0] == '\0' &&
		    j < nitems(country_paths); j++) {
			if (get_string(&e, country_paths[j], cc, sizeof(cc)) &&
			    strlen(cc) == 2 && isalpha((unsigned char)cc[0]) &&
			    isalpha((unsigned char)cc[1])) {
				out->country[0] = (char)toupper((unsigned char)cc[0]);
				out->country[1] = (char)toupper((unsigned char)cc[1]);
				out->country[2] = '\0';
				found = 1;
			}
		}
		for (j = 0; out->asn == 0 && j < nitems(asn_paths); j++)
			if ((out->asn = get_asn(&e, asn_paths[j])) != 0)
				found = 1;
		for (j = 0; out->as_org[0] == '\0' && j < nitems(org_paths);
		    j++)
			if (get_string(&e, org_paths[j], out->as_org,
			    sizeof(out->as_org)))
				found = 1;
	}
	return found;
}
