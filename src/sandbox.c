/* SPDX-License-Identifier: ISC */
/*
 * sandbox.c: privilege drop, chroot, capabilities, no_new_privs and seccomp
 * for the sniffer and the store (Linux). Each step is verified after it is
 * taken (zmap's unchecked setuid and portable pledge-as-no-op are the
 * mistakes to avoid), and the report says exactly what was achieved.
 */
#define _GNU_SOURCE	/* setresuid(2), getresuid(2) */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>
#include <seccomp.h>

#include "sandbox.h"
#include "base/util.h"

#ifndef SHADOWTAP_USER
#define SHADOWTAP_USER		"_shadowtap"
#endif
#ifndef SHADOWTAP_CHROOT
#define SHADOWTAP_CHROOT	"/var/empty"
#endif

/* Sanitizer runtimes need a few more calls in the store (LSan's exit-time
 * leak check stops the world with clone + ptrace). */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZED	1
#endif
#endif

/*
 * The sniffer's allow-list: what its packet loop was seen to call under
 * `strace -f` on capture files and on a live veth interface (TPACKET_V3
 * ring), plus what the C library and abort paths need. See
 * doc/hardening.md for how it was derived. Names unknown on this
 * architecture are skipped.
 */
static const char *const sniffer_allow[] = {
	/* packets: pcap file reads, the TPACKET ring, poll for the timeout */
	"read", "readv", "pread64", "recvfrom", "recvmsg",
	"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
	"getsockopt",			/* pcap_stats: PACKET_STATISTICS */
	"lseek", "fstat", "newfstatat", "statx",
	/* memory: malloc, the ring mapping */
	"brk", "mmap", "munmap", "mprotect", "madvise", "mremap",
	/* the socketpair to the store, stderr, the events file */
	"write", "writev", "sendto", "sendmsg", "fsync", "fdatasync",
	"ftruncate", "close",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"nanosleep", "clock_nanosleep",
	/* threads, signals, exit */
	"futex", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	"sigaltstack", "restart_syscall", "exit", "exit_group",
	"getpid", "gettid", "getrandom", "getuid", "geteuid", "getgid",
	"getegid",
	NULL
};

/* Calls libraries make that the sniffer can do without (libpcap reading
 * /sys/class/net/IF/statistics for if_drops and resetting the ring in
 * pcap_close(), OpenSSL reading openssl.cnf on first use, glibc reading
 * /etc/localtime): refused with EACCES instead of killing, since they
 * would fail in the chroot anyway and every caller copes. */
static const char *const sniffer_refuse[] = {
	"open", "openat", "openat2", "socket", "ioctl", "fcntl", "access",
	"setsockopt",		/* pcap_close() tearing down the ring */
	"bind", "connect",
	"faccessat", "faccessat2", "readlink", "readlinkat", "uname",
	"sched_getaffinity", "prctl",
	NULL
};

/* The same, less socket and connect, which add_net_rules() decides. */
static const char *const sniffer_refuse_net[] = {
	"open", "openat", "openat2", "ioctl", "fcntl", "access",
	"setsockopt", "bind",
	"faccessat", "faccessat2", "readlink", "readlinkat", "uname",
	"sched_getaffinity", "prctl",
	NULL
};

/* The store's deny-list: no new programs, no debugging of others, no
 * kernel attack surface it has no use for, no identity changes. */
static const char *const store_deny[] = {
	"execve", "execveat", "process_vm_readv", "process_vm_writev",
	"mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
	"bpf", "perf_event_open", "init_module", "finit_module",
	"delete_module", "kexec_load", "kexec_file_load", "reboot",
	"swapon", "swapoff", "keyctl", "add_key", "request_key",
	"userfaultfd", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "personality", "acct", "quotactl",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"setuid", "setgid", "setreuid", "setregid", "setresuid",
	"setresgid", "setgroups", "setfsuid", "setfsgid", "capset",
	"mknod", "mknodat", "iopl", "ioperm", "syslog", "vhangup",
	"open_by_handle_at", "name_to_handle_at", "fanotify_init",
	"lookup_dcookie", "move_mount", "open_tree", "fsopen", "fsmount",
	"fsconfig", "fspick", "mount_setattr",
#ifndef SANDBOX_SANITIZED
	"ptrace",
#endif
	NULL
};

