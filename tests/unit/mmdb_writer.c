/* SPDX-License-Identifier: ISC */
/*
 * mmdb_writer.c: writes tiny MaxMind DB files for the tests, following
 * the public MaxMind DB File Format Specification 2.0. Records are 32
 * bits; a record is a node number, node_count for "no data", or
 * node_count + 16 + an offset into the data section.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmdb_writer.h"

#define REC_EMPTY	0xffffffffu
#define REC_DATA	0x80000000u	/* flag while building: data offset */
#define DATA_MAX	65536
#define NODES_MAX	8192

enum {
	T_POINTER = 1, T_STRING = 2, T_UINT16 = 5, T_UINT32 = 6, T_MAP = 7,
	T_UINT64 = 9, T_ARRAY = 11,
};

struct buf {
	uint8_t	 b[DATA_MAX];
	size_t	 n;
};

static void
put(struct buf *o, const void *p, size_t n)
{
	if (o->n + n <= sizeof(o->b))
		memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void
put8(struct buf *o, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(o, &c, 1);
}

/* Control byte, extended type byte and size bytes. */
static void
ctrl(struct buf *o, unsigned type, size_t size)
{
	unsigned first = type <= 7 ? type << 5 : 0;

	if (size < 29)
		put8(o, first | (unsigned)size);
	else if (size < 285)
		put8(o, first | 29);
	else
		put8(o, first | 30);
	if (type > 7)
		put8(o, type - 7);
	if (size >= 29 && size < 285)
		put8(o, (unsigned)(size - 29));
	else if (size >= 285) {
		put8(o, (unsigned)((size - 285) >> 8));
		put8(o, (unsigned)((size - 285) & 0xff));
	}
}

static void
enc_string(struct buf *o, const char *s)
{
	ctrl(o, T_STRING, strlen(s));
	put(o, s, strlen(s));
}

static void
enc_uint(struct buf *o, unsigned type, uint64_t v)
{
	uint8_t be[8];
	size_t n = 0, i;

	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(v >> (56 - 8 * i));
	for (i = 0; i < 8 && be[i] == 0; i++)
		;
	n = 8 - i;
	ctrl(o, type, n);
	put(o, be + i, n);
}

static void
enc_value(struct buf *o, const struct mmdb_field *f)
{
	switch (f->type) {
	case MMDB_W_STRING:
		enc_string(o, f->s);
		break;
	case MMDB_W_UINT16:
		enc_uint(o, T_UINT16, f->u);
		break;
	case MMDB_W_UINT32:
		enc_uint(o, T_UINT32, f->u);
		break;
	case MMDB_W_UINT64:
		enc_uint(o, T_UINT64, f->u);
		break;
	}
}

static int
parse_cidr(const char *cidr, int ipv, uint8_t addr[16], unsigned *plen)
{
	char buf[64], *slash;
	uint8_t a4[4];

	if (strlen(cidr) >= sizeof(buf))
		return -1;
	strcpy(buf, cidr);
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	*plen = (unsigned)atoi(slash);
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, a4) == 1) {
		if (*plen > 32)
			return -1;
		if (ipv == 4) {
			memcpy(addr, a4, 4);
		} else {
			memcpy(addr + 12, a4, 4);
			*plen += 96;
		}
		return 0;
	}
	if (ipv == 6 && inet_pton(AF_INET6, buf, addr) == 1 && *plen <= 128)
		return 0;
	return -1;
}

struct node {
	uint32_t	 rec[2];
};

