#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/sample.pcap: one synthetic office afternoon.

Six devices behind one switch talk to a mix of sanctioned and unsanctioned
services: DNS lookups, TLS ClientHellos with SNI (one split across two TCP
segments, one on a VLAN), plain HTTP, and uploads of different sizes. The
packets are built by hand (no third-party code), so the file is ours to
ship and its contents are known exactly.

usage: gen-sample.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600  # 2026-01-01T10:00:00Z

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def ip4(a):
    return bytes(int(x) for x in a.split("."))

def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))

GW_MAC = "00:11:22:33:44:55"

class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    def packet(self, ts, frame, snap=None):
        """Writes one record; snap keeps only the first bytes, as a
        capture with a short snapshot length would (the headers still
        give the full lengths)."""
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        data = frame if snap is None else frame[:snap]
        self.f.write(struct.pack("<IIII", sec, usec, len(data), len(frame)))
        self.f.write(data)

def ether(src, dst, payload, vlan=None):
    if vlan is not None:
        return mac(dst) + mac(src) + struct.pack("!HHH", 0x8100, vlan, 0x0800) + payload
    return mac(dst) + mac(src) + struct.pack("!H", 0x0800) + payload

def ipv4(src, dst, proto, payload, ident=1):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000,
                      64, proto, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload

def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      5 << 4, flags, 65535, 0, 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload

def udp(src, dst, sport, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, 8 + len(payload))
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload

def dns_name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"

def dns_query(qid, name):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack("!HH", 1, 1)

def dns_answer(qid, name, addr):
    q = dns_name(name) + struct.pack("!HH", 1, 1)
    a = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + ip4(addr)
    return struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q + a

def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body

def client_hello(sni):
    host = sni.encode()
    exts = b""
    exts += ext(0x0000, struct.pack("!HBH", len(host) + 3, 0, len(host)) + host)
    exts += ext(0x000A, struct.pack("!H", 6) + struct.pack("!HHH", 0x001D, 0x0017, 0x0018))
    exts += ext(0x000B, b"\x01\x00")
    exts += ext(0x000D, struct.pack("!H", 8) + struct.pack("!HHHH", 0x0403, 0x0804, 0x0401, 0x0201))
    alpn = b"\x02h2\x08http/1.1"
    exts += ext(0x0010, struct.pack("!H", len(alpn)) + alpn)
    exts += ext(0x002B, b"\x04\x03\x04\x03\x03")
    exts += ext(0x0033, struct.pack("!HHH", 36, 0x001D, 32) + bytes(range(32)))
    ciphers = struct.pack("!HHHHH", 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F)
    body = struct.pack("!H", 0x0303) + bytes(32) + b"\x20" + bytes(range(32))
    body += struct.pack("!H", len(ciphers)) + ciphers + b"\x01\x00"
    body += struct.pack("!H", len(exts)) + exts
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs

