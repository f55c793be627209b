/* One relocation: the local spec, every candidate's answer (they must agree),
 * and the value each relocation kind asks for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "elf/core/core_int.h"

/* By enum bpf_core_relo_kind (0 to BPF_CORE_TYPE_MATCHES), as a strtab. */
static const char kind_names[] = "byte_off\0byte_sz\0field_exists\0signed\0lshift_u64\0rshift_u64\0"
	"local_type_id\0target_type_id\0type_exists\0type_size\0enumval_exists\0enumval_value\0"
	"type_matches\0";

const char *rb_core_kind_name(uint32_t kind)
{
	const char *n = rb_strtab_at(kind_names, kind);
	return n ? n : "unknown";
}

/* One side's outcome (value; load size and type for fields); -2 asks for poisoning. */
enum { CALC_POISON = -2 };

struct side_out {
	uint64_t val;
	uint32_t size;
	uint32_t type_id;
};

static int array_elem_field(uint32_t kind, const struct core_spec *spec,
			    const struct core_acc *acc, struct side_out *o)
{
	int64_t sz = core_size(spec->btf, acc->type_id);
	if (sz < 0 || (kind != BPF_CORE_FIELD_BYTE_OFFSET && kind != BPF_CORE_FIELD_BYTE_SIZE))
		return -1; /* signedness and shifts make no sense for a[n] */
	o->val = kind == BPF_CORE_FIELD_BYTE_OFFSET ? spec->bit_offset / 8 : (uint64_t)sz;
	if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
		o->size = (uint32_t)sz;
		o->type_id = acc->type_id;
	}
	return 0;
}

/* The smallest naturally aligned load (up to 8 bytes) covering a bitfield. */
static int bitfield_window(uint64_t bit_off, uint32_t bit_sz, uint32_t size, uint64_t *byte_off,
			   uint32_t *byte_sz)
{
	if (size == 0)
		return -1;
	*byte_sz = size;
	*byte_off = bit_off / 8 / size * size;
	while (bit_off + bit_sz - *byte_off * 8 > (uint64_t)*byte_sz * 8) {
		if (*byte_sz >= 8)
			return -1;
		*byte_sz *= 2;
		*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	}
	return 0;
}

static bool field_signed(const struct btf_type *mt)
{
	uint32_t k = rb_btf_kind(mt);
	if (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64)
		return rb_btf_kflag(mt);
	return k == BTF_KIND_INT && (BTF_INT_ENCODING(rb_btf_int_info(mt)) & BTF_INT_SIGNED);
}

static int member_field(uint32_t kind, const struct core_spec *spec, const struct core_acc *acc,
			struct side_out *o, bool *validate)
{
	const struct btf_type *t = rb_btf_type(spec->btf, acc->type_id);
	uint32_t field_id, bit_sz = rb_btf_member_bitfield_size(t, acc->idx);
	const struct btf_type *mt = rb_btf_resolve(spec->btf, rb_btf_members(t)[acc->idx].type,
						   &field_id);
	uint64_t byte_off;
	uint32_t byte_sz;
	bool bitfield = bit_sz > 0;
	if (!mt)
		return -1;
	if (bitfield && bitfield_window(spec->bit_offset, bit_sz, mt->size, &byte_off, &byte_sz))
		return -1;
	if (!bitfield) {
		int64_t sz = core_size(spec->btf, field_id);
		if (sz < 0)
			return -1;
		byte_sz = (uint32_t)sz;
		byte_off = spec->bit_offset / 8;
		bit_sz = byte_sz * 8;
	}
	/* the compiler and we may pick different windows for a bitfield */
	if (validate)
		*validate = !bitfield;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		o->val = byte_off;
		if (!bitfield) {
			o->size = byte_sz;
			o->type_id = field_id;
		}
		return 0;
	case BPF_CORE_FIELD_BYTE_SIZE:
		o->val = byte_sz;
		return 0;
	case BPF_CORE_FIELD_SIGNED:
		o->val = field_signed(mt);
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
		o->val = rb_btf_big_endian(spec->btf)
			       ? (8 - byte_sz) * 8 + (spec->bit_offset - byte_off * 8)
			       : 64 - (spec->bit_offset + bit_sz - byte_off * 8);
		return 0;
	case BPF_CORE_FIELD_RSHIFT_U64:
		o->val = 64 - bit_sz;
		break;
	default:
		return -1;
	}
	if (validate)
		*validate = true; /* signedness and right shift are never ambiguous */
	return 0;
}

