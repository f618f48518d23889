/* SPDX-License-Identifier: ISC */
/*
 * reliability.c: baselines and recurring abnormal windows from per-device,
 * per-hour health counters. Everything is computed from the rows given,
 * in a fixed order, so the same database always gives the same findings.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/reliability.h"
#include "base/util.h"

#define HOUR_US		(3600LL * 1000000)
#define DAY_US		(86400LL * 1000000)

static const char *const day_names[REL_WEEKDAYS] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

static int64_t
day_of(int64_t ts_us)
{
	return util_floor_div(ts_us, DAY_US);
}

int
reliability_weekday(int64_t ts_us)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((day_of(ts_us) + 3) % 7 + 7) % 7);
}

int
reliability_hour(int64_t ts_us)
{
	return (int)((ts_us - day_of(ts_us) * DAY_US) / HOUR_US);
}

const char *
reliability_day_name(int wd)
{
	if (wd < 0 || wd >= REL_WEEKDAYS)
		return NULL;
	return day_names[wd];
}

char *
reliability_days_str(uint8_t wd, char *buf, size_t len)
{
	int i, j, first = 1;

	wd &= 0x7f;
	buf[0] = '\0';
	if (wd == 0x7f)
		return strlcpy(buf, "every day", len), buf;
	if (wd == 0x1f)
		return strlcpy(buf, "weekdays", len), buf;
	if (wd == 0x60)
		return strlcpy(buf, "weekends", len), buf;
	for (i = 0; i < REL_WEEKDAYS; i = j) {
		if (!(wd & (1u << i))) {
			j = i + 1;
			continue;
		}
		for (j = i; j < REL_WEEKDAYS && (wd & (1u << j)); j++)
			;
		if (!first)
			strlcat(buf, ", ", len);
		first = 0;
		strlcat(buf, day_names[i], len);
		if (j - i >= 3) {
			strlcat(buf, "-", len);
			strlcat(buf, day_names[j - 1], len);
		} else if (j - i == 2) {
			strlcat(buf, ", ", len);
			strlcat(buf, day_names[i + 1], len);
		}
	}
	return buf;
}

/* One segment's hour, all its devices summed. */
struct cell {
	int64_t		 hour_us;
	uint64_t	 n[REL_NCOUNTS];
	uint8_t		 abnormal;	/* bit per signal */
};

