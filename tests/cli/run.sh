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
check 2 '"not a filter (" is not a BPF filter' $S capture --no-db -r "$sample" 'not a filter ('
check 1 'no-such-if0' $S capture --no-db -i no-such-if0
check 2 'unknown category "nope"' $S capture --no-db -R "$tmp/bad.rules" -r "$sample"
check 2 "$tmp/bad.rules:3:" $S rules check "$tmp/bad.rules"
check 1 "$tmp/corrupt.db" $S capture -q -r "$sample" -d "$tmp/corrupt.db"
check 1 "$tmp/corrupt.db" $S summary -d "$tmp/corrupt.db"
check 1 "$tmp/nodb.db" $S summary -d "$tmp/nodb.db"
check 2 '--since' $S summary -d "$tmp/nodb.db" --since 2026-13-45
check 2 'format' $S summary -d "$tmp/nodb.db" --format pdf
check 1 "$tmp/nodir/x.jsonl" $S capture --no-db -r "$sample" --events "$tmp/nodir/x.jsonl"
check 1 "cannot create the database $tmp/nodir/x.db: directory $tmp/nodir does not exist" $S capture -q -r "$sample" -d "$tmp/nodir/x.db"


# Options after the filter, or a second file, are not taken for a filter.
check 2 "\"b -d $tmp/x.db\" is not a BPF filter" $S capture -q -r "$sample" b -d "$tmp/x.db"
[ ! -e "$tmp/x.db" ] || { echo "FAIL: a rejected filter wrote $tmp/x.db"; fail=$((fail + 1)); }
# One capture file per run: a second -r is an error, not silently ignored.
check 2 '-r given twice' $S capture --no-db -r "$sample" -r "$tmp/junk.pcap"
check 2 '-i given twice' $S capture --no-db -i lo -i lo

# A usage error is one line naming the fault, then where help is; exit 2.
usage() {
	want_try=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 2 ] ||
	    [ "$(tail -1 "$tmp/err")" != "try 'shadowtap $want_try --help'" ]; then
		echo "FAIL: usage error: exit $rc, want 2, one line and the hint: $*"
		sed 's/^/  /' "$tmp/err" | head -5
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
usage capture $S capture --no-db -r "$sample" --frob
usage capture $S capture --no-db -r "$sample" -c zero
usage capture $S capture --no-db
usage capture $S capture --no-db -r "$sample" 'port'
usage capture $S capture --no-db -r "$sample" -r "$sample"
usage capture $S capture -r "$sample" --workers 2
check 2 'a capture file is read by one parser' \
    $S capture -r "$sample" --workers 2
usage capture $S capture -i lo --no-db --workers 2
usage capture $S capture -i lo --workers 0
usage capture $S capture -i lo --workers 2 --events -
usage summary $S summary --frob
usage summary $S summary -d "$tmp/nodb.db" --since yesterday
usage summary $S summary -d "$tmp/nodb.db" extra
usage 'db prune' $S db prune
usage 'db prune' $S db prune --keep 3 extra
usage 'db export' $S db export --format xml
usage db $S db frob
usage 'rules list' $S rules list --frob
usage 'rules check' $S rules check --frob
usage 'rules match' $S rules match
usage 'rules explain' $S rules explain --frob x

# A bad date says which forms are accepted.
check 2 '"2026-13-45" is not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS' \
    $S summary -d "$tmp/nodb.db" --until 2026-13-45
check 2 'is not a date; use YYYY-MM-DD' $S db export -d "$tmp/nodb.db" --since 1.1.2026

# The same capture file twice into one database is refused before it is
# read, also under another name; --again reads it anyway; another file is
# read. The run count shows what was recorded.
ok() {
	if ! "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; then
		echo "FAIL: exit $?, want 0: $*"
		sed 's/^/  /' "$tmp/err" | head -5
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
runs() {
	"$S" summary -d "$tmp/dup.db" 2>/dev/null |
	    sed -n 's/^ *Capture runs: *\([0-9]*\).*/\1/p'
}
cp "$sample" "$tmp/copy.pcap"
python3 - "$tmp/other.pcap" <<'PY'
import struct, sys
udp = struct.pack(">HHHH", 40000, 53, 8, 0)
ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 17, 0,
                 bytes([192, 168, 1, 9]), bytes([192, 168, 1, 1]))
eth = bytes(6) + bytes([2, 0, 0, 0, 0, 9]) + b"\x08\x00"
pkt = eth + ip + udp
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 1767225600, 0, len(pkt), len(pkt)) + pkt)
PY
ok $S capture -q -r "$sample" -d "$tmp/dup.db"
check 1 "$sample is already recorded in $tmp/dup.db (run 1 of " $S capture -q -r "$sample" -d "$tmp/dup.db"
check 1 '--again to read it anyway' $S capture -q -r "$tmp/copy.pcap" -d "$tmp/dup.db"
[ "$(runs)" = 1 ] || { echo "FAIL: refused runs were recorded: $(runs) runs"; fail=$((fail + 1)); }
ok $S capture -q -r "$tmp/other.pcap" -d "$tmp/dup.db"
ok $S capture -q --again -r "$sample" -d "$tmp/dup.db"
[ "$(runs)" = 3 ] || { echo "FAIL: want 3 runs, have $(runs)"; fail=$((fail + 1)); }
check 1 'already recorded' $S capture -q -r "$tmp/other.pcap" -d "$tmp/dup.db"

# Rule diagnostics: the first cause first; a key on a line that did not
# parse is not reported missing as well.
printf 'service x {\n\tname "X\n\tcategory webmail\n\tdomains x.example\n}\n' \
    >"$tmp/unterminated.rules"
"$S" rules check "$tmp/unterminated.rules" >/dev/null 2>"$tmp/err"
if ! head -1 "$tmp/err" | grep -q ':2:7: error: unterminated string$' ||
    grep -q 'missing required key' "$tmp/err"; then
	echo "FAIL: rules check: the unterminated string is not the first cause:"
	sed 's/^/  /' "$tmp/err"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
