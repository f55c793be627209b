/* struct_ops variables (SEC(".struct_ops") / SEC(".struct_ops.link")):
 * a BPF_MAP_TYPE_STRUCT_OPS map typed by the kernel's
 * bpf_struct_ops_<struct> (btf_vmlinux_value_type_id, Linux >= 5.6), one
 * element whose value holds the program fds at the function members and
 * the object's bytes elsewhere (the layout the resolve phase worked out,
 * loader/externs/struct_ops.c).  Updating the element registers the struct
 * (a tcp_congestion_ops appears in tcp_available_congestion_control);
 * .struct_ops.link maps (BPF_F_LINK) register only through a
 * BPF_LINK_CREATE(BPF_STRUCT_OPS) link (Linux >= 6.4), which unregisters
 * when closed.  Plain maps unregister when their element is deleted. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/uapi_compat.h"
#include "loader/bpf.h"

static int build_value(const struct rb_st_ops *st, const int *prog_fds, size_t n_progs, uint8_t *v,
		       struct rb_err *err)
{
	for (size_t i = 0; i < st->n_fields; i++) {
		const struct rb_st_ops_field *f = &st->fields[i];
		if ((uint64_t)f->value_off + f->size > st->kern_value_size ||
		    (f->prog < 0 && (uint64_t)f->data_off + f->size > st->size))
			return rb_errf(err, RB_EINPUT, "struct_ops '%s': a member lies outside the value", st->name);
		if (f->prog < 0) {
			memcpy(v + f->value_off, st->data + f->data_off, f->size);
			continue;
		}
		if ((size_t)f->prog >= n_progs || prog_fds[f->prog] < 0)
			return rb_errf(err, RB_EKERNEL, "struct_ops '%s': one of its programs is not loaded", st->name);
		uint64_t fd = (uint64_t)prog_fds[f->prog];
		memcpy(v + f->value_off, &fd, sizeof(fd));
	}
	return 0;
}

static int create_map(struct rb_attach *a, const struct rb_st_ops *st, int btf_fd, struct rb_err *err)
{
	/* the object's BTF must be loaded: the kernel wants a valid btf_fd
	 * next to btf_vmlinux_value_type_id (Linux 5.6 - 6.8 at least) */
	struct rb_map_create_opts o = {.type = BPF_MAP_TYPE_STRUCT_OPS, .name = st->name, .key_size = 4,
				       .value_size = st->kern_value_size, .max_entries = 1,
				       .map_flags = st->link ? RB_BPF_F_LINK : 0, .btf_fd = btf_fd > 0 ? btf_fd : 0,
				       .btf_vmlinux_value_type_id = st->kern_value_type_id};
	int fd = rb_bpf_map_create(a->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "struct_ops '%s' (struct %s): creating the map failed%s",
				 st->name, st->type_name, btf_fd <= 0 ? " (the object's BTF was not loaded)" :
				 st->link && fd == -EINVAL ? " (.struct_ops.link needs Linux >= 6.4)" : "");
	return fd;
}

static int record(struct rb_attach *a, const struct rb_st_ops *st, int map_fd, int link_fd,
		  struct rb_err *err)
{
	struct rb_attach_req req = {.prog_name = st->name};
	/* on failure the caller closes the map */
	int rc = rb_attach_keep(a, &req, link_fd >= 0 ? RB_LINK_BPF : RB_LINK_STRUCT_OPS, "struct_ops",
				link_fd, err, "%s%s", st->type_name, link_fd >= 0 ? " (link)" : "");
	if (rc == 0 && link_fd < 0)
		a->links[a->n_links - 1].fd = map_fd;
	else if (rc == 0)
		a->links[a->n_links - 1].target_fd = map_fd;  /* the map, closed after the link */
	return rc;
}

static int register_map(struct rb_attach *a, const struct rb_st_ops *st, int map_fd, const uint8_t *value,
			struct rb_err *err)
{
	uint32_t zero = 0;
	int rc = rb_bpf_map_update(a->sys, map_fd, &zero, value, 0);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, -rc, "struct_ops '%s': registering the struct %s failed%s",
				 st->name, st->type_name, rc == -EEXIST ? " (one of that name is registered already)" : "");
	if (!st->link)
		return record(a, st, map_fd, -1, err);
	struct rb_link_create_opts o = {.prog_fd = map_fd, .attach_type = RB_BPF_STRUCT_OPS};
	int lfd = rb_bpf_link_create(a->sys, &o);
	if (lfd < 0)
		return rb_errnof(err, RB_EKERNEL, -lfd, "struct_ops '%s': BPF_LINK_CREATE(BPF_STRUCT_OPS) "
				 "failed (Linux >= 6.4)", st->name);
	return record(a, st, map_fd, lfd, err);
}

int rb_attach_struct_ops(struct rb_attach *a, const struct rb_st_ops *st, const int *prog_fds,
			 size_t n_progs, int btf_fd, struct rb_err *err)
{
	if (!st->kern_value_type_id)
		return rb_errf(err, RB_EINPUT, "struct_ops '%s': not resolved against kernel BTF", st->name);
	uint8_t *value = calloc(1, st->kern_value_size ? st->kern_value_size : 1);
	if (!value)
		return rb_errf(err, RB_ESYS, "struct_ops: out of memory");
	int rc = build_value(st, prog_fds, n_progs, value, err);
	int map_fd = rc < 0 ? rc : create_map(a, st, btf_fd, err);
	if (map_fd >= 0) {
		rc = register_map(a, st, map_fd, value, err);
		if (rc < 0)
			rb_sys_close(a->sys, map_fd);  /* recorded only on success */
	}
	free(value);
	return map_fd < 0 ? map_fd : rc;
}
