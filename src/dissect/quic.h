/* SPDX-License-Identifier: ISC */
/*
 * dissect/quic.h: the client's QUIC Initial packets (RFC 9000 section
 * 17.2.2, RFC 9001 section 5): header protection removed, AES-128-GCM
 * payload decrypted with the keys every observer can derive from the
 * client's first Destination Connection ID, and the CRYPTO frames handed
 * back for reassembly. Also Google QUIC: the cleartext CHLO of Q046 and
 * earlier, and Q050/T050/T051 Initials. Pure: no I/O, no allocation;
 * libcrypto cipher contexts are created and freed inside each call.
 */
#ifndef SHADOWTAP_DISSECT_QUIC_H
#define SHADOWTAP_DISSECT_QUIC_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/result.h"
#include "base/hostname.h"

#define QUIC_MAX_CID		20	/* RFC 9000 section 17.2 */
#define QUIC_MAX_FRAGS		32	/* CRYPTO frames kept per datagram */
#define QUIC_PLAIN_MAX		4096	/* decrypted bytes kept per datagram */
#define QUIC_UAID_SIZE		128

/*
 * Per-flow key state. The caller keeps one per flow, zeroed at the start,
 * and passes it to every quic_parse_client() of that flow's client side.
 * The first Initial sets it from its Destination Connection ID; later
 * Initials keep being decrypted with those keys even when they carry a
 * new DCID (RFC 9001 section 5.2: keys come from the client's first DCID).
 */
struct quic_keyctx {
	uint32_t	version;
	uint8_t		dcid[QUIC_MAX_CID];
	uint8_t		dcid_len;
	uint8_t		have;		/* keys below are valid */
	uint8_t		key[16];	/* AEAD_AES_128_GCM, RFC 9001 5.1 */
	uint8_t		iv[12];
	uint8_t		hp[16];
	uint64_t	largest_pn;	/* for packet number recovery */
};

struct quic_crypto_frag {
	uint64_t	 offset;	/* in the Initial CRYPTO stream */
	const uint8_t	*data;		/* points into quic_initial.plain */
	size_t		 len;
};

struct quic_initial {
	uint32_t	version;
	int		is_gquic;	/* Google QUIC: the CRYPTO stream (Q050)
					   or packet (<= Q046) holds a CHLO,
					   not a TLS ClientHello */
	size_t		npackets;	/* Initial packets decrypted */
	size_t		nfrags;
	struct quic_crypto_frag frags[QUIC_MAX_FRAGS];
	int		truncated;	/* frames or bytes beyond the caps */
	char		gquic_sni[HOSTNAME_SIZE];	/* CHLO "SNI", normalised */
	char		gquic_uaid[QUIC_UAID_SIZE];	/* CHLO "UAID", printable */
	uint8_t		plain[QUIC_PLAIN_MAX];
};

/*
 * Dissects one UDP datagram sent by a QUIC client. Every coalesced
 * long-header packet of a known version (RFC 9000 section 12.2) is
 * walked; Initials are decrypted and their CRYPTO frames listed in *out
 * (in packet order, not sorted; offsets may repeat or overlap), PADDING,
 * PING, ACK and CONNECTION_CLOSE skipped; a frame of another type ends
 * that packet's frames. The caller copies each fragment into its per-flow
 * reassembly buffer at its offset and runs tls_parse_handshake() (or, for
 * is_gquic, quic_parse_chlo()) on the contiguous prefix.
 *
 * Versions: 1, 2 (RFC 9369), drafts 22..34, mvfst 0xfaceb001 (draft-22
 * salt), 0xfaceb002 and 0xfaceb00e (draft-23 salt, as Wireshark and
 * nDPI), Google T050/T051 (TLS in gQUIC CRYPTO frames, own salts) and
 * Q050 (a CHLO in gQUIC CRYPTO frames, own salt). For Q046 and
 * earlier the datagram is cleartext: the CHLO is found in it and its SNI
 * and UAID tags copied to gquic_sni/gquic_uaid; nfrags is 0.
 *
 * Returns DIS_OK when at least one Initial was decrypted (or a gQUIC CHLO
 * found); DIS_NOTME when the datagram is not a long-header packet of a
 * known version (short headers included) or holds no Initial; DIS_BAD
 * when an Initial is there but none could be decrypted (broken header,
 * authentication failure).
 * ctx is set by the first Initial that decrypts and then left alone
 * except for largest_pn; a packet that fails with ctx's keys is retried
 * with keys from its own DCID, which do not replace ctx's. *out is zeroed
 * first; it may be large (QUIC_PLAIN_MAX): keep one per thread, not on a
 * small stack.
 *
 * Cost: one HKDF (4 HMAC-SHA256) per flow, and per Initial one AES-ECB
 * block and one AES-GCM pass, each with an EVP_CIPHER_CTX made and freed.
 */
enum dis_result	quic_parse_client(const uint8_t *dgram, size_t len,
		    struct quic_keyctx *ctx, struct quic_initial *out);

/*
 * Parses a Google QUIC handshake message (a CHLO: tag "CHLO", uint16le
 * entry count, 2 octets padding, count x (tag, uint32le end offset),
 * values) and copies the "SNI" and "UAID" values to out->gquic_sni and
 * out->gquic_uaid. DIS_OK if p starts with a complete CHLO; DIS_MORE if
 * with a prefix of one; DIS_NOTME if not a CHLO; DIS_BAD if its offsets
 * are inconsistent. Only those two fields of *out are written.
 */
enum dis_result	quic_parse_chlo(const uint8_t *p, size_t len,
		    struct quic_initial *out);

/*
 * A short, stable name for a version: "V-1", "V-2", "Draft-29",
 * "Facebook mvfst 22", "Facebook mvfst 27", "Facebook mvfst exp",
 * "Q046", "Q050", "T051" (Google versions by their ASCII), else
 * "Unknown". Never NULL; the string is static.
 */
const char	*quic_version_str(uint32_t version);

/* Whether quic_parse_client() knows how to read this version. */
int		 quic_version_known(uint32_t version);
/*
 * Whether version is one of RFC 9000 section 15's 0x?a?a?a?a, which a
 * client sends to make the server answer with Version Negotiation; the
 * client then tries again with a version the server supports.
 */
int		 quic_version_forces_vn(uint32_t version);

/*
 * Whether the datagram p[0..len) is a server's Version Negotiation packet
 * (RFC 9000 section 17.2.1): long header, version 0, connection IDs of at
 * most QUIC_MAX_CID (255 for unknown versions is refused as well), and a
 * non-empty list of 4-byte versions. Reads only p[0..len).
 */
int		 quic_is_vn(const uint8_t *p, size_t len);

#endif
