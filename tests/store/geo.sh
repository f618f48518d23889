#!/bin/sh
# SPDX-License-Identifier: ISC
# GeoIP enrichment end to end: capture with --geoip-country/--geoip-asn
# (databases built by mkmmdb) puts country and AS on every flow event and
# in the store's destinations table (with the AS names), and the
# summary reports where data went by country and AS.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: needs the sqlite3 shell (Debian package sqlite3)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$top_builddir/tests/store/mkmmdb" "$tmp/c.mmdb" "$tmp/a.mmdb" ||
    { echo "FAIL: mkmmdb"; exit 1; }
"$SHADOWTAP" capture -q --deterministic --geoip-country "$tmp/c.mmdb" \
    --geoip-asn "$tmp/a.mmdb" --events "$tmp/ev.jsonl" -d "$tmp/g.db" \
    -r "$top_srcdir/tests/pcap/sample.pcap" || { echo "FAIL: capture"; exit 1; }
python3 - "$tmp/ev.jsonl" <<'PY' || exit 1
import json, sys
flows = [json.loads(l) for l in open(sys.argv[1]) if '"type":"flow"' in l]
bad = 0
for f in flows:
    want_cc = "SE" if int(f["dst_ip"].split(".")[0]) < 128 else "US"
    want_as = 8075 if f["dst_ip"].startswith(("52.112.", "52.113.", "52.114.", "52.115.")) else 64500
    if f["country"] != want_cc or f["asn"] != want_as:
        print("FAIL: %s: country %s asn %s, want %s %s" % (f["dst_ip"],
              f["country"], f["asn"], want_cc, want_as)); bad = 1
print("geo: %d flow events checked" % len(flows))
sys.exit(bad)
PY
n=$(sqlite3 "$tmp/g.db" "select count(*) from destinations where asn = 8075")
[ "${n:-0}" -gt 0 ] || { echo "FAIL: no AS8075 destinations row in the store"; exit 1; }
echo "geo: $n AS8075 destination rows"

# The summary says where data went: both countries, both ASes with the
# names the ASN database gives them, in text and JSON, the byte counts
# adding up to those of the destinations table.
"$SHADOWTAP" summary -d "$tmp/g.db" >"$tmp/s.txt" ||
    { echo "FAIL: summary"; exit 1; }
for want in 'WHERE DATA GOES' '^  SE  ' '^  US  ' \
    '^  AS8075      Microsoft Corporation  ' \
    '^  AS64500     Example Transit  '; do
	grep -q "$want" "$tmp/s.txt" ||
	    { echo "FAIL: summary lacks /$want/"; sed -n '/WHERE/,/^$/p' \
	    "$tmp/s.txt"; exit 1; }
done
"$SHADOWTAP" summary -d "$tmp/g.db" --format json >"$tmp/s.json" ||
    { echo "FAIL: summary --format json"; exit 1; }
total=$(sqlite3 "$tmp/g.db" "select sum(bytes_up + bytes_down) from destinations")
python3 - "$tmp/s.json" "$total" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
total = int(sys.argv[2])
cc = {c["country"]: c for c in d["countries"]}
nets = {n["asn"]: n["organisation"] for n in d["networks"]}
bad = 0
if sorted(cc) != ["SE", "US"]:
    print("FAIL: countries %s" % sorted(cc)); bad = 1
if nets != {8075: "Microsoft Corporation", 64500: "Example Transit"}:
    print("FAIL: networks %s" % nets); bad = 1
for key in ("countries", "networks"):
    s = sum(x["bytes_up"] + x["bytes_down"] for x in d[key])
    if s != total:
        print("FAIL: %s add up to %d bytes, the table holds %d" % (key, s, total)); bad = 1
print("geo: summary countries %s, networks %s" % (sorted(cc), sorted(nets)))
sys.exit(bad)
PY
