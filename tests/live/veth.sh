#!/bin/sh
# SPDX-License-Identifier: ISC
# Live capture without hardware: a veth pair whose capture end lives in a
# private network namespace; tcpreplay sends tests/pcap/sample.pcap at full
# speed into the other end while `shadowtap capture -i` runs as root with
# -u nobody. Asserts that the packet-parsing process (the capture process's
# child) runs with a non-zero uid, no effective capabilities and seccomp
# mode 2, that the findings reach the database and that the drop counters
# are reported. Exits 77 (SKIP) when not root, when namespaces are not
# allowed, or when tcpreplay is missing.
set -u

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${SHADOWTAP:=$top_builddir/src/shadowtap}"

skip() {
	echo "SKIP: veth: $*" >&2
	exit 77
}
fail() {
	echo "FAIL: veth: $*" >&2
	status=1
}

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, capture)"
command -v ip >/dev/null 2>&1 || skip "ip(8) not installed (iproute2)"
command -v tcpreplay >/dev/null 2>&1 ||
	skip "tcpreplay not installed (Debian package tcpreplay)"
id nobody >/dev/null 2>&1 || skip "no user nobody"

ns=shadowtap-test-$$
a=stp$$a
b=stp$$b
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-veth.XXXXXX") || exit 99
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
ip link set "$b" netns "$ns" && ip link set "$a" up &&
	ip netns exec "$ns" ip link set "$b" up &&
	ip netns exec "$ns" ip link set lo up || skip "cannot set up the veth pair"

# The store drops to nobody too: its directory must be writable by it.
chmod 0755 "$tmp"	# the store keeps the invoking user (root)
db=$tmp/findings.db
stats=$tmp/stats.json

# Rules the test edits while the capture runs (SIGHUP reload).
cp -R "$top_srcdir/rules" "$tmp/rules" && chmod -R u+w "$tmp/rules" ||
	exit 99
rm -f "$tmp/rules/policy.example"
cp "$top_srcdir/rules/policy.example" "$tmp/policy" || exit 99

ip netns exec "$ns" "$SHADOWTAP" capture -i "$b" -u nobody \
    -R "$tmp/rules" -P "$tmp/policy" \
    --stats "$stats" -d "$db" >"$tmp/capture.log" 2>&1 &
cap=$!

# Wait for the sniffer: the capture process's child, no longer root.
sniffer=
i=0
while [ $i -lt 50 ]; do
	sniffer=$(pgrep -P "$cap" | head -n 1)
	if [ -n "$sniffer" ] && [ -r "/proc/$sniffer/status" ] &&
	    awk '/^Seccomp:/ { exit !($2 == 2) }' "/proc/$sniffer/status"; then
		break
	fi
	kill -0 "$cap" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$sniffer" ]; then
	cat "$tmp/capture.log" >&2
	fail "no sniffer process under capture pid $cap (privsep not active?)"
	exit 1
fi

# The replay, then a moment for the last packets to be read.
tcpreplay -q --topspeed -i "$a" "$top_srcdir/tests/pcap/sample.pcap" \
    >"$tmp/tcpreplay.log" 2>&1 || {
	cat "$tmp/tcpreplay.log" >&2
	fail "tcpreplay failed"
}

# What the kernel says about the packet-parsing process, while it runs.
st=/proc/$sniffer/status
if [ -r "$st" ]; then
	uid=$(awk '/^Uid:/ { print $3 }' "$st")	# effective uid
	capeff=$(awk '/^CapEff:/ { print $2 }' "$st")
	capprm=$(awk '/^CapPrm:/ { print $2 }' "$st")
	seccomp=$(awk '/^Seccomp:/ { print $2 }' "$st")
	nnp=$(awk '/^NoNewPrivs:/ { print $2 }' "$st")
	echo "sniffer $sniffer: uid=$uid CapEff=$capeff CapPrm=$capprm" \
	    "Seccomp=$seccomp NoNewPrivs=$nnp"
	[ "$uid" != 0 ] || fail "sniffer runs as uid 0"
	[ "$uid" = "$(id -u nobody)" ] || fail "sniffer uid $uid is not nobody's"
	[ "$capeff" = 0000000000000000 ] || fail "sniffer CapEff=$capeff"
	[ "$capprm" = 0000000000000000 ] || fail "sniffer CapPrm=$capprm"
	[ "$seccomp" = 2 ] || fail "sniffer Seccomp=$seccomp, expected 2"
	[ "$nnp" = 1 ] || fail "sniffer NoNewPrivs=$nnp"
	root=$(readlink "/proc/$sniffer/root")
	[ "$root" != / ] || fail "sniffer is not chrooted"
