/* SPDX-License-Identifier: ISC */
/*
 * bare.c: the benchmark's baseline, a bare pcap_open_offline + pcap_next_ex
 * loop that touches every packet and nothing else. shadowtap's throughput
 * is reported as a ratio to this one on the same file in the same run.
 *
 * With -B BYTES the file is opened with fopen and given a stdio buffer of
 * that size before pcap_fopen_offline, as shadowtap does for -r (one
 * read(2) per MiB instead of per 4 KiB): the fairer baseline for the ratio
 * once shadowtap's own reading is that cheap. bench/run times both.
 *
 * Prints one line: packets, bytes (wire length), seconds, packets/s, Gbit/s.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t pkts = 0, wire = 0, cap = 0, sum = 0;
	double t0, dt;
	pcap_t *p;
	FILE *fp;
	char *buf = NULL;
	long bufsz = 0;
	int rc;

	if (argc == 4 && strcmp(argv[1], "-B") == 0) {
		bufsz = strtol(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || bufsz < 0) {
		fprintf(stderr, "usage: bare [-B BYTES] FILE\n");
		return 2;
	}
	t0 = now_s();
	if (bufsz > 0) {
		if ((fp = fopen(argv[1], "rb")) == NULL ||
		    (buf = malloc((size_t)bufsz)) == NULL) {
			perror(argv[1]);
			return 1;
		}
		(void)setvbuf(fp, buf, _IOFBF, (size_t)bufsz);
		p = pcap_fopen_offline(fp, errbuf);
	} else
		p = pcap_open_offline(argv[1], errbuf);
	if (p == NULL) {
		fprintf(stderr, "bare: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		pkts++;
		wire += h->len;
		cap += h->caplen;
		/* Touch the first and last byte so the data is really read. */
		if (h->caplen > 0)
			sum += data[0] + data[h->caplen - 1];
	}
	if (rc == -1) {
		fprintf(stderr, "bare: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	free(buf);
	dt = now_s() - t0;
	if (dt <= 0)
		dt = 1e-9;
	printf("packets=%" PRIu64 " bytes=%" PRIu64 " caplen=%" PRIu64
	    " seconds=%.6f pps=%.0f gbps=%.3f touch=%" PRIu64 "\n",
	    pkts, wire, cap, dt, (double)pkts / dt,
	    (double)wire * 8 / dt / 1e9, sum & 0xff);
	return 0;
}
