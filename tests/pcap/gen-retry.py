#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate tests/pcap/retry.pcap: connections whose client starts over:
QUIC after Version Negotiation (RFC 9000 section 6), and TLS 1.3 after a
HelloRetryRequest (RFC 8446 section 4.1.4), over QUIC and over TCP.

Flow 1 (client port 40001): the client's first Initial uses version
0x0000cafe, which shadowtap cannot decrypt; the server answers with
Version Negotiation (version 0) listing 1; the client retries in
version 1 with a new DCID. Its ClientHello (SNI retry.example.org, 1,400
bytes) is split over two Initials whose CRYPTO frames come out of order,
bytes 600..1400 first, as Chrome scrambles them.

Flow 2 (client port 40002): the same, but the first Initial is a
version-2 one (RFC 9369) holding bytes 0..600 of a ClientHello for
first.example that is never finished.

Flow 3 (client port 40003): QUIC v1, a first ClientHello (SNI
hrr.example.net, key share x25519, three ciphers) in one Initial; then
(the server's HelloRetryRequest travels in its Initial, which is left
out) a second ClientHello (key share secp256r1, two ciphers) in the
next Initial, at the CRYPTO offset where the first one ended.

Flow 4 (client port 40004): the same two ClientHellos over TCP: the
first, the server's HelloRetryRequest (a ServerHello with RFC 8446's
fixed random), then the client's ChangeCipherSpec and second one.

Flow 5 (client port 40005): TCP, a TLS 1.3 ClientHello answered by an
ordinary ServerHello: no second fingerprint.

The packets are built here (AES-GCM and header protection from the
`cryptography` package, RFC 9001 section 5); the file is ours to ship.

usage: gen-retry.py OUTPUT.pcap
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

T0 = 1767261600
SALTS = {
    1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
    0x6b3343cf: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
}
LABELS = {1: (b"quic key", b"quic iv", b"quic hp"),
          0x6b3343cf: (b"quicv2 key", b"quicv2 iv", b"quicv2 hp")}
INITIAL_TYPE = {1: 0, 0x6b3343cf: 1}


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!HB", length, len(full)) + full + b"\0"
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def keys(version, dcid):
    init = hkdf_extract(SALTS[version], dcid)
    cs = hkdf_label(init, b"client in", 32)
    k, iv, hp = LABELS[version]
    return hkdf_label(cs, k, 16), hkdf_label(cs, iv, 12), hkdf_label(cs, hp, 16)


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack("!H", 0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


def crypto(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def initial(version, dcid, scid, pn, frames):
    key, iv, hp = keys(version, dcid)
    pnb = struct.pack("!I", pn)
    plain = frames + b"\0" * (1150 - len(frames))    # PADDING
    length = len(pnb) + len(plain) + 16
    first = 0xC0 | (INITIAL_TYPE[version] << 4) | 3
    hdr = (bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) +
           dcid + bytes([len(scid)]) + scid + b"\0" + struct.pack("!H", 0x4000 | length) + pnb)
    nonce = bytes(a ^ b for a, b in zip(iv, b"\0" * 8 + pnb))
    ct = AESGCM(key).encrypt(nonce, plain, hdr)
    pkt = bytearray(hdr + ct)
    pn_off = len(hdr) - 4
    sample = bytes(pkt[pn_off + 4:pn_off + 20])
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    pkt[0] ^= mask[0] & 0x0F
    for i in range(4):
        pkt[pn_off + i] ^= mask[1 + i]
    return bytes(pkt)


def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body


def client_hello(sni, size, groups=(0x001d,), ciphers=(0x1301, 0x1302, 0x1303)):
    """A TLS 1.3 ClientHello handshake message of exactly size bytes."""
    name = sni.encode()
    exts = ext(0, struct.pack("!HBH", len(name) + 3, 0, len(name)) + name)
    exts += ext(10, struct.pack("!H", 2 * len(groups)) +
                b"".join(struct.pack("!H", g) for g in groups))
    exts += ext(13, bytes.fromhex("0006040308040401"))
    exts += ext(16, bytes.fromhex("0003026833"))  # ALPN "h3"
    exts += ext(43, bytes.fromhex("020304"))
    ks = b""
    for g in groups:
        kl = 32 if g == 0x001d else 65
        ks += struct.pack("!HH", g, kl) + bytes([0x42]) * kl
    exts += ext(51, struct.pack("!H", len(ks)) + ks)
    exts += ext(57, bytes.fromhex("0104000100000104"))  # QUIC transport params
    body = (b"\x03\x03" + b"\x11" * 32 + b"\0" +
            struct.pack("!H", 2 * len(ciphers)) +
            b"".join(struct.pack("!H", c) for c in ciphers) + b"\x01\x00")
    fixed = len(body) + 2 + len(exts)
    pad = size - 4 - fixed - 4
    if pad >= 0:
        exts += ext(21, b"\0" * pad)
    body += struct.pack("!H", len(exts)) + exts
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def vn(dcid, scid):
    return b"\x80" + b"\0\0\0\0" + bytes([len(dcid)]) + dcid + \
        bytes([len(scid)]) + scid + struct.pack("!I", 1)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_frame(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0x4000, 64,
                     17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + udp


HRR_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def server_hello(random):
    body = (b"\x03\x03" + random + b"\0" + b"\x13\x01" + b"\0" +
            struct.pack("!H", 6) + ext(43, b"\x03\x04"))
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


def record(ct, data):
    return struct.pack("!BHH", ct, 0x0303, len(data)) + data


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6,
                                                   len(tcp) + len(payload))
    c = csum(pseudo + tcp + payload)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:] + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + tcp


