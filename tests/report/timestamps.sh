#!/bin/sh
# SPDX-License-Identifier: ISC
# Implausible packet times: the sample capture rewritten by Python so that
# every seventh packet is dated 1970 (as a sensor with a reset clock
# writes them). Those packets are counted in the coverage section and
# left out of the period, which stays the sample's morning. A --since
# after the last data prints both ends of the period.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
python3 - "$top_srcdir/tests/pcap/sample.pcap" "$tmp/mixed.pcap" \
    >"$tmp/nbad" <<'PY' || fail "python"
import struct
import sys

src, dst = sys.argv[1:3]
data = open(src, "rb").read()
magic = data[:4]
end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
out = bytearray(data[:24])
off, n, bad = 24, 0, 0
while off + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
    if n % 7 == 3:
        sec = 1000 + n          # 1970-01-01T00:16:40Z and on
        bad += 1
    out += struct.pack(end + "IIII", sec, frac, incl, orig)
    out += data[off + 16:off + 16 + incl]
    off += 16 + incl
    n += 1
open(dst, "wb").write(out)
print(bad)
PY
nbad=$(cat "$tmp/nbad")
[ "$nbad" -gt 0 ] || fail "no packet rewritten"
for p in "$top_srcdir/tests/pcap/sample.pcap" "$tmp/mixed.pcap"; do
	rm -f "$tmp/db"
	"$SHADOWTAP" capture -q --deterministic -R "$top_srcdir/rules" \
	    -P "$top_srcdir/rules/policy.example" -d "$tmp/db" -r "$p" ||
		fail "capture $p"
	"$SHADOWTAP" summary -d "$tmp/db" --format json >"$tmp/$(basename "$p").json" ||
		fail "summary $p"
	"$SHADOWTAP" summary -d "$tmp/db" >"$tmp/$(basename "$p").txt" ||
		fail "summary $p"
done
python3 - "$tmp/sample.pcap.json" "$tmp/mixed.pcap.json" "$nbad" <<'PY' ||
import json
import sys

clean = json.load(open(sys.argv[1]))
mixed = json.load(open(sys.argv[2]))
nbad = int(sys.argv[3])
c, m = clean["coverage"], mixed["coverage"]
assert c["bad_time"] == 0, c
assert m["bad_time"] == nbad, (m, nbad)
assert m["packets"] == c["packets"], (m, c)
for k in ("first_seen", "last_seen"):
    assert mixed["period"][k][:4] == "2026", mixed["period"]
assert m["first_packet"][:10] == "2026-01-01", m
assert m["last_packet"][:10] == "2026-01-01", m
print("ok: %d packets dated 1970 counted, period %s to %s" %
      (nbad, mixed["period"]["first_seen"], mixed["period"]["last_seen"]))
PY
	fail "coverage or period of the mixed capture"
grep -q '^SHADOW IT SUMMARY, 2026-01-01 to 2026-01-01 (UTC)$' \
    "$tmp/mixed.pcap.txt" || fail "period line: $(head -1 "$tmp/mixed.pcap.txt")"
nfmt=$(python3 -c "print('{:,}'.format($nbad))")
grep -q "^  Packets with implausible time: *$nfmt, left out of the period" \
    "$tmp/mixed.pcap.txt" || fail "no coverage line about them"
! grep -q 'implausible' "$tmp/sample.pcap.txt" ||
	fail "a clean capture has implausible times"
# A period after the last data: both ends, no blank.
"$SHADOWTAP" summary -d "$tmp/db" --since 2030-01-01 >"$tmp/late.txt" ||
	fail "summary --since"
grep -q '^SHADOW IT SUMMARY, 2030-01-01 to 2030-01-01 (UTC)$' \
    "$tmp/late.txt" || fail "late period: $(head -1 "$tmp/late.txt")"
! grep -q -e ' to  ' -e 'and \.' "$tmp/late.txt" || fail "a blank end"
echo "timestamps: ok"
