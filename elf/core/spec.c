/* Access strings: parsing them against the local BTF, and walking the same
 * named path through a candidate target type. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "elf/core/core_int.h"

void core_why(struct core_why *w, const char *fmt, ...)
{
	if (!w || !w->buf || w->buf[0])
		return; /* the first reason is the one worth telling */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->buf, w->size, fmt, ap);
	va_end(ap);
}

void core_type_words(const struct rb_btf *btf, uint32_t id, char *buf, size_t size)
{
	const struct btf_type *t = rb_btf_type(btf, id);
	const char *name = t ? rb_btf_str(btf, t->name_off) : NULL;
	const char *kind = t ? rb_btf_kind_name(rb_btf_kind(t)) : "type";
	if (t && rb_btf_kind(t) == BTF_KIND_FWD)
		kind = rb_btf_kflag(t) ? "union" : "struct";
	snprintf(buf, size, "%s %s", kind, name && name[0] ? name : "<anon>");
}

bool core_kind_is_field(uint32_t kind)
{
	return kind <= BPF_CORE_FIELD_RSHIFT_U64;
}

bool core_kind_is_type(uint32_t kind)
{
	return (kind >= BPF_CORE_TYPE_ID_LOCAL && kind <= BPF_CORE_TYPE_SIZE) ||
	       kind == BPF_CORE_TYPE_MATCHES;
}

bool core_kind_is_enumval(uint32_t kind)
{
	return kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE;
}

int64_t core_size(const struct rb_btf *btf, uint32_t id)
{
	uint64_t size;
	if (rb_btf_type_size(btf, id, &size, NULL) || size > INT32_MAX)
		return -1;
	return (int64_t)size;
}

static bool is_composite(const struct btf_type *t)
{
	return rb_btf_kind(t) == BTF_KIND_STRUCT || rb_btf_kind(t) == BTF_KIND_UNION;
}

static bool is_any_enum(const struct btf_type *t)
{
	return rb_btf_kind(t) == BTF_KIND_ENUM || rb_btf_kind(t) == BTF_KIND_ENUM64;
}

static int parse_access(const char *s, struct core_spec *spec)
{
	spec->raw_len = 0;
	while (*s) {
		uint64_t v = 0;
		const char *start = s;
		for (; *s >= '0' && *s <= '9'; s++)
			if ((v = v * 10 + (uint64_t)(*s - '0')) > INT32_MAX)
				return -1;
		if (s == start || spec->raw_len == RB_CORE_SPEC_MAX || (*s && *s != ':'))
			return -1;
		spec->raw[spec->raw_len++] = (uint32_t)v;
		if (*s == ':' && !*++s)
			return -1;
	}
	return spec->raw_len ? 0 : -1;
}

/* A zero-length array as the last member: indexes past its end are valid. */
static bool is_flex_array(const struct rb_btf *btf, const struct core_acc *acc,
			  const struct btf_array *a)
{
	if (!acc->name || a->nelems > 0)
		return false;
	const struct btf_type *t = rb_btf_type(btf, acc->type_id);
	return t && acc->idx == rb_btf_vlen(t) - 1;
}

static int add_offset(struct core_spec *spec, uint64_t idx, int64_t size)
{
	if (size < 0)
		return -1;
	spec->bit_offset += idx * (uint64_t)size * 8;
	return spec->bit_offset > UINT32_MAX ? -1 : 0;
}

static int parse_member_step(struct core_spec *spec, const struct btf_type *t, uint32_t *id,
			     uint32_t idx)
{
	if (idx >= rb_btf_vlen(t))
		return -1;
	const struct btf_member *m = rb_btf_members(t) + idx;
	const char *name = rb_btf_str(spec->btf, m->name_off);
	spec->bit_offset += rb_btf_member_bit_offset(t, idx);
	if (name && name[0])
		spec->acc[spec->len++] = (struct core_acc){.type_id = *id, .idx = idx, .name = name};
	*id = m->type;
	return 0;
}

static int parse_array_step(struct core_spec *spec, const struct btf_type *t, uint32_t *id,
			    uint32_t idx)
{
	const struct btf_array *a = rb_btf_array(t);
	if (!rb_btf_resolve(spec->btf, a->type, id))
		return -1;
	bool flex = spec->len > 0 && is_flex_array(spec->btf, &spec->acc[spec->len - 1], a);
	if (!flex && idx >= a->nelems)
		return -1;
	spec->acc[spec->len++] = (struct core_acc){.type_id = *id, .idx = idx};
	return add_offset(spec, idx, core_size(spec->btf, *id));
}

