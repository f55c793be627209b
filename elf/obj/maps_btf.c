/* BTF-defined maps: SEC(".maps") variables whose struct members encode the
 * definition (libbpf's __uint/__ulong/__type/__array macros), and their
 * `.values` initialisers from the relocations of .maps. */
#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sort.h"
#include "common/strtab.h"
#include "elf/obj/obj_int.h"

/* What a definition struct said, before checks that need all members. */
struct btf_def {
	bool has_key_size, has_value_size, has_values;
	bool inner_failed;       /* the error is the inner map's, named already */
	uint32_t values_member;
};

/* Errors while parsing a definition are about that map: parse_def puts
 * "map 'NAME': " in front of them. */

/* __uint(name, N) is `int (*name)[N]`; __ulong(name, N) is an enum member
 * with the single enumerator N. */
static int member_uint(struct obj_ctx *c, const char *mname, uint32_t type, uint64_t *out)
{
	const struct rb_btf *btf = c->obj->btf;
	const struct btf_type *t = rb_btf_resolve(btf, type, NULL);
	if (t && rb_btf_kind(t) == BTF_KIND_PTR) {
		const struct btf_type *a = rb_btf_resolve(btf, t->type, NULL);
		if (a && rb_btf_kind(a) == BTF_KIND_ARRAY) {
			*out = rb_btf_array(a)->nelems;
			return 0;
		}
	}
	if (t && (rb_btf_kind(t) == BTF_KIND_ENUM || rb_btf_kind(t) == BTF_KIND_ENUM64) &&
	    rb_btf_vlen(t) == 1) {
		*out = (uint64_t)rb_btf_enum_value(t, 0);
		return 0;
	}
	return obj_bad(c, "member '%s' is not a number written with __uint() or __ulong()", mname);
}

static int member_u32(struct obj_ctx *c, const char *mname, uint32_t type, uint32_t *out)
{
	uint64_t v = 0;
	int r = member_uint(c, mname, type, &v);
	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return obj_bad(c, "%s %llu does not fit 32 bits", mname, (unsigned long long)v);
	*out = (uint32_t)v;
	return 0;
}

/* __type(name, T) is `typeof(T) *name`: the pointee is the type; its size
 * is the key/value size. */
static int member_type(struct obj_ctx *c, const char *mname, uint32_t type, uint32_t *type_id,
		       uint32_t *size)
{
	const struct btf_type *t = rb_btf_resolve(c->obj->btf, type, NULL);
	uint64_t sz = 0;
	if (!t || rb_btf_kind(t) != BTF_KIND_PTR)
		return obj_bad(c, "member '%s' is not a type written with __type()", mname);
	int r = rb_btf_type_size(c->obj->btf, t->type, &sz, c->err);
	if (r < 0) {
		rb_err_prefix(c->err, "%s type", mname);
		return r;
	}
	if (sz == 0 || sz > UINT32_MAX)
		return obj_bad(c, "%s type has size %llu", mname, (unsigned long long)sz);
	*type_id = t->type;
	*size = (uint32_t)sz;
	return 0;
}

static int set_sized(struct obj_ctx *c, const char *what, uint32_t *field, bool *has, uint32_t v)
{
	if (*has && *field != v)
		return obj_bad(c, "%s_size %u disagrees with the %s type's size %u", what, *field,
			       what, v);
	*field = v;
	*has = true;
	return 0;
}

static int parse_key_value(struct obj_ctx *c, struct rb_map *m, struct btf_def *d,
			   const char *mname, uint32_t type)
{
	uint32_t id = 0, size = 0;
	bool is_key = mname[0] == 'k';
	int r = member_type(c, mname, type, &id, &size);
	if (r < 0)
		return r;
	if (is_key) {
		m->btf_key_type_id = id;
		return set_sized(c, "key", &m->key_size, &d->has_key_size, size);
	}
	m->btf_value_type_id = id;
	return set_sized(c, "value", &m->value_size, &d->has_value_size, size);
}

static int parse_size_member(struct obj_ctx *c, struct rb_map *m, struct btf_def *d,
			     const char *mname, uint32_t type)
{
	uint32_t v = 0;
	bool is_key = mname[0] == 'k';
	int r = member_u32(c, mname, type, &v);
	if (r < 0)
		return r;
	return set_sized(c, is_key ? "key" : "value", is_key ? &m->key_size : &m->value_size,
			 is_key ? &d->has_key_size : &d->has_value_size, v);
}

