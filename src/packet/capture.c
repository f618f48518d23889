/* SPDX-License-Identifier: ISC */
/*
 * capture.c: libpcap, and only libpcap. Live capture uses pcap_create so
 * that snaplen, buffer size, promiscuous and immediate mode can be set
 * before activation; files are read with pcap_open_offline, which handles
 * pcap and pcapng alike.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/socket.h>
#include <sys/stat.h>

#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include <errno.h>
#include <pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/capture.h"
#include "base/util.h"

#define CAPTURE_FILE_BUF	(1u << 20)	/* stdio buffer for -r files */

struct capture {
	pcap_t		*pcap;
	FILE		*fp;		/* offline: the file libpcap reads */
	char		*iobuf;		/* offline: fp's stdio buffer */
	int64_t		 file_size;
	int		 live;
	int		 stream;	/* offline from a pipe or socket */
	volatile sig_atomic_t stream_fd; /* its descriptor, -1 once shut */
	int		 dlt;
	uint16_t	 fanout_id;	/* its PACKET_FANOUT group */
};

static int
apply_filter(struct capture *c, const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;

	if (filter == NULL || *filter == '\0')
		return 0;
	if (pcap_compile(c->pcap, &prog, filter, 1,
	    PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "bad filter \"%s\": %s", filter,
		    pcap_geterr(c->pcap));
		return -1;
	}
	if (pcap_setfilter(c->pcap, &prog) == -1) {
		snprintf(err, errlen, "cannot set filter: %s",
		    pcap_geterr(c->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

static struct capture *
open_live(const struct capture_opts *o, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	int rc;

	c = xcalloc(1, sizeof(*c));
	c->stream_fd = -1;
	c->live = 1;
	c->file_size = -1;
	c->pcap = pcap_create(o->iface, ebuf);
	if (c->pcap == NULL) {
		snprintf(err, errlen, "%s: %s", o->iface, ebuf);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->pcap, o->snaplen);
	pcap_set_promisc(c->pcap, o->promisc);
	pcap_set_timeout(c->pcap, 250);
	if (o->buffer_mb > 0)
		pcap_set_buffer_size(c->pcap, o->buffer_mb * 1024 * 1024);
	if (o->immediate)
		pcap_set_immediate_mode(c->pcap, 1);
	rc = pcap_activate(c->pcap);
	if (rc < 0) {
		const char *why = pcap_geterr(c->pcap);

		if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, "%s: no such interface", o->iface);
		else if (rc == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "%s: permission denied (live "
			    "capture needs root or CAP_NET_RAW)", o->iface);
		else
			snprintf(err, errlen, "%s: %s", o->iface,
			    why != NULL && *why != '\0' ? why :
			    pcap_statustostr(rc));
		pcap_close(c->pcap);
		free(c);
		return NULL;
	}
	/*
	 * At once: until it joins the group the socket gets every packet,
	 * which another worker's socket gets too.
	 */
	c->fanout_id = o->fanout_id;
	if (o->fanout != 0 && capture_fanout(c, o->fanout == 1,
	    &c->fanout_id, ebuf, sizeof(ebuf)) == -1) {
		snprintf(err, errlen, "%s: %s", o->iface, ebuf);
		capture_close(c);
		return NULL;
	}
	c->dlt = pcap_datalink(c->pcap);
	if (apply_filter(c, o->filter, err, errlen) == -1) {
		capture_close(c);
		return NULL;
	}
	/*
	 * Non-blocking, so that the loop waits on the capture and on the
	 * channel from the store at once (libpcap's own wait has no timeout
	 * on an idle TPACKET_V3 ring).
	 */
	if (pcap_setnonblock(c->pcap, 1, ebuf) == -1) {
		snprintf(err, errlen, "%s: %s", o->iface, ebuf);
		capture_close(c);
		return NULL;
	}
	return c;
}

static struct capture *
open_file(const struct capture_opts *o, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	struct stat st;

	c = xcalloc(1, sizeof(*c));
	c->file_size = -1;
	if (strcmp(o->file, "-") == 0)
		c->fp = stdin;
	else
		c->fp = fopen(o->file, "rb");
	if (c->fp == NULL) {
		snprintf(err, errlen, "%s: %s", o->file, strerror(errno));
		free(c);
		return NULL;
	}
	if (fstat(fileno(c->fp), &st) == 0 && S_ISREG(st.st_mode))
		c->file_size = st.st_size;
#ifdef __GLIBC__
	else if (fstat(fileno(c->fp), &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)))
		c->stream = 1;
#endif
	c->stream_fd = c->stream ? fileno(c->fp) : -1;
	/*
	 * One read(2) per CAPTURE_FILE_BUF, not per 4 KiB stdio default:
	 * with seccomp filtering every system call of the sandboxed reader,
	 * 250,000 reads per GB were a sixth of its time.
	 */
	c->iobuf = xmalloc(CAPTURE_FILE_BUF);
	(void)setvbuf(c->fp, c->iobuf, _IOFBF, CAPTURE_FILE_BUF);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(c->fp,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (c->pcap == NULL) {
		snprintf(err, errlen, "%s: %s", o->file, ebuf);
		if (c->fp != stdin)
			fclose(c->fp);
		else
			(void)setvbuf(c->fp, NULL, _IONBF, 0);
		free(c->iobuf);
		free(c);
		return NULL;
	}
	c->dlt = pcap_datalink(c->pcap);
	if (apply_filter(c, o->filter, err, errlen) == -1) {
		capture_close(c);
		return NULL;
	}
	return c;
}

struct capture *
capture_open(const struct capture_opts *o, char *err, size_t errlen)
{
	if (o->iface != NULL)
		return open_live(o, err, errlen);
	if (o->file != NULL)
		return open_file(o, err, errlen);
	snprintf(err, errlen, "no capture source");
	return NULL;
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->pcap != NULL)
		pcap_close(c->pcap);	/* also closes c->fp */
	free(c->iobuf);			/* after the stream that used it */
	free(c);
}

int
capture_datalink(const struct capture *c)
{
	return c->dlt;
}

const char *
capture_datalink_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	return n != NULL ? n : "unknown";
}

/*
 * A pipe with nothing buffered and nothing to read: libpcap would block
 * in fread(), and the caller could not commit while the input pauses.
 * glibc only (its FILE shows what is buffered); elsewhere reads block.
 */
static int
stream_dry(struct capture *c)
{
#ifdef __GLIBC__
	struct pollfd pfd;

	if (c->fp->_IO_read_ptr < c->fp->_IO_read_end)
		return 0;
	pfd.fd = fileno(c->fp);
	pfd.events = POLLIN;
	return poll(&pfd, 1, 0) == 0;
#else
	(void)c;
	return 0;
#endif
}

int
capture_next(struct capture *c, struct capture_pkthdr *hdr,
    const uint8_t **data, char *err, size_t errlen)
{
	struct pcap_pkthdr *ph;
	const u_char *d;
	int rc;

	if (c->stream && stream_dry(c))
		return 0;
	rc = pcap_next_ex(c->pcap, &ph, &d);
	if (rc == 1) {
		hdr->ts_us = (int64_t)ph->ts.tv_sec * 1000000 + ph->ts.tv_usec;
		hdr->caplen = ph->caplen;
		hdr->wirelen = ph->len;
		*data = d;
		return 1;
	}
	if (rc == 0)
		return 0;
	if (rc == PCAP_ERROR_BREAK)
		return c->live ? 0 : -2;
	snprintf(err, errlen, "%s", pcap_geterr(c->pcap));
	return -1;
}

int
capture_wait(struct capture *c, int extra_fd, int timeout_ms)
{
	struct pollfd pfd[2];
	nfds_t n = 0;

	if (!c->live && !c->stream)
		return 1;
	pfd[n].fd = c->live ? pcap_get_selectable_fd(c->pcap) :
	    fileno(c->fp);
	pfd[n++].events = POLLIN;
	if (extra_fd != -1) {
		pfd[n].fd = extra_fd;
		pfd[n++].events = POLLIN;
	}
	return poll(pfd, n, timeout_ms) > 0 ? 1 : 0;
}

void
capture_breakloop(struct capture *c)
{
	int fd = c->stream_fd;

	pcap_breakloop(c->pcap);
	/*
	 * A pipe: a read of a record's rest that starts after the signal
	 * (too late to be interrupted) would wait for a writer that may
	 * never write again. Closed, it fails at once.
	 */
	if (fd != -1) {
		c->stream_fd = -1;
		(void)close(fd);
	}
}

int
capture_stats(struct capture *c, struct capture_stats *st)
{
	struct pcap_stat ps;

	memset(st, 0, sizeof(*st));
	if (!c->live)
		return 0;
	if (pcap_stats(c->pcap, &ps) == -1)
		return -1;
	st->received = ps.ps_recv;
	st->kernel_drops = ps.ps_drop;
	st->if_drops = ps.ps_ifdrop;
	return 0;
}

int64_t
capture_file_size(const struct capture *c)
{
	return c->file_size;
}

int64_t
capture_file_pos(const struct capture *c)
{
	long pos;

	if (c->live || c->fp == NULL)
		return -1;
	pos = ftell(c->fp);
	return pos < 0 ? -1 : pos;
}

int
capture_fd(const struct capture *c)
{
	return c->live ? pcap_get_selectable_fd(c->pcap) : -1;
}

#ifdef __linux__
/*
 * The size of the ring libpcap mapped for fd: its mapping in
 * /proc/self/maps is named socket:[INODE]. 0 when none is found.
 */
static uint64_t
ring_bytes(int fd)
{
	char want[64], line[512];
	unsigned long long lo, hi;
	uint64_t total = 0;
	struct stat st;
	FILE *fp;

	if (fstat(fd, &st) == -1)
		return 0;
	snprintf(want, sizeof(want), "socket:[%llu]",
	    (unsigned long long)st.st_ino);
	if ((fp = fopen("/proc/self/maps", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strstr(line, want) != NULL &&
		    sscanf(line, "%llx-%llx", &lo, &hi) == 2 && hi > lo)
			total += hi - lo;
	}
	fclose(fp);
	return total;
}
#endif

int
capture_ring(const struct capture *c, struct capture_ring *r)
{
	memset(r, 0, sizeof(*r));
#ifdef __linux__
	{
		socklen_t len = sizeof(int);
		int fd, v = -1;

		if (!c->live || (fd = pcap_fileno(c->pcap)) == -1)
			return -1;
		if (getsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, &len) == -1)
			return -1;
		r->version = v == TPACKET_V3 ? 3 : v == TPACKET_V2 ? 2 :
		    v == TPACKET_V1 ? 1 : 0;
		r->bytes = ring_bytes(fd);
		return r->bytes > 0 ? 0 : -1;
	}
#else
	(void)c;
	return -1;
#endif
}

int
capture_fanout(struct capture *c, int new_group, uint16_t *id, char *err,
    size_t errlen)
{
#if defined(__linux__) && defined(PACKET_FANOUT_FLAG_UNIQUEID)
	socklen_t len = sizeof(uint32_t);
	uint32_t arg, flags;
	int fd;

	if (!c->live || (fd = pcap_fileno(c->pcap)) == -1) {
		snprintf(err, errlen, "fanout needs a live capture");
		return -1;
	}
	/*
	 * HASH: the kernel's symmetric flow hash picks the socket, so both
	 * directions of a flow reach the same one. DEFRAG: fragments are
	 * put together first, or a datagram's later fragments (no ports)
	 * would hash elsewhere than its first. UNIQUEID: an id no other
	 * group of the namespace has, so that another run's sockets on the
	 * same interface cannot join ours and split its packets with it.
	 */
	flags = PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;
	if (new_group)
		flags |= PACKET_FANOUT_FLAG_UNIQUEID;
	arg = (new_group ? 0 : *id) | (flags << 16);
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg,
	    sizeof(arg)) == -1) {
		snprintf(err, errlen, "PACKET_FANOUT: %s", strerror(errno));
		return -1;
	}
	if (new_group) {
		if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg,
		    &len) == -1) {
			snprintf(err, errlen, "PACKET_FANOUT: %s",
			    strerror(errno));
			return -1;
		}
		*id = (uint16_t)(arg & 0xffff);
	}
	c->fanout_id = *id;
	return 0;
#else
	(void)c;
	(void)new_group;
	(void)id;
	snprintf(err, errlen, "PACKET_FANOUT needs Linux 4.4 or later");
	return -1;
#endif
}

uint16_t
capture_fanout_id(const struct capture *c)
{
	return c->fanout_id;
}

int
capture_filter_check(const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p;
	int rc = 0;

	if ((p = pcap_open_dead(DLT_EN10MB, 262144)) == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -1;
	}
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rc = -1;
	} else
		pcap_freecode(&prog);
	pcap_close(p);
	return rc;
}
