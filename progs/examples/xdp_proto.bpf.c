/* XDP per-protocol packet counter: packets by IPv4/IPv6 next protocol
 * (key = protocol number; 256 = not IP).  Everything passes. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <rawbpf/helpers.h>
#include <rawbpf/endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 257);
	__type(key, __u32);
	__type(value, __u64);
} packets_by_proto SEC(".maps");

static __always_inline __u32 ip_proto(void *data, void *end)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return 256;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		return (void *)(ip + 1) > end ? 256 : ip->protocol;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		return (void *)(ip6 + 1) > end ? 256 : ip6->nexthdr;
	}
	return 256;
}

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
{
	__u32 key = ip_proto((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	__u64 *v = bpf_map_lookup_elem(&packets_by_proto, &key);
	if (v)
		(*v)++;  /* per-CPU: no atomics needed */
	return XDP_PASS;
}

LICENSE("GPL");
