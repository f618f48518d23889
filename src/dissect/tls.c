/* SPDX-License-Identifier: ISC */
/*
 * dissect/tls.c: TLS ClientHello dissector. Reads the record layer at the
 * start of a client's stream, reassembles the handshake message into a
 * bounded stack buffer when it spans records, and copies out the server
 * name, ALPN and the raw lists (GREASE included) that JA3/JA4 are built from.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/tls.h"
#include "base/hostname.h"
#include "base/rd.h"

#define TLS_RECORD_HDR_LEN	5
#define TLS_RECORD_MAX		16384	/* 2^14, RFC 8446 section 5.1 */
#define TLS_VERSION_MAJOR	3	/* SSL 3.0 .. TLS 1.3 are 3.0 .. 3.4 */
#define TLS_VERSION_MINOR_MAX	4

#define TLS_HS_HDR_LEN		4	/* msg_type, uint24 length */
#define TLS_HS_CLIENT_HELLO	1	/* RFC 8446 section 4 */
#define TLS_HS_MAX		16384	/* largest ClientHello reassembled */

#define TLS_RANDOM_LEN		32
#define TLS_SESSION_ID_MAX	32
#define TLS_SNI_HOST_NAME	0	/* RFC 6066 section 3 */

/* Bits for the extensions parsed here, to refuse duplicates. */
#define SEEN_SNI		0x01
#define SEEN_GROUPS		0x02
#define SEEN_EC_FORMATS		0x04
#define SEEN_SIG_ALGS		0x08
#define SEEN_ALPN		0x10
#define SEEN_VERSIONS		0x20
#define SEEN_ECH		0x40

static void
list_add16(uint16_t *list, size_t *n, int *truncated, uint16_t v)
{
	if (*n < TLS_MAX_LIST)
		list[(*n)++] = v;
	else
		*truncated = 1;
}

/*
 * Reads a vector of uint16 values (whole window of r) into list. Returns
 * -1 on an odd length.
 */
static int
list16(struct rd *r, uint16_t *list, size_t *n, int *truncated)
{
	if (rd_left(r) % 2 != 0)
		return -1;
	while (rd_left(r) > 0)
		list_add16(list, n, truncated, rd_be16(r));
	return rd_ok(r) ? 0 : -1;
}

/*
 * RFC 6066 section 3:
 *
 *	struct {
 *		NameType name_type;		uint8, 0 = host_name
 *		select (name_type) {
 *			case host_name: HostName;	opaque <1..2^16-1>
 *		} name;
 *	} ServerName;
 *	struct {
 *		ServerName server_name_list<1..2^16-1>
 *	} ServerNameList;
 *
 * The first host_name is kept; other name types are skipped.
 */
static int
ext_sni(struct rd *ext, struct tls_hello *out)
{
	struct rd list, name;
	const uint8_t *s;
	size_t n;
	uint8_t type;

	list = rd_sub(ext, rd_be16(ext));
	if (!rd_ok(ext) || rd_left(&list) == 0)
		return -1;
	while (rd_left(&list) > 0) {
		type = rd_u8(&list);
		name = rd_sub(&list, rd_be16(&list));
		if (!rd_ok(&list) || rd_left(&name) == 0)
			return -1;
		if (type != TLS_SNI_HOST_NAME || out->has_sni)
			continue;
		out->has_sni = 1;
		n = rd_left(&name);
		s = rd_bytes(&name, n);
		(void)hostname_norm(out->sni, sizeof(out->sni), s, n, 0);
	}
	return 0;
}

/*
 * RFC 7301 section 3.1:
 *
 *	opaque ProtocolName<1..2^8-1>;
 *	struct {
 *		ProtocolName protocol_name_list<2..2^16-1>
 *	} ProtocolNameList;
 *
 * Entries are kept in wire order. One that holds a byte outside 0x20..0x7e
 * keeps its slot but is stored as "" (so "first ALPN" stays meaningful);
 * one longer than TLS_ALPN_LEN is cut and sets truncated.
 */
