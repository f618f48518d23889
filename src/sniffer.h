/* SPDX-License-Identifier: ISC */
/*
 * sniffer.h: the packet side of a capture run. It reads packets, keeps
 * the flows, runs the dissectors and classify(), and hands one fixed
 * record per flow (and network-health events, device names, counters) to
 * the store over the privsep channel, or only writes events with --no-db.
 * It sandboxes itself before the first packet. It includes no store or
 * report header; what crosses is in base/record.h.
 */
#ifndef SHADOWTAP_SNIFFER_H
#define SHADOWTAP_SNIFFER_H

#include <stdint.h>
#include <stdio.h>

#include "base/cidr.h"
#include "flow/flow.h"
#include "packet/capture.h"

struct events;
struct geo;
struct privsep;
struct ruleset;
struct rulefiles;
struct sandbox_opts;

struct sniffer_conf {
	const struct capture_opts *co;	/* what is read (file or iface) */
	struct flow_opts	 fo;	/* flow table options */
	struct cidr_list	 local;	/* --local-net, empty: private */
	int			 nodedup;	/* --no-dedup */
	int			 quiet;		/* -q: no progress bar */
	uint64_t		 limit;		/* -c, 0: no limit */
	const struct sandbox_opts *so;
	FILE			*stats_fp;	/* --stats, or NULL */
	struct events		*events;	/* --events, or NULL; closed */
	int			 events_format;	/* --events-format */
	const char		*sensor;	/* --sensor, or NULL: hostname */
	int			 syslog_fd;	/* --syslog's socket, or -1 */
	const char		*syslog_dest;	/* --syslog */
	const char		*syslog_ca;	/* --syslog-ca, or NULL */
	size_t			 syslog_queue;	/* --syslog-queue, 0: default */
	const char		*hostname;	/* for syslog messages */
	const struct rulefiles	*files;	/* for a reload with --no-db */
	struct ruleset		*rs;	/* the rules to start with */
	struct geo		*geo;	/* NULL without --geoip-* */
	struct privsep		*ps;	/* the sniffer's end, NULL: --no-db */
};

/*
 * Runs the packet side until the input ends, -c is reached or the store
 * (or a signal) asks it to stop; then every flow ends and the run's
 * counters go to the store. The caller _exit()s afterwards: the sandbox
 * forbids what the exit handlers would do. Returns the exit code.
 */
int		 sniffer_run(struct sniffer_conf *c, struct capture *cap);

#endif
