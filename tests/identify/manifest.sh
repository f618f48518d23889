#!/bin/sh
# SPDX-License-Identifier: ISC
# The manifest's protocol claims on every capture of
# $SHARED_DIR/corpus/ndpi: QUIC versions, clear-text logins and encrypted
# DNS must show in shadowtap's flow events. See manifest.py.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "manifest: $SHARED_DIR/corpus/ndpi/MANIFEST.tsv not found" >&2
	exit 99	# hard error: the corpus must be there in CI
fi
exec python3 "$top_srcdir/tests/identify/manifest.py" "$SHADOWTAP" \
    "$SHARED_DIR/corpus/ndpi" "$top_srcdir/rules"
