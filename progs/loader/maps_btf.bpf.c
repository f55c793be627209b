/* BTF-defined maps of every common type; one program writes into each
 * so the test can read them back. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} m_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} m_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} m_pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} m_pcpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32);
	__type(key, __u64);
	__type(value, __u32);
} m_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} m_ringbuf SEC(".maps");

/* no max_entries: the loader uses the number of possible CPUs */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} m_perf SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} m_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} m_queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u32);
} m_stack SEC(".maps");

SEC("socket")
int fill_maps(struct __sk_buff *skb)
{
	__u32 k = 3, v32 = 33, zero = 0;
	__u64 v64 = 0x1122334455667788ULL, lk = 99;
	struct lpm_key pfx = {.prefixlen = 24, .addr = {10, 1, 2, 0}};

	bpf_map_update_elem(&m_hash, &k, &v64, BPF_ANY);
	bpf_map_update_elem(&m_array, &k, &v32, BPF_ANY);
	bpf_map_update_elem(&m_pcpu_hash, &k, &v64, BPF_ANY);
	bpf_map_update_elem(&m_pcpu_array, &zero, &v64, BPF_ANY);
	bpf_map_update_elem(&m_lru, &lk, &v32, BPF_ANY);
	bpf_map_update_elem(&m_lpm, &pfx, &v32, BPF_ANY);
	bpf_map_push_elem(&m_queue, &v32, 0);
	v32 = 44;
	bpf_map_push_elem(&m_stack, &v32, 0);
	bpf_ringbuf_output(&m_ringbuf, &v64, sizeof(v64), 0);
	bpf_perf_event_output(skb, &m_perf, BPF_F_CURRENT_CPU, &v64, sizeof(v64));
	return 2;
}

LICENSE("GPL");
