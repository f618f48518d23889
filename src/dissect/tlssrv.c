/* SPDX-License-Identifier: ISC */
/*
 * dissect/tlssrv.c: the server side of a TLS handshake. Gathers the
 * handshake bytes of the server's first records into a bounded stack
 * buffer, reads the ServerHello, and for TLS 1.2 and earlier hands the
 * leaf certificate to libcrypto as soon as its bytes are complete (the
 * rest of the chain is not needed), copying out names and organisations.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "dissect/tls.h"
#include "dissect/tlssrv.h"
#include "base/hostname.h"
#include "base/rd.h"

#define TLS_VERSION_13		0x0304
#define TLS_VERSION_13_DRAFT	0x7f00	/* 0x7fNN: draft NN of RFC 8446 */
#define TLS_VERSION_13_FB	0xfb00	/* 0xfbNN: Facebook's Fizz drafts */
#define TLS_VERSION_HI_MASK	0xff00

#define TLS_HS_SERVER_HELLO	2	/* RFC 8446 section 4 */
#define TLS_HS_CERTIFICATE	11
#define TLS_RANDOM_LEN		32
#define TLS_SESSION_ID_MAX	32
#define TLS_EXT_ALPN		0x0010	/* RFC 7301 */
#define TLS_EXT_SUPPORTED_VERSIONS 0x002b /* RFC 8446 section 4.2.1 */
#define SEEN_ALPN		0x01
#define SEEN_VERSIONS		0x02

/*
 * Copies an ALPN protocol name, RFC 7301 section 3.1: the server's list
 * holds exactly one name. Not printable ASCII, or too long: stored as "".
 */
static int
ext_alpn(struct rd *ext, struct tls_server *out)
{
	struct rd list;
	const uint8_t *s;
	uint8_t n;
	size_t i;

	list = rd_sub(ext, rd_be16(ext));
	n = rd_u8(&list);
	s = rd_bytes(&list, n);
	if (!rd_ok(ext) || s == NULL || n == 0 || rd_left(&list) != 0)
		return -1;
	if (n >= sizeof(out->alpn))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
		out->alpn[i] = (char)s[i];
	}
	out->alpn[n] = '\0';
	return 0;
}

/*
 * ServerHello body, RFC 5246 section 7.4.1.3 and RFC 8446 section 4.1.3:
 *
 *	struct {
 *		ProtocolVersion legacy_version;		uint16
 *		Random random;				opaque[32]
 *		opaque legacy_session_id_echo<0..32>;
 *		CipherSuite cipher_suite;		uint8[2]
 *		uint8 legacy_compression_method;
 *		Extension extensions<6..2^16-1>;	optional before 1.3
 *	} ServerHello;
 *
 * supported_versions in a ServerHello is a single selected_version.
 */
static enum dis_result
hello_body(struct rd *b, struct tls_server *out)
{
	struct rd exts, ext;
	unsigned int seen = 0, bit;
	uint16_t type;
	uint8_t sidlen;

	out->legacy_version = rd_be16(b);
	rd_skip(b, TLS_RANDOM_LEN);
	sidlen = rd_u8(b);
	rd_skip(b, sidlen);
	out->cipher = rd_be16(b);
	rd_skip(b, 1);				/* compression method */
	if (!rd_ok(b) || sidlen > TLS_SESSION_ID_MAX)
		return DIS_BAD;
	out->version = out->legacy_version;
	if (rd_left(b) > 0) {
		exts = rd_sub(b, rd_be16(b));
		if (!rd_ok(b) || rd_left(b) != 0)
			return DIS_BAD;
		while (rd_left(&exts) > 0) {
			type = rd_be16(&exts);
			ext = rd_sub(&exts, rd_be16(&exts));
			if (!rd_ok(&exts))
				return DIS_BAD;
			if (type == TLS_EXT_SUPPORTED_VERSIONS)
				bit = SEEN_VERSIONS;
			else if (type == TLS_EXT_ALPN)
				bit = SEEN_ALPN;
			else
				continue;
			if (seen & bit)
				return DIS_BAD;
			seen |= bit;
			if (bit == SEEN_VERSIONS)
				out->version = rd_be16(&ext);
			else if (ext_alpn(&ext, out) == -1)
				return DIS_BAD;
			if (!rd_ok(&ext) || rd_left(&ext) != 0)
				return DIS_BAD;
		}
	}
	out->tls13 = out->version == TLS_VERSION_13 ||
	    (out->version & TLS_VERSION_HI_MASK) == TLS_VERSION_13_DRAFT ||
	    (out->version & TLS_VERSION_HI_MASK) == TLS_VERSION_13_FB;
	return DIS_OK;
}

