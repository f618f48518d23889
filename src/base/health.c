/* SPDX-License-Identifier: ISC */
/*
 * health.c: the health signals' names, their failures and attempts out of
 * the counters, and the default thresholds (see health.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "base/health.h"

static const char *const signal_names[REL_NSIGNALS] = {
	"dns-timeouts", "dns-errors", "tcp-failures", "dhcp-failures",
	"dns-slow", "tcp-retransmits",
};

void
health_opts_default(struct rel_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_days = REL_DEF_MIN_DAYS;
	o->min_events = REL_DEF_MIN_EVENTS;
	o->factor = REL_DEF_FACTOR;
	o->min_rate[REL_SIG_DNS_TIMEOUT] = REL_DEF_DNS_TIMEOUT;
	o->min_rate[REL_SIG_DNS_ERROR] = REL_DEF_DNS_ERROR;
	o->min_rate[REL_SIG_TCP_FAIL] = REL_DEF_TCP_FAIL;
	o->min_rate[REL_SIG_DHCP_FAIL] = REL_DEF_DHCP_FAIL;
	o->min_rate[REL_SIG_DNS_SLOW] = REL_DEF_DNS_SLOW;
	o->min_rate[REL_SIG_TCP_RETRANS] = REL_DEF_TCP_RETRANS;
}

const char *
health_signal_name(enum rel_signal s)
{
	if ((unsigned)s >= REL_NSIGNALS)
		return NULL;
	return signal_names[s];
}

int
health_signal_by_name(const char *name)
{
	int i;

	for (i = 0; i < REL_NSIGNALS; i++)
		if (strcmp(name, signal_names[i]) == 0)
			return i;
	return -1;
}

uint64_t
health_failures(const uint64_t *n, enum rel_signal s)
{
	switch (s) {
	case REL_SIG_DNS_TIMEOUT:
		return n[REL_DNS_TIMEOUTS];
	case REL_SIG_DNS_ERROR:
		return n[REL_DNS_SERVFAIL] + n[REL_DNS_REFUSED];
	case REL_SIG_TCP_FAIL:
		return n[REL_TCP_UNANSWERED] + n[REL_TCP_RESET];
	case REL_SIG_DHCP_FAIL:
		return (n[REL_DHCP_DISCOVER] > n[REL_DHCP_OFFER] ?
		    n[REL_DHCP_DISCOVER] - n[REL_DHCP_OFFER] : 0) +
		    n[REL_DHCP_NAK];
	case REL_SIG_DNS_SLOW:
		return n[REL_DNS_SLOW];
	case REL_SIG_TCP_RETRANS:
		return n[REL_TCP_RETRANS];
	case REL_NSIGNALS:
		break;
	}
	return 0;
}

uint64_t
health_attempts(const uint64_t *n, enum rel_signal s)
{
	switch (s) {
	case REL_SIG_DNS_TIMEOUT:
	case REL_SIG_DNS_ERROR:
		return n[REL_DNS_QUERIES];
	case REL_SIG_TCP_FAIL:
		return n[REL_TCP_ATTEMPTS];
	case REL_SIG_DHCP_FAIL:
		return n[REL_DHCP_DISCOVER] + n[REL_DHCP_REQUEST];
	case REL_SIG_DNS_SLOW:
		return n[REL_DNS_ANSWERED];
	case REL_SIG_TCP_RETRANS:
		return n[REL_TCP_PACKETS];
	case REL_NSIGNALS:
		break;
	}
	return 0;
}

