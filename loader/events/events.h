/* Streaming what BPF programs emit: BPF ring buffers, perf event arrays,
 * trace_pipe, and printing of the records they carry.
 *
 * The readers work on ring memory they are handed, so unit tests feed them
 * synthetic rings built in ordinary memory; rb_ringbuf_open/rb_perfbuf_open
 * map the kernel's rings and hand those to the same code.
 *
 * One struct rb_events multiplexes every ring of a run on one epoll fd and
 * runs the perf buffers' flush timer (perf rings wake us only every
 * watermark bytes; the timer drains whatever sits below it). */
#ifndef RAWBPF_LOADER_EVENTS_EVENTS_H
#define RAWBPF_LOADER_EVENTS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/perf_event.h>

#include "common/err.h"
#include "loader/sys.h"

/* Called once per record; a negative return stops the drain and is passed up. */
typedef int (*rb_event_fn)(void *ctx, const void *data, size_t len);
/* Called when the kernel reports records it had to drop (perf buffers). */
typedef void (*rb_lost_fn)(void *ctx, int cpu, uint64_t count);

/* ---- BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux >= 5.8) ------------------ */

struct rb_ringbuf {
	uint64_t *consumer_pos;        /* RW page 0 of the map */
	const uint64_t *producer_pos;  /* RO page 1 */
	const uint8_t *data;           /* 2 * (mask + 1) bytes: the data pages mapped twice */
	uint64_t mask;
	rb_event_fn fn;
	void *ctx;
	uint64_t records, discarded, bytes;  /* delivered / skipped discards / payload bytes */
	/* kernel mappings (NULL for rings in test memory) */
	const struct rb_sys *sys;
	void *cons_map, *prod_map;
	size_t cons_len, prod_len;
	int map_fd;
};

/* Uses ring memory supplied by the caller: data must hold 2*size bytes whose
 * halves alias (or are kept equal), size a power of two. */
void rb_ringbuf_init_mem(struct rb_ringbuf *r, uint64_t *consumer_pos,
			 const uint64_t *producer_pos, const void *data, uint64_t size,
			 rb_event_fn fn, void *ctx);
/* Maps the ring buffer map map_fd (size from BPF_OBJ_GET_INFO_BY_FD). */
int rb_ringbuf_open(struct rb_ringbuf *r, const struct rb_sys *sys, int map_fd,
		    rb_event_fn fn, void *ctx, struct rb_err *err);
/* Delivers every committed record; stops at a record still being written
 * (busy bit).  Returns the number delivered or the callback's negative code. */
long rb_ringbuf_consume(struct rb_ringbuf *r);
void rb_ringbuf_close(struct rb_ringbuf *r);

/* ---- perf event array (BPF_MAP_TYPE_PERF_EVENT_ARRAY) ---------------------- */

struct rb_perf_ring {
	struct perf_event_mmap_page *meta;
	const uint8_t *data;
	uint64_t size;      /* power of two */
	int fd, cpu;
	void *map;          /* kernel mapping, NULL for test memory */
	size_t map_len;
};

struct rb_perfbuf {
	struct rb_perf_ring *rings;
	int nr_rings;
	rb_event_fn fn;
	rb_lost_fn lost;
	void *ctx;
	uint8_t *scratch;   /* records that wrap the ring end are copied here */
	size_t scratch_cap;
	uint64_t records, lost_records, bytes;
	const struct rb_sys *sys;
	int map_fd;
};

struct rb_perfbuf_opts {
	unsigned pages;          /* data pages per CPU, power of two (default 256) */
	unsigned watermark;      /* wake-up after this many bytes (default pages*page/4) */
};

/* One ring in caller memory; meta->data_head/data_tail drive it. */
void rb_perf_ring_init_mem(struct rb_perf_ring *ring, struct perf_event_mmap_page *meta,
			   const void *data, uint64_t size, int cpu);
/* rings is borrowed for the perfbuf's life (test memory case). */
void rb_perfbuf_init_mem(struct rb_perfbuf *pb, struct rb_perf_ring *rings, int n,
			 rb_event_fn fn, rb_lost_fn lost, void *ctx);
/* Opens one PERF_COUNT_SW_BPF_OUTPUT event + ring per online CPU and stores
 * each fd in map_fd at the CPU's index. */
int rb_perfbuf_open(struct rb_perfbuf *pb, const struct rb_sys *sys, int map_fd,
		    const struct rb_perfbuf_opts *opts, rb_event_fn fn, rb_lost_fn lost,
		    void *ctx, struct rb_err *err);
/* Drains one ring; returns records delivered or a negative callback code. */
long rb_perf_ring_consume(struct rb_perfbuf *pb, struct rb_perf_ring *ring);
long rb_perfbuf_consume(struct rb_perfbuf *pb);
void rb_perfbuf_close(struct rb_perfbuf *pb);

/* ---- trace_pipe relay (--printk) ------------------------------------------- */

struct rb_trace_pipe {
	int fd;
	FILE *out;
	char line[4096];
	size_t used;
	uint64_t lines;
};

/* Opens TRACEFS/trace_pipe non-blocking; lines go to out. */
int rb_trace_pipe_open(struct rb_trace_pipe *tp, const char *tracefs, FILE *out,
		       struct rb_err *err);
/* Relays complete lines read so far; returns lines written or -RB_ESYS. */
long rb_trace_pipe_relay(struct rb_trace_pipe *tp);
void rb_trace_pipe_close(struct rb_trace_pipe *tp);

/* ---- one epoll for all of them -------------------------------------------- */

