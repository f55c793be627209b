/* A map pinned by name: a second load reuses it. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rb_test_shared SEC(".maps");

/* increments the shared counter and returns its new value */
SEC("socket")
int bump_shared(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&rb_test_shared, &zero);
	if (!v)
		return 0;
	return (int)__sync_add_and_fetch(v, 1);
}

LICENSE("GPL");
