/* The reading side of maps: dump, lookup, getnext, printed by BTF type when
 * the map has BTF and as hex bytes always (bpftool's JSON keeps both). */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strtab.h"
#include "elf/btf.h"
#include "elf/btf_print.h"
#include "loader/bpf.h"
#include "loader/inspect/names.h"

struct printer {
	const struct rb_map_view *v;
	const struct rb_show_out *o;
	struct rb_json j;
	bool keyless;             /* a queue's or stack's head: no key to show */
};

/* One key or value chunk as text: by BTF type when known, else hex. */
static void text_typed(const struct printer *p, uint32_t type_id, const uint8_t *data, size_t n)
{
	struct rb_err ignored = {0};
	if (p->v->btf && type_id &&
	    rb_btf_print_value(p->v->btf, type_id, data, n, p->o->out, 0, &ignored) == 0)
		return;
	rb_print_hex_bytes(p->o->out, data, n);
}

/* A BTF name as a JSON key ("" when out of range). */
static void json_name_key(struct printer *p, uint32_t name_off)
{
	const char *n = rb_btf_str(p->v->btf, name_off);
	rb_json_key(&p->j, n ? n : "");
}

/* Global data maps (.data, .rodata, .bss) have a DATASEC value: bpftool's
 * shape is {".rodata":[{"var":value},...]}. */
static bool json_datasec(struct printer *p, const struct btf_type *t, const uint8_t *data, size_t n)
{
	const struct rb_btf *btf = p->v->btf;
	const struct btf_var_secinfo *vs = rb_btf_secinfos(t);
	rb_json_obj_begin(&p->j);
	json_name_key(p, t->name_off);
	rb_json_arr_begin(&p->j);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_type *var = rb_btf_type(btf, vs[i].type);
		struct rb_err ignored = {0};
		if (!var || rb_btf_kind(var) != BTF_KIND_VAR || !rb_range_ok(vs[i].offset, vs[i].size, n))
			continue;
		rb_json_obj_begin(&p->j);
		json_name_key(p, var->name_off);
		if (rb_btf_print_json(btf, var->type, data + vs[i].offset, vs[i].size, &p->j, &ignored) < 0)
			rb_json_null(&p->j);
		rb_json_obj_end(&p->j);
	}
	rb_json_arr_end(&p->j);
	rb_json_obj_end(&p->j);
	return true;
}

static void json_typed(struct printer *p, uint32_t type_id, const uint8_t *data, size_t n)
{
	struct rb_err ignored = {0};
	const struct btf_type *t = rb_btf_skip_qual(p->v->btf, type_id, NULL);
	if (t && rb_btf_kind(t) == BTF_KIND_DATASEC && json_datasec(p, t, data, n))
		return;
	if (rb_btf_print_json(p->v->btf, type_id, data, n, &p->j, &ignored) < 0)
		rb_json_null(&p->j); /* keep the document valid; the hex is beside it */
}

static const uint8_t *cpu_value(const struct printer *p, const uint8_t *value, uint32_t cpu)
{
	return value + (size_t)cpu * p->v->slot;
}

static void text_entry(const struct printer *p, const uint8_t *key, const uint8_t *value)
{
	const struct bpf_map_info *in = &p->v->desc.info;
	FILE *out = p->o->out;
	if (!p->keyless) {
		fputs("key: ", out);
		text_typed(p, in->btf_key_type_id, key, in->key_size);
	}
	if (!rb_map_type_is_percpu(in->type)) {
		fputs(p->keyless ? "value: " : "  value: ", out);
		text_typed(p, in->btf_value_type_id, value, in->value_size);
		fputc('\n', out);
		return;
	}
	fputc('\n', out);
	for (uint32_t c = 0; c < p->v->ncpus; c++) {
		fprintf(out, "\tvalue (CPU %02u): ", c);
		text_typed(p, in->btf_value_type_id, cpu_value(p, value, c), in->value_size);
		fputc('\n', out);
	}
}

static void json_values(struct printer *p, const uint8_t *value, bool formatted)
{
	const struct bpf_map_info *in = &p->v->desc.info;
	rb_json_key(&p->j, "values");
	rb_json_arr_begin(&p->j);
	for (uint32_t c = 0; c < p->v->ncpus; c++) {
		rb_json_obj_begin(&p->j);
		rb_json_ku64(&p->j, "cpu", c);
		rb_json_key(&p->j, "value");
		if (formatted)
			json_typed(p, in->btf_value_type_id, cpu_value(p, value, c), in->value_size);
		else
			rb_json_hex_bytes(&p->j, cpu_value(p, value, c), in->value_size);
		rb_json_obj_end(&p->j);
	}
	rb_json_arr_end(&p->j);
}

