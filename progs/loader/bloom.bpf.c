/* A bloom filter map (BPF_MAP_TYPE_BLOOM_FILTER, Linux >= 5.16): on older
 * kernels rawbpf must say the map type is missing, not that the definition
 * is wrong (tests/loader/kernel_support.sh). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
} seen_protos SEC(".maps");

/* accepts packets whose protocol was pushed before (by user space) */
SEC("socket")
int known_proto(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol;
	return bpf_map_peek_elem(&seen_protos, &proto) == 0 ? skb->len : 0;
}

LICENSE("GPL");
