/* `--set NAME=VALUE`: patches a global variable's initial value in its data
 * map image, with the type, size and signedness taken from BTF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "elf/obj/obj_int.h"

/* Where a variable lives. */
struct gvar {
	struct rb_map *map;
	uint32_t type_id;        /* the VAR's type (unresolved) */
	uint64_t off, size;
	char type_name[128];
};

static void describe_type(const struct rb_btf *btf, uint32_t id, char *out, size_t n)
{
	const struct btf_type *t = rb_btf_skip_qual(btf, id, &id);
	const char *name = t ? rb_btf_type_name(btf, id) : NULL;
	if (!t) {
		snprintf(out, n, "?");
	} else if (rb_btf_kind(t) == BTF_KIND_ARRAY) {
		char elem[96];
		describe_type(btf, rb_btf_array(t)->type, elem, sizeof(elem));
		snprintf(out, n, "%s[%u]", elem, rb_btf_array(t)->nelems);
	} else if (rb_btf_kind(t) == BTF_KIND_PTR) {
		snprintf(out, n, "pointer");
	} else if (rb_btf_kind(t) == BTF_KIND_ENUM || rb_btf_kind(t) == BTF_KIND_ENUM64) {
		snprintf(out, n, "enum %s", name && name[0] ? name : "(anon)");
	} else if (rb_btf_kind(t) == BTF_KIND_STRUCT || rb_btf_kind(t) == BTF_KIND_UNION) {
		snprintf(out, n, "%s %s", rb_btf_kind_name(rb_btf_kind(t)),
			 name && name[0] ? name : "(anon)");
	} else {
		snprintf(out, n, "%s", name && name[0] ? name : rb_btf_kind_name(rb_btf_kind(t)));
	}
}

static bool find_in_map(const struct rb_obj *obj, struct rb_map *m, const char *name, struct gvar *g)
{
	const struct btf_type *ds = rb_btf_type(obj->btf, m->btf_var_id);
	if (!m->btf_var_id || !ds || rb_btf_kind(ds) != BTF_KIND_DATASEC)
		return false;
	for (uint32_t i = 0; i < rb_btf_vlen(ds); i++) {
		const struct btf_var_secinfo *vi = &rb_btf_secinfos(ds)[i];
		const struct btf_type *v = rb_btf_type(obj->btf, vi->type);
		const char *vn = rb_btf_type_name(obj->btf, vi->type);
		if (!v || rb_btf_kind(v) != BTF_KIND_VAR || !vn || strcmp(vn, name) != 0)
			continue;
		g->map = m, g->type_id = v->type, g->size = vi->size;
		/* clang leaves DATASEC offsets 0 in objects: the symbol has the truth. */
		if (!rb_obj_sym_offset(obj, m->sec_name, name, &g->off))
			g->off = vi->offset;
		describe_type(obj->btf, v->type, g->type_name, sizeof(g->type_name));
		return true;
	}
	return false;
}

static int find_gvar(struct rb_obj *obj, const char *name, struct gvar *g, struct rb_err *err)
{
	if (!obj->btf)
		return rb_errf(err, RB_EINPUT, "the object has no BTF to find global variables "
			       "by name (compile with clang -g)");
	for (size_t i = 0; i < obj->n_maps; i++)
		if (obj->maps[i].kind == RB_MAP_DATA && find_in_map(obj, &obj->maps[i], name, g))
			return rb_range_ok(g->off, g->size, g->map->value_size) ? 0
				: rb_errf(err, RB_EINPUT, "the variable (offset %llu, %llu bytes) lies "
					  "outside section '%s'", (unsigned long long)g->off,
					  (unsigned long long)g->size,
					  g->map->sec_name);
	return rb_errf(err, RB_EUSAGE, "no global variable '%s' in the object's "
		       ".data, .rodata or .bss sections", name);
}

/* Writes the low `size` bytes of v in the object's byte order. */
static void store_uint(const struct rb_obj *obj, uint8_t *dst, uint64_t size, uint64_t v)
{
	for (uint64_t i = 0; i < size; i++) {
		uint64_t shift = 8 * (obj->big_endian ? size - 1 - i : i);
		dst[i] = shift < 64 ? (uint8_t)(v >> shift) : 0;
	}
}