static int
ext_alpn(struct rd *ext, struct tls_hello *out)
{
	struct rd list;
	const uint8_t *s;
	uint8_t n;
	size_t i, keep;
	char *dst;

	list = rd_sub(ext, rd_be16(ext));
	if (!rd_ok(ext) || rd_left(&list) == 0)
		return -1;
	while (rd_left(&list) > 0) {
		n = rd_u8(&list);
		s = rd_bytes(&list, n);
		if (s == NULL || n == 0)
			return -1;
		if (out->nalpn >= TLS_MAX_ALPN) {
			out->truncated = 1;
			continue;
		}
		if (out->nalpn == 0) {
			out->alpn0_len = n;
			out->alpn0_first = s[0];
			out->alpn0_last = s[n - 1];
		}
		dst = out->alpn[out->nalpn++];
		keep = n;
		if (keep > TLS_ALPN_LEN) {
			keep = TLS_ALPN_LEN;
			out->truncated = 1;
		}
		for (i = 0; i < keep; i++) {
			if (s[i] < 0x20 || s[i] > 0x7e)
				break;
			dst[i] = (char)s[i];
		}
		dst[i < keep ? 0 : keep] = '\0';
	}
	return 0;
}

/*
 * Extension bodies, RFC 8446 section 4.2 and the RFCs cited. Every parsed
 * extension must be consumed exactly and appear once, as servers require;
 * unknown types are only listed.
 */
static int
extension(uint16_t type, struct rd *ext, struct tls_hello *out,
    unsigned int *seen)
{
	struct rd v;
	unsigned int bit;

	switch (type) {
	case TLS_EXT_SERVER_NAME:		/* RFC 6066 section 3 */
		bit = SEEN_SNI;
		break;
	case TLS_EXT_SUPPORTED_GROUPS:		/* RFC 8446 section 4.2.7 */
		bit = SEEN_GROUPS;
		break;
	case TLS_EXT_EC_POINT_FORMATS:		/* RFC 8422 section 5.1.2 */
		bit = SEEN_EC_FORMATS;
		break;
	case TLS_EXT_SIG_ALGS:			/* RFC 8446 section 4.2.3 */
		bit = SEEN_SIG_ALGS;
		break;
	case TLS_EXT_ALPN:			/* RFC 7301 section 3.1 */
		bit = SEEN_ALPN;
		break;
	case TLS_EXT_SUPPORTED_VERSIONS:	/* RFC 8446 section 4.2.1 */
		bit = SEEN_VERSIONS;
		break;
	case TLS_EXT_ECH:	/* draft-ietf-tls-esni: flag only, opaque */
		bit = SEEN_ECH;
		break;
	default:
		return 0;
	}
	if (*seen & bit)
		return -1;
	*seen |= bit;

	switch (type) {
	case TLS_EXT_SERVER_NAME:
		/*
		 * An empty server_name is the server's echo, not a hello's;
		 * a broken one gives no name at all, even if an entry before
		 * the break looked fine.
		 */
		if (ext_sni(ext, out) == -1 || rd_left(ext) != 0) {
			out->has_sni = 0;
			out->sni[0] = '\0';
			return -1;
		}
		break;
	case TLS_EXT_SUPPORTED_GROUPS:
		v = rd_sub(ext, rd_be16(ext));
		if (!rd_ok(ext) || list16(&v, out->groups, &out->ngroups,
		    &out->truncated) == -1)
			return -1;
		break;
	case TLS_EXT_EC_POINT_FORMATS:
		v = rd_sub(ext, rd_u8(ext));
		if (!rd_ok(ext))
			return -1;
		while (rd_left(&v) > 0) {
			if (out->nec_formats < TLS_MAX_LIST)
				out->ec_formats[out->nec_formats++] =
				    rd_u8(&v);
			else {
				out->truncated = 1;
				rd_skip(&v, 1);
			}
		}
		break;
	case TLS_EXT_SIG_ALGS:
		v = rd_sub(ext, rd_be16(ext));
		if (!rd_ok(ext) || list16(&v, out->sig_algs, &out->nsig_algs,
		    &out->truncated) == -1)
			return -1;
		break;
	case TLS_EXT_ALPN:
		if (ext_alpn(ext, out) == -1)
			return -1;
		break;
	case TLS_EXT_SUPPORTED_VERSIONS:
		/* ClientHello form: ProtocolVersion versions<2..254>. */
		v = rd_sub(ext, rd_u8(ext));
		if (!rd_ok(ext) || rd_left(&v) == 0 ||
		    list16(&v, out->versions, &out->nversions,
		    &out->truncated) == -1)
			return -1;
		break;
	case TLS_EXT_ECH:
		out->ech = 1;
		rd_skip(ext, rd_left(ext));
		break;
	}
	return rd_left(ext) == 0 ? 0 : -1;
}

