/* SPDX-License-Identifier: ISC */
/*
 * test_quic.c: unit tests for dissect/quic.c: the client Initial samples
 * of RFC 9001 appendix A.2 (v1) and RFC 9369 appendix A.2 (v2), keys and
 * decrypted ClientHello; truncations and a flipped tag; CHLO parsing; and
 * one flow per nDPI QUIC capture (tests/unit/data/quic, cut by its
 * extract.sh) whose reassembled server name must equal tshark's; and
 * Version Negotiation packets told from Initials (quic_is_vn()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/quic.h"
#include "dissect/tls.h"

#define DATA_DIR	SHADOWTAP_SRCDIR "/tests/unit/data/quic"
#define STREAM_MAX	16384

static struct quic_initial qi;

static size_t
slurp(const char *name, uint8_t *buf, size_t bufsz)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, bufsz, f);
	fclose(f);
	return n;
}

static void
hex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int b;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

static void
rfc_sample(const char *file, uint32_t version, const char *key,
    const char *iv, const char *hp)
{
	uint8_t pkt[1500], k[16], v[12], h[16];
	struct quic_keyctx ctx;
	struct tls_hello th;
	size_t n, cut;

	n = slurp(file, pkt, sizeof(pkt));
	assert_int_equal(n, 1200);
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(quic_parse_client(pkt, n, &ctx, &qi), DIS_OK);
	assert_int_equal(qi.version, version);
	assert_int_equal(ctx.have, 1);
	assert_int_equal(ctx.dcid_len, 8);
	hex(key, k, 16);
	hex(iv, v, 12);
	hex(hp, h, 16);
	assert_memory_equal(ctx.key, k, 16);
	assert_memory_equal(ctx.iv, v, 12);
	assert_memory_equal(ctx.hp, h, 16);
	assert_int_equal(ctx.largest_pn, 2);	/* A.2: packet number 2 */
	assert_int_equal(qi.npackets, 1);
	assert_int_equal(qi.nfrags, 1);
	assert_int_equal(qi.frags[0].offset, 0);
	assert_int_equal(qi.frags[0].len, 241);
	assert_int_equal(tls_parse_handshake(qi.frags[0].data,
	    qi.frags[0].len, &th), DIS_OK);
	assert_string_equal(th.sni, "example.com");
	assert_int_equal(th.nciphers, 2);

	/* Same packet again: the kept context still opens it. */
	assert_int_equal(quic_parse_client(pkt, n, &ctx, &qi), DIS_OK);

	/* Every truncation fails cleanly, never reads past the end. */
	for (cut = 0; cut < n; cut += 7) {
		memset(&ctx, 0, sizeof(ctx));
		assert_int_not_equal(quic_parse_client(pkt, cut, &ctx, &qi),
		    DIS_OK);
	}

	/* A flipped tag bit: authentication fails. */
	pkt[n - 1] ^= 1;
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(quic_parse_client(pkt, n, &ctx, &qi), DIS_BAD);
}

/* RFC 9001 appendix A.1 (keys) and A.2 (the protected packet). */
static void
test_rfc9001(void **state)
{
	(void)state;
	rfc_sample("rfc9001-a2.bin", 0x00000001,
	    "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
	    "9f50449e04a0e810283a1e9933adedd2");
	assert_string_equal(quic_version_str(1), "V-1");
}

/* RFC 9369 appendix A.1 and A.2. */
static void
test_rfc9369(void **state)
{
	(void)state;
	rfc_sample("rfc9369-a2.bin", 0x6b3343cf,
	    "8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
	    "45b95e15235d6f45a6b19cbcb0294ba9");
	assert_string_equal(quic_version_str(0x6b3343cf), "V-2");
}

/* RFC 9000 17.2.1: version 0, CIDs, a list of versions. */
static void
test_vn(void **state)
{
	/* As ngtcp2 sends it (quic-forcing-vn-with-data.pcapng, frame 2). */
	static const uint8_t vn[] = { 0x80, 0, 0, 0, 0, 4, 1, 2, 3, 4, 2,
	    5, 6, 0, 0, 0, 1, 0xff, 0, 0, 0x1d };
	uint8_t b[sizeof(vn)];
	size_t cut;

	(void)state;
	assert_true(quic_is_vn(vn, sizeof(vn)));
	/* Every truncation but the one that drops a whole version fails. */
	for (cut = 0; cut < sizeof(vn); cut++)
		assert_int_equal(quic_is_vn(vn, cut), cut == 17);
	memcpy(b, vn, sizeof(b));
	b[4] = 1;			/* version 1: an Initial, not VN */
	assert_false(quic_is_vn(b, sizeof(b)));
	memcpy(b, vn, sizeof(b));
	b[0] = 0x40;			/* short header */
	assert_false(quic_is_vn(b, sizeof(b)));
	memcpy(b, vn, sizeof(b));
	b[5] = 21;			/* DCID longer than RFC 9000 allows */
	assert_false(quic_is_vn(b, sizeof(b)));
}

