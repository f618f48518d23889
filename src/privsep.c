/* SPDX-License-Identifier: ISC */
/*
 * privsep.c: framing, batching and strict validation of the messages the
 * sniffer sends to the store. One datagram holds 1..PRIVSEP_BATCH_MSGS
 * messages; a datagram is validated as a whole before any of it is used,
 * so the store never acts on half of a bad batch.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/app.h"
#include "base/record.h"
#include "base/util.h"
#include "base/verdict.h"
#include "privsep.h"

#define ERR_LEN		160
/* Big enough that a datagram longer than any valid one shows as MSG_TRUNC. */
#define RECV_BUF_LEN	(PRIVSEP_BATCH_BYTES + 1)

struct privsep {
	enum privsep_role	 role;
	int			 fd;
	pid_t			 pid;		/* store: the sniffer */
	uint8_t			*buf;		/* batch (sniffer) or dgram */
	size_t			 len;
	unsigned		 nmsg;
	int64_t			 batch_ms;	/* when the batch began */
	char			 err[ERR_LEN];
	/* Store: the rule bundle being sent, and the one after it. */
	uint8_t			*out;
	size_t			 outlen;
	size_t			 outoff;	/* bytes of out sent */
	int			 outhdr;	/* the 'A' datagram is sent */
	uint8_t			*next;
	size_t			 nextlen;
	/* Sniffer: the rule bundle being received. */
	uint8_t			*in;
	size_t			 inlen;		/* announced total */
	size_t			 ingot;
	int			 inready;	/* in holds a whole bundle */
};

/* Every payload type, so a copy can be aligned for any of them. */
union privsep_msg {
	struct flow_record		flow;
	struct device_record		device;
	struct privsep_health		health;
	struct privsep_run_stats	stats;
	struct rel_event		rel;
};

/* Which bytes a string field may hold. */
enum charset {
	CS_HOST,	/* 0x21..0x7e: host names, catalog ids */
	CS_PRINT,	/* 0x20..0x7e: user names, DHCP vendor classes */
	CS_TEXT,	/* no C0 control or DEL: department names (UTF-8) */
	CS_ALPHA,	/* A-Z a-z: country codes */
	CS_PRL,		/* 0-9 and ',': DHCP parameter request lists */
};

size_t
privsep_type_size(uint32_t type)
{
	switch (type) {
	case PRIVSEP_FLOW:
		return sizeof(struct flow_record);
	case PRIVSEP_DEVICE:
		return sizeof(struct device_record);
	case PRIVSEP_HEALTH:
		return sizeof(struct privsep_health);
	case PRIVSEP_RUN_STATS:
		return sizeof(struct privsep_run_stats);
	case PRIVSEP_REL:
		return sizeof(struct rel_event);
	}
	return 0;
}

const char *
privsep_type_name(uint32_t type)
{
	switch (type) {
	case PRIVSEP_FLOW:
		return "flow";
	case PRIVSEP_DEVICE:
		return "device";
	case PRIVSEP_HEALTH:
		return "health";
	case PRIVSEP_RUN_STATS:
		return "run_stats";
	case PRIVSEP_REL:
		return "rel";
	}
	return "unknown";
}

static int
byte_ok(enum charset cs, unsigned char c)
{
	switch (cs) {
	case CS_HOST:
		return c >= 0x21 && c <= 0x7e;
	case CS_PRINT:
		return c >= 0x20 && c <= 0x7e;
	case CS_TEXT:
		return c >= 0x20 && c != 0x7f;
	case CS_ALPHA:
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
	case CS_PRL:
		return (c >= '0' && c <= '9') || c == ',';
	}
	return 0;
}

/*
 * A string field: NUL inside its array, and only allowed bytes before the
 * NUL. Bytes after the NUL are never read by the store, so they are free.
 */
