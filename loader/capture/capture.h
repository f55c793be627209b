/* Packet capture around classic BPF: pcap/pcapng files in and out, live
 * capture on an AF_PACKET socket with the program attached in the kernel
 * (SO_ATTACH_FILTER), and tcpdump-like one-line packet summaries.
 *
 * `rawbpf filter -r FILE` / `-i IFACE` (loader/cli/cmd_filter.c) call
 * rb_capture_file_dlt or rb_capture_iface_dlt to learn the link type to
 * compile for, then rb_capture_run.  Every file is hostile: readers check
 * every length and name the record number and byte offset on errors. */
#ifndef RAWBPF_LOADER_CAPTURE_CAPTURE_H
#define RAWBPF_LOADER_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "asm/cbpf/cbpf.h"
#include "common/buf.h"
#include "common/err.h"
#include "loader/sys.h"

/* ---------------------------------------------------------------- run */

struct rb_capture_opts {
	const char *read_file;   /* -r: pcap or pcapng ("-" = stdin); NULL with iface */
	const char *iface;       /* -i: live capture; NULL with read_file */
	const char *write_file;  /* -w: matching packets to a pcap; NULL = print summaries */
	long count;              /* -c: stop after this many matches; 0 = no limit */
	uint32_t snaplen;        /* -s: live capture length and -w header; 0 = 262144 */
	bool quiet;              /* no final "N packets read, M matched" line */
	FILE *out;               /* summary lines; NULL = stdout */
	FILE *stats;             /* the final counts; NULL = stderr */
	const struct rb_sys *sys;/* live capture's socket calls; NULL = direct */
};

/* Runs prog over every packet of opts->read_file (with rawbpf's own cBPF
 * interpreter) or attaches it to a socket on opts->iface (the kernel runs
 * it) and prints a summary line per match, or writes matches to
 * opts->write_file.  Ends with "N packets read, M matched" (live: "N
 * packets captured, M matched, K packets dropped by kernel").  Live
 * capture stops on SIGINT/SIGTERM (handled through a signalfd, so the
 * caller's handlers are untouched) or after opts->count matches.
 * Returns 0 or -RB_E* (bad file: -RB_EINPUT; no permission: -RB_EKERNEL). */
int rb_capture_run(const struct rb_capture_opts *opts, const struct rb_cbpf_prog *prog,
		   struct rb_err *err);

/* The DLT (enum rb_dlt value; libpcap's DLT numbers) of a capture file:
 * the link type of a pcap, of the first interface of a pcapng.  A link type
 * the compiler does not know is returned as is (the compiler refuses it). */
int rb_capture_file_dlt(const char *path, int *dlt, struct rb_err *err);

/* The DLT an AF_PACKET SOCK_RAW socket on iface delivers: EN10MB for
 * Ethernet and loopback, RAW for devices without a link header (tun, wg).
 * The socket and ioctl calls go through sys (NULL = direct). */
int rb_capture_iface_dlt(const struct rb_sys *sys, const char *iface, int *dlt,
			 struct rb_err *err);

/* ---------------------------------------------------------------- files */

/* LINKTYPE_* (file header values) <-> DLT_* (what programs are compiled for).
 * They differ only for RAW: LINKTYPE_RAW 101 <-> DLT_RAW 12 (14 on some BSDs). */
int rb_linktype_to_dlt(uint32_t linktype);
uint32_t rb_dlt_to_linktype(int dlt);

struct rb_pkt {
	const uint8_t *data;     /* caplen bytes, valid until the next read */
	uint32_t caplen, wirelen;
	int64_t ts_sec;
	uint32_t ts_nsec;        /* nanoseconds, whatever the file's resolution */
	int dlt;                 /* link type of the packet's interface */
	uint32_t iface;          /* pcapng interface id; 0 for pcap */
};

enum rb_capfmt { RB_CAPFMT_PCAP = 1, RB_CAPFMT_PCAPNG = 2 };

struct rb_pcapng_if {
	int dlt;
	uint32_t snaplen;
	uint64_t tsresol_num, tsresol_den;  /* seconds per tick = num / den */
	int64_t tsoffset;                   /* if_tsoffset: seconds added */
};

/* A reader over a byte buffer (files are mmapped or read whole).  Fields
 * are internal; use the functions. */
struct rb_pcap_reader {
	const uint8_t *buf;
	size_t len, off;
	enum rb_capfmt fmt;
	bool swap;               /* file byte order differs from the host's */
	bool nano;               /* pcap: nanosecond magic */
	int dlt;                 /* pcap: the header's; pcapng: first interface's */
	uint32_t snaplen;
	uint64_t recno;          /* 1-based number of the last record read */
	struct rb_pcapng_if *ifs;/* pcapng: interfaces of the current section */
	size_t nifs, cap_ifs;
	void *map;               /* owned storage behind buf */
	size_t map_len;
	bool mapped;             /* map is an mmap (else malloc) */
	char name[256];          /* for messages */
};

/* Opens a memory buffer (not copied; it must outlive the reader).  name is
 * used in messages.  Reads the file header: -RB_EINPUT if it is neither
 * pcap nor pcapng or is damaged. */
int rb_pcap_open_mem(struct rb_pcap_reader *r, const void *buf, size_t len,
		     const char *name, struct rb_err *err);
/* Opens a file ("-" = stdin). */
int rb_pcap_open_file(struct rb_pcap_reader *r, const char *path, struct rb_err *err);
/* Next packet: 1 = *pkt filled, 0 = end of file, -RB_EINPUT = truncated or
 * corrupt record (message names the record number and byte offset). */
int rb_pcap_next(struct rb_pcap_reader *r, struct rb_pkt *pkt, struct rb_err *err);
void rb_pcap_close(struct rb_pcap_reader *r);

/* Classic pcap writer (microsecond or nanosecond magic, host byte order). */
struct rb_pcap_writer {
	FILE *f;
	bool nano, own;
	int dlt;
	uint32_t snaplen;
	char name[256];
};

/* path "-" = stdout.  Writes the file header. */
int rb_pcap_writer_open(struct rb_pcap_writer *w, const char *path, int dlt,
			uint32_t snaplen, bool nano, struct rb_err *err);
/* Writes one record; the packet is cut to the writer's snaplen. */
int rb_pcap_write(struct rb_pcap_writer *w, const struct rb_pkt *pkt, struct rb_err *err);
/* Flushes and closes; reports a failed write (disk full). */
int rb_pcap_writer_close(struct rb_pcap_writer *w, struct rb_err *err);

/* ---------------------------------------------------------------- summaries */

/* One tcpdump-like line (no newline) describing pkt, decoded as link type
 * pkt->dlt: "12:00:01.000001 IP 10.0.0.1.80 > 10.0.0.2.1234: tcp [S.] len 60".
 * Never reads past caplen; a cut header is reported as "[|tcp]". */
void rb_pkt_summary(const struct rb_pkt *pkt, struct rb_buf *out);

#endif
