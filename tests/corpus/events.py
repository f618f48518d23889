# SPDX-License-Identifier: ISC
"""The corpus manifest, and running shadowtap on one capture for its
events, for the tests that
compare those events with the corpus manifest or with tshark
(tests/corpus/check.py, tests/corpus/services.py,
tests/identify/manifest.py)."""
import json
import os
import subprocess

# Sanitizer reports end the run with a status of their own, so a test
# sees them as a failed run rather than as a pass with noise on stderr.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=0:exitcode=86:detect_leaks=1",
    "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87:print_stacktrace=1",
}


def manifest(corpus):
    """The rows of the corpus's MANIFEST.tsv, each a dict by column."""
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t")))
                for line in f]


def capture(shadowtap, pcap, rules, tmp, stats=False, timeout=300,
            extra=()):
    """Runs `shadowtap capture -q --deterministic --no-db -R RULES --events
    FILE [--stats FILE] [EXTRA...] -r PCAP`, writing into the directory
    tmp. Returns (the finished process, the events path, the stats path
    or None)."""
    base = os.path.join(tmp, os.path.basename(pcap))
    ev, st = base + ".events.jsonl", base + ".stats.json" if stats else None
    for f in (ev, st):
        if f is not None and os.path.exists(f):
            os.unlink(f)
    env = dict(os.environ)
    for k, v in SANITIZER_ENV.items():
        env.setdefault(k, v)
    cmd = [shadowtap, "capture", "-q", "--deterministic", "--no-db",
           "-R", rules, "--events", ev]
    if st is not None:
        cmd += ["--stats", st]
    p = subprocess.run(cmd + list(extra) + ["-r", pcap], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=timeout)
    return p, ev, st


def flows(path):
    """The flow events of an events file (those without a "type" are flow
    events too: the skeleton's format)."""
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                o = json.loads(line)
                if o.get("type", "flow") == "flow":
                    out.append(o)
    return out
