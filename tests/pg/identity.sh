#!/bin/sh
# SPDX-License-Identifier: ISC
# The corpus captures written to SQLite, and the same captures written to
# PostgreSQL (through the spool, forwarded after each commit), give
# byte-identical summaries in every format, and the same export; so does the
# SQLite file loaded with db push.
set -u
. "$top_srcdir/tests/pg/lib.sh"
corpus=${SHARED_DIR:-}/corpus/ndpi
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	echo "SKIP: identity: needs the capture corpus ($corpus)"
	exit 77
fi
n=0
for f in "$corpus"/*.pcap "$corpus"/*.pcapng; do
	[ -f "$f" ] || continue
	"$SHADOWTAP" capture -q --deterministic --sensor corpus -R "$rules" \
	    -r "$f" -d "$tmp/lite.db" ||
	    { echo "FAIL: capture $f into SQLite"; exit 1; }
	"$SHADOWTAP" capture -q --deterministic --sensor corpus -R "$rules" \
	    -r "$f" -d "$db" --spool "$tmp/spool.db" ||
	    { echo "FAIL: capture $f into PostgreSQL"; exit 1; }
	n=$((n + 1))
done
command -v sqlite3 >/dev/null && left=$(sqlite3 "$tmp/spool.db" 'SELECT count(*) FROM pg_pending' 2>/dev/null)
[ "${left:-0}" = 0 ] || { echo "FAIL: $left rows left in the spool"; exit 1; }
createdb "${dbname}_push" || { echo "FAIL: createdb"; exit 1; }
trap 'dropdb --if-exists "${dbname}_push"; pgdrop' EXIT
"$SHADOWTAP" db push -q "$tmp/lite.db" -d "postgresql:///${dbname}_push" ||
    { echo "FAIL: db push"; exit 1; }
for fmt in text markdown html json csv; do
	for d in "$tmp/lite.db" "$db" "postgresql:///${dbname}_push"; do
		"$SHADOWTAP" summary -R "$rules" -d "$d" --format "$fmt" \
		    -o "$tmp/out" || { echo "FAIL: summary -d $d"; exit 1; }
		mv "$tmp/out" "$tmp/$fmt.${d##*/}"
	done
	same "$tmp/$fmt.lite.db" "$tmp/$fmt.$dbname" "$fmt summaries (forwarded)"
	same "$tmp/$fmt.lite.db" "$tmp/$fmt.${dbname}_push" \
	    "$fmt summaries (pushed)"
done
for fmt in jsonl csv; do
	"$SHADOWTAP" db export --format "$fmt" -d "$tmp/lite.db" \
	    >"$tmp/e1" && "$SHADOWTAP" db export --format "$fmt" -d "$db" \
	    >"$tmp/e2" || { echo "FAIL: db export"; exit 1; }
	same "$tmp/e1" "$tmp/e2" "$fmt exports"
done
rows=$(pgsql 'SELECT count(*) FROM findings')
[ "$rows" -gt 0 ] || { echo "FAIL: no findings in PostgreSQL"; exit 1; }
echo "identity: $n captures, $rows finding rows; 5 formats and 2 exports identical"
