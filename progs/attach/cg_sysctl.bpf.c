/* cgroup/sysctl: reading kernel.ostype (/proc/sys/kernel/ostype) fails with
 * EPERM in the cgroup (counted in slot 0); every other sysctl access is
 * allowed and counted in slot 1. */
#include "hits.h"

static __always_inline int is_ostype(const char *name, long n)
{
	static const char want[] = "kernel/ostype";
	if (n != sizeof(want) - 1)
		return 0;
#pragma unroll
	for (int i = 0; i < (int)sizeof(want) - 1; i++)
		if (name[i] != want[i])
			return 0;
	return 1;
}

SEC("cgroup/sysctl")
int deny_ostype(struct bpf_sysctl *ctx)
{
	char name[16] = {};
	long n = bpf_sysctl_get_name(ctx, name, sizeof(name), 0);
	if (is_ostype(name, n) && !ctx->write) {
		hit(0, 1);
		return 0;
	}
	hit(1, 1);
	return 1;
}

LICENSE("GPL");
