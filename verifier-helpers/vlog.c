#include "verifier-helpers/vlog.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strtab.h"

/* The next size to try after the kernel said the log did not fit. */
static uint32_t grow(uint32_t size, uint32_t true_size)
{
	uint64_t next = true_size > size ? (uint64_t)true_size + 1 : (uint64_t)size * 2;
	return next > RB_VLOG_MAX ? RB_VLOG_MAX : (uint32_t)next;
}

int rb_vlog_capture(const struct rb_sys *sys, struct rb_prog_load_opts *o, struct rb_buf *log)
{
	uint32_t size = RB_VLOG_START;
	for (;;) {
		log->len = 0;
		if (!rb_buf_reserve(log, size))
			return -ENOMEM;
		log->data[0] = 0;
		o->log_buf = log->data;
		o->log_size = size;
		o->log_level = 1;
		int r = rb_bpf_prog_load(sys, o);
		log->len = strnlen(log->data, size);
		if (r != -ENOSPC || size >= RB_VLOG_MAX)
			return r;
		size = grow(size, o->log_true_size);
	}
}

/* The length of the log line at p (without its newline); *next is where
 * the line after it starts. */
static size_t line_at(const char *p, const char **next)
{
	const char *nl = strchr(p, '\n');
	size_t len = nl ? (size_t)(nl - p) : strlen(p);
	*next = p + len + (nl ? 1 : 0);
	return len;
}

/* One non-empty line of the log. */
struct line_span {
	const char *p;
	size_t len;
};

/* The first max lines, or the last max ones when keep_last. */
static size_t split_lines(const char *log, struct line_span *spans, size_t max, bool keep_last)
{
	size_t n = 0;
	for (const char *p = log, *next; *p; p = next) {
		size_t len = line_at(p, &next);
		if (len > 0) {
			if (n < max)
				spans[n++] = (struct line_span){p, len};
			else if (keep_last) {
				memmove(spans, spans + 1, (max - 1) * sizeof(*spans));
				spans[max - 1] = (struct line_span){p, len};
			}
		}
	}
	return n;
}

void rb_vlog_print_tail(FILE *out, const char *log, int n)
{
	struct line_span spans[32];
	if (n <= 0 || !log)
		return;
	if ((size_t)n > RB_ARRAY_SIZE(spans))
		n = (int)RB_ARRAY_SIZE(spans);
	size_t got = split_lines(log, spans, (size_t)n, true);
	for (size_t i = 0; i < got; i++)
		fprintf(out, "  %.*s\n", (int)spans[i].len, spans[i].p);
}

/* Messages of kernel/bpf/verifier.c that have one usual cause: pairs of
 * "needle\0hint\0", tried in order (a string list: no pointers per row).
 * "program is too large" also finds "BPF program is too large". */
static const char hints[] =
	"map_value_or_null\0" "check the pointer bpf_map_lookup_elem returned against NULL before using it\0"
	"_or_null\0" "a helper's result may be NULL: test it before dereferencing\0"
	"invalid access to packet\0" "compare data + offset + size against data_end before reading packet bytes\0"
	"R0 !read_ok\0" "the program (or a subprogram) returns without setting a return value\0"
	"back-edge\0" "loops need a bound the verifier can see (or use bpf_loop)\0"
	"infinite loop detected\0" "the loop's exit condition does not depend on a changing bounded value\0"
	"program is too large\0" "split the program (tail calls, global functions) or reduce unrolling\0"
	"unknown func\0" "this helper does not exist on this kernel or is not allowed for this program type\0"
	"cannot call GPL-restricted function\0" "the helper is GPL-only: the license section must say \"GPL\" or a compatible license\0"
	"Unreleased reference\0" "every acquired reference (socket lookup, ringbuf reserve) must be released on every path\0"
	"invalid read from stack\0" "a stack variable is read before it is written: initialise it\0"
	"invalid indirect read from stack\0" "memory passed to a helper must be initialised first (zero the struct)\0"
	"min value is negative\0" "an index or size may be negative: check it is >= 0 (or use an unsigned type)\0"
	"unbounded memory access\0" "bound the index or offset with an explicit comparison before the access\0"
	"max value is outside of the allowed memory range\0" "bound the index or offset so the access stays inside the object\0"
	"combined stack size\0" "the call chain's stack frames exceed 512 bytes: move data into a per-CPU array map\0"
	"misaligned\0" "access the field at its natural alignment\0"
	"invalid mem access 'scalar'\0" "a number is dereferenced as a pointer (read kernel memory with bpf_probe_read_kernel)\0"
	"R1 type=ctx expected\0" "a helper was given the context where it wants another pointer type\0"
	"write into map forbidden\0" "the map is read-only to programs (.rodata or BPF_F_RDONLY_PROG)\0"
	"jump out of range\0" "the instruction stream is damaged: a jump leaves the program\0";

