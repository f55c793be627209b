/* Legacy SEC("maps") definitions and global-data maps (.data, .rodata, .bss
 * and their .name variants). */
#include <ctype.h>
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "elf/obj/obj_int.h"

/* Legacy record fields rawbpf knows, in order (samples/bpf's bpf_map_def plus
 * libbpf's pinning): type, key_size, value_size, max_entries, map_flags,
 * inner_map_idx, numa_node, pinning.  Any longer record must be zero past them. */
#define LEGACY_FIELDS 8

int obj_map_at(const struct obj_ctx *c, uint32_t shndx, uint64_t off)
{
	const struct rb_obj *obj = c->obj;
	for (size_t i = 0; i < obj->n_maps; i++) {
		const struct rb_map *m = &obj->maps[i];
		if ((m->kind == RB_MAP_LEGACY || m->kind == RB_MAP_BTF) && m->sec_index == shndx &&
		    m->sec_off == off)
			return (int)i;
	}
	return -1;
}

static int new_map(struct obj_ctx *c, struct rb_map **out)
{
	*out = rb_obj_add_map(c->obj);
	return *out ? 0 : obj_oom(c);
}

static bool is_map_sym(const struct rb_elf_sym *s, uint32_t shndx)
{
	return s->shndx == shndx && s->type != STT_SECTION && s->name[0];
}

/* Counts the map symbols of section 'maps' (arg: the count). */
static int count_map_sym(struct obj_ctx *c, const struct rb_elf_sym *s, void *arg)
{
	*(size_t *)arg += is_map_sym(s, c->maps_sec->index);
	return 0;
}

/* Where each legacy field goes; inner_map_idx is kept in btf_var_id until
 * all records are read. */
static const uint8_t legacy_field_off[LEGACY_FIELDS] = {
	offsetof(struct rb_map, type), offsetof(struct rb_map, key_size),
	offsetof(struct rb_map, value_size), offsetof(struct rb_map, max_entries),
	offsetof(struct rb_map, map_flags), offsetof(struct rb_map, btf_var_id),
	offsetof(struct rb_map, numa_node), offsetof(struct rb_map, pinning),
};

static int read_legacy_fields(struct obj_ctx *c, const struct rb_elf_sym *s, uint32_t rec,
			      struct rb_map *m)
{
	const uint8_t *p = c->maps_sec->data + s->value;
	for (uint32_t i = 0; i < rec / 4; i++) {
		uint32_t v = rb_elf_u32(&c->obj->elf, p + 4 * i);
		if (i < LEGACY_FIELDS)
			memcpy((char *)m + legacy_field_off[i], &v, sizeof(v));
		else if (v)
			return obj_bad_sec(c, "maps", ": map '%s' has non-zero bytes at offset %u "
					   "of its %u-byte definition; rawbpf knows %d fields "
					   "(type, key_size, value_size, max_entries, map_flags, "
					   "inner_map_idx, numa_node, pinning)", s->name, 4 * i,
					   rec, LEGACY_FIELDS);
	}
	return 0;
}

/* One map of section 'maps' per map symbol (arg: the record size). */
static int add_legacy_map(struct obj_ctx *c, const struct rb_elf_sym *s, void *arg)
{
	const struct rb_elf_sec *sec = c->maps_sec;
	uint32_t rec = *(const uint32_t *)arg;
	if (!is_map_sym(s, sec->index))
		return 0;
	if (s->value % rec || !rb_range_ok(s->value, rec, sec->size) || !sec->data)
		return obj_bad_sec(c, "maps", ": map '%s' at offset 0x%llx is not on a %u-byte "
				   "record boundary inside the %llu-byte section", s->name,
				   (unsigned long long)s->value, rec,
				   (unsigned long long)sec->size);
	struct rb_map *m;
	int r = new_map(c, &m);
	if (r < 0)
		return r;
	m->kind = RB_MAP_LEGACY;
	m->name = obj_strdup(c, s->name);
	m->sec_index = sec->index;
	m->sec_off = s->value;
	return m->name ? read_legacy_fields(c, s, rec, m) : -RB_ESYS;
}

static bool is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static int copy_inner(struct obj_ctx *c, struct rb_map *outer, const struct rb_map *def)
{
	struct rb_map *in = calloc(1, sizeof(*in));
	char name[256];
	if (!in)
		return obj_oom(c);
	snprintf(name, sizeof(name), "%s.inner", outer->name);
	*in = *def;
	in->kind = RB_MAP_INNER;
	in->name = strdup(name);
	in->sec_name = NULL, in->slots = NULL, in->n_slots = 0, in->data = NULL, in->inner = NULL;
	outer->inner = in;
	return in->name ? 0 : obj_oom(c);
}

