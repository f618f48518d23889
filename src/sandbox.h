/* SPDX-License-Identifier: ISC */
/*
 * sandbox.h: what each process gives up once its privileged setup is done.
 * The sniffer (hostile bytes) gets the service user, an empty chroot, no
 * capabilities, no_new_privs and a seccomp allow-list; the store gets the
 * service user, no capabilities, no_new_privs and a seccomp deny-list.
 * Every step is checked after it is taken, the outcome is reported in one
 * line, and anything short of the full set fails closed unless the caller
 * allows running unsandboxed (--no-sandbox).
 */
#ifndef SHADOWTAP_SANDBOX_H
#define SHADOWTAP_SANDBOX_H

#include <sys/types.h>

#define SANDBOX_FALLBACK_USER	"nobody" /* when the default user is missing */
#define SANDBOX_SECCOMP_EXIT	159	/* sniffer exit status after a
					   blocked syscall (128 + SIGSYS) */

struct sandbox_opts {
	const char	*user;		/* service user; NULL: SHADOWTAP_USER */
	const char	*chroot_dir;	/* NULL: SHADOWTAP_CHROOT; when it does
					   not exist a private, already
					   deleted directory is used */
	int		 allow_unsandboxed; /* --no-sandbox: report, go on */
	int		 net_family;	/* sniffer: 0, or AF_INET/AF_INET6:
					   it may open non-blocking TCP
					   sockets of that family and
					   connect them (syslog over
					   TCP/TLS reconnecting) */
	const char	*db;		/* the store's database file */
	int		 store_net;	/* store: it may open AF_INET/AF_INET6
					   sockets too (-d postgresql://) */
};

struct sandbox_report {
	int		 user_changed;	/* setres[ug]id done and verified */
	uid_t		 uid;		/* after the call */
	gid_t		 gid;
	char		 user[64];	/* name, or "unchanged (not root)" */
	int		 chrooted;
	char		 chroot[256];	/* directory, or why none */
	int		 no_new_privs;
	int		 caps_dropped;	/* effective/permitted/inheritable
					   and ambient are empty */
	int		 bounds_dropped; /* the bounding set too */
	int		 seccomp;	/* filter loaded */
	int		 complete;	/* everything possible for this uid */
	char		 summary[512];	/* "sandbox: user=... chroot=..." */
	char		 err[256];	/* the first failure, "" if none */
};

/*
 * Sandboxes the calling process as the sniffer. As root: resolves the user,
 * chroots (needs root or CAP_SYS_CHROOT), setgroups(0), setresgid,
 * setresuid, and verifies them with getres[ug]id. Always: drops every
 * capability, sets PR_SET_NO_NEW_PRIVS and PR_SET_DUMPABLE 0, and loads
 * the sniffer's seccomp allow-list (a blocked syscall prints its number
 * and exits with SANDBOX_SECCOMP_EXIT). Not being root is not a failure:
 * the user stays and the report says so.
 *
 * Everything the sniffer needs must be open before the call (the capture
 * handle, MMDB maps, the events file, the privsep socket, syslog with
 * LOG_NDELAY); afterwards open(2), socket(2) and exec are refused. Call
 * tzset() before it if local time is formatted later.
 *
 * Returns 0 with rep filled; -1 with rep->err when a step failed and
 * opts->allow_unsandboxed is 0 (the caller must exit, never continue).
 * With allow_unsandboxed, failures are in rep and 0 is returned.
 */
int	sandbox_sniffer(const struct sandbox_opts *, struct sandbox_report *);

/*
 * Sandboxes the calling process as the store. As root it changes to the
 * service user (as the sniffer) when that user owns the directory of
 * opts->db and the database file, if it exists (SQLite creates -wal/-shm
 * files beside it); otherwise it keeps the invoking user and the report
 * says why. No chroot; no capabilities, no_new_privs, not dumpable, and a
 * seccomp deny-list (no exec, ptrace, mount, namespaces, kernel modules,
 * BPF, identity changes, or sockets other than AF_UNIX; those fail with
 * EPERM). Returns as sandbox_sniffer().
 */
int	sandbox_store(const struct sandbox_opts *, struct sandbox_report *);

/*
 * Closes every descriptor from 3 up (close_range(2), else one by one up
 * to the descriptor limit). cmd_capture() calls it before it opens
 * anything, so neither process keeps a descriptor it inherited.
 */
void	sandbox_close_inherited(void);

#endif
