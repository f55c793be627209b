/* Keys and values typed as JSON against the map's BTF:
 *     rawbpf map update name tasks key 1 value '{"pid": 42, "comm": "bash", "state": "RUNNING"}'
 * The text is parsed once, encoding straight into the value's bytes as the
 * BTF type says: structs/unions by member name (missing members stay zero),
 * enums by enumerator name or number, char arrays from strings, arrays from
 * JSON arrays, ints/bools/floats/pointers from numbers, bitfields in place.
 * Everything is bounds-checked against the operand size. */
#include "loader/inspect/inspect.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/scan.h"
#include "elf/btf.h"

struct json_in {
	const struct rb_btf *btf;
	const char *p;            /* parse position */
	uint8_t *out;
	size_t size;
	const char *what;
	struct rb_err *err;
	int depth;
};

enum { MAX_DEPTH = 32, MAX_STRING = 4096 };

static int encode(struct json_in *j, uint32_t type_id, uint64_t bit_off, uint32_t bits);

static void skip_ws(struct json_in *j)
{
	while (isspace((unsigned char)*j->p))
		j->p++;
}

/* A type's name for messages ("" when anonymous or out of range). */
static const char *name_of(const struct json_in *j, const struct btf_type *t)
{
	const char *n = rb_btf_str(j->btf, t->name_off);
	return n ? n : "";
}

static int bad(struct json_in *j, const char *expected)
{
	return rb_errf(j->err, RB_EUSAGE, "%s: expected %s at '%.20s'", j->what, expected,
		       *j->p ? j->p : "(end)");
}

static bool eat(struct json_in *j, char c)
{
	skip_ws(j);
	if (*j->p != c)
		return false;
	j->p++;
	return true;
}

/* A JSON string into buf (no \u escapes beyond ASCII); returns its length or -1. */
static int parse_string(struct json_in *j, char *buf, size_t cap)
{
	if (!eat(j, '"'))
		return -1;
	size_t n = 0;
	while (*j->p && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\') {
			c = *j->p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == '0' ? '\0' : c;
			if (!c && j->p[-1] != '0')
				return -1;
		}
		if (n + 1 >= cap)
			return -1;
		buf[n++] = c;
	}
	if (*j->p != '"')
		return -1;
	j->p++;
	buf[n] = 0;
	return (int)n;
}

/* A JSON number read every way a type may want it. */
struct number {
	int64_t s;
	uint64_t u;
	double d;
};

static int parse_number(struct json_in *j, struct number *n)
{
	skip_ws(j);
	char *end;
	errno = 0;
	if (*j->p == '-') {
		n->s = strtoll(j->p, &end, 0);
		n->u = (uint64_t)n->s;
	} else {
		n->u = strtoull(j->p, &end, 0);
		n->s = (int64_t)n->u;
	}
	const char *int_end = end;
	n->d = rb_scan_double(j->p, &end);
	if (end == j->p || errno)
		return bad(j, "a number");
	j->p = end > int_end ? end : int_end;
	return 0;
}

/* Writes the low `bits` bits of v at bit offset bit_off (little- or
 * big-endian host: byte-wise for whole bytes, bit-wise for bitfields). */
