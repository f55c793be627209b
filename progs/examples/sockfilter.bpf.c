/* Socket filter: keeps only IPv4 UDP packets (a packet socket on --iface
 * then receives just those; rawbpf reports how many were accepted) and
 * counts every packet seen by ethertype class (0 = IPv4 UDP, 1 = other). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <rawbpf/helpers.h>
#include <rawbpf/endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("socket")
int udp_only(struct __sk_buff *skb)
{
	__u8 proto = 0;
	__u32 k = 1;
	if (skb->protocol == bpf_htons(ETH_P_IP) &&
	    bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, protocol), &proto, 1) == 0 &&
	    proto == IPPROTO_UDP)
		k = 0;
	__u64 *v = bpf_map_lookup_elem(&seen, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return k == 0 ? skb->len : 0;
}

LICENSE("GPL");