static void
report_err(struct sandbox_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
report_err(struct sandbox_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->err[0] != '\0')
		return;
	va_start(ap, fmt);
	(void)vsnprintf(rep->err, sizeof(rep->err), fmt, ap);
	va_end(ap);
}

/*
 * A blocked syscall in the sniffer: say which, then exit. Only
 * async-signal-safe calls that the allow-list permits.
 */
static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char pre[] = "shadowtap[sniffer]: seccomp: blocked "
	    "syscall ";
	char num[24];
	size_t i = sizeof(num);
	unsigned v;

	(void)sig;
	(void)uc;
	v = (unsigned)si->si_syscall;
	num[--i] = '\n';
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && i > 0);
	(void)!write(STDERR_FILENO, pre, sizeof(pre) - 1);
	(void)!write(STDERR_FILENO, num + i, sizeof(num) - i);
	_exit(SANDBOX_SECCOMP_EXIT);
}

static int
add_rules(scmp_filter_ctx ctx, const char *const *names, uint32_t action,
    struct sandbox_report *rep)
{
	int nr, rc;

	for (; *names != NULL; names++) {
		nr = seccomp_syscall_resolve_name(*names);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* not on this architecture */
		if ((rc = seccomp_rule_add(ctx, action, nr, 0)) < 0) {
			report_err(rep, "seccomp: rule for %s: %s", *names,
			    strerror(-rc));
			return -1;
		}
	}
	return 0;
}

/*
 * Syslog over TCP or TLS (opts->net_family): the sniffer may open a
 * non-blocking TCP socket of the collector's family and connect it, to
 * reconnect after the collector went away. socket(2) of any other kind
 * stays refused. connect(2)'s address cannot be checked by seccomp; see
 * doc/hardening.md for what this gives a compromised sniffer.
 */
static int
add_net_rules(scmp_filter_ctx ctx, int family, struct sandbox_report *rep)
{
	const uint32_t refuse = SCMP_ACT_ERRNO(EACCES);
	const scmp_datum_t type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
	int rc;

	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family),
	    SCMP_A1(SCMP_CMP_EQ, type))) < 0 ||
	    (rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 1,
	    SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)family))) < 0 ||
	    (rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 2,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family),
	    SCMP_A1(SCMP_CMP_NE, type))) < 0 ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect),
	    0)) < 0) {
		report_err(rep, "seccomp: rules for syslog over TCP: %s",
		    strerror(-rc));
		return -1;
	}
	return 0;
}

static int
load_sniffer_filter(const struct sandbox_opts *opts,
    struct sandbox_report *rep)
{
	struct sigaction sa;
	scmp_filter_ctx ctx;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1) {
		report_err(rep, "seccomp: sigaction(SIGSYS): %s",
		    strerror(errno));
		return -1;
	}
	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL) {
		report_err(rep, "seccomp: seccomp_init failed");
		return -1;
	}
	if (add_rules(ctx, sniffer_allow, SCMP_ACT_ALLOW, rep) == -1 ||
	    add_rules(ctx, opts->net_family != 0 ? sniffer_refuse_net :
	    sniffer_refuse, SCMP_ACT_ERRNO(EACCES), rep) == -1 ||
	    (opts->net_family != 0 && add_net_rules(ctx, opts->net_family,
	    rep) == -1))
		goto fail;
	/* SIGSYS must stay deliverable: no sigprocmask games with it. */
	if ((rc = seccomp_load(ctx)) < 0) {
		report_err(rep, "seccomp: load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

/*
 * The store's sockets with -d postgresql://: AF_UNIX, AF_INET and AF_INET6
 * (libpq's connection, over a Unix socket or TCP); every other family
 * (netlink, packet, ...) stays refused. One rule per refused range, as
 * seccomp compares one value per rule.
 */
static int
add_store_net_rules(scmp_filter_ctx ctx, struct sandbox_report *rep)
{
	const uint32_t deny = SCMP_ACT_ERRNO(EPERM);
	int rc = 0, fam;

	for (fam = 0; rc >= 0 && fam < AF_INET6; fam++)
		if (fam != AF_UNIX && fam != AF_INET)
			rc = seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fam));
	if (rc >= 0)
		rc = seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1,
		    SCMP_A0(SCMP_CMP_GT, (scmp_datum_t)AF_INET6));
	if (rc < 0) {
		report_err(rep, "seccomp: rules for PostgreSQL sockets: %s",
		    strerror(-rc));
		return -1;
	}
	return 0;
}

