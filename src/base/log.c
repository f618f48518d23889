/* SPDX-License-Identifier: ISC */
/*
 * log.c: OpenBSD-style logging for the top level. Every line carries the
 * process role so that messages from the sniffer and the store can be told
 * apart; when daemonised, lines go to syslog instead of stderr.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "base/compat.h"
#include "base/log.h"

static const char	*log_role = "shadowtap";
static int		 log_syslog;
static int		 log_verbose;
static int		 log_quiet;

void
log_init(const char *role, int use_syslog, int verbose)
{
	log_role = role;
	log_syslog = use_syslog;
	log_verbose = verbose;
	if (use_syslog)
		openlog("shadowtap", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setrole(const char *role)
{
	log_role = role;
}

void
log_setquiet(int quiet)
{
	log_quiet = quiet;
}

static void
vlog(int pri, const char *fmt, va_list ap, int with_errno)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno) {
		strlcat(msg, ": ", sizeof(msg));
		strlcat(msg, strerror(saved), sizeof(msg));
	}
	if (log_syslog) {
		/* "shadowtap[store]" -> "store: ..." (the ident has the pid). */
		const char *b = strchr(log_role, '[');

		if (b != NULL && b[1] != '\0')
			syslog(pri, "%.*s: %s", (int)strcspn(b + 1, "]"), b + 1,
			    msg);
		else
			syslog(pri, "%s", msg);
	} else
		fprintf(stderr, "%s: %s\n", log_role, msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
