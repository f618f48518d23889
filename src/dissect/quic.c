/* SPDX-License-Identifier: ISC */
/*
 * dissect/quic.c: client Initial packets of IETF QUIC (v1, v2, drafts,
 * mvfst) and Google QUIC. Keys come from the version's public salt and
 * the client's first DCID (RFC 9001 section 5.2); the header protection
 * mask and the AEAD run through libcrypto. Untrusted bytes are read only
 * through rd.h; decrypted bytes land in the caller's quic_initial.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "dissect/quic.h"
#include "base/hostname.h"
#include "base/rd.h"

#define QUIC_V1			0x00000001u	/* RFC 9000 */
#define QUIC_V2			0x6b3343cfu	/* RFC 9369 section 3.1 */
#define QUIC_DRAFT_BASE		0xff000000u	/* draft-ietf-quic-transport-NN */
#define QUIC_DRAFT_MIN		22
#define QUIC_DRAFT_MAX		34
#define QUIC_MVFST_22		0xfaceb001u	/* Facebook mvfst, draft-22 */
#define QUIC_MVFST_27		0xfaceb002u	/* Facebook mvfst, draft-27 */
#define QUIC_MVFST_EXP		0xfaceb00eu	/* Facebook mvfst experimental */
#define GQUIC_Q050		0x51303530u	/* "Q050" */
#define QUIC_FORCE_VN_MASK	0x0f0f0f0fu
#define QUIC_FORCE_VN_BITS	0x0a0a0a0au
#define GQUIC_T050		0x54303530u	/* "T050" */
#define GQUIC_T051		0x54303531u	/* "T051" */
#define GQUIC_Q_PREFIX		0x51300000u	/* "Q0??" */
#define GQUIC_OLD_MAX		46		/* Q046: last cleartext CHLO */

#define QUIC_LONG_HEADER	0x80	/* RFC 9000 section 17.2 */
#define QUIC_TYPE_SHIFT		4
#define QUIC_TYPE_MASK		0x03
#define QUIC_TYPE_INITIAL	0x00
#define QUIC_TYPE_RETRY		0x03
#define QUIC_V2_TYPE_INITIAL	0x01	/* RFC 9369 section 3.2 */
#define QUIC_V2_TYPE_RETRY	0x00
#define QUIC_PN_LEN_MASK	0x03
#define QUIC_LONG_HP_MASK	0x0f	/* RFC 9001 section 5.4.1 */

#define QUIC_SAMPLE_LEN		16	/* RFC 9001 section 5.4.2 */
#define QUIC_PN_MAX_LEN		4
#define QUIC_TAG_LEN		16	/* AEAD_AES_128_GCM */
#define QUIC_SECRET_LEN		32	/* SHA-256 */
#define QUIC_KEY_LEN		16
#define QUIC_IV_LEN		12

/* gQUIC <= Q043 public header flags. */
#define GQUIC_FLAG_VERSION	0x01
#define GQUIC_FLAG_CID8		0x08
#define GQUIC_CID_LEN		8

/* RFC 9000 section 19 frame types seen in Initial packets. */
#define FRAME_PADDING		0x00
#define FRAME_PING		0x01
#define FRAME_ACK		0x02
#define FRAME_ACK_ECN		0x03
#define FRAME_CRYPTO		0x06
#define FRAME_CONN_CLOSE	0x1c
/* Q050 carries the CHLO in gQUIC's own CRYPTO frame. */
#define GQUIC_FRAME_CRYPTO	0x08

#define CHLO_TAG		0x43484c4fu	/* "CHLO" */
#define CHLO_TAG_SNI		0x534e4900u	/* "SNI\0" */
#define CHLO_TAG_UAID		0x55414944u	/* "UAID" */
#define CHLO_MAX_TAGS		128
#define CHLO_MAX_LEN		16384

/* Initial salts: RFC 9001 section 5.2, RFC 9369 section 3.3.1, drafts. */
static const uint8_t salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a
};
static const uint8_t salt_v2[20] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9
};
static const uint8_t salt_d22[20] = {	/* drafts 21..22 */
	0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
	0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a
};
static const uint8_t salt_d23[20] = {	/* drafts 23..28 */
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02
};
static const uint8_t salt_d29[20] = {	/* drafts 29..32 */
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99
};
/* Google's, as published in Wireshark's packet-quic.c. */
static const uint8_t salt_q050[20] = {
	0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
	0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45
};
static const uint8_t salt_t050[20] = {
	0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
	0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10
};
static const uint8_t salt_t051[20] = {
	0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
	0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d
};

