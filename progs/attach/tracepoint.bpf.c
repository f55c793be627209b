/* tracepoint: counts getpgid(2) entries (nothing else on a test box calls it). */
#include "hits.h"

SEC("tracepoint/syscalls/sys_enter_getpgid")
int count_getpgid(void *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
