/* SPDX-License-Identifier: ISC */
/*
 * dissect/sig_carrier.c: the signatures read from one parse of a
 * general-purpose carrier, each of which can name protocols of several
 * families: a TLS ClientHello (DoT, Syncthing, AnyDesk, Tor), an HTTP/1.x
 * request line (CONNECT, BitTorrent trackers, cleartext DoH), a DNS
 * message (DNSCrypt) and a QUIC long header (QUIC, DoQ).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect/http.h"
#include "dissect/sig.h"
#include "dissect/sig_int.h"
#include "dissect/tls.h"
#include "base/rd.h"

/*
 * TLS-based checks share one ClientHello parse (dissect/tls.c):
 * DoT (RFC 7858 section 3.1, port 853; ALPN "dot"), AnyDesk (TLS on its
 * port 7070), Syncthing (ALPN "bep/1.0", BEP v1 "TLS" section) and Tor,
 * whose link handshake (tor-spec section 2, v2/v3 link protocol) uses a
 * random SNI of the form www.<base32>.com/.net and no ALPN.
 */
#define DOT_PORT		853
#define ANYDESK_PORT		7070
#define DOT_ALPN		"dot"
#define SYNCTHING_ALPN		"bep/1.0"
#define TOR_SNI_PREFIX		"www."
#define TOR_LABEL_MIN		4
#define TOR_LABEL_MAX		25

static int
tor_sni(const char *sni)
{
	const char *s, *dot;
	size_t n;
	int digit = 0;

	if (strncmp(sni, TOR_SNI_PREFIX, sizeof(TOR_SNI_PREFIX) - 1) != 0)
		return 0;
	s = sni + sizeof(TOR_SNI_PREFIX) - 1;
	if ((dot = strchr(s, '.')) == NULL)
		return 0;
	if (strcmp(dot, ".com") != 0 && strcmp(dot, ".net") != 0)
		return 0;
	n = (size_t)(dot - s);
	if (n < TOR_LABEL_MIN || n > TOR_LABEL_MAX)
		return 0;
	/* Base32 of random bytes: a digit 2..7 is all but certain. */
	for (; s < dot; s++) {
		if (*s >= '2' && *s <= '7')
			digit = 1;
		else if (!(*s >= 'a' && *s <= 'z'))
			return 0;
	}
	return digit;
}

static int
has_alpn(const struct tls_hello *h, const char *a)
{
	size_t i;

	for (i = 0; i < h->nalpn; i++)
		if (strcmp(h->alpn[i], a) == 0)
			return 1;
	return 0;
}

void
sig_carrier_tls(struct sig_ctx *c)
{
	struct tls_hello h;
	enum dis_result rc;

	if (!c->tcp)
		return;
	rc = tls_parse_client_hello(c->in->up, c->in->up_len, &h);
	if (rc == DIS_MORE && c->in->up_len > 0)
		c->more = 1;
	if (rc != DIS_OK)
		return;
	if (has_alpn(&h, DOT_ALPN))
		offer(c, SIG_DOT, SIG_CONF_STRONG + 5, "alpn");
	else if (c->in->server_port == DOT_PORT)
		offer(c, SIG_DOT, SIG_CONF_GOOD + SIG_PORT_BONUS, "tls:853");
	if (has_alpn(&h, SYNCTHING_ALPN))
		offer(c, SIG_SYNCTHING, SIG_CONF_STRONG, "tls bep/1.0");
	if (c->in->server_port == ANYDESK_PORT)
		offer(c, SIG_ANYDESK, SIG_CONF_GOOD - SIG_PORT_BONUS,
		    "tls:7070");
	if (h.nalpn == 0 && tor_sni(h.sni))
		offer(c, SIG_TOR, SIG_CONF_GOOD - 2 * SIG_PORT_BONUS,
		    "random-sni");
}

/*
 * HTTP/1.x request heads with a signature in the request line: CONNECT
 * (RFC 9110 section 9.3.6, parsed by dissect/http.c), BitTorrent tracker
 * announce/scrape (BEP 3, BEP 48) and local service discovery (BEP 14,
 * "BT-SEARCH * HTTP/1.1"), and DoH over cleartext HTTP (RFC 8484
 * section 4.1: "/dns-query?dns=" GET or an application/dns-message POST;
 * the path is only conventional). DoH over TLS shows only its server name
 * and is identified by the catalog, not here.
 */
