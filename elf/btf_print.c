/* BTF-aware value printing.  One walker drives both outputs: the text form
 * (C-initializer-like) and JSON; the few places where they differ ask
 * p->j.  Every read goes through in_bounds against the value's length. */
#include "elf/btf_print.h"

#include <inttypes.h>
#include <string.h>

#include "common/buf.h"

#define MAX_DEPTH 32
/* Hostile BTF can make a small value print forever (members sharing an
 * offset, nested unions and arrays): the items walked are capped in
 * proportion to the value's size, generous for real overlapping unions. */
#define STEPS_PER_BYTE 16u
#define STEPS_MIN 4096u

struct printer {
	const struct rb_btf *btf;
	const uint8_t *data;
	size_t size;
	struct rb_buf *buf;   /* text mode */
	struct rb_json *j;    /* JSON mode */
	int indent;           /* text: spaces per level, 0 = one line */
	bool truncated;
	bool too_big;
	bool too_deep;        /* JSON: deeper than the writer's nesting stack */
	uint64_t steps, max_steps;
	bool bad_type;
	uint32_t bad_id;
};

static int walk(struct printer *p, uint32_t id, uint64_t off, int depth);

static bool in_bounds(struct printer *p, uint64_t off, uint64_t len)
{
	if (rb_range_ok(off, len, p->size))
		return true;
	p->truncated = true;
	return false;
}

static void put_raw(struct printer *p, const char *s)
{
	rb_buf_append(p->buf, s, strlen(s));
}

static void put_u64(struct printer *p, uint64_t v)
{
	if (p->j)
		rb_json_u64(p->j, v);
	else
		rb_buf_printf(p->buf, "%" PRIu64, v);
}

static void put_i64(struct printer *p, int64_t v)
{
	if (p->j)
		rb_json_i64(p->j, v);
	else
		rb_buf_printf(p->buf, "%" PRId64, v);
}

/* Text as is; JSON: a string (hex, pointers, floats, enumerators). */
static void put_text(struct printer *p, const char *s)
{
	if (p->j)
		rb_json_str(p->j, s);
	else
		put_raw(p, s);
}

