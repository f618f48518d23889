/* SPDX-License-Identifier: ISC */
/*
 * rulesrc.c: reading rule files into memory, and the bundle that carries
 * them from the store process to the sniffer (see rulesrc.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rulesrc.h"
#include "base/util.h"

#define BUNDLE_MAGIC	"STR1"
#define READ_CHUNK	65536

static struct rules_source *
push(struct rules_sources *rs, enum rulesrc_kind kind, const char *name,
    size_t namelen)
{
	struct rules_source *s;

	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof(*rs->v));
	s = &rs->v[rs->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->name = xmalloc(namelen + 1);
	memcpy(s->name, name, namelen);
	s->name[namelen] = '\0';
	if (kind == RULESRC_ERROR)
		rs->nerr++;
	return s;
}

static void
problem(struct rules_sources *rs, enum rulesrc_kind kind, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct rules_sources *rs, enum rulesrc_kind kind, const char *name,
    const char *fmt, ...)
{
	struct rules_source *s = push(rs, kind, name, strlen(name));
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
}

static void
read_file(struct rules_sources *rs, const char *path)
{
	struct rules_source *s;
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		problem(rs, RULESRC_ERROR, path, "cannot open: %s",
		    strerror(errno));
		return;
	}
	for (;;) {
		if (len == cap) {
			cap += READ_CHUNK;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0 || len > RULESRC_FILE_MAX)
			break;
	}
	if (ferror(fp))
		problem(rs, RULESRC_ERROR, path, "cannot read: %s",
		    strerror(errno));
	else if (len > RULESRC_FILE_MAX)
		problem(rs, RULESRC_ERROR, path, "file is larger than %u MiB",
		    RULESRC_FILE_MAX >> 20);
	else {
		s = push(rs, RULESRC_FILE, path, strlen(path));
		s->buf = buf;
		s->len = len;
		buf = NULL;
	}
	fclose(fp);
	free(buf);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
read_path(struct rules_sources *rs, const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char **names = NULL, full[RULESRC_NAME_MAX];
	size_t n = 0, i, l;
	const char *sep;

	if (stat(path, &st) == -1) {
		problem(rs, RULESRC_ERROR, path, "cannot open: %s",
		    strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		read_file(rs, path);
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		problem(rs, RULESRC_ERROR, path, "cannot open directory: %s",
		    strerror(errno));
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l <= 6 ||
		    strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n == 0)
		problem(rs, RULESRC_WARNING, path,
		    "no *.rules files in this directory");
	if (n > 0)
		qsort(names, n, sizeof(char *), name_cmp);
	l = strlen(path);
	sep = l > 0 && path[l - 1] == '/' ? "" : "/";
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(full, sizeof(full), "%s%s%s", path, sep,
		    names[i]) >= sizeof(full))
			problem(rs, RULESRC_ERROR, path, "path too long: %s",
			    names[i]);
		else
			read_file(rs, full);
		free(names[i]);
	}
	free(names);
}

void
rulesrc_read(struct rules_sources *rs, const char *const *paths,
    size_t npaths)
{
	size_t i;

	for (i = 0; i < npaths; i++)
		if (paths[i] != NULL)
			read_path(rs, paths[i]);
}

void
rulesrc_free(struct rules_sources *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].name);
		free(rs->v[i].buf);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* The bundle. */

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
rulesrc_pack(const struct rules_sources *rs, uint8_t **out, size_t *outlen,
    char *err, size_t errsz)
{
	const struct rules_source *s;
	uint8_t *buf, *p;
	size_t total = 8, i, body;

	*out = NULL;
	*outlen = 0;
	if (rs->nerr > 0) {
		util_seterr(err, errsz,
		    "rule sources with errors are not sent");
		return -1;
	}
	if (rs->n > RULESRC_ENTRIES_MAX) {
		util_seterr(err, errsz, "more than %d rule files",
		    RULESRC_ENTRIES_MAX);
		return -1;
	}
	for (i = 0; i < rs->n; i++) {
		s = &rs->v[i];
		body = s->kind == RULESRC_FILE ? s->len : strlen(s->msg);
		if (strlen(s->name) == 0 ||
		    strlen(s->name) >= RULESRC_NAME_MAX ||
		    body > RULESRC_FILE_MAX) {
			util_seterr(err, errsz, "%s: too long for a bundle",
			    s->name);
			return -1;
		}
		total += 1 + 4 + strlen(s->name) + 4 + body;
		if (total > RULESRC_BUNDLE_MAX) {
			util_seterr(err, errsz,
			    "rule files exceed %u MiB together",
			    RULESRC_BUNDLE_MAX >> 20);
			return -1;
		}
	}
	buf = p = xmalloc(total);
	memcpy(p, BUNDLE_MAGIC, 4);
	put_u32(p + 4, (uint32_t)rs->n);
	p += 8;
	for (i = 0; i < rs->n; i++) {
		s = &rs->v[i];
		*p++ = s->kind == RULESRC_FILE ? 0 : 1;
		put_u32(p, (uint32_t)strlen(s->name));
		memcpy(p + 4, s->name, strlen(s->name));
		p += 4 + strlen(s->name);
		if (s->kind == RULESRC_FILE) {
			put_u32(p, (uint32_t)s->len);
			if (s->len > 0)
				memcpy(p + 4, s->buf, s->len);
			p += 4 + s->len;
		} else {
			put_u32(p, (uint32_t)strlen(s->msg));
			memcpy(p + 4, s->msg, strlen(s->msg));
			p += 4 + strlen(s->msg);
		}
	}
	*out = buf;
	*outlen = total;
	return 0;
}