/* How a version's Initial is built. */
struct vinfo {
	const uint8_t	*salt;
	int		 v2;		/* v2 labels and type bits */
	int		 gquic;		/* CRYPTO stream is a CHLO */
	int		 gframes;	/* gQUIC CRYPTO frame type 0x08 */
};

/* Draft number of a draft or mvfst version, else 0. */
static int
draft_of(uint32_t v)
{
	if ((v & 0xffffff00u) == QUIC_DRAFT_BASE)
		return (int)(v & 0xff);
	if (v == QUIC_MVFST_22)
		return 22;
	if (v == QUIC_MVFST_27 || v == QUIC_MVFST_EXP)
		return 27;
	return 0;
}

/* Number nn of a "Q0nn" version, else -1. */
static int
gquic_q_number(uint32_t v)
{
	uint8_t d1 = (uint8_t)(v >> 8), d2 = (uint8_t)v;

	if ((v & 0xffff0000u) != GQUIC_Q_PREFIX || d1 < '0' || d1 > '9' ||
	    d2 < '0' || d2 > '9')
		return -1;
	return (d1 - '0') * 10 + (d2 - '0');
}

static int
vinfo_get(uint32_t v, struct vinfo *vi)
{
	int d = draft_of(v);

	memset(vi, 0, sizeof(*vi));
	if (v == QUIC_V1)
		vi->salt = salt_v1;
	else if (v == QUIC_V2) {
		vi->salt = salt_v2;
		vi->v2 = 1;
	} else if (d >= QUIC_DRAFT_MIN && d <= QUIC_DRAFT_MAX)
		vi->salt = d <= 22 ? salt_d22 : d <= 28 ? salt_d23 :
		    d <= 32 ? salt_d29 : salt_v1;
	else if (v == GQUIC_T051) {
		vi->salt = salt_t051;
		vi->gframes = 1;
	} else if (v == GQUIC_T050) {
		vi->salt = salt_t050;
		vi->gframes = 1;
	} else if (v == GQUIC_Q050) {
		vi->salt = salt_q050;
		vi->gquic = 1;
		vi->gframes = 1;
	} else
		return -1;
	return 0;
}

int
quic_version_known(uint32_t v)
{
	struct vinfo vi;
	int q = gquic_q_number(v);

	return vinfo_get(v, &vi) == 0 || (q >= 0 && q <= GQUIC_OLD_MAX);
}

/* "Q000".."Q099": every Google version is named by its own four bytes. */
#define GQ(a, b)	"Q0" #a #b
#define GQ10(a)		GQ(a, 0), GQ(a, 1), GQ(a, 2), GQ(a, 3), GQ(a, 4), \
			GQ(a, 5), GQ(a, 6), GQ(a, 7), GQ(a, 8), GQ(a, 9)
static const char *const gq_any[100] = {
	GQ10(0), GQ10(1), GQ10(2), GQ10(3), GQ10(4),
	GQ10(5), GQ10(6), GQ10(7), GQ10(8), GQ10(9),
};

const char *
quic_version_str(uint32_t v)
{
	static const char *const drafts[] = {
		"Draft-22", "Draft-23", "Draft-24", "Draft-25", "Draft-26",
		"Draft-27", "Draft-28", "Draft-29", "Draft-30", "Draft-31",
		"Draft-32", "Draft-33", "Draft-34"
	};
	int q;

	if (v == QUIC_V1)
		return "V-1";
	if (v == QUIC_V2)
		return "V-2";
	if (v == QUIC_MVFST_22)
		return "Facebook mvfst 22";
	if (v == QUIC_MVFST_27)
		return "Facebook mvfst 27";
	if (v == QUIC_MVFST_EXP)
		return "Facebook mvfst exp";
	if ((v & 0xffffff00u) == QUIC_DRAFT_BASE &&
	    (v & 0xff) >= QUIC_DRAFT_MIN && (v & 0xff) <= QUIC_DRAFT_MAX)
		return drafts[(v & 0xff) - QUIC_DRAFT_MIN];
	if (v == GQUIC_T050)
		return "T050";
	if (v == GQUIC_T051)
		return "T051";
	/* Google's Q versions are named by their own four ASCII bytes. */
	if ((q = gquic_q_number(v)) >= 0)
		return gq_any[q];
	if (quic_version_forces_vn(v))
		return "Forcing VN";
	return "Unknown";
}

