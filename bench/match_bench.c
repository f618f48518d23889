/* SPDX-License-Identifier: ISC */
/*
 * match_bench.c: lookups per second for match_name over a realistic mix
 * of names (catalog hits at several depths, misses, long CDN names) and
 * for match_addr over random IPv4 and IPv6 addresses against a table of
 * synthetic prefixes. Built and run by "make bench"; not a test.
 *
 *	usage: match_bench [RULES_DIR] [SECONDS_PER_CASE]
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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "rules";
	double secs = argc > 2 ? atof(argv[2]) : 1.0, t0, t;
	static char names[NAMES][256];
	static uint8_t addrs[ADDRS][16];
	static int fams[ADDRS];
	char path[] = "/tmp/match_bench.XXXXXX";
	const char *paths[2];
	const struct rule_domain *rd;
	struct diags *d = diags_new();
	struct ruleset *rs;
	unsigned long long n = 0, hits = 0;
	size_t i, nd;
	FILE *fp;
	int fd;

	/* A catalog plus a file of synthetic prefixes for match_addr. */
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		return 1;
	}
	fprintf(fp, "category bench-net {\n name BenchNet\n}\n");
	for (i = 0; i < PREFIXES / 100; i++) {
		size_t j;

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
	paths[0] = dir;
	paths[1] = path;
	rs = rules_parse(paths, 2, d);
	unlink(path);
	printf("match_bench: %zu services, %zu domain rules, %zu other "
	    "rules (%zu diagnostics)\n", rules_nservices(rs),
	    rules_ndomains(rs), rules_nitems(rs), diags_count(d));

	/* Names: 60% catalog hits with 0-3 extra labels, 40% misses. */
	nd = rules_ndomains(rs);
	for (i = 0; i < NAMES; i++) {
		if (nd > 0 && rnd() % 10 < 6) {
			static const char *const pre[] = { "", "www.", "api.",
			    "eu-west-1.edge." };

			rd = rules_domain_at(rs, rnd() % nd);
			snprintf(names[i], sizeof(names[i]), "%s%s",
			    pre[rnd() % 4], rd->name);
		} else
			strlcpy(names[i], misses[rnd() % nitems(misses)],
			    sizeof(names[i]));
	}
	t0 = now();
	do {
		for (i = 0; i < NAMES; i++)
			hits += match_name(rs, names[i]) != NULL;
		n += NAMES;
	} while ((t = now()) - t0 < secs);
	printf("match_name: %.0f lookups/s (%.1f%% matched)\n",
	    (double)n / (t - t0), 100.0 * (double)hits / (double)n);

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
	diags_free(d);
	return 0;
}
