#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The manifest's protocol claims, asserted (issue 4, third Done-when).

For every capture of the corpus manifest, shadowtap's flow events must
show what the manifest says nDPI found there, for the signals that are
not names (tests/identify/compare.py checks those against tshark):

- quic=V1,V2,...: every QUIC version listed is the quic_version of some
  flow (nDPI's "MVFST-22" is our "Facebook mvfst 22");
- user=U: a flow carries the clear-text login of user U (the password is
  never kept); "cleartext-creds" alone: some flow carries a login;
- DoH_DoT / DNScrypt in the application list: some flow is encrypted DNS
  (signature doh, dot, doq or dnscrypt, or the catalog's encrypted-dns
  service).

Known gaps are listed with the reason and reported, and fail the test
only if they start to pass (so the list cannot go stale).

usage: manifest.py SHADOWTAP CORPUS_DIR RULES_DIR
"""
import concurrent.futures
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "corpus"))
import events  # noqa: E402

ENCRYPTED_DNS_SIGS = {"doh", "dot", "doq", "dnscrypt"}
# (capture, claim) -> why shadowtap cannot show it from the bytes.
KNOWN_GAPS = {
    ("fuzz-2006-06-26-2594.pcap", "cleartext-creds"):
        "fuzzed packets: nDPI flags a risk on a mangled SIP/FTP exchange "
        "that carries no complete login",
}


def quic_name(v):
    if v.upper().startswith("MVFST-"):
        return "facebook mvfst " + v.split("-", 1)[1]
    return v.lower()


def claims(expected):
    """Returns [(claim, check)] for one manifest row."""
    out = []
    tail = expected.split(" | ", 1)[-1]
    parts = [p.strip() for p in tail.split("; ")]
    apps = parts[0].split(",") if parts and "=" not in parts[0] else []
    for p in parts:
        if p.startswith("quic="):
            for v in p[5:].split(","):
                v = v.strip()
                if v and not v.startswith("+"):
                    out.append(("quic=" + v, ("quic", quic_name(v))))
        elif p.startswith("user="):
            for u in p[5:].split(","):
                out.append(("user=" + u.strip(), ("user", u.strip())))
        elif p == "cleartext-creds" and not any(
                c[0].startswith("user=") for c in out):
            out.append(("cleartext-creds", ("creds", None)))
    if "DoH_DoT" in apps or "DNScrypt" in apps:
        out.append(("encrypted-dns", ("edns", None)))
    # "cleartext-creds" after a user= claim adds nothing.
    if any(c[0].startswith("user=") for c in out):
        out = [c for c in out if c[0] != "cleartext-creds"]
    return out


def run(shadowtap, pcap, rules):
    with tempfile.TemporaryDirectory() as tmp:
        p, ev, _ = events.capture(shadowtap, pcap, rules, tmp)
        return (p.returncode, p.stderr.decode(errors="replace"),
                events.flows(ev))


def holds(check, flows):
    kind, val = check
    for o in flows:
        if kind == "quic" and (o.get("quic_version") or "").lower() == val:
            return True
        creds = o.get("creds") or {}
        if kind == "user" and creds.get("user") == val:
            return True
        if kind == "creds" and creds.get("user"):
            return True
        if kind == "edns" and (o.get("signature") in ENCRYPTED_DNS_SIGS or
                               o.get("service") == "encrypted-dns"):
            return True
    return False


def main():
    shadowtap, corpus, rules = sys.argv[1:4]
    rows = []
    for row in events.manifest(corpus):
        c = claims(row["expected"])
        if c:
            rows.append((row["file"], c))
    fails, passed, gaps = [], 0, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        futs = {ex.submit(run, shadowtap, os.path.join(corpus, f), rules):
                (f, c) for f, c in rows}
        for fut in concurrent.futures.as_completed(futs):
            f, cl = futs[fut]
            rc, err, flows = fut.result()
            if rc != 0:
                fails.append("%s: exit %d: %s" % (f, rc, err.strip()[-300:]))
                continue
            for name, check in cl:
                ok = holds(check, flows)
                gap = KNOWN_GAPS.get((f, name))
                if gap and ok:
                    fails.append("%s: %s now holds: drop it from "
                                 "KNOWN_GAPS" % (f, name))
                elif gap:
                    gaps += 1
                    print("known gap: %s: %s (%s)" % (f, name, gap))
                elif ok:
                    passed += 1
                else:
                    fails.append("%s: %s not shown by any flow" % (f, name))
    for m in sorted(fails):
        print("FAIL: " + m)
    print("manifest: %d claims hold, %d known gaps, %d failures" %
          (passed, gaps, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
