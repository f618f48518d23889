#!/bin/sh
# SPDX-License-Identifier: ISC
# A full disk: the database on a tiny tmpfs (mounted in a private user and
# mount namespace). Capture must go on, say it could not write, exit 0 or
# 1 without crashing, leave a consistent file, and write again once space
# returns.
# (capture runs with --no-sandbox here: inside the user namespace that
# makes the small filesystem, setgroups is not permitted, and the sandbox
# would rightly refuse to start; this test is about the store.)
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: needs the sqlite3 shell (Debian package sqlite3)"; exit 77; }
unshare -rm true 2>/dev/null || { echo "SKIP: needs user namespaces (permission: unshare -rm)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/mnt"
pcap="$top_srcdir/tests/pcap/sample.pcap"
unshare -rm sh -c '
	set -u
	mnt=$1; pcap=$2; tmp=$3
	mount -t tmpfs -o size=4m tmpfs "$mnt" || exit 77
	# Fill the disk after the schema exists.
	"$SHADOWTAP" capture --no-sandbox -r "$pcap" -d "$mnt/f.db" -q \
	    >/dev/null 2>&1 || true
	sqlite3 "$mnt/f.db" "DELETE FROM findings; DELETE FROM unclassified;" \
	    2>/dev/null
	# Leave room to open the file and start a run, not to write findings.
	dd if=/dev/zero of="$mnt/reserve" bs=4k count=${RESERVE_PAGES:-0} \
	    2>/dev/null
	dd if=/dev/zero of="$mnt/fill" bs=4k count=2000 2>/dev/null
	rm -f "$mnt/reserve"
	"$SHADOWTAP" capture --no-sandbox --again -r "$pcap" -d "$mnt/f.db" \
	    -q >"$tmp/full.out" 2>&1
	echo $? >"$tmp/full.rc"
	ok=$(sqlite3 "$mnt/f.db" "PRAGMA integrity_check" 2>&1)
	echo "$ok" >"$tmp/full.integrity"
	# Space returns.
	rm -f "$mnt/fill"
	"$SHADOWTAP" capture --no-sandbox --again -r "$pcap" -d "$mnt/f.db" \
	    -q >"$tmp/after.out" 2>&1
	echo $? >"$tmp/after.rc"
	sqlite3 "$mnt/f.db" "SELECT count(*) FROM findings" >"$tmp/after.rows"
' sh "$tmp/mnt" "$pcap" "$tmp"
rc=$?
[ $rc = 77 ] && { echo "SKIP: needs to mount a tmpfs in a user namespace (permission)"; exit 77; }
full_rc=$(cat "$tmp/full.rc")
case $full_rc in
0|1) ;;
*) echo "FAIL: capture on a full disk exited $full_rc"; cat "$tmp/full.out"
   exit 1 ;;
esac
grep -q "disk full\|cannot write" "$tmp/full.out" || {
	echo "FAIL: no word about the full disk:"; cat "$tmp/full.out"; exit 1; }
[ "$(cat "$tmp/full.integrity")" = ok ] || {
	echo "FAIL: integrity after full disk: $(cat "$tmp/full.integrity")"
	exit 1; }
[ "$(cat "$tmp/after.rc")" = 0 ] || {
	echo "FAIL: capture after space returned"; cat "$tmp/after.out"; exit 1; }
[ "$(cat "$tmp/after.rows")" -gt 0 ] || {
	echo "FAIL: nothing written after space returned"; exit 1; }
echo "ok: full disk reported ($(head -1 "$tmp/full.out")), recovered"
