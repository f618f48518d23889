#!/bin/sh
# SPDX-License-Identifier: ISC
# What the two processes keep (no inherited descriptor, the writer as the
# service user) and the progress bar on a terminal (tests/faults/sandbox.py).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/faults/sandbox.py" "$tmp"
