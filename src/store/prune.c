/* SPDX-License-Identifier: ISC */
/*
 * prune.c: retention. store_prune() rolls detail rows older than the
 * days to keep up into one row per day, in one transaction.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "store/store.h"
#include "store/store_int.h"

/*
 * Roll-up, one table at a time: sum the detail rows of each day into a
 * temp table, delete the detail, then add the day rows into the table
 * (upsert, so an earlier prune's day row or a daily-window row grows).
 * Done through a temp table because a day's row has the key of its
 * 00:00 hour.
 */
static const char *const prune_sql[] = {
	"CREATE TEMP TABLE IF NOT EXISTS roll_f AS SELECT * FROM findings"
	" WHERE 0",
	"DELETE FROM temp.roll_f",
	/* One max() makes SQLite take the bare columns from the latest row. */
	"INSERT INTO temp.roll_f (device, ip, mac, service, category, verdict,"
	" bucket, window_s, flows, bytes_up, bytes_down, first_us, last_us,"
	" evidence, confidence, department, instance)"
	" SELECT device, ip, mac, service, category, verdict,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), 0, max(last_us), evidence, confidence, department,"
	" instance FROM main.findings WHERE window_s < 86400 AND bucket < ?1"
	" GROUP BY device, service, instance, day",
	"UPDATE temp.roll_f SET first_us = (SELECT min(f.first_us)"
	" FROM main.findings f WHERE f.device = roll_f.device"
	" AND f.service = roll_f.service AND f.instance = roll_f.instance"
	" AND f.bucket >= roll_f.bucket"
	" AND f.bucket < roll_f.bucket + 86400 AND f.window_s < 86400)",
	"DELETE FROM main.findings WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.findings SELECT * FROM temp.roll_f WHERE 1"
	" ON CONFLICT (device, service, instance, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_u AS SELECT * FROM unclassified"
	" WHERE 0",
	"DELETE FROM temp.roll_u",
	"INSERT INTO temp.roll_u SELECT device, name,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), min(first_us), max(last_us) FROM main.unclassified"
	" WHERE window_s < 86400 AND bucket < ?1 GROUP BY device, name, day",
	"DELETE FROM main.unclassified WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.unclassified SELECT * FROM temp.roll_u WHERE 1"
	" ON CONFLICT (device, name, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_d AS SELECT * FROM destinations"
	" WHERE 0",
	"DELETE FROM temp.roll_d",
	"INSERT INTO temp.roll_d SELECT device, service, country, asn,"
	" (bucket / 86400) * 86400 AS day, 86400, sum(flows), sum(bytes_up),"
	" sum(bytes_down), min(first_us), max(last_us) FROM main.destinations"
	" WHERE window_s < 86400 AND bucket < ?1"
	" GROUP BY device, service, country, asn, day",
	"DELETE FROM main.destinations WHERE window_s < 86400 AND bucket < ?1",
	"INSERT INTO main.destinations SELECT * FROM temp.roll_d WHERE 1"
	" ON CONFLICT (device, service, country, asn, bucket) DO UPDATE SET"
	" flows = flows + excluded.flows,"
	" bytes_up = bytes_up + excluded.bytes_up,"
	" bytes_down = bytes_down + excluded.bytes_down,"
	" first_us = min(first_us, excluded.first_us),"
	" last_us = max(last_us, excluded.last_us)",
	"CREATE TEMP TABLE IF NOT EXISTS roll_h AS SELECT * FROM health"
	" WHERE 0",
	"DELETE FROM temp.roll_h",
	"INSERT INTO temp.roll_h SELECT run_id,"
	" (start_us / 86400000000) * 86400000000 AS day, 86400, sum(packets),"
	" sum(drops), sum(decode_errors), sum(dns_unanswered), sum(tcp_failed)"
	" FROM main.health WHERE interval_s < 86400"
	" AND start_us < ?1 * 1000000 GROUP BY run_id, day",
	"DELETE FROM main.health WHERE interval_s < 86400"
	" AND start_us < ?1 * 1000000",
	"INSERT INTO main.health SELECT * FROM temp.roll_h WHERE 1"
	" ON CONFLICT (run_id, start_us) DO UPDATE SET"
	" packets = packets + excluded.packets, drops = drops + excluded.drops,"
	" decode_errors = decode_errors + excluded.decode_errors,"
	" dns_unanswered = dns_unanswered + excluded.dns_unanswered,"
	" tcp_failed = tcp_failed + excluded.tcp_failed",
	/* Network health keeps its hours: the summary judges hours. */
	"CREATE TEMP TABLE IF NOT EXISTS roll_r AS SELECT * FROM"
	" reliability WHERE 0",
	"DELETE FROM temp.roll_r",
	"INSERT INTO temp.roll_r SELECT (start_us / 3600000000) *"
	" 3600000000 AS h, 3600, segment, device, max(ip),"
	" sum(dns_queries), sum(dns_timeouts), sum(dns_servfail),"
	" sum(dns_refused), sum(dns_answered), sum(dns_rtt_ms),"
	" sum(tcp_attempts), sum(tcp_unanswered), sum(tcp_reset),"
	" sum(tcp_cut), sum(dhcp_discover), sum(dhcp_offer),"
	" sum(dhcp_request), sum(dhcp_nak), sum(tcp_handshakes),"
	" sum(tcp_hs_server_us), sum(tcp_hs_client_us), sum(tcp_packets),"
	" sum(tcp_retrans), sum(tcp_ooo), sum(dns_slow)"
	" FROM main.reliability WHERE interval_s < 3600"
	" AND start_us < ?1 * 1000000 GROUP BY h, segment, device",
	"DELETE FROM main.reliability WHERE interval_s < 3600 AND"
	" start_us < ?1 * 1000000",
	"INSERT INTO main.reliability SELECT * FROM temp.roll_r WHERE 1"
	" ON CONFLICT (start_us, segment, device) DO UPDATE SET"
	" dns_queries = dns_queries + excluded.dns_queries,"
	" dns_timeouts = dns_timeouts + excluded.dns_timeouts,"
	" dns_servfail = dns_servfail + excluded.dns_servfail,"
	" dns_refused = dns_refused + excluded.dns_refused,"
	" dns_answered = dns_answered + excluded.dns_answered,"
	" dns_rtt_ms = dns_rtt_ms + excluded.dns_rtt_ms, tcp_attempts ="
	" tcp_attempts + excluded.tcp_attempts, tcp_unanswered ="
	" tcp_unanswered + excluded.tcp_unanswered, tcp_reset ="
	" tcp_reset + excluded.tcp_reset, tcp_cut = tcp_cut +"
	" excluded.tcp_cut, dhcp_discover = dhcp_discover +"
	" excluded.dhcp_discover, dhcp_offer = dhcp_offer +"
	" excluded.dhcp_offer, dhcp_request = dhcp_request +"
	" excluded.dhcp_request, dhcp_nak = dhcp_nak +"
	" excluded.dhcp_nak, tcp_handshakes = tcp_handshakes +"
	" excluded.tcp_handshakes, tcp_hs_server_us = tcp_hs_server_us +"
	" excluded.tcp_hs_server_us, tcp_hs_client_us = tcp_hs_client_us +"
	" excluded.tcp_hs_client_us, tcp_packets = tcp_packets +"
	" excluded.tcp_packets, tcp_retrans = tcp_retrans +"
	" excluded.tcp_retrans, tcp_ooo = tcp_ooo + excluded.tcp_ooo,"
	" dns_slow = dns_slow + excluded.dns_slow",
};

