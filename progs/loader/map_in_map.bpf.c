/* An array of maps and a hash of maps whose slots `.values` fills. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = {[0] = &inner_a, [2] = &inner_b},
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_hash SEC(".maps") = {
	.values = {[1] = &inner_b},
};

/* Writes 5 into inner_a[0] through outer_array[0] and 6 into inner_b[1]
 * through outer_hash[1]; returns 1 when both lookups worked. */
SEC("socket")
int through_outer(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1, k2 = 2, five = 5, six = 6;
	void *a = bpf_map_lookup_elem(&outer_array, &k0);
	void *b = bpf_map_lookup_elem(&outer_hash, &k1);
	void *c = bpf_map_lookup_elem(&outer_array, &k2);
	if (!a || !b || !c)
		return 0;
	bpf_map_update_elem(a, &k0, &five, BPF_ANY);
	bpf_map_update_elem(b, &k1, &six, BPF_ANY);
	return 1;
}

LICENSE("GPL");
