# SPDX-License-Identifier: ISC
"""Shared by the fault tests (tests/faults/*.sh): the capture they use,
runs of shadowtap started in a process group of their own, and what a
database holds, to compare an interrupted run with a clean run of the
same packets."""
import os
import sqlite3
import struct
import subprocess
import sys

SHADOWTAP = os.environ.get('SHADOWTAP', '')
TOP_BUILDDIR = os.environ.get('top_builddir', '')


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


def fail(why):
    print('FAIL: ' + why)
    sys.exit(1)


def make_capture(path, packets=30000, flows=1500):
    """A reproducible synthetic capture from bench/gen (many flows, TLS,
    QUIC, DNS, HTTP), so that every stop point cuts open flows."""
    gen = os.path.join(TOP_BUILDDIR, 'bench', 'gen')
    if not os.access(gen, os.X_OK):
        skip('bench/gen is not built')
    subprocess.run([gen, '-n', str(packets), '-f', str(flows), '-c', '300',
                    '-o', path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def db_rows(db, sql, args=()):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def totals(db):
    """Everything a run put in the findings: rows, flows and bytes of the
    classified and unclassified tables, and the run's own counters."""
    out = {}
    for t in ('findings', 'unclassified'):
        out[t] = db_rows(db, 'SELECT count(*), total(flows),'
                         ' total(bytes_up), total(bytes_down) FROM ' + t)[0]
    out['runs'] = db_rows(db, 'SELECT packets, bytes, flows FROM runs')
    return out


def run_status(db):
    """(finished_at, status, reason, packets) of every run."""
    cols = [r[1] for r in db_rows(db, 'PRAGMA table_info(runs)')]
    st = 'status' if 'status' in cols else "'finished'"
    why = 'status_reason' if 'status_reason' in cols else "''"
    return db_rows(db, 'SELECT finished_at, %s, %s, packets FROM runs'
                   % (st, why))


def reference(capture, packets, db):
    """A clean run of the first `packets` packets of the capture."""
    if packets == 0:
        return None
    p = subprocess.run([SHADOWTAP, 'capture', '-q', '--deterministic',
                        '-r', capture, '-c', str(packets), '-d', db],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fail('reference run of %d packets: exit %d: %s'
             % (packets, p.returncode, p.stdout.decode(errors='replace')))
    return totals(db)


def check_int(db):
    ok = db_rows(db, 'PRAGMA integrity_check')
    if ok != [('ok',)]:
        fail('%s: integrity_check: %r' % (db, ok))


def packets(path):
    src = open(path, 'rb').read()
    end = '<' if src[:4] == b'\xd4\xc3\xb2\xa1' else '>'
    off, out = 24, []
    while off + 16 <= len(src):
        s, us, cl, ln = struct.unpack(end + 'IIII', src[off:off + 16])
        out.append((s, us, src[off + 16:off + 16 + cl], ln))
        off += 16 + cl
    return src[:24], end, out


def feed(p, capture, stop):
    """The capture again and again, 10 s of packet time later each time,
    at a bounded pace, until stop is set or the pipe breaks."""
    hdr, end, pkts = packets(capture)
    try:
        p.stdin.write(hdr)
        rep = 0
        while not stop.is_set():
            for i in range(0, len(pkts), 500):
                if stop.is_set():
                    break
                p.stdin.write(b''.join(
                    struct.pack(end + 'IIII', s + rep * 10, us, len(d), ln)
                    + d for s, us, d, ln in pkts[i:i + 500]))
                p.stdin.flush()
                stop.wait(0.01)
            rep += 1
    except (BrokenPipeError, ValueError, OSError):
        pass
