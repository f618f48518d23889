/* SPDX-License-Identifier: ISC */
/*
 * log.h: diagnostics for the top level (main.c, cmd_*.c). Lines go to stderr
 * prefixed with the process role ("shadowtap[sniffer]: ..."), or to syslog
 * when daemonised. Library modules never log per packet; they count.
 */
#ifndef SHADOWTAP_LOG_H
#define SHADOWTAP_LOG_H

#include <stdarg.h>

#define LOG_FMT(a, b)	__attribute__((format(printf, a, b)))

/* Sets the role name and destination; verbose > 0 enables log_debug. */
void	log_init(const char *role, int use_syslog, int verbose);
void	log_setrole(const char *role);
void	log_setquiet(int quiet);

void	log_warn(const char *, ...) LOG_FMT(1, 2);	/* appends strerror(errno) */
void	log_warnx(const char *, ...) LOG_FMT(1, 2);
void	log_info(const char *, ...) LOG_FMT(1, 2);
void	log_debug(const char *, ...) LOG_FMT(1, 2);
/* Top level only: log and exit(1). fatal appends strerror(errno). */
void	fatal(const char *, ...) LOG_FMT(1, 2) __attribute__((noreturn));
void	fatalx(const char *, ...) LOG_FMT(1, 2) __attribute__((noreturn));

#endif
