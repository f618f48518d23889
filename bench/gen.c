/* SPDX-License-Identifier: ISC */
/*
 * gen.c: writes a reproducible synthetic capture (classic pcap, Ethernet)
 * for the benchmark. The same seed and options always give the same bytes.
 *
 * Thousands of devices (10.0.0.0/16, a share on fd00:5eed::/64 ULA, some
 * behind 802.1Q tags) talk to thousands of servers. Flows are interleaved
 * from a pool of concurrently open ones: TLS over TCP (handshake,
 * ClientHello with SNI, data both ways, FIN), QUIC (a real, decryptable
 * v1 Initial carrying a ClientHello with SNI, then short-header data),
 * DNS query/response pairs that answer with the server's address, and
 * plain HTTP GETs with a Host header. TCP sequence numbers are consistent
 * so that stream reassembly sees in-order segments.
 *
 * --flood N writes N single-packet flows instead (TCP SYNs from distinct
 * sources), for the flow-table memory test.
 */
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define PCAP_MAGIC_US	0xa1b2c3d4u
#define DLT_EN10MB	1
#define SNAPLEN		65535
#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_VLAN	0x8100	/* IEEE 802.1Q */
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_PSH		0x08
#define TH_ACK		0x10
#define IP_MTU		1500
#define QUIC_V1		0x00000001u	/* RFC 9000 */
#define QUIC_MIN_INITIAL 1200		/* RFC 9000 §14.1 */

/* splitmix64: tiny, fast, and identical on every platform. */
static uint64_t	rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t
rndn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static uint32_t
rndr(uint32_t lo, uint32_t hi)
{
	return lo + rndn(hi - lo + 1);
}

static void
rndfill(uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((i & 7) == 0)
			v = rnd();
		p[i] = (uint8_t)(v >> ((i & 7) * 8));
	}
}

/* Names: catalog services first, then random ones that match nothing. */
static const char *const known_names[] = {
	"www.dropbox.com", "drive.google.com", "web.whatsapp.com",
	"chatgpt.com", "teams.microsoft.com", "www.google.com",
	"www.youtube.com", "login.microsoftonline.com", "outlook.office365.com",
	"github.com", "api.github.com", "slack.com", "files.slack.com",
	"zoom.us", "us05web.zoom.us", "www.icloud.com", "onedrive.live.com",
	"www.box.com", "mega.nz", "wetransfer.com", "claude.ai",
	"gemini.google.com", "copilot.microsoft.com", "www.notion.so",
	"discord.com", "telegram.org", "web.telegram.org", "signal.org",
	"www.facebook.com", "www.instagram.com", "www.linkedin.com",
	"www.netflix.com", "open.spotify.com", "www.amazon.com",
	"docs.google.com", "mail.google.com", "www.wikipedia.org",
	"update.microsoft.com", "www.apple.com", "cdn.jsdelivr.net",
};
#define NKNOWN	(sizeof(known_names) / sizeof(known_names[0]))
#define NAME_LEN 64

/* Names that match nothing (--names; 1000 by default). */
static char	(*rnd_names)[NAME_LEN];
static uint32_t	 nrandom = 1000;

/* Server i's name: odd servers are catalog services, even ones are not. */
static const char *
name_of(uint32_t i)
{
	if (i & 1)
		return known_names[(i >> 1) % NKNOWN];
	return rnd_names[(i >> 1) % nrandom];
}

static void
make_names(void)
{
	static const char *const tld[] = { "com", "net", "io", "org", "de" };
	static const char *const sub[] = { "www", "api", "cdn", "static",
	    "img", "edge" };
	char label[16];
	size_t i, j, n;

	if ((rnd_names = calloc(nrandom, sizeof(*rnd_names))) == NULL) {
		perror("gen: calloc");
		exit(1);
	}
	for (i = 0; i < nrandom; i++) {
		n = rndr(5, 12);
		for (j = 0; j < n; j++)
			label[j] = (char)('a' + rndn(26));
		label[n] = '\0';
		snprintf(rnd_names[i], NAME_LEN, "%s.%s-%u.%s",
		    sub[rndn(6)], label, rndn(100), tld[rndn(5)]);
	}
}

