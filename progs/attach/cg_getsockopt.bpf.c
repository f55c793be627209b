/* cgroup/getsockopt: getsockopt(IPPROTO_IP, IP_TOS) in the cgroup reports
 * 42 whatever the socket's TOS is (counted in slot 0); other options pass
 * through with the kernel's answer. */
#include "hits.h"

SEC("cgroup/getsockopt")
int tos_42(struct bpf_sockopt *ctx)
{
	if (ctx->level != 0 /* IPPROTO_IP */ || ctx->optname != 1 /* IP_TOS */)
		return 1;
	int *val = ctx->optval;
	if ((void *)(val + 1) > ctx->optval_end)
		return 1;
	*val = 42;
	/* two 32-bit stores: clang would merge them into one 64-bit store,
	 * which the verifier refuses on this context */
	*(volatile __s32 *)&ctx->optlen = sizeof(*val);
	*(volatile __s32 *)&ctx->retval = 0;
	hit(0, 1);
	return 1;
}

LICENSE("GPL");
