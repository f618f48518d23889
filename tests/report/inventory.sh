#!/bin/sh
# SPDX-License-Identifier: ISC
# Device identity: `db import devices` on the sample capture's database
# (round trip: names, owners, departments and asset tags reach every
# format; a second import replaces the first; the rows that match no
# device are reported; a file with a bad row imports nothing), the DHCP
# host name as the name where the inventory has none (a corpus capture),
# and --pseudonymize hiding all of it.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$tmp/s.db
"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" -d "$db" \
    -r "$top_srcdir/tests/pcap/sample.pcap" || fail capture
cat >"$tmp/inv.csv" <<'CSV'
match,name,owner,department,asset
3c:22:fb:00:00:01,Reception PC,Alice Martin,Front desk,A-001
# a subnet gives an owner to every device in it without a closer match
192.168.1.22,"Design laptop, 14""",Bob Li,Design,A-002
192.168.1.0/24,,IT pool,IT,
10.9.9.9,Old printer,,IT,A-099
AA-BB-CC-DD-EE-FF,Gone,,,
CSV
"$SHADOWTAP" db import devices "$tmp/inv.csv" -d "$db" >"$tmp/out" ||
	fail "import exit $?"
cat >"$tmp/want" <<EOF2
$tmp/inv.csv:6: 10.9.9.9/32 matches no device seen
$tmp/inv.csv:7: aa:bb:cc:dd:ee:ff matches no device seen
imported 5 devices, 2 matched no device
EOF2
diff -u "$tmp/want" "$tmp/out" || fail "unmatched rows report"
for f in text markdown html json csv; do
	"$SHADOWTAP" summary -d "$db" --format "$f" >"$tmp/r.$f" ||
		fail "summary $f"
	for w in 'Reception PC' 'Alice Martin' 'Front desk' 'Bob Li' \
	    'IT pool' 3c:22:fb:00:00:02; do
		grep -q "$w" "$tmp/r.$f" || fail "$f: no \"$w\""
	done
	# The best name is the MAC: it is not repeated in the MAC column.
	[ "$(grep -c '3c:22:fb:00:00:03' "$tmp/r.$f")" -ge 1 ] ||
		fail "$f: no MAC-named device"
	"$SHADOWTAP" summary -d "$db" --format "$f" --pseudonymize \
	    >"$tmp/p.$f" 2>/dev/null || fail "pseudonymized $f"
	for w in 'Reception PC' 'Alice Martin' 'Bob Li' 'IT pool' A-001 \
	    3c:22:fb 192.168.1.2; do
		! grep -q "$w" "$tmp/p.$f" || fail "$f --pseudonymize: \"$w\""
	done
done
grep -q '^  Reception PC  *3c:22:fb:00:00:01  192.168.1.21 ' "$tmp/r.text" ||
	fail "text: name, MAC and address of Reception PC"
grep -q '^  3c:22:fb:00:00:03  *-  *192.168.1.23 ' "$tmp/r.text" ||
	fail "text: the MAC twice"
# Re-import: the new file replaces the old one.
printf 'mac,name,owner,department,asset\n3c:22:fb:00:00:01,Front PC,Carol,,\n' \
    >"$tmp/inv2.csv"
"$SHADOWTAP" db import devices "$tmp/inv2.csv" -d "$db" >"$tmp/out" ||
	fail "re-import"
grep -q '^imported 1 device, 0 matched no device$' "$tmp/out" ||
	fail "re-import report: $(cat "$tmp/out")"
"$SHADOWTAP" summary -d "$db" >"$tmp/r2" || fail summary
grep -q 'Front PC' "$tmp/r2" || fail "re-import: no new name"
! grep -q -e 'Reception PC' -e 'Bob Li' "$tmp/r2" ||
	fail "re-import: old rows remain"
# A bad row: nothing imported, the inventory before stays.
printf 'match,name\nnot-a-mac,X\n' >"$tmp/bad.csv"
"$SHADOWTAP" db import devices "$tmp/bad.csv" -d "$db" 2>"$tmp/err" &&
	fail "bad file imported"
grep -q 'bad.csv:2: "not-a-mac" is not a MAC address' "$tmp/err" ||
	fail "bad row message: $(cat "$tmp/err")"
"$SHADOWTAP" summary -d "$db" | grep -q 'Front PC' ||
	fail "bad file changed the inventory"
# DHCP host name where the inventory has none.
corpus=$SHARED_DIR/corpus/ndpi
if [ -f "$corpus/iphone.pcap" ]; then
	"$SHADOWTAP" capture -q --deterministic -d "$tmp/i.db" \
	    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
	    -r "$corpus/iphone.pcap" || fail "capture iphone"
	for f in text markdown html json csv; do
		"$SHADOWTAP" summary -d "$tmp/i.db" --format "$f" |
		    grep -q lucas-iphone || fail "$f: no DHCP host name"
	done
else
	echo "no corpus: DHCP host name part skipped"
fi
echo "inventory: ok"
