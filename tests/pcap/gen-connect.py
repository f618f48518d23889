#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/connect.pcap: HTTP CONNECT tunnels through a web
proxy (RFC 9110 9.3.6), issue 16 items 3 and 8. Documentation addresses.

Flow 1 (client port 40101 to the proxy's 3128): CONNECT
www.example.org:443, the proxy's "200 Connection established", then the
client's TLS ClientHello to the target inside the tunnel (SNI
www.example.org, ALPN h2, TLS 1.3 offered).

Flow 2 (40102): CONNECT ssh.example.net:22, then an SSH banner inside:
no TLS, the flow keeps the CONNECT target as its name.

Flow 3 (40103): CONNECT www.example.org:443, then a ClientHello whose SNI
is another name (front.example.com).

usage: gen-connect.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600
CLI = bytes([192, 0, 2, 10])
PROXY = bytes([198, 51, 100, 9])


def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body


def client_hello(sni):
    name = sni.encode()
    exts = ext(0, struct.pack("!HBH", len(name) + 3, 0, len(name)) + name)
    exts += ext(10, bytes.fromhex("0004001d0017"))
    exts += ext(13, bytes.fromhex("0006040308040401"))
    exts += ext(16, bytes.fromhex("0003026832"))      # ALPN "h2"
    exts += ext(43, bytes.fromhex("0403040303"))      # TLS 1.3, 1.2
    exts += ext(51, struct.pack("!HHH", 36, 0x001d, 32) + b"\x42" * 32)
    body = (b"\x03\x03" + b"\x11" * 32 + b"\x20" + b"\x22" * 32 +
            bytes.fromhex("00061301130213030100") +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def tcp(src, dst, sport, dport, seq, ack, flags, payload):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack, 5 << 4,
                    flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(t), 1, 0x4000, 64, 6,
                     0, src, dst)
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + t


def flow(port, talk):
    c, s = 1000, 5000
    out = [tcp(CLI, PROXY, port, 3128, c, 0, 0x02, b""),
           tcp(PROXY, CLI, 3128, port, s, c + 1, 0x12, b""),
           tcp(CLI, PROXY, port, 3128, c + 1, s + 1, 0x10, b"")]
    c, s = c + 1, s + 1
    for up, data in talk:
        if up:
            out.append(tcp(CLI, PROXY, port, 3128, c, s, 0x18, data))
            c += len(data)
        else:
            out.append(tcp(PROXY, CLI, 3128, port, s, c, 0x18, data))
            s += len(data)
    return out


def main():
    ok = b"HTTP/1.1 200 Connection established\r\n\r\n"
    frames = flow(40101, [
        (1, b"CONNECT www.example.org:443 HTTP/1.1\r\n"
            b"Host: www.example.org:443\r\nUser-Agent: curl/8.5.0\r\n\r\n"),
        (0, ok), (1, client_hello("www.example.org"))])
    frames += flow(40102, [
        (1, b"CONNECT ssh.example.net:22 HTTP/1.1\r\n"
            b"Host: ssh.example.net:22\r\n\r\n"),
        (0, ok), (1, b"SSH-2.0-OpenSSH_9.6\r\n"),
        (0, b"SSH-2.0-OpenSSH_9.6\r\n")])
    frames += flow(40103, [
        (1, b"CONNECT www.example.org:443 HTTP/1.1\r\n"
            b"Host: www.example.org:443\r\n\r\n"),
        (0, ok), (1, client_hello("front.example.com"))])
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            f.write(struct.pack("<IIII", T0, i * 1000, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