/* The members a definition may have, in one string; the first five are
 * plain 32-bit numbers stored at u32_member_off. */
static const char member_names[] = "type\0max_entries\0map_flags\0numa_node\0pinning\0"
				   "map_extra\0key_size\0value_size\0key\0value\0values\0";
enum { M_U32_END = 5, M_MAP_EXTRA = 5, M_KEY_SIZE, M_VALUE_SIZE, M_KEY, M_VALUE, M_VALUES };
static const uint8_t u32_member_off[M_U32_END] = {
	offsetof(struct rb_map, type), offsetof(struct rb_map, max_entries),
	offsetof(struct rb_map, map_flags), offsetof(struct rb_map, numa_node),
	offsetof(struct rb_map, pinning),
};

static int parse_member(struct obj_ctx *c, struct rb_map *m, struct btf_def *d,
			const struct btf_type *st, uint32_t i)
{
	const struct btf_member *mb = &rb_btf_members(st)[i];
	const char *n = rb_btf_str(c->obj->btf, mb->name_off);
	n = n ? n : "";
	int k = rb_strtab_index(member_names, n);
	if (k >= 0 && k < M_U32_END)
		return member_u32(c, n, mb->type, (uint32_t *)((char *)m + u32_member_off[k]));
	if (k == M_MAP_EXTRA)
		return member_uint(c, n, mb->type, &m->map_extra);
	if (k == M_KEY_SIZE || k == M_VALUE_SIZE)
		return parse_size_member(c, m, d, n, mb->type);
	if (k == M_KEY || k == M_VALUE)
		return parse_key_value(c, m, d, n, mb->type);
	if (k == M_VALUES) {
		d->has_values = true;
		d->values_member = i;
		return 0;
	}
	return obj_bad(c, "unknown member '%s' in its BTF definition (known: type, key, value, "
		       "key_size, value_size, max_entries, map_flags, numa_node, pinning, "
		       "map_extra, values)", n);
}

static int parse_def(struct obj_ctx *c, struct rb_map *m, uint32_t struct_id, bool inner);

static bool is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* The pointee of `values`' element type: struct (inner map) or func proto. */
static const struct btf_type *values_target(struct obj_ctx *c, const struct btf_type *st,
					    uint32_t i, uint32_t *target_id)
{
	const struct rb_btf *btf = c->obj->btf;
	const struct btf_type *a = rb_btf_resolve(btf, rb_btf_members(st)[i].type, NULL);
	if (!a || rb_btf_kind(a) != BTF_KIND_ARRAY)
		return NULL;
	const struct btf_type *p = rb_btf_resolve(btf, rb_btf_array(a)->type, NULL);
	if (!p || rb_btf_kind(p) != BTF_KIND_PTR)
		return NULL;
	return rb_btf_resolve(btf, p->type, target_id);
}

static int fd_valued(struct obj_ctx *c, struct rb_map *m, struct btf_def *d)
{
	if (d->has_value_size && m->value_size != 4)
		return obj_bad(c, "value_size %u, but a map holding %s has 4-byte values",
			       m->value_size, is_map_in_map(m->type) ? "maps" : "programs");
	m->value_size = 4;
	if (!d->has_key_size && !m->key_size)
		m->key_size = 4;
	return 0;
}

static int make_inner(struct obj_ctx *c, struct rb_map *outer, uint32_t struct_id)
{
	struct rb_map *in = calloc(1, sizeof(*in));
	struct rb_buf name = {0};
	if (!in)
		return obj_oom(c);
	outer->inner = in;
	rb_buf_printf(&name, "%s.inner", outer->name);
	in->name = name.oom ? NULL : (char *)rb_buf_str(&name);
	if (!in->name) {
		rb_buf_free(&name);
		return obj_oom(c);
	}
	in->kind = RB_MAP_INNER;
	return parse_def(c, in, struct_id, true);
}

