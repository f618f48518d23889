#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerates the README's sample report: doc/sample-report.html and .png
# (its first screen) from a synthetic month of 100 devices (bench/gendb,
# seed 3) with a small inventory (owners and departments),
# doc/sample-page1.png, the first page of that report printed to A4 by
# Chromium (the decision page), and doc/sample-reliability.png, the
# Reliability section of the synthetic degraded week
# (tests/reliability/gen-week.py --degraded). Needs a built src/shadowtap
# and bench/gendb, python3, chromium and poppler-utils (pdftoppm). Run from
# the top of the source tree.
set -eu
SHADOWTAP=${SHADOWTAP:-./src/shadowtap}
GENDB=${GENDB:-./bench/gendb}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1770163200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
chrome() {
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$tmp/profile" "$@" >/dev/null 2>&1
}
shot() {
	chrome --window-size="$1" --screenshot="$2" "file://$3"
}
"$GENDB" -q -o "$tmp/sample.db" --devices 100 --days 30 --seed 3 \
    --rules rules --policy rules/policy.example
cat >"$tmp/inv.csv" <<'CSV'
match,name,owner,department,asset
10.1.0.10,Reception PC,Alice Martin,Front desk,A-001
10.1.0.11,Alice's laptop,Alice Martin,Front desk,A-002
10.1.0.12,Design PC,Bob Li,Design,A-005
10.1.0.13,Finance laptop,Carol Diaz,Finance,A-007
10.1.0.14,Sales laptop,Dan Okafor,Sales,A-009
CSV
"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$tmp/sample.db" >/dev/null
"$SHADOWTAP" summary -d "$tmp/sample.db" -R rules -P rules/policy.example \
    --org "Example Ltd" --author "IT department" --format html \
    -o doc/sample-report.html
shot 1000,1800 doc/sample-report.png "$PWD/doc/sample-report.html"

# The first printed page, on A4.
sed 's/@page{margin:/@page{size:A4;margin:/' doc/sample-report.html \
    >"$tmp/a4.html"
chrome --no-pdf-header-footer --print-to-pdf="$tmp/a4.pdf" "file://$tmp/a4.html"
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$tmp/a4.pdf" doc/sample-page1

python3 tests/reliability/gen-week.py --degraded "$tmp/week.pcap"
"$SHADOWTAP" capture -q --deterministic --sensor branch-span \
    -r "$tmp/week.pcap" \
    -R rules -P rules/policy.example -d "$tmp/week.db"
"$SHADOWTAP" summary -d "$tmp/week.db" -R rules -P rules/policy.example \
    --format html -o "$tmp/week.html"
# The page's head and style with only its Reliability section.
sed -n '1,/<main>/p' "$tmp/week.html" >"$tmp/rel.html"
sed -n '/<section class="reliability">/,/^<\/section>/p' "$tmp/week.html" \
    >>"$tmp/rel.html"
printf '</main>\n</body>\n</html>\n' >>"$tmp/rel.html"
shot 1000,800 doc/sample-reliability.png "$tmp/rel.html"
