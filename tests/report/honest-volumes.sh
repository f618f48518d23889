#!/bin/sh
# SPDX-License-Identifier: ISC
# Honest volumes: every corpus capture whose manifest mentions Dropbox
# contacts it only by LAN sync (UDP 17500 broadcasts and transfers between
# two local machines) or DNS lookups. The flow events still name Dropbox,
# but the summary must count none of it as use: no Dropbox service row, no
# uploaded bytes; the lookups appear apart ("looked up by N devices").
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
corpus=$SHARED_DIR/corpus/ndpi
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	echo "SKIP: no corpus at $corpus"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for p in $(grep -i dropbox "$corpus/MANIFEST.tsv" | cut -f1); do
	n=$((n + 1))
	rm -f "$tmp/db" "$tmp/ev"
	"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" -d "$tmp/db" \
	    --events "$tmp/ev" -r "$corpus/$p" ||
		{ echo "FAIL: $p: capture"; fail=$((fail + 1)); continue; }
	"$SHADOWTAP" summary -d "$tmp/db" --format json >"$tmp/json" ||
		{ echo "FAIL: $p: summary"; fail=$((fail + 1)); continue; }
	python3 - "$p" "$tmp/ev" "$tmp/json" <<'PY' || fail=$((fail + 1))
import json
import sys

name, ev, js = sys.argv[1:4]
seen = lookups = 0
for line in open(ev):
    e = json.loads(line)
    if e.get("type") == "flow" and e.get("service") == "dropbox":
        seen += 1
        if e.get("evidence") == "dns_query":
            lookups += 1
        elif e["dst_port"] != 17500:
            print("FAIL: %s: Dropbox contact neither LAN sync nor DNS: %s"
                  % (name, line.strip()))
            sys.exit(1)
doc = json.load(open(js))
up = sum(s["bytes_up"] for s in doc["services"] if s["id"] == "dropbox")
rows = [s for s in doc["services"] if s["id"] == "dropbox"]
looked = [l for l in doc["lookups"] if l["id"] == "dropbox"]
if seen == 0:
    print("FAIL: %s: the events name no Dropbox flow" % name)
    sys.exit(1)
if rows or up != 0:
    print("FAIL: %s: Dropbox counted as use: %s" % (name, rows))
    sys.exit(1)
if lookups > 0 and (not looked or looked[0]["lookups"] != lookups or
                    looked[0]["used_devices"] != 0):
    print("FAIL: %s: %d lookups, summary says %s" % (name, lookups, looked))
    sys.exit(1)
print("ok: %s: %d Dropbox flows (%d lookups), 0 B uploaded" %
      (name, seen, lookups))
PY
done
[ "$n" -gt 0 ] || { echo "FAIL: no capture mentions Dropbox"; exit 1; }
[ "$fail" -eq 0 ]
