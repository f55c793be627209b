/* A netfilter hook (hook chosen with --nf, e.g. ipv4:local_in) that drops
 * ICMP: slot 0 counts packets seen, slot 1 ICMP packets dropped.  The
 * packet is read through an skb dynptr (kfuncs, Linux >= 6.4), the way
 * netfilter programs read packets. */
#include "hits.h"

#define NF_DROP 0
#define NF_ACCEPT 1
#define RB_IPPROTO_ICMP 1

struct sk_buff;
struct nf_hook_state;

/* The kernel's struct bpf_nf_ctx: only these two pointers are readable. */
struct bpf_nf_ctx {
	const struct nf_hook_state *state;
	struct sk_buff *skb;
};

extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *ptr, __u32 offset, void *buffer,
			      __u32 buffer__szk) __ksym;

#ifndef RB_NF_SEC
#define RB_NF_SEC "netfilter"
#endif

SEC(RB_NF_SEC)
int drop_icmp(struct bpf_nf_ctx *ctx)
{
	struct bpf_dynptr ptr;
	__u8 buf[20];
	hit(0, 1);
	if (bpf_dynptr_from_skb((struct __sk_buff *)ctx->skb, 0, &ptr))
		return NF_ACCEPT;
	/* at the IPv4 hooks skb->data is the IP header */
	const __u8 *iph = bpf_dynptr_slice(&ptr, 0, buf, sizeof(buf));
	if (!iph || (iph[0] >> 4) != 4 || iph[9] != RB_IPPROTO_ICMP)
		return NF_ACCEPT;
	hit(1, 1);
	return NF_DROP;
}

LICENSE("GPL");
