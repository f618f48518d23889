#!/bin/sh
# SPDX-License-Identifier: ISC
# The summary admits what a run could not record, in every format: rows
# dropped (a run's count of them) and a full disk (rows not written; tmpfs
# in a user namespace, skipped without one), each in the coverage section
# of text, md, html, json and csv, with a headline sentence when the rows
# lost exceed 1% of flows. A flood of devices that overflows the writer's
# aggregation table loses none of them: the full batch is committed and
# the next one fills (src/store/flusher.c).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3 CLI"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# Every format says it; $1 the database, $2 the column, $3 the words.
check_formats() {
	db=$1 col=$2 words=$3
	n=$(sqlite3 "$db" "SELECT sum($col) FROM runs")
	[ "${n:-0}" -gt 0 ] || fail "$col is ${n:-none} in $db"
	nn=$(printf '%s' "$n" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
	for f in text md html json csv; do
		"$SHADOWTAP" summary -d "$db" --format "$f" >"$tmp/s.$f" ||
		    fail "summary --format $f"
	done
	grep -q "^  Not recorded: *.*$nn $words" "$tmp/s.text" ||
	    fail "text coverage lacks '$nn $words'"
	grep -q "^- Not recorded: .*$nn $words" "$tmp/s.md" ||
	    fail "md coverage lacks '$nn $words'"
	grep -q "<li>Not recorded: .*$nn $words" "$tmp/s.html" ||
	    fail "html coverage lacks '$nn $words'"
	python3 - "$tmp/s.json" "$col" "$n" <<'PY' || fail "json coverage"
import json, sys
c = json.load(open(sys.argv[1]))['coverage']
sys.exit(0 if c[sys.argv[2]] == int(sys.argv[3]) else 1)
PY
	python3 - "$tmp/s.csv" "$col" "$n" <<'PY' || fail "csv coverage"
import sys
rows = open(sys.argv[1], newline='').read().split('\r\n')
i = rows.index('coverage')
head, vals = rows[i + 1].split(','), rows[i + 2].split(',')
sys.exit(0 if vals[head.index(sys.argv[2])] == sys.argv[3] else 1)
PY
	echo "$n"
}

# 1. A flood: 67,000 devices, one network-health row each (an unanswered
# DNS query), in one burst, more than the table holds (65,536): a row for
# every flow of the run and none dropped.
python3 "$top_srcdir/tests/faults/dnsflood.py" "$tmp/flood.pcap" 67000 ||
    exit 99
"$SHADOWTAP" capture -q -r "$tmp/flood.pcap" -d "$tmp/flood.db" ||
    fail "flood capture"
n=$(sqlite3 "$tmp/flood.db" "SELECT count(DISTINCT device) FROM
    reliability")
f=$(sqlite3 "$tmp/flood.db" "SELECT flows FROM runs")
[ "${n:-0}" -gt 65536 ] && [ "$n" = "$f" ] ||
    fail "the flood recorded ${n:-no} devices of its $f flows"
n=$(sqlite3 "$tmp/flood.db" "SELECT sum(rows_dropped) FROM runs")
[ "$n" = 0 ] || fail "the flood dropped ${n:-?} rows"
# The summary reads the losses from the runs table (the devices' rows
# would only make its five runs slow): a run that lost 1,452 rows, as
# this flood did when a full table dropped them.
sqlite3 "$tmp/flood.db" "SELECT 'DELETE FROM ' || name || ';' FROM
    sqlite_master WHERE type = 'table' AND name NOT IN ('runs', 'services',
    'sensors', 'secrets')" | sqlite3 "$tmp/flood.db" || exit 99
sqlite3 "$tmp/flood.db" "UPDATE runs SET rows_dropped = 1452" || exit 99
dropped=$(check_formats "$tmp/flood.db" rows_dropped "rows dropped") ||
    { echo "$dropped"; exit 1; }
grep -q "Not everything seen was recorded" "$tmp/s.text" ||
    fail "no headline sentence for $dropped rows dropped"
msg="flood: $dropped rows dropped"

# 2. A full disk, as tests/store/fulldisk.sh makes it, leaving room to
# start and end a run but not to write its findings. How much room that
# is depends on SQLite and the file system: the smallest of a few sizes
# that records rows not written.
if unshare -rm true 2>/dev/null; then
	mkdir "$tmp/mnt"
	pcap="$top_srcdir/tests/pcap/sample.pcap"
	unshare -rm sh -c '
		set -u
		mnt=$1; pcap=$2; tmp=$3
		mount -t tmpfs -o size=4m tmpfs "$mnt" || exit 77
		for pages in 8 16 24 32 40 48 64; do
			rm -f "$mnt"/*
			"$SHADOWTAP" capture --no-sandbox -r "$pcap" \
			    -d "$mnt/f.db" -q >/dev/null 2>&1 || true
			sqlite3 "$mnt/f.db" "DELETE FROM findings;
			    DELETE FROM unclassified;" 2>/dev/null
			dd if=/dev/zero of="$mnt/reserve" bs=4k count=$pages \
			    2>/dev/null
			dd if=/dev/zero of="$mnt/fill" bs=4k count=2000 \
			    2>/dev/null
			rm -f "$mnt/reserve"
			"$SHADOWTAP" capture --no-sandbox --again -r "$pcap" \
			    -d "$mnt/f.db" -q >"$tmp/full.out" 2>&1
			n=$(sqlite3 "$mnt/f.db" "SELECT sum(rows_unwritten)
			    FROM runs" 2>/dev/null)
			[ "${n:-0}" -gt 0 ] && break
		done
		cp "$mnt/f.db" "$tmp/full.db"
	' sh "$tmp/mnt" "$pcap" "$tmp"
	rc=$?
	if [ $rc = 77 ]; then
		msg="$msg; full disk skipped (no tmpfs)"
	else
		[ $rc = 0 ] || fail "full-disk setup: $(cat "$tmp/full.out")"
		unwritten=$(check_formats "$tmp/full.db" rows_unwritten \
		    "rows not written") || { echo "$unwritten"; exit 1; }
		msg="$msg; full disk: $unwritten rows not written"
	fi
else
	msg="$msg; full disk skipped (no user namespaces)"
fi
echo "ok: $msg, in every format"
