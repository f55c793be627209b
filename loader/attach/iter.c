/* iter/NAME (Linux >= 5.8): a BPF_TRACE_ITER link, then BPF_ITER_CREATE
 * gives an fd whose read() runs the program over the kernel objects and
 * returns what it wrote with bpf_seq_printf / bpf_seq_write. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <unistd.h>

#include "loader/bpf.h"

int rb_attach_iter(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *what = req->target && *req->target ? req->target : req->prog_name;
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .attach_type = BPF_TRACE_ITER};
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "iter %s: BPF_LINK_CREATE(BPF_TRACE_ITER) failed", what);
	return rb_attach_keep(a, req, RB_LINK_BPF, "iter", fd, err, "%s", what);
}

long rb_attach_iter_read(struct rb_attach *a, const struct rb_link *l, FILE *out,
			 struct rb_err *err)
{
	int fd = rb_bpf_iter_create(a->sys, l->fd);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "iter %s (%s): BPF_ITER_CREATE failed", l->what, l->prog_name);
	char buf[8192];
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			rb_sys_close(a->sys, fd);
			return rb_errnof(err, RB_EKERNEL, e, "iter %s (%s): read failed", l->what, l->prog_name);
		}
		if (n == 0)
			break;
		fwrite(buf, 1, (size_t)n, out);
		total += n;
	}
	rb_sys_close(a->sys, fd);
	fflush(out);
	return total;
}
