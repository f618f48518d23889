#!/bin/sh
# SPDX-License-Identifier: ISC
# skipped.sh [--fail] TEST...: after `make check` (its check-local), list
# the tests whose result was SKIP, each with the reason its log gives (the
# package or permission that would run it). --fail (.ci/run with CI=true)
# exits 1 when any test was skipped.
fail=0
if [ "${1:-}" = --fail ]; then
	fail=1
	shift
fi
n=0
list=
for t in "$@"; do
	# The log of a test is its name (less .py, a TEST_EXTENSION) + .log.
	case "$t" in
	*.log) log=$t t=${t%.log} ;;
	*.py) log=${t%.py}.log ;;
	*) log=$t.log ;;
	esac
	trs=${log%.log}.trs
	[ -f "$trs" ] || continue
	grep -q '^:test-result: SKIP' "$trs" || continue
	why=$(grep -m1 '^SKIP: ' "$log" | sed 's/^SKIP: *//')
	[ -n "$why" ] || why=$(grep -v '^SKIP ' "$log" | head -1)
	[ -n "$why" ] || why="(the test gave no reason)"
	n=$((n + 1))
	list="$list
  $t: $why"
done
if [ "$n" -eq 0 ]; then
	echo "No test was skipped."
	exit 0
fi
echo "Skipped tests ($n), with what would run them:$list"
[ "$fail" -eq 0 ]
