#!/bin/sh
# SPDX-License-Identifier: ISC
# install-deps.sh: install (Debian/Ubuntu, as root) the programs the test
# suite uses beyond the build dependencies, so that `make check` skips
# nothing a package can provide: the sqlite3 shell (store tests), tshark
# and its editcap (identification agreement, retention), chromium (the
# HTML report in a browser) and poppler-utils (its PDF), tcpreplay and iproute2 (live capture on a
# veth pair), util-linux's unshare, groff and man-db (the manual pages),
# git (tests/get-corpus.sh and its test).
# What still skips then needs a permission (root, namespaces) or the
# corpus (tests/get-corpus.sh); `make check` lists it at the end.
set -eu
pkgs="sqlite3 tshark chromium poppler-utils tcpreplay iproute2 procps util-linux groff-base man-db git openssl
python3"
need=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need="$need $p"
done
[ -n "$need" ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root to install:$need" >&2
	exit 1
fi
echo "install-deps.sh: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need
