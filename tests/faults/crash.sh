#!/bin/sh
# SPDX-License-Identifier: ISC
# kill -SEGV on the parser mid-run: a clear message, what it sent kept,
# the run marked failed, and every summary format saying so
# (tests/faults/crash.py). The systemd unit restarts a failed service.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
grep -q '^Restart=on-failure$' "$top_srcdir/contrib/shadowtap.service" || {
	echo "FAIL: contrib/shadowtap.service does not restart on failure"
	exit 1
}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/faults/crash.py" "$tmp"
