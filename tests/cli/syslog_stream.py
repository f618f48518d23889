#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""capture --syslog over UDP, TCP (RFC 6587 octet counting) and TLS (RFC
5425) against receivers on 127.0.0.1 that this script runs, with a
self-signed certificate made by `openssl req` here.

1. TCP, TLS and UDP deliver every finding of tests/pcap/sample.pcap, one
   well-framed RFC 5424 message each; the --stats counters agree.
2. Receiver restart: shadowtap reads the capture from a pipe; the first
   receiver accepts the connection and goes away before any packet is
   written; the findings wait in the queue; a second receiver on the same
   port gets exactly the messages of the undisturbed run, in order, TCP and
   TLS alike. With --syslog-queue 5 it gets the first five, and the rest
   are counted as dropped.
3. TLS refuses a collector whose certificate the CA file does not vouch
   for, or that names another host: nothing is sent, all is counted as
   dropped, and the reason is logged.

Usage: syslog_stream.py SHADOWTAP SRCDIR WORKDIR
"""
import json
import os
import socket
import ssl
import subprocess
import sys
import threading

# Every wait has a bound, so that a broken build fails instead of hanging;
# none is asserted on.
LIMIT_S = 120


def frames(data):
    """The messages of an octet-counted stream; raises on bad framing."""
    out = []
    while data:
        sp = data.index(b" ")
        n = int(data[:sp])
        if n <= 0 or len(data) < sp + 1 + n:
            raise ValueError("bad frame at %r" % data[:40])
        out.append(data[sp + 1:sp + 1 + n])
        data = data[sp + 1 + n:]
    return out


class Receiver:
    """A collector on 127.0.0.1: accepts connections until closed, reads
    each to its end, and keeps the messages in arrival order."""

    def __init__(self, port=0, ctx=None, udp=False):
        kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
        self.sock = socket.socket(socket.AF_INET, kind)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.ctx, self.udp = ctx, udp
        self.messages, self.errors, self.conns = [], [], 0
        if not udp:
            self.sock.listen(8)
        self.sock.settimeout(LIMIT_S)
        self.thread = None

    def start(self):
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        return self

    def serve(self):
        while True:
            try:
                if self.udp:
                    self.messages.append(self.sock.recv(65536))
                    continue
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns += 1
            c.settimeout(LIMIT_S)
            data = b""
            try:
                if self.ctx is not None:
                    c = self.ctx.wrap_socket(c, server_side=True)
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    data += d
            except (OSError, ssl.SSLError) as e:
                self.errors.append(str(e))
            c.close()
            try:
                self.messages += frames(data)
            except ValueError as e:
                self.errors.append(str(e))

    def stop(self):
        try:				# wakes a thread blocked in accept
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if self.thread is not None:
            self.thread.join(LIMIT_S)


class Capture:
    """shadowtap capture --no-db with --syslog, reading a file or a pipe;
    its stderr is read line by line as it comes."""

    def __init__(self, shadowtap, src, work, name, syslog, extra=(),
                 pipe=False):
        self.events = os.path.join(work, name + ".events.jsonl")
        self.stats = os.path.join(work, name + ".stats.json")
        self.pcap = os.path.join(src, "tests", "pcap", "sample.pcap")
        cmd = [shadowtap, "capture", "--no-db", "--deterministic",
               "-R", os.path.join(src, "rules"), "--events", self.events,
               "--stats", self.stats, "--syslog", syslog] + list(extra)
        cmd += ["-r", "-" if pipe else self.pcap]
        self.lines, self.waiting = [], threading.Event()
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE if pipe else
                                  subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.p.stderr:
            line = line.decode(errors="replace").rstrip("\n")
            self.lines.append(line)
            if "waiting up to" in line:
                self.waiting.set()
        self.waiting.set()		# ended without waiting: checked later

    def finish(self):
        try:
            rc = self.p.wait(LIMIT_S * 2)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.reader.join(LIMIT_S)
        with open(self.stats) as f:
            stats = json.load(f)
        return rc, stats

    def findings(self):
        """The flows syslog must report: named or with a clear login."""
        n = 0
        with open(self.events) as f:
            for line in f:
                e = json.loads(line)
                if e["type"] == "flow" and (e["service"] or e["creds"]):
                    n += 1
        return n


class Test:
    def __init__(self, shadowtap, src, work):
        self.shadowtap, self.src, self.work = shadowtap, src, work
        self.passed, self.failed = 0, 0

    def check(self, what, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok   %s" % what)
        else:
            self.failed += 1
            print("FAIL %s %s" % (what, detail))

    def capture(self, name, syslog, extra=(), pipe=False):
        return Capture(self.shadowtap, self.src, self.work, name, syslog,
                       extra, pipe)

    def straight(self, scheme, ctx, extra):
        """Case 1: the receiver is there all along."""
        r = Receiver(ctx=ctx, udp=scheme == "udp").start()
        dest = "%s://127.0.0.1:%d" % (scheme, r.port)
        c = self.capture(scheme + "-straight", dest, extra)
        rc, st = c.finish()
        want = c.findings()
        if scheme == "udp":		# datagrams may still be in flight
            for _ in range(LIMIT_S * 10):
                if len(r.messages) >= want:
                    break
                threading.Event().wait(0.1)
        r.stop()
        m = r.messages
        self.check("%s: exit 0" % scheme, rc == 0, "%d %s" % (rc, c.lines))
        self.check("%s: %d findings, %d messages" % (scheme, want, len(m)),
                   want >= 20 and len(m) == want, str(r.errors))
        self.check("%s: RFC 5424 messages" % scheme,
                   all(x.startswith(b"<") and b"[shadowtap@32473 " in x
                       for x in m))
        self.check("%s: stats sent %s dropped %s" % (
            scheme, st.get("syslog_sent"), st.get("syslog_dropped")),
            st.get("syslog_sent") == want and st.get("syslog_dropped") == 0)
        return m

    def restart(self, scheme, ctx, extra, baseline, queue=None):
        """Case 2: the receiver goes away before the findings and comes
        back on the same port once shadowtap holds them all."""
        name = "%s-restart%s" % (scheme, "-q%d" % queue if queue else "")
        r1 = Receiver()
        port = r1.port
        extra = list(extra) + (["--syslog-queue", str(queue)]
                               if queue else [])
        c = self.capture(name, "%s://127.0.0.1:%d" % (scheme, port), extra,
                         pipe=True)
        with open(c.pcap, "rb") as f:
            pcap = f.read()
        # The file header lets the capture open; then the sniffer connects.
        c.p.stdin.write(pcap[:24])
        c.p.stdin.flush()
        try:
            conn, _ = r1.sock.accept()
            conn.close()
        except OSError as e:
            self.check("%s: first connection" % name, False, str(e))
        r1.stop()			# the receiver is down
        c.p.stdin.write(pcap[24:])
        c.p.stdin.close()
        c.waiting.wait(LIMIT_S)		# every finding is queued
        r2 = Receiver(port, ctx).start()
        rc, st = c.finish()
        r2.stop()
        want = baseline if queue is None else baseline[:queue]
        m = r2.messages
        self.check("%s: exit 0" % name, rc == 0, "%d %s" % (rc, c.lines))
        self.check("%s: shadowtap waited for the receiver" % name,
                   any("waiting up to" in x for x in c.lines), str(c.lines))
        self.check("%s: %d of %d messages, as sent undisturbed" % (
            name, len(m), len(baseline)), m == want, str(r2.errors))
        self.check("%s: stats sent %s dropped %s" % (
            name, st.get("syslog_sent"), st.get("syslog_dropped")),
            st.get("syslog_sent") == len(want) and
            st.get("syslog_dropped") == len(baseline) - len(want))

    def refused(self, what, ctx, extra, dest_host="127.0.0.1"):
        """Case 3: the certificate does not pass."""
        r = Receiver(ctx=ctx).start()
        c = self.capture("tls-" + what, "tls://%s:%d" % (dest_host, r.port),
                         extra)
        rc, st = c.finish()
        r.stop()
        want = c.findings()
        self.check("tls %s: exit 0" % what, rc == 0, str(c.lines))
        self.check("tls %s: nothing received" % what, r.messages == [])
        self.check("tls %s: refusal logged" % what,
                   any("certificate was refused" in x for x in c.lines),
                   str(c.lines))
        self.check("tls %s: stats sent 0 dropped %d" % (what, want),
                   st.get("syslog_sent") == 0 and
                   st.get("syslog_dropped") == want, str(st))

    def usage(self):
        for args, text, code in [
                (["--syslog", "ftp://127.0.0.1"], "not udp://", 1),
                (["--syslog", "tcp://127.0.0.1:port"], "HOST[:PORT]", 1),
                (["--syslog", "tcp://127.0.0.1", "--syslog-queue", "0"],
                 "--syslog-queue", 2)]:
            p = subprocess.run([self.shadowtap, "capture", "--no-db", "-r",
                                os.path.join(self.src, "tests", "pcap",
                                             "sample.pcap")] + args,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=LIMIT_S)
            err = p.stderr.decode(errors="replace")
            self.check("usage %s: exit %d" % (" ".join(args), code),
                       p.returncode == code and text in err,
                       "%d %s" % (p.returncode, err[-300:]))


def cert(work, name, san):
    key, crt = (os.path.join(work, name + x) for x in (".key", ".crt"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", crt, "-days", "2",
                    "-subj", "/CN=" + name, "-addext",
                    "subjectAltName=" + san],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=LIMIT_S)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    return crt, ctx


def main():
    shadowtap, src, work = sys.argv[1:4]
    t = Test(shadowtap, src, work)
    crt, ctx = cert(work, "collector", "IP:127.0.0.1,DNS:localhost")
    other, _ = cert(work, "other", "DNS:other.example")
    wrong, wrong_ctx = cert(work, "wrong", "DNS:wrong.example")
    tls = ["--syslog-ca", crt]

    base = t.straight("tcp", None, [])
    t.check("tls: the same messages as tcp", t.straight("tls", ctx, tls) ==
            base)
    t.check("udp: the same messages as tcp", t.straight("udp", None, []) ==
            base)
    t.restart("tcp", None, [], base)
    t.restart("tls", ctx, tls, base)
    t.restart("tcp", None, [], base, queue=5)
    t.refused("unknown-ca", ctx, ["--syslog-ca", other])
    t.refused("wrong-name", wrong_ctx, ["--syslog-ca", wrong])
    t.usage()
    print("%d passed, %d failed" % (t.passed, t.failed))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