struct host {
	uint8_t		 v6;
	uint8_t		 ip4[4];
	uint8_t		 ip6[16];
	uint8_t		 mac[6];
	uint16_t	 vlan;		/* 0 = untagged */
};

static struct host	*devices, *servers4, *servers6;
static uint32_t		 ndevices = 4000, nservers = 3000;
static const uint8_t	 gw_mac[6] = { 0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01 };
static const uint8_t	 resolver4[4] = { 10, 0, 0, 53 };
static const uint8_t	 resolver6[16] = { 0xfd, 0x00, 0x5e, 0xed, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x53 };

static void
make_hosts(uint32_t v6_pct, uint32_t vlan_pct)
{
	uint32_t i, a;

	devices = calloc(ndevices, sizeof(*devices));
	servers4 = calloc(nservers, sizeof(*servers4));
	servers6 = calloc(nservers, sizeof(*servers6));
	if (devices == NULL || servers4 == NULL || servers6 == NULL) {
		perror("gen: calloc");
		exit(1);
	}
	for (i = 0; i < ndevices; i++) {
		struct host *d = &devices[i];

		a = i + 256;	/* skip 10.0.0.x, where the resolver lives */
		d->ip4[0] = 10;
		d->ip4[1] = 0;
		d->ip4[2] = (uint8_t)(a >> 8);
		d->ip4[3] = (uint8_t)a;
		d->ip6[0] = 0xfd;
		d->ip6[1] = 0x00;
		d->ip6[2] = 0x5e;
		d->ip6[3] = 0xed;
		rndfill(d->ip6 + 8, 8);
		d->mac[0] = 0x02;
		d->mac[1] = 0x5e;
		d->mac[2] = (uint8_t)(i >> 24);
		d->mac[3] = (uint8_t)(i >> 16);
		d->mac[4] = (uint8_t)(i >> 8);
		d->mac[5] = (uint8_t)i;
		d->v6 = rndn(100) < v6_pct;
		d->vlan = rndn(100) < vlan_pct ? (uint16_t)rndr(10, 40) : 0;
	}
	for (i = 0; i < nservers; i++) {
		struct host *s = &servers4[i];

		/* Public-looking unicast: first octet 11..223, not 127. */
		do
			s->ip4[0] = (uint8_t)rndr(11, 223);
		while (s->ip4[0] == 127 || s->ip4[0] == 172 ||
		    s->ip4[0] == 192 || s->ip4[0] == 100);
		s->ip4[1] = (uint8_t)rnd();
		s->ip4[2] = (uint8_t)rnd();
		s->ip4[3] = (uint8_t)rndr(1, 254);
		s = &servers6[i];
		s->v6 = 1;
		s->ip6[0] = 0x2a;
		s->ip6[1] = 0x00;
		rndfill(s->ip6 + 2, 14);
	}
}

/* Output: classic pcap, microsecond timestamps, written by hand. */
static FILE	*out;
static uint64_t	 now_us = 1700000000ull * 1000000ull;
static uint64_t	 npkts, nbytes;

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
write_header(void)
{
	uint8_t h[24];

	le32(h, PCAP_MAGIC_US);
	h[4] = 2; h[5] = 0; h[6] = 4; h[7] = 0;	/* version 2.4 */
	le32(h + 8, 0);
	le32(h + 12, 0);
	le32(h + 16, SNAPLEN);
	le32(h + 20, DLT_EN10MB);
	if (fwrite(h, 1, sizeof(h), out) != sizeof(h)) {
		perror("gen: write");
		exit(1);
	}
}

static void
write_record(const uint8_t *frame, size_t len)
{
	uint8_t h[16];

	le32(h, (uint32_t)(now_us / 1000000));
	le32(h + 4, (uint32_t)(now_us % 1000000));
	le32(h + 8, (uint32_t)len);
	le32(h + 12, (uint32_t)len);
	if (fwrite(h, 1, sizeof(h), out) != sizeof(h) ||
	    fwrite(frame, 1, len, out) != len) {
		perror("gen: write");
		exit(1);
	}
	npkts++;
	nbytes += len;
}

/* RFC 791 header checksum. */
static uint16_t
ip_cksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

