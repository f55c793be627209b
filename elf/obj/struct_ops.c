/* struct_ops variables: each VAR of the BTF DATASEC ".struct_ops" or
 * ".struct_ops.link" is a kernel struct of callbacks (a
 * tcp_congestion_ops) as the object initialised it; the relocations of the
 * section say which function-pointer member points at which program.  The
 * kernel side (value type, member indexes) is the resolver's business
 * (loader/externs/struct_ops.c): nothing here touches the kernel. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf/obj/obj_int.h"

bool obj_is_struct_ops_sec(const struct rb_elf_sec *s)
{
	return s->type == SHT_PROGBITS &&
	       (strcmp(s->name, ".struct_ops") == 0 || strcmp(s->name, ".struct_ops.link") == 0);
}

static int fill_var(struct obj_ctx *c, struct rb_st_ops *st, const struct rb_elf_sec *sec,
		    const struct btf_var_secinfo *vi)
{
	const struct rb_btf *btf = c->obj->btf;
	const struct btf_type *v = rb_btf_type(btf, vi->type);
	uint32_t sid = 0;
	const struct btf_type *t = v && rb_btf_kind(v) == BTF_KIND_VAR ? rb_btf_resolve(btf, v->type, &sid) : NULL;
	if (!t || rb_btf_kind(t) != BTF_KIND_STRUCT || t->size != vi->size)
		return obj_bad_sec(c, sec->name, ": variable at offset %u is not a struct "
				   "(struct_ops variables are kernel structs such as "
				   "tcp_congestion_ops)", vi->offset);
	if (!sec->data || (uint64_t)vi->offset + vi->size > sec->size)
		return obj_bad_sec(c, sec->name, ": variable '%s' (offset %u, %u bytes) lies past "
				   "the section's %llu bytes", rb_btf_str(btf, v->name_off),
				   vi->offset, vi->size, (unsigned long long)sec->size);
	st->name = obj_strdup(c, rb_btf_str(btf, v->name_off));
	st->type_name = obj_strdup(c, rb_btf_str(btf, t->name_off));
	st->data = obj_calloc(c, 1, vi->size ? vi->size : 1);
	if (!st->name || !st->type_name || !st->data)
		return -RB_ESYS;
	memcpy(st->data, sec->data + vi->offset, vi->size);
	st->size = vi->size;
	st->type_id = sid;
	st->link = strcmp(sec->name, ".struct_ops.link") == 0;
	return 0;
}

/* The DATASEC entry holding byte off of the section; *idx its position. */
static const struct btf_var_secinfo *var_at(const struct btf_type *ds, uint64_t off, uint32_t *idx)
{
	const struct btf_var_secinfo *vi = rb_btf_secinfos(ds);
	for (uint32_t i = 0; i < rb_btf_vlen(ds); i++)
		if (off >= vi[i].offset && off < (uint64_t)vi[i].offset + vi[i].size) {
			*idx = i;
			return &vi[i];
		}
	return NULL;
}

/* The function-pointer member at byte off of the struct, or -1. */
static int32_t func_member_at(const struct rb_btf *btf, uint32_t type_id, uint64_t off)
{
	const struct btf_type *t = rb_btf_type(btf, type_id);
	for (uint32_t i = 0; t && i < rb_btf_vlen(t); i++) {
		const struct btf_type *mt = rb_btf_resolve(btf, rb_btf_members(t)[i].type, NULL);
		const struct btf_type *pt = mt && rb_btf_kind(mt) == BTF_KIND_PTR ? rb_btf_resolve(btf, mt->type, NULL) : NULL;
		if (rb_btf_member_bit_offset(t, i) == off * 8 && pt && rb_btf_kind(pt) == BTF_KIND_FUNC_PROTO)
			return (int32_t)i;
	}
	return -1;
}

/* The program a relocation's symbol names (a function symbol, or the
 * section symbol plus the implicit addend clang leaves in the data). */