static void json_formatted(struct printer *p, const uint8_t *key, const uint8_t *value)
{
	const struct bpf_map_info *in = &p->v->desc.info;
	rb_json_key(&p->j, "formatted");
	rb_json_obj_begin(&p->j);
	if (!p->keyless && in->btf_key_type_id) { /* global data maps type only their value */
		rb_json_key(&p->j, "key");
		json_typed(p, in->btf_key_type_id, key, in->key_size);
	}
	if (rb_map_type_is_percpu(in->type))
		json_values(p, value, true);
	else {
		rb_json_key(&p->j, "value");
		json_typed(p, in->btf_value_type_id, value, in->value_size);
	}
	rb_json_obj_end(&p->j);
}

static void json_entry(struct printer *p, const uint8_t *key, const uint8_t *value)
{
	const struct bpf_map_info *in = &p->v->desc.info;
	rb_json_obj_begin(&p->j);
	if (!p->keyless) {
		rb_json_key(&p->j, "key");
		rb_json_hex_bytes(&p->j, key, in->key_size);
	}
	if (rb_map_type_is_percpu(in->type))
		json_values(p, value, false);
	else {
		rb_json_key(&p->j, "value");
		rb_json_hex_bytes(&p->j, value, in->value_size);
	}
	if (p->v->btf && in->btf_value_type_id)
		json_formatted(p, key, value);
	rb_json_obj_end(&p->j);
}

/* An element whose value cannot be read (perf event arrays, sockmaps):
 * shown with the reason rather than dropped. */
static void error_entry(struct printer *p, const uint8_t *key, int e)
{
	const char *name = rb_errno_name(e);
	if (p->o->json) {
		rb_json_obj_begin(&p->j);
		rb_json_key(&p->j, "key");
		rb_json_hex_bytes(&p->j, key, p->v->desc.info.key_size);
		rb_json_key(&p->j, "value"); /* bpftool's shape: {"value":{"error":"..."}} */
		rb_json_obj_begin(&p->j);
		rb_json_kstr(&p->j, "error", rb_errno_text(e));
		rb_json_obj_end(&p->j);
		rb_json_obj_end(&p->j);
		return;
	}
	fputs("key: ", p->o->out);
	rb_print_hex_bytes(p->o->out, key, p->v->desc.info.key_size);
	fprintf(p->o->out, "  value: <cannot read: %s>\n", name ? name : rb_errno_text(e));
}

static void print_entry(struct printer *p, const uint8_t *key, const uint8_t *value)
{
	if (p->o->json)
		json_entry(p, key, value);
	else
		text_entry(p, key, value);
}

static int not_walkable(const struct rb_map_view *v, struct rb_err *err)
{
	const char *t = rb_map_type_name(v->desc.info.type);
	uint32_t type = v->desc.info.type;
	bool queue = type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK;
	return rb_errf(err, RB_EUSAGE, "map '%s' is a %s map: it has no keys to walk, so it cannot be dumped%s",
		       v->name, t ? t : "keyless", queue ? "; `map peek` shows its head, `map pop` takes it" : "");
}

struct dump_bufs {
	uint8_t *key, *next, *value;
};

static int alloc_bufs(const struct rb_map_view *v, struct dump_bufs *b, struct rb_err *err)
{
	size_t ks = v->desc.info.key_size ? v->desc.info.key_size : 1;
	b->key = calloc(1, ks);
	b->next = calloc(1, ks);
	b->value = calloc(1, v->value_len ? v->value_len : 1);
	if (b->key && b->next && b->value)
		return 0;
	return rb_errf(err, RB_ESYS, "out of memory for map '%s' elements", v->name);
}

static void free_bufs(struct dump_bufs *b)
{
	free(b->key);
	free(b->next);
	free(b->value);
}

/* Walks the keys; a hash map changing meanwhile can restart the walk, so
 * the number of steps is bounded (never hang on a busy map). */
