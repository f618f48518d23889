/* SPDX-License-Identifier: ISC */
/*
 * bare.c: the benchmark's baseline, a bare pcap_open_offline + pcap_next_ex
 * loop that touches every packet and nothing else. shadowtap's throughput
 * is reported as a ratio to this one on the same file in the same run.
 *
 * Prints one line: packets, bytes (wire length), seconds, packets/s, Gbit/s.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bare FILE\n");
		return 2;
	}
	t0 = now_s();
	if ((p = pcap_open_offline(argv[1], errbuf)) == NULL) {
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
	dt = now_s() - t0;
	if (dt <= 0)
		dt = 1e-9;
	printf("packets=%" PRIu64 " bytes=%" PRIu64 " caplen=%" PRIu64
	    " seconds=%.6f pps=%.0f gbps=%.3f touch=%" PRIu64 "\n",
	    pkts, wire, cap, dt, (double)pkts / dt,
	    (double)wire * 8 / dt / 1e9, sum & 0xff);
	return 0;
}
