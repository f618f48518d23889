/* SPDX-License-Identifier: ISC */
/*
 * privsep.h: the channel between the sniffer (unprivileged, sandboxed, sees
 * hostile packets) and the store (writes SQLite, never sees a packet). A
 * SOCK_SEQPACKET socketpair carries datagrams of one or more messages, each
 * a header {uint32 type, uint32 len} and a fixed-layout payload. The store
 * trusts nothing: every message is checked for a known type, the exact
 * length of that type and the charset of every string before any is used.
 */
#ifndef SHADOWTAP_PRIVSEP_H
#define SHADOWTAP_PRIVSEP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "base/record.h"

enum privsep_role {
	PRIVSEP_ROLE_STORE = 1,	/* the parent: owns the DB, reaps the sniffer */
	PRIVSEP_ROLE_SNIFFER,	/* the child: owns the capture handle */
};

#define PRIVSEP_HDR_LEN		8	/* uint32 type, uint32 len */
#define PRIVSEP_BATCH_MSGS	64	/* messages per datagram, at most */
#define PRIVSEP_BATCH_BYTES	(64 * 1024) /* bytes per datagram, at most */
#define PRIVSEP_FLUSH_MS	100	/* privsep_tick() flushes older batches */

struct privsep;

/* Called by the store for each valid message; msg is aligned for its type. */
typedef void	privsep_handler(void *arg, uint32_t type, const void *msg,
		    size_t len);

/*
 * Creates the socketpair (AF_UNIX, SOCK_SEQPACKET) and forks. Returns the
 * role the calling process now has: PRIVSEP_ROLE_STORE in the parent,
 * PRIVSEP_ROLE_SNIFFER in the child, each with its own *psp and only its own
 * end of the socket. The child gets PR_SET_PDEATHSIG SIGKILL so it never
 * outlives the store. Returns -1 with a message in err and nothing created.
 * Flush stdio before calling it, or buffered output is written twice.
 */
int		 privsep_start(struct privsep **psp, char *err, size_t errsz);

/* The role of this side, its socket (for poll) and, in the store, the
 * sniffer's pid (0 in the sniffer). */
enum privsep_role privsep_role(const struct privsep *);
int		 privsep_fd(const struct privsep *);
pid_t		 privsep_pid(const struct privsep *);

/*
 * Sniffer side. Queues one message; writes a datagram when the batch holds
 * PRIVSEP_BATCH_MSGS messages or the next would not fit. len must be the
 * exact size of type's struct, and the message must pass privsep_validate()
 * (so a dissector bug drops one record here instead of killing the run at
 * the store): otherwise returns -1 with errno EINVAL and nothing queued.
 * Returns -1 with errno set when the write fails (EPIPE: the store is gone),
 * else 0. Blocks while the store is behind, which is back-pressure: the
 * kernel then counts drops.
 */
int		 privsep_send(struct privsep *, uint32_t type, const void *msg,
		    size_t len);
/* Writes the queued batch, if any. 0 or -1 with errno. */
int		 privsep_flush(struct privsep *);
/* Flushes when the oldest queued message is PRIVSEP_FLUSH_MS old (wall,
 * CLOCK_MONOTONIC ms as given by the caller). Call it from the loop. */
int		 privsep_tick(struct privsep *, int64_t now_ms);

/*
 * Store side. Reads one datagram, validates every message in it, then calls
 * handler for each, in order. Retries on EINTR. Returns 1 when a datagram
 * was handled, 0 at the end of the stream (the sniffer closed its end), -1
 * on a read error or a protocol violation: the reason is in
 * privsep_errmsg(), no message of that datagram was handled, and the caller
 * must privsep_kill() and fatalx().
 */
int		 privsep_recv(struct privsep *, privsep_handler *, void *arg);
const char	*privsep_errmsg(const struct privsep *);

/*
 * Store side: signal the sniffer, or SIGKILL it after a violation. 0 or -1
 * with errno. Once the sniffer has changed to another user the store
 * (without CAP_KILL) gets EPERM: stop it with privsep_control() instead,
 * and after a violation rely on the store's exit, which kills the sniffer
 * through PR_SET_PDEATHSIG.
 */
