/* SPDX-License-Identifier: ISC */
/*
 * test_match.c: domain matching on whole labels (nDPI#2330: "t.me" must
 * never match "tt.me"), longest suffix across services, exceptions, and
 * the names from the acceptance captures against the shipped catalog.
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

#include "policy/match.h"
#include "policy/rules.h"
#include "base/util.h"

#define LABELS_REF	128

/* The source tree, for the shipped catalog (set by Makefile.am). */
#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

static const char rules_text[] =
    "category c {\n name C\n}\n"
    "service tg {\n name Telegram\n category c\n domains t.me telegram.org\n}\n"
    "service box {\n name Box\n category c\n"
    " domains dropbox.com\n except status.dropbox.com\n}\n"
    "service deep {\n name Deep\n category c\n domains a.b.telegram.org\n}\n"
    "service status {\n name Status\n category c\n domains dropbox.com\n}\n";

static int
setup(void **state)
{
	char path[] = "/tmp/test_match.XXXXXX";
	const char *p = path;
	struct diags *d = diags_new();
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(rules_text, fp);
	fclose(fp);
	*state = rules_load(&p, 1, d);
	unlink(path);
	/* "status" repeats dropbox.com: a warning, and "box" keeps it. */
	assert_int_equal(diags_errors(d), 0);
	assert_int_equal(diags_warnings(d), 1);
	diags_free(d);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	rules_free(*state);
	return 0;
}

static const char *
id_of(const struct ruleset *rs, const char *name)
{
	const struct service *s = match_name(rs, name);

	return s != NULL ? s->id : "-";
}

static void
test_whole_labels(void **state)
{
	const struct ruleset *rs = *state;

	assert_string_equal(id_of(rs, "t.me"), "tg");
	assert_string_equal(id_of(rs, "a.t.me"), "tg");
	assert_string_equal(id_of(rs, "x.y.z.t.me"), "tg");
	assert_string_equal(id_of(rs, "tt.me"), "-");
	assert_string_equal(id_of(rs, "t.me.evil.com"), "-");
	assert_string_equal(id_of(rs, "me"), "-");
	assert_string_equal(id_of(rs, ".t.me"), "tg");
	assert_string_equal(id_of(rs, "xtelegram.org"), "-");
	assert_string_equal(id_of(rs, ""), "-");
}

static void
test_longest_suffix(void **state)
{
	const struct ruleset *rs = *state;
	const struct rule_domain *rule, *ex;
	const struct service *s;

	assert_string_equal(id_of(rs, "b.telegram.org"), "tg");
	assert_string_equal(id_of(rs, "a.b.telegram.org"), "deep");
	assert_string_equal(id_of(rs, "x.a.b.telegram.org"), "deep");
	s = match_name_why(rs, "x.a.b.telegram.org", &rule, &ex);
	assert_non_null(s);
	assert_string_equal(rule->name, "a.b.telegram.org");
	assert_int_equal(rule->line, 18);
	assert_null(ex);
}

static void
test_except(void **state)
{
	const struct ruleset *rs = *state;
	const struct rule_domain *rule, *ex;

	assert_string_equal(id_of(rs, "www.dropbox.com"), "box");
	/* The exception removes "box"; "status" lost dropbox.com to it. */
	assert_null(match_name_why(rs, "status.dropbox.com", &rule, &ex));
	assert_null(rule);
	assert_non_null(ex);
	assert_string_equal(ex->name, "status.dropbox.com");
	assert_string_equal(id_of(rs, "a.status.dropbox.com"), "-");
	assert_string_equal(id_of(rs, "xstatus.dropbox.com"), "box");
}

static void
test_long_names(void **state)
{
	const struct ruleset *rs = *state;
	char name[512];
	size_t i;

	/* 127 labels "a." then "t.me": too long, never matches or crashes. */
	for (i = 0; i + 2 < 400; i += 2) {
		name[i] = 'a';
		name[i + 1] = '.';
	}
	strlcpy(name + i, "t.me", sizeof(name) - i);
	assert_string_equal(id_of(rs, name), "-");
	/* 249 bytes: still a valid name. */
	strlcpy(name + 245 - 1, "t.me", sizeof(name) - 244);
	assert_string_equal(id_of(rs, name + 0), "tg");
	assert_null(match_name(rs, NULL));
	assert_null(match_name(NULL, "t.me"));
}

