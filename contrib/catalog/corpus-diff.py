#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""corpus-diff.py: which flows of a set of captures change service between
two rule directories (before and after a catalog import).

    corpus-diff.py SHADOWTAP RULES-BEFORE RULES-AFTER PCAP-OR-DIR ...

Runs `shadowtap capture -q --deterministic --no-db --events` on every
capture with each rules directory and prints one line per flow whose
"service" differs, then a count. Flows are paired by their position in
the events file (the runs are deterministic), and the pair is checked to
be the same flow (addresses, ports, protocol)."""
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor


def events(shadowtap, rules, pcap, tmp):
    ev = os.path.join(tmp, "%d.jsonl" % abs(hash((rules, pcap))))
    subprocess.run([shadowtap, "capture", "-q", "--deterministic",
                    "--no-db", "-R", rules, "--events", ev, "-r", pcap],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600)
    out = []
    if os.path.exists(ev):
        with open(ev) as f:
            for line in f:
                o = json.loads(line)
                if o.get("type", "flow") == "flow":
                    out.append(o)
        os.unlink(ev)
    return out


def key(o):
    return tuple(str(o.get(k)) for k in
                 ("src_ip", "dst_ip", "src_port", "dst_port", "proto", "ts"))


def name(o):
    return (o.get("sni") or o.get("http_host") or o.get("dns_query") or
            o.get("dst_ip") or "")


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    shadowtap, before, after = sys.argv[1:4]
    pcaps = []
    for a in sys.argv[4:]:
        if os.path.isdir(a):
            pcaps += sorted(os.path.join(a, f) for f in os.listdir(a)
                            if f.endswith((".pcap", ".pcapng", ".cap")))
        else:
            pcaps.append(a)
    changed = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp, \
            ThreadPoolExecutor(max_workers=2) as ex:
        for pcap in pcaps:
            fa = ex.submit(events, shadowtap, before, pcap, tmp)
            fb = ex.submit(events, shadowtap, after, pcap, tmp)
            a, b = fa.result(), fb.result()
            if len(a) != len(b):
                print("%s: %d flows before, %d after" %
                      (pcap, len(a), len(b)))
                changed += 1
                continue
            for x, y in zip(a, b):
                total += 1
                if key(x) != key(y):
                    print("%s: flows out of step" % pcap)
                    changed += 1
                    break
                if x.get("service") != y.get("service"):
                    changed += 1
                    print("%s\t%s\t%s -> %s" % (
                        os.path.basename(pcap), name(y),
                        x.get("service"), y.get("service")))
    print("%d of %d flows changed service" % (changed, total))


if __name__ == "__main__":
    main()