int
quic_version_forces_vn(uint32_t v)
{
	/* RFC 9000 section 15: versions 0x?a?a?a?a are never supported. */
	return (v & QUIC_FORCE_VN_MASK) == QUIC_FORCE_VN_BITS;
}

int
quic_is_vn(const uint8_t *p, size_t len)
{
	struct rd r;
	uint8_t cil;

	rd_init(&r, p, len);
	if (!(rd_u8(&r) & QUIC_LONG_HEADER) || rd_be32(&r) != 0)
		return 0;
	cil = rd_u8(&r);			/* destination */
	if (cil > QUIC_MAX_CID)
		return 0;
	rd_skip(&r, cil);
	cil = rd_u8(&r);			/* source */
	if (cil > QUIC_MAX_CID)
		return 0;
	rd_skip(&r, cil);
	return rd_ok(&r) && rd_left(&r) >= 4 && rd_left(&r) % 4 == 0;
}

/* RFC 9000 section 16: 2-bit length prefix, 6/14/30/62-bit value. */
static uint64_t
rd_varint(struct rd *r)
{
	uint8_t b = rd_u8(r);
	uint64_t v = b & 0x3f;
	size_t n = (size_t)1 << (b >> 6), i;

	for (i = 1; i < n; i++)
		v = v << 8 | rd_u8(r);
	return v;
}

/*
 * HKDF-Expand-Label (RFC 8446 section 7.1) for outputs up to one SHA-256
 * block, which is all QUIC's Initial keys need:
 *
 *	HkdfLabel = uint16 length, opaque label<7..255> = "tls13 " + label,
 *		    opaque context<0..255> = ""
 *	out = HMAC(secret, HkdfLabel || 0x01)[0..length)
 */
static int
expand_label(const uint8_t *secret, const char *label, uint8_t *out,
    size_t outlen)
{
	static const char prefix[] = "tls13 ";
	uint8_t info[2 + 1 + 255 + 1 + 1], md[EVP_MAX_MD_SIZE];
	size_t llen = strlen(label), n = 0;
	unsigned int mdlen = 0;

	if (outlen > QUIC_SECRET_LEN || sizeof(prefix) - 1 + llen > 255)
		return -1;
	info[n++] = (uint8_t)(outlen >> 8);
	info[n++] = (uint8_t)outlen;
	info[n++] = (uint8_t)(sizeof(prefix) - 1 + llen);
	memcpy(info + n, prefix, sizeof(prefix) - 1);
	n += sizeof(prefix) - 1;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = 0;			/* empty context */
	info[n++] = 1;			/* T(1) counter */
	if (HMAC(EVP_sha256(), secret, QUIC_SECRET_LEN, info, n, md,
	    &mdlen) == NULL || mdlen < outlen)
		return -1;
	memcpy(out, md, outlen);
	return 0;
}

/*
 * RFC 9001 section 5.2: initial_secret = HKDF-Extract(salt, DCID);
 * client_initial_secret = HKDF-Expand-Label(initial_secret, "client in",
 * "", 32); key, iv and hp from it with "quic key"/"quic iv"/"quic hp"
 * (RFC 9369 section 3.3.2: "quicv2 key"/"quicv2 iv"/"quicv2 hp").
 */
static int
derive(const struct vinfo *vi, const uint8_t *dcid, size_t dcid_len,
    struct quic_keyctx *k)
{
	uint8_t initial[EVP_MAX_MD_SIZE], client[QUIC_SECRET_LEN];
	unsigned int len = 0;
	int rc;

