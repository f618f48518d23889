/* SPDX-License-Identifier: ISC */
/*
 * test_knowledge.c: knowledge at risk (report/knowledge.c) and who a
 * device is (report/who.c) on a small database and policy: two devices
 * of one owner are one entry, a device with no owner is its own under
 * its best name, a sanctioned service is never listed, a personal
 * edition always is, uploads that are not to storage, sharing or webmail
 * are left out, pseudonyms replace owners, and the list is cut at
 * REPORT_TOP_KNOW with the total kept; and the identities of the devices
 * that the log-in list holds by key (report_idents_build()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/rules.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"
#include "rules_fixture.h"

#ifndef SHADOWTAP_SRCDIR
#define SHADOWTAP_SRCDIR	"."
#endif

#define US	1000000LL
#define T0	1767258000LL	/* 2026-01-01T09:00:00Z */

/* The real catalog and policy text. */
static struct ruleset *
load(const char *policy)
{
	struct ruleset *rs;
	char path[64];

	assert_non_null(rs = rules_fixture_load(policy, path, sizeof(path)));
	return rs;
}

/* An upload of up bytes from dev (mac, ip) to service id at t. */
static void
upload(struct store *st, const struct ruleset *rs, const char *dev,
    const char *mac, const char *ip, const char *id, int64_t t, uint64_t up)
{
	const struct service *s = rules_service_by_id(rs, id);
	struct finding f;

	assert_non_null(s);
	assert_int_equal(store_put_service(st, s->id, s->name, s->category,
	    risk_str(s->risk), s->verdict), 0);
	memset(&f, 0, sizeof(f));
	strlcpy(f.device, dev, sizeof(f.device));
	strlcpy(f.ip, ip, sizeof(f.ip));
	strlcpy(f.mac, mac, sizeof(f.mac));
	strlcpy(f.service, id, sizeof(f.service));
	strlcpy(f.category, s->category, sizeof(f.category));
	f.verdict = s->verdict;
	f.bucket = t - t % 3600;
	f.window_s = 3600;
	f.flows = 1;
	f.bytes_up = up;
	f.bytes_down = 10;
	f.first_us = t * US;
	f.last_us = t * US + 1;
	assert_int_equal(store_add_finding(st, &f), 0);
}

static struct store *
db(void)
{
	struct store *st;
	char err[256];

	st = store_open(":memory:", STORE_CREATE, err, sizeof(err));
	assert_non_null(st);
	return st;
}

static struct report *
build(struct store *st, const struct ruleset *rs, const uint8_t *key)
{
	struct report_opts o;
	struct report *r;

	memset(&o, 0, sizeof(o));
	o.since_us = STORE_TIME_MIN;
	o.until_us = STORE_TIME_MAX;
	o.rules = rs;
	o.pseudonym_key = key;
	r = report_build_opts(st, &o);
	assert_non_null(r);
	return r;
}

static const struct report_know_svc *
svc(const struct report_know *k, const char *id)
{
	size_t i;

	for (i = 0; i < k->nsvc; i++)
		if (strcmp(k->svc[i].id, id) == 0)
			return &k->svc[i];
	return NULL;
}

#define MAC1	"02:00:00:00:00:01"
#define MAC2	"02:00:00:00:00:02"

/* Alice's two devices (one by MAC, one by address), and one unowned. */
static struct store *
office(const struct ruleset *rs)
{
	struct store_inventory_row inv[2];
	struct store *st = db();

	upload(st, rs, MAC1, MAC1, "10.0.0.1", "dropbox", T0, 1000);
	upload(st, rs, MAC1, MAC1, "10.0.0.1", "wetransfer", T0, 500);
	upload(st, rs, MAC1, MAC1, "10.0.0.1", "chatgpt", T0, 9000);
	upload(st, rs, MAC2, MAC2, "10.0.0.2", "wetransfer", T0 + 7200, 300);
	upload(st, rs, MAC2, MAC2, "10.0.0.2", "gmail", T0, 200);
	upload(st, rs, "10.0.0.3", "", "10.0.0.3", "google-drive", T0, 50);
	memset(inv, 0, sizeof(inv));
	inv[0].line = 2;
	inv[0].match = MAC1;
	inv[0].name = "";
	inv[0].owner = "Alice";
	inv[0].department = "Sales";
	inv[0].asset = "";
	inv[1] = inv[0];
	inv[1].line = 3;
	inv[1].match = "10.0.0.2/32";
	inv[1].name = "Alice laptop";
	assert_int_equal(store_inventory_replace(st, inv, 2), 0);
	return st;
}

