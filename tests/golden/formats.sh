#!/bin/sh
# SPDX-License-Identifier: ISC
# Summary goldens in every format: the sample capture, two corpus
# captures, four corpus captures with clear-text log-ins, and a small synthetic database (bench/gendb, 20 devices x 14
# days, fixed seed; the one with departments, destinations by country and
# AS, and clear-text log-ins) each give text, Markdown, HTML, JSON and CSV
# that must match tests/golden/formats/NAME.EXT byte for byte. A missing expected
# file is a failure; UPDATE_GOLDEN=1 (make update-golden) rewrites them.
# GOLDEN_SET: bundled (sample, synthetic; the default), corpus (the others,
# tests/golden/formats-corpus.sh; skipped without the corpus) or all.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
set=${GOLDEN_SET:-bundled}
if [ "$set" != bundled ] && [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "SKIP: formats: needs the capture corpus" \
	    "($SHARED_DIR/corpus/ndpi; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
	[ "$set" = corpus ] && exit 77
	exit 99
fi
# The reports say when they were generated: make that the same every run.
SOURCE_DATE_EPOCH=1767225600
export SOURCE_DATE_EPOCH
dir=$top_srcdir/tests/golden/formats
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

cap() {
	# A fixed sensor name: the report names its sensors, and the host's
	# name differs from machine to machine.
	"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" --sensor golden \
	    -d "$tmp/$1.db" -r "$2" ||
	    { echo "FAIL: $1: capture"; fail=$((fail + 1)); return 1; }
}

names=
if [ "$set" != corpus ]; then
	names="sample synthetic"
	cap sample "$top_srcdir/tests/pcap/sample.pcap"
	"$top_builddir/bench/gendb" -q -o "$tmp/synthetic.db" --devices 20 \
	    --rules "$top_srcdir/rules" \
	    --policy "$top_srcdir/rules/policy.example" --days 14 --seed 7 ||
		{ echo "FAIL: synthetic: gendb"; fail=$((fail + 1)); }
fi
if [ "$set" != bundled ]; then
	names="$names teams sites cleartext"
	cap teams "$SHARED_DIR/corpus/ndpi/teams.pcap"
	cap sites "$SHARED_DIR/corpus/ndpi/sites.pcapng"
	# Log-ins in clear text (FTP, POP3, HTTP Basic, Telnet), several
	# runs into one database.
	for p in ftp.pcap pop3.pcap http_auth.pcap telnet.pcap; do
		cap cleartext "$SHARED_DIR/corpus/ndpi/$p" || break
	done
fi

for name in $names; do
	[ -f "$tmp/$name.db" ] || continue
	for f in text:txt markdown:md html:html json:json csv:csv; do
		fmt=${f%%:*}
		ext=${f#*:}
		out=$tmp/$name.$ext
		if ! "$SHADOWTAP" summary -d "$tmp/$name.db" --format "$fmt" \
		    -o "$out" 2>"$tmp/err"; then
			echo "FAIL: $name.$ext: summary: $(cat "$tmp/err")"
			fail=$((fail + 1))
			continue
		fi
		if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
			cp "$out" "$dir/$name.$ext"
			continue
		fi
		if [ ! -f "$dir/$name.$ext" ]; then
			echo "FAIL: $name.$ext: no expected file (make update-golden)"
			fail=$((fail + 1))
		elif cmp -s "$dir/$name.$ext" "$out"; then
			pass=$((pass + 1))
		else
			echo "FAIL: $name.$ext differs:"
			diff -u "$dir/$name.$ext" "$out" | head -20
			fail=$((fail + 1))
		fi
	done
done
echo "formats ($set): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
