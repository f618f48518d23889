#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""`rules explain` answers as `capture` does (issue 14).

Runs every capture that the MANIFEST.tsv of each CORPUS_DIR lists through

  shadowtap capture -q --deterministic --no-db -R RULES -P POLICY --events F

and asks `shadowtap rules explain --stdin`, in one process, about the
signals of every flow event (its name from "sni", "http_host" or
"dns_query", "cert_names", "ja4", "signature", "dst_ip", "dst_port",
"proto", "src_ip", "vlan", "asn"). The service, the status and the
department must be the event's. Identical signal sets are asked once.

A flow named from the DNS cache (evidence "dns_cache") whose name found a
service cannot be asked: its event does not carry the name. Such flows
are counted, not checked.

usage: agree.py SHADOWTAP RULES POLICY CORPUS_DIR...
Exit status: 0 all agree, 1 a disagreement, 99 a broken run or corpus.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=0:exitcode=86:detect_leaks=1",
    "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87:print_stacktrace=1",
}
WORKERS = 2
SHOW = 20       # disagreements printed
NAME_KEYS = (("sni", "--sni"), ("http_host", "--host"),
             ("dns_query", "--dns-query"), ("stun_realm", "--stun-realm"),
             ("socks_target", "--socks-target"), ("sip_domain", "--sip-domain"))


def env():
    e = dict(os.environ)
    for k, v in SANITIZER_ENV.items():
        e.setdefault(k, v)
    return e


def broken(msg):
    print("agree: " + msg)
    sys.exit(99)


def captures(corpus):
    """The capture files MANIFEST.tsv of corpus lists."""
    path = os.path.join(corpus, "MANIFEST.tsv")
    if not os.path.isfile(path):
        broken(path + " not found")
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t")))
                for line in f if line.strip()]
    out = []
    for r in rows:
        p = os.path.join(corpus, r["file"])
        if not os.path.isfile(p):
            broken(p + " is in the manifest but not found")
        out.append(p)
    return out


def capture(shadowtap, rules, policy, pcap, tmp):
    ev = os.path.join(tmp, "%s.%s.jsonl" % (
        os.path.basename(os.path.dirname(pcap)), os.path.basename(pcap)))
    p = subprocess.run([shadowtap, "capture", "-q", "--deterministic",
                        "--no-db", "-R", rules, "-P", policy,
                        "--events", ev, "-r", pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env(), timeout=600)
    if p.returncode != 0:
        broken("capture %s: exit %d: %s" % (
            pcap, p.returncode, p.stderr.decode(errors="replace")[-2000:]))
    flows = []
    with open(ev) as f:
        for line in f:
            o = json.loads(line)
            if o.get("type", "flow") == "flow":
                flows.append(o)
    return flows


def question(e):
    """The explain options for a flow event, or None if it cannot be
    asked."""
    words = []
    for key, opt in NAME_KEYS:
        if e.get(key):
            words += [opt, e[key]]
            break
    else:
        if e.get("evidence") == "dns_cache" and e.get("service"):
            return None
    for name in e.get("cert_names") or []:
        words += ["--cert", name]
    if e.get("ja4"):
        words += ["--ja4", e["ja4"]]
    if e.get("signature"):
        words += ["--signature", e["signature"]]
    words += ["--server", e["dst_ip"], "--client", e["src_ip"]]
    if e.get("proto") in ("tcp", "udp") and e.get("dst_port"):
        words += ["--port", "%s/%d" % (e["proto"], e["dst_port"])]
    if e.get("vlan"):
        words += ["--vlan", str(e["vlan"])]
    if e.get("asn"):
        words += ["--asn", str(e["asn"])]
    if any(not w or any(c.isspace() for c in w) for w in words):
        broken("a signal with a blank in it: %r" % words)
    return " ".join(words)


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip().split("\n\n")[-2])
        return 99
    shadowtap, rules, policy, corpora = argv[1], argv[2], argv[3], argv[4:]
    pcaps = [p for c in corpora for p in captures(c)]
    with tempfile.TemporaryDirectory(prefix="shadowtap-agree.") as tmp:
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            runs = list(pool.map(
                lambda p: (p, capture(shadowtap, rules, policy, p, tmp)),
                pcaps))
    asked = {}          # question -> [(pcap, event)]
    nflows = unaskable = 0
    for pcap, flows in runs:
        for e in flows:
            nflows += 1
            q = question(e)
            if q is None:
                unaskable += 1
                continue
            asked.setdefault(q, []).append((pcap, e))
    qs = list(asked)
    p = subprocess.run([shadowtap, "rules", "explain", "--rules", rules,
                        "--rules", policy, "--stdin"],
                       input="".join(q + "\n" for q in qs).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env(), timeout=600)
    answers = p.stdout.decode().splitlines()
    if p.returncode not in (0, 2) or len(answers) != len(qs):
        broken("rules explain --stdin: exit %d, %d answers to %d "
               "questions: %s" % (p.returncode, len(answers), len(qs),
                                  p.stderr.decode(errors="replace")[-2000:]))
    bad = 0
    for q, a in zip(qs, answers):
        got = a.split("\t")
        for pcap, e in asked[q]:
            want = [e.get("service") or "-", e.get("status"),
                    e.get("department") or "-", e.get("instance") or "-"]
            if len(got) == 5 and [got[0], got[1], got[3], got[4]] == want:
                continue
            bad += 1
            if bad <= SHOW:
                print("DISAGREE %s: capture says %s, explain says %s, "
                      "for: %s" % (os.path.basename(pcap),
                                   " ".join(want), " ".join(got), q))
    print("agree: %d flows of %d captures, %d distinct questions; %d "
          "named from the DNS cache not asked" % (
              nflows, len(pcaps), len(qs), unaskable))
    print("agree: %d passed, %d failed" % (nflows - unaskable - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
