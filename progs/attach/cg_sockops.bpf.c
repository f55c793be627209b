/* sockops: counts active TCP connects of the cgroup's processes (slot 0,
 * BPF_SOCK_OPS_TCP_CONNECT_CB: called before the SYN leaves, so a refused
 * connect counts too) and every other callback (slot 1). */
#include "hits.h"

SEC("sockops")
int count_connects(struct bpf_sock_ops *skops)
{
	hit(skops->op == BPF_SOCK_OPS_TCP_CONNECT_CB ? 0 : 1, 1);
	return 1;
}

LICENSE("GPL");