static int
row_cmp(const void *a, const void *b)
{
	const struct rel_row *x = *(const struct rel_row *const *)a;
	const struct rel_row *y = *(const struct rel_row *const *)b;
	int c;

	if ((c = strcmp(x->segment, y->segment)) != 0)
		return c;
	if (x->hour_us != y->hour_us)
		return x->hour_us < y->hour_us ? -1 : 1;
	return strcmp(x->device, y->device);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * P(X >= k) for X ~ Binomial(n, p), for k > n * p (the only case asked):
 * the terms then shrink as i grows, so summing from k stops early.
 */
static double
binom_tail(uint64_t k, uint64_t n, double p)
{
	double lp, lq, sum = 0, t;
	uint64_t i;

	if (k == 0)
		return 1;
	if (p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	lp = log(p);
	lq = log1p(-p);
	for (i = k; i <= n; i++) {
		t = exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
		    lgamma((double)(n - i) + 1) + (double)i * lp +
		    (double)(n - i) * lq);
		sum += t;
		if (t < sum * 1e-9)
			break;
	}
	return sum;
}

/*
 * An hour is abnormal for a signal when its rate clears both thresholds
 * and is too high to be chance: fewer than REL_ALPHA of hours at the
 * usual rate (at least min_rate / factor, so a segment that never fails
 * is not judged against zero) would show as many failures.
 */
static int
abnormal(uint64_t fail, uint64_t att, double usual, double min_rate,
    double factor)
{
	double r = (double)fail / (double)att, p0 = usual;

	if (r < min_rate || r < factor * usual || r <= usual)
		return 0;
	if (factor > 0 && p0 < min_rate / factor)
		p0 = min_rate / factor;
	return binom_tail(fail, att, p0) < REL_ALPHA;
}

static double
rate(uint64_t fail, uint64_t att)
{
	return att == 0 ? 0.0 : (double)fail / (double)att;
}

static uint64_t
all_failures(const uint64_t *n)
{
	uint64_t f = 0;
	int s;

	/* The heatmap counts failed exchanges; slowness and resent
	 * packets are judged on their own but not mixed in. */
	for (s = 0; s <= REL_SIG_DHCP_FAIL; s++)
		f += health_failures(n, (enum rel_signal)s);
	return f;
}

static uint64_t
all_attempts(const uint64_t *n)
{
	/* DNS errors and timeouts share their denominator: count it once. */
	return n[REL_DNS_QUERIES] + n[REL_TCP_ATTEMPTS] +
	    n[REL_DHCP_DISCOVER] + n[REL_DHCP_REQUEST];
}

static void
heat_fill(uint32_t heat[REL_WEEKDAYS][REL_HOURS],
    uint64_t fail[REL_WEEKDAYS][REL_HOURS],
    uint64_t att[REL_WEEKDAYS][REL_HOURS])
{
	int d, h;

	for (d = 0; d < REL_WEEKDAYS; d++)
		for (h = 0; h < REL_HOURS; h++)
			heat[d][h] = att[d][h] == 0 ? REL_HEAT_NONE :
			    (uint32_t)((fail[d][h] * 1000 + att[d][h] / 2) /
			    att[d][h]);
}

struct devsum {
	const char	*device;
	uint64_t	 failures;
	uint64_t	 attempts;
};

static int
dev_cmp(const void *a, const void *b)
{
	const struct devsum *x = a, *y = b;

	if (x->failures != y->failures)
		return x->failures > y->failures ? -1 : 1;
	return strcmp(x->device, y->device);
}

/*
 * Devices of the segment's rows inside the finding's window and days;
 * rows of other segments and segment totals (device "") are skipped.
 */
static void
finding_devices(struct rel_finding *f, const struct rel_row *const *rows,
    size_t n)
{
	struct devsum *d = NULL;
	size_t nd = 0, i, j;
	uint64_t fail;

	for (i = 0; i < f->ndev; i++)
		free(f->dev[i].device);
	free(f->dev);
	f->dev = NULL;
	f->ndev = f->devices = 0;
	for (i = 0; i < n; i++) {
		const struct rel_row *r = rows[i];
		int h = reliability_hour(r->hour_us);
		int wd = reliability_weekday(r->hour_us);

		if (h < f->start_hour || h >= f->end_hour ||
		    !(f->weekdays & (1u << wd)) || r->device[0] == '\0' ||
		    strcmp(r->segment, f->segment) != 0)
			continue;
		fail = all_failures(r->n);
		for (j = 0; j < nd; j++)
			if (strcmp(d[j].device, r->device) == 0)
				break;
		if (j == nd) {
			if (fail == 0)
				continue;
			d = xreallocarray(d, nd + 1, sizeof(*d));
			d[nd].device = r->device;
			d[nd].failures = d[nd].attempts = 0;
			nd++;
		}
		d[j].failures += fail;
		d[j].attempts += all_attempts(r->n);
	}
	for (j = 0; j < nd; j++)
		if (d[j].failures > 0)
			f->devices++;
	if (nd > 0)
		qsort(d, nd, sizeof(*d), dev_cmp);
	f->ndev = nd < REL_TOP_DEVICES ? nd : REL_TOP_DEVICES;
	f->dev = f->ndev > 0 ? xcalloc(f->ndev, sizeof(*f->dev)) : NULL;
	for (j = 0; j < f->ndev; j++) {
		f->dev[j].device = xstrdup(d[j].device);
		f->dev[j].failures = d[j].failures;
		f->dev[j].attempts = d[j].attempts;
	}
	free(d);
}

static void
add_finding(struct rel_result *out, const char *segment,
    const struct cell *c, size_t nc, const struct rel_row *const *rows,
    size_t nrows, const double *usual, uint8_t set, int h0, int h1,
    const struct rel_opts *o, uint64_t fail[REL_WEEKDAYS][REL_HOURS],
    uint64_t att[REL_WEEKDAYS][REL_HOURS])
{
	struct rel_finding f;
	int64_t lastday = INT64_MIN, lastseen = INT64_MIN;
	size_t i;
	int s, d, h;

	memset(&f, 0, sizeof(f));
	f.weekdays = set;
	f.start_hour = h0;
	f.end_hour = h1;
	for (i = 0; i < nc; i++) {
		int64_t day = day_of(c[i].hour_us);

		h = reliability_hour(c[i].hour_us);
		if (h < h0 || h >= h1 ||
		    !(set & (1u << reliability_weekday(c[i].hour_us))))
			continue;
		for (s = 0; s < REL_NSIGNALS; s++) {
			f.sig[s].failures += health_failures(c[i].n,
			    (enum rel_signal)s);
			f.sig[s].attempts += health_attempts(c[i].n,
			    (enum rel_signal)s);
		}
		if (day != lastseen) {
			f.days_seen++;
			lastseen = day;
		}
		if (c[i].abnormal == 0)
			continue;
		if (day != lastday) {
			f.days++;
			lastday = day;
		}
		if (f.first_us == 0 || c[i].hour_us < f.first_us)
			f.first_us = c[i].hour_us;
		if (c[i].hour_us + HOUR_US > f.last_us)
			f.last_us = c[i].hour_us + HOUR_US;
	}
	if (f.days < o->min_days)
		return;
	for (s = 0; s < REL_NSIGNALS; s++) {
		f.sig[s].rate = rate(f.sig[s].failures, f.sig[s].attempts);
		f.sig[s].usual = usual[s];
		f.sig[s].abnormal = usual[s] >= 0 &&
		    f.sig[s].rate >= o->min_rate[s] &&
		    f.sig[s].rate >= o->factor * usual[s];
	}
	for (s = 0; s < REL_NSIGNALS; s++)
		if (f.sig[s].abnormal)
			break;
	if (s == REL_NSIGNALS)
		return;
	f.segment = xstrdup(segment);
	heat_fill(f.heat, fail, att);
	for (d = 0; d < REL_WEEKDAYS; d++)
		for (h = h0; h < h1; h++)
			f.bad[d][h] = (set & (1u << d)) != 0;
	finding_devices(&f, rows, nrows);
	out->f = xreallocarray(out->f, out->nf + 1, sizeof(*out->f));
	out->f[out->nf++] = f;
}

/*
 * One segment: its rows (sorted by hour) summed into cells, the usual
 * rate of each signal, abnormal cells, then windows of hours abnormal on
 * the same weekdays.
 */
static void
segment(struct rel_result *out, const struct rel_row *const *rows, size_t n,
    const struct rel_opts *o)
{
	uint64_t fail[REL_WEEKDAYS][REL_HOURS], att[REL_WEEKDAYS][REL_HOURS];
	unsigned seen[REL_WEEKDAYS][REL_HOURS], badc[REL_WEEKDAYS][REL_HOURS];
	double usual[REL_NSIGNALS], *rates;
	struct cell *c;
	size_t nc = 0, i, k, nr;
	uint8_t slotbad[REL_HOURS];
	int s, d, h, h0, h1, lo, hi;

	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		if (nc == 0 || c[nc - 1].hour_us != rows[i]->hour_us)
			c[nc++].hour_us = rows[i]->hour_us;
		for (k = 0; k < REL_NCOUNTS; k++)
			c[nc - 1].n[k] += rows[i]->n[k];
	}
	rates = xcalloc(nc, sizeof(*rates));
	for (s = 0; s < REL_NSIGNALS; s++) {
		for (i = nr = 0; i < nc; i++) {
			uint64_t a = health_attempts(c[i].n,
			    (enum rel_signal)s);

			if (a >= o->min_events)
				rates[nr++] = rate(health_failures(c[i].n,
				    (enum rel_signal)s), a);
		}
		if (nr == 0) {
			usual[s] = -1;
			continue;
		}
		qsort(rates, nr, sizeof(*rates), dbl_cmp);
		usual[s] = nr % 2 ? rates[nr / 2] :
		    (rates[nr / 2 - 1] + rates[nr / 2]) / 2;
	}
	free(rates);

	memset(fail, 0, sizeof(fail));
	memset(att, 0, sizeof(att));
	memset(seen, 0, sizeof(seen));
	memset(badc, 0, sizeof(badc));
	for (i = 0; i < nc; i++) {
		int judged = 0;

		d = reliability_weekday(c[i].hour_us);
		h = reliability_hour(c[i].hour_us);
		fail[d][h] += all_failures(c[i].n);
		att[d][h] += all_attempts(c[i].n);
		for (s = 0; s < REL_NSIGNALS; s++) {
			uint64_t a = health_attempts(c[i].n,
			    (enum rel_signal)s);

			if (a < o->min_events || usual[s] < 0)
				continue;
			judged = 1;
			if (abnormal(health_failures(c[i].n,
			    (enum rel_signal)s), a, usual[s], o->min_rate[s],
			    o->factor))
				c[i].abnormal |= (uint8_t)(1u << s);
		}
		seen[d][h] += judged;
		badc[d][h] += c[i].abnormal != 0;
	}

	/*
	 * A weekday's hour is bad when it was abnormal on at least half of
	 * the days it was judged. Runs of hours with any bad weekday form a
	 * window; its weekdays are those bad in at least half of its hours,
	 * and hours at its edges where fewer than half of those weekdays
	 * are bad are trimmed off.
	 */
	for (h = 0; h < REL_HOURS; h++) {
		slotbad[h] = 0;
		for (d = 0; d < REL_WEEKDAYS; d++)
			if (badc[d][h] > 0 && badc[d][h] * 2 >= seen[d][h])
				slotbad[h] |= (uint8_t)(1u << d);
	}
	for (h0 = 0; h0 < REL_HOURS; h0 = h1) {
		uint8_t set = 0;
		int cnt, nset;

		if (slotbad[h0] == 0) {
			h1 = h0 + 1;
			continue;
		}
		for (h1 = h0; h1 < REL_HOURS && slotbad[h1] != 0; h1++)
			;
		for (d = 0; d < REL_WEEKDAYS; d++) {
			for (h = h0, cnt = 0; h < h1; h++)
				cnt += (slotbad[h] >> d) & 1;
			if (cnt * 2 > h1 - h0)
				set |= (uint8_t)(1u << d);
		}
		if (set == 0)
			continue;
		nset = __builtin_popcount(set);
		lo = h0;
		hi = h1;
		while (lo < hi && __builtin_popcount(slotbad[lo] & set) * 2 <
		    nset)
			lo++;
		while (hi > lo && __builtin_popcount(slotbad[hi - 1] & set) *
		    2 < nset)
			hi--;
		if (lo < hi)
			add_finding(out, rows[0]->segment, c, nc, rows, n, usual,
			    set, lo, hi, o, fail, att);
	}
	free(c);
}