struct flow {
	int		 kind;		/* FK_* */
	int		 state;
	const struct host *dev;
	const struct host *srv;
	const uint8_t	*srv_ip;	/* overrides srv (the DNS resolver) */
	const char	*name;
	uint16_t	 sport, dport;
	uint8_t		 proto;
	uint8_t		 v6;
	uint32_t	 seq[2];	/* next sequence number per direction */
	uint32_t	 data_left;	/* data packets still to send */
	uint8_t		 cid[8];	/* QUIC connection id */
	uint16_t	 dns_id;
};

enum { FK_TLS, FK_QUIC, FK_DNS, FK_HTTP };
enum { UP = 0, DOWN = 1 };

static uint8_t	 frame[ETH_HLEN + VLAN_HLEN + 40 + 60 + IP_MTU + 64];
static uint8_t	 junk[4096];

/*
 * Builds one frame of flow f in direction dir around a payload of n bytes
 * at pl (may be NULL: taken from junk), and writes it.
 */
static void
emit(struct flow *f, int dir, uint8_t flags, const uint8_t *pl, size_t n)
{
	const uint8_t *dev_ip = f->v6 ? f->dev->ip6 : f->dev->ip4;
	const uint8_t *srv_ip = f->srv_ip != NULL ? f->srv_ip :
	    (f->v6 ? f->srv->ip6 : f->srv->ip4);
	const uint8_t *sip = dir == UP ? dev_ip : srv_ip;
	const uint8_t *dip = dir == UP ? srv_ip : dev_ip;
	size_t off = 0, l4len, iplen, alen = f->v6 ? 16 : 4;
	uint8_t *ip, *l4;

	memcpy(frame, dir == UP ? gw_mac : f->dev->mac, 6);
	memcpy(frame + 6, dir == UP ? f->dev->mac : gw_mac, 6);
	off = 12;
	if (f->dev->vlan != 0) {
		put16(frame + off, ETHERTYPE_VLAN);
		put16(frame + off + 2, f->dev->vlan);
		off += 4;
	}
	put16(frame + off, f->v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	off += 2;
	ip = frame + off;
	l4len = (f->proto == IPPROTO_TCP_ ? 20 : 8) + n;
	if (f->v6) {
		iplen = 40 + l4len;
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, (uint32_t)l4len);
		ip[6] = f->proto;
		ip[7] = 64;
		memcpy(ip + 8, sip, alen);
		memcpy(ip + 24, dip, alen);
		l4 = ip + 40;
	} else {
		iplen = 20 + l4len;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint32_t)iplen);
		put16(ip + 4, (uint32_t)(npkts & 0xffff));
		ip[6] = 0x40;	/* DF */
		ip[8] = dir == UP ? 64 : 52;
		ip[9] = f->proto;
		memcpy(ip + 12, sip, alen);
		memcpy(ip + 16, dip, alen);
		put16(ip + 10, ip_cksum(ip, 20));
		l4 = ip + 20;
	}
	put16(l4, dir == UP ? f->sport : f->dport);
	put16(l4 + 2, dir == UP ? f->dport : f->sport);
	if (f->proto == IPPROTO_TCP_) {
		put32(l4 + 4, f->seq[dir]);
		put32(l4 + 8, (flags & TH_ACK) ? f->seq[!dir] : 0);
		l4[12] = 5 << 4;
		l4[13] = flags;
		put16(l4 + 14, 64240);
		put16(l4 + 16, 0);
		put16(l4 + 18, 0);
		f->seq[dir] += (uint32_t)n + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
		l4 += 20;
	} else {
		put16(l4 + 4, (uint32_t)l4len);
		put16(l4 + 6, 0);
		l4 += 8;
	}
	memcpy(l4, pl != NULL ? pl : junk, n);
	write_record(frame, (size_t)(l4 - frame) + n);
}

/* IP payload size for a data packet: most are full-size downstream. */
static size_t
data_size(int dir, size_t hdr)
{
	uint32_t r = rndn(100);
	size_t ip;

	if (dir == DOWN)
		ip = r < 75 ? IP_MTU : rndr(60, IP_MTU);
	else
		ip = r < 45 ? rndr(60, 200) : r < 75 ? IP_MTU :
		    rndr(60, IP_MTU);
	return ip > hdr ? ip - hdr : 0;
}

