/* SPDX-License-Identifier: ISC */
/*
 * syslogfwd.c: RFC 5424 messages for findings (see syslogfwd.h); the
 * socket they go out on is syslogtx.c's.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "base/verdict.h"
#include "syslogfwd.h"
#include "syslogtx.h"

/* IANA Private Enterprise Number 32473, reserved for documentation (RFC
 * 5612); to be replaced if shadowtap registers one. */
#define SYSLOG_SD_ID	"shadowtap@32473"
#define SYSLOG_FACILITY	16		/* local0, RFC 5424 6.2.1 */
#define SYSLOG_WARNING	4
#define SYSLOG_NOTICE	5
#define SYSLOG_INFO	6

int
syslogfwd_open(const char *dest, char *err, size_t errlen)
{
	return syslogtx_socket(dest, err, errlen);
}

/* A bounded appender: stops at the end and remembers it overflowed. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 off;
	int	 over;
};

static void
sb_putc(struct sbuf *b, char c)
{
	if (b->off + 1 >= b->len) {
		b->over = 1;
		return;
	}
	b->p[b->off++] = c;
	b->p[b->off] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	while (*s != '\0')
		sb_putc(b, *s++);
}

/* RFC 5424 6.3.3: '"', '\' and ']' are escaped inside PARAM-VALUE. */
static void
sb_param(struct sbuf *b, const char *name, const char *v)
{
	const unsigned char *p;

	if (v == NULL || *v == '\0')
		return;
	sb_putc(b, ' ');
	sb_puts(b, name);
	sb_puts(b, "=\"");
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\' || *p == ']')
			sb_putc(b, '\\');
		sb_putc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
	}
	sb_putc(b, '"');
}

static void
sb_num(struct sbuf *b, const char *name, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	sb_param(b, name, num);
}

int
syslogfwd_format(const struct flow_record *r, const char *host,
    char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0, 0 };
	char tmp[64], ip[UTIL_ADDR_LEN], msg[NAME_MAX_LEN + 128];
	const char *msgid, *status, *what;
	struct tm tm;
	time_t t;
	int sev;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	status = verdict_str((enum verdict)r->verdict);
	if (r->creds_proto != 0) {
		msgid = "credential";
		sev = SYSLOG_WARNING;
	} else if (r->service[0] != '\0') {
		msgid = "finding";
		sev = r->verdict == VERDICT_UNSANCTIONED ? SYSLOG_WARNING :
		    r->verdict == VERDICT_TOLERATED ? SYSLOG_NOTICE :
		    SYSLOG_INFO;
	} else {
		msgid = "unclassified";
		sev = SYSLOG_INFO;
	}
	t = (time_t)util_floor_div(r->last_us, 1000000);
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	/* RFC 5424 6.2.3: RFC 3339 with at most 6 fraction digits. */
	snprintf(tmp, sizeof(tmp), "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%06dZ ",
	    SYSLOG_FACILITY * 8 + sev, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    (int)(r->last_us - (int64_t)t * 1000000));
	sb_puts(&b, tmp);
	/* HOSTNAME is PRINTUSASCII, 1..255; anything else becomes "-". */
	if (host != NULL && *host != '\0' && strlen(host) <= 255 &&
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-_:") == strlen(host))
		sb_puts(&b, host);
	else
		sb_putc(&b, '-');
	sb_puts(&b, " shadowtap - ");
	sb_puts(&b, msgid);
	sb_puts(&b, " [" SYSLOG_SD_ID);
	sb_param(&b, "service", r->service);
	sb_param(&b, "instance", r->instance);
	sb_param(&b, "category", r->category);
	if (r->service[0] != '\0')
		sb_param(&b, "status", status);
	util_addr_str(r->family, r->client_ip, ip, sizeof(ip));
	sb_param(&b, "client", ip);
	if (r->has_mac) {
		util_mac_str(r->client_mac, tmp, sizeof(tmp));
		sb_param(&b, "mac", tmp);
	}
	util_addr_str(r->family, r->server_ip, ip, sizeof(ip));
	sb_param(&b, "server", ip);
	sb_num(&b, "port", r->server_port);
	sb_param(&b, "name", r->name);
	sb_param(&b, "domain", r->domain);
	sb_param(&b, "evidence", record_evidence_name(r->evidence));
	if (r->evidence != 0)
		sb_num(&b, "confidence", r->confidence);
	sb_param(&b, "country", r->country);
	if (r->asn != 0)
		sb_num(&b, "asn", r->asn);
	sb_param(&b, "department", r->department);
	sb_num(&b, "bytes_up", r->bytes_up);
	sb_num(&b, "bytes_down", r->bytes_down);
	if (r->creds_proto != 0) {
		sb_param(&b, "proto",
		    record_creds_name((enum creds_proto)r->creds_proto));
		sb_param(&b, "user", r->creds_user);
	}
	sb_puts(&b, "] ");
	if (r->creds_proto != 0)
		what = "log-in sent in clear text";
	else if (r->service[0] != '\0')
		what = status;
	else
		what = "unclassified destination";
	snprintf(msg, sizeof(msg), "%s%s%s%s: %s", r->service[0] != '\0' ?
	    r->service : r->domain[0] != '\0' ? r->domain :
	    r->name[0] != '\0' ? r->name : "-", r->instance[0] != '\0' ?
	    " (" : "", r->instance, r->instance[0] != '\0' ? ")" : "", what);
	/* MSG is free text, but keep it one printable line. */
	for (what = msg; *what != '\0'; what++)
		sb_putc(&b, (unsigned char)*what < 0x20 ||
		    (unsigned char)*what == 0x7f ? '?' : *what);
	return b.over ? -1 : (int)b.off;
}
