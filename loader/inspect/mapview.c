/* Opening a map for element access: sizes, per-CPU layout, its BTF, and
 * the writing side (update, delete) with operands from the command line. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf/btf.h"
#include "loader/bpf.h"
#include "loader/inspect/names.h"

/* BTF of maps from BPF objects stands alone; BTF of kernel modules is split
 * on vmlinux.  Any failure leaves v->btf NULL: hex output loses nothing. */
static void load_map_btf(const struct rb_sys *sys, struct rb_map_view *v)
{
	if (rb_btf_get_by_id(sys, v->desc.info.btf_id, &v->btf, &v->vmlinux) < 0)
		v->btf = v->vmlinux = NULL;
}

int rb_map_view_open(const struct rb_sys *sys, int fd, struct rb_map_view *v, struct rb_err *err)
{
	memset(v, 0, sizeof(*v));
	v->fd = fd;
	int r = rb_map_describe(sys, fd, &v->desc, err);
	if (r < 0)
		return r;
	const struct bpf_map_info *in = &v->desc.info;
	memcpy(v->name, in->name, BPF_OBJ_NAME_LEN);
	v->ncpus = 1;
	v->slot = in->value_size;
	if (rb_map_type_is_percpu(in->type)) {
		int n = rb_possible_cpus(err);
		if (n < 0)
			return n;
		v->ncpus = (uint32_t)n;
		v->slot = (in->value_size + 7) & ~7u;
	}
	v->value_len = (size_t)v->slot * v->ncpus;
	if (in->btf_id && (in->btf_key_type_id || in->btf_value_type_id))
		load_map_btf(sys, v);
	return 0;
}

void rb_map_view_close(const struct rb_sys *sys, struct rb_map_view *v)
{
	if (v->fd >= 0)
		rb_sys_close(sys, v->fd);
	rb_btf_free(v->btf);
	rb_btf_free(v->vmlinux);
	v->fd = -1;
	v->btf = v->vmlinux = NULL;
}

static const char *map_label(const struct rb_map_view *v, char *buf, size_t n)
{
	if (v->name[0])
		snprintf(buf, n, "map '%s'", v->name);
	else
		snprintf(buf, n, "map %u", v->desc.info.id);
	return buf;
}

/* Prog arrays and map-in-map take the fd of what they should hold. */
static int parse_object_value(const struct rb_sys *sys, const struct rb_map_view *v, int argc,
			      char **argv, int *i, struct rb_buf *out, int *fd_out, struct rb_err *err)
{
	enum rb_obj_kind kind = v->desc.info.type == BPF_MAP_TYPE_PROG_ARRAY ? RB_OBJ_PROG : RB_OBJ_MAP;
	if (*i < argc && !strcmp(argv[*i], kind == RB_OBJ_PROG ? "prog" : "map"))
		(*i)++;
	struct rb_obj_ref ref;
	int r = rb_obj_ref_parse(&ref, kind, argc, argv, i, err);
	if (r < 0) {
		rb_err_prefix(err, "value of %s map '%s'", rb_map_type_name(v->desc.info.type), v->name);
		return r;
	}
	int fd = rb_obj_open_one(sys, kind, &ref, err);
	if (fd < 0)
		return fd;
	uint32_t u = (uint32_t)fd;
	*fd_out = fd;
	return rb_buf_append(out, &u, sizeof(u)) ? 0 : rb_inspect_oom(err);
}

/* A JSON object or string typed by the map's BTF (the words up to the
 * next keyword, joined: the shell may have split the text). */
