#!/bin/sh
# SPDX-License-Identifier: ISC
# The manual pages are current and render cleanly: groff -ww warns about
# nothing in either page, no hyphen is left in quotes of its own (a stray
# .Ql -), and every option that each command's --help lists appears as an
# .Fl in shadowtap(8). Skipped (77) without groff.
set -u
: "${SHADOWTAP:?}" "${top_srcdir:?}"
command -v groff >/dev/null 2>&1 ||
	{ echo "SKIP: man: needs groff (Debian package groff-base)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
page=$top_srcdir/doc/shadowtap.8
for p in "$page" "$top_srcdir/doc/shadowtap.rules.5"; do
	LC_ALL=C.UTF-8 groff -mandoc -Tutf8 -ww "$p" >"$tmp/out" 2>"$tmp/err"
	if [ -s "$tmp/err" ]; then
		echo "FAIL: man: groff warns about ${p##*/}:"
		sed 's/^/  /' "$tmp/err" | head -10
		fail=$((fail + 1))
	fi
	if grep -n "‘-’\|'-'\|\"-\"\|‘\\\\-’" "$tmp/out" >"$tmp/q"; then
		echo "FAIL: man: a quoted hyphen in ${p##*/}:"
		sed 's/^/  /' "$tmp/q"
		fail=$((fail + 1))
	fi
done
n=0
for c in capture summary "rules check" "rules list" "rules match" \
    "rules explain" "db prune" "db export"; do
	# shellcheck disable=SC2086
	"$SHADOWTAP" $c --help >"$tmp/help" 2>&1 ||
	    { echo "FAIL: man: $c --help failed"; fail=$((fail + 1)); continue; }
	for o in $(grep -oE '(^|[][ (|])--?[a-zA-Z][a-zA-Z-]*' "$tmp/help" |
	    sed 's/^[][ (|]//' | sort -u); do
		n=$((n + 1))
		# .Fl -x, or a further one in ".Fl \-a | \-b".
		case "$o" in
		--*) pat="\\(Fl\\||\\) \\\\-${o#--}" ;;
		*) pat="Fl ${o#-}" ;;
		esac
		grep -q -- "$pat\\([^a-zA-Z-]\\|$\\)" "$page" || {
			echo "FAIL: man: $c $o is not in shadowtap(8)"
			fail=$((fail + 1))
		}
	done
done
[ "$n" -gt 40 ] || { echo "FAIL: man: only $n options found in --help"; fail=$((fail + 1)); }
echo "man: $n options checked, $fail failed"
[ "$fail" -eq 0 ]