#define HTTP_CONNECT		"CONNECT "
#define BT_ANNOUNCE		"GET /announce?"
#define BT_SCRAPE		"GET /scrape?"
#define BT_INFO_HASH		"info_hash="
#define BT_SEARCH		"BT-SEARCH * HTTP/1."
#define DOH_GET			"GET /dns-query?"
#define DOH_POST		"POST /dns-query"
#define DOH_MEDIA_TYPE		"application/dns-message"
#define HTTP_LINE_MAX		2048

void
sig_carrier_http(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct http_req req;
	const uint8_t *lf;
	size_t line;
	char d[SIG_DETAIL_SIZE];
	int m;

	if (in->up_len == 0)
		return;
	lf = memchr(in->up, '\n', in->up_len < HTTP_LINE_MAX ? in->up_len :
	    HTTP_LINE_MAX);
	line = lf != NULL ? (size_t)(lf - in->up) : in->up_len;
	if (c->udp) {
		if (PREFIX(in->up, in->up_len, BT_SEARCH) == 1)
			offer(c, SIG_BITTORRENT, SIG_CONF_STRONG, "lsd");
		return;
	}
	if (!c->tcp)
		return;
	if ((m = PREFIX(in->up, in->up_len, HTTP_CONNECT)) != 0) {
		if (m < 0 || lf == NULL) {
			c->more = 1;
			return;
		}
		if (http_parse_request(in->up, in->up_len, 1, &req) == DIS_OK &&
		    strcmp(req.method, "CONNECT") == 0) {
			snprintf(d, sizeof(d), "%.50s:%u", req.host,
			    (unsigned)req.connect_port);
			offer(c, SIG_HTTP_CONNECT, SIG_CONF_STRONG, d);
		}
		return;
	}
	if ((PREFIX(in->up, in->up_len, BT_ANNOUNCE) == 1 ||
	    PREFIX(in->up, in->up_len, BT_SCRAPE) == 1) &&
	    contains(in->up, line, BT_INFO_HASH, sizeof(BT_INFO_HASH) - 1))
		offer(c, SIG_BITTORRENT, SIG_CONF_STRONG, "tracker");
	if (PREFIX(in->up, in->up_len, DOH_GET) == 1 ||
	    (PREFIX(in->up, in->up_len, DOH_POST) == 1 &&
	    contains(in->up, in->up_len, DOH_MEDIA_TYPE,
	    sizeof(DOH_MEDIA_TYPE) - 1)))
		offer(c, SIG_DOH, SIG_CONF_GOOD + SIG_PORT_BONUS, "cleartext");
}

/*
 * DNSCrypt v2 (dnscrypt.info/protocol): the client first fetches the
 * resolver certificate with a plain DNS TXT query for
 * "2.dnscrypt-cert.<provider>"; encrypted responses start with the
 * resolver magic "r6fnvWj8". Over TCP both carry the DNS 16-bit length.
 */
#define DNSCRYPT_RESOLVER_MAGIC	"r6fnvWj8"
#define DNSCRYPT_CERT_LABEL0	"\x01" "2"
#define DNSCRYPT_CERT_LABEL1	"\x0d" "dnscrypt-cert"
#define DNS_HDR_LEN		12

void
sig_carrier_dnscrypt(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
	const uint8_t *d = in->down, *q;
	size_t dlen = in->down_len;

	rd_init(&r, in->up, in->up_len);
	if (c->tcp && in->down_len > 2) {
		d += 2;
		dlen -= 2;
		rd_skip(&r, 2);
	}
	if (PREFIX(d, dlen, DNSCRYPT_RESOLVER_MAGIC) == 1) {
		offer(c, SIG_DNSCRYPT, SIG_CONF_STRONG + 5, "encrypted");
		return;
	}
	rd_skip(&r, DNS_HDR_LEN);
	q = rd_bytes(&r, sizeof(DNSCRYPT_CERT_LABEL0) - 1 +
	    sizeof(DNSCRYPT_CERT_LABEL1) - 1);
	if (q != NULL && memcmp(q, DNSCRYPT_CERT_LABEL0 DNSCRYPT_CERT_LABEL1,
	    sizeof(DNSCRYPT_CERT_LABEL0 DNSCRYPT_CERT_LABEL1) - 1) == 0)
		offer(c, SIG_DNSCRYPT, SIG_CONF_STRONG, "cert-query");
}

/*
 * QUIC long header, RFC 9000 section 17.2 (RFC 8999 invariants):
 *
 *	|1|1|T T|x x x x| version (32) | DCID len (8) | DCID (0..20) |
 *	| SCID len (8) | SCID (0..20) | ...
 *
 * with a version from RFC 9000 (1), RFC 9369 (0x6b3343cf), the IETF
 * drafts (0xff0000xx), mvfst (0xfaceb00x) or Google QUIC Q0xx/T0xx in
 * long-header form (Q046 and later). Older gQUIC (Q043 and before) uses
 * the public header: flags with PUBLIC_FLAG_VERSION (0x01) and an 8-byte
 * connection id (0x08), then the version. DoQ (RFC 9250) is QUIC on port
 * 853 (784 and 8853 in drafts).
 */
