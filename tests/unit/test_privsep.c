/* SPDX-License-Identifier: ISC */
/*
 * test_privsep.c: unit tests for privsep.c and sandbox.c: every message type
 * round-trips through a real socketpair and fork, batching holds back and
 * flushes, and every rejection path of the store-side validator fires
 * (type, length, termination, charset, enums, family, framing). The
 * sandbox tests run the sniffer sandbox in a child and check that it holds:
 * seccomp blocks what the sniffer must not do, and the report is honest.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/app.h"
#include "flow/flow.h"
#include "dissect/creds.h"
#include "privsep.h"
#include "store/relagg.h"
#include "base/record.h"
#include "sandbox.h"
#include "base/util.h"
#include "base/verdict.h"

static void
good_flow(struct flow_record *r)
{
	memset(r, 0, sizeof(*r));
	r->first_us = 1700000000000000;
	r->last_us = 1700000001000000;
	r->bytes_up = 1234;
	r->bytes_down = 56789;
	r->pkts_up = 10;
	r->pkts_down = 20;
	r->family = 4;
	r->proto = 6;
	r->app = APP_TLS;
	r->verdict = VERDICT_UNSANCTIONED;
	r->name_src = NAME_SNI;
	r->has_mac = 1;
	memcpy(r->client_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(r->client_ip, "\x0a\x00\x00\x01", 4);
	memcpy(r->server_ip, "\xa2\x7d\x01\x01", 4);
	r->client_port = 50000;
	r->server_port = 443;
	r->vlan = 4095;
	r->evidence = EVIDENCE_SNI;
	r->confidence = 100;
	strlcpy(r->country, "US", sizeof(r->country));
	r->asn = 19679;
	strlcpy(r->service, "dropbox", sizeof(r->service));
	strlcpy(r->category, "file-sharing", sizeof(r->category));
	strlcpy(r->name, "www.dropbox.com", sizeof(r->name));
	strlcpy(r->department, "Vertrieb K\xc3\xb6ln", sizeof(r->department));
	r->creds_proto = CREDS_FTP;
	strlcpy(r->creds_user, "anonymous user", sizeof(r->creds_user));
}

static void
good_device(struct device_record *d)
{
	memset(d, 0, sizeof(*d));
	d->ts_us = 1700000000000000;
	d->has_mac = 1;
	memcpy(d->mac, "\x02\x00\x00\x00\x00\x02", 6);
	d->family = 4;
	memcpy(d->ip, "\x0a\x00\x00\x02", 4);
	strlcpy(d->hostname, "laptop-42", sizeof(d->hostname));
	strlcpy(d->vendor_class, "MSFT 5.0", sizeof(d->vendor_class));
	strlcpy(d->prl, "1,3,6,15,31,33,43,44,46,47,119,121,249,252",
	    sizeof(d->prl));
}

static void
good_health(struct privsep_health *h)
{
	memset(h, 0, sizeof(*h));
	h->ts_us = 1700000000000000;
	h->interval_us = 1000000;
	h->packets = 1000;
	h->bytes = 1500000;
	h->drops = 3;
	h->decode_errors = 1;
	h->flows_active = 77;
}

static void
good_stats(struct privsep_run_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->packets = 1000000;
	s->bytes = 800000000;
	s->flows = 4242;
	s->kernel_drops = 17;
	s->if_drops = 2;
	s->decode_errors = 5;
	s->first_us = 1700000000000000;
	s->last_us = 1700000100000000;
	s->read_error = 1;
}

/* Everything the store received, in order. */
struct got {
	unsigned		 n;
	uint32_t		 types[512];
	struct flow_record	 flow;
	struct device_record	 device;
	struct privsep_health	 health;
	struct privsep_run_stats stats;
	unsigned		 nflows;
};

static void
collect(void *arg, uint32_t type, const void *msg, size_t len)
{
	struct got *g = arg;

	assert_int_equal(len, privsep_type_size(type));
	if (g->n < 512)
		g->types[g->n] = type;
	g->n++;
	switch (type) {
	case PRIVSEP_FLOW:
		memcpy(&g->flow, msg, len);
		g->nflows++;
		break;
	case PRIVSEP_DEVICE:
		memcpy(&g->device, msg, len);
		break;
	case PRIVSEP_HEALTH:
		memcpy(&g->health, msg, len);
		break;
	case PRIVSEP_RUN_STATS:
		memcpy(&g->stats, msg, len);
		break;
	}
}

