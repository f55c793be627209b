/* kretprobe: counts returns from do_sys_openat2 (kernels with kprobes). */
#include "hits.h"

SEC("kretprobe/do_sys_openat2")
int count_kretprobe(void *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