/*
 * Copies UTF-8 text: bytes below 0x20 and 0x7f become '?'; cut to dstsz - 1
 * bytes at a character boundary, setting *truncated.
 */
static void
copy_text(char *dst, size_t dstsz, const uint8_t *s, size_t n,
    int *truncated)
{
	size_t i;

	if (n > dstsz - 1) {
		n = dstsz - 1;
		while (n > 0 && (s[n] & 0xc0) == 0x80)
			n--;
		*truncated = 1;
	}
	for (i = 0; i < n; i++)
		dst[i] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
	dst[n] = '\0';
}

/* The last attribute nid of name, as UTF-8 text into dst ("" if none). */
static void
name_attr(const X509_NAME *name, int nid, char *dst, size_t dstsz,
    int *truncated)
{
	const X509_NAME_ENTRY *e;
	unsigned char *utf = NULL;
	int i, last = -1, n;

	dst[0] = '\0';
	if (name == NULL)
		return;
	while ((i = X509_NAME_get_index_by_NID(name, nid, last)) >= 0)
		last = i;
	if (last < 0 || (e = X509_NAME_get_entry(name, last)) == NULL)
		return;
	n = ASN1_STRING_to_UTF8(&utf, X509_NAME_ENTRY_get_data(e));
	if (n > 0)
		copy_text(dst, dstsz, utf, (size_t)n, truncated);
	OPENSSL_free(utf);
}

/* Adds a normalised name unless it is a duplicate; counts the refused. */
static void
add_name(struct tls_server *out, const uint8_t *s, size_t n)
{
	char name[HOSTNAME_SIZE];
	size_t i;

	if (hostname_norm(name, sizeof(name), s, n, 0) == -1) {
		out->names_skipped++;
		return;
	}
	for (i = 0; i < out->nnames; i++)
		if (strcmp(out->names[i], name) == 0)
			return;
	if (out->nnames >= TLSSRV_MAX_NAMES) {
		out->names_skipped++;
		return;
	}
	memcpy(out->names[out->nnames++], name, sizeof(name));
}

/*
 * Decodes one DER certificate (RFC 5280 section 4.1) with libcrypto: the
 * subject CN and O, the issuer O, and the subjectAltName dNSNames (RFC
 * 5280 section 4.2.1.6). Returns -1 when libcrypto refuses it.
 */
static int
leaf_cert(const uint8_t *der, size_t len, struct tls_server *out)
{
	const unsigned char *q = der;
	GENERAL_NAMES *gens;
	const GENERAL_NAME *g;
	X509 *x;
	int i, n;

	if ((x = d2i_X509(NULL, &q, (long)len)) == NULL)
		return -1;
	out->has_cert = 1;
	name_attr(X509_get_subject_name(x), NID_commonName, out->subject_cn,
	    sizeof(out->subject_cn), &out->truncated);
	name_attr(X509_get_subject_name(x), NID_organizationName,
	    out->subject_o, sizeof(out->subject_o), &out->truncated);
	name_attr(X509_get_issuer_name(x), NID_organizationName,
	    out->issuer_o, sizeof(out->issuer_o), &out->truncated);
	if (out->subject_cn[0] != '\0')
		add_name(out, (const uint8_t *)out->subject_cn,
		    strlen(out->subject_cn));
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	n = gens != NULL ? sk_GENERAL_NAME_num(gens) : 0;
	for (i = 0; i < n; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g == NULL || g->type != GEN_DNS)
			continue;
		add_name(out, ASN1_STRING_get0_data(g->d.dNSName),
		    (size_t)ASN1_STRING_length(g->d.dNSName));
	}
	GENERAL_NAMES_free(gens);
	X509_free(x);
	return 0;
}