/*
 * ClientHello body, RFC 8446 section 4.1.2 (RFC 5246 section 7.4.1.2 is
 * the same up to the optional extensions):
 *
 *	uint16 ProtocolVersion;
 *	opaque Random[32];
 *	uint8 CipherSuite[2];
 *	struct {
 *		ProtocolVersion legacy_version = 0x0303;
 *		Random random;
 *		opaque legacy_session_id<0..32>;
 *		CipherSuite cipher_suites<2..2^16-2>;
 *		opaque legacy_compression_methods<1..2^8-1>;
 *		Extension extensions<8..2^16-1>;
 *	} ClientHello;
 *	struct {
 *		ExtensionType extension_type;	uint16
 *		opaque extension_data<0..2^16-1>;
 *	} Extension;
 */
static enum dis_result
hello_body(struct rd *b, struct tls_hello *out)
{
	struct rd v, exts, ext;
	uint16_t type;
	uint8_t sidlen;
	unsigned int seen = 0;

	out->version = rd_be16(b);
	rd_skip(b, TLS_RANDOM_LEN);
	sidlen = rd_u8(b);
	rd_skip(b, sidlen);
	if (!rd_ok(b) || sidlen > TLS_SESSION_ID_MAX)
		return DIS_BAD;
	v = rd_sub(b, rd_be16(b));
	if (!rd_ok(b) || list16(&v, out->ciphers, &out->nciphers,
	    &out->truncated) == -1)
		return DIS_BAD;
	/* Below the RFC's minimum but framed: fingerprinted as it is. */
	if (out->nciphers == 0)
		out->malformed = 1;
	v = rd_sub(b, rd_u8(b));
	if (!rd_ok(b))
		return DIS_BAD;
	if (rd_left(&v) == 0)
		out->malformed = 1;
	/* Before TLS 1.2 a hello may end here, without extensions. */
	if (rd_left(b) == 0)
		return DIS_OK;
	exts = rd_sub(b, rd_be16(b));
	if (!rd_ok(b))
		return DIS_BAD;
	while (rd_left(&exts) > 0) {
		if (rd_left(&exts) < 4) {
			/* Too few bytes for another extension: left over. */
			out->malformed = 1;
			break;
		}
		type = rd_be16(&exts);
		ext = rd_sub(&exts, rd_be16(&exts));
		if (!rd_ok(&exts))
			goto overrun;
		list_add16(out->exts, &out->nexts, &out->truncated, type);
		/*
		 * A body that breaks its own rules (an empty server_name, a
		 * repeat) is one extension's problem: the framing still
		 * holds, so the rest is read.
		 */
		if (extension(type, &ext, out, &seen) == -1)
			out->malformed = 1;
	}
	return DIS_OK;

overrun:
	/*
	 * An extension longer than the block holding it: nothing after it
	 * can be trusted. Once the server name is in hand it is kept
	 * (nDPI's tls_invalid_reads.pcap; tshark still shows it).
	 */
	if (!out->has_sni)
		return DIS_BAD;
	out->malformed = 1;
	return DIS_OK;
}

/*
 * The handshake header, RFC 8446 section 4:
 *
 *	+--------+--------+--------+--------+-----------
 *	|msg_type|      length (uint24)     | body ...
 *	+--------+--------+--------+--------+-----------
 */
enum dis_result
tls_parse_handshake(const uint8_t *p, size_t len, struct tls_hello *out)
{
	struct rd r, body;
	uint8_t type;
	uint32_t hslen;

	memset(out, 0, TLS_HELLO_LISTS);
	rd_init(&r, p, len);
	type = rd_u8(&r);
	if (!rd_ok(&r))
		return DIS_MORE;
	if (type != TLS_HS_CLIENT_HELLO)
		return DIS_NOTME;
	hslen = rd_be24(&r);
	if (!rd_ok(&r))
		return DIS_MORE;
	body = rd_sub(&r, hslen);
	if (!rd_ok(&r))
		return DIS_MORE;
	return hello_body(&body, out);
}

