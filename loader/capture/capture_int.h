/* Internals shared by the files of loader/capture/ (not a public API). */
#ifndef RAWBPF_LOADER_CAPTURE_CAPTURE_INT_H
#define RAWBPF_LOADER_CAPTURE_CAPTURE_INT_H

#include "loader/capture/capture.h"

/* Where matching packets go: summary lines on opts->out or a pcap file. */
struct rb_cap_sink {
	FILE *out;
	struct rb_pcap_writer w;
	bool writing;
	bool flush_lines;     /* live capture: every line as it happens */
	struct rb_buf line;
	uint64_t matched;
	long limit;           /* -c; 0 = none */
};

int rb_cap_sink_open(struct rb_cap_sink *s, const struct rb_capture_opts *opts, int dlt,
		     uint32_t snaplen, bool nano, struct rb_err *err);
int rb_cap_sink_put(struct rb_cap_sink *s, const struct rb_pkt *pkt, struct rb_err *err);
bool rb_cap_sink_full(const struct rb_cap_sink *s);
int rb_cap_sink_close(struct rb_cap_sink *s, struct rb_err *err);

/* The -i half of rb_capture_run (live.c). */
int rb_capture_live(const struct rb_capture_opts *opts, const struct rb_cbpf_prog *prog,
		    struct rb_err *err);

#endif
