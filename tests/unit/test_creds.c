/* SPDX-License-Identifier: ISC */
/*
 * test_creds.c: unit tests for dissect/creds.c: FTP, POP3 (USER/PASS,
 * APOP, AUTH PLAIN), IMAP LOGIN with atoms, quoted strings and literals,
 * AUTHENTICATE, SMTP AUTH PLAIN/LOGIN/CRAM-MD5, Telnet with option
 * negotiation and per-character typing, STARTTLS and TLS streams, and the
 * seed files cut from the ../shared/corpus captures (tests/fuzz/corpus/
 * creds, named "<proto>--<user>--<capture>-<n>" or "none--..."). Every
 * case checks that no password octets reach *out.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dissect/creds.h"
#include "sig_seed.h"

#define SEED_MAX	8192
#define SECRET		"s3cr3tPw"

/* Whether needle occurs anywhere in the n bytes at p. */
static int
contains(const void *p, size_t len, const char *needle)
{
	const uint8_t *b = p;
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return 1;
	return 0;
}

static enum dis_result
parse(enum creds_proto p, const char *up, const char *down, struct creds *c)
{
	enum dis_result rc;

	rc = creds_parse(p, (const uint8_t *)up, up != NULL ? strlen(up) : 0,
	    (const uint8_t *)down, down != NULL ? strlen(down) : 0, c);
	assert_false(contains(c, sizeof(*c), SECRET));
	return rc;
}

