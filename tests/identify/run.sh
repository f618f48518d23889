#!/bin/sh
# SPDX-License-Identifier: ISC
# Agreement with tshark: the SNIs (TLS and QUIC), DNS query names, HTTP
# Hosts, DHCP host names and JA3 hashes in shadowtap's events must match
# what tshark extracts from every capture in $SHARED_DIR/corpus/ndpi for
# at least 99% of tshark's values. See compare.py.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: identify: needs tshark (Debian package tshark)"
	exit 77
fi
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "SKIP: identify: needs the capture corpus" \
	    "($SHARED_DIR/corpus/ndpi; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
	exit 77	# .ci/run fails on any skip
fi
exec python3 "$top_srcdir/tests/identify/compare.py" "$SHADOWTAP" \
    "$SHARED_DIR/corpus/ndpi" "$top_srcdir/rules"
