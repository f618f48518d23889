#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Mail clients and servers over TLS (issue 16, item 5).

On the corpus's mail captures, the names that tshark shows must be in the
flow events:
- smtp-starttls.pcap: SMTP STARTTLS to Gmail's MX without SNI; the
  server's certificate (TLS 1.0, after "220 2.0.0 Ready to start TLS")
  names the flow: cert_names holds mx.google.com and aspmx.l.google.com,
  evidence "cert". The other flow's STARTTLS ClientHello has an SNI.
- imaps.pcap: implicit TLS on 993, named by SNI.

usage: mail.py SHADOWTAP CORPUS_DIR RULES_DIR
"""
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "corpus"))
import events  # noqa: E402

WANT = {
    "smtp-starttls.pcap": [
        (25, lambda o: o["sni"] is None and o["evidence"] == "cert" and
         {"mx.google.com", "aspmx.l.google.com"} <= set(o["cert_names"] or [])),
        (25, lambda o: o["sni"] == "dovecot.weberlab.de"),
    ],
    "imaps.pcap": [
        (993, lambda o: o["sni"] == "imap.asia.secureserver.net"),
        (993, lambda o: o["sni"] == "mail.ntop.org"),
    ],
}


def main():
    shadowtap, corpus, rules = sys.argv[1:4]
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, checks in WANT.items():
            pcap = os.path.join(corpus, name)
            if not os.path.exists(pcap):
                print("mail: %s not found" % pcap)
                return 99
            p, ev, _ = events.capture(shadowtap, pcap, rules, tmp)
            if p.returncode != 0:
                print("FAIL: %s: exit %d" % (name, p.returncode))
                return 1
            flows = events.flows(ev)
            for port, ok in checks:
                if not any(o["dst_port"] == port and ok(o) for o in flows):
                    bad.append("%s: no flow to port %d as expected: %s" % (
                        name, port, [(o["sni"], o["cert_names"], o["evidence"])
                                     for o in flows if o["dst_port"] == port]))
    for b in bad:
        print("FAIL: " + b)
    print("mail: %d failures" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