	if (HMAC(EVP_sha256(), vi->salt, 20, dcid, dcid_len, initial,
	    &len) == NULL || len != QUIC_SECRET_LEN)
		return -1;
	rc = expand_label(initial, "client in", client, sizeof(client));
	rc |= expand_label(client, vi->v2 ? "quicv2 key" : "quic key",
	    k->key, QUIC_KEY_LEN);
	rc |= expand_label(client, vi->v2 ? "quicv2 iv" : "quic iv",
	    k->iv, QUIC_IV_LEN);
	rc |= expand_label(client, vi->v2 ? "quicv2 hp" : "quic hp",
	    k->hp, QUIC_KEY_LEN);
	return rc == 0 ? 0 : -1;
}

/* RFC 9001 section 5.4.3: mask = AES-ECB(hp_key, sample). */
static int
hp_mask(const uint8_t *hp, const uint8_t *sample, uint8_t mask[16])
{
	EVP_CIPHER_CTX *c;
	int n = 0, ok;

	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	    EVP_EncryptUpdate(c, mask, &n, sample, QUIC_SAMPLE_LEN) == 1 &&
	    n == QUIC_SAMPLE_LEN;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/*
 * RFC 9001 section 5.3: AEAD_AES_128_GCM with nonce = iv XOR the packet
 * number (left-padded to 12 octets), and the header as associated data.
 * The header is fed in three pieces because its first octet and packet
 * number differ from the protected bytes in the datagram.
 */
static int
aead_open(const struct quic_keyctx *k, uint64_t pn, uint8_t b0,
    const uint8_t *hdr_rest, size_t hdr_rest_len, const uint8_t *pnb,
    size_t pnlen, const uint8_t *ct, size_t ctlen, const uint8_t *tag,
    uint8_t *plain)
{
	EVP_CIPHER_CTX *c;
	uint8_t nonce[QUIC_IV_LEN];
	int n = 0, ok;
	size_t i;

	memcpy(nonce, k->iv, sizeof(nonce));
	for (i = 0; i < 8; i++)
		nonce[QUIC_IV_LEN - 1 - i] ^= (uint8_t)(pn >> (8 * i));
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, QUIC_IV_LEN,
	    NULL) == 1 &&
	    EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &n, &b0, 1) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &n, hdr_rest, (int)hdr_rest_len) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &n, pnb, (int)pnlen) == 1 &&
	    (ctlen == 0 ||
	    EVP_DecryptUpdate(c, plain, &n, ct, (int)ctlen) == 1) &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, QUIC_TAG_LEN,
	    (void *)(uintptr_t)tag) == 1 &&
	    EVP_DecryptFinal_ex(c, plain + ctlen, &n) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* RFC 9000 appendix A.3. */
static uint64_t
decode_pn(uint64_t largest, uint64_t truncated, size_t nbits)
{
	uint64_t expected = largest + 1, win = (uint64_t)1 << nbits;
	uint64_t hwin = win / 2, cand;

	cand = (expected & ~(win - 1)) | truncated;
	if (cand + hwin <= expected && cand < ((uint64_t)1 << 62) - win)
		return cand + win;
	if (cand > expected + hwin && cand >= win)
		return cand - win;
	return cand;
}

static void
add_frag(struct quic_initial *out, uint64_t off, const uint8_t *p, size_t n)
{
	if (out->nfrags >= QUIC_MAX_FRAGS) {
		out->truncated = 1;
		return;
	}
	out->frags[out->nfrags].offset = off;
	out->frags[out->nfrags].data = p;
	out->frags[out->nfrags].len = n;
	out->nfrags++;
}

/*
 * RFC 9000 section 19 (and 17.2.2: only PADDING, PING, ACK, CRYPTO and
 * CONNECTION_CLOSE may appear in an Initial):
 *
 *	CRYPTO { type 0x06, offset (i), length (i), data }
 *	ACK { type 0x02..0x03, largest (i), delay (i), range count (i),
 *	      first range (i), ranges (gap (i), length (i)) ..., [ECN x3 (i)] }
 *	CONNECTION_CLOSE { type 0x1c, error (i), frame type (i),
 *	      reason length (i), reason }
 *
 * Q050, T050 and T051 have gQUIC's CRYPTO frame instead: type 0x08,
 * then the IETF layout. Anything else ends the walk, keeping what was
 * found.
 */