static int put_bits(struct json_in *j, uint64_t v, uint64_t bit_off, uint32_t bits)
{
	if (!rb_range_ok(bit_off, bits, (uint64_t)j->size * 8))
		return rb_errf(j->err, RB_EUSAGE, "%s: the type does not fit the %zu-byte operand", j->what, j->size);
	if (bit_off % 8 == 0 && bits % 8 == 0 && bits <= 64) {
		uint8_t tmp[8];
		memcpy(tmp, &v, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		memcpy(j->out + bit_off / 8, tmp + 8 - bits / 8, bits / 8);
#else
		memcpy(j->out + bit_off / 8, tmp, bits / 8);
#endif
		return 0;
	}
	for (uint32_t b = 0; b < bits; b++) { /* bitfields: little-endian bit order */
		uint64_t at = bit_off + b;
		uint8_t mask = (uint8_t)(1u << (at % 8));
		j->out[at / 8] = (uint8_t)((v >> b & 1) ? j->out[at / 8] | mask : j->out[at / 8] & ~mask);
	}
	return 0;
}

/* A number stored as is in width bits (enums by value, pointers). */
static int encode_number_bits(struct json_in *j, uint64_t bit_off, uint32_t width)
{
	struct number n;
	int r = parse_number(j, &n);
	return r < 0 ? r : put_bits(j, n.u, bit_off, width);
}

static bool fits(uint64_t uv, int64_t sv, bool negative, uint32_t bits, bool is_signed)
{
	if (bits >= 64)
		return !negative || is_signed;
	if (negative)
		return is_signed && sv >= -(1LL << (bits - 1));
	return uv < (is_signed ? 1ULL << (bits - 1) : 1ULL << bits);
}

static int encode_int(struct json_in *j, const struct btf_type *t, uint64_t bit_off, uint32_t bits)
{
	uint32_t info = rb_btf_int_info(t);
	bool is_signed = BTF_INT_ENCODING(info) & BTF_INT_SIGNED;
	uint32_t width = bits ? bits : BTF_INT_BITS(info);
	skip_ws(j);
	if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
		bool v = j->p[0] == 't';
		j->p += v ? 4 : 5;
		return put_bits(j, v, bit_off + BTF_INT_OFFSET(info), width);
	}
	struct number n;
	bool negative = *j->p == '-';
	int r = parse_number(j, &n);
	if (r < 0)
		return r;
	if (!fits(n.u, n.s, negative, width, is_signed))
		return rb_errf(j->err, RB_EUSAGE, "%s: %lld does not fit a %u-bit %s integer", j->what,
			       (long long)n.s, width, is_signed ? "signed" : "unsigned");
	return put_bits(j, n.u, bit_off + BTF_INT_OFFSET(info), width);
}

static int encode_enum(struct json_in *j, const struct btf_type *t, uint64_t bit_off, uint32_t bits)
{
	uint32_t width = bits ? bits : t->size * 8;
	skip_ws(j);
	if (*j->p != '"')
		return encode_number_bits(j, bit_off, width);
	char name[256];
	if (parse_string(j, name, sizeof(name)) < 0)
		return bad(j, "an enumerator name");
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const char *e = rb_btf_enum_name(j->btf, t, i);
		if (e && !strcmp(e, name))
			return put_bits(j, (uint64_t)rb_btf_enum_value(t, i), bit_off, width);
	}
	return rb_errf(j->err, RB_EUSAGE, "%s: '%s' is not an enumerator of enum %s", j->what, name,
		       name_of(j, t));
}

static int encode_float(struct json_in *j, const struct btf_type *t, uint64_t bit_off)
{
	struct number n;
	int r = parse_number(j, &n);
	if (r < 0)
		return r;
	if (t->size == 4) {
		float f = (float)n.d;
		uint32_t u;
		memcpy(&u, &f, 4);
		return put_bits(j, u, bit_off, 32);
	}
	if (t->size != 8)
		return rb_errf(j->err, RB_EUSAGE, "%s: %u-byte floats are not supported", j->what, t->size);
	uint64_t u;
	memcpy(&u, &n.d, 8);
	return put_bits(j, u, bit_off, 64);
}

static bool is_char_array(const struct json_in *j, const struct btf_array *a)
{
	const struct btf_type *e = rb_btf_resolve(j->btf, a->type, NULL);
	return e && rb_btf_kind(e) == BTF_KIND_INT && BTF_INT_BITS(rb_btf_int_info(e)) == 8;
}

