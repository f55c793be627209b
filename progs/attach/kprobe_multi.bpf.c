/* kprobe.multi: one link over every function matching the glob; counts
 * getpgid through its syscall wrapper (x86-64 name; arm64: __arm64_sys_getpgid). */
#include "hits.h"

SEC("kprobe.multi/__*_sys_getpgid")
int count_multi(void *ctx)
{
	hit(0, 1);
	return 0;
}

SEC("kretprobe.multi/__*_sys_getpgid")
int count_multi_ret(void *ctx)
{
	hit(1, 1);
	return 0;
}

LICENSE("GPL");