def tcp_flow(cli, srv, port, talk):
    """Frames of a TCP connection: handshake, then (up, payload) turns."""
    c, s = 1000, 5000
    out = [tcp_frame(cli, srv, port, 443, c, 0, 0x02, b""),
           tcp_frame(srv, cli, 443, port, s, c + 1, 0x12, b""),
           tcp_frame(cli, srv, port, 443, c + 1, s + 1, 0x10, b"")]
    c, s = c + 1, s + 1
    for up, data in talk:
        if up:
            out.append(tcp_frame(cli, srv, port, 443, c, s, 0x18, data))
            c += len(data)
        else:
            out.append(tcp_frame(srv, cli, 443, port, s, c, 0x18, data))
            s += len(data)
    return out


def main():
    cli, srv = [192, 168, 7, 10], [198, 51, 100, 20]
    pkts = []
    ch2 = client_hello("retry.example.org", 1400)
    assert len(ch2) == 1400
    # flow 1: undecryptable first version
    first = bytearray(b"\xc3\x00\x00\xca\xfe\x08" + b"\xaa" * 8 + b"\x08" +
                      b"\xbb" * 8 + bytes(range(256)) * 5)[:1200]
    pkts.append((40001, True, bytes(first)))
    pkts.append((40001, False, vn(b"\xbb" * 8, b"\xaa" * 8)))
    d2 = bytes.fromhex("1122334455667788")
    pkts.append((40001, True, initial(1, d2, b"\xbb" * 8, 0, crypto(600, ch2[600:]))))
    pkts.append((40001, True, initial(1, d2, b"\xbb" * 8, 1, crypto(0, ch2[:600]))))
    # flow 2: a decryptable first version, abandoned half-way
    ch1 = client_hello("first.example", 1400)
    d1 = bytes.fromhex("0102030405060708")
    pkts.append((40002, True, initial(0x6b3343cf, d1, b"\xcc" * 8, 0, crypto(0, ch1[:600]))))
    pkts.append((40002, False, vn(b"\xcc" * 8, d1)))
    pkts.append((40002, True, initial(1, d2, b"\xcc" * 8, 0, crypto(600, ch2[600:]))))
    pkts.append((40002, True, initial(1, d2, b"\xcc" * 8, 1, crypto(0, ch2[:600]))))
    # flow 3: QUIC, a second ClientHello after a HelloRetryRequest
    h1 = client_hello("hrr.example.net", 300)
    h2 = client_hello("hrr.example.net", 400, groups=(0x0017,),
                      ciphers=(0x1301, 0x1302))
    d3 = bytes.fromhex("a1a2a3a4a5a6a7a8")
    pkts.append((40003, True, initial(1, d3, b"\xdd" * 8, 0, crypto(0, h1))))
    pkts.append((40003, True, initial(1, d3, b"\xdd" * 8, 1, crypto(len(h1), h2))))
    frames = []
    for i, (port, up, payload) in enumerate(pkts):
        frames.append(udp_frame(cli, srv, port, 443, payload) if up else
                      udp_frame(srv, cli, 443, port, payload))
    # flow 4: TCP, HelloRetryRequest, ChangeCipherSpec, second hello
    frames += tcp_flow(cli, srv, 40004, [
        (True, record(22, h1)),
        (False, record(22, server_hello(HRR_RANDOM)) + record(20, b"\x01")),
        (True, record(20, b"\x01") + record(22, h2))])
    # flow 5: TCP, an ordinary ServerHello
    frames += tcp_flow(cli, srv, 40005, [
        (True, record(22, h1)),
        (False, record(22, server_hello(b"\x77" * 32)))])
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", T0 + i, 0, len(frame), len(frame)))
            f.write(frame)


if __name__ == "__main__":
    main()
