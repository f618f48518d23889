/* SPDX-License-Identifier: ISC */
/*
 * capture.h: packets in, from a live interface or a capture file (pcap or
 * pcapng). The only module that includes <pcap.h>; the rest of shadowtap
 * sees a link type number, a header and borrowed bytes.
 */
#ifndef SHADOWTAP_CAPTURE_H
#define SHADOWTAP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture;

struct capture_opts {
	const char	*iface;		/* live interface, or NULL */
	const char	*file;		/* capture file ("-" = stdin), or NULL */
	const char	*filter;	/* BPF expression, or NULL */
	int		 snaplen;
	int		 promisc;
	int		 buffer_mb;	/* kernel buffer; 0 = libpcap default */
	int		 immediate;
	int		 fanout;	/* PACKET_FANOUT: 0 none, 1 a new group,
					 * 2 join fanout_id */
	uint16_t	 fanout_id;
};

struct capture_pkthdr {
	int64_t		ts_us;		/* packet time, microseconds */
	uint32_t	caplen;		/* bytes available */
	uint32_t	wirelen;	/* bytes on the wire */
};

struct capture_stats {
	uint64_t	received;	/* packets seen by the kernel (live) */
	uint64_t	kernel_drops;	/* dropped for lack of buffer space */
	uint64_t	if_drops;	/* dropped by the interface/driver */
};

/*
 * Opens the source and applies the filter. Returns NULL with a one-line
 * message naming the interface or file in err on failure.
 */
struct capture	*capture_open(const struct capture_opts *, char *err,
		    size_t errlen);
void		 capture_close(struct capture *);

/* The source's DLT_* link type, and libpcap's name for it. */
int		 capture_datalink(const struct capture *);
const char	*capture_datalink_name(int dlt);

/*
 * Reads the next packet. Returns 1 with *hdr and *data (borrowed until the
 * next call) set, 0 when none is waiting (live captures, and files that
 * are pipes or sockets, do not block: see capture_wait()) or after
 * capture_breakloop(), -2 at the end of a file, -1 on error (message in
 * err).
 */
int		 capture_next(struct capture *, struct capture_pkthdr *hdr,
		    const uint8_t **data, char *err, size_t errlen);

/*
 * Live capture or a piped file: waits up to timeout_ms until a packet may
 * be read or extra_fd (-1 for none) is readable. Returns 1 (at once for
 * other files), 0 on timeout, -1 on error (EINTR included, so signal
 * flags get looked at).
 */
int		 capture_wait(struct capture *, int extra_fd, int timeout_ms);

/*
 * Makes capture_next() return 0 soon (a piped file: -1, its descriptor
 * closed so that no read waits); async-signal-safe.
 */
void		 capture_breakloop(struct capture *);

/* Kernel counters for a live capture; zeros for a file. 0 or -1. */
int		 capture_stats(struct capture *, struct capture_stats *);

/* For a file: its size and how far reading has come; -1 when unknown. */
int64_t		 capture_file_size(const struct capture *);
int64_t		 capture_file_pos(const struct capture *);

/*
 * Whether filter compiles as a BPF expression (for Ethernet, before any
 * source is opened): 0, or -1 with libpcap's reason in err.
 */
int		 capture_filter_check(const char *filter, char *err,
		    size_t errlen);

/* What the kernel holds a live capture's packets in (Linux). */
struct capture_ring {
	int		version;	/* TPACKET_V1..V3 as 1..3, 0: unknown */
	uint64_t	bytes;		/* size of the mapped ring */
};

/*
 * The ring libpcap set up for a live capture, read back from the kernel
 * (libpcap silently shrinks it when the memory is not there). 0, or -1
 * for a file or when it cannot be told.
 */
int		 capture_ring(const struct capture *, struct capture_ring *);

/*
 * Live capture on Linux: puts the socket in a PACKET_FANOUT group, hashing
 * by flow (both directions to one socket) after IP defragmentation: a new
 * one whose id the kernel picks unused (new_group; *id is set), or group
 * *id. One group per run, the same for every worker's capture of the
 * interface. capture_open() calls it right after activation when
 * opts->fanout is set. 0, or -1 with the reason in err.
 */
int		 capture_fanout(struct capture *, int new_group, uint16_t *id,
		    char *err, size_t errlen);
/* The fanout group the capture is in (capture_open() with fanout set). */
uint16_t	 capture_fanout_id(const struct capture *);

/* The file descriptor to poll for a live capture, or -1. */
int		 capture_fd(const struct capture *);

#endif
