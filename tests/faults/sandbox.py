# SPDX-License-Identifier: ISC
"""What the two processes keep, and the terminal.

1. An inherited descriptor (7</etc/hostname) reaches neither process: the
   parser, waiting on a pipe, holds only its stdin, stdout, stderr and
   the channel to the writer; the writer none but those, the channel and
   the database's.
2. As root, the writer runs as the service user (-u nobody) when that
   user owns the database's directory, and the database file is that
   user's; in a directory root owns it stays root and says why.
3. The progress bar appears on a pseudo-terminal, never in a pipe.

usage: sandbox.py TMPDIR"""
import os
import pty
import pwd
import select
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultlib as fl  # noqa: E402


def children(pid):
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def fds(pid):
    d = '/proc/%d/fd' % pid
    out = {}
    for fd in os.listdir(d):
        try:
            out[int(fd)] = os.readlink(os.path.join(d, fd))
        except OSError:
            pass
    return out


def uids(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('Uid:'):
                return [int(x) for x in line.split()[1:]]
    return []


def start_paused(tmp, capture, db, user=None, extra_fd=None):
    """A capture fed the start of a file through a pipe that then stalls,
    so that both processes are waiting. Returns (process, stop event,
    thread)."""
    args = [fl.SHADOWTAP, 'capture', '-q', '-r', '-', '-d', db]
    if user is not None:
        args += ['-u', user]
    pass_fds = ()
    if extra_fd is not None:
        pass_fds = (extra_fd,)
    p = subprocess.Popen(args, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         pass_fds=pass_fds)
    data = open(capture, 'rb').read()
    p.stdin.write(data[:200000])
    p.stdin.flush()
    for _ in range(3000):
        kids = children(p.pid)
        if kids and os.path.exists(db):
            # The parser is in its loop once it has sent something.
            break
        if p.poll() is not None:
            p.stdin.close()
            fl.fail('the capture ended early: %s'
                    % p.stderr.read().decode(errors='replace'))
        time.sleep(0.01)
    return p


def finish(p):
    p.stdin.close()
    err = p.stderr.read().decode(errors='replace')
    p.wait(timeout=60)
    if p.returncode != 0:
        fl.fail('capture exit %d: %s' % (p.returncode, err))
    return err


def check_fds(tmp, capture):
    db = os.path.join(tmp, 'fd.db')
    fd = os.open('/etc/hostname', os.O_RDONLY)
    if fd != 7:
        os.dup2(fd, 7)
        os.close(fd)
    try:
        p = start_paused(tmp, capture, db, extra_fd=7)
    finally:
        os.close(7)
    kid = children(p.pid)[0]
    time.sleep(0.3)		# a settled state to look at, not a timing
    sn, wr = fds(kid), fds(p.pid)
    finish(p)
    for who, f in (('parser', sn), ('writer', wr)):
        if 7 in f:
            fl.fail('%s keeps the inherited fd 7: %r' % (who, f))
        if any('hostname' in t for t in f.values()):
            fl.fail('%s holds /etc/hostname: %r' % (who, f))
    extra = {k: v for k, v in sn.items() if k > 2}
    if len(extra) != 1 or not list(extra.values())[0].startswith('socket:'):
        fl.fail('the parser holds more than its channel: %r' % sn)
    return sorted(sn)


def check_uid(tmp, capture):
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        return 'no user nobody: skipped'
    os.chmod(tmp, 0o711)	# mktemp -d: 0700, which nobody cannot cross
    d = os.path.join(tmp, 'svc')
    os.mkdir(d, 0o750)
    os.chown(d, nobody.pw_uid, nobody.pw_gid)
    db = os.path.join(d, 'u.db')
    p = start_paused(tmp, capture, db, user='nobody')
    u = uids(p.pid)
    finish(p)
    if u != [nobody.pw_uid] * 4:
        fl.fail('writer uids %r, not nobody (%d)' % (u, nobody.pw_uid))
    st = os.stat(db)
    if st.st_uid != nobody.pw_uid:
        fl.fail('database owned by %d' % st.st_uid)
    rows = fl.db_rows(db, 'SELECT status FROM runs')
    if rows != [('finished',)]:
        fl.fail('run as nobody: %r' % rows)
    # In a directory that root owns, the writer stays root and says so.
    db = os.path.join(tmp, 'root.db')
    p = subprocess.run([fl.SHADOWTAP, 'capture', '-u', 'nobody', '-r',
                        capture, '-d', db], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    err = p.stderr.decode(errors='replace')
    if p.returncode != 0 or os.stat(db).st_uid != 0:
        fl.fail('root-owned directory: exit %d: %s' % (p.returncode, err))
    return 'writer as nobody (uid %d)' % nobody.pw_uid


def progress(capture, db, on_pty):
    args = [fl.SHADOWTAP, 'capture', '-r', capture, '-d', db]
    if not on_pty:
        p = subprocess.run(args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        return p.returncode, p.stderr.decode(errors='replace')
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave,
                         stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b''
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            b = os.read(master, 65536)
        except OSError:		# EIO: every writer has gone
            break
        if not b:
            break
        out += b
    os.close(master)
    p.wait(timeout=60)
    return p.returncode, out.decode(errors='replace')


def main():
    tmp = sys.argv[1]
    if not fl.SHADOWTAP:
        fl.skip('SHADOWTAP is not set')
    if os.geteuid() != 0:
        fl.skip('needs root (the sandbox changes users; /proc of the '
                'parser is root\'s)')
    capture = os.path.join(tmp, 'c.pcap')
    fl.make_capture(capture, packets=20000, flows=1000)
    kept = check_fds(tmp, capture)
    who = check_uid(tmp, capture)
    rc, tty = progress(capture, os.path.join(tmp, 'p1.db'), True)
    if rc != 0 or '100%' not in tty or 'pkt/s' not in tty:
        fl.fail('no progress bar on a pty (exit %d): %r' % (rc, tty))
    rc, pipe = progress(capture, os.path.join(tmp, 'p2.db'), False)
    if rc != 0 or 'pkt/s' in pipe or '\r' in pipe:
        fl.fail('progress in a pipe (exit %d): %r' % (rc, pipe))
    print('ok: parser fds %r, no fd 7 in either process; %s; progress on '
          'a pty, none in a pipe' % (kept, who))


main()
