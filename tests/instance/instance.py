#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Instances of a service (issue 15, Done-when "Instance test").

Writes a capture of its own (per flow a DNS query and answer, then a TLS
ClientHello with the SNI and some uploaded records) to
acme.sharepoint.com, acme-my.sharepoint.com, contoso-my.sharepoint.com,
onedrive.live.com, two S3 buckets (virtual-hosted names), the
path-style S3 host, an Okta tenant and a Webex site, and runs

  shadowtap capture -q --deterministic -d DB --events FILE -R RULES -P POLICY
  shadowtap summary -d DB -R RULES --format F   (text, markdown, json, csv,
                                                 html)

(with --syslog to a TCP receiver on 127.0.0.1 that this script runs)
and `shadowtap db export --format jsonl|csv -d DB`,
under tests/instance/instance.policy, which sanctions the SharePoint
tenant "acme" only. Then checks that exactly these findings come out, in
the database (findings and both roll-ups), in the flow events, in the
syslog messages, in both export formats and in every summary format:

  SharePoint tenant acme (acme. and acme-my.)  sanctioned
  SharePoint tenant contoso                    unsanctioned, another
                                               organisation's tenant
  OneDrive personal                            unsanctioned, no instance
  S3 bucket acme-backups, bucket partner-exports  unsanctioned
  S3 path-style host                           unsanctioned, no instance
  Okta tenant contoso, Webex site acme         unsanctioned, by tenant

