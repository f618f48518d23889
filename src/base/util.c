/* SPDX-License-Identifier: ISC */
/*
 * util.c: setup-time allocation that aborts on failure, and the formatting
 * helpers every module shares (timestamps, addresses, byte counts).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		fatal("malloc %zu", n);
	return p;
}

void
util_seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n == 0 ? 1 : n, m == 0 ? 1 : m);

	if (p == NULL)
		fatal("calloc %zu x %zu", n, m);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t m)
{
	void *p = reallocarray(old, n == 0 ? 1 : n, m == 0 ? 1 : m);

	if (p == NULL)
		fatal("reallocarray %zu x %zu", n, m);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatal("strdup");
	return p;
}

int64_t
util_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

size_t
util_pow2(size_t n)
{
	size_t p = 1;

	while (p < n && p <= SIZE_MAX / 2)
		p <<= 1;
	return p;
}

char *
util_iso8601(int64_t ts_us, char *buf, size_t len)
{
	time_t t = (time_t)(ts_us >= 0 ? ts_us / 1000000 :
	    -((-ts_us + 999999) / 1000000));
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		if (len > 0)
			buf[0] = '\0';
	}
	return buf;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t
util_month_start(int64_t day)
{
	int64_t z, era, y;
	unsigned doe, yoe, doy, mp, m;

	/* Day number to civil date, the inverse of days_from_civil(). */
	z = day + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return days_from_civil(y, m, 1);
}

int
util_parse_date(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0, c;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (s == NULL)
		return -1;
	c = sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n);
	if (c != 3 || n != 10)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		int m2 = 0;

		s++;
		c = sscanf(s, "%2d:%2d%n", &h, &mi, &m2);
		if (c != 2 || m2 != 5)
			return -1;
		s += m2;
		if (*s == ':') {
			c = sscanf(s, ":%2d%n", &se, &m2);
			if (c != 1 || m2 != 3)
				return -1;
			s += m2;
		}
		if (*s == 'Z')
			s++;
	}
	if (*s != '\0')
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se;
	return 0;
}

char *
util_addr_str(int family, const uint8_t *addr, char *buf, size_t len)
{
	if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
	    (socklen_t)len) == NULL && len > 0)
		buf[0] = '\0';
	return buf;
}

char *
util_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

char *
util_human_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB",
	    "PB", "EB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1000) {
		snprintf(buf, len, "%" PRIu64 " B", n);
		return buf;
	}
	while (v >= 999.95 && u + 1 < nitems(unit)) {
		v /= 1000.0;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

int64_t
util_mono_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
