/* SPDX-License-Identifier: ISC */
/*
 * syslogtx.c: UDP, TCP and TLS transport to the syslog collector, with a
 * bounded queue, reconnection with back-off and counters (see
 * syslogtx.h). The queue is allocated once; a message costs a copy into
 * it and, when the socket takes it, one write.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "base/log.h"
#include "base/util.h"
#include "syslogtx.h"

#define PORT_UDP		"514"	/* RFC 5426 */
#define PORT_TCP		"514"	/* the port collectors listen on */
#define PORT_TLS		"6514"	/* RFC 5425 4.1 */
#define FRAME_MAX		(SYSLOGTX_MSG_MAX + 8)	/* "2048 " + msg */
#define BACKOFF_MIN_MS		100
#define BACKOFF_MAX_MS		5000
#define FLUSH_RETRY_MS		250	/* at the end: retry this often */
#define LINGER_MS		2000	/* TLS: wait for the collector's close */
#define STREAM_TYPE		(SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC)

enum tx_state {
	TX_DOWN,		/* no socket; next_ms says when to try */
	TX_CONNECTING,		/* connect() in progress */
	TX_HANDSHAKE,		/* TLS handshake in progress */
	TX_UP
};

struct syslogtx;

static void	tx_connect(struct syslogtx *);

struct syslogtx {
	enum syslogtx_proto	 proto;
	enum tx_state		 state;
	int			 fd;
	int			 was_up;	/* for one log line per outage */
	int			 cert_refused;	/* last handshake: bad cert */
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	char			 host[256];	/* TLS: name or address checked */
	char			 dest[300];
	SSL_CTX			*ctx;
	SSL			*ssl;
	int64_t			 next_ms;	/* TX_DOWN: next attempt */
	int			 backoff_ms;
	/* The queue: cap frames of FRAME_MAX bytes, a ring. */
	char			*frames;
	uint16_t		*lens;
	size_t			 cap;
	size_t			 head;
	size_t			 count;
	size_t			 off;		/* TCP: bytes of head written */
	struct syslogtx_stats	 st;
};

int
syslogtx_parse(const char *dest, enum syslogtx_proto *proto, char *host,
    size_t hostlen, char *port, size_t portlen, char *err, size_t errlen)
{
	const char *p = dest, *def = PORT_UDP, *colon, *end;
	size_t n;

	*proto = SYSLOGTX_UDP;
	if (strncmp(p, "udp://", 6) == 0) {
		p += 6;
	} else if (strncmp(p, "tcp://", 6) == 0) {
		*proto = SYSLOGTX_TCP;
		def = PORT_TCP;
		p += 6;
	} else if (strncmp(p, "tls://", 6) == 0) {
		*proto = SYSLOGTX_TLS;
		def = PORT_TLS;
		p += 6;
	} else if (strstr(p, "://") != NULL) {
		snprintf(err, errlen, "%s: not udp://, tcp:// or tls://", dest);
		return -1;
	}
	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL || (end[1] != '\0' &&
		    end[1] != ':')) {
			snprintf(err, errlen, "%s: bad [address]", dest);
			return -1;
		}
		n = (size_t)(end - p - 1);
		p++;
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = strrchr(p, ':');
		/* Two colons or more: an IPv6 address without a port. */
		if (colon != NULL && strchr(p, ':') != colon)
			colon = NULL;
		n = colon != NULL ? (size_t)(colon - p) : strlen(p);
	}
	if (n == 0 || n >= hostlen || (colon != NULL && (colon[1] == '\0' ||
	    strlen(colon + 1) >= portlen ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1)))) {
		snprintf(err, errlen, "%s: expected [PROTO://]HOST[:PORT]",
		    dest);
		return -1;
	}
	memcpy(host, p, n);
	host[n] = '\0';
	strlcpy(port, colon != NULL ? colon + 1 : def, portlen);
	return 0;
}

size_t
syslogtx_parse_queue(const char *s)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > SYSLOGTX_QUEUE_MAX)
		return 0;
	return (size_t)n;
}

