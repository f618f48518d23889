#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Writes the hand-made seeds of tests/fuzz/corpus/ (edge cases the captured
# seeds lack: pointer loops, one-byte TLS records, CONNECT to an IPv6
# literal). Run from the top of the tree; the captured seeds are separate.
import os
import struct


def put(target, name, data):
    d = os.path.join("tests", "fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "hand-" + name), "wb") as f:
        f.write(data)


def name(*labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


def rr(owner, rtype, rdata, cls=1, ttl=60):
    return owner + struct.pack(">HHIH", rtype, cls, ttl, len(rdata)) + rdata


hdr = lambda flags, qd, an: struct.pack(">HHHHHH", 0x1234, flags, qd, an, 0, 0)
q = name(b"www", b"example", b"com") + struct.pack(">HH", 1, 1)
put("dns", "query", hdr(0x0100, 1, 0) + q)
put("dns", "cname-a-aaaa", hdr(0x8180, 1, 3) + q +
    rr(b"\xc0\x0c", 5, name(b"edge", b"cdn", b"net")) +
    rr(b"\xc0\x2d", 1, bytes([192, 0, 2, 7])) +
    rr(b"\xc0\x2d", 28, bytes(15) + b"\x01"))
put("dns", "self-pointer", hdr(0x0100, 1, 0) + b"\xc0\x0c\0\1\0\1")
put("dns", "mutual-loop", hdr(0x8180, 0, 1) + b"\x01x\xc0\x10\x01y\xc0\x0c" +
    struct.pack(">HHIH", 1, 1, 1, 4) + bytes(4))
put("dns", "mdns", hdr(0x8400, 0, 1) +
    rr(name(b"printer", b"local"), 1, bytes([192, 168, 1, 20]), cls=0x8001))

ext = lambda t, body: struct.pack(">HH", t, len(body)) + body
v8 = lambda b: bytes([len(b)]) + b
v16 = lambda b: struct.pack(">H", len(b)) + b
exts = (ext(0x0a0a, b"") +
        ext(0, v16(b"\0" + v16(b"Example.com"))) +
        ext(10, v16(struct.pack(">HHH", 0x1a1a, 0x1d, 0x17))) +
        ext(11, v8(b"\0")) +
        ext(13, v16(struct.pack(">HHH", 0x0403, 0x0804, 0x0401))) +
        ext(16, v16(v8(b"h2") + v8(b"http/1.1"))) +
        ext(43, v8(struct.pack(">HHH", 0x3a3a, 0x0304, 0x0303))) +
        ext(0xfe0d, bytes(8)))
body = (b"\x03\x03" + bytes(range(32)) + v8(bytes(32)) +
        v16(struct.pack(">HHH", 0x0a0a, 0x1301, 0xc02f)) + v8(b"\0") +
        v16(exts))
hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
rec = lambda frag: b"\x16\x03\x01" + v16(frag)
put("tls", "chrome-like", rec(hs))
put("tls", "one-byte-records", b"".join(rec(hs[i:i + 1]) for i in range(len(hs))))
put("tls", "two-records", rec(hs[:50]) + rec(hs[50:]))
put("tls", "bare-handshake", hs)

put("http", "connect-v6",
    b"CONNECT [2001:db8::5]:8443 HTTP/1.1\r\nHost: [2001:db8::5]:8443\r\n\r\n")
put("http", "absolute-form",
    b"GET http://u:p@files.example.net:8080/x HTTP/1.1\r\nHost: x\r\n\r\n")
put("http", "bare-lf-basic",
    b"POST /a HTTP/1.0\nHost: Example.org:81\nAuthorization: Basic "
    b"YWxpY2U6czNjcjN0\nUser-Agent: t/1\n\n")
put("http", "incomplete", b"GET / HTTP/1.1\r\nHost: exa")

# The rule language, and the bundle the store sends the sniffer on SIGHUP
# (src/policy/rulesrc.h: "STR1", u32 count, then kind, u32 name length, name, u32
# length, bytes).
svc = (b'category file-sharing { name "File sharing" }\n'
       b'service acme-drop {\n\tname "Acme \\"Drop\\""\n'
       b'\tcategory file-sharing\n\trisk high\n'
       b'\tnotes "public links"\n'
       b'\tdomains acme-drop.example *.acme.example\n'
       b'\texcept status.acme-drop.example\n'
       b'\tips 192.0.2.0/24 2001:db8::/32\n\tasns AS64500\n'
       b'\tja4 t13d1516h2_8daaf6152771_02713d6af862\n'
       b'\tprotocols bittorrent\n\tports tcp/6881 udp/6881-6889\n}\n')
pol = (b'default unsanctioned\nunknown tolerated\n'
       b'sanctioned service acme-drop\ntolerated category file-sharing\n'
       b'ignore networks 10.99.0.0/16\n'
       b'alert upload 100MB per day unsanctioned category file-sharing\n'
       b'department "Design" {\n\tsubnets 10.2.0.0/16\n\tvlans 30\n'
       b'\tunsanctioned service acme-drop\n}\n')
put("rules", "service", svc)
put("rules", "policy", svc + pol)
put("rules", "errors", b'service x {\n\tcategroy y\n\tdomains a..b\n'
    b'\tips 300.1.2.3/33\n\tports tcp/99999\n\n'
    b'department "" {\n\tvlans 5000\n')
put("rules", "crlf-tabs", svc.replace(b"\n", b"\r\n"))


def bundle(*entries):
    out = b"STR1" + struct.pack(">I", len(entries))
    for kind, nm, data in entries:
        out += bytes([kind]) + struct.pack(">I", len(nm)) + nm
        out += struct.pack(">I", len(data)) + data
    return out


put("rules", "bundle", bundle((0, b"/etc/shadowtap/rules/a.rules", svc),
                              (0, b"/etc/shadowtap/policy", pol)))
put("rules", "bundle-warning",
    bundle((1, b"/etc/shadowtap/rules", b"no *.rules files in this directory"),
           (0, b"/etc/shadowtap/policy", pol)))
put("rules", "bundle-empty", bundle())

# OpenVPN control channels (src/dissect/ovpn.h): a TCP stream with a hard
# reset, an ACK and a ClientHello start in two P_CONTROL_V1 messages; the
# same as tls-auth (SHA1 HMAC) datagrams separated by 0xff.
def ovpn_control(mid, tls, hmac=0, acks=0):
    b = bytes([4 << 3]) + bytes([0xa1] * 8)
    if hmac:
        b += bytes([0xee] * hmac) + struct.pack(">II", 2, 0x66102030)
    b += bytes([acks]) + b"".join(struct.pack(">I", i) for i in range(acks))
    if acks:
        b += bytes([0xb2] * 8)
    return b + struct.pack(">I", mid) + tls


hello_head = rec(hs)[:40]
hello_tail = rec(hs)[40:]
tcp = b""
for pkt in (bytes([7 << 3]) + bytes(8) + b"\0\0\0\0\0",
            bytes([5 << 3]) + bytes(8) + b"\x01\0\0\0\0" + bytes(8),
            ovpn_control(1, hello_head), ovpn_control(2, hello_tail, acks=1)):
    tcp += struct.pack(">H", len(pkt)) + pkt
put("ovpn", "tcp-split-hello", tcp)
put("ovpn", "udp-tls-auth", ovpn_control(1, hello_head, hmac=20) + b"\xff" +
    ovpn_control(2, hello_tail, hmac=20))
put("ovpn", "udp-out-of-order", ovpn_control(1, hello_head) + b"\xff" +
    ovpn_control(3, hello_tail) + b"\xff" + ovpn_control(2, hello_tail))