/* Names from the acceptance captures, against the shipped catalog. */
static void
test_catalog_corpus_names(void **state)
{
	static const char *const cases[][3] = {
		{ "onedrive.live.com", "microsoft-onedrive", "cloud-storage" },
		{ "drive.google.com", "google-drive", "cloud-storage" },
		{ "config.teams.microsoft.com", "microsoft-teams", NULL },
		{ "presence.teams.microsoft.com", "microsoft-teams", NULL },
		{ "teams.office.com", "microsoft-teams", NULL },
		{ "discord.com", "discord", "messaging" },
		{ "relay-9b6827f2.net.anydesk.com", "anydesk", "remote-access" },
		{ "cdn.signal.org", "signal", "messaging" },
		{ "textsecure-service.whispersystems.org", "signal", "messaging" },
		{ "web.telegram.org", "telegram", "messaging" },
		{ "pastebin.com", "pastebin", "paste" },
		{ "outlook.com", "outlook-com", "webmail" },
		{ "s1.nordcdn.com", "nordvpn", "vpn-proxy" },
		{ "vpn-api.proton.me", "protonvpn", "vpn-proxy" },
		{ "eu0.sec-tunnel.com", "opera-vpn", "vpn-proxy" },
		{ "api.cloudflareclient.com", "cloudflare-warp", "vpn-proxy" },
		{ "meet.google.com", "google-meet", "conferencing" },
		{ "zoomfrn99mmr.zoom.us", "zoom", "conferencing" },
		{ "mmg-fna.whatsapp.net", "whatsapp", "messaging" },
		{ "web.utorrent.com", "bittorrent", "p2p" },
		{ "www.google.com", "google", "web-other" },
		{ "login.microsoftonline.com", "microsoft", "web-other" },
	};
	const char *paths[1] = { SHADOWTAP_SRCDIR "/rules" };
	struct diags *d = diags_new();
	struct ruleset *rs;
	const struct service *s;
	size_t i;

	(void)state;
	rs = rules_load(paths, 1, d);
	assert_non_null(rs);
	for (i = 0; i < nitems(cases); i++) {
		s = match_name(rs, cases[i][0]);
		if (cases[i][1] == NULL) {
			assert_null(s);
			continue;
		}
		assert_non_null(s);
		assert_string_equal(s->id, cases[i][1]);
		if (cases[i][2] != NULL)
			assert_string_equal(s->category, cases[i][2]);
	}
	rules_free(rs);
	diags_free(d);
}


/* The shipped catalog's domain rules, sorted by name then load order. */
struct ref {
	const char	*name;
	size_t		 idx;
};

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The first entry named s (by load order), or nr when none. */
static size_t
ref_find(const struct ref *r, size_t nr, const char *s)
{
	size_t lo = 0, hi = nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r[mid].name, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nr && strcmp(r[lo].name, s) == 0 ? lo : nr;
}

/*
 * What match_name must answer, worked out without the index: the label
 * suffixes of name from the longest, each owned by its first "domains"
 * rule, unless an "except" of that service on a suffix as long or longer.
 */
static const struct rule_domain *
ref_match(const struct ruleset *rs, const struct ref *r, size_t nr,
    const char *name)
{
	const struct rule_domain *rd, *own;
	const char *suf[LABELS_REF];
	size_t nsuf = 0, i, j, k, len = strlen(name);

	for (i = 0; i < len && nsuf < LABELS_REF; i++)
		if (i == 0 || name[i - 1] == '.')
			suf[nsuf++] = name + i;
	for (i = 0; i < nsuf; i++) {
		own = NULL;
		for (k = ref_find(r, nr, suf[i]); k < nr &&
		    strcmp(r[k].name, suf[i]) == 0; k++) {
			rd = rules_domain_at(rs, r[k].idx);
			if (!rd->except) {
				own = rd;
				break;
			}
		}
		if (own == NULL)
			continue;
		for (j = 0; j <= i && own != NULL; j++)
			for (k = ref_find(r, nr, suf[j]); k < nr &&
			    strcmp(r[k].name, suf[j]) == 0; k++) {
				rd = rules_domain_at(rs, r[k].idx);
				if (rd->except && rd->service == own->service) {
					own = NULL;
					break;
				}
			}
		if (own != NULL)
			return own;
	}
	return NULL;
}

/*
 * The index against the reference on the whole shipped catalog: every
 * domain rule as it is, under one and two more labels, and cut inside its
 * first label (which must never match it).
 */
