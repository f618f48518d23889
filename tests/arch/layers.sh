#!/bin/sh
# SPDX-License-Identifier: ISC
# The include rules of doc/architecture.md (stage order, the privilege
# line, one wrapper per third-party library, no include loops).
: "${top_srcdir:=$(dirname "$0")/../..}"
exec python3 "$top_srcdir/tests/arch/layers.py" "$top_srcdir/src"
