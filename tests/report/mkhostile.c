/* SPDX-License-Identifier: ISC */
/*
 * mkhostile.c: writes a small findings database whose names try to run
 * script in a browser, for tests/report/html.sh. Built by make check; it
 * uses the store API so the test needs no sqlite3 command.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "base/util.h"

#define US	1000000LL
#define T0	1704189600LL	/* 2024-01-02T10:00:00Z */

static const char svc_name[] =
    "<script>document.title='pwned'</script>\"q\"\x1b[31m";
static const char dest_name[] =
    "<img src=x onerror=\"document.title='pwned'\">.example";
/* Where data goes, departments and clear-text log-ins carry them too. */
static const char as_org[] = "<svg onload=\"document.title='pwned'\">AS";
static const char dept[] = "<iframe srcdoc=pwned></iframe>Dept";
static const char user[] = "<script>document.title='pwned'</script>@x";

/*
 * A week of network health whose segment (a department name from the
 * policy) and device carry markup, with a recurring 14:00 problem so the
 * Reliability section names them in its heading, sentence, heatmap label
 * and device table.
 */
static int
reliability(struct store *st)
{
	struct store_rel r[7 * 24];
	int d, h;

	memset(r, 0, sizeof(r));
	for (d = 0; d < 7; d++) {
		for (h = 0; h < 24; h++) {
			struct store_rel *x = &r[d * 24 + h];

			x->start_us = ((T0 - T0 % 86400) + (d - 1) * 86400 +
			    h * 3600) * US;
			x->interval_s = 3600;
			x->segment = svc_name;
			x->device = dest_name;
			x->ip = "";
			x->n[REL_DNS_QUERIES] = 40;
			x->n[REL_DNS_TIMEOUTS] = h == 14 ? 20 : 0;
			x->n[REL_DNS_ANSWERED] = 40 - x->n[REL_DNS_TIMEOUTS];
		}
	}
	return store_put_reliability(st, r, 7 * 24);
}

int
main(int argc, char **argv)
{
	struct run_info ri = { "hostile", NULL, "none", NULL };
	struct run_stats rs;
	struct unclassified u;
	struct destination d;
	struct credential c;
	struct finding f;
	struct store *st;
	char err[1400];
	int64_t id;

	if (argc != 2) {
		fputs("usage: mkhostile DB\n", stderr);
		return 2;
	}
	if ((st = store_open(argv[1], STORE_CREATE, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (store_begin(st) == -1 ||
	    store_put_service(st, "evil", svc_name, "file-sharing", "high",
	    VERDICT_UNSANCTIONED) == -1 ||
	    store_put_service(st, "box", "Box", "file-sharing", "low",
	    VERDICT_SANCTIONED) == -1)
		goto fail;
	memset(&f, 0, sizeof(f));
	strlcpy(f.device, "<b onmouseover=alert(1)>dev</b>", sizeof(f.device));
	strlcpy(f.ip, "10.0.0.1", sizeof(f.ip));
	strlcpy(f.service, "evil", sizeof(f.service));
	strlcpy(f.category, "file-sharing", sizeof(f.category));
	f.verdict = VERDICT_UNSANCTIONED;
	f.bucket = T0 - T0 % 86400;
	f.window_s = 86400;
	f.flows = 3;
	f.bytes_up = 5000000;
	f.bytes_down = 20000;
	f.first_us = T0 * US;
	f.last_us = T0 * US + 1;
	strlcpy(f.department, dept, sizeof(f.department));
	if (store_add_finding(st, &f) == -1)
		goto fail;
	memset(&d, 0, sizeof(d));
	strlcpy(d.device, f.device, sizeof(d.device));
	strlcpy(d.service, "evil", sizeof(d.service));
	strlcpy(d.country, "US", sizeof(d.country));
	d.asn = 64500;
	strlcpy(d.as_org, as_org, sizeof(d.as_org));
	d.bucket = f.bucket;
	d.window_s = 86400;
	d.flows = 3;
	d.bytes_up = 5000000;
	d.bytes_down = 20000;
	d.first_us = d.last_us = T0 * US;
	if (store_add_destination(st, &d) == -1)
		goto fail;
	memset(&c, 0, sizeof(c));
	strlcpy(c.device, f.device, sizeof(c.device));
	strlcpy(c.ip, "10.0.0.1", sizeof(c.ip));
	strlcpy(c.proto, "pop3", sizeof(c.proto));
	strlcpy(c.server, "192.0.2.110", sizeof(c.server));
	strlcpy(c.user, user, sizeof(c.user));
	c.count = 1;
	c.first_us = c.last_us = T0 * US;
	if (store_add_credential(st, &c) == -1)
		goto fail;
	strlcpy(f.service, "box", sizeof(f.service));
	f.verdict = VERDICT_SANCTIONED;
	if (store_add_finding(st, &f) == -1)
		goto fail;
	memset(&u, 0, sizeof(u));
	strlcpy(u.device, "10.0.0.1", sizeof(u.device));
	strlcpy(u.name, dest_name, sizeof(u.name));
	u.bucket = f.bucket;
	u.window_s = 86400;
	u.flows = 1;
	u.bytes_up = u.bytes_down = 100;
	u.first_us = u.last_us = T0 * US;
	if (store_add_unclassified(st, &u) == -1 ||
	    store_run_begin(st, &ri, &id) == -1)
		goto fail;
	memset(&rs, 0, sizeof(rs));
	rs.packets = 10;
	rs.bytes = 1000;
	rs.flows = 4;
	rs.first_us = T0 * US;
	rs.last_us = T0 * US + 1;
	if (store_run_end(st, id, &rs) == -1 || reliability(st) == -1 ||
	    store_commit(st) == -1)
		goto fail;
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "%s\n", store_errmsg(st));
	store_close(st);
	return 1;
}
