/* SPDX-License-Identifier: ISC */
/*
 * dissect/tls.h: TLS ClientHello (RFC 8446 section 4.1.2, RFC 5246 section
 * 7.4.1.2): server name, ALPN, versions and the lists JA3/JA4 are built
 * from. Works on the start of a client's TCP stream (record layer) or on a
 * bare handshake message (QUIC CRYPTO stream).
 */
#ifndef SHADOWTAP_DISSECT_TLS_H
#define SHADOWTAP_DISSECT_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define TLS_CT_HANDSHAKE	22	/* record type, RFC 8446 section 5.1 */

#define TLS_MAX_LIST		1024	/* entries kept per list: a 16 KiB
					   hello holds at most 8k ciphers, and
					   JA3 needs them all in practice */
#define TLS_MAX_ALPN		8	/* ALPN protocols kept */
#define TLS_ALPN_LEN		32	/* bytes kept per ALPN protocol */

#define TLS_EXT_SERVER_NAME	0x0000
#define TLS_EXT_SUPPORTED_GROUPS 0x000a
#define TLS_EXT_EC_POINT_FORMATS 0x000b
#define TLS_EXT_SIG_ALGS	0x000d
#define TLS_EXT_ALPN		0x0010
#define TLS_EXT_SUPPORTED_VERSIONS 0x002b
#define TLS_EXT_ECH		0xfe0d

/*
 * The scalars come first and the lists last: parsing clears only the part
 * before TLS_HELLO_LISTS (entries past a list's count are never read), so
 * a ClientHello costs no 12 KiB memset.
 */
struct tls_hello {
	uint16_t	record_version;	/* 0 when parsed without record layer */
	uint16_t	version;	/* legacy_version of the ClientHello */
	int		has_sni;
	char		sni[HOSTNAME_SIZE];	/* normalised; "" if absent/bad */
	int		ech;		/* encrypted_client_hello present */
	size_t		nciphers;
	size_t		nexts;
	size_t		ngroups;
	size_t		nec_formats;
	size_t		nsig_algs;
	size_t		nversions;
	size_t		nalpn;
	size_t		alpn0_len;	/* raw length of the first ALPN entry */
	uint8_t		alpn0_first;	/* its first and last octets, as on */
	uint8_t		alpn0_last;	/* the wire (JA4 needs them raw) */
	int		truncated;	/* some list exceeded its cap, or an
					   ALPN entry was cut */
	int		malformed;	/* some rule was broken inside framing
					   that held (see tls_parse_...) */
	char		alpn[TLS_MAX_ALPN][TLS_ALPN_LEN + 1]; /* printable only;
					   "" for an entry that is not */
	uint16_t	ciphers[TLS_MAX_LIST];
	uint16_t	exts[TLS_MAX_LIST];	/* extension types, wire order */
	uint16_t	groups[TLS_MAX_LIST];
	uint8_t		ec_formats[TLS_MAX_LIST];
	uint16_t	sig_algs[TLS_MAX_LIST];
	uint16_t	versions[TLS_MAX_LIST];	/* supported_versions */
};

#define TLS_HELLO_LISTS	offsetof(struct tls_hello, ciphers)

/*
 * Parses the ClientHello at the start of a client->server TLS byte stream,
 * reassembling the handshake message across several records if needed.
 * Returns DIS_OK with *out filled; DIS_MORE when the bytes so far are a
 * valid prefix of a ClientHello; DIS_NOTME when the stream does not start
 * with a TLS handshake record; DIS_BAD when it does but is malformed.
 *
 * DIS_NOTME is decided from the first record header and the first
 * handshake type octet only (content type 22, version 3.0..3.4, length
 * 1..2^14, msg_type client_hello), each as soon as it is available, so
 * two bytes are enough to refuse most other protocols. Anything wrong
 * after that is DIS_BAD when the framing breaks: a later record of
 * another type or version, a ClientHello longer than 16 KiB that needs
 * reassembly, a session id over 32 octets, an odd-length cipher list, a
 * vector that overruns its parent -- except an extension overrunning the
 * extensions block after a server_name was read: then DIS_OK with
 * malformed set and what was read. Breaks of the rules inside framing
 * that holds are DIS_OK with malformed set, and parsing goes on: an
 * empty cipher or compression list, bytes after the last whole
 * extension, and a parsed extension (those with a TLS_EXT_ constant) that
 * is malformed, not consumed exactly, or repeated (it may leave a partial
 * list; a broken server_name leaves no name). So such a hello is still
 * fingerprinted, as Wireshark does. Unknown extensions are only listed
 * in exts[]. All lists are kept raw in wire order, GREASE
 * included. has_sni is set when a host_name entry is present; sni is ""
 * when that name fails hostname_norm(). *out is zeroed first and may be
 * partly filled on DIS_BAD.
 */
enum dis_result	tls_parse_client_hello(const uint8_t *p, size_t len,
		    struct tls_hello *out);

/*
 * The same for a bare handshake message (msg_type, 24-bit length, body),
 * as carried in QUIC CRYPTO frames. record_version is 0 in *out. DIS_MORE
 * when fewer bytes than the handshake length are given; DIS_NOTME when
 * msg_type is not client_hello. No size cap applies (nothing is copied).
 */
enum dis_result	tls_parse_handshake(const uint8_t *p, size_t len,
		    struct tls_hello *out);

struct rd;

/*
 * Reads one handshake record's header, RFC 8446 section 5.1 (type,
 * legacy_record_version, length), leaving r at the fragment: DIS_OK with
 * the version and length, DIS_MORE when the header is cut short. An
 * anomaly (another type, an impossible version or length) is DIS_NOTME
 * in the first record of a stream (it is not TLS), DIS_BAD in a later
 * one (a broken handshake). For tls.c and tlssrv.c.
 */
enum dis_result	tls_record_header(struct rd *r, int first, uint16_t *version,
		    size_t *rlen);

/*
 * Whether v is one of the 16 GREASE values 0x0a0a, 0x1a1a, .. 0xfafa
 * (RFC 8701 section 2) that JA3 and JA4 leave out.
 */
int		tls_is_grease(uint16_t v);

#endif