static int calc_field(uint32_t kind, const struct core_spec *spec, struct side_out *o,
		      bool *validate)
{
	if (kind == BPF_CORE_FIELD_EXISTS) {
		o->val = spec != NULL;
		return 0;
	}
	if (!spec)
		return CALC_POISON;
	const struct core_acc *acc = &spec->acc[spec->len - 1];
	if (validate)
		*validate = true;
	if (!acc->name)
		return array_elem_field(kind, spec, acc, o);
	return member_field(kind, spec, acc, o, validate);
}

static int calc_type(uint32_t kind, const struct core_spec *spec, uint64_t *val, bool *validate)
{
	if (validate)
		*validate = true;
	if (!spec)
		return 0; /* type relocations answer 0 when the type is absent */
	switch (kind) {
	case BPF_CORE_TYPE_ID_TARGET:
	case BPF_CORE_TYPE_ID_LOCAL:
		*val = spec->root_id;
		if (validate) /* ids move when objects are linked: don't insist */
			*validate = false;
		return 0;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BPF_CORE_TYPE_SIZE: {
		int64_t sz = core_size(spec->btf, spec->root_id);
		if (sz < 0)
			return -1;
		*val = (uint64_t)sz;
		return 0;
	}
	default:
		return -1;
	}
}

static int calc_enumval(uint32_t kind, const struct core_spec *spec, uint64_t *val)
{
	if (kind == BPF_CORE_ENUMVAL_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (!spec)
		return CALC_POISON;
	const struct btf_type *t = rb_btf_type(spec->btf, spec->acc[0].type_id);
	*val = (uint64_t)rb_btf_enum_value(t, spec->acc[0].idx);
	return 0;
}

/* Loads may change size only where zero extension keeps the value: pointers
 * (32-bit kernels) and unsigned integers. */
static bool resize_is_safe(const struct core_spec *l, const struct core_spec *t,
			   const struct rb_core_res *res)
{
	const struct btf_type *lt = rb_btf_type(l->btf, res->orig_type_id);
	const struct btf_type *tt = rb_btf_type(t->btf, res->new_type_id);
	if (!lt || !tt)
		return false;
	if (rb_btf_kind(lt) == BTF_KIND_PTR && rb_btf_kind(tt) == BTF_KIND_PTR)
		return true;
	return rb_btf_kind(lt) == BTF_KIND_INT && rb_btf_kind(tt) == BTF_KIND_INT &&
	       !(BTF_INT_ENCODING(rb_btf_int_info(lt)) & BTF_INT_SIGNED) &&
	       !(BTF_INT_ENCODING(rb_btf_int_info(tt)) & BTF_INT_SIGNED);
}

/* One side's answer (spec NULL: no target type matched). */
static int calc_side(uint32_t kind, const struct core_spec *spec, struct side_out *o, bool *validate)
{
	*o = (struct side_out){0};
	if (core_kind_is_field(kind))
		return calc_field(kind, spec, o, validate);
	if (core_kind_is_type(kind))
		return calc_type(kind, spec, &o->val, validate);
	return calc_enumval(kind, spec, &o->val);
}

/* Both sides' values; targ NULL when no candidate matched. */
static int calc_res(const struct core_spec *local, const struct core_spec *targ,
		    struct rb_core_res *res)
{
	struct side_out lo, to = {0};
	res->validate = true;
	int r = calc_side(local->kind, local, &lo, &res->validate);
	if (!r)
		r = calc_side(local->kind, targ, &to, NULL);
	res->orig_val = lo.val, res->orig_sz = lo.size, res->orig_type_id = lo.type_id;
	res->new_val = to.val, res->new_sz = to.size, res->new_type_id = to.type_id;
	res->poison = r == CALC_POISON;
	res->fail_memsz_adjust = !r && res->orig_sz != res->new_sz && !resize_is_safe(local, targ, res);
	return res->poison ? 0 : r;
}

/* "struct task_struct.__state", "struct foo[2].arr[3]", "enum e::V" */
static void describe_spec(const struct core_spec *s, char *buf, size_t size)
{
	core_type_words(s->btf, s->root_id, buf, size);
	size_t n = strlen(buf);
	for (uint32_t i = 0; i < s->len && n < size; i++) {
		const struct core_acc *a = &s->acc[i];
		if (core_kind_is_enumval(s->kind))
			snprintf(buf + n, size - n, "::%s", a->name);
		else if (a->name)
			snprintf(buf + n, size - n, ".%s", a->name);
		else if (i > 0 || a->idx > 0)
			snprintf(buf + n, size - n, "[%u]", a->idx);
		n = strlen(buf);
	}
}

static int ambiguity(const struct core_spec *local, const struct rb_core_res *a,
		     const struct rb_core_res *b, const struct rb_core_cand *ca,
		     const struct rb_core_cand *cb, struct rb_err *err)
{
	char what[160];
	describe_spec(local, what, sizeof(what));
	return rb_input_errf(err, "CO-RE",
			     "%s (%s) is ambiguous: target types [%u] and [%u] of %s give "
			     "%s %llu and %s %llu; make the local type's name or fields more specific",
			     what, rb_core_kind_name(local->kind), ca->id, cb->id, rb_btf_label(ca->btf),
			     a->poison ? "failure" : "value", (unsigned long long)a->new_val,
			     b->poison ? "failure" : "value", (unsigned long long)b->new_val);
}

struct cand_pass {
	const struct core_spec *local;
	struct core_spec cand_spec, targ_spec;
	struct rb_core_res cand_res;
	int matched;
	const struct rb_core_cand *first;
	struct core_why why;
};

static int try_cand(struct cand_pass *p, const struct rb_core_cand *c, struct rb_core_res *res,
		    struct rb_err *err)
{
	int r = core_spec_match(p->local, c->btf, c->id, &p->cand_spec, &p->why);
	if (r < 0)
		return rb_input_errf(err, "CO-RE", "target type [%u] of %s is malformed or too deep", c->id,
				     rb_btf_label(c->btf));
	if (r == 0)
		return 0;
	if (calc_res(p->local, &p->cand_spec, &p->cand_res))
		return rb_input_errf(err, "CO-RE", "cannot compute %s for target type [%u]",
				     rb_core_kind_name(p->local->kind), c->id);
	if (p->matched++ == 0) {
		*res = p->cand_res;
		p->targ_spec = p->cand_spec;
		p->first = c;
		res->targ_btf = c->btf;
		res->targ_obj_fd = c->obj_fd;
		return 0;
	}
	if (p->cand_spec.bit_offset != p->targ_spec.bit_offset ||
	    p->cand_res.poison != res->poison || p->cand_res.new_val != res->new_val)
		return ambiguity(p->local, res, &p->cand_res, p->first, c, err);
	return 0;
}

static void explain_poison(const struct core_spec *local, int n_cands, struct rb_core_res *res)
{
	if (res->why[0])
		return;
	char what[160];
	if (n_cands == 0) {
		core_type_words(local->btf, local->root_id, what, sizeof(what));
		size_t ess = rb_core_essential_len(rb_btf_type_name(local->btf, local->root_id));
		char *sp = strchr(what, ' ');
		if (sp && strlen(sp + 1) > ess)
			sp[1 + ess] = 0; /* drop the ___flavour */
		snprintf(res->why, sizeof(res->why), "%s does not exist", what);
		return;
	}
	describe_spec(local, what, sizeof(what));
	snprintf(res->why, sizeof(res->why), "%s cannot be relocated (%s)", what,
		 res->fail_memsz_adjust ? "its size changed and it is signed or not an integer"
					: "no candidate matches");
}

/* The specs of one rb_core_calc: ~4 KiB, off the stack, in the targets' scratch. */
struct calc_scratch {
	struct core_spec local;
	struct cand_pass pass;
};

static int calc_with_cands(struct rb_core_targets *tg, const struct core_spec *local,
			   struct cand_pass *p, struct rb_core_res *res, struct rb_err *err)
{
	struct rb_core_cand *cands;
	int n = rb_core_find_cands(tg, local->btf, local->root_id, &cands, err);
	if (n < 0)
		return n;
	memset(p, 0, sizeof(*p));
	p->local = local;
	p->why = (struct core_why){.buf = res->why, .size = sizeof(res->why)};
	int r = 0;
	for (int i = 0; i < n && !r; i++)
		r = try_cand(p, &cands[i], res, err);
	if (!r && p->matched == 0 && calc_res(local, NULL, res))
		r = rb_input_errf(err, "CO-RE", "cannot compute %s", rb_core_kind_name(local->kind));
	if (!r && (res->poison || res->fail_memsz_adjust))
		explain_poison(local, n, res);
	else if (!r)
		res->why[0] = 0; /* reasons from candidates that did not match */
	free(cands);
	return r;
}

int rb_core_calc(struct rb_core_targets *tg, const struct rb_btf *local,
		 const struct bpf_core_relo *relo, struct rb_core_res *res, struct rb_err *err)
{
	memset(res, 0, sizeof(*res));
	struct calc_scratch *sc = core_targets_scratch(tg, sizeof(*sc));
	if (!sc)
		return rb_oom_errf(err, "CO-RE");
	int r = core_spec_parse(local, relo->type_id, rb_btf_str(local, relo->access_str_off),
				relo->kind, &sc->local, err);
	if (!r && relo->kind == BPF_CORE_TYPE_ID_LOCAL) {
		/* needs no target: the local id, as the linked object has it */
		res->orig_val = res->new_val = relo->type_id;
	} else if (!r) {
		r = calc_with_cands(tg, &sc->local, &sc->pass, res, err);
	}
	return r;
}
