/* XDP on --iface through a BPF link (BPF_LINK_CREATE with BPF_XDP:
 * Linux >= 5.9).  The link detaches when its last fd closes, so a killed
 * run leaves nothing on the interface.  Mode flags: XDP_FLAGS_SKB_MODE
 * (generic), XDP_FLAGS_DRV_MODE (native), XDP_FLAGS_HW_MODE (offload);
 * none lets the kernel pick native when the driver has it. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <linux/if_link.h>

#include "loader/bpf.h"

static const char *mode_name(uint32_t flags)
{
	if (flags & XDP_FLAGS_SKB_MODE)
		return " generic";
	if (flags & XDP_FLAGS_DRV_MODE)
		return " native";
	if (flags & XDP_FLAGS_HW_MODE)
		return " offload";
	return "";
}

int rb_attach_xdp(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int ifindex;
	int rc = rb_attach_ifindex(a, req, &ifindex, err);
	if (rc < 0)
		return rc;
	uint32_t flags = a->opts->xdp_flags & XDP_FLAGS_MODES;
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = ifindex,
					.attach_type = BPF_XDP, .flags = flags};
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "xdp%s on %s: BPF_LINK_CREATE failed%s", mode_name(flags),
				 a->opts->iface, fd == -EBUSY || fd == -EEXIST
					 ? "; another XDP program is attached (`ip link show` shows it)"
					 : fd == -EOPNOTSUPP ? "; the driver lacks this mode: try --xdp-mode generic" : "");
	return rb_attach_keep(a, req, RB_LINK_BPF, "xdp", fd, err, "%s%s", a->opts->iface, mode_name(flags));
}