static void
frames(struct rd *r, int gframes, struct quic_initial *out)
{
	uint64_t type, off, n, i;
	const uint8_t *p;

	while (rd_left(r) > 0) {
		type = rd_varint(r);
		switch (type) {
		case FRAME_PADDING:
		case FRAME_PING:
			break;
		case FRAME_ACK:
		case FRAME_ACK_ECN:
			(void)rd_varint(r);
			(void)rd_varint(r);
			n = rd_varint(r);
			(void)rd_varint(r);
			for (i = 0; i < n && rd_ok(r); i++) {
				(void)rd_varint(r);
				(void)rd_varint(r);
			}
			if (type == FRAME_ACK_ECN) {
				(void)rd_varint(r);
				(void)rd_varint(r);
				(void)rd_varint(r);
			}
			break;
		case FRAME_CONN_CLOSE:
			(void)rd_varint(r);
			(void)rd_varint(r);
			n = rd_varint(r);
			if (n > rd_left(r))
				return;
			rd_skip(r, (size_t)n);
			break;
		case FRAME_CRYPTO:
		case GQUIC_FRAME_CRYPTO:
			if ((type == FRAME_CRYPTO) == (gframes != 0))
				return;
			off = rd_varint(r);
			n = rd_varint(r);
			if (!rd_ok(r) || n > rd_left(r))
				return;
			p = rd_bytes(r, (size_t)n);
			if (p != NULL && n > 0)
				add_frag(out, off, p, (size_t)n);
			break;
		default:
			return;
		}
		if (!rd_ok(r))
			return;
	}
}

/*
 * Removes header protection and decrypts one Initial whose packet number
 * starts at pn_off in pkt[0..pktlen), with the keys in k. On success the
 * plaintext is at out->plain + *used and its length in *plen.
 */
static int
open_packet(const struct quic_keyctx *k,
    const uint8_t *pkt, size_t pn_off, size_t pktlen, struct quic_initial *out,
    size_t used, size_t *plen, uint64_t *pn_out)
{
	uint8_t mask[16] = { 0 }, b0, pnb[QUIC_PN_MAX_LEN];
	size_t pnlen, i, hdr, ctlen;
	uint64_t pn = 0;

	if (pn_off + QUIC_PN_MAX_LEN + QUIC_SAMPLE_LEN > pktlen)
		return -1;
	if (hp_mask(k->hp, pkt + pn_off + QUIC_PN_MAX_LEN, mask) == -1)
		return -1;
	b0 = pkt[0] ^ (mask[0] & QUIC_LONG_HP_MASK);
	pnlen = (size_t)(b0 & QUIC_PN_LEN_MASK) + 1;
	for (i = 0; i < pnlen; i++) {
		pnb[i] = pkt[pn_off + i] ^ mask[1 + i];
		pn = pn << 8 | pnb[i];
	}
	hdr = pn_off + pnlen;
	if (pktlen < hdr + QUIC_TAG_LEN)
		return -1;
	ctlen = pktlen - hdr - QUIC_TAG_LEN;
	if (ctlen > QUIC_PLAIN_MAX - used) {
		out->truncated = 1;
		return -1;
	}
	pn = decode_pn(k->largest_pn, pn, 8 * pnlen);
	if (aead_open(k, pn, b0, pkt + 1, pn_off - 1, pnb, pnlen, pkt + hdr,
	    ctlen, pkt + pktlen - QUIC_TAG_LEN, out->plain + used) == -1)
		return -1;
	*plen = ctlen;
	*pn_out = pn;
	return 0;
}

/*
 * Long header, RFC 9000 section 17.2 (RFC 9369 section 3.2 for v2's type
 * bits):
 *
 *	+-+-+-+-+-+-+-+-+
 *	|1|1|T T|R R|P P|   P = packet number length - 1 (protected)
 *	+-+-+-+-+-+-+-+-+-------------------------------------------+
 *	|                        Version (32)                        |
 *	+-+-+-+-+-+-+-+-+--------------------------------------------+
 *	| DCID Len (8)  | Destination Connection ID (0..160) ...
 *	| SCID Len (8)  | Source Connection ID (0..160) ...
 *	| Token Length (i) | Token ...              (Initial only)
 *	| Length (i)    | Packet Number (8..32) | Protected Payload ...
 *
 * Coalesced packets follow one another (RFC 9000 section 12.2) until a
 * short header or the end of the datagram.
 */
