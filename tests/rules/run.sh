#!/bin/sh
# SPDX-License-Identifier: ISC
#
# run.sh: runs "shadowtap rules check" on every tests/rules/*.rules file
# and compares everything it prints (stderr, then the summary on stdout)
# with the matching .err file. A missing .err file is a failure.
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"
: "${top_builddir:=.}"

dir="$top_srcdir/tests/rules"
out="${TMPDIR:-/tmp}/shadowtap-rules.$$"
trap 'rm -f "$out"' EXIT INT TERM
fail=0
n=0
cd "$dir" || exit 99
for f in *.rules; do
	n=$((n + 1))
	base=${f%.rules}
	if [ ! -f "$base.err" ]; then
		echo "FAIL: $f: no $base.err"
		fail=$((fail + 1))
		continue
	fi
	"$SHADOWTAP" rules check "$f" >"$out" 2>&1
	rc=$?
	echo "exit $rc" >>"$out"
	if ! diff -u "$base.err" "$out"; then
		echo "FAIL: $f: output differs from $base.err"
		fail=$((fail + 1))
	fi
done
# The shipped catalog and example policy must check cleanly.
n=$((n + 1))
if ! "$SHADOWTAP" rules check "$top_srcdir/rules" \
    "$top_srcdir/rules/policy.example" >"$out" 2>&1; then
	cat "$out"
	echo "FAIL: the catalog or the example policy has errors"
	fail=$((fail + 1))
elif grep -q ': warning: ' "$out"; then
	cat "$out"
	echo "FAIL: the catalog has warnings"
	fail=$((fail + 1))
fi
echo "rules: $n checks, $fail failed"
[ "$fail" -eq 0 ]
