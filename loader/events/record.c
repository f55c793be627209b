/* Printing event records: field by field when the program declared the
 * record's type (the convention in events.h), as hex otherwise. */
#include "loader/events/events.h"

#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "elf/btf.h"
#include "elf/btf_print.h"
#include "loader/inspect/inspect.h"

uint32_t rb_record_type(const struct rb_btf *btf, const char *map_name, uint32_t value_type_id)
{
	if (!btf)
		return 0;
	if (value_type_id) {
		const struct btf_type *t = rb_btf_resolve(btf, value_type_id, NULL);
		if (t && (rb_btf_kind(t) == BTF_KIND_STRUCT || rb_btf_kind(t) == BTF_KIND_UNION))
			return value_type_id;
	}
	char name[160];
	snprintf(name, sizeof(name), "%s_event", map_name);
	return rb_btf_find(btf, name, BTF_KIND_STRUCT);
}

static void print_hex(FILE *out, const uint8_t *p, size_t len)
{
	fprintf(out, "%zu bytes:%s", len, len ? " " : "");
	rb_print_hex_bytes(out, p, len);
}

/* name=value for each member that fits in the record. */
static void print_fields(const struct rb_record_printer *p, const struct btf_type *t,
			 const uint8_t *data, size_t len)
{
	const struct btf_member *m = rb_btf_members(t);
	struct rb_buf b = {0};
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		uint32_t bit = rb_btf_member_bit_offset(t, i);
		uint64_t size;
		if (rb_btf_member_bitfield_size(t, i) || bit % 8 ||
		    rb_btf_type_size(p->btf, m[i].type, &size, NULL) < 0 || !rb_range_ok(bit / 8, size, len))
			continue;
		b.len = 0;
		rb_btf_format_value(p->btf, m[i].type, data + bit / 8, (size_t)size, &b, 0, NULL);
		const char *name = rb_btf_str(p->btf, m[i].name_off);
		fprintf(p->out, "%s%s=%s", i ? " " : "", name && *name ? name : "?", rb_buf_str(&b));
	}
	rb_buf_free(&b);
}

static void print_text(const struct rb_record_printer *p, const void *data, size_t len)
{
	fprintf(p->out, "%s: ", p->map_name);
	const struct btf_type *t = p->btf && p->type_id ? rb_btf_resolve(p->btf, p->type_id, NULL) : NULL;
	if (t && (rb_btf_kind(t) == BTF_KIND_STRUCT || rb_btf_kind(t) == BTF_KIND_UNION))
		print_fields(p, t, data, len);
	else if (t) {
		rb_btf_print_value(p->btf, p->type_id, data, len, p->out, 0, NULL);
	} else
		print_hex(p->out, data, len);
	fputc('\n', p->out);
}

static void print_json(const struct rb_record_printer *p, const void *data, size_t len)
{
	struct rb_json *j = p->json;
	rb_json_init(j, p->out, j->pretty);  /* one document per record (JSON lines) */
	rb_json_obj_begin(j);
	rb_json_kstr(j, "map", p->map_name);
	if (p->btf && p->type_id) {
		uint64_t size = len;
		rb_btf_type_size(p->btf, p->type_id, &size, NULL);
		rb_json_key(j, "record");
		rb_btf_print_json(p->btf, p->type_id, data, size < len ? (size_t)size : len, j, NULL);
	} else {
		struct rb_buf b = {0};
		rb_hex_append(&b, data, len, "");
		rb_json_kstr(j, "hex", rb_buf_str(&b));
		rb_buf_free(&b);
	}
	rb_json_obj_end(j);
	rb_json_finish(j);
}

void rb_record_print(const struct rb_record_printer *p, const void *data, size_t len)
{
	if (p->json)
		print_json(p, data, len);
	else
		print_text(p, data, len);
}
