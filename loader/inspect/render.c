/* bpftool-shaped rendering of programs, maps and links: the same text
 * layout and the same JSON keys, so scripts written against `bpftool -j`
 * read rawbpf's output too. */
#include "loader/inspect/inspect.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "common/strtab.h"
#include "loader/inspect/names.h"

void rb_print_hex_bytes(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
}

void rb_hex_append(struct rb_buf *b, const void *p, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		rb_buf_printf(b, "%s%02x", i ? sep : "", ((const uint8_t *)p)[i]);
}

void rb_json_hex_bytes(struct rb_json *j, const uint8_t *p, size_t n)
{
	rb_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		char s[8];
		snprintf(s, sizeof(s), "0x%02x", p[i]);
		rb_json_str(j, s);
	}
	rb_json_arr_end(j);
}

/* The type's name, or its number when this table does not know it
 * (bpftool prints "type 42" likewise). */
static void print_type_text(FILE *out, const char *name, uint32_t type)
{
	if (name)
		fputs(name, out);
	else
		fprintf(out, "type %u", type);
}

static void json_type(struct rb_json *j, const char *key, const char *name, uint32_t type)
{
	if (name)
		rb_json_kstr(j, key, name);
	else
		rb_json_ku64(j, key, type);
}

static void format_tag(char out[2 * BPF_TAG_SIZE + 1], const uint8_t *tag)
{
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", tag[i]);
}

/* --- holders (bpftool's "pids") ---------------------------------------------------- */

/* The next holder of object (kind, id) from *i on, or NULL. */
static const struct rb_pid_ref *next_holder(const struct rb_pid_index *ix, enum rb_obj_kind kind,
					    uint32_t id, size_t *i)
{
	for (; ix && *i < ix->n; (*i)++)
		if (ix->refs[*i].kind == kind && ix->refs[*i].id == id)
			return &ix->refs[(*i)++];
	return NULL;
}

static void print_pids_text(FILE *out, const struct rb_pid_index *ix, enum rb_obj_kind kind, uint32_t id)
{
	const char *sep = "\tpids ";
	const struct rb_pid_ref *ref;
	for (size_t i = 0; (ref = next_holder(ix, kind, id, &i));) {
		fprintf(out, "%s%s(%d)", sep, ref->comm, ref->pid);
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc('\n', out);
}

static void json_pids(struct rb_json *j, const struct rb_pid_index *ix, enum rb_obj_kind kind, uint32_t id)
{
	const struct rb_pid_ref *ref;
	bool open = false;
	for (size_t i = 0; (ref = next_holder(ix, kind, id, &i)); open = true) {
		if (!open) {
			rb_json_key(j, "pids");
			rb_json_arr_begin(j);
		}
		rb_json_obj_begin(j);
		rb_json_ku64(j, "pid", (uint64_t)ref->pid);
		rb_json_kstr(j, "comm", ref->comm);
		rb_json_obj_end(j);
	}
	if (open)
		rb_json_arr_end(j);
}

/* --- programs ------------------------------------------------------------------ */

/* strftime's "%Y-%m-%dT%H:%M:%S%z" written out: strftime would add ~4 KB of
 * locale code to the static binary. */
static void print_loaded_at(FILE *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm)) {
		fprintf(out, "\tloaded_at %" PRId64, t);
		return;
	}
	long long year = tm.tm_year + 1900LL;
	long off = tm.tm_gmtoff / 3600 * 100 + tm.tm_gmtoff % 3600 / 60;
	fprintf(out, "\tloaded_at %s%04lld-%02d-%02dT%02d:%02d:%02d", year >= 10000 ? "+" : "", year,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (tm.tm_isdst >= 0)
		fprintf(out, "%+.4ld", off);
}

static void print_map_ids_text(FILE *out, const struct rb_prog_desc *d)
{
	if (!d->nr_map_ids)
		return;
	fputs("  map_ids ", out);
	for (uint32_t i = 0; i < d->nr_map_ids; i++)
		fprintf(out, "%s%u", i ? "," : "", d->map_ids[i]);
}

