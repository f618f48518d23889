#!/bin/sh
# SPDX-License-Identifier: ISC
#
# bounded.sh: the report at size (issue 20). Over a synthetic database
# (bench/gendb, 60 devices x 21 days) the set of services in the JSON and
# the CSV output equals the set of (service, instance, status) in the
# database for the period, over all of it and over a window; and the HTML
# report prints (headless Chromium --print-to-pdf, A4) to at most ten
# pages, the decision part (up to the marker html.c writes) to at most
# two; --department and --owner report on their devices only. The PDF
# part is skipped without Chromium.
set -u

: "${SHADOWTAP:?run from make check}"
: "${top_srcdir:?run from make check}"
: "${top_builddir:?run from make check}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

db=$tmp/g.db
"$top_builddir/bench/gendb" -q -o "$db" --devices 60 --days 21 --seed 3 \
    --rules "$top_srcdir/rules" --policy "$top_srcdir/rules/policy.example" ||
	{ echo "FAIL: gendb"; exit 1; }
summary() {
	"$SHADOWTAP" summary -d "$db" -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" "$@"
}

# The sets: python3 reads the database, the JSON and the CSV.
sets() {
	# $1: name, $2 $3: since and until in microseconds ("" for open)
	python3 - "$db" "$tmp/$1.json" "$tmp/$1.csv" "$2" "$3" <<'PY' ||
import csv, json, sqlite3, sys

db, js, cs, since, until = sys.argv[1:6]
lo = int(since) if since else -(1 << 63)
hi = int(until) if until else (1 << 63) - 1
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
want = set(con.execute(
    "SELECT DISTINCT service, instance, verdict FROM findings"
    " WHERE first_us >= ? AND first_us < ?", (lo, hi)))
rep = json.load(open(js))
got = {(s["id"], s.get("instance", ""), s["status"]) for s in rep["services"]}
uses = {s["use"] for s in rep["services"]}
rows = []
with open(cs, newline="") as f:
    lines = f.read().split("\r\n")
i = lines.index("services") + 1
hdr = next(csv.reader([lines[i]]))
for line in lines[i + 1:]:
    if line == "":
        break
    rows.append(dict(zip(hdr, next(csv.reader([line])))))
gotcsv = {(r["id"], "", r["status"]) for r in rows}
wantcsv = {(s, "", v) for s, _, v in want}
ok = True
if not want:
    print("no findings in the period"); ok = False
if got != want:
    print("JSON has %d, the database %d; missing %s, extra %s" % (len(got),
        len(want), sorted(want - got)[:5], sorted(got - want)[:5]))
    ok = False
if gotcsv != wantcsv:
    print("CSV differs from the database: %d against %d" % (len(gotcsv),
        len(wantcsv)))
    ok = False
if "one-off" not in uses or "sustained" not in uses:
    print("the data should have both sustained and one-off use:", uses)
    ok = False
for s in rep["services"]:
    if s["sustained_devices"] + s["occasional_devices"] + \
            s["one_off_devices"] != s["devices"]:
        print("device counts by use do not add up:", s["id"]); ok = False
print("%s: %d services, JSON and CSV agree with the database" % (
    sys.argv[2].rsplit("/", 1)[-1], len(want)))
sys.exit(0 if ok else 1)
PY
	bad "$1: the services of the report are not those of the database"
}

summary --format json -o "$tmp/all.json" || bad "summary json"
summary --format csv -o "$tmp/all.csv" || bad "summary csv"
sets all "" ""
# 2026-01-12 (a whole week in) to 2026-01-20 12:00: day roll-ups and
# hourly edges both.
summary --format json --since 2026-01-12T06:00 --until 2026-01-20T12:00 \
    -o "$tmp/win.json" || bad "summary json (window)"
summary --format csv --since 2026-01-12T06:00 --until 2026-01-20T12:00 \
    -o "$tmp/win.csv" || bad "summary csv (window)"
sets win 1768197600000000 1768910400000000

# --top bounds the tables: one row per category with --top 1.
summary --top 1 -o "$tmp/top1.txt" || bad "summary --top 1"
grep -q 'more in sustained use: see the appendix' "$tmp/top1.txt" ||
	bad "--top 1: no \"and N more\" line"
