#!/bin/sh
# SPDX-License-Identifier: ISC
# agree.sh: "rules explain" answers as "capture" does, for every flow of
# the corpus (tests/rules/agree.py). Skipped without the corpus.
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"
: "${SHARED_DIR:?SHARED_DIR is not set}"

if [ ! -d "$SHARED_DIR/corpus" ]; then
	echo "agree.sh: skipped: $SHARED_DIR/corpus not found"
	exit 77
fi
exec python3 "$top_srcdir/tests/rules/agree.py" "$SHADOWTAP" \
    "$top_srcdir/rules" "$top_srcdir/tests/rules/agree.policy" \
    "$SHARED_DIR/corpus/ndpi" "$SHARED_DIR/corpus/ndpi-more"
