#!/bin/sh
# SPDX-License-Identifier: ISC
# The golden tests on the third-party corpus (TESTLIST's shared: entries);
# exits 77 (skipped) when $SHARED_DIR/corpus is absent.
GOLDEN_SET=corpus exec sh "${top_srcdir:?}/tests/golden/run.sh"
