/* SPDX-License-Identifier: ISC */
/*
 * fuzz_ovpn.c: libFuzzer target for dissect/ovpn.c. The input is read as
 * an OpenVPN-over-TCP stream prefix (ovpn_tcp_tls) and, split at every
 * 0xff byte, as a series of UDP datagrams (ovpn_ctl_next). The output
 * must stay within its buffer and each TLS piece within its packet.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/ovpn.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[512];
	struct ovpn_ctl c;
	const uint8_t *tls, *p = data, *end = data + size, *sep;
	size_t n, len;

	if (ovpn_tcp_tls(data, size, out, sizeof(out)) > sizeof(out))
		abort();
	ovpn_ctl_init(&c);
	while (p < end) {
		sep = memchr(p, 0xff, (size_t)(end - p));
		len = sep != NULL ? (size_t)(sep - p) : (size_t)(end - p);
		if (ovpn_ctl_next(&c, p, len, &tls, &n) == 1 &&
		    (tls < p || n == 0 || n > len || tls + n > p + len))
			abort();
		p += len + (sep != NULL);
	}
	return 0;
}
