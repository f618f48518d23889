#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""EVE events test (issue 21): every capture of the corpus goes through
`shadowtap capture --events-format eve`, and every line of its events

- is one JSON object that eve.schema.json (EVE's common fields and the
  objects shadowtap fills) accepts, checked by the small validator below;
- carries no null and no empty value (EVE leaves unknown keys out);
- has the Community ID that an independent implementation here computes
  from its own src/dest fields (the spec's hashing, with hashlib);
- joins its flow: an application event (tls, quic, http) has the flow_id
  and community_id of a flow event of the same capture, and a DNS or
  DHCP event on a flow's five-tuple has that flow's flow_id.

The validator is checked first on lines broken on purpose (a missing
timestamp, vlan 0, a lower-case proto...), so that it cannot pass
everything. Usage: eve.py SHADOWTAP CORPUS_DIR RULES_DIR.
"""
import base64
import copy
import hashlib
import ipaddress
import json
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import events  # noqa: E402

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "eve.schema.json")
MIN_EVENTS = {"flow": 1000, "dns": 100, "tls": 50, "quic": 5, "http": 20,
              "dhcp": 5}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


class Validator:
    """The part of JSON Schema 2020-12 that eve.schema.json uses: type,
    required, properties, additionalProperties, enum, const, pattern,
    minimum, maximum, minLength, minItems, minProperties, items, allOf,
    if/then, $ref within the file, and format "ip"."""

    def __init__(self, schema):
        self.root = schema

    def ref(self, r):
        node = self.root
        for part in r.lstrip("#/").split("/"):
            node = node[part]
        return node

    def errors(self, inst, s=None, path="$"):
        s = self.root if s is None else s
        if "$ref" in s:
            yield from self.errors(inst, self.ref(s["$ref"]), path)
        t = s.get("type")
        if t == "integer":
            if not isinstance(inst, int) or isinstance(inst, bool):
                yield "%s: not an integer" % path
                return
        elif t == "number":
            if not isinstance(inst, (int, float)) or isinstance(inst, bool):
                yield "%s: not a number" % path
                return
        elif t is not None and not isinstance(inst, TYPES[t]):
            yield "%s: not of type %s" % (path, t)
            return
        if "enum" in s and inst not in s["enum"]:
            yield "%s: %r not in %r" % (path, inst, s["enum"])
        if "const" in s and (inst != s["const"] or
                             type(inst) is not type(s["const"])):
            yield "%s: %r is not %r" % (path, inst, s["const"])
        if isinstance(inst, str):
            if "pattern" in s and not re.search(s["pattern"], inst):
                yield "%s: %r does not match %s" % (path, inst, s["pattern"])
            if len(inst) < s.get("minLength", 0):
                yield "%s: too short" % path
            if s.get("format") == "ip":
                try:
                    ipaddress.ip_address(inst)
                except ValueError:
                    yield "%s: %r is not an address" % (path, inst)
        if isinstance(inst, (int, float)) and not isinstance(inst, bool):
            if "minimum" in s and inst < s["minimum"]:
                yield "%s: %r below %r" % (path, inst, s["minimum"])
            if "maximum" in s and inst > s["maximum"]:
                yield "%s: %r above %r" % (path, inst, s["maximum"])
        if isinstance(inst, list):
            if len(inst) < s.get("minItems", 0):
                yield "%s: too few items" % path
            for i, v in enumerate(inst):
                if "items" in s:
                    yield from self.errors(v, s["items"], "%s[%d]" % (path, i))
        if isinstance(inst, dict):
            yield from self.object_errors(inst, s, path)
        for sub in s.get("allOf", []):
            yield from self.errors(inst, sub, path)
        if "if" in s and not any(True for _ in self.errors(inst, s["if"],
                                                           path)):
            if "then" in s:
                yield from self.errors(inst, s["then"], path)

    def object_errors(self, inst, s, path):
        for k in s.get("required", []):
            if k not in inst:
                yield "%s: %s missing" % (path, k)
        if len(inst) < s.get("minProperties", 0):
            yield "%s: empty object" % path
        props = s.get("properties", {})
        for k, v in inst.items():
            if k in props:
                yield from self.errors(v, props[k], path + "." + k)
            elif s.get("additionalProperties", True) is False:
                yield "%s: unexpected key %s" % (path, k)


def community_id(ev):
    """Community ID v1 (seed 0) of an event's TCP or UDP endpoints."""
    sa = ipaddress.ip_address(ev["src_ip"]).packed
    da = ipaddress.ip_address(ev["dest_ip"]).packed
    sp, dp = ev["src_port"], ev["dest_port"]
    proto = {"TCP": 6, "UDP": 17}[ev["proto"]]
    if (sa, sp) > (da, dp):
        sa, da, sp, dp = da, sa, dp, sp
    data = (b"\0\0" + sa + da + bytes([proto, 0]) + sp.to_bytes(2, "big") +
            dp.to_bytes(2, "big"))
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


def empties(obj, path="$"):
    """Paths of nulls and empty strings, arrays or objects."""
    if obj is None or obj in ("", [], {}):
        yield path
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from empties(v, path + "." + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from empties(v, "%s[%d]" % (path, i))


def self_test(v):
    """The validator rejects what it must; returns the failures."""
    good = {"timestamp": "2024-05-01T10:00:00.123456+0000",
            "flow_id": 12345, "event_type": "dns", "host": "s1",
            "src_ip": "192.0.2.1", "src_port": 5353, "dest_ip": "2001:db8::1",
            "dest_port": 53, "proto": "UDP", "app_proto": "dns",
            "community_id": "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
            "dns": {"version": 2, "type": "query", "rrname": "a.example",
                    "rrtype": "A"}}
    broken = [
        ("no timestamp", lambda e: e.pop("timestamp")),
        ("seconds only", lambda e: e.update(timestamp="2024-05-01T10:00:00Z")),
        ("vlan 0", lambda e: e.update(vlan=[0])),
        ("lower-case proto", lambda e: e.update(proto="udp")),
        ("dst_ip", lambda e: e.update(dst_ip=e.pop("dest_ip"))),
        ("bad address", lambda e: e.update(src_ip="192.0.2.300")),
        ("no community_id", lambda e: e.pop("community_id")),
        ("port as string", lambda e: e.update(src_port="53")),
        ("flow_id 2^53", lambda e: e.update(flow_id=2 ** 53)),
        ("dns without rrtype", lambda e: e["dns"].pop("rrtype")),
        ("flow without flow", lambda e: e.update(event_type="flow")),
        ("null value", lambda e: e.update(app_proto=None)),
    ]
    bad = []
    if list(v.errors(good)):
        bad.append("self-test: a good line fails: %s" % list(v.errors(good)))
    for what, mutate in broken:
        e = copy.deepcopy(good)
        mutate(e)
        if not list(v.errors(e)):
            bad.append("self-test: accepted a line with %s" % what)
    return bad


def check_file(v, name, path, counts):
    """The failures of one events file; counts events by type."""
    bad, flows, others = [], {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            where = "%s:%d" % (name, n)
            try:
                ev = json.loads(line)
            except ValueError as e:
                bad.append("%s: not JSON: %s" % (where, e))
                continue
            errs = list(v.errors(ev)) + ["%s is empty" % p
                                         for p in empties(ev)]
            if errs:
                bad.append("%s: %s" % (where, "; ".join(errs[:3])))
                continue
            t = ev["event_type"]
            counts[t] = counts.get(t, 0) + 1
            if "community_id" in ev and ev["community_id"] != community_id(ev):
                bad.append("%s: community_id %s, computed %s" %
                           (where, ev["community_id"], community_id(ev)))
            key = (ev.get("community_id"), tuple(ev.get("vlan", [])))
            if t == "flow":
                flows.setdefault(key, set()).add(ev["flow_id"])
            else:
                others.append((where, t, key, ev["flow_id"]))
    for where, t, key, fid in others:
        if key in flows and fid not in flows[key]:
            bad.append("%s: %s event's flow_id %d is not its flow's %s" %
                       (where, t, fid, sorted(flows[key])))
        elif key not in flows and t not in ("dns", "dhcp"):
            bad.append("%s: %s event with no flow event" % (where, t))
    return bad


def main():
    shadowtap, corpus, rules = sys.argv[1:4]
    with open(SCHEMA) as f:
        v = Validator(json.load(f))
    bad = self_test(v)
    counts, ngood, nbad = {}, 0, len(bad)
    with tempfile.TemporaryDirectory() as tmp:
        for row in events.manifest(corpus):
            name = row["file"]
            p, ev, _ = events.capture(shadowtap, os.path.join(corpus, name),
                                      rules, tmp,
                                      extra=["--events-format", "eve",
                                             "--sensor", "eve-test"])
            err = p.stderr.decode(errors="replace")
            if p.returncode != 0 or "Sanitizer" in err:
                bad.append("%s: exit %d: %s" % (name, p.returncode,
                                                err.strip()[-1000:]))
                nbad += 1
                continue
            fails = check_file(v, name, ev, counts)
            bad += fails
            ngood, nbad = ngood + (not fails), nbad + bool(fails)
    for t, least in MIN_EVENTS.items():
        if counts.get(t, 0) < least:
            bad.append("only %d %s events (expected at least %d)" %
                       (counts.get(t, 0), t, least))
            nbad += 1
    print("eve: %s" % ", ".join("%d %s" % (n, t)
                                 for t, n in sorted(counts.items())))
    for b in bad[:50]:
        print("FAIL " + b)
    print("%d passed, %d failed" % (ngood, nbad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
