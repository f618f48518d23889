/* SPDX-License-Identifier: ISC */
/*
 * cmd_capture.c: "shadowtap capture". Parses the options, loads and checks
 * the rules before anything is opened, opens the capture, the GeoIP files
 * and the outputs, then splits in two: the sniffer (sniffer.h) reads the
 * packets in a sandboxed child, the parent becomes the writer (writer.h)
 * that holds the database. With --no-db this process is the sniffer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cidr.h"
#include "base/defaults.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/siphash.h"
#include "base/util.h"
#include "cmd.h"
#include "events.h"
#include "packet/capture.h"
#include "packet/decode.h"
#include "policy/geo.h"
#include "policy/rules.h"
#include "privsep.h"
#include "rulefiles.h"
#include "sandbox.h"
#include "signals.h"
#include "sniffer.h"
#include "syslogfwd.h"
#include "syslogtx.h"
#include "writer.h"

#define FILTER_MAX		4096
#define PCAP_ERR_MAX		256	/* libpcap's PCAP_ERRBUF_SIZE */
#define FINGERPRINT_BYTES	(1024 * 1024)	/* hashed of a capture file */
#define SYSLOG_SOCKET		"/dev/log"	/* glibc's _PATH_LOG */
#define WORKERS_MAX		64	/* --workers */

/* The command line, parsed. */
struct capture_args {
	struct capture_opts	 co;
	struct sniffer_conf	 sc;	/* the options the sniffer takes */
	struct writer_conf	 wc;	/* the options the writer takes */
	struct rulefiles	 files;
	struct sandbox_opts	 so;
	const char		*db;
	const char		*spool;		/* --spool, or NULL */
	char			 spoolpath[PATH_MAX];
	const char		*events_path;
	const char		*stats_path;
	const char		*geo_country;
	const char		*geo_asn;
	const char		*syslog_dest;
	int			 nodb;
	int			 again;	/* --again: read a recorded file */
	int			 workers;	/* --workers, 1: no fanout */
	struct capture		*caps[WORKERS_MAX]; /* worker k's capture */
	FILE			*stats_fps[WORKERS_MAX]; /* its --stats */
	struct privsep		*ps[WORKERS_MAX];	/* the store's ends */
	char			 fingerprint[64];
	char			 filter[FILTER_MAX];
	char			 hostname[256];
};

