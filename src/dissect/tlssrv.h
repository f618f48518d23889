/* SPDX-License-Identifier: ISC */
/*
 * dissect/tlssrv.h: the server side of a TLS handshake: ServerHello (RFC
 * 5246 section 7.4.1.3, RFC 8446 section 4.1.3) and, for TLS 1.2 and
 * earlier, the leaf certificate of the Certificate message (RFC 5246
 * section 7.4.2): subject CN, subjectAltName dNSNames, subject and issuer
 * organisation. These name the service when the client sent no SNI.
 */
#ifndef SHADOWTAP_DISSECT_TLSSRV_H
#define SHADOWTAP_DISSECT_TLSSRV_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define TLSSRV_MAX_NAMES	16	/* certificate names kept */
#define TLSSRV_TEXT_SIZE	128	/* CN / O kept, NUL included */
#define TLSSRV_ALPN_SIZE	33	/* selected ALPN protocol, NUL incl. */
#define TLSSRV_HS_MAX		32768	/* handshake bytes reassembled */

struct tls_server {
	uint16_t	record_version;	/* first record's legacy version */
	uint16_t	legacy_version;	/* ServerHello.legacy_version */
	uint16_t	version;	/* negotiated: supported_versions
					   if present, else legacy_version */
	uint16_t	cipher;		/* selected cipher suite */
	int		tls13;		/* TLS 1.3: the Certificate is
					   encrypted, no names follow */
	char		alpn[TLSSRV_ALPN_SIZE]; /* selected ALPN, printable
					   ASCII; "" if absent or not */
	int		has_cert;	/* a leaf certificate was decoded */
	char		subject_cn[TLSSRV_TEXT_SIZE]; /* printable, see below */
	char		subject_o[TLSSRV_TEXT_SIZE];
	char		issuer_o[TLSSRV_TEXT_SIZE];
	size_t		nnames;		/* entries used in names[] */
	char		names[TLSSRV_MAX_NAMES][HOSTNAME_SIZE]; /* the CN if it
					   is a host name, then each SAN
					   dNSName not already present;
					   normalised, "*." kept */
	size_t		names_skipped;	/* over the cap, or not host names */
	int		truncated;	/* a CN or O was cut to fit */
};

/*
 * Parses the start of a server->client TLS byte stream: the records up to
 * and including the leaf certificate. Handshake messages are reassembled
 * across records into a bounded buffer (TLSSRV_HS_MAX bytes).
 *
 * Returns DIS_OK once it knows all it will learn: for TLS 1.3 (tls13 set)
 * as soon as the ServerHello is complete; for TLS 1.2 and earlier as soon
 * as the bytes of the FIRST certificate in the Certificate message are
 * there, without waiting for the rest of the chain (has_cert set), or
 * when the message after the ServerHello is not a Certificate, the
 * certificate list is empty, or a non-handshake record follows (session
 * resumption, anonymous suites: has_cert 0). DIS_MORE while the bytes
 * are a valid prefix of all that. DIS_NOTME when the first record is not
 * a TLS handshake record (content type 22, version 3.0..3.4, length
 * 1..2^14) or its first handshake message is not a ServerHello. DIS_BAD
 * when it is but something is malformed: a vector overrunning its parent,
 * a session id over 32 octets, a bad supported_versions or ALPN
 * extension, a leaf certificate that libcrypto refuses or that does not
 * fit in TLSSRV_HS_MAX; the ServerHello fields are kept then.
 *
 * Names: subject CN (the last CN, as browsers used it) and SAN dNSNames
 * go through hostname_norm(); wildcards stay ("*.example.com": '*' is
 * 0x2a, inside the accepted 0x21..0x7e); names that fail are counted in
 * names_skipped, and the CN is then only in subject_cn. subject_cn,
 * subject_o and issuer_o are the UTF-8 text of the attribute (libcrypto
 * converts BMP/Universal/T61 strings) with control characters (below
 * 0x20, 0x7f) written as '?', cut at a character boundary to fit.
 *
 * Certificate decoding uses libcrypto (d2i_X509), which allocates and
 * frees internally: the one exception to "dissectors do not allocate".
 * *out is zeroed first.
 */
enum dis_result	tlssrv_parse(const uint8_t *stream, size_t len,
		    struct tls_server *out);

#endif