static int
load_store_filter(const struct sandbox_opts *opts,
    struct sandbox_report *rep)
{
	struct scmp_arg_cmp not_unix;
	scmp_filter_ctx ctx;
	int rc;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		report_err(rep, "seccomp: seccomp_init failed");
		return -1;
	}
	if (add_rules(ctx, store_deny, SCMP_ACT_ERRNO(EPERM), rep) == -1)
		goto fail;
	if (opts->store_net) {
		if (add_store_net_rules(ctx, rep) == -1)
			goto fail;
		goto load;
	}
	/* Sockets: AF_UNIX only (syslog); no network. */
	memset(&not_unix, 0, sizeof(not_unix));
	not_unix.arg = 0;
	not_unix.op = SCMP_CMP_NE;
	not_unix.datum_a = AF_UNIX;
	if ((rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM),
	    SCMP_SYS(socket), 1, &not_unix)) < 0) {
		report_err(rep, "seccomp: rule for socket: %s", strerror(-rc));
		goto fail;
	}
load:
	if ((rc = seccomp_load(ctx)) < 0) {
		report_err(rep, "seccomp: load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

/*
 * chroot into dir, or into a private directory that is deleted before the
 * chroot when dir does not exist: nothing can ever be created in an
 * unlinked directory, so it stays empty whoever the process becomes.
 */
static int
do_chroot(const char *dir, struct sandbox_report *rep)
{
	char tmpl[64];
	struct stat sb;

	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode) || sb.st_uid != 0 ||
		    (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
			report_err(rep, "chroot: %s must be a directory owned "
			    "by root and writable only by it", dir);
			return -1;
		}
		if (chroot(dir) == -1 || chdir("/") == -1) {
			report_err(rep, "chroot %s: %s", dir, strerror(errno));
			return -1;
		}
		strlcpy(rep->chroot, dir, sizeof(rep->chroot));
		return 0;
	}
	strlcpy(tmpl, access("/run", W_OK) == 0 ? "/run/shadowtap.XXXXXX" :
	    "/tmp/shadowtap-root.XXXXXX", sizeof(tmpl));
	if (mkdtemp(tmpl) == NULL) {
		report_err(rep, "chroot: %s missing and mkdtemp %s: %s", dir,
		    tmpl, strerror(errno));
		return -1;
	}
	if (chdir(tmpl) == -1 || rmdir(tmpl) == -1 || chroot(".") == -1 ||
	    chdir("/") == -1) {
		report_err(rep, "chroot to private %s: %s", tmpl,
		    strerror(errno));
		(void)rmdir(tmpl);
		return -1;
	}
	snprintf(rep->chroot, sizeof(rep->chroot), "%s(deleted)", tmpl);
	return 0;
}

/* setgroups, setresgid, setresuid, then check that all of it holds. */
static int
drop_user(uid_t uid, gid_t gid, struct sandbox_report *rep)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (setgroups(0, NULL) == -1) {
		report_err(rep, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		report_err(rep, "setresgid(%u): %s", (unsigned)gid,
		    strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		report_err(rep, "setresuid(%u): %s", (unsigned)uid,
		    strerror(errno));
		return -1;
	}
	if (getresgid(&rg, &eg, &sg) == -1 || rg != gid || eg != gid ||
	    sg != gid || getresuid(&ru, &eu, &su) == -1 || ru != uid ||
	    eu != uid || su != uid || getgroups(0, NULL) != 0) {
		report_err(rep, "user change did not hold");
		return -1;
	}
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		report_err(rep, "could regain uid 0 after dropping it");
		return -1;
	}
	return 0;
}

/* Empties every capability set this process can empty, and verifies. */
static void
drop_caps(struct sandbox_report *rep)
{
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0) {
		report_err(rep, "capng_apply: cannot drop capabilities");
		return;
	}
	(void)capng_apply(CAPNG_SELECT_AMBIENT);
	if (capng_get_caps_process() != 0 ||
	    capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE) {
		report_err(rep, "capabilities remain after dropping them");
		return;
	}
	rep->caps_dropped = 1;
}

enum role { ROLE_SNIFFER, ROLE_STORE };

