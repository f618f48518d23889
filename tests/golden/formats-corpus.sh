#!/bin/sh
# SPDX-License-Identifier: ISC
# The format goldens of the third-party corpus captures (teams, sites,
# cleartext); exits 77 (skipped) when $SHARED_DIR/corpus is absent.
GOLDEN_SET=corpus exec sh "${top_srcdir:?}/tests/golden/formats.sh"