static int32_t prog_for_sym(const struct obj_ctx *c, const struct rb_elf_sec *sec,
			    const struct rb_elf_rel *r, const struct rb_elf_sym *sym)
{
	uint64_t at = sym->value;
	if (sym->type == STT_SECTION)
		at = rb_elf_u64(&c->obj->elf, sec->data + r->offset);
	return obj_prog_at(c->obj, sym->shndx, at);
}

static int add_func(struct obj_ctx *c, struct rb_st_ops *st, int32_t member, int32_t prog)
{
	struct rb_st_ops_func *f = obj_append(&st->funcs, &st->n_funcs, sizeof(*f));
	if (!f)
		return obj_oom(c);
	*f = (struct rb_st_ops_func){(uint32_t)member, (uint32_t)prog};
	return 0;
}

/* What the relocations of one section are read against. */
struct st_sec {
	const struct rb_elf_sec *sec;
	const struct btf_type *ds;   /* its DATASEC */
	size_t first;                /* its first variable in obj->st_ops */
};

static int apply_rel(struct obj_ctx *c, const struct obj_data_rel *dr, void *arg)
{
	const struct st_sec *ss = arg;
	const struct rb_elf_sec *sec = ss->sec;
	const struct rb_elf_rel r = dr->rel;
	size_t k = dr->index;
	uint32_t vi_idx;
	const struct btf_var_secinfo *vi = r.offset + 8 <= sec->size ? var_at(ss->ds, r.offset, &vi_idx) : NULL;
	struct rb_st_ops *st = vi ? &c->obj->st_ops[ss->first + vi_idx] : NULL;
	/* the whole pointer inside the variable, whatever its BTF claims */
	if (st && r.offset - vi->offset + 8 > vi->size)
		st = NULL;
	int32_t member = st ? func_member_at(c->obj->btf, st->type_id, r.offset - vi->offset) : -1;
	int32_t prog = member >= 0 ? prog_for_sym(c, sec, &r, &dr->sym) : -1;
	if (member < 0)
		return obj_bad_rel(c, sec->name, k, " (offset 0x%llx) is not at a function-pointer "
				   "member of a struct_ops variable", (unsigned long long)r.offset);
	if (prog < 0 || c->obj->progs[prog].def->attach != RB_ATTACH_STRUCT_OPS)
		return obj_bad_sec(c, sec->name, ": '%s.%s' points at '%s', which is not a program "
				   "of a SEC(\"struct_ops/...\") section", st->name,
				   rb_btf_str(c->obj->btf, rb_btf_members(rb_btf_type(c->obj->btf, st->type_id))[member].name_off),
				   dr->sym.name);
	memset(st->data + (r.offset - vi->offset), 0, 8);  /* becomes the program fd */
	return add_func(c, st, member, prog);
}

static int collect_sec(struct obj_ctx *c, const struct rb_elf_sec *sec)
{
	struct rb_obj *obj = c->obj;
	uint32_t ds_id = obj->btf ? rb_btf_find(obj->btf, sec->name, BTF_KIND_DATASEC) : 0;
	const struct btf_type *ds = ds_id ? rb_btf_type(obj->btf, ds_id) : NULL;
	if (!ds)
		return obj_bad_sec(c, sec->name, " has no BTF DATASEC: struct_ops variables need "
				   "BTF (compile with clang -g)");
	size_t first = obj->n_st_ops;
	for (uint32_t i = 0; i < rb_btf_vlen(ds); i++) {
		struct rb_st_ops *st = obj_append(&obj->st_ops, &obj->n_st_ops, sizeof(*st));
		int rc = st ? fill_var(c, st, sec, &rb_btf_secinfos(ds)[i]) : -RB_ESYS;
		if (rc < 0)
			return rc == -RB_ESYS ? obj_oom(c) : rc;
	}
	struct st_sec ss = { .sec = sec, .ds = ds, .first = first };
	return obj_each_rel(c, sec->index, false, apply_rel, &ss);
}

int obj_collect_struct_ops(struct obj_ctx *c)
{
	const struct rb_elf *elf = &c->obj->elf;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (!obj_is_struct_ops_sec(&elf->secs[i]))
			continue;
		int rc = collect_sec(c, &elf->secs[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}