static void
test_owners(void **state)
{
	struct ruleset *rs;
	struct store *st;
	struct report *r;
	const struct report_know *a, *d;
	const struct report_know_svc *s;

	(void)state;
	rs = load("default unsanctioned\nsanctioned service dropbox\n");
	st = office(rs);
	r = build(st, rs, NULL);
	assert_int_equal(r->nknow, 2);
	assert_int_equal(r->know_total, 2);
	a = &r->know[0];
	assert_string_equal(a->who, "Alice");
	assert_true(a->owner);
	assert_string_equal(a->department, "Sales");
	assert_int_equal(a->devices, 2);
	/* Dropbox is sanctioned, ChatGPT is not storage: neither counts. */
	assert_int_equal(a->bytes_up, 500 + 300 + 200);
	assert_null(svc(a, "dropbox"));
	assert_null(svc(a, "chatgpt"));
	assert_int_equal(a->nsvc, 2);
	assert_string_equal(a->svc[0].id, "wetransfer");
	s = &a->svc[0];
	assert_int_equal(s->bytes_up, 800);
	assert_int_equal(s->devices, 2);
	assert_int_equal(s->first_us, (T0 - T0 % 3600) * US);
	assert_int_equal(s->last_us, (T0 - T0 % 3600 + 7200 + 3600) * US);
	assert_string_equal(a->svc[1].id, "gmail");
	d = &r->know[1];
	assert_string_equal(d->who, "10.0.0.3");
	assert_false(d->owner);
	assert_string_equal(d->department, "");
	assert_int_equal(d->nsvc, 1);
	assert_string_equal(d->svc[0].name, "Google Drive");
	report_free(r);
	store_close(st);
	rules_free(rs);
}

