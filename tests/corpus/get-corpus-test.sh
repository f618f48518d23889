#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/get-corpus.sh against a local stand-in for nDPI's repository: a git
# repository holding $SHARED_DIR's captures at tests/cfgs/default/pcap/ and
# a few other files. The fetched corpus must equal $SHARED_DIR's, file for
# file; a capture changed in the source must make the script fail naming
# the checksum. Skipped (77) without the corpus.
set -u
: "${top_srcdir:?}" "${SHARED_DIR:?}"
for s in ndpi ndpi-more; do
	if [ ! -f "$SHARED_DIR/corpus/$s/MANIFEST.tsv" ]; then
		echo "SKIP: get-corpus: needs the capture corpus" \
		    "($SHARED_DIR/corpus/$s; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
		exit 77
	fi
done
command -v git >/dev/null 2>&1 ||
	{ echo "SKIP: get-corpus: needs git (Debian package git)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-getcorpus.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
	echo "FAIL: get-corpus: $*"
	exit 1
}

up=$tmp/upstream
mkdir -p "$up/tests/cfgs/default/pcap" "$up/src" || exit 99
for s in ndpi ndpi-more; do
	find "$SHARED_DIR/corpus/$s" -maxdepth 1 -name '*.pcap*' \
	    -exec cp {} "$up/tests/cfgs/default/pcap/" \; || exit 99
done
echo 'int main(void) { return 0; }' >"$up/src/ndpi_main.c"
echo 'not a listed capture' >"$up/tests/cfgs/default/pcap/unlisted.pcap"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@t
git -C "$up" init -q && git -C "$up" add -A &&
    git -C "$up" commit -qm upstream || exit 99
git -C "$up" config uploadpack.allowFilter true
git -C "$up" config uploadpack.allowAnySHA1InWant true
good=$(git -C "$up" rev-parse HEAD)

NDPI_GIT=file://$up NDPI_COMMIT=$good sh "$top_srcdir/tests/get-corpus.sh" \
    "$tmp/out" >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail "fetch failed"; }
for s in ndpi ndpi-more; do
	diff -r "$SHARED_DIR/corpus/$s" "$tmp/out/corpus/$s" ||
	    fail "$s differs from \$SHARED_DIR's"
done
[ ! -e "$tmp/out/corpus/ndpi/unlisted.pcap" ] || fail "copied an unlisted file"

# A capture changed upstream: the checksum must catch it.
f=$(awk -F'\t' 'NR == 2 { print $1 }' "$SHARED_DIR/corpus/ndpi/MANIFEST.tsv")
printf 'x' >>"$up/tests/cfgs/default/pcap/$f"
git -C "$up" commit -qam changed || exit 99
bad=$(git -C "$up" rev-parse HEAD)
if NDPI_GIT=file://$up NDPI_COMMIT=$bad sh "$top_srcdir/tests/get-corpus.sh" \
    "$tmp/bad" >"$tmp/log" 2>&1; then
	fail "a changed capture was accepted"
fi
grep -q "$f: FAILED" "$tmp/log" || { cat "$tmp/log"; fail "no checksum error for $f"; }
echo "get-corpus: pass"
