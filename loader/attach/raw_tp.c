/* raw_tracepoint/NAME (Linux >= 4.17): the program sees the tracepoint's
 * raw arguments.  BPF_RAW_TRACEPOINT_OPEN returns a link fd (pinnable since
 * 5.7).  tp_btf/NAME, the BTF-typed variant, is attached in tracing.c. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <string.h>

#include "loader/bpf.h"

int rb_attach_raw_tp(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *name = req->target;
	if (!name || !*name)
		return rb_errf(err, RB_EUSAGE, "raw_tracepoint: section needs the tracepoint name, "
			       "e.g. SEC(\"raw_tracepoint/sched_switch\")");
	int fd = rb_bpf_raw_tracepoint_open(a->sys, name, req->prog_fd);
	if (fd < 0)
		return rb_errnof(err, fd == -ENOENT ? RB_EUSAGE : RB_EKERNEL, -fd,
				 "raw_tracepoint %s: BPF_RAW_TRACEPOINT_OPEN failed%s", name,
				 fd == -ENOENT ? "; no such tracepoint in this kernel" : "");
	return rb_attach_keep(a, req, RB_LINK_BPF, "raw_tracepoint", fd, err, "%s", name);
}