size_t
reliability_analyze(const struct rel_row *rows, size_t n,
    const struct rel_opts *o, struct rel_result *out)
{
	uint64_t fail[REL_WEEKDAYS][REL_HOURS], att[REL_WEEKDAYS][REL_HOURS];
	const struct rel_row **p;
	int64_t *days;
	size_t i, j, k, nd;

	memset(out, 0, sizeof(*out));
	memset(fail, 0, sizeof(fail));
	memset(att, 0, sizeof(att));
	if (n == 0) {
		heat_fill(out->heat, fail, att);
		return 0;
	}
	p = xcalloc(n, sizeof(*p));
	days = xcalloc(n, sizeof(*days));
	for (i = 0; i < n; i++) {
		int d = reliability_weekday(rows[i].hour_us);
		int h = reliability_hour(rows[i].hour_us);

		p[i] = &rows[i];
		days[i] = day_of(rows[i].hour_us);
		for (k = 0; k < REL_NCOUNTS; k++)
			out->n[k] += rows[i].n[k];
		fail[d][h] += all_failures(rows[i].n);
		att[d][h] += all_attempts(rows[i].n);
	}
	heat_fill(out->heat, fail, att);
	qsort(days, n, sizeof(*days), i64_cmp);
	for (i = nd = 0; i < n; i++)
		if (i == 0 || days[i] != days[i - 1])
			nd++;
	free(days);
	qsort(p, n, sizeof(*p), row_cmp);
	out->days = (unsigned)nd;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(p[j]->segment, p[i]->segment) == 0;
		    j++)
			;
		out->segments++;
		segment(out, p + i, j - i, o);
	}
	free(p);
	return out->nf;
}

void
reliability_free(struct rel_result *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nf; i++) {
		free(r->f[i].segment);
		for (j = 0; j < r->f[i].ndev; j++)
			free(r->f[i].dev[j].device);
		free(r->f[i].dev);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

void
reliability_devices(struct rel_finding *f, const struct rel_row *rows,
    size_t n)
{
	const struct rel_row **p;
	size_t i;

	p = n > 0 ? xcalloc(n, sizeof(*p)) : NULL;
	for (i = 0; i < n; i++)
		p[i] = &rows[i];
	finding_devices(f, p, n);
	free(p);
}
