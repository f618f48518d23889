#!/bin/sh
# SPDX-License-Identifier: ISC
# Two sensors' databases, one summary: `summary -d A -d B` reads both as
# one, and a device seen by both sites stays two devices.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sample=$top_srcdir/tests/pcap/sample.pcap
for s in site-a site-b; do
	"$SHADOWTAP" capture -q --deterministic --sensor "$s" -r "$sample" \
	    -d "$tmp/$s.db" ||
	    { echo "FAIL: capture into $s.db"; exit 1; }
done
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
sys.exit(bad)
PY
