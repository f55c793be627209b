/* The same pinned name as pin_by_name.bpf.c with another definition. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rb_test_shared SEC(".maps");

SEC("socket")
int use_clash(struct __sk_buff *skb)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&rb_test_shared, &zero) ? 1 : 0;
}

LICENSE("GPL");
