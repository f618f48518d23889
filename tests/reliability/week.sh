#!/bin/sh
# SPDX-License-Identifier: ISC
# A synthetic week, written here by gen-week.py: with a weekday 14:00-16:00
# DNS and connection degradation on one subnet the JSON summary holds
# exactly that recurring window (weekdays, hours, subnet), with the
# uploads to personal storage in those hours linked as the workaround;
# the same week without it holds no reliability finding. Other seeds of
# the background noise must give the same answers (REL_SEEDS, default 3).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3 (Debian package python3)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
gen=$top_srcdir/tests/reliability/gen-week.py
fail=0
for seed in $(seq 1 "${REL_SEEDS:-3}"); do
	for kind in degraded clean; do
		opt=
		[ "$kind" = degraded ] && opt=--degraded
		python3 "$gen" $opt --seed "$seed" "$tmp/$kind.pcap" ||
		    { echo "FAIL: gen-week.py $opt"; exit 1; }
		rm -f "$tmp/$kind.db"*
		"$SHADOWTAP" capture -q --deterministic -r "$tmp/$kind.pcap" \
		    -d "$tmp/$kind.db" ||
		    { echo "FAIL: capture of the $kind week"; exit 1; }
		"$SHADOWTAP" summary -d "$tmp/$kind.db" --format json \
		    >"$tmp/$kind.json" ||
		    { echo "FAIL: summary of the $kind week"; exit 1; }
	done
	python3 - "$tmp/degraded.json" "$tmp/clean.json" "$seed" <<'PY' ||
import json, sys
deg = json.load(open(sys.argv[1]))["reliability"]
clean = json.load(open(sys.argv[2]))["reliability"]
seed = sys.argv[3]
bad = 0
def fail(msg):
    global bad
    print("FAIL (seed %s): %s" % (seed, msg))
    bad = 1
if deg is None or clean is None:
    fail("no reliability section")
    sys.exit(1)
f = deg["findings"]
if len(f) != 1:
    fail("degraded week: %d findings, expected 1: %s" %
         (len(f), [(x["segment"], x["when"], x["start_hour"], x["end_hour"])
                   for x in f]))
else:
    f = f[0]
    got = (f["segment"], f["weekdays"], f["start_hour"], f["end_hour"])
    want = ("10.20.2.0/24", ["Mon", "Tue", "Wed", "Thu", "Fri"], 14, 16)
    if got != want:
        fail("degraded week: %s, expected %s" % (got, want))
    if f["days"] != 5 or f["when"] != "weekdays":
        fail("degraded week: %s days, %r" % (f["days"], f["when"]))
    sigs = sorted(s["signal"] for s in f["signals"])
    if sigs != ["dns-timeouts", "tcp-failures"]:
        fail("degraded week: signals %s" % sigs)
    if f["devices_affected"] != 3 or \
            sorted(d["device"] for d in f["devices"]) != \
            ["02:00:00:00:02:0%d" % i for i in (1, 2, 3)]:
        fail("degraded week: devices %s" % f["devices"])
    if (f["workaround"] or {}).get("service") != "dropbox":
        fail("degraded week: workaround %s" % f["workaround"])
    if len(f["heatmap_permille"]) != 7 or \
            any(len(r) != 24 for r in f["heatmap_permille"]):
        fail("degraded week: heatmap is not 7 x 24")
if clean["findings"]:
    fail("clean week: %s" % [(x["segment"], x["when"], x["start_hour"],
                              x["end_hour"]) for x in clean["findings"]])
if clean["days"] != 7 or clean["totals"]["dns_queries"] == 0:
    fail("clean week: %s days, %s lookups" % (clean["days"],
                                              clean["totals"]["dns_queries"]))
print("week (seed %s): %d finding(s) in the degraded week, %d in the clean"
      % (seed, len(deg["findings"]), len(clean["findings"])))
sys.exit(bad)
PY
	    fail=1
done
# The HTML section: the heatmap as inline SVG, nothing scripted.
"$SHADOWTAP" summary -d "$tmp/degraded.db" --format html >"$tmp/d.html" ||
    { echo "FAIL: HTML summary"; exit 1; }
grep -q '<h2>Reliability</h2>' "$tmp/d.html" &&
    grep -q '<svg class="heat"' "$tmp/d.html" &&
    grep -q 'stroke-width="2"' "$tmp/d.html" ||
    { echo "FAIL: no reliability heatmap in the HTML summary"; fail=1; }
if grep -qi '<script' "$tmp/d.html"; then
	echo "FAIL: a script in the HTML summary"; fail=1
fi
for f in text markdown csv; do
	"$SHADOWTAP" summary -d "$tmp/degraded.db" --format $f >"$tmp/d.$f" ||
	    { echo "FAIL: $f summary"; exit 1; }
	grep -qi 'reliability' "$tmp/d.$f" && grep -q '10\.20\.2\.0/24' \
	    "$tmp/d.$f" || { echo "FAIL: no finding in the $f summary"; fail=1; }
done
# Thresholds from the policy: six days are more than the week has.
printf 'reliability min-days 6\nreliability dns-timeouts 2.5%%\n' \
    >"$tmp/six.policy"
"$SHADOWTAP" summary -d "$tmp/degraded.db" -R "$top_srcdir/rules" \
    -P "$tmp/six.policy" --format json >"$tmp/six.json" ||
    { echo "FAIL: summary -P"; exit 1; }
python3 - "$tmp/six.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))["reliability"]
t = r["thresholds"]
if r["findings"] or t["min_days"] != 6 or t["dns-timeouts_permille"] != 25:
    print("FAIL: summary -P: thresholds %s, %d findings" %
          (t, len(r["findings"])))
    sys.exit(1)
PY
printf 'reliability min-days 0\n' >"$tmp/bad.policy"
"$SHADOWTAP" summary -d "$tmp/degraded.db" -R "$top_srcdir/rules" \
    -P "$tmp/bad.policy" >/dev/null 2>"$tmp/bad.err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q 'bad.policy:1:22: error: "min-days" needs' \
    "$tmp/bad.err"; then
	echo "FAIL: summary -P with a bad policy: exit $rc"; cat "$tmp/bad.err"
	fail=1
fi
exit $fail
