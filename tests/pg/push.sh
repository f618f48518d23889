#!/bin/sh
# SPDX-License-Identifier: ISC
# db push of a sensor that ran offline: pushing the file twice counts it
# once; a file that grew since replaces its rows (the new run counts, the
# old ones once); a password on the command line is refused, and a
# summary of a database nobody wrote to says so.
set -u
. "$top_srcdir/tests/pg/lib.sh"
sample=$top_srcdir/tests/pcap/sample.pcap
"$SHADOWTAP" summary -R "$rules" -d "$db" >/dev/null 2>"$tmp/err" &&
    { echo "FAIL: a summary of an empty database succeeded"; exit 1; }
grep -q "no shadowtap findings" "$tmp/err" ||
    { echo "FAIL: empty database: $(cat "$tmp/err")"; exit 1; }
"$SHADOWTAP" capture -q --deterministic --sensor offline -R "$rules" \
    -r "$sample" -d "$tmp/off.db" || { echo "FAIL: capture"; exit 1; }
for i in 1 2; do
	"$SHADOWTAP" db push "$tmp/off.db" -d "$db" >"$tmp/push$i" ||
	    { echo "FAIL: db push ($i)"; exit 1; }
done
grep -q "rows pushed" "$tmp/push2" || { echo "FAIL: db push said nothing"; exit 1; }
"$SHADOWTAP" summary -R "$rules" -d "$tmp/off.db" --format json >"$tmp/a" &&
"$SHADOWTAP" summary -R "$rules" -d "$db" --format json >"$tmp/b" ||
    { echo "FAIL: summary"; exit 1; }
same "$tmp/a" "$tmp/b" "summaries after two pushes"
[ "$(pgsql 'SELECT count(*) FROM origins')" = 1 ] ||
    { echo "FAIL: one file, $(pgsql 'SELECT count(*) FROM origins') origins"; exit 1; }
n1=$(pgsql 'SELECT sum(flows) FROM findings')
[ "${n1:-0}" -gt 0 ] || { echo "FAIL: no flows pushed"; exit 1; }
# The file grows by a second run: pushing again adds that run only.
"$SHADOWTAP" capture -q --deterministic --again --sensor offline \
    -R "$rules" -r "$sample" -d "$tmp/off.db" || { echo "FAIL: capture"; exit 1; }
"$SHADOWTAP" db push -q "$tmp/off.db" -d "$db" || { echo "FAIL: db push"; exit 1; }
n2=$(pgsql 'SELECT sum(flows) FROM findings')
[ "$n2" -eq $((2 * n1)) ] ||
    { echo "FAIL: flows $n1 after one run, $n2 after two"; exit 1; }
"$SHADOWTAP" summary -R "$rules" -d "$tmp/off.db" --format csv >"$tmp/a" &&
"$SHADOWTAP" summary -R "$rules" -d "$db" --format csv >"$tmp/b" ||
    { echo "FAIL: summary"; exit 1; }
same "$tmp/a" "$tmp/b" "summaries after the file grew"
# Passwords come from ~/.pgpass or PGPASSFILE, never from -d.
for d in "postgresql://u:secret@localhost/$dbname" \
    "host=localhost password=secret dbname=$dbname"; do
	for cmd in "db push $tmp/off.db" "summary" "capture -r $sample"; do
		# shellcheck disable=SC2086
		"$SHADOWTAP" $cmd -d "$d" >/dev/null 2>"$tmp/err" &&
		    { echo "FAIL: $cmd took a password in -d"; exit 1; }
		grep -q "pgpass" "$tmp/err" ||
		    { echo "FAIL: $cmd: $(cat "$tmp/err")"; exit 1; }
	done
done
echo "push: $n1 flows once, $n2 after a second run; passwords refused"
