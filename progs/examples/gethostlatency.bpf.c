/* gethostlatency: latency of libc's getaddrinfo (uprobe + uretprobe), one
 * record per lookup with the host name (ring or perf buffer: rawbpf/output.h),
 * like BCC's tool.  The library name is resolved by rawbpf (standard folders, or -p PID's maps). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>
#include <rawbpf/events.h>
#include <rawbpf/output.h>
#include <rawbpf/tracing.h>

struct RAWBPF_EVENT(events) {
	__u32 pid;
	char comm[16];
	char host[80];
	__u64 latency_ns;
};

RAWBPF_OUTPUT(events, struct events_event, 64 * 1024);

struct start {
	__u64 ts;
	const char *host;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);   /* thread id */
	__type(value, struct start);
} starts SEC(".maps");

SEC("uprobe/libc.so.6:getaddrinfo")
int lookup_start(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct start s = {.ts = bpf_ktime_get_ns(), .host = (const char *)PT_REGS_PARM1(ctx)};
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
	return 0;
}

SEC("uretprobe/libc.so.6:getaddrinfo")
int lookup_done(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct start *s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	struct events_event *e = rawbpf_output_reserve(events);
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bpf_probe_read_user_str(e->host, sizeof(e->host), s->host);
		e->latency_ns = bpf_ktime_get_ns() - s->ts;
		rawbpf_output_submit(ctx, events, e);
	}
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

LICENSE("GPL");
