/* SPDX-License-Identifier: ISC */
/*
 * dissect/creds.c: cleartext logins of FTP, Telnet, POP3, IMAP and SMTP.
 * Reads command lines from the start of the client's stream and copies out
 * only the user name. Passwords are never copied; the one place secret
 * octets are decoded (the SASL PLAIN quantum holding the separator) and
 * the Telnet scratch text are wiped before returning.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect/ascii.h"
#include "dissect/b64.h"
#include "dissect/creds.h"
#include "base/rd.h"

#define CMD_MAX			12		/* longest command/mech name
						   looked at, "AUTHENTICATE" */
#define SASL_USER_MAX		255		/* RFC 4616: authcid <= 255 */
#define TELNET_SCAN_MAX		4096		/* stream bytes stripped */
#define TELNET_IAC		255		/* RFC 854 */
#define TELNET_SE		240
#define TELNET_SB		250
#define TELNET_WILL		251
#define TELNET_DONT		254
#define ASCII_BS		0x08
#define ASCII_DEL		0x7f
#define ASCII_CR		'\r'
#define PORT_FTP		21	/* RFC 959 */
#define PORT_TELNET		23	/* RFC 854 */
#define PORT_SMTP		25	/* RFC 5321 */
#define PORT_POP3		110	/* RFC 1939 */
#define PORT_IMAP		143	/* RFC 9051 */
#define PORT_SUBMISSION		587	/* RFC 6409 */

static int
is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether lit occurs in [s, s+n), ignoring case. */
static int
find_ci(const uint8_t *s, size_t n, const char *lit)
{
	size_t k = strlen(lit), i;

	for (i = 0; i + k <= n; i++)
		if (ascii_eq_ci(s + i, k, lit))
			return 1;
	return 0;
}

/* Clears a buffer in a way the compiler may not drop as a dead store. */
static void
wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* The cursor of r as a pointer; NULL for an empty window without bytes. */
static const uint8_t *
cur(const struct rd *r)
{
	return r->p != NULL ? r->p + r->off : NULL;
}

/*
 * Carves the next line out of r: the bytes up to LF, without the LF and
 * one CR before it. Returns -1 when no LF is in r yet (r unchanged).
 */
static int
next_line(struct rd *r, struct rd *line)
{
	struct rd peek = *r;
	const uint8_t *s, *lf;
	size_t n, eol;

	if ((n = rd_left(&peek)) == 0)
		return -1;
	s = rd_bytes(&peek, n);
	if (s == NULL || (lf = memchr(s, '\n', n)) == NULL)
		return -1;
	n = (size_t)(lf - s);
	eol = n > 0 && s[n - 1] == '\r' ? 2 : 1;
	*line = rd_sub(r, n + 1 - eol);
	rd_skip(r, eol);
	return 0;
}

/* Splits the next space-delimited word off line (leading spaces skipped). */
static struct rd
next_word(struct rd *line)
{
	const uint8_t *s;
	size_t n, i = 0, start;

	n = rd_left(line);
	s = n > 0 ? rd_bytes(line, n) : NULL;
	if (s == NULL) {
		struct rd e;

		rd_init(&e, NULL, 0);
		return e;
	}
	while (i < n && s[i] == ' ')
		i++;
	start = i;
	while (i < n && s[i] != ' ')
		i++;
	rd_init(line, s + i, n - i);
	{
		struct rd w;

		rd_init(&w, s + start, i - start);
		return w;
	}
}

/* The rest of line after leading spaces. */
static struct rd
rest(struct rd *line)
{
	while (rd_left(line) > 0 && *cur(line) == ' ')
		rd_skip(line, 1);
	return rd_rest(line);
}

static int
word_is(const struct rd *w, const char *lit)
{
	if (rd_left(w) == 0)
		return lit[0] == '\0';
	return ascii_eq_ci(cur(w), rd_left(w), lit);
}

/*
 * Stores a user name: printable ASCII, non-empty; longer names are cut to
 * CREDS_USER_LEN. Returns -1 (out->user "") when it does not conform.
 */
static int
set_user(struct creds *out, const uint8_t *s, size_t n)
{
	size_t i;

	out->user[0] = '\0';
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	if (n > CREDS_USER_LEN)
		n = CREDS_USER_LEN;
	memcpy(out->user, s, n);
	out->user[n] = '\0';
	return 0;
}

/*
 * Decodes one quantum of 4 base64 characters into o[0..3); returns the
 * number of octets (1..3) or -1 on a bad character or misplaced padding.
 */
