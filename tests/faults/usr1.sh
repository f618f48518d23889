#!/bin/sh
# SPDX-License-Identifier: ISC
# SIGUSR1 writes the --stats file, or one log line; it never rewinds or
# truncates the log (tests/faults/usr1.py).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/faults/usr1.py" "$tmp"