/* inner_map_idx counts records of the section (offset / record size). */
static int resolve_legacy_inner(struct obj_ctx *c, size_t first, uint32_t rec)
{
	struct rb_obj *obj = c->obj;
	for (size_t i = first; i < obj->n_maps; i++) {
		struct rb_map *m = &obj->maps[i];
		uint32_t idx = m->btf_var_id;
		m->btf_var_id = 0;
		if (!is_map_in_map(m->type))
			continue;
		int t = obj_map_at(c, c->maps_sec->index, (uint64_t)idx * rec);
		if (t < 0 || (size_t)t == i)
			return obj_bad_sec(c, "maps", ": map-in-map '%s' names inner_map_idx %u, "
					   "which is not another map record of the section",
					   m->name, idx);
		int r = copy_inner(c, m, &obj->maps[t]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int record_size(struct obj_ctx *c, size_t nsyms, uint32_t *rec)
{
	uint64_t size = c->maps_sec->size;
	if (nsyms == 0 || size % nsyms || (size / nsyms) % 4 || size / nsyms == 0 ||
	    size / nsyms > 4096)
		return obj_bad_sec(c, "maps", " is %llu bytes for %zu map symbols: no whole record "
				   "size (a multiple of 4) fits", (unsigned long long)size, nsyms);
	*rec = (uint32_t)(size / nsyms);
	return 0;
}

int obj_collect_legacy_maps(struct obj_ctx *c)
{
	c->maps_sec = rb_elf_sec_by_name(&c->obj->elf, "maps");
	if (!c->maps_sec || c->maps_sec->size == 0)
		return 0;
	size_t nsyms = 0, first = c->obj->n_maps;
	uint32_t rec = 4;
	int r = obj_each_sym(c, count_map_sym, &nsyms);
	r = r ? r : record_size(c, nsyms, &rec);
	r = r ? r : obj_each_sym(c, add_legacy_map, &rec);
	return r ? r : resolve_legacy_inner(c, first, rec);
}

/* --- global data ----------------------------------------------------------------- */

static bool is_named(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static int data_kind(const struct rb_elf_sec *s, bool *readonly)
{
	*readonly = false;
	if (s->size == 0 || (s->flags & SHF_EXECINSTR))
		return 0;
	if (s->type == SHT_NOBITS)
		return is_named(s->name, ".bss");
	if (s->type != SHT_PROGBITS)
		return 0;
	if (is_named(s->name, ".rodata"))
		return (*readonly = true);
	return is_named(s->name, ".data");
}

/* libbpf's internal_map_name(): see object.h. */
static void internal_map_name(const char *obj_name, const char *sec, char out[RB_OBJ_NAME_LEN])
{
	size_t sfx = strlen(sec) < 7 ? 7 : strlen(sec);
	if (sfx > RB_OBJ_NAME_LEN - 1)
		sfx = RB_OBJ_NAME_LEN - 1;
	size_t pfx = strchr(sec + 1, '.') ? 0 : RB_OBJ_NAME_LEN - 1 - sfx;
	if (pfx > strlen(obj_name))
		pfx = strlen(obj_name);
	snprintf(out, RB_OBJ_NAME_LEN, "%.*s%.*s", (int)pfx, obj_name, (int)sfx, sec);
	for (char *p = out; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			*p = '_';
}

static int fill_data_map(struct obj_ctx *c, struct rb_map *m, const struct rb_elf_sec *s,
			 bool readonly)
{
	char name[RB_OBJ_NAME_LEN];
	internal_map_name(c->obj->name, s->name, name);
	m->kind = RB_MAP_DATA;
	m->name = obj_strdup(c, name);
	m->sec_name = obj_strdup(c, s->name);
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = 4;
	m->value_size = (uint32_t)s->size;
	m->max_entries = 1;
	m->readonly = readonly;
	m->map_flags = readonly ? BPF_F_RDONLY_PROG : 0;
	m->sec_index = s->index;
	m->data = obj_calloc(c, 1, s->size);
	if (!m->name || !m->sec_name || !m->data)
		return -RB_ESYS;
	if (s->type != SHT_NOBITS)
		memcpy(m->data, s->data, s->size);
	if (c->obj->btf)
		m->btf_value_type_id = m->btf_var_id = rb_btf_find(c->obj->btf, s->name, BTF_KIND_DATASEC);
	return 0;
}

static int add_data_map(struct obj_ctx *c, const struct rb_elf_sec *s, bool readonly)
{
	struct rb_map *m;
	/* The kernel caps array values near KMALLOC_MAX_SIZE (a few MiB); the
	 * cap here only keeps a hostile NOBITS size from allocating gigabytes. */
	if (s->size > OBJ_MAX_DATA || (s->type != SHT_NOBITS && !s->data))
		return obj_bad_sec(c, s->name, " is %llu bytes, more than rawbpf takes for global "
				   "data (%u MiB)", (unsigned long long)s->size,
				   OBJ_MAX_DATA >> 20);
	int r = new_map(c, &m);
	if (r < 0)
		return r;
	c->sec_map[s->index] = (int32_t)(c->obj->n_maps - 1);
	return fill_data_map(c, m, s, readonly);
}

int obj_collect_data_maps(struct obj_ctx *c)
{
	const struct rb_elf *elf = &c->obj->elf;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		bool ro;
		if (!data_kind(&elf->secs[i], &ro))
			continue;
		int r = add_data_map(c, &elf->secs[i], ro);
		if (r < 0)
			return r;
	}
	return 0;
}
