#!/bin/sh
# SPDX-License-Identifier: ISC
# Replays each fuzz target's seed corpus through its replay_<target> binary
# (built with the ordinary compiler, sanitizers if configured). Every
# tests/fuzz/fuzz_<target>.c must have its binary and corpus: a missing one,
# or any crash, fails the test.
set -u

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
status=0
for src in "$top_srcdir"/tests/fuzz/fuzz_*.c; do
	t=${src##*/fuzz_}
	t=${t%.c}
	bin="$top_builddir/tests/fuzz/replay_$t"
	corpus="$top_srcdir/tests/fuzz/corpus/$t"
	if [ ! -x "$bin" ]; then
		echo "FAIL: $t: $bin not built" >&2
		status=1
		continue
	fi
	if [ ! -d "$corpus" ]; then
		echo "FAIL: $t: no corpus at $corpus" >&2
		status=1
		continue
	fi
	if "$bin" "$corpus"; then
		echo "PASS: $t"
	else
		echo "FAIL: $t: replay exited $?" >&2
		status=1
	fi
done
exit $status
