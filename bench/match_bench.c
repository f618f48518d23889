/* SPDX-License-Identifier: ISC */
/*
 * match_bench.c: lookups per second for match_name over a realistic mix
 * of names (catalog hits at several depths, misses, long CDN names) and
 * for match_addr over random IPv4 and IPv6 addresses against a table of
 * synthetic prefixes. With -b BASE, a second catalog (make bench gives
 * the one before the import from git history) is timed on the very same
 * names, in alternating slices of the same run, and the ratio printed.
 * Built and run by "make bench"; not a test.
 *
 *	usage: match_bench [-b BASE_RULES_DIR] [RULES_DIR] [SECONDS_PER_CASE]
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "policy/match.h"
#include "policy/rules.h"
#include "base/util.h"

#define NAMES		4096
#define ADDRS		4096
#define PREFIXES	20000
#define SLICES		101	/* alternating slices per catalog */

static double
clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_of(CLOCK_MONOTONIC);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static const char *const misses[] = {
	"www.google.com", "fonts.gstatic.com", "login.microsoftonline.com",
	"e1234.dscb.akamaiedge.net", "ocsp.digicert.com",
	"a.b.c.d.example.co.uk", "updates.vendor.internal", "localhost",
	"r3---sn-4g5ednsz.googlevideo.com",
	"very.long.name.with.many.labels.under.some.cdn.example.net",
};

static const char *const tlds[] = { "com", "net", "org", "io", "de",
    "co.uk", "cn", "ru" };

/* A random lowercase label of 3 to 12 letters and digits. */
static void
rnd_label(char *buf, size_t size)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t i, n = 3 + rnd() % 10;

	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = al[rnd() % (sizeof(al) - 1)];
	buf[i] = '\0';
}

/*
 * Parses dir (and extra, when not NULL) and prints its size and the CPU
 * time that loading dir alone takes (the best of three).
 */
static struct ruleset *
load(const char *what, const char *dir, const char *extra, struct diags *d)
{
	const char *paths[2] = { dir, extra };
	struct ruleset *rs;
	size_t nsvc = 0, ndom = 0;
	double t0, t, best = 1e9;
	int i;

	for (i = 0; i < 3; i++) {
		t0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		rs = rules_load(paths, 1, d);
		if ((t = clock_of(CLOCK_PROCESS_CPUTIME_ID) - t0) < best)
			best = t;
		if (rs != NULL) {
			nsvc = rules_nservices(rs);
			ndom = rules_ndomains(rs);
		}
		rules_free(rs);
	}
	printf("match_bench: %s %s: %zu services, %zu domain rules, "
	    "loaded in %.1f ms CPU\n", what, dir, nsvc, ndom, best * 1e3);
	if (best >= 0.1)
		printf("TARGET MISSED: loading %s takes %.0f ms (< 100)\n",
		    dir, best * 1e3);
	return rules_parse(paths, extra != NULL ? 2 : 1, d);
}

/*
 * The name mix, the same for every catalog: 60% names of the catalogs'
 * own domains (drawn from each in turn) with 0-3 extra labels, 20%
 * everyday names, 20% random names under common top-level domains.
 */
static void
make_names(char names[][256], size_t n, struct ruleset *const *rs,
    size_t nrs)
{
	static const char *const pre[] = { "", "www.", "api.",
	    "eu-west-1.edge." };
	const struct rule_domain *rd;
	char a[16], b[16];
	size_t i, nd;
	uint32_t r;

	for (i = 0; i < n; i++) {
		r = rnd() % 10;
		nd = rules_ndomains(rs[i % nrs]);
		if (r < 6 && nd > 0) {
			do
				rd = rules_domain_at(rs[i % nrs], rnd() % nd);
			while (rd->except);
			snprintf(names[i], 256, "%s%s", pre[rnd() % 4],
			    rd->name);
		} else if (r < 8)
			strlcpy(names[i], misses[rnd() % nitems(misses)],
			    256);
		else {
			rnd_label(a, sizeof(a));
			rnd_label(b, sizeof(b));
			snprintf(names[i], 256, "%s.%s.%s", a, b,
			    tlds[rnd() % nitems(tlds)]);
		}
	}
}

