# SPDX-License-Identifier: ISC
"""SIGUSR1 never touches the log. A capture fed through a pipe logs to a
file (2> log); SIGUSR1 to the writer and then to the parser each add one
"stats:" line and leave every earlier line in place. With --stats FILE,
SIGUSR1 rewrites that file (JSON) and adds nothing to the log.

usage: usr1.py TMPDIR"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib as fl  # noqa: E402


def wait_for(pred, what, p):
    for _ in range(3000):
        if pred():
            return
        if p.poll() is not None:
            fl.fail('the capture ended while waiting for %s' % what)
        time.sleep(0.02)
    fl.fail('never saw ' + what)


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode(errors='replace')
    except OSError:
        return ''


def run(tmp, capture, stats):
    log = os.path.join(tmp, 'log-%s' % ('stats' if stats else 'plain'))
    db = os.path.join(tmp, 'u.db')
    sfile = os.path.join(tmp, 'stats.json')
    args = [fl.SHADOWTAP, 'capture', '-r', '-', '-d', db]
    if stats:
        args += ['--stats', sfile]
    with open(log, 'wb') as errf:
        p = subprocess.Popen(args, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=errf)
    stop = threading.Event()
    t = threading.Thread(target=fl.feed, args=(p, capture, stop))
    t.start()
    try:
        # The parser logs its sandbox once it is in it: the earlier line.
        wait_for(lambda: 'sandbox:' in read(log), 'the sandbox line', p)
        kid = int(open('/proc/%d/task/%d/children'
                       % (p.pid, p.pid)).read().split()[0])
        first = read(log)
        for n, pid in enumerate((p.pid, kid), 1):
            os.kill(pid, signal.SIGUSR1)
            if stats:
                # A new write: a whole object in the file emptied after
                # the previous one (an idle pipe may leave the counters
                # as they were, so the content alone cannot tell).
                wait_for(lambda: read(sfile).endswith('}\n'),
                         'the --stats file', p)
                open(sfile, 'w').close()
            else:
                wait_for(lambda: read(log).count('stats: ') == n,
                         'stats line %d' % n, p)
        os.kill(p.pid, signal.SIGINT)
        p.wait(timeout=60)
    finally:
        stop.set()
        if p.poll() is None:
            p.kill()
        t.join()
    text = read(log)
    if p.returncode != 0:
        fl.fail('exit %d: %s' % (p.returncode, text))
    if not text.startswith(first):
        fl.fail('the earlier log lines are gone:\n%s' % text)
    if '{"packets"' in text:
        fl.fail('the counters went to the log:\n%s' % text)
    lines = [x for x in text.splitlines() if 'stats: ' in x]
    if stats:
        if lines:
            fl.fail('--stats given, yet stats in the log: %r' % lines)
        s = json.loads(read(sfile))
        if s['packets'] <= 0:
            fl.fail('--stats file: %r' % s)
    elif len(lines) != 2 or not all(
            x.startswith('shadowtap[sniffer]: stats: ') and ' packets, '
            in x for x in lines):
        fl.fail('want two stats lines: %r' % lines)
    if 'findings in ' not in text:
        fl.fail('no end of run in the log:\n%s' % text)
    os.unlink(db)
    return len(text.splitlines())


def main():
    tmp = sys.argv[1]
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    capture = os.path.join(tmp, 'c.pcap')
    fl.make_capture(capture, packets=5000, flows=500)
    a = run(tmp, capture, False)
    b = run(tmp, capture, True)
    print('ok: SIGUSR1 to each process: one log line each, %d lines kept; '
          'with --stats the file (%d log lines, none of them stats)'
          % (a, b))


main()
