/* Type compatibility between a local and a target BTF, three flavours as in
 * libbpf: loose for fields (any ints, any pointers), structural for type
 * existence/size/id relocations, strict ("matches") for TYPE_MATCHES. */
#include <string.h>

#include "elf/core/core_int.h"

static bool any_enum(uint32_t kind)
{
	return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64;
}

static bool composite(uint32_t kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

/* Deprecated bitfield-like ints (non-zero BTF_INT_OFFSET) never match. */
static bool plain_ints(const struct btf_type *a, const struct btf_type *b)
{
	return BTF_INT_OFFSET(rb_btf_int_info(a)) == 0 && BTF_INT_OFFSET(rb_btf_int_info(b)) == 0;
}

static bool essential_names_equal(const char *a, const char *b)
{
	size_t la = rb_core_essential_len(a), lb = rb_core_essential_len(b);
	return la == lb && strncmp(a, b, la) == 0;
}

/* Anonymous on either side, or the same name without flavours. */
static bool names_compat(const struct rb_btf *lb, const struct btf_type *lt,
			 const struct rb_btf *tb, const struct btf_type *tt)
{
	const char *ln = rb_btf_str(lb, lt->name_off), *tn = rb_btf_str(tb, tt->name_off);
	if (!ln || !tn)
		return false;
	return !rb_core_essential_len(ln) || !rb_core_essential_len(tn) || essential_names_equal(ln, tn);
}

static int protos_compat(const struct rb_btf *lb, const struct btf_type *lt,
			 const struct rb_btf *tb, const struct btf_type *tt, int depth)
{
	if (rb_btf_vlen(lt) != rb_btf_vlen(tt))
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(lt); i++) {
		int r = core_types_compat(lb, rb_btf_params(lt)[i].type, tb, rb_btf_params(tt)[i].type,
					  depth - 1, false);
		if (r <= 0)
			return r;
	}
	return core_types_compat(lb, lt->type, tb, tt->type, depth - 1, false);
}

/* The field flavour differs in four places: any two structs/unions are
 * compatible, pointers are not followed, enums and forward declarations
 * need the same name, and void and prototypes never fit. */
int core_types_compat(const struct rb_btf *lb, uint32_t lid, const struct rb_btf *tb, uint32_t tid,
		      int depth, bool field)
{
	for (; depth > 0; depth--) {
		const struct btf_type *lt = rb_btf_resolve(lb, lid, &lid);
		const struct btf_type *tt = rb_btf_resolve(tb, tid, &tid);
		if (!lt || !tt)
			return -1;
		if (field && composite(rb_btf_kind(lt)) && composite(rb_btf_kind(tt)))
			return 1;
		if (!rb_core_kinds_compat(lt, tt))
			return 0;
		switch (rb_btf_kind(lt)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_UNKN:
			return !field;
		case BTF_KIND_FWD: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			return !field || names_compat(lb, lt, tb, tt);
		case BTF_KIND_INT:
			return plain_ints(lt, tt);
		case BTF_KIND_PTR:
			if (field)
				return 1;
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = rb_btf_array(lt)->type;
			tid = rb_btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			return field ? 0 : protos_compat(lb, lt, tb, tt, depth);
		default:
			return 0;
		}
	}
	return -1;
}

/* --- TYPE_MATCHES ----------------------------------------------------------------- */

static bool names_match(const struct rb_btf *lb, uint32_t loff, const struct rb_btf *tb,
			uint32_t toff)
{
	const char *ln = rb_btf_str(lb, loff), *tn = rb_btf_str(tb, toff);
	return ln && tn && essential_names_equal(ln, tn);
}

/* Same size, and every local enumerator name exists in the target. */
static int enums_match(const struct rb_btf *lb, const struct btf_type *lt, const struct rb_btf *tb,
		       const struct btf_type *tt)
{
	if (lt->size != tt->size || rb_btf_vlen(lt) > rb_btf_vlen(tt))
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(lt); i++) {
		bool found = false;
		for (uint32_t j = 0; j < rb_btf_vlen(tt) && !found; j++)
			found = essential_names_equal(rb_btf_enum_name(lb, lt, i), rb_btf_enum_name(tb, tt, j));
		if (!found)
			return 0;
	}
	return 1;
}

