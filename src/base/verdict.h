/* SPDX-License-Identifier: ISC */
/*
 * verdict.h: the organisation's decision about a service, as the policy
 * sets it. Stored in findings as the status at the time of the traffic.
 */
#ifndef SHADOWTAP_VERDICT_H
#define SHADOWTAP_VERDICT_H

enum verdict {
	VERDICT_NONE = 0,	/* no service matched (unclassified) */
	VERDICT_SANCTIONED,	/* approved by the organisation */
	VERDICT_TOLERATED,	/* known and accepted, not approved */
	VERDICT_UNSANCTIONED,	/* shadow IT */
};
/* One past the last verdict (a macro: switches need not name it). */
#define VERDICT_MAX	(VERDICT_UNSANCTIONED + 1)

static inline const char *
verdict_str(enum verdict v)
{
	switch (v) {
	case VERDICT_SANCTIONED:
		return "sanctioned";
	case VERDICT_TOLERATED:
		return "tolerated";
	case VERDICT_UNSANCTIONED:
		return "unsanctioned";
	case VERDICT_NONE:
		break;
	}
	return "unclassified";
}

#endif
