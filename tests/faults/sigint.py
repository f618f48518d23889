# SPDX-License-Identifier: ISC
"""Ctrl-C at random points: SIGINT to the capture's process group (both
shadowtap processes, and the feeder of a pipe) must end in one orderly
drain. Each run must exit 0 without an error, be marked finished, and
hold exactly what a clean run of the same packet prefix (-c N, N = the
packets the interrupted run counted) holds: every flow it saw, none
lost. A piped run stopped before its capture was open (while the rules
load) reads nothing and writes no database; it must still exit 0
silently. Half of the pipe runs are signalled in their first milliseconds
(after 24 bytes to 64 KiB of input: before the fork, before either
process has its handlers, or just after), the others anywhere. Then
SIGTERM to the writer alone and to the parser alone, and SIGINT to a
piped run whose capture header has not come in full: it ends at once,
exit 0, nothing written.

usage: sigint.py TMPDIR [RUNS]   (SIGINT_SEED=n repeats a sequence)"""
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib as fl  # noqa: E402


def start(mode, capture, db):
    """shadowtap capture in a new process group. With a pipe, this
    process feeds it and stays out of the group: at the signal it stops
    writing but keeps the pipe open, so the parser must stop on the
    signal itself, not on the end of its input."""
    args = [fl.SHADOWTAP, 'capture', '-q', '--deterministic', '-d', db]
    stdin = None
    if mode == 'pipe':
        stdin = subprocess.PIPE
    return subprocess.Popen(args + ['-r', capture if mode == 'file' else '-'],
                            stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def capture_fd(p, capture):
    """The descriptor of the capture file (opened before the fork, so the
    writer shares its offset with the parser)."""
    d = '/proc/%d/fd' % p.pid
    try:
        for fd in os.listdir(d):
            try:
                if os.readlink(os.path.join(d, fd)) == capture:
                    return fd
            except OSError:
                pass
    except OSError:
        pass
    return None


def file_pos(p, fd):
    try:
        with open('/proc/%d/fdinfo/%s' % (p.pid, fd)) as f:
            return int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        return None


def wait_read(p, capture, target):
    """Until the run has read target bytes of the file, or has ended."""
    fd = None
    while p.poll() is None:
        if fd is None:
            fd = capture_fd(p, capture)
        pos = file_pos(p, fd) if fd is not None else None
        if pos is not None and pos >= target:
            return
        time.sleep(0.0005)


def feed(p, data, target, stop):
    """Writes data to the run's stdin; at target bytes, stop is set and
    the writing stops, the pipe staying open until the run has ended."""
    off = 0
    try:
        while off < len(data) and not stop.is_set():
            n = min(65536, len(data) - off, max(target - off, 1))
            p.stdin.write(data[off:off + n])
            p.stdin.flush()
            off += n
            if off >= target:
                stop.set()
    except (BrokenPipeError, ValueError):
        stop.set()
        return
    stop.set()


def sniffer_pid(p):
    """The writer's child, once it exists (0 when it does not, yet)."""
    try:
        with open('/proc/%d/task/%d/children' % (p.pid, p.pid)) as f:
            kids = f.read().split()
    except OSError:
        return 0
    return int(kids[0]) if kids else 0


def wait_started(p):
    """Until shadowtap's main() has blocked SIGINT (or the writer caught
    it). Before that the process is not shadowtap yet: between Popen's
    fork and its exec the child is a copy of this Python, whose own
    SIGINT handler would take the signal and lose it, so the program must
    be shadowtap before its signal mask counts."""
    want = os.path.realpath(fl.SHADOWTAP)
    for _ in range(5000):
        try:
            if os.path.realpath('/proc/%d/exe' % p.pid) == want:
                with open('/proc/%d/status' % p.pid) as f:
                    for line in f:
                        if line.startswith(('SigBlk:', 'SigCgt:')) and \
                                int(line.split()[1], 16) & \
                                (1 << (signal.SIGINT - 1)):
                            return
        except OSError:
            return
        if p.poll() is not None:
            return
        time.sleep(0.001)


def one(tmp, mode, capture, i, target, sig_to, full, delay=0.0):
    """One run, signalled once target bytes of the capture are read (and
    delay seconds more)."""
    db = os.path.join(tmp, '%s-%s-%d.db' % (mode, sig_to, i))
    p = start(mode, capture, db)
    wait_started(p)
    t = None
    if mode == 'pipe':
        stop = threading.Event()
        with open(capture, 'rb') as f:
            data = f.read()
        t = threading.Thread(target=feed, args=(p, data, target, stop))
        t.start()
        stop.wait()
    else:
        wait_read(p, capture, target)
    time.sleep(delay)
    sig = signal.SIGINT
    if sig_to == 'group':
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass
    else:
        sig = signal.SIGTERM
        pid = p.pid if sig_to == 'writer' else sniffer_pid(p)
        if pid:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        fl.fail('%s run %d (%s): no exit 60 s after the signal'
                % (mode, i, sig_to))
    if t is not None:
        p.stdin.close()
        t.join()
    out = p.stdout.read().decode(errors='replace')
    what = '%s run %d (%s after %d bytes)' % (mode, i, sig_to, target)
    if p.returncode != 0 or out.strip() != '':
        fl.fail('%s: exit %d, output: %s' % (what, p.returncode, out))
    if not os.path.exists(db) and mode == 'pipe':
        # Stopped before the capture was open: nothing read, no run.
        return 'early'
    fl.check_int(db)
    runs = fl.run_status(db)
    if len(runs) != 1 or runs[0][0] is None or runs[0][1] != 'finished':
        fl.fail('%s: run not marked finished: %r' % (what, runs))
    n = runs[0][3]
    got = fl.totals(db)
    ref = fl.reference(capture, n, os.path.join(tmp, 'ref-%s-%s-%d.db'
                                                 % (mode, sig_to, i)))
    if ref is None:
        if got['findings'][0] or got['unclassified'][0]:
            fl.fail('%s: 0 packets but rows: %r' % (what, got))
    elif got != ref:
        fl.fail('%s: %d packets: interrupted run %r, clean run of the '
                'same packets %r' % (what, n, got, ref))
    os.unlink(db)
    return 'cut' if n < full else 'whole'


def before_header(tmp, capture, i, nbytes):
    """SIGINT while the parent still waits for a piped capture's header
    (nbytes < 24 of it came): exit 0, silent under -q, nothing written."""
    db = os.path.join(tmp, 'header-%d.db' % i)
    p = start('pipe', capture, db)
    wait_started(p)
    with open(capture, 'rb') as f:
        p.stdin.write(f.read(nbytes))
    p.stdin.flush()
    os.killpg(p.pid, signal.SIGINT)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        fl.fail('pipe run before the header (%d bytes): no exit 60 s after '
                'the signal' % nbytes)
    p.stdin.close()
    out = p.stdout.read().decode(errors='replace')
    if p.returncode != 0 or out.strip() != '' or os.path.exists(db):
        fl.fail('pipe run stopped after %d bytes of the header: exit %d, '
                'output %r, database written: %s' % (
                    nbytes, p.returncode, out, os.path.exists(db)))


def main():
    tmp = sys.argv[1]
    nruns = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    seed = int(os.environ.get('SIGINT_SEED', str(int(time.time()))))
    rnd = random.Random(seed)
    capture = os.path.join(tmp, 'big.pcap')
    fl.make_capture(capture, packets=12000, flows=800)
    size = os.path.getsize(capture)
    full = fl.reference(capture, 10 ** 9, os.path.join(tmp, 'full.db'))
    full = full['runs'][0][0]
    report = []
    plan = [(m, 'group', nruns) for m in ('file', 'pipe')]
    plan += [('file', 'writer', 2), ('file', 'sniffer', 2)]
    for mode, sig_to, k in plan:
        ends = {'cut': 0, 'whole': 0, 'early': 0}
        for i in range(k):
            early = mode == 'pipe' and i % 2 == 1
            target = rnd.randrange(24, 65536) if early else \
                rnd.randrange(size)
            delay = rnd.random() * 0.1 if early else 0.0
            ends[one(tmp, mode, capture, i, target, sig_to, full,
                     delay)] += 1
        report.append('%s/%s %d/%d clean (%d cut short, %d stopped before '
                      'the capture was open)'
                      % (mode, sig_to, k, k, ends['cut'], ends['early']))
    for i in range(2):
        before_header(tmp, capture, i, rnd.randrange(24))
    report.append('pipe/header 2/2 clean')
    print('ok: seed %d, %d packets in all; %s'
          % (seed, full, '; '.join(report)))


main()
