#!/bin/sh
# SPDX-License-Identifier: ISC
# get-corpus.sh DIR: fetch the third-party captures the corpus tests read
# into DIR/corpus/ndpi and DIR/corpus/ndpi-more, by git from their public
# source (nDPI's regression captures, tests/cfgs/default/pcap/, at a pinned
# commit), and check each file's SHA-256 against the manifests kept in
# tests/corpus/sources/*/MANIFEST.tsv. Then: make check SHARED_DIR=DIR
# (DIR=../shared, beside the clone, needs no variable). Needs git, network
# access and about 20 MB. NDPI_GIT and NDPI_COMMIT override the source
# (a mirror, or tests/corpus/get-corpus-test.sh's local repository).
set -eu
if [ $# -ne 1 ]; then
	echo "usage: tests/get-corpus.sh DIR" >&2
	exit 2
fi
repo=${NDPI_GIT:-https://github.com/ntop/nDPI.git}
commit=${NDPI_COMMIT:-3b1286ab03b0c9223ac208a01868d8c1f6c0ae00}
src=tests/cfgs/default/pcap
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
dest=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/get-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Only the listed captures' blobs are downloaded: a shallow, blob-less
# fetch of the one commit, then a checkout of those paths.
git init -q "$work/git"
git -C "$work/git" remote add origin "$repo"
git -C "$work/git" fetch -q --depth 1 --filter=blob:none origin "$commit"
for m in "$here"/corpus/sources/*/MANIFEST.tsv; do
	awk -F'\t' -v d="$src" 'NR > 1 && $1 != "" { print d "/" $1 }' "$m"
done >"$work/paths"
git -C "$work/git" -c advice.detachedHead=false checkout -q FETCH_HEAD \
    --pathspec-from-file="$work/paths"

bad=0
for m in "$here"/corpus/sources/*/MANIFEST.tsv; do
	set_dir=$(dirname "$m")
	name=$(basename "$set_dir")
	out=$dest/corpus/$name
	mkdir -p "$out"
	awk -F'\t' 'NR > 1 && $1 != "" { print $4 "  " $1 }' "$m" \
	    >"$work/$name.sha256"
	while read -r _ f; do
		cp "$work/git/$src/$f" "$out/$f"
	done <"$work/$name.sha256"
	if ! (cd "$out" && sha256sum --quiet -c "$work/$name.sha256"); then
		echo "get-corpus.sh: $out: checksums differ from $m" >&2
		bad=1
	fi
	cp "$m" "$set_dir/README.md" "$out/"
	echo "get-corpus.sh: $out: $(wc -l <"$work/$name.sha256") captures"
done
exit "$bad"
