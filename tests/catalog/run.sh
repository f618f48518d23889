#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh: tests/catalog/synthetic.py on the shipped catalog and example
# policy (issue 15): names drawn from rules/gen-*.rules come back named.
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"
exec python3 "$top_srcdir/tests/catalog/synthetic.py" "$SHADOWTAP" \
    "$top_srcdir/rules" "$top_srcdir/rules/policy.example"
