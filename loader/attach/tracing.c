/* BTF-targeted programs: tp_btf, fentry/fexit/fmod_ret (Linux >= 5.5),
 * lsm (5.7), freplace (5.6).  All attach through a BPF trampoline link with
 * the target the loader resolved into attach_btf_id. */
#include "loader/attach/attach.h"

#include <errno.h>

#include "common/strtab.h"
#include "loader/bpf.h"

/* The five attach types are consecutive in enum bpf_attach_type, from
 * BPF_TRACE_RAW_TP to BPF_LSM_MAC; any other is freplace's. */
_Static_assert(BPF_LSM_MAC == BPF_TRACE_RAW_TP + 4, "tracing attach types moved");

static const char *tracing_kind(uint32_t attach_type)
{
	uint32_t i = attach_type - BPF_TRACE_RAW_TP;
	return rb_strtab_at("tp_btf\0fentry\0fexit\0fmod_ret\0lsm\0freplace\0", i < 5 ? i : 5);
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

/* The target was resolved at load (attach_btf_id), so open needs no name;
 * BPF_LINK_CREATE is the newer spelling and the fallback when the old
 * command is refused. */
int rb_attach_tracing(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *kind = tracing_kind(req->expected_attach_type);
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
