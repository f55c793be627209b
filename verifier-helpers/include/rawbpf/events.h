/* Declaring the record type of an event map so `rawbpf run` prints records
 * field by field (text, or JSON with -j) instead of as hex.
 *
 * The convention: the records of a ring buffer or perf event array map
 * named M have the type
 *   1. T, when M is a ring buffer declared with `__type(value, T)`
 *      (RAWBPF_RINGBUF_OF below; the loader drops key/value before creating
 *      the map, which the kernel refuses for ring buffers), else
 *   2. `struct M_event` -- the struct whose name is the map's name followed
 *      by "_event" (RAWBPF_EVENT(M) spells it), else
 *   3. nothing: records print as hex bytes.
 * The type must reach the object's BTF, which it does when the program
 * writes records of that type (clang -g keeps every type a function uses).
 *
 *     struct RAWBPF_EVENT(events) { __u32 pid; char comm[16]; };
 *     struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 1 << 20); } events SEC(".maps");
 *     ...  struct events_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
 *
 * Histograms: a map value `struct { __u32 slots[N]; }` (a member named
 * `slots`, as libbpf-tools' struct hist) or an ARRAY map whose name contains
 * "hist" with integer values is drawn as a BCC-style log2 histogram by
 * --dump-maps; rawbpf_log2() computes the slot. */
#ifndef RAWBPF_EVENTS_H
#define RAWBPF_EVENTS_H

#include <linux/types.h>

#define RAWBPF_EVENT(map) map##_event

/* clang writes BTF only for types that globals or function signatures use;
 * a record type the program only reaches through a cast pointer would be
 * missing.  This puts a pointer to it in the non-loaded section
 * ".rawbpf.types", so the type reaches BTF without creating any map. */
#define RAWBPF_EVENT_TYPE(map)                                                \
	struct map##_event *___rawbpf_event_##map                             \
		__attribute__((section(".rawbpf.types"), used))

/* floor(log2(v)) for v > 0, 0 for v == 0: the slot of v in a log2 histogram. */
static inline __u32 rawbpf_log2(__u64 v)
{
	__u32 r = 0;
	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { r += 1; }
	return r;
}

#endif
