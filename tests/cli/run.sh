#!/bin/sh
# SPDX-License-Identifier: ISC
# Bad input gets a one-line message naming the thing and a documented exit
# code (shadowtap(8): 1 runtime failure, 2 usage error or bad rules), never
# a crash. Each case: expected exit code, a string the message must hold,
# and the command.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# A capture file of an unsupported link type (LINKTYPE 147, user 0).
python3 - "$tmp/dlt147.pcap" <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 147))
    f.write(struct.pack("<IIII", 1, 0, 4, 4) + b"abcd")
PY
printf 'not a capture file at all\n' >"$tmp/junk.pcap"
printf 'service x {\n\tname "X"\n\tcategory nope\n}\n' >"$tmp/bad.rules"
printf 'garbage that is not sqlite, long enough to be read as a header....\n' \
    >"$tmp/corrupt.db"
sample=$top_srcdir/tests/pcap/sample.pcap

check() {
	want_rc=$1
	want_msg=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "FAIL: exit $rc, want $want_rc: $*"
		sed 's/^/  /' "$tmp/err" | head -5
		fail=$((fail + 1))
	elif ! grep -qF -- "$want_msg" "$tmp/err"; then
		echo "FAIL: message lacks \"$want_msg\": $*"
		sed 's/^/  /' "$tmp/err" | head -5
		fail=$((fail + 1))
	elif grep -q "Sanitizer\|runtime error\|Segmentation" "$tmp/err"; then
		echo "FAIL: crash report: $*"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

S=$SHADOWTAP
check 2 'unknown command "frobnicate"' $S frobnicate
check 2 'usage: shadowtap' $S
check 2 'exactly one of -r FILE or -i IFACE' $S capture --no-db
check 2 'exactly one of -r FILE or -i IFACE' $S capture --no-db -r "$sample" -i lo
check 2 '-c: not a positive count' $S capture --no-db -r "$sample" -c zero
check 2 '-s: snaplen' $S capture --no-db -r "$sample" -s 10
check 2 '--local-net: "10.0.0.1/8": host bits set' $S capture --no-db -r "$sample" --local-net 10.0.0.1/8
check 2 '--max-flows' $S capture --no-db -r "$sample" --max-flows 3
check 2 'unrecognized option' $S capture --no-db -r "$sample" --frob
check 2 '--log: "nowhere" is neither syslog nor stderr' $S capture --no-db -r "$sample" --log nowhere
check 1 "$tmp/missing.pcap: No such file or directory" $S capture --no-db -r "$tmp/missing.pcap"
check 1 "$tmp/junk.pcap" $S capture --no-db -r "$tmp/junk.pcap"
check 1 'unsupported link type' $S capture --no-db -r "$tmp/dlt147.pcap"
check 1 'bad filter "not a filter ("' $S capture --no-db -r "$sample" 'not a filter ('
check 1 'no-such-if0' $S capture --no-db -i no-such-if0
check 2 'unknown category "nope"' $S capture --no-db -R "$tmp/bad.rules" -r "$sample"
check 2 "$tmp/bad.rules:3:" $S rules check "$tmp/bad.rules"
check 1 "$tmp/corrupt.db" $S capture -q -r "$sample" -d "$tmp/corrupt.db"
check 1 "$tmp/corrupt.db" $S summary -d "$tmp/corrupt.db"
check 1 "$tmp/nodb.db" $S summary -d "$tmp/nodb.db"
check 2 '--since' $S summary -d "$tmp/nodb.db" --since 2026-13-45
check 2 'format' $S summary -d "$tmp/nodb.db" --format pdf
check 1 "$tmp/nodir/x.jsonl" $S capture --no-db -r "$sample" --events "$tmp/nodir/x.jsonl"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
