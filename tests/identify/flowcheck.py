# SPDX-License-Identifier: ISC
"""flowcheck.py: the flow events of one capture, by client port, and
checks of them that collect every failure before the test ends.

    chk = flowcheck.Check(events_path, ("service", "evidence"))
    chk.want(40201, lambda o: o.get("service") == "dropbox", "what")
    chk.done()          # prints each FAIL, exits 1 if any, else 0
"""
import json
import sys


class Check:
    def __init__(self, path, keys):
        self.keys = keys
        self.bad = []
        self.flows = {}
        for line in open(path):
            o = json.loads(line)
            if o.get("type", "flow") == "flow":
                self.flows[o["src_port"]] = o

    def want(self, port, cond, what):
        """cond(flow) must hold for the flow from port; what says why."""
        o = self.flows.get(port)
        if o is None or not cond(o):
            self.bad.append("flow from port %d: %s: %s" % (port, what, o and {
                k: o.get(k) for k in self.keys}))

    def done(self):
        for b in self.bad:
            print("FAIL: " + b)
        sys.exit(1 if self.bad else 0)