/* Text: a C string literal; JSON: a string. */
static void put_string(struct printer *p, const char *s, size_t n)
{
	if (p->j) {
		rb_json_strn(p->j, s, n);
		return;
	}
	put_raw(p, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			rb_buf_printf(p->buf, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			rb_buf_printf(p->buf, "\\x%02x", c);
		else
			rb_buf_append(p->buf, &s[i], 1);
	}
	put_raw(p, "\"");
}

/* Placeholders for what cannot be shown (truncation, unprintable kinds). */
static void put_marker(struct printer *p, const char *what)
{
	if (p->j)
		rb_json_null(p->j);
	else
		rb_buf_printf(p->buf, "<%s>", what);
}

static void newline(struct printer *p, int depth)
{
	if (p->j || p->indent <= 0)
		return;
	rb_buf_printf(p->buf, "\n%*s", depth * p->indent, "");
}

/* --- scalars ----------------------------------------------------------------------------- */

static int64_t sign_extend(uint64_t v, uint32_t bits)
{
	if (bits == 0 || bits >= 64)
		return (int64_t)v;
	uint64_t m = 1ull << (bits - 1);
	v &= (m << 1) - 1;
	return (int64_t)((v ^ m) - m);
}

/* Bits [bit_off, bit_off+nbits) of the little-endian bytes at off (the host
 * byte order rawbpf runs on; kernel values arrive in it). */
static bool read_bits(struct printer *p, uint64_t off, uint32_t bit_off, uint32_t nbits, uint64_t *out)
{
	off += bit_off / 8;
	bit_off %= 8;
	uint32_t nbytes = (bit_off + nbits + 7) / 8;
	if (nbits == 0 || nbits > 64 || !in_bounds(p, off, nbytes))
		return false;
	/* byte i holds value bits from 8 * i - bit_off on (a 9th byte only when
	 * bit_off > 0, so every shift stays below 64) */
	uint64_t acc = 0;
	for (uint32_t i = 0; i < nbytes; i++) {
		uint64_t b = p->data[off + i];
		acc |= 8 * i >= bit_off ? b << (8 * i - bit_off) : b >> bit_off;
	}
	*out = nbits == 64 ? acc : acc & ((1ull << nbits) - 1);
	return true;
}

static void put_bits_value(struct printer *p, const struct btf_type *t, uint64_t v, uint32_t nbits)
{
	uint32_t enc = rb_btf_kind(t) == BTF_KIND_INT ? BTF_INT_ENCODING(rb_btf_int_info(t)) : 0;
	bool is_signed = rb_btf_kind(t) == BTF_KIND_INT ? (enc & BTF_INT_SIGNED) != 0 : rb_btf_kflag(t);
	if (enc & BTF_INT_BOOL) {
		if (p->j)
			rb_json_bool(p->j, v != 0);
		else
			put_raw(p, v ? "true" : "false");
	} else if (is_signed) {
		put_i64(p, sign_extend(v, nbits));
	} else {
		put_u64(p, v);
	}
}

/* __int128 and wider: hex in both modes (JSON as a string). */
static void put_wide_int(struct printer *p, uint64_t off, uint32_t size)
{
	struct rb_buf hex = {0};
	rb_buf_append(&hex, "0x", 2);
	for (uint32_t i = size; i-- > 0;)
		rb_buf_printf(&hex, "%02x", p->data[off + i]);
	put_text(p, rb_buf_str(&hex));
	rb_buf_free(&hex);
}

/* An int, bitfield or enum value of type t (NULL: a bad member type). */
static void print_bits(struct printer *p, const struct btf_type *t, uint64_t off, uint32_t bit_off, uint32_t nbits)
{
	uint64_t v;
	if (!t || !read_bits(p, off, bit_off, nbits, &v))
		put_marker(p, "truncated");
	else
		put_bits_value(p, t, v, nbits);
}

static void print_int(struct printer *p, const struct btf_type *t, uint64_t off)
{
	uint32_t info = rb_btf_int_info(t);
	uint32_t nbits = BTF_INT_BITS(info);
	if (t->size > 8 && BTF_INT_OFFSET(info) == 0 && nbits == t->size * 8) {
		if (in_bounds(p, off, t->size))
			put_wide_int(p, off, t->size);
		else
			put_marker(p, "truncated");
		return;
	}
	print_bits(p, t, off, BTF_INT_OFFSET(info), nbits);
}

static void print_enum(struct printer *p, const struct btf_type *t, uint64_t off)
{
	uint64_t raw;
	if (t->size == 0 || t->size > 8 || (t->size & (t->size - 1)) || !read_bits(p, off, 0, t->size * 8, &raw)) {
		put_marker(p, "truncated");
		return;
	}
	int64_t v = rb_btf_kflag(t) ? sign_extend(raw, t->size * 8) : (int64_t)raw;
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		int64_t e = rb_btf_enum_value(t, i);
		if (t->size < 8 && !rb_btf_kflag(t))
			e = (int64_t)((uint64_t)e & ((1ull << (t->size * 8)) - 1));
		if (e == v) {
			put_text(p, rb_btf_enum_name(p->btf, t, i));
			return;
		}
	}
	put_bits_value(p, t, raw, t->size * 8);  /* signed as the enum says */
}

static void print_ptr(struct printer *p, uint64_t off)
{
	uint64_t v;
	if (!read_bits(p, off, 0, 64, &v)) {
		put_marker(p, "truncated");
		return;
	}
	char s[32];
	snprintf(s, sizeof(s), "0x%" PRIx64, v);
	put_text(p, s);
}

static void print_float(struct printer *p, const struct btf_type *t, uint64_t off)
{
	if ((t->size != 4 && t->size != 8) || !in_bounds(p, off, t->size)) {
		put_marker(p, t->size == 4 || t->size == 8 ? "truncated" : "float");
		return;
	}
	double d;
	if (t->size == 4) {
		float f;
		memcpy(&f, p->data + off, 4);
		d = f;
	} else {
		memcpy(&d, p->data + off, 8);
	}
	char s[64];
	snprintf(s, sizeof(s), "%g", d);
	put_text(p, s);  /* inf and nan are no JSON numbers: always a string */
}

