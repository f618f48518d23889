# SPDX-License-Identifier: ISC
"""The parser dies (kill -SEGV on it) in the middle of a run fed through a
pipe: the writer must say so (the signal, how many packets the parser had
reported), keep and commit what it received, mark the run failed with the
reason, and exit 1; every summary format must list the failed run.

usage: crash.py TMPDIR"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib as fl  # noqa: E402


def main():
    tmp = sys.argv[1]
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    capture = os.path.join(tmp, 'c.pcap')
    fl.make_capture(capture, packets=20000, flows=4000)
    db = os.path.join(tmp, 'crash.db')
    env = dict(os.environ)
    # A sanitizer build would turn the SIGSEGV into exit 1 itself.
    env['ASAN_OPTIONS'] = (env.get('ASAN_OPTIONS', '') +
                           ':handle_segv=0').lstrip(':')
    p = subprocess.Popen([fl.SHADOWTAP, 'capture', '-q', '-r', '-',
                          '-d', db], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env)
    stop = threading.Event()
    t = threading.Thread(target=fl.feed, args=(p, capture, stop))
    t.start()
    # Until a commit has recorded how far the run got.
    seen = 0
    for _ in range(3000):
        if p.poll() is not None:
            break
        try:
            seen = fl.db_rows(db, 'SELECT packets FROM runs')[0][0]
        except Exception:
            seen = 0
        if seen > 0:
            break
        time.sleep(0.02)
    kids = open('/proc/%d/task/%d/children' % (p.pid, p.pid)).read().split()
    if seen == 0 or not kids:
        stop.set()
        p.kill()
        fl.fail('the run never recorded its progress')
    os.kill(int(kids[0]), signal.SIGSEGV)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        fl.fail('the writer did not end after the parser died')
    stop.set()
    t.join()
    out = p.stdout.read().decode(errors='replace')
    if p.returncode != 1:
        fl.fail('exit %d, not 1: %s' % (p.returncode, out))
    m = re.search(r'shadowtap\[store\]: the parser was killed by SIGSEGV '
                  r'\(signal 11\) after (\d+) packets; the (\d+) flows it '
                  r'sent are kept and the run is marked failed', out)
    if m is None:
        fl.fail('no clear message: %r' % out)
    n = int(m.group(1))
    fl.check_int(db)
    runs = fl.db_rows(db, 'SELECT finished_at, status, status_reason,'
                      ' packets FROM runs')
    want = 'the parser was killed by SIGSEGV (signal 11)'
    if len(runs) != 1 or runs[0][0] is None or runs[0][1] != 'failed' \
            or runs[0][2] != want:
        fl.fail('run not marked failed: %r' % runs)
    if runs[0][3] != n or n < seen:
        fl.fail('the run says %d packets, the message %d, a commit %d'
                % (runs[0][3], n, seen))
    rows = fl.db_rows(db, 'SELECT (SELECT count(*) FROM findings) +'
                      ' (SELECT count(*) FROM unclassified) +'
                      ' (SELECT count(*) FROM reliability)')[0][0]
    if rows == 0:
        fl.fail('nothing the parser sent was kept')

    def summary(fmt):
        s = subprocess.run([fl.SHADOWTAP, 'summary', '-d', db, '--format',
                            fmt], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if s.returncode != 0:
            fl.fail('summary --format %s: exit %d' % (fmt, s.returncode))
        return s.stdout.decode(errors='replace')
    line = '%s, after %s packets' % (want, format(n, ','))
    text = summary('text')
    for need in ('Capture runs:                   1 (1 failed)',
                 'Failed runs:', line,
                 '1 capture run failed because the packet parser stopped'):
        if need not in text:
            fl.fail('text summary lacks %r:\n%s' % (need, text))
    md = summary('md')
    if '- Failed run: ' not in md or line not in md:
        fl.fail('md summary lacks the failed run:\n%s' % md)
    html = summary('html')
    if '<li>Failed run: ' not in html or line not in html:
        fl.fail('html summary lacks the failed run')
    cov = json.loads(summary('json'))['coverage']
    if cov['failed_runs'] != 1 or len(cov['failed']) != 1 or \
            cov['failed'][0]['reason'] != want or \
            cov['failed'][0]['packets'] != n:
        fl.fail('json coverage: %r' % cov)
    csv = summary('csv').split('\r\n')
    i = csv.index('failed_runs')
    if csv[i + 1] != 'started_at,source,reason,packets,flows' or \
            '"%s"' % want not in csv[i + 2] or \
            ',%d,' % n not in csv[i + 2]:
        fl.fail('csv failed_runs: %r' % csv[i:i + 3])
    print('ok: SIGSEGV after %d packets (%d committed before), %d flows '
          'kept, run failed, listed in every format' % (n, seen,
                                                        int(m.group(2))))


main()