/* Decimal or 0x hex, optionally negative; the whole string must be a number. */
static bool parse_number(const char *s, bool *neg, uint64_t *mag)
{
	*neg = *s == '-';
	const char *p = *neg ? s + 1 : s;
	int base = (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 16 : 10;
	if (base == 16)
		p += 2;
	if (!*p || *p == '-' || *p == '+' || *p == ' ')
		return false;
	char *end;
	errno = 0;
	*mag = strtoull(p, &end, base);
	return errno == 0 && *end == '\0';
}

static int set_int(struct rb_obj *obj, const struct gvar *g, bool is_signed, const char *value,
		   uint64_t *out, struct rb_err *err)
{
	bool neg;
	uint64_t mag, bits = g->size * 8;
	if (g->size == 0 || g->size > 8 || !parse_number(value, &neg, &mag))
		return rb_errf(err, RB_EUSAGE, "'%s' is not a number for type %s (decimal "
			       "or 0x hex)", value, g->type_name);
	uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
	uint64_t smax = max >> 1;
	if (neg && !is_signed && mag)
		return rb_errf(err, RB_EUSAGE, "%s is unsigned and cannot hold %s", g->type_name, value);
	if ((!is_signed && mag > max) || (is_signed && !neg && mag > smax) ||
	    (is_signed && neg && mag > smax + 1))
		return rb_errf(err, RB_EUSAGE, "%s does not fit %s (%llu bytes, %s)", value,
			       g->type_name, (unsigned long long)g->size,
			       is_signed ? "signed" : "unsigned");
	*out = neg ? (uint64_t)0 - mag : mag;
	(void)obj;
	return 0;
}

static int set_bool(const struct gvar *g, const char *value, uint64_t *out, struct rb_err *err)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*out = 1;
	else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*out = 0;
	else
		return rb_errf(err, RB_EUSAGE, "'%s' is not a bool (true, false, 1 or 0)", value);
	return 0;
}

static int set_enum(struct rb_obj *obj, const struct gvar *g, const struct btf_type *t,
		    const char *value, uint64_t *out, struct rb_err *err)
{
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const char *n = rb_btf_enum_name(obj->btf, t, i);
		if (n && strcmp(n, value) == 0) {
			*out = (uint64_t)rb_btf_enum_value(t, i);
			return 0;
		}
	}
	struct rb_buf names = {0};
	for (uint32_t i = 0; i < rb_btf_vlen(t) && i < 16; i++)
		rb_buf_printf(&names, "%s%s", i ? ", " : "", rb_btf_enum_name(obj->btf, t, i));
	int r = set_int(obj, g, rb_btf_kflag(t), value, out, err);
	if (r < 0) {
		rb_err_clear(err);
		r = rb_errf(err, RB_EUSAGE, "'%s' is neither an enumerator of %s (%s) nor a "
			    "number that fits it", value, g->type_name, rb_buf_str(&names));
	}
	rb_buf_free(&names);
	return r;
}

static int set_chars(struct rb_obj *obj, const struct gvar *g, const struct btf_type *t,
		     const char *value, struct rb_err *err)
{
	const struct btf_type *e = rb_btf_resolve(obj->btf, rb_btf_array(t)->type, NULL);
	size_t len = strlen(value), n = rb_btf_array(t)->nelems;
	if (!e || rb_btf_kind(e) != BTF_KIND_INT || e->size != 1 || n != g->size)
		return rb_errf(err, RB_EUSAGE, "arrays of type %s cannot be set (only char "
			       "arrays, from a string)", g->type_name);
	if (len + 1 > n)
		return rb_errf(err, RB_EUSAGE, "\"%s\" is %zu characters; %s holds at most "
			       "%zu plus the NUL", value, len, g->type_name, n - 1);
	uint8_t *dst = g->map->data + g->off;
	memset(dst, 0, n);
	memcpy(dst, value, len);
	return 0;
}

static int set_scalar(struct rb_obj *obj, const struct gvar *g, const struct btf_type *t,
		      const char *value, struct rb_err *err)
{
	uint64_t v = 0;
	int r;
	uint32_t kind = rb_btf_kind(t);
	if (kind == BTF_KIND_INT && (BTF_INT_ENCODING(rb_btf_int_info(t)) & BTF_INT_BOOL))
		r = set_bool(g, value, &v, err);
	else if (kind == BTF_KIND_INT)
		r = set_int(obj, g, BTF_INT_ENCODING(rb_btf_int_info(t)) & BTF_INT_SIGNED, value, &v, err);
	else
		r = set_enum(obj, g, t, value, &v, err);
	if (r == 0)
		store_uint(obj, g->map->data + g->off, g->size, v);
	return r;
}

static int set_global(struct rb_obj *obj, const char *name, const char *value, struct rb_err *err)
{
	struct gvar g = {0};
	int r = find_gvar(obj, name, &g, err);
	if (r < 0)
		return r;
	const struct btf_type *t = rb_btf_resolve(obj->btf, g.type_id, NULL);
	uint32_t kind = t ? rb_btf_kind(t) : 0;
	if (kind == BTF_KIND_ARRAY)
		return set_chars(obj, &g, t, value, err);
	if ((kind == BTF_KIND_INT || kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) &&
	    t->size == g.size)
		return set_scalar(obj, &g, t, value, err);
	return rb_errf(err, RB_EUSAGE, "variable of type %s cannot be set from the command "
		       "line (integers, bools, enums and char arrays can)", g.type_name);
}

/* Every message is about the option: "--set NAME: ..." */
int rb_obj_set_global(struct rb_obj *obj, const char *name, const char *value, struct rb_err *err)
{
	int r = set_global(obj, name, value, err);
	if (r < 0)
		rb_err_prefix(err, "--set %s", name);
	return r;
}
