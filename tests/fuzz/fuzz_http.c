/* SPDX-License-Identifier: ISC */
/*
 * fuzz_http.c: libFuzzer target for http_parse_request(), run both as a
 * partial stream and as a full buffer (last set). Checks that every output
 * string is NUL-terminated and that an OK result names a method.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(enum dis_result rc, const struct http_req *r)
{
	if (strnlen(r->method, sizeof(r->method)) == sizeof(r->method) ||
	    strnlen(r->host, sizeof(r->host)) == sizeof(r->host) ||
	    strnlen(r->user_agent, sizeof(r->user_agent)) ==
	    sizeof(r->user_agent) ||
	    strnlen(r->auth_user, sizeof(r->auth_user)) ==
	    sizeof(r->auth_user))
		abort();
	if (rc == DIS_OK && r->method[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req r;
	enum dis_result rc;

	rc = http_parse_request(data, size, 0, &r);
	check(rc, &r);
	rc = http_parse_request(data, size, 1, &r);
	check(rc, &r);
	return 0;
}
