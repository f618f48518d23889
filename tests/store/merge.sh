#!/bin/sh
# SPDX-License-Identifier: ISC
# Two sensors' databases, one summary: `summary -d A -d B` reads both as
# one, and a device seen by both sites stays two devices. Where data goes
# merges too, with site B's file turned back into a schema-3 one (no AS
# names, the old indexes) when the sqlite3 CLI is there to do it.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sample=$top_srcdir/tests/pcap/sample.pcap
"$top_builddir/tests/store/mkmmdb" "$tmp/c.mmdb" "$tmp/a.mmdb" ||
    { echo "FAIL: mkmmdb"; exit 1; }
for s in site-a site-b; do
	"$SHADOWTAP" capture -q --deterministic --sensor "$s" -r "$sample" \
	    --geoip-country "$tmp/c.mmdb" --geoip-asn "$tmp/a.mmdb" \
	    -d "$tmp/$s.db" ||
	    { echo "FAIL: capture into $s.db"; exit 1; }
done
v3=0
if command -v sqlite3 >/dev/null; then
	sqlite3 "$tmp/site-b.db" "DROP TABLE as_names;
	    DROP INDEX findings_period; DROP INDEX findings_unsanctioned;
	    DROP INDEX unclassified_period; DROP INDEX destinations_period;
	    CREATE INDEX findings_first ON findings(first_us);
	    CREATE INDEX unclassified_first ON unclassified(first_us);
	    CREATE INDEX destinations_first ON destinations(first_us);
	    PRAGMA user_version = 3;" ||
	    { echo "FAIL: cannot make a schema-3 file"; exit 1; }
	v3=1
fi
"$SHADOWTAP" summary -d "$tmp/site-a.db" --format json >"$tmp/one.json" ||
    { echo "FAIL: summary of one database"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/site-a.db" -d "$tmp/site-b.db" \
    --format json >"$tmp/two.json" ||
    { echo "FAIL: summary of two databases"; exit 1; }
python3 - "$tmp/one.json" "$tmp/two.json" <<'PY'
import json, sys
one = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
two = {s["id"]: s for s in json.load(open(sys.argv[2]))["services"]}
bad = 0
for sid, s in one.items():
    t = two.get(sid)
    if t is None:
        print("FAIL: %s missing from the merged summary" % sid); bad = 1
    elif t["devices"] != 2 * s["devices"] or t["flows"] != 2 * s["flows"] \
            or t["bytes_up"] != 2 * s["bytes_up"]:
        print("FAIL: %s: one site %s/%s/%s, two sites %s/%s/%s" % (sid,
              s["devices"], s["flows"], s["bytes_up"],
              t["devices"], t["flows"], t["bytes_up"])); bad = 1
print("merge: %d services compared" % len(one))
one = json.load(open(sys.argv[1]))
two = json.load(open(sys.argv[2]))
for key, k in (("countries", "country"), ("networks", "asn")):
    a = {x[k]: x for x in one[key]}
    b = {x[k]: x for x in two[key]}
    if sorted(a) != sorted(b) or not a:
        print("FAIL: %s: %s alone, %s merged" % (key, sorted(a), sorted(b))); bad = 1
        continue
    for v in a:
        if b[v]["devices"] != 2 * a[v]["devices"] or \
                b[v]["bytes_up"] != 2 * a[v]["bytes_up"]:
            print("FAIL: %s %s: not twice one site's" % (key, v)); bad = 1
nets = {n["asn"]: n["organisation"] for n in two["networks"]}
if nets.get(8075) != "Microsoft Corporation":
    print("FAIL: merged AS names %s" % nets); bad = 1
print("merge: where data goes, %d countries and %d networks" %
      (len(two["countries"]), len(two["networks"])))
sys.exit(bad)
PY
status=$?
if [ "$status" -eq 0 ] && [ "$v3" = 1 ]; then
	[ "$(sqlite3 "$tmp/site-b.db" "PRAGMA user_version")" = 3 ] ||
	    { echo "FAIL: a summary changed the schema-3 file"; exit 1; }
fi
exit "$status"
