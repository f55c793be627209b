/* profile: CPU samples at --freq HZ on every CPU, counted by (pid, comm,
 * kernel stack, user stack) like BCC's profile.  `rawbpf run profile.bpf.o
 * --freq 99 --dump-maps` prints each stack symbolised: kernel frames from
 * /proc/kallsyms, user frames from the process's ELF files. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct sample_key {
	__u32 pid;
	__s32 kstack_id;   /* rawbpf symbolises keys with these member names */
	__s32 ustack_id;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct sample_key);
	__type(value, __u64);
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

const volatile __u32 target_pid = 0;  /* --set target_pid=N: only that process */

SEC("perf_event")
int sample(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (pid == 0 || (target_pid && pid != target_pid))
		return 0;
	struct sample_key k = {.pid = pid};
	k.kstack_id = bpf_get_stackid(ctx, &stacks, 0);
	k.ustack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	__u64 one = 1, *v = bpf_map_lookup_elem(&samples, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&samples, &k, &one, BPF_NOEXIST);
	return 0;
}

LICENSE("GPL");