int
store_prune(struct store *st, int keep_days, struct store_prune_stats *out)
{
	sqlite3_stmt *s;
	int64_t last, cut;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_writable(st))
		return -1;
	if (keep_days < 0) {
		store_seterr(st, "prune: days to keep must not be negative");
		return -1;
	}
	if (store_query_last(st, &last) == -1)
		return -1;
	if (last <= 0)
		return 0;
	/* The cutoff is a day boundary, so no day is split. */
	cut = (last / 1000000 / 86400 - keep_days) * 86400;
	out->cutoff_us = cut * 1000000;
	if (store_begin(st) == -1)
		return -1;
	for (i = 0; i < sizeof(prune_sql) / sizeof(prune_sql[0]); i++) {
		if (sqlite3_prepare_v2(st->db, prune_sql[i], -1, &s, NULL) !=
		    SQLITE_OK) {
			store_dberr(st, "prune");
			goto fail;
		}
		if (sqlite3_bind_parameter_count(s) > 0)
			sqlite3_bind_int64(s, 1, cut);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE && strncmp(prune_sql[i], "DELETE FROM main",
		    16) == 0)
			out->rolled += (uint64_t)sqlite3_changes(st->db);
		if (rc == SQLITE_DONE && strncmp(prune_sql[i], "INSERT INTO main",
		    16) == 0)
			out->daily += (uint64_t)sqlite3_changes(st->db);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE) {
			store_dberr(st, "prune");
			goto fail;
		}
	}
	if (store_commit(st) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}
