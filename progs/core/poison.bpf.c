/* A CO-RE read of a field no kernel has, not guarded by
 * bpf_core_field_exists(): the instruction is poisoned and the verifier
 * refuses the program; rawbpf says which relocation in words. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct___rawbpf_test {
	int rawbpf_no_such_field;
} __attribute__((preserve_access_index));

__u64 seen;

SEC("raw_tp/sys_enter")
int unguarded_read(void *ctx)
{
	struct task_struct___rawbpf_test *t = (void *)bpf_get_current_task();
	seen = BPF_CORE_READ(t, rawbpf_no_such_field);
	return 0;
}
