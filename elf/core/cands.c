/* Candidate lookup.  Each target BTF gets, on first use, an open-addressing
 * table of the ids of its named types hashed by essential name (flavour
 * stripped), so a lookup costs a few probes instead of a scan of the
 * ~127k types of vmlinux. */
#include <stdlib.h>
#include <string.h>

#include "elf/core/core_int.h"

struct core_index {
	uint32_t *slots; /* type ids, 0 = empty */
	uint32_t mask;
	bool built;
};

struct core_target {
	const struct rb_btf *btf;
	int obj_fd;
	struct core_index idx[2]; /* IX_TYPES, IX_DECLS */
};

struct rb_core_targets {
	struct core_target *v;
	size_t n, cap;
	void *scratch;       /* core_targets_scratch: kept from one relocation to the next */
	size_t scratch_size;
};

/* "X___Y" at i (X, Y not underscores) marks a flavour; the cut is at i + 1. */
static bool flavour_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] && s[4] != '_';
}

size_t rb_core_essential_len(const char *name)
{
	size_t i = 0, cut = SIZE_MAX;
	for (; name[i]; i++)
		if (name[i + 1] == '_' && flavour_sep(name + i))
			cut = i + 1;
	return cut == SIZE_MAX ? i : cut;
}

/* Two indexes per target, each built on first use: the kinds a CO-RE root
 * type can have (~20k in vmlinux), and FUNC/VAR (~60k) for the loader's
 * exact lookups (attach targets, ksyms, kfuncs), so CO-RE-only objects never
 * pay for the big one. */
enum { IX_TYPES, IX_DECLS };

static const int8_t kind_index[] = {
	[BTF_KIND_UNKN] = -1, [BTF_KIND_INT] = IX_TYPES, [BTF_KIND_PTR] = -1,
	[BTF_KIND_ARRAY] = -1, [BTF_KIND_STRUCT] = IX_TYPES, [BTF_KIND_UNION] = IX_TYPES,
	[BTF_KIND_ENUM] = IX_TYPES, [BTF_KIND_FWD] = IX_TYPES, [BTF_KIND_TYPEDEF] = IX_TYPES,
	[BTF_KIND_VOLATILE] = -1, [BTF_KIND_CONST] = -1, [BTF_KIND_RESTRICT] = -1,
	[BTF_KIND_FUNC] = IX_DECLS, [BTF_KIND_FUNC_PROTO] = -1, [BTF_KIND_VAR] = IX_DECLS,
	[BTF_KIND_DATASEC] = -1, [BTF_KIND_FLOAT] = IX_TYPES, [BTF_KIND_DECL_TAG] = -1,
	[BTF_KIND_TYPE_TAG] = -1, [BTF_KIND_ENUM64] = IX_TYPES,
};

static inline int index_of_kind(uint32_t kind)
{
	return kind < sizeof(kind_index) ? kind_index[kind] : -1;
}

static void index_insert(struct core_index *ix, const char *name, uint32_t id)
{
	uint32_t h = rb_btf_name_hash(name, rb_core_essential_len(name)) & ix->mask;
	while (ix->slots[h])
		h = (h + 1) & ix->mask;
	ix->slots[h] = id;
}

/* Sized by the parser's per-kind counts: the table stays at half load and
 * small enough for cache, without a walk over all types to count them. */
static uint32_t count_kind(const struct rb_btf *btf, int which)
{
	uint32_t n = 0;
	for (uint32_t k = 0; k < sizeof(kind_index); k++)
		n += kind_index[k] == which ? rb_btf_kind_count(btf, k) : 0;
	return n;
}

static int build_index(struct core_target *t, int which, struct rb_err *err)
{
	struct core_index *ix = &t->idx[which];
	uint32_t end = rb_btf_type_cnt(t->btf), cap = 16, n = count_kind(t->btf, which);
	while (cap < n * 2u && cap < (1u << 30))
		cap *= 2;
	ix->slots = calloc(cap, sizeof(uint32_t));
	if (!ix->slots)
		return rb_errf(err, RB_ESYS, "CO-RE: out of memory indexing %s", rb_btf_label(t->btf));
	ix->mask = cap - 1;
	for (uint32_t id = rb_btf_start_id(t->btf); id < end; id++) {
		const struct btf_type *tt = rb_btf_type(t->btf, id);
		if (index_of_kind(rb_btf_kind(tt)) != which)
			continue;
		const char *name = rb_btf_str(t->btf, tt->name_off);
		if (name && name[0])
			index_insert(ix, name, id);
	}
	ix->built = true;
	return 0;
}

int rb_core_targets_new(struct rb_core_targets **out, struct rb_err *err)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : rb_oom_errf(err, "CO-RE");
}

