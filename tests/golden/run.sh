#!/bin/sh
# SPDX-License-Identifier: ISC
# Golden tests (tcpdump's TESTLIST idea): each capture goes through
# `shadowtap capture --deterministic` into a fresh database, the summary is
# reduced to its findings (project.py) and compared with NAME.expected.
# A missing expected file is a failure. UPDATE_GOLDEN=1 rewrites them
# (make update-golden); review the diff before committing.
# GOLDEN_SET picks the entries: bundled (captures in this tree, the default),
# corpus (shared:, tests/golden/run-corpus.sh; skipped without the corpus)
# or all (make update-golden, which needs the corpus).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
set=${GOLDEN_SET:-bundled}
dir=$top_srcdir/tests/golden
if [ "$set" != bundled ] && [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "SKIP: golden: needs the capture corpus" \
	    "($SHARED_DIR/corpus/ndpi; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
	[ "$set" = corpus ] && exit 77
	exit 99
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
while read -r name pcap opts; do
	case "$name" in ''|'#'*) continue ;; esac
	case "$pcap" in shared:*) kind=corpus ;; *) kind=bundled ;; esac
	[ "$set" = all ] || [ "$set" = "$kind" ] || continue
	case "$pcap" in
	shared:*) pcap=$SHARED_DIR/corpus/ndpi/${pcap#shared:} ;;
	*) pcap=$top_srcdir/$pcap ;;
	esac
	db=$tmp/$name.db
	# shellcheck disable=SC2086
	if ! "$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" -d "$db" -r "$pcap" $opts \
	    2>"$tmp/$name.err"; then
		echo "FAIL: $name: capture failed: $(cat "$tmp/$name.err")"
		fail=$((fail + 1))
		continue
	fi
	if ! "$SHADOWTAP" summary -d "$db" --format json >"$tmp/$name.json" \
	    2>"$tmp/$name.err"; then
		echo "FAIL: $name: summary failed: $(cat "$tmp/$name.err")"
		fail=$((fail + 1))
		continue
	fi
	python3 "$dir/project.py" <"$tmp/$name.json" >"$tmp/$name.out" || {
		echo "FAIL: $name: summary JSON did not parse"
		fail=$((fail + 1))
		continue
	}
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/$name.out" "$dir/$name.expected"
		echo "updated: $name"
		continue
	fi
	if [ ! -f "$dir/$name.expected" ]; then
		echo "FAIL: $name: no $dir/$name.expected (make update-golden, then review)"
		fail=$((fail + 1))
	elif diff -u "$dir/$name.expected" "$tmp/$name.out"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: summary differs from $name.expected"
		fail=$((fail + 1))
	fi
done <"$dir/TESTLIST"
echo "golden ($set): $pass passed, $fail failed"
[ $((pass + fail)) -gt 0 ] || [ "${UPDATE_GOLDEN:-0}" = 1 ] ||
	{ echo "FAIL: golden: no $set entry in TESTLIST"; exit 1; }
[ "$fail" -eq 0 ]
