/* SPDX-License-Identifier: ISC */
/*
 * gendb.c: writes a synthetic findings database for the store and summary
 * benchmarks (issue 6, issue 7 item 6): 1,000 devices over 90 days by
 * default, one capture run per day. The same seed and options always give
 * the same findings; only the runs' wall-clock start and finish stamps
 * differ between two files.
 *
 * It writes through the public store API only (store.h), exactly the calls
 * capture makes, so it keeps working when the schema changes. Services,
 * categories and verdicts come from the real catalog and policy loaded
 * with rules_load(), so ids and statuses are the ones a report shows.
 *
 * The usage model: most devices are active on weekdays and few at
 * weekends. Each uses a handful of sanctioned and tolerated tools nearly
 * every day it is on, some adopt one to four unsanctioned services (file
 * sharing, cloud storage, webmail, messaging, generative AI, remote access,
 * VPN) with a popularity that falls off like Zipf's law, use them on some
 * days and may drop them later; on one device-day in forty a device
 * touches a random catalog service. Byte counts are log-normal with a
 * Pareto tail on uploads to storage. Each active device also reaches three
 * to ten destinations no rule names, from a Zipf-ranked pool.
 *
 * What schema 3 and 4 added comes from the device or name alone, never
 * from the random stream, so the findings stay those of earlier versions:
 * devices fall into five departments by address (every tenth in none),
 * each service and unclassified name is served from one of a dozen
 * countries and networks by a hash of its name (a destinations row per
 * finding or unclassified row), and one device in ten logs in to a mail
 * or file server in clear text on the days it is on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/defaults.h"
#include "policy/rules.h"
#include "store/store.h"
#include "base/util.h"

#define US		1000000LL
#define DAY_S		86400LL
#define HOUR_S		3600LL
#define MAX_DAILY	8	/* sanctioned/tolerated tools per device */
#define MAX_SHADOW	4	/* unsanctioned services per device */
#define NAME_POOL	20000	/* unclassified destination names */
#define BYTES_CAP	(1ULL << 40)

/* 2026-01-05T00:00:00Z, a Monday. */
#define DEF_START_S	1767571200LL

/* splitmix64, as in gen.c: tiny, fast, and identical on every platform. */
static uint64_t	rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t
rndn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double
rndu(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal (Box-Muller; the second value is thrown away). */
static double
rndnorm(void)
{
	double u = rndu(), v = rndu();

	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Log-normal with the given median. */
static double
rndlogn(double median, double sigma)
{
	return median * exp(sigma * rndnorm());
}

/* Pareto with scale 1 and shape alpha: heavy tail, minimum 1. */
static double
rndpareto(double alpha)
{
	return pow(1.0 - rndu(), -1.0 / alpha);
}

/*
 * Zipf-like rank in [0, n): a table of cumulative weights 1/(k+1)^s, and a
 * binary search on a uniform draw.
 */
struct zipf {
	double	*cum;
	size_t	 n;
};

static void
zipf_init(struct zipf *z, size_t n, double s)
{
	double t = 0;
	size_t k;

	z->n = n;
	z->cum = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*z->cum));
	for (k = 0; k < n; k++) {
		t += 1.0 / pow((double)(k + 1), s);
		z->cum[k] = t;
	}
}