/* Looks every name up for secs; returns lookups per second. */
static double
time_names(const struct ruleset *rs, char names[][256], size_t n,
    double secs, double *matched)
{
	unsigned long long k = 0, hits = 0;
	double t0, t;
	size_t i;

	t0 = now();
	do {
		for (i = 0; i < n; i++)
			hits += match_name(rs, names[i]) != NULL;
		k += n;
	} while ((t = now()) - t0 < secs);
	*matched = 100.0 * (double)hits / (double)k;
	return (double)k / (t - t0);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *dir = "rules", *basedir = NULL;
	double secs = 1.0, rate[2][SLICES], ratio[SLICES], pct[2] = { 0, 0 };
	static char names[NAMES][256];
	static uint8_t addrs[ADDRS][16];
	static int fams[ADDRS];
	char path[] = "/tmp/match_bench.XXXXXX";
	struct diags *d = diags_new();
	struct ruleset *rs, *base = NULL, *both[2];
	unsigned long long n = 0, hits = 0;
	double t0, t;
	size_t i, j;
	FILE *fp;
	int fd, c;

	while ((c = getopt(argc, argv, "b:")) != -1) {
		if (c != 'b') {
			fprintf(stderr, "usage: match_bench [-b BASE_RULES] "
			    "[RULES] [SECONDS_PER_CASE]\n");
			return 2;
		}
		basedir = optarg;
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		secs = atof(argv[optind]);

	/* A catalog plus a file of synthetic prefixes for match_addr. */
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		return 1;
	}
	fprintf(fp, "category bench-net {\n name BenchNet\n}\n");
	for (i = 0; i < PREFIXES / 100; i++) {
		fprintf(fp, "service bench-net-%zu {\n name B\n category "
		    "bench-net\n", i);
		for (j = 0; j < 100; j++) {
			uint32_t a = rnd();
			unsigned len = 12 + rnd() % 13;

			a &= len == 0 ? 0 : ~0u << (32 - len);
			if (j % 4 == 3)
				fprintf(fp, " ips 2001:db8:%x:%x::/64\n",
				    rnd() & 0xffff, rnd() & 0xffff);
			else
				fprintf(fp, " ips %u.%u.%u.%u/%u\n", a >> 24,
				    (a >> 16) & 0xff, (a >> 8) & 0xff,
				    a & 0xff, len);
		}
		fprintf(fp, "}\n");
	}
	fclose(fp);
	if (basedir != NULL)
		base = load("base", basedir, NULL, d);
	rs = load("catalog", dir, path, d);
	unlink(path);
	both[0] = base;
	both[1] = rs;

	if (base == NULL) {
		make_names(names, NAMES, &rs, 1);
		t = time_names(rs, names, NAMES, secs, &pct[1]);
		printf("match_name: %.0f lookups/s (%.1f%% matched)\n", t,
		    pct[1]);
	} else {
		/* The same names, alternating slices, base first or not. */
		make_names(names, NAMES, both, 2);
		for (i = 0; i < SLICES; i++) {
			for (j = 0; j < 2; j++) {
				c = (int)((i + j) % 2);
				rate[c][i] = time_names(both[c], names, NAMES,
				    secs / SLICES, &pct[c]);
			}
			ratio[i] = rate[1][i] / rate[0][i];
		}
		for (j = 0; j < 2; j++)
			qsort(rate[j], SLICES, sizeof(double), dbl_cmp);
		qsort(ratio, SLICES, sizeof(double), dbl_cmp);
		for (j = 0; j < 2; j++)
			printf("match_name: %s: %.0f lookups/s median, %.0f "
			    "best (%.1f%% matched)\n", j ? "catalog" : "base",
			    rate[j][SLICES / 2], rate[j][SLICES - 1],
			    pct[j]);
		printf("match_name: catalog/base %.2f median (slices "
		    "%.2f-%.2f), best/best %.2f\n", ratio[SLICES / 2],
		    ratio[0], ratio[SLICES - 1],
		    rate[1][SLICES - 1] / rate[0][SLICES - 1]);
		if (ratio[SLICES / 2] < 1.0)
			printf("TARGET MISSED: match_name on the catalog at "
			    "%.2f of the base's speed\n", ratio[SLICES / 2]);
	}

	for (i = 0; i < ADDRS; i++) {
		uint32_t r = rnd();
		size_t k;

		fams[i] = i % 4 == 3 ? AF_INET6 : AF_INET;
		for (k = 0; k < 16; k++)
			addrs[i][k] = (uint8_t)rnd();
		if (fams[i] == AF_INET6) {
			addrs[i][0] = 0x20;
			addrs[i][1] = 0x01;
			addrs[i][2] = 0x0d;
			addrs[i][3] = 0xb8;
		}
		(void)r;
	}
	n = hits = 0;
	t0 = now();
	do {
		for (i = 0; i < ADDRS; i++)
			hits += match_addr(rs, fams[i], addrs[i], NULL) !=
			    NULL;
		n += ADDRS;
	} while ((t = now()) - t0 < secs);
	printf("match_addr: %.0f lookups/s (%.1f%% matched)\n",
	    (double)n / (t - t0), 100.0 * (double)hits / (double)n);
	rules_free(rs);
	rules_free(base);
	diags_free(d);
	return 0;
}
