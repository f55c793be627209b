/* BTF as text.  The raw listing follows bpftool's `btf dump` layout line for
 * line so scripts written against bpftool keep working; the C output is
 * below the raw listing. */
#include "elf/btf_dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"

static const char *name_or_anon(const struct rb_btf *btf, uint32_t off)
{
	const char *s = rb_btf_str(btf, off);
	return s && *s ? s : "(anon)";
}

/* By encoding: none, SIGNED (1), CHAR (2), BOOL (4); bpftool says UNKN for
 * the rest (3 = SIGNED|CHAR included). */
static const char *int_encoding(uint32_t info)
{
	_Static_assert(BTF_INT_SIGNED == 1 && BTF_INT_CHAR == 2 && BTF_INT_BOOL == 4, "encodings");
	const char *n = rb_strtab_at("(none)\0SIGNED\0CHAR\0UNKN\0BOOL\0", BTF_INT_ENCODING(info));
	return n ? n : "UNKN";
}

static const char *linkage_name(uint32_t linkage)
{
	const char *n = rb_strtab_at("static\0global\0extern\0", linkage);
	return n ? n : "(unknown)";
}

/* --- raw text and JSON ------------------------------------------------------------------
 * One walk over a type's fields writes both forms: raw as bpftool's
 * " key=value" runs with "\n\t'name'" item lines, JSON as objects and arrays. */

struct dumper {
	const struct rb_btf *btf;
	FILE *out;            /* raw, or NULL */
	struct rb_json *j;    /* JSON, or NULL */
	bool line_start;      /* raw: just after "\n\t": no space before a field */
};

static void field_key(struct dumper *d, const char *key)
{
	if (d->j)
		rb_json_key(d->j, key);
	else
		fprintf(d->out, "%s%s=", d->line_start ? "" : " ", key);
	d->line_start = false;
}

static void field_u(struct dumper *d, const char *key, uint64_t v)
{
	field_key(d, key);
	if (d->j)
		rb_json_u64(d->j, v);
	else
		fprintf(d->out, "%" PRIu64, v);
}

static void field_i(struct dumper *d, const char *key, int64_t v)
{
	field_key(d, key);
	if (d->j)
		rb_json_i64(d->j, v);
	else
		fprintf(d->out, "%" PRId64, v);
}

static void field_s(struct dumper *d, const char *key, const char *v)
{
	field_key(d, key);
	if (d->j)
		rb_json_str(d->j, v);
	else
		fputs(v, d->out);
}

static void list_begin(struct dumper *d, const char *key)
{
	if (d->j) {
		rb_json_key(d->j, key);
		rb_json_arr_begin(d->j);
	}
}

static void list_end(struct dumper *d)
{
	if (d->j)
		rb_json_arr_end(d->j);
}

/* An item of a list; name NULL for datasec variables, which have none. */
static void item_begin(struct dumper *d, const char *name)
{
	if (d->j) {
		rb_json_obj_begin(d->j);
		if (name)
			rb_json_kstr(d->j, "name", name);
		return;
	}
	fputs("\n\t", d->out);
	if (name)
		fprintf(d->out, "'%s'", name);
	d->line_start = !name;
}

static void item_end(struct dumper *d)
{
	if (d->j)
		rb_json_obj_end(d->j);
}

static void size_vlen(struct dumper *d, const struct btf_type *t)
{
	field_u(d, "size", t->size);
	field_u(d, "vlen", rb_btf_vlen(t));
}

static void dump_members(struct dumper *d, const struct btf_type *t)
{
	size_vlen(d, t);
	list_begin(d, "members");
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_member *m = &rb_btf_members(t)[i];
		item_begin(d, name_or_anon(d->btf, m->name_off));
		field_u(d, "type_id", m->type);
		field_u(d, "bits_offset", rb_btf_member_bit_offset(t, i));
		if (rb_btf_member_bitfield_size(t, i))
			field_u(d, "bitfield_size", rb_btf_member_bitfield_size(t, i));
		item_end(d);
	}
	list_end(d);
}