void rb_prog_print_text(FILE *out, const struct rb_prog_desc *d)
{
	const struct bpf_prog_info *in = &d->info;
	char tag[2 * BPF_TAG_SIZE + 1];
	format_tag(tag, in->tag);
	fprintf(out, "%u: ", in->id);
	print_type_text(out, rb_prog_type_name(in->type), in->type);
	if (d->full_name[0])
		fprintf(out, "  name %s", d->full_name);
	else if (in->name[0])
		fprintf(out, "  name %.*s", BPF_OBJ_NAME_LEN, in->name);
	fprintf(out, "  tag %s%s", tag, in->gpl_compatible ? "  gpl" : "");
	if (in->run_time_ns)
		fprintf(out, " run_time_ns %llu run_cnt %llu", (unsigned long long)in->run_time_ns,
			(unsigned long long)in->run_cnt);
	fputc('\n', out);
	print_loaded_at(out, d->loaded_at);
	fprintf(out, "  uid %u\n\txlated %uB", in->created_by_uid, in->xlated_prog_len);
	if (in->jited_prog_len)
		fprintf(out, "  jited %uB", in->jited_prog_len);
	else
		fputs("  not jited", out);
	if (d->has_memlock)
		fprintf(out, "  memlock %" PRIu64 "B", d->memlock);
	print_map_ids_text(out, d);
	fputc('\n', out);
	if (in->btf_id)
		fprintf(out, "\tbtf_id %u\n", in->btf_id);
	print_pids_text(out, d->pids, RB_OBJ_PROG, in->id);
}

static void json_map_ids(struct rb_json *j, const struct rb_prog_desc *d)
{
	if (!d->nr_map_ids)
		return;
	rb_json_key(j, "map_ids");
	rb_json_arr_begin(j);
	for (uint32_t i = 0; i < d->nr_map_ids; i++)
		rb_json_u64(j, d->map_ids[i]);
	rb_json_arr_end(j);
}

void rb_prog_print_json(struct rb_json *j, const struct rb_prog_desc *d)
{
	const struct bpf_prog_info *in = &d->info;
	char tag[2 * BPF_TAG_SIZE + 1];
	format_tag(tag, in->tag);
	rb_json_obj_begin(j);
	rb_json_ku64(j, "id", in->id);
	json_type(j, "type", rb_prog_type_name(in->type), in->type);
	if (d->full_name[0])
		rb_json_kstr(j, "name", d->full_name);
	else if (in->name[0]) {
		rb_json_key(j, "name");
		rb_json_strn(j, in->name, strnlen(in->name, BPF_OBJ_NAME_LEN));
	}
	rb_json_kstr(j, "tag", tag);
	rb_json_kbool(j, "gpl_compatible", in->gpl_compatible);
	if (in->run_time_ns) {
		rb_json_ku64(j, "run_time_ns", in->run_time_ns);
		rb_json_ku64(j, "run_cnt", in->run_cnt);
	}
	if (in->recursion_misses)
		rb_json_ku64(j, "recursion_misses", in->recursion_misses);
	rb_json_ki64(j, "loaded_at", d->loaded_at);
	rb_json_ku64(j, "uid", in->created_by_uid);
	rb_json_ku64(j, "bytes_xlated", in->xlated_prog_len);
	rb_json_kbool(j, "jited", in->jited_prog_len != 0);
	if (in->jited_prog_len)
		rb_json_ku64(j, "bytes_jited", in->jited_prog_len);
	if (d->has_memlock)
		rb_json_ku64(j, "bytes_memlock", d->memlock);
	json_map_ids(j, d);
	if (in->btf_id)
		rb_json_ku64(j, "btf_id", in->btf_id);
	if (in->verified_insns)
		rb_json_ku64(j, "verified_insns", in->verified_insns);
	json_pids(j, d->pids, RB_OBJ_PROG, in->id);
	rb_json_obj_end(j);
}

/* --- maps ---------------------------------------------------------------------- */

void rb_map_print_text(FILE *out, const struct rb_map_desc *d)
{
	const struct bpf_map_info *in = &d->info;
	fprintf(out, "%u: ", in->id);
	print_type_text(out, rb_map_type_name(in->type), in->type);
	if (in->name[0])
		fprintf(out, "  name %.*s", BPF_OBJ_NAME_LEN, in->name);
	fprintf(out, "  flags 0x%x\n\tkey %uB  value %uB  max_entries %u", in->map_flags,
		in->key_size, in->value_size, in->max_entries);
	if (d->has_memlock)
		fprintf(out, "  memlock %" PRIu64 "B", d->memlock);
	if (d->frozen)
		fputs("  frozen", out);
	fputc('\n', out);
	if (d->has_owner) {
		fputs("\towner_prog_type ", out);
		print_type_text(out, rb_prog_type_name(d->owner_prog_type), d->owner_prog_type);
		fputs(d->owner_jited ? "  owner jited\n" : "  owner not jited\n", out);
	}
	if (in->btf_id)
		fprintf(out, "\tbtf_id %u\n", in->btf_id);
	print_pids_text(out, d->pids, RB_OBJ_MAP, in->id);
}

