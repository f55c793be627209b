/* Map snapshots for `run --dump-maps` / `--interval`: every entry of a map,
 * key and value decoded with the object's BTF, so a counting program needs
 * no user-space code.  Values laid out as log2 histograms are drawn. */
#include "loader/events/events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "elf/btf.h"
#include "elf/btf_print.h"
#include "loader/bpf.h"
#include "loader/inspect/inspect.h"

static size_t value_stride(const struct rb_events_map *m)
{
	return rb_map_type_is_percpu(m->type) ? ((size_t)m->value_size + 7) / 8 * 8 : m->value_size;
}

/* One key or value as text into b (BTF when known, else hex). */
static void format(const struct rb_events_map *m, uint32_t type_id, const void *p, size_t n, struct rb_buf *b)
{
	size_t before = b->len;
	if (m->btf && type_id && rb_btf_format_value(m->btf, type_id, p, n, b, 0, NULL) == 0)
		return;
	b->len = before;
	rb_hex_append(b, p, n, " ");
}

static void json_value(const struct rb_events_map *m, uint32_t type_id, const void *p, size_t n, struct rb_json *j)
{
	if (m->btf && type_id) {
		rb_btf_print_json(m->btf, type_id, p, n, j, NULL);
		return;
	}
	struct rb_buf b = {0};
	rb_hex_append(&b, p, n, " ");
	rb_json_str(j, rb_buf_str(&b));
	rb_buf_free(&b);
}

/* An int member of the key struct by name; false when absent. */
static bool key_int(const struct rb_events_map *m, const void *key, const char *name, int64_t *v)
{
	struct rb_btf_member_info mi;
	if (!m->btf || !m->btf_key_type_id ||
	    rb_btf_find_member(m->btf, m->btf_key_type_id, name, &mi, NULL) != 1 || mi.bit_offset % 8)
		return false;
	const struct btf_type *t = rb_btf_resolve(m->btf, mi.type_id, NULL);
	if (!t || rb_btf_kind(t) != BTF_KIND_INT || (t->size != 4 && t->size != 8) ||
	    !rb_range_ok(mi.bit_offset / 8, t->size, m->key_size))
		return false;
	int32_t v32;
	if (t->size == 4) {
		memcpy(&v32, (const uint8_t *)key + mi.bit_offset / 8, 4);
		*v = v32;
	} else {
		memcpy(v, (const uint8_t *)key + mi.bit_offset / 8, 8);
	}
	return true;
}

#define RB_MAX_STACK 127  /* PERF_MAX_STACK_DEPTH */

static void print_stack(const struct rb_events_map *m, const char *label, int64_t id, int pid, FILE *out)
{
	uint64_t ips[RB_MAX_STACK];
	uint32_t key = (uint32_t)id;
	memset(ips, 0, sizeof(ips));
	if (id == -EFAULT && pid < 0) {
		fprintf(out, "    %s: [none: sampled in user space]\n", label);
		return;
	}
	if (id < 0 || rb_bpf_map_lookup(m->sys, m->stack_fd, &key, ips, 0) < 0) {
		fprintf(out, "    %s: [no stack: %lld]\n", label, (long long)id);
		return;
	}
	fprintf(out, "    %s:", label);
	for (int i = 0; i < RB_MAX_STACK && ips[i]; i++) {
		char sym[600];
		if (pid >= 0)
			rb_sym_user(m->sym, pid, ips[i], sym, sizeof(sym));
		else
			rb_sym_kernel(m->sym, ips[i], sym, sizeof(sym));
		fprintf(out, "%s %s", i ? " <-" : "", sym);
	}
	fputc('\n', out);
}

static void print_stacks(const struct rb_events_map *m, const void *key, FILE *out)
{
	int64_t kid, uid, pid = -1;
	if (m->stack_fd < 0)
		return;
	if (!key_int(m, key, "pid", &pid))
		key_int(m, key, "tgid", &pid);
	if (key_int(m, key, "kstack_id", &kid))
		print_stack(m, "kernel", kid, -1, out);
	if (key_int(m, key, "ustack_id", &uid))
		print_stack(m, "user", uid, pid > 0 ? (int)pid : 0, out);
}

