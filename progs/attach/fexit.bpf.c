/* fexit: counts getpgid through a BPF trampoline (kernels that allow them;
 * this host refuses with EPERM, the qemu guests run it). */
#include "hits.h"

SEC("fexit/__x64_sys_getpgid")
int count_fexit(__u64 *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
