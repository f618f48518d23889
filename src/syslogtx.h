/* SPDX-License-Identifier: ISC */
/*
 * syslogtx.h: the way findings go to the syslog collector (capture
 * --syslog): UDP datagrams (RFC 5426), or a TCP stream with octet-counting
 * framing (RFC 6587 3.4.1), or the same over TLS (RFC 5425) with the
 * collector's certificate checked. Nothing here blocks the packet path:
 * the stream is non-blocking, messages wait in a bounded queue while the
 * collector is away, and what the queue cannot hold is dropped and
 * counted. syslogfwd.h formats the messages.
 */
#ifndef SHADOWTAP_SYSLOGTX_H
#define SHADOWTAP_SYSLOGTX_H

#include <stddef.h>
#include <stdint.h>

#define SYSLOGTX_MSG_MAX	2048	/* the longest message queued */
#define SYSLOGTX_QUEUE_DEF	1024	/* messages held while away */
#define SYSLOGTX_QUEUE_MAX	65536
#define SYSLOGTX_FLUSH_MS	10000	/* end of run: wait at most this */

enum syslogtx_proto {
	SYSLOGTX_UDP = 0,	/* udp://HOST[:PORT] or HOST[:PORT], port 514 */
	SYSLOGTX_TCP,		/* tcp://HOST[:PORT], port 514 */
	SYSLOGTX_TLS		/* tls://HOST[:PORT], port 6514 (RFC 5425) */
};

struct syslogtx_opts {
	const char	*dest;	/* as given to --syslog */
	const char	*ca;	/* --syslog-ca FILE; NULL: the system store */
	size_t		 queue;	/* --syslog-queue, 0: SYSLOGTX_QUEUE_DEF */
};

struct syslogtx_stats {
	uint64_t	sent;		/* messages handed to the kernel whole */
	uint64_t	dropped;	/* queue full, too long, or not sent by
					   the end of the run */
	uint64_t	connects;	/* connections made (TLS: handshakes) */
	uint64_t	failures;	/* connections lost or refused */
};

/*
 * Splits dest into its protocol, host (brackets of an IPv6 literal
 * removed) and port (the protocol's default when absent). 0, or -1 with
 * err set.
 */
int		 syslogtx_parse(const char *dest, enum syslogtx_proto *proto,
		    char *host, size_t hostlen, char *port, size_t portlen,
		    char *err, size_t errlen);

/*
 * Resolves dest and returns a socket for it: for UDP connected to the
 * collector, for TCP and TLS not yet connected (non-blocking, the
 * collector's address family). -1 with err set.
 */
int		 syslogtx_socket(const char *dest, char *err, size_t errlen);

/* "N" for --syslog-queue: N in 1..SYSLOGTX_QUEUE_MAX, or 0. */
size_t		 syslogtx_parse_queue(const char *s);

struct syslogtx;

/*
 * Takes over fd (from syslogtx_socket()) and, for TCP and TLS, resolves
 * the collector again for reconnecting, reads the CA file whole (TLS:
 * --syslog-ca, else the system bundle; nothing is read after the
 * sandbox), allocates the queue and starts connecting. Call before the
 * sandbox. NULL with err set.
 */
struct syslogtx	*syslogtx_new(const struct syslogtx_opts *, int fd,
		    char *err, size_t errlen);
/* The address family the sandbox must let this process open TCP sockets
 * of and connect to reconnect (AF_INET or AF_INET6), or 0 for UDP. */
int		 syslogtx_family(const struct syslogtx *);
/*
 * Sends one message (no framing; at most SYSLOGTX_MSG_MAX bytes): UDP at
 * once, TCP and TLS into the queue, dropped and counted when it is full.
 */
void		 syslogtx_send(struct syslogtx *, const char *msg, size_t len);
/*
 * Moves the stream on without waiting: finishes a connect or handshake,
 * reconnects when the back-off allows, writes what the socket takes.
 * Costs no syscall while the queue is empty. Call between packets.
 */
void		 syslogtx_poll(struct syslogtx *);
/*
 * End of run: waits up to timeout_ms for the queue to go out, reconnecting
 * as needed (not at all once the collector's certificate was refused),
 * counts what is left as dropped and closes the connection.
 */
void		 syslogtx_flush(struct syslogtx *, int timeout_ms);
const struct syslogtx_stats *syslogtx_stats(const struct syslogtx *);
/* Closes and frees. NULL is a no-op. */
void		 syslogtx_free(struct syslogtx *);

#endif