static void
test_ftp(void **state)
{
	struct creds c;

	(void)state;
	assert_int_equal(parse(CREDS_FTP, "USER alice\r\nPASS " SECRET "\r\n"
	    "PWD\r\n", "220 hi\r\n", &c), DIS_OK);
	assert_int_equal(c.proto, CREDS_FTP);
	assert_string_equal(c.user, "alice");
	assert_int_equal(c.password_seen, 1);
	/* USER only so far: MORE, with the user. */
	assert_int_equal(parse(CREDS_FTP, "user bob\r\nPA", NULL, &c),
	    DIS_MORE);
	assert_string_equal(c.user, "bob");
	assert_int_equal(c.password_seen, 0);
	assert_int_equal(parse(CREDS_FTP, "AUTH TLS\r\n", NULL, &c),
	    DIS_NOTME);
	assert_int_equal(parse(CREDS_FTP, "\x16\x03\x01\x02\x00\x01", NULL,
	    &c), DIS_NOTME);
	assert_int_equal(parse(CREDS_FTP, "USER a\x01" "b\r\n", NULL, &c),
	    DIS_BAD);
	assert_string_equal(c.user, "");
	/* A long user is cut. */
	assert_int_equal(parse(CREDS_FTP, "USER "
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789\r\nPASS x\r\n", NULL, &c), DIS_OK);
	assert_int_equal(strlen(c.user), CREDS_USER_LEN);
}

static void
test_pop3(void **state)
{
	struct creds c;

	(void)state;
	assert_int_equal(parse(CREDS_POP3, "USER u@example.com\r\nPASS "
	    SECRET "\r\n", NULL, &c), DIS_OK);
	assert_string_equal(c.user, "u@example.com");
	assert_int_equal(parse(CREDS_POP3, "APOP mrose "
	    "c4c9334bac560ecc979e58001b3e22fb\r\n", NULL, &c), DIS_OK);
	assert_string_equal(c.user, "mrose");
	assert_int_equal(c.password_seen, 0);
	assert_int_equal(parse(CREDS_POP3, "CAPA\r\nSTLS\r\n", NULL, &c),
	    DIS_NOTME);
	/* AUTH PLAIN "\0tim\0" SECRET on the next line (RFC 5034). */
	assert_int_equal(parse(CREDS_POP3, "AUTH PLAIN\r\n"
	    "AHRpbQBzM2NyM3RQdw==\r\n", NULL, &c), DIS_OK);
	assert_string_equal(c.user, "tim");
	assert_int_equal(c.password_seen, 1);
}

static void
test_imap(void **state)
{
	struct creds c;

	(void)state;
	assert_int_equal(parse(CREDS_IMAP, "a001 LOGIN SMITH " SECRET "\r\n",
	    NULL, &c), DIS_OK);
	assert_string_equal(c.user, "SMITH");
	assert_int_equal(c.password_seen, 1);
	assert_int_equal(parse(CREDS_IMAP, "a1 CAPABILITY\r\n"
	    "a2 login \"john \\\"q\\\" doe\" \"" SECRET "\"\r\n", NULL, &c),
	    DIS_OK);
	assert_string_equal(c.user, "john \"q\" doe");
	/* Literals: {5}CRLF then the octets; {8+} non-synchronising. */
	assert_int_equal(parse(CREDS_IMAP, "x LOGIN {5}\r\nfred! {8+}\r\n"
	    SECRET "\r\n", NULL, &c), DIS_OK);
	assert_string_equal(c.user, "fred!");
	assert_int_equal(c.password_seen, 1);
	/* Waiting for the literal's octets. */
	assert_int_equal(parse(CREDS_IMAP, "x LOGIN {5}\r\nfr", NULL, &c),
	    DIS_MORE);
	assert_int_equal(parse(CREDS_IMAP, "x LOGIN fred ", NULL, &c),
	    DIS_MORE);
	assert_string_equal(c.user, "fred");
	assert_int_equal(parse(CREDS_IMAP, "a STARTTLS\r\nb LOGIN u p\r\n",
	    NULL, &c), DIS_NOTME);
	/* AUTHENTICATE PLAIN with SASL-IR: "\0tim\0" SECRET. */
	assert_int_equal(parse(CREDS_IMAP, "a AUTHENTICATE PLAIN "
	    "AHRpbQBzM2NyM3RQdw==\r\n", NULL, &c), DIS_OK);
	assert_string_equal(c.user, "tim");
	assert_int_equal(parse(CREDS_IMAP, "\x16\x03\x01\x00\xc4\x01", NULL,
	    &c), DIS_NOTME);
	assert_int_equal(parse(CREDS_IMAP, "a LOGIN {99999999999}\r\n", NULL,
	    &c), DIS_BAD);
}

static void
test_smtp(void **state)
{
	struct creds c;

	(void)state;
	/* AUTH PLAIN with an authzid: "admin\0tim\0" SECRET. */
	assert_int_equal(parse(CREDS_SMTP, "EHLO x\r\nAUTH PLAIN "
	    "YWRtaW4AdGltAHMzY3IzdFB3\r\n", "220 hi\r\n", &c), DIS_OK);
	assert_int_equal(c.proto, CREDS_SMTP);
	assert_string_equal(c.user, "tim");
	assert_int_equal(c.password_seen, 1);
	/* AUTH LOGIN: "dGlt" = "tim", then the password line. */
	assert_int_equal(parse(CREDS_SMTP, "EHLO x\r\nAUTH LOGIN\r\ndGlt\r\n"
	    "czNjcjN0UHc=\r\n", "220 x\r\n250 ok\r\n334 VXNlcm5hbWU6\r\n"
	    "334 UGFzc3dvcmQ6\r\n", &c), DIS_OK);
	assert_string_equal(c.user, "tim");
	assert_int_equal(c.password_seen, 1);
	assert_int_equal(parse(CREDS_SMTP, "EHLO x\r\nAUTH LOGIN dGlt\r\n",
	    NULL, &c), DIS_MORE);
	assert_string_equal(c.user, "tim");
	/* CRAM-MD5: "tim b913a602c7eda7a495b4e6e7334d3890". */
	assert_int_equal(parse(CREDS_SMTP, "AUTH CRAM-MD5\r\n"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n", NULL, &c),
	    DIS_OK);
	assert_string_equal(c.user, "tim");
	assert_int_equal(c.password_seen, 0);
	assert_int_equal(parse(CREDS_SMTP, "EHLO x\r\nMAIL FROM:<a@b>\r\n",
	    NULL, &c), DIS_NOTME);
	assert_int_equal(parse(CREDS_SMTP, "EHLO x\r\nSTARTTLS\r\n", NULL,
	    &c), DIS_NOTME);
	assert_int_equal(parse(CREDS_SMTP, "AUTH PLAIN AHRp!!==\r\n", NULL,
	    &c), DIS_BAD);
	assert_int_equal(parse(CREDS_SMTP, "AUTH GSSAPI\r\n", NULL, &c),
	    DIS_NOTME);
}

static void
test_telnet(void **state)
{
	/* Client: IAC DO SGA, IAC SB TTYPE IS "xterm" IAC SE, then the
	   user typed one character per segment with a correction (DEL),
	   CR NUL, then the password. */
	static const char up[] = "\xff\xfd\x03" "\xff\xfa\x18\x00xterm\xff\xf0"
	    "bx\x7f" "ob\r\0" SECRET "\r\n";
	static const char down[] = "\xff\xfb\x01\xff\xfb\x03" "Welcome\r\n"
	    "login: " "b" "o" "b" "\r\n" "Password:";
	struct creds c;

	(void)state;
	assert_int_equal(creds_parse(CREDS_TELNET, (const uint8_t *)up,
	    sizeof(up) - 1, (const uint8_t *)down, sizeof(down) - 1, &c),
	    DIS_OK);
	assert_string_equal(c.user, "bob");
	assert_int_equal(c.password_seen, 1);
	assert_false(contains(&c, sizeof(c), SECRET));
	/* No prompt seen yet. */
	assert_int_equal(creds_parse(CREDS_TELNET, (const uint8_t *)up,
	    sizeof(up) - 1, (const uint8_t *)"\xff\xfb\x01", 3, &c), DIS_MORE);
	assert_string_equal(c.user, "");
	/* Prompt and user, no password yet. */
	assert_int_equal(parse(CREDS_TELNET, "alice\r\n", "login: ", &c),
	    DIS_MORE);
	assert_string_equal(c.user, "alice");
}

static void
test_ports_and_names(void **state)
{
	struct creds c;

	(void)state;
	assert_int_equal(creds_proto_for_port(21), CREDS_FTP);
	assert_int_equal(creds_proto_for_port(23), CREDS_TELNET);
	assert_int_equal(creds_proto_for_port(110), CREDS_POP3);
	assert_int_equal(creds_proto_for_port(143), CREDS_IMAP);
	assert_int_equal(creds_proto_for_port(25), CREDS_SMTP);
	assert_int_equal(creds_proto_for_port(587), CREDS_SMTP);
	assert_int_equal(creds_proto_for_port(993), CREDS_NONE);
	assert_string_equal(record_creds_name(CREDS_IMAP), "imap");
	assert_string_equal(record_creds_name(CREDS_NONE), "none");
	assert_int_equal(creds_parse(CREDS_HTTP_BASIC, NULL, 0, NULL, 0, &c),
	    DIS_NOTME);
	assert_int_equal(creds_parse(CREDS_FTP, NULL, 0, NULL, 0, &c),
	    DIS_MORE);
}

/* Runs every seed in tests/fuzz/corpus/creds against its file name. */
static void
test_corpus_seeds(void **state)
{
	char path[4096], want[16], user[80];
	const uint8_t *up = NULL, *down = NULL;
	uint8_t buf[SEED_MAX], sel;
	size_t n, up_len = 0, down_len = 0;
	const char *d1, *d2;
	struct dirent *de;
	enum dis_result rc;
	struct creds c;
	DIR *d;
	FILE *f;
	int count = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/creds",
	    SHADOWTAP_SRCDIR);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    (d1 = strstr(de->d_name, "--")) == NULL)
			continue;
		snprintf(want, sizeof(want), "%.*s", (int)(d1 - de->d_name),
		    de->d_name);
		user[0] = '\0';
		if ((d2 = strstr(d1 + 2, "--")) != NULL &&
		    strcmp(want, "none") != 0)
			snprintf(user, sizeof(user), "%.*s",
			    (int)(d2 - d1 - 2), d1 + 2);
		snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/creds/%s",
		    SHADOWTAP_SRCDIR, de->d_name);
		assert_non_null(f = fopen(path, "rb"));
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		assert_int_equal(seed_split(buf, n, &sel, &up, &up_len, &down,
		    &down_len), 0);
		rc = creds_parse((enum creds_proto)sel, up, up_len, down,
		    down_len, &c);
		if (strcmp(want, "none") == 0) {
			if (c.user[0] != '\0' || c.password_seen)
				fail_msg("%s: got user %s", de->d_name,
				    c.user);
		} else if (rc != DIS_OK || strcmp(record_creds_name(c.proto),
		    want) != 0 || strcmp(c.user, user) != 0 ||
		    !c.password_seen)
			fail_msg("%s: rc %d, %s user \"%s\" pw %d", de->d_name,
			    rc, record_creds_name(c.proto), c.user, c.password_seen);
		/* The corpus passwords never reach *out. */
		assert_false(contains(&c, sizeof(c), "pippozzo"));
		assert_false(contains(&c, sizeof(c), "NcFTP@"));
		count++;
	}
	closedir(d);
	assert_true(count >= 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftp),
		cmocka_unit_test(test_pop3),
		cmocka_unit_test(test_imap),
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_telnet),
		cmocka_unit_test(test_ports_and_names),
		cmocka_unit_test(test_corpus_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
