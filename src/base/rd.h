/* SPDX-License-Identifier: ISC */
/*
 * rd.h: bounds-checked reads from untrusted bytes.
 *
 * A reader is a window [p, p+len) and a cursor. The first read that would
 * cross the end sets err; from then on every read returns 0 and moves
 * nothing. Check rd_ok() before acting on what was read. This is the only
 * way dissectors touch packet bytes.
 */
#ifndef SHADOWTAP_RD_H
#define SHADOWTAP_RD_H

#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 err;
};

static inline void
rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p != NULL ? len : 0;
	r->off = 0;
	r->err = 0;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static inline int
rd_ok(const struct rd *r)
{
	return !r->err;
}

/* Current position within the window (for offsets into the parent buffer). */
static inline size_t
rd_pos(const struct rd *r)
{
	return r->off;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (rd_left(r) < 1) {
		r->err = 1;
		return 0;
	}
	return r->p[r->off++];
}

static inline uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (rd_left(r) < 2) {
		r->err = 1;
		return 0;
	}
	v = (uint16_t)((uint32_t)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t
rd_be24(struct rd *r)
{
	uint32_t v;

	if (rd_left(r) < 3) {
		r->err = 1;
		return 0;
	}
	v = (uint32_t)r->p[r->off] << 16 | (uint32_t)r->p[r->off + 1] << 8 |
	    r->p[r->off + 2];
	r->off += 3;
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	uint32_t v;

	if (rd_left(r) < 4) {
		r->err = 1;
		return 0;
	}
	v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	    (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

/* Little-endian 16/32 for the few formats that use it (BSD loopback, pcap). */
static inline uint32_t
rd_le32(struct rd *r)
{
	uint32_t v;

	if (rd_left(r) < 4) {
		r->err = 1;
		return 0;
	}
	v = (uint32_t)r->p[r->off + 3] << 24 | (uint32_t)r->p[r->off + 2] << 16 |
	    (uint32_t)r->p[r->off + 1] << 8 | r->p[r->off];
	r->off += 4;
	return v;
}

static inline uint16_t
rd_le16(struct rd *r)
{
	uint16_t v;

	if (rd_left(r) < 2) {
		r->err = 1;
		return 0;
	}
	v = (uint16_t)((uint32_t)r->p[r->off + 1] << 8 | r->p[r->off]);
	r->off += 2;
	return v;
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	if (r->err || rd_left(r) < n) {
		r->err = 1;
		return;
	}
	r->off += n;
}

/* Returns a pointer to the next n bytes and moves past them, or NULL. */
static inline const uint8_t *
rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *b;

	if (r->err || rd_left(r) < n) {
		r->err = 1;
		return NULL;
	}
	b = r->p + r->off;
	r->off += n;
	return b;
}

/* Copies the next n bytes into dst and moves past them; dst untouched on error. */
static inline void
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *b = rd_bytes(r, n);
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < n; i++)
		((uint8_t *)dst)[i] = b[i];
}

/* Carve the next n bytes out as a child reader; the parent moves past them. */
static inline struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd c;

	if (r->err || rd_left(r) < n) {
		r->err = 1;
		rd_init(&c, NULL, 0);
		c.err = 1;
		return c;
	}
	rd_init(&c, r->p + r->off, n);
	r->off += n;
	return c;
}

/* The rest of the window as a child reader; the parent ends up empty. */
static inline struct rd
rd_rest(struct rd *r)
{
	return rd_sub(r, rd_left(r));
}

#endif
