/* struct_ops variables against kernel BTF: the kernel struct
 * (tcp_congestion_ops) gives each program its attach_btf_id (the struct)
 * and expected_attach_type (the member's index), and the kernel's value
 * type bpf_struct_ops_<struct> gives the map value the attach step builds:
 * program fds at the function members, the object's bytes at the others.
 * Members are matched by name, so the object's struct may be a subset or
 * ordered differently (as with CO-RE).  struct_ops: Linux >= 5.6; types of
 * modules need BPF_F_VTYPE_BTF_OBJ_FD (6.9) and are not handled yet. */
#include "loader/externs/resolve_int.h"

#include <stdlib.h>
#include <string.h>

/* The kernel side of one variable while it is being matched. */
struct kside {
	const struct rb_btf *btf;
	uint32_t type_id;        /* the struct */
	uint32_t data_off;       /* byte offset of the struct in the value type */
};

static const char *member_name(const struct rb_btf *btf, uint32_t type_id, uint32_t i)
{
	return rb_btf_str(btf, rb_btf_members(rb_btf_type(btf, type_id))[i].name_off);
}

static bool is_func_ptr(const struct rb_btf *btf, uint32_t type_id)
{
	const struct btf_type *t = rb_btf_resolve(btf, type_id, NULL);
	t = t && rb_btf_kind(t) == BTF_KIND_PTR ? rb_btf_resolve(btf, t->type, NULL) : NULL;
	return t && rb_btf_kind(t) == BTF_KIND_FUNC_PROTO;
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int add_field(struct rb_st_ops *st, struct rb_st_ops_field f, struct rb_err *err)
{
	struct rb_st_ops_field *v = realloc(st->fields, (st->n_fields + 1) * sizeof(*v));
	if (!v)
		return rb_errf(err, RB_ESYS, "out of memory");
	st->fields = v;
	v[st->n_fields++] = f;
	return 0;
}

/* The program the object put at its member named `name`, or -1. */
static int32_t prog_of(const struct rb_obj *obj, const struct rb_st_ops *st, const char *name)
{
	for (size_t i = 0; i < st->n_funcs; i++)
		if (strcmp(member_name(obj->btf, st->type_id, st->funcs[i].member), name) == 0)
			return (int32_t)st->funcs[i].prog;
	return -1;
}

/* A function member: the program's attach fields, and its fd in the value. */
static int match_func(struct rb_loaded *ld, struct rb_st_ops *st, const struct kside *k, uint32_t i,
		      uint32_t value_off, struct rb_err *err)
{
	int32_t prog = prog_of(ld->obj, st, member_name(k->btf, k->type_id, i));
	if (prog < 0)
		return 0;  /* left NULL: the kernel's default or "not implemented" */
	struct rb_loaded_prog *lp = &ld->progs[prog];
	if (lp->attach_btf_id && (lp->attach_btf_id != k->type_id || lp->prog->expected_attach_type != i))
		return rb_errf(err, RB_EINPUT, "%s: program '%s' is used by two struct_ops members; "
			       "a struct_ops program belongs to one member", ld->obj->path, lp->prog->name);
	lp->attach_btf_id = k->type_id;
	lp->prog->expected_attach_type = i;  /* the member index is the "attach type" */
	return add_field(st, (struct rb_st_ops_field){value_off, 8, prog, 0}, err);
}

/* A data member: the object's bytes when it has a same-named member of the
 * same size; a non-zero member the kernel cannot take is an error. */
static int match_data(struct rb_loaded *ld, struct rb_st_ops *st, const struct kside *k, uint32_t i,
		      uint32_t value_off, struct rb_err *err)
{
	const struct btf_member *km = &rb_btf_members(rb_btf_type(k->btf, k->type_id))[i];
	const char *name = rb_btf_str(k->btf, km->name_off);
	struct rb_btf_member_info om;
	uint64_t ksize = 0, osize = 0;
	if (!name[0] || rb_btf_find_member(ld->obj->btf, st->type_id, name, &om, err) != 1)
		return 0;
	if (rb_btf_type_size(k->btf, km->type, &ksize, err) < 0 ||
	    rb_btf_type_size(ld->obj->btf, om.type_id, &osize, err) < 0)
		return -RB_EINPUT;
	/* sizes come from the object's BTF: a nested array can claim up to
	 * 2^64 - 1 bytes, so no sum that could wrap */
	if (osize > st->size || om.bit_offset / 8 > st->size - osize)
		return 0;
	const uint8_t *src = st->data + om.bit_offset / 8;
	if (all_zero(src, osize))
		return 0;
	if (ksize != osize || om.bitfield_size || om.bit_offset % 8 || is_func_ptr(k->btf, km->type) ||
	    rb_btf_kind(rb_btf_resolve(k->btf, km->type, NULL)) == BTF_KIND_PTR)
		return rb_errf(err, RB_EINPUT, "%s: struct_ops '%s': member '%s' is set, but the kernel's "
			       "struct %s member of that name is %llu bytes (object: %llu) or a pointer",
			       ld->obj->path, st->name, name, st->type_name, (unsigned long long)ksize,
			       (unsigned long long)osize);
	return add_field(st, (struct rb_st_ops_field){value_off, (uint32_t)osize, -1, om.bit_offset / 8}, err);
}

/* Every function the object set must exist in the kernel's struct. */
static int check_funcs_known(const struct rb_loaded *ld, const struct rb_st_ops *st, const struct kside *k,
			     struct rb_err *err)
{
	struct rb_btf_member_info m;
	for (size_t i = 0; i < st->n_funcs; i++) {
		const char *name = member_name(ld->obj->btf, st->type_id, st->funcs[i].member);
		if (rb_btf_find_member(k->btf, k->type_id, name, &m, err) != 1)
			return rb_errf(err, RB_ENOTSUP, "%s: struct_ops '%s': the kernel's struct %s has no "
				       "member '%s'", ld->obj->path, st->name, st->type_name, name);
	}
	return 0;
}

static int find_kside(struct rb_resolver *rs, struct rb_st_ops *st, struct kside *k, struct rb_err *err)
{
	struct rb_kbtf_hit hit;
	int r = rb_kbtf_find(rs->kbtf, st->type_name, BTF_KIND_STRUCT, &hit, err);
	if (r == 0)
		return rb_errf(err, RB_ENOTSUP, "struct_ops '%s': the kernel has no struct %s", st->name,
			       st->type_name);
	if (r > 0 && hit.module[0])
		return rb_errf(err, RB_ENOTSUP, "struct_ops '%s': struct %s is in module %s; struct_ops of "
			       "modules are not supported yet", st->name, st->type_name, hit.module);
	char vname[300];
	snprintf(vname, sizeof(vname), "bpf_struct_ops_%s", st->type_name);
	uint32_t vid = r > 0 ? rb_btf_find(hit.btf, vname, BTF_KIND_STRUCT) : 0;
	struct rb_btf_member_info data;
	if (r > 0 && (!vid || rb_btf_find_member(hit.btf, vid, "data", &data, err) != 1))
		return rb_errf(err, RB_ENOTSUP, "struct_ops '%s': the kernel has no struct %s (struct %s is "
			       "not a struct_ops type; Linux >= 5.6)", st->name, vname, st->type_name);
	if (r < 0)
		return r;
	*k = (struct kside){hit.btf, hit.id, data.bit_offset / 8};
	st->kern_value_type_id = vid;
	st->kern_value_size = rb_btf_type(hit.btf, vid)->size;
	return 0;
}

static int resolve_one(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_st_ops *st,
		       struct rb_err *err)
{
	struct kside k;
	int r = find_kside(rs, st, &k, err);
	r = r ? r : check_funcs_known(ld, st, &k, err);
	const struct btf_type *kt = r ? NULL : rb_btf_type(k.btf, k.type_id);
	for (uint32_t i = 0; kt && !r && i < rb_btf_vlen(kt); i++) {
		uint32_t off = k.data_off + rb_btf_member_bit_offset(kt, i) / 8;
		r = is_func_ptr(k.btf, rb_btf_members(kt)[i].type) ? match_func(ld, st, &k, i, off, err)
								    : match_data(ld, st, &k, i, off, err);
	}
	return r;
}

/* struct_ops programs no variable uses cannot load (no attach_btf_id):
 * skipped, as libbpf does. */
static void skip_unused(struct rb_loaded *ld)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &ld->progs[i];
		if (lp->prog->def->attach != RB_ATTACH_STRUCT_OPS || lp->attach_btf_id || lp->skip_reason)
			continue;
		lp->skip_reason = "no struct_ops variable uses it";
	}
}

int rb_resolve_struct_ops(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->obj->n_st_ops; i++) {
		int r = resolve_one(rs, ld, &ld->obj->st_ops[i], err);
		if (r < 0)
			return r;
	}
	skip_unused(ld);
	return 0;
}
