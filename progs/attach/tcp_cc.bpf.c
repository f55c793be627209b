/* A minimal TCP congestion control as a struct_ops variable: Reno's slow
 * start and additive increase, halving on loss.  Registered by `rawbpf
 * run` (SEC(".struct_ops.link"): through a bpf link, Linux >= 6.4), it is
 * listed in tcp_available_congestion_control as "rawbpf_cc" while rawbpf
 * runs.  hits slot 0 counts cong_avoid calls, slot 1 ssthresh calls.
 *
 * The kernel structs are declared here with only the members used: the
 * loader matches struct_ops members by name and tcp_sock fields through
 * CO-RE, so no vmlinux.h is needed. */
#include "hits.h"

struct sock;

struct tcp_sock {
	__u32 snd_cwnd;
	__u32 snd_ssthresh;
	__u32 snd_cwnd_clamp;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

/* struct_ops programs get their arguments as an array of u64; the kernel
 * types the struct sock * of tcp_congestion_ops as a struct tcp_sock. */
static __always_inline struct tcp_sock *arg_tp(unsigned long long *ctx)
{
	return (struct tcp_sock *)ctx[0];
}

SEC("struct_ops/rawbpf_ssthresh")
__u32 rawbpf_ssthresh(unsigned long long *ctx)
{
	struct tcp_sock *tp = arg_tp(ctx);
	__u32 half = tp->snd_cwnd >> 1;
	hit(1, 1);
	return half > 2 ? half : 2;
}

SEC("struct_ops/rawbpf_cong_avoid")
void rawbpf_cong_avoid(unsigned long long *ctx)
{
	struct tcp_sock *tp = arg_tp(ctx);
	__u32 acked = (__u32)ctx[2];
	hit(0, 1);
	if (tp->snd_cwnd < tp->snd_ssthresh)
		tp->snd_cwnd += acked;  /* slow start */
	else
		tp->snd_cwnd += 1;      /* (more eager than Reno's 1 per window: a test) */
	if (tp->snd_cwnd > tp->snd_cwnd_clamp)
		tp->snd_cwnd = tp->snd_cwnd_clamp;
}

SEC("struct_ops/rawbpf_undo_cwnd")
__u32 rawbpf_undo_cwnd(unsigned long long *ctx)
{
	return arg_tp(ctx)->snd_cwnd;
}

#ifndef RB_CC_SEC
#define RB_CC_SEC ".struct_ops.link"
#define RB_CC_NAME "rawbpf_cc"
#endif

SEC(RB_CC_SEC)
struct tcp_congestion_ops rawbpf_cc = {
	.ssthresh = (void *)rawbpf_ssthresh,
	.cong_avoid = (void *)rawbpf_cong_avoid,
	.undo_cwnd = (void *)rawbpf_undo_cwnd,
	.name = RB_CC_NAME,
};

LICENSE("GPL");
