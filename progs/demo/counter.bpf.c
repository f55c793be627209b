/* The `make demo` example: a socket filter that counts packets and bytes per
 * IP protocol in a hash map, with a global knob and a per-run total. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <rawbpf/helpers.h>
#include <rawbpf/endian.h>

struct counts {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);           /* IP protocol number */
	__type(value, struct counts);
} by_proto SEC(".maps");

const volatile __u32 min_len = 0;  /* rawbpf load --set min_len=N */
__u64 total_packets = 0;

static __always_inline void account(__u32 proto, __u32 len)
{
	struct counts *c = bpf_map_lookup_elem(&by_proto, &proto);
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, len);
		return;
	}
	struct counts fresh = {.packets = 1, .bytes = len};
	bpf_map_update_elem(&by_proto, &proto, &fresh, BPF_NOEXIST);
}

SEC("socket")
int count_packets(struct __sk_buff *skb)
{
	__u8 proto = 0;
	if (skb->len < min_len)
		return 0;
	/* a socket filter's packet data starts at the network header */
	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, __builtin_offsetof(struct iphdr, protocol), &proto, 1);
	account(proto, skb->len);
	__sync_fetch_and_add(&total_packets, 1);
	return skb->len;
}

LICENSE("GPL");
