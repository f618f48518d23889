/* SPDX-License-Identifier: ISC */
/*
 * test_geo.c: geo.c against MMDB files the test writes itself in each
 * vendor's field layout (GeoLite2 / DB-IP, ip-location-db, asn+as_name),
 * and "asns" rules matched through the ASN looked up there.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/geo.h"
#include "policy/match.h"
#include "mmdb_writer.h"
#include "policy/rules.h"
#include "base/util.h"

static char dir[] = "/tmp/test_geo.XXXXXX";
static char country_db[128], asn_db[128], sapics_db[128], v4_db[128];
static char combo_db[128], bad_db[128];

static const struct mmdb_field us[] = {
	{ "country", "iso_code", MMDB_W_STRING, "US", 0 },
};
static const struct mmdb_field de[] = {
	{ "country", "iso_code", MMDB_W_STRING, "DE", 0 },
	{ "continent", "code", MMDB_W_STRING, "EU", 0 },
};
static const struct mmdb_field as1[] = {
	{ "autonomous_system_number", NULL, MMDB_W_UINT32, NULL, 64496 },
	{ "autonomous_system_organization", NULL, MMDB_W_STRING,
	    "Example Net", 0 },
};
static const struct mmdb_field as2[] = {
	{ "autonomous_system_number", NULL, MMDB_W_UINT16, NULL, 64497 },
	{ "autonomous_system_organization", NULL, MMDB_W_STRING,
	    "Example Sub", 0 },
};
static const struct mmdb_field as6[] = {
	{ "autonomous_system_number", NULL, MMDB_W_UINT64, NULL, 4200000001u },
};
static const struct mmdb_field sap[] = {
	{ "country_code", NULL, MMDB_W_STRING, "fr", 0 },
};
static const struct mmdb_field combo[] = {
	{ "country", NULL, MMDB_W_STRING, "JP", 0 },
	{ "asn", NULL, MMDB_W_STRING, "AS64510", 0 },
	{ "as_name", NULL, MMDB_W_STRING, "Combo KK", 0 },
};

static int
setup(void **state)
{
	const struct mmdb_net cn[] = {
		{ "192.0.2.0/24", us, nitems(us) },
		{ "2001:db8::/32", de, nitems(de) },
	};
	/* The /25 is given first: the writer must nest it under the /24. */
	const struct mmdb_net an[] = {
		{ "192.0.2.128/25", as2, nitems(as2) },
		{ "192.0.2.0/24", as1, nitems(as1) },
		{ "2001:db8:1::/48", as6, nitems(as6) },
	};
	const struct mmdb_net sn[] = {
		{ "198.51.100.0/24", sap, nitems(sap) },
	};
	const struct mmdb_net cb[] = {
		{ "203.0.113.0/24", combo, nitems(combo) },
	};
	FILE *fp;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(country_db, sizeof(country_db), "%s/country.mmdb", dir);
	snprintf(asn_db, sizeof(asn_db), "%s/asn.mmdb", dir);
	snprintf(sapics_db, sizeof(sapics_db), "%s/sapics.mmdb", dir);
	snprintf(v4_db, sizeof(v4_db), "%s/v4.mmdb", dir);
	snprintf(combo_db, sizeof(combo_db), "%s/combo.mmdb", dir);
	snprintf(bad_db, sizeof(bad_db), "%s/bad.mmdb", dir);
	if (mmdb_write(country_db, 6, "GeoLite2-Country", cn, nitems(cn)) ||
	    mmdb_write(asn_db, 6, "GeoLite2-ASN", an, nitems(an)) ||
	    mmdb_write(sapics_db, 6, "ip-location-db", sn, nitems(sn)) ||
	    mmdb_write(v4_db, 4, "ip-location-db-v4", sn, nitems(sn)) ||
	    mmdb_write(combo_db, 6, "country_asn", cb, nitems(cb)))
		return -1;
	if ((fp = fopen(bad_db, "w")) == NULL)
		return -1;
	fputs("not a database\n", fp);
	fclose(fp);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(country_db);
	unlink(asn_db);
	unlink(sapics_db);
	unlink(v4_db);
	unlink(combo_db);
	unlink(bad_db);
	rmdir(dir);
	return 0;
}

static int
look(const struct geo *g, const char *text, struct geo_info *gi)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, text, a) == 1)
		return geo_lookup(g, AF_INET, a, gi);
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
	return geo_lookup(g, AF_INET6, a, gi);
}

