/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dhcp.c: libFuzzer target for dhcp_parse() and dhcp_parse_v6() on
 * the same input. Checks that every string is NUL-terminated inside its
 * field, that host names hold only 0x21..0x7e and other strings only
 * printable ASCII, and that counts stay within their caps.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dhcp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_str(const char *s, size_t size, int host)
{
	size_t i, n = strnlen(s, size);

	if (n == size)
		abort();
	for (i = 0; i < n; i++) {
		if (host ? (s[i] < 0x21 || s[i] > 0x7e || (s[i] >= 'A' &&
		    s[i] <= 'Z')) : (s[i] < 0x20 || s[i] > 0x7e))
			abort();
	}
}

static void
check(const struct dhcp_msg *m, enum dis_result rc)
{
	check_str(m->hostname, sizeof(m->hostname), 1);
	check_str(m->fqdn, sizeof(m->fqdn), 1);
	check_str(m->vendor_class, sizeof(m->vendor_class), 0);
	check_str(m->prl, sizeof(m->prl), 0);
	if (m->duid_len > sizeof(m->duid) || (m->hostname_bad &&
	    m->hostname[0] != '\0') || (m->fqdn_bad && m->fqdn[0] != '\0'))
		abort();
	if (rc == DIS_NOTME && m->version != 0)
		abort();
	if (rc == DIS_BAD && !m->malformed)
		abort();
	(void)dhcp_type_name(m->version, m->msg_type);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_msg m;

	check(&m, dhcp_parse(data, size, &m));
	check(&m, dhcp_parse_v6(data, size, &m));
	return 0;
}
