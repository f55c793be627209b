/* tc egress drop by port: drops outgoing UDP/TCP packets to one
 * destination port (rawbpf run tc_drop.bpf.o --iface IF --set drop_port=N)
 * and counts them. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <rawbpf/helpers.h>
#include <rawbpf/endian.h>

const volatile __u16 drop_port = 9999;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);   /* 0 = dropped, 1 = passed */
	__type(value, __u64);
} verdicts SEC(".maps");

static __always_inline void count(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&verdicts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline int dest_port(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return -1;
	if (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP)
		return -1;
	/* UDP and TCP both start with source port, destination port */
	struct udphdr *l4 = (void *)(ip + 1);
	if ((void *)(l4 + 1) > end)
		return -1;
	return bpf_ntohs(l4->dest);
}

SEC("tcx/egress")
int drop_port_egress(struct __sk_buff *skb)
{
	if (dest_port(skb) == drop_port) {
		count(0);
		return TC_ACT_SHOT;
	}
	count(1);
	return TC_ACT_UNSPEC;  /* tcx: next program / default action */
}

LICENSE("GPL");
