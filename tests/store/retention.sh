#!/bin/sh
# SPDX-License-Identifier: ISC
# Automatic retention: capture --keep-detail DAYS rolls hourly findings
# older than DAYS into daily rows (network health into hourly rows) when
# the run ends, and the summary's totals and health do not change.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: needs the sqlite3 shell (Debian package sqlite3)"; exit 77; }
command -v editcap >/dev/null || { echo "SKIP: needs editcap (Debian package tshark)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sample=$top_srcdir/tests/pcap/sample.pcap
# The same traffic ten days earlier.
editcap -t -864000 "$sample" "$tmp/old.pcap" >/dev/null 2>&1 ||
    { echo "FAIL: editcap"; exit 1; }
for db in keep all; do
	"$SHADOWTAP" capture -q --deterministic -r "$tmp/old.pcap" \
	    -d "$tmp/$db.db" || { echo "FAIL: capture old"; exit 1; }
done
"$SHADOWTAP" capture -q --deterministic -r "$sample" -d "$tmp/all.db" ||
    { echo "FAIL: capture"; exit 1; }
"$SHADOWTAP" capture -q --deterministic --keep-detail 3 -r "$sample" \
    -d "$tmp/keep.db" || { echo "FAIL: capture --keep-detail"; exit 1; }
daily=$(sqlite3 "$tmp/keep.db" "select count(*) from findings where window_s = 86400")
hourly_old=$(sqlite3 "$tmp/keep.db" "select count(*) from findings where window_s < 86400 and bucket < strftime('%s','2025-12-30')")
[ "${daily:-0}" -gt 0 ] || { echo "FAIL: no daily rows after --keep-detail"; exit 1; }
[ "${hourly_old:-1}" -eq 0 ] || { echo "FAIL: $hourly_old old hourly rows left"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/keep.db" --format json >"$tmp/k.json"
"$SHADOWTAP" summary -d "$tmp/all.db" --format json >"$tmp/a.json"
python3 - "$tmp/k.json" "$tmp/a.json" <<'PY' || exit 1
import json, sys
def tot(p):
    return sorted((s["id"], s["flows"], s["bytes_up"], s["bytes_down"])
                  for s in json.load(open(p))["services"])
if tot(sys.argv[1]) != tot(sys.argv[2]):
    print("FAIL: totals changed by the roll-up"); sys.exit(1)
rel = [json.load(open(p))["reliability"] for p in sys.argv[1:3]]
if rel[0] is None or rel[0]["totals"] != rel[1]["totals"] or \
        rel[0]["heatmap_permille"] != rel[1]["heatmap_permille"]:
    print("FAIL: network health changed by the roll-up"); sys.exit(1)
PY
rel_old=$(sqlite3 "$tmp/keep.db" "select count(*) from reliability where interval_s < 3600 and start_us < strftime('%s','2025-12-30') * 1000000")
rel_hourly=$(sqlite3 "$tmp/keep.db" "select count(*) from reliability where interval_s = 3600")
[ "${rel_old:-1}" -eq 0 ] && [ "${rel_hourly:-0}" -gt 0 ] ||
    { echo "FAIL: reliability rows: $rel_old old 5-minute, $rel_hourly hourly"; exit 1; }
echo "retention: $daily daily rows, totals unchanged"
