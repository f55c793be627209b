#include "verifier-helpers/vlog.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* One non-empty line of the log. */
struct line_span {
	const char *p;
	size_t len;
};

/* The first max lines, or the last max ones when keep_last. */
static size_t split_lines(const char *log, struct line_span *spans, size_t max, bool keep_last)
{
	size_t n = 0;
	const char *p = log;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0) {
			if (n < max)
				spans[n++] = (struct line_span){p, len};
			else if (keep_last) {
				memmove(spans, spans + 1, (max - 1) * sizeof(*spans));
				spans[max - 1] = (struct line_span){p, len};
			}
		}
		p += len + (nl ? 1 : 0);
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

struct hint {
	const char *needle;
	const char *hint;
};

/* Messages of kernel/bpf/verifier.c that have one usual cause. */
static const struct hint hints[] = {
	{"map_value_or_null", "check the pointer bpf_map_lookup_elem returned against NULL before using it"},
	{"_or_null", "a helper's result may be NULL: test it before dereferencing"},
	{"invalid access to packet", "compare data + offset + size against data_end before reading packet bytes"},
	{"R0 !read_ok", "the program (or a subprogram) returns without setting a return value"},
	{"back-edge", "loops need a bound the verifier can see (or use bpf_loop)"},
	{"infinite loop detected", "the loop's exit condition does not depend on a changing bounded value"},
	{"program is too large", "split the program (tail calls, global functions) or reduce unrolling"},
	{"BPF program is too large", "split the program (tail calls, global functions) or reduce unrolling"},
	{"unknown func", "this helper does not exist on this kernel or is not allowed for this program type"},
	{"cannot call GPL-restricted function", "the helper is GPL-only: the license section must say \"GPL\" or a compatible license"},
	{"Unreleased reference", "every acquired reference (socket lookup, ringbuf reserve) must be released on every path"},
	{"invalid read from stack", "a stack variable is read before it is written: initialise it"},
	{"invalid indirect read from stack", "memory passed to a helper must be initialised first (zero the struct)"},
	{"min value is negative", "an index or size may be negative: check it is >= 0 (or use an unsigned type)"},
	{"unbounded memory access", "bound the index or offset with an explicit comparison before the access"},
	{"max value is outside of the allowed memory range", "bound the index or offset so the access stays inside the object"},
	{"combined stack size", "the call chain's stack frames exceed 512 bytes: move data into a per-CPU array map"},
	{"misaligned", "access the field at its natural alignment"},
	{"invalid mem access 'scalar'", "a number is dereferenced as a pointer (read kernel memory with bpf_probe_read_kernel)"},
	{"R1 type=ctx expected", "a helper was given the context where it wants another pointer type"},
	{"write into map forbidden", "the map is read-only to programs (.rodata or BPF_F_RDONLY_PROG)"},
	{"jump out of range", "the instruction stream is damaged: a jump leaves the program"},
};

const char *rb_vlog_hint(const char *log)
{
	if (!log)
		return NULL;
	/* the verifier's reason is at the end; search the last lines only */
	size_t len = strlen(log);
	const char *tail = len > 4096 ? log + len - 4096 : log;
	for (size_t i = 0; i < RB_ARRAY_SIZE(hints); i++)
		if (strstr(tail, hints[i].needle))
			return hints[i].hint;
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
 * dates every helper (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER). */
static const struct {
	int first_id;
	const char *linux;
} helper_releases[] = {
	{1, "3.18"}, {4, "4.1"}, {12, "4.2"}, {17, "4.3"}, {23, "4.4"}, {26, "4.5"}, {27, "4.6"},
	{31, "4.8"}, {37, "4.9"}, {42, "4.10"}, {45, "4.11"}, {46, "4.12"}, {48, "4.13"},
	{51, "4.14"}, {54, "4.15"}, {58, "4.16"}, {60, "4.17"}, {65, "4.18"}, {81, "4.19"},
	{84, "4.20"}, {91, "5.0"}, {93, "5.1"}, {99, "5.2"}, {109, "5.3"}, {111, "5.5"},
	{119, "5.6"}, {122, "5.7"}, {130, "5.8"}, {136, "5.9"}, {142, "5.10"}, {156, "5.11"},
	{163, "5.12"}, {164, "5.13"}, {166, "5.14"}, {169, "5.15"}, {176, "5.16"}, {180, "5.17"},
	{186, "5.18"}, {194, "5.19"}, {204, "6.0"}, {208, "6.1"}, {210, "6.2"},
};

const char *rb_helper_since(int id)
{
	const char *v = NULL;
	for (size_t i = 0; i < RB_ARRAY_SIZE(helper_releases) && helper_releases[i].first_id <= id; i++)
		v = helper_releases[i].linux;
	return id > 211 ? NULL : v;
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
	for (const char *p = log; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		n += (size_t)rb_vlog_insn_of(p, len, &insn);
		p += len + (nl ? 1 : 0);
	}
	return n;
}

size_t rb_vlog_print_annotated(FILE *out, const char *log, const struct rb_vlog_line *lines,
			       size_t n, size_t max)
{
	size_t total = rb_vlog_count_insns(log), seen = 0, printed = 0;
	size_t skip = max && total > max ? total - max : 0;
	const struct rb_vlog_line *last = NULL;
	uint32_t insn;
	for (const char *p = log; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
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
		p += len + (nl ? 1 : 0);
	}
	return printed;
}
