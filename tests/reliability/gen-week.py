#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Write one synthetic week of office traffic as a pcap (stdlib only).

Eight devices on three subnets (10.20.1.0/24, 10.20.2.0/24, 10.20.3.0/24)
each make one DNS lookup and one TCP connection every five minutes, around
the clock, from Monday 2026-01-05 00:00 UTC for seven days, and renew their
DHCP lease each morning. A few lookups and connections fail at random all
week (about one in a hundred): the normal background.

With --degraded, on weekdays between 14:00 and 16:00 UTC the devices of
10.20.2.0/24 see 30% of their DNS lookups time out and 30% of their
connection attempts go unanswered, and they upload files to a personal
storage service during those hours (the workaround). Nothing else changes.

usage: gen-week.py [--degraded] [--days N] [--seed N] OUTPUT.pcap
"""
import argparse
import importlib.util
import os
import random
import struct

T0 = 1767571200          # 2026-01-05T00:00:00Z, a Monday
STEP = 300               # seconds between a device's exchanges
GW_MAC = "00:11:22:33:44:55"
RESOLVER = "10.20.0.53"
DHCP_SERVER = "10.20.0.1"
SERVERS = ["198.51.100.10", "198.51.100.11", "203.0.113.20", "203.0.113.21"]
STORAGE = ("www.dropbox.com", "162.125.1.18")
DEVICES = [
    ("02:00:00:00:01:01", "10.20.1.11"),
    ("02:00:00:00:01:02", "10.20.1.12"),
    ("02:00:00:00:01:03", "10.20.1.13"),
    ("02:00:00:00:02:01", "10.20.2.21"),
    ("02:00:00:00:02:02", "10.20.2.22"),
    ("02:00:00:00:02:03", "10.20.2.23"),
    ("02:00:00:00:03:01", "10.20.3.31"),
    ("02:00:00:00:03:02", "10.20.3.32"),
]
DEGRADED_NET = "10.20.2."
BAD_HOURS = (14, 15)
FAIL_BAD = 0.30
FAIL_NORMAL = 0.01


# The checksum and address helpers of the sample capture's generator.
_spec = importlib.util.spec_from_file_location("gen_sample", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "pcap",
    "gen-sample.py"))
_gen_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gen_sample)
csum, ip4, mac = _gen_sample.csum, _gen_sample.ip4, _gen_sample.mac


def ether(src, dst, payload):
    return mac(dst) + mac(src) + struct.pack("!H", 0x0800) + payload


def ipv4(src, dst, proto, payload, total=None):
    length = 20 + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 1, 0x4000, 64, proto,
                      0, ip4(src), ip4(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def tcp(sport, dport, seq, ack, flags):
    # The checksum is left zero: shadowtap does not verify it, and the
    # capture stays quick to write.
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                       ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def dns_name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"


def dns_query(qid, name):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + \
        struct.pack("!HH", 1, 1)


def dns_answer(qid, name, addr):
    q = dns_name(name) + struct.pack("!HH", 1, 1)
    a = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + ip4(addr)
    return struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q + a


def dhcp(op, mtype, xid, chaddr, yiaddr="0.0.0.0"):
    body = struct.pack("!BBBBIHH4s4s4s4s", op, 1, 6, 0, xid, 0, 0x8000,
                       bytes(4), ip4(yiaddr), bytes(4), bytes(4))
    body += mac(chaddr) + bytes(10) + bytes(64) + bytes(128)
    body += b"\x63\x82\x53\x63" + bytes([53, 1, mtype, 255])
    return body


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.queue = []

    def add(self, ts, frame):
        self.queue.append((ts, frame))

    def flush(self, upto=None):
        """Writes queued packets older than upto in time order."""
        self.queue.sort(key=lambda p: p[0])
        keep = []
        for ts, frame in self.queue:
            if upto is not None and ts >= upto:
                keep.append((ts, frame))
                continue
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            if usec == 1000000:
                sec, usec = sec + 1, 0
            # The wire length is the IP total length's: the capture holds
            # the headers only, as with a short snapshot length.
            wire = max(len(frame), 14 + struct.unpack("!H", frame[16:18])[0])
            self.f.write(struct.pack("<IIII", sec, usec, len(frame), wire))
            self.f.write(frame)
        self.queue = keep


def lookup(w, ts, dev, qid, name, addr, answered):
    dmac, dip = dev
    sport = 20000 + qid % 40000
    w.add(ts, ether(dmac, GW_MAC, ipv4(dip, RESOLVER, 17,
                                       udp(sport, 53, dns_query(qid, name)))))
    if answered:
        w.add(ts + 0.012, ether(GW_MAC, dmac, ipv4(RESOLVER, dip, 17,
              udp(53, sport, dns_answer(qid, name, addr)))))


def connect(w, ts, dev, sport, server, answered, up=0):
    dmac, dip = dev
    cs, ss = 1000 + sport, 90000 + sport

    def c2s(t, flags, n=0):
        w.add(t, ether(dmac, GW_MAC, ipv4(dip, server, 6,
                                          tcp(sport, 443, cs, ss, flags),
                                          40 + n)))

    def s2c(t, flags):
        w.add(t, ether(GW_MAC, dmac, ipv4(server, dip, 6,
                                          tcp(443, sport, ss, cs, flags))))
    if not answered:
        for retry in (0.0, 1.0, 3.0):
            c2s(ts + retry, 0x02)
        return
    c2s(ts, 0x02)
    s2c(ts + 0.020, 0x12)
    c2s(ts + 0.021, 0x10)
    # Upload volume rides in the IP length of a few headers-only packets.
    t = ts + 0.03
    while up > 0:
        n = min(up, 60000)
        c2s(t, 0x18, n)
        up -= n
        t += 0.001
    s2c(t + 0.02, 0x18)
    c2s(t + 0.03, 0x11)
    s2c(t + 0.04, 0x11)
    c2s(t + 0.05, 0x10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degraded", action="store_true")
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("output")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    w = Writer(a.output)
    qid = 1
    sport = 10000
    for step in range(a.days * 86400 // STEP):
        base = T0 + step * STEP
        day, hour = divmod((base - T0) // 3600, 24)
        weekday = day % 7
        for i, dev in enumerate(DEVICES):
            ts = base + i * 7 + rng.random()
            bad = (a.degraded and dev[1].startswith(DEGRADED_NET) and
                   weekday < 5 and hour in BAD_HOURS)
            p = FAIL_BAD if bad else FAIL_NORMAL
            if step % 288 == 96 + i:
                xid = 0x1000 + step * 16 + i
                w.add(ts, ether(dev[0], "ff:ff:ff:ff:ff:ff", ipv4(
                    "0.0.0.0", "255.255.255.255", 17,
                    udp(68, 67, dhcp(1, 1, xid, dev[0])))))
                w.add(ts + 0.01, ether(GW_MAC, dev[0], ipv4(
                    DHCP_SERVER, dev[1], 17,
                    udp(67, 68, dhcp(2, 2, xid, dev[0], dev[1])))))
                w.add(ts + 0.02, ether(dev[0], "ff:ff:ff:ff:ff:ff", ipv4(
                    "0.0.0.0", "255.255.255.255", 17,
                    udp(68, 67, dhcp(1, 3, xid, dev[0])))))
                w.add(ts + 0.03, ether(GW_MAC, dev[0], ipv4(
                    DHCP_SERVER, dev[1], 17,
                    udp(67, 68, dhcp(2, 5, xid, dev[0], dev[1])))))
            server = SERVERS[(step + i) % len(SERVERS)]
            lookup(w, ts + 0.1, dev, qid, "app%d.example.com" % (qid % 5),
                   server, rng.random() >= p)
            qid += 1
            sport = sport + 1 if sport < 60000 else 10000
            connect(w, ts + 0.2, dev, sport, server, rng.random() >= p)
            if bad and step % 3 == 0:
                sport = sport + 1 if sport < 60000 else 10000
                lookup(w, ts + 1.5, dev, qid, STORAGE[0], STORAGE[1], True)
                qid += 1
                connect(w, ts + 1.6, dev, sport, STORAGE[1], True,
                        up=400000)
        w.flush(upto=base + STEP - 10)
    w.flush()
    w.f.close()


if __name__ == "__main__":
    main()
