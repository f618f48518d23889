/* SPDX-License-Identifier: ISC */
/*
 * match.h: lookups against a loaded ruleset. Domain rules match on whole
 * labels only: "t.me" matches "t.me" and "x.t.me", never "tt.me". The
 * longest matching suffix wins; an exception suffix of a service removes
 * the match. Lookups do not allocate and are safe to call per flow.
 */
#ifndef SHADOWTAP_MATCH_H
#define SHADOWTAP_MATCH_H

#include <stdint.h>

#include "policy/rules.h"

/*
 * Several signals may name a service for one flow, and they can disagree
 * (a CDN address shared by many services, a port reused by anything).
 * Which one wins is the caller's choice; the recommended order, most
 * trustworthy first, is:
 *
 *	match_name	(SNI, DNS answer, HTTP Host)
 *	match_ja4	(the client's TLS fingerprint)
 *	match_protocol	(a protocol signature: ssh, tor, bittorrent, ...)
 *	match_addr, then match_asn	(the server address, its AS)
 *	match_port	(last resort)
 *
 * capture's classify() makes one exception: when the protocol's service
 * and the one match_addr() gives are of the same category, the address
 * names the vendor (OpenVPN to a NordVPN server is NordVPN).
 *
 * Every lookup below is read-only on an immutable ruleset: it never
 * allocates, takes no lock, and any number of threads may call it on the
 * same ruleset. The returned service (and rule) belongs to the ruleset
 * and lives exactly as long as it does: after a reload, drop pointers
 * into the old ruleset before freeing it (keep s->id copies instead).
 * The "why" out-parameters may be NULL; they are set to the rule that
 * decided (its loc says file:line:col), or to NULL when nothing matched.
 */

/*
 * Returns the service whose domain rules match name (already normalised by
 * hostname_norm()), or NULL when none does.
 */
const struct service *match_name(const struct ruleset *rs, const char *name);

/*
 * Like match_name, and also says why: *rule is set to the domain rule that
 * matched (NULL if none), *except to an "except" rule that stopped a
 * service from matching on the way (NULL if none). Either pointer may be
 * NULL.
 */
const struct service *match_name_why(const struct ruleset *rs,
		    const char *name, const struct rule_domain **rule,
		    const struct rule_domain **except);

/*
 * The service whose "ips" has the longest prefix holding addr (4 bytes
 * for AF_INET, 16 for AF_INET6; IPv4-mapped IPv6 addresses are looked up
 * as IPv4), or NULL.
 */
const struct service *match_addr(const struct ruleset *rs, int family,
		    const uint8_t *addr, const struct rule_item **why);
/* The service listing AS number asn in "asns" (geo_lookup() gives it). */
const struct service *match_asn(const struct ruleset *rs, uint32_t asn,
		    const struct rule_item **why);
/* The service listing this JA4 string (lowercase, exact) in "ja4". */
const struct service *match_ja4(const struct ruleset *rs, const char *ja4,
		    const struct rule_item **why);
/*
 * The service listing this protocol signature name in "protocols" (see
 * rules_protocol_known() for the vocabulary).
 */
const struct service *match_protocol(const struct ruleset *rs,
		    const char *name, const struct rule_item **why);
/* The service listing proto/port in "ports"; proto is IPPROTO_TCP/_UDP. */
const struct service *match_port(const struct ruleset *rs, uint8_t proto,
		    uint16_t port, const struct rule_item **why);

/*
 * The department of a device: the longest "subnets" prefix holding its
 * address wins; without one, the department whose "vlans" lists vlan (0:
 * untagged); NULL when neither says. *why is set to the deciding subnets
 * or vlans entry (zeroed when none).
 */
const struct department *match_department(const struct ruleset *rs,
		    int family, const uint8_t *addr, unsigned vlan,
		    struct rule_loc *why);
/*
 * Returns 1 when addr is in an "ignore networks" entry (traffic to or
 * from it is not recorded), else 0. *why is set to the entry.
 */
int		 match_ignored(const struct ruleset *rs, int family,
		    const uint8_t *addr, struct rule_loc *why);

/*
 * Writes the registrable domain of name (normalised by hostname_norm())
 * to out: "a.b.example.co.uk" gives "example.co.uk" (the Public Suffix
 * List, through libpsl's built-in copy). A name that has none (a public
 * suffix itself, a single label, an IP literal) is copied unchanged, so
 * unclassified destinations can always be grouped by what is written.
 * Returns 0, or -1 (out unchanged) for an empty or too long name or when
 * the result does not fit outsz. Thread-safe, no allocation kept.
 */
int		 match_registrable_domain(const char *name, char *out,
		    size_t outsz);

/*
 * Builds the suffix index over every rule_domain of rs (rules_load.c
 * calls this once at load time). When two services list the same domain, the first
 * one in load order owns it. Returns the index; match_index_free frees it
 * (NULL is a no-op).
 */
struct match_index *match_index_new(const struct ruleset *rs);
void		 match_index_free(struct match_index *);

/*
 * Returns the "domains" rule that owns exactly this suffix (no label
 * walking), or NULL. Used to report domains listed twice.
 */
const struct rule_domain *match_index_domain(const struct match_index *,
		    const char *suffix);

/*
 * The first service key (load order) with the same value as it (for a
 * network: the same prefix), or NULL. Used to report keys listed twice.
 */
const struct rule_item *match_index_item(const struct match_index *,
		    const struct rule_item *it);
/* Likewise for department subnets and "ignore networks" entries. */
const struct rule_net *match_index_net(const struct match_index *,
		    const struct rule_net *n);

#endif
