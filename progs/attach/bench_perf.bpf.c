/* Benchmark workload: every getpgid(2) emits one 64-byte record to a perf
 * event array; hits[0] counts produced, hits[1] refused. */
#include "hits.h"

struct rec {
	__u64 seq;
	__u64 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int produce_perf(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&hits, &zero);
	if (!n)
		return 0;
	struct rec r = {.seq = __sync_fetch_and_add(n, 1)};
	if (bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &r, sizeof(r)) < 0)
		hit(1, 1);
	return 0;
}

LICENSE("GPL");
