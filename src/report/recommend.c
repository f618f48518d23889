/* SPDX-License-Identifier: ISC */
/*
 * recommend.c: the summary's recommendations. Each follows from the
 * findings and from the policy (the statement that drives it is named,
 * file:line), never against it: no tool is proposed in a category the
 * policy forbids or that is not one where an organisation picks a tool,
 * no forbidden service is proposed, and a personal edition is never
 * called the sanctioned one.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "policy/rules.h"
#include "report/report.h"

#define RECS_CAP	24	/* candidates before ranking */
#define DUP_MAX		3	/* "duplicate tools" recommendations */
#define DAY_US		86400000000LL

struct recs {
	struct report_rec	 v[RECS_CAP];
	size_t			 n;
};

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int
report_rec_personal(const char *name)
{
	static const char word[] = "(personal)";
	size_t i, j, n = strlen(name), w = sizeof(word) - 1;

	for (i = 0; i + w <= n; i++) {
		for (j = 0; j < w; j++) {
			char c = name[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != word[j])
				break;
		}
		if (j == w)
			return 1;
	}
	return 0;
}

static unsigned
risk_num(const char *risk)
{
	if (strcmp(risk, "critical") == 0)
		return 4;
	if (strcmp(risk, "high") == 0)
		return 3;
	if (strcmp(risk, "low") == 0)
		return 1;
	return 2;	/* medium, or not given */
}

/* "policy.example:24" for a statement; "" when file is NULL. */
static char *
loc_text(const char *file, int line)
{
	char buf[512];
	const char *base;

	if (file == NULL)
		return xstrdup("");
	base = strrchr(file, '/');
	snprintf(buf, sizeof(buf), "%s:%d", base != NULL ? base + 1 : file,
	    line);
	return xstrdup(buf);
}

/* The policy's entry for a service of the report, or NULL. */
static const struct service *
pol(const struct ruleset *rs, const char *id)
{
	return rs != NULL ? rules_service_by_id(rs, id) : NULL;
}

/* "Unsanctioned always": a service or category statement forbids it. */
static int
forbidden(const struct service *s)
{
	return s != NULL && s->verdict == VERDICT_UNSANCTIONED &&
	    (s->decided_by == RULE_SERVICE || s->decided_by == RULE_CATEGORY);
}

/*
 * 1 when the policy forbids category cat as a whole ("unsanctioned
 * category cat"); *why is the statement.
 */
static int
category_forbidden(const struct ruleset *rs, const char *cat,
    const struct service **why)
{
	const struct service *s;
	size_t i;

	for (i = 0; i < rules_nservices(rs); i++) {
		s = rules_service_at(rs, i);
		if (strcmp(s->category, cat) == 0 &&
		    s->decided_by == RULE_CATEGORY &&
		    s->verdict == VERDICT_UNSANCTIONED) {
			*why = s;
			return 1;
		}
	}
	return 0;
}

/* The verdict of a service now: the policy's, else the stored one. */
static enum verdict
verdict_now(const struct ruleset *rs, const struct report_service *s)
{
	const struct service *p = pol(rs, s->id);

	return p != NULL ? p->verdict : s->status;
}