static int parse_values(struct obj_ctx *c, struct rb_map *m, const struct btf_type *st,
			struct btf_def *d, bool inner)
{
	uint32_t tid = 0;
	const struct btf_type *t = values_target(c, st, d->values_member, &tid);
	if (inner)
		return obj_bad(c, "an inner map cannot have .values");
	if (is_map_in_map(m->type) && t && rb_btf_kind(t) == BTF_KIND_STRUCT) {
		int r = fd_valued(c, m, d);
		if (r < 0)
			return r;
		r = make_inner(c, m, tid);
		d->inner_failed = r < 0;
		return r;
	}
	if (m->type == BPF_MAP_TYPE_PROG_ARRAY && t && rb_btf_kind(t) == BTF_KIND_FUNC_PROTO)
		return fd_valued(c, m, d);
	return obj_bad(c, ".values must be __array(values, struct {...}) in a map-in-map or "
		       "__array(values, int (void *)) in a prog array (map type %u)", m->type);
}

static int parse_members(struct obj_ctx *c, struct rb_map *m, uint32_t struct_id, bool inner,
			 struct btf_def *d)
{
	const struct btf_type *st = rb_btf_resolve(c->obj->btf, struct_id, NULL);
	if (!st || rb_btf_kind(st) != BTF_KIND_STRUCT)
		return obj_bad(c, "its BTF definition is not a struct");
	for (uint32_t i = 0; i < rb_btf_vlen(st); i++) {
		int r = parse_member(c, m, d, st, i);
		if (r < 0)
			return r;
	}
	if (m->pinning > RB_PIN_BY_NAME)
		return obj_bad(c, "pinning %u is not LIBBPF_PIN_NONE (0) or LIBBPF_PIN_BY_NAME (1)",
			       m->pinning);
	if (m->type == 0)
		return obj_bad(c, "no map type (add __uint(type, ...))");
	if (is_map_in_map(m->type) && !d->has_values && !inner)
		return obj_bad(c, "a map-in-map needs __array(values, struct {...}) to define its "
			       "inner map");
	return d->has_values ? parse_values(c, m, st, d, inner) : 0;
}

static int parse_def(struct obj_ctx *c, struct rb_map *m, uint32_t struct_id, bool inner)
{
	struct btf_def d = {0};
	int r = parse_members(c, m, struct_id, inner, &d);
	if (r == -RB_EINPUT && !d.inner_failed)
		rb_err_prefix(c->err, "map '%s'", m->name);
	return r;
}

static int add_btf_map(struct obj_ctx *c, const struct btf_var_secinfo *vi)
{
	const struct rb_btf *btf = c->obj->btf;
	const struct btf_type *v = rb_btf_type(btf, vi->type);
	struct rb_elf_sym sym;
	if (!v || rb_btf_kind(v) != BTF_KIND_VAR)
		return obj_bad(c, "BTF DATASEC '.maps' entry type %u is not a VAR",
			       vi->type);
	const char *name = rb_btf_type_name(btf, vi->type);
	if (!obj_sym_find_in_sec(c->obj, c->btf_maps_sec->index, name, &sym))
		return obj_bad(c, "map '%s' is in the BTF of '.maps' but has no symbol "
			       "in section '.maps'", name);
	struct rb_map *m = rb_obj_add_map(c->obj);
	if (!m)
		return obj_oom(c);
	m->kind = RB_MAP_BTF;
	m->name = obj_strdup(c, name);
	m->btf_var_id = vi->type;
	m->sec_index = c->btf_maps_sec->index;
	m->sec_off = sym.value;
	return m->name ? parse_def(c, m, v->type, false) : -RB_ESYS;
}