static int
check_str(const char *s, size_t size, enum charset cs, const char *field,
    char *why, size_t whysz)
{
	const char *nul = memchr(s, '\0', size);
	size_t i;

	if (nul == NULL) {
		util_seterr(why, whysz, "%s: not NUL-terminated", field);
		return -1;
	}
	for (i = 0; s + i < nul; i++) {
		if (!byte_ok(cs, (unsigned char)s[i])) {
			util_seterr(why, whysz, "%s: byte 0x%02x at %zu not"
			    " allowed", field, (unsigned char)s[i], i);
			return -1;
		}
	}
	return 0;
}

#define CHECK_STR(rec, fld, cs) \
	check_str((rec)->fld, sizeof((rec)->fld), (cs), #fld, why, whysz)

static int
check_range(unsigned v, unsigned max, const char *field, char *why,
    size_t whysz)
{
	if (v > max) {
		util_seterr(why, whysz, "%s: %u out of range (max %u)", field,
		    v, max);
		return -1;
	}
	return 0;
}

#define CHECK_RANGE(rec, fld, max) \
	check_range((rec)->fld, (max), #fld, why, whysz)

/*
 * Only what the honest sniffer guarantees is checked: a check that hostile
 * traffic could make an honest sniffer fail would let anyone on the wire
 * stop the capture. So ports, counters and times are not range-checked
 * (port 0 and clock jumps exist on real links); enums, flags, families and
 * strings are, because the sniffer builds them, not the wire.
 */
static int
check_flow(const struct flow_record *r, char *why, size_t whysz)
{
	if (r->family != 4 && r->family != 6) {
		util_seterr(why, whysz, "family: %u is not 4 or 6", r->family);
		return -1;
	}
	if (r->proto != 6 && r->proto != 17) {	/* IPPROTO_TCP, IPPROTO_UDP */
		util_seterr(why, whysz, "proto: %u is not TCP or UDP",
		    r->proto);
		return -1;
	}
	if (CHECK_RANGE(r, app, APP_MAX - 1) == -1 ||
	    CHECK_RANGE(r, verdict, VERDICT_MAX - 1) == -1 ||
	    CHECK_RANGE(r, name_src, NAME_SRC_MAX - 1) == -1 ||
	    CHECK_RANGE(r, has_mac, 1) == -1 ||
	    CHECK_RANGE(r, vlan, VLAN_ID_MAX) == -1 ||
	    CHECK_RANGE(r, evidence, EVIDENCE_MAX - 1) == -1 ||
	    CHECK_RANGE(r, confidence, CONFIDENCE_MAX) == -1 ||
	    CHECK_RANGE(r, creds_proto, CREDS_MAX - 1) == -1)
		return -1;
	if ((r->piece & ~FLOW_PIECE_MASK) != 0) {
		util_seterr(why, whysz, "piece: unknown flags 0x%02x",
		    r->piece);
		return -1;
	}
	if (CHECK_STR(r, country, CS_ALPHA) == -1 ||
	    CHECK_STR(r, service, CS_HOST) == -1 ||
	    CHECK_STR(r, category, CS_HOST) == -1 ||
	    CHECK_STR(r, name, CS_HOST) == -1 ||
	    CHECK_STR(r, domain, CS_HOST) == -1 ||
	    CHECK_STR(r, department, CS_TEXT) == -1 ||
	    CHECK_STR(r, as_org, CS_TEXT) == -1 ||
	    CHECK_STR(r, creds_user, CS_PRINT) == -1 ||
	    CHECK_STR(r, instance, CS_HOST) == -1)
		return -1;
	if (r->country[0] != '\0' && strlen(r->country) != 2) {
		util_seterr(why, whysz, "country: not two letters");
		return -1;
	}
	if (r->creds_proto == CREDS_NONE && r->creds_user[0] != '\0') {
		util_seterr(why, whysz, "creds_user: set without creds_proto");
		return -1;
	}
	if (r->verdict != VERDICT_NONE && r->service[0] == '\0') {
		util_seterr(why, whysz, "verdict: set without a service");
		return -1;
	}
	/* One label: the aggregate keys a finding by "service/instance". */
	if (r->instance[0] != '\0' && (r->service[0] == '\0' ||
	    strchr(r->instance, '.') != NULL ||
	    strchr(r->instance, '/') != NULL)) {
		util_seterr(why, whysz, "instance: not one label of a "
		    "service");
		return -1;
	}
	return 0;
}

static int
check_device(const struct device_record *r, char *why, size_t whysz)
{
	if (r->family != 0 && r->family != 4 && r->family != 6) {
		util_seterr(why, whysz, "family: %u is not 0, 4 or 6",
		    r->family);
		return -1;
	}
	if (CHECK_RANGE(r, has_mac, 1) == -1)
		return -1;
	if (CHECK_STR(r, hostname, CS_HOST) == -1 ||
	    CHECK_STR(r, vendor_class, CS_PRINT) == -1 ||
	    CHECK_STR(r, prl, CS_PRL) == -1)
		return -1;
	return 0;
}

static int
check_health(const struct privsep_health *h, char *why, size_t whysz)
{
	if (h->interval_us <= 0) {
		util_seterr(why, whysz, "interval_us: %lld is not positive",
		    (long long)h->interval_us);
		return -1;
	}
	return 0;
}

static int
check_stats(const struct privsep_run_stats *s, char *why, size_t whysz)
{
	size_t i;

	if (CHECK_RANGE(s, read_error, 1) == -1)
		return -1;
	for (i = 0; i < sizeof(s->pad); i++) {
		if (s->pad[i] != 0) {
			util_seterr(why, whysz, "pad: not zero");
			return -1;
		}
	}
	if (s->first_us > s->last_us) {
		util_seterr(why, whysz, "first_us: after last_us");
		return -1;
	}
	return 0;
}

/* Copies the payload into m (aligned) and checks it. */
static int
check_into(uint32_t type, const void *p, size_t len, union privsep_msg *m,
    char *why, size_t whysz)
{
	size_t want = privsep_type_size(type);

	if (want == 0) {
		util_seterr(why, whysz, "unknown message type %u", type);
		return -1;
	}
	if (p == NULL || len != want) {
		util_seterr(why, whysz, "%s: length %zu, expected %zu",
		    privsep_type_name(type), len, want);
		return -1;
	}
	memcpy(m, p, len);
	switch (type) {
	case PRIVSEP_FLOW:
		return check_flow(&m->flow, why, whysz);
	case PRIVSEP_DEVICE:
		return check_device(&m->device, why, whysz);
	case PRIVSEP_HEALTH:
		return check_health(&m->health, why, whysz);
	case PRIVSEP_RUN_STATS:
		return check_stats(&m->stats, why, whysz);
	case PRIVSEP_REL:
		return record_rel_check(&m->rel, why, whysz);
	}
	return -1;
}

int
privsep_check(uint32_t type, const void *p, size_t len, char *why,
    size_t whysz)
{
	union privsep_msg m;
	char tmp[ERR_LEN];
	int rc;

	rc = check_into(type, p, len, &m, tmp, sizeof(tmp));
	if (rc == -1)
		util_seterr(why, whysz, "%s", tmp);
	return rc;
}

int
privsep_validate(uint32_t type, const void *p, size_t len)
{
	return privsep_check(type, p, len, NULL, 0);
}

static uint32_t
get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* host order: both ends are one binary */
	return v;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

int
privsep_decode(const void *dgram, size_t len, privsep_handler *handler,
    void *arg, char *err, size_t errsz)
{
	const uint8_t *d = dgram;
	union privsep_msg m;
	char why[ERR_LEN];
	size_t off;
	uint32_t type, mlen;
	int n, pass;

	if (len == 0 || d == NULL) {
		util_seterr(err, errsz, "empty datagram");
		return -1;
	}
	/* Pass 0 validates everything; pass 1 hands it out. */
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (off = 0; off < len; off += PRIVSEP_HDR_LEN + mlen) {
			if (len - off < PRIVSEP_HDR_LEN) {
				util_seterr(err, errsz, "message %d: %zu"
				    " bytes left, shorter than a header", n,
				    len - off);
				return -1;
			}
			type = get_u32(d + off);
			mlen = get_u32(d + off + 4);
			if (mlen > len - off - PRIVSEP_HDR_LEN) {
				util_seterr(err, errsz, "message %d: length %u "
				    "runs past the datagram", n, mlen);
				return -1;
			}
			if (++n > PRIVSEP_BATCH_MSGS) {
				util_seterr(err, errsz, "more than %d messages",
				    PRIVSEP_BATCH_MSGS);
				return -1;
			}
			if (check_into(type, d + off + PRIVSEP_HDR_LEN, mlen,
			    &m, why, sizeof(why)) == -1) {
				util_seterr(err, errsz, "message %d: %s", n - 1,
				    why);
				return -1;
			}
			if (pass == 1 && handler != NULL)
				handler(arg, type, &m, mlen);
		}
	}
	return n;
}

int
privsep_start(struct privsep **psp, char *err, size_t errsz)
{
	struct privsep *ps;
	int sv[2];
	pid_t pid, parent = getpid();

	*psp = NULL;
	if ((ps = calloc(1, sizeof(*ps))) == NULL ||
	    (ps->buf = malloc(RECV_BUF_LEN)) == NULL) {
		free(ps);
		util_seterr(err, errsz, "privsep: out of memory");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		util_seterr(err, errsz, "privsep: socketpair: %s",
		    strerror(errno));
		privsep_free(ps);
		return -1;
	}
	switch ((pid = fork())) {
	case -1:
		util_seterr(err, errsz, "privsep: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		privsep_free(ps);
		return -1;
	case 0:
		close(sv[0]);
		ps->role = PRIVSEP_ROLE_SNIFFER;
		ps->fd = sv[1];
		ps->pid = 0;
		/* Never outlive the store; and it may be gone already. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		break;
	default:
		close(sv[1]);
		ps->role = PRIVSEP_ROLE_STORE;
		ps->fd = sv[0];
		ps->pid = pid;
		break;
	}
	*psp = ps;
	return ps->role;
}

enum privsep_role
privsep_role(const struct privsep *ps)
{
	return ps->role;
}

int
privsep_fd(const struct privsep *ps)
{
	return ps->fd;
}

pid_t
privsep_pid(const struct privsep *ps)
{
	return ps->pid;
}

const char *
privsep_errmsg(const struct privsep *ps)
{
	return ps->err;
}

int
privsep_flush(struct privsep *ps)
{
	ssize_t n;

	if (ps->role != PRIVSEP_ROLE_SNIFFER || ps->len == 0)
		return 0;
	do {
		n = send(ps->fd, ps->buf, ps->len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	ps->len = 0;
	ps->nmsg = 0;
	if (n == -1)
		return -1;
	return 0;
}

int
privsep_send(struct privsep *ps, uint32_t type, const void *msg, size_t len)
{
	if (ps->role != PRIVSEP_ROLE_SNIFFER ||
	    privsep_validate(type, msg, len) == -1) {
		errno = EINVAL;
		return -1;
	}
	if (ps->len + PRIVSEP_HDR_LEN + len > PRIVSEP_BATCH_BYTES &&
	    privsep_flush(ps) == -1)
		return -1;
	if (ps->len == 0)
		ps->batch_ms = util_mono_ms();
	put_u32(ps->buf + ps->len, type);
	put_u32(ps->buf + ps->len + 4, (uint32_t)len);
	memcpy(ps->buf + ps->len + PRIVSEP_HDR_LEN, msg, len);
	ps->len += PRIVSEP_HDR_LEN + len;
	if (++ps->nmsg >= PRIVSEP_BATCH_MSGS)
		return privsep_flush(ps);
	return 0;
}

int
privsep_tick(struct privsep *ps, int64_t now_ms)
{
	if (ps->len > 0 && now_ms - ps->batch_ms >= PRIVSEP_FLUSH_MS)
		return privsep_flush(ps);
	return 0;
}

int
privsep_recv(struct privsep *ps, privsep_handler *handler, void *arg)
{
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	if (ps->role != PRIVSEP_ROLE_STORE) {
		util_seterr(ps->err, sizeof(ps->err), "privsep_recv: not the"
		    " store");
		return -1;
	}
	iov.iov_base = ps->buf;
	iov.iov_len = RECV_BUF_LEN;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/*
	 * ECONNRESET: the sniffer closed its end with a request of ours
	 * unread (it stopped on a signal of its own). The kernel reports
	 * that once, before the datagrams still queued: read on to the end.
	 */
	do {
		n = recvmsg(ps->fd, &mh, 0);
	} while (n == -1 && (errno == EINTR || errno == ECONNRESET));
	if (n == -1) {
		util_seterr(ps->err, sizeof(ps->err), "privsep: read: %s",
		    strerror(errno));
		return -1;
	}
	if (n == 0)
		return 0;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		util_seterr(ps->err, sizeof(ps->err), "privsep: datagram"
		    " longer than %d bytes", PRIVSEP_BATCH_BYTES);
		return -1;
	}
	if (privsep_decode(ps->buf, (size_t)n, handler, arg, ps->err,
	    sizeof(ps->err)) == -1)
		return -1;
	return 1;
}

int
privsep_signal(struct privsep *ps, int sig)
{
	if (ps->role != PRIVSEP_ROLE_STORE || ps->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(ps->pid, sig);
}

int
privsep_control(struct privsep *ps, char what)
{
	if (ps->role != PRIVSEP_ROLE_STORE) {
		errno = EINVAL;
		return -1;
	}
	return send(ps->fd, &what, 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1 ? 0 :
	    -1;
}

/* Sniffer: drops a bundle in progress. */
static void
in_reset(struct privsep *ps)
{
	free(ps->in);
	ps->in = NULL;
	ps->inlen = ps->ingot = 0;
	ps->inready = 0;
}

static uint64_t
get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Sniffer: one datagram of a rule bundle; returns a PRIVSEP_CTL_ code. */
static int
in_part(struct privsep *ps, const uint8_t *d, size_t n)
{
	uint64_t total;

	if (d[0] == 'A') {
		in_reset(ps);
		if (n != 9)
			return PRIVSEP_CTL_RULES_BAD;
		total = get_u64(d + 1);
		if (total == 0 || total > PRIVSEP_RULES_MAX)
			return PRIVSEP_CTL_RULES_BAD;
		if ((ps->in = malloc(total)) == NULL)
			return PRIVSEP_CTL_RULES_BAD;
		ps->inlen = total;
		return 0;
	}
	/* 'B' */
	if (ps->in == NULL || ps->inready || n - 1 > ps->inlen - ps->ingot) {
		in_reset(ps);
		return PRIVSEP_CTL_RULES_BAD;
	}
	memcpy(ps->in + ps->ingot, d + 1, n - 1);
	ps->ingot += n - 1;
	if (ps->ingot < ps->inlen)
		return 0;
	ps->inready = 1;
	return PRIVSEP_CTL_RULES;
}

#define CTL_DGRAMS_PER_POLL	64	/* then back to the packets */

int
privsep_control_poll(struct privsep *ps)
{
	uint8_t d[1 + PRIVSEP_RULES_CHUNK + 1];
	ssize_t n;
	int i, rc;

	if (ps->role != PRIVSEP_ROLE_SNIFFER)
		return 0;
	for (i = 0; i < CTL_DGRAMS_PER_POLL; i++) {
		n = recv(ps->fd, d, sizeof(d), MSG_DONTWAIT);
		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR ? 0 : -1;
		if ((size_t)n > 1 + PRIVSEP_RULES_CHUNK) {
			in_reset(ps);
			return PRIVSEP_CTL_RULES_BAD;
		}
		switch (d[0]) {
		case 'A':
		case 'B':
			if ((rc = in_part(ps, d, (size_t)n)) != 0)
				return rc;
			break;
		default:
			if (n == 1)
				return d[0];
			break;		/* unknown: ignored */
		}
	}
	return 0;
}

int
privsep_rules_take(struct privsep *ps, uint8_t **bundle, size_t *len)
{
	if (ps->in == NULL || !ps->inready)
		return -1;
	*bundle = ps->in;
	*len = ps->inlen;
	ps->in = NULL;
	ps->inlen = ps->ingot = 0;
	ps->inready = 0;
	return 0;
}

int
privsep_rules_send(struct privsep *ps, const uint8_t *bundle, size_t len)
{
	uint8_t *copy;

	if (ps->role != PRIVSEP_ROLE_STORE || len == 0 ||
	    len > PRIVSEP_RULES_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((copy = malloc(len)) == NULL)
		return -1;
	memcpy(copy, bundle, len);
	if (ps->out == NULL) {
		ps->out = copy;
		ps->outlen = len;
		ps->outoff = 0;
		ps->outhdr = 0;
	} else {
		free(ps->next);
		ps->next = copy;
		ps->nextlen = len;
	}
	return 0;
}

int
privsep_out_pending(const struct privsep *ps)
{
	return ps->out != NULL;
}

int
privsep_out_flush(struct privsep *ps)
{
	uint8_t d[1 + PRIVSEP_RULES_CHUNK];
	size_t n;
	ssize_t w;
	int i;

	while (ps->out != NULL) {
		if (!ps->outhdr) {
			d[0] = 'A';
			for (i = 0; i < 8; i++)
				d[1 + i] = (uint8_t)((uint64_t)ps->outlen >>
				    (56 - 8 * i));
			n = 9;
		} else {
			n = ps->outlen - ps->outoff;
			if (n > PRIVSEP_RULES_CHUNK)
				n = PRIVSEP_RULES_CHUNK;
			d[0] = 'B';
			memcpy(d + 1, ps->out + ps->outoff, n);
			n++;
		}
		w = send(ps->fd, d, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (w == -1) {
			/* The channel is broken: nothing queued can go. */
			free(ps->out);
			free(ps->next);
			ps->out = ps->next = NULL;
			ps->outlen = ps->nextlen = 0;
			return -1;
		}
		if (!ps->outhdr)
			ps->outhdr = 1;
		else
			ps->outoff += n - 1;
		if (ps->outoff == ps->outlen) {
			free(ps->out);
			ps->out = ps->next;
			ps->outlen = ps->nextlen;
			ps->outoff = 0;
			ps->outhdr = 0;
			ps->next = NULL;
			ps->nextlen = 0;
		}
	}
	return 0;
}

int
privsep_kill(struct privsep *ps)
{
	return privsep_signal(ps, SIGKILL);
}

int
privsep_wait(struct privsep *ps, int *status)
{
	pid_t r;
	int st;

	if (ps->role != PRIVSEP_ROLE_STORE || ps->pid <= 0) {
		errno = ECHILD;
		return -1;
	}
	do {
		r = waitpid(ps->pid, &st, 0);
	} while (r == -1 && errno == EINTR);
	if (r == -1)
		return -1;
	ps->pid = 0;
	if (status != NULL)
		*status = st;
	return 0;
}

void
privsep_free(struct privsep *ps)
{
	if (ps == NULL)
		return;
	if (ps->role == PRIVSEP_ROLE_SNIFFER)
		(void)privsep_flush(ps);
	if (ps->role != 0 && ps->fd >= 0)
		close(ps->fd);
	free(ps->buf);
	free(ps->out);
	free(ps->next);
	free(ps->in);
	free(ps);
}
