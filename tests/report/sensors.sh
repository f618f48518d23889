#!/bin/sh
# SPDX-License-Identifier: ISC
# The basis names the sensors and inputs the period was seen by: one
# database with two runs of one sensor, two sensors' databases read as
# one, and a period after all the data (no sensor); in the sentence every
# format prints and in the JSON's basis.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cap() {
	"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" --sensor "$1" -d "$2" \
	    -r "$3" || fail "capture $3"
}
cp "$top_srcdir/tests/pcap/sample.pcap" "$tmp/branch.pcap"
cap hq-span "$tmp/hq.db" "$top_srcdir/tests/pcap/sample.pcap"
cap hq-span "$tmp/hq.db" "$top_srcdir/tests/pcap/retry.pcap"
cap branch-1 "$tmp/branch.db" "$tmp/branch.pcap"
sum() {
	"$SHADOWTAP" summary -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" "$@"
}
for f in text markdown html; do
	sum -d "$tmp/hq.db" --format "$f" | tr '\n' ' ' | tr -s ' ' \
	    >"$tmp/one.$f" || fail "summary $f"
	grep -q 'traffic from the sensor hq-span (retry.pcap, sample.pcap);' \
	    "$tmp/one.$f" || fail "$f: one sensor, two inputs"
done
sum -d "$tmp/hq.db" -d "$tmp/branch.db" --format json >"$tmp/two.json" ||
	fail "summary of two databases"
sum -d "$tmp/hq.db" -d "$tmp/branch.db" --format text | tr '\n' ' ' |
    tr -s ' ' >"$tmp/two.text"
grep -q 'traffic from the sensors branch-1 (branch.pcap) and hq-span (retry.pcap, sample.pcap);' \
    "$tmp/two.text" || fail "text: two sensors"
python3 - "$tmp/two.json" <<'PY' || fail "json: basis.sensors"
import json, sys
s = json.load(open(sys.argv[1]))["basis"]["sensors"]
assert s == [{"name": "branch-1", "sources": "branch.pcap", "runs": 1},
             {"name": "hq-span", "sources": "retry.pcap, sample.pcap",
              "runs": 2}], s
PY
# A period after all the data: no sensor saw it.
sum -d "$tmp/hq.db" -d "$tmp/branch.db" --since 2030-01-01 --format json \
    >"$tmp/none.json" || fail "summary of an empty period"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["basis"]["sensors"]; assert s == [], s' \
    "$tmp/none.json" || fail "json: sensors of an empty period"
echo "sensors.sh: ok"
