/* kprobe + ksyscall: counts openat calls (kernels with kprobes). */
#include "hits.h"

SEC("kprobe/do_sys_openat2")
int count_kprobe(void *ctx)
{
	hit(0, 1);
	return 0;
}

SEC("ksyscall/getpgid")
int count_ksyscall(void *ctx)
{
	hit(1, 1);
	return 0;
}

LICENSE("GPL");
