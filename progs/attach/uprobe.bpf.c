/* uprobe + uretprobe on a test binary's function (target given with
 * --uprobe BIN:SYM): slot 0 counts calls, slot 1 sums the first argument,
 * slot 2 counts returns, slot 3 sums the return values. */
#include "hits.h"
#include <rawbpf/tracing.h>

SEC("uprobe")
int on_call(void *ctx)
{
	hit(0, 1);
	hit(1, PT_REGS_PARM1(ctx));
	return 0;
}

SEC("uretprobe")
int on_return(void *ctx)
{
	hit(2, 1);
	hit(3, PT_REGS_RC(ctx));
	return 0;
}

LICENSE("GPL");
