#!/bin/sh
# SPDX-License-Identifier: ISC
# Recommendations against the policy: corpus captures (the sample office
# morning, and corpus captures with Surfshark and NordVPN, personal
# OneDrive and Google Drive, Dropbox, WhatsApp, Teams and Tor) go into one
# database with the example policy; walkrecs checks every recommendation
# of its summary against every verdict of the policy. The summary must
# not say either sentence that once contradicted the policy.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
SHARED_DIR=${SHARED_DIR:-$top_srcdir/../shared}
corpus=$SHARED_DIR/corpus/ndpi
if [ ! -d "$corpus" ]; then
	echo "SKIP: no corpus at $corpus"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
rules=$top_srcdir/rules
# The captures are years apart, each a few seconds: by the default "use"
# thresholds none of it is sustained use and nothing would be recommended
# about a tool. Every contact counts here, so there is something to walk.
cp "$top_srcdir/rules/policy.example" "$tmp/policy.example" || exit 99
echo "use sustained-days 1" >>"$tmp/policy.example"
policy=$tmp/policy.example
for p in "$top_srcdir/tests/pcap/sample.pcap" "$corpus/sites.pcapng" \
    "$corpus/teams.pcap" "$corpus/dropbox.pcap" \
    "$corpus/whatsapp_login_call.pcap" "$corpus/tor.pcap"; do
	"$SHADOWTAP" capture -q --deterministic -R "$rules" -P "$policy" \
	    -d "$tmp/five.db" -r "$p" || { echo "FAIL: capture $p"; exit 1; }
done
"$top_builddir/tests/report/walkrecs" "$tmp/five.db" "$rules" "$policy" ||
	exit 1
"$SHADOWTAP" summary -d "$tmp/five.db" -R "$rules" -P "$policy" \
    >"$tmp/five.txt" || { echo "FAIL: summary"; exit 1; }
if grep -n -e 'Sanction one vpn-proxy' -e '(personal), the sanctioned' \
    "$tmp/five.txt"; then
	echo "FAIL: a sentence against the policy"
	exit 1
fi
grep -q 'Ask why .* personal VPN' "$tmp/five.txt" ||
	{ echo "FAIL: no VPN recommendation"; exit 1; }
# The first page: the actions, then what the report was judged by.
SOURCE_DATE_EPOCH=1767225600 "$SHADOWTAP" summary -d "$tmp/five.db" \
    -R "$rules" -P "$policy" --org "Example Ltd" --author "J. Doe" \
    >"$tmp/first.txt" || { echo "FAIL: summary --org"; exit 1; }
h=$(sha256sum "$policy" | cut -c1-12)
tr '\n' ' ' <"$tmp/first.txt" | grep -q "WHAT TO DO FIRST  *1\. .* 3\. .*Judged by the policy policy.example (sha256 $h) and the catalog ([0-9]* services in [0-9]* files, sha256 [0-9a-f]\{12\}); traffic from the sensor [^;]*([^;]*dropbox\.pcap[^;]* more); generated 2026-01-01T00:00:00Z for Example Ltd by J. Doe\. *UNSANCTIONED" ||
	{ echo "FAIL: no decision page and basis"; head -30 "$tmp/first.txt"; exit 1; }
SOURCE_DATE_EPOCH=1767225600 "$SHADOWTAP" summary -d "$tmp/five.db" \
    -R "$rules" -P "$policy" --org "Example Ltd" --format json |
    grep -q "\"basis\":{\"policy\":\"policy.example\",\"policy_sha256\":\"$h\"" ||
	{ echo "FAIL: JSON basis"; exit 1; }
# The synthetic database (bench/gendb) too.
"$top_builddir/bench/gendb" -q -o "$tmp/synthetic.db" --devices 20 \
    --rules "$rules" --policy "$policy" --days 14 --seed 7 ||
	{ echo "FAIL: gendb"; exit 1; }
"$top_builddir/tests/report/walkrecs" "$tmp/synthetic.db" "$rules" \
    "$policy" || exit 1