enum {
	OPT_EVENTS = 256, OPT_STATS, OPT_DET, OPT_NODB, OPT_IGNVLAN,
	OPT_LOCALNET, OPT_NODEDUP, OPT_IMMEDIATE, OPT_GEOCC, OPT_GEOASN,
	OPT_MAXFLOWS, OPT_SYSLOG, OPT_NOSANDBOX, OPT_SENSOR, OPT_KEEP, OPT_LOG,
	OPT_AGAIN, OPT_EVFMT, OPT_SYSLOGCA, OPT_SYSLOGQ, OPT_SPOOL, OPT_WORKERS
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: shadowtap capture (-r FILE | -i IFACE) [-d DB] [-R RULES_DIR]\n"
"                         [-P POLICY] [--events FILE|-] [--stats FILE]\n"
"                         [-c COUNT] [-s SNAPLEN] [-B MB] [-p] [-q]\n"
"                         [--workers N]\n"
"                         [--ignore-vlan] [--deterministic] [expression...]\n"
"\n"
"Reads packets from a capture file or a live interface, recognises the\n"
"services that devices talk to, and records findings (device x service x\n"
"day, with bytes and flow counts) in an SQLite database.\n"
"\n"
"  -r FILE           read packets from FILE (pcap or pcapng; - for stdin);\n"
"                    one file per run: run capture once per file, with\n"
"                    the same -d DB. A file the database has recorded\n"
"                    already (same size and first MiB) is refused\n"
"  --again           read a file even though it was recorded already\n"
"                    (its counts are added a second time)\n"
"  -i IFACE          capture live on IFACE (needs root or CAP_NET_RAW)\n"
"  -d DB             SQLite database to write (default: %s), or a\n"
"                    PostgreSQL URI (postgresql://...) or connection\n"
"                    string to forward to (password: ~/.pgpass)\n"
"  --spool FILE      with PostgreSQL: the local SQLite file written first\n"
"                    (default: spool-SENSOR.db beside the default DB)\n"
"  -R RULES_DIR      service catalog directory (default: %s)\n"
"  -P POLICY         organisation policy file (default: %s)\n"
"  --events FILE     write one JSON object per flow to FILE (- for stdout)\n"
"  --events-format shadowtap|eve  the events' keys: shadowtap's own\n"
"                    (default) or Suricata EVE (event_type, community_id)\n"
"  --stats FILE      write run counters as a JSON object to FILE at the end\n"
"  --no-db           do not write a database (events and stats only)\n"
"  -c COUNT          stop after COUNT packets\n"
"  -s SNAPLEN        bytes to capture per packet (live; default %d)\n"
"  -B MB             kernel capture buffer in MiB (live; default %d): the\n"
"                    size of the TPACKET_V3 ring, read back and logged\n"
"  -p                do not put the interface into promiscuous mode\n"
"  -q                quiet: no progress bar or informational messages\n"
"  --ignore-vlan     treat both directions as one flow even when only one\n"
"                    carries a VLAN tag (one-sided tagging on SPAN ports)\n"
"  --local-net CIDR  the organisation's networks, to tell devices from\n"
"                    servers when no TCP handshake is seen (repeatable;\n"
"                    default: RFC 1918, 100.64/10, link-local, fc00::/7)\n"
"  -u USER           user the packet parser runs as (default " SHADOWTAP_USER
"\n                    or, if missing, nobody); it also chroots to an\n"
"                    empty directory and loads a seccomp allow-list\n"
"  --no-sandbox      go on when the sandbox cannot be set up (unsafe)\n"
"  --no-dedup        keep packets a double mirror delivers twice\n"
"  --max-flows N     flows tracked at once (default %u); the oldest is\n"
"                    evicted when full, so memory stays bounded\n"
"  --geoip-country F MaxMind-format country database (GeoLite2, DB-IP...)\n"
"  --geoip-asn F     MaxMind-format ASN database, for asns rules and\n"
"                    the AS of each destination\n"
"  --workers N       live, with a database: N parser processes (1..%d,\n"
"                    default 1), each sandboxed, each with its own ring\n"
"                    of -B MiB; the kernel hands each flow to one of\n"
"                    them (PACKET_FANOUT by flow hash). --stats FILE is\n"
"                    then written per worker, as FILE.1 .. FILE.N\n"
"  --immediate       live: deliver packets as they arrive (no batching;\n"
"                    a TPACKET_V2 ring of -s sized frames: lower -s)\n"
"  --keep-detail DAYS  at the end of the run, roll hourly findings older\n"
"                    than DAYS into daily rows (as shadowtap db prune)\n"
"  --sensor NAME     the name this sensor's runs are recorded under\n"
"                    (default: the host name); summary -d A -d B keeps\n"
"                    sites apart by it\n"
"  --syslog [udp://|tcp://|tls://]HOST[:PORT]  send each finding to a\n"
"                    syslog collector as an RFC 5424 message over UDP\n"
"                    (default), TCP (RFC 6587) or TLS (RFC 5425); ports\n"
"                    514, 514 and 6514 unless given\n"
"  --syslog-ca FILE  CA certificates for tls:// (default: the system's)\n"
"  --syslog-queue N  TCP/TLS: messages held while the collector is away\n"
"                    (default %d); more are dropped and counted\n"
"  --log syslog|stderr  where messages go (default stderr); syslog uses\n"
"                    the local daemon (" SYSLOG_SOCKET "), facility daemon\n"
"  --deterministic   fixed hash keys, for reproducible test runs\n"
"  expression        a BPF filter, as for tcpdump (e.g. 'not port 22');\n"
"                    everything after the options; checked before\n"
"                    anything is read\n"
"\n"
"Exit status: 0 ok, 1 runtime failure, 2 usage error or bad rules.\n",
	    paths_db(), paths_rules_dir(), paths_policy_file(), DEF_SNAPLEN,
	    DEF_PCAP_BUFFER_MB, WORKERS_MAX, DEF_FLOW_CAPACITY,
	    SYSLOGTX_QUEUE_DEF);
}

/* Creates the parent directory of the default database if missing. */
static void
ensure_parent_dir(const char *path)
{
	char dir[PATH_MAX], *slash;

	strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		log_debug("mkdir %s: %s", dir, strerror(errno));
}

/*
 * -d postgresql://...: the run writes its spool file, and the writer
 * forwards it (and may open network sockets for that). EXIT_OK or
 * EXIT_USAGE after saying why.
 */
