#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/sip.pcap: SIP messages on port 5060 (RFC 3261),
issue 16 item 1. Documentation addresses.

Flow 1 (UDP, client port 40301): INVITE sip:meet@acme.webex.com and the
server's 100 Trying: a catalogued domain (Webex).
Flow 2 (UDP 40302): REGISTER sip:sip.provider.example with a digest
Authorization and User-Agent Linphone, the 401 answer with Server.
Flow 3 (TCP 40303): INVITE sip:bob@voip.example.net split over two
segments.
Flow 4 (UDP 40304): OPTIONS to an address: no domain names the flow.

usage: gen-sip.py OUTPUT.pcap
"""
import struct
import sys

T0 = 1767261600
CLI = bytes([192, 0, 2, 10])
SRV = bytes([198, 51, 100, 20])
PORT = 5060


def ip(src, dst, proto, body):
    return (b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" +
            struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 1, 0x4000,
                        64, proto, 0, src, dst) + body)


def udp(src, dst, sport, dport, payload):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport,
                                        8 + len(payload), 0) + payload)


def tcp(src, dst, sport, dport, seq, ack, flags, payload):
    return ip(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq, ack,
                                       5 << 4, flags, 65535, 0, 0) + payload)


def msg(first, headers):
    return (first + "\r\n" + "".join(h + "\r\n" for h in headers) +
            "Content-Length: 0\r\n\r\n").encode()


def main():
    via = "Via: SIP/2.0/UDP 192.0.2.10:%d;branch=z9hG4bK%d"
    frames = [
        udp(CLI, SRV, 40301, PORT, msg(
            "INVITE sip:meet@acme.webex.com SIP/2.0",
            [via % (40301, 1), "To: <sip:meet@acme.webex.com>",
             "From: <sip:alice@example.org>;tag=1", "Call-ID: 1@x",
             "CSeq: 1 INVITE", "User-Agent: Cisco-CP8865/14.2"])),
        udp(SRV, CLI, PORT, 40301, msg(
            "SIP/2.0 100 Trying",
            [via % (40301, 1), "To: <sip:meet@acme.webex.com>",
             "From: <sip:alice@example.org>;tag=1", "Call-ID: 1@x",
             "CSeq: 1 INVITE"])),
        udp(CLI, SRV, 40302, PORT, msg(
            "REGISTER sip:sip.provider.example SIP/2.0",
            [via % (40302, 2), "To: <sip:carol@sip.provider.example>",
             "From: <sip:carol@sip.provider.example>;tag=2",
             "Call-ID: 2@x", "CSeq: 2 REGISTER",
             'Authorization: Digest username="carol", realm="x", '
             'nonce="n", uri="sip:sip.provider.example", '
             'response="0123456789abcdef0123456789abcdef"',
             "User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)"])),
        udp(SRV, CLI, PORT, 40302, msg(
            "SIP/2.0 401 Unauthorized",
            [via % (40302, 2), "To: <sip:carol@sip.provider.example>;tag=9",
             "From: <sip:carol@sip.provider.example>;tag=2",
             "Call-ID: 2@x", "CSeq: 2 REGISTER",
             "Server: Asterisk PBX 20.5.0"])),
        udp(CLI, SRV, 40304, PORT, msg(
            "OPTIONS sip:198.51.100.20 SIP/2.0",
            [via % (40304, 4), "To: <sip:198.51.100.20>",
             "From: <sip:192.0.2.10>;tag=4", "Call-ID: 4@x",
             "CSeq: 4 OPTIONS"])),
    ]
    inv = msg("INVITE sip:bob@voip.example.net SIP/2.0",
              ["Via: SIP/2.0/TCP 192.0.2.10:40303;branch=z9hG4bK3",
               "To: <sip:bob@voip.example.net>",
               "From: <sip:alice@example.org>;tag=3", "Call-ID: 3@x",
               "CSeq: 3 INVITE", "User-Agent: MicroSIP/3.21.3"])
    c, s = 1000, 5000
    frames += [tcp(CLI, SRV, 40303, PORT, c, 0, 0x02, b""),
               tcp(SRV, CLI, PORT, 40303, s, c + 1, 0x12, b""),
               tcp(CLI, SRV, 40303, PORT, c + 1, s + 1, 0x10, b""),
               tcp(CLI, SRV, 40303, PORT, c + 1, s + 1, 0x18, inv[:60]),
               tcp(CLI, SRV, 40303, PORT, c + 61, s + 1, 0x18, inv[60:])]
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            f.write(struct.pack("<IIII", T0, i * 1000, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
