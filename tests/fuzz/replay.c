/* SPDX-License-Identifier: ISC */
/*
 * replay.c: a plain main() that feeds files to LLVMFuzzerTestOneInput, so
 * fuzz corpora replay under gcc with ASan/UBSan and no libFuzzer. Each
 * argument is a file or a directory (its regular files, not recursed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_INPUT	(1024 * 1024)	/* bigger inputs are refused */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t buf[REPLAY_MAX_INPUT];

/* Runs one file; returns 0, or -1 when it cannot be read. */
static int
run_file(const char *path)
{
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "replay: %s: read error or larger than %d"
		    " bytes\n", path, REPLAY_MAX_INPUT);
		rc = -1;
	}
	fclose(f);
	if (rc == 0)
		(void)LLVMFuzzerTestOneInput(buf, n);
	return rc;
}

/* Runs every regular file in dir; returns the number run, or -1. */
static int
run_dir(const char *dir)
{
	struct dirent *de;
	struct stat st;
	char path[4096];
	DIR *d;
	int n = 0, failed = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			failed = 1;
			continue;
		}
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) == -1)
			failed = 1;
		else
			n++;
	}
	closedir(d);
	return failed ? -1 : n;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	int i, n, total = 0, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file|dir ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if ((n = run_dir(argv[i])) == -1)
				failed = 1;
			else
				total += n;
		} else if (run_file(argv[i]) == -1)
			failed = 1;
		else
			total++;
	}
	printf("replay: %d inputs\n", total);
	return failed ? 1 : 0;
}
