#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerates the README's sample report: doc/sample-report.html and .png
# (its first page) from a synthetic month of 100 devices (bench/gendb,
# seed 3), and doc/sample-reliability.png, the Reliability section of the
# synthetic degraded week (tests/reliability/gen-week.py --degraded).
# Needs a built src/shadowtap and bench/gendb, python3 and chromium. Run
# from the top of the source tree.
set -eu
SHADOWTAP=${SHADOWTAP:-./src/shadowtap}
GENDB=${GENDB:-./bench/gendb}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1770163200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
shot() {
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$tmp/profile" \
	    --window-size="$1" --screenshot="$2" "file://$3" >/dev/null 2>&1
}
"$GENDB" -q -o "$tmp/sample.db" --devices 100 --days 30 --seed 3 \
    --rules rules --policy rules/policy.example
"$SHADOWTAP" summary -d "$tmp/sample.db" -R rules -P rules/policy.example \
    --org "Example Ltd" --format html -o doc/sample-report.html
shot 1000,1800 doc/sample-report.png "$PWD/doc/sample-report.html"

python3 tests/reliability/gen-week.py --degraded "$tmp/week.pcap"
"$SHADOWTAP" capture -q --deterministic -r "$tmp/week.pcap" \
    -R rules -P rules/policy.example -d "$tmp/week.db"
"$SHADOWTAP" summary -d "$tmp/week.db" --format html -o "$tmp/week.html"
# The page's head and style with only its Reliability section.
sed -n '1,/<main>/p' "$tmp/week.html" >"$tmp/rel.html"
sed -n '/<section class="reliability">/,/^<\/section>/p' "$tmp/week.html" \
    >>"$tmp/rel.html"
printf '</main>\n</body>\n</html>\n' >>"$tmp/rel.html"
shot 1000,760 doc/sample-reliability.png "$tmp/rel.html"
