/* `list` and `show`: walk the ids (or open what the reference names) and
 * print each object. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

union rb_any_desc {
	struct rb_prog_desc prog;
	struct rb_map_desc map;
	struct rb_link_desc link;
};

/* Fetches the object's info and prints it with its holders. */
static int describe_and_print(const struct rb_sys *sys, enum rb_obj_kind kind, int fd, union rb_any_desc *d,
			      const struct rb_show_out *o, struct rb_json *j, struct rb_err *err)
{
	struct rb_json *to = o->json ? j : NULL;
	int r;
	switch (kind) {
	case RB_OBJ_PROG:
		if ((r = rb_prog_describe(sys, fd, &d->prog, err)) == 0) {
			d->prog.pids = o->pids;
			rb_prog_print(o->out, to, &d->prog);
		}
		return r;
	case RB_OBJ_MAP:
		if ((r = rb_map_describe(sys, fd, &d->map, err)) == 0) {
			d->map.pids = o->pids;
			rb_map_print(o->out, to, &d->map);
		}
		return r;
	case RB_OBJ_LINK:
		if ((r = rb_link_describe(sys, fd, &d->link, err)) == 0) {
			d->link.pids = o->pids;
			rb_link_print(o->out, to, &d->link);
		}
		return r;
	default:
		return rb_errf(err, RB_EUSAGE, "cannot show %ss", rb_obj_kind_word(kind));
	}
}

/* One fd: describe, print, close. */
static int show_fd(const struct rb_sys *sys, enum rb_obj_kind kind, int fd,
		   const struct rb_show_out *o, struct rb_json *j, struct rb_err *err)
{
	union rb_any_desc *d = calloc(1, sizeof(*d));
	int r = d ? describe_and_print(sys, kind, fd, d, o, j, err) : rb_inspect_oom(err);
	free(d);
	rb_sys_close(sys, fd);
	return r;
}

static int list_all(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_show_out *o,
		    struct rb_json *j, struct rb_err *err)
{
	uint32_t id = 0;
	int r;
	if (o->json)
		rb_json_arr_begin(j);
	while ((r = rb_obj_next_id(sys, kind, id, &id)) == 0) {
		int fd = rb_obj_try_fd_by_id(sys, kind, id);
		if (fd == -ENOENT)
			continue; /* gone since its id was listed */
		if (fd < 0)
			return rb_errnof(err, RB_EKERNEL, -fd, "cannot open %s %u%s", rb_obj_kind_word(kind), id,
					 fd == -EPERM ? " (run as root: CAP_BPF and CAP_SYS_ADMIN)" : "");
		if ((r = show_fd(sys, kind, fd, o, j, err)) < 0)
			return r;
	}
	if (r != -ENOENT) {
		if (r == -EPERM || r == -EACCES)
			return rb_errnof(err, RB_EKERNEL, -r, "cannot list %ss; run as root (CAP_BPF and CAP_SYS_ADMIN)",
					 rb_obj_kind_word(kind));
		return rb_errnof(err, RB_EKERNEL, -r, "cannot list %ss", rb_obj_kind_word(kind));
	}
	if (o->json)
		rb_json_arr_end(j);
	return 0;
}

static int show_ref(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    const struct rb_show_out *o, struct rb_json *j, struct rb_err *err)
{
	enum { MAX_MATCHES = 1024 };
	int *fds = calloc(MAX_MATCHES, sizeof(*fds));
	if (!fds)
		return rb_inspect_oom(err);
	int n = rb_obj_open_all(sys, kind, ref, fds, MAX_MATCHES, err), r = n < 0 ? n : 0;
	if (n > 1 && o->json)
		rb_json_arr_begin(j);
	for (int k = 0; k < n; k++) {
		int rk = show_fd(sys, kind, fds[k], o, j, err);
		r = r < 0 ? r : rk;
	}
	if (n > 1 && o->json)
		rb_json_arr_end(j);
	free(fds);
	return r;
}

int rb_inspect_show(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    const struct rb_show_out *o, struct rb_err *err)
{
	struct rb_json j;
	struct rb_pid_index pids;
	rb_pid_index_build(&pids);
	struct rb_show_out with_pids = *o;
	with_pids.pids = &pids;
	rb_json_init(&j, o->out, o->pretty);
	int r = ref ? show_ref(sys, kind, ref, &with_pids, &j, err) : list_all(sys, kind, &with_pids, &j, err);
	if (r == 0 && o->json)
		rb_json_finish(&j);
	rb_pid_index_free(&pids);
	return r;
}
