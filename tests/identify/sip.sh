#!/bin/sh
# SPDX-License-Identifier: ISC
# SIP on port 5060 (issue 16, item 1), in tests/pcap/sip.pcap (made by
# tests/pcap/gen-sip.py): a request-URI in a catalogued domain names the
# service (40301, Webex, evidence "sip"); other domains (40302 over UDP
# after a digest log-in, 40303 over TCP split in two segments) and an
# address (40304) leave the flow generic SIP VoIP (sip-voip). The
# User-Agent is kept; the digest user name and response never appear.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/sip.pcap" ||
    exit 1
if grep -q 'carol\|0123456789abcdef' "$tmp/ev.jsonl"; then
	echo "FAIL: the SIP digest log-in reached the events"
	exit 1
fi
python3 - "$tmp/ev.jsonl" "$top_srcdir/tests/identify" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import flowcheck
chk = flowcheck.Check(sys.argv[1], ("service", "evidence", "sip_domain", "signature", "http_user_agent"))
chk.want(40301, lambda o: o.get("service") == "webex" and
         o.get("evidence") == "sip" and o.get("sip_domain") == "acme.webex.com"
     and o.get("http_user_agent") == "Cisco-CP8865/14.2",
         "INVITE to a catalogued domain")
chk.want(40302, lambda o: o.get("service") == "sip-voip" and
         o.get("sip_domain") == "sip.provider.example" and
         o.get("signature") == "sip" and
         o.get("http_user_agent") == "Linphone/5.2.0 (belle-sip/5.2.0)",
         "REGISTER to an uncatalogued provider")
chk.want(40303, lambda o: o.get("service") == "sip-voip" and
         o.get("sip_domain") == "voip.example.net" and
         o.get("http_user_agent") == "MicroSIP/3.21.3", "INVITE over TCP")
chk.want(40304, lambda o: o.get("service") == "sip-voip" and
         o.get("sip_domain") is None and o.get("signature") == "sip",
         "OPTIONS to an address")
chk.done()
PY
