/* A map value with a bpf_spin_lock: needs the map's BTF value type (and a
 * program type that may take spin locks: tc, not socket filters). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct locked {
	struct bpf_spin_lock lock;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} counters SEC(".maps");

SEC("tc")
int locked_inc(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct locked *v = bpf_map_lookup_elem(&counters, &zero);
	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->count += 1;
	bpf_spin_unlock(&v->lock);
	return 1;
}

LICENSE("GPL");
