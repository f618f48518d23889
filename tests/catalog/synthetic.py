#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The generated catalog names what it lists (issue 15, second Done-when).

Draws 300 services of rules/gen-*.rules with a fixed seed (plus 40 more
from the infrastructure and everyday-web classes), makes up a host name
under one domain of each ("<random label>.<domain>"), and writes a capture
of its own: per name a DNS query and answer and a TLS ClientHello with
that SNI, from six devices. Then runs

  shadowtap capture -q --deterministic -d DB --events FILE -R RULES -P POLICY
  shadowtap summary -d DB --format json

and checks that at least 97% of the TLS flows come back named with the
service the name was drawn from, that every service drawn appears in the
summary, and that no service of an "infra-" or "web-" category appears in
the summary's shadow-IT parts (unsanctioned services, unsanctioned
categories, duplicate tools, workarounds, the text report's unsanctioned
section).

usage: synthetic.py SHADOWTAP RULES_DIR POLICY
"""
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

SEED = 15
N = 300
N_BACKGROUND = 40
T0 = 1767261600  # 2026-01-01T10:00:00Z
GW_MAC = b"\x00\x11\x22\x33\x44\x55"


def catalog(rules):
    """[(id, category, [domains])] of the generated services."""
    out = []
    for name in sorted(os.listdir(rules)):
        if not (name.startswith("gen-") and name.endswith(".rules")):
            continue
        cur = None
        with open(os.path.join(rules, name)) as f:
            for line in f:
                w = line.split("#", 1)[0].split()
                if len(w) == 3 and w[0] == "service" and w[2] == "{":
                    cur = [w[1], None, []]
                elif w and w[0] == "category" and cur:
                    cur[1] = w[1]
                elif w and w[0] == "domains" and cur:
                    cur[2] += w[1:]
                elif w == ["}"] and cur:
                    out.append(tuple(cur))
                    cur = None
    return out


def background(cat):
    return cat.startswith("infra-") or cat.startswith("web-")


# --- the capture ----------------------------------------------------------

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ether(src, dst, payload):
    return dst + src + struct.pack("!H", 0x0800) + payload


def ipv4(src, dst, proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1,
                      0x4000, 64, proto, 0, ip4(src), ip4(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6,
                                               len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def udp(src, dst, sport, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17,
                                               8 + len(payload))
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def dns_name(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".")) + \
        b"\0"


def dns(qid, name, addr=None):
    q = dns_name(name) + struct.pack("!HH", 1, 1)
    if addr is None:
        return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q
    a = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + ip4(addr)
    return struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q + a


def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body


def client_hello(sni):
    host = sni.encode()
    exts = ext(0, struct.pack("!HBH", len(host) + 3, 0, len(host)) + host)
    exts += ext(0x000A, struct.pack("!HH", 2, 0x001D))
    exts += ext(0x000D, struct.pack("!HH", 2, 0x0403))
    exts += ext(0x002B, b"\x02\x03\x04")
    exts += ext(0x0033, struct.pack("!HHH", 36, 0x001D, 32) + bytes(32))
    ciphers = struct.pack("!HH", 0x1301, 0x1302)
    body = struct.pack("!H", 0x0303) + bytes(32) + b"\x00"
    body += struct.pack("!H", len(ciphers)) + ciphers + b"\x01\x00"
    body += struct.pack("!H", len(exts)) + exts
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def write_pcap(path, names, rnd):
    devs = [(bytes([0x3c, 0x22, 0xfb, 0, 0, i]), "192.168.7.%d" % (20 + i))
            for i in range(1, 7)]
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

        def put(ts, frame):
            sec = int(ts)
            f.write(struct.pack("<IIII", sec, int((ts - sec) * 1e6),
                                len(frame), len(frame)))
            f.write(frame)
        ts = float(T0)
        for i, name in enumerate(names):
            dmac, dip = devs[rnd.randrange(len(devs))]
            srv = "198.18.%d.%d" % (i // 250, 1 + i % 250)
            qid, sport = 1 + i, 20000 + i
            put(ts, ether(dmac, GW_MAC, ipv4(dip, "192.168.7.1", 17, udp(
                dip, "192.168.7.1", sport, 53, dns(qid, name)))))
            put(ts + 0.002, ether(GW_MAC, dmac, ipv4("192.168.7.1", dip, 17,
                udp("192.168.7.1", dip, 53, sport, dns(qid, name, srv)))))
            cs, ss = 1000, 90000
            seq = [(True, 0x02, b""), (False, 0x12, b""), (True, 0x10, b""),
                   (True, 0x18, client_hello(name)),
                   (False, 0x18, b"\x16\x03\x03\x00\x04" + bytes(4)),
                   (True, 0x18, b"\x17\x03\x03\x01\x00" + bytes(256)),
                   (True, 0x11, b""), (False, 0x11, b"")]
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
                t += 0.005
            ts += 1.0


# --- the test ---------------------------------------------------------------

def main():
    shadowtap, rules, policy = sys.argv[1:4]
    svcs = catalog(rules)
    if len(svcs) < N:
        print("FAIL: only %d generated services" % len(svcs))
        return 1
    rnd = random.Random(SEED)
    drawn = rnd.sample(svcs, N)
    ids = set(s[0] for s in drawn)
    bg = [s for s in svcs if background(s[1]) and s[0] not in ids]
    drawn += rnd.sample(bg, N_BACKGROUND)
    want = {}
    for sid, cat, doms in drawn:
        label = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                        for _ in range(10))
        want["%s.%s" % (label, rnd.choice(doms))] = (sid, cat)
    names = list(want)
    catof = {s[0]: s[1] for s in svcs}
    fail = 0
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "catalog.pcap")
        db = os.path.join(tmp, "catalog.db")
        ev = os.path.join(tmp, "events.jsonl")
        write_pcap(pcap, names, rnd)
        p = subprocess.run([shadowtap, "capture", "-q", "--deterministic",
                            "-d", db, "--events", ev, "-R", rules, "-P",
                            policy, "-r", pcap], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode())
            print("FAIL: capture exited %d" % p.returncode)
            return 99
        got = {}
        with open(ev) as f:
            for line in f:
                o = json.loads(line)
                if o.get("type") == "flow" and o.get("sni"):
                    got[o["sni"]] = o.get("service")
        right = sum(1 for n in names if got.get(n) == want[n][0])
        for n in names:
            if got.get(n) != want[n][0]:
                print("not named: %s -> %s (want %s)" %
                      (n, got.get(n), want[n][0]))
        share = 1000 * right // len(names)
        print("named with the right service: %d of %d (%d.%d%%)" %
              (right, len(names), share // 10, share % 10))
        if right * 100 < 97 * len(names):
            print("FAIL: fewer than 97%% named right")
            fail = 1
        summ = {}
        for fmt in ("json", "text"):
            p = subprocess.run([shadowtap, "summary", "-d", db, "-R", rules,
                                "-P", policy, "--format", fmt],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if p.returncode != 0:
                sys.stderr.write(p.stderr.decode())
                print("FAIL: summary --format %s exited %d" %
                      (fmt, p.returncode))
                return 99
            summ[fmt] = p.stdout.decode()
    js = json.loads(summ["json"])
    listed = set(s["id"] for s in js["services"])
    missing = sorted(set(w[0] for w in want.values()) - listed)
    if len(missing) * 100 > 3 * len(want):
        print("FAIL: %d drawn services missing from the summary: %s" %
              (len(missing), " ".join(missing[:20])))
        fail = 1
    nbg = 0
    for s in js["services"]:
        if not background(s["category"]):
            continue
        nbg += 1
        if s["status"] == "unsanctioned":
            print("FAIL: %s (%s) reported as unsanctioned" %
                  (s["id"], s["category"]))
            fail = 1
    if nbg < N_BACKGROUND:
        print("FAIL: only %d infrastructure or web services in the summary"
              % nbg)
        fail = 1
    for c in js["categories"]:
        if background(c["id"]) and (c.get("duplicate") or
                                    c.get("unsanctioned_services")):
            print("FAIL: category %s in a shadow-IT part: %s" %
                  (c["id"], json.dumps(c)))
            fail = 1
    unsanctioned = [s for s in js["services"]
                    if s["status"] == "unsanctioned"]
    if js["totals"]["unsanctioned_services"] != len(unsanctioned):
        print("FAIL: headline counts %d unsanctioned services, %d listed" %
              (js["totals"]["unsanctioned_services"], len(unsanctioned)))
        fail = 1
    bgnames = set(s["name"] for s in js["services"]
                  if background(s["category"]))
    for w in js["workarounds"]:
        for part in re.split(r", | and ", w.get("examples") or ""):
            if part in bgnames:
                print("FAIL: workaround %s names %s" % (w["id"], part))
                fail = 1
    text = summ["text"]
    sect = text.split("UNSANCTIONED SERVICES BY CATEGORY", 1)
    if len(sect) == 2:
        body = re.split(r"\n[A-Z][A-Z ,()-]+\n", sect[1], 1)[0]
        for line in body.splitlines():
            m = re.match(r"  ((?:infra|web)-[a-z-]+):", line)
            if m:
                print("FAIL: text report lists %s as unsanctioned" %
                      m.group(1))
                fail = 1
    dup = text.split("DUPLICATE TOOLS", 1)
    if len(dup) == 2:
        body = re.split(r"\n[A-Z][A-Z ,()-]+\n", dup[1], 1)[0]
        for line in body.splitlines():
            m = re.match(r"  - ((?:infra|web)-[a-z-]+):", line)
            if m:
                print("FAIL: text report lists %s as a duplicate tool" %
                      m.group(1))
                fail = 1
    print("%d services drawn, %d in the summary, %d of them infrastructure"
          " or everyday web, %d unsanctioned" %
          (len(want), len(listed), nbg, len(unsanctioned)))
    return fail


if __name__ == "__main__":
    sys.exit(main())
