#!/bin/sh
# SPDX-License-Identifier: ISC
# Clients that start over (issue 16, item 8), in tests/pcap/retry.pcap (made
# by tests/pcap/gen-retry.py):
# - QUIC after Version Negotiation: the first Initial is in a version
#   shadowtap cannot read (port 40001) or one it can but that the client
#   abandons half-way (40002); the retried v1 Initials, CRYPTO frames out
#   of order, must name the flow and give its JA4.
# - TLS 1.3 after a HelloRetryRequest, over QUIC (40003) and TCP (40004):
#   ja4 stays the first ClientHello's, ja4_retry is the second one's, and
#   the two differ as the hellos do (one cipher less: JA4 part b).
# - An ordinary ServerHello (40005): no ja4_retry.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/retry.pcap" || exit 1
python3 - "$tmp/ev.jsonl" <<'PY'
import json, sys
got = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type", "flow") == "flow":
        got[o["src_port"]] = o
bad = []
def want(port, cond, what):
    o = got.get(port)
    if o is None or not cond(o):
        bad.append("flow from port %d: %s: %s" % (port, what, o and
                   {k: o.get(k) for k in ("sni", "ja4", "ja4_retry",
                                          "quic_version")}))
for port in (40001, 40002):
    want(port, lambda o: o["sni"] == "retry.example.org" and
         o["quic_version"] == "V-1" and o["ja4"].startswith("q13d0308h3_"),
         "retried Initial not read")
    want(port, lambda o: "ja4_retry" not in o, "no retry expected")
for port, t in ((40003, "q"), (40004, "t")):
    want(port, lambda o: o["sni"] == "hrr.example.net", "name")
    want(port, lambda o: o["ja4"].startswith(t + "13d0308h3_") and
         o.get("ja4_retry", "").startswith(t + "13d0208h3_") and
         o["ja4"].split("_")[1] != o["ja4_retry"].split("_")[1],
         "JA4 of both ClientHellos")
want(40005, lambda o: o["sni"] == "hrr.example.net" and
     o["ja4"].startswith("t13d0308h3_") and "ja4_retry" not in o,
     "one ClientHello, one JA4")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
