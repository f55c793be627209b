/* netkit programs on both sides of a pair (--iface = the primary device):
 * slot 0 counts packets through the primary's program, slot 1 through the
 * peer's.  --set drop=1 makes the primary's program drop everything. */
#include "hits.h"

#define NETKIT_PASS 0
#define NETKIT_DROP 2

const volatile __u32 drop = 0;

SEC("netkit/primary")
int nk_primary(struct __sk_buff *skb)
{
	hit(0, 1);
	return drop ? NETKIT_DROP : NETKIT_PASS;
}

SEC("netkit/peer")
int nk_peer(struct __sk_buff *skb)
{
	hit(1, 1);
	return NETKIT_PASS;
}

LICENSE("GPL");