static void
test_geolite2_layout(void **state)
{
	char err[256];
	struct geo *g;
	struct geo_info gi;

	(void)state;
	g = geo_open(country_db, asn_db, err, sizeof(err));
	assert_non_null(g);
	assert_int_equal(look(g, "192.0.2.1", &gi), 1);
	assert_string_equal(gi.country, "US");
	assert_int_equal(gi.asn, 64496);
	assert_string_equal(gi.as_org, "Example Net");
	/* Longest prefix: the /25 inside the /24. */
	assert_int_equal(look(g, "192.0.2.200", &gi), 1);
	assert_string_equal(gi.country, "US");
	assert_int_equal(gi.asn, 64497);
	assert_string_equal(gi.as_org, "Example Sub");
	assert_int_equal(look(g, "::ffff:192.0.2.1", &gi), 1);
	assert_int_equal(gi.asn, 64496);
	assert_int_equal(look(g, "2001:db8:1::5", &gi), 1);
	assert_string_equal(gi.country, "DE");
	assert_int_equal(gi.asn, 4200000001u);
	assert_string_equal(gi.as_org, "");
	assert_int_equal(look(g, "2001:db8:2::5", &gi), 1);
	assert_int_equal(gi.asn, 0);
	assert_int_equal(look(g, "192.0.3.1", &gi), 0);
	assert_string_equal(gi.country, "");
	assert_int_equal(look(g, "2001:db9::1", &gi), 0);
	assert_int_equal(geo_lookup(g, AF_UNIX, (const uint8_t *)"abcd", &gi),
	    -1);
	geo_free(g);
	geo_free(NULL);
}

static void
test_other_layouts(void **state)
{
	char err[256];
	struct geo *g;
	struct geo_info gi;

	(void)state;
	g = geo_open(sapics_db, NULL, err, sizeof(err));
	assert_non_null(g);
	assert_int_equal(look(g, "198.51.100.9", &gi), 1);
	assert_string_equal(gi.country, "FR");
	assert_int_equal(gi.asn, 0);
	geo_free(g);
	/* An IPv4-only tree: IPv6 lookups find nothing, without error. */
	g = geo_open(v4_db, v4_db, err, sizeof(err));
	assert_non_null(g);
	assert_int_equal(look(g, "198.51.100.9", &gi), 1);
	assert_string_equal(gi.country, "FR");
	assert_int_equal(look(g, "::ffff:198.51.100.9", &gi), 1);
	assert_int_equal(look(g, "2001:db8::1", &gi), 0);
	geo_free(g);
	g = geo_open(NULL, combo_db, err, sizeof(err));
	assert_non_null(g);
	assert_int_equal(look(g, "203.0.113.77", &gi), 1);
	assert_string_equal(gi.country, "JP");
	assert_int_equal(gi.asn, 64510);
	assert_string_equal(gi.as_org, "Combo KK");
	geo_free(g);
}

static void
test_open_errors(void **state)
{
	char err[256];

	(void)state;
	assert_null(geo_open(NULL, NULL, err, sizeof(err)));
	assert_string_equal(err, "no MMDB file given");
	assert_null(geo_open("/nonexistent/x.mmdb", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/x.mmdb: "));
	assert_null(geo_open(country_db, bad_db, err, sizeof(err)));
	assert_non_null(strstr(err, "bad.mmdb: "));
}

/* "asns" rules match through the ASN that the MMDB gives an address. */
static void
test_asn_rules(void **state)
{
	static const char text[] =
	    "category c {\n name C\n}\n"
	    "service cdn {\n name CDN\n category c\n asns AS64496 4200000001\n}\n"
	    "service sub {\n name Sub\n category c\n asns 64497\n"
	    " ips 192.0.2.192/26\n}\n";
	char path[] = "/tmp/test_geo_rules.XXXXXX", err[256];
	const char *p = path;
	const struct rule_item *why;
	const struct service *s;
	struct diags *d = diags_new();
	struct ruleset *rs;
	struct geo_info gi;
	struct geo *g;
	uint8_t a[16];
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	rs = rules_load(&p, 1, d);
	unlink(path);
	assert_non_null(rs);
	assert_int_equal(diags_count(d), 0);
	g = geo_open(NULL, asn_db, err, sizeof(err));
	assert_non_null(g);

	inet_pton(AF_INET, "192.0.2.1", a);
	assert_int_equal(geo_lookup(g, AF_INET, a, &gi), 1);
	assert_null(match_addr(rs, AF_INET, a, &why));
	assert_null(why);
	s = match_asn(rs, gi.asn, &why);
	assert_non_null(s);
	assert_string_equal(s->id, "cdn");
	assert_string_equal(why->text, "AS64496");
	assert_int_equal(why->loc.line, 7);
	assert_int_equal(why->loc.col, 7);

	/* 192.0.2.200: its own address rule beats the AS, as recommended. */
	inet_pton(AF_INET, "192.0.2.200", a);
	assert_int_equal(geo_lookup(g, AF_INET, a, &gi), 1);
	assert_int_equal(gi.asn, 64497);
	s = match_addr(rs, AF_INET, a, &why);
	assert_non_null(s);
	assert_string_equal(s->id, "sub");
	assert_string_equal(why->text, "192.0.2.192/26");
	assert_string_equal(match_asn(rs, gi.asn, NULL)->id, "sub");

	inet_pton(AF_INET6, "2001:db8:1::1", a);
	assert_int_equal(geo_lookup(g, AF_INET6, a, &gi), 1);
	assert_string_equal(match_asn(rs, gi.asn, NULL)->id, "cdn");
	assert_null(match_asn(rs, 0, &why));
	assert_null(match_asn(rs, 1, NULL));
	geo_free(g);
	rules_free(rs);
	diags_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geolite2_layout),
		cmocka_unit_test(test_other_layouts),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_asn_rules),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