else
	fail "sniffer $sniffer exited before it could be inspected"
fi

# SIGHUP while capturing: the store reads and checks the rules, the
# sandboxed sniffer (which cannot open files) gets their bytes and swaps.
# A service for a name sample.pcap has but the catalog lacks, then a replay:
# the new flows must be named by it.
waitlog() {	# PATTERN: wait up to 10 s for a line of the capture log
	j=0
	while [ $j -lt 100 ]; do
		grep -q "$1" "$tmp/capture.log" && return 0
		sleep 0.1
		j=$((j + 1))
	done
	return 1
}
cat >"$tmp/rules/zz-local.rules" <<'EOF'
service example-vendor {
	name "Example Vendor updates"
	category file-sharing
	risk high
	domains example-vendor.net
}
EOF
kill -HUP "$cap"
waitlog 'sniffer\]: reload: [0-9]* services' ||
	fail "the sniffer did not take the reloaded rules"
tcpreplay -q --topspeed -i "$a" "$top_srcdir/tests/pcap/sample.pcap" \
    >>"$tmp/tcpreplay.log" 2>&1 || fail "second tcpreplay failed"

# A broken file: the errors are logged with file:line:col, the rules in
# use stay, the capture goes on.
printf 'service broken {\n\tcategroy file-sharing\n}\n' \
    >"$tmp/rules/zz-broken.rules"
kill -HUP "$cap"
waitlog 'keeping the rules in use' ||
	fail "a broken reload did not say it kept the rules"
grep -q "zz-broken.rules:2:2: error" "$tmp/capture.log" ||
	fail "no file:line:col error for the broken rule file"
kill -0 "$cap" 2>/dev/null || fail "capture died on a broken reload"

sleep 1
kill -TERM "$cap"
wait "$cap"
rc=$?
cap=
if [ $rc -ne 0 ]; then
	cat "$tmp/capture.log" >&2
	fail "capture exited $rc after SIGTERM"
fi
grep -q 'sandbox: user=nobody' "$tmp/capture.log" ||
	echo "note: no 'sandbox: user=nobody' line (-q hides it?)" >&2

# Drops are reported, whatever their number.
if [ -s "$stats" ]; then
	grep -q '"kernel_drops":[0-9]' "$stats" ||
		fail "no kernel_drops in $stats"
	grep -q '"if_drops":[0-9]' "$stats" || fail "no if_drops in $stats"
	grep -q '"rule_reloads":1[,}]' "$stats" ||
		fail "rule_reloads is not 1 in $stats"
	pk=$(sed -n 's/.*"packets":\([0-9]*\).*/\1/p' "$stats")
	[ "${pk:-0}" -gt 0 ] || fail "no packets counted"
	echo "stats: $(head -c 200 "$stats")"
else
	fail "no --stats file written"
fi

# The findings of sample.pcap (see tests/pcap/gen-sample.py).
if "$SHADOWTAP" summary -d "$db" --format json >"$tmp/summary.json" \
    2>"$tmp/summary.err"; then
	for svc in dropbox wetransfer example-vendor; do
		grep -q "\"$svc\"" "$tmp/summary.json" ||
			fail "summary does not list $svc"
	done
else
	cat "$tmp/summary.err" >&2
	fail "summary failed"
fi

[ $status -eq 0 ] && echo "PASS: veth: live capture, sandboxed sniffer"
exit $status
