/* cgroup_skb/..., cgroup/sock_create, cgroup/connect4, sockops...: attached
 * to --cgroup PATH (a cgroup v2 folder).  A BPF link (Linux >= 5.7) when the
 * kernel can; else BPF_PROG_ATTACH with BPF_F_ALLOW_MULTI (4.10+), undone
 * with BPF_PROG_DETACH at exit.
 *
 * lsm_cgroup/HOOK is attached the same way: a BPF LSM program that runs only
 * for the processes (or sockets) of --cgroup.  The loader resolved
 * bpf_lsm_HOOK into attach_btf_id; the attach type is BPF_LSM_CGROUP (both
 * calls Linux >= 6.0, and the kernel booted with "bpf" in lsm=). */
#include "loader/attach/attach.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "loader/bpf.h"

static int open_cgroup(const struct rb_attach *a, int *fd, struct rb_err *err)
{
	const char *path = a->opts->cgroup;
	if (!path || !*path)
		return rb_errf(err, RB_EUSAGE, "cgroup programs need --cgroup PATH (a cgroup v2 folder, "
			       "e.g. /sys/fs/cgroup/unified/mygroup)");
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return rb_errnof(err, RB_EUSAGE, errno, "--cgroup %s: cannot open it as a folder", path);
	return 0;
}

/* lsm_cgroup links sit on BPF trampolines: a kernel without them (arm64
 * before 6.4) says ENOTSUPP, which is missing support, not a refusal. */
static int cgroup_link_error(const struct rb_attach_req *req, int fd, const char *kind,
			     const char *cgroup, struct rb_err *err)
{
	bool tramp = req->expected_attach_type == BPF_LSM_CGROUP;
	return rb_errnof(err, tramp && rb_attach_trampoline_refused(fd) ? RB_ENOTSUP : RB_EKERNEL, -fd,
			 "%s %s: BPF_LINK_CREATE failed%s", kind, cgroup,
			 tramp ? rb_attach_trampoline_hint(fd) : "");
}

int rb_attach_cgroup(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *kind = req->expected_attach_type == BPF_LSM_CGROUP ? "lsm_cgroup" : "cgroup";
	int cgfd = -1;
	int rc = open_cgroup(a, &cgfd, err);
	if (rc < 0)
		return rc;
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = cgfd,
					.attach_type = req->expected_attach_type};
	int fd = rb_bpf_link_create(a->sys, &o);
	/* no cgroup links (Linux < 5.7): BPF_PROG_ATTACH, which dups cgfd */
	bool legacy = fd == -EINVAL || fd == -EOPNOTSUPP;
	if (legacy)
		rc = rb_attach_prog_attach(a, req, cgfd, BPF_F_ALLOW_MULTI, kind, a->opts->cgroup,
					   "; is it a cgroup v2 folder", NULL, err);
	rb_sys_close(a->sys, cgfd);
	if (legacy)
		return rc;
	if (fd < 0)
		return cgroup_link_error(req, fd, kind, a->opts->cgroup, err);
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "%s", a->opts->cgroup);
}
