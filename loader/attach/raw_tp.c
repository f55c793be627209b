/* raw_tracepoint/NAME (Linux >= 4.17) and tp_btf/NAME (Linux >= 5.5): the
 * program sees the tracepoint's raw arguments.  BPF_RAW_TRACEPOINT_OPEN
 * returns a link fd (pinnable since 5.7); BPF_LINK_CREATE is the newer
 * spelling and the fallback when the old command is refused. */
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

bool rb_attach_trampoline_refused(int neg_errno)
{
	/* ENOTSUPP (524): no ftrace direct calls to put the trampoline on the
	 * function (arm64 before Linux 6.4); EPERM: lockdown */
	return neg_errno == -EPERM || neg_errno == -524;
}

const char *rb_attach_trampoline_hint(int neg_errno)
{
	if (neg_errno == -EPERM)
		return "; this kernel refuses BTF trampolines (lockdown, or no "
		       "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)";
	if (neg_errno == -524)
		return "; this kernel cannot put BPF trampolines on functions: it needs "
		       "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS (arm64: Linux >= 6.4)";
	return "";
}

/* BTF-targeted programs: the target was resolved at load (attach_btf_id),
 * so open needs no name.  tp_btf, fentry, fexit, fmod_ret, lsm, freplace. */
int rb_attach_btf_link(struct rb_attach *a, const struct rb_attach_req *req, const char *kind,
		       struct rb_err *err)
{
	const char *what = req->target && *req->target ? req->target : req->prog_name;
	int fd = rb_bpf_raw_tracepoint_open(a->sys, NULL, req->prog_fd);
	if (fd == -EINVAL || fd == -EOPNOTSUPP) {
		/* BPF_LINK_CREATE for tracing programs: Linux >= 5.19 */
		struct rb_link_create_opts o = {.prog_fd = req->prog_fd,
						.attach_type = req->expected_attach_type};
		fd = rb_bpf_link_create(a->sys, &o);
	}
	if (fd < 0)
		return rb_errnof(err, rb_attach_trampoline_refused(fd) ? RB_ENOTSUP : RB_EKERNEL, -fd,
				 "%s %s: attaching failed%s", kind, what, rb_attach_trampoline_hint(fd));
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "%s", what);
}
