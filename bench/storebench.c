/* SPDX-License-Identifier: ISC */
/*
 * storebench.c: the store path alone, without packets. Feeds a fixed
 * stream of flow records (as the parser would send for the benchmark
 * capture: devices using catalog services and unclassified names, every
 * record's time within one hour) into the writer's batches
 * (store/flusher.h), hands a batch over every -b records, and prints the
 * CPU time of the thread that writes them, per row written. The stream and
 * the hand-offs do not depend on timing, so two builds compare fairly
 * on a loaded machine.
 *
 * usage: storebench [-n RECORDS] [-d DEVICES] [-b PER_BATCH] -o DB
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/record.h"
#include "base/util.h"
#include "base/verdict.h"
#include "store/aggregate.h"
#include "store/flusher.h"
#include "store/store.h"

#define US	1000000LL
#define T0	1700000000LL

static uint64_t	 rng = 1;

/* splitmix64, as bench/gen. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
mkrec(struct flow_record *fr, uint32_t ndev, uint64_t i)
{
	static const char *const svc[] = { "dropbox", "google-drive",
	    "whatsapp", "chatgpt", "ms-teams", "wetransfer", "github",
	    "zoom", "slack", "onedrive" };
	uint32_t dev = (uint32_t)(rnd() % ndev);
	uint64_t r = rnd() % 100;

	memset(fr, 0, sizeof(*fr));
	fr->family = 4;
	fr->client_ip[0] = 10;
	fr->client_ip[2] = (uint8_t)(dev >> 8);
	fr->client_ip[3] = (uint8_t)dev;
	if (dev % 5 != 0) {
		fr->has_mac = 1;
		fr->client_mac[0] = 2;
		fr->client_mac[4] = (uint8_t)(dev >> 8);
		fr->client_mac[5] = (uint8_t)dev;
	}
	fr->first_us = (T0 + (int64_t)(i % 3000)) * US;
	fr->last_us = fr->first_us + (int64_t)(rnd() % 5) * US;
	fr->bytes_up = 100 + rnd() % 10000;
	fr->bytes_down = 100 + rnd() % 100000;
	fr->pkts_up = fr->pkts_down = 10;
	if (r < 50) {
		strlcpy(fr->service, svc[rnd() % 10], sizeof(fr->service));
		strlcpy(fr->category, "file-sharing", sizeof(fr->category));
		fr->verdict = r < 20 ? VERDICT_UNSANCTIONED :
		    VERDICT_TOLERATED;
		fr->evidence = 1;
		fr->confidence = 90;
	} else {
		snprintf(fr->name, sizeof(fr->name), "www.n%u.example.com",
		    (unsigned)(rnd() % 1500));
		strlcpy(fr->domain, fr->name + 4, sizeof(fr->domain));
	}
}

static double
thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct flow_record fr;
	struct run_info ri;
	struct flusher *f;
	struct store *st;
	uint64_t n = 300000, per = 20000, i, rows = 0;
	uint32_t ndev = 4000;
	const char *path = NULL;
	char err[512];
	double c0, c1, gen = 0;
	int64_t run;
	int ch;

	while ((ch = getopt(argc, argv, "n:d:b:o:")) != -1) {
		switch (ch) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'd': ndev = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'b': per = strtoull(optarg, NULL, 10); break;
		case 'o': path = optarg; break;
		default: goto usage;
		}
	}
	if (path == NULL || n == 0 || ndev == 0 || ndev > 65535 || per == 0)
		goto usage;
	(void)unlink(path);
	if ((st = store_open(path, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "storebench: %s\n", err);
		return 1;
	}
	memset(&ri, 0, sizeof(ri));
	ri.source = "storebench";
	if (store_begin(st) == -1 || store_run_begin(st, &ri, &run) == -1 ||
	    store_commit(st) == -1) {
		fprintf(stderr, "storebench: %s\n", store_errmsg(st));
		return 1;
	}
	/* Written in the caller: the CPU time is the store's alone. */
	f = flusher_new(st, 1 << 16, 3600, 1 << 16, 300, 0);
	c0 = thread_cpu();
	for (i = 0; i < n; i++) {
		double g = thread_cpu();

		mkrec(&fr, ndev, i);
		if (flusher_full(f))
			(void)flusher_hand(f);
		(void)aggregate_add(flusher_front(f)->agg, &fr);
		gen += thread_cpu() - g;
		if ((i + 1) % per == 0) {
			rows += aggregate_rows(flusher_front(f)->agg);
			(void)flusher_hand(f);
		}
	}
	rows += aggregate_rows(flusher_front(f)->agg);
	(void)flusher_hand(f);
	c1 = thread_cpu();
	printf("storebench: %llu records, %u devices, %llu batches, %llu "
	    "rows written, %.3f s CPU in the store (%.2f us a row), %u "
	    "failed\n", (unsigned long long)n, ndev,
	    (unsigned long long)flusher_stats(f)->batches,
	    (unsigned long long)rows, c1 - c0 - gen,
	    (c1 - c0 - gen) * 1e6 / (double)(rows > 0 ? rows : 1),
	    (unsigned)flusher_stats(f)->failed);
	flusher_free(f);
	store_close(st);
	return 0;
usage:
	fprintf(stderr, "usage: storebench [-n RECORDS] [-d DEVICES] "
	    "[-b PER_BATCH] -o DB\n");
	return 2;
}
