/* SPDX-License-Identifier: ISC */
/*
 * cmd_dbimport.c: `shadowtap db import devices FILE.csv [-d DB]`: loads
 * the device inventory (MAC, address or subnet -> name, owner,
 * department, asset tag) into the database, replacing the one before, and
 * says which rows matched no device seen so far.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>

#include <arpa/inet.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_db.h"
#include "base/cidr.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/util.h"
#include "report/report.h"
#include "store/store.h"

#define INV_FIELDS	5	/* match, name, owner, department, asset */
#define INV_FIELD_MAX	256
#define INV_ROWS_MAX	100000

struct inv_file {
	struct store_inventory_row *rows;
	struct report_inv_entry	*keys;
	char			(*text)[INV_FIELDS][INV_FIELD_MAX];
	size_t			 n;
	size_t			 cap;
	int			 errors;
};

/* Removes leading and trailing blanks in place. */
static void
trim(char *s)
{
	size_t b = strspn(s, " \t"), e = strlen(s);

	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	memmove(s, s + b, e - b);
	s[e - b] = '\0';
}

/*
 * Splits one CSV line (RFC 4180 quoting, no newlines inside quotes) into
 * at most INV_FIELDS fields. Returns the number of fields, or -1.
 */
static int
csv_split(const char *line, char f[INV_FIELDS][INV_FIELD_MAX])
{
	size_t n = 0, len = 0;
	int quoted = 0, nf = 0;
	const char *p;

	memset(f, 0, sizeof(char[INV_FIELDS][INV_FIELD_MAX]));
	for (p = line; *p != '\0' && *p != '\n' && *p != '\r'; p++) {
		if (quoted) {
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"') {
				quoted = 0;
				continue;
			}
		} else if (*p == '"' && len == 0) {
			quoted = 1;
			continue;
		} else if (*p == ',') {
			if (++n >= INV_FIELDS)
				return -1;
			len = 0;
			continue;
		}
		if (len + 1 >= INV_FIELD_MAX || (unsigned char)*p < 0x20)
			return -1;
		f[n][len++] = *p;
	}
	if (quoted)
		return -1;
	nf = (int)n + 1;
	for (n = 0; n < INV_FIELDS; n++)
		trim(f[n]);
	return nf;
}

/* The header: the first column names the key, the rest are fixed. */
static int
header_ok(char f[INV_FIELDS][INV_FIELD_MAX], int nf)
{
	static const char *const keys[] = { "match", "mac", "address", "ip",
	    "subnet" };
	size_t i;

	if (nf < 2 || strcmp(f[1], "name") != 0)
		return 0;
	for (i = 0; i < nitems(keys); i++)
		if (strcmp(f[0], keys[i]) == 0)
			return 1;
	return 0;
}

static void
inv_add(struct inv_file *iv, const char *path, int line,
    char f[INV_FIELDS][INV_FIELD_MAX])
{
	struct report_inv_entry e;
	char err[256];
	size_t i;

	memset(&e, 0, sizeof(e));
	if (report_inv_key(f[0], &e, err, sizeof(err)) == -1) {
		log_warnx("%s:%d: %s", path, line, err);
		iv->errors++;
		return;
	}
	for (i = 0; i < iv->n; i++)
		if (strcmp(iv->keys[i].match, e.match) == 0) {
			log_warnx("%s:%d: %s is already on line %d", path,
			    line, e.match, iv->rows[i].line);
			iv->errors++;
			return;
		}
	if (iv->n == iv->cap) {
		iv->cap = iv->cap ? iv->cap * 2 : 64;
		iv->rows = xreallocarray(iv->rows, iv->cap,
		    sizeof(*iv->rows));
		iv->keys = xreallocarray(iv->keys, iv->cap,
		    sizeof(*iv->keys));
		iv->text = xreallocarray(iv->text, iv->cap,
		    sizeof(*iv->text));
	}
	memcpy(iv->text[iv->n], f, sizeof(iv->text[0]));
	iv->keys[iv->n] = e;
	memset(&iv->rows[iv->n], 0, sizeof(iv->rows[0]));
	iv->rows[iv->n].line = line;
	iv->n++;
}

