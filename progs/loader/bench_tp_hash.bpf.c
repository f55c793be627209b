/* Load benchmark: a tracepoint program with a 10,240-entry hash map. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} opens_by_pid SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int count_openat(void *ctx)
{
	__u32 pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	__u64 one = 1, *v = bpf_map_lookup_elem(&opens_by_pid, &pid);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&opens_by_pid, &pid, &one, BPF_NOEXIST);
	return 0;
}

LICENSE("GPL");