/* A personal edition is listed even when its service is sanctioned. */
static void
test_personal_edition(void **state)
{
	struct ruleset *rs;
	struct store *st;
	struct report *r;

	(void)state;
	rs = load("default unsanctioned\nsanctioned service"
	    " microsoft-onedrive\n");
	st = db();
	upload(st, rs, MAC1, MAC1, "10.0.0.1", "microsoft-onedrive", T0, 77);
	r = build(st, rs, NULL);
	assert_true(report_rec_personal(rules_service_by_id(rs,
	    "microsoft-onedrive")->name));
	assert_int_equal(r->services[0].status, VERDICT_SANCTIONED);
	assert_int_equal(r->nknow, 1);
	assert_int_equal(r->know[0].bytes_up, 77);
	assert_string_equal(r->know[0].who, MAC1);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

static void
test_pseudonyms(void **state)
{
	uint8_t key[STORE_KEY_LEN];
	struct ruleset *rs;
	struct store *st;
	struct report *r;
	char want[64];
	size_t i;

	(void)state;
	memset(key, 7, sizeof(key));
	rs = load("default unsanctioned\n");
	st = office(rs);
	r = build(st, rs, key);
	assert_int_equal(r->nknow, 2);
	assert_non_null(report_pseudonym(key, "owner", "Alice", want,
	    sizeof(want)));
	assert_string_equal(r->know[0].who, want);
	assert_non_null(report_pseudonym(key, "ip", "10.0.0.3", want,
	    sizeof(want)));
	assert_string_equal(r->know[1].who, want);
	/* The device table gives the unowned device the same pseudonym. */
	for (i = 0; i < r->ndevices; i++)
		if (strcmp(r->devices[i].label, want) == 0)
			break;
	assert_true(i < r->ndevices);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

static void
test_top(void **state)
{
	struct ruleset *rs;
	struct store *st;
	struct report *r;
	char dev[32];
	int i;

	(void)state;
	rs = load("default unsanctioned\n");
	st = db();
	for (i = 0; i < 25; i++) {
		snprintf(dev, sizeof(dev), "10.0.1.%d", i + 1);
		upload(st, rs, dev, "", dev, "mega", T0, 1000 + (uint64_t)i);
	}
	r = build(st, rs, NULL);
	assert_int_equal(r->know_total, 25);
	assert_int_equal(r->nknow, REPORT_TOP_KNOW);
	assert_string_equal(r->know[0].who, "10.0.1.25");
	for (i = 1; i < (int)r->nknow; i++)
		assert_true(r->know[i - 1].bytes_up > r->know[i].bytes_up);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

static void
test_who(void **state)
{
	struct report_who_is is;
	struct report_who *w;
	struct ruleset *rs;
	struct store *st;

	(void)state;
	rs = load("default unsanctioned\n");
	st = office(rs);
	w = report_who_load(st);
	assert_non_null(w);
	report_who_find(w, MAC1, NULL, &is);
	assert_string_equal(is.label, MAC1);
	assert_string_equal(is.kind, "mac");
	assert_string_equal(is.owner, "Alice");
	assert_string_equal(is.ip, "10.0.0.1");
	report_who_find(w, MAC2, "", &is);
	assert_string_equal(is.label, "Alice laptop");
	assert_string_equal(is.kind, "name");
	assert_string_equal(is.mac, MAC2);
	report_who_find(w, "10.0.0.3", NULL, &is);
	assert_string_equal(is.label, "10.0.0.3");
	assert_string_equal(is.kind, "ip");
	assert_string_equal(is.owner, "");
	report_who_find(w, "nobody", NULL, &is);
	assert_string_equal(is.label, "nobody");
	assert_string_equal(is.kind, "device");
	report_who_free(w);
	store_close(st);
	rules_free(rs);
}

/* A clear-text log-in of dev, which the log-in list holds by key. */
static void
login(struct store *st, const char *dev, const char *ip)
{
	struct credential c;

	memset(&c, 0, sizeof(c));
	strlcpy(c.device, dev, sizeof(c.device));
	strlcpy(c.ip, ip, sizeof(c.ip));
	strlcpy(c.proto, "ftp", sizeof(c.proto));
	strlcpy(c.server, "192.0.2.1", sizeof(c.server));
	strlcpy(c.user, "anonymous", sizeof(c.user));
	c.count = 1;
	c.first_us = T0 * US;
	c.last_us = T0 * US + 1;
	assert_int_equal(store_add_credential(st, &c), 0);
}

/* The log-in list's devices get their name, owner and department. */
static void
test_idents(void **state)
{
	uint8_t key[STORE_KEY_LEN];
	struct ruleset *rs;
	struct store *st;
	struct report *r;
	char want[64], buf[256];

	(void)state;
	rs = load("default unsanctioned\n");
	st = office(rs);
	login(st, MAC2, "10.0.0.2");
	login(st, "10.0.0.3", "10.0.0.3");
	r = build(st, rs, NULL);
	assert_int_equal(r->nlogins, 2);
	assert_int_equal(r->nidents, 2);
	assert_string_equal(report_ident_label(r, MAC2), "Alice laptop");
	assert_string_equal(report_ident_owner(r, MAC2), "Alice");
	assert_string_equal(report_ident_department(r, MAC2), "Sales");
	assert_string_equal(report_who_words(r, MAC2, buf, sizeof(buf)),
	    "Alice laptop (Alice)");
	assert_string_equal(report_ident_label(r, "10.0.0.3"), "10.0.0.3");
	assert_string_equal(report_ident_owner(r, "10.0.0.3"), "");
	assert_string_equal(report_who_words(r, "10.0.0.3", buf, sizeof(buf)),
	    "10.0.0.3");
	/* A key no list holds is shown as it is. */
	assert_null(report_ident(r, "nobody"));
	assert_string_equal(report_ident_label(r, "nobody"), "nobody");
	report_free(r);

	/* Pseudonymised: looked up by the key's pseudonym, names hidden. */
	memset(key, 9, sizeof(key));
	r = build(st, rs, key);
	assert_non_null(report_pseudonym(key, "device", MAC2, want,
	    sizeof(want)));
	assert_non_null(report_ident(r, want));
	assert_string_equal(r->logins[0].device, want);
	assert_non_null(report_pseudonym(key, "owner", "Alice", buf,
	    sizeof(buf)));
	assert_string_equal(report_ident_owner(r, want), buf);
	assert_non_null(report_pseudonym(key, "name", "Alice laptop", buf,
	    sizeof(buf)));
	assert_string_equal(report_ident_label(r, want), buf);
	report_free(r);
	store_close(st);
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_personal_edition),
		cmocka_unit_test(test_pseudonyms),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_idents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
