# SPDX-License-Identifier: ISC
# Sourced by the PostgreSQL tests (make check-pg, run under pg_virtualenv,
# which exports PGHOST, PGPORT, PGUSER and PGPASSWORD): skips without a
# server or a build with PostgreSQL, then makes a database of this test's
# own, dropped at exit with the temporary directory. Sets $tmp and $db
# (the URI to give -d).
: "${SHADOWTAP:?}" "${top_srcdir:?}"
name=${0##*/}
name=${name%.sh}
if ! command -v psql >/dev/null || ! psql -qAtc 'select 1' postgres \
    >/dev/null 2>&1; then
	echo "SKIP: $name: needs a PostgreSQL server (pg_virtualenv make check-pg)"
	exit 77
fi
if "$SHADOWTAP" db push /dev/null -d postgresql:///x 2>&1 |
    grep -q "without PostgreSQL"; then
	echo "SKIP: $name: this build has no PostgreSQL support (libpq-dev)"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
dbname=st_${name}_$$
pgdrop() {
	dropdb --if-exists "$dbname" 2>/dev/null
	rm -rf "$tmp"
}
trap pgdrop EXIT
createdb "$dbname" || { echo "FAIL: createdb $dbname"; exit 1; }
db=postgresql:///$dbname
rules=$top_srcdir/rules
# Reports state when they were made: the same instant for every one.
SOURCE_DATE_EPOCH=1700000000; export SOURCE_DATE_EPOCH
# pgsql QUERY: one value, from this test's database.
pgsql() {
	psql -qAtX -d "$dbname" -c "$1"
}
# same A B WHAT: fails the test unless files A and B are byte-identical.
same() {
	cmp -s "$1" "$2" && return 0
	echo "FAIL: $3 differ:"
	diff "$1" "$2" | head -20
	exit 1
}