/*
 * TLS 1.3-style ClientHello handshake message (RFC 8446 §4.1.2), without
 * the record header, into p. With quic set, adds the QUIC transport
 * parameters extension and ALPN h3. Returns its length.
 */
static size_t
client_hello(uint8_t *p, const char *sni, int quic)
{
	static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303, 0xc02b,
	    0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
	    0x009d, 0x002f, 0x0035 };
	static const uint8_t groups[] = { 0, 8, 0, 0x1d, 0, 0x17, 0, 0x18,
	    0, 0x19 };
	static const uint8_t sigalgs[] = { 0, 16, 0x04, 0x03, 0x08, 0x04, 0x04,
	    0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01 };
	size_t o = 0, ext, nl = strlen(sni), i, alpn;

	p[o++] = 1;			/* client_hello */
	o += 3;				/* length, below */
	put16(p + o, 0x0303);
	o += 2;
	rndfill(p + o, 32);
	o += 32;
	if (quic) {
		p[o++] = 0;
	} else {
		p[o++] = 32;
		rndfill(p + o, 32);
		o += 32;
	}
	put16(p + o, (uint32_t)(2 * (sizeof(suites) / sizeof(suites[0]))));
	o += 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++, o += 2)
		put16(p + o, suites[i]);
	p[o++] = 1;
	p[o++] = 0;
	ext = o;
	o += 2;
	/* server_name (RFC 6066 §3) */
	put16(p + o, 0x0000);
	put16(p + o + 2, (uint32_t)(nl + 5));
	put16(p + o + 4, (uint32_t)(nl + 3));
	p[o + 6] = 0;
	put16(p + o + 7, (uint32_t)nl);
	memcpy(p + o + 9, sni, nl);
	o += 9 + nl;
	/* supported_groups, ec_point_formats, signature_algorithms */
	put16(p + o, 0x000a);
	put16(p + o + 2, sizeof(groups));
	memcpy(p + o + 4, groups, sizeof(groups));
	o += 4 + sizeof(groups);
	if (!quic) {
		put16(p + o, 0x000b);
		put16(p + o + 2, 2);
		p[o + 4] = 1;
		p[o + 5] = 0;
		o += 6;
	}
	put16(p + o, 0x000d);
	put16(p + o + 2, sizeof(sigalgs));
	memcpy(p + o + 4, sigalgs, sizeof(sigalgs));
	o += 4 + sizeof(sigalgs);
	/* ALPN (RFC 7301) */
	put16(p + o, 0x0010);
	alpn = o + 2;
	o += 6;
	if (quic) {
		p[o++] = 2;
		memcpy(p + o, "h3", 2);
		o += 2;
	} else {
		p[o++] = 2;
		memcpy(p + o, "h2", 2);
		o += 2;
		p[o++] = 8;
		memcpy(p + o, "http/1.1", 8);
		o += 8;
	}
	put16(p + alpn, (uint32_t)(o - alpn - 2));
	put16(p + alpn + 2, (uint32_t)(o - alpn - 4));
	/* supported_versions: TLS 1.3, 1.2 */
	put16(p + o, 0x002b);
	put16(p + o + 2, quic ? 3 : 5);
	p[o + 4] = quic ? 2 : 4;
	put16(p + o + 5, 0x0304);
	if (!quic)
		put16(p + o + 7, 0x0303);
	o += quic ? 7 : 9;
	/* psk_key_exchange_modes, key_share (x25519) */
	put16(p + o, 0x002d);
	put16(p + o + 2, 2);
	p[o + 4] = 1;
	p[o + 5] = 1;
	o += 6;
	put16(p + o, 0x0033);
	put16(p + o + 2, 38);
	put16(p + o + 4, 36);
	put16(p + o + 6, 0x001d);
	put16(p + o + 8, 32);
	rndfill(p + o + 10, 32);
	o += 42;
	if (quic) {
		/* quic_transport_parameters (RFC 9001 §8.2) */
		static const uint8_t tp[] = { 0x01, 0x02, 0x67, 0x10, 0x04,
		    0x04, 0x80, 0x0f, 0x00, 0x00, 0x0e, 0x01, 0x08 };

		put16(p + o, 0x0039);
		put16(p + o + 2, sizeof(tp));
		memcpy(p + o + 4, tp, sizeof(tp));
		o += 4 + sizeof(tp);
	}
	put16(p + ext, (uint32_t)(o - ext - 2));
	p[1] = (uint8_t)((o - 4) >> 16);
	p[2] = (uint8_t)((o - 4) >> 8);
	p[3] = (uint8_t)(o - 4);
	return o;
}

