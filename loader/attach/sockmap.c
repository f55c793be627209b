/* sk_msg, sk_skb/stream_parser, sk_skb/stream_verdict, sk_skb/verdict:
 * attached to a sockmap or sockhash of the object (--sockmap NAME, or its
 * only one); they then run for every socket inserted into that map (by a
 * sockops program with bpf_sock_hash_update, or by user space).
 * BPF_LINK_CREATE on the map: Linux >= 6.10; else BPF_PROG_ATTACH with the
 * map fd as target (sk_msg/stream_* 4.17+, sk_skb/verdict 5.13), undone with
 * BPF_PROG_DETACH. */
#include "loader/attach/attach.h"

#include <errno.h>

#include "loader/bpf.h"

static int no_map(const struct rb_attach *a, struct rb_err *err)
{
	if (a->sockmap_maps > 1)
		return rb_errf(err, RB_EUSAGE, "sockmap: the object has %u sockmap/sockhash maps; "
			       "choose the one to attach to with --sockmap NAME", a->sockmap_maps);
	return rb_errf(err, RB_EUSAGE, "sockmap: the object has no sockmap or sockhash map to attach "
		       "to; declare one (BPF_MAP_TYPE_SOCKHASH) next to the program");
}

int rb_attach_sockmap(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	if (a->sockmap_fd < 0)
		return no_map(a, err);
	/* sockmap links: Linux >= 6.10 */
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = a->sockmap_fd,
					.attach_type = req->expected_attach_type};
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd == -EINVAL || fd == -EOPNOTSUPP)
		return rb_attach_prog_attach(a, req, a->sockmap_fd, 0, "sockmap", a->sockmap_name, "",
					     "; the map already has a program of this kind (stream_verdict "
					     "and verdict exclude each other)", err);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "sockmap %s: BPF_LINK_CREATE failed%s", a->sockmap_name,
				 fd == -EBUSY ? "; the map already has a program of this kind" : "");
	return rb_attach_keep(a, req, RB_LINK_BPF, "sockmap", fd, err, "%s", a->sockmap_name);
}