static void dump_enum(struct dumper *d, const struct btf_type *t)
{
	bool sign = rb_btf_kflag(t);
	field_s(d, "encoding", sign ? "SIGNED" : "UNSIGNED");
	size_vlen(d, t);
	list_begin(d, "values");
	/* bpftool marks 64-bit enumerators with a C suffix (raw only). */
	bool wide = rb_btf_kind(t) == BTF_KIND_ENUM64 && !d->j;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		int64_t v = rb_btf_enum_value(t, i);
		item_begin(d, rb_btf_enum_name(d->btf, t, i));
		if (sign)
			field_i(d, "val", v);
		else
			field_u(d, "val", (uint64_t)v);
		if (wide)
			fputs(sign ? "LL" : "ULL", d->out);
		item_end(d);
	}
	list_end(d);
}

static void dump_proto(struct dumper *d, const struct btf_type *t)
{
	field_u(d, "ret_type_id", t->type);
	field_u(d, "vlen", rb_btf_vlen(t));
	list_begin(d, "params");
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_param *p = &rb_btf_params(t)[i];
		item_begin(d, name_or_anon(d->btf, p->name_off));
		field_u(d, "type_id", p->type);
		item_end(d);
	}
	list_end(d);
}

static void dump_datasec(struct dumper *d, const struct btf_type *t)
{
	size_vlen(d, t);
	list_begin(d, "vars");
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_var_secinfo *v = &rb_btf_secinfos(t)[i];
		const struct btf_type *vt = rb_btf_type(d->btf, v->type);
		item_begin(d, NULL);
		field_u(d, "type_id", v->type);
		field_u(d, "offset", v->offset);
		field_u(d, "size", v->size);
		char kind[RB_BTF_KIND_NAME_MAX];
		if (!d->j && vt && v->type)
			fprintf(d->out, " (%s '%s')", rb_btf_kind_upper(rb_btf_kind(vt), kind),
				name_or_anon(d->btf, vt->name_off));
		item_end(d);
	}
	list_end(d);
}