void rb_map_print_json(struct rb_json *j, const struct rb_map_desc *d)
{
	const struct bpf_map_info *in = &d->info;
	rb_json_obj_begin(j);
	rb_json_ku64(j, "id", in->id);
	json_type(j, "type", rb_map_type_name(in->type), in->type);
	if (in->name[0]) {
		rb_json_key(j, "name");
		rb_json_strn(j, in->name, strnlen(in->name, BPF_OBJ_NAME_LEN));
	}
	rb_json_ku64(j, "flags", in->map_flags);
	rb_json_ku64(j, "bytes_key", in->key_size);
	rb_json_ku64(j, "bytes_value", in->value_size);
	rb_json_ku64(j, "max_entries", in->max_entries);
	if (d->has_memlock)
		rb_json_ku64(j, "bytes_memlock", d->memlock);
	if (d->has_owner) {
		json_type(j, "owner_prog_type", rb_prog_type_name(d->owner_prog_type), d->owner_prog_type);
		rb_json_kbool(j, "owner_jited", d->owner_jited);
	}
	rb_json_ku64(j, "frozen", d->frozen);
	if (in->btf_id)
		rb_json_ku64(j, "btf_id", in->btf_id);
	if (in->map_extra)
		rb_json_ku64(j, "map_extra", in->map_extra);
	json_pids(j, d->pids, RB_OBJ_MAP, in->id);
	rb_json_obj_end(j);
}

/* --- links --------------------------------------------------------------------- */

enum link_field_kind { L_U32, L_S32, L_U64, L_HEX, L_HEX64, L_ATTACH, L_STR, L_PERF_TYPE };

/* One field of a link type's part of struct bpf_link_info, at its ABI
 * offset (the union starts at 16).  Keys are bpftool's JSON keys, stored
 * once each in link_keys and named by index (5-byte rows, no pointers). */
struct link_field {
	unsigned char link_type, key, off, kind;
	unsigned char perf_type; /* perf_event links: only for this event type (0: any) */
};

enum link_key {
	K_TP_NAME, K_ATTACH_TYPE, K_TARGET_OBJ_ID, K_TARGET_BTF_ID, K_CGROUP_ID, K_TARGET_NAME,
	K_NETNS_INO, K_IFINDEX, K_EVENT_TYPE, K_NAME, K_OFFSET, K_ADDR, K_CONFIG, K_TYPE,
	K_FUNC_CNT, K_FLAGS, K_MISSED, K_MAP_ID, K_PF, K_HOOK, K_PRIO, K_PATH, K_PID,
};

static const char link_keys[] =
	"tp_name\0" "attach_type\0" "target_obj_id\0" "target_btf_id\0" "cgroup_id\0" "target_name\0"
	"netns_ino\0" "ifindex\0" "event_type\0" "name\0" "offset\0" "addr\0" "config\0" "type\0"
	"func_cnt\0" "flags\0" "missed\0" "map_id\0" "pf\0" "hook\0" "prio\0" "path\0" "pid\0";

static const struct link_field link_fields[] = {
	{1, K_TP_NAME, 0, L_STR, 0},
	{2, K_ATTACH_TYPE, 16, L_ATTACH, 0}, {2, K_TARGET_OBJ_ID, 20, L_U32, 0},
	{2, K_TARGET_BTF_ID, 24, L_U32, 0},
	{3, K_CGROUP_ID, 16, L_U64, 0}, {3, K_ATTACH_TYPE, 24, L_ATTACH, 0},
	{4, K_TARGET_NAME, 0, L_STR, 0},
	{5, K_NETNS_INO, 16, L_U32, 0}, {5, K_ATTACH_TYPE, 20, L_ATTACH, 0},
	{6, K_IFINDEX, 16, L_U32, 0},
	{7, K_EVENT_TYPE, 16, L_PERF_TYPE, 0}, {7, K_NAME, 0, L_STR, 0},
	{7, K_OFFSET, 36, L_HEX, 1}, {7, K_OFFSET, 36, L_HEX, 2}, /* uprobe: file offset */
	{7, K_OFFSET, 36, L_HEX, 3}, {7, K_ADDR, 40, L_HEX64, 3},   /* kprobe: func+offset */
	{7, K_OFFSET, 36, L_HEX, 4}, {7, K_ADDR, 40, L_HEX64, 4},
	{7, K_CONFIG, 24, L_HEX64, 6}, {7, K_TYPE, 32, L_U32, 6},   /* a perf event */
	{8, K_FUNC_CNT, 24, L_U32, 0}, {8, K_FLAGS, 28, L_HEX, 0}, {8, K_MISSED, 32, L_U64, 0},
	{9, K_MAP_ID, 16, L_U32, 0},
	{10, K_PF, 16, L_U32, 0}, {10, K_HOOK, 20, L_U32, 0}, {10, K_PRIO, 24, L_S32, 0},
	{10, K_FLAGS, 28, L_HEX, 0},
	{11, K_IFINDEX, 16, L_U32, 0}, {11, K_ATTACH_TYPE, 20, L_ATTACH, 0},
	{12, K_PATH, 0, L_STR, 0}, {12, K_FUNC_CNT, 52, L_U32, 0}, {12, K_PID, 60, L_U32, 0},
	{13, K_IFINDEX, 16, L_U32, 0}, {13, K_ATTACH_TYPE, 20, L_ATTACH, 0},
	{14, K_MAP_ID, 16, L_U32, 0}, {14, K_ATTACH_TYPE, 20, L_ATTACH, 0},
};