/*
 * The handshake messages gathered in [hs, hs + len): ServerHello, then
 * (before TLS 1.3) the Certificate message, RFC 5246 section 7.4.2:
 *
 *	+--------+--------+--------+--------+
 *	|msg_type|      length (uint24)     |	handshake header
 *	+--------+--------+--------+--------+--------+--------+-------
 *	|  certificate_list length (uint24) | leaf length (uint24)| DER
 *	+--------+--------+--------+--------+--------+--------+-------
 *
 *	opaque ASN.1Cert<1..2^24-1>;
 *	struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 *
 * done says no more handshake bytes can arrive (a non-handshake record
 * followed, or the buffer is full): a message cut short is then DIS_BAD
 * rather than DIS_MORE.
 */
static enum dis_result
handshake(const uint8_t *hs, size_t len, int done, struct tls_server *out)
{
	enum dis_result more = done ? DIS_BAD : DIS_MORE, rc;
	struct rd r, body;
	uint32_t hslen, list, leaf;
	const uint8_t *der;
	uint8_t type;

	rd_init(&r, hs, len);
	type = rd_u8(&r);
	if (!rd_ok(&r))
		return more;
	if (type != TLS_HS_SERVER_HELLO)
		return DIS_NOTME;
	hslen = rd_be24(&r);
	body = rd_sub(&r, hslen);
	if (!rd_ok(&r))
		return hslen > TLSSRV_HS_MAX ? DIS_BAD : more;
	if ((rc = hello_body(&body, out)) != DIS_OK || out->tls13)
		return rc;

	type = rd_u8(&r);
	if (!rd_ok(&r))
		return done ? DIS_OK : DIS_MORE;
	if (type != TLS_HS_CERTIFICATE)
		return DIS_OK;
	hslen = rd_be24(&r);
	list = rd_be24(&r);
	if (!rd_ok(&r))
		return more;
	if (list + 3 != hslen)
		return DIS_BAD;
	if (list == 0)
		return DIS_OK;
	leaf = rd_be24(&r);
	if (!rd_ok(&r))
		return more;
	if (leaf == 0 || (size_t)leaf + 3 > list)
		return DIS_BAD;
	if ((der = rd_bytes(&r, leaf)) == NULL)
		return more;
	return leaf_cert(der, leaf, out) == 0 ? DIS_OK : DIS_BAD;
}

/*
 * Handshake messages may span records and records may carry several
 * messages (RFC 8446 section 5.1): the fragments of the handshake records
 * at the start of the stream are concatenated into buf, up to its size,
 * until a record of another type (ChangeCipherSpec, Alert), a malformed
 * record header, or the end of the input. A fragment cut by the end of the
 * input still counts. What follows the leaf certificate never changes the
 * result: a prefix that gives DIS_OK gives it for any longer input too.
 */
enum dis_result
tlssrv_parse(const uint8_t *stream, size_t len, struct tls_server *out)
{
	uint8_t buf[TLSSRV_HS_MAX];
	struct rd r, peek;
	enum dis_result rc;
	const uint8_t *b;
	size_t got = 0, rlen, n;
	uint16_t version;
	int first = 1, done = 0;

	memset(out, 0, sizeof(*out));
	rd_init(&r, stream, len);
	while (rd_left(&r) > 0) {
		peek = r;
		if (!first && rd_u8(&peek) != TLS_CT_HANDSHAKE) {
			done = 1;
			break;
		}
		rc = tls_record_header(&r, first, &version, &rlen);
		if (rc == DIS_MORE)
			break;
		if (rc == DIS_NOTME)
			return rc;
		if (rc != DIS_OK) {
			done = 1;
			break;
		}
		if (first)
			out->record_version = version;
		first = 0;
		n = rd_left(&r) < rlen ? rd_left(&r) : rlen;
		if (n > sizeof(buf) - got) {
			n = sizeof(buf) - got;
			done = 1;
		}
		if ((b = rd_bytes(&r, n)) == NULL)
			return DIS_BAD;
		memcpy(buf + got, b, n);
		got += n;
		if (got > 0 && buf[0] != TLS_HS_SERVER_HELLO)
			return DIS_NOTME;
		if (done)
			break;
		if (n < rlen)
			break;
	}
	return handshake(buf, got, done, out);
}