static int
resolve_pg(struct capture_args *a)
{
	char err[512];

	switch (writer_spool(a->db, a->spool, a->wc.sensor, a->spoolpath,
	    sizeof(a->spoolpath), err, sizeof(err))) {
	case 0:
		if (a->spool != NULL) {
			log_warnx("--spool needs -d postgresql://...");
			return EXIT_USAGE;
		}
		return EXIT_OK;
	case 1:
		a->wc.pg = a->db;
		a->db = a->spoolpath;
		a->so.store_net = 1;
		if (a->spool == NULL)
			ensure_parent_dir(a->db);
		return EXIT_OK;
	default:
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
}

/*
 * The database's directory must exist before anything is read: the default
 * one is created when only its last component is missing, and a missing
 * one is named. EXIT_OK or EXIT_RUNTIME.
 */
static int
check_db_dir(const char *db)
{
	char dir[PATH_MAX];

	if (db == NULL) {
		db = paths_db();
		ensure_parent_dir(db);
	}
	if (paths_dir_of(db, dir, sizeof(dir)) == 0)
		return EXIT_OK;
	log_warnx("cannot create the database %s: directory %s does not "
	    "exist (make install creates it; or give -d FILE)", db, dir);
	return EXIT_RUNTIME;
}

/*
 * Everything after the options is the BPF filter: it must compile, so that
 * an operand meant as a file or an option ("-r a b -d x.db") is not taken
 * for one. EXIT_OK or EXIT_USAGE after a message.
 */
static int
check_filter(const char *filter)
{
	char err[PCAP_ERR_MAX];

	if (filter == NULL || capture_filter_check(filter, err,
	    sizeof(err)) == 0)
		return EXIT_OK;
	log_warnx("\"%s\" is not a BPF filter (%s); options go before the "
	    "filter, one -r FILE per run", filter, err);
	return EXIT_USAGE;
}

/*
 * A regular file's fingerprint: its size and two SipHash-2-4 values (fixed
 * keys) of its first MiB, "SIZE:HEX". 0, or -1 when it has none (a pipe,
 * stdin, unreadable: reading it will say why).
 */
static int
file_fingerprint(const char *path, char *out, size_t outlen)
{
	static const struct siphash_key k1 = { 0x7368616430746170ULL,
	    0x66696e6765727031ULL }, k2 = { 0x7368616430746170ULL,
	    0x66696e6765727032ULL };
	struct stat sb;
	uint8_t *buf;
	ssize_t n;
	size_t have = 0;
	int fd;

	/* stat() first: opening a FIFO would take its writer's data. */
	if (strcmp(path, "-") == 0 || stat(path, &sb) == -1 ||
	    !S_ISREG(sb.st_mode) || (fd = open(path, O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -1;
	}
	buf = xmalloc(FINGERPRINT_BYTES);
	while (have < FINGERPRINT_BYTES && (n = read(fd, buf + have,
	    FINGERPRINT_BYTES - have)) > 0)
		have += (size_t)n;
	close(fd);
	snprintf(out, outlen, "%jd:%016" PRIx64 "%016" PRIx64,
	    (intmax_t)sb.st_size, siphash(&k1, buf, have),
	    siphash(&k2, buf, have));
	free(buf);
	return 0;
}

/*
 * A capture file the database has recorded already is refused before it is
 * read (its counts would be added twice), unless --again. The fingerprint
 * goes into the run's row. 0 or EXIT_RUNTIME after a message.
 */
static int
check_recorded(struct capture_args *a)
{
	const char *db = a->db != NULL ? a->db : paths_db();
	char msg[1200];

	if (file_fingerprint(a->co.file, a->fingerprint,
	    sizeof(a->fingerprint)) == -1)
		return 0;
	a->wc.ri.fingerprint = a->fingerprint;
	if (a->again || writer_run_recorded(db, a->fingerprint, msg,
	    sizeof(msg)) != 1)
		return 0;
	log_warnx("%s is already recorded in %s (%s); reading it again would "
	    "count it twice: nothing read (--again to read it anyway)",
	    a->co.file, db, msg);
	return EXIT_RUNTIME;
}

static const struct option longopts[] = {
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "events-format", required_argument, NULL, OPT_EVFMT },
	{ "stats", required_argument, NULL, OPT_STATS },
	{ "deterministic", no_argument, NULL, OPT_DET },
	{ "no-db", no_argument, NULL, OPT_NODB },
	{ "ignore-vlan", no_argument, NULL, OPT_IGNVLAN },
	{ "local-net", required_argument, NULL, OPT_LOCALNET },
	{ "no-dedup", no_argument, NULL, OPT_NODEDUP },
	{ "immediate", no_argument, NULL, OPT_IMMEDIATE },
	{ "geoip-country", required_argument, NULL, OPT_GEOCC },
	{ "geoip-asn", required_argument, NULL, OPT_GEOASN },
	{ "max-flows", required_argument, NULL, OPT_MAXFLOWS },
	{ "syslog", required_argument, NULL, OPT_SYSLOG },
	{ "syslog-ca", required_argument, NULL, OPT_SYSLOGCA },
	{ "syslog-queue", required_argument, NULL, OPT_SYSLOGQ },
	{ "again", no_argument, NULL, OPT_AGAIN },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "no-sandbox", no_argument, NULL, OPT_NOSANDBOX },
	{ "sensor", required_argument, NULL, OPT_SENSOR },
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "keep-detail", required_argument, NULL, OPT_KEEP },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The options that take a number. 0, or -1 after a message. */
static int
parse_number(struct capture_args *a, int ch, const char *arg)
{
	struct flow_opts *fo = &a->sc.fo;
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || arg[0] == '-')
		n = 0;
	switch (ch) {
	case 'c':
		if (n == 0) {
			log_warnx("-c: not a positive count: %s", arg);
			return -1;
		}
		a->sc.limit = n;
		break;
	case 's':
		if (n < 64 || n > 262144) {
			log_warnx("-s: snaplen must be 64..262144");
			return -1;
		}
		a->co.snaplen = (int)n;
		break;
	case 'B':
		if (n < 1 || n > 4096) {
			log_warnx("-B: buffer must be 1..4096 MiB");
			return -1;
		}
		a->co.buffer_mb = (int)n;
		break;
	case OPT_WORKERS:
		if (n < 1 || n > WORKERS_MAX) {
			log_warnx("--workers: 1..%d parser processes",
			    WORKERS_MAX);
			return -1;
		}
		a->workers = (int)n;
		break;
	case OPT_KEEP:
		if (n < 1 || n > 36500) {
			log_warnx("--keep-detail: days must be 1..36500");
			return -1;
		}
		a->wc.keep_days = (long)n;
		break;
	case OPT_MAXFLOWS:
		if (n < 16 || n > (1u << 26)) {
			log_warnx("--max-flows: 16..67108864 flows");
			return -1;
		}
		fo->capacity = (size_t)n;
		if (fo->stream_slots > fo->capacity)
			fo->stream_slots = fo->capacity;
		if (fo->detail_slots > fo->capacity)
			fo->detail_slots = fo->capacity;
		break;
	}
	return 0;
}

