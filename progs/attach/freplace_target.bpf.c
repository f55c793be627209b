/* The program an freplace test replaces a function of: XDP whose verdict
 * comes from the global (so replaceable) function xdp_verdict: XDP_PASS for
 * any packet with data. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

__attribute__((noinline)) int xdp_verdict(struct xdp_md *ctx)
{
	/* depends on the packet, so clang cannot fold the call away */
	return ctx->data_end > ctx->data ? XDP_PASS : XDP_ABORTED;
}

SEC("xdp")
int xdp_target(struct xdp_md *ctx)
{
	return xdp_verdict(ctx);
}

LICENSE("GPL");
