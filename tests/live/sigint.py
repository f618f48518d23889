# SPDX-License-Identifier: ISC
"""Ctrl-C on live input (issue 18): shadowtap capture -i on one end of a
veth pair that lives in a network namespace of its own, tcpreplay sending
a synthetic capture (bench/gen) into the other end at a bounded rate,
and SIGINT to the capture's process group at a random point of the
replay or after it. Each run must exit 0 without a word (-q), be marked
finished, and hold exactly what a clean file run of the same packet
prefix holds (-r -c N, N = the packets the live run counted: the kernel
hands the packets over in the order they were sent): flows and bytes of
the findings and the unclassified destinations, and the run's packets,
bytes and flows. A run stopped after the whole replay must have counted
every packet sent. Both runs keep duplicates (--no-dedup): whether two
like packets fall within the 1 ms window depends on their time stamps,
which here are the replay's, not the file's. IPv6 is off on both ends, so that nothing but the
replay crosses the pair; a run whose kernel reported drops is only
checked for its clean end.

usage: sigint.py TMPDIR [RUNS]   (LIVE_SIGINT_SEED=n repeats a sequence)
(run as root, by tests/live/sigint.sh, which skips otherwise)"""
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'faults'))
import faultlib as fl  # noqa: E402

PACKETS = 2000
PPS = 4000		# the replay lasts about 0.5 s


def sh(*argv):
    return subprocess.run(argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def sniffer_ready(p):
    """Until the capture's child (the parser) runs under seccomp: the
    interface was opened before the fork, so every packet sent from now
    on is seen. Returns False when the capture ended first."""
    for _ in range(3000):
        if p.poll() is not None:
            return False
        try:
            with open('/proc/%d/task/%d/children' % (p.pid, p.pid)) as f:
                kids = f.read().split()
            if kids:
                with open('/proc/%s/status' % kids[0]) as f:
                    if any(line.split() == ['Seccomp:', '2']
                           for line in f):
                        return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def drops(db):
    return fl.db_rows(db, 'SELECT total(kernel_drops) FROM runs')[0][0]


def flows_bytes(t):
    """What must match: flows and bytes per table, and the run's counts
    (row counts depend on the hour the packets were stamped with)."""
    return {'findings': t['findings'][1:], 'unclassified':
            t['unclassified'][1:], 'runs': t['runs']}


def reference(capture, packets, db):
    """A clean file run of the first `packets` packets, as the live one
    (faultlib's, with --no-dedup)."""
    if packets == 0:
        return None
    p = subprocess.run([fl.SHADOWTAP, 'capture', '-q', '--deterministic',
                        '--no-dedup', '-r', capture, '-c', str(packets),
                        '-d', db], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fl.fail('reference run of %d packets: exit %d: %s'
                % (packets, p.returncode, p.stdout.decode(errors='replace')))
    return fl.totals(db)


def one(tmp, ns, iface_in, iface_out, capture, i, delay):
    db = os.path.join(tmp, 'live-%d.db' % i)
    p = subprocess.Popen(['ip', 'netns', 'exec', ns, fl.SHADOWTAP,
                          'capture', '-q', '--no-dedup', '-i', iface_in,
                          '-u', 'nobody', '-d', db], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not sniffer_ready(p):
            fl.fail('run %d: no sandboxed parser: %s' % (i, p.communicate(
                timeout=60)[0].decode(errors='replace')))
        rp = subprocess.Popen(['tcpreplay', '-q', '--pps=%d' % PPS, '-i',
                               iface_out, capture],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        time.sleep(delay)
        whole = rp.poll() is not None
        os.killpg(p.pid, signal.SIGINT)
        out = p.communicate(timeout=60)[0].decode(errors='replace')
    except subprocess.TimeoutExpired:
        p.kill()
        fl.fail('run %d: no exit 60 s after SIGINT' % i)
    if rp.wait(timeout=60) != 0:
        fl.fail('run %d: tcpreplay failed' % i)
    what = 'live run %d (SIGINT %.0f ms into the replay%s)' % (
        i, 1000 * delay, ', after its end' if whole else '')
    if p.returncode != 0 or out.strip() != '':
        fl.fail('%s: exit %d, output: %s' % (what, p.returncode, out))
    fl.check_int(db)
    runs = fl.run_status(db)
    if len(runs) != 1 or runs[0][0] is None or runs[0][1] != 'finished':
        fl.fail('%s: run not marked finished: %r' % (what, runs))
    n = runs[0][3]
    if drops(db):
        return n, whole, False
    if whole and n != PACKETS:
        fl.fail('%s: %d packets counted, %d sent' % (what, n, PACKETS))
    got = fl.totals(db)
    ref = reference(capture, n, os.path.join(tmp, 'ref-%d.db' % i))
    if ref is None:
        if got['findings'][0] or got['unclassified'][0]:
            fl.fail('%s: 0 packets but rows: %r' % (what, got))
    elif flows_bytes(got) != flows_bytes(ref):
        fl.fail('%s: %d packets: live run %r, file run of the same '
                'packets %r' % (what, n, got, ref))
    for f in (db, os.path.join(tmp, 'ref-%d.db' % i)):
        if os.path.exists(f):
            os.unlink(f)
    return n, whole, True


def main():
    tmp = sys.argv[1]
    nruns = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    seed = int(os.environ.get('LIVE_SIGINT_SEED', str(int(time.time()))))
    rnd = random.Random(seed)
    capture = os.path.join(tmp, 'live.pcap')
    gen = os.path.join(fl.TOP_BUILDDIR, 'bench', 'gen')
    if not os.access(gen, os.X_OK):
        fl.skip('bench/gen is not built')
    subprocess.run([gen, '-n', str(PACKETS), '-f', '150', '-c', '100',
                    '--vlan', '0', '-o', capture], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(tmp, 0o755)	# the parser (nobody) never writes here
    ns = 'shadowtap-sigint-%d' % os.getpid()
    a, b = 'sti%da' % os.getpid(), 'sti%db' % os.getpid()
    if not sh('ip', 'netns', 'add', ns):
        fl.skip('ip netns add failed (no CAP_SYS_ADMIN or namespaces '
                'disabled)')
    try:
        if not sh('ip', 'link', 'add', a, 'type', 'veth', 'peer', 'name',
                  b):
            fl.skip('cannot create a veth pair')
        ok = sh('ip', 'link', 'set', b, 'netns', ns)
        ok = ok and sh('sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=1'
                       % a)
        ok = ok and sh('ip', 'netns', 'exec', ns, 'sysctl', '-qw',
                       'net.ipv6.conf.%s.disable_ipv6=1' % b)
        ok = ok and sh('ip', 'link', 'set', a, 'up')
        ok = ok and sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', b,
                       'up')
        if not ok:
            fl.skip('cannot set up the veth pair')
        seen = whole = compared = 0
        for i in range(nruns):
            # One run in four after the replay, the others during it.
            delay = 1.0 + rnd.random() * 0.5 if i % 4 == 3 else \
                rnd.random() * PACKETS / PPS
            n, w, c = one(tmp, ns, b, a, capture, i, delay)
            seen += n
            whole += w
            compared += c
        if compared < nruns // 2:
            fl.fail('only %d of %d runs without kernel drops'
                    % (compared, nruns))
    finally:
        sh('ip', 'link', 'del', a)
        sh('ip', 'netns', 'del', ns)
    print('ok: seed %d, %d/%d live runs clean (%d after the whole replay),'
          ' %d compared with a file run of the same packets, %d packets '
          'in all' % (seed, nruns, nruns, whole, compared, seen))


main()