/* --log syslog|stderr. 0, or -1 after a message. */
static int
parse_log(const char *arg)
{
	struct stat st;

	if (strcmp(arg, "stderr") == 0)
		return 0;
	if (strcmp(arg, "syslog") != 0) {
		log_warnx("--log: \"%s\" is neither syslog nor stderr", arg);
		return -1;
	}
	if (stat(SYSLOG_SOCKET, &st) == -1)
		log_warnx("--log syslog: %s: %s; messages may be lost",
		    SYSLOG_SOCKET, strerror(errno));
	/* Connected now: the sandboxes cannot open it later. */
	log_init("shadowtap", 1, 0);
	return 0;
}

/* --local-net CIDR. 0, or -1 after a message. */
static int
parse_local(struct capture_args *a, const char *arg)
{
	struct cidr cidr;
	char err[256];

	if (cidr_parse(arg, &cidr, err, sizeof(err)) == -1) {
		log_warnx("--local-net: %s", err);
		return -1;
	}
	if (cidr_list_add(&a->sc.local, &cidr) == -1) {
		log_warnx("--local-net: at most %d networks", CIDR_LIST_MAX);
		return -1;
	}
	return 0;
}

/* One option. 0, 1 for --help (printed), or -1 after a message. */
static int
parse_opt(struct capture_args *a, int ch, const char *arg)
{
	switch (ch) {
	case 'r':
		if (a->co.file != NULL) {
			log_warnx("-r given twice (%s, %s): one capture file "
			    "per run; read each with its own shadowtap capture "
			    "-r FILE into the same -d DB", a->co.file, arg);
			return -1;
		}
		a->co.file = arg;
		break;
	case 'i':
		if (a->co.iface != NULL) {
			log_warnx("-i given twice (%s, %s): one interface per "
			    "run", a->co.iface, arg);
			return -1;
		}
		a->co.iface = arg;
		break;
	case 'd':
		a->db = arg;
		break;
	case 'R':
		a->files.rules_path = arg;
		break;
	case 'P':
		a->files.policy_path = arg;
		a->files.policy_given = 1;
		break;
	case 'c': case 's': case 'B': case OPT_KEEP: case OPT_MAXFLOWS:
	case OPT_WORKERS:
		return parse_number(a, ch, arg);
	case 'p':
		a->co.promisc = 0;
		break;
	case 'q':
		a->sc.quiet = 1;
		break;
	case 'u':
		a->so.user = arg;
		break;
	case OPT_EVENTS:
		a->events_path = arg;
		break;
	case OPT_EVFMT:
		if ((a->sc.events_format = events_format_parse(arg)) == -1) {
			log_warnx("--events-format: \"%s\" is neither "
			    "shadowtap nor eve", arg);
			return -1;
		}
		break;
	case OPT_STATS:
		a->stats_path = arg;
		break;
	case OPT_DET:
		a->sc.fo.deterministic = 1;
		break;
	case OPT_NODB:
		a->nodb = 1;
		break;
	case OPT_IGNVLAN:
		a->sc.fo.ignore_vlan = 1;
		break;
	case OPT_LOCALNET:
		return parse_local(a, arg);
	case OPT_NODEDUP:
		a->sc.nodedup = 1;
		break;
	case OPT_IMMEDIATE:
		a->co.immediate = 1;
		break;
	case OPT_GEOCC:
		a->geo_country = arg;
		break;
	case OPT_GEOASN:
		a->geo_asn = arg;
		break;
	case OPT_SYSLOG:
		a->syslog_dest = a->sc.syslog_dest = arg;
		break;
	case OPT_SYSLOGCA:
		a->sc.syslog_ca = arg;
		break;
	case OPT_SYSLOGQ:
		if ((a->sc.syslog_queue = syslogtx_parse_queue(arg)) == 0) {
			log_warnx("--syslog-queue: 1..%d messages",
			    SYSLOGTX_QUEUE_MAX);
			return -1;
		}
		break;
	case OPT_LOG:
		return parse_log(arg);
	case OPT_NOSANDBOX:
		a->so.allow_unsandboxed = 1;
		break;
	case OPT_SENSOR:
		a->wc.sensor = arg;
		a->sc.sensor = arg;
		break;
	case OPT_AGAIN:
		a->again = 1;
		break;
	case OPT_SPOOL:
		a->spool = arg;
		break;
	case 'h':
		usage(stdout);
		return 1;
	default:	/* getopt_long() has named the option */
		return -1;
	}
	return 0;
}

