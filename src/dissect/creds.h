/* SPDX-License-Identifier: ISC */
/*
 * dissect/creds.h: user names sent in clear by FTP, Telnet, POP3, IMAP and
 * SMTP logins. Only the user name and the fact that a password went over
 * the wire are reported; a password is never copied out, and any secret
 * octets decoded on the way (SASL PLAIN) are wiped before returning.
 * HTTP Basic is read by dissect/http.c (http_req.auth_user).
 */
#ifndef SHADOWTAP_DISSECT_CREDS_H
#define SHADOWTAP_DISSECT_CREDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/record.h"
#include "dissect/result.h"

#define CREDS_USER_LEN		63

struct creds {
	enum creds_proto proto;
	char		 user[CREDS_USER_LEN + 1];	/* printable ASCII
							   (0x20..0x7e), cut */
	int		 password_seen;	/* a password or secret was sent in
					   clear (boolean only) */
};

/*
 * Looks for a cleartext login in the first bytes of a session: up is the
 * client->server stream prefix, down the server->client one (either may
 * be NULL with length 0). Reads nothing outside them and keeps no state.
 *
 *	FTP (RFC 959 section 4.1.1): USER name, PASS password.
 *	POP3 (RFC 1939 section 7): USER name, PASS string; APOP name digest
 *	    (a digest, so password_seen stays 0); AUTH PLAIN/LOGIN (RFC 5034).
 *	IMAP (RFC 9051 section 6.2.3): tag LOGIN userid password, each an
 *	    atom, quoted string or literal ({n} or {n+}); AUTHENTICATE
 *	    PLAIN/LOGIN (section 6.2.2).
 *	SMTP (RFC 4954 section 4): AUTH PLAIN [initial-response] and AUTH
 *	    LOGIN, whose first base64 line after the 334 is the user name;
 *	    AUTH CRAM-MD5 (RFC 2195) gives the user but no password.
 *	Telnet (RFC 854): option negotiation (IAC sequences) is stripped from
 *	    both directions; once the server has sent a "login:" or
 *	    "username:" prompt, the first line the client typed (with
 *	    backspace/DEL applied) is the user name; a second line after a
 *	    "password:" prompt sets password_seen.
 *
 * SASL PLAIN (RFC 4616) is decoded one base64 quantum at a time and
 * decoding stops at the password; the quantum holding the separator is
 * wiped. Command names and SASL mechanism names are case-insensitive.
 *
 * Returns DIS_OK when a login attempt is complete: the user name and the
 * secret step were seen (PASS, the password line, the PLAIN response,
 * APOP, LOGIN). Returns DIS_MORE when the session could still carry a
 * login, with out->user already filled if a user name was seen (USER
 * without PASS yet). Returns DIS_NOTME when this is not the protocol in
 * cleartext (TLS, binary, no protocol-shaped first line) or a login can
 * no longer follow in clear: STARTTLS/STLS/AUTH TLS was sent, or (SMTP)
 * a mail transaction began without AUTH. Returns DIS_BAD when the login
 * is malformed: a user name that is empty or not printable ASCII, or bad
 * base64. proto CREDS_HTTP_BASIC and CREDS_NONE return DIS_NOTME.
 * *out is zeroed first; out->proto is set on DIS_OK and DIS_MORE.
 */
enum dis_result	creds_parse(enum creds_proto proto, const uint8_t *up,
		    size_t up_len, const uint8_t *down, size_t down_len,
		    struct creds *out);

/*
 * The protocol whose cleartext login uses server_port: 21 FTP, 23 Telnet,
 * 110 POP3, 143 IMAP, 25 and 587 SMTP; CREDS_NONE otherwise.
 */
enum creds_proto creds_proto_for_port(uint16_t server_port);

#endif
