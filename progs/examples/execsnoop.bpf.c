/* execsnoop: one record per exec (pid, ppid, comm, filename), like BCC's
 * execsnoop; through a ring buffer, or a perf buffer on kernels without
 * them (rawbpf/output.h).  `rawbpf run execsnoop.bpf.o` prints them field by
 * field thanks to `struct events_event` (see rawbpf/events.h).
 *
 * The parent pid comes without CO-RE: sched_process_fork fires in the
 * parent before the child can run, so child -> parent is remembered there
 * and looked up at exec (processes forked before the run show ppid 0). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>
#include <rawbpf/events.h>
#include <rawbpf/output.h>

struct RAWBPF_EVENT(events) {
	__u32 pid;
	__u32 ppid;
	char comm[16];
	char filename[128];
};

RAWBPF_OUTPUT(events, struct events_event, 256 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);   /* child pid */
	__type(value, __u32); /* parent tgid */
} parents SEC(".maps");

/* sched_process_fork: Linux >= 6.10 stores the comms as __data_loc
 * (child_pid at 20), older kernels inline char[16] (child_pid at 44).  The
 * new layout's first data_loc points right after the 24-byte fixed part,
 * which the first two bytes of a comm never spell. */
SEC("tracepoint/sched/sched_process_fork")
int remember_parent(void *ctx)
{
	__u32 loc = 0, child = 0;
	bpf_probe_read_kernel(&loc, sizeof(loc), ctx + 8);
	bpf_probe_read_kernel(&child, sizeof(child), ctx + ((loc & 0xffff) == 24 ? 20 : 44));
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	bpf_map_update_elem(&parents, &child, &parent, BPF_ANY);
	return 0;
}

/* sched_process_exec: __data_loc char[] filename at 8, pid at 12. */
SEC("tracepoint/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	struct events_event *e = rawbpf_output_reserve(events);
	if (!e)
		return 0;
	__u32 loc = 0;
	bpf_probe_read_kernel(&loc, sizeof(loc), ctx + 8);
	e->pid = bpf_get_current_pid_tgid() >> 32;
	__u32 *pp = bpf_map_lookup_elem(&parents, &e->pid);
	e->ppid = pp ? *pp : 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), ctx + (loc & 0xffff));
	rawbpf_output_submit(ctx, events, e);
	return 0;
}

LICENSE("GPL");
