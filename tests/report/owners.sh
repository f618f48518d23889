#!/bin/sh
# SPDX-License-Identifier: ISC
# Owners and departments wherever a device appears: the synthetic
# degraded week (tests/reliability/gen-week.py --degraded) with an
# inventory; the devices of the Reliability finding, of the devices list
# and of knowledge at risk carry their name, owner and department in
# every format, the JSON's agree with one another, and --pseudonymize
# hides them in all of those places.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$tmp/w.db
python3 "$top_srcdir/tests/reliability/gen-week.py" --degraded \
    "$tmp/week.pcap" || fail gen-week
"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" -d "$db" -r "$tmp/week.pcap" ||
	fail capture
cat >"$tmp/inv.csv" <<'CSV'
match,name,owner,department,asset
02:00:00:00:02:01,Accounts PC,Carol Diaz,Accounts,A-201
10.20.2.0/24,,Branch pool,Branch office,
CSV
"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$db" >/dev/null ||
	fail import
sum() {
	"$SHADOWTAP" summary -d "$db" -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" "$@"
}
for f in text markdown html json csv; do
	sum --format "$f" >"$tmp/r.$f" || fail "summary $f"
	sum --format "$f" --pseudonymize >"$tmp/p.$f" 2>/dev/null ||
		fail "summary $f --pseudonymize"
	for w in 'Carol Diaz' 'Branch pool' 'Accounts PC'; do
		! grep -q "$w" "$tmp/p.$f" || fail "$f --pseudonymize: \"$w\""
	done
done
# The Reliability device lists (CSV has none: it lists findings).
sed -n '/^RELIABILITY/,/^  DNS:/p' "$tmp/r.text" >"$tmp/rel.text"
grep -q '^    Accounts PC (Carol Diaz) ' "$tmp/rel.text" ||
	fail "text: reliability device with its owner"
grep -q '^    02:00:00:00:02:02 (Branch po' "$tmp/rel.text" ||
	fail "text: reliability device owned by the subnet's row"
grep -q '^| Accounts PC | Carol Diaz | Accounts | ' "$tmp/r.markdown" ||
	fail "markdown: reliability device row"
sed -n '/<section class="reliability">/,/<\/section>/p' "$tmp/r.html" \
    >"$tmp/rel.html"
grep -q '<td class="name">Accounts PC</td><td class="name">Carol Diaz</td><td class="name">Accounts</td>' \
    "$tmp/rel.html" || fail "html: reliability device row"
grep -q '<td class="name">Branch pool</td><td class="name">Branch office</td>' \
    "$tmp/rel.html" || fail "html: reliability device of the subnet"
python3 - "$tmp/r.json" "$tmp/p.json" <<'PY' || fail "json: owners"
import json, sys
r = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
devs = r["reliability"]["findings"][0]["devices"]
by = {d["device"]: d for d in devs}
a = by["02:00:00:00:02:01"]
assert (a["label"], a["owner"], a["department"]) == \
    ("Accounts PC", "Carol Diaz", "Accounts"), a
b = by["02:00:00:00:02:02"]
assert (b["label"], b["owner"], b["department"]) == \
    ("02:00:00:00:02:02", "Branch pool", "Branch office"), b
# The devices list says the same of each.
for d in r["devices"]:
    x = by.get(d["device"])
    if x:
        assert (d["label"], d["owner"], d["department"]) == \
            (x["label"], x["owner"], x["department"]), (d, x)
# Knowledge at risk: Carol's and the pool's uploads to Dropbox.
k = {e["who"]: e for e in r["knowledge_at_risk"]}
assert set(k) == {"Carol Diaz", "Branch pool"}, sorted(k)
assert k["Branch pool"]["devices"] == 2 and k["Carol Diaz"]["devices"] == 1
assert k["Carol Diaz"]["department"] == "Accounts"
# Pseudonymised: the same devices, owners as pseudonyms, the same ones
# in the reliability list and the devices list.
pd = p["reliability"]["findings"][0]["devices"]
owners = {d["owner"] for d in pd}
assert all(o.startswith("owner-") for o in owners) and len(owners) == 2, \
    owners
pl = {d["device"]: d for d in p["devices"]}
for d in pd:
    assert pl[d["device"]]["owner"] == d["owner"], (d, pl[d["device"]])
    assert pl[d["device"]]["label"] == d["label"], (d, pl[d["device"]])
PY
echo "owners.sh: ok"
