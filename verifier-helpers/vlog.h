/* Verifier-log capture and explanation.
 *
 * Capture: a program that failed to load is loaded again with log level 1
 * and a buffer that grows (64 KiB, doubling, up to RB_VLOG_MAX) until the
 * whole log fits; on Linux >= 6.4 the kernel reports the size it needs
 * (log_true_size) and one retry suffices.
 *
 * Explanation: the last lines of the log (where the verifier says why),
 * a hint for well-known messages, and the log's instruction lines ("12:
 * (85) call ...") annotated with the source file:line of the line_info
 * record covering each instruction. */
#ifndef RAWBPF_VERIFIER_HELPERS_VLOG_H
#define RAWBPF_VERIFIER_HELPERS_VLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "loader/bpf.h"

#define RB_VLOG_START (64u << 10)
#define RB_VLOG_MAX (16u << 20)

/* Loads o with a log (o's own log fields are replaced).  Returns the fd when
 * the program now loads, or -errno with the whole log (or its first
 * RB_VLOG_MAX bytes, which log->oom never hides: the kernel's ENOSPC is
 * returned as the error only when even RB_VLOG_MAX was too small and the
 * load failed for no other reason) in log. */
int rb_vlog_capture(const struct rb_sys *sys, struct rb_prog_load_opts *o, struct rb_buf *log);

/* One line_info record of the loaded program, its strings resolved. */
struct rb_vlog_line {
	uint32_t insn;     /* instruction index in the program as loaded */
	const char *file;  /* source file as recorded by clang */
	const char *text;  /* the source line's text ("" when unknown) */
	uint32_t line, col;
};

/* The last n non-empty lines of log, each indented by two spaces. */
void rb_vlog_print_tail(FILE *out, const char *log, int n);

/* A one-line hint for a message the verifier is known to print, or NULL. */
const char *rb_vlog_hint(const char *log);

/* The record covering instruction insn (greatest insn <= it); lines sorted
 * by insn.  NULL when none does. */
const struct rb_vlog_line *rb_vlog_line_for(const struct rb_vlog_line *lines, size_t n,
					    uint32_t insn);

/* Prints the log's instruction lines (at most max of the last ones, 0 =
 * all), each followed by its source location, with the source text printed
 * once whenever it changes:
 *       counter.bpf.c:33: bpf_map_update_elem(&by_proto, &proto, &fresh, 0);
 *     12: (85) call bpf_map_update_elem#2
 * Returns the number of instruction lines printed. */
size_t rb_vlog_print_annotated(FILE *out, const char *log, const struct rb_vlog_line *lines,
			       size_t n, size_t max);

/* A helper this kernel's verifier does not know at all: the id N of the
 * last "invalid func unknown#N" in log, or -1.  (A known helper the program
 * type may not call reads "unknown func bpf_NAME#N" instead: not this.) */
int rb_vlog_unknown_helper(const char *log);

/* The first Linux release with helper id ("5.17" for 181, bpf_loop), or
 * NULL past the table.  Information for messages only: whether a kernel has
 * a helper is what its verifier says. */
const char *rb_helper_since(int id);

/* How many instruction lines ("N: (...") the log has. */
size_t rb_vlog_count_insns(const char *log);

/* Parses "N: (" at the start of a log line; returns 1 and *insn, or 0. */
int rb_vlog_insn_of(const char *line, size_t len, uint32_t *insn);

#endif
