/* Externs: undefined symbols described in BTF under DATASEC ".kconfig" or
 * ".ksyms" (or, from older clang, as a FUNC with extern linkage).  Only
 * recorded here; their references are added while linking and resolved by
 * the CO-RE/extern module. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf/obj/obj_int.h"

static uint32_t find_in_datasec(const struct rb_btf *btf, const char *ds_name, const char *name)
{
	const struct btf_type *ds = rb_btf_type(btf, rb_btf_find(btf, ds_name, BTF_KIND_DATASEC));
	if (!ds || rb_btf_kind(ds) != BTF_KIND_DATASEC)
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(ds); i++) {
		uint32_t id = rb_btf_secinfos(ds)[i].type;
		const char *n = rb_btf_type_name(btf, id);
		if (n && strcmp(n, name) == 0)
			return id;
	}
	return 0;
}

static int describe_extern(struct obj_ctx *c, struct rb_extern *x)
{
	const struct rb_btf *btf = c->obj->btf;
	if (!btf)
		return obj_bad(c, "extern '%s' needs the object's BTF to be resolved "
			       "(compile with clang -g)", x->name);
	x->kind = RB_EXTERN_KCONFIG;
	x->btf_id = find_in_datasec(btf, ".kconfig", x->name);
	if (!x->btf_id) {
		x->kind = RB_EXTERN_KSYM;
		x->btf_id = find_in_datasec(btf, ".ksyms", x->name);
	}
	if (!x->btf_id)
		x->btf_id = rb_btf_find(btf, x->name, BTF_KIND_FUNC);
	const struct btf_type *t = rb_btf_type(btf, x->btf_id);
	if (!x->btf_id || !t)
		return obj_bad(c, "extern '%s' is neither a __kconfig nor a __ksym "
			       "in the object's BTF; nothing can define it", x->name);
	x->is_func = rb_btf_kind(t) == BTF_KIND_FUNC;
	x->btf_type_id = t->type;
	return 0;
}

/* Undefined global and weak symbols. */
static int add_extern(struct obj_ctx *c, const struct rb_elf_sym *s, void *arg)
{
	struct rb_obj *obj = c->obj;
	(void)arg;
	if (s->shndx != SHN_UNDEF || !s->name[0] || (s->bind != STB_GLOBAL && s->bind != STB_WEAK))
		return 0;
	struct rb_extern *x = obj_append(&obj->externs, &obj->n_externs, sizeof(*x));
	if (!x)
		return obj_oom(c);
	x->name = obj_strdup(c, s->name);
	if (!x->name)
		return -RB_ESYS;
	x->is_weak = s->bind == STB_WEAK;
	x->sym_index = s->index;
	return describe_extern(c, x);
}

int obj_collect_externs(struct obj_ctx *c)
{
	return obj_each_sym(c, add_extern, NULL);
}

int obj_extern_by_sym(const struct rb_obj *obj, uint32_t sym_index)
{
	for (size_t i = 0; i < obj->n_externs; i++)
		if (obj->externs[i].sym_index == sym_index)
			return (int)i;
	return -1;
}
