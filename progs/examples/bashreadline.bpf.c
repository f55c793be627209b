/* bashreadline-style: a uretprobe on a function returning the line just
 * read (`readline` of bash, or of the test binary: rawbpf run
 * bashreadline.bpf.o --uprobe /bin/bash:readline). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>
#include <rawbpf/events.h>
#include <rawbpf/output.h>
#include <rawbpf/tracing.h>

struct RAWBPF_EVENT(lines) {
	__u32 pid;
	char comm[16];
	char line[80];
};

RAWBPF_OUTPUT(lines, struct lines_event, 64 * 1024);

SEC("uretprobe/bash:readline")
int line_read(void *ctx)
{
	const char *ret = (const char *)PT_REGS_RC(ctx);
	if (!ret)
		return 0;
	struct lines_event *e = rawbpf_output_reserve(lines);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->line, sizeof(e->line), ret);
	rawbpf_output_submit(ctx, lines, e);
	return 0;
}

LICENSE("GPL");
