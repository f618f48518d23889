#!/bin/sh
# SPDX-License-Identifier: ISC
# capture --log syslog: both processes' messages reach the local syslog
# socket, tagged with their role, even though the sniffer is chrooted and
# may not open sockets (the connection is made before the sandbox). The
# socket is a listener of our own at /dev/log inside a private mount
# namespace (a tmpfs over /dev), so the host's logging is untouched. Exits
# 77 (SKIP) when not root or mount namespaces are not allowed.
set -u

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${SHADOWTAP:=$top_builddir/src/shadowtap}"
SHADOWTAP=$(cd "$(dirname "$SHADOWTAP")" && pwd)/$(basename "$SHADOWTAP")

skip() {
	echo "SKIP: syslog: $*" >&2
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (mount namespace)"
command -v unshare >/dev/null 2>&1 || skip "unshare(1) not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
unshare -m true 2>/dev/null || skip "mount namespaces not allowed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-syslog.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dev"
pcap=$(cd "$top_srcdir/tests/pcap" && pwd)/sample.pcap

# Inside the namespace: a fresh /dev with the nodes a run needs and our
# listener as /dev/log; it writes every datagram it gets, one per line.
cat >"$tmp/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").close()
s.settimeout(20)
with open(sys.argv[2], "w") as out:
    try:
        while True:
            out.write(s.recv(65536).decode("utf-8", "replace") + "\n")
            out.flush()
    except socket.timeout:
        pass
PY
cat >"$tmp/inner.sh" <<'SH'
set -e
tmp=$1 shadowtap=$2 pcap=$3
mount -t tmpfs -o mode=0755 none "$tmp/dev"
for n in null zero random urandom; do cp -a "/dev/$n" "$tmp/dev/"; done
python3 "$tmp/listen.py" "$tmp/dev/log" "$tmp/got" &
listener=$!
i=0
while [ ! -e "$tmp/got.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
mount --bind "$tmp/dev" /dev
set +e
"$shadowtap" capture --log syslog -r "$pcap" -d "$tmp/db" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
sleep 0.5
kill $listener 2>/dev/null
exit 0
SH
chmod 0755 "$tmp"
unshare -m sh ${SYSLOG_TEST_X:+-x} "$tmp/inner.sh" "$tmp" "$SHADOWTAP" "$pcap" ||
	skip "could not set up the namespace"

status=0
fail() {
	echo "FAIL: syslog: $*" >&2
	status=1
}
[ "$(cat "$tmp/rc" 2>/dev/null)" = 0 ] ||
	{ cat "$tmp/err" >&2; fail "capture exited $(cat "$tmp/rc")"; }
[ -s "$tmp/got" ] || fail "nothing reached the syslog socket"
# RFC 3164 as glibc writes it: <30> is facility daemon (3), level info (6).
grep -q '^<30>.*shadowtap\[[0-9]*\]: sniffer: [0-9]* packets' "$tmp/got" ||
	fail "no sniffer line with facility daemon"
grep -q 'shadowtap\[[0-9]*\]: store: findings in' "$tmp/got" ||
	fail "no store line"
grep -q 'packets' "$tmp/err" && fail "messages went to stderr too"
[ $status -eq 0 ] && echo "PASS: syslog: $(wc -l <"$tmp/got") lines, both roles"
[ $status -ne 0 ] && { echo "got:"; cat "$tmp/got"; echo "stderr:"; cat "$tmp/err"; } >&2
exit $status