/* Reads until the sniffer closes; returns the last privsep_recv() value. */
static int
drain(struct privsep *ps, struct got *g, unsigned *ndgrams)
{
	int rc;

	*ndgrams = 0;
	while ((rc = privsep_recv(ps, collect, g)) == 1)
		(*ndgrams)++;
	return rc;
}

static void
child_exit_ok(struct privsep *ps)
{
	int status;

	assert_int_equal(privsep_wait(ps, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_roundtrip(void **state)
{
	struct flow_record f;
	struct device_record d;
	struct privsep_health h;
	struct privsep_run_stats s;
	struct privsep *ps;
	struct got *g;
	unsigned nd;
	char err[160];
	int role;

	(void)state;
	good_flow(&f);
	good_device(&d);
	good_health(&h);
	good_stats(&s);
	fflush(NULL);
	role = privsep_start(&ps, err, sizeof(err));
	assert_int_not_equal(role, -1);
	if (role == PRIVSEP_ROLE_SNIFFER) {
		int bad = privsep_send(ps, PRIVSEP_FLOW, &f, sizeof(f)) ||
		    privsep_send(ps, PRIVSEP_DEVICE, &d, sizeof(d)) ||
		    privsep_send(ps, PRIVSEP_HEALTH, &h, sizeof(h)) ||
		    privsep_send(ps, PRIVSEP_RUN_STATS, &s, sizeof(s));
		privsep_free(ps);
		_exit(bad ? 1 : 0);
	}
	assert_int_equal(role, PRIVSEP_ROLE_STORE);
	assert_true(privsep_pid(ps) > 0);
	g = calloc(1, sizeof(*g));
	assert_non_null(g);
	assert_int_equal(drain(ps, g, &nd), 0);
	assert_int_equal(nd, 1);	/* four small messages, one write */
	assert_int_equal(g->n, 4);
	assert_int_equal(g->types[0], PRIVSEP_FLOW);
	assert_int_equal(g->types[1], PRIVSEP_DEVICE);
	assert_int_equal(g->types[2], PRIVSEP_HEALTH);
	assert_int_equal(g->types[3], PRIVSEP_RUN_STATS);
	assert_memory_equal(&g->flow, &f, sizeof(f));
	assert_memory_equal(&g->device, &d, sizeof(d));
	assert_memory_equal(&g->health, &h, sizeof(h));
	assert_memory_equal(&g->stats, &s, sizeof(s));
	child_exit_ok(ps);
	privsep_free(ps);
	free(g);
}

/* A deterministic "bundle" of n bytes, distinct per seed. */
static uint8_t *
pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed + (i >> 8));
	return p;
}

/* Sniffer: polls until a control code other than 0 arrives (5 s max). */
static int
next_control(struct privsep *ps)
{
	int i, c;

	for (i = 0; i < 5000; i++) {
		if ((c = privsep_control_poll(ps)) != 0)
			return c;
		usleep(1000);
	}
	return 0;
}

/* Sniffer: the next control must be a bundle equal to pattern(n, seed). */
static int
expect_bundle(struct privsep *ps, size_t n, unsigned seed)
{
	uint8_t *b, *want;
	size_t len;
	int ok;

	if (next_control(ps) != PRIVSEP_CTL_RULES ||
	    privsep_rules_take(ps, &b, &len) == -1)
		return 0;
	want = pattern(n, seed);
	ok = len == n && memcmp(b, want, n) == 0 &&
	    privsep_rules_take(ps, &b, &len) == -1;	/* taken once */
	free(want);
	free(b);
	return ok;
}

/* Store: sends what is queued, waiting on POLLOUT as the capture does. */
static void
flush_all(struct privsep *ps)
{
	struct pollfd pfd;
	int rc;

	while ((rc = privsep_out_flush(ps)) == 1) {
		pfd.fd = privsep_fd(ps);
		pfd.events = POLLOUT;
		assert_true(poll(&pfd, 1, 5000) == 1);
	}
	assert_int_equal(rc, 0);
	assert_false(privsep_out_pending(ps));
}

/*
 * A reload: bundles far bigger than the socket buffer reach the sniffer
 * whole and in order, between control requests; a second bundle queued
 * while one is on its way follows it, a third replaces the second; and a
 * chunk out of place is reported, not taken.
 */
static void
test_rules_transfer(void **state)
{
	const size_t big = 3 * 1024 * 1024 + 7, small = 1000;
	struct privsep *ps;
	uint8_t *b1, *b2, *b3;
	char err[160];
	int role;

	(void)state;
	fflush(NULL);
	role = privsep_start(&ps, err, sizeof(err));
	assert_int_not_equal(role, -1);
	if (role == PRIVSEP_ROLE_SNIFFER) {
		uint8_t *b;
		size_t len;

		if (privsep_rules_take(ps, &b, &len) != -1)
			_exit(1);
		if (!expect_bundle(ps, big, 1))
			_exit(2);
		if (next_control(ps) != PRIVSEP_CTL_STATS)
			_exit(3);
		if (!expect_bundle(ps, big, 1))		/* the one in flight */
			_exit(4);
		if (!expect_bundle(ps, small, 3))	/* replaced the 2nd */
			_exit(5);
		if (next_control(ps) != PRIVSEP_CTL_RULES_BAD)
			_exit(6);
		if (next_control(ps) != PRIVSEP_CTL_STOP)
			_exit(7);
		privsep_free(ps);
		_exit(0);
	}
	b1 = pattern(big, 1);
	b2 = pattern(small, 2);
	b3 = pattern(small, 3);
	assert_int_equal(privsep_rules_send(ps, b1, 0), -1);
	assert_int_equal(privsep_rules_send(ps, b1, big), 0);
	assert_true(privsep_out_pending(ps));
	flush_all(ps);
	assert_int_equal(privsep_control(ps, PRIVSEP_CTL_STATS), 0);
	/* Start one, queue two more behind it: the last queued wins. */
	assert_int_equal(privsep_rules_send(ps, b1, big), 0);
	(void)privsep_out_flush(ps);
	assert_int_equal(privsep_rules_send(ps, b2, small), 0);
	assert_int_equal(privsep_rules_send(ps, b3, small), 0);
	flush_all(ps);
	/* A chunk with no announcement before it. */
	assert_int_equal(send(privsep_fd(ps), "Bxyz", 4, 0), 4);
	assert_int_equal(privsep_control(ps, PRIVSEP_CTL_STOP), 0);
	child_exit_ok(ps);
	privsep_free(ps);
	free(b1);
	free(b2);
	free(b3);
}

/* 200 flows: full batches of PRIVSEP_BATCH_MSGS, then the rest on free. */
static void
test_batching(void **state)
{
	struct flow_record f;
	struct privsep *ps;
	struct got *g;
	unsigned nd, i;
	char err[160];
	int role;

	(void)state;
	good_flow(&f);
	fflush(NULL);
	role = privsep_start(&ps, err, sizeof(err));
	assert_int_not_equal(role, -1);
	if (role == PRIVSEP_ROLE_SNIFFER) {
		int bad = 0;

		for (i = 0; i < 200; i++) {
			f.pkts_up = i;
			bad |= privsep_send(ps, PRIVSEP_FLOW, &f, sizeof(f));
		}
		/* A bad record is refused at the sender, not sent. */
		f.family = 5;
		if (privsep_send(ps, PRIVSEP_FLOW, &f, sizeof(f)) != -1 ||
		    errno != EINVAL)
			bad = 1;
		/* tick() keeps a young batch and flushes an old one. */
		bad |= privsep_tick(ps, INT64_MIN / 2);
		bad |= privsep_tick(ps, INT64_MAX / 2);
		privsep_free(ps);
		_exit(bad ? 1 : 0);
	}
	g = calloc(1, sizeof(*g));
	assert_non_null(g);
	assert_int_equal(drain(ps, g, &nd), 0);
	assert_int_equal(g->nflows, 200);
	assert_int_equal(g->flow.pkts_up, 199);
	assert_int_equal(nd, (200 + PRIVSEP_BATCH_MSGS - 1) /
	    PRIVSEP_BATCH_MSGS);
	child_exit_ok(ps);
	privsep_free(ps);
	free(g);
}

/* A hostile sniffer writes raw datagrams; the store must refuse them. */
static int
recv_raw(const void *dgram, size_t len, char *err, size_t errsz)
{
	struct privsep *ps;
	struct got g;
	char e[160];
	int role, rc, status;

	fflush(NULL);
	role = privsep_start(&ps, e, sizeof(e));
	assert_int_not_equal(role, -1);
	if (role == PRIVSEP_ROLE_SNIFFER) {
		ssize_t n = send(privsep_fd(ps), dgram, len, MSG_NOSIGNAL);

		_exit(n == (ssize_t)len ? 0 : 1);
	}
	memset(&g, 0, sizeof(g));
	rc = privsep_recv(ps, collect, &g);
	if (rc == -1) {
		strlcpy(err, privsep_errmsg(ps), errsz);
		assert_int_equal(g.n, 0);	/* nothing of it handled */
		(void)privsep_kill(ps);
	}
	assert_int_equal(privsep_wait(ps, &status), 0);
	privsep_free(ps);
	return rc;
}

static size_t
frame(uint8_t *buf, uint32_t type, const void *p, uint32_t len)
{
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &len, 4);
	memcpy(buf + 8, p, len);
	return 8 + (size_t)len;
}