static int parse_btf_json(const struct rb_map_view *v, bool value, int argc, char **argv, int *i,
			  struct rb_buf *out, struct rb_err *err)
{
	const struct bpf_map_info *in = &v->desc.info;
	uint32_t type_id = value ? in->btf_value_type_id : in->btf_key_type_id;
	uint32_t size = value ? in->value_size : in->key_size;
	const char *what = value ? "value" : "key";
	char label[48];
	if (!v->btf || !type_id)
		return rb_errf(err, RB_EUSAGE, "%s: %s has no BTF type for its %ss, so JSON objects and strings "
			       "cannot be encoded; give the bytes", what, map_label(v, label, sizeof(label)), what);
	struct rb_buf text = {0};
	for (int k = 0; *i < argc && !rb_bytes_is_stop_word(argv[*i]); k++, (*i)++)
		rb_buf_printf(&text, "%s%s", k ? " " : "", argv[*i]);
	int r = text.oom || !rb_buf_reserve(out, size) ? rb_inspect_oom(err)
		: rb_btf_encode_json(v->btf, type_id, rb_buf_str(&text), (uint8_t *)out->data + out->len,
				     size, what, err);
	if (r == 0)
		out->len += size;
	rb_buf_free(&text);
	return r;
}

int rb_map_parse_operand(const struct rb_sys *sys, const struct rb_map_view *v, bool value,
			 int argc, char **argv, int *i, struct rb_buf *out, int *fd_out,
			 struct rb_err *err)
{
	const struct bpf_map_info *in = &v->desc.info;
	uint32_t want = value ? in->value_size : in->key_size;
	const char *what = value ? "value" : "key";
	char label[48];
	*fd_out = -1;
	/* The kernel wants an fd of this process here: bytes cannot name one. */
	if (value && rb_map_type_holds_ids(in->type))
		return parse_object_value(sys, v, argc, argv, i, out, fd_out, err);
	if (*i < argc && (argv[*i][0] == '{' || argv[*i][0] == '"'))
		return parse_btf_json(v, value, argc, argv, i, out, err);
	int n = rb_parse_bytes(argc, argv, i, want, what, out, err);
	if (n < 0)
		return n;
	if ((uint32_t)n != want)
		return rb_errf(err, RB_EUSAGE, "%s is %d byte%s, %s has %u-byte %ss", what, n,
			       n == 1 ? "" : "s", map_label(v, label, sizeof(label)), want, what);
	return 0;
}

static int elem_failed(const struct rb_map_view *v, int e, const char *op, struct rb_err *err)
{
	char label[48];
	map_label(v, label, sizeof(label));
	if (e == ENOENT)
		return rb_errf(err, RB_EKERNEL, "%s: no such key", label);
	if (e == EEXIST)
		return rb_errf(err, RB_EKERNEL, "%s: the key exists already (noexist was given)", label);
	if (e == E2BIG)
		return rb_errf(err, RB_EKERNEL, "%s is full (%u entries)", label, v->desc.info.max_entries);
	if (e == EPERM && v->desc.frozen)
		return rb_errf(err, RB_EKERNEL, "%s is frozen: user space cannot change it", label);
	if (e == EPERM || e == EACCES)
		return rb_errnof(err, RB_EKERNEL, e, "%s: %s refused (run as root; read-only maps refuse writes)",
				 label, op);
	const char *type = rb_map_type_name(v->desc.info.type), *code = rb_errno_name(e);
	if (e == EOPNOTSUPP || e == 524 || e == EINVAL)
		return rb_errf(err, RB_EKERNEL, "%s: a %s map does not support %s from user space (%s)", label,
			       type ? type : "such", op, code ? code : "error");
	return rb_errnof(err, RB_EKERNEL, e, "%s: %s failed", label, op);
}

int rb_map_update(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
		  const void *value, uint64_t flags, struct rb_err *err)
{
	uint8_t *all = calloc(1, v->value_len ? v->value_len : 1);
	if (!all)
		return rb_inspect_oom(err);
	for (uint32_t c = 0; c < v->ncpus; c++)
		memcpy(all + (size_t)c * v->slot, value, v->desc.info.value_size);
	int r = rb_bpf_map_update(sys, v->fd, key, all, flags);
	free(all);
	return r < 0 ? elem_failed(v, -r, "update", err) : 0;
}

int rb_map_delete(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
		  struct rb_err *err)
{
	int r = rb_bpf_map_delete(sys, v->fd, key);
	return r < 0 ? elem_failed(v, -r, "delete", err) : 0;
}

int rb_map_elem_error(const struct rb_map_view *v, int e, const char *op, struct rb_err *err)
{
	return elem_failed(v, e, op, err);
}
