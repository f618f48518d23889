#!/bin/sh
# SPDX-License-Identifier: ISC
# --workers: the same replay captured by one parser and by two (a
# PACKET_FANOUT group hashing by flow) must give the same findings. A veth
# pair whose capture end lives in a private network namespace; tcpreplay
# sends bench/gen's mix (small enough to fit in the kernel ring whatever
# the parsers' speed, so that nothing is dropped) and tests/pcap/sample.pcap.
# Compares, per device and service, the flows and bytes recorded, the
# unclassified names, the run's packet total and its health rows, and
# checks that both parsers of the second run are sandboxed and got packets.
# Exits 77 (SKIP) when not root, when namespaces are not allowed, or when
# tcpreplay or python3 is missing.
set -u

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${SHADOWTAP:=$top_builddir/src/shadowtap}"
: "${GEN:=$top_builddir/bench/gen}"

skip() {
	echo "SKIP: workers: $*" >&2
	exit 77
}
fail() {
	echo "FAIL: workers: $*" >&2
	status=1
}

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, capture)"
command -v ip >/dev/null 2>&1 || skip "ip(8) not installed (iproute2)"
command -v tcpreplay >/dev/null 2>&1 ||
	skip "tcpreplay not installed (Debian package tcpreplay)"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
id nobody >/dev/null 2>&1 || skip "no user nobody"
[ -x "$GEN" ] || skip "$GEN not built"

