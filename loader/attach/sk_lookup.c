/* sk_lookup (Linux >= 5.9) and flow_dissector (link since 5.8): attached to
 * the current network namespace through a netns link on /proc/self/ns/net. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "loader/bpf.h"

int rb_attach_netns(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return rb_errnof(err, RB_ESYS, errno, "netns: opening /proc/self/ns/net");
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = nsfd,
					.attach_type = req->expected_attach_type};
	int fd = rb_bpf_link_create(a->sys, &o);
	rb_sys_close(a->sys, nsfd);
	const char *kind = req->expected_attach_type == BPF_SK_LOOKUP ? "sk_lookup" : "flow_dissector";
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "%s: BPF_LINK_CREATE on the network namespace failed", kind);
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "netns");
}
