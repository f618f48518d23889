#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Reduces `shadowtap summary --format json` to the user-visible findings
a golden file pins down: one line per service in use (status, id,
category, devices, flows, bytes up/down, first/last seen) and one per
unclassified destination, in the summary's own order."""
import json
import sys

doc = json.load(sys.stdin)
for s in doc.get("services", []):
    print("service\t%s\t%s\t%s\tdevices=%s\tflows=%s\tup=%s\tdown=%s\t%s\t%s" % (
        s["status"], s["id"], s["category"], s["devices"], s["flows"],
        s["bytes_up"], s["bytes_down"], s["first_seen"], s["last_seen"]))
for u in doc.get("unclassified", []):
    print("unclassified\t%s\tdevices=%s\tflows=%s\tup=%s\tdown=%s" % (
        u["name"], u["devices"], u["flows"], u["bytes_up"], u["bytes_down"]))
