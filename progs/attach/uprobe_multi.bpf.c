/* uprobe.multi + uretprobe.multi over every function matching a glob of a
 * test binary (target given with --uprobe BIN:PATTERN): slot 0 counts
 * calls, slot 1 sums the first arguments, slot 2 counts returns. */
#include "hits.h"
#include <rawbpf/tracing.h>

SEC("uprobe.multi")
int on_multi_call(void *ctx)
{
	hit(0, 1);
	hit(1, PT_REGS_PARM1(ctx));
	return 0;
}

SEC("uretprobe.multi")
int on_multi_return(void *ctx)
{
	hit(2, 1);
	return 0;
}

LICENSE("GPL");