static struct report_rec *
add(struct recs *rs, const char *kind, const char *text, unsigned risk)
{
	struct report_rec *e;

	if (rs->n == RECS_CAP)
		return NULL;
	e = &rs->v[rs->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->text = xstrdup(text);
	e->risk = risk;
	return e;
}

/* Sets a recommendation's strings that are not given yet to "". */
static void
finish(struct report_rec *e)
{
	if (e->category == NULL)
		e->category = xstrdup("");
	if (e->targets == NULL)
		e->targets = xstrdup("");
	if (e->rule == NULL)
		e->rule = xstrdup("");
}

/* Evidence of the services selected by want() (and their risk). */
struct evidence {
	uint64_t	 bytes_up;
	int64_t		 first_us;
	int64_t		 last_us;
	unsigned	 risk;
	char		 names[1024];
	size_t		 nnames;
	const struct report_service *first;	/* the first selected */
};

static void
evidence_add(struct evidence *ev, const struct report_service *s)
{
	unsigned k = risk_num(s->risk);

	ev->bytes_up += s->bytes_up;
	if (ev->first == NULL || s->first_us < ev->first_us)
		ev->first_us = s->first_us;
	if (ev->first == NULL || s->last_us > ev->last_us)
		ev->last_us = s->last_us;
	if (k > ev->risk)
		ev->risk = k;
	if (ev->first == NULL)
		ev->first = s;
	if (ev->nnames < 3) {
		if (ev->nnames > 0)
			strlcat(ev->names, ", ", sizeof(ev->names));
		strlcat(ev->names, s->name, sizeof(ev->names));
	}
	ev->nnames++;
}

static uint64_t
span_days(const struct evidence *ev)
{
	if (ev->first == NULL || ev->last_us < ev->first_us)
		return 0;
	return (uint64_t)(ev->last_us / DAY_US - ev->first_us / DAY_US) + 1;
}

static void
names_more(struct evidence *ev)
{
	char more[32];

	if (ev->nnames > 3) {
		snprintf(more, sizeof(more), " and %zu more", ev->nnames - 3);
		strlcat(ev->names, more, sizeof(ev->names));
	}
}

static void
set_evidence(struct report_rec *e, const struct evidence *ev,
    uint64_t devices)
{
	e->devices = devices;
	e->bytes_up = ev->bytes_up;
	e->days = span_days(ev);
}

/*
 * Duplicate tools in category c: move to the sanctioned one, or choose
 * one among those the policy allows. Nothing when the organisation does
 * not pick a tool in c, or forbids it.
 */
static void
duplicate(struct recs *out, const struct report *r, const struct ruleset *rs,
    const struct report_category *c)
{
	const struct report_service *s, *sanc = NULL, *personal = NULL;
	const struct service *p, *why;
	struct evidence other, cand;
	struct rule_loc pick;
	struct report_rec *e;
	char line[1600], n1[32], targets[1024];
	size_t i;

	if (!rules_pick_one(rs, c->id, &pick) ||
	    category_forbidden(rs, c->id, &why))
		return;
	memset(&other, 0, sizeof(other));
	memset(&cand, 0, sizeof(cand));
	strlcpy(targets, ",", sizeof(targets));
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		if (strcmp(s->category, c->id) != 0 ||
		    s->use != REPORT_USE_SUSTAINED)
			continue;
		if (verdict_now(rs, s) == VERDICT_SANCTIONED) {
			if (report_rec_personal(s->name)) {
				if (personal == NULL)
					personal = s;
			} else if (sanc == NULL)
				sanc = s;
			continue;
		}
		evidence_add(&other, s);
		if (forbidden(pol(rs, s->id)) || report_rec_personal(s->name))
			continue;
		evidence_add(&cand, s);
		strlcat(targets, s->id, sizeof(targets));
		strlcat(targets, ",", sizeof(targets));
	}
	names_more(&other);
	names_more(&cand);
	if (other.first == NULL)
		return;
	report_count(c->unapproved_devices, n1, sizeof(n1));
	if (sanc != NULL) {
		snprintf(line, sizeof(line), "Move the %s %s using other %s"
		    " services (%s) to %s, the sanctioned one.", n1,
		    plural(c->unapproved_devices, "device", "devices"), c->id,
		    other.names, sanc->name);
		if ((e = add(out, "move-to", line, other.risk)) == NULL)
			return;
		p = pol(rs, sanc->id);
		e->rule = loc_text(p != NULL ? p->decided_file : NULL,
		    p != NULL ? p->decided_line : 0);
		snprintf(targets, sizeof(targets), ",%s,", sanc->id);
		e->targets = xstrdup(targets);
	} else if (personal != NULL) {
		snprintf(line, sizeof(line), "Give the %s %s using other %s"
		    " services (%s) a company account to move to: %s is a"
		    " personal edition, not a company tool, even where the"
		    " policy lists it.", n1, plural(c->unapproved_devices,
		    "device", "devices"), c->id, other.names, personal->name);
		if ((e = add(out, "personal-edition", line, other.risk)) ==
		    NULL)
			return;
		p = pol(rs, personal->id);
		e->rule = loc_text(p != NULL ? p->decided_file : NULL,
		    p != NULL ? p->decided_line : 0);
	} else {
		if (cand.first == NULL)
			return;
		snprintf(line, sizeof(line), "Choose one %s tool for the"
		    " organisation (%s in use: %s) and move the %s %s using"
		    " the others to it.", c->id, cand.nnames == 1 ?
		    "candidate" : "candidates", cand.names, n1,
		    plural(c->unapproved_devices, "device", "devices"));
		if ((e = add(out, "pick-one", line, other.risk)) == NULL)
			return;
		p = pol(rs, cand.first->id);
		e->rule = pick.file != NULL ? loc_text(pick.file, pick.line) :
		    loc_text(p != NULL ? p->decided_file : NULL,
		    p != NULL ? p->decided_line : 0);
		e->targets = xstrdup(targets);
	}
	e->category = xstrdup(c->id);
	set_evidence(e, &other, c->unapproved_devices);
}