/*
 * --workers N > 1: what it cannot go with, refused rather than half done.
 * 0, or -1 after a message.
 */
static int
check_workers(const struct capture_args *a)
{
	const char *why = NULL;

	if (a->co.file != NULL)
		why = "a capture file is read by one parser, in order; "
		    "--workers splits a live interface (-i)";
	else if (a->nodb)
		why = "the workers' findings meet in the database process: "
		    "not with --no-db";
	else if (a->events_path != NULL)
		why = "not with --events (the workers' lines would "
		    "interleave)";
	else if (a->syslog_dest != NULL)
		why = "not with --syslog";
	else if (a->sc.limit > 0)
		why = "not with -c (each worker would count its own)";
	if (why == NULL)
		return 0;
	log_warnx("--workers %d: %s", a->workers, why);
	return -1;
}

/*
 * The command line into *a. Returns 0, EXIT_OK + 256 after --help, or
 * EXIT_USAGE after a message.
 */
static int
parse_args(struct capture_args *a, int argc, char **argv)
{
	int ch, rc;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->co.snaplen = DEF_SNAPLEN;
	a->co.promisc = 1;
	a->co.buffer_mb = DEF_PCAP_BUFFER_MB;
	a->workers = 1;
	a->sc.syslog_fd = -1;
	flow_opts_default(&a->sc.fo);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+r:i:d:R:P:c:s:B:u:pqh", longopts,
	    NULL)) != -1) {
		if ((rc = parse_opt(a, ch, optarg)) != 0)
			return rc == 1 ? EXIT_OK + 256 :
			    cmd_usage_error("capture");
	}
	if ((a->co.file == NULL) == (a->co.iface == NULL)) {
		log_warnx("capture: give exactly one of -r FILE or -i IFACE");
		return cmd_usage_error("capture");
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (a->filter[0] != '\0')
			strlcat(a->filter, " ", sizeof(a->filter));
		if (strlcat(a->filter, argv[i], sizeof(a->filter)) >=
		    sizeof(a->filter)) {
			log_warnx("filter expression too long");
			return cmd_usage_error("capture");
		}
	}
	a->co.filter = a->filter[0] != '\0' ? a->filter : NULL;
	if (a->workers > 1 && check_workers(a) == -1)
		return cmd_usage_error("capture");
	if (check_filter(a->co.filter) != EXIT_OK)
		return cmd_usage_error("capture");
	if (a->files.rules_path == NULL)
		a->files.rules_path = paths_rules_dir();
	if (a->files.policy_path == NULL)
		a->files.policy_path = paths_policy_file();
	log_setquiet(a->sc.quiet);
	if (!a->nodb && resolve_pg(a) != EXIT_OK)
		return EXIT_USAGE;
	if (!a->nodb && check_db_dir(a->db) != EXIT_OK)
		return EXIT_RUNTIME;
	if (!a->nodb && a->co.file != NULL)
		return check_recorded(a);
	return 0;
}

