/* cgroup_skb/..., cgroup/sock_create, cgroup/connect4, sockops...: attached
 * to --cgroup PATH (a cgroup v2 folder).  A BPF link (Linux >= 5.7) when the
 * kernel can; else BPF_PROG_ATTACH with BPF_F_ALLOW_MULTI (4.10+), undone
 * with BPF_PROG_DETACH at exit. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "loader/bpf.h"

static int open_cgroup(const struct rb_attach *a, int *fd, struct rb_err *err)
{
	const char *path = a->opts ? a->opts->cgroup : NULL;
	if (!path || !*path)
		return rb_errf(err, RB_EUSAGE, "cgroup programs need --cgroup PATH (a cgroup v2 folder, "
			       "e.g. /sys/fs/cgroup/unified/mygroup)");
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return rb_errnof(err, RB_EUSAGE, errno, "--cgroup %s: cannot open it as a folder", path);
	return 0;
}

static int attach_legacy(struct rb_attach *a, const struct rb_attach_req *req, int cgfd,
			 const char *kind, struct rb_err *err)
{
	int rc = rb_bpf_prog_attach(a->sys, req->prog_fd, cgfd, req->expected_attach_type,
				    BPF_F_ALLOW_MULTI);
	int pfd = rc < 0 ? -1 : fcntl(req->prog_fd, F_DUPFD_CLOEXEC, 3);
	struct rb_link *l = pfd >= 0 ? rb_attach_add_link(a, RB_LINK_PROG_ATTACH, kind, req) : NULL;
	if (!l) {
		if (rc >= 0)
			rb_bpf_prog_detach(a->sys, req->prog_fd, cgfd, req->expected_attach_type);
		if (pfd >= 0)
			rb_sys_close(a->sys, pfd);
		rb_sys_close(a->sys, cgfd);
		return rb_errnof(err, RB_EKERNEL, rc < 0 ? -rc : ENOMEM, "%s %s: BPF_PROG_ATTACH failed; "
				 "is it a cgroup v2 folder", kind, a->opts->cgroup);
	}
	l->prog_fd = pfd;  /* a dup: the detach needs it after the loader closed its own */
	l->target_fd = cgfd;
	l->attach_type = req->expected_attach_type;
	snprintf(l->what, sizeof(l->what), "%s", a->opts->cgroup);
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

int rb_attach_cgroup_as(struct rb_attach *a, const struct rb_attach_req *req, const char *kind,
			struct rb_err *err)
{
	int cgfd = -1;
	int rc = open_cgroup(a, &cgfd, err);
	if (rc < 0)
		return rc;
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = cgfd,
					.attach_type = req->expected_attach_type};
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd == -EINVAL || fd == -EOPNOTSUPP)
		return attach_legacy(a, req, cgfd, kind, err);
	rb_sys_close(a->sys, cgfd);
	if (fd < 0)
		return cgroup_link_error(req, fd, kind, a->opts->cgroup, err);
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "%s", a->opts->cgroup);
}

int rb_attach_cgroup(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	return rb_attach_cgroup_as(a, req, "cgroup", err);
}
