#!/bin/sh
# SPDX-License-Identifier: ISC
# EVE events of the whole corpus against tests/corpus/eve.schema.json,
# the Community ID and the flow_id joins (tests/corpus/eve.py). Skips
# (77) when the third-party corpus is not there.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${SHARED_DIR:?}"
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "eve.sh: SKIP: no corpus at $SHARED_DIR/corpus/ndpi" >&2
	exit 77
fi
exec python3 "$top_srcdir/tests/corpus/eve.py" "$SHADOWTAP" \
    "$SHARED_DIR/corpus/ndpi" "$top_srcdir/rules"