usage: instance.py SHADOWTAP RULES_DIR POLICY
"""
import csv
import html
import io
import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "catalog"))
from synthetic import (GW_MAC, T0, client_hello, dns, ether,  # noqa: E402
                       ipv4, tcp, udp)

DEVS = [(bytes([0x3c, 0x22, 0xfb, 0, 1, i]), "192.168.9.%d" % (10 + i))
        for i in range(1, 5)]
# (server name, device index, records of 1,200 bytes uploaded)
FLOWS = [
    ("acme.sharepoint.com", 0, 10),
    ("acme-my.sharepoint.com", 1, 20),
    ("contoso-my.sharepoint.com", 0, 300),
    ("contoso-my.sharepoint.com", 2, 100),
    ("onedrive.live.com", 1, 50),
    ("acme-backups.s3.eu-west-1.amazonaws.com", 2, 80),
    ("partner-exports.s3.amazonaws.com", 3, 40),
    ("s3.eu-west-1.amazonaws.com", 3, 5),
    ("contoso.okta.com", 0, 3),
    ("acme.webex.com", 1, 4),
]
# (service, instance, status) of each name
WANT_NAME = {
    "acme.sharepoint.com": ("microsoft-sharepoint", "acme", "sanctioned"),
    "acme-my.sharepoint.com": ("microsoft-sharepoint", "acme",
                               "sanctioned"),
    "contoso-my.sharepoint.com": ("microsoft-sharepoint", "contoso",
                                  "unsanctioned"),
    "onedrive.live.com": ("microsoft-onedrive", None, "unsanctioned"),
    "acme-backups.s3.eu-west-1.amazonaws.com": ("amazon-s3", "acme-backups",
                                                "unsanctioned"),
    "partner-exports.s3.amazonaws.com": ("amazon-s3", "partner-exports",
                                         "unsanctioned"),
    "s3.eu-west-1.amazonaws.com": ("amazon-s3", None, "unsanctioned"),
    "contoso.okta.com": ("okta", "contoso", "unsanctioned"),
    "acme.webex.com": ("webex", "acme", "unsanctioned"),
}
WANT = sorted(set((s, i or "", v) for s, i, v in WANT_NAME.values()))
# What each summary format must show, per finding with an instance.
SHOWN = [
    'tenant "acme"',
    'another organisation\'s tenant "contoso"',
    'bucket "acme-backups"',
    'bucket "partner-exports"',
]


def write_pcap(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

        def put(ts, frame):
            sec = int(ts)
            f.write(struct.pack("<IIII", sec, int((ts - sec) * 1e6),
                                len(frame), len(frame)))
            f.write(frame)
        ts = float(T0)
        for i, (name, d, records) in enumerate(FLOWS):
            dmac, dip = DEVS[d]
            srv = "198.19.0.%d" % (1 + i)
            qid, sport = 1 + i, 30000 + i
            put(ts, ether(dmac, GW_MAC, ipv4(dip, "192.168.9.1", 17, udp(
                dip, "192.168.9.1", sport, 53, dns(qid, name)))))
            put(ts + 0.002, ether(GW_MAC, dmac, ipv4("192.168.9.1", dip, 17,
                udp("192.168.9.1", dip, 53, sport, dns(qid, name, srv)))))
            cs, ss = 1000, 90000
            seq = [(True, 0x02, b""), (False, 0x12, b""), (True, 0x10, b""),
                   (True, 0x18, client_hello(name)),
                   (False, 0x18, b"\x16\x03\x03\x00\x04" + bytes(4))]
            seq += [(True, 0x18, b"\x17\x03\x03\x04\xb0" + bytes(1200))] * \
                records
            seq += [(True, 0x11, b""), (False, 0x11, b"")]
            t = ts + 0.01
            for up, flags, pl in seq:
                if up:
                    seg = tcp(dip, srv, sport, 443, cs, ss, flags, pl)
                    put(t, ether(dmac, GW_MAC, ipv4(dip, srv, 6, seg)))
                    cs += len(pl) + (1 if flags & 0x03 else 0)
                else:
                    seg = tcp(srv, dip, 443, sport, ss, cs, flags, pl)
                    put(t, ether(GW_MAC, dmac, ipv4(srv, dip, 6, seg)))
                    ss += len(pl) + (1 if flags & 0x03 else 0)
                t += 0.001
            ts += 2.0


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        print("FAIL: %s exited %d" % (" ".join(argv[:2]), p.returncode))
        sys.exit(99)
    return p.stdout.decode()


class Receiver:
    """A syslog collector on 127.0.0.1 (TCP, RFC 6587 octet counting) that
    keeps what one connection sends until it closes; every wait is bounded.
    """

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
            conn.settimeout(60)
            while True:
                b = conn.recv(65536)
                if not b:
                    break
                self.data += b
            conn.close()
        except OSError:
            pass
        self.sock.close()

    def messages(self):
        self.thread.join(60)
        out, rest = [], self.data
        while rest:
            n, _, rest = rest.partition(b" ")
            out.append(rest[:int(n)].decode())
            rest = rest[int(n):]
        return out


def syslog_seen(messages):
    """{server name: (service, instance, status)} of the port-443 findings,
    and their MSG parts."""
    seen, msgs = {}, []
    for m in messages:
        sd = dict(re.findall(r' ([a-z_]+)="((?:[^"\\]|\\.)*)"', m))
        if sd.get("port") != "443" or " finding [" not in m:
            continue
        seen[sd.get("name")] = (sd.get("service"), sd.get("instance", ""),
                                sd.get("status"))
        msgs.append(m[m.rindex("] ") + 2:])
    return seen, msgs


def main():
    shadowtap, rules, policy = sys.argv[1:4]
    fail = 0

    def check(ok, what):
        nonlocal fail
        print("%s: %s" % ("ok" if ok else "FAIL", what))
        if not ok:
            fail += 1
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "instance.pcap")
        db = os.path.join(tmp, "instance.db")
        ev = os.path.join(tmp, "events.jsonl")
        write_pcap(pcap)
        rx = Receiver()
        run([shadowtap, "capture", "-q", "--deterministic", "-d", db,
             "--events", ev, "-R", rules, "-P", policy, "-r", pcap,
             "--syslog", "tcp://127.0.0.1:%d" % rx.port])

        # The syslog messages: the instance as a parameter and in MSG.
        seen, msgs = syslog_seen(rx.messages())
        want = dict((n, (s, i or "", v)) for n, (s, i, v) in WANT_NAME.items())
        check(seen == want, "syslog: %s" % seen)
        check("microsoft-sharepoint (contoso): unsanctioned" in msgs,
              "syslog MSG names the tenant: %s" % sorted(set(msgs)))

        # db export, JSON Lines and CSV: the instance of every finding.
        want = sorted(set(WANT))
        js = [json.loads(line) for line in run(
            [shadowtap, "db", "export", "--format", "jsonl", "-d",
             db]).splitlines()]
        got = sorted(set((o["service"], o["instance"], o["status"])
                         for o in js if o["type"] == "finding"))
        check(got == want, "export jsonl: %s" % got)
        check(all(o["instance"] == "" for o in js if o["type"] !=
                  "finding"), "export jsonl: instance only on findings")
        rows = list(csv.DictReader(io.StringIO(run(
            [shadowtap, "db", "export", "--format", "csv", "-d", db]))))
        got = sorted(set((r["service"], r["instance"], r["status"])
                         for r in rows if r["type"] == "finding"))
        check(got == want, "export csv: %s" % got)
        check(len(rows) == len(js), "export: csv and jsonl have %d and %d "
              "rows" % (len(rows), len(js)))

        # The database: the findings and both roll-ups.
        con = sqlite3.connect(db)
        for t in ("findings", "findings_day", "findings_month"):
            got = sorted(set(con.execute(
                "SELECT service, instance, verdict FROM %s" % t)))
            check(got == WANT, "%s: %s" % (t, got))
        got = dict(((s, i), n) for s, i, n in con.execute(
            "SELECT service, instance, count(DISTINCT device) FROM findings"
            " GROUP BY service, instance"))
        check(got.get(("microsoft-sharepoint", "contoso")) == 2 and
              got.get(("microsoft-sharepoint", "acme")) == 2,
              "devices per tenant: %s" % got)
        con.close()

        # The flow events: every TLS flow, and the key on every event.
        seen = {}
        with open(ev) as f:
            for line in f:
                o = json.loads(line)
                if o.get("type") != "flow":
                    continue
                check("instance" in o, "event has \"instance\": %s" %
                      o.get("sni") or o.get("dns_query"))
                if o.get("sni"):
                    seen[o["sni"]] = (o.get("service"), o.get("instance"),
                                      o.get("status"))
        check(seen == WANT_NAME, "events: %s" % seen)

        # Every summary format.
        js = json.loads(run([shadowtap, "summary", "-d", db, "-R", rules,
                             "--format", "json"]))
        got = sorted((s["id"], s.get("instance", ""), s["status"])
                     for s in js["services"])
        check(got == WANT, "json services: %s" % got)
        other = sorted(s.get("instance") for s in js["services"]
                       if s.get("other_instance"))
        check(other == ["contoso"], "json other_instance: %s" % other)
        for s in js["services"]:
            if s.get("instance") == "contoso" and \
                    s["id"] == "microsoft-sharepoint":
                check(s["devices"] == 2 and s["bytes_up"] > 400 * 1200,
                      "json contoso: %s devices, %s bytes up" %
                      (s["devices"], s["bytes_up"]))
        for fmt in ("text", "markdown", "json", "csv", "html"):
            out = run([shadowtap, "summary", "-d", db, "-R", rules,
                       "--format", fmt])
            for want in SHOWN + ["Microsoft OneDrive (personal)"]:
                if fmt == "html":
                    want = html.escape(want, False).replace(
                        '"', "&quot;").replace("'", "&#39;")
                elif fmt == "csv":
                    want = want.replace('"', '""')
                elif fmt == "json":
                    want = json.dumps(want)[1:-1]
                check(want in out, "%s shows %s" % (fmt, want))
    print("instance: %d failed" % fail)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