class Conn:
    """One TCP connection between a device and a server."""
    def __init__(self, w, dev, server, sport, dport, vlan=None):
        self.w, self.dev, self.server = w, dev, server
        self.sport, self.dport, self.vlan = sport, dport, vlan
        self.cseq, self.sseq = 1000 + sport * 7, 50000 + sport * 13
        self.ident = 1

    def send(self, ts, up, flags, payload=b"", snap=None):
        dmac, dip = self.dev
        if up:
            seg = tcp(dip, self.server, self.sport, self.dport, self.cseq, self.sseq, flags, payload)
            frame = ether(dmac, GW_MAC, ipv4(dip, self.server, 6, seg, self.ident), self.vlan)
            self.cseq += len(payload) + (1 if flags & 0x03 else 0)
        else:
            seg = tcp(self.server, dip, self.dport, self.sport, self.sseq, self.cseq, flags, payload)
            frame = ether(GW_MAC, dmac, ipv4(self.server, dip, 6, seg, self.ident), self.vlan)
            self.sseq += len(payload) + (1 if flags & 0x03 else 0)
        self.ident += 1
        self.w.packet(ts, frame, snap)

    def tls_session(self, ts, sni, up_bytes, down_bytes, split=False):
        self.send(ts, True, 0x02)
        self.send(ts + 0.010, False, 0x12)
        self.send(ts + 0.011, True, 0x10)
        hello = client_hello(sni)
        if split:
            self.send(ts + 0.012, True, 0x18, hello[:60])
            self.send(ts + 0.013, True, 0x18, hello[60:])
        else:
            self.send(ts + 0.012, True, 0x18, hello)
        self.send(ts + 0.030, False, 0x18, b"\x16\x03\x03" + struct.pack("!H", 90) + bytes(90))
        t = ts + 0.040
        while up_bytes > 0:
            n = min(1400, up_bytes)
            self.send(t, True, 0x18, b"\x17\x03\x03" + struct.pack("!H", n - 5) + bytes(n - 5), 96)
            up_bytes -= n
            t += 0.001
        while down_bytes > 0:
            n = min(1400, down_bytes)
            self.send(t, False, 0x18, b"\x17\x03\x03" + struct.pack("!H", n - 5) + bytes(n - 5), 96)
            down_bytes -= n
            t += 0.001
        self.send(t, True, 0x11)
        self.send(t + 0.01, False, 0x11)
        self.send(t + 0.02, True, 0x10)

    def http_get(self, ts, host, path="/"):
        self.send(ts, True, 0x02)
        self.send(ts + 0.010, False, 0x12)
        self.send(ts + 0.011, True, 0x10)
        req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Mozilla/5.0\r\n"
               "Accept: */*\r\n\r\n" % (path, host)).encode()
        self.send(ts + 0.012, True, 0x18, req)
        self.send(ts + 0.040, False, 0x18, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        self.send(ts + 0.050, True, 0x11)
        self.send(ts + 0.060, False, 0x11)

def dns_lookup(w, ts, dev, name, addr, qid, resolver="192.168.1.1"):
    dmac, dip = dev
    sport = 40000 + qid
    w.packet(ts, ether(dmac, GW_MAC, ipv4(dip, resolver, 17, udp(dip, resolver, sport, 53, dns_query(qid, name)))))
    w.packet(ts + 0.005, ether(GW_MAC, dmac, ipv4(resolver, dip, 17, udp(resolver, dip, 53, sport, dns_answer(qid, name, addr)))))

def main():
    w = Writer(sys.argv[1])
    devs = {
        "alice": ("3c:22:fb:00:00:01", "192.168.1.21"),
        "bob": ("3c:22:fb:00:00:02", "192.168.1.22"),
        "carol": ("3c:22:fb:00:00:03", "192.168.1.23"),
        "dave": ("3c:22:fb:00:00:04", "192.168.1.24"),
        "erin": ("3c:22:fb:00:00:05", "192.168.1.25"),
        "frank": ("3c:22:fb:00:00:06", "192.168.1.26"),
    }
    # (device, server name, server address, upload bytes, download bytes)
    sessions = [
        ("alice", "teams.microsoft.com", "52.113.194.132", 20000, 90000),
        ("alice", "www.dropbox.com", "162.125.1.18", 4200000, 30000),
        ("bob", "wetransfer.com", "18.66.2.10", 9800000, 20000),
        ("bob", "onedrive.live.com", "13.107.42.13", 60000, 300000),
        ("carol", "web.whatsapp.com", "157.240.17.53", 15000, 40000),
        ("carol", "drive.google.com", "142.250.185.78", 2500000, 50000),
        ("dave", "chatgpt.com", "104.18.32.47", 120000, 400000),
        ("dave", "discord.com", "162.159.138.232", 8000, 25000),
        ("erin", "mail.google.com", "142.250.185.69", 1800000, 60000),
        ("erin", "pastebin.com", "104.22.68.199", 9000, 30000),
        ("frank", "anydesk.com", "195.181.174.19", 30000, 30000),
        ("frank", "teams.microsoft.com", "52.113.194.132", 10000, 40000),
        ("alice", "mega.nz", "31.216.144.5", 3100000, 10000),
        ("bob", "www.notion.so", "104.18.22.110", 40000, 90000),
        ("carol", "nordvpn.com", "104.17.49.74", 6000, 12000),
    ]
    ts = float(T0)
    qid = 1
    sport = 50000
    for i, (dev, name, addr, up, down) in enumerate(sessions):
        dns_lookup(w, ts, devs[dev], name, addr, qid)
        qid += 1
        vlan = 20 if dev == "frank" else None
        c = Conn(w, devs[dev], addr, sport, 443, vlan)
        c.tls_session(ts + 0.02, name, up, down, split=(i == 2))
        sport += 1
        ts += 37.0
    # Plain HTTP to a host no rule names: it must show as unclassified.
    c = Conn(w, devs["dave"], "93.184.215.14", sport, 80)
    c.http_get(ts, "updates.example-vendor.net")
    w.f.close()

if __name__ == "__main__":
    main()
