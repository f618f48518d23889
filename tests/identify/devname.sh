#!/bin/sh
# SPDX-License-Identifier: ISC
# Names devices give themselves (issue 16, item 7), in tests/pcap/
# devname.pcap (made by tests/pcap/gen-devname.py): an mDNS announcement
# sent twice (one event), a DNS-SD service name (none), a NetBIOS
# registration, an LLMNR answer, an mDNS name devname.c refuses (none),
# and a DNS-SD answer whose host name is in the additional section; EVE
# output has no device_name type and writes none.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pcap="$top_srcdir/tests/pcap/devname.pcap"
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/ev.jsonl" -r "$pcap" || exit 1
"$SHADOWTAP" capture -q --deterministic --no-db -R "$top_srcdir/rules" \
    --events "$tmp/eve.jsonl" --events-format eve -r "$pcap" || exit 1
python3 - "$tmp/ev.jsonl" "$tmp/eve.jsonl" <<'PY'
import json, sys
got = [o for o in map(json.loads, open(sys.argv[1]))
       if o.get("type") == "device_name"]
want = [
    {"source": "mdns", "name": "lucas-iphone", "ip": "192.0.2.50",
     "src_ip": "192.0.2.50", "src_mac": "02:00:00:00:00:50"},
    {"source": "netbios", "name": "WORKSTATION7", "ip": "192.0.2.51",
     "src_ip": "192.0.2.51", "src_mac": "02:00:00:00:00:51"},
    {"source": "llmnr", "name": "printer3", "ip": "192.0.2.52",
     "src_ip": "192.0.2.52", "src_mac": "02:00:00:00:00:52"},
    {"source": "mdns", "name": "office-mac", "ip": "192.0.2.53",
     "src_ip": "192.0.2.53", "src_mac": "02:00:00:00:00:53"},
]
bad = []
if [{k: o.get(k) for k in w} for o, w in zip(got, want)] != want or \
        len(got) != len(want):
    bad.append("device_name events: got %s" % got)
if any("ts" not in o for o in got):
    bad.append("device_name event without ts")
eve = [o for o in map(json.loads, open(sys.argv[2]))
       if o.get("event_type") == "device_name" or o.get("type") ==
       "device_name"]
if eve:
    bad.append("EVE output has device_name events: %s" % eve)
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
