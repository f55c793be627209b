/* opensnoop: one perf buffer record per openat(2) (pid, comm, flags,
 * filename), like BCC's opensnoop, through a perf event array. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>
#include <rawbpf/events.h>

struct RAWBPF_EVENT(events) {
	__u32 pid;
	__u32 flags;
	char comm[16];
	char filename[128];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");
RAWBPF_EVENT_TYPE(events);

/* tracepoint/syscalls/sys_enter_openat: dfd at 16, filename at 24, flags at 32. */
struct openat_args {
	__u64 common;
	__s64 nr;
	__u64 dfd;
	const char *filename;
	__u64 flags;
	__u64 mode;
};

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct openat_args *ctx)
{
	struct events_event e = {};
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.flags = (__u32)ctx->flags;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(e.filename, sizeof(e.filename), ctx->filename);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

LICENSE("GPL");
