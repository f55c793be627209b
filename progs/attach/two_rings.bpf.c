/* Two ring buffers read on one epoll: each getpgid(2) writes its ordinal to
 * `first` and ten times it to `second`; both record types are declared. */
#include "hits.h"
#include <rawbpf/events.h>

struct RAWBPF_EVENT(first) {
	__u64 n;
};

struct RAWBPF_EVENT(second) {
	__u64 n10;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} first SEC(".maps");
RAWBPF_EVENT_TYPE(first);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} second SEC(".maps");
RAWBPF_EVENT_TYPE(second);

SEC("tracepoint/syscalls/sys_enter_getpgid")
int two(void *ctx)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&hits, &zero);
	if (!c)
		return 0;
	__u64 n = __sync_fetch_and_add(c, 1) + 1;
	struct first_event a = {.n = n};
	struct second_event b = {.n10 = n * 10};
	bpf_ringbuf_output(&first, &a, sizeof(a), 0);
	bpf_ringbuf_output(&second, &b, sizeof(b), 0);
	return 0;
}

LICENSE("GPL");