const char *rb_vlog_hint(const char *log)
{
	if (!log)
		return NULL;
	/* the verifier's reason is at the end; search the last lines only */
	size_t len = strlen(log);
	const char *tail = len > 4096 ? log + len - 4096 : log;
	for (const char *needle = hints; *needle; needle = rb_strtab_next(rb_strtab_next(needle)))
		if (strstr(tail, needle))
			return rb_strtab_next(needle);
	return NULL;
}

int rb_vlog_unknown_helper(const char *log)
{
	static const char needle[] = "invalid func unknown#";
	const char *hit = NULL;
	for (const char *p = log ? strstr(log, needle) : NULL; p; p = strstr(p + 1, needle))
		hit = p;
	if (!hit)
		return -1;
	char *end;
	long id = strtol(hit + sizeof(needle) - 1, &end, 10);
	return end != hit + sizeof(needle) - 1 && id >= 0 && id < 100000 ? (int)id : -1;
}

/* Helper ids are handed out in order, so the first id of each release
 * dates every helper (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER):
 * helper_first_ids[i] is the first id of release i of helper_releases. */
static const uint8_t helper_first_ids[] = {
	1, 4, 12, 17, 23, 26, 27, 31, 37, 42, 45, 46, 48, 51, 54, 58, 60, 65, 81, 84, 91,
	93, 99, 109, 111, 119, 122, 130, 136, 142, 156, 163, 164, 166, 169, 176, 180, 186,
	194, 204, 208, 210,
};
static const char helper_releases[] =
	"3.18\0" "4.1\0" "4.2\0" "4.3\0" "4.4\0" "4.5\0" "4.6\0" "4.8\0" "4.9\0" "4.10\0" "4.11\0"
	"4.12\0" "4.13\0" "4.14\0" "4.15\0" "4.16\0" "4.17\0" "4.18\0" "4.19\0" "4.20\0" "5.0\0"
	"5.1\0" "5.2\0" "5.3\0" "5.5\0" "5.6\0" "5.7\0" "5.8\0" "5.9\0" "5.10\0" "5.11\0" "5.12\0"
	"5.13\0" "5.14\0" "5.15\0" "5.16\0" "5.17\0" "5.18\0" "5.19\0" "6.0\0" "6.1\0" "6.2\0";

const char *rb_helper_since(int id)
{
	size_t n = 0;
	while (n < RB_ARRAY_SIZE(helper_first_ids) && helper_first_ids[n] <= id)
		n++;
	return id > 211 || n == 0 ? NULL : rb_strtab_at(helper_releases, n - 1);
}

const struct rb_vlog_line *rb_vlog_line_for(const struct rb_vlog_line *lines, size_t n,
					    uint32_t insn)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lines[mid].insn <= insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &lines[lo - 1] : NULL;
}

int rb_vlog_insn_of(const char *line, size_t len, uint32_t *insn)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < len && isdigit((unsigned char)line[i]) && v <= UINT32_MAX; i++)
		v = v * 10 + (uint64_t)(line[i] - '0');
	if (i == 0 || v > UINT32_MAX || i + 3 > len || line[i] != ':' || line[i + 1] != ' ' ||
	    line[i + 2] != '(')
		return 0;
	*insn = (uint32_t)v;
	return 1;
}

/* Strips the leading blanks clang keeps in line_info source text. */
static const char *trimmed(const char *s)
{
	while (s && (*s == ' ' || *s == '\t'))
		s++;
	return s ? s : "";
}

static void print_source(FILE *out, const struct rb_vlog_line *l)
{
	const char *base = l->file ? strrchr(l->file, '/') : NULL;
	const char *file = base ? base + 1 : (l->file ? l->file : "?");
	fprintf(out, "      %s:%u: %s\n", file, l->line, trimmed(l->text));
}

size_t rb_vlog_count_insns(const char *log)
{
	size_t n = 0;
	uint32_t insn;
	for (const char *p = log, *next; *p; p = next)
		n += (size_t)rb_vlog_insn_of(p, line_at(p, &next), &insn);
	return n;
}

size_t rb_vlog_print_annotated(FILE *out, const char *log, const struct rb_vlog_line *lines,
			       size_t n, size_t max)
{
	size_t total = rb_vlog_count_insns(log), seen = 0, printed = 0;
	size_t skip = max && total > max ? total - max : 0;
	const struct rb_vlog_line *last = NULL;
	uint32_t insn;
	for (const char *p = log, *next; *p; p = next) {
		size_t len = line_at(p, &next);
		if (rb_vlog_insn_of(p, len, &insn) && seen++ >= skip) {
			const struct rb_vlog_line *l = rb_vlog_line_for(lines, n, insn);
			/* line 0 records (compiler-generated code) say nothing new */
			if (l && l->line == 0)
				l = last;
			if (l && l != last)
				print_source(out, l);
			last = l;
			fprintf(out, "    %.*s\n", (int)len, p);
			printed++;
		}
	}
	return printed;
}
