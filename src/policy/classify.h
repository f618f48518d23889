/* SPDX-License-Identifier: ISC */
/*
 * classify.h: the one place where a flow's signals become a service and
 * the policy's verdict. "capture" calls it for every flow that ends and
 * "rules explain" for the signals given on its command line, so the two
 * always agree. The input is a plain struct, not a flow: the policy
 * stage knows nothing of the flow table or the dissectors.
 */
#ifndef SHADOWTAP_CLASSIFY_H
#define SHADOWTAP_CLASSIFY_H

#include <stdint.h>

#include "base/record.h"
#include "policy/instance.h"
#include "policy/rules.h"

#define CLASSIFY_CERT_NAMES	4	/* certificate names looked at */

/* What a flow showed. Strings are normalised, "" (never NULL) when absent. */
struct classify_in {
	int		 family;	/* AF_INET or AF_INET6 */
	const uint8_t	*client_ip;	/* 4 or 16 bytes; NULL: unknown */
	const uint8_t	*server_ip;	/* likewise */
	uint8_t		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t	 server_port;
	uint16_t	 vlan;		/* 0 when untagged */
	const char	*name;		/* the best server name: SNI, Host, the
					   DNS question or the DNS cache */
	uint8_t		 name_evidence;	/* enum flow_evidence of name */
	uint8_t		 name_confidence;
	const char	*cert_names[CLASSIFY_CERT_NAMES];
	unsigned	 ncert_names;
	const char	*ja4;
	const char	*signature;	/* protocol signature, e.g. "openvpn" */
	uint8_t		 signature_conf;
	uint32_t	 asn;		/* the server's AS, 0 unknown */
};

/* What the policy makes of it. */
struct classify_out {
	const struct service	*svc;		/* NULL: unclassified */
	const struct department	*dept;		/* the client's, or NULL */
	enum verdict		 verdict;	/* VERDICT_NONE without svc */
	uint8_t			 evidence;	/* enum flow_evidence */
	uint8_t			 confidence;	/* 0..CONFIDENCE_MAX */
	struct decision		 why;		/* the statement behind verdict */
	/* The rules behind svc and dept, for "rules explain". */
	const char		*matched;	/* the name or certificate name
						   a domain rule matched */
	const struct rule_domain *domain;	/* that rule, or NULL */
	const struct rule_domain *except;	/* an "except" that removed a
						   match of the name, or NULL */
	const struct rule_item	*item;		/* the JA4, protocol, network,
						   AS or port rule, or NULL */
	const struct rule_item	*protocol;	/* the protocol rule a vendor's
						   network outranked, or NULL */
	struct rule_loc		 dept_loc;	/* the subnets or vlans entry
						   (file NULL: none) */
	char			 instance[INSTANCE_MAX + 1]; /* the tenant,
						   bucket or account the
						   matched name shows; "" */
	const struct rule_instance *inst_rule;	/* its pattern, or NULL */
	int			 inst_other;	/* 1: the policy names other
						   instances of svc */
	int			 inst_decided;	/* INSTANCE_LISTED, _OTHER or
						   _BUILTIN: the instance
						   decided the verdict; 0 */
};

/*
 * Names the service by the strongest signal that names one: a SOCKS
 * signature (the flow is the proxy's), the name, any certificate name,
 * JA4, the protocol signature (a server address of the same category
 * names the vendor), the server's address or AS, the port as a last
 * resort. The name a domain rule matched may show the service's instance
 * (instance.h), which the policy may decide apart from the service.
 * Then the client's department and the policy's verdict. rs may
 * be NULL (nothing matches). Pointers in *out belong to rs or in. Pure:
 * no allocation, no I/O.
 */
void		 classify(const struct ruleset *rs, const struct classify_in *in,
		    struct classify_out *out);

#endif
