/* cgroup/setsockopt: setsockopt(IPPROTO_IP, IP_TOS) fails with EPERM in the
 * cgroup (counted in slot 0); other options go through to the kernel. */
#include "hits.h"

SEC("cgroup/setsockopt")
int deny_tos(struct bpf_sockopt *ctx)
{
	if (ctx->level != 0 /* IPPROTO_IP */ || ctx->optname != 1 /* IP_TOS */)
		return 1;
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
