/* freplace: replaces xdp_verdict of freplace_target.bpf.o with one that
 * drops every packet (and counts them in slot 0).
 * `rawbpf run freplace.bpf.o --target-prog PINNED_TARGET`. */
#include "hits.h"

SEC("freplace/xdp_verdict")
int drop_verdict(struct xdp_md *ctx)
{
	hit(0, 1);
	return XDP_DROP;
}

LICENSE("GPL");
