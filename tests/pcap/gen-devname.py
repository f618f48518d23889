#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/devname.pcap: names devices give themselves on the
local network (issue 16, item 7). Addresses are documentation ranges and
link-local multicast groups.

1. An mDNS announcement (RFC 6762 8.3) from 192.0.2.50: the answer
   "Lucas-iPhone.local" A 192.0.2.50, sent twice (one event).
2. An mDNS answer whose owner is a DNS-SD service name
   ("_ssh._tcp.local"): no device name.
3. A NetBIOS name registration (RFC 1002 4.2.2) of "WORKSTATION7" from
   192.0.2.51 to the broadcast address.
4. An LLMNR response (RFC 4795) from 192.0.2.52 for "printer3" A
   192.0.2.52.
5. An mDNS announcement of a name with a character devname.c refuses
   ('"'): no event.
6. A DNS-SD answer over mDNS from 192.0.2.53 (RFC 6763 12): the answer a
   PTR for "_smb._tcp.local", the host's "Office-Mac.local" A 192.0.2.53
   in the additional section.

usage: gen-devname.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600


def ip(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 255,
                    proto, 0, bytes(src), bytes(dst))
    return h + payload


def udp(src, sport, dst, dport, data):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data),
                                        0) + data)


def eth(src_mac, pkt):
    return b"\x01\x00\x5e\x00\x00\xfb" + src_mac + b"\x08\x00" + pkt


def name(*labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


def mdns_answer(owner, addr):
    rr = owner + struct.pack("!HHIH", 1, 0x8001, 120, 4) + bytes(addr)
    return struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 0) + rr


def nb_encode(n, suffix=0):
    raw = n.ljust(15, b" ") + bytes([suffix])
    return b"".join(bytes([0x41 + (c >> 4), 0x41 + (c & 15)]) for c in raw)


def main():
    pkts = []
    mac = [b"\x02\0\0\0\0\x50", b"\x02\0\0\0\0\x51", b"\x02\0\0\0\0\x52"]
    dev, nb, ll = [192, 0, 2, 50], [192, 0, 2, 51], [192, 0, 2, 52]
    mc = [224, 0, 0, 251]
    ann = mdns_answer(name(b"Lucas-iPhone", b"local"), dev)
    pkts.append(eth(mac[0], udp(dev, 5353, mc, 5353, ann)))
    pkts.append(eth(mac[0], udp(dev, 5353, mc, 5353, ann)))
    pkts.append(eth(mac[0], udp(dev, 5353, mc, 5353, mdns_answer(
        name(b"_ssh", b"_tcp", b"local"), dev))))
    reg = struct.pack("!HHHHHH", 0x1234, 0x2910, 1, 0, 0, 1) + \
        b"\x20" + nb_encode(b"WORKSTATION7") + b"\0" + \
        struct.pack("!HH", 0x20, 1) + b"\xc0\x0c" + \
        struct.pack("!HHIHH", 0x20, 1, 300000, 6, 0) + bytes(nb)
    pkts.append(eth(mac[1], udp(nb, 137, [192, 0, 2, 255], 137, reg)))
    resp = struct.pack("!HHHHHH", 0x4321, 0x8000, 1, 1, 0, 0) + \
        name(b"printer3") + struct.pack("!HH", 1, 1) + \
        name(b"printer3") + struct.pack("!HHIH", 1, 1, 30, 4) + bytes(ll)
    pkts.append(eth(mac[2], udp(ll, 5355, [192, 0, 2, 9], 50000, resp)))
    pkts.append(eth(mac[0], udp(dev, 5353, mc, 5353, mdns_answer(
        name(b'Bad"Name', b"local"), dev))))
    sd = struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 1) + \
        name(b"_smb", b"_tcp", b"local") + struct.pack("!HHIH", 12, 1, 120,
                                                       13) + \
        b"\x0aOffice-Mac\xc0\x0c" + name(b"Office-Mac", b"local") + \
        struct.pack("!HHIH", 1, 0x8001, 120, 4) + bytes([192, 0, 2, 53])
    pkts.append(eth(b"\x02\0\0\0\0\x53", udp([192, 0, 2, 53], 5353, mc,
                                                5353, sd)))
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", T0 + i, 0, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