/* The collector's first address; 0, or -1 with err set. */
static int
resolve(const char *dest, enum syslogtx_proto *proto,
    struct sockaddr_storage *ss, socklen_t *sslen, char *host,
    size_t hostlen, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	char port[16];
	int rc;

	if (syslogtx_parse(dest, proto, host, hostlen, port, sizeof(port),
	    err, errlen) == -1)
		return -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = *proto == SYSLOGTX_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", dest, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int
syslogtx_socket(const char *dest, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	enum syslogtx_proto proto;
	socklen_t sslen;
	char host[256];
	int fd;

	if (resolve(dest, &proto, &ss, &sslen, host, sizeof(host), err,
	    errlen) == -1)
		return -1;
	fd = socket(ss.ss_family, proto == SYSLOGTX_UDP ? SOCK_DGRAM |
	    SOCK_CLOEXEC : STREAM_TYPE, 0);
	if (fd == -1 || (proto == SYSLOGTX_UDP &&
	    connect(fd, (struct sockaddr *)&ss, sslen) == -1)) {
		snprintf(err, errlen, "%s: %s", dest, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* TLS: the client context, with every CA read now (the sandbox reads no
 * file later). 0, or -1 with err set. */
static int
tls_setup(struct syslogtx *tx, const char *ca, char *err, size_t errlen)
{
	const char *file = ca;
	unsigned char seed[16];

	if (file == NULL && (file = getenv(X509_get_default_cert_file_env()))
	    == NULL)
		file = X509_get_default_cert_file();
	OPENSSL_init_ssl(0, NULL);
	if ((tx->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(tx->ctx, TLS1_2_VERSION) != 1) {
		snprintf(err, errlen, "TLS: cannot make a context");
		return -1;
	}
	SSL_CTX_set_verify(tx->ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_mode(tx->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_load_verify_locations(tx->ctx, file, NULL) != 1) {
		snprintf(err, errlen, "TLS: cannot load the CA certificates "
		    "of %s%s", file, ca == NULL ? " (give --syslog-ca FILE)" :
		    "");
		return -1;
	}
	/* Seed the generator while it may still open what it wants. */
	if (RAND_bytes(seed, sizeof(seed)) != 1) {
		snprintf(err, errlen, "TLS: no random numbers");
		return -1;
	}
	ERR_clear_error();
	return 0;
}

struct syslogtx *
syslogtx_new(const struct syslogtx_opts *o, int fd, char *err,
    size_t errlen)
{
	struct syslogtx *tx = xcalloc(1, sizeof(*tx));

	tx->fd = fd;
	tx->state = TX_DOWN;
	tx->backoff_ms = BACKOFF_MIN_MS;
	strlcpy(tx->dest, o->dest, sizeof(tx->dest));
	if (resolve(o->dest, &tx->proto, &tx->addr, &tx->addrlen, tx->host,
	    sizeof(tx->host), err, errlen) == -1)
		goto fail;
	if (tx->proto == SYSLOGTX_UDP) {
		tx->state = TX_UP;
		return tx;
	}
	if (tx->proto == SYSLOGTX_TLS && tls_setup(tx, o->ca, err,
	    errlen) == -1)
		goto fail;
	tx->cap = o->queue != 0 ? o->queue : SYSLOGTX_QUEUE_DEF;
	tx->frames = xcalloc(tx->cap, FRAME_MAX);
	tx->lens = xcalloc(tx->cap, sizeof(*tx->lens));
	/* Connect now, before the sandbox; the loop finishes it. */
	tx_connect(tx);
	return tx;
fail:
	syslogtx_free(tx);
	return NULL;
}

int
syslogtx_family(const struct syslogtx *tx)
{
	return tx->proto == SYSLOGTX_UDP ? 0 : tx->addr.ss_family;
}

const struct syslogtx_stats *
syslogtx_stats(const struct syslogtx *tx)
{
	return &tx->st;
}

static void
drop_conn(struct syslogtx *tx)
{
	if (tx->ssl != NULL) {
		SSL_free(tx->ssl);
		tx->ssl = NULL;
	}
	if (tx->fd != -1) {
		close(tx->fd);
		tx->fd = -1;
	}
	ERR_clear_error();
}

/* The connection failed or was lost: close it and try again later. */
static void
tx_fail(struct syslogtx *tx, const char *why)
{
	drop_conn(tx);
	tx->st.failures++;
	tx->off = 0;		/* a partly written frame goes again whole */
	tx->state = TX_DOWN;
	tx->next_ms = util_mono_ms() + tx->backoff_ms;
	tx->backoff_ms = tx->backoff_ms * 2 > BACKOFF_MAX_MS ?
	    BACKOFF_MAX_MS : tx->backoff_ms * 2;
	/* One line per outage: when it begins, or when the first attempt
	 * fails. */
	if (tx->was_up || tx->st.failures == 1)
		log_warnx("syslog: %s: %s; holding up to %zu messages and "
		    "trying again", tx->dest, why, tx->cap);
	tx->was_up = 0;
}

static void
tx_up(struct syslogtx *tx)
{
	tx->state = TX_UP;
	tx->st.connects++;
	tx->backoff_ms = BACKOFF_MIN_MS;
	tx->cert_refused = 0;
	if (!tx->was_up && tx->st.failures > 0)
		log_info("syslog: %s: connected again", tx->dest);
	tx->was_up = 1;
}

/* TX_DOWN: a new socket (after the sandbox too: see doc/hardening.md). */
static void
tx_connect(struct syslogtx *tx)
{
	if (tx->fd == -1 &&
	    (tx->fd = socket(tx->addr.ss_family, STREAM_TYPE, 0)) == -1) {
		tx_fail(tx, strerror(errno));
		return;
	}
	if (connect(tx->fd, (struct sockaddr *)&tx->addr, tx->addrlen) == 0 ||
	    errno == EINPROGRESS)
		tx->state = TX_CONNECTING;
	else
		tx_fail(tx, strerror(errno));
}

/* TX_CONNECTING: done when the socket is writable. */
static void
tx_connected(struct syslogtx *tx)
{
	struct pollfd pfd = { tx->fd, POLLOUT, 0 };
	socklen_t len = sizeof(int);
	struct in6_addr a6;
	struct in_addr a4;
	int e = 0;

	if (poll(&pfd, 1, 0) <= 0)
		return;
	if (getsockopt(tx->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e != 0) {
		tx_fail(tx, strerror(e));
		return;
	}
	if (tx->proto == SYSLOGTX_TCP) {
		tx_up(tx);
		return;
	}
	if ((tx->ssl = SSL_new(tx->ctx)) == NULL ||
	    SSL_set_fd(tx->ssl, tx->fd) != 1) {
		tx_fail(tx, "TLS: cannot start a session");
		return;
	}
	/* RFC 5425 5.2: the certificate must name the collector. */
	if (inet_pton(AF_INET, tx->host, &a4) == 1 ||
	    inet_pton(AF_INET6, tx->host, &a6) == 1)
		e = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tx->ssl),
		    tx->host) != 1;
	else
		e = SSL_set_tlsext_host_name(tx->ssl, tx->host) != 1 ||
		    SSL_set1_host(tx->ssl, tx->host) != 1;
	if (e) {
		tx_fail(tx, "TLS: cannot set the name to check");
		return;
	}
	tx->state = TX_HANDSHAKE;
}

/* SSL_ERROR_WANT_*: not yet. 1 to wait, 0 after a failure. */
static int
tls_wait(struct syslogtx *tx, int rc, const char *what)
{
	const char *reason;
	char why[256];
	long v;

	switch (SSL_get_error(tx->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 1;
	}
	reason = ERR_reason_error_string(ERR_peek_last_error());
	v = SSL_get_verify_result(tx->ssl);
	if (v != X509_V_OK) {
		snprintf(why, sizeof(why), "TLS: the collector's certificate "
		    "was refused: %s", X509_verify_cert_error_string(v));
		tx->cert_refused = 1;
	} else {
		snprintf(why, sizeof(why), "TLS %s failed%s%s", what,
		    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	}
	tx_fail(tx, why);
	return 0;
}

/* TX_HANDSHAKE */
static void
tx_handshake(struct syslogtx *tx)
{
	int rc = SSL_connect(tx->ssl);

	if (rc == 1)
		tx_up(tx);
	else
		(void)tls_wait(tx, rc, "handshake");
}

/*
 * A collector never sends (RFC 6587, RFC 5425 but for TLS records of its
 * own), so something to read means it closed or reset the connection:
 * found before writing, the queue goes to the next connection instead of
 * into a dead one. 1 while the connection lives.
 */
static int
tx_alive(struct syslogtx *tx)
{
	char b[256];
	ssize_t n;
	int rc;

	if (tx->proto == SYSLOGTX_TCP) {
		n = recv(tx->fd, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		tx_fail(tx, n == 0 ? "closed by the collector" :
		    n > 0 ? "the collector sent data" : strerror(errno));
		return 0;
	}
	/* TLS: session tickets and the like are read and dropped. */
	for (;;) {
		rc = SSL_read(tx->ssl, b, sizeof(b));
		if (rc > 0)
			continue;
		rc = SSL_get_error(tx->ssl, rc);
		if (rc == SSL_ERROR_WANT_READ || rc == SSL_ERROR_WANT_WRITE)
			return 1;
		tx_fail(tx, "closed by the collector");
		return 0;
	}
}

static void
tx_pop(struct syslogtx *tx)
{
	tx->head = (tx->head + 1) % tx->cap;
	tx->count--;
	tx->off = 0;
	tx->st.sent++;
}

/* TX_UP: writes frames until the socket is full or the queue empty. */
static void
tx_write(struct syslogtx *tx)
{
	const char *f;
	ssize_t n;
	int rc;

	if (!tx_alive(tx))
		return;
	while (tx->count > 0) {
		f = tx->frames + tx->head * FRAME_MAX;
		if (tx->proto == SYSLOGTX_TLS) {
			rc = SSL_write(tx->ssl, f, tx->lens[tx->head]);
			if (rc <= 0) {
				(void)tls_wait(tx, rc, "write");
				return;
			}
			tx_pop(tx);
			continue;
		}
		n = send(tx->fd, f + tx->off, tx->lens[tx->head] - tx->off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			tx_fail(tx, n == 0 ? "closed" : strerror(errno));
			return;
		}
		tx->off += (size_t)n;
		if (tx->off == tx->lens[tx->head])
			tx_pop(tx);
	}
}

/* One move of the state machine and as much writing as it allows. */
static void
tx_step(struct syslogtx *tx)
{
	if (tx->state == TX_DOWN) {
		if (util_mono_ms() < tx->next_ms)
			return;
		tx_connect(tx);
	}
	if (tx->state == TX_CONNECTING)
		tx_connected(tx);
	if (tx->state == TX_HANDSHAKE)
		tx_handshake(tx);
	if (tx->state == TX_UP)
		tx_write(tx);
}

void
syslogtx_send(struct syslogtx *tx, const char *msg, size_t len)
{
	char *f;
	int n;

	if (tx->proto == SYSLOGTX_UDP) {
		if (send(tx->fd, msg, len, 0) == -1)
			tx->st.dropped++;
		else
			tx->st.sent++;
		return;
	}
	if (len > SYSLOGTX_MSG_MAX || tx->count == tx->cap) {
		tx->st.dropped++;
		return;
	}
	/* RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG. */
	f = tx->frames + ((tx->head + tx->count) % tx->cap) * FRAME_MAX;
	n = snprintf(f, FRAME_MAX, "%zu ", len);
	memcpy(f + n, msg, len);
	tx->lens[(tx->head + tx->count) % tx->cap] = (uint16_t)(n + len);
	tx->count++;
}

void
syslogtx_poll(struct syslogtx *tx)
{
	if (tx->count > 0)
		tx_step(tx);
}

/* What the end-of-run wait polls for in each state. */
static int
flush_wait(struct syslogtx *tx, int ms)
{
	struct pollfd pfd = { tx->fd, POLLOUT, 0 };

	if (tx->state == TX_DOWN) {
		ms = (int)(tx->next_ms - util_mono_ms());
		return poll(NULL, 0, ms < 0 ? 0 : ms > FLUSH_RETRY_MS ?
		    FLUSH_RETRY_MS : ms);
	}
	if (tx->state == TX_HANDSHAKE && SSL_want_read(tx->ssl))
		pfd.events = POLLIN;
	return poll(&pfd, 1, ms);
}

/*
 * TLS, at the end: reads (and drops) what the collector still sends, a
 * session ticket or its close_notify, until it closes or the deadline.
 * Closing with unread bytes would send a reset, and a reset can make the
 * collector's kernel throw away messages it has not read yet.
 */
static void
linger(struct syslogtx *tx, int64_t deadline)
{
	struct pollfd pfd = { tx->fd, POLLIN, 0 };
	char b[4096];
	int64_t left;
	ssize_t n;

	if (deadline > util_mono_ms() + LINGER_MS)
		deadline = util_mono_ms() + LINGER_MS;
	while ((left = deadline - util_mono_ms()) > 0 &&
	    poll(&pfd, 1, (int)left) > 0) {
		n = recv(tx->fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			break;
	}
}

void
syslogtx_flush(struct syslogtx *tx, int timeout_ms)
{
	int64_t deadline = util_mono_ms() + timeout_ms, left;

	if (tx->proto != SYSLOGTX_UDP && tx->count > 0) {
		/* Try at once, then at a steady pace. */
		tx->next_ms = util_mono_ms();
		tx->backoff_ms = FLUSH_RETRY_MS;
		tx_step(tx);
		if (tx->count > 0 && !tx->cert_refused)
			log_info("syslog: %s: waiting up to %d s to send %zu "
			    "messages", tx->dest, timeout_ms / 1000,
			    tx->count);
		while (tx->count > 0 && !tx->cert_refused &&
		    (left = deadline - util_mono_ms()) > 0) {
			tx->backoff_ms = FLUSH_RETRY_MS;
			(void)flush_wait(tx, (int)(left > FLUSH_RETRY_MS ?
			    FLUSH_RETRY_MS : left));
			tx_step(tx);
		}
		if (tx->count > 0) {
			log_warnx("syslog: %s: %zu messages not delivered",
			    tx->dest, tx->count);
			tx->st.dropped += tx->count;
			tx->count = 0;
		}
	}
	if (tx->ssl != NULL && tx->state == TX_UP) {
		(void)SSL_shutdown(tx->ssl);	/* close_notify */
		linger(tx, deadline);
	}
	drop_conn(tx);
	tx->state = TX_DOWN;
}

void
syslogtx_free(struct syslogtx *tx)
{
	if (tx == NULL)
		return;
	drop_conn(tx);
	SSL_CTX_free(tx->ctx);
	free(tx->frames);
	free(tx->lens);
	free(tx);
}