#define QUIC_LONG_HEADER	0x80
#define QUIC_FIXED_BIT		0x40
#define QUIC_CID_MAX		20
#define QUIC_V1			0x00000001u
#define QUIC_V2			0x6b3343cfu
#define QUIC_DRAFT_MASK		0xffffff00u
#define QUIC_DRAFT		0xff000000u
#define QUIC_MVFST_MASK		0xfffffff0u
#define QUIC_MVFST		0xfaceb000u
#define QUIC_GREASE_MASK	0x0f0f0f0fu
#define QUIC_GREASE		0x0a0a0a0au
#define QUIC_MIN_INITIAL	1200	/* RFC 9000 section 14.1 */
#define GQUIC_FLAG_VERSION	0x01
#define GQUIC_FLAG_CID8		0x08
#define GQUIC_CID_LEN		8
#define DOQ_PORT		853
#define DOQ_DRAFT_PORT		784
#define DOQ_DRAFT_PORT2		8853

/* Names a QUIC version into d; returns 0 if it is not a known one. */
static int
quic_version(uint32_t v, char *d, size_t dsz)
{
	uint8_t b0 = (uint8_t)(v >> 24), b1 = (uint8_t)(v >> 16);
	uint8_t b2 = (uint8_t)(v >> 8), b3 = (uint8_t)v;

	if (v == QUIC_V1)
		snprintf(d, dsz, "v1");
	else if (v == QUIC_V2)
		snprintf(d, dsz, "v2");
	else if ((v & QUIC_DRAFT_MASK) == QUIC_DRAFT)
		snprintf(d, dsz, "draft-%u", (unsigned)b3);
	else if ((v & QUIC_MVFST_MASK) == QUIC_MVFST)
		snprintf(d, dsz, "mvfst-%u", (unsigned)(v & 0xf));
	else if ((b0 == 'Q' || b0 == 'T') && is_digit(b1) && is_digit(b2) &&
	    is_digit(b3))
		snprintf(d, dsz, "%c%c%c%c", b0, b1, b2, b3);
	else
		return 0;
	return 1;
}

void
sig_carrier_quic(struct sig_ctx *c)
{
	const struct sig_input *in = c->in;
	struct rd r;
	char d[SIG_DETAIL_SIZE];
	uint8_t b0, dl, sl;
	uint32_t v;
	int conf;
	enum sig_proto p;

	if (!c->udp)
		return;
	rd_init(&r, in->up, in->up_len);
	b0 = rd_u8(&r);
	v = rd_be32(&r);
	if (!rd_ok(&r))
		return;
	conf = 0;
	if ((b0 & QUIC_LONG_HEADER) && (b0 & QUIC_FIXED_BIT)) {
		dl = rd_u8(&r);
		rd_skip(&r, dl);
		sl = rd_u8(&r);
		rd_skip(&r, sl);
		if (!rd_ok(&r) || dl > QUIC_CID_MAX || sl > QUIC_CID_MAX)
			return;
		if (quic_version(v, d, sizeof(d)))
			conf = SIG_CONF_GOOD + SIG_PORT_BONUS;
		else if ((v & QUIC_GREASE_MASK) == QUIC_GREASE) {
			snprintf(d, sizeof(d), "grease");
			conf = SIG_CONF_WEAK;
		}
		if (conf > 0 && in->up_len >= QUIC_MIN_INITIAL)
			conf += SIG_PORT_BONUS;
	} else if ((b0 & GQUIC_FLAG_VERSION) && (b0 & GQUIC_FLAG_CID8) &&
	    !(b0 & QUIC_LONG_HEADER)) {
		rd_init(&r, in->up, in->up_len);
		rd_skip(&r, 1 + GQUIC_CID_LEN);
		v = rd_be32(&r);
		if (rd_ok(&r) && (v >> 24 == 'Q') &&
		    quic_version(v, d, sizeof(d)))
			conf = SIG_CONF_GOOD + SIG_PORT_BONUS;
	}
	if (conf == 0)
		return;
	p = SIG_QUIC;
	if (in->server_port == DOQ_PORT || in->server_port == DOQ_DRAFT_PORT ||
	    in->server_port == DOQ_DRAFT_PORT2) {
		p = SIG_DOQ;
		conf += 5;
	}
	offer(c, p, conf, d);
}
