#!/bin/sh
# SPDX-License-Identifier: ISC
# make install into a temporary prefix (make install prefix=DIR, no
# DESTDIR), then the installed binary's first use with every default: it
# finds its rules, policy.rules and the state directory under DIR, as an
# installation moved from the configured prefix (src/base/paths.c), and a
# capture then a summary work. Also: a second install keeps an edited
# policy.rules, a missing state directory is named, make uninstall leaves
# only what the user changed. Skipped (77) when configure put a directory
# outside the prefix (make install prefix=DIR would write there).
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}" "${top_builddir:?}"
mk=$top_builddir/Makefile
for v in exec_prefix bindir datarootdir datadir sysconfdir localstatedir; do
	grep -q "^$v = \${\(exec_\)\{0,1\}prefix}\|^$v = \${datarootdir}" "$mk" ||
	    { echo "SKIP: install: configure put $v outside the prefix"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shadowtap-install.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
unset DESTDIR SHADOWTAP_DB SHADOWTAP_POLICY SHADOWTAP_RULES_DIR
fail=0
bad() {
	echo "FAIL: install: $*"
	fail=$((fail + 1))
}
p=$tmp/prefix
inst() {
	${MAKE:-make} -s -C "$top_builddir" "$@" prefix="$p" \
	    systemdunitdir="$p/lib/systemd/system" >>"$tmp/make.log" 2>&1 ||
	    { cat "$tmp/make.log"; echo "FAIL: install: make $*"; exit 1; }
}
inst install

st=$p/var/lib/shadowtap
[ -d "$st" ] || bad "no state directory $st"
[ "$(stat -c %a "$st" 2>/dev/null)" = 750 ] || bad "$st is not mode 0750"
cmp -s "$top_srcdir/rules/policy.example" "$p/etc/shadowtap/policy.rules" ||
	bad "policy.rules is not the example"
[ -f "$p/share/shadowtap/rules/webmail.rules" ] || bad "no catalog"
if grep -q "^systemdunit_DATA = shadowtap.service" "$mk"; then
	grep -q "^ExecStart=.*/bin/shadowtap capture" \
	    "$p/lib/systemd/system/shadowtap.service" || bad "no systemd unit"
fi

# First use, from elsewhere, with the defaults: --help names them.
cd "$tmp" || exit 99
"$p/bin/shadowtap" capture --help >"$tmp/help" 2>&1
grep -qF "$st/shadowtap.db" "$tmp/help" || bad "default database not $st"
grep -qF "$p/etc/shadowtap/policy.rules" "$tmp/help" ||
	bad "default policy not $p/etc/shadowtap/policy.rules"
"$p/bin/shadowtap" capture -q -r "$top_srcdir/tests/pcap/sample.pcap" \
    2>"$tmp/err" || { cat "$tmp/err"; bad "first capture failed"; }
[ -s "$st/shadowtap.db" ] || bad "no database in $st"
"$p/bin/shadowtap" summary >"$tmp/summary" 2>"$tmp/err" ||
	{ cat "$tmp/err"; bad "summary failed"; }
# The same findings as the build tree's binary with the source's rules.
"$SHADOWTAP" capture -q -r "$top_srcdir/tests/pcap/sample.pcap" \
    -R "$top_srcdir/rules" -P "$top_srcdir/rules/policy.example" \
    -d "$tmp/ref.db" 2>"$tmp/err" || { cat "$tmp/err"; exit 99; }
"$SHADOWTAP" summary -d "$tmp/ref.db" -R "$top_srcdir/rules" \
    -P "$top_srcdir/rules/policy.example" >"$tmp/ref" || exit 99
want=$(grep "devices used [0-9]* unsanctioned services" "$tmp/ref")
[ -n "$want" ] && grep -qF "$want" "$tmp/summary" ||
	{ head -5 "$tmp/summary"; bad "summary differs from the build tree's: $want"; }

# An edited policy survives a second install.
echo "# edited" >>"$p/etc/shadowtap/policy.rules"
inst install
grep -q "^# edited" "$p/etc/shadowtap/policy.rules" ||
	bad "a second install overwrote policy.rules"

# A missing state directory is named.
mv "$p/var" "$tmp/var.saved" || exit 99
"$p/bin/shadowtap" capture -q -r "$top_srcdir/tests/pcap/sample.pcap" \
    2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -qF "directory $p/var/lib/shadowtap does not exist" \
    "$tmp/err" || { cat "$tmp/err"; bad "missing state directory: exit $rc"; }
mv "$tmp/var.saved" "$p/var" || exit 99

inst uninstall
[ ! -e "$p/bin/shadowtap" ] || bad "uninstall left the binary"
[ -f "$p/etc/shadowtap/policy.rules" ] || bad "uninstall removed an edited policy"
[ "$fail" -eq 0 ] && echo "install: pass"
[ "$fail" -eq 0 ]