/* RFC 8446 §7.1 HKDF-Expand-Label with an empty context, len <= 32. */
static void
hkdf_expand_label(const uint8_t *secret, const char *label, uint8_t *outp,
    size_t len)
{
	uint8_t info[64], t[32];
	unsigned int tl = sizeof(t);
	size_t ll = strlen(label), o = 0;

	info[o++] = 0;
	info[o++] = (uint8_t)len;
	info[o++] = (uint8_t)(6 + ll);
	memcpy(info + o, "tls13 ", 6);
	o += 6;
	memcpy(info + o, label, ll);
	o += ll;
	info[o++] = 0;
	info[o++] = 1;		/* HKDF-Expand counter, first block */
	HMAC(EVP_sha256(), secret, 32, info, o, t, &tl);
	memcpy(outp, t, len);
}

/*
 * A QUIC v1 client Initial (RFC 9000 §17.2.2), protected as RFC 9001 §5
 * says so that a dissector can decrypt it, carrying ch[0..chlen) in one
 * CRYPTO frame and padded to 1200 bytes. Returns the UDP payload length.
 */
static size_t
quic_initial(uint8_t *p, const uint8_t dcid[8], const uint8_t *ch,
    size_t chlen)
{
	static const uint8_t salt[] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59,
	    0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc,
	    0xbb, 0x7f, 0x0a };
	uint8_t initial[32], cin[32], key[16], iv[12], hp[16], nonce[12];
	uint8_t plain[QUIC_MIN_INITIAL], mask[32];
	unsigned int il = sizeof(initial);
	size_t o = 0, pn_off, hdr, plen, payload, i;
	uint32_t pn = 0;
	EVP_CIPHER_CTX *c;
	int outl;

	HMAC(EVP_sha256(), salt, sizeof(salt), dcid, 8, initial, &il);
	hkdf_expand_label(initial, "client in", cin, 32);
	hkdf_expand_label(cin, "quic key", key, 16);
	hkdf_expand_label(cin, "quic iv", iv, 12);
	hkdf_expand_label(cin, "quic hp", hp, 16);

	p[o++] = 0xc3;			/* long, fixed, Initial, pn len 4 */
	put32(p + o, QUIC_V1);
	o += 4;
	p[o++] = 8;
	memcpy(p + o, dcid, 8);
	o += 8;
	p[o++] = 8;
	rndfill(p + o, 8);
	o += 8;
	p[o++] = 0;			/* token length */
	hdr = o + 2 + 4;		/* length varint (2 bytes) + pn */
	payload = QUIC_MIN_INITIAL - hdr;	/* pn excluded; incl. tag */
	plen = payload - 16;
	put16(p + o, (uint32_t)(0x4000 | (4 + payload)));
	o += 2;
	pn_off = o;
	put32(p + o, pn);
	o += 4;

	memset(plain, 0, sizeof(plain));	/* PADDING frames */
	plain[0] = 0x06;			/* CRYPTO */
	plain[1] = 0;				/* offset 0 */
	put16(plain + 2, (uint32_t)(0x4000 | chlen));
	memcpy(plain + 4, ch, chlen);

	memcpy(nonce, iv, 12);
	for (i = 0; i < 4; i++)
		nonce[8 + i] ^= (uint8_t)(pn >> (24 - 8 * i));
	c = EVP_CIPHER_CTX_new();
	if (c == NULL ||
	    EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &outl, p, (int)o) != 1 ||
	    EVP_EncryptUpdate(c, p + o, &outl, plain, (int)plen) != 1 ||
	    EVP_EncryptFinal_ex(c, p + o + outl, &outl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16,
	    p + o + plen) != 1) {
		fprintf(stderr, "gen: AES-GCM failed\n");
		exit(1);
	}
	EVP_CIPHER_CTX_free(c);
	o += payload;

	/* Header protection (RFC 9001 §5.4): sample 4 bytes after pn start. */
	c = EVP_CIPHER_CTX_new();
	if (c == NULL ||
	    EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) != 1 ||
	    EVP_EncryptUpdate(c, mask, &outl, p + pn_off + 4, 16) != 1) {
		fprintf(stderr, "gen: AES-ECB failed\n");
		exit(1);
	}
	EVP_CIPHER_CTX_free(c);
	p[0] ^= mask[0] & 0x0f;
	for (i = 0; i < 4; i++)
		p[pn_off + i] ^= mask[1 + i];
	return o;
}

