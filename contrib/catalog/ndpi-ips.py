#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Print the address prefixes of one of nDPI's generated address lists
(src/lib/inc_generated/*.c.inc in catalog-sources/ndpi) as rules `ips`
lines, IPv4 then IPv6, hosts without "/32" or "/128", wrapped to fit a
service block. Only the prefixes are taken (facts: which addresses a
vendor announces); the C around them is not.

usage: ndpi-ips.py FILE.c.inc [PREFIX...]
With PREFIXes (such as 66.22.), only the prefixes starting with one of
them are printed.
"""
import re
import sys

WIDTH = 76


def prefixes(path):
    v4, v6 = [], []
    with open(path) as f:
        for line in f:
            m = re.search(r"/\* ([0-9.]+/[0-9]+) \*/", line)
            if m:
                v4.append(m.group(1))
                continue
            m = re.search(r'\{ "([0-9a-fA-F:]+)", ([0-9]+),', line)
            if m:
                v6.append("%s/%s" % (m.group(1).lower(), m.group(2)))
    return v4 + v6


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    want = sys.argv[2:]
    out, cur = [], []
    for p in prefixes(sys.argv[1]):
        if want and not any(p.startswith(w) for w in want):
            continue
        if p.endswith("/32") and ":" not in p or p.endswith("/128"):
            p = p.rsplit("/", 1)[0]
        if cur and len("\tips      " + " ".join(cur + [p])) > WIDTH:
            out.append("\tips      " + " ".join(cur))
            cur = []
        cur.append(p)
    if cur:
        out.append("\tips      " + " ".join(cur))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