static int
b64_quantum(const uint8_t *q, uint8_t o[B64_OCTETS])
{
	uint8_t v[B64_QUANTUM];
	int i, n = B64_OCTETS;

	for (i = 0; i < B64_QUANTUM; i++) {
		if (q[i] == B64_PAD && i >= 2) {
			if (i == 2 && q[3] != B64_PAD)
				return -1;
			n = i - 1;
			for (; i < B64_QUANTUM; i++)
				v[i] = 0;
			break;
		}
		if ((v[i] = b64_value(q[i])) == B64_BAD)
			return -1;
	}
	o[0] = (uint8_t)(v[0] << 2 | v[1] >> 4);
	o[1] = (uint8_t)(v[1] << 4 | v[2] >> 2);
	o[2] = (uint8_t)(v[2] << 6 | v[3]);
	return n;
}

/*
 * Decodes a base64 user name (SASL LOGIN, CRAM-MD5) up to the first
 * octet equal to stop (or the end), into out->user. Returns 0, or -1 on
 * bad base64 or a name that set_user() refuses.
 */
static int
b64_user(struct rd b, uint8_t stop, struct creds *out)
{
	uint8_t buf[SASL_USER_MAX + 1], o[B64_OCTETS];
	const uint8_t *q;
	size_t n = 0;
	int k, i, done = 0;

	if (rd_left(&b) % B64_QUANTUM != 0)
		return -1;
	while (!done && rd_left(&b) > 0 && n < SASL_USER_MAX) {
		q = rd_bytes(&b, B64_QUANTUM);
		if ((k = b64_quantum(q, o)) == -1)
			return -1;
		for (i = 0; i < k && n < SASL_USER_MAX; i++) {
			if (o[i] == stop) {
				done = 1;
				break;
			}
			buf[n++] = o[i];
		}
	}
	wipe(o, sizeof(o));
	return set_user(out, buf, n);
}

/*
 * SASL PLAIN message, RFC 4616 section 2:
 *
 *	message = [authzid] NUL authcid NUL passwd
 *
 * Decodes quantum by quantum and stops at the second NUL, so the password
 * is decoded only as far as the octets that share a quantum with the
 * separator, and those are wiped. The user is the authcid. Returns
 * DIS_OK, or DIS_BAD on bad base64, a missing separator or a bad name.
 */
static enum dis_result
sasl_plain(struct rd b, struct creds *out)
{
	uint8_t user[SASL_USER_MAX + 1], o[B64_OCTETS];
	const uint8_t *q;
	size_t n = 0;
	int field = 0, k, i;

	if (rd_left(&b) % B64_QUANTUM != 0)
		return DIS_BAD;
	while (field < 2 && rd_left(&b) > 0) {
		q = rd_bytes(&b, B64_QUANTUM);
		if ((k = b64_quantum(q, o)) == -1)
			break;
		for (i = 0; i < k; i++) {
			if (o[i] == '\0') {
				if (++field == 2) {
					out->password_seen = i + 1 < k ||
					    rd_left(&b) > 0;
					break;
				}
			} else if (field == 1) {
				if (n >= SASL_USER_MAX)
					break;
				user[n++] = o[i];
			}
		}
	}
	wipe(o, sizeof(o));
	if (field < 2)
		return DIS_BAD;
	return set_user(out, user, n) == 0 ? DIS_OK : DIS_BAD;
}

/*
 * A SASL exchange (RFC 4422) after "AUTH mech [ir]" (POP3, SMTP) or
 * "tag AUTHENTICATE mech [ir]" (IMAP): the client's responses are the
 * following lines of r, each base64 ("=" is an empty initial response,
 * "*" cancels). PLAIN, LOGIN and CRAM-MD5 are read; other mechanisms
 * carry no cleartext password and give DIS_NOTME.
 */
static enum dis_result
sasl(struct rd mech, struct rd ir, struct rd *r, struct creds *out)
{
	struct rd l1, l2;
	int has_ir = rd_left(&ir) > 0;

	if (has_ir && word_is(&ir, "="))
		rd_init(&ir, NULL, 0);
	if (word_is(&mech, "PLAIN")) {
		if (!has_ir && next_line(r, &ir) == -1)
			return DIS_MORE;
		if (word_is(&ir, "*"))
			return DIS_MORE;
		return sasl_plain(ir, out);
	}
	if (word_is(&mech, "LOGIN")) {
		if (has_ir)
			l1 = ir;
		else if (next_line(r, &l1) == -1)
			return DIS_MORE;
		if (word_is(&l1, "*"))
			return DIS_MORE;
		if (b64_user(l1, '\0', out) == -1)
			return DIS_BAD;
		if (next_line(r, &l2) == -1 || word_is(&l2, "*"))
			return DIS_MORE;
		out->password_seen = rd_left(&l2) > 0;
		return DIS_OK;
	}
	if (word_is(&mech, "CRAM-MD5")) {
		/* RFC 2195 section 2: base64 of "user SP digest". */
		if (next_line(r, &l1) == -1)
			return DIS_MORE;
		if (word_is(&l1, "*"))
			return DIS_MORE;
		return b64_user(l1, ' ', out) == 0 ? DIS_OK : DIS_BAD;
	}
	return DIS_NOTME;
}

