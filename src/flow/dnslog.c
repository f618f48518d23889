/* SPDX-License-Identifier: ISC */
/*
 * dnslog.c: the pending-query table behind DNS events. Keys are (client
 * endpoint, server endpoint, transaction id), hashed with SipHash into a
 * fixed array of slots; one query per slot, so memory is fixed and a flood
 * of unanswered queries only ends older ones early.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "flow/dnslog.h"
#include "flow/flow.h"
#include "base/siphash.h"
#include "base/util.h"

struct pending_key {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	id;
	uint16_t	client_port;
	uint16_t	server_port;
	uint8_t		client_ip[16];
	uint8_t		server_ip[16];
};

struct pending {
	int		 used;
	struct pending_key key;
	int64_t		 ts_us;
	uint16_t	 qtype;
	uint16_t	 vlan;
	uint8_t		 has_mac;
	uint8_t		 mac[6];
	char		 query[HOSTNAME_SIZE];
};

struct dnslog {
	struct pending		*slots;
	size_t			 nslots;
	int64_t			 timeout_us;
	struct siphash_key	 hkey;
	dnslog_cb		*cb;
	void			*arg;
	struct dnslog_stats	 st;
};

struct dnslog *
dnslog_new(size_t slots, int64_t timeout_us, int deterministic, dnslog_cb *cb,
    void *arg)
{
	struct dnslog *d = xcalloc(1, sizeof(*d));

	d->nslots = slots > 0 ? slots : 1;
	d->slots = xcalloc(d->nslots, sizeof(*d->slots));
	d->timeout_us = timeout_us;
	siphash_key_init(&d->hkey, deterministic);
	d->cb = cb;
	d->arg = arg;
	return d;
}

void
dnslog_free(struct dnslog *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

static void
event_base(struct dns_event *e, const struct pending_key *k)
{
	memset(e, 0, offsetof(struct dns_event, answers));
	e->family = k->family;
	e->proto = k->proto;
	memcpy(e->client_ip, k->client_ip, sizeof(e->client_ip));
	memcpy(e->server_ip, k->server_ip, sizeof(e->server_ip));
	e->client_port = k->client_port;
	e->server_port = k->server_port;
	e->rtt_us = -1;
	e->rcode = -1;
}

static void
emit_unanswered(struct dnslog *d, struct pending *p)
{
	struct dns_event e;

	event_base(&e, &p->key);
	e.ts_us = p->ts_us;
	e.qtype = p->qtype;
	e.vlan = p->vlan;
	e.has_mac = p->has_mac;
	memcpy(e.client_mac, p->mac, sizeof(e.client_mac));
	strlcpy(e.query, p->query, sizeof(e.query));
	p->used = 0;
	d->st.unanswered++;
	d->cb(d->arg, &e);
}

static void
add_answers(struct dns_event *e, const struct dnslog_msg *m)
{
	size_t i;

	for (i = 0; i < m->nanswers && i < DNSLOG_MAX_ANSWERS; i++) {
		const struct dnslog_answer *a = &m->answers[i];
		struct dns_event_answer *o = &e->answers[e->nanswers];

		o->type = a->type;
		o->ttl = a->ttl;
		if (a->type == DNSLOG_TYPE_A)
			util_addr_str(4, a->addr, o->value, sizeof(o->value));
		else if (a->type == DNSLOG_TYPE_AAAA)
			util_addr_str(6, a->addr, o->value, sizeof(o->value));
		else if (a->type == DNSLOG_TYPE_CNAME)
			strlcpy(o->value, a->cname, sizeof(o->value));
		else
			continue;
		if (o->value[0] != '\0')
			e->nanswers++;
	}
}

void
dnslog_message(struct dnslog *d, const struct flow *f, int dir, int64_t ts_us,
    const struct dnslog_msg *m)
{
	struct pending_key k;
	struct pending *p;
	struct dns_event e;

	memset(&k, 0, sizeof(k));
	k.family = f->key.family;
	k.proto = f->key.proto;
	k.id = m->id;
	k.client_port = flow_client_port(f);
	k.server_port = flow_server_port(f);
	memcpy(k.client_ip, flow_client_ip(f), sizeof(k.client_ip));
	memcpy(k.server_ip, flow_server_ip(f), sizeof(k.server_ip));
	p = &d->slots[siphash13(&d->hkey, &k, sizeof(k)) % d->nslots];
	if (!m->qr) {
		(void)dir;
		d->st.queries++;
		if (p->used)
			emit_unanswered(d, p);
		p->used = 1;
		p->key = k;
		p->ts_us = ts_us;
		p->qtype = m->qtype;
		p->vlan = f->key.vlan;
		p->has_mac = f->has_mac;
		memcpy(p->mac, f->client_mac, sizeof(p->mac));
		strlcpy(p->query, m->qname, sizeof(p->query));
		return;
	}
	event_base(&e, &k);
	e.vlan = f->key.vlan;
	e.has_mac = f->has_mac;
	memcpy(e.client_mac, f->client_mac, sizeof(e.client_mac));
	e.rcode = m->rcode;
	e.qtype = m->qtype;
	strlcpy(e.query, m->qname, sizeof(e.query));
	if (p->used && memcmp(&p->key, &k, sizeof(k)) == 0) {
		e.ts_us = p->ts_us;
		e.rtt_us = ts_us >= p->ts_us ? ts_us - p->ts_us : 0;
		if (e.query[0] == '\0')
			strlcpy(e.query, p->query, sizeof(e.query));
		p->used = 0;
		d->st.answered++;
	} else {
		e.ts_us = ts_us;
		d->st.unmatched++;
	}
	add_answers(&e, m);
	d->cb(d->arg, &e);
}

void
dnslog_expire(struct dnslog *d, int64_t now_us)
{
	size_t i;

	for (i = 0; i < d->nslots; i++)
		if (d->slots[i].used &&
		    d->slots[i].ts_us + d->timeout_us < now_us)
			emit_unanswered(d, &d->slots[i]);
}

void
dnslog_drain(struct dnslog *d)
{
	size_t i;

	for (i = 0; i < d->nslots; i++)
		if (d->slots[i].used)
			emit_unanswered(d, &d->slots[i]);
}

const struct dnslog_stats *
dnslog_stats(const struct dnslog *d)
{
	return &d->st;
}
