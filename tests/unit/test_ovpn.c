/* SPDX-License-Identifier: ISC */
/*
 * test_ovpn.c: the TLS bytes of an OpenVPN control channel, from
 * hand-built packets: plain and tls-auth headers (the HMAC size found
 * from the first message), acknowledgements, repeats and gaps, TCP
 * framing, and headers that must not be taken for a control channel.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/ovpn.h"

/* Writes a P_CONTROL_V1 packet; returns its length. */
static size_t
control(uint8_t *b, size_t hmac, unsigned nacks, uint32_t id,
    const void *tls, size_t n)
{
	size_t o = 0, i;

	b[o++] = 4 << 3;			/* P_CONTROL_V1, key 0 */
	memset(b + o, 0xa1, 8);			/* session id */
	o += 8;
	if (hmac > 0) {
		memset(b + o, 0xee, hmac);	/* HMAC */
		o += hmac;
		memcpy(b + o, "\0\0\0\2\x66\x10\x20\x30", 8); /* pid, time */
		o += 8;
	}
	b[o++] = (uint8_t)nacks;
	for (i = 0; i < nacks; i++) {
		memcpy(b + o, "\0\0\0\0", 4);
		b[o + 3] = (uint8_t)i;
		o += 4;
	}
	if (nacks > 0) {
		memset(b + o, 0xb2, 8);		/* the peer's session id */
		o += 8;
	}
	b[o++] = (uint8_t)(id >> 24);
	b[o++] = (uint8_t)(id >> 16);
	b[o++] = (uint8_t)(id >> 8);
	b[o++] = (uint8_t)id;
	memcpy(b + o, tls, n);
	return o + n;
}

static const uint8_t part1[] = { 0x16, 0x03, 0x01, 0x00, 0x20, 0x01 };
static const uint8_t part2[] = { 0x00, 0x00, 0x1c, 0x03, 0x03, 0xaa };

static void
test_auth_sizes(void **state)
{
	static const size_t sizes[] = { 0, 16, 20, 32, 48, 64 };
	uint8_t b[256];
	struct ovpn_ctl c;
	const uint8_t *tls;
	size_t i, n, len;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ovpn_ctl_init(&c);
		len = control(b, sizes[i], 1, 1, part1, sizeof(part1));
		assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 1);
		assert_int_equal(n, sizeof(part1));
		assert_memory_equal(tls, part1, n);
		assert_int_equal(c.auth, sizes[i] ? sizes[i] + 8 : 0);
		/* The next one, with no acks this time. */
		len = control(b, sizes[i], 0, 2, part2, sizeof(part2));
		assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 1);
		assert_memory_equal(tls, part2, sizeof(part2));
	}
}

static void
test_order(void **state)
{
	uint8_t b[256];
	struct ovpn_ctl c;
	const uint8_t *tls;
	size_t n, len;

	(void)state;
	ovpn_ctl_init(&c);
	/* Not a TLS start: not taken, and the HMAC size stays unknown. */
	len = control(b, 20, 0, 1, part2, sizeof(part2));
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	assert_true(c.auth == OVPN_HMAC_UNKNOWN);
	len = control(b, 20, 0, 1, part1, sizeof(part1));
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 1);
	/* A repeat of message 1, then message 3 before 2: refused. */
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	len = control(b, 20, 0, 3, part2, sizeof(part2));
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	len = control(b, 20, 0, 2, part2, sizeof(part2));
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 1);
	/* Other opcodes: an ACK, a hard reset. */
	b[0] = 5 << 3;
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	b[0] = 7 << 3;
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	/* Too many acks for any HMAC size; cut short. */
	ovpn_ctl_init(&c);
	len = control(b, 0, 0, 1, part1, sizeof(part1));
	b[9] = 9;
	assert_int_equal(ovpn_ctl_next(&c, b, len, &tls, &n), 0);
	len = control(b, 0, 0, 1, part1, sizeof(part1));
	assert_int_equal(ovpn_ctl_next(&c, b, 12, &tls, &n), 0);
	assert_int_equal(ovpn_ctl_next(&c, b, 0, &tls, &n), 0);
}

static void
test_tcp(void **state)
{
	uint8_t s[512], pkt[128], out[64];
	size_t o = 0, len;

	(void)state;
	/* A hard reset, an ACK, then the hello in two control messages. */
	memcpy(s, "\0\x0e\x38\1\2\3\4\5\6\7\x08\0\0\0\0\0", 16);
	o = 16;
	memcpy(s + o, "\0\x16\x28", 3);
	memset(s + o + 3, 0, 21);
	o += 24;
	len = control(pkt, 0, 0, 1, part1, sizeof(part1));
	s[o++] = 0;
	s[o++] = (uint8_t)len;
	memcpy(s + o, pkt, len);
	o += len;
	len = control(pkt, 0, 1, 2, part2, sizeof(part2));
	s[o++] = 0;
	s[o++] = (uint8_t)len;
	memcpy(s + o, pkt, len);
	o += len;
	assert_int_equal(ovpn_tcp_tls(s, o, out, sizeof(out)),
	    sizeof(part1) + sizeof(part2));
	assert_memory_equal(out, part1, sizeof(part1));
	assert_memory_equal(out + sizeof(part1), part2, sizeof(part2));
	/* A packet cut by the end of the prefix is left out. */
	assert_int_equal(ovpn_tcp_tls(s, o - 1, out, sizeof(out)),
	    sizeof(part1));
	/* The output is bounded. */
	assert_int_equal(ovpn_tcp_tls(s, o, out, 4), 4);
	/* Not OpenVPN at all. */
	assert_int_equal(ovpn_tcp_tls((const uint8_t *)"GET / HTTP/1.1\r\n",
	    16, out, sizeof(out)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_sizes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