static void
test_catalog_reference(void **state)
{
	const char *paths[1] = { SHADOWTAP_SRCDIR "/rules" };
	struct diags *d = diags_new();
	struct ruleset *rs;
	const struct rule_domain *rd, *want, *got;
	const struct service *s;
	struct ref *r;
	char name[512];
	size_t nr, i, v, checked = 0, named = 0;

	(void)state;
	rs = rules_load(paths, 1, d);
	assert_non_null(rs);
	nr = rules_ndomains(rs);
	assert_true(nr > 1000);
	r = xcalloc(nr, sizeof(*r));
	for (i = 0; i < nr; i++) {
		r[i].name = rules_domain_at(rs, i)->name;
		r[i].idx = i;
	}
	qsort(r, nr, sizeof(*r), ref_cmp);
	for (i = 0; i < nr; i++) {
		rd = rules_domain_at(rs, i);
		for (v = 0; v < 4; v++) {
			snprintf(name, sizeof(name), "%s%s", v == 1 ? "www." :
			    v == 2 ? "a-1.eu.edge." : "", v == 3 ?
			    rd->name + 1 : rd->name);
			if (strlen(name) > 253 || name[0] == '\0' ||
			    name[0] == '.')
				continue;
			want = ref_match(rs, r, nr, name);
			s = match_name_why(rs, name, &got, NULL);
			if (want != got)
				fail_msg("%s: index %s, reference %s", name,
				    got ? got->name : "none",
				    want ? want->name : "none");
			assert_true(s == (want != NULL ?
			    rules_service_at(rs, want->service) : NULL));
			checked++;
			named += s != NULL;
		}
	}
	/* Most of these names are the catalog's own. */
	assert_true(checked > 3 * nr);
	assert_true(named > 2 * nr);
	free(r);
	rules_free(rs);
	diags_free(d);
}

/* ips (longest prefix), ja4, protocols, ports; registrable domains. */
static void
test_other_keys(void **state)
{
	static const char text[] =
	    "category c {\n name C\n}\n"
	    "service wide {\n name W\n category c\n ips 10.0.0.0/8 ::/0\n}\n"
	    "service narrow {\n name N\n category c\n ips 10.1.0.0/16 10.1.2.3\n"
	    " ja4 t13d1516h2_8daaf6152771_e5627efa2ab1\n protocols tor\n"
	    " ports tcp/9001 udp/9001\n}\n";
	char path[] = "/tmp/test_match_keys.XXXXXX", reg[256];
	const char *p = path;
	const struct rule_item *why;
	struct diags *d = diags_new();
	struct ruleset *rs;
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
	inet_pton(AF_INET, "10.9.9.9", a);
	assert_string_equal(match_addr(rs, AF_INET, a, &why)->id, "wide");
	assert_string_equal(why->text, "10.0.0.0/8");
	inet_pton(AF_INET, "10.1.9.9", a);
	assert_string_equal(match_addr(rs, AF_INET, a, NULL)->id, "narrow");
	inet_pton(AF_INET, "10.1.2.3", a);
	assert_string_equal(match_addr(rs, AF_INET, a, &why)->id, "narrow");
	assert_string_equal(why->text, "10.1.2.3/32");
	assert_int_equal(why->loc.line, 12);
	inet_pton(AF_INET, "11.0.0.1", a);
	assert_null(match_addr(rs, AF_INET, a, &why));
	assert_null(why);
	inet_pton(AF_INET6, "::ffff:10.1.2.3", a);
	assert_string_equal(match_addr(rs, AF_INET6, a, NULL)->id, "narrow");
	inet_pton(AF_INET6, "2001:db8::1", a);
	assert_string_equal(match_addr(rs, AF_INET6, a, NULL)->id, "wide");
	assert_null(match_addr(rs, AF_UNIX, a, NULL));
	assert_string_equal(match_ja4(rs,
	    "t13d1516h2_8daaf6152771_e5627efa2ab1", &why)->id, "narrow");
	assert_int_equal(why->kind, RULE_JA4);
	assert_null(match_ja4(rs, "t13d1516h2_8daaf6152771_e5627efa2ab2",
	    NULL));
	assert_string_equal(match_protocol(rs, "tor", NULL)->id, "narrow");
	assert_null(match_protocol(rs, "ssh", NULL));
	assert_string_equal(match_port(rs, IPPROTO_UDP, 9001, &why)->id,
	    "narrow");
	assert_string_equal(why->text, "udp/9001");
	assert_null(match_port(rs, IPPROTO_TCP, 9002, NULL));

	assert_int_equal(match_registrable_domain("a.b.example.co.uk", reg,
	    sizeof(reg)), 0);
	assert_string_equal(reg, "example.co.uk");
	assert_int_equal(match_registrable_domain("www.example.com", reg,
	    sizeof(reg)), 0);
	assert_string_equal(reg, "example.com");
	assert_int_equal(match_registrable_domain("localhost", reg,
	    sizeof(reg)), 0);
	assert_string_equal(reg, "localhost");
	assert_int_equal(match_registrable_domain("192.0.2.1", reg,
	    sizeof(reg)), 0);
	assert_string_equal(reg, "192.0.2.1");
	assert_int_equal(match_registrable_domain("www.example.com", reg, 4),
	    -1);
	assert_int_equal(match_registrable_domain("", reg, sizeof(reg)), -1);
	rules_free(rs);
	diags_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_labels),
		cmocka_unit_test(test_longest_suffix),
		cmocka_unit_test(test_except),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_catalog_corpus_names),
		cmocka_unit_test(test_catalog_reference),
		cmocka_unit_test(test_other_keys),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
