/* --printk and histogram drawing: on each getpgid(2), bpf_printk a line and
 * put the call's ordinal n into a log2 histogram (struct with `slots`, the
 * libbpf-tools layout rawbpf draws). */
#include "hits.h"
#include <rawbpf/events.h>

struct hist {
	__u32 slots[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} calls_hist SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int trace_getpgid(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&hits, &zero);
	struct hist *h = bpf_map_lookup_elem(&calls_hist, &zero);
	if (!n || !h)
		return 0;
	__u64 v = __sync_fetch_and_add(n, 1) + 1;
	__u32 slot = rawbpf_log2(v);
	if (slot < 16)
		__sync_fetch_and_add(&h->slots[slot], 1);
	bpf_printk("rawbpf printk %d", 42);
	return 0;
}

LICENSE("GPL");