/* Whether w looks like a command verb: 3..CMD_MAX letters. */
static int
is_verb(const struct rd *w)
{
	size_t i, n = rd_left(w);

	if (n < 3 || n > CMD_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alpha(cur(w)[i]))
			return 0;
	return 1;
}

/*
 * FTP (RFC 959 section 4.1.1, RFC 4217 section 4 for AUTH TLS), POP3
 * (RFC 1939 section 7, RFC 2595 section 4 STLS, RFC 5034 AUTH) and SMTP
 * (RFC 5321 section 4.1, RFC 3207 STARTTLS, RFC 4954 AUTH): one command
 * per line, "VERB SP arguments CRLF".
 */
static enum dis_result
line_protocol(enum creds_proto proto, struct rd r, struct creds *out)
{
	struct rd line, verb, arg;
	int first = 1, have_user = 0;

	while (next_line(&r, &line) == 0) {
		verb = next_word(&line);
		if (rd_left(&verb) == 0 && !first)
			continue;
		if (!is_verb(&verb))
			return first ? DIS_NOTME : (have_user ? DIS_MORE :
			    DIS_NOTME);
		first = 0;
		if (word_is(&verb, "STARTTLS") || word_is(&verb, "STLS"))
			return have_user ? DIS_MORE : DIS_NOTME;
		if (proto == CREDS_FTP && word_is(&verb, "AUTH"))
			return have_user ? DIS_MORE : DIS_NOTME;
		if (proto == CREDS_SMTP && word_is(&verb, "MAIL"))
			return DIS_NOTME;
		if (proto != CREDS_SMTP && word_is(&verb, "USER")) {
			arg = rest(&line);
			if (set_user(out, cur(&arg), rd_left(&arg)) == -1)
				return DIS_BAD;
			have_user = 1;
		} else if (proto != CREDS_SMTP && word_is(&verb, "PASS")) {
			if (have_user) {
				out->password_seen = 1;
				return DIS_OK;
			}
		} else if (proto == CREDS_POP3 && word_is(&verb, "APOP")) {
			arg = next_word(&line);
			if (set_user(out, cur(&arg), rd_left(&arg)) == -1)
				return DIS_BAD;
			return DIS_OK;
		} else if (proto != CREDS_FTP && word_is(&verb, "AUTH")) {
			struct rd mech = next_word(&line);

			if (rd_left(&mech) == 0)
				continue;
			arg = next_word(&line);
			return sasl(mech, arg, &r, out);
		}
	}
	return first && rd_left(&r) > 0 && !is_alpha(r.p[r.off]) ?
	    DIS_NOTME : DIS_MORE;
}

/*
 * IMAP4rev2 astring, RFC 9051 section 9:
 *
 *	astring = 1*ASTRING-CHAR / string
 *	string  = quoted / literal
 *	quoted  = DQUOTE *QUOTED-CHAR DQUOTE	(\" and \\ escapes)
 *	literal = "{" number ["+"] "}" CRLF *CHAR8
 *
 * Reads one astring from r (which spans the rest of the stream, since a
 * literal continues past the CRLF). With dst NULL nothing is copied (the
 * password). Returns the decoded length (cut at dstsz), or -1 when the
 * astring is incomplete or malformed (*more set when incomplete).
 */
#define IMAP_LITERAL_DIGITS	9

static int
imap_astring_char(uint8_t c)
{
	return c > ' ' && c < 0x7f && c != '(' && c != ')' && c != '{' &&
	    c != '%' && c != '*' && c != '"' && c != '\\';
}

