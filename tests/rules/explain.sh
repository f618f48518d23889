#!/bin/sh
# SPDX-License-Identifier: ISC
#
# explain.sh: "shadowtap rules explain" on explain.policy, each kind of
# signal and department, one flow per line with --stdin; everything it
# prints and each exit status are compared with explain.out.
: "${SHADOWTAP:?SHADOWTAP is not set}"
: "${top_srcdir:?top_srcdir is not set}"

out="${TMPDIR:-/tmp}/shadowtap-explain.$$"
trap 'rm -f "$out"' EXIT INT TERM
cd "$top_srcdir/tests/rules" || exit 99

explain() {
	echo "\$ rules explain $*"
	"$SHADOWTAP" rules explain --rules explain.policy "$@" 2>&1
	echo "exit $?"
}

{
	explain www.example.org
	explain x.cdn.example.org
	explain nothing.example.net
	explain 198.51.100.7
	explain 10.2.0.9
	explain 10.99.1.1
	explain --vlan 30 www.example.org
	explain --department Ops --signature openvpn 192.0.2.1
	explain --signature openvpn --server 203.0.113.9 --client 10.3.0.1
	explain --sni other.example.net --cert a.cdn.example.org
	explain --ja4 T13D1516H2_8DAAF6152771_E5627EFA2AB1
	explain --port 5555
	explain --port udp/5555
	explain --asn AS64496 192.0.2.55
	explain --vlan 5000 www.example.org
	explain --department Nobody www.example.org
	printf '%s\n' \
	    '--sni www.example.org --client 10.2.0.1' \
	    '--host=a.cdn.example.org' \
	    '' \
	    '--signature openvpn --server 203.0.113.1' \
	    '--port tcp/5555 --client 10.3.1.1' \
	    'nothing.example.net' \
	    '--bogus 1' \
	    'two operands' |
	    explain --stdin
} >"$out"
if ! diff -u explain.out "$out"; then
	echo "FAIL: rules explain: output differs from explain.out"
	exit 1
fi
echo "explain: 17 passed, 0 failed"