/*
 * The rules, the syslog socket and the GeoIP files: everything a broken
 * configuration stops before the capture opens. EXIT_OK or the exit code.
 */
static int
open_config(struct capture_args *a)
{
	char err[512];

	a->sc.rs = rulefiles_load(&a->files);
	if (a->sc.rs == NULL) {
		log_warnx("rules have errors; nothing captured");
		return EXIT_USAGE;
	}
	if (a->syslog_dest != NULL && (a->sc.syslog_fd = syslogfwd_open(
	    a->syslog_dest, err, sizeof(err))) == -1) {
		log_warnx("--syslog: %s", err);
		return EXIT_RUNTIME;
	}
	if (gethostname(a->hostname, sizeof(a->hostname)) == -1)
		strlcpy(a->hostname, "-", sizeof(a->hostname));
	if (a->geo_country != NULL || a->geo_asn != NULL) {
		a->sc.geo = geo_open(a->geo_country, a->geo_asn, err,
		    sizeof(err));
		if (a->sc.geo == NULL) {
			log_warnx("%s", err);
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

/* A stop while a piped capture's header is read (async-signal-safe). */
static void
close_stdin(void *arg)
{
	(void)arg;
	(void)close(STDIN_FILENO);
}

/*
 * What the kernel made of -B, read back: libpcap asks for a TPACKET_V3 ring
 * of -B MiB in blocks of 256 KiB that hold packets of any size, but falls
 * back to TPACKET_V2 (one fixed frame of about -s bytes per packet) with
 * --immediate, and shrinks the ring without a word when memory is short.
 */
static void
log_ring(const struct capture_args *a, const struct capture *cap)
{
	struct capture_ring r;
	uint64_t asked = (uint64_t)a->co.buffer_mb << 20, frames;

	if (capture_ring(cap, &r) == -1)
		return;
	log_info("%s: TPACKET_V%d ring of %" PRIu64 " KiB (-B %d)",
	    a->co.iface, r.version, r.bytes >> 10, a->co.buffer_mb);
	if (r.bytes + (256u << 10) < asked)
		log_warnx("%s: the kernel gave a ring of %" PRIu64 " KiB of the "
		    "%" PRIu64 " asked for (-B): packets will be dropped "
		    "sooner", a->co.iface, r.bytes >> 10, asked >> 10);
	frames = r.bytes / ((uint64_t)a->co.snaplen + 128);
	if (r.version != 3 && frames < 4096)
		log_warnx("%s: TPACKET_V%d ring (--immediate) holds about %"
		    PRIu64 " packets of -s %d: lower -s or raise -B",
		    a->co.iface, r.version, frames, a->co.snaplen);
}

/*
 * --workers N: N captures of the interface in one PACKET_FANOUT group
 * (a new one, its id picked by the kernel for the first capture, which
 * the others join), and --stats FILE.k for each.
 * *capp is the first; cmd_capture() closes them all. EXIT_OK or the code.
 */
static int
open_workers(struct capture_args *a, struct capture **capp)
{
	char err[512], path[PATH_MAX];
	int k, link;

	for (k = 0; k < a->workers; k++) {
		a->co.fanout = k == 0 ? 1 : 2;
		a->caps[k] = capture_open(&a->co, err, sizeof(err));
		if (a->caps[k] == NULL) {
			log_warnx("worker %d: %s", k + 1, err);
			return EXIT_RUNTIME;
		}
		*capp = a->caps[0];
		a->co.fanout_id = capture_fanout_id(a->caps[0]);
	}
	log_ring(a, *capp);
	link = capture_datalink(*capp);
	if (!decode_link_supported(link)) {
		log_warnx("%s: unsupported link type %s (%d)", a->co.iface,
		    capture_datalink_name(link), link);
		return EXIT_RUNTIME;
	}
	for (k = 0; a->stats_path != NULL && k < a->workers; k++) {
		if (strcmp(a->stats_path, "-") == 0) {
			a->stats_fps[k] = stdout;
			continue;
		}
		snprintf(path, sizeof(path), "%s.%d", a->stats_path, k + 1);
		if ((a->stats_fps[k] = fopen(path, "w")) == NULL) {
			log_warn("--stats: %s", path);
			return EXIT_RUNTIME;
		}
	}
	if (a->db == NULL) {
		a->db = paths_db();
		ensure_parent_dir(a->db);
	}
	log_info("%s: %d workers, PACKET_FANOUT group %u (flow hash)",
	    a->co.iface, a->workers, a->co.fanout_id);
	return EXIT_OK;
}

/*
 * The capture, then the events and stats files. EXIT_OK, EXIT_OK + 256
 * when a stop came first, or the code.
 */
static int
open_io(struct capture_args *a, struct capture **capp)
{
	char err[512];
	int link, piped;

	if (a->workers > 1)
		return open_workers(a, capp);
	/*
	 * Reading a piped header can wait for ever: a stop closes stdin, so
	 * that a read it came too early to interrupt fails at once, and one
	 * that came before does not start it. (A file never waits: a stop
	 * then ends the run the parser starts, with nothing read.)
	 */
	piped = a->co.file != NULL && strcmp(a->co.file, "-") == 0;
	if (piped)
		signals_install(0, close_stdin, NULL);
	*capp = piped && signals_stopping() ? NULL : capture_open(&a->co,
	    err, sizeof(err));
	signals_install(0, NULL, NULL);
	if (*capp == NULL && signals_stopping()) {
		/* Ctrl-C before a piped capture's header came: nothing seen. */
		log_info("stopped before the capture began; nothing read");
		return EXIT_OK + 256;
	}
	if (*capp == NULL) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if (a->co.iface != NULL)
		log_ring(a, *capp);
	link = capture_datalink(*capp);
	if (!decode_link_supported(link)) {
		log_warnx("%s: unsupported link type %s (%d)",
		    a->co.file != NULL ? a->co.file : a->co.iface,
		    capture_datalink_name(link), link);
		return EXIT_RUNTIME;
	}
	if (!a->nodb && a->db == NULL) {
		a->db = paths_db();
		ensure_parent_dir(a->db);
	}
	if (a->events_path != NULL) {
		a->sc.events = events_open(a->events_path, err, sizeof(err));
		if (a->sc.events == NULL) {
			log_warnx("%s", err);
			return EXIT_RUNTIME;
		}
	}
	if (a->stats_path != NULL) {
		a->sc.stats_fp = strcmp(a->stats_path, "-") == 0 ? stdout :
		    fopen(a->stats_path, "w");
		if (a->sc.stats_fp == NULL) {
			log_warn("--stats: %s", a->stats_path);
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

/* This process becomes the writer of nps sniffers (a->ps). */
static int
run_writer(struct capture_args *a, size_t nps)
{
	int exitcode;

	a->wc.db = a->db;
	a->wc.ri.source = a->co.file != NULL ? a->co.file : a->co.iface;
	a->wc.ri.filter = a->co.filter;
	a->wc.ri.rules = a->files.rules_path;
	a->so.db = a->db;
	a->wc.so = &a->so;
	a->wc.files = &a->files;
	a->wc.rs = a->sc.rs;
	a->wc.ps = a->ps;
	a->wc.nps = nps;
	exitcode = writer_run(&a->wc);
	a->sc.rs = a->wc.rs;
	return exitcode;
}

/*
 * Worker k's process (--workers): lets go of what belongs to the others
 * (the store's ends of the channels forked before, their captures and
 * --stats files), then parses its share of the packets. Never returns.
 */
static void
worker_main(struct capture_args *a, int k)
{
	static char role[64];
	int j, exitcode;

	for (j = 0; j < k; j++) {
		privsep_free(a->ps[j]);
		a->ps[j] = NULL;
	}
	for (j = 0; j < a->workers; j++) {
		if (j == k)
			continue;
		capture_close(a->caps[j]);
		a->caps[j] = NULL;
		if (a->stats_fps[j] != NULL && a->stats_fps[j] != stdout)
			fclose(a->stats_fps[j]);
		a->stats_fps[j] = NULL;
	}
	snprintf(role, sizeof(role), "shadowtap[sniffer %d]", k + 1);
	log_setrole(role);
	a->sc.stats_fp = a->stats_fps[k];
	exitcode = sniffer_run(&a->sc, a->caps[k]);
	fflush(NULL);
	_exit(exitcode);
}

/*
 * --workers N: forks one sandboxed sniffer per capture, each with its own
 * channel, then becomes the writer of them all. The exit code.
 */
static int
run_workers(struct capture_args *a)
{
	char err[512];
	int k, role, exitcode;

	a->sc.co = &a->co;
	a->sc.so = &a->so;
	a->sc.files = &a->files;
	a->sc.hostname = a->hostname;
	for (k = 0; k < a->workers; k++) {
		fflush(NULL);
		role = privsep_start(&a->ps[k], err, sizeof(err));
		if (role == PRIVSEP_ROLE_SNIFFER) {
			a->sc.ps = a->ps[k];
			worker_main(a, k);
		}
		if (role == -1) {
			log_warnx("privsep: worker %d: %s", k + 1, err);
			while (k-- > 0) {
				(void)privsep_kill(a->ps[k]);
				(void)privsep_wait(a->ps[k], &role);
				privsep_free(a->ps[k]);
			}
			return EXIT_RUNTIME;
		}
	}
	exitcode = run_writer(a, (size_t)a->workers);
	for (k = 0; k < a->workers; k++)
		privsep_free(a->ps[k]);
	return exitcode;
}

/*
 * Privilege separation: with a database, the packet parser runs in a
 * child that drops to the service user, chroots and loads a seccomp
 * allow-list; the parent becomes the writer, which only ever sees
 * validated fixed-size messages. Without one, this process is the parser
 * and sandboxes itself. Returns the writer's exit code in the parent;
 * the sniffer never returns.
 */
static int
run(struct capture_args *a, struct capture *cap)
{
	struct privsep *ps = NULL;
	char err[512];
	int role, exitcode;

	a->sc.co = &a->co;
	a->sc.so = &a->so;
	a->sc.files = &a->files;
	a->sc.hostname = a->hostname;
	fflush(NULL);
	if (!a->nodb) {
		role = privsep_start(&ps, err, sizeof(err));
		if (role == -1) {
			log_warnx("privsep: %s", err);
			return EXIT_RUNTIME;
		}
		if (role == PRIVSEP_ROLE_STORE) {
			a->ps[0] = ps;
			/*
			 * The sniffer owns the capture: the writer leaves the
			 * handle alone (closing it would tear down a live ring
			 * or move a file's offset under the sniffer) until the
			 * sniffer has exited.
			 */
			exitcode = run_writer(a, 1);
			privsep_free(ps);
			return exitcode;
		}
		log_setrole("shadowtap[sniffer]");
	}
	a->sc.ps = ps;
	exitcode = sniffer_run(&a->sc, cap);
	/*
	 * The sandboxed parser ends here, without the exit handlers: they
	 * (and LeakSanitizer's) would make calls its seccomp filter forbids.
	 */
	fflush(NULL);
	_exit(exitcode);
}

int
cmd_capture(int argc, char **argv)
{
	struct capture_args *a;
	struct capture *cap = NULL;
	int exitcode, k;

	/*
	 * The handlers before anything else: a stop before the fork is a
	 * flag both processes have, one during it reaches both (signals.h).
	 */
	signals_install(0, NULL, NULL);
	/* Nothing inherited reaches either process, nor the sandbox. */
	sandbox_close_inherited();
	a = xcalloc(1, sizeof(*a));
	exitcode = parse_args(a, argc, argv);
	if (exitcode != 0) {
		free(a);
		return exitcode == EXIT_OK + 256 ? EXIT_OK : exitcode;
	}
	/* 1. Rules first: a broken rule file stops us before anything opens. */
	exitcode = open_config(a);
	/* 2. The capture source, then the events and stats files. */
	if (exitcode == EXIT_OK)
		exitcode = open_io(a, &cap);
	/* 3. Two processes. */
	if (exitcode == EXIT_OK && a->workers > 1)
		exitcode = run_workers(a);
	else if (exitcode == EXIT_OK)
		exitcode = run(a, cap);
	if (a->sc.stats_fp != NULL && a->sc.stats_fp != stdout)
		fclose(a->sc.stats_fp);
	(void)events_close(a->sc.events);
	geo_free(a->sc.geo);
	if (a->sc.syslog_fd != -1)
		close(a->sc.syslog_fd);
	capture_close(cap);
	for (k = 1; k < a->workers; k++)
		capture_close(a->caps[k]);	/* the first is cap */
	for (k = 0; k < a->workers; k++) {
		if (a->stats_fps[k] != NULL && a->stats_fps[k] != stdout)
			fclose(a->stats_fps[k]);
	}
	rules_free(a->sc.rs);
	free(a);
	return exitcode == EXIT_OK + 256 ? EXIT_OK : exitcode;
}