/* Every local member has a same-named target member of a matching type. */
static int composites_match(const struct rb_btf *lb, const struct btf_type *lt,
			    const struct rb_btf *tb, const struct btf_type *tt, int depth)
{
	if (rb_btf_vlen(lt) > rb_btf_vlen(tt))
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(lt); i++) {
		const struct btf_member *lm = rb_btf_members(lt) + i;
		int matched = 0;
		for (uint32_t j = 0; j < rb_btf_vlen(tt) && !matched; j++) {
			const struct btf_member *tm = rb_btf_members(tt) + j;
			if (!names_match(lb, lm->name_off, tb, tm->name_off))
				continue;
			matched = core_types_match(lb, lm->type, tb, tm->type, false, depth - 1);
			if (matched < 0)
				return matched;
		}
		if (!matched)
			return 0;
	}
	return 1;
}

/* Behind a pointer a forward declaration matches the struct/union it names. */
static int fwd_or_composite_match(const struct btf_type *lt, const struct btf_type *tt,
				  bool behind_ptr)
{
	uint32_t lk = rb_btf_kind(lt), tk = rb_btf_kind(tt);
	bool l_union = lk == BTF_KIND_UNION || (lk == BTF_KIND_FWD && rb_btf_kflag(lt));
	bool t_union = tk == BTF_KIND_UNION || (tk == BTF_KIND_FWD && rb_btf_kflag(tt));
	if (lk == tk)
		return lk != BTF_KIND_FWD || l_union == t_union;
	if (!behind_ptr || (tk != BTF_KIND_FWD && lk != BTF_KIND_FWD))
		return 0;
	if (!composite(tk) && tk != BTF_KIND_FWD)
		return 0;
	return l_union == t_union;
}

static int protos_match(const struct rb_btf *lb, const struct btf_type *lt,
			const struct rb_btf *tb, const struct btf_type *tt, bool behind_ptr, int depth)
{
	if (rb_btf_vlen(lt) != rb_btf_vlen(tt))
		return 0;
	for (uint32_t i = 0; i < rb_btf_vlen(lt); i++) {
		int r = core_types_match(lb, rb_btf_params(lt)[i].type, tb, rb_btf_params(tt)[i].type,
					 behind_ptr, depth - 1);
		if (r <= 0)
			return r;
	}
	return core_types_match(lb, lt->type, tb, tt->type, behind_ptr, depth - 1);
}

static int ints_match(const struct btf_type *lt, const struct btf_type *tt)
{
	bool ls = BTF_INT_ENCODING(rb_btf_int_info(lt)) & BTF_INT_SIGNED;
	bool ts = BTF_INT_ENCODING(rb_btf_int_info(tt)) & BTF_INT_SIGNED;
	return lt->size == tt->size && ls == ts;
}

int core_types_match(const struct rb_btf *lb, uint32_t lid, const struct rb_btf *tb, uint32_t tid,
		     bool behind_ptr, int depth)
{
	for (; depth > 0; depth--) {
		const struct btf_type *lt = rb_btf_resolve(lb, lid, &lid);
		const struct btf_type *tt = rb_btf_resolve(tb, tid, &tid);
		if (!lt || !tt)
			return -1;
		if (!names_match(lb, lt->name_off, tb, tt->name_off))
			return 0;
		uint32_t lk = rb_btf_kind(lt), tk = rb_btf_kind(tt);
		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD:
			return fwd_or_composite_match(lt, tt, behind_ptr);
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			if (behind_ptr || lk != tk)
				return fwd_or_composite_match(lt, tt, behind_ptr);
			return composites_match(lb, lt, tb, tt, depth);
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			return any_enum(tk) ? enums_match(lb, lt, tb, tt) : 0;
		case BTF_KIND_INT:
			return lk == tk && ints_match(lt, tt);
		case BTF_KIND_FLOAT:
			return lk == tk && lt->size == tt->size;
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			if (lk != tk || rb_btf_array(lt)->nelems != rb_btf_array(tt)->nelems)
				return 0;
			lid = rb_btf_array(lt)->type;
			tid = rb_btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			return lk == tk ? protos_match(lb, lt, tb, tt, behind_ptr, depth) : 0;
		default:
			return 0;
		}
	}
	return -1;
}

int rb_core_types_compat(const struct rb_btf *local, uint32_t local_id, const struct rb_btf *targ,
			 uint32_t targ_id)
{
	return core_types_compat(local, local_id, targ, targ_id, RB_BTF_MAX_CHAIN, false);
}
