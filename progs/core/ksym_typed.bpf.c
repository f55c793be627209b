/* Typed ksyms: a per-CPU kernel variable known by BTF (BPF_PSEUDO_BTF_ID)
 * and a weak one no kernel has (becomes 0).  Loading it also needs the
 * variable in kallsyms (CONFIG_KALLSYMS_ALL); the tests check the
 * resolver's rewrite of the instructions, not the kernel's verdict. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const struct rq runqueues __ksym;
extern const int rawbpf_no_such_var __ksym __weak;

__u64 seen;

SEC("raw_tp/sys_enter")
int read_rq(void *ctx)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);
	seen = rq->cpu;
	if (&rawbpf_no_such_var)
		seen += 1;
	return 0;
}
