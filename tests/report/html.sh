#!/bin/sh
# SPDX-License-Identifier: ISC
#
# html.sh: renders the HTML summary in headless Chromium. The report of
# tests/pcap/sample.pcap must load with no console message at all (the page
# has no script, so any message is a fault), and a database whose names
# carry <script> and event handlers must render them as text: the page
# title stays ours, no script or img element appears in the DOM. Leaves
# screenshots in $top_builddir/tests/report/. Exits 77 (skip) without
# Chromium.
set -u

: "${SHADOWTAP:?run from make check}"
: "${top_srcdir:?run from make check}"
: "${top_builddir:?run from make check}"

CHROMIUM=
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: chromium is not installed (Debian: apt-get install chromium)"
	exit 77
fi
MKHOSTILE=$top_builddir/tests/report/mkhostile
OUT=$top_builddir/tests/report
mkdir -p "$OUT"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# Chromium with everything that could reach the network switched off.
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
	    --window-size=1200,2000 --enable-logging=stderr --log-level=0 "$@"
}

bad() {
	echo "FAIL: $*"
	fail=1
}

# 1. The sample capture's report.
"$SHADOWTAP" capture -q --deterministic -r "$top_srcdir/tests/pcap/sample.pcap" \
    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
    -d "$tmp/sample.db" || { echo "FAIL: capture"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/sample.db" --format html \
    -o "$tmp/sample.html" || { echo "FAIL: summary"; exit 1; }
chrome --screenshot="$OUT/sample.png" "file://$tmp/sample.html" \
    >"$tmp/shot.out" 2>"$tmp/shot.err"
[ -s "$OUT/sample.png" ] || bad "no screenshot of the sample report"
chrome --dump-dom "file://$tmp/sample.html" >"$tmp/sample.dom" \
    2>"$tmp/sample.err" || bad "chromium could not load the sample report"
if grep -h 'CONSOLE' "$tmp/sample.err" "$tmp/shot.err"; then
	bad "console messages while loading the sample report"
fi
grep -q '<title>Shadow IT summary, 2026-01-01 to 2026-01-01</title>' \
    "$tmp/sample.dom" || bad "sample report: title missing from the DOM"
grep -q 'Unsanctioned services by category' "$tmp/sample.dom" ||
    bad "sample report: sections missing from the DOM"
grep -q '<svg' "$tmp/sample.dom" || bad "sample report: no chart"

# 2. Names that try to run script.
"$MKHOSTILE" "$tmp/hostile.db" || { echo "FAIL: mkhostile"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/hostile.db" --format html \
    -o "$tmp/hostile.html" || { echo "FAIL: summary (hostile)"; exit 1; }
chrome --screenshot="$OUT/hostile.png" "file://$tmp/hostile.html" \
    >"$tmp/hshot.out" 2>"$tmp/hshot.err"
chrome --dump-dom "file://$tmp/hostile.html" >"$tmp/hostile.dom" \
    2>"$tmp/hostile.err" || bad "chromium could not load the hostile report"
if grep -h 'CONSOLE' "$tmp/hostile.err" "$tmp/hshot.err"; then
	bad "console messages while loading the hostile report"
fi
grep -q '<title>Shadow IT summary, 2024-01-02 to 2024-01-02</title>' \
    "$tmp/hostile.dom" || bad "hostile report: the title changed"
grep -q 'pwned' "$tmp/hostile.dom" ||
    bad "hostile report: the crafted names are missing"
if grep -qi '<script' "$tmp/hostile.dom"; then
	bad "hostile report: a script element reached the DOM"
fi
if grep -qi '<img' "$tmp/hostile.dom"; then
	bad "hostile report: an img element reached the DOM"
fi
if grep -qi '<iframe' "$tmp/hostile.dom"; then
	bad "hostile report: an iframe element reached the DOM"
fi
# The only SVG elements are the charts', none with an event handler.
if grep -qi '<svg onload' "$tmp/hostile.dom"; then
	bad "hostile report: an svg element with onload reached the DOM"
fi
for want in 'Where data goes' 'Departments' 'Passwords sent in clear text'; do
	grep -q "$want" "$tmp/hostile.dom" ||
	    bad "hostile report: section \"$want\" missing"
done
grep -qF 'AS64500 &lt;svg onload="document.title=' "$tmp/hostile.dom" ||
    bad "hostile report: the AS name is not shown escaped"
grep -qF '&lt;iframe srcdoc=pwned&gt;&lt;/iframe&gt;Dept' "$tmp/hostile.dom" ||
    bad "hostile report: the department is not shown escaped"
grep -qF "&lt;script&gt;document.title='pwned'&lt;/script&gt;@x" \
    "$tmp/hostile.dom" || bad "hostile report: the user name is not shown escaped"
grep -qF "&lt;script&gt;document.title='pwned'&lt;/script&gt;\"q\"\\x1B[31m" \
    "$tmp/hostile.dom" || bad "hostile report: the script name is not shown escaped"
grep -qF '&lt;img src=x onerror="document.title=' "$tmp/hostile.dom" ||
    bad "hostile report: the img name is not shown escaped"
grep -q '<svg class="heat"' "$tmp/hostile.dom" ||
    bad "hostile report: no reliability heatmap"
grep -qF 'aria-label="Failures by weekday and hour, &lt;script&gt;' \
    "$tmp/hostile.dom" || bad "hostile report: the heatmap label is not escaped"

if [ "$fail" -ne 0 ]; then
	echo "html.sh: FAILED (pages kept in $OUT)"
	cp "$tmp"/*.html "$tmp"/*.dom "$OUT"/ 2>/dev/null
	exit 1
fi
echo "html.sh: ok (screenshots in $OUT)"
exit 0
