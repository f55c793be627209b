/* "Alternative programs": variants of one probe of which the running kernel
 * supports only some.  rawbpf loads what it can and names what it skipped:
 * a tp_btf whose tracepoint no kernel has, an fentry (refused by kernels
 * without trampolines or with fentry disabled) and a raw_tp that loads. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 hits;

SEC("tp_btf/rawbpf_no_such_tracepoint")
int missing_target(void *ctx)
{
	hits++;
	return 0;
}

SEC("fentry/do_nanosleep")
int maybe_refused(void *ctx)
{
	hits++;
	return 0;
}

SEC("raw_tp/sys_enter")
int always_loads(void *ctx)
{
	hits++;
	return 0;
}