/* Reads path into iv. 0, or -1 after a message. */
static int
inv_read(const char *path, struct inv_file *iv)
{
	char line[INV_FIELDS * INV_FIELD_MAX + 8];
	char f[INV_FIELDS][INV_FIELD_MAX];
	int nf, lineno = 0, seen_header = 0;
	FILE *fp;
	size_t i;

	if ((fp = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((nf = csv_split(line, f)) == -1) {
			log_warnx("%s:%d: not a CSV row of at most %d fields",
			    path, lineno, INV_FIELDS);
			iv->errors++;
			continue;
		}
		if (!seen_header) {
			seen_header = 1;
			if (!header_ok(f, nf)) {
				log_warnx("%s:%d: the first row must be the"
				    " header \"match,name,owner,department,"
				    "asset\" (match may be mac, address or"
				    " subnet)", path, lineno);
				fclose(fp);
				return -1;
			}
			continue;
		}
		if (iv->n == INV_ROWS_MAX) {
			log_warnx("%s:%d: more than %d devices", path, lineno,
			    INV_ROWS_MAX);
			iv->errors++;
			break;
		}
		inv_add(iv, path, lineno, f);
	}
	fclose(fp);
	for (i = 0; i < iv->n; i++) {
		iv->rows[i].match = iv->keys[i].match;
		iv->rows[i].name = iv->text[i][1];
		iv->rows[i].owner = iv->text[i][2];
		iv->rows[i].department = iv->text[i][3];
		iv->rows[i].asset = iv->text[i][4];
	}
	return iv->errors > 0 ? -1 : 0;
}

struct matched {
	const struct inv_file	*iv;
	char			*hit;	/* per row */
};

static int
mark_known(void *arg, const struct store_known_device *k)
{
	struct matched *m = arg;
	const struct report_inv_entry *e;
	size_t i;

	for (i = 0; i < m->iv->n; i++) {
		e = report_inv_find(&m->iv->keys[i], 1, k->mac, k->ip);
		if (e != NULL)
			m->hit[i] = 1;
	}
	return 0;
}

static int
import_devices(const char *path, const char *db)
{
	struct inv_file iv;
	struct matched m;
	struct store *st;
	char err[1400];
	size_t i, unmatched = 0;
	int rc = EXIT_RUNTIME;

	memset(&iv, 0, sizeof(iv));
	if (inv_read(path, &iv) == -1) {
		log_warnx("%s: nothing imported", path);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((st = store_open(db, 0, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto out;
	}
	m.iv = &iv;
	m.hit = xcalloc(iv.n + 1, 1);
	if (store_inventory_replace(st, iv.rows, iv.n) == -1 ||
	    store_query_known_devices(st, mark_known, &m) == -1) {
		log_warnx("%s", store_errmsg(st));
		free(m.hit);
		store_close(st);
		goto out;
	}
	for (i = 0; i < iv.n; i++)
		if (!m.hit[i]) {
			printf("%s:%d: %s matches no device seen\n", path,
			    iv.rows[i].line, iv.keys[i].match);
			unmatched++;
		}
	printf("imported %zu %s, %zu matched no device\n", iv.n,
	    iv.n == 1 ? "device" : "devices", unmatched);
	free(m.hit);
	store_close(st);
	rc = EXIT_OK;
out:
	free(iv.rows);
	free(iv.keys);
	free(iv.text);
	return rc;
}

int
cmd_db_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			printf("usage: shadowtap db import devices FILE.csv"
			    " [-d DB]\n");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "devices") != 0) {
		log_warnx("usage: shadowtap db import devices FILE.csv"
		    " [-d DB]");
		return EXIT_USAGE;
	}
	return import_devices(argv[optind + 1], db != NULL ? db :
	    paths_db());
}
