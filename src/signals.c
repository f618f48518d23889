/* SPDX-License-Identifier: ISC */
/*
 * signals.c: the handlers of SIGINT, SIGTERM, SIGHUP and SIGUSR1 for both
 * processes of a capture (see signals.h), and the flags they set.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "signals.h"

static volatile sig_atomic_t	 stopping;	/* sticky */
static volatile sig_atomic_t	 stop_new;	/* since signals_take_stop */
static volatile sig_atomic_t	 reload_new;
static volatile sig_atomic_t	 stats_new;
static void			(*volatile stop_hook)(void *);
static void *volatile		 stop_arg;

static void
on_stop(int sig)
{
	void (*hook)(void *) = stop_hook;

	(void)sig;
	stopping = 1;
	stop_new = 1;
	if (hook != NULL)
		hook(stop_arg);
}

static void
on_usr1(int sig)
{
	(void)sig;
	stats_new = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	reload_new = 1;
}

void
signals_install(int flags, void (*hook)(void *), void *arg)
{
	struct sigaction sa;
	sigset_t set;

	/* The hook is cleared first, so a handler never sees a torn pair. */
	stop_hook = NULL;
	stop_arg = arg;
	stop_hook = hook;
	if (flags & SIGNALS_NO_HUP)
		reload_new = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = (flags & SIGNALS_RESTART) ? SA_RESTART : 0;
	sa.sa_handler = on_stop;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	/* Counters and reloads never cut a read short. */
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	(void)sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = (flags & SIGNALS_NO_HUP) ? SIG_IGN : on_hup;
	(void)sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int
signals_stopping(void)
{
	return stopping != 0;
}

void
signals_stop(void)
{
	stopping = 1;
}

int
signals_take_stop(void)
{
	if (!stop_new)
		return 0;
	stop_new = 0;
	return 1;
}

int
signals_take_reload(void)
{
	if (!reload_new)
		return 0;
	reload_new = 0;
	return 1;
}

int
signals_take_stats(void)
{
	if (!stats_new)
		return 0;
	stats_new = 0;
	return 1;
}

void
signals_stats(void)
{
	stats_new = 1;
}