/* DNS query or response (RFC 1035 §4.1) for f->name into p. */
static size_t
dns_msg(const struct flow *f, uint8_t *p, int response)
{
	const char *s = f->name, *dot;
	size_t o = 12, l;
	uint16_t qtype = f->v6 ? 28 : 1;	/* AAAA : A */

	memset(p, 0, 12);
	put16(p, f->dns_id);
	put16(p + 2, response ? 0x8180 : 0x0100);
	put16(p + 4, 1);
	put16(p + 6, response ? 1 : 0);
	for (;;) {
		dot = strchr(s, '.');
		l = dot != NULL ? (size_t)(dot - s) : strlen(s);
		p[o++] = (uint8_t)l;
		memcpy(p + o, s, l);
		o += l;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	p[o++] = 0;
	put16(p + o, qtype);
	put16(p + o + 2, 1);
	o += 4;
	if (response) {
		put16(p + o, 0xc00c);		/* pointer to the question */
		put16(p + o + 2, qtype);
		put16(p + o + 4, 1);
		put32(p + o + 6, 300);
		put16(p + o + 10, f->v6 ? 16 : 4);
		o += 12;
		memcpy(p + o, f->v6 ? f->srv->ip6 : f->srv->ip4,
		    f->v6 ? 16 : 4);
		o += f->v6 ? 16 : 4;
	}
	return o;
}

/* Mean data packets of a TLS/QUIC/HTTP flow; set from -n and -f. */
static uint32_t	 bulk_mean = 40;

static void
flow_new(struct flow *f)
{
	uint32_t r = rndn(100), s;

	memset(f, 0, sizeof(*f));
	f->dev = &devices[rndn(ndevices)];
	f->v6 = f->dev->v6;
	s = rndn(nservers);
	f->srv = f->v6 ? &servers6[s] : &servers4[s];
	f->name = name_of(s);
	f->sport = (uint16_t)rndr(32768, 60999);
	f->seq[UP] = (uint32_t)rnd();
	f->seq[DOWN] = (uint32_t)rnd();
	/* Exponential-ish: sum of two uniforms gives a softer tail. */
	f->data_left = 1 + rndn(bulk_mean) + rndn(bulk_mean);
	if (r < 40) {
		f->kind = FK_TLS;
		f->proto = IPPROTO_TCP_;
		f->dport = 443;
	} else if (r < 55) {
		f->kind = FK_QUIC;
		f->proto = IPPROTO_UDP_;
		f->dport = 443;
		rndfill(f->cid, 8);
	} else if (r < 90) {
		f->kind = FK_DNS;
		f->proto = IPPROTO_UDP_;
		f->dport = 53;
		f->srv_ip = f->v6 ? resolver6 : resolver4;
		f->dns_id = (uint16_t)rnd();
	} else {
		f->kind = FK_HTTP;
		f->proto = IPPROTO_TCP_;
		f->dport = 80;
	}
}

/*
 * Emits the next packet of f. Returns 0 when the flow has finished
 * (the caller replaces it), 1 otherwise.
 */
static int
flow_step(struct flow *f)
{
	uint8_t buf[2048];
	size_t n, hdr;
	int dir;

	hdr = (f->v6 ? 40 : 20) + (f->proto == IPPROTO_TCP_ ? 20 : 8);
	if (f->kind == FK_DNS) {
		n = dns_msg(f, buf, f->state);
		emit(f, f->state ? DOWN : UP, 0, buf, n);
		return f->state++ == 0;
	}
	if (f->kind == FK_QUIC) {
		switch (f->state++) {
		case 0:
			n = client_hello(buf + 1200, f->name, 1);
			n = quic_initial(buf, f->cid, buf + 1200, n);
			emit(f, UP, 0, buf, n);
			return 1;
		case 1:
			/* Server Initial/Handshake: long header, opaque. */
			memcpy(buf, junk, IP_MTU);
			buf[0] = 0xc1;
			put32(buf + 1, QUIC_V1);
			buf[5] = 8;
			emit(f, DOWN, 0, buf, IP_MTU - hdr);
			return 1;
		default:
			if (f->data_left-- == 0)
				return 0;
			dir = rndn(100) < 65 ? DOWN : UP;
			n = data_size(dir, hdr);
			if (n < 20)
				n = 20;
			memcpy(buf, junk, n);
			buf[0] = 0x40 | (junk[n & 1023] & 0x3f);
			memcpy(buf + 1, f->cid, 8);
			emit(f, dir, 0, buf, n);
			return 1;
		}
	}
	/* TCP: TLS or HTTP. */
	switch (f->state++) {
	case 0:
		emit(f, UP, TH_SYN, NULL, 0);
		return 1;
	case 1:
		emit(f, DOWN, TH_SYN | TH_ACK, NULL, 0);
		return 1;
	case 2:
		emit(f, UP, TH_ACK, NULL, 0);
		return 1;
	case 3:
		if (f->kind == FK_TLS) {
			n = client_hello(buf + 5, f->name, 0);
			buf[0] = 22;		/* handshake */
			put16(buf + 1, 0x0301);
			put16(buf + 3, (uint32_t)n);
			n += 5;
		} else {
			n = (size_t)snprintf((char *)buf, sizeof(buf),
			    "GET /%08" PRIx64 "/index.html HTTP/1.1\r\n"
			    "Host: %s\r\n"
			    "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
			    "Accept: */*\r\n\r\n", rnd(), f->name);
		}
		emit(f, UP, TH_PSH | TH_ACK, buf, n);
		return 1;
	case 4:
		if (f->kind == FK_TLS) {
			memcpy(buf, junk, IP_MTU);
			buf[0] = 22;
			put16(buf + 1, 0x0303);
			put16(buf + 3, IP_MTU - 5 - (uint32_t)hdr);
			buf[5] = 2;		/* server_hello */
			n = IP_MTU - hdr;
		} else {
			n = (size_t)snprintf((char *)buf, sizeof(buf),
			    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
			    "Content-Length: %u\r\n\r\n",
			    f->data_left * 1400);
		}
		emit(f, DOWN, TH_PSH | TH_ACK, buf, n);
		return 1;
	case 5:
		if (f->data_left > 0) {
			f->data_left--;
			f->state--;
			dir = rndn(100) < 65 ? DOWN : UP;
			n = data_size(dir, hdr);
			memcpy(buf, junk, n);
			if (f->kind == FK_TLS && n >= 5) {
				buf[0] = 23;	/* application_data */
				put16(buf + 1, 0x0303);
				put16(buf + 3, (uint32_t)(n - 5));
			}
			emit(f, dir, n > 0 ? TH_PSH | TH_ACK : TH_ACK, buf, n);
			return 1;
		}
		emit(f, UP, TH_FIN | TH_ACK, NULL, 0);
		return 1;
	case 6:
		emit(f, DOWN, TH_FIN | TH_ACK, NULL, 0);
		return 1;
	default:
		emit(f, UP, TH_ACK, NULL, 0);
		return 0;
	}
}

/* One SYN per flow from distinct sources: the flow-table flood. */
static void
flood(uint64_t n)
{
	struct host dev, srv;
	struct flow f;
	uint64_t i;
	uint32_t a;

	memset(&dev, 0, sizeof(dev));
	memset(&srv, 0, sizeof(srv));
	memcpy(dev.mac, gw_mac, 6);
	dev.mac[0] = 0x02;
	memset(&f, 0, sizeof(f));
	f.dev = &dev;
	f.srv = &srv;
	f.proto = IPPROTO_TCP_;
	for (i = 0; i < n; i++) {
		/* Distinct source addresses 10.0.0.0/8 upwards, spread out. */
		a = (uint32_t)(0x0a000000u + (i * 2654435761u) % 0x00ffffffu);
		put32(dev.ip4, a);
		put32(srv.ip4, 0xc6336400u | rndn(256));	/* 198.51.100/24 */
		f.sport = (uint16_t)rndr(1024, 65535);
		f.dport = 443;
		f.seq[UP] = (uint32_t)rnd();
		emit(&f, UP, TH_SYN, NULL, 0);
		now_us += 1;
	}
}

static void
usage(void)
{
	fprintf(stderr,
"usage: gen [-n PACKETS] [-f FLOWS] [-c CONCURRENT] [-s SEED]\n"
"           [-d DEVICES] [-S SERVERS] [--v6 PCT] [--vlan PCT]\n"
"           [--names N] -o FILE\n"
"       gen --flood N [-s SEED] -o FILE\n"
"Writes a reproducible synthetic pcap (Ethernet, microsecond stamps).\n"
"  -n PACKETS   packets to write (default 3000000)\n"
"  -f FLOWS     approximate number of flows (default PACKETS/50)\n"
"  -c CONCUR    flows open at once (default 1000)\n"
"  -s SEED      PRNG seed (default 1)\n"
"  -d DEVICES   client devices (default 4000), -S SERVERS (default 3000)\n"
"  --v6 PCT     share of devices on IPv6 ULA (default 20)\n"
"  --vlan PCT   share of devices behind an 802.1Q tag (default 15)\n"
"  --names N    names that match no service (default 1000; half the\n"
"               servers carry one, so -S should be at least twice N)\n"
"  --flood N    write N single-packet TCP SYN flows instead\n");
	exit(2);
}

static uint64_t
num(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		usage();
	return v;
}

int
main(int argc, char *argv[])
{
	static const struct option lo[] = {
		{ "flood", required_argument, NULL, 'F' },
		{ "v6", required_argument, NULL, '6' },
		{ "vlan", required_argument, NULL, 'V' },
		{ "names", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t npackets = 3000000, nflows = 0, nflood = 0, seed = 1;
	uint32_t concur = 1000, v6_pct = 20, vlan_pct = 15, i;
	const char *path = NULL;
	struct flow *pool;
	int ch;

	while ((ch = getopt_long(argc, argv, "n:f:c:s:d:S:o:", lo, NULL)) != -1) {
		switch (ch) {
		case 'n': npackets = num(optarg); break;
		case 'f': nflows = num(optarg); break;
		case 'c': concur = (uint32_t)num(optarg); break;
		case 's': seed = num(optarg); break;
		case 'd': ndevices = (uint32_t)num(optarg); break;
		case 'S': nservers = (uint32_t)num(optarg); break;
		case 'o': path = optarg; break;
		case 'F': nflood = num(optarg); break;
		case '6': v6_pct = (uint32_t)num(optarg); break;
		case 'V': vlan_pct = (uint32_t)num(optarg); break;
		case 'N': nrandom = (uint32_t)num(optarg); break;
		default: usage();
		}
	}
	if (path == NULL || concur == 0 || ndevices == 0 || nservers == 0 ||
	    nrandom == 0)
		usage();
	rng_state = seed;
	out = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (out == NULL) {
		perror(path);
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	write_header();
	rndfill(junk, sizeof(junk));
	if (nflood > 0) {
		flood(nflood);
	} else {
		/*
		 * DNS flows are two packets and take 35% of flows; the rest
		 * carry ~9 packets of setup plus data, sized so that the
		 * whole run has about nflows flows.
		 */
		double per, bulk;

		if (nflows == 0)
			nflows = npackets / 50 > 0 ? npackets / 50 : 1;
		per = (double)npackets / (double)nflows;
		bulk = (per - 0.35 * 2) / 0.65 - 8;
		bulk_mean = bulk < 2 ? 1 : (uint32_t)bulk;
		make_names();
		make_hosts(v6_pct, vlan_pct);
		if ((pool = calloc(concur, sizeof(*pool))) == NULL) {
			perror("gen: calloc");
			return 1;
		}
		for (i = 0; i < concur; i++)
			flow_new(&pool[i]);
		while (npkts < npackets) {
			i = rndn(concur);
			if (!flow_step(&pool[i]))
				flow_new(&pool[i]);
			/* ~20 us between packets on average. */
			now_us += rndn(40);
		}
		free(pool);
	}
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
		perror(path);
		return 1;
	}
	fprintf(stderr, "gen: %" PRIu64 " packets, %" PRIu64 " bytes -> %s\n",
	    npkts, nbytes, path);
	return 0;
}
