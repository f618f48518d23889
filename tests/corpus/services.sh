#!/bin/sh
# SPDX-License-Identifier: ISC
# Catalog coverage: every service that MANIFEST.tsv of
# $SHARED_DIR/corpus/ndpi expects on a capture of a shadow-IT category is
# named by some flow event of that capture. See services.py.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "services: $SHARED_DIR/corpus/ndpi/MANIFEST.tsv not found" >&2
	exit 99	# hard error: the corpus must be there in CI
fi
exec python3 "$top_srcdir/tests/corpus/services.py" "$SHADOWTAP" \
    "$SHARED_DIR/corpus/ndpi" "$top_srcdir/rules"