int obj_collect_btf_maps(struct obj_ctx *c)
{
	c->btf_maps_sec = rb_elf_sec_by_name(&c->obj->elf, ".maps");
	if (!c->btf_maps_sec)
		return 0;
	if (!c->obj->btf)
		return obj_bad_sec(c, ".maps", " needs BTF to describe its maps, but the object "
				   "has no .BTF (compile with clang -g)");
	uint32_t ds = rb_btf_find(c->obj->btf, ".maps", BTF_KIND_DATASEC);
	const struct btf_type *t = rb_btf_type(c->obj->btf, ds);
	if (!ds || !t)
		return obj_bad_sec(c, ".maps", " has no BTF DATASEC '.maps' "
				   "(compile with clang -g)");
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		int r = add_btf_map(c, &rb_btf_secinfos(t)[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --- .values ------------------------------------------------------------------------ */

/* The BTF map whose definition contains offset off of .maps (the closest
 * one starting at or before it). */
static int map_containing(struct obj_ctx *c, uint64_t off)
{
	int best = -1;
	for (size_t i = 0; i < c->obj->n_maps; i++) {
		const struct rb_map *m = &c->obj->maps[i];
		if (m->kind == RB_MAP_BTF && m->sec_off <= off &&
		    (best < 0 || m->sec_off > c->obj->maps[best].sec_off))
			best = (int)i;
	}
	return best;
}

static int values_offset(struct obj_ctx *c, const struct rb_map *m, uint64_t *moff)
{
	const struct btf_type *v = rb_btf_type(c->obj->btf, m->btf_var_id);
	struct rb_btf_member_info mi;
	int r = v ? rb_btf_find_member(c->obj->btf, v->type, "values", &mi, c->err) : 0;
	if (r <= 0)
		return r < 0 ? r : obj_bad(c, "map '%s' has relocations in section "
					   "'.maps' but no .values member", m->name);
	*moff = mi.bit_offset / 8;
	return 0;
}

static int slot_target(struct obj_ctx *c, const struct rb_map *m, const struct rb_elf_sym *sym,
		       struct rb_map_slot *s)
{
	if (m->type == BPF_MAP_TYPE_PROG_ARRAY) {
		int p = obj_prog_at(c->obj, sym->shndx, sym->value);
		if (p >= 0) {
			s->kind = RB_SLOT_PROG, s->target = (uint32_t)p;
			return 0;
		}
	} else {
		int t = obj_map_at(c, sym->shndx, sym->value);
		if (t >= 0 && c->obj->maps[t].kind == RB_MAP_BTF) {
			s->kind = RB_SLOT_MAP, s->target = (uint32_t)t;
			return 0;
		}
	}
	return obj_bad(c, "map '%s': .values slot %u points at '%s', which is not %s",
		       m->name, s->slot, sym->name[0] ? sym->name : obj_sec_name(c, sym->shndx),
		       m->type == BPF_MAP_TYPE_PROG_ARRAY ? "a program" : "a map in '.maps'");
}

static int add_slot(struct obj_ctx *c, struct rb_map *m, const struct rb_map_slot *s)
{
	for (size_t i = 0; i < m->n_slots; i++)
		if (m->slots[i].slot == s->slot)
			return obj_bad(c, "map '%s': .values slot %u is set twice",
				       m->name, s->slot);
	struct rb_map_slot *n = obj_append(&m->slots, &m->n_slots, sizeof(*n));
	if (!n)
		return obj_oom(c);
	*n = *s;
	return 0;
}

static int map_rel(struct obj_ctx *c, const struct obj_data_rel *r, void *arg)
{
	const struct rb_elf_rel rel = r->rel;
	size_t i = r->index;
	(void)arg;
	int mi = map_containing(c, rel.offset);
	if (rel.type != R_BPF_64_ABS64 || mi < 0)
		return obj_bad_rel(c, ".maps", i, " at offset 0x%llx (type %u) is not a .values "
				   "pointer (R_BPF_64_ABS64 inside a map)",
				   (unsigned long long)rel.offset, rel.type);
	struct rb_map *m = &c->obj->maps[mi];
	uint64_t moff = 0;
	int rc = values_offset(c, m, &moff);
	if (rc < 0)
		return rc;
	uint64_t at = rel.offset - m->sec_off;
	if (at < moff || (at - moff) % 8)
		return obj_bad_rel(c, ".maps", i, " at offset 0x%llx is inside map '%s' but not on "
				   "a .values slot", (unsigned long long)rel.offset, m->name);
	struct rb_map_slot s = { .slot = (uint32_t)((at - moff) / 8) };
	if ((at - moff) / 8 >= UINT32_MAX || (m->max_entries && s.slot >= m->max_entries))
		return obj_bad(c, "map '%s': .values slot %llu is past max_entries %u",
			       m->name, (unsigned long long)((at - moff) / 8), m->max_entries);
	rc = slot_target(c, m, &r->sym, &s);
	return rc ? rc : add_slot(c, m, &s);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct rb_map_slot *x = a, *y = b;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

int obj_collect_map_slots(struct obj_ctx *c)
{
	if (!c->btf_maps_sec)
		return 0;
	int r = obj_each_rel(c, c->btf_maps_sec->index, true, map_rel, NULL);
	for (size_t i = 0; r == 0 && i < c->obj->n_maps; i++)
		if (c->obj->maps[i].n_slots > 1)
			rb_sort(c->obj->maps[i].slots, c->obj->maps[i].n_slots,
				sizeof(struct rb_map_slot), cmp_slot);
	return r;
}
