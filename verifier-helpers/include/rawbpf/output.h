/* One way to emit records that works on every kernel: a BPF ring buffer
 * where the kernel has them (BPF_MAP_TYPE_RINGBUF, Linux >= 5.8), a perf
 * event array (bpf_perf_event_output) where it does not.
 *
 *     struct RAWBPF_EVENT(events) { __u32 pid; char comm[16]; };
 *     RAWBPF_OUTPUT(events, struct events_event, 256 * 1024);
 *     ...
 *     struct events_event *e = rawbpf_output_reserve(events);
 *     if (!e)
 *             return 0;
 *     e->pid = ...;
 *     rawbpf_output_submit(ctx, events, e);
 *
 * How it switches: RAWBPF_OUTPUT declares `events` as a ring buffer and a
 * one-slot per-CPU array `events_scratch` to build records in.  The loader
 * (rawbpf, loader/load/output.c) tries to create a ring buffer once; on a
 * kernel without them it sets the read-only global rawbpf_ringbuf_ok to 0
 * and creates every ring buffer map of the object as a perf event array of
 * the same name instead.  .rodata is frozen before the programs load, so the
 * verifier knows the value and never visits the branch for the other kind of
 * map (a call of bpf_ringbuf_reserve on a perf event array would be refused
 * if it did).  `rawbpf run` reads whichever map type it finds.
 *
 * A loader that knows nothing of this (libbpf, bpftool) keeps the ring
 * buffer: rawbpf_ringbuf_ok is 1 in the object. */
#ifndef RAWBPF_OUTPUT_H
#define RAWBPF_OUTPUT_H

#include <linux/bpf.h>
#include <rawbpf/helpers.h>

/* Set by the loader before the programs load; one per object (the bundled
 * examples are one translation unit each). */
const volatile __u32 rawbpf_ringbuf_ok = 1;

/* A ring buffer NAME of BYTES (a power-of-two number of pages) whose
 * records are of type T, and NAME_scratch to build a T in when NAME turns
 * out to be a perf event array. */
#define RAWBPF_OUTPUT(name, T, bytes)                                         \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                           \
		__uint(max_entries, bytes);                                   \
	} name SEC(".maps");                                                  \
	struct {                                                              \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                      \
		__uint(max_entries, 1);                                       \
		__type(key, __u32);                                           \
		__type(value, T);                                             \
	} name##_scratch SEC(".maps");                                        \
	T *___rawbpf_output_##name __attribute__((section(".rawbpf.types"), used))

/* Room for one record of the map's type, or NULL (ring buffer full). */
#define rawbpf_output_reserve(name)                                           \
	((typeof(___rawbpf_output_##name))rawbpf_output_reserve_(             \
		&name, &name##_scratch, sizeof(*___rawbpf_output_##name)))
/* Sends a record obtained from rawbpf_output_reserve. */
#define rawbpf_output_submit(ctx, name, rec)                                  \
	rawbpf_output_submit_(ctx, &name, rec, sizeof(*___rawbpf_output_##name))
/* Drops a record obtained from rawbpf_output_reserve. */
#define rawbpf_output_discard(rec) rawbpf_output_discard_(rec)

static __always_inline void *rawbpf_output_reserve_(void *map, void *scratch, __u64 size)
{
	__u32 zero = 0;
	if (rawbpf_ringbuf_ok)
		return bpf_ringbuf_reserve(map, size, 0);
	/* the slot still holds the previous record: bytes after a string's
	 * NUL would leak into this one */
	void *rec = bpf_map_lookup_elem(scratch, &zero);
	if (rec)
		__builtin_memset(rec, 0, size);
	return rec;
}

static __always_inline void rawbpf_output_submit_(void *ctx, void *map, void *rec, __u64 size)
{
	if (rawbpf_ringbuf_ok)
		bpf_ringbuf_submit(rec, 0);
	else
		bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, rec, size);
}

static __always_inline void rawbpf_output_discard_(void *rec)
{
	/* a scratch slot needs no release: the next reserve overwrites it */
	if (rawbpf_ringbuf_ok)
		bpf_ringbuf_discard(rec, 0);
}

#endif
