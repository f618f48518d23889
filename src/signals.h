/* SPDX-License-Identifier: ISC */
/*
 * signals.h: the signals of a capture, one module for both of its
 * processes. SIGINT and SIGTERM ask for a stop, SIGHUP for a reload of
 * the rules, SIGUSR1 for the counters; a handler only sets a flag (and
 * may call one async-signal-safe hook), and the loops read the flags.
 */
#ifndef SHADOWTAP_SIGNALS_H
#define SHADOWTAP_SIGNALS_H

#define SIGNALS_RESTART	0x1	/* SA_RESTART: interrupted calls go on */
#define SIGNALS_NO_HUP	0x2	/* SIGHUP ignored (the store reloads) */

/*
 * Installs (or replaces) the handlers of SIGINT, SIGTERM, SIGHUP and
 * SIGUSR1, ignores SIGPIPE, and lets the four through. on_stop, when not
 * NULL, is called with arg from the handler of every SIGINT and SIGTERM,
 * so it must be async-signal-safe. Without SIGNALS_RESTART a blocking
 * read fails with EINTR on a SIGINT or SIGTERM (never on the others). Flags
 * already set stay set, apart from a reload under SIGNALS_NO_HUP.
 *
 * cmd_capture() calls this first, while there is one process: a stop
 * that comes before fork() is then a flag the child gets with the rest of
 * the memory, and Linux delivers a signal sent to the process group
 * while fork() runs either to the parent before it or to both after it.
 * (Signals blocked over the fork would be lost to the child: a new
 * process starts with none pending.) Each process then calls it again
 * with its own flags and hook.
 */
void		 signals_install(int flags, void (*on_stop)(void *), void *arg);

/* 1 once a stop was asked for (a signal or signals_stop()); stays 1. */
int		 signals_stopping(void);
/* Asks for a stop, as a SIGTERM would, without the hook. */
void		 signals_stop(void);
/* 1 when a stop signal came since the last call (the writer forwards). */
int		 signals_take_stop(void);
/* 1 when a SIGHUP came since the last call. */
int		 signals_take_reload(void);
/* 1 when a SIGUSR1 (or signals_stats()) came since the last call. */
int		 signals_take_stats(void);
/* Asks for the counters, as a SIGUSR1 would. */
void		 signals_stats(void);

#endif
