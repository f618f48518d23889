#!/bin/sh
# SPDX-License-Identifier: ISC
# QUIC after Version Negotiation (issue 16, item 8): in tests/pcap/quic-vn.pcap
# (made by tests/pcap/gen-quic-vn.py) the client's first Initial is in a
# version shadowtap cannot read (flow 1) or one it can but that the client
# abandons half-way (flow 2); the server answers with Version Negotiation
# and the client retries in version 1 with its ClientHello in two Initials,
# CRYPTO frames out of order. Both flows must carry the retried Initial's
# server name and JA4.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/quic-vn.pcap" || exit 1
python3 - "$tmp/ev.jsonl" <<'PY'
import json, sys
want = {40001: "retry.example.org", 40002: "retry.example.org"}
got = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type", "flow") == "flow":
        got[o["src_port"]] = o
bad = 0
for port, sni in want.items():
    o = got.get(port)
    if o is None or o["sni"] != sni or not o["ja4"] or \
            not o["ja4"].startswith("q13d") or o["quic_version"] != "V-1":
        print("FAIL: flow from port %d: %s" % (port, o and
              {k: o[k] for k in ("sni", "ja4", "quic_version")}))
        bad = 1
sys.exit(bad)
PY