/* --- aggregates -------------------------------------------------------------------------------- */

static void open_agg(struct printer *p, bool obj)
{
	if (p->j)
		obj ? rb_json_obj_begin(p->j) : rb_json_arr_begin(p->j);
	else
		put_raw(p, obj ? "{" : "[");
}

static void close_agg(struct printer *p, bool obj, int depth, bool any)
{
	if (p->j) {
		obj ? rb_json_obj_end(p->j) : rb_json_arr_end(p->j);
		return;
	}
	if (any)
		newline(p, depth);
	put_raw(p, obj ? "}" : "]");
}

static void item_sep(struct printer *p, bool first, int depth)
{
	if (!p->j && !first)
		put_raw(p, p->indent > 0 ? "," : ", ");
	newline(p, depth + 1);
}

static void member_key(struct printer *p, const char *name)
{
	if (p->j)
		rb_json_key(p->j, name);
	else
		rb_buf_printf(p->buf, ".%s = ", name);
}

/* The name is read after const/volatile (a `const volatile char comm[16]`
 * knob in .rodata is text) but at the first typedef: byte types such as
 * __u8 stay numbers, as bpftool prints them. */
static bool is_char_type(const struct rb_btf *btf, uint32_t id)
{
	uint32_t named = 0;
	const struct btf_type *t = rb_btf_resolve(btf, id, NULL);
	if (!t || rb_btf_kind(t) != BTF_KIND_INT || t->size != 1 || !rb_btf_skip_qual(btf, id, &named))
		return false;
	const char *n = rb_btf_type_name(btf, named);
	return (BTF_INT_ENCODING(rb_btf_int_info(t)) & BTF_INT_CHAR) || strstr(n ? n : "", "char");
}

/* A char array prints as a string when it holds text up to its first NUL. */
static bool print_char_array(struct printer *p, uint64_t off, uint32_t n)
{
	if (!in_bounds(p, off, n))
		return false;
	const char *s = (const char *)p->data + off;
	size_t len = strnlen(s, n);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
			return false;
	for (size_t i = len; i < n; i++)
		if (s[i] != 0)
			return false;
	put_string(p, s, len);
	return true;
}

static int print_array(struct printer *p, const struct btf_type *t, uint64_t off, int depth)
{
	const struct btf_array *a = rb_btf_array(t);
	if (is_char_type(p->btf, a->type) && print_char_array(p, off, a->nelems))
		return 0;
	uint64_t esz = 0;
	if (rb_btf_type_size(p->btf, a->type, &esz, NULL) < 0 || esz == 0) {
		put_marker(p, esz ? "bad array element type" : "zero-sized elements");
		return 0;
	}
	open_agg(p, false);
	uint32_t i = 0;
	for (; i < a->nelems && !p->truncated && !p->too_big; i++) {
		item_sep(p, i == 0, depth);
		if (in_bounds(p, off + i * esz, esz))
			walk(p, a->type, off + i * esz, depth + 1);
		else
			put_marker(p, "truncated");
	}
	close_agg(p, false, depth, i > 0);
	return 0;
}

/* A struct or union member by member, or a global-data map's value
 * (DATASEC) variable by variable, each at its offset. */
static void print_item(struct printer *p, const struct btf_type *t, uint32_t i, uint64_t off, int depth)
{
	if (rb_btf_kind(t) == BTF_KIND_DATASEC) {
		const struct btf_var_secinfo *v = &rb_btf_secinfos(t)[i];
		member_key(p, rb_btf_type_name(p->btf, v->type));
		if (in_bounds(p, off + v->offset, v->size))
			walk(p, v->type, off + v->offset, depth + 1);
		else
			put_marker(p, "truncated");
		return;
	}
	const struct btf_member *m = &rb_btf_members(t)[i];
	const char *name = rb_btf_str(p->btf, m->name_off);
	uint32_t bits = rb_btf_member_bit_offset(t, i), bf = rb_btf_member_bitfield_size(t, i);
	member_key(p, name && *name ? name : "(anon)");
	if (bf)
		print_bits(p, rb_btf_resolve(p->btf, m->type, NULL), off, bits, bf);
	else
		walk(p, m->type, off + bits / 8, depth + 1);
}