static int encode_array(struct json_in *j, const struct btf_type *t, uint64_t bit_off)
{
	const struct btf_array *a = rb_btf_array(t);
	uint64_t esize;
	int r = rb_btf_type_size(j->btf, a->type, &esize, j->err);
	if (r < 0)
		return r;
	skip_ws(j);
	if (*j->p == '"' && is_char_array(j, a)) {
		char *s = malloc(MAX_STRING);
		int n = s ? parse_string(j, s, MAX_STRING) : -1;
		r = n < 0 ? bad(j, "a string") : (uint32_t)n > a->nelems
			? rb_errf(j->err, RB_EUSAGE, "%s: \"%.20s...\" is longer than char[%u]", j->what, s, a->nelems) : 0;
		for (int i = 0; r == 0 && i < n; i++)
			r = put_bits(j, (uint8_t)s[i], bit_off + (uint64_t)i * 8, 8);
		free(s);
		return r;
	}
	if (!eat(j, '['))
		return bad(j, "'[' (an array)");
	if (eat(j, ']'))
		return 0;
	for (uint32_t i = 0;; i++) {
		if (i >= a->nelems)
			return rb_errf(j->err, RB_EUSAGE, "%s: more than %u array elements", j->what, a->nelems);
		if ((r = encode(j, a->type, bit_off + i * esize * 8, 0)) < 0)
			return r;
		if (eat(j, ']'))
			return 0;
		if (!eat(j, ','))
			return bad(j, "',' or ']'");
	}
}

static int member_by_name(struct json_in *j, const struct btf_type *t, const char *name, uint64_t bit_off)
{
	const struct btf_member *m = rb_btf_members(t);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const char *n = rb_btf_str(j->btf, m[i].name_off);
		if (n && !strcmp(n, name))
			return encode(j, m[i].type, bit_off + rb_btf_member_bit_offset(t, i),
				      rb_btf_member_bitfield_size(t, i));
	}
	return rb_errf(j->err, RB_EUSAGE, "%s: no member '%s' in %s %s", j->what, name,
		       rb_btf_kind(t) == BTF_KIND_UNION ? "union" : "struct", name_of(j, t));
}

static int encode_struct(struct json_in *j, const struct btf_type *t, uint64_t bit_off)
{
	if (!eat(j, '{'))
		return bad(j, "'{' (a struct)");
	if (eat(j, '}'))
		return 0;
	for (;;) {
		char name[256];
		skip_ws(j);
		if (parse_string(j, name, sizeof(name)) < 0 || !eat(j, ':'))
			return bad(j, "\"member\": value");
		int r = member_by_name(j, t, name, bit_off);
		if (r < 0)
			return r;
		if (eat(j, '}'))
			return 0;
		if (!eat(j, ','))
			return bad(j, "',' or '}'");
	}
}

static int encode(struct json_in *j, uint32_t type_id, uint64_t bit_off, uint32_t bits)
{
	if (++j->depth > MAX_DEPTH)
		return rb_errf(j->err, RB_EUSAGE, "%s: nested too deeply", j->what);
	const struct btf_type *t = rb_btf_resolve(j->btf, type_id, NULL);
	int r;
	if (!t)
		return rb_errf(j->err, RB_EINPUT, "%s: the map's BTF type %u cannot be resolved", j->what, type_id);
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT: r = encode_int(j, t, bit_off, bits); break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: r = encode_enum(j, t, bit_off, bits); break;
	case BTF_KIND_FLOAT: r = encode_float(j, t, bit_off); break;
	case BTF_KIND_ARRAY: r = encode_array(j, t, bit_off); break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: r = encode_struct(j, t, bit_off); break;
	case BTF_KIND_PTR: r = encode_number_bits(j, bit_off, 64); break;
	default:
		r = rb_errf(j->err, RB_EUSAGE, "%s: values of BTF kind %s cannot be given as JSON", j->what,
			    rb_btf_kind_name(rb_btf_kind(t)));
	}
	j->depth--;
	return r;
}

int rb_btf_encode_json(const struct rb_btf *btf, uint32_t type_id, const char *text, uint8_t *out,
		       size_t size, const char *what, struct rb_err *err)
{
	struct json_in j = {.btf = btf, .p = text, .out = out, .size = size, .what = what, .err = err};
	uint64_t tsize;
	int r = rb_btf_type_size(btf, type_id, &tsize, err);
	if (r < 0)
		return r;
	if (tsize != size)
		return rb_errf(err, RB_EINPUT, "%s: the map's BTF type is %llu bytes, the map says %zu", what,
			       (unsigned long long)tsize, size);
	memset(out, 0, size);
	if ((r = encode(&j, type_id, 0, 0)) < 0)
		return r;
	skip_ws(&j);
	if (*j.p)
		return rb_errf(err, RB_EUSAGE, "%s: text after the JSON value: '%.20s'", what, j.p);
	return 0;
}
