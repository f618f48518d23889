#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/socks.pcap: SOCKS proxy requests (RFC 1928, RFC
1929, SOCKS 4a), issue 16 item 3. Documentation addresses; the proxy
listens on 1080.

Flow 1 (client port 40201): SOCKS 5 without authentication, CONNECT
www.dropbox.com:443, the proxy's success reply.
Flow 2 (40202): SOCKS 5 with an RFC 1929 log-in (user "alice", password
"hunter2"), CONNECT unknown.example.net:443.
Flow 3 (40203): SOCKS 4a, CONNECT www.dropbox.com:80 with user id "bob".
Flow 4 (40204): SOCKS 5, CONNECT 203.0.113.5:443 (an address, no name).

usage: gen-socks.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600
CLI = bytes([192, 0, 2, 10])
PROXY = bytes([198, 51, 100, 9])
PORT = 1080


def tcp(src, dst, sport, dport, seq, ack, flags, payload):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack, 5 << 4,
                    flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(t), 1, 0x4000, 64, 6,
                     0, src, dst)
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + t


def flow(port, talk):
    c, s = 1000, 5000
    out = [tcp(CLI, PROXY, port, PORT, c, 0, 0x02, b""),
           tcp(PROXY, CLI, PORT, port, s, c + 1, 0x12, b""),
           tcp(CLI, PROXY, port, PORT, c + 1, s + 1, 0x10, b"")]
    c, s = c + 1, s + 1
    for up, data in talk:
        if up:
            out.append(tcp(CLI, PROXY, port, PORT, c, s, 0x18, data))
            c += len(data)
        else:
            out.append(tcp(PROXY, CLI, PORT, port, s, c, 0x18, data))
            s += len(data)
    return out


def req5_domain(name, port):
    n = name.encode()
    return b"\x05\x01\x00\x03" + bytes([len(n)]) + n + struct.pack("!H", port)


def main():
    ok5 = b"\x05\x00\x00\x01" + bytes(4) + b"\x00\x00"
    frames = flow(40201, [
        (1, b"\x05\x01\x00"), (0, b"\x05\x00"),
        (1, req5_domain("www.dropbox.com", 443)), (0, ok5)])
    frames += flow(40202, [
        (1, b"\x05\x02\x00\x02"), (0, b"\x05\x02"),
        (1, b"\x01\x05alice\x07hunter2"), (0, b"\x01\x00"),
        (1, req5_domain("unknown.example.net", 443)), (0, ok5)])
    frames += flow(40203, [
        (1, b"\x04\x01\x00\x50\x00\x00\x00\x01bob\x00www.dropbox.com\x00"),
        (0, b"\x00\x5a" + bytes(6))])
    frames += flow(40204, [
        (1, b"\x05\x01\x00"), (0, b"\x05\x00"),
        (1, b"\x05\x01\x00\x01" + bytes([203, 0, 113, 5]) + b"\x01\xbb"),
        (0, ok5)])
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            f.write(struct.pack("<IIII", T0, i * 1000, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
