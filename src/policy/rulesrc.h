/* SPDX-License-Identifier: ISC */
/*
 * rulesrc.h: rule files as bytes in memory. rulesrc_read() expands the
 * paths given to "capture -R/-P" or "rules check" (a directory gives its
 * "*.rules" files in name order, a file is read whatever its name) and
 * reads each file whole; rules_parse_sources() (rules.h) parses the result
 * as if from disk, with the same file names in its diagnostics.
 *
 * The bundle is how the store process hands a reloaded rule set to the
 * sandboxed sniffer, which cannot open files: "STR1", a big-endian u32
 * entry count, then per entry a u8 kind (0 file, 1 warning about the
 * path), a u32 name length, the name, a u32 length and the file's bytes
 * (kind 0) or the warning's text (kind 1). rulesrc_unpack() checks every
 * length and byte before it keeps anything.
 */
#ifndef SHADOWTAP_RULESRC_H
#define SHADOWTAP_RULESRC_H

#include <stddef.h>
#include <stdint.h>

#define RULESRC_FILE_MAX	(16u << 20)	/* bytes of one rule file */
#define RULESRC_BUNDLE_MAX	(64u << 20)	/* bytes of a whole bundle */
#define RULESRC_ENTRIES_MAX	4096		/* files per rule set */
#define RULESRC_NAME_MAX	4096		/* bytes of a path */
#define RULESRC_MSG_LEN		160

enum rulesrc_kind {
	RULESRC_FILE,		/* buf holds the file's bytes */
	RULESRC_WARNING,	/* msg says why the path gave nothing */
	RULESRC_ERROR		/* msg says why it could not be read */
};

struct rules_source {
	enum rulesrc_kind	 kind;
	char			*name;	/* the path, as diagnostics name it */
	char			*buf;	/* RULESRC_FILE: the bytes, else NULL */
	size_t			 len;
	char			 msg[RULESRC_MSG_LEN];
};

struct rules_sources {
	struct rules_source	*v;
	size_t			 n;
	size_t			 nerr;	/* entries of kind RULESRC_ERROR */
};

/* Appends the files of paths (NULL entries skipped) to rs, in order. */
void	 rulesrc_read(struct rules_sources *rs, const char *const *paths,
	    size_t npaths);
/*
 * Serialises rs (which must hold no RULESRC_ERROR) into a new buffer the
 * caller frees. Returns 0, or -1 with err set (errors, or too big).
 */
int	 rulesrc_pack(const struct rules_sources *rs, uint8_t **out,
	    size_t *outlen, char *err, size_t errsz);
/*
 * Reads a bundle into rs (which must be empty). Returns 0, or -1 with err
 * set and rs left empty when any length, count or byte is out of bounds.
 */
int	 rulesrc_unpack(struct rules_sources *rs, const uint8_t *p,
	    size_t len, char *err, size_t errsz);
void	 rulesrc_free(struct rules_sources *rs);

#endif
