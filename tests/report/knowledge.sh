#!/bin/sh
# SPDX-License-Identifier: ISC
# Knowledge at risk on the sample capture with an inventory: two devices
# of one owner are one entry with both devices' personal services, a
# device with no owner is its own entry under its best name, each figure
# is the service's own upload, no sanctioned service appears (a policy
# that sanctions Dropbox takes it out; a personal edition stays), every
# format shows it, and --pseudonymize hides owners and devices with the
# same pseudonyms as the devices section.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

capture() {
	"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$2" -d "$1" -r "$top_srcdir/tests/pcap/sample.pcap" ||
		fail "capture $1"
	"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$1" >/dev/null ||
		fail "import $1"
}

cat >"$tmp/inv.csv" <<'CSV'
match,name,owner,department,asset
3c:22:fb:00:00:01,Reception PC,Alice Martin,Front desk,A-001
3c:22:fb:00:00:02,Alice laptop,Alice Martin,Front desk,A-002
3c:22:fb:00:00:05,Design PC,Bob Li,Design,A-005
CSV
db=$tmp/s.db
capture "$db" "$top_srcdir/rules/policy.example"

"$SHADOWTAP" summary -d "$db" -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" --format json >"$tmp/r.json" ||
	fail "summary json"
python3 - "$tmp/r.json" <<'PY' || fail "json: knowledge at risk"
import json, sys
r = json.load(open(sys.argv[1]))
k = {e["who"]: e for e in r["knowledge_at_risk"]}
assert r["knowledge_at_risk_total"] == len(k) == 3, sorted(k)
a = k["Alice Martin"]
assert a["owner"] and a["department"] == "Front desk" and a["devices"] == 2, a
names = [s["name"] for s in a["services"]]
assert sorted(names) == sorted(["WeTransfer", "Dropbox", "MEGA",
    "Microsoft OneDrive (personal)"]), names
assert [s["bytes_up"] for s in a["services"]] == sorted(
    (s["bytes_up"] for s in a["services"]), reverse=True), "order"
assert a["bytes_up"] == sum(s["bytes_up"] for s in a["services"])
b = k["Bob Li"]
assert [s["name"] for s in b["services"]] == ["Gmail"], b
d = k["3c:22:fb:00:00:03"]
assert not d["owner"] and [s["name"] for s in d["services"]] == \
    ["Google Drive"], d
# Each figure is the service's own upload (one device each here).
svc = {s["id"]: s for s in r["services"]}
for e in k.values():
    for s in e["services"]:
        assert s["bytes_up"] == svc[s["id"]]["bytes_up"], s
        assert svc[s["id"]]["status"] != "sanctioned" or \
            "(personal)" in s["name"], s
# Uploads to what is not storage, sharing or webmail are not listed.
listed = {s["id"] for e in k.values() for s in e["services"]}
assert not listed & {"chatgpt", "notion", "pastebin"}, listed
PY

for f in text markdown html csv; do
	"$SHADOWTAP" summary -d "$db" -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" --format "$f" \
	    >"$tmp/r.$f" || fail "summary $f"
	grep -qi 'knowledge.at.risk' "$tmp/r.$f" || fail "$f: no section"
	for w in 'Alice Martin' 'Bob Li' 'Front desk' WeTransfer \
	    'Google Drive'; do
		grep -q "$w" "$tmp/r.$f" || fail "$f: no \"$w\""
	done
done
grep -q '^  Alice Martin  *Front desk  *WeTransfer  *10.1 MB  2026-01-01$' \
    "$tmp/r.text" || fail "text: Alice Martin's first row"
grep -q '^"Bob Li",1,"Design",1,"gmail","Gmail",' "$tmp/r.csv" ||
	fail "csv: Bob Li's row"
grep -q '3c:22:fb:00:00:03 <small class="legend">(device)</small>' \
    "$tmp/r.html" || fail "html: the device without an owner"

# Pseudonymised: no owner, name or MAC; a device keeps its pseudonym.
"$SHADOWTAP" summary -d "$db" -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" --format json --pseudonymize \
    >"$tmp/p.json" 2>/dev/null || fail "pseudonymized json"
for w in 'Alice Martin' 'Bob Li' 3c:22:fb; do
	! grep -q "$w" "$tmp/p.json" || fail "--pseudonymize: \"$w\""
done
python3 - "$tmp/p.json" <<'PY' || fail "pseudonymized knowledge at risk"
import json, sys
r = json.load(open(sys.argv[1]))
k = r["knowledge_at_risk"]
assert len(k) == 3
owners = [e["who"] for e in k if e["owner"]]
assert len(owners) == 2 and all(w.startswith("owner-") for w in owners)
dev = [e["who"] for e in k if not e["owner"]]
labels = {d["label"] for d in r["devices"]}
assert len(dev) == 1 and dev[0] in labels, (dev, labels)
PY

# A policy that sanctions Dropbox: it is the organisation's, not personal.
cp "$top_srcdir/rules/policy.example" "$tmp/policy"
echo 'sanctioned service dropbox' >>"$tmp/policy"
capture "$tmp/d.db" "$tmp/policy"
"$SHADOWTAP" summary -d "$tmp/d.db" -R "$top_srcdir/rules" \
    -P "$tmp/policy" --format json >"$tmp/d.json" || fail "summary (dropbox)"
python3 - "$tmp/d.json" <<'PY' || fail "a sanctioned Dropbox is listed"
import json, sys
r = json.load(open(sys.argv[1]))
listed = {s["id"] for e in r["knowledge_at_risk"] for s in e["services"]}
assert "dropbox" not in listed and "wetransfer" in listed, listed
assert "microsoft-onedrive" in listed, listed
PY
echo "knowledge.sh: ok"
