/* SPDX-License-Identifier: ISC */
/*
 * mkmmdb.c: writes the two small GeoLite2-layout databases the capture
 * enrichment test uses: COUNTRY.mmdb puts 0.0.0.0/1 in SE and 128.0.0.0/1
 * in US; ASN.mmdb puts all of IPv4 in AS64500 "Example Transit", and
 * 52.112.0.0/14 in AS8075 "Microsoft Corporation".
 * usage: mkmmdb COUNTRY.mmdb ASN.mmdb
 */
#include <stdio.h>

#include "mmdb_writer.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

int
main(int argc, char **argv)
{
	static const struct mmdb_field se[] = {
		{ "country", "iso_code", MMDB_W_STRING, "SE", 0 },
	};
	static const struct mmdb_field us[] = {
		{ "country", "iso_code", MMDB_W_STRING, "US", 0 },
	};
	static const struct mmdb_field transit[] = {
		{ "autonomous_system_number", NULL, MMDB_W_UINT32, NULL, 64500 },
		{ "autonomous_system_organization", NULL, MMDB_W_STRING,
		    "Example Transit", 0 },
	};
	static const struct mmdb_field msft[] = {
		{ "autonomous_system_number", NULL, MMDB_W_UINT32, NULL, 8075 },
		{ "autonomous_system_organization", NULL, MMDB_W_STRING,
		    "Microsoft Corporation", 0 },
	};
	const struct mmdb_net cn[] = {
		{ "0.0.0.0/1", se, N(se) },
		{ "128.0.0.0/1", us, N(us) },
	};
	const struct mmdb_net an[] = {
		{ "52.112.0.0/14", msft, N(msft) },
		{ "0.0.0.0/0", transit, N(transit) },
	};

	if (argc != 3) {
		fprintf(stderr, "usage: mkmmdb COUNTRY.mmdb ASN.mmdb\n");
		return 2;
	}
	if (mmdb_write(argv[1], 6, "GeoLite2-Country", cn, N(cn)) == -1 ||
	    mmdb_write(argv[2], 6, "GeoLite2-ASN", an, N(an)) == -1) {
		fprintf(stderr, "mkmmdb: cannot write the databases\n");
		return 1;
	}
	return 0;
}
