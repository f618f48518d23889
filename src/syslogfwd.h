/* SPDX-License-Identifier: ISC */
/*
 * syslogfwd.h: findings forwarded to a SIEM's syslog collector as they
 * happen (capture --syslog): one RFC 5424 message per finding, over UDP
 * (RFC 5426), TCP (RFC 6587) or TLS (RFC 5425) by syslogtx.h. The
 * sniffer formats and sends; nothing here blocks.
 */
#ifndef SHADOWTAP_SYSLOGFWD_H
#define SHADOWTAP_SYSLOGFWD_H

#include <stddef.h>

#include "base/record.h"

/*
 * Checks the collector [udp://|tcp://|tls://]HOST[:PORT] ("[v6]:port" for
 * IPv6; default port 514, 6514 for TLS) and returns its socket, as
 * syslogtx_socket(): connected for UDP, to be connected by syslogtx_new()
 * for TCP and TLS. -1 with err set.
 */
int		 syslogfwd_open(const char *dest, char *err, size_t errlen);

/*
 * Renders r as one RFC 5424 syslog message (no trailing newline, no
 * octet-count framing) into buf: facility local0, severity warning for
 * unsanctioned, notice for tolerated, info otherwise; TIMESTAMP the
 * record's last packet time; HOSTNAME host (NULL or "": "-"); APP-NAME
 * shadowtap; MSGID "finding", "unclassified" or "credential"; structured
 * data [shadowtap@32473 ...] with the record's fields, values escaped per
 * RFC 5424 6.3.3 (", \ and ] get a backslash; control bytes become '?');
 * (the service's instance, tenant or bucket, among them) and a short
 * English MSG ("microsoft-sharepoint (contoso): unsanctioned"). Never includes
 * a password (a record has none). Returns the length, or -1 when it does not
 * fit in len (buf then holds a truncated, NUL-terminated string).
 */
int		 syslogfwd_format(const struct flow_record *r, const char *host,
		    char *buf, size_t len);

#endif