/*
 * The record header, RFC 8446 section 5.1:
 *
 *	+--------+--------+--------+--------+--------+-----------
 *	|  type  | legacy_record_version |     length      | fragment
 *	+--------+--------+--------+--------+--------+-----------
 *
 * Each field is judged as soon as it is there, so a stream that cannot be
 * TLS is refused from its first bytes. Anomalies in the first record mean
 * the stream is not TLS (DIS_NOTME); in a later record they make a broken
 * handshake (DIS_BAD), as RFC 8446 section 5.1 forbids interleaving other
 * record types within a handshake message.
 */
enum dis_result
tls_record_header(struct rd *r, int first, uint16_t *version, size_t *rlen)
{
	enum dis_result bad = first ? DIS_NOTME : DIS_BAD;
	uint8_t type, major, minor;
	uint16_t n;

	type = rd_u8(r);
	if (!rd_ok(r))
		return DIS_MORE;
	if (type != TLS_CT_HANDSHAKE)
		return bad;
	major = rd_u8(r);
	if (!rd_ok(r))
		return DIS_MORE;
	if (major != TLS_VERSION_MAJOR)
		return bad;
	minor = rd_u8(r);
	if (!rd_ok(r))
		return DIS_MORE;
	if (minor > TLS_VERSION_MINOR_MAX)
		return bad;
	n = rd_be16(r);
	if (!rd_ok(r))
		return DIS_MORE;
	if (n == 0 || n > TLS_RECORD_MAX)
		return bad;
	*version = (uint16_t)(major << 8 | minor);
	*rlen = n;
	return DIS_OK;
}

/*
 * Handshake messages may be fragmented over several records (RFC 8446
 * section 5.1). When the first record holds the whole ClientHello it is
 * parsed in place; otherwise the fragments are gathered into buf, which
 * bounds the message to TLS_HS_MAX bytes. A fragment cut by the end of the
 * input still counts: the hello may be complete before its record is.
 */
enum dis_result
tls_parse_client_hello(const uint8_t *p, size_t len, struct tls_hello *out)
{
	uint8_t buf[TLS_HS_HDR_LEN + TLS_HS_MAX];
	struct rd r, frag, hs, body;
	enum dis_result rc;
	uint16_t version = 0, v;
	size_t rlen, got = 0, need = 0, n;
	uint32_t hslen;
	const uint8_t *b;
	int first = 1;

	memset(out, 0, TLS_HELLO_LISTS);
	rd_init(&r, p, len);
	for (;;) {
		rc = tls_record_header(&r, first, first ? &version : &v, &rlen);
		if (rc != DIS_OK)
			return rc;
		n = rd_left(&r) < rlen ? rd_left(&r) : rlen;
		frag = rd_sub(&r, n);
		if (n == 0)
			return DIS_MORE;
		if (first) {
			/* Only the first type octet decides "not a hello". */
			hs = frag;
			if (rd_u8(&hs) != TLS_HS_CLIENT_HELLO)
				return DIS_NOTME;
			hslen = rd_be24(&hs);
			body = rd_sub(&hs, hslen);
			if (rd_ok(&hs)) {
				rc = hello_body(&body, out);
				out->record_version = version;
				return rc;
			}
		}
		first = 0;
		if (n > sizeof(buf) - got)
			n = sizeof(buf) - got;
		b = rd_bytes(&frag, n);
		if (b == NULL)
			return DIS_BAD;
		memcpy(buf + got, b, n);
		got += n;
		if (need == 0 && got >= TLS_HS_HDR_LEN) {
			rd_init(&hs, buf, got);
			rd_skip(&hs, 1);
			hslen = rd_be24(&hs);
			if (hslen > TLS_HS_MAX)
				return DIS_BAD;
			need = TLS_HS_HDR_LEN + hslen;
		}
		if (need != 0 && got >= need)
			break;
		if (rd_left(&r) == 0)
			return DIS_MORE;
	}
	rd_init(&hs, buf, need);
	rd_skip(&hs, TLS_HS_HDR_LEN);
	body = rd_rest(&hs);
	rc = hello_body(&body, out);
	out->record_version = version;
	return rc;
}

int
tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}
