/* The verifier refuses this program: the lookup result is used without a
 * NULL check.  The test expects the annotated log to name this file. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("socket")
int no_null_check(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &zero);
	return (int)*v; /* REJECTED_LINE */
}

SEC("socket")
int fine(struct __sk_buff *skb)
{
	return 1;
}

LICENSE("GPL");
