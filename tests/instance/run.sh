#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh: tests/instance/instance.py (issue 15): tenants and buckets are
# told apart in the database, the events and every summary format.
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"
exec python3 "$top_srcdir/tests/instance/instance.py" "$SHADOWTAP" \
    "$top_srcdir/rules" "$top_srcdir/tests/instance/instance.policy"
