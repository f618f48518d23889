#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""named-flows.py: how many flows of the corpus come out with a service,
before and after a change of the program and its rules (issue 16's
measure; corpus-diff.py compares two rule directories with one program).

    named-flows.py SHADOWTAP-BEFORE RULES-BEFORE SHADOWTAP-AFTER RULES-AFTER
                   CORPUS-DIR...

Every capture listed in each CORPUS-DIR/MANIFEST.tsv goes through both
(`shadowtap capture -q --deterministic --no-db --events`). Prints, per
capture whose flows' services differ, the change in flows per service
(None: no service), then the totals: flows, and flows with a service."""
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile


def services(shadowtap, rules, pcap, tmp, tag):
    ev = os.path.join(tmp, "%s-%s.jsonl" % (tag, os.path.basename(pcap)))
    subprocess.run([shadowtap, "capture", "-q", "--deterministic", "--no-db",
                    "-R", rules, "--events", ev, "-r", pcap],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600)
    c = collections.Counter()
    if os.path.exists(ev):
        with open(ev) as f:
            for line in f:
                o = json.loads(line)
                if o.get("type", "flow") == "flow":
                    c[o.get("service")] += 1
    return c


def main():
    if len(sys.argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    sb, rb, sa, ra = sys.argv[1:5]
    pcaps = []
    for d in sys.argv[5:]:
        with open(os.path.join(d, "MANIFEST.tsv")) as f:
            for line in f.read().splitlines()[1:]:
                pcaps.append(os.path.join(d, line.split("\t")[0]))
    tot = {"before": [0, 0], "after": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = [(p, pool.submit(services, sb, rb, p, tmp, "b"),
                 pool.submit(services, sa, ra, p, tmp, "a")) for p in pcaps]
        for p, fb, fa in runs:
            b, a = fb.result(), fa.result()
            for k, c in (("before", b), ("after", a)):
                n = sum(c.values())
                tot[k][0] += n
                tot[k][1] += n - c[None]
            if a != b:
                print("%s: %s" % (os.path.basename(p), {
                    k: a[k] - b[k] for k in sorted(set(a) | set(b), key=str)
                    if a[k] != b[k]}))
    for k in ("before", "after"):
        print("%s: %d flows, %d with a service" % (k, tot[k][0], tot[k][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
