/* BTF as text.  The raw listing follows bpftool's `btf dump` layout line for
 * line so scripts written against bpftool keep working; the C output is
 * below the raw listing. */
#include "elf/btf_dump.h"

#include <inttypes.h>
#include <string.h>

#include "common/buf.h"

static const char *name_or_anon(const struct rb_btf *btf, uint32_t off)
{
	const char *s = rb_btf_str(btf, off);
	return s && *s ? s : "(anon)";
}

static const char *int_encoding(uint32_t info)
{
	switch (BTF_INT_ENCODING(info)) {
	case 0: return "(none)";
	case BTF_INT_SIGNED: return "SIGNED";
	case BTF_INT_CHAR: return "CHAR";
	case BTF_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

static const char *func_linkage(uint32_t vlen)
{
	static const char *const names[] = {"static", "global", "extern"};
	return vlen < RB_ARRAY_SIZE(names) ? names[vlen] : "(unknown)";
}

static const char *var_linkage(uint32_t linkage)
{
	static const char *const names[] = {"static", "global", "extern"};
	return linkage < RB_ARRAY_SIZE(names) ? names[linkage] : "(unknown)";
}

/* --- raw text -------------------------------------------------------------------------- */

static void raw_members(const struct rb_btf *btf, const struct btf_type *t, FILE *out)
{
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_member *m = &rb_btf_members(t)[i];
		fprintf(out, "\n\t'%s' type_id=%u bits_offset=%u", name_or_anon(btf, m->name_off), m->type,
			rb_btf_member_bit_offset(t, i));
		if (rb_btf_member_bitfield_size(t, i))
			fprintf(out, " bitfield_size=%u", rb_btf_member_bitfield_size(t, i));
	}
}

static void raw_enum(const struct rb_btf *btf, const struct btf_type *t, FILE *out)
{
	bool sign = rb_btf_kflag(t);
	fprintf(out, " encoding=%s size=%u vlen=%u", sign ? "SIGNED" : "UNSIGNED", t->size, rb_btf_vlen(t));
	/* bpftool marks 64-bit enumerators with a C suffix. */
	bool wide = rb_btf_kind(t) == BTF_KIND_ENUM64;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		int64_t v = rb_btf_enum_value(t, i);
		if (sign)
			fprintf(out, "\n\t'%s' val=%" PRId64 "%s", rb_btf_enum_name(btf, t, i), v, wide ? "LL" : "");
		else
			fprintf(out, "\n\t'%s' val=%" PRIu64 "%s", rb_btf_enum_name(btf, t, i), (uint64_t)v,
				wide ? "ULL" : "");
	}
}

static void raw_proto(const struct rb_btf *btf, const struct btf_type *t, FILE *out)
{
	fprintf(out, " ret_type_id=%u vlen=%u", t->type, rb_btf_vlen(t));
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_param *p = &rb_btf_params(t)[i];
		fprintf(out, "\n\t'%s' type_id=%u", name_or_anon(btf, p->name_off), p->type);
	}
}

static void raw_datasec(const struct rb_btf *btf, const struct btf_type *t, FILE *out)
{
	fprintf(out, " size=%u vlen=%u", t->size, rb_btf_vlen(t));
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_var_secinfo *v = &rb_btf_secinfos(t)[i];
		const struct btf_type *vt = rb_btf_type(btf, v->type);
		fprintf(out, "\n\ttype_id=%u offset=%u size=%u", v->type, v->offset, v->size);
		if (vt && v->type)
			fprintf(out, " (%s '%s')", rb_btf_kind_upper(rb_btf_kind(vt)),
				name_or_anon(btf, vt->name_off));
	}
}

