#!/bin/sh
# SPDX-License-Identifier: ISC
# Eight sensors (eight corpus captures, eight --sensor names) write to one
# PostgreSQL at the same time while summaries of it run: no run and no
# summary fails, and the result is exactly the eight sensors' SQLite files
# merged (summary -d s1.db ... -d s8.db), byte for byte, as is each
# sensor's own summary (--sensor). OUTAGE=1 (outage.sh) stops the server
# while the runs are half-way through their captures and starts it again
# 20 s later, and lets them finish once it is back.
set -u
. "$top_srcdir/tests/pg/lib.sh"
[ "${OUTAGE:-0}" = 1 ] && name=outage
corpus=${SHARED_DIR:-}/corpus/ndpi
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	echo "SKIP: $name: needs the capture corpus ($corpus)"
	exit 77
fi
caps="opera-vpn.pcapng netflix.pcap teams.pcap wechat.pcap webex.pcap
KakaoTalk_talk.pcap vnc.pcap 443-firefox.pcap"
outage=${OUTAGE:-0}
if [ "$outage" = 1 ]; then
	cluster=$(pg_lsclusters -h 2>/dev/null |
	    awk -v p="${PGPORT:-5432}" '$3 == p { print $1, $2; exit }')
	if [ -z "$cluster" ] || ! command -v pg_ctlcluster >/dev/null; then
		echo "SKIP: $name: cannot find the cluster of port ${PGPORT:-}" \
		    "to stop it (pg_lsclusters)"
		exit 77
	fi
fi
# Each run reads its capture from a pipe, in thirds: the second one once
# $tmp/go exists (OUTAGE: once the server is down), the last one once
# $tmp/back does (OUTAGE: once it has come back).
feed() {
	size=$(wc -c <"$1")
	third=$((size / 3))
	head -c "$third" "$1"
	while [ ! -f "$tmp/go" ]; do sleep 0.2; done
	tail -c +"$((third + 1))" "$1" | head -c "$third"
	while [ ! -f "$tmp/back" ]; do sleep 0.2; done
	tail -c +"$((2 * third + 1))" "$1"
}
i=0
for c in $caps; do
	i=$((i + 1))
	"$SHADOWTAP" capture -q --deterministic --sensor "s$i" -R "$rules" \
	    -r - -d "$tmp/s$i.db" <"$corpus/$c" ||
	    { echo "FAIL: capture $c into SQLite"; exit 1; }
	refs="${refs:-} -d $tmp/s$i.db"
done
i=0
for c in $caps; do
	i=$((i + 1))
	( feed "$corpus/$c" | "$SHADOWTAP" capture -q --deterministic \
	    --sensor "s$i" -R "$rules" -r - -d "$db" --spool "$tmp/sp$i.db" \
	    2>"$tmp/err$i" || echo "s$i" >>"$tmp/failed" ) &
	pids="${pids:-} $!"
done
# Summaries run while the sensors write, from the first origin on.
(
	while [ ! -f "$tmp/done" ]; do
		if [ "$(pgsql 'SELECT count(*) FROM origins' 2>/dev/null)" \
		    -gt 0 ] 2>/dev/null && [ ! -f "$tmp/down" ]; then
			"$SHADOWTAP" summary -R "$rules" -d "$db" --format json \
			    >/dev/null 2>>"$tmp/sumerr" ||
			    { [ -f "$tmp/down" ] || echo x >>"$tmp/sumfail"; }
			echo x >>"$tmp/sums"
		fi
		sleep 0.3
	done
) &
sumpid=$!
if [ "$outage" = 1 ]; then
	# Every sensor has forwarded its first half: then stop the server.
	t=0
	until [ "$(pgsql 'SELECT count(*) FROM origins o WHERE EXISTS
	    (SELECT 1 FROM runs r WHERE r.origin = o.origin)' 2>/dev/null)" \
	    = 8 ]; do
		t=$((t + 1))
		[ $t -lt 600 ] || { echo "FAIL: the sensors never forwarded"; exit 1; }
		sleep 0.2
	done
	touch "$tmp/down"
	# shellcheck disable=SC2086
	pg_ctlcluster $cluster stop -m fast || { echo "FAIL: stop"; exit 1; }
	touch "$tmp/go"
	# The middle thirds are read while the server is away: their rows
	# wait in the spools (in one at least: a third may end no flow).
	t=0
	until [ "$(for i in 1 2 3 4 5 6 7 8; do sqlite3 "$tmp/sp$i.db" \
	    'SELECT count(*) > 0 FROM pg_pending' 2>/dev/null; done |
	    grep -c 1)" -gt 0 ]; do
		t=$((t + 1))
		[ $t -lt 600 ] || { echo "FAIL: nothing waits in the spools"; exit 1; }
		sleep 0.2
	done
	sleep 20
	# shellcheck disable=SC2086
	pg_ctlcluster $cluster start || { echo "FAIL: start"; exit 1; }
	rm -f "$tmp/down"
	touch "$tmp/back"
else
	# Two summaries have read the first halves: then the rest.
	t=0
	until [ "$(cat "$tmp/sums" 2>/dev/null | wc -l)" -ge 2 ]; do
		t=$((t + 1))
		[ $t -lt 600 ] || { echo "FAIL: no summary ran"; exit 1; }
		sleep 0.2
	done
	touch "$tmp/go" "$tmp/back"
fi
# The runs end (their spools drain) before the summary loop does.
# shellcheck disable=SC2086
wait $pids
touch "$tmp/done"
wait $sumpid
if [ -f "$tmp/failed" ]; then
	echo "FAIL: runs failed: $(tr '\n' ' ' <"$tmp/failed")"
	cat "$tmp"/err*
	exit 1
fi
if [ -f "$tmp/sumfail" ]; then
	echo "FAIL: $(wc -l <"$tmp/sumfail") concurrent summaries failed:"
	head -5 "$tmp/sumerr"
	exit 1
fi
for i in 1 2 3 4 5 6 7 8; do
	left=$(sqlite3 "$tmp/sp$i.db" 'SELECT count(*) FROM pg_pending' 2>/dev/null)
	[ "${left:-0}" = 0 ] || { echo "FAIL: $left rows left in sp$i.db"; exit 1; }
done
for fmt in json text; do
	# shellcheck disable=SC2086
	"$SHADOWTAP" summary -R "$rules" $refs --format $fmt >"$tmp/a" &&
	"$SHADOWTAP" summary -R "$rules" -d "$db" --format $fmt >"$tmp/b" ||
	    { echo "FAIL: summary"; exit 1; }
	same "$tmp/a" "$tmp/b" "$fmt summaries of the eight sensors"
done
for i in 1 5 8; do
	"$SHADOWTAP" summary -R "$rules" -d "$tmp/s$i.db" --format csv >"$tmp/a" &&
	"$SHADOWTAP" summary -R "$rules" -d "$db" --sensor "s$i" --format csv \
	    >"$tmp/b" || { echo "FAIL: summary --sensor s$i"; exit 1; }
	same "$tmp/a" "$tmp/b" "summaries of sensor s$i"
done
flows=$(pgsql 'SELECT sum(flows) FROM findings')
echo "$name: 8 sensors, $flows flows in findings," \
    "$(cat "$tmp/sums" 2>/dev/null | wc -l) concurrent summaries"