static void dump_body(struct dumper *d, const struct btf_type *t)
{
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t info = rb_btf_int_info(t);
		field_u(d, "size", t->size);
		field_u(d, "bits_offset", BTF_INT_OFFSET(info));
		field_u(d, "nr_bits", BTF_INT_BITS(info));
		field_s(d, "encoding", int_encoding(info));
		break;
	}
	case BTF_KIND_ARRAY:
		field_u(d, "type_id", rb_btf_array(t)->type);
		field_u(d, "index_type_id", rb_btf_array(t)->index_type);
		field_u(d, "nr_elems", rb_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		dump_members(d, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		dump_enum(d, t);
		break;
	case BTF_KIND_FWD:
		field_s(d, "fwd_kind", rb_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		field_u(d, "type_id", t->type);
		field_s(d, "linkage", linkage_name(rb_btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		dump_proto(d, t);
		break;
	case BTF_KIND_VAR:
		field_u(d, "type_id", t->type);
		if (!d->j)
			fputc(',', d->out);  /* bpftool's "type_id=N, linkage=..." */
		field_s(d, "linkage", linkage_name(rb_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		dump_datasec(d, t);
		break;
	case BTF_KIND_FLOAT:
		field_u(d, "size", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		field_u(d, "type_id", t->type);
		field_i(d, "component_idx", rb_btf_decl_tag(t)->component_idx);
		break;
	default: /* PTR, CONST, VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG */
		field_u(d, "type_id", t->type);
		break;
	}
}

int rb_btf_dump_raw_type(const struct rb_btf *btf, uint32_t id, FILE *out, struct rb_err *err)
{
	const struct btf_type *t = rb_btf_type(btf, id);
	if (!t || id == 0)
		return rb_errf(err, RB_EUSAGE, "%s: no BTF type id %u (ids go from 1 to %u)", rb_btf_label(btf), id,
			       rb_btf_type_cnt(btf) - 1);
	struct dumper d = {.btf = btf, .out = out};
	char kind[RB_BTF_KIND_NAME_MAX];
	fprintf(out, "[%u] %s '%s'", id, rb_btf_kind_upper(rb_btf_kind(t), kind), name_or_anon(btf, t->name_off));
	dump_body(&d, t);
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

int rb_btf_dump_json(const struct rb_btf *btf, struct rb_json *j, struct rb_err *err)
{
	(void)err;
	struct dumper d = {.btf = btf, .j = j};
	rb_json_obj_begin(j);
	list_begin(&d, "types");
	for (uint32_t id = rb_btf_start_id(btf); id < rb_btf_type_cnt(btf); id++) {
		const struct btf_type *t = rb_btf_type(btf, id);
		char kind[RB_BTF_KIND_NAME_MAX];
		rb_json_obj_begin(j);
		rb_json_ku64(j, "id", id);
		rb_json_kstr(j, "kind", rb_btf_kind_upper(rb_btf_kind(t), kind));
		rb_json_kstr(j, "name", name_or_anon(btf, t->name_off));
		dump_body(&d, t);
		rb_json_obj_end(j);
	}
	list_end(&d);
	rb_json_obj_end(j);
	return 0;
}

/* --- C declarations -------------------------------------------------------------------------
 * Every named struct/union is forward-declared first, so only what is used
 * by value (or is a typedef/enum, which C cannot forward-declare) has to be
 * emitted before its user: a depth-first walk over those "strong" uses. */

#define C_MAX_DEPTH 64

enum { C_NONE, C_VISITING, C_DONE };

struct cdump {
	const struct rb_btf *btf;
	uint8_t *state;   /* per type id */
	struct rb_buf out;
	bool too_deep;
	/* Anonymous types are written inline at each use; hostile BTF can nest
	 * them into an exponential tree, so the walk has a step budget. */
	uint64_t steps, max_steps;
	uint8_t *align;   /* per type id: natural alignment, 0 = not yet known */
	/* Enumerator names already emitted (C has one namespace for them):
	 * pointers into the BTF strings, open addressing. */
	const char **enumerators;
	uint32_t enum_mask;
};

static void c_decl(struct cdump *c, uint32_t id, const char *name, int indent, int depth,
		   struct rb_buf *out);
static void c_emit_named(struct cdump *c, uint32_t id, int depth);
static bool c_over_budget(struct cdump *c);

static void tabs(struct rb_buf *b, int n)
{
	for (int i = 0; i < n; i++)
		rb_buf_append(b, "\t", 1);
}

static const char *c_name(const struct rb_btf *btf, uint32_t id)
{
	const char *n = rb_btf_type_name(btf, id);
	return n ? n : "";
}

/* Kernel BTF has distinct types sharing a name (two 'struct dir_entry' from
 * different files); all but the first get "___<id>" so the C compiles. */
static bool c_is_dup(const struct rb_btf *btf, uint32_t id)
{
	const char *n = c_name(btf, id);
	uint32_t k = rb_btf_kind(rb_btf_type(btf, id));
	if (!*n || k == BTF_KIND_FWD)
		return false;
	if (k == BTF_KIND_TYPEDEF)
		return rb_btf_find(btf, n, BTF_KIND_TYPEDEF) != id;
	static const uint8_t tags[] = {BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_ENUM, BTF_KIND_ENUM64};
	uint32_t first = UINT32_MAX;
	for (size_t i = 0; i < RB_ARRAY_SIZE(tags); i++) {
		uint32_t f = rb_btf_find(btf, n, tags[i]);
		if (f && f < first)
			first = f;
	}
	return first != id;
}

static void c_put_name(const struct cdump *c, uint32_t id, struct rb_buf *out)
{
	rb_buf_printf(out, "%s", c_name(c->btf, id));
	if (c_is_dup(c->btf, id))
		rb_buf_printf(out, "___%u", id);
}

/* "struct foo", "union bar___12", "enum baz": a tag keyword and the name. */
static void c_tag(const struct cdump *c, const char *kw, uint32_t id, struct rb_buf *out)
{
	rb_buf_printf(out, "%s ", kw);
	c_put_name(c, id, out);
}

static const char *c_record_kw(bool is_union)
{
	return is_union ? "union" : "struct";
}

/* The "kw [name ]{\n" that opens a written-out struct, union or enum. */
static void c_open(const struct cdump *c, const char *kw, uint32_t id, struct rb_buf *out)
{
	if (*c_name(c->btf, id)) {
		c_tag(c, kw, id, out);
		rb_buf_append(out, " {\n", 3);
	} else {
		rb_buf_printf(out, "%s {\n", kw);
	}
}

static void c_close(struct rb_buf *out, int indent, bool packed)
{
	tabs(out, indent);
	rb_buf_append(out, packed ? "} __attribute__((packed))" : "}", packed ? 25 : 1);
}

/* Returns true when name was new (and records it). */
static bool enumerator_new(struct cdump *c, const char *name)
{
	uint32_t i = rb_btf_name_hash(name, SIZE_MAX) & c->enum_mask;
	for (; c->enumerators[i]; i = (i + 1) & c->enum_mask)
		if (strcmp(c->enumerators[i], name) == 0)
			return false;
	c->enumerators[i] = name;
	return true;
}

/* --- layout: C must reproduce BTF's offsets and sizes -----------------------------------
 * The compiler places each member at its natural position; where BTF says
 * otherwise the output gets explicit padding (anonymous bitfields, which do
 * not change a struct's alignment) or __attribute__((packed)). */

#define ALIGN_BUSY 0xff

static uint32_t c_align(struct cdump *c, uint32_t id, int depth);

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static uint64_t c_size(const struct cdump *c, uint32_t id)
{
	uint64_t size = 0;
	rb_btf_type_size(c->btf, id, &size, NULL);
	return size;
}

static uint32_t c_members_align(struct cdump *c, const struct btf_type *t, int depth)
{
	uint32_t align = 1;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		uint32_t a = c_align(c, rb_btf_members(t)[i].type, depth + 1);
		align = a > align ? a : align;
	}
	return align;
}

static bool c_is_packed(struct cdump *c, const struct btf_type *t, int depth)
{
	if (t->size % c_members_align(c, t, depth))
		return true;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++)
		if (!rb_btf_member_bitfield_size(t, i) &&
		    rb_btf_member_bit_offset(t, i) % (8 * c_align(c, rb_btf_members(t)[i].type, depth + 1)))
			return true;
	return false;
}

/* Natural alignment in bytes, memoized per id (BUSY breaks by-value cycles). */
static uint32_t c_align(struct cdump *c, uint32_t id, int depth)
{
	uint32_t rid = 0;
	const struct btf_type *t = rb_btf_resolve(c->btf, id, &rid);
	if (!t || rid == 0 || depth > C_MAX_DEPTH || c->align[rid] == ALIGN_BUSY)
		return 1;
	if (c->align[rid])
		return c->align[rid];
	uint32_t a = 1;
	c->align[rid] = ALIGN_BUSY;
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		a = t->size >= 8 ? 8 : t->size ? t->size : 1;
		break;
	case BTF_KIND_PTR:
		a = 8;
		break;
	case BTF_KIND_ARRAY:
		a = c_align(c, rb_btf_array(t)->type, depth + 1);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		a = c_is_packed(c, t, depth) ? 1 : c_members_align(c, t, depth);
		break;
	default:
		break;
	}
	c->align[rid] = (uint8_t)a;
	return a;
}

/* Fills bits [cur, next) with anonymous bitfields, each aligned to its own
 * unit so the compiler puts it exactly there. */
static void c_pad(struct cdump *c, struct rb_buf *out, int indent, uint64_t cur, uint64_t next)
{
	static const char units[] = "long\0int\0short\0char\0"; /* 64 >> i bits */
	while (cur < next && !c_over_budget(c)) {
		const char *type = "char";
		uint64_t bits = cur % 8 ? 8 - cur % 8 : 0;
		for (size_t i = 0; !bits && i < 4; i++)
			if (cur % (64u >> i) == 0 && next - cur >= (64u >> i)) {
				type = rb_strtab_at(units, i);
				bits = 64u >> i;
			}
		bits = bits && bits <= next - cur ? bits : next - cur;
		tabs(out, indent);
		rb_buf_printf(out, "%s: %u;\n", type, (unsigned)bits);
		cur += bits;
	}
}

/* Where the compiler would put member i if nothing forced it. */
static uint64_t c_natural_pos(struct cdump *c, const struct btf_type *t, uint32_t i, uint64_t cur, bool packed,
			      int depth)
{
	uint32_t bf = rb_btf_member_bitfield_size(t, i);
	uint32_t type = rb_btf_members(t)[i].type;
	if (bf) {
		uint64_t unit = 8 * c_size(c, type);
		bool fits = packed || unit == 0 || cur / unit == (cur + bf - 1) / unit;
		return fits ? cur : round_up(cur, unit);
	}
	return round_up(cur, packed ? 8 : 8 * (uint64_t)c_align(c, type, depth + 1));
}

static void c_struct_body(struct cdump *c, const struct btf_type *t, uint32_t id, int indent, int depth,
			  struct rb_buf *out)
{
	bool is_union = rb_btf_kind(t) == BTF_KIND_UNION;
	bool packed = c_is_packed(c, t, depth);
	c_open(c, c_record_kw(is_union), id, out);
	uint64_t cur = 0;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_member *m = &rb_btf_members(t)[i];
		const char *mn = rb_btf_str(c->btf, m->name_off);
		uint64_t off = rb_btf_member_bit_offset(t, i);
		uint32_t bf = rb_btf_member_bitfield_size(t, i);
		if (!is_union && off > c_natural_pos(c, t, i, cur, packed, depth))
			c_pad(c, out, indent + 1, cur, off);
		tabs(out, indent + 1);
		c_decl(c, m->type, mn ? mn : "", indent + 1, depth + 1, out);
		if (bf)
			rb_buf_printf(out, ": %u", bf);
		rb_buf_append(out, ";\n", 2);
		if (!is_union)
			cur = off + (bf ? bf : 8 * c_size(c, m->type));
	}
	uint64_t end = round_up(cur, 8 * (uint64_t)(packed ? 1 : c_members_align(c, t, depth)));
	if (!is_union && 8ull * t->size > end)
		c_pad(c, out, indent + 1, cur, 8ull * t->size);
	c_close(out, indent, packed);
}

static void c_enum_body(struct cdump *c, const struct btf_type *t, uint32_t id, int indent, struct rb_buf *out)
{
	bool wide = rb_btf_kind(t) == BTF_KIND_ENUM64, sign = rb_btf_kflag(t);
	c_open(c, "enum", id, out);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		int64_t v = rb_btf_enum_value(t, i);
		const char *en = rb_btf_enum_name(c->btf, t, i);
		tabs(out, indent + 1);
		rb_buf_printf(out, "%s", en);
		if (!enumerator_new(c, en))
			rb_buf_printf(out, "___%u", id);
		if (sign)
			rb_buf_printf(out, " = %" PRId64 "%s,\n", v, wide ? "LL" : "");
		else
			rb_buf_printf(out, " = %" PRIu64 "%s,\n", (uint64_t)v, wide ? "ULL" : "");
	}
	/* Kernel enums marked __packed are 1 or 2 bytes; plain C makes them 4. */
	c_close(out, indent, t->size == 1 || t->size == 2);
}

/* The type specifier a declarator hangs off: "int", "struct foo", or an
 * anonymous struct/union/enum written out inline. */
static void c_base(struct cdump *c, uint32_t id, int indent, int depth, struct rb_buf *out)
{
	const struct btf_type *t = rb_btf_type(c->btf, id);
	const char *n = c_name(c->btf, id);
	switch (id ? rb_btf_kind(t) : BTF_KIND_UNKN) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (*n)
			c_tag(c, c_record_kw(rb_btf_kind(t) == BTF_KIND_UNION), id, out);
		else
			c_struct_body(c, t, id, indent, depth, out);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (*n)
			c_tag(c, "enum", id, out);
		else
			c_enum_body(c, t, id, indent, out);
		return;
	case BTF_KIND_FWD:
		rb_buf_printf(out, "%s %s", c_record_kw(rb_btf_kflag(t)), n);
		return;
	case BTF_KIND_TYPEDEF:
		c_put_name(c, id, out);
		return;
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		rb_buf_printf(out, "%s", n);
		return;
	default:
		rb_buf_printf(out, "void");
		return;
	}
}

static void prepend(struct rb_buf *d, const char *s)
{
	size_t n = strlen(s);
	if (!rb_buf_reserve(d, n))
		return;
	memmove(d->data + n, d->data, d->len);
	memcpy(d->data, s, n);
	d->len += n;
}

static void c_params(struct cdump *c, const struct btf_type *t, int indent, int depth, struct rb_buf *d)
{
	rb_buf_append(d, "(", 1);
	uint32_t n = rb_btf_vlen(t);
	for (uint32_t i = 0; i < n; i++) {
		const struct btf_param *p = &rb_btf_params(t)[i];
		if (i)
			rb_buf_append(d, ", ", 2);
		if (p->type == 0 && i == n - 1) {
			rb_buf_append(d, "...", 3);
			continue;
		}
		const char *pn = rb_btf_str(c->btf, p->name_off);
		c_decl(c, p->type, pn ? pn : "", indent, depth + 1, d);
	}
	if (n == 0)
		rb_buf_append(d, "void", 4);
	rb_buf_append(d, ")", 1);
}

/* Builds the declarator inside-out while walking from the outer type
 * towards the base: pointers prepend '*', arrays and prototypes append, and
 * a pointer wrapped by an array/prototype needs parentheses. */
static bool c_over_budget(struct cdump *c)
{
	if (++c->steps <= c->max_steps)
		return false;
	c->too_deep = true;
	return true;
}

static void c_decl(struct cdump *c, uint32_t id, const char *name, int indent, int depth,
		   struct rb_buf *out)
{
	if (c_over_budget(c))
		return;
	struct rb_buf d = {0}, quals = {0};
	bool last_ptr = false;
	rb_buf_append(&d, name, strlen(name));
	for (int hop = 0; id && hop < C_MAX_DEPTH && depth < C_MAX_DEPTH; hop++) {
		const struct btf_type *t = rb_btf_type(c->btf, id);
		uint32_t k = rb_btf_kind(t);
		const struct btf_type *next = rb_btf_type(c->btf, t->type);
		bool next_ptr = next && t->type && rb_btf_kind(next) == BTF_KIND_PTR;
		if (k == BTF_KIND_PTR) {
			prepend(&d, "*");
			last_ptr = true;
		} else if (k == BTF_KIND_CONST || k == BTF_KIND_VOLATILE || k == BTF_KIND_RESTRICT) {
			const char *q = k == BTF_KIND_CONST ? "const " : k == BTF_KIND_VOLATILE ? "volatile " : "restrict ";
			if (next_ptr)
				prepend(&d, q);
			else if (!strstr(rb_buf_str(&quals), q)) /* const array of const: say it once */
				rb_buf_printf(&quals, "%s", q);
		} else if (k == BTF_KIND_ARRAY || k == BTF_KIND_FUNC_PROTO) {
			if (last_ptr) {
				prepend(&d, "(");
				rb_buf_append(&d, ")", 1);
			}
			last_ptr = false;
			if (k == BTF_KIND_ARRAY) {
				rb_buf_printf(&d, "[%u]", rb_btf_array(t)->nelems);
				id = rb_btf_array(t)->type;
				continue;
			}
			c_params(c, t, indent, depth, &d);
		} else if (k != BTF_KIND_TYPE_TAG) {
			break;
		}
		id = t->type;
	}
	if (depth >= C_MAX_DEPTH)
		c->too_deep = true;
	rb_buf_append(out, quals.data ? quals.data : "", quals.len);
	c_base(c, id, indent, depth + 1, out);
	if (d.len)
		rb_buf_printf(out, " %s", rb_buf_str(&d));
	rb_buf_free(&d);
	rb_buf_free(&quals);
}

/* Makes sure what type id needs is declared before it is used. */
static void c_deps(struct cdump *c, uint32_t id, bool strong, int depth)
{
	if (c_over_budget(c))
		return;
	if (depth > C_MAX_DEPTH) {
		c->too_deep = true;
		return;
	}
	const struct btf_type *t = rb_btf_type(c->btf, id);
	if (!t || id == 0)
		return;
	bool named = *c_name(c->btf, id) != 0;
	switch (rb_btf_kind(t)) {
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		c_deps(c, t->type, strong, depth + 1);
		return;
	case BTF_KIND_ARRAY: /* C has no arrays of incomplete types */
		c_deps(c, rb_btf_array(t)->type, true, depth + 1);
		return;
	case BTF_KIND_PTR:
		c_deps(c, t->type, false, depth + 1);
		return;
	case BTF_KIND_FUNC_PROTO:
		c_deps(c, t->type, false, depth + 1);
		for (uint32_t i = 0; i < rb_btf_vlen(t); i++)
			c_deps(c, rb_btf_params(t)[i].type, false, depth + 1);
		return;
	case BTF_KIND_TYPEDEF:
		c_emit_named(c, id, depth + 1);
		if (strong)
			c_deps(c, t->type, true, depth + 1);
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (named && strong)
			c_emit_named(c, id, depth + 1);
		else if (!named)
			for (uint32_t i = 0; i < rb_btf_vlen(t); i++)
				c_deps(c, rb_btf_members(t)[i].type, true, depth + 1);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (named)
			c_emit_named(c, id, depth + 1);
		return;
	default:
		return;
	}
}

static void c_emit_named(struct cdump *c, uint32_t id, int depth)
{
	if (c->state[id] != C_NONE)
		return;
	c->state[id] = C_VISITING;
	/* The compiler's own va_list: redefining it breaks the header. */
	if (strcmp(c_name(c->btf, id), "__builtin_va_list") == 0) {
		c->state[id] = C_DONE;
		return;
	}
	const struct btf_type *t = rb_btf_type(c->btf, id);
	struct rb_buf def = {0};
	switch (rb_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (uint32_t i = 0; i < rb_btf_vlen(t); i++)
			c_deps(c, rb_btf_members(t)[i].type, true, depth + 1);
		c_struct_body(c, t, id, 0, depth, &def);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		c_enum_body(c, t, id, 0, &def);
		break;
	case BTF_KIND_TYPEDEF:
		c_deps(c, t->type, false, depth + 1);
	{
		struct rb_buf name = {0};
		c_put_name(c, id, &name);
		rb_buf_append(&def, "typedef ", 8);
		c_decl(c, t->type, rb_buf_str(&name), 0, depth, &def);
		rb_buf_free(&name);
		break;
	}
	default:
		break;
	}
	if (def.len)
		rb_buf_printf(&c->out, "%s;\n\n", rb_buf_str(&def));
	rb_buf_free(&def);
	c->state[id] = C_DONE;
}

static bool is_named_decl(const struct rb_btf *btf, uint32_t id)
{
	uint32_t k = rb_btf_kind(rb_btf_type(btf, id));
	bool decl = k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ENUM ||
		    k == BTF_KIND_ENUM64 || k == BTF_KIND_TYPEDEF;
	return decl && *c_name(btf, id);
}

static void c_forwards(struct cdump *c)
{
	for (uint32_t id = 1; id < rb_btf_type_cnt(c->btf); id++) {
		const struct btf_type *t = rb_btf_type(c->btf, id);
		uint32_t k = rb_btf_kind(t);
		bool un = k == BTF_KIND_UNION || (k == BTF_KIND_FWD && rb_btf_kflag(t));
		if ((k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_FWD) && *c_name(c->btf, id)) {
			c_tag(c, c_record_kw(un), id, &c->out);
			rb_buf_append(&c->out, ";\n", 2);
		}
	}
	rb_buf_append(&c->out, "\n", 1);
}

/* The enumerator name set, sized for every enumerator of the BTF. */
static bool c_alloc(struct cdump *c)
{
	uint64_t nenum = 0;
	for (uint32_t id = 1; id < rb_btf_type_cnt(c->btf); id++) {
		uint32_t k = rb_btf_kind(rb_btf_type(c->btf, id));
		if (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64)
			nenum += rb_btf_vlen(rb_btf_type(c->btf, id));
	}
	uint32_t cap = 16;
	while (cap < nenum * 2 && cap < (1u << 30))
		cap <<= 1;
	c->enum_mask = cap - 1;
	c->enumerators = calloc(cap, sizeof(*c->enumerators));
	c->state = calloc(rb_btf_type_cnt(c->btf), 1);
	c->align = calloc(rb_btf_type_cnt(c->btf), 1);
	return c->state && c->enumerators && c->align;
}

static void c_emit_all(struct cdump *c)
{
	rb_buf_printf(&c->out, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
			       "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			       "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
			       "#endif\n\n");
	c_forwards(c);
	/* A split BTF's declarations may use base types: emit those too. */
	for (uint32_t id = 1; id < rb_btf_type_cnt(c->btf); id++)
		if (is_named_decl(c->btf, id) && (id >= rb_btf_start_id(c->btf)))
			c_emit_named(c, id, 0);
	rb_buf_printf(&c->out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
			       "#endif /* __VMLINUX_H__ */\n");
}

int rb_btf_dump_c(const struct rb_btf *btf, FILE *out, struct rb_err *err)
{
	struct cdump c = {.btf = btf};
	c.max_steps = 64ull * rb_btf_type_cnt(btf) + (1u << 20);
	bool ok = c_alloc(&c);
	if (ok)
		c_emit_all(&c);
	free(c.state);
	free(c.align);
	free(c.enumerators);
	int r = 0;
	if (!ok || c.out.oom)
		r = rb_errf(err, RB_ESYS, "out of memory dumping BTF as C");
	else if (c.too_deep)
		r = rb_input_errf(err, rb_btf_label(btf),
				  "types nest deeper than %d levels or expand without end; no C output", C_MAX_DEPTH);
	else
		fwrite(c.out.data, 1, c.out.len, out);
	rb_buf_free(&c.out);
	return r;
}