/* Names and warnings: no NUL, no C0 control, no DEL. */
static int
text_ok(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

int
rulesrc_unpack(struct rules_sources *rs, const uint8_t *p, size_t len,
    char *err, size_t errsz)
{
	struct rules_source *s;
	uint32_t count, i, nl, bl;
	uint8_t kind;
	size_t off = 8;

	memset(rs, 0, sizeof(*rs));
	if (len < 8 || memcmp(p, BUNDLE_MAGIC, 4) != 0) {
		util_seterr(err, errsz, "rule bundle: bad header");
		return -1;
	}
	if (len > RULESRC_BUNDLE_MAX) {
		util_seterr(err, errsz,
		    "rule bundle: %zu bytes is too big", len);
		return -1;
	}
	count = get_u32(p + 4);
	if (count > RULESRC_ENTRIES_MAX) {
		util_seterr(err, errsz, "rule bundle: %u entries", count);
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (len - off < 5) {
			util_seterr(err, errsz,
			    "rule bundle: entry %u cut short", i);
			goto bad;
		}
		kind = p[off];
		nl = get_u32(p + off + 1);
		off += 5;
		if (kind > 1 || nl == 0 || nl >= RULESRC_NAME_MAX ||
		    len - off < nl || !text_ok(p + off, nl)) {
			util_seterr(err, errsz,
			    "rule bundle: entry %u: bad name", i);
			goto bad;
		}
		s = push(rs, kind == 0 ? RULESRC_FILE : RULESRC_WARNING,
		    (const char *)p + off, nl);
		off += nl;
		if (len - off < 4) {
			util_seterr(err, errsz,
			    "rule bundle: entry %u cut short", i);
			goto bad;
		}
		bl = get_u32(p + off);
		off += 4;
		if (bl > RULESRC_FILE_MAX || len - off < bl ||
		    (kind == 1 && (bl >= RULESRC_MSG_LEN ||
		    !text_ok(p + off, bl)))) {
			util_seterr(err, errsz,
			    "rule bundle: entry %u: bad length", i);
			goto bad;
		}
		if (kind == 0) {
			s->buf = xmalloc(bl > 0 ? bl : 1);
			if (bl > 0)
				memcpy(s->buf, p + off, bl);
			s->len = bl;
		} else {
			memcpy(s->msg, p + off, bl);
			s->msg[bl] = '\0';
		}
		off += bl;
	}
	if (off != len) {
		util_seterr(err, errsz, "rule bundle: %zu bytes after the last "
		    "entry", len - off);
		goto bad;
	}
	return 0;
bad:
	rulesrc_free(rs);
	return -1;
}
