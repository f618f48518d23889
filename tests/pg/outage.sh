#!/bin/sh
# SPDX-License-Identifier: ISC
# sensors.sh with PostgreSQL stopped while the eight runs are half-way
# through their captures, and started again 20 s later: the runs go on,
# their spools hold the rows meanwhile and drain when it is back, and the
# totals are still exact.
OUTAGE=1 exec "$top_srcdir/tests/pg/sensors.sh"
