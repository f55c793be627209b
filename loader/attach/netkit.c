/* netkit/primary and netkit/peer on --iface, the primary device of a
 * netkit pair: BPF_LINK_CREATE with BPF_NETKIT_PRIMARY / BPF_NETKIT_PEER
 * (Linux >= 6.7).  Both take the primary's ifindex; the kernel finds the
 * peer itself, which may live in another network namespace (a container).
 * The link (tc.c's rb_attach_dev_link: the multi-program API of tcx) goes
 * away with its fd. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <string.h>

#include "common/uapi_compat.h"

static bool is_peer(const struct rb_attach_req *req)
{
	if (req->expected_attach_type == RB_BPF_NETKIT_PEER || req->expected_attach_type == RB_BPF_NETKIT_PRIMARY)
		return req->expected_attach_type == RB_BPF_NETKIT_PEER;
	return strstr(req->sec_name ? req->sec_name : "", "peer") != NULL;
}

static const char *hint(int rc)
{
	if (rc == -EINVAL)
		return " (Linux >= 6.7 with CONFIG_NETKIT)";
	if (rc == -ENXIO || rc == -ENODEV)
		return "; --iface must be the primary device of a netkit pair";
	return "";
}

int rb_attach_netkit(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int ifindex;
	int rc = rb_attach_ifindex(a, req, &ifindex, err);
	if (rc < 0)
		return rc;
	bool peer = is_peer(req);
	int fd = rb_attach_dev_link(a, req, ifindex, peer ? RB_BPF_NETKIT_PEER : RB_BPF_NETKIT_PRIMARY);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "netkit %s on %s: BPF_LINK_CREATE failed%s",
				 peer ? "peer" : "primary", a->opts->iface, hint(fd));
	return rb_attach_keep(a, req, RB_LINK_BPF, "netkit", fd, err, "%s %s", a->opts->iface,
			      peer ? "peer" : "primary");
}
