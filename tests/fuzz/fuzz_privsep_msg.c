/* SPDX-License-Identifier: ISC */
/*
 * fuzz_privsep_msg.c: libFuzzer target for the store side of the privsep
 * channel. The input is one datagram as a hostile sniffer could write it;
 * privsep_decode() must refuse it or hand out only messages that pass
 * privsep_validate() again, with every string terminated in its array.
 * The first four bytes are also tried as a bare message type against the
 * rest, to reach each type's validator without framing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "privsep.h"
#include "base/record.h"
#include "store/relagg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_strings(uint32_t type, const void *msg)
{
	const struct flow_record *f = msg;
	const struct device_record *d = msg;
	const struct rel_event *e = msg;

	switch (type) {
	case PRIVSEP_FLOW:
		if (strnlen(f->name, sizeof(f->name)) == sizeof(f->name) ||
		    strnlen(f->domain, sizeof(f->domain)) ==
		    sizeof(f->domain) ||
		    strnlen(f->service, sizeof(f->service)) ==
		    sizeof(f->service) ||
		    strnlen(f->creds_user, sizeof(f->creds_user)) ==
		    sizeof(f->creds_user) ||
		    (f->family != 4 && f->family != 6))
			abort();
		break;
	case PRIVSEP_DEVICE:
		if (strnlen(d->hostname, sizeof(d->hostname)) ==
		    sizeof(d->hostname) ||
		    strnlen(d->prl, sizeof(d->prl)) == sizeof(d->prl))
			abort();
		break;
	case PRIVSEP_REL:
		if (strnlen(e->department, sizeof(e->department)) ==
		    sizeof(e->department) || e->kind == 0 ||
		    e->kind >= REL_EV_MAX || e->vlan > 4095)
			abort();
		break;
	}
}

static void
on_msg(void *arg, uint32_t type, const void *msg, size_t len)
{
	unsigned *n = arg;

	if (privsep_validate(type, msg, len) != 0 ||
	    len != privsep_type_size(type))
		abort();
	check_strings(type, msg);
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[160];
	unsigned n = 0;
	uint32_t type;
	int rc;

	rc = privsep_decode(data, size, on_msg, &n, err, sizeof(err));
	if (rc >= 0 && (unsigned)rc != n)
		abort();
	if (rc < 0 && (n != 0 || err[0] == '\0'))
		abort();
	if (size >= 4) {
		memcpy(&type, data, 4);
		/* Fold into the known types so each validator gets inputs. */
		type = type % (PRIVSEP_TYPE_MAX + 1);
		(void)privsep_check(type, data + 4, size - 4, err,
		    sizeof(err));
	}
	return 0;
}
