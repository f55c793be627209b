/* tp_btf: the BTF-typed sys_enter tracepoint (args: regs, id). */
#include "hits.h"

#if defined(__TARGET_ARCH_arm64)
#define NR_GETPGID 155
#else
#define NR_GETPGID 121
#endif

SEC("tp_btf/sys_enter")
int count_btf(__u64 *ctx)
{
	if (ctx[1] == NR_GETPGID)
		hit(0, 1);
	return 0;
}

LICENSE("GPL");
