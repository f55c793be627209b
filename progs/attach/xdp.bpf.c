/* xdp: counts packets and lets them pass. */
#include "hits.h"

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	hit(0, 1);
	return XDP_PASS;
}

LICENSE("GPL");
