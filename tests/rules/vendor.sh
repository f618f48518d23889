#!/bin/sh
# SPDX-License-Identifier: ISC
#
# vendor.sh: a protocol signature says "a VPN", a server address listed by
# a service of the same category says whose (classify() in cmd_capture.c).
# Runs the corpus's WireGuard capture (a real handshake to 139.162.192.157)
# with the catalog plus one test service listing that address:
#   - none:             personal-vpn, by the wireguard signature
#   - vpn-proxy:        the test service, evidence "ip"
#   - another category: personal-vpn still (a CDN's or a suite's address
#                       does not outrank the protocol)
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"
: "${SHARED_DIR:?SHARED_DIR is not set}"

pcap=$SHARED_DIR/corpus/ndpi/wireguard.pcap
if [ ! -f "$pcap" ]; then
	echo "SKIP: vendor.sh: needs the capture corpus" \
	    "($SHARED_DIR/corpus/ndpi; tests/get-corpus.sh DIR, SHARED_DIR=DIR)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-vendor.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# check CATEGORY|- EXPECTED_SERVICE EXPECTED_EVIDENCE
check() {
	rm -rf "$tmp/rules"
	mkdir "$tmp/rules" && cp "$top_srcdir"/rules/*.rules "$tmp/rules/" ||
	    exit 99
	if [ "$1" != - ]; then
		printf 'service test-vendor {\n\tname "Test vendor"\n\tcategory %s\n\trisk high\n\tips 139.162.192.157\n}\n' \
		    "$1" > "$tmp/rules/zz-test.rules"
	fi
	rm -f "$tmp/ev.jsonl"
	"$SHADOWTAP" capture --no-db -q --deterministic -R "$tmp/rules" \
	    -P "$top_srcdir/rules/policy.example" --events "$tmp/ev.jsonl" \
	    -r "$pcap" || { echo "FAIL: $1: capture failed"; exit 1; }
	got=$(grep '"dst_ip":"139.162.192.157"' "$tmp/ev.jsonl" |
	    sed -n 's/.*"service":"\([^"]*\)".*"signature":"\([^"]*\)","evidence":"\([^"]*\)".*/\1 \2 \3/p' |
	    sort -u)
	want="$2 wireguard $3"
	if [ "$got" = "$want" ]; then
		echo "ok: category $1: $got"
	else
		echo "FAIL: category $1: got \"$got\", want \"$want\""
		fail=$((fail + 1))
	fi
}

check - personal-vpn signature
check vpn-proxy test-vendor ip
check collaboration personal-vpn signature
echo "vendor: $((3 - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
