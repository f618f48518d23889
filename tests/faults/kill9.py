# SPDX-License-Identifier: ISC
"""kill -9 loses at most the last moments: a capture fed through a pipe
at a controlled rate (packet times follow the pace, as from tcpdump -w -)
is killed with SIGKILL (its process group: both shadowtap processes) at
several points. Whatever it had seen more than 3 seconds before the kill
must be in the database: at least 99% of the flows and of the bytes of a
clean run of the packets written by then (-c N over the same stream), in
the findings and in the unclassified names; and the file must pass
PRAGMA integrity_check. Open flows reach the database in pieces at each
commit (record.h, FLOW_PIECE_*); without them most of it was lost.
Last, the input pauses with the pipe open: what came before the pause
must reach the database while nothing more arrives.

usage: kill9.py TMPDIR"""
import os
import signal
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib as fl  # noqa: E402

RATE = 3000		# packets a second
CHUNK = 50		# packets a write
SEEN_BEFORE = 3.0	# seconds: seen this long before the kill, kept
KILLS = (4.0, 6.5, 9.0)	# seconds after the first packet


def stream(capture, path):
    """The capture with each packet stamped at its place in the pace
    (RATE a second from the first packet's time), written to path as the
    reference's input; returns the header and the packets as bytes."""
    hdr, end, pkts = fl.packets(capture)
    base = pkts[0][0] * 1000000 + pkts[0][1]
    out = []
    for i, (_, _, d, ln) in enumerate(pkts):
        ts = base + i * 1000000 // RATE
        out.append(struct.pack(end + 'IIII', ts // 1000000, ts % 1000000,
                               len(d), ln) + d)
    with open(path, 'wb') as f:
        f.write(hdr + b''.join(out))
    return hdr, out


def feed(p, hdr, recs, log, stop):
    """Writes the stream at RATE; log gets (time the write returned,
    packets written so far) after each chunk."""
    t0 = time.monotonic()
    try:
        p.stdin.write(hdr)
        p.stdin.flush()
        for i in range(0, len(recs), CHUNK):
            delay = t0 + i / RATE - time.monotonic()
            if delay > 0:
                stop.wait(delay)
            if stop.is_set():
                return
            p.stdin.write(b''.join(recs[i:i + CHUNK]))
            p.stdin.flush()
            log.append((time.monotonic(), min(i + CHUNK, len(recs))))
    except (BrokenPipeError, ValueError, OSError):
        pass


def sums(t):
    """flows and bytes (up + down) of the findings and the unclassified
    names of fl.totals()."""
    return {k: (t[k][1], t[k][2] + t[k][3])
            for k in ('findings', 'unclassified')}


def one(tmp, hdr, recs, fed, at):
    db = os.path.join(tmp, 'kill-%g.db' % at)
    p = subprocess.Popen([fl.SHADOWTAP, 'capture', '-q', '-r', '-', '-d',
                          db], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    log, stop = [], threading.Event()
    t = threading.Thread(target=feed, args=(p, hdr, recs, log, stop))
    t.start()
    while not log:
        time.sleep(0.01)
    killed = log[0][0] - CHUNK / RATE + at
    while time.monotonic() < killed:
        time.sleep(0.01)
    os.killpg(p.pid, signal.SIGKILL)
    killed = time.monotonic()
    stop.set()
    p.wait()
    t.join()
    p.stdin.close()
    seen = [n for w, n in log if w <= killed - SEEN_BEFORE]
    n = seen[-1] if seen else 0
    what = 'kill -9 at %.1f s (%d packets written, %d by %.0f s before)' \
        % (at, log[-1][1] if log else 0, n, SEEN_BEFORE)
    if n == 0:
        fl.fail('%s: nothing written in time' % what)
    if not os.path.exists(db):
        fl.fail('%s: no database' % what)
    fl.check_int(db)
    got = sums(fl.totals(db))
    ref = sums(fl.reference(fed, n, os.path.join(tmp, 'ref-%g.db' % at)))
    worst = float("inf")
    for k in ref:
        for i, name in enumerate(('flows', 'bytes')):
            if ref[k][i] == 0:
                continue
            r = got[k][i] / ref[k][i]
            worst = min(worst, r)
            if r < 0.99:
                fl.fail('%s: %s %s: %d of the clean run\'s %d (%.1f%%)'
                        % (what, k, name, got[k][i], ref[k][i], 100 * r))
    if ref['findings'][0] == 0:
        fl.fail('%s: the clean run has no findings' % what)
    os.unlink(db)
    return '%.1f s: %d pkts, %.1f%%' % (at, n, 100 * worst)


def paused(tmp, hdr, recs, fed, n):
    """The input pauses (the pipe stays open): what came before it must
    reach the database while nothing more arrives (the clock, not packet
    time, drives the commits), then kill -9."""
    db = os.path.join(tmp, 'pause.db')
    p = subprocess.Popen([fl.SHADOWTAP, 'capture', '-q', '-r', '-', '-d',
                          db], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    p.stdin.write(hdr + b''.join(recs[:n]))
    p.stdin.flush()
    ref = sums(fl.reference(fed, n, os.path.join(tmp, 'ref-pause.db')))
    got, t0 = None, time.monotonic()
    while time.monotonic() - t0 < 30 and p.poll() is None:
        time.sleep(0.25)
        try:
            got = sums(fl.totals(db))
        except Exception:	# not created yet
            continue
        if all(got[k][i] >= 0.99 * ref[k][i] for k in ref for i in (0, 1)):
            break
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    p.stdin.close()
    what = 'input paused after %d packets' % n
    if got is None or not all(got[k][i] >= 0.99 * ref[k][i]
                              for k in ref for i in (0, 1)):
        fl.fail('%s: after 30 s the database holds %r, a clean run of '
                'the same packets %r' % (what, got, ref))
    fl.check_int(db)
    return 'paused after %d pkts: %.1f%%' % (n, 100 * min(
        got[k][i] / ref[k][i] for k in ref for i in (0, 1) if ref[k][i]))


def main():
    tmp = sys.argv[1]
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    capture = os.path.join(tmp, 'big.pcap')
    fl.make_capture(capture, packets=30000, flows=1500)
    fed = os.path.join(tmp, 'fed.pcap')
    hdr, recs = stream(capture, fed)
    out = [one(tmp, hdr, recs, fed, at) for at in KILLS]
    out.append(paused(tmp, hdr, recs, fed, 6000))
    print('ok: kept of what was seen %.0f s before the kill (worst of '
          'flows and bytes): %s' % (SEEN_BEFORE, '; '.join(out)))


main()
