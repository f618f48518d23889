/* SPDX-License-Identifier: ISC */
/*
 * mmdb_writer.h: a minimal MaxMind DB writer for tests (format 2.0: a
 * binary search tree, a data section and metadata). Debian ships no C
 * MMDB writer, so the tests build their own small files with this.
 */
#ifndef SHADOWTAP_MMDB_WRITER_H
#define SHADOWTAP_MMDB_WRITER_H

#include <stddef.h>
#include <stdint.h>

enum mmdb_wtype {
	MMDB_W_STRING,
	MMDB_W_UINT16,
	MMDB_W_UINT32,
	MMDB_W_UINT64,
};

/* One field: key = value, or key = { subkey = value } when subkey is set. */
struct mmdb_field {
	const char	*key;
	const char	*subkey;
	enum mmdb_wtype	 type;
	const char	*s;
	uint64_t	 u;
};

struct mmdb_net {
	const char		*cidr;		/* "192.0.2.0/24", "2001:db8::/32" */
	const struct mmdb_field	*fields;
	size_t			 nfields;
};

/*
 * Writes an MMDB file with an IPv4 (ip_version 4) or IPv6 (6; IPv4
 * networks go under ::/96) tree and 32-bit records. Nested networks may
 * be given in any order: shorter prefixes are inserted first. Returns 0,
 * or -1 on a bad network or an I/O error.
 */
int	mmdb_write(const char *path, int ip_version, const char *dbtype,
	    const struct mmdb_net *nets, size_t n);

#endif
