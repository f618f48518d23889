#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The architecture's rules, checked on the includes of src/ (see
doc/architecture.md):

1. A stage folder includes only the folders below it or beside it that its
   row of ALLOWED names; src/ itself (the commands and the two processes)
   may include any folder, but the sniffer's side never includes store/ or
   report/, and privsep.c and sandbox.c only base/.
2. Each third-party library is included by the files named in LIBS only.
3. No include loop between modules (a module is foo.c with foo.h).
4. No file over MAX_FILE lines, no function over MAX_FUNC lines (a
   function runs from its name at the start of a line to the first "}" at
   the start of a line after it, as style(9) lays them out).

Prints every violation as FILE:LINE: message and exits 1 if there is one.
"""
import os
import re
import sys

ALLOWED = {
    'base': {'base'},
    'packet': {'base', 'packet'},
    'flow': {'base', 'packet', 'flow'},
    'dissect': {'base', 'packet', 'flow', 'dissect'},
    'policy': {'base', 'policy'},
    'store': {'base', 'policy', 'store'},
    'report': {'base', 'policy', 'store', 'report'},
}
# Files of src/ itself ("top") with a narrower set than "anything". The
# sniffer's side never includes store/ or report/; the writer's side never
# includes packet/, flow/ or dissect/.
SNIFFER = {'base', 'packet', 'flow', 'dissect', 'policy', 'top'}
WRITER = {'base', 'policy', 'store', 'top'}
TOP = {
    'cmd_capture.c': {'base', 'packet', 'policy', 'top'},
    'sniffer.c': SNIFFER,
    'sniffer.h': {'base', 'packet', 'flow', 'top'},
    'relevent.c': SNIFFER,
    'relevent.h': {'base'},
    'events.c': SNIFFER,
    'events_eve.c': SNIFFER,
    'events_eve.h': {'base'},
    'events.h': {'base'},
    'syslogfwd.c': {'base', 'top'},
    'syslogfwd.h': {'base'},
    'syslogtx.c': {'base', 'top'},
    'syslogtx.h': set(),
    'writer.c': WRITER,
    'writer.h': {'base', 'store'},
    'rulefiles.c': {'base', 'policy', 'top'},
    'rulefiles.h': set(),
    'privsep.c': {'base', 'top'},
    'privsep.h': {'base'},
    'sandbox.c': {'base', 'top'},
    'sandbox.h': {'base'},
}
LIBS = {
    'pcap': {'packet/capture.c'},
    'maxminddb.h': {'policy/geo.c'},
    'sqlite3.h': {'store/store_int.h', 'store/store.c', 'store/schema.c',
                  'store/write.c', 'store/query.c', 'store/merge.c',
                  'store/prune.c', 'store/reliability.c'},
    'libpq-fe.h': {'store/pg.c'},
    'libpsl.h': {'policy/match.c', 'policy/domain.c'},
    'seccomp.h': {'sandbox.c'},
    'cap-ng.h': {'sandbox.c'},
    'openssl': {'dissect/quic.c', 'dissect/ja3.c', 'dissect/ja4.c',
                'dissect/tlssrv.c', 'report/report.c', 'report/report_basis.c',
                'events_eve.c',
                'syslogtx.c'},
}
MAX_FILE = 1500
MAX_FUNC = 150
FUNC = re.compile(r'^([a-z_][a-z0-9_]*)\(')
INC = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]')


def folder(rel):
    return rel.split('/')[0] if '/' in rel else 'top'


def main(src):
    bad = []
    graph = {}
    for dirpath, _, names in os.walk(src):
        for n in sorted(names):
            if not n.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, n)
            rel = os.path.relpath(path, src)
            here = folder(rel)
            allowed = TOP.get(rel) if here == 'top' else ALLOWED.get(here)
            mod = rel[:-2]
            with open(path, encoding='utf-8') as f:
                lines = f.read().split('\n')
            if len(lines) - 1 > MAX_FILE:
                bad.append('src/%s: %d lines, more than %d' % (
                    rel, len(lines) - 1, MAX_FILE))
            start = None
            for lineno, line in enumerate(lines, 1):
                m = FUNC.match(line)
                if m and start is None:
                    start, fname = lineno, m.group(1)
                elif line.startswith('}') and start is not None:
                    if lineno - start + 1 > MAX_FUNC:
                        bad.append('src/%s:%d: %s() is %d lines, more '
                                   'than %d' % (rel, start, fname,
                                                lineno - start + 1,
                                                MAX_FUNC))
                    start = None
            if True:
                for lineno, line in enumerate(lines, 1):
                    m = INC.match(line)
                    if not m:
                        continue
                    kind, name = m.groups()
                    where = '%s:%d' % (os.path.join('src', rel), lineno)
                    if kind == '<':
                        lib = name.split('/')[0]
                        for key, files in LIBS.items():
                            if lib == key and rel not in files:
                                bad.append('%s: <%s> is for %s only' % (
                                    where, name, ', '.join(sorted(files))))
                        continue
                    if name == 'config.h':
                        continue
                    if not os.path.exists(os.path.join(src, name)):
                        bad.append('%s: "%s" is not a path under src/' % (
                            where, name))
                        continue
                    there = folder(name)
                    if allowed is not None and there not in allowed:
                        bad.append('%s: %s/ may not include %s' % (
                            where, here if here != 'top' else rel, name))
                    dep = name[:-2]
                    if dep != mod:
                        graph.setdefault(mod, set()).add(dep)
    # Include loops between modules: depth-first search for a back edge.
    state = {}
    loops = set()

    def visit(m, stack):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                loop = stack[stack.index(d):] + [d]
                loops.add(' -> '.join(loop))
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    for loop in sorted(loops):
        bad.append('src: include loop: %s' % loop)
    for b in bad:
        print(b)
    print('layers: %d module(s) checked, %d violation(s)' % (
        len(graph), len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'src'))