static const char perf_event_types[] =
	"unspec\0" "uprobe\0" "uretprobe\0" "kprobe\0" "kretprobe\0" "tracepoint\0" "event\0";

static uint64_t link_raw(const struct rb_link_desc *d, unsigned off, unsigned size)
{
	uint64_t v = 0;
	if (off + size <= sizeof(d->raw)) {
		if (size == 8)
			memcpy(&v, d->raw + off, 8);
		else {
			uint32_t v32;
			memcpy(&v32, d->raw + off, 4);
			v = v32;
		}
	}
	return v;
}

/* Formats one field's value into buf; returns false for an empty string
 * (left out) and sets *is_num for JSON. */
static bool link_field_value(const struct rb_link_desc *d, const struct link_field *f, char *buf,
			     size_t n, bool *is_num, uint64_t *num)
{
	*is_num = false;
	uint64_t v = link_raw(d, f->off, f->kind == L_U64 || f->kind == L_HEX64 ? 8 : 4);
	const char *name = NULL;
	switch (f->kind) {
	case L_STR:
		snprintf(buf, n, "%s", d->str);
		return d->str[0] != 0;
	case L_ATTACH: name = rb_attach_type_name((uint32_t)v); break;
	case L_PERF_TYPE: name = rb_strtab_at(perf_event_types, v); break;
	case L_HEX: case L_HEX64: /* hex for people, a number in JSON */
		snprintf(buf, n, "0x%" PRIx64, v);
		*num = v;
		*is_num = true;
		return true;
	case L_S32: snprintf(buf, n, "%d", (int32_t)v); *num = (uint64_t)(int64_t)(int32_t)v; *is_num = true; return true;
	default: break;
	}
	if (name) {
		snprintf(buf, n, "%s", name);
		return true;
	}
	snprintf(buf, n, "%" PRIu64, v);
	*num = v;
	*is_num = true;
	return true;
}

static bool link_field_applies(const struct rb_link_desc *d, const struct link_field *f)
{
	return f->link_type == d->type && (!f->perf_type || f->perf_type == link_raw(d, 16, 4));
}

void rb_link_print_text(FILE *out, const struct rb_link_desc *d)
{
	fprintf(out, "%u: ", d->id);
	print_type_text(out, rb_link_type_name(d->type), d->type);
	fprintf(out, "  prog %u\n", d->prog_id);
	const char *sep = "\t";
	for (size_t i = 0; i < RB_ARRAY_SIZE(link_fields); i++) {
		const struct link_field *f = &link_fields[i];
		char buf[300];
		bool is_num;
		uint64_t num;
		if (!link_field_applies(d, f) || !link_field_value(d, f, buf, sizeof(buf), &is_num, &num))
			continue;
		fprintf(out, "%s%s %s", sep, rb_strtab_at(link_keys, f->key), buf);
		sep = "  ";
	}
	if (sep[0] == ' ')
		fputc('\n', out);
	print_pids_text(out, d->pids, RB_OBJ_LINK, d->id);
}

void rb_link_print_json(struct rb_json *j, const struct rb_link_desc *d)
{
	rb_json_obj_begin(j);
	rb_json_ku64(j, "id", d->id);
	json_type(j, "type", rb_link_type_name(d->type), d->type);
	rb_json_ku64(j, "prog_id", d->prog_id);
	for (size_t i = 0; i < RB_ARRAY_SIZE(link_fields); i++) {
		const struct link_field *f = &link_fields[i];
		char buf[300];
		bool is_num;
		uint64_t num;
		if (!link_field_applies(d, f) || !link_field_value(d, f, buf, sizeof(buf), &is_num, &num))
			continue;
		const char *key = rb_strtab_at(link_keys, f->key);
		if (is_num && f->kind == L_S32)
			rb_json_ki64(j, key, (int64_t)num);
		else if (is_num)
			rb_json_ku64(j, key, num);
		else
			rb_json_kstr(j, key, buf);
	}
	json_pids(j, d->pids, RB_OBJ_LINK, d->id);
	rb_json_obj_end(j);
}
