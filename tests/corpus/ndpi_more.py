#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The second nDPI corpus, $SHARED_DIR/corpus/ndpi-more (issue 16, first
Done-when), given the care of the first (check.py, services.py):

- every capture goes through `shadowtap capture` with no crash and no
  sanitizer report, its packet count agrees with MANIFEST.tsv, and every
  flow event carries the public keys;
- every application name nDPI gives (the `expected` column, whatever the
  capture's category) is in a table of services.py: a service of
  SERVICES must be named by some flow of the capture unless KNOWN_GAPS
  says why the bytes cannot carry it;
- every host name nDPI lists (`sni=`, which for nDPI also holds HTTP
  hosts, STUN realms and addresses) is some string value of an event of
  the capture, unless HOST_GAPS says why not;
- the `precision` captures (nDPI's false-positive tests) name no service
  but those services.PRECISION allows.

Names the bytes do carry but shadowtap does not read yet are in NOT_YET
with what is missing (as check.py's NOT_YET): their misses are reported
and do not fail; once named, the entry fails until it is removed.

The corpus sits next to the one the driver passes (CORPUS_DIR/../ndpi-more);
without it the test exits 77.

usage: ndpi_more.py SHADOWTAP CORPUS_DIR RULES_DIR
"""
import concurrent.futures
import ipaddress
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402
import events  # noqa: E402
import services  # noqa: E402

WORKERS = 2
# (capture, host name) -> why no event can carry it.
HOST_GAPS = {
    ("ssdp-m-search-ua.pcap", "239.255.255.250:1900"):
        "the HOST header of an SSDP M-SEARCH (the multicast group itself); "
        "SSDP is not read (issue 16 item 7)",
    ("mgcp.pcap", "vg224"):
        "an MGCP endpoint name (gateway's local name); MGCP is not read",
    ("mgcp.pcap", "gateway44.myplace.com"):
        "an MGCP endpoint domain; MGCP is not read",
    ("xiaomi.pcap", "fr-app-chat-global-xiaomi-net2-2117517874.eu-central-1.elb.amazonaws.com"):
        "a host name inside the JSON answer of Xiaomi's HTTP DNS service "
        "(resolver.msg.xiaomi.net), not a host this capture connects to",
    ("xiaomi.pcap", "fr-app-chat-global-xiaomi-net1-1667981913.eu-central-1.elb.amazonaws.com"):
        "a host name inside the JSON answer of Xiaomi's HTTP DNS service, "
        "not a host this capture connects to",
    ("xiaomi.pcap", "47.241.35.73"):
        "an address inside the JSON answer of Xiaomi's HTTP DNS service",
    ("xiaomi.pcap", "47.241.59.87"):
        "an address inside the JSON answer of Xiaomi's HTTP DNS service",
    ("agora-sd-rtn.pcap", "104-166-161-75.edge.agora.io"):
        "nDPI builds this name from the server address (Agora's edge "
        "naming scheme); no packet carries it",
    ("agora-sd-rtn.pcap", "23-248-186-179.edge.agora.io"):
        "nDPI builds this name from the server address; no packet carries it",
    ("agora-sd-rtn.pcap", "199-190-44-135.edge.agora.io"):
        "nDPI builds this name from the server address; no packet carries it",
    ("agora-sd-rtn.pcap", "202-226-25-166.edge.agora.io"):
        "nDPI builds this name from the server address; no packet carries it",
}

# (capture, nDPI name or host name) -> the signal not read yet (issue 16).
NOT_YET = {
    ("lru_ipv6_caches.pcapng", "WhatsAppCall"):
        "STUN (libwebrtc's GOOG-NETWORK-INFO, no vendor attribute) to a "
        "server whose anonymised IPv6 address keeps only the face:b00c "
        "interface identifier Meta gives its hosts; no address list can "
        "match it and naming a call from that identifier is not "
        "implemented (the capture is nDPI's test of its address caches)",
    ("iqiyi.pcap", "iQIYI"):
        "PPStream, iQIYI's P2P video protocol (\"PPStream\" in the "
        "datagram), has no signature yet",
}


def strings(obj, out):
    """Every string value of a JSON object, lowercased, into out."""
    if isinstance(obj, str):
        out.add(obj.lower())
    elif isinstance(obj, dict):
        for v in obj.values():
            strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            strings(v, out)


def run_one(shadowtap, corpus, rules, tmp, row):
    """Returns (failures, services named, strings of every event)."""
    name = row["file"]
    p, ev, st = events.capture(shadowtap, os.path.join(corpus, name),
                               rules, tmp, stats=True)
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0 or "Sanitizer" in err or "runtime error" in err:
        return ["%s: exit %d: %s" % (name, p.returncode,
                                     err.strip()[-2000:])], set(), set()
    fails, svc, seen = [], set(), set()
    with open(st) as f:
        stats = json.load(f)
    if stats["packets"] != int(row["packets"]):
        fails.append("%s: %d packets read, manifest says %s" %
                     (name, stats["packets"], row["packets"]))
    with open(ev) as f:
        for n, line in enumerate(f, 1):
            try:
                obj = json.loads(line)
            except ValueError as e:
                fails.append("%s: event line %d is not JSON: %s" % (name, n, e))
                break
            strings(obj, seen)
            if obj.get("type", "flow") != "flow":
                continue
            missing = [k for k in check.EVENT_KEYS if k not in obj]
            if missing:
                fails.append("%s: event line %d lacks %s" % (name, n, missing))
                break
            if obj.get("service"):
                svc.add(obj["service"])
    return fails, svc, seen


def hosts_of(expected):
    """The sni= names of the manifest's expected text ("+N" cut off)."""
    out = []
    for part in expected.split(" | ", 1)[-1].split("; "):
        if part.startswith("sni="):
            for v in part[4:].split(","):
                v = v.split("+")[0].strip().lower() if "+" in v else v.strip().lower()
                if v:
                    out.append(v)
    return out


def main():
    shadowtap, ndpi, rules = sys.argv[1:4]
    corpus = os.path.join(os.path.dirname(os.path.abspath(ndpi)), "ndpi-more")
    if not os.path.isfile(os.path.join(corpus, "MANIFEST.tsv")):
        print("ndpi_more: %s/MANIFEST.tsv not found" % corpus)
        return 77
    rows = events.manifest(corpus)
    problems, named, gaps, want, notyet = [], 0, 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        runs = {r["file"]: pool.submit(run_one, shadowtap, corpus, rules,
                                       tmp, r) for r in rows}
        for row in rows:
            name = row["file"]
            fails, svc, seen = runs[name].result()
            problems += fails
            for app in services.apps_of(row["expected"]):
                gap = services.KNOWN_GAPS.get((name, app))
                if app in services.GENERIC or app in services.OUT_OF_SCOPE:
                    continue
                if app not in services.SERVICES:
                    problems.append("%s: nDPI name %s is in no table of "
                                    "services.py" % (name, app))
                    continue
                want += 1
                hit = svc & set(services.SERVICES[app])
                nyet = NOT_YET.get((name, app))
                if nyet is not None:
                    if hit:
                        problems.append("%s: %s is named now; take it off "
                                        "NOT_YET" % (name, app))
                    else:
                        notyet += 1
                        print("not yet: %s: %s: %s" % (name, app, nyet))
                    continue
                if hit and gap is not None:
                    problems.append("%s: %s is named now (%s); take it off "
                                    "KNOWN_GAPS" % (name, app, ",".join(sorted(hit))))
                elif hit:
                    named += 1
                elif gap is not None:
                    gaps += 1
                    print("known gap: %s: %s: %s" % (name, app, gap))
                else:
                    problems.append("%s: %s not named (want %s; flows named %s)"
                                    % (name, app, " or ".join(services.SERVICES[app]),
                                       ",".join(sorted(svc)) or "nothing"))
            for h in hosts_of(row["expected"]):
                gap = HOST_GAPS.get((name, h))
                nyet = NOT_YET.get((name, h))
                if nyet is not None:
                    if h in seen:
                        problems.append("%s: host %s is seen now; take it "
                                        "off NOT_YET" % (name, h))
                    else:
                        print("not yet: %s: host %s: %s" % (name, h, nyet))
                    continue
                if h in seen and gap is not None:
                    problems.append("%s: host %s is seen now; take it off "
                                    "HOST_GAPS" % (name, h))
                elif h not in seen and gap is None:
                    problems.append("%s: host %s in no event" % (name, h))
            if row["category"].split(",")[0] == "precision":
                allowed = services.PRECISION.get(name)
                if allowed is None:
                    problems.append("%s: precision capture not in "
                                    "services.PRECISION" % name)
                    continue
                wrong = svc - set(allowed)
                if wrong:
                    problems.append("%s: wrong service %s (nDPI's "
                                    "false-positive test)" %
                                    (name, ",".join(sorted(wrong))))
    for pr in problems:
        print("FAIL: " + pr)
    print("ndpi-more: %d captures, %d of %d expected services named, %d "
          "known gaps, %d not read yet, %d failures" %
          (len(rows), named, want, gaps, notyet, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