static long
imap_astring(struct rd *r, uint8_t *dst, size_t dstsz, int *more)
{
	size_t n = 0, digits = 0, len = 0;
	uint8_t c;

	c = rd_u8(r);
	if (!rd_ok(r)) {
		*more = 1;
		return -1;
	}
	if (c == '"') {
		for (;;) {
			c = rd_u8(r);
			if (!rd_ok(r)) {
				*more = 1;
				return -1;
			}
			if (c == '"')
				return (long)n;
			if (c == '\\') {
				c = rd_u8(r);
				if (!rd_ok(r)) {
					*more = 1;
					return -1;
				}
				if (c != '"' && c != '\\')
					return -1;
			} else if (c == '\r' || c == '\n')
				return -1;
			if (dst != NULL && n < dstsz)
				dst[n] = c;
			n++;
		}
	}
	if (c == '{') {
		while ((c = rd_u8(r)) >= '0' && c <= '9' &&
		    digits < IMAP_LITERAL_DIGITS) {
			len = len * 10 + (size_t)(c - '0');
			digits++;
		}
		if (c == '+')
			c = rd_u8(r);
		if (c != '}' || digits == 0 || rd_u8(r) != '\r' ||
		    rd_u8(r) != '\n') {
			if (!rd_ok(r))
				*more = 1;
			return -1;
		}
		if (rd_left(r) < len) {
			*more = 1;
			return -1;
		}
		if (dst != NULL)
			rd_copy(r, dst, len < dstsz ? len : dstsz);
		else
			rd_skip(r, len);
		if (dst != NULL && len > dstsz)
			rd_skip(r, len - dstsz);
		return (long)len;
	}
	if (!imap_astring_char(c))
		return -1;
	do {
		if (dst != NULL && n < dstsz)
			dst[n] = c;
		n++;
		if (rd_left(r) == 0) {
			*more = 1;
			return -1;
		}
		c = *cur(r);
		if (!imap_astring_char(c) && c != ']')
			break;
		rd_skip(r, 1);
	} while (1);
	return (long)n;
}

/* Moves r past the next LF; returns -1 when there is none. */
static int
skip_line(struct rd *r)
{
	struct rd line;

	return next_line(r, &line);
}

/*
 * IMAP (RFC 9051): "tag SP command [SP args] CRLF". LOGIN (section
 * 6.2.3) takes two astrings; AUTHENTICATE (6.2.2) a mechanism and an
 * optional initial response; STARTTLS (6.2.1) ends cleartext.
 */
static enum dis_result
imap(struct rd r, struct creds *out)
{
	uint8_t user[CREDS_USER_LEN + 1];
	struct rd peek, line, tag, cmd;
	long n;
	int first = 1, more = 0;

	while (rd_left(&r) > 0) {
		peek = r;
		if (next_line(&peek, &line) == -1)
			line = r;
		tag = next_word(&line);
		cmd = next_word(&line);
		if (rd_left(&tag) == 0 || !is_verb(&cmd))
			return first ? DIS_NOTME : DIS_MORE;
		first = 0;
		if (word_is(&cmd, "STARTTLS"))
			return DIS_NOTME;
		if (word_is(&cmd, "LOGIN")) {
			/* Re-read from the stream: literals span lines. */
			rd_skip(&r, (size_t)(line.p - r.p) - r.off);
			if (rd_u8(&r) != ' ')
				return rd_ok(&r) ? DIS_BAD : DIS_MORE;
			n = imap_astring(&r, user, sizeof(user) - 1, &more);
			if (n < 0)
				return more ? DIS_MORE : DIS_BAD;
			if (set_user(out, user, (size_t)n < sizeof(user) - 1 ?
			    (size_t)n : sizeof(user) - 1) == -1)
				return DIS_BAD;
			if (rd_u8(&r) != ' ')
				return rd_ok(&r) ? DIS_BAD : DIS_MORE;
			more = 0;
			if (imap_astring(&r, NULL, 0, &more) < 0)
				return more ? DIS_MORE : DIS_BAD;
			out->password_seen = 1;
			return DIS_OK;
		}
		if (skip_line(&r) == -1)
			return DIS_MORE;
		if (word_is(&cmd, "AUTHENTICATE")) {
			struct rd mech = next_word(&line);

			return sasl(mech, next_word(&line), &r, out);
		}
	}
	return DIS_MORE;
}

/*
 * Telnet, RFC 854 "The Network Virtual Terminal" and the option
 * negotiation of RFC 855:
 *
 *	IAC IAC			data octet 255
 *	IAC WILL/WONT/DO/DONT o	three octets, dropped
 *	IAC SB ... IAC SE	subnegotiation, dropped
 *	IAC cmd			two octets, dropped
 *	CR NUL			a bare CR
 *
 * Copies the data octets of [p, p+len) into dst (at most cap); returns
 * the count. A truncated sequence at the end is dropped.
 */
