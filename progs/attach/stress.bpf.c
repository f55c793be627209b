/* Event-stream stress: every getpgid(2) emits one 64-byte record to a ring
 * buffer and one to a perf buffer, and counts what it produced and what
 * each channel refused (full).  The test checks
 * produced == consumed + refused for both. */
#include "hits.h"

struct rec {
	__u64 seq;
	__u64 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

/* hits: 0 produced, 1 ring buffer refused, 2 perf buffer refused */
SEC("tracepoint/syscalls/sys_enter_getpgid")
int produce(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&hits, &zero);
	if (!n)
		return 0;
	struct rec r = {.seq = __sync_fetch_and_add(n, 1)};
	if (bpf_ringbuf_output(&rb, &r, sizeof(r), 0) < 0)
		hit(1, 1);
	if (bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &r, sizeof(r)) < 0)
		hit(2, 1);
	return 0;
}

LICENSE("GPL");
