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

/* The counters of one device over one interval (store table reliability). */
enum rel_count {
	REL_DNS_QUERIES = 0,	/* questions asked */
	REL_DNS_TIMEOUTS,	/* no response within the timeout */
	REL_DNS_SERVFAIL,	/* rcode 2 */
	REL_DNS_REFUSED,	/* rcode 5 */
	REL_DNS_ANSWERED,	/* any response */
	REL_DNS_RTT_MS,		/* sum of response times of those */
	REL_TCP_ATTEMPTS,	/* SYNs seen from the device */
	REL_TCP_UNANSWERED,	/* no SYN-ACK ever came */
	REL_TCP_RESET,		/* reset before the handshake completed */
	REL_TCP_CUT,		/* reset mid-transfer, no FIN */
	REL_DHCP_DISCOVER,
	REL_DHCP_OFFER,
	REL_DHCP_REQUEST,
	REL_DHCP_NAK,
	REL_TCP_HANDSHAKES,	/* handshakes timed (SYN, SYN-ACK, ACK seen) */
	REL_TCP_HS_SERVER_US,	/* sum of SYN to SYN-ACK times */
	REL_TCP_HS_CLIENT_US,	/* sum of SYN-ACK to ACK times */
	REL_TCP_PACKETS,	/* packets of the TCP connections counted */
	REL_TCP_RETRANS,	/* their segments sent again */
	REL_TCP_OOO,		/* their segments after a gap */
	REL_DNS_SLOW,		/* answers later than REL_DNS_SLOW_MS */
	REL_NCOUNTS
};

/* What findings are made of: failures out of attempts. */
enum rel_signal {
	REL_SIG_DNS_TIMEOUT = 0,	/* timeouts / queries */
	REL_SIG_DNS_ERROR,		/* (SERVFAIL + REFUSED) / queries */
	REL_SIG_TCP_FAIL,		/* (unanswered + reset) / attempts */
	REL_SIG_DHCP_FAIL,		/* (DISCOVER without OFFER + NAK) /
					   (DISCOVER + REQUEST) */
	REL_SIG_DNS_SLOW,		/* slow answers / answers */
	REL_SIG_TCP_RETRANS,		/* segments sent again / packets */
	REL_NSIGNALS
};

#define REL_HOURS		24
#define REL_WEEKDAYS		7	/* 0 = Monday */
#define REL_TOP_DEVICES		10	/* devices listed per finding */
#define REL_HEAT_NONE		UINT32_MAX /* no attempts in that slot */
#define REL_ALPHA		0.001	/* chance an abnormal hour is noise */

/* Thresholds ("reliability" statements of the policy). */
struct rel_opts {
	unsigned	 min_days;	/* distinct days a window must recur */
	unsigned	 min_events;	/* attempts for an hour to be judged */
	double		 factor;	/* times the segment's usual rate */
	double		 min_rate[REL_NSIGNALS]; /* and at least this, 0..1 */
};

#define REL_DEF_MIN_DAYS	3
#define REL_DEF_MIN_EVENTS	20
#define REL_DEF_FACTOR		3.0
#define REL_DEF_DNS_TIMEOUT	0.05
#define REL_DEF_DNS_ERROR	0.05
#define REL_DEF_TCP_FAIL	0.05
#define REL_DEF_DHCP_FAIL	0.20
#define REL_DEF_DNS_SLOW	0.10
#define REL_DEF_TCP_RETRANS	0.05
#define REL_DNS_SLOW_MS		500	/* a DNS answer this late stalls a page */

/* Fills o with the REL_DEF_* values. */
void		 reliability_opts_default(struct rel_opts *o);
/* Stable names: "dns-timeouts", "dns-errors", "tcp-failures",
 * "dhcp-failures", "dns-slow", "tcp-retransmits" (policy keys and JSON
 * values). NULL when out of range. */
const char	*reliability_signal_name(enum rel_signal);
/* The signal of a policy key, or -1. */
int		 reliability_signal_by_name(const char *);
/* Failures and attempts of signal s in counters n. */
uint64_t	 reliability_failures(const uint64_t *n, enum rel_signal s);
uint64_t	 reliability_attempts(const uint64_t *n, enum rel_signal s);

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