static size_t
zipf_draw(const struct zipf *z)
{
	double x = rndu() * z->cum[z->n - 1];
	size_t lo = 0, hi = z->n - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (z->cum[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Byte and flow profile of a service-day by category: medians of download
 * and upload, the log-normal spread, and the median flow count.
 */
struct usage {
	const char	*category;
	double		 down;
	double		 up;
	double		 sigma;
	double		 flows;
};

static const struct usage usages[] = {
	{ "conferencing",	150e6,	60e6,	1.2,	6 },
	{ "collaboration",	40e6,	8e6,	1.0,	60 },
	{ "cloud-storage",	20e6,	12e6,	1.8,	25 },
	{ "file-sharing",	15e6,	25e6,	2.0,	4 },
	{ "webmail",		10e6,	2e6,	1.5,	15 },
	{ "messaging",		5e6,	1e6,	1.4,	20 },
	{ "genai",		2e6,	0.5e6,	1.3,	8 },
	{ "remote-access",	80e6,	10e6,	1.5,	3 },
	{ "vpn-proxy",		200e6,	20e6,	1.8,	4 },
	{ "streaming",		400e6,	4e6,	1.3,	12 },
	{ "social-media",	30e6,	2e6,	1.3,	25 },
	{ "code-hosting",	15e6,	3e6,	1.5,	30 },
};
static const struct usage usage_default = { "", 5e6, 1e6, 1.5, 6 };

static const struct usage *
usage_of(const char *category)
{
	size_t i;

	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (strcmp(usages[i].category, category) == 0)
			return &usages[i];
	return &usage_default;
}

/* Unsanctioned categories a device may adopt, with their weights. */
static const struct {
	const char	*category;
	unsigned	 weight;
} shadow_cats[] = {
	{ "file-sharing", 20 },
	{ "cloud-storage", 12 },
	{ "webmail", 15 },
	{ "messaging", 20 },
	{ "genai", 22 },
	{ "remote-access", 6 },
	{ "vpn-proxy", 5 },
};
#define NSHADOW_CATS	(sizeof(shadow_cats) / sizeof(shadow_cats[0]))

struct shadow_use {
	size_t		 svc;		/* catalog index */
	double		 p;		/* probability of use on an active day */
	int		 from;		/* first day (may be before day 0) */
	int		 until;		/* day after the last */
};

struct device {
	char		 ip[16];
	char		 mac[18];	/* "" for devices seen without one */
	double		 p_weekday;	/* probability of being on */
	double		 p_weekend;
	size_t		 daily[MAX_DAILY];
	size_t		 ndaily;
	struct shadow_use shadow[MAX_SHADOW];
	size_t		 nshadow;
	double		 volume;	/* this device's multiplier on bytes */
	const char	*dept;		/* "" for none */
};

/* Where a service or name is served from, picked by a hash of its name. */
static const struct {
	const char	*country;
	uint32_t	 asn;
	const char	*org;
} hosts[] = {
	{ "US", 8075, "Microsoft Corporation" },
	{ "US", 15169, "Google LLC" },
	{ "US", 16509, "Amazon.com, Inc." },
	{ "US", 13335, "Cloudflare, Inc." },
	{ "IE", 8075, "Microsoft Corporation" },
	{ "IE", 16509, "Amazon.com, Inc." },
	{ "DE", 24940, "Hetzner Online GmbH" },
	{ "NL", 60781, "LeaseWeb Netherlands B.V." },
	{ "FR", 16276, "OVH SAS" },
	{ "SG", 16509, "Amazon.com, Inc." },
	{ "CN", 37963, "Hangzhou Alibaba Advertising Co., Ltd." },
	{ "RU", 13238, "YANDEX LLC" },
};
#define NHOSTS	(sizeof(hosts) / sizeof(hosts[0]))

static const char *const depts[] = { "Engineering", "Finance", "Sales",
    "Operations", "Design" };

/* FNV-1a: a fixed spread of names over hosts[], independent of the seed. */
static size_t
host_of(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h % NHOSTS;
}

struct gen {
	const struct ruleset *rs;
	struct store	*st;
	int64_t		 window_s;
	uint64_t	 nfindings;	/* rows written (before upserts merge) */
	uint64_t	 nuncl;
	uint64_t	 ndest;
	uint64_t	 ncred;
	/* Per-day run counters. */
	uint64_t	 day_flows;
	uint64_t	 day_bytes;
};

/* Catalog indexes of the services with verdict v (and category c if set). */
static size_t
pick_services(const struct ruleset *rs, enum verdict v, const char *c,
    size_t *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < rules_nservices(rs) && n < max; i++) {
		const struct service *s = rules_service_at(rs, i);

		if (s->verdict == v && (c == NULL ||
		    strcmp(s->category, c) == 0))
			out[n++] = i;
	}
	return n;
}

/* Fisher-Yates over the tail of a candidate list, for a ranking. */
static void
shuffle(size_t *a, size_t n)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rndn((uint32_t)i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/*
 * The services people reach for first in each category rank first where
 * the catalog has them; the rest of the category follows in a seeded
 * shuffle.
 */
static const char *const popular[] = {
	"wetransfer", "dropbox", "mega", "google-drive", "apple-icloud",
	"gmail", "outlook-com", "yahoo-mail", "proton-mail", "whatsapp",
	"telegram", "signal", "discord", "slack", "chatgpt", "claude",
	"gemini", "perplexity", "deepseek", "anydesk", "teamviewer",
	"rustdesk", "nordvpn", "protonvpn", "tor-project", "cloudflare-warp",
};

static int
popular_rank(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(popular) / sizeof(popular[0]); i++)
		if (strcmp(popular[i], id) == 0)
			return (int)i;
	return -1;
}

struct ranked {
	size_t		*svc;
	size_t		 n;
	struct zipf	 z;
};

static void
rank_category(const struct ruleset *rs, const char *cat, struct ranked *r)
{
	size_t cap = rules_nservices(rs), i, j, k, t;

	r->svc = xreallocarray(NULL, cap > 0 ? cap : 1, sizeof(*r->svc));
	r->n = pick_services(rs, VERDICT_UNSANCTIONED, cat, r->svc, cap);
	shuffle(r->svc, r->n);
	/* Stable selection: popular ids to the front, in popular[] order. */
	for (k = 0, i = 0; i < sizeof(popular) / sizeof(popular[0]); i++) {
		for (j = k; j < r->n; j++) {
			if (popular_rank(rules_service_at(rs,
			    r->svc[j])->id) == (int)i) {
				t = r->svc[k];
				r->svc[k] = r->svc[j];
				r->svc[j] = t;
				k++;
				break;
			}
		}
	}
	zipf_init(&r->z, r->n, 1.1);
}

/* Destination names no rule names: api7.velorant.io and the like. */
static char *
make_names(size_t n)
{
	static const char *const pre[] = { "api", "cdn", "static", "img",
	    "telemetry", "updates", "edge", "assets", "sync", "push", "ws",
	    "media", "dl", "login", "app", "metrics", "files", "gw" };
	static const char *const syl[] = { "ka", "ve", "lo", "ran", "tio",
	    "mu", "zor", "pel", "qua", "dex", "ni", "sol", "tra", "vik", "bo",
	    "ly", "gen", "fi", "xo", "tel", "mar", "qu", "sen", "dra" };
	static const char *const tld[] = { "com", "net", "io", "org", "de",
	    "fr", "co.uk", "cn", "ru", "app", "cloud", "jp", "nl", "info" };
	char *names = xcalloc(n, 64);
	char sld[32];
	size_t i, k, ns;

	for (i = 0; i < n; i++) {
		sld[0] = '\0';
		ns = 2 + rndn(3);
		for (k = 0; k < ns; k++)
			strlcat(sld, syl[rndn(sizeof(syl) / sizeof(syl[0]))],
			    sizeof(sld));
		snprintf(names + i * 64, 64, "%s%u.%s.%s",
		    pre[rndn(sizeof(pre) / sizeof(pre[0]))], rndn(20), sld,
		    tld[rndn(sizeof(tld) / sizeof(tld[0]))]);
	}
	return names;
}

static uint64_t
clamp_bytes(double b)
{
	if (b < 60)
		return 60;
	if (b > (double)BYTES_CAP)
		return BYTES_CAP;
	return (uint64_t)b;
}

/*
 * Writes one service-day (or unclassified name-day) of traffic: the span
 * [first_us, last_us] cut into the aggregation windows it touches, one
 * row per window, the counts shared out at random.
 */
static int
emit(struct gen *g, const struct device *d, const struct service *s,
    const char *name, int64_t first_us, int64_t last_us, uint64_t flows,
    uint64_t up, uint64_t down)
{
	int64_t w = g->window_s * US, b0, b1, lo, hi;
	uint64_t nslots, i, f, bu, bd;
	double wts[48], wsum = 0;
	struct finding fd;
	struct unclassified u;
	struct destination dst;
	size_t h = host_of(s != NULL ? s->id : name);

	b0 = first_us / w;
	b1 = last_us / w;
	nslots = (uint64_t)(b1 - b0 + 1);
	if (nslots > 48 || nslots > flows) {
		/* Fewer flows than windows: keep the span inside one. */
		nslots = 1;
		last_us = (b0 + 1) * w - 1 < last_us ? (b0 + 1) * w - 1 :
		    last_us;
	}
	for (i = 0; i < nslots; i++)
		wsum += (wts[i] = 0.2 + rndu());
	g->day_flows += flows;
	g->day_bytes += up + down;
	for (i = 0; i < nslots; i++) {
		lo = (b0 + (int64_t)i) * w;
		hi = lo + w - 1;
		if (lo < first_us)
			lo = first_us;
		if (hi > last_us)
			hi = last_us;
		if (i + 1 == nslots) {
			f = flows;
			bu = up;
			bd = down;
		} else {
			f = (uint64_t)((double)flows * wts[i] / wsum);
			if (f == 0)
				f = 1;
			if (f > flows - (nslots - 1 - i))
				f = flows - (nslots - 1 - i);
			bu = (uint64_t)((double)up * wts[i] / wsum);
			bd = (uint64_t)((double)down * wts[i] / wsum);
			flows -= f;
			up -= bu;
			down -= bd;
		}
		if (s != NULL) {
			memset(&fd, 0, sizeof(fd));
			strlcpy(fd.device, d->ip, sizeof(fd.device));
			strlcpy(fd.ip, d->ip, sizeof(fd.ip));
			strlcpy(fd.mac, d->mac, sizeof(fd.mac));
			strlcpy(fd.service, s->id, sizeof(fd.service));
			strlcpy(fd.category, s->category, sizeof(fd.category));
			fd.verdict = s->verdict;
			fd.bucket = (b0 + (int64_t)i) * g->window_s;
			fd.window_s = g->window_s;
			fd.flows = f;
			fd.bytes_up = bu;
			fd.bytes_down = bd;
			fd.first_us = lo;
			fd.last_us = hi;
			strlcpy(fd.department, d->dept, sizeof(fd.department));
			if (store_add_finding(g->st, &fd) == -1)
				return -1;
			g->nfindings++;
		} else {
			memset(&u, 0, sizeof(u));
			strlcpy(u.device, d->ip, sizeof(u.device));
			strlcpy(u.name, name, sizeof(u.name));
			u.bucket = (b0 + (int64_t)i) * g->window_s;
			u.window_s = g->window_s;
			u.flows = f;
			u.bytes_up = bu;
			u.bytes_down = bd;
			u.first_us = lo;
			u.last_us = hi;
			if (store_add_unclassified(g->st, &u) == -1)
				return -1;
			g->nuncl++;
		}
		memset(&dst, 0, sizeof(dst));
		strlcpy(dst.device, d->ip, sizeof(dst.device));
		strlcpy(dst.service, s != NULL ? s->id : "", sizeof(dst.service));
		strlcpy(dst.country, hosts[h].country, sizeof(dst.country));
		dst.asn = hosts[h].asn;
		strlcpy(dst.as_org, hosts[h].org, sizeof(dst.as_org));
		dst.bucket = (b0 + (int64_t)i) * g->window_s;
		dst.window_s = g->window_s;
		dst.flows = f;
		dst.bytes_up = bu;
		dst.bytes_down = bd;
		dst.first_us = lo;
		dst.last_us = hi;
		if (store_add_destination(g->st, &dst) == -1)
			return -1;
		g->ndest++;
	}
	return 0;
}

/*
 * One service used by one device on one day. Daily tools run through the
 * working day; occasional ones for minutes to a couple of hours.
 */
static int
use_service(struct gen *g, const struct device *d, const struct service *s,
    int64_t day_us, int daily)
{
	const struct usage *p = usage_of(s->category);
	double down, up, flows, start_h, len_h;

	if (daily) {
		start_h = 6.5 + 3.5 * rndu();
		len_h = 4.0 + 5.0 * rndu();
	} else {
		start_h = 7.0 + 11.0 * rndu();
		len_h = rndlogn(0.5, 1.0);
	}
	if (start_h + len_h > 23.99)
		len_h = 23.99 - start_h;
	down = rndlogn(p->down, p->sigma) * d->volume;
	up = rndlogn(p->up, p->sigma) * d->volume;
	/* Now and then a big upload: a video, a backup, a data set. */
	if ((strcmp(s->category, "file-sharing") == 0 ||
	    strcmp(s->category, "cloud-storage") == 0 ||
	    strcmp(s->category, "webmail") == 0) && rndn(50) == 0)
		up *= 10.0 * rndpareto(1.1);
	flows = 1.0 + rndlogn(p->flows, 0.8);
	if (!daily)
		flows = 1.0 + flows / 4.0;
	return emit(g, d, s, NULL,
	    day_us + (int64_t)(start_h * HOUR_S * US),
	    day_us + (int64_t)((start_h + len_h) * HOUR_S * US),
	    (uint64_t)flows, clamp_bytes(up), clamp_bytes(down));
}

static int
use_name(struct gen *g, const struct device *d, const char *name,
    int64_t day_us)
{
	double start_h = 24.0 * rndu(), len_h = rndlogn(0.3, 1.2);

	if (start_h + len_h > 23.99)
		len_h = 23.99 - start_h;
	return emit(g, d, NULL, name,
	    day_us + (int64_t)(start_h * HOUR_S * US),
	    day_us + (int64_t)((start_h + len_h) * HOUR_S * US),
	    1 + (uint64_t)rndlogn(3, 1.0), clamp_bytes(rndlogn(20e3, 1.5)),
	    clamp_bytes(rndlogn(300e3, 2.0)));
}

/* One device in ten fetches its mail or files with a clear-text log-in. */
static int
cleartext_login(struct gen *g, const struct device *d, size_t i,
    int64_t day_us)
{
	struct credential c;

	if (i % 20 != 7 && i % 20 != 13)
		return 0;
	memset(&c, 0, sizeof(c));
	strlcpy(c.device, d->ip, sizeof(c.device));
	strlcpy(c.ip, d->ip, sizeof(c.ip));
	strlcpy(c.proto, i % 20 == 7 ? "pop3" : "ftp", sizeof(c.proto));
	strlcpy(c.server, i % 20 == 7 ? "198.51.100.25" : "198.51.100.21",
	    sizeof(c.server));
	snprintf(c.user, sizeof(c.user), "user%zu", i);
	c.count = 1 + i % 3;
	c.first_us = day_us + 8 * HOUR_S * US;
	c.last_us = c.first_us + 17 * HOUR_S / 2 * US;
	g->ncred++;
	return store_add_credential(g->st, &c);
}

static void
usage(void)
{
	fprintf(stderr,
"usage: gendb -o DB [--devices N] [--days N] [--start YYYY-MM-DD]\n"
"             [--seed S] [--window SECONDS] [--rules DIR] [--policy FILE] [-q]\n"
"  -o DB           the database to create (must not exist)\n"
"  --devices N     devices (default 1000)\n"
"  --days N        days, one capture run each (default 90; 365 for a year)\n"
"  --start DATE    first day, UTC (default 2026-01-05)\n"
"  --seed S        generator seed (default 1)\n"
"  --window S      aggregation window in seconds (default %d, capture's)\n"
"  --rules DIR     service catalog (default %s/rules)\n"
"  --policy FILE   policy (default %s/rules/policy.example)\n",
	    DEF_AGG_WINDOW_S, SHADOWTAP_SRCDIR, SHADOWTAP_SRCDIR);
	exit(2);
}

static int
fail(struct store *st, const char *what)
{
	fprintf(stderr, "gendb: %s: %s\n", what,
	    st != NULL ? store_errmsg(st) : "failed");
	return 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "devices", required_argument, NULL, 'D' },
		{ "days", required_argument, NULL, 'n' },
		{ "start", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 's' },
		{ "window", required_argument, NULL, 'w' },
		{ "rules", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *rules_dir = SHADOWTAP_SRCDIR "/rules";
	const char *policy = SHADOWTAP_SRCDIR "/rules/policy.example";
	const char *paths[2];
	char err[512], *names;
	size_t nsvc, *sanct, nsanct, *toler, ntoler, i, j, k;
	size_t ndev = 1000;
	struct ranked ranked[NSHADOW_CATS];
	struct zipf namez;
	struct device *devs, *d;
	struct diags *diags;
	struct ruleset *rs;
	struct run_info ri;
	struct run_stats rst;
	struct gen g;
	struct stat sb;
	int64_t start_s = DEF_START_S, day_us, run_id, v;
	uint64_t seed = 1;
	unsigned cat_total = 0, x;
	int ndays = 90, quiet = 0, opt, day, wd, active, nact = 0;

	memset(&g, 0, sizeof(g));
	g.window_s = DEF_AGG_WINDOW_S;
	while ((opt = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'D':
			ndev = strtoul(optarg, NULL, 10);
			if (ndev == 0 || ndev > 60000)
				usage();
			break;
		case 'n':
			ndays = atoi(optarg);
			if (ndays <= 0 || ndays > 3660)
				usage();
			break;
		case 'S':
			if (util_parse_date(optarg, &v) == -1)
				usage();
			start_s = v - v % DAY_S;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'w':
			g.window_s = atoi(optarg);
			if (g.window_s < 60 || DAY_S % g.window_s != 0)
				usage();
			break;
		case 'r':
			rules_dir = optarg;
			break;
		case 'P':
			policy = optarg;
			break;
		default:
			usage();
		}
	}
	if (out == NULL || optind != argc)
		usage();
	if (stat(out, &sb) == 0) {
		fprintf(stderr, "gendb: %s exists; refusing to add to it\n",
		    out);
		return 1;
	}

	paths[0] = rules_dir;
	paths[1] = policy;
	diags = diags_new();
	rs = rules_load(paths, 2, diags);
	if (rs == NULL) {
		diags_print(diags, stderr);
		fprintf(stderr, "gendb: cannot load the catalog\n");
		return 1;
	}
	diags_free(diags);
	nsvc = rules_nservices(rs);
	sanct = xreallocarray(NULL, nsvc, sizeof(*sanct));
	toler = xreallocarray(NULL, nsvc, sizeof(*toler));
	nsanct = pick_services(rs, VERDICT_SANCTIONED, NULL, sanct, nsvc);
	ntoler = pick_services(rs, VERDICT_TOLERATED, NULL, toler, nsvc);

	rng_state = seed;
	for (i = 0; i < NSHADOW_CATS; i++) {
		rank_category(rs, shadow_cats[i].category, &ranked[i]);
		if (ranked[i].n > 0)
			cat_total += shadow_cats[i].weight;
	}
	names = make_names(NAME_POOL);
	zipf_init(&namez, NAME_POOL, 1.0);

	/*
	 * Device profiles first, from the seed alone, so that the first 90
	 * days of a --days 365 database are the 90-day database.
	 */
	devs = xcalloc(ndev, sizeof(*devs));
	for (i = 0; i < ndev; i++) {
		d = &devs[i];
		snprintf(d->ip, sizeof(d->ip), "10.%u.%u.%u",
		    (unsigned)(1 + i / 64000), (unsigned)(i / 250 % 256),
		    (unsigned)(10 + i % 250));
		/* One in ten is only ever seen behind a router, by IP. */
		if (rndn(10) != 0) {
			x = (unsigned)rnd();
			snprintf(d->mac, sizeof(d->mac),
			    "%02x:%02x:%02x:%02x:%02x:%02x",
			    (unsigned)(0x02 | (rndn(64) << 2)),
			    (x >> 24) & 0xff, (x >> 16) & 0xff,
			    (x >> 8) & 0xff, x & 0xff, (unsigned)(i & 0xff));
		}
		/* Mostly office laptops; some always-on desktops. */
		d->p_weekday = rndn(10) == 0 ? 0.99 : 0.80 + 0.15 * rndu();
		d->p_weekend = rndn(8) == 0 ? 0.5 : 0.05 + 0.1 * rndu();
		d->volume = rndlogn(1.0, 0.6);
		d->dept = i % 10 == 9 ? "" : depts[i % 10 % (sizeof(depts) /
		    sizeof(depts[0]))];
		for (j = 0; j < nsanct && d->ndaily < MAX_DAILY; j++)
			if (rndn(10) < 8)
				d->daily[d->ndaily++] = sanct[j];
		for (j = 0; j < 3 && ntoler > 0 && d->ndaily < MAX_DAILY; j++)
			if (rndn(3) == 0)
				d->daily[d->ndaily++] = toler[rndn(
				    (uint32_t)ntoler)];
		/* Four in ten use nothing unsanctioned. */
		k = rndn(10) < 4 ? 0 : 1 + rndn(MAX_SHADOW);
		for (j = 0; j < k && cat_total > 0; j++) {
			struct shadow_use *su = &d->shadow[d->nshadow];
			unsigned w = rndn(cat_total), c = 0;

			while (ranked[c].n == 0 || w >= shadow_cats[c].weight) {
				if (ranked[c].n > 0)
					w -= shadow_cats[c].weight;
				c++;
			}
			su->svc = ranked[c].svc[zipf_draw(&ranked[c].z)];
			su->p = 0.05 + 0.6 * rndu() * rndu();
			su->from = (int)rndn(150) - 40;
			su->until = rndn(3) == 0 ? su->from + 30 +
			    (int)rndn(120) : 1 << 20;
			d->nshadow++;
		}
	}

	g.rs = rs;
	g.st = store_open(out, STORE_CREATE, err, sizeof(err));
	if (g.st == NULL) {
		fprintf(stderr, "gendb: %s\n", err);
		return 1;
	}
	/* A fixed sensor name, not the host's: reports name their sensors. */
	if (store_set_sensor(g.st, "hq-span") == -1)
		return fail(g.st, "sensor");
	memset(&ri, 0, sizeof(ri));
	ri.source = "eth1";
	ri.rules = rules_dir;
	for (day = 0; day < ndays; day++) {
		day_us = (start_s + (int64_t)day * DAY_S) * US;
		wd = (int)(((start_s / DAY_S) + day + 3) % 7);	/* 0 Monday */
		/* The sensor was down on about one day in sixty. */
		if (rndn(60) == 0)
			continue;
		g.day_flows = g.day_bytes = 0;
		if (store_begin(g.st) == -1 ||
		    store_run_begin(g.st, &ri, &run_id) == -1)
			return fail(g.st, "run begin");
		for (i = 0; i < nsvc; i++) {
			const struct service *s = rules_service_at(rs, i);

			if (store_put_service(g.st, s->id, s->name,
			    s->category, risk_str(s->risk), s->verdict) == -1)
				return fail(g.st, "service");
		}
		for (i = 0; i < ndev; i++) {
			d = &devs[i];
			active = rndu() < (wd < 5 ? d->p_weekday :
			    d->p_weekend);
			if (!active)
				continue;
			nact++;
			for (j = 0; j < d->ndaily; j++)
				if (rndn(10) < 9 && use_service(&g, d,
				    rules_service_at(rs, d->daily[j]), day_us,
				    1) == -1)
					return fail(g.st, "finding");
			for (j = 0; j < d->nshadow; j++) {
				const struct shadow_use *su = &d->shadow[j];

				if (day >= su->from && day < su->until &&
				    rndu() < su->p && use_service(&g, d,
				    rules_service_at(rs, su->svc), day_us,
				    0) == -1)
					return fail(g.st, "finding");
			}
			/* Anything in the catalog, once in a while. */
			if (rndn(40) == 0 && use_service(&g, d,
			    rules_service_at(rs, rndn((uint32_t)nsvc)), day_us,
			    0) == -1)
				return fail(g.st, "finding");
			if (cleartext_login(&g, d, i, day_us) == -1)
				return fail(g.st, "credential");
			k = 3 + rndn(8);
			for (j = 0; j < k; j++)
				if (use_name(&g, d, names + 64 *
				    zipf_draw(&namez), day_us) == -1)
					return fail(g.st, "unclassified");
		}
		memset(&rst, 0, sizeof(rst));
		rst.flows = g.day_flows + 2000;
		rst.bytes = g.day_bytes + 50000000;
		rst.packets = rst.bytes / 900;
		rst.kernel_drops = rndn(20) == 0 ? rst.packets / 1000 :
		    rndn(50);
		rst.decode_errors = rndn(200);
		rst.first_us = day_us;
		rst.last_us = day_us + DAY_S * US - 1;
		if (store_run_end(g.st, run_id, &rst) == -1 ||
		    store_commit(g.st) == -1)
			return fail(g.st, "run end");
		if (!quiet && (day + 1) % 30 == 0)
			fprintf(stderr, "gendb: day %d of %d\n", day + 1,
			    ndays);
	}
	store_close(g.st);
	if (!quiet)
		fprintf(stderr, "gendb: %zu devices, %d days, %d device-days;"
		    " %" PRIu64 " finding, %" PRIu64 " unclassified, %" PRIu64
		    " destination and %" PRIu64 " credential rows written"
		    " (window %" PRId64 " s) -> %s\n", ndev, ndays, nact,
		    g.nfindings, g.nuncl, g.ndest, g.ncred, g.window_s, out);
	for (i = 0; i < NSHADOW_CATS; i++) {
		free(ranked[i].svc);
		free(ranked[i].z.cum);
	}
	free(namez.cum);
	free(names);
	free(devs);
	free(sanct);
	free(toler);
	rules_free(rs);
	return 0;
}
