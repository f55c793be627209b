/* Programs and maps for the inspection tests (tests/loader/inspect/inspect.sh):
 * a socket filter and an XDP program to test-run, BTF-typed maps of each
 * common shape (int keys, a struct value with an enum and a string, a
 * per-CPU array, a prog array) and a raw tracepoint program to link. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

/* UNIQ (the test's pid) makes the names looked up by name unique per run:
 * other tests running at the same time may load objects with common names. */
#ifndef UNIQ
#define UNIQ 0
#endif
#define PASTE3_(a, b, c) a##b##c
#define PASTE3(a, b, c) PASTE3_(a, b, c) /* expands UNIQ before pasting */
#define UNIQUE(a, b) PASTE3(a, UNIQ, b)

enum task_state { IDLE = 0, RUNNING = 1, SLEEPING = 2 };

struct task {
	__u32 pid;
	char comm[8];
	/* UNIQ (the test's pid) makes the names looked up by name unique per run:
 * other tests running at the same time may load objects with common names. */
#ifndef UNIQ
#define UNIQ 0
#endif
#define PASTE3_(a, b, c) a##b##c
#define PASTE3(a, b, c) PASTE3_(a, b, c) /* expands UNIQ before pasting */
#define UNIQUE(a, b) PASTE3(a, UNIQ, b)

enum task_state state;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct task);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

/* Global data: internal maps whose values are a DATASEC. */
const volatile __u32 rbi_knob = 5;
__u64 rbi_total;

SEC("socket")
int count_packets(struct __sk_buff *skb)
{
	rbi_total += rbi_knob;
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	__u32 *p = bpf_map_lookup_elem(&percpu, &key);
	if (p)
		*p += 1;
	return 7;
}

/* Drops packets whose first byte is 0xff, passes the others. */
SEC("xdp")
int xdp_first_byte(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	if (data + 1 > end)
		return XDP_ABORTED;
	bpf_tail_call(ctx, &jumps, 0);
	return data[0] == 0xff ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

/* Longer than the 15 characters the kernel keeps of a name. */
SEC("socket")
int UNIQUE(r, _socket_filter_with_a_long_name)(struct __sk_buff *skb)
{
	return 1;
}

/* Found by name: rbi_run_<UNIQ> and the map rbi_map_<UNIQ>. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} UNIQUE(rbi_map_, ) SEC(".maps");

SEC("xdp")
int UNIQUE(rbi_run_, )(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u32 *v = bpf_map_lookup_elem(&UNIQUE(rbi_map_, ), &key);
	if (v)
		*v += 1;
	return XDP_PASS;
}

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	__u32 key = 1;
	struct task *t = bpf_map_lookup_elem(&tasks, &key);
	if (t)
		t->state = RUNNING;
	return 0;
}

/* Lets every packet out of the test's own cgroup. */
SEC("cgroup_skb/egress")
int rbi_egress(struct __sk_buff *skb)
{
	return 1;
}

LICENSE("GPL");