static const struct report_workaround *
workaround(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nworkarounds; i++)
		if (strcmp(r->workarounds[i].id, id) == 0)
			return &r->workarounds[i];
	return NULL;
}

/*
 * The evidence of a workaround's unsanctioned services, and the policy
 * statement that makes the first of them unsanctioned into e.
 */
static void
workaround_basis(struct report_rec *e, const struct report *r,
    const struct ruleset *rs, const struct report_workaround *w)
{
	const struct report_service *s;
	const struct service *p;
	struct evidence ev;
	char key[64];
	size_t i;

	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < r->nservices; i++) {
		s = &r->services[i];
		snprintf(key, sizeof(key), ",%s,", s->category);
		if (s->status != VERDICT_UNSANCTIONED ||
		    s->use != REPORT_USE_SUSTAINED ||
		    s->category[0] == '\0' || strstr(w->categories, key) ==
		    NULL)
			continue;
		evidence_add(&ev, s);
	}
	set_evidence(e, &ev, w->devices);
	e->bytes_up = w->bytes_up;
	e->risk = ev.first != NULL ? ev.risk : 2;
	p = ev.first != NULL ? pol(rs, ev.first->id) : NULL;
	e->rule = loc_text(p != NULL ? p->decided_file : NULL,
	    p != NULL ? p->decided_line : 0);
}

/* 1 when a recommendation about category cat is already made. */
static int
has_category(const struct recs *out, const char *cat)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->v[i].category != NULL &&
		    strcmp(out->v[i].category, cat) == 0)
			return 1;
	return 0;
}

/* The sentence of workaround w into line. */
static void
workaround_line(const struct report_workaround *w, char *line, size_t len)
{
	char n1[32];

	report_count(w->devices, n1, sizeof(n1));
	if (strcmp(w->id, "remote-access") == 0)
		snprintf(line, len, "Check the %s %s running remote-access"
		    " tools (%s): they let someone outside take control of a"
		    " computer inside.", n1, plural(w->devices, "device",
		    "devices"), w->examples);
	else if (strcmp(w->id, "vpn-proxy") == 0)
		snprintf(line, len, "Ask why %s %s personal VPN, proxy or"
		    " tunnel services (%s): while they run, the organisation"
		    " cannot see or protect that traffic.", n1,
		    plural(w->devices, "device uses", "devices use"),
		    w->examples);
	else if (strcmp(w->id, "file-transfer") == 0) {
		util_human_bytes(w->bytes_up, n1, sizeof(n1));
		snprintf(line, len, "Find out what the %s uploaded to personal"
		    " webmail, storage and file-sharing services (%s) was, and"
		    " offer an approved way to send large files.", n1,
		    w->examples);
	} else if (strcmp(w->id, "genai") == 0)
		snprintf(line, len, "Agree how generative AI may be used: %s"
		    " %s %s; an approved tool keeps company data out of"
		    " personal accounts.", n1, plural(w->devices,
		    "device used", "devices used"), w->examples);
	else
		snprintf(line, len, "Confirm which chat tool is approved: %s"
		    " %s %s.", n1, plural(w->devices, "device used",
		    "devices used"), w->examples);
}

static void
workaround_recs_add(struct recs *out, const struct report *r,
    const struct ruleset *rs)
{
	static const char *const ids[] = {
		"remote-access", "vpn-proxy", "file-transfer", "genai",
		"messaging",
	};
	const struct report_workaround *w;
	struct report_rec *e;
	char line[1600];
	size_t i;

	for (i = 0; i < nitems(ids); i++) {
		/* Chat and AI: "choose one" already says it. */
		if ((w = workaround(r, ids[i])) == NULL ||
		    ((strcmp(ids[i], "messaging") == 0 ||
		    strcmp(ids[i], "genai") == 0) && has_category(out, ids[i])))
			continue;
		workaround_line(w, line, sizeof(line));
		if ((e = add(out, w->id, line, 0)) == NULL)
			return;
		workaround_basis(e, r, rs, w);
	}
}

