# SPDX-License-Identifier: ISC
"""Writes a flood of single-packet DNS flows, each from its own device
(MAC and address) asking its own name under one domain, never answered:
one network-health row each, more than the writer's table holds between
two commits, so the writer must commit a full batch early rather than
drop rows.

usage: dnsflood.py OUT.pcap N"""
import struct
import sys


def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def main():
    n = int(sys.argv[2])
    with open(sys.argv[1], 'wb') as out:
        out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            name = b'h%d.flood.example' % i
            q = b''.join(bytes([len(x)]) + x for x in name.split(b'.'))
            dns = struct.pack('!HHHHHH', i & 0xffff, 0x0100, 1, 0, 0, 0) + \
                q + b'\0' + struct.pack('!HH', 1, 1)
            src = 0x0a000001 + (i * 2654435761) % 0xfffffe
            udp = struct.pack('!HHHH', 1024 + i % 60000, 53, 8 + len(dns),
                              0) + dns
            ip = struct.pack('!BBHHHBBHII', 0x45, 0, 20 + len(udp),
                             i & 0xffff, 0, 64, 17, 0, src, 0x08080808)
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
            eth = b'\x02\0\0\0\0\x01' + b'\x02\0' + struct.pack('!I', i) + \
                b'\x08\x00' + ip + udp
            ts = 1700000000 * 10 ** 6 + i * 10
            out.write(struct.pack('<IIII', ts // 10 ** 6, ts % 10 ** 6,
                                  len(eth), len(eth)) + eth)


main()
