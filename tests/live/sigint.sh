#!/bin/sh
# SPDX-License-Identifier: ISC
# Ctrl-C on live input: a veth pair in a network namespace, tcpreplay,
# SIGINT to the capture's process group at random points; every run ends
# in one orderly drain with every packet it counted in the database
# (tests/live/sigint.py). Needs root, ip(8), tcpreplay and network
# namespaces; exits 77 (SKIP) with the reason otherwise.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
skip() {
	echo "SKIP: live sigint: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, capture)"
command -v python3 >/dev/null 2>&1 || skip "no python3"
command -v ip >/dev/null 2>&1 || skip "ip(8) not installed (iproute2)"
command -v tcpreplay >/dev/null 2>&1 ||
	skip "tcpreplay not installed (Debian package tcpreplay)"
command -v sysctl >/dev/null 2>&1 || skip "sysctl(8) not installed (procps)"
id nobody >/dev/null 2>&1 || skip "no user nobody"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-lsig.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/live/sigint.py" "$tmp" 20