int rb_core_targets_add(struct rb_core_targets *tg, const struct rb_btf *btf, int obj_fd,
			struct rb_err *err)
{
	if (tg->n == tg->cap) {
		size_t cap = tg->cap ? tg->cap * 2 : 4;
		struct core_target *v = realloc(tg->v, cap * sizeof(*v));
		if (!v)
			return rb_oom_errf(err, "CO-RE");
		tg->v = v;
		tg->cap = cap;
	}
	tg->v[tg->n++] = (struct core_target){.btf = btf, .obj_fd = obj_fd};
	return 0;
}

void rb_core_targets_free(struct rb_core_targets *tg)
{
	if (!tg)
		return;
	for (size_t i = 0; i < tg->n; i++)
		free(tg->v[i].idx[0].slots), free(tg->v[i].idx[1].slots);
	free(tg->scratch);
	free(tg->v);
	free(tg);
}

/* Relocating needs a few KiB of specs per relocation; one buffer reused for
 * all of them spares the allocator (musl maps and unmaps a page for each
 * such block when it is freed). */
void *core_targets_scratch(struct rb_core_targets *tg, size_t size)
{
	if (tg->scratch_size < size) {
		void *p = realloc(tg->scratch, size);
		if (!p)
			return NULL;
		tg->scratch = p;
		tg->scratch_size = size;
	}
	return tg->scratch;
}

size_t rb_core_targets_count(const struct rb_core_targets *tg)
{
	return tg->n;
}

bool rb_core_kinds_compat(const struct btf_type *a, const struct btf_type *b)
{
	uint32_t ka = rb_btf_kind(a), kb = rb_btf_kind(b);
	bool enum_a = ka == BTF_KIND_ENUM || ka == BTF_KIND_ENUM64;
	bool enum_b = kb == BTF_KIND_ENUM || kb == BTF_KIND_ENUM64;
	return ka == kb || (enum_a && enum_b);
}

struct cand_list {
	struct rb_core_cand *v;
	int n, cap;
};

static int push_cand(struct cand_list *l, const struct core_target *t, uint32_t id)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 4;
		struct rb_core_cand *v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -RB_ESYS;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct rb_core_cand){.btf = t->btf, .id = id, .obj_fd = t->obj_fd};
	return 0;
}

static int cands_in(struct core_target *t, const struct btf_type *lt, const char *name,
		    size_t len, struct cand_list *l, struct rb_err *err)
{
	struct core_index *ix = &t->idx[IX_TYPES];
	if (!ix->built) {
		int r = build_index(t, IX_TYPES, err);
		if (r)
			return r;
	}
	for (uint32_t h = rb_btf_name_hash(name, len) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask) {
		uint32_t id = ix->slots[h];
		const struct btf_type *tt = rb_btf_type(t->btf, id);
		const char *tn = rb_btf_str(t->btf, tt->name_off);
		if (rb_core_essential_len(tn) != len || memcmp(tn, name, len) != 0 ||
		    !rb_core_kinds_compat(lt, tt))
			continue;
		if (push_cand(l, t, id))
			return rb_oom_errf(err, "CO-RE");
	}
	return 0;
}

uint32_t rb_core_targets_find(struct rb_core_targets *tg, size_t target, const char *name,
			      uint32_t kind, struct rb_err *err)
{
	int which = index_of_kind(kind);
	if (target >= tg->n || which < 0)
		return 0;
	struct core_target *t = &tg->v[target];
	struct core_index *ix = &t->idx[which];
	if (!ix->built && build_index(t, which, err))
		return 0;
	size_t len = rb_core_essential_len(name);
	for (uint32_t h = rb_btf_name_hash(name, len) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask) {
		const struct btf_type *tt = rb_btf_type(t->btf, ix->slots[h]);
		if (rb_btf_kind(tt) == kind && strcmp(rb_btf_str(t->btf, tt->name_off), name) == 0)
			return ix->slots[h];
	}
	return 0;
}

int rb_core_find_cands(struct rb_core_targets *tg, const struct rb_btf *local, uint32_t local_id,
		       struct rb_core_cand **out, struct rb_err *err)
{
	struct cand_list l = {0};
	const struct btf_type *lt = rb_btf_type(local, local_id);
	const char *name = lt ? rb_btf_str(local, lt->name_off) : NULL;
	*out = NULL;
	if (!name || !name[0])
		return rb_input_errf(err, "CO-RE", "type [%u] is anonymous and cannot be relocated", local_id);
	size_t len = rb_core_essential_len(name);
	/* vmlinux first; module BTFs only when vmlinux has nothing (libbpf's order) */
	int r = tg->n ? cands_in(&tg->v[0], lt, name, len, &l, err) : 0;
	bool in_vmlinux = l.n > 0;
	for (size_t i = 1; !r && !in_vmlinux && i < tg->n; i++)
		r = cands_in(&tg->v[i], lt, name, len, &l, err);
	if (r) {
		free(l.v);
		return r;
	}
	*out = l.v;
	return l.n;
}
