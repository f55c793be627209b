/* fentry: counts getpgid through a BPF trampoline (kernels that allow them). */
#include "hits.h"
#include <rawbpf/tracing.h>

SEC("fentry/" RAWBPF_SYSCALL("getpgid"))
int count_fentry(__u64 *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
