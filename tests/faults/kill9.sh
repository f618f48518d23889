#!/bin/sh
# SPDX-License-Identifier: ISC
# kill -9 of a capture fed through a pipe at a steady pace: what it saw
# more than 3 s before the kill is in the database, which is intact
# (tests/faults/kill9.py).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/faults/kill9.py" "$tmp"
