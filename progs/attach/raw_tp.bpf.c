/* raw_tracepoint: sys_enter(regs, id); counts getpgid (x86-64 nr 121, arm64 155). */
#include "hits.h"

#if defined(__TARGET_ARCH_arm64)
#define NR_GETPGID 155
#else
#define NR_GETPGID 121
#endif

SEC("raw_tp/sys_enter")
int count_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == NR_GETPGID)
		hit(0, 1);
	return 0;
}

LICENSE("GPL");