static enum dis_result
ietf(const uint8_t *dgram, size_t len, uint32_t version,
    struct quic_keyctx *ctx, struct quic_initial *out)
{
	struct vinfo vi;
	struct quic_keyctx own;
	struct rd r;
	const uint8_t *pkt, *dcid;
	uint8_t b0, dcil, scil, type, initial;
	uint64_t tok, plen64, pn = 0;
	size_t start, pn_off, pktlen, used = 0, n = 0;
	int bad = 0;
	struct rd fr;

	if (vinfo_get(version, &vi) == -1)
		return DIS_NOTME;
	out->version = version;
	out->is_gquic = vi.gquic;
	initial = vi.v2 ? QUIC_V2_TYPE_INITIAL : QUIC_TYPE_INITIAL;
	rd_init(&r, dgram, len);
	while (rd_left(&r) > 0) {
		start = rd_pos(&r);
		b0 = rd_u8(&r);
		if (!(b0 & QUIC_LONG_HEADER) || rd_be32(&r) != version)
			break;
		type = (uint8_t)(b0 >> QUIC_TYPE_SHIFT & QUIC_TYPE_MASK);
		if (type == (vi.v2 ? QUIC_V2_TYPE_RETRY : QUIC_TYPE_RETRY))
			break;
		dcil = rd_u8(&r);
		dcid = rd_bytes(&r, dcil);
		scil = rd_u8(&r);
		rd_skip(&r, scil);
		if (!rd_ok(&r) || dcil > QUIC_MAX_CID || scil > QUIC_MAX_CID) {
			bad = 1;
			break;
		}
		if (type == initial) {
			tok = rd_varint(&r);
			if (tok > rd_left(&r)) {
				bad = 1;
				break;
			}
			rd_skip(&r, (size_t)tok);
		}
		plen64 = rd_varint(&r);
		if (!rd_ok(&r) || plen64 > rd_left(&r)) {
			bad = 1;
			break;
		}
		pn_off = rd_pos(&r) - start;
		pktlen = pn_off + (size_t)plen64;
		pkt = dgram + start;
		rd_skip(&r, (size_t)plen64);
		if (type != initial)
			continue;
		if (!ctx->have || ctx->version != version) {
			memset(ctx, 0, sizeof(*ctx));
			if (derive(&vi, dcid, dcil, ctx) == -1)
				return DIS_BAD;
			ctx->version = version;
			memcpy(ctx->dcid, dcid, dcil);
			ctx->dcid_len = dcil;
			ctx->have = 1;
		}
		if (open_packet(ctx, pkt, pn_off, pktlen, out, used, &n,
		    &pn) == 0) {
			if (pn > ctx->largest_pn)
				ctx->largest_pn = pn;
		} else {
			/* Not the flow's first DCID after all? */
			memset(&own, 0, sizeof(own));
			if (dcil == ctx->dcid_len &&
			    memcmp(dcid, ctx->dcid, dcil) == 0) {
				bad = 1;
				continue;
			}
			if (derive(&vi, dcid, dcil, &own) == -1 ||
			    open_packet(&own, pkt, pn_off, pktlen, out,
			    used, &n, &pn) == -1) {
				bad = 1;
				continue;
			}
		}
		rd_init(&fr, out->plain + used, n);
		used += n;
		out->npackets++;
		frames(&fr, vi.gframes, out);
	}
	if (out->npackets == 0)
		return bad ? DIS_BAD : DIS_NOTME;
	if (vi.gquic)
		for (n = 0; n < out->nfrags; n++)
			if (out->frags[n].offset == 0)
				(void)quic_parse_chlo(out->frags[n].data,
				    out->frags[n].len, out);
	return DIS_OK;
}

/*
 * Google QUIC up to Q046 sends its first CHLO in cleartext, inside a
 * STREAM frame for stream 1 after a public header whose layout changed
 * from version to version (Q043's public flags, Q046's long header). The
 * message starts with its own tag, so it is looked for in the datagram
 * rather than reached by parsing every header variant.
 */
static enum dis_result
gquic_old(const uint8_t *dgram, size_t len, uint32_t version,
    struct quic_initial *out)
{
	size_t i;

