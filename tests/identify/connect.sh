#!/bin/sh
# SPDX-License-Identifier: ISC
# TLS inside an HTTP CONNECT tunnel (issue 16, items 3 and 8), in
# tests/pcap/connect.pcap (made by tests/pcap/gen-connect.py): the
# ClientHello after the CONNECT request gives the flow its ALPN and JA4,
# the name stays the CONNECT target when the SNI is the same and the
# signature stays http-connect (40101); a tunnel with SSH inside keeps
# the CONNECT target (40102); an SNI other than the target names the
# flow (40103).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/connect.pcap" ||
    exit 1
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
        bad.append("flow from port %d: %s: %s" % (port, what, o and {
            k: o.get(k) for k in ("sni", "http_host", "alpn", "ja4",
                                  "signature", "http_user_agent")}))
want(40101, lambda o: o["http_host"] == "www.example.org" and
     o["sni"] is None and
     o["alpn"] == "h2" and o["signature"] == "http-connect" and
     (o["ja4"] or "").startswith("t13d0306h2_") and
     o["http_user_agent"] == "curl/8.5.0", "the TLS inside the tunnel")
want(40102, lambda o: o["http_host"] == "ssh.example.net" and
     o["sni"] is None and o["ja4"] is None and
     o["signature"] == "http-connect", "SSH inside: the CONNECT target")
want(40103, lambda o: o["sni"] == "front.example.com" and
     o["http_host"] is None and o["alpn"] == "h2" and
     o["signature"] == "http-connect", "a front inside the tunnel")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