static int print_record(struct printer *p, const struct btf_type *t, uint64_t off, int depth)
{
	open_agg(p, true);
	uint32_t i = 0;
	for (; i < rb_btf_vlen(t) && !p->too_big; i++) {
		item_sep(p, i == 0, depth);
		print_item(p, t, i, off, depth);
	}
	close_agg(p, true, depth, i > 0);
	return 0;
}

static int walk(struct printer *p, uint32_t id, uint64_t off, int depth)
{
	uint32_t rid = id;
	if (++p->steps > p->max_steps) {
		p->too_big = true;
		put_marker(p, "more");
		return 0;
	}
	const struct btf_type *t = depth > MAX_DEPTH ? NULL : rb_btf_resolve(p->btf, id, &rid);
	if (!t) {
		p->bad_type = true;
		p->bad_id = id;
		put_marker(p, "bad type");
		return 0;
	}
	uint32_t k = rb_btf_kind(t);
	bool aggregate = k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ARRAY || k == BTF_KIND_DATASEC;
	if (aggregate && p->j && p->j->depth >= RB_JSON_MAX_DEPTH - 1) {
		p->too_deep = true;
		put_marker(p, "too deep");
		return 0;
	}
	switch (k) {
	case BTF_KIND_INT: print_int(p, t, off); return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: print_enum(p, t, off); return 0;
	case BTF_KIND_PTR: print_ptr(p, off); return 0;
	case BTF_KIND_FLOAT: print_float(p, t, off); return 0;
	case BTF_KIND_ARRAY: return print_array(p, t, off, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC: return print_record(p, t, off, depth);
	case BTF_KIND_VAR: return walk(p, t->type, off, depth + 1);
	default:
		p->bad_type = true;
		p->bad_id = rid;
		put_marker(p, rb_btf_kind_name(rb_btf_kind(t)));
		return 0;
	}
}

static int finish(const struct printer *p, uint32_t type_id, struct rb_err *err)
{
	if (p->too_deep)
		return rb_input_errf(err, rb_btf_label(p->btf),
				     "BTF type [%u] nests deeper than JSON output allows (%d levels)",
				     type_id, RB_JSON_MAX_DEPTH);
	if (p->too_big)
		return rb_input_errf(err, rb_btf_label(p->btf),
				     "BTF type [%u] expands to more than %llu items; output cut", type_id,
				     (unsigned long long)p->max_steps);
	if (p->bad_type)
		return rb_input_errf(err, rb_btf_label(p->btf),
				     "BTF type [%u] cannot be printed as a value (void, function, fwd or a loop)",
				     p->bad_id);
	if (p->truncated) {
		uint64_t want = 0;
		rb_btf_type_size(p->btf, type_id, &want, NULL);
		return rb_input_errf(err, rb_btf_label(p->btf),
				     "value of %zu bytes is shorter than BTF type [%u] (%llu bytes)", p->size,
				     type_id, (unsigned long long)want);
	}
	return 0;
}

int rb_btf_format_value(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
			struct rb_buf *out, int indent, struct rb_err *err)
{
	struct printer p = {.btf = btf, .data = data, .size = size, .buf = out, .indent = indent,
			    .max_steps = STEPS_MIN + (uint64_t)size * STEPS_PER_BYTE};
	walk(&p, type_id, 0, 0);
	if (out->oom)
		return rb_errf(err, RB_ESYS, "out of memory formatting a value");
	return finish(&p, type_id, err);
}

int rb_btf_print_value(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
		       FILE *out, int indent, struct rb_err *err)
{
	struct rb_buf b = {0};
	int r = rb_btf_format_value(btf, type_id, data, size, &b, indent, err);
	fputs(rb_buf_str(&b), out);
	rb_buf_free(&b);
	return r;
}

int rb_btf_print_json(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
		      struct rb_json *j, struct rb_err *err)
{
	struct printer p = {.btf = btf, .data = data, .size = size, .j = j,
			    .max_steps = STEPS_MIN + (uint64_t)size * STEPS_PER_BYTE};
	walk(&p, type_id, 0, 0);
	return finish(&p, type_id, err);
}
