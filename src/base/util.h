/* SPDX-License-Identifier: ISC */
/*
 * util.h: small helpers shared by every module: setup-time allocation that
 * aborts on failure, bounded string copies, time formatting, and NEVER().
 * Hot-path code never calls the x*alloc family.
 */
#ifndef SHADOWTAP_UTIL_H
#define SHADOWTAP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/compat.h"

#ifndef __has_attribute
#define __has_attribute(x) 0
#endif

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * NEVER(cond): for cases that cannot happen. Asserts in debug builds and
 * evaluates to the condition in release builds so the caller can bail out
 * instead of crashing (the SQLite idea).
 */
#ifdef NDEBUG
#define NEVER(x)	(x)
#else
#include <assert.h>
#define NEVER(x)	(assert(!(x)), (x))
#endif

/*
 * Formats a message into the caller's err buffer (errsz bytes), the
 * convention of functions that report "-1 with err set"; err may be NULL.
 */
void	util_seterr(char *err, size_t errsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Setup-time allocation: on failure these log and abort the process. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

/*
 * a / b rounded towards minus infinity (b > 0), so that times before the
 * epoch fall into the right window, day or hour.
 */
int64_t	 util_floor_div(int64_t a, int64_t b);

/* Milliseconds of CLOCK_MONOTONIC (0 if the clock fails): for timers and
 * progress, never for packet time. */
int64_t	 util_mono_ms(void);

/* The smallest power of two at least n (1 for n <= 1): hash table sizes. */
size_t	 util_pow2(size_t n);

/*
 * The first day of the UTC calendar month holding day number day (days
 * since 1970-01-01, negative before it), as a day number.
 */
int64_t	 util_month_start(int64_t day);

/*
 * Formats a packet timestamp (microseconds since the epoch, UTC) as
 * ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf (at least UTIL_TS_LEN bytes).
 * Returns buf.
 */
#define UTIL_TS_LEN	32
char	*util_iso8601(int64_t ts_us, char *buf, size_t len);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z]" or "YYYY-MM-DD HH:MM[:SS]"
 * (UTC) into seconds since the epoch. Returns 0 on success, -1 on a bad date.
 */
int	 util_parse_date(const char *s, int64_t *out);

/* Formats an IPv4 (family 4) or IPv6 (family 6) address; buf >= 46 bytes. */
#define UTIL_ADDR_LEN	46
char	*util_addr_str(int family, const uint8_t *addr, char *buf, size_t len);

/* Formats a MAC address as aa:bb:cc:dd:ee:ff; buf >= 18 bytes. */
char	*util_mac_str(const uint8_t mac[6], char *buf, size_t len);

/* Formats a byte count for people: "0 B", "1.2 KB", "3.4 GB" (SI units). */
char	*util_human_bytes(uint64_t n, char *buf, size_t len);

#if defined(__GNUC__)
#pragma GCC poison strcpy strcat sprintf vsprintf gets
#endif

#endif