enum rb_source_kind { RB_SRC_RINGBUF, RB_SRC_PERFBUF, RB_SRC_TRACE_PIPE };

struct rb_source {
	enum rb_source_kind kind;
	void *obj;   /* struct rb_ringbuf / rb_perfbuf / rb_trace_pipe */
};

#define RB_EVENTS_MAX_SOURCES 64

struct rb_events {
	const struct rb_sys *sys;
	int epfd;
	struct rb_source src[RB_EVENTS_MAX_SOURCES];
	int nr_src;
	unsigned flush_ms;        /* perf buffer flush timer (default 100) */
	/* After a wake-up that found records, wait this long before the next
	 * one so records accumulate: a consumer that keeps up otherwise pays a
	 * wake-up (and the producer an irq_work) per record.  0 = off. */
	unsigned batch_us;
	uint64_t last_flush_ns;
};

int rb_events_init(struct rb_events *ev, const struct rb_sys *sys, struct rb_err *err);
int rb_events_add_ringbuf(struct rb_events *ev, struct rb_ringbuf *r, struct rb_err *err);
int rb_events_add_perfbuf(struct rb_events *ev, struct rb_perfbuf *pb, struct rb_err *err);
int rb_events_add_trace_pipe(struct rb_events *ev, struct rb_trace_pipe *tp, struct rb_err *err);
/* Waits at most timeout_ms (-1: until something arrives) and drains what is
 * ready, plus every perf ring when the flush timer expired.  Returns records
 * delivered, or a negative code (callback error, or -RB_ESYS). EINTR -> 0. */
long rb_events_poll(struct rb_events *ev, int timeout_ms);
/* Drains every source regardless of wake-ups (at exit). */
long rb_events_drain(struct rb_events *ev);
void rb_events_close(struct rb_events *ev);

/* ---- printing records and map snapshots (record.c, hist.c) ----------------- */

/* The record type convention (documented in verifier-helpers/include/rawbpf/
 * events.h and loader/events/README.md): the records of event map M have
 * the BTF type
 *   1. `__type(value, T)` in M's definition when M is a ring buffer, else
 *   2. the struct named "M_event" (e.g. `struct events_event` for map
 *      `events`), else
 *   3. none: records print as hex. */
struct rb_btf;
struct rb_json;
uint32_t rb_record_type(const struct rb_btf *btf, const char *map_name, uint32_t value_type_id);

struct rb_record_printer {
	const struct rb_btf *btf;   /* NULL: hex */
	uint32_t type_id;           /* 0: hex */
	const char *map_name;
	FILE *out;
	struct rb_json *json;       /* non-NULL: one JSON object per record */
};

/* Text: "MAP: name=value name=value ..." (struct records field by field) or
 * "MAP: 16 bytes: 0a 00 ..."; JSON: {"map":"M","record":{...}} or
 * {"map":"M","hex":"0a00..."}.  Never reads past len. */
void rb_record_print(const struct rb_record_printer *p, const void *data, size_t len);

/* A value that is a BCC-style log2 histogram: a struct whose member `slots`
 * is an array of integers (libbpf-tools' struct hist), or an integer array.
 * Returns true and where the slots are. */
struct rb_hist_layout {
	uint32_t offset;     /* byte offset of slot 0 in the value */
	uint32_t n_slots;
	uint32_t slot_size;  /* 4 or 8 */
};
bool rb_hist_layout(const struct rb_btf *btf, uint32_t value_type_id, struct rb_hist_layout *h);
/* Draws BCC's print_log2_hist: "  0 -> 1 : count |****   |". */
void rb_hist_print_log2(FILE *out, const char *unit, const uint64_t *slots, uint32_t n);
/* Reads slot values out of a value laid out as h. */
void rb_hist_slots(const struct rb_hist_layout *h, const void *value, size_t size, uint64_t *out);

/* ---- map snapshots (dump.c): --dump-maps and --interval ------------------- */

struct rb_events_map {
	const struct rb_sys *sys;
	const struct rb_btf *btf;   /* the object's BTF, may be NULL */
	int fd;
	const char *name;
	uint32_t type, key_size, value_size, max_entries;
	uint32_t btf_key_type_id, btf_value_type_id;
	int ncpus;                  /* possible CPUs, for per-CPU maps */
	/* Keys with int members kstack_id/ustack_id (and pid or tgid) get their
	 * stacks read from stack_fd (a STACK_TRACE map, -1 = none) and printed. */
	int stack_fd;
	struct rb_symbolizer *sym;
};

/* Prints every entry (BTF-decoded when the ids are set; log2 histograms
 * drawn), text or one JSON object {"map":..,"entries":[..]} to j.
 * Returns entries printed or a negative RB_E* code. */
long rb_events_dump_map(const struct rb_events_map *m, FILE *out, struct rb_json *j, struct rb_err *err);

/* ---- stack symbolisation (stacks.c) ------------------------------------------ */

struct rb_symbolizer;
/* Reads /proc/kallsyms (kernel frames print as addresses without it). */
struct rb_symbolizer *rb_sym_new(void);
void rb_sym_free(struct rb_symbolizer *s);
/* "schedule+0x2a" or "0xffffffff8100abcd". */
void rb_sym_kernel(const struct rb_symbolizer *s, uint64_t addr, char *out, size_t cap);
/* "main+0x12 (prog)" through /proc/PID/maps and the file's symbols, or hex. */
void rb_sym_user(struct rb_symbolizer *s, int pid, uint64_t addr, char *out, size_t cap);

#endif
