/* lsm_cgroup/HOOK: a BPF LSM program that runs only for the processes (or
 * sockets) of --cgroup.  The loader resolved bpf_lsm_HOOK into
 * attach_btf_id; attaching is a cgroup attachment with attach type
 * BPF_LSM_CGROUP: BPF_LINK_CREATE on the cgroup fd, or BPF_PROG_ATTACH
 * (both Linux >= 6.0, and the kernel booted with "bpf" in lsm=). */
#include "loader/attach/attach.h"

int rb_attach_lsm_cgroup(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	return rb_attach_cgroup_as(a, req, "lsm_cgroup", err);
}
