#!/bin/sh
# SPDX-License-Identifier: ISC
# SOCKS request targets (issue 16, item 3), in tests/pcap/socks.pcap
# (made by tests/pcap/gen-socks.py): a SOCKS 5 (40201) or 4a (40203)
# CONNECT to a catalogued domain is classified as that service with
# evidence "socks" and the target in "socks_target"; an unknown domain
# (40202, after an RFC 1929 log-in) or an address (40204) leaves the flow
# the SOCKS proxy's. The log-in's user name and password never appear.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/socks.pcap" ||
    exit 1
if grep -q 'hunter2\|alice' "$tmp/ev.jsonl"; then
	echo "FAIL: the SOCKS log-in reached the events"
	exit 1
fi
python3 - "$tmp/ev.jsonl" "$top_srcdir/tests/identify" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import flowcheck
chk = flowcheck.Check(sys.argv[1], ("service", "evidence", "socks_target", "signature"))
chk.want(40201, lambda o: o["service"] == "dropbox" and
         o["evidence"] == "socks" and o.get("socks_target") == "www.dropbox.com" and
         o["signature"] == "socks", "SOCKS 5 to a catalogued domain")
chk.want(40202, lambda o: o["service"] == "socks-proxy" and
         o.get("socks_target") == "unknown.example.net" and
         o["signature"] == "socks", "SOCKS 5 with a log-in, unknown domain")
chk.want(40203, lambda o: o["service"] == "dropbox" and
         o["evidence"] == "socks" and o.get("socks_target") == "www.dropbox.com",
         "SOCKS 4a to a catalogued domain")
chk.want(40204, lambda o: o["service"] == "socks-proxy" and
         o.get("socks_target") is None and o["signature"] == "socks",
         "SOCKS 5 to an address")
chk.done()
PY
