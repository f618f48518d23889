#!/bin/sh
# SPDX-License-Identifier: ISC
# The test driver of every *.py test (Makefile.am's PY_LOG_COMPILER): runs
# SCRIPT SHADOWTAP CORPUS_DIR RULES_DIR over $SHARED_DIR/corpus/ndpi.
#   tests/corpus/check.py       packet counts, public event keys and the
#                               names MANIFEST.tsv lists, per capture
#   tests/corpus/services.py    every shadow-IT service the manifest
#                               expects is named (issue 5)
#   tests/corpus/ndpi_more.py   the same over ../ndpi-more (issue 16)
#   tests/identify/mail.py      STARTTLS certificates, implicit TLS (issue 16)
#   tests/identify/manifest.py  its QUIC versions, clear-text logins and
#                               encrypted DNS (issue 4)
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${SHARED_DIR:?}"
script=$1
if [ ! -f "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv" ]; then
	echo "SKIP: ${script##*/}: needs the capture corpus" \
	    "($SHARED_DIR/corpus/ndpi; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
	exit 77	# .ci/run fails on any skip
fi
exec python3 "$script" "$SHADOWTAP" "$SHARED_DIR/corpus/ndpi" \
    "$top_srcdir/rules"