static void
test_recv_rejects(void **state)
{
	static uint8_t buf[PRIVSEP_BATCH_BYTES * 2];
	struct flow_record f;
	char err[160];
	size_t n;
	int i;

	(void)state;
	good_flow(&f);
	/* Second message bad: the first must not be handled either. */
	n = frame(buf, PRIVSEP_FLOW, &f, sizeof(f));
	f.family = 0;
	n += frame(buf + n, PRIVSEP_FLOW, &f, sizeof(f));
	assert_int_equal(recv_raw(buf, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "message 1: family"));

	/* Longer than any valid datagram: truncated, refused. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(recv_raw(buf, PRIVSEP_BATCH_BYTES + 100, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "longer"));

	/* Too many messages in one datagram. */
	{
		struct privsep_health h;

		good_health(&h);
		for (n = 0, i = 0; i <= PRIVSEP_BATCH_MSGS; i++)
			n += frame(buf + n, PRIVSEP_HEALTH, &h, sizeof(h));
		assert_int_equal(recv_raw(buf, n, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "more than"));
	}
}

static void
test_decode_framing(void **state)
{
	uint8_t buf[2048];
	struct privsep_health h;
	struct got g;
	char err[160];
	size_t n;
	uint32_t v;

	(void)state;
	good_health(&h);
	memset(&g, 0, sizeof(g));
	n = frame(buf, PRIVSEP_HEALTH, &h, sizeof(h));
	n += frame(buf + n, PRIVSEP_HEALTH, &h, sizeof(h));
	assert_int_equal(privsep_decode(buf, n, collect, &g, err,
	    sizeof(err)), 2);
	assert_int_equal(g.n, 2);

	assert_int_equal(privsep_decode(buf, 0, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	/* A partial header after a good message. */
	assert_int_equal(privsep_decode(buf, 8 + sizeof(h) + 5, NULL, NULL,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "shorter than a header"));
	/* A length that runs past the datagram. */
	assert_int_equal(privsep_decode(buf, n - 1, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "runs past"));
	/* A huge length (no overflow in the bounds check). */
	v = UINT32_MAX;
	memcpy(buf + 4, &v, 4);
	assert_int_equal(privsep_decode(buf, n, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "runs past"));
	/* Framed length fits the datagram but not the type. */
	n = frame(buf, PRIVSEP_HEALTH, &h, sizeof(h) - 8);
	assert_int_equal(privsep_decode(buf, n, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "length"));
	/* Unknown type. */
	n = frame(buf, 99, &h, sizeof(h));
	assert_int_equal(privsep_decode(buf, n, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown message type 99"));
}

/* Asserts that privsep_check() refuses and the reason names `want`. */
#define REJECT(type, p, len, want) do {					\
	char why_[160];							\
	assert_int_equal(privsep_check((type), (p), (len), why_,	\
	    sizeof(why_)), -1);						\
	if (strstr(why_, (want)) == NULL)				\
		fail_msg("expected \"%s\" in \"%s\"", (want), why_);	\
	assert_int_equal(privsep_validate((type), (p), (len)), -1);	\
} while (0)

static void
test_validate_types_lengths(void **state)
{
	union {
		struct flow_record	f;
		struct device_record	d;
		uint8_t			raw[4096];
	} u;
	uint32_t t;

	(void)state;
	memset(&u, 0, sizeof(u));
	good_flow(&u.f);
	assert_int_equal(privsep_validate(PRIVSEP_FLOW, &u.f,
	    sizeof(u.f)), 0);
	REJECT(0, &u.f, sizeof(u.f), "unknown message type 0");
	REJECT(PRIVSEP_TYPE_MAX, &u.f, sizeof(u.f), "unknown");
	REJECT(UINT32_MAX, &u.f, sizeof(u.f), "unknown");
	REJECT(PRIVSEP_FLOW, &u.f, sizeof(u.f) - 1, "length");
	REJECT(PRIVSEP_FLOW, &u.f, sizeof(u.f) + 1, "length");
	REJECT(PRIVSEP_FLOW, &u.f, 0, "length");
	REJECT(PRIVSEP_FLOW, NULL, sizeof(u.f), "length");
	for (t = PRIVSEP_FLOW; t < PRIVSEP_TYPE_MAX; t++) {
		REJECT(t, u.raw, privsep_type_size(t) - 1, "length");
		REJECT(t, u.raw, privsep_type_size(t) + 1, "length");
		assert_string_not_equal(privsep_type_name(t), "unknown");
	}
	assert_int_equal(privsep_type_size(PRIVSEP_TYPE_MAX), 0);
}

static void
test_validate_flow(void **state)
{
	struct flow_record f;

	(void)state;
#define BAD(stmt, want) do { good_flow(&f); stmt; \
	REJECT(PRIVSEP_FLOW, &f, sizeof(f), want); } while (0)
	good_flow(&f);
	f.family = 6;
	f.proto = 17;
	f.country[0] = '\0';
	f.verdict = VERDICT_NONE;
	f.service[0] = f.category[0] = '\0';
	f.creds_proto = CREDS_NONE;
	f.creds_user[0] = '\0';
	f.client_port = f.server_port = 0;	/* hostile, but honest */
	f.first_us = 5;
	f.last_us = 4;				/* clock jumps are not errors */
	assert_int_equal(privsep_validate(PRIVSEP_FLOW, &f, sizeof(f)), 0);

	BAD(f.family = 0, "family");
	BAD(f.family = 5, "family");
	BAD(f.family = 255, "family");
	BAD(f.proto = 1, "proto");
	BAD(f.app = APP_MAX, "app");
	BAD(f.verdict = VERDICT_UNSANCTIONED + 1, "verdict");
	BAD(f.name_src = NAME_SRC_MAX, "name_src");
	BAD(f.has_mac = 2, "has_mac");
	BAD(f.vlan = 4096, "vlan");
	BAD(f.evidence = EVIDENCE_MAX, "evidence");
	BAD(f.confidence = 101, "confidence");
	BAD(f.creds_proto = CREDS_HTTP_BASIC + 1, "creds_proto");
	/* Unterminated strings, one per field. */
	BAD(memset(f.country, 'A', sizeof(f.country)), "country: not NUL");
	BAD(memset(f.service, 'a', sizeof(f.service)), "service: not NUL");
	BAD(memset(f.category, 'a', sizeof(f.category)), "category: not");
	BAD(memset(f.name, 'a', sizeof(f.name)), "name: not NUL");
	BAD(memset(f.domain, 'a', sizeof(f.domain)), "domain: not NUL");
	BAD(memset(f.department, 'a', sizeof(f.department)), "department:");
	BAD(memset(f.creds_user, 'a', sizeof(f.creds_user)), "creds_user:");
	/* Bytes outside each field's set. */
	BAD(f.name[3] = ' ', "name: byte 0x20 at 3");
	BAD(f.name[0] = 0x7f, "name: byte 0x7f");
	BAD(f.name[1] = (char)0x80, "name: byte 0x80");
	BAD(f.name[2] = '\n', "name: byte 0x0a");
	BAD(f.domain[0] = 0x1b, "domain: byte 0x1b");
	BAD(f.service[0] = ' ', "service: byte");
	BAD(f.category[1] = (char)0xff, "category: byte");
	BAD(f.country[1] = '1', "country: byte");
	BAD(f.country[1] = '\0', "country: not two letters");
	BAD(f.department[0] = '\t', "department: byte 0x09");
	BAD(f.department[0] = 0x7f, "department: byte 0x7f");
	BAD(f.creds_user[0] = (char)0xc3, "creds_user: byte 0xc3");
	BAD(f.creds_user[0] = '\r', "creds_user: byte 0x0d");
	/* Fields that only make sense together. */
	BAD((f.creds_proto = CREDS_NONE), "creds_user: set without");
	BAD(f.service[0] = '\0', "verdict: set without a service");
	BAD(f.piece = 0x04, "piece: unknown flags 0x04");
	BAD(f.piece = 0x80 | FLOW_PIECE_MORE, "piece: unknown flags 0x81");
	good_flow(&f);
	f.piece = FLOW_PIECE_MORE;
	assert_int_equal(privsep_validate(PRIVSEP_FLOW, &f, sizeof(f)), 0);
	f.piece = FLOW_PIECE_MORE | FLOW_PIECE_CONT;
	assert_int_equal(privsep_validate(PRIVSEP_FLOW, &f, sizeof(f)), 0);
	f.piece = FLOW_PIECE_CONT;
	assert_int_equal(privsep_validate(PRIVSEP_FLOW, &f, sizeof(f)), 0);
#undef BAD
}

static void
test_validate_others(void **state)
{
	struct device_record d;
	struct privsep_health h;
	struct privsep_run_stats s;

	(void)state;
	good_device(&d);
	assert_int_equal(privsep_validate(PRIVSEP_DEVICE, &d, sizeof(d)), 0);
	d.family = 0;
	d.has_mac = 0;
	d.hostname[0] = d.vendor_class[0] = d.prl[0] = '\0';
	assert_int_equal(privsep_validate(PRIVSEP_DEVICE, &d, sizeof(d)), 0);
#define BAD(stmt, want) do { good_device(&d); stmt; \
	REJECT(PRIVSEP_DEVICE, &d, sizeof(d), want); } while (0)
	BAD(d.family = 5, "family");
	BAD(d.has_mac = 7, "has_mac");
	BAD(memset(d.hostname, 'a', sizeof(d.hostname)), "hostname: not");
	BAD(memset(d.vendor_class, 'a', sizeof(d.vendor_class)),
	    "vendor_class: not");
	BAD(memset(d.prl, '1', sizeof(d.prl)), "prl: not NUL");
	BAD(d.hostname[0] = ' ', "hostname: byte 0x20");
	BAD(d.vendor_class[0] = 0x01, "vendor_class: byte 0x01");
	BAD(d.prl[1] = ';', "prl: byte 0x3b");
	BAD(d.prl[0] = ' ', "prl: byte 0x20");
#undef BAD

	good_health(&h);
	assert_int_equal(privsep_validate(PRIVSEP_HEALTH, &h, sizeof(h)), 0);
	h.interval_us = 0;
	REJECT(PRIVSEP_HEALTH, &h, sizeof(h), "interval_us");
	h.interval_us = -1;
	REJECT(PRIVSEP_HEALTH, &h, sizeof(h), "interval_us");

	good_stats(&s);
	assert_int_equal(privsep_validate(PRIVSEP_RUN_STATS, &s, sizeof(s)),
	    0);
	s.read_error = 2;
	REJECT(PRIVSEP_RUN_STATS, &s, sizeof(s), "read_error");
	good_stats(&s);
	s.pad[6] = 1;
	REJECT(PRIVSEP_RUN_STATS, &s, sizeof(s), "pad");
	good_stats(&s);
	s.first_us = s.last_us + 1;
	REJECT(PRIVSEP_RUN_STATS, &s, sizeof(s), "first_us");
}

/*
 * The sniffer sandbox in a child: it must report success (as root it
 * changes user and chroots; otherwise the report says so and it still
 * counts), send through the socket, and be killed by seccomp with
 * SANDBOX_SECCOMP_EXIT when it calls something off the list (kill(2)).
 */
static void
test_sandbox_sniffer(void **state)
{
	struct sandbox_opts so;
	struct privsep_health h;
	struct privsep *ps;
	struct got g;
	unsigned nd;
	char err[160];
	int role, status;

	(void)state;
	memset(&so, 0, sizeof(so));
	so.user = geteuid() == 0 ? "nobody" : NULL;
	good_health(&h);
	fflush(NULL);
	role = privsep_start(&ps, err, sizeof(err));
	assert_int_not_equal(role, -1);
	if (role == PRIVSEP_ROLE_SNIFFER) {
		struct sandbox_report rep;
		int fd;

		if (sandbox_sniffer(&so, &rep) == -1)
			_exit(10);
		if (!rep.no_new_privs || !rep.seccomp || !rep.caps_dropped)
			_exit(11);
		if (geteuid() == 0 || (so.user != NULL && !rep.chrooted))
			_exit(12);
		if (so.user == NULL &&
		    strstr(rep.summary, "not root") == NULL)
			_exit(13);
		/* Refused with EACCES, not killed: open(2). */
		fd = open("/etc/passwd", O_RDONLY);
		if (fd != -1 || errno != EACCES)
			_exit(14);
		if (privsep_send(ps, PRIVSEP_HEALTH, &h, sizeof(h)) == -1 ||
		    privsep_flush(ps) == -1)
			_exit(15);
		/* Off the list: the filter traps and the process ends. */
		(void)kill(getppid(), 0);
		_exit(16);
	}
	memset(&g, 0, sizeof(g));
	assert_int_equal(drain(ps, &g, &nd), 0);
	assert_int_equal(privsep_wait(ps, &status), 0);
	if (!WIFEXITED(status))
		fail_msg("sniffer did not exit: status 0x%x", status);
	if (WEXITSTATUS(status) != SANDBOX_SECCOMP_EXIT)
		fail_msg("sniffer exited %d, expected %d",
		    WEXITSTATUS(status), SANDBOX_SECCOMP_EXIT);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.types[0], PRIVSEP_HEALTH);
	privsep_free(ps);
}