	out->version = version;
	out->is_gquic = 1;
	for (i = 0; i + 4 <= len; i++) {
		if (dgram[i] != 'C' || memcmp(dgram + i, "CHLO", 4) != 0)
			continue;
		if (quic_parse_chlo(dgram + i, len - i, out) == DIS_OK)
			return DIS_OK;
	}
	return DIS_BAD;
}

enum dis_result
quic_parse_client(const uint8_t *dgram, size_t len, struct quic_keyctx *ctx,
    struct quic_initial *out)
{
	struct rd r;
	uint8_t b0;
	uint32_t version;
	int q;

	memset(out, 0, offsetof(struct quic_initial, plain));
	rd_init(&r, dgram, len);
	b0 = rd_u8(&r);
	if (!rd_ok(&r))
		return DIS_NOTME;
	if (b0 & QUIC_LONG_HEADER)
		version = rd_be32(&r);
	else if ((b0 & GQUIC_FLAG_VERSION) && (b0 & GQUIC_FLAG_CID8)) {
		/* gQUIC <= Q043: flags, 8-octet CID, version. */
		rd_skip(&r, GQUIC_CID_LEN);
		version = rd_be32(&r);
		q = gquic_q_number(version);
		if (!rd_ok(&r) || q < 0 || q > GQUIC_OLD_MAX)
			return DIS_NOTME;
		return gquic_old(dgram, len, version, out);
	} else
		return DIS_NOTME;
	if (!rd_ok(&r))
		return DIS_NOTME;
	q = gquic_q_number(version);
	if (q >= 0 && q <= GQUIC_OLD_MAX)
		return gquic_old(dgram, len, version, out);
	return ietf(dgram, len, version, ctx, out);
}

/*
 * gQUIC handshake message (QUIC Crypto, "Handshake Message Format"):
 *
 *	+------+-------+-------+----------------------+---------------
 *	| tag  | count | pad   | count x (tag, end)   | values ...
 *	| (4)  | le16  | (2)   | (4) + le32           |
 *	+------+-------+-------+----------------------+---------------
 *
 * Each value runs from the previous entry's end offset to its own.
 */
enum dis_result
quic_parse_chlo(const uint8_t *p, size_t len, struct quic_initial *out)
{
	struct rd r, idx;
	uint32_t tag, end, prev = 0;
	uint16_t count;
	size_t base, i, k, vlen;
	const uint8_t *v;

	rd_init(&r, p, len);
	tag = rd_be32(&r);
	if (!rd_ok(&r))
		return len >= 4 || memcmp(p, "CHLO", len) != 0 ? DIS_NOTME :
		    DIS_MORE;
	if (tag != CHLO_TAG)
		return DIS_NOTME;
	count = rd_le16(&r);
	rd_skip(&r, 2);
	if (!rd_ok(&r))
		return DIS_MORE;
	if (count > CHLO_MAX_TAGS)
		return DIS_BAD;
	idx = rd_sub(&r, (size_t)count * 8);
	if (!rd_ok(&r))
		return DIS_MORE;
	base = rd_pos(&r);
	for (i = 0; i < count; i++) {
		tag = rd_be32(&idx);
		end = rd_le32(&idx);
		if (end < prev || end > CHLO_MAX_LEN)
			return DIS_BAD;
		prev = end;
	}
	if (base + prev > len)
		return DIS_MORE;
	rd_init(&idx, p + 8, (size_t)count * 8);
	for (i = 0, prev = 0; i < count; i++) {
		tag = rd_be32(&idx);
		end = rd_le32(&idx);
		v = p + base + prev;
		vlen = end - prev;
		prev = end;
		if (tag == CHLO_TAG_SNI)
			(void)hostname_norm(out->gquic_sni,
			    sizeof(out->gquic_sni), v, vlen, 0);
		else if (tag == CHLO_TAG_UAID) {
			for (k = 0; k < vlen &&
			    k < sizeof(out->gquic_uaid) - 1; k++)
				out->gquic_uaid[k] = v[k] >= 0x20 &&
				    v[k] < 0x7f ? (char)v[k] : '?';
			out->gquic_uaid[k] = '\0';
		}
	}
	return DIS_OK;
}