grep -q '^APPENDIX: UNSANCTIONED SERVICES NOT LISTED ABOVE' \
    "$tmp/top1.txt" || bad "--top 1: no appendix"

# --department: the policy's department (by address) is the same set of
# services as the database's rows of that department's devices.
summary --format json --department Sales -o "$tmp/dept.json" ||
	bad "summary --department"
python3 - "$db" "$tmp/dept.json" <<'PY' || bad "--department Sales"
import json, sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
devs = {d for (d,) in con.execute(
    "SELECT DISTINCT device FROM findings WHERE department = 'Sales'")}
want = {(s, i, v) for s, i, v, d in con.execute(
    "SELECT service, instance, verdict, device FROM findings") if d in devs}
rep = json.load(open(sys.argv[2]))
got = {(s["id"], s.get("instance", ""), s["status"]) for s in rep["services"]}
ok = got == want and rep["totals"]["devices"] == len(devs) and \
    rep["basis"]["scope"] == "department Sales" and 0 < len(devs) < 60
print("department Sales: %d devices, %d services (%s)" % (len(devs),
    len(got), "ok" if ok else "differs from the database's %d" % len(want)))
sys.exit(0 if ok else 1)
PY
# --owner: the inventory's; a /30 and one address give Dana the devices
# with findings among 10.1.0.8-11 and 10.1.0.40.
printf 'match,name,owner,department,asset\n10.1.0.8/30,,Dana,,\n10.1.0.40,,Dana,,\n' \
    >"$tmp/inv.csv"
cp "$db" "$tmp/inv.db"
"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$tmp/inv.db" >/dev/null ||
	bad "db import devices"
"$SHADOWTAP" summary -d "$tmp/inv.db" --owner Dana --format json \
    -o "$tmp/owner.json" || bad "summary --owner"
python3 -c 'import json, sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[2], uri=True)
want = {d for (d,) in con.execute("SELECT DISTINCT device FROM findings"
    " WHERE ip IN (\x2710.1.0.8\x27, \x2710.1.0.9\x27, \x2710.1.0.10\x27,"
    " \x2710.1.0.11\x27, \x2710.1.0.40\x27)")}
r = json.load(open(sys.argv[1]))
print("owner Dana: %d devices, %d in the database" % (r["totals"]["devices"],
    len(want)))
sys.exit(0 if r["totals"]["devices"] == len(want) > 0 else 1)' \
    "$tmp/owner.json" "$db" || bad "--owner Dana: not the inventory's devices"

CHROMIUM=
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
if [ -z "$CHROMIUM" ]; then
	echo "chromium is not installed: the page counts are not checked"
	exit $fail
fi
pdf() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
	    --no-pdf-header-footer --print-to-pdf="$2" "file://$1" \
	    >/dev/null 2>&1
}
pages() {
	python3 -c 'import re, sys
print(len(re.findall(rb"/Type\s*/Page(?![s\w])", open(sys.argv[1], "rb").read())))' "$1"
}
summary --format html -o "$tmp/r.html" || bad "summary html"
# The page prints on the reader's paper; these counts are for A4.
sed -i 's/@page{margin:/@page{size:A4;margin:/' "$tmp/r.html"
grep -q '@page{size:A4;' "$tmp/r.html" || bad "no @page rule to set A4 in"
sed '/<!-- end of the decision pages -->/,$d' "$tmp/r.html" >"$tmp/d.html"
printf '</main>\n</body>\n</html>\n' >>"$tmp/d.html"
pdf "$tmp/r.html" "$tmp/r.pdf" || bad "chromium could not print the report"
pdf "$tmp/d.html" "$tmp/d.pdf" || bad "chromium could not print its first part"
all=$(pages "$tmp/r.pdf")
first=$(pages "$tmp/d.pdf")
echo "HTML report: $all pages, the decision part $first"
[ "$all" -ge 1 ] && [ "$all" -le 10 ] || bad "the report prints to $all pages"
[ "$first" -ge 1 ] && [ "$first" -le 2 ] ||
	bad "the decision part prints to $first pages"
exit $fail