/* The store sandbox: no exec, no network sockets; files still work. */
static void
test_sandbox_store(void **state)
{
	struct sandbox_opts so;
	pid_t pid;
	int status;

	(void)state;
	memset(&so, 0, sizeof(so));
	so.user = geteuid() == 0 ? "nobody" : NULL;
	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct sandbox_report rep;
		char *const argv[] = { (char *)"/bin/true", NULL };
		int fd;

		if (sandbox_store(&so, &rep) == -1)
			_exit(10);
		if (!rep.seccomp || !rep.no_new_privs || !rep.caps_dropped)
			_exit(11);
		if (execv(argv[0], argv) != -1 || errno != EPERM)
			_exit(12);
		if (socket(AF_INET, SOCK_DGRAM, 0) != -1 || errno != EPERM)
			_exit(13);
		if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
			_exit(14);
		close(fd);
		if ((fd = open("/dev/null", O_RDWR)) == -1)
			_exit(15);
		close(fd);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The store sandbox with -d postgresql:// (store_net): TCP sockets of
 * either family for libpq, still no exec and no other socket family.
 */
static void
test_sandbox_store_net(void **state)
{
	struct sandbox_opts so;
	pid_t pid;
	int status;

	(void)state;
	memset(&so, 0, sizeof(so));
	so.user = geteuid() == 0 ? "nobody" : NULL;
	so.store_net = 1;
	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct sandbox_report rep;
		char *const argv[] = { (char *)"/bin/true", NULL };
		int fd;

		if (sandbox_store(&so, &rep) == -1)
			_exit(10);
		if (!rep.seccomp || strstr(rep.summary, "+inet") == NULL)
			_exit(11);
		if (execv(argv[0], argv) != -1 || errno != EPERM)
			_exit(12);
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			_exit(13);
		close(fd);
		if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1 &&
		    errno == EPERM)
			_exit(14);
		if (fd != -1)
			close(fd);
		if (socket(AF_NETLINK, SOCK_RAW, 0) != -1 || errno != EPERM)
			_exit(15);
		if (socket(AF_PACKET, SOCK_RAW, 0) != -1 || errno != EPERM)
			_exit(16);
		if (socket(AF_INET6 + 1, SOCK_STREAM, 0) != -1 ||
		    errno != EPERM)
			_exit(17);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* An unknown user fails closed, and --no-sandbox only reports it. */
static void
test_sandbox_fail_closed(void **state)
{
	struct sandbox_opts so;
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0)
		skip();
	memset(&so, 0, sizeof(so));
	so.user = "no-such-user-shadowtap-test";
	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct sandbox_report rep;

		if (sandbox_sniffer(&so, &rep) != -1)
			_exit(1);
		if (strstr(rep.err, "unknown user") == NULL ||
		    strstr(rep.summary, "incomplete") == NULL)
			_exit(2);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	so.allow_unsandboxed = 1;
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct sandbox_report rep;

		/* --no-sandbox: the failure is reported, the run goes on. */
		_exit(sandbox_sniffer(&so, &rep) == 0 && !rep.complete ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Network-health events: every rejection path of record_rel_check(). */
static void
test_validate_rel(void **state)
{
	struct rel_event e, g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.ts_us = 1767625200000000LL;
	g.rtt_ms = 12;
	g.kind = REL_EV_DNS_ANSWERED;
	g.family = 4;
	g.has_mac = 1;
	g.vlan = 20;
	g.ip[0] = 10;
	strlcpy(g.department, "Floor 2 \xc3\xa9", sizeof(g.department));
	g.hs_server_us = 20000;
	g.hs_client_us = 900;
	assert_int_equal(privsep_validate(PRIVSEP_REL, &g, sizeof(g)), 0);
	e = g;
	e.family = 0;
	e.kind = REL_EV_DHCP_DISCOVER;
	assert_int_equal(privsep_validate(PRIVSEP_REL, &e, sizeof(e)), 0);
	REJECT(PRIVSEP_REL, &g, sizeof(g) - 1, "length");
	e = g;
	e.kind = 0;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "kind");
	e.kind = REL_EV_MAX;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "kind");
	e = g;
	e.family = 5;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "family");
	e = g;
	e.has_mac = 2;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "has_mac");
	e = g;
	e.pad0 = 1;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "padding");
	e = g;
	e.pad1 = 1;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "padding");
	e = g;
	e.vlan = 4096;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "VLAN");
	e = g;
	e.rtt_ms = -2;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "response time");
	e.rtt_ms = 3600001;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "response time");
	e = g;
	e.hs_server_us = -2;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "handshake");
	e = g;
	e.hs_client_us = 60000001;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "handshake");
	e = g;
	memset(e.department, 'x', sizeof(e.department));
	REJECT(PRIVSEP_REL, &e, sizeof(e), "terminated");
	e = g;
	e.department[2] = '\n';
	REJECT(PRIVSEP_REL, &e, sizeof(e), "control");
	e.department[2] = 0x7f;
	REJECT(PRIVSEP_REL, &e, sizeof(e), "control");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_batching),
		cmocka_unit_test(test_recv_rejects),
		cmocka_unit_test(test_decode_framing),
		cmocka_unit_test(test_validate_types_lengths),
		cmocka_unit_test(test_validate_flow),
		cmocka_unit_test(test_validate_others),
		cmocka_unit_test(test_rules_transfer),
		cmocka_unit_test(test_validate_rel),
		cmocka_unit_test(test_sandbox_sniffer),
		cmocka_unit_test(test_sandbox_store),
		cmocka_unit_test(test_sandbox_store_net),
		cmocka_unit_test(test_sandbox_fail_closed),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