void
sandbox_close_inherited(void)
{
	struct rlimit rl;
	long fd, max;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	max = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY ? (long)rl.rlim_cur : 65536;
	for (fd = 3; fd < max; fd++)
		(void)close((int)fd);
}

/*
 * The store as root: the service user when it owns the database's
 * directory and file, so that it can write them; else why not, in why.
 * 1 (switch to *uid, *gid), 0 (stay), -1 (no such user).
 */
static int
store_user(const struct sandbox_opts *opts, const char **user, uid_t *uid,
    gid_t *gid, char *why, size_t whylen)
{
	struct passwd *pw;
	struct stat sb;
	char path[PATH_MAX], dir_buf[PATH_MAX], *dir;

	errno = 0;
	pw = getpwnam(*user);
	if (pw == NULL && opts->user == NULL &&
	    (pw = getpwnam(SANDBOX_FALLBACK_USER)) != NULL)
		*user = SANDBOX_FALLBACK_USER;
	if (pw == NULL || pw->pw_uid == 0) {
		snprintf(why, whylen, "unchanged (no service user %.24s)",
		    *user);
		return 0;
	}
	if (opts->db == NULL) {
		snprintf(why, whylen, "unchanged (no database)");
		return 0;
	}
	if (realpath(opts->db, path) == NULL) {
		if (errno != ENOENT)
			goto unreachable;
		/* Not created yet: its directory must exist. */
		strlcpy(path, opts->db, sizeof(path));
		if (realpath(dirname(path), dir_buf) == NULL)
			goto unreachable;
		strlcpy(path, dir_buf, sizeof(path));
		dir = path;
	} else
		dir = dirname(path);
	if (stat(dir, &sb) == -1 || sb.st_uid != pw->pw_uid) {
		snprintf(why, whylen, "unchanged (database dir not owned by "
		    "%.16s)", *user);
		return 0;
	}
	if (stat(opts->db, &sb) == 0 && sb.st_uid != pw->pw_uid) {
		snprintf(why, whylen, "unchanged (database not owned by "
		    "%.16s)", *user);
		return 0;
	}
	/* The user must be able to reach the directory: every ancestor. */
	while (strcmp(dir, "/") != 0 && strcmp(dir, ".") != 0) {
		dir = dirname(dir);
		if (stat(dir, &sb) == -1 || !((sb.st_mode & S_IXOTH) ||
		    (sb.st_uid == pw->pw_uid && (sb.st_mode & S_IXUSR)) ||
		    (sb.st_gid == pw->pw_gid && (sb.st_mode & S_IXGRP))))
			goto unreachable;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 1;
unreachable:
	snprintf(why, whylen, "unchanged (database dir not reachable by "
	    "%.16s)", *user);
	return 0;
}

static int
sandbox_apply(enum role role, const struct sandbox_opts *opts,
    struct sandbox_report *rep)
{
	const char *user = opts->user != NULL ? opts->user : SHADOWTAP_USER;
	const char *dir = opts->chroot_dir != NULL ? opts->chroot_dir :
	    SHADOWTAP_CHROOT;
	struct passwd *pw;
	int root = geteuid() == 0, can_chroot, bounds;
	uid_t uid = 0;
	gid_t gid = 0;
	char why[64] = "";
	pid_t parent = getppid();

	memset(rep, 0, sizeof(*rep));
	/* Before anything is dropped, while NSS still works. */
	if (root && role == ROLE_SNIFFER) {
		errno = 0;
		pw = getpwnam(user);
		/* No dedicated user (not installed yet): nobody will do. */
		if (pw == NULL && opts->user == NULL &&
		    (pw = getpwnam(SANDBOX_FALLBACK_USER)) != NULL)
			user = SANDBOX_FALLBACK_USER;
		if (pw == NULL) {
			report_err(rep, "unknown user \"%s\"%s%s", user,
			    errno != 0 ? ": " : "",
			    errno != 0 ? strerror(errno) : "");
		} else if (pw->pw_uid == 0) {
			report_err(rep, "user \"%s\" is root", user);
		} else {
			uid = pw->pw_uid;
			gid = pw->pw_gid;
		}
	}
	(void)capng_get_caps_process();
	can_chroot = root || capng_have_capability(CAPNG_EFFECTIVE,
	    CAP_SYS_CHROOT);
	bounds = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);

	if (role == ROLE_SNIFFER && can_chroot)
		(void)do_chroot(dir, rep);
	else if (role == ROLE_SNIFFER)
		strlcpy(rep->chroot, "none (not root)", sizeof(rep->chroot));
	else
		strlcpy(rep->chroot, "none (store)", sizeof(rep->chroot));
	if (role == ROLE_SNIFFER && rep->chroot[0] != '\0' &&
	    strncmp(rep->chroot, "none", 4) != 0)
		rep->chrooted = 1;

	/* The bounding set needs CAP_SETPCAP, which the uid change loses. */
	if (bounds) {
		capng_clear(CAPNG_SELECT_BOUNDS);
		if (capng_apply(CAPNG_SELECT_BOUNDS) == 0)
			rep->bounds_dropped = 1;
	}
	if (role == ROLE_STORE && root && store_user(opts, &user, &uid, &gid,
	    why, sizeof(why)) == 1) {
		/* The service user, which owns the database. */
		if (drop_user(uid, gid, rep) == 0) {
			rep->user_changed = 1;
			strlcpy(rep->user, user, sizeof(rep->user));
		} else
			strlcpy(rep->user, "unchanged (FAILED)",
			    sizeof(rep->user));
	} else if (role == ROLE_STORE) {
		/*
		 * The store keeps the invoking user, so that it can write a
		 * database wherever that user may; it holds no capability and
		 * sees no packet bytes, only validated messages.
		 */
		strlcpy(rep->user, root ? why : "unchanged (not root)",
		    sizeof(rep->user));
	} else if (root && uid != 0 && drop_user(uid, gid, rep) == 0) {
		rep->user_changed = 1;
		strlcpy(rep->user, user, sizeof(rep->user));
	} else if (!root) {
		strlcpy(rep->user, "unchanged (not root)", sizeof(rep->user));
	} else {
		strlcpy(rep->user, "unchanged (FAILED)", sizeof(rep->user));
	}
	rep->uid = geteuid();
	rep->gid = getegid();

	drop_caps(rep);
	/* The uid change clears the death signal; the store must still be
	 * able to count on the sniffer dying with it, even if it died
	 * while the signal was cleared. */
	if (role == ROLE_SNIFFER) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			report_err(rep, "the store process has gone");
	}
	if (prctl(PR_SET_DUMPABLE, 0) == -1)
		report_err(rep, "PR_SET_DUMPABLE: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		report_err(rep, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	else
		rep->no_new_privs = 1;
	if (role == ROLE_SNIFFER)
		rep->seccomp = load_sniffer_filter(opts, rep) == 0;
	else
		rep->seccomp = load_store_filter(opts, rep) == 0;

	rep->complete = rep->err[0] == '\0' && rep->no_new_privs &&
	    rep->caps_dropped && rep->seccomp &&
	    (!root || rep->user_changed || role == ROLE_STORE) &&
	    (role != ROLE_SNIFFER || !can_chroot || rep->chrooted);
	snprintf(rep->summary, sizeof(rep->summary),
	    "sandbox: user=%.63s chroot=%.200s seccomp=%s caps=%s nnp=%s%s%.160s",
	    rep->user, rep->chroot[0] != '\0' ? rep->chroot : "FAILED",
	    rep->seccomp ? (role == ROLE_STORE ? (opts->store_net ?
	    "on(deny-list,+inet)" : "on(deny-list)") :
	    opts->net_family != 0 ? "on(+tcp-connect)" : "on") :
	    "FAILED", rep->caps_dropped ? "none" : "FAILED",
	    rep->no_new_privs ? "on" : "FAILED",
	    rep->complete ? "" : "; incomplete: ",
	    rep->complete ? "" : rep->err);
	if (!rep->complete && rep->err[0] == '\0')
		report_err(rep, "sandbox incomplete");
	if (!rep->complete && !opts->allow_unsandboxed)
		return -1;
	return 0;
}

int
sandbox_sniffer(const struct sandbox_opts *opts, struct sandbox_report *rep)
{
	return sandbox_apply(ROLE_SNIFFER, opts, rep);
}

int
sandbox_store(const struct sandbox_opts *opts, struct sandbox_report *rep)
{
	return sandbox_apply(ROLE_STORE, opts, rep);
}