ns=shadowtap-wk-$$
a=stw$$a
b=stw$$b
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-workers.XXXXXX") || exit 99
cap=
status=0
cleanup() {
	[ -n "$cap" ] && kill -KILL "$cap" 2>/dev/null
	ip link del "$a" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

ip netns add "$ns" 2>/dev/null ||
	skip "ip netns add failed (no CAP_SYS_ADMIN or namespaces disabled)"
ip link add "$a" type veth peer name "$b" 2>/dev/null ||
	skip "cannot create a veth pair"
ip link set "$a" mtu 9000 && ip link set "$b" mtu 9000 &&
	ip link set "$b" netns "$ns" && ip link set "$a" up &&
	ip netns exec "$ns" ip link set "$b" up ||
	skip "cannot set up the veth pair"
# Nothing but the replay on the wire: no IPv6 solicitations.
sysctl -qw "net.ipv6.conf.$a.disable_ipv6=1" 2>/dev/null
ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$b.disable_ipv6=1" 2>/dev/null
chmod 0755 "$tmp"

# 20,000 packets, about 19 MB: within one worker's 64 MiB ring. Live,
# packets carry the kernel's times, so a replay's identical resends are
# dropped as a double mirror's copies or not by how fast they come:
# --no-dedup keeps the counts independent of timing.
"$GEN" -n 20000 -s 7 -o "$tmp/mix.pcap" 2>/dev/null || exit 99
sent=0

# capture N: one run with --workers N into $tmp/wN.db.
capture() {
	n=$1
	ip netns exec "$ns" "$SHADOWTAP" capture -i "$b" -u nobody -B 64 \
	    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
	    --no-dedup --workers "$n" --stats "$tmp/w$n.stats" -d "$tmp/w$n.db" \
	    >"$tmp/w$n.log" 2>&1 &
	cap=$!
	# Every parser up and sandboxed before the first packet.
	i=0
	while [ $i -lt 100 ]; do
		[ "$(grep -c 'sandbox: user=nobody' "$tmp/w$n.log")" -ge "$n" ] &&
			break
		kill -0 "$cap" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$n" -gt 1 ]; then
		k=0
		for pid in $(pgrep -P "$cap"); do
			st=/proc/$pid/status
			awk '/^Seccomp:/ { exit !($2 == 2) }' "$st" &&
			    awk '/^Uid:/ { exit ($3 == 0) }' "$st" &&
			    [ "$(readlink "/proc/$pid/root")" != / ] &&
			    k=$((k + 1))
		done
		[ $k -eq "$n" ] ||
			fail "$k of $n workers are sandboxed (seccomp, uid, chroot)"
	fi
	sent=0
	for f in "$tmp/mix.pcap" "$top_srcdir/tests/pcap/sample.pcap"; do
		out=$(tcpreplay --pps=20000 -i "$a" "$f" 2>&1) ||
			{ echo "$out" >&2; fail "tcpreplay failed"; }
		p=$(echo "$out" |
		    sed -n 's/.*Successful packets: *\([0-9]*\).*/\1/p')
		sent=$((sent + ${p:-0}))
	done
	# Until every packet sent is counted (the last block is handed
	# over after 250 ms), at most 20 s.
	j=0
	while [ $j -lt 100 ]; do
		sleep 0.2
		kill -USR1 "$cap" 2>/dev/null || break
		sleep 0.1
		got=$(cat "$tmp/w$n.stats"* 2>/dev/null |
		    sed -n 's/.*"packets":\([0-9]*\).*/\1/p' |
		    awk '{ s += $1 } END { print s + 0 }')
		[ "$got" -ge "$sent" ] && break
		j=$((j + 1))
	done
	kill -TERM "$cap" 2>/dev/null
	wait "$cap"
	rc=$?
	cap=
	if [ $rc -ne 0 ]; then
		cat "$tmp/w$n.log" >&2
		fail "--workers $n: exit $rc"
		exit 1
	fi
}

capture 1
capture 2
[ -s "$tmp/w2.stats.1" ] && [ -s "$tmp/w2.stats.2" ] ||
	fail "--workers 2 did not write --stats FILE.1 and FILE.2"

python3 - "$tmp/w1.db" "$tmp/w2.db" "$sent" <<'EOF' || status=1
import sqlite3, sys

def facts(path):
    db = sqlite3.connect(path)
    q = lambda s: sorted(db.execute(s).fetchall())
    run = db.execute("SELECT packets, kernel_drops FROM runs").fetchall()
    return {
        "findings": q("SELECT device, service, verdict, sum(flows),"
                      " sum(bytes_up), sum(bytes_down) FROM findings"
                      " GROUP BY device, service, verdict"),
        "unclassified": q("SELECT device, name, sum(flows) FROM unclassified"
                          " GROUP BY device, name"),
        "run": run,
        "health_packets": db.execute("SELECT sum(packets), sum(drops)"
                                     " FROM health").fetchall(),
    }, db.execute("SELECT count(*) FROM findings").fetchone()[0]

one, n1 = facts(sys.argv[1])
two, n2 = facts(sys.argv[2])
sent = int(sys.argv[3])
ok = True
if one["run"][0][1] or two["run"][0][1]:
    print("FAIL: workers: kernel drops %s / %s: the comparison means nothing"
          % (one["run"][0][1], two["run"][0][1]))
    ok = False
if one["run"][0][0] != sent or two["run"][0][0] != sent:
    print("FAIL: workers: packets %s (1 worker), %s (2), %d sent"
          % (one["run"][0][0], two["run"][0][0], sent))
    ok = False
if not one["findings"]:
    print("FAIL: workers: no findings at all")
    ok = False
for k in one:
    if one[k] != two[k]:
        a, b = set(one[k]), set(two[k])
        print("FAIL: workers: %s differ: %d only with 1 worker, %d only "
              "with 2; e.g. %s / %s" % (k, len(a - b), len(b - a),
              sorted(a - b)[:2], sorted(b - a)[:2]))
        ok = False
print("workers: %d packets, %d device x service totals, %d unclassified"
      % (sent, len(one["findings"]), len(one["unclassified"])))
sys.exit(0 if ok else 1)
EOF

# Both workers had a share (the hash spread the flows).
for k in 1 2; do
	p=$(sed -n 's/.*"packets":\([0-9]*\).*/\1/p' "$tmp/w2.stats.$k")
	[ "${p:-0}" -gt 0 ] || fail "worker $k saw no packets"
	echo "worker $k: ${p:-0} packets"
done

# A worker that dies ends the run for all, which is marked failed and
# names it; what the workers sent before stays.
ip netns exec "$ns" "$SHADOWTAP" capture -i "$b" -u nobody \
    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
    --workers 2 -d "$tmp/w3.db" >"$tmp/kill.log" 2>&1 &
cap=$!
i=0
while [ $i -lt 100 ] &&
    [ "$(grep -c 'sandbox: user=nobody' "$tmp/kill.log")" -lt 2 ]; do
	kill -0 "$cap" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
victim=$(pgrep -P "$cap" | tail -n 1)
if [ -n "$victim" ]; then
	kill -KILL "$victim"
	i=0
	while [ $i -lt 100 ] && kill -0 "$cap" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$cap" 2>/dev/null; then
		fail "the run went on after a worker was killed"
		kill -TERM "$cap"
	fi
	wait "$cap"
	rc=$?
	cap=
	[ $rc -eq 1 ] || fail "exit $rc after a worker was killed, want 1"
	grep -q 'worker [12]: the parser was killed by SIGKILL' "$tmp/kill.log" ||
		{ cat "$tmp/kill.log" >&2; fail "the killed worker is not named"; }
	st=$(python3 -c 'import sqlite3, sys
print(*sqlite3.connect(sys.argv[1]).execute("SELECT status, status_reason"
    " FROM runs").fetchone(), sep=": ")' "$tmp/w3.db")
	case $st in
	"failed: worker "*) ;;
	*) fail "the run is recorded as \"$st\", not failed by a worker" ;;
	esac
else
	fail "no worker process to kill"
fi

[ $status -eq 0 ] && echo "PASS: workers: --workers 2 finds what 1 does"
exit $status