static void raw_body(const struct rb_btf *btf, const struct btf_type *t, FILE *out)
{
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t info = rb_btf_int_info(t);
		fprintf(out, " size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size, BTF_INT_OFFSET(info),
			BTF_INT_BITS(info), int_encoding(info));
		break;
	}
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		fprintf(out, " type_id=%u", t->type);
		break;
	case BTF_KIND_ARRAY:
		fprintf(out, " type_id=%u index_type_id=%u nr_elems=%u", rb_btf_array(t)->type,
			rb_btf_array(t)->index_type, rb_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		fprintf(out, " size=%u vlen=%u", t->size, rb_btf_vlen(t));
		raw_members(btf, t, out);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		raw_enum(btf, t, out);
		break;
	case BTF_KIND_FWD:
		fprintf(out, " fwd_kind=%s", rb_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		fprintf(out, " type_id=%u linkage=%s", t->type, func_linkage(rb_btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		raw_proto(btf, t, out);
		break;
	case BTF_KIND_VAR:
		fprintf(out, " type_id=%u, linkage=%s", t->type, var_linkage(rb_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		raw_datasec(btf, t, out);
		break;
	case BTF_KIND_FLOAT:
		fprintf(out, " size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		fprintf(out, " type_id=%u component_idx=%d", t->type, rb_btf_decl_tag(t)->component_idx);
		break;
	default:
		break;
	}
}

int rb_btf_dump_raw_type(const struct rb_btf *btf, uint32_t id, FILE *out, struct rb_err *err)
{
	const struct btf_type *t = rb_btf_type(btf, id);
	if (!t || id == 0)
		return rb_errf(err, RB_EUSAGE, "%s: no BTF type id %u (ids go from 1 to %u)", rb_btf_label(btf), id,
			       rb_btf_type_cnt(btf) - 1);
	fprintf(out, "[%u] %s '%s'", id, rb_btf_kind_upper(rb_btf_kind(t)), name_or_anon(btf, t->name_off));
	raw_body(btf, t, out);
	fputc('\n', out);
	return 0;
}

int rb_btf_dump_raw(const struct rb_btf *btf, FILE *out, struct rb_err *err)
{
	for (uint32_t id = rb_btf_start_id(btf); id < rb_btf_type_cnt(btf); id++) {
		int r = rb_btf_dump_raw_type(btf, id, out, err);
		if (r < 0)
			return r;
	}
	if (ferror(out))
		return rb_errf(err, RB_ESYS, "writing the BTF listing failed");
	return 0;
}

/* --- JSON ----------------------------------------------------------------------------------- */

static void json_members(const struct rb_btf *btf, const struct btf_type *t, struct rb_json *j)
{
	rb_json_key(j, "members");
	rb_json_arr_begin(j);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_member *m = &rb_btf_members(t)[i];
		rb_json_obj_begin(j);
		rb_json_kstr(j, "name", name_or_anon(btf, m->name_off));
		rb_json_ku64(j, "type_id", m->type);
		rb_json_ku64(j, "bits_offset", rb_btf_member_bit_offset(t, i));
		if (rb_btf_member_bitfield_size(t, i))
			rb_json_ku64(j, "bitfield_size", rb_btf_member_bitfield_size(t, i));
		rb_json_obj_end(j);
	}
	rb_json_arr_end(j);
}

static void json_enum(const struct rb_btf *btf, const struct btf_type *t, struct rb_json *j)
{
	rb_json_kstr(j, "encoding", rb_btf_kflag(t) ? "SIGNED" : "UNSIGNED");
	rb_json_ku64(j, "size", t->size);
	rb_json_ku64(j, "vlen", rb_btf_vlen(t));
	rb_json_key(j, "values");
	rb_json_arr_begin(j);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		rb_json_obj_begin(j);
		rb_json_kstr(j, "name", rb_btf_enum_name(btf, t, i));
		if (rb_btf_kflag(t))
			rb_json_ki64(j, "val", rb_btf_enum_value(t, i));
		else
			rb_json_ku64(j, "val", (uint64_t)rb_btf_enum_value(t, i));
		rb_json_obj_end(j);
	}
	rb_json_arr_end(j);
}

static void json_proto(const struct rb_btf *btf, const struct btf_type *t, struct rb_json *j)
{
	rb_json_ku64(j, "ret_type_id", t->type);
	rb_json_ku64(j, "vlen", rb_btf_vlen(t));
	rb_json_key(j, "params");
	rb_json_arr_begin(j);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		rb_json_obj_begin(j);
		rb_json_kstr(j, "name", name_or_anon(btf, rb_btf_params(t)[i].name_off));
		rb_json_ku64(j, "type_id", rb_btf_params(t)[i].type);
		rb_json_obj_end(j);
	}
	rb_json_arr_end(j);
}

static void json_datasec(const struct btf_type *t, struct rb_json *j)
{
	rb_json_ku64(j, "size", t->size);
	rb_json_ku64(j, "vlen", rb_btf_vlen(t));
	rb_json_key(j, "vars");
	rb_json_arr_begin(j);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_var_secinfo *v = &rb_btf_secinfos(t)[i];
		rb_json_obj_begin(j);
		rb_json_ku64(j, "type_id", v->type);
		rb_json_ku64(j, "offset", v->offset);
		rb_json_ku64(j, "size", v->size);
		rb_json_obj_end(j);
	}
	rb_json_arr_end(j);
}

static void json_body(const struct rb_btf *btf, const struct btf_type *t, struct rb_json *j)
{
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT:
		rb_json_ku64(j, "size", t->size);
		rb_json_ku64(j, "bits_offset", BTF_INT_OFFSET(rb_btf_int_info(t)));
		rb_json_ku64(j, "nr_bits", BTF_INT_BITS(rb_btf_int_info(t)));
		rb_json_kstr(j, "encoding", int_encoding(rb_btf_int_info(t)));
		break;
	case BTF_KIND_ARRAY:
		rb_json_ku64(j, "type_id", rb_btf_array(t)->type);
		rb_json_ku64(j, "index_type_id", rb_btf_array(t)->index_type);
		rb_json_ku64(j, "nr_elems", rb_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		rb_json_ku64(j, "size", t->size);
		rb_json_ku64(j, "vlen", rb_btf_vlen(t));
		json_members(btf, t, j);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		json_enum(btf, t, j);
		break;
	case BTF_KIND_FWD:
		rb_json_kstr(j, "fwd_kind", rb_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		rb_json_ku64(j, "type_id", t->type);
		rb_json_kstr(j, "linkage", func_linkage(rb_btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		json_proto(btf, t, j);
		break;
	case BTF_KIND_VAR:
		rb_json_ku64(j, "type_id", t->type);
		rb_json_kstr(j, "linkage", var_linkage(rb_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		json_datasec(t, j);
		break;
	case BTF_KIND_FLOAT:
		rb_json_ku64(j, "size", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		rb_json_ku64(j, "type_id", t->type);
		rb_json_ki64(j, "component_idx", rb_btf_decl_tag(t)->component_idx);
		break;
	default: /* PTR, CONST, VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG */
		rb_json_ku64(j, "type_id", t->type);
		break;
	}
}

int rb_btf_dump_json(const struct rb_btf *btf, struct rb_json *j, struct rb_err *err)
{
	(void)err;
	rb_json_obj_begin(j);
	rb_json_key(j, "types");
	rb_json_arr_begin(j);
	for (uint32_t id = rb_btf_start_id(btf); id < rb_btf_type_cnt(btf); id++) {
		const struct btf_type *t = rb_btf_type(btf, id);
		rb_json_obj_begin(j);
		rb_json_ku64(j, "id", id);
		rb_json_kstr(j, "kind", rb_btf_kind_upper(rb_btf_kind(t)));
		rb_json_kstr(j, "name", name_or_anon(btf, t->name_off));
		json_body(btf, t, j);
		rb_json_obj_end(j);
	}
	rb_json_arr_end(j);
	rb_json_obj_end(j);
	return 0;
}
