#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs capture over every capture in $SHARED_DIR/corpus/ndpi (under the
# sanitizer build when configured so) and checks what MANIFEST.tsv says
# each should reveal. See check.py.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "corpus: $SHARED_DIR/corpus/ndpi/MANIFEST.tsv not found" >&2
	exit 99	# hard error: the corpus must be there in CI
fi
exec python3 "$top_srcdir/tests/corpus/check.py" "$SHADOWTAP" \
    "$SHARED_DIR/corpus/ndpi" "$top_srcdir/rules"
