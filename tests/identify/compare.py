#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Agreement with tshark (issue 4, first Done-when).

For every capture in the corpus manifest, tshark extracts the TLS and
QUIC SNIs (ClientHellos only), DNS query names (queries and responses,
including mDNS/LLMNR, which tshark also shows as dns.qry.name), HTTP
Hosts of requests over TCP, DHCP host names and JA3 hashes; shadowtap
writes its events for the same capture. Per field, the sets of distinct
lowercased values are compared per capture, and agreement is
|ours & tshark| / |tshark| summed over all captures.

tshark values that shadowtap rejects by design are dropped before the
comparison and counted: names with an escape sequence (tshark writes
unprintable bytes as \\xNN or \\NNN) or any character outside 0x21..0x7e,
and "<Root>", tshark's spelling of the empty DNS name. shadowtap keeps the
host of an HTTP Host header without its port, so ":port" is cut from
tshark's http.host values before comparing.

A field that no shadowtap event carries at all is reported as "not
produced yet" and does not fail the test. Exit status: 0 when every
produced field agrees for at least MIN_AGREEMENT, 1 otherwise, 99 when
the corpus or a run is broken.

usage: compare.py SHADOWTAP CORPUS_DIR RULES_DIR
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

MIN_AGREEMENT = 0.99
# Known gaps, each with its floor (the measured level, so a regression
# still fails) and the reason. None now: the last ones (JA3 of hellos
# split across OpenVPN control messages, and of hellos below the RFC's
# minimums) were closed; what is left (TLS inside RDP-UDP, a JA3 tshark
# cuts short on a malformed hello) stays within the 1 %.
KNOWN_GAPS = {}
WORKERS = 4
WORST = 8

# field -> (tshark field, shadowtap (event type, key) pairs). An event
# without "type" is a flow event (the skeleton's format).
FIELDS = [
    ("sni", "tls.handshake.extensions_server_name",
     [("flow", "sni")]),
    ("dns_query", "dns.qry.name",
     [("flow", "dns_query"), ("dns", "query")]),
    ("http_host", "http.host",
     [("flow", "http_host")]),
    ("dhcp_hostname", "dhcp.option.hostname",
     [("dhcp", "hostname")]),
    ("ja3", "tls.handshake.ja3",
     [("flow", "ja3")]),
]
# A frame is read when it holds a ClientHello (TLS or QUIC), DNS, an HTTP
# request over TCP (SSDP is HTTP over UDP and not HTTP/1.x traffic) or
# DHCP. The tls.* fields of a frame that only carries other handshake
# messages are never read because of the first clause.
DISPLAY_FILTER = ("tls.handshake.type == 1 || dns || "
                  "(http.request && tcp) || dhcp")
AGG = "\x1e"


def strip_port(v):
    """"host:8080" -> "host"; "[2001:db8::1]:80" -> "[2001:db8::1]"."""
    host, sep, port = v.rpartition(":")
    if sep and port.isdigit() and host and (host.count(":") == 0 or
                                            host.endswith("]")):
        return host
    return v


def printable(v):
    return all(0x21 <= ord(c) <= 0x7e for c in v) and "\\" not in v


def tshark_fields():
    """Returns the set of field names this tshark knows."""
    out = subprocess.run(["tshark", "-G", "fields"], capture_output=True,
                         text=True, errors="replace").stdout
    names = set()
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) > 2 and cols[0] == "F":
            names.add(cols[2])
    return names


def run_tshark(path, fields):
    """Returns ({field: set}, {field: dropped count}, error or None)."""
    cmd = ["tshark", "-n", "-r", path, "-Y", DISPLAY_FILTER, "-T", "fields",
           "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=" + AGG]
    for _, tf, _ in fields:
        cmd += ["-e", tf]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       errors="backslashreplace")
    vals = {f: set() for f, _, _ in fields}
    dropped = {f: set() for f, _, _ in fields}
    for line in p.stdout.splitlines():
        cols = line.split("\t")
        for (f, _, _), col in zip(fields, cols):
            for v in col.split(AGG):
                if v == "":
                    continue
                v = v.lower()
                if f == "http_host":
                    v = strip_port(v)
                if v == "<root>" or not printable(v):
                    dropped[f].add(v)
                else:
                    vals[f].add(v)
    err = None
    # tshark exits 2 on a cut-off last record, having printed the rest.
    if p.returncode not in (0, 2):
        err = "tshark exit %d: %s" % (p.returncode, p.stderr.strip()[-200:])
    return vals, {f: len(s) for f, s in dropped.items()}, err


