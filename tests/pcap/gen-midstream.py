#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/midstream.pcap: flows whose start is not in the
capture or that carry no name of their own (issue 16, item 2 and the
media of item 1). Addresses are documentation ranges (RFC 5737).

Flow 1 (client port 41001): TCP without SYN, one client segment holding a
BitTorrent handshake (BEP 3) that is never answered.

Flow 2 (41002): uTP (BEP 29) caught mid-connection: an ST_DATA and the
peer's ST_STATE, connection ids one apart, no ST_SYN.

Flow 3 (41003): the first datagram is a DHT answer (BEP 5) that starts
with BEP 42's "ip" key.

Flow 4 (41004): a TURN Allocate (RFC 8656) to 198.51.100.7:3478; the
server's 401 carries REALM signal.org, the retried Allocate's success
answer XOR-RELAYED-ADDRESS 198.51.100.7:50000.

Flow 5 (41004 again, to 198.51.100.7:50000): RTP from the client's
endpoint of flow 4 to the relay: named from that call.

Flow 6 (203.0.113.9:41005 to 198.51.100.7:50000): the remote peer's RTP
to the relayed address: named from that call too.

Flow 7 (41006 to 198.51.100.7:50001): the same RTP on endpoints no STUN
named: stays unnamed.

Flow 8 (41007 to 198.51.100.20:3478): a WhatsApp call relay's Allocate,
one unpadded attribute of type 0x4000 (message length 11).

Flow 9 (41007 to 203.0.113.30:45000): plain STUN Binding requests (ICE
checks) from the same client endpoint, the call's peer-to-peer leg: named
from flow 8's signature.

usage: gen-midstream.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600
CLIENT = bytes([192, 0, 2, 10])
PEER = bytes([203, 0, 113, 9])
SERVER = bytes([198, 51, 100, 7])
COOKIE = 0x2112A442


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                    proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def udp(src, sport, dst, dport, data):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data),
                                        0) + data)


def tcp(src, sport, dst, dport, seq, ack, flags, data):
    return ip(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq, ack,
                                       5 << 4, flags, 65535, 0, 0) + data)


def eth(pkt):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + pkt


def stun(mtype, txid, attrs):
    body = b""
    for t, v in attrs:
        body += struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)
    return struct.pack("!HHI", mtype, len(body), COOKIE) + txid + body


def xor_addr(addr, port):
    return struct.pack("!BBH", 0, 1, port ^ (COOKIE >> 16)) + bytes(
        a ^ c for a, c in zip(addr, struct.pack("!I", COOKIE)))


def utp(kind, cid, seq, ack, data=b""):
    return struct.pack("!BBHIIIHH", kind << 4 | 1, 0, cid, 1000, 0, 65536,
                       seq, ack) + data


def rtp(seq):
    return struct.pack("!BBHII", 0x80, 111, seq, seq * 960, 0x1234abcd) + \
        b"\xaa" * 60


def main():
    pkts = []
    t = [0]

    def add(p):
        t[0] += 1
        pkts.append((T0 + t[0] // 100, (t[0] % 100) * 10000, eth(p)))

    hs = b"\x13BitTorrent protocol" + b"\0" * 8 + b"\x11" * 20 + b"-XX0001-" + \
        b"\x22" * 12
    add(tcp(CLIENT, 41001, SERVER, 38305, 5000, 9000, 0x18, hs))
    add(udp(CLIENT, 41002, SERVER, 41999, utp(0, 0x2001, 0x0100, 0x0500,
                                              b"\x33" * 100)))
    add(udp(SERVER, 41999, CLIENT, 41002, utp(2, 0x2000, 0x0501, 0x0100)))
    add(udp(SERVER, 41998, CLIENT, 41003,
            b"d2:ip6:\xc0\x00\x02\x0a\xa0\x2b1:rd2:id20:" + b"\x44" * 20 +
            b"5:nodes0:e1:t2:aa1:y1:re"))
    tx1, tx2 = b"\x01" * 12, b"\x02" * 12
    lifetime = (0x000D, struct.pack("!I", 600))
    transport = (0x0019, b"\x11\0\0\0")
    add(udp(CLIENT, 41004, SERVER, 3478, stun(0x0003, tx1, [transport])))
    add(udp(SERVER, 3478, CLIENT, 41004, stun(0x0113, tx1, [
        (0x0009, b"\0\0\x04\x01Unauthorized"), (0x0015, b"0123456789abcdef"),
        (0x0014, b"signal.org")])))
    add(udp(CLIENT, 41004, SERVER, 3478, stun(0x0003, tx2, [
        transport, (0x0006, b"user"), (0x0014, b"signal.org"),
        (0x0015, b"0123456789abcdef"), (0x0008, b"\0" * 20)])))
    add(udp(SERVER, 3478, CLIENT, 41004, stun(0x0103, tx2, [
        (0x0016, xor_addr(SERVER, 50000)),
        (0x0020, xor_addr(CLIENT, 41004)), lifetime])))
    for i in range(3):
        add(udp(CLIENT, 41004, SERVER, 50000, rtp(i)))
    for i in range(3):
        add(udp(PEER, 41005, SERVER, 50000, rtp(100 + i)))
    for i in range(3):
        add(udp(CLIENT, 41006, SERVER, 50001, rtp(200 + i)))
    relay, remote = bytes([198, 51, 100, 20]), bytes([203, 0, 113, 30])
    wa = struct.pack("!HHI", 0x0003, 11, COOKIE) + b"\x03" * 12 + \
        struct.pack("!HH", 0x4000, 7) + b"\x5a" * 7
    add(udp(CLIENT, 41007, relay, 3478, wa))
    for i in range(2):
        add(udp(CLIENT, 41007, remote, 45000, stun(0x0001, bytes([4 + i]) * 12,
                                                  [(0x0008, b"\0" * 20)])))
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for sec, usec, p in pkts:
            f.write(struct.pack("<IIII", sec, usec, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
