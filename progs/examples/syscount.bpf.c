/* syscount: system calls counted by number; `rawbpf run --dump-maps` prints
 * the counts at exit (key = syscall number). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);   /* syscall number */
	__type(value, __u64); /* calls */
} syscalls SEC(".maps");

SEC("raw_tp/sys_enter")
int count_syscall(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 nr = (__u32)ctx->args[1];
	__u64 one = 1, *v = bpf_map_lookup_elem(&syscalls, &nr);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&syscalls, &nr, &one, BPF_NOEXIST);
	return 0;
}

LICENSE("GPL");