def run_shadowtap(shadowtap, rules, path, evfile):
    """Returns ({(type, key): set}, set of (type, key) seen, error)."""
    cmd = [shadowtap, "capture", "-q", "--no-db", "--deterministic",
           "-R", rules, "-P", os.path.join(rules, "policy.example"),
           "--events", evfile, "-r", path]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       errors="replace")
    vals, seen = {}, set()
    err = None
    if p.returncode != 0:
        err = "shadowtap exit %d: %s" % (p.returncode,
                                         p.stderr.strip()[-300:])
    try:
        with open(evfile, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                ev = json.loads(line)
                t = ev.get("type", "flow")
                for k, v in ev.items():
                    seen.add((t, k))
                    if isinstance(v, str) and v != "":
                        vals.setdefault((t, k), set()).add(v.lower())
    except (OSError, ValueError) as e:
        err = (err + "; " if err else "") + "events: %s" % e
    return vals, seen, err


def one(args):
    shadowtap, rules, corpus, tmp, name, fields = args
    path = os.path.join(corpus, name)
    tv, dropped, terr = run_tshark(path, fields)
    sv, seen, serr = run_shadowtap(shadowtap, rules, path,
                                   os.path.join(tmp, name + ".json"))
    ours = {}
    for f, _, keys in fields:
        s = set()
        for k in keys:
            s |= sv.get(k, set())
        ours[f] = s
    return name, tv, dropped, ours, seen, terr or serr


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 99
    shadowtap, corpus, rules = sys.argv[1:]
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    with open(manifest, encoding="utf-8") as fh:
        names = [l.split("\t", 1)[0] for l in fh.read().splitlines()[1:]
                 if l.strip()]
    known = tshark_fields()
    fields = [f for f in FIELDS if f[1] in known]
    for f, tf, _ in FIELDS:
        if tf not in known:
            print("identify: this tshark has no %s; %s is not compared"
                  % (tf, f))

    tmp = tempfile.mkdtemp(prefix="identify.")
    results, errors = [], []
    try:
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as ex:
            jobs = [(shadowtap, rules, corpus, tmp, n, fields)
                    for n in names]
            for r in ex.map(one, jobs):
                results.append(r)
                if r[5]:
                    errors.append("%s: %s" % (r[0], r[5]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    seen = set()
    for r in results:
        seen |= r[4]
    status = 0
    print("identify: %d captures; agreement = |ours & tshark| / |tshark|, "
          "distinct values per capture" % len(results))
    print("%-14s %8s %8s %8s %9s %8s  %s" % ("field", "tshark", "agree",
          "missed", "agreement", "dropped", "verdict"))
    worst = {}
    for f, tf, keys in fields:
        total = agree = drop = 0
        per = []
        for name, tv, dropped, ours, _, _ in results:
            t, o = tv[f], ours[f]
            total += len(t)
            agree += len(t & o)
            drop += dropped[f]
            miss = t - o
            if miss:
                per.append((len(miss), name, sorted(miss)))
        produced = any(k in seen for k in keys)
        if total == 0:
            ratio, rs = 1.0, "-"
        else:
            ratio = agree / total
            rs = "%.2f%%" % (100.0 * ratio)
        if not produced:
            verdict = "not produced yet"
        elif f in KNOWN_GAPS and ratio >= KNOWN_GAPS[f][0] and \
                ratio < MIN_AGREEMENT:
            verdict = "known gap (>= %.1f%%): %s" % (
                100 * KNOWN_GAPS[f][0], KNOWN_GAPS[f][1])
        elif ratio >= MIN_AGREEMENT:
            verdict = "ok"
        else:
            verdict = "FAIL (< %.0f%%)" % (100 * MIN_AGREEMENT)
            status = 1
        print("%-14s %8d %8d %8d %9s %8d  %s" % (f, total, agree,
              total - agree, rs, drop, verdict))
        if produced:
            worst[f] = sorted(per, key=lambda x: (-x[0], x[1]))[:WORST]
    for f, per in worst.items():
        if not per:
            continue
        print("\nworst captures for %s (missed values):" % f)
        for n, name, miss in per:
            shown = ", ".join(miss[:4]) + (" ..." if len(miss) > 4 else "")
            print("  %4d  %-40s %s" % (n, name, shown))
    if errors:
        print("\nerrors:")
        for e in errors:
            print("  " + e)
        return 99
    return status


if __name__ == "__main__":
    sys.exit(main())