static int
by_plen(const void *a, const void *b)
{
	const unsigned *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

int
mmdb_write(const char *path, int ipv, const char *dbtype,
    const struct mmdb_net *nets, size_t n)
{
	static struct node nodes[NODES_MAX];
	static struct buf data, meta;
	uint8_t addr[16], be[4];
	unsigned (*order)[2], plen, bit, i, j;
	uint32_t cur, r, off, nn = 1, v;
	size_t k, f;
	FILE *fp;
	int rc = 0;

	data.n = 0;
	meta.n = 0;
	nodes[0].rec[0] = nodes[0].rec[1] = REC_EMPTY;
	order = calloc(n + 1, sizeof(*order));
	if (order == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		if (parse_cidr(nets[k].cidr, ipv, addr, &plen) == -1 ||
		    plen == 0) {
			free(order);
			return -1;
		}
		order[k][0] = plen;
		order[k][1] = (unsigned)k;
	}
	qsort(order, n, sizeof(*order), by_plen);
	for (k = 0; k < n; k++) {
		const struct mmdb_net *e = &nets[order[k][1]];

		parse_cidr(e->cidr, ipv, addr, &plen);
		off = (uint32_t)data.n;
		ctrl(&data, T_MAP, e->nfields);
		for (f = 0; f < e->nfields; f++) {
			enc_string(&data, e->fields[f].key);
			if (e->fields[f].subkey != NULL) {
				ctrl(&data, T_MAP, 1);
				enc_string(&data, e->fields[f].subkey);
			}
			enc_value(&data, &e->fields[f]);
		}
		cur = 0;
		for (i = 0; i < plen; i++) {
			bit = (addr[i / 8] >> (7 - i % 8)) & 1;
			r = nodes[cur].rec[bit];
			if (i == plen - 1) {
				nodes[cur].rec[bit] = REC_DATA | off;
				break;
			}
			if (r != REC_EMPTY && !(r & REC_DATA)) {
				cur = r;
				continue;
			}
			if (nn == NODES_MAX) {
				free(order);
				return -1;
			}
			nodes[nn].rec[0] = nodes[nn].rec[1] = r;
			nodes[cur].rec[bit] = nn;
			cur = nn++;
		}
	}
	free(order);
	if (data.n > sizeof(data.b))
		return -1;

	ctrl(&meta, T_MAP, 9);
	enc_string(&meta, "binary_format_major_version");
	enc_uint(&meta, T_UINT16, 2);
	enc_string(&meta, "binary_format_minor_version");
	enc_uint(&meta, T_UINT16, 0);
	enc_string(&meta, "build_epoch");
	enc_uint(&meta, T_UINT64, 1700000000);
	enc_string(&meta, "database_type");
	enc_string(&meta, dbtype);
	enc_string(&meta, "description");
	ctrl(&meta, T_MAP, 1);
	enc_string(&meta, "en");
	enc_string(&meta, "shadowtap test database");
	enc_string(&meta, "ip_version");
	enc_uint(&meta, T_UINT16, (uint64_t)ipv);
	enc_string(&meta, "languages");
	ctrl(&meta, T_ARRAY, 1);
	enc_string(&meta, "en");
	enc_string(&meta, "node_count");
	enc_uint(&meta, T_UINT32, nn);
	enc_string(&meta, "record_size");
	enc_uint(&meta, T_UINT16, 32);

	if ((fp = fopen(path, "wb")) == NULL)
		return -1;
	for (cur = 0; cur < nn; cur++) {
		for (j = 0; j < 2; j++) {
			r = nodes[cur].rec[j];
			v = r == REC_EMPTY ? nn : (r & REC_DATA) ?
			    nn + 16 + (r & ~REC_DATA) : r;
			be[0] = (uint8_t)(v >> 24);
			be[1] = (uint8_t)(v >> 16);
			be[2] = (uint8_t)(v >> 8);
			be[3] = (uint8_t)v;
			if (fwrite(be, 1, 4, fp) != 4)
				rc = -1;
		}
	}
	memset(addr, 0, sizeof(addr));
	if (fwrite(addr, 1, 16, fp) != 16 ||
	    fwrite(data.b, 1, data.n, fp) != data.n ||
	    fwrite("\xab\xcd\xefMaxMind.com", 1, 14, fp) != 14 ||
	    fwrite(meta.b, 1, meta.n, fp) != meta.n)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}