static size_t
telnet_strip(const uint8_t *p, size_t len, uint8_t *dst, size_t cap)
{
	struct rd r;
	size_t n = 0;
	uint8_t c, cmd;

	rd_init(&r, p, len);
	while (rd_left(&r) > 0 && n < cap) {
		c = rd_u8(&r);
		if (c != TELNET_IAC) {
			if (c == '\0' && n > 0 && dst[n - 1] == ASCII_CR)
				continue;
			dst[n++] = c;
			continue;
		}
		cmd = rd_u8(&r);
		if (!rd_ok(&r))
			break;
		if (cmd == TELNET_IAC)
			dst[n++] = c;
		else if (cmd >= TELNET_WILL && cmd <= TELNET_DONT)
			rd_skip(&r, 1);
		else if (cmd == TELNET_SB) {
			/* Skip to IAC SE; IAC IAC inside is data. */
			while (rd_left(&r) > 0) {
				c = rd_u8(&r);
				if (c != TELNET_IAC)
					continue;
				if (rd_u8(&r) == TELNET_SE)
					break;
			}
		}
	}
	return n;
}

static enum dis_result
telnet(const uint8_t *up, size_t up_len, const uint8_t *down,
    size_t down_len, struct creds *out)
{
	uint8_t text[TELNET_SCAN_MAX], user[CREDS_USER_LEN + 1];
	size_t n, i, u = 0;
	int lines = 0, pw_prompt;
	enum dis_result rc = DIS_MORE;

	n = telnet_strip(down, down_len, text, sizeof(text));
	if (!find_ci(text, n, "login:") && !find_ci(text, n, "username:") &&
	    !find_ci(text, n, "user name:"))
		return DIS_MORE;
	pw_prompt = find_ci(text, n, "password:");
	n = telnet_strip(up, up_len, text, sizeof(text));
	/*
	 * Replay the typing: BS and DEL erase, CR or LF ends a line; the
	 * first non-empty line is the user, the second the password, whose
	 * characters are only counted, never kept.
	 */
	for (i = 0; i < n && lines < 2; i++) {
		uint8_t c = text[i];

		if (c == ASCII_CR || c == '\n') {
			if (lines == 0 && u == 0)
				continue;
			if (lines == 0 && i + 1 < n && c == ASCII_CR &&
			    text[i + 1] == '\n')
				i++;
			lines++;
			if (lines == 1) {
				if (set_user(out, user, u) == -1)
					rc = DIS_BAD;
			}
			continue;
		}
		if (lines == 1)
			continue;
		if (c == ASCII_BS || c == ASCII_DEL) {
			if (u > 0)
				u--;
		} else if (c >= 0x20 && c < 0x7f && u < sizeof(user) - 1)
			user[u++] = c;
	}
	wipe(text, sizeof(text));
	if (rc == DIS_BAD || lines == 0)
		return rc;
	if (lines == 2 && pw_prompt) {
		out->password_seen = 1;
		return DIS_OK;
	}
	return DIS_MORE;
}

enum dis_result
creds_parse(enum creds_proto proto, const uint8_t *up, size_t up_len,
    const uint8_t *down, size_t down_len, struct creds *out)
{
	struct rd r;
	enum dis_result rc;

	memset(out, 0, sizeof(*out));
	if (up == NULL)
		up_len = 0;
	if (down == NULL)
		down_len = 0;
	rd_init(&r, up, up_len);
	switch (proto) {
	case CREDS_FTP:
	case CREDS_POP3:
	case CREDS_SMTP:
		rc = line_protocol(proto, r, out);
		break;
	case CREDS_IMAP:
		rc = imap(r, out);
		break;
	case CREDS_TELNET:
		rc = telnet(up, up_len, down, down_len, out);
		break;
	default:
		return DIS_NOTME;
	}
	if (rc == DIS_OK || rc == DIS_MORE)
		out->proto = proto;
	else {
		out->user[0] = '\0';
		out->password_seen = 0;
	}
	return rc;
}

enum creds_proto
creds_proto_for_port(uint16_t server_port)
{
	switch (server_port) {
	case PORT_FTP:
		return CREDS_FTP;
	case PORT_TELNET:
		return CREDS_TELNET;
	case PORT_POP3:
		return CREDS_POP3;
	case PORT_IMAP:
		return CREDS_IMAP;
	case PORT_SMTP:
	case PORT_SUBMISSION:
		return CREDS_SMTP;
	default:
		return CREDS_NONE;
	}
}