static void print_entry_text(const struct rb_events_map *m, const void *key, const uint8_t *val, FILE *out)
{
	struct rb_buf b = {0};
	struct rb_hist_layout h;
	bool percpu = rb_map_type_is_percpu(m->type);
	format(m, m->btf_key_type_id, key, m->key_size, &b);
	fprintf(out, "  key: %s", rb_buf_str(&b));
	if (!percpu && rb_hist_layout(m->btf, m->btf_value_type_id, &h)) {
		uint64_t slots[128];
		rb_hist_slots(&h, val, m->value_size, slots);
		fputc('\n', out);
		rb_hist_print_log2(out, "value", slots, h.n_slots);
		rb_buf_free(&b);
		return;
	}
	for (int c = 0; c < (percpu ? m->ncpus : 1); c++) {
		b.len = 0;
		format(m, m->btf_value_type_id, val + (size_t)c * value_stride(m), m->value_size, &b);
		if (percpu)
			fprintf(out, "%s cpu%d: %s", c ? "," : "  value:", c, rb_buf_str(&b));
		else
			fprintf(out, "  value: %s", rb_buf_str(&b));
	}
	fputc('\n', out);
	rb_buf_free(&b);
	print_stacks(m, key, out);
}

static void print_entry_json(const struct rb_events_map *m, const void *key, const uint8_t *val, struct rb_json *j)
{
	rb_json_obj_begin(j);
	rb_json_key(j, "key");
	json_value(m, m->btf_key_type_id, key, m->key_size, j);
	rb_json_key(j, "value");
	if (rb_map_type_is_percpu(m->type)) {
		rb_json_arr_begin(j);
		for (int c = 0; c < m->ncpus; c++)
			json_value(m, m->btf_value_type_id, val + (size_t)c * value_stride(m), m->value_size, j);
		rb_json_arr_end(j);
	} else {
		json_value(m, m->btf_value_type_id, val, m->value_size, j);
	}
	rb_json_obj_end(j);
}

/* An ARRAY named *hist* of plain integers is one histogram over its indexes. */
static bool whole_map_hist(const struct rb_events_map *m)
{
	return m->type == BPF_MAP_TYPE_ARRAY && strstr(m->name, "hist") && m->key_size == 4 &&
	       (m->value_size == 4 || m->value_size == 8) && m->max_entries <= 128 && m->max_entries > 0;
}

static long dump_array_hist(const struct rb_events_map *m, FILE *out, uint8_t *val)
{
	uint64_t slots[128] = {0};
	for (uint32_t k = 0; k < m->max_entries; k++) {
		if (rb_bpf_map_lookup(m->sys, m->fd, &k, val, 0) < 0)
			continue;
		struct rb_hist_layout h = {.n_slots = 1, .slot_size = m->value_size};
		rb_hist_slots(&h, val, m->value_size, &slots[k]);
	}
	fprintf(out, "map %s (log2 histogram):\n", m->name);
	rb_hist_print_log2(out, "value", slots, m->max_entries);
	return m->max_entries;
}

static long walk(const struct rb_events_map *m, FILE *out, struct rb_json *j, uint8_t *key,
		 uint8_t *next, uint8_t *val)
{
	long n = 0;
	bool first = true;
	while (n < 1000000) {
		int rc = rb_bpf_map_get_next_key(m->sys, m->fd, first ? NULL : key, next);
		if (rc < 0)
			return rc == -ENOENT ? n : rc;
		first = false;
		memcpy(key, next, m->key_size);
		if (rb_bpf_map_lookup(m->sys, m->fd, key, val, 0) < 0)
			continue;  /* deleted meanwhile */
		if (j)
			print_entry_json(m, key, val, j);
		else
			print_entry_text(m, key, val, out);
		n++;
	}
	return n;
}

long rb_events_dump_map(const struct rb_events_map *m, FILE *out, struct rb_json *j, struct rb_err *err)
{
	size_t vsize = value_stride(m) * (size_t)(rb_map_type_is_percpu(m->type) ? m->ncpus : 1);
	size_t ksize = ((size_t)m->key_size + 15) / 8 * 8;  /* with slack, 8-aligned */
	uint8_t *key = calloc(1, 2 * ksize + vsize + 8);  /* key, next key, value */
	long n;
	if (!key) {
		n = rb_errf(err, RB_ESYS, "map %s: out of memory for a %zu-byte value", m->name, vsize);
	} else if (!j && whole_map_hist(m)) {
		n = dump_array_hist(m, out, key + 2 * ksize);
	} else {
		if (j) {
			rb_json_obj_begin(j);
			rb_json_kstr(j, "map", m->name);
			rb_json_key(j, "entries");
			rb_json_arr_begin(j);
		} else {
			fprintf(out, "map %s:\n", m->name);
		}
		n = walk(m, out, j, key, key + ksize, key + 2 * ksize);
		if (j) {
			rb_json_arr_end(j);
			rb_json_obj_end(j);
		}
		if (n < 0)
			n = rb_errnof(err, RB_EKERNEL, (int)-n, "map %s: BPF_MAP_GET_NEXT_KEY failed", m->name);
	}
	free(key);
	return n;
}