int		 privsep_signal(struct privsep *, int sig);
int		 privsep_kill(struct privsep *);

/*
 * Requests from the store to the sniffer travel as one-byte datagrams on
 * the channel, not as signals: the sniffer runs as another user and the
 * store holds no CAP_KILL, so kill(2) would fail with EPERM.
 */
#define PRIVSEP_CTL_STOP	'T'	/* end the run (SIGTERM, SIGINT) */
#define PRIVSEP_CTL_STATS	'S'	/* write the counters (SIGUSR1) */
/* Store: sends one request without blocking. 0 or -1. */
int		 privsep_control(struct privsep *, char what);
/*
 * Sniffer: the next request, 0 when none is waiting, -1 when the store
 * has gone (its end of the channel is closed). Also returns
 * PRIVSEP_CTL_RULES once a whole rule bundle has arrived (take it with
 * privsep_rules_take()) and PRIVSEP_CTL_RULES_BAD when one broke the
 * framing below (it is dropped; the next one starts afresh).
 */
int		 privsep_control_poll(struct privsep *);
#define PRIVSEP_CTL_RULES	'R'
#define PRIVSEP_CTL_RULES_BAD	'X'

/*
 * Rule reloads. The sandboxed sniffer cannot open files, so on SIGHUP the
 * store reads and checks the rules and sends their bytes (a rulesrc.h
 * bundle) down the channel: an 'A' datagram with the u64 big-endian total,
 * then 'B' datagrams of at most PRIVSEP_RULES_CHUNK bytes each. The store
 * never blocks on the sniffer (which may itself be blocked sending to the
 * store): privsep_rules_send() queues the bundle and privsep_out_flush()
 * sends what the socket takes, to be called again when privsep_fd() polls
 * POLLOUT while privsep_out_pending(). A bundle queued while another is
 * being sent follows it; a newer one replaces an older still waiting.
 */
#define PRIVSEP_RULES_CHUNK	(32 * 1024)
#define PRIVSEP_RULES_MAX	(64u << 20)
int		 privsep_rules_send(struct privsep *, const uint8_t *bundle,
		    size_t len);
int		 privsep_out_pending(const struct privsep *);
/* 0: all sent; 1: some left; -1 with errno: the channel failed. */
int		 privsep_out_flush(struct privsep *);
/* Sniffer: hands over the complete bundle (the caller frees it). 0, or -1
 * when there is none. */
int		 privsep_rules_take(struct privsep *, uint8_t **bundle,
		    size_t *len);
/* Store side: waits for the sniffer; *status as from waitpid. 0 or -1. */
int		 privsep_wait(struct privsep *, int *status);

/* Flushes (sniffer), closes the socket and frees; NULL is a no-op. Does not
 * wait for or signal the other process. */
void		 privsep_free(struct privsep *);

/*
 * Pure checks, used by privsep_recv(), the tests and the fuzz target.
 * privsep_check() validates one message payload of the given type: known
 * type, len exactly the size of its struct, every string NUL-terminated
 * inside its array and of its allowed bytes, every enum in range. Returns 0,
 * or -1 with the reason in why (may be NULL). privsep_validate() is the
 * same without the reason.
 */
int		 privsep_check(uint32_t type, const void *p, size_t len,
		    char *why, size_t whysz);
int		 privsep_validate(uint32_t type, const void *p, size_t len);

/*
 * Parses one datagram as privsep_recv() does: validates all of it first,
 * then calls handler (may be NULL) per message. Returns the number of
 * messages (>= 1), or -1 with the reason in err.
 */
int		 privsep_decode(const void *dgram, size_t len,
		    privsep_handler *handler, void *arg, char *err, size_t errsz);

/* The payload size of a message type, 0 for an unknown type. */
size_t		 privsep_type_size(uint32_t type);
const char	*privsep_type_name(uint32_t type);

#endif
