/* SPDX-License-Identifier: ISC */
/*
 * reliability.h: network health from the same traffic, judged at summary
 * time. Input is one row per device and hour of counters the store kept
 * (DNS lookups and their failures, TCP connection attempts and their
 * failures, DHCP exchanges). For each network segment (a department, else
 * the device's /24 or /64, else its VLAN) the usual level of each signal
 * is the median of its hours; an hour is abnormal when a signal is well
 * above both that level and an absolute floor, by more than chance
 * explains (a binomial test at REL_ALPHA). A finding is a window of
 * hours of the day that is abnormal on the same weekdays on at least
 * min_days different days: a recurring problem, not a bad afternoon.
 * Pure: no I/O, deterministic, all times UTC.
 */
#ifndef SHADOWTAP_RELIABILITY_H
#define SHADOWTAP_RELIABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "base/health.h"


/* One device's counters for the hour starting at hour_us (UTC); device
 * "" for a whole segment's. */
struct rel_row {
	int64_t		 hour_us;	/* a multiple of 3600 s */
	const char	*segment;	/* borrowed for the call */
	const char	*device;
	uint64_t	 n[REL_NCOUNTS];
};

struct rel_sigres {
	int		 abnormal;	/* this signal makes the finding */
	uint64_t	 failures;	/* inside the window, its days */
	uint64_t	 attempts;
	double		 rate;		/* failures / attempts */
	double		 usual;		/* the segment's median hour */
};

struct rel_device {
	char		*device;
	uint64_t	 failures;	/* inside the window, every signal */
	uint64_t	 attempts;
};

struct rel_finding {
	char		*segment;
	uint8_t		 weekdays;	/* bit 0 = Monday ... bit 6 = Sunday */
	int		 start_hour;	/* [start_hour, end_hour), UTC */
	int		 end_hour;
	unsigned	 days;		/* dates it was seen on */
	unsigned	 days_seen;	/* dates with traffic in the window */
	int64_t		 first_us;	/* first abnormal hour */
	int64_t		 last_us;	/* end of the last one */
	struct rel_sigres sig[REL_NSIGNALS];
	struct rel_device *dev;		/* worst first, at most REL_TOP_DEVICES */
	size_t		 ndev;
	size_t		 devices;	/* devices with failures in the window */
	uint32_t	 heat[REL_WEEKDAYS][REL_HOURS]; /* segment, permille */
	uint8_t		 bad[REL_WEEKDAYS][REL_HOURS];	/* in the window */
};

struct rel_result {
	struct rel_finding *f;		/* by segment, then start hour */
	size_t		 nf;
	size_t		 segments;	/* segments with any data */
	unsigned	 days;		/* distinct dates with data */
	uint64_t	 n[REL_NCOUNTS]; /* totals over everything */
	/* Failures per 1000 attempts (all signals) per weekday and hour over
	 * the whole network, REL_HEAT_NONE where there were none. */
	uint32_t	 heat[REL_WEEKDAYS][REL_HOURS];
};

/*
 * Judges rows (any order; several rows of one device and hour are
 * summed) with thresholds o. Fills *out, which the caller frees with
 * reliability_free(); aborts only when memory is short. Returns the
 * number of findings.
 */
size_t		 reliability_analyze(const struct rel_row *rows, size_t n,
		    const struct rel_opts *o, struct rel_result *out);
void		 reliability_free(struct rel_result *);
/*
 * (Re)computes f's devices (dev, ndev, devices) from rows, which may be
 * only those of f's segment and hours: rows of other segments and rows
 * with device "" (segment totals) are skipped. reliability_analyze()
 * does this with its own rows; a caller that gave it segment totals
 * calls this with the devices' rows.
 */
void		 reliability_devices(struct rel_finding *f,
		    const struct rel_row *rows, size_t n);

/* Weekday of a time (0 = Monday, UTC). */
int		 reliability_weekday(int64_t ts_us);
/* Hour of the day of a time, 0..23 (UTC). */
int		 reliability_hour(int64_t ts_us);
/* "Mon" ... "Sun" for weekday 0..6; NULL when out of range. */
const char	*reliability_day_name(int wd);
/*
 * Describes a weekday set in words: "weekdays", "every day", "weekends",
 * "Mon-Wed", "Mon, Wed, Fri". Returns buf.
 */
char		*reliability_days_str(uint8_t weekdays, char *buf, size_t len);

#endif
