/* SPDX-License-Identifier: ISC */
/*
 * fuzz_quic.c: libFuzzer target for quic_parse_client(). The first input
 * octet picks how many datagrams the rest is cut into (so one key context
 * sees several, as on a flow); every CRYPTO fragment must lie inside the
 * plaintext buffer, and the fragments at offset 0 are fed to the TLS and
 * CHLO parsers. Each datagram also goes through quic_is_vn().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/quic.h"
#include "dissect/tls.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct quic_initial qi;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quic_keyctx ctx;
	struct tls_hello h;
	size_t parts, step, off, n, i;

	if (size < 1)
		return 0;
	parts = (size_t)(data[0] % 3) + 1;
	data++;
	size--;
	step = size / parts + 1;
	memset(&ctx, 0, sizeof(ctx));
	for (off = 0; off < size; off += n) {
		n = size - off < step ? size - off : step;
		(void)quic_parse_client(data + off, n, &ctx, &qi);
		(void)quic_is_vn(data + off, n);
		if (qi.nfrags > QUIC_MAX_FRAGS || ctx.dcid_len > QUIC_MAX_CID ||
		    strnlen(qi.gquic_sni, sizeof(qi.gquic_sni)) ==
		    sizeof(qi.gquic_sni) ||
		    strnlen(qi.gquic_uaid, sizeof(qi.gquic_uaid)) ==
		    sizeof(qi.gquic_uaid))
			abort();
		for (i = 0; i < qi.nfrags; i++) {
			if (qi.frags[i].data < qi.plain ||
			    qi.frags[i].len > sizeof(qi.plain) ||
			    qi.frags[i].data + qi.frags[i].len >
			    qi.plain + sizeof(qi.plain))
				abort();
			if (qi.frags[i].offset == 0) {
				(void)tls_parse_handshake(qi.frags[i].data,
				    qi.frags[i].len, &h);
				(void)quic_parse_chlo(qi.frags[i].data,
				    qi.frags[i].len, &qi);
			}
		}
	}
	(void)quic_version_str(ctx.version);
	return 0;
}