static int parse_field_spec(struct core_spec *spec)
{
	uint32_t id;
	if (!rb_btf_resolve(spec->btf, spec->root_id, &id))
		return -1;
	spec->acc[0] = (struct core_acc){.type_id = id, .idx = spec->raw[0]};
	spec->len = 1;
	if (add_offset(spec, spec->raw[0], core_size(spec->btf, id)))
		return -1;
	for (uint32_t i = 1; i < spec->raw_len; i++) {
		const struct btf_type *t = rb_btf_resolve(spec->btf, id, &id);
		int r = !t ? -1
		      : is_composite(t) ? parse_member_step(spec, t, &id, spec->raw[i])
		      : rb_btf_kind(t) == BTF_KIND_ARRAY ? parse_array_step(spec, t, &id, spec->raw[i])
		      : -1;
		if (r)
			return r;
	}
	return 0;
}

static int parse_enumval_spec(struct core_spec *spec)
{
	uint32_t id;
	const struct btf_type *t = rb_btf_resolve(spec->btf, spec->root_id, &id);
	if (!t || !is_any_enum(t) || spec->raw_len != 1 || spec->raw[0] >= rb_btf_vlen(t))
		return -1;
	const char *name = rb_btf_enum_name(spec->btf, t, spec->raw[0]);
	spec->acc[0] = (struct core_acc){.type_id = id, .idx = spec->raw[0], .name = name};
	spec->len = 1;
	return name ? 0 : -1;
}

int core_spec_parse(const struct rb_btf *btf, uint32_t type_id, const char *access,
		    uint32_t kind, struct core_spec *spec, struct rb_err *err)
{
	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_id = type_id;
	spec->kind = kind;
	int r = !rb_btf_type(btf, type_id) || !access ? -1 : parse_access(access, spec);
	if (!r && core_kind_is_type(kind))
		r = spec->raw_len == 1 && spec->raw[0] == 0 ? 0 : -1;
	else if (!r && core_kind_is_enumval(kind))
		r = parse_enumval_spec(spec);
	else if (!r && core_kind_is_field(kind))
		r = parse_field_spec(spec);
	else if (!r)
		return rb_input_errf(err, "CO-RE", "unknown relocation kind %u", kind);
	if (r)
		return rb_input_errf(err, "CO-RE",
				     "access string '%s' does not fit type [%u] for a %s relocation",
				     access ? access : "(bad offset)", type_id, rb_core_kind_name(kind));
	return 0;
}

/* --- matching a local spec against one candidate ------------------------------- */

struct matcher {
	const struct rb_btf *lb, *tb;
	struct core_spec *targ;
	struct core_why *why;
};

static int push_raw(struct core_spec *s, uint32_t idx)
{
	if (s->raw_len == RB_CORE_SPEC_MAX)
		return -1;
	s->raw[s->raw_len++] = idx;
	return 0;
}

static int match_named_member(struct matcher *m, const struct btf_member *lm,
			      const struct core_acc *acc, uint32_t targ_id,
			      const struct btf_member *tm, uint32_t i, uint32_t *next)
{
	m->targ->acc[m->targ->len++] = (struct core_acc){.type_id = targ_id, .idx = i, .name = acc->name};
	*next = tm->type;
	int found = core_types_compat(m->lb, lm->type, m->tb, tm->type, RB_BTF_MAX_CHAIN, true);
	if (found == 0) {
		char tw[96];
		core_type_words(m->tb, targ_id, tw, sizeof(tw));
		core_why(m->why, "field '%s' of %s has an incompatible type", acc->name, tw);
		m->targ->len--;
	}
	return found;
}

/* Finds the local member acc names in target composite targ_id, descending
 * into anonymous members; *next gets the matched member's type. */
static int match_member(struct matcher *m, const struct core_acc *acc, uint32_t targ_id,
			uint32_t *next, int depth)
{
	const struct btf_type *tt = rb_btf_resolve(m->tb, targ_id, &targ_id);
	if (!tt || depth > RB_BTF_MAX_CHAIN)
		return -1;
	if (!is_composite(tt))
		return 0;
	const struct btf_type *lt = rb_btf_type(m->lb, acc->type_id);
	const struct btf_member *lm = rb_btf_members(lt) + acc->idx;
	for (uint32_t i = 0; i < rb_btf_vlen(tt); i++) {
		const struct btf_member *tm = rb_btf_members(tt) + i;
		const char *tname = rb_btf_str(m->tb, tm->name_off);
		uint32_t bits = rb_btf_member_bit_offset(tt, i);
		if (push_raw(m->targ, i))
			return -1;
		m->targ->bit_offset += bits;
		if (!tname || !tname[0]) {
			int found = match_member(m, acc, tm->type, next, depth + 1);
			if (found)
				return found;
		} else if (strcmp(tname, acc->name) == 0) {
			return match_named_member(m, lm, acc, targ_id, tm, i, next);
		}
		m->targ->bit_offset -= bits;
		m->targ->raw_len--;
	}
	return 0;
}