static int walk(const struct rb_sys *sys, struct printer *p, struct dump_bufs *b, unsigned *found,
		struct rb_err *err)
{
	const struct rb_map_view *v = p->v;
	uint64_t limit = (uint64_t)(v->desc.info.max_entries ? v->desc.info.max_entries : 1) * 4 + 16;
	const void *prev = NULL;
	for (uint64_t step = 0; step < limit; step++) {
		int r = rb_bpf_map_get_next_key(sys, v->fd, prev, b->next);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return step == 0 && (r == -EOPNOTSUPP || r == -524 || r == -EINVAL)
				       ? not_walkable(v, err) : rb_map_elem_error(v, -r, "get next key", err);
		memcpy(b->key, b->next, v->desc.info.key_size);
		prev = b->key;
		r = rb_bpf_map_lookup(sys, v->fd, b->key, b->value, 0);
		if (r == -ENOENT)
			continue; /* deleted meanwhile, or an empty prog array slot */
		if (r < 0)
			error_entry(p, b->key, -r);
		else
			print_entry(p, b->key, b->value);
		(*found)++;
	}
	fprintf(stderr, "rawbpf: map '%s' kept changing; stopped after %llu steps\n", v->name,
		(unsigned long long)limit);
	return 0;
}

int rb_map_dump(const struct rb_sys *sys, const struct rb_map_view *v, const struct rb_show_out *o,
		struct rb_err *err)
{
	if (!rb_map_type_walkable(v->desc.info.type))
		return not_walkable(v, err);
	struct printer p = {.v = v, .o = o};
	rb_json_init(&p.j, o->out, o->pretty);
	struct dump_bufs b = {0};
	unsigned found = 0;
	int r = alloc_bufs(v, &b, err);
	if (r == 0 && o->json)
		rb_json_arr_begin(&p.j);
	if (r == 0)
		r = walk(sys, &p, &b, &found, err);
	if (r == 0 && o->json) {
		rb_json_arr_end(&p.j);
		rb_json_finish(&p.j);
	} else if (r == 0)
		fprintf(o->out, "Found %u element%s\n", found, found == 1 ? "" : "s");
	free_bufs(&b);
	return r;
}

enum read_op { READ_LOOKUP, READ_PEEK, READ_POP };

/* Reads one element and prints it: by key, or the head of a queue or stack. */
static int read_print(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
		      enum read_op op, const struct rb_show_out *o, struct rb_err *err)
{
	uint8_t *value = calloc(1, v->value_len ? v->value_len : 1);
	if (!value)
		return rb_inspect_oom(err);
	int r = op == READ_POP ? rb_bpf_map_lookup_and_delete(sys, v->fd, NULL, value)
			       : rb_bpf_map_lookup(sys, v->fd, key, value, 0);
	if (r == -ENOENT && op != READ_LOOKUP)
		r = rb_errf(err, RB_EKERNEL, "map '%s' is empty", v->name);
	else if (r < 0)
		r = rb_map_elem_error(v, -r, rb_strtab_at("lookup\0peek\0pop\0", op), err);
	else {
		struct printer p = {.v = v, .o = o, .keyless = op != READ_LOOKUP};
		rb_json_init(&p.j, o->out, o->pretty);
		print_entry(&p, key, value);
		if (o->json)
			rb_json_finish(&p.j);
	}
	free(value);
	return r;
}

int rb_map_lookup_print(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
			const struct rb_show_out *o, struct rb_err *err)
{
	return read_print(sys, v, key, READ_LOOKUP, o, err);
}

int rb_map_getnext_print(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
			 const struct rb_show_out *o, struct rb_err *err)
{
	uint32_t ks = v->desc.info.key_size;
	uint8_t *next = calloc(1, ks ? ks : 1);
	if (!next)
		return rb_inspect_oom(err);
	int r = rb_bpf_map_get_next_key(sys, v->fd, key, next);
	if (r == -ENOENT)
		r = rb_errf(err, RB_EKERNEL, "map '%s': %s", v->name, key ? "no key after this one" : "the map is empty");
	else if (r < 0)
		r = rb_map_elem_error(v, -r, "get next key", err);
	else if (o->json) {
		struct rb_json j;
		rb_json_init(&j, o->out, o->pretty);
		rb_json_obj_begin(&j);
		rb_json_key(&j, "key");
		key ? rb_json_hex_bytes(&j, key, ks) : rb_json_null(&j);
		rb_json_key(&j, "next_key");
		rb_json_hex_bytes(&j, next, ks);
		rb_json_obj_end(&j);
		rb_json_finish(&j);
	} else {
		fputs("key:\n", o->out);
		key ? rb_print_hex_bytes(o->out, key, ks) : (void)fputs("None", o->out);
		fputs("\nnext key:\n", o->out);
		rb_print_hex_bytes(o->out, next, ks);
		fputc('\n', o->out);
	}
	free(next);
	return r;
}

/* Queues and stacks: the element at the head, read without a key. */
int rb_map_peek_print(const struct rb_sys *sys, const struct rb_map_view *v, bool pop,
		      const struct rb_show_out *o, struct rb_err *err)
{
	return read_print(sys, v, NULL, pop ? READ_POP : READ_PEEK, o, err);
}
