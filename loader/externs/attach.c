/* Attach targets that live in kernel BTF, and "alternative programs": tools
 * ship an fentry and a kprobe variant of a probe (or two kernel function
 * names) and keep whichever the kernel supports.  A program whose target is
 * absent, or whose kind the kernel refuses, is skipped with a reason. */
#include "loader/externs/resolve_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "loader/bpf.h"
#include "loader/inspect/names.h"

bool rb_attach_btf_name(const struct rb_prog *p, char *buf, size_t size, int *kind)
{
	const char *target = p->attach_target ? p->attach_target : "";
	const char *colon = strchr(target, ':'); /* "module:function" */
	const char *prefix = NULL;
	if (colon)
		target = colon + 1;
	*kind = BTF_KIND_FUNC;
	switch (p->expected_attach_type) {
	case BPF_TRACE_RAW_TP:
		prefix = "btf_trace_";
		*kind = BTF_KIND_TYPEDEF;
		break;
	case BPF_TRACE_FENTRY: case BPF_TRACE_FEXIT: case BPF_MODIFY_RETURN:
		prefix = "";
		break;
	case BPF_LSM_MAC: case BPF_LSM_CGROUP:
		prefix = "bpf_lsm_";
		break;
	case BPF_TRACE_ITER:
		prefix = "bpf_iter_";
		break;
	default:
		return false;
	}
	if (!p->def->btf_target || !target[0] || p->prog_type == BPF_PROG_TYPE_EXT)
		return false;
	snprintf(buf, size, "%s%s", prefix, target);
	return true;
}

/* Loads `r0 = 0; exit` against the target: what the kernel thinks of the
 * program kind (fentry is EPERM on some kernels, lsm needs lsm=bpf). */
static int probe_kind(const struct rb_resolver *rs, const struct rb_prog *p,
		      const struct rb_kbtf_hit *hit)
{
	static const struct bpf_insn ret0[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct rb_prog_load_opts o = {
		.prog_type = p->prog_type, .expected_attach_type = p->expected_attach_type,
		.insns = ret0, .insn_cnt = 2, .license = "GPL", .prog_flags = p->prog_flags,
		.attach_btf_id = hit->id, .attach_btf_obj_fd = hit->obj_fd, .name = "rawbpf_probe",
	};
	int fd = rb_bpf_prog_load(rs->sys, &o);
	if (fd >= 0)
		rb_sys_close(rs->sys, fd);
	return fd < 0 ? fd : 0;
}

static int skip_prog(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_loaded_prog *lp,
		     struct rb_err *err)
{
	const struct rb_prog *p = lp->prog;
	if (rs->opts.strict)
		return rb_errf(err, RB_ENOTSUP, "%s: program '%s' (section '%s'): %s (--strict)",
			       ld->obj->path, p->name, p->sec_name, lp->skip_buf);
	lp->skip_reason = lp->skip_buf;
	FILE *note = rs->opts.note ? rs->opts.note : ld->opts->note;
	if (note)
		fprintf(note, "rawbpf: warning: %s: program '%s' skipped: %s\n", ld->obj->path,
			p->name, lp->skip_buf);
	return 0;
}

static int resolve_one(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_loaded_prog *lp,
		       struct rb_err *err)
{
	char name[256];
	int kind;
	if (lp->prog->prog_type == BPF_PROG_TYPE_EXT) {
		int r = rb_resolve_freplace(rs, ld, lp, err);
		return r == 1 ? skip_prog(rs, ld, lp, err) : r;
	}
	if (!rb_attach_btf_name(lp->prog, name, sizeof(name), &kind))
		return 0;
	struct rb_kbtf_hit hit;
	int r = rb_kbtf_find(rs->kbtf, name, kind, &hit, err);
	if (r < 0)
		return r;
	if (r == 0) {
		snprintf(lp->skip_buf, sizeof(lp->skip_buf), "attach target '%.80s' is not in the "
			 "kernel's BTF", name);
		return skip_prog(rs, ld, lp, err);
	}
	lp->attach_btf_id = hit.id;
	lp->attach_btf_obj_fd = 0; /* the module fd stays owned by the kernel-BTF cache */
	if (hit.obj_fd > 0)
		lp->attach_btf_obj_fd = (int)rb_sys_call(rs->sys, SYS_fcntl, hit.obj_fd, F_DUPFD_CLOEXEC,
							 3, 0, 0, 0);
	if ((r = probe_kind(rs, lp->prog, &hit)) < 0) {
		const char *type = rb_prog_type_name(lp->prog->prog_type);
		/* BPF_LSM_CGROUP: Linux >= 6.0; older kernels reject the attach type */
		if (r == -EINVAL && lp->prog->expected_attach_type == BPF_LSM_CGROUP)
			snprintf(lp->skip_buf, sizeof(lp->skip_buf), "the kernel refuses lsm_cgroup programs "
				 "(Invalid argument); BPF_LSM_CGROUP needs Linux >= 6.0");
		else
			snprintf(lp->skip_buf, sizeof(lp->skip_buf), "the kernel refuses %s programs on "
				 "'%.48s' (%.24s)", type ? type : "these", name, rb_errno_text(-r));
		return skip_prog(rs, ld, lp, err);
	}
	return 0;
}

int rb_resolve_attach_targets(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		if (ld->progs[i].skip_reason)
			continue;
		int r = resolve_one(rs, ld, &ld->progs[i], err);
		if (r)
			return r;
	}
	return 0;
}