static void
test_notme(void **state)
{
	static const uint8_t shorthdr[] = { 0x40, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t unknown[] = { 0xc0, 0x0a, 0x1a, 0x2a, 0x3a, 0,
	    0, 0, 0 };
	struct quic_keyctx ctx;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(quic_parse_client(shorthdr, sizeof(shorthdr), &ctx,
	    &qi), DIS_NOTME);
	assert_int_equal(quic_parse_client(unknown, sizeof(unknown), &ctx,
	    &qi), DIS_NOTME);
	assert_int_equal(quic_parse_client(unknown, 0, &ctx, &qi),
	    DIS_NOTME);
	assert_int_equal(ctx.have, 0);
	assert_string_equal(quic_version_str(0xff00001d), "Draft-29");
	assert_string_equal(quic_version_str(0xfaceb002),
	    "Facebook mvfst 27");
	assert_string_equal(quic_version_str(0x51303436), "Q046");
	assert_string_equal(quic_version_str(0x54303531), "T051");
	assert_string_equal(quic_version_str(0x12345678), "Unknown");
	/* Older Google versions by their own ASCII (nDPI's quic.pcap). */
	assert_string_equal(quic_version_str(0x51303234), "Q024");
	assert_string_equal(quic_version_str(0x51303335), "Q035");
	assert_string_equal(quic_version_str(0x51303035), "Q005");
	assert_int_equal(quic_version_known(0x51303234), 1);
	/* RFC 9000 section 15: 0x?a?a?a?a forces Version Negotiation. */
	assert_int_equal(quic_version_forces_vn(0x1a2a3a4a), 1);
	assert_int_equal(quic_version_forces_vn(0xfafafafa), 1);
	assert_int_equal(quic_version_forces_vn(0x1a2a3a4b), 0);
	assert_int_equal(quic_version_forces_vn(1), 0);
	assert_int_equal(quic_version_known(0x1a2a3a4a), 0);
	assert_string_equal(quic_version_str(0x0a0a0a0a), "Forcing VN");
}

static void
test_chlo(void **state)
{
	static const uint8_t chlo[] = {
		'C', 'H', 'L', 'O', 0x02, 0x00, 0x00, 0x00,
		'S', 'N', 'I', 0x00, 0x0b, 0x00, 0x00, 0x00,
		'U', 'A', 'I', 'D', 0x0f, 0x00, 0x00, 0x00,
		'E', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
		'C', 'h', 'r', 0x01,
	};
	uint8_t bad[sizeof(chlo)];

	(void)state;
	memset(&qi, 0, sizeof(qi));
	assert_int_equal(quic_parse_chlo(chlo, sizeof(chlo), &qi), DIS_OK);
	assert_string_equal(qi.gquic_sni, "example.com");
	assert_string_equal(qi.gquic_uaid, "Chr?");
	assert_int_equal(quic_parse_chlo(chlo, sizeof(chlo) - 1, &qi),
	    DIS_MORE);
	assert_int_equal(quic_parse_chlo(chlo, 2, &qi), DIS_MORE);
	assert_int_equal(quic_parse_chlo((const uint8_t *)"SHLO", 4, &qi),
	    DIS_NOTME);
	memcpy(bad, chlo, sizeof(bad));
	bad[20] = 0x05;				/* ends go backwards */
	assert_int_equal(quic_parse_chlo(bad, sizeof(bad), &qi), DIS_BAD);
}

/*
 * Feeds one flow's client datagrams through one key context, places the
 * CRYPTO fragments at their offsets, and parses the contiguous prefix as
 * the caller will (TLS, or CHLO for gQUIC).
 */
static void
flow(char *files, const char *sni)
{
	static uint8_t stream[STREAM_MAX], have[STREAM_MAX];
	uint8_t dgram[2048];
	struct quic_keyctx ctx;
	struct tls_hello th;
	char *f, *save = NULL;
	size_t n, i, prefix;
	int gquic = 0, ok = 0;
	enum dis_result rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(have, 0, sizeof(have));
	for (f = strtok_r(files, ",", &save); f != NULL;
	    f = strtok_r(NULL, ",", &save)) {
		n = slurp(f, dgram, sizeof(dgram));
		rc = quic_parse_client(dgram, n, &ctx, &qi);
		print_message("  %s: %d %s frags %zu sni '%s'\n", f, rc,
		    quic_version_str(qi.version), qi.nfrags, qi.gquic_sni);
		if (rc != DIS_OK)
			continue;
		if (qi.is_gquic && qi.gquic_sni[0] != '\0') {
			assert_string_equal(qi.gquic_sni, sni);
			ok = 1;
		}
		gquic = qi.is_gquic;
		for (i = 0; i < qi.nfrags; i++) {
			if (qi.frags[i].offset >= STREAM_MAX ||
			    qi.frags[i].len > STREAM_MAX - qi.frags[i].offset)
				continue;
			memcpy(stream + qi.frags[i].offset, qi.frags[i].data,
			    qi.frags[i].len);
			memset(have + qi.frags[i].offset, 1, qi.frags[i].len);
		}
	}
	for (prefix = 0; prefix < STREAM_MAX && have[prefix]; prefix++)
		;
	if (!gquic) {
		assert_int_equal(tls_parse_handshake(stream, prefix, &th),
		    DIS_OK);
		assert_string_equal(th.sni, sni);
		ok = 1;
	} else if (!ok) {
		assert_int_equal(quic_parse_chlo(stream, prefix, &qi), DIS_OK);
		assert_string_equal(qi.gquic_sni, sni);
		ok = 1;
	}
	assert_true(ok);
}

static void
test_tshark(void **state)
{
	char line[2048], files[2000], sni[300];
	FILE *f;
	int count = 0;

	(void)state;
	f = fopen(DATA_DIR "/expected.tsv", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%1999s %299s", files, sni), 2);
		print_message("%s -> %s\n", files, sni);
		flow(files, sni);
		count++;
	}
	fclose(f);
	assert_true(count >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9001),
		cmocka_unit_test(test_rfc9369),
		cmocka_unit_test(test_vn),
		cmocka_unit_test(test_notme),
		cmocka_unit_test(test_chlo),
		cmocka_unit_test(test_tshark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
