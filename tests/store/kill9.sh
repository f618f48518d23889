#!/bin/sh
# SPDX-License-Identifier: ISC
# kill -9 a real capture mid-run: the database must pass integrity_check
# and hold the rows committed before the kill (at most the last commit
# interval is lost).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: needs the sqlite3 shell (Debian package sqlite3)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3 (Debian package python3)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# A long capture: sample.pcap's packets repeated with shifted times and
# client addresses, fed through a FIFO at a bounded pace so the run is
# still going when it is killed, however fast shadowtap reads.
mkfifo "$tmp/big.pcap" || exit 99
python3 - "$top_srcdir/tests/pcap/sample.pcap" "$tmp/big.pcap" <<'PY' &
import struct, sys, time
src = open(sys.argv[1], 'rb').read()
hdr, off, pkts = src[:24], 24, []
end = '<' if src[:4] == b'\xd4\xc3\xb2\xa1' else '>'
while off + 16 <= len(src):
    s, us, cl, ln = struct.unpack(end + 'IIII', src[off:off + 16])
    pkts.append((s, us, src[off + 16:off + 16 + cl], ln))
    off += 16 + cl
try:
    with open(sys.argv[2], 'wb') as out:
        out.write(hdr)
        for rep in range(3000):
            buf = b''.join(struct.pack(end + 'IIII', s + rep * 60, us,
                                       len(data), ln) + data
                           for s, us, data, ln in pkts)
            out.write(buf)
            out.flush()
            time.sleep(0.02)
except BrokenPipeError:
    pass
PY
writer=$!
trap 'kill $writer 2>/dev/null; rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -r "$tmp/big.pcap" -d "$tmp/k.db" -q \
    >"$tmp/out" 2>&1 &
pid=$!
# Wait for the first commit, then a little more, then kill.
i=0
while [ $i -lt 150 ]; do
	n=$(sqlite3 "file:$tmp/k.db?mode=ro" \
	    "SELECT count(*) FROM findings" 2>/dev/null || echo 0)
	[ "${n:-0}" -gt 0 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
if ! kill -0 $pid 2>/dev/null; then
	cat "$tmp/out"
	echo "FAIL: the capture ended before it could be killed"
	exit 1
fi
before=$n
sleep 1
kill -9 $pid
wait $pid 2>/dev/null
kill $writer 2>/dev/null
ok=$(sqlite3 "$tmp/k.db" "PRAGMA integrity_check")
[ "$ok" = ok ] || { echo "FAIL: integrity_check: $ok"; exit 1; }
after=$(sqlite3 "$tmp/k.db" "SELECT count(*) FROM findings")
[ "$after" -ge "$before" ] || {
	echo "FAIL: $before rows before the kill, $after after"; exit 1; }
unfinished=$(sqlite3 "$tmp/k.db" \
    "SELECT count(*) FROM runs WHERE finished_at IS NULL")
[ "$unfinished" = 1 ] || { echo "FAIL: unfinished runs: $unfinished"; exit 1; }
# And the next capture opens it normally.
"$SHADOWTAP" capture -r "$top_srcdir/tests/pcap/sample.pcap" -d "$tmp/k.db" \
    -q || { echo "FAIL: reopen after kill -9"; exit 1; }
echo "ok: $before rows seen before kill -9, $after after, integrity ok"
