/* SPDX-License-Identifier: ISC */
/*
 * events.c: JSON Lines writer for flow events. Every string that came off
 * the wire goes through json_str(); output is buffered by stdio and
 * flushed when the run ends, so writing costs no syscall per flow.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "events.h"
#include "json.h"
#include "util.h"
#include "verdict.h"

struct events {
	FILE	*fp;
	int	 own;
	int	 failed;
};

struct events *
events_open(const char *path, char *err, size_t errlen)
{
	struct events *ev = xcalloc(1, sizeof(*ev));

	if (strcmp(path, "-") == 0) {
		ev->fp = stdout;
	} else {
		ev->fp = fopen(path, "a");
		ev->own = 1;
		if (ev->fp == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(ev);
			return NULL;
		}
	}
	return ev;
}

int
events_close(struct events *ev)
{
	int rc;

	if (ev == NULL)
		return 0;
	if (fflush(ev->fp) == EOF)
		ev->failed = 1;
	if (ev->own && fclose(ev->fp) == EOF)
		ev->failed = 1;
	rc = ev->failed ? -1 : 0;
	free(ev);
	return rc;
}

static void
str_or_null(FILE *fp, const char *key, const char *s, int cond)
{
	fputc(',', fp);
	json_key(fp, key);
	json_str(fp, cond && s[0] != '\0' ? s : NULL);
}

int
events_flow(struct events *ev, const struct flow_record *r)
{
	char ts[UTIL_TS_LEN], te[UTIL_TS_LEN], ip[UTIL_ADDR_LEN];
	FILE *fp = ev->fp;
	int has_svc = r->service[0] != '\0';

	fputs("{\"type\":\"flow\",", fp);
	json_key(fp, "ts");
	json_str(fp, util_iso8601(r->first_us, ts, sizeof(ts)));
	fputc(',', fp);
	json_key(fp, "ts_end");
	json_str(fp, util_iso8601(r->last_us, te, sizeof(te)));
	fputc(',', fp);
	json_key(fp, "src_ip");
	json_str(fp, util_addr_str(r->family, r->client_ip, ip, sizeof(ip)));
	fprintf(fp, ",\"src_port\":%u,", r->client_port);
	json_key(fp, "dst_ip");
	json_str(fp, util_addr_str(r->family, r->server_ip, ip, sizeof(ip)));
	fprintf(fp, ",\"dst_port\":%u,", r->server_port);
	json_key(fp, "proto");
	json_str(fp, r->proto == IPPROTO_TCP ? "tcp" :
	    r->proto == IPPROTO_UDP ? "udp" : NULL);
	fputc(',', fp);
	json_key(fp, "app");
	json_str(fp, app_str(r->app));
	str_or_null(fp, "sni", r->name, r->name_src == NAME_SNI);
	str_or_null(fp, "http_host", r->name, r->name_src == NAME_HTTP_HOST);
	str_or_null(fp, "dns_query", r->name, r->name_src == NAME_DNS_QUERY);
	str_or_null(fp, "service", r->service, has_svc);
	str_or_null(fp, "category", r->category, has_svc);
	fputs(",\"sanctioned\":", fp);
	fputs(!has_svc ? "null" : r->verdict == VERDICT_SANCTIONED ? "true" :
	    "false", fp);
	fputc(',', fp);
	json_key(fp, "status");
	json_str(fp, verdict_str(r->verdict));
	fprintf(fp, ",\"vlan\":%u", r->vlan);
	fprintf(fp, ",\"bytes_up\":%" PRIu64 ",\"bytes_down\":%" PRIu64
	    ",\"pkts_up\":%" PRIu64 ",\"pkts_down\":%" PRIu64 "}\n",
	    r->bytes_up, r->bytes_down, r->pkts_up, r->pkts_down);
	if (ferror(fp))
		ev->failed = 1;
	return ev->failed ? -1 : 0;
}