static int match_array_step(struct matcher *m, const struct core_acc *acc, uint32_t i,
			    uint32_t *targ_id)
{
	if (i > 0) {
		const struct btf_type *tt = rb_btf_resolve(m->tb, *targ_id, targ_id);
		if (!tt || rb_btf_kind(tt) != BTF_KIND_ARRAY) {
			core_why(m->why, "the target has no array where index [%u] is used", acc->idx);
			return 0;
		}
		const struct btf_array *a = rb_btf_array(tt);
		bool flex = is_flex_array(m->tb, &m->targ->acc[m->targ->len - 1], a);
		if (!flex && acc->idx >= a->nelems) {
			core_why(m->why, "index [%u] is past the end of an array of %u", acc->idx,
				 a->nelems);
			return 0;
		}
		if (!rb_btf_resolve(m->tb, a->type, targ_id))
			return -1;
	}
	if (push_raw(m->targ, acc->idx))
		return -1;
	m->targ->acc[m->targ->len++] = (struct core_acc){.type_id = *targ_id, .idx = acc->idx};
	return add_offset(m->targ, acc->idx, core_size(m->tb, *targ_id)) ? -1 : 1;
}

static int match_named_step(struct matcher *m, const struct core_acc *acc, uint32_t *targ_id)
{
	uint32_t container = *targ_id;
	int r = match_member(m, acc, *targ_id, targ_id, 0);
	if (r == 0) {
		char tw[96];
		rb_btf_resolve(m->tb, container, &container);
		core_type_words(m->tb, container, tw, sizeof(tw));
		core_why(m->why, "%s has no field '%s'", tw, acc->name);
	}
	return r;
}

static int match_enumval(const struct core_spec *local, struct core_spec *targ,
			 uint32_t targ_id, struct core_why *why)
{
	const struct btf_type *t = rb_btf_resolve(targ->btf, targ_id, &targ_id);
	const char *lname = local->acc[0].name;
	size_t llen = rb_core_essential_len(lname);
	if (!t || !is_any_enum(t))
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const char *tn = rb_btf_enum_name(targ->btf, t, i);
		if (!tn || rb_core_essential_len(tn) != llen || strncmp(tn, lname, llen) != 0)
			continue;
		targ->acc[0] = (struct core_acc){.type_id = targ_id, .idx = i, .name = tn};
		targ->len = 1;
		targ->raw[0] = i;
		targ->raw_len = 1;
		return 1;
	}
	char tw[96];
	core_type_words(targ->btf, targ_id, tw, sizeof(tw));
	core_why(why, "%s has no value '%.*s'", tw, (int)llen, lname);
	return 0;
}

static int match_types(const struct core_spec *local, const struct rb_btf *tb, uint32_t targ_id)
{
	if (local->kind == BPF_CORE_TYPE_MATCHES)
		return core_types_match(local->btf, local->root_id, tb, targ_id, false,
					RB_BTF_MAX_CHAIN);
	return core_types_compat(local->btf, local->root_id, tb, targ_id, RB_BTF_MAX_CHAIN, false);
}

int core_spec_match(const struct core_spec *local, const struct rb_btf *targ_btf,
		    uint32_t targ_id, struct core_spec *targ, struct core_why *why)
{
	memset(targ, 0, sizeof(*targ));
	targ->btf = targ_btf;
	targ->root_id = targ_id;
	targ->kind = local->kind;
	if (core_kind_is_type(local->kind))
		return match_types(local, targ_btf, targ_id);
	if (core_kind_is_enumval(local->kind))
		return match_enumval(local, targ, targ_id, why);
	struct matcher m = {.lb = local->btf, .tb = targ_btf, .targ = targ, .why = why};
	for (uint32_t i = 0; i < local->len; i++) {
		const struct core_acc *acc = &local->acc[i];
		if (!rb_btf_resolve(targ_btf, targ_id, &targ_id))
			return -1;
		int r = acc->name ? match_named_step(&m, acc, &targ_id)
				  : match_array_step(&m, acc, i, &targ_id);
		if (r <= 0)
			return r;
	}
	return 1;
}
