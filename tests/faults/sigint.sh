#!/bin/sh
# SPDX-License-Identifier: ISC
# Ctrl-C at random points, for file and pipe input: every run ends in one
# orderly drain, marked finished, with every flow a clean run of the same
# packets has (tests/faults/sigint.py).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/faults/sigint.py" "$tmp" 20
