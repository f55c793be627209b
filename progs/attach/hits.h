/* Shared by the attach test programs: a `hits` array the test reads back
 * with `rawbpf run --dump-maps` (slot 0 unless the program says). */
#ifndef RAWBPF_PROGS_ATTACH_HITS_H
#define RAWBPF_PROGS_ATTACH_HITS_H

#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);
	if (v)
		__sync_fetch_and_add(v, n);
}

#endif
