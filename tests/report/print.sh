#!/bin/sh
# SPDX-License-Identifier: ISC
#
# print.sh: the HTML summary printed to PDF by headless Chromium, on
# Letter (Chromium's default) and on A4, for the sample capture with an
# inventory (owners and departments fill the wide tables) and for the
# synthetic degraded week (a trend over days and the reliability
# section). pdfcheck.py then checks the PDF itself: the page count, that
# the first page is the decision page (headline, "What to do first", what
# the report was judged by, and nothing after), that every table cell of
# the HTML is in the PDF's text in order (none cut off or lost), and that
# no word lies outside the page. Leaves the PDFs and page images in
# $top_builddir/tests/report/ to look at. Exits 77 (skip) without
# Chromium or poppler-utils.
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
for p in pdfinfo pdftotext pdftoppm; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "SKIP: $p is not installed (Debian: apt-get install poppler-utils)"
		exit 77
	fi
done
OUT=$top_builddir/tests/report
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# Chromium with everything that could reach the network switched off.
print_pdf() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
	    --no-pdf-header-footer --print-to-pdf="$2" "file://$1" \
	    >"$tmp/chrome.out" 2>&1
	[ -s "$2" ] || { echo "FAIL: no PDF from $1"; tail -5 "$tmp/chrome.out"; fail=1; }
}

# The HTML as it is (Letter), and with the page set to A4; $2 is the
# range of page counts allowed.
print_both() {
	name=$1
	sed 's/@page{margin:/@page{size:A4;margin:/' \
	    "$tmp/$name.html" >"$tmp/$name-a4.html"
	cmp -s "$tmp/$name.html" "$tmp/$name-a4.html" &&
		{ echo "FAIL: $name: no @page rule to set A4 in"; fail=1; }
	print_pdf "$tmp/$name.html" "$OUT/$name-letter.pdf"
	print_pdf "$tmp/$name-a4.html" "$OUT/$name-a4.pdf"
	for paper in letter a4; do
		pdf=$OUT/$name-$paper.pdf
		[ -s "$pdf" ] || continue
		python3 "$top_srcdir/tests/report/pdfcheck.py" "$tmp/$name.html" \
		    "$pdf" "$paper" "$2" || fail=1
		rm -f "$OUT/$name-$paper-page"-*.png
		pdftoppm -r 50 -png "$pdf" "$OUT/$name-$paper-page"
	done
}

# 1. The sample capture, with owners from an inventory.
"$SHADOWTAP" capture -q --deterministic -r "$top_srcdir/tests/pcap/sample.pcap" \
    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
    -d "$tmp/sample.db" || { echo "FAIL: capture"; exit 1; }
cat >"$tmp/inv.csv" <<'CSV'
match,name,owner,department,asset
3c:22:fb:00:00:01,Reception PC,Alice Martin,Front desk,A-001
3c:22:fb:00:00:02,Alice's laptop,Alice Martin,Front desk,A-002
192.168.1.0/24,,IT pool,Information technology,
CSV
"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$tmp/sample.db" \
    >/dev/null || { echo "FAIL: import"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/sample.db" -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" --org "Example Ltd" \
    --author "J. Doe" --format html -o "$tmp/sample.html" ||
	{ echo "FAIL: summary"; exit 1; }
# Pages: the decision page and at most 8 more for ~20 tables.
print_both sample 2:9

# The check itself finds a cut table: the same page with its tables
# wider than the paper and clipped must fail.
sed 's/\.scroll{overflow:visible}/.scroll{overflow:hidden}table{min-width:1100px}/' \
    "$tmp/sample.html" >"$tmp/cut.html"
print_pdf "$tmp/cut.html" "$tmp/cut.pdf"
if python3 "$top_srcdir/tests/report/pdfcheck.py" "$tmp/sample.html" \
    "$tmp/cut.pdf" letter 2:9 >"$tmp/cut.out"; then
	echo "FAIL: pdfcheck.py passed a page whose tables are cut"
	fail=1
fi
grep -q 'missing or out of order' "$tmp/cut.out" ||
	{ echo "FAIL: pdfcheck.py did not name the cut cells"; fail=1; }

# 2. A week with a network problem: the trend, the heatmaps.
python3 "$top_srcdir/tests/reliability/gen-week.py" --degraded \
    "$tmp/week.pcap" || { echo "FAIL: gen-week"; exit 1; }
"$SHADOWTAP" capture -q --deterministic -r "$tmp/week.pcap" \
    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
    -d "$tmp/week.db" || { echo "FAIL: capture (week)"; exit 1; }
"$SHADOWTAP" summary -d "$tmp/week.db" -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" --format html \
    -o "$tmp/week.html" || { echo "FAIL: summary (week)"; exit 1; }
print_both week 2:8

if [ "$fail" -ne 0 ]; then
	cp "$tmp"/*.html "$OUT"/ 2>/dev/null
	echo "print.sh: FAILED (PDFs and pages in $OUT)"
	exit 1
fi
echo "print.sh: ok (PDFs and pages in $OUT)"
exit 0