/* Clear-text passwords, lost packets, unclassified names. */
static void
builtin_recs_add(struct recs *out, const struct report *r)
{
	const struct report_workaround *w;
	struct report_rec *e;
	char line[1600], n1[32];

	if ((w = workaround(r, "cleartext-passwords")) != NULL) {
		report_count(w->devices, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Switch the %s %s that %s"
		    " passwords in clear text (%s) to the encrypted form of"
		    " the protocol, and change those passwords: anyone on the"
		    " path could read them.", n1,
		    plural(w->devices, "device", "devices"),
		    plural(w->devices, "sends", "send"), w->examples);
		if ((e = add(out, "cleartext-passwords", line, 4)) != NULL)
			e->devices = w->devices;
	}
	if (r->coverage.kernel_drops > 0) {
		report_count(r->coverage.kernel_drops, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Give the capture more capacity"
		    " (a larger buffer or a faster disk): %s %s lost.", n1,
		    plural(r->coverage.kernel_drops, "packet was",
		    "packets were"));
		add(out, "capture-capacity", line, 0);
	}
	if (r->totals.unclassified_names == 1)
		add(out, "unclassified", "Review the one unclassified"
		    " destination and add it to the catalog or the policy if"
		    " it matters.", 0);
	else if (r->totals.unclassified_names > 1) {
		report_count(r->totals.unclassified_names, n1, sizeof(n1));
		snprintf(line, sizeof(line), "Review the busiest of the %s"
		    " unclassified destinations and add the ones that matter"
		    " to the catalog or the policy.", n1);
		add(out, "unclassified", line, 0);
	}
}

/* By risk x devices, then bytes up (descending); else as added. */
static int
cmp_rec(const void *pa, const void *pb)
{
	const struct report_rec *a = pa, *b = pb;
	uint64_t sa = a->risk * a->devices, sb = b->risk * b->devices;

	if (a->risk == 0 || b->risk == 0) {
		if (a->risk != b->risk)
			return a->risk == 0 ? 1 : -1;
	}
	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (a->bytes_up != b->bytes_up)
		return a->bytes_up > b->bytes_up ? -1 : 1;
	return 0;
}

/* A stable sort (insertion: at most RECS_CAP entries). */
static void
rank(struct recs *out)
{
	struct report_rec t;
	size_t i, j;

	for (i = 1; i < out->n; i++) {
		t = out->v[i];
		for (j = i; j > 0 && cmp_rec(&out->v[j - 1], &t) > 0; j--)
			out->v[j] = out->v[j - 1];
		out->v[j] = t;
	}
}

void
report_recommend(struct report *r, const struct ruleset *rs,
    const char *extra)
{
	struct recs out;
	size_t i, before, ndup = 0;

	memset(&out, 0, sizeof(out));
	for (i = 0; rs != NULL && i < r->ncategories && ndup < DUP_MAX;
	    i++) {
		if (!REPORT_IS_DUPLICATE(&r->categories[i]) ||
		    r->categories[i].unapproved_devices == 0)
			continue;
		before = out.n;
		duplicate(&out, r, rs, &r->categories[i]);
		if (out.n > before)
			ndup++;
	}
	workaround_recs_add(&out, r, rs);
	builtin_recs_add(&out, r);
	if (extra != NULL)
		add(&out, "reliability", extra, 1);
	for (i = 0; i < out.n; i++)
		finish(&out.v[i]);
	rank(&out);
	for (i = 0; i < out.n; i++) {
		if (r->nrecs < REPORT_RECS_MAX)
			r->recs[r->nrecs++] = out.v[i];
		else {
			free(out.v[i].text);
			free(out.v[i].category);
			free(out.v[i].targets);
			free(out.v[i].rule);
		}
	}
}

char *
report_rec_basis(const struct report_rec *e, char *buf, size_t len)
{
	char n1[32], n2[32], ev[256];

	if (e->rule[0] != '\0')
		snprintf(buf, len, "Policy: %s.", e->rule);
	else if (strcmp(e->kind, "cleartext-passwords") == 0 ||
	    strcmp(e->kind, "capture-capacity") == 0 ||
	    strcmp(e->kind, "unclassified") == 0 ||
	    strcmp(e->kind, "reliability") == 0)
		snprintf(buf, len, "Built-in check.");
	else
		snprintf(buf, len, "Policy: not given; the status recorded"
		    " at capture time.");
	if (e->devices == 0 && e->bytes_up == 0)
		return buf;
	report_count(e->devices, n1, sizeof(n1));
	snprintf(ev, sizeof(ev), " Evidence: %s %s", n1,
	    plural(e->devices, "device", "devices"));
	strlcat(buf, ev, len);
	if (e->bytes_up > 0) {
		util_human_bytes(e->bytes_up, n2, sizeof(n2));
		snprintf(ev, sizeof(ev), ", %s uploaded", n2);
		strlcat(buf, ev, len);
	}
	if (e->days > 0) {
		report_count(e->days, n2, sizeof(n2));
		snprintf(ev, sizeof(ev), ", over %s %s", n2,
		    plural(e->days, "day", "days"));
		strlcat(buf, ev, len);
	}
	strlcat(buf, ".", len);
	return buf;
}

void
report_recs_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		free(r->recs[i].text);
		free(r->recs[i].category);
		free(r->recs[i].targets);
		free(r->recs[i].rule);
	}
	r->nrecs = 0;
}
