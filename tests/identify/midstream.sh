#!/bin/sh
# SPDX-License-Identifier: ISC
# Flows without their start, and call media with no name of its own
# (issue 16, items 1 and 2), in tests/pcap/midstream.pcap (made by
# tests/pcap/gen-midstream.py):
# - BitTorrent: an unanswered handshake with no SYN (41001), uTP caught
#   mid-connection (41002), a DHT answer first (41003);
# - a TURN allocation whose REALM names Signal (41004 to 3478), then RTP
#   from the client's endpoint to the relay (41004 to 50000) and from a
#   remote peer to the relayed address (41005): both named from the call,
#   evidence "stun_peer"; RTP on endpoints no STUN named (41006) is not;
# - a WhatsApp call relay's Allocate (41007 to 3478), signature
#   whatsapp-call, then plain STUN from the same endpoint to a peer: named
#   WhatsApp from it, evidence "stun_peer".
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$top_srcdir/tests/pcap/midstream.pcap" ||
    exit 1
python3 - "$tmp/ev.jsonl" <<'PY'
import json, sys
got = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type", "flow") == "flow":
        for port in (o["src_port"], o["dst_port"]):
            got.setdefault(port, []).append(o)
bad = []
def want(port, cond, what, n=1):
    flows = got.get(port, [])
    if len(flows) != n or not all(cond(o) for o in flows):
        bad.append("flows of port %d: %s: %s" % (port, what, [
            {k: o.get(k) for k in ("service", "evidence", "signature",
                                   "stun_realm", "dst_port")}
            for o in flows]))
for port in (41001, 41002, 41003):
    want(port, lambda o: o["service"] == "bittorrent" and
         o["evidence"] == "signature" and o["signature"] == "bittorrent",
         "BitTorrent mid-stream")
want(41004, lambda o: o["service"] == "signal" and
     o["stun_realm"] == "signal.org" and
     o["evidence"] == ("stun_realm" if o["dst_port"] == 3478 else
                       "stun_peer"), "the call and its media", 2)
want(41005, lambda o: o["service"] == "signal" and
     o["evidence"] == "stun_peer", "the peer's media to the relay")
want(41006, lambda o: o["service"] is None and o["evidence"] is None,
     "RTP no STUN named")
want(41007, lambda o: o["service"] == "whatsapp" and
     o["signature"] == "whatsapp-call" and
     o["evidence"] == ("signature" if o["dst_port"] == 3478 else
                       "stun_peer"), "a WhatsApp call and its ICE leg", 2)
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
