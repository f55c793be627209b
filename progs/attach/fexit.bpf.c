/* fexit: counts getpgid through a BPF trampoline (kernels that allow them;
 * this host refuses with EPERM, the qemu guests run it). */
#include "hits.h"
#include <rawbpf/tracing.h>

SEC("fexit/" RAWBPF_SYSCALL("getpgid"))
int count_fexit(__u64 *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
