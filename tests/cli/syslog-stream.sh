#!/bin/sh
# SPDX-License-Identifier: ISC
# capture --syslog over UDP, TCP and TLS against receivers on 127.0.0.1,
# with a receiver restart and a full queue (tests/cli/syslog_stream.py).
# Needs python3 and the openssl command (for a self-signed certificate).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
for tool in python3 openssl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "syslog-stream.sh: SKIP: no $tool (apt-get install $tool)" >&2
		exit 77
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-syslog.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
python3 "$top_srcdir/tests/cli/syslog_stream.py" "$SHADOWTAP" \
    "$top_srcdir" "$work"
