/* cgroup_skb/egress: counts packets sent by the cgroup's processes, allows them. */
#include "hits.h"

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	hit(0, 1);
	return 1;
}

LICENSE("GPL");
