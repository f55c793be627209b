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

/* --- one walk for both forms --------------------------------------------------- */

/* bpftool's text and JSON list an object's fields in the same order, so
 * each printer walks the fields once and every field goes out in the form
 * asked for: as "key":value, or as text through a printf format taking the
 * value (a NULL format: the field is JSON only). */
struct sink {
	FILE *out;
	struct rb_json *j; /* NULL: text */
};

/* fmt takes one uint64_t (or int64_t when is_signed). */
static void put_num(const struct sink *s, const char *key, const char *fmt, uint64_t v, bool is_signed)
{
	if (s->j && is_signed)
		rb_json_ki64(s->j, key, (int64_t)v);
	else if (s->j)
		rb_json_ku64(s->j, key, v);
	else if (fmt)
		fprintf(s->out, fmt, v);
}

static void put_u64(const struct sink *s, const char *key, const char *fmt, uint64_t v)
{
	put_num(s, key, fmt, v, false);
}

static void put_str(const struct sink *s, const char *key, const char *fmt, const char *v)
{
	if (s->j)
		rb_json_kstr(s->j, key, v);
	else
		fprintf(s->out, fmt, v);
}

/* A JSON boolean that the text shows as words (text chosen by the caller). */
static void put_bool(const struct sink *s, const char *key, const char *text, bool v)
{
	if (s->j)
		rb_json_kbool(s->j, key, v);
	else
		fputs(text, s->out);
}

/* Text only: separators, line breaks. */
static void put_text(const struct sink *s, const char *text)
{
	if (!s->j)
		fputs(text, s->out);
}

/* The type's name, or its number when names.c does not know it (bpftool
 * prints "type 42" likewise). */
static void put_type(const struct sink *s, const char *key, const char *label, const char *name,
		     uint32_t type)
{
	put_text(s, label);
	if (name)
		put_str(s, key, "%s", name);
	else
		put_u64(s, key, "type %" PRIu64, type);
}

/* A name of at most max characters (the kernel's are not NUL-terminated
 * when they fill BPF_OBJ_NAME_LEN); left out when empty. */
static void put_name(const struct sink *s, const char *name, size_t max)
{
	size_t n = strnlen(name, max);
	if (!n)
		return;
	if (s->j) {
		rb_json_key(s->j, "name");
		rb_json_strn(s->j, name, n);
	} else
		fprintf(s->out, "  name %.*s", (int)n, name);
}

static void put_begin(const struct sink *s, uint32_t id)
{
	if (s->j)
		rb_json_obj_begin(s->j);
	put_u64(s, "id", "%" PRIu64 ": ", id);
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

/* "\tpids comm(pid), ..." or "pids":[{"pid":N,"comm":"..."},...]; nothing
 * when no process holds the object. */
static void put_pids(const struct sink *s, const struct rb_pid_index *ix, enum rb_obj_kind kind, uint32_t id)
{
	const struct rb_pid_ref *ref;
	size_t n = 0;
	for (size_t i = 0; (ref = next_holder(ix, kind, id, &i)); n++) {
		if (!s->j) {
			fprintf(s->out, "%s%s(%d)", n ? ", " : "\tpids ", ref->comm, ref->pid);
			continue;
		}
		if (!n) {
			rb_json_key(s->j, "pids");
			rb_json_arr_begin(s->j);
		}
		rb_json_obj_begin(s->j);
		rb_json_ku64(s->j, "pid", (uint64_t)ref->pid);
		rb_json_kstr(s->j, "comm", ref->comm);
		rb_json_obj_end(s->j);
	}
	if (n && s->j)
		rb_json_arr_end(s->j);
	else if (n)
		fputc('\n', s->out);
}

/* The holders, then the end of the object. */
static void put_end(const struct sink *s, enum rb_obj_kind kind, uint32_t id, const struct rb_pid_index *pids)
{
	put_pids(s, pids, kind, id);
	if (s->j)
		rb_json_obj_end(s->j);
}

/* --- programs ------------------------------------------------------------------ */

static void format_tag(char out[2 * BPF_TAG_SIZE + 1], const uint8_t *tag)
{
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", tag[i]);
}

/* strftime's "%Y-%m-%dT%H:%M:%S%z" written out: strftime would add ~4 KB of
 * locale code to the static binary.  Text starts a line; JSON has seconds. */
static void put_loaded_at(const struct sink *s, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (s->j || !localtime_r(&tt, &tm)) {
		put_num(s, "loaded_at", "\n\tloaded_at %" PRId64, (uint64_t)t, true);
		return;
	}
	long long year = tm.tm_year + 1900LL;
	long off = tm.tm_gmtoff / 3600 * 100 + tm.tm_gmtoff % 3600 / 60;
	fprintf(s->out, "\n\tloaded_at %s%04lld-%02d-%02dT%02d:%02d:%02d", year >= 10000 ? "+" : "", year,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (tm.tm_isdst >= 0)
		fprintf(s->out, "%+.4ld", off);
}

static void put_map_ids(const struct sink *s, const struct rb_prog_desc *d)
{
	if (!d->nr_map_ids)
		return;
	if (s->j) {
		rb_json_key(s->j, "map_ids");
		rb_json_arr_begin(s->j);
	}
	for (uint32_t i = 0; i < d->nr_map_ids; i++) {
		if (s->j)
			rb_json_u64(s->j, d->map_ids[i]);
		else
			fprintf(s->out, "%s%u", i ? "," : "  map_ids ", d->map_ids[i]);
	}
	if (s->j)
		rb_json_arr_end(s->j);
}

void rb_prog_print(FILE *out, struct rb_json *j, const struct rb_prog_desc *d)
{
	const struct bpf_prog_info *in = &d->info;
	const struct sink s = {out, j};
	char tag[2 * BPF_TAG_SIZE + 1];
	format_tag(tag, in->tag);
	put_begin(&s, in->id);
	put_type(&s, "type", "", rb_prog_type_name(in->type), in->type);
	if (d->full_name[0])
		put_name(&s, d->full_name, sizeof(d->full_name));
	else
		put_name(&s, in->name, BPF_OBJ_NAME_LEN);
	put_str(&s, "tag", "  tag %s", tag);
	put_bool(&s, "gpl_compatible", in->gpl_compatible ? "  gpl" : "", in->gpl_compatible);
	if (in->run_time_ns) {
		put_u64(&s, "run_time_ns", " run_time_ns %" PRIu64, in->run_time_ns);
		put_u64(&s, "run_cnt", " run_cnt %" PRIu64, in->run_cnt);
	}
	if (in->recursion_misses)
		put_u64(&s, "recursion_misses", NULL, in->recursion_misses);
	put_loaded_at(&s, d->loaded_at);
	put_u64(&s, "uid", "  uid %" PRIu64 "\n", in->created_by_uid);
	put_u64(&s, "bytes_xlated", "\txlated %" PRIu64 "B", in->xlated_prog_len);
	put_bool(&s, "jited", in->jited_prog_len ? "" : "  not jited", in->jited_prog_len != 0);
	if (in->jited_prog_len)
		put_u64(&s, "bytes_jited", "  jited %" PRIu64 "B", in->jited_prog_len);
	if (d->has_memlock)
		put_u64(&s, "bytes_memlock", "  memlock %" PRIu64 "B", d->memlock);
	put_map_ids(&s, d);
	put_text(&s, "\n");
	if (in->btf_id)
		put_u64(&s, "btf_id", "\tbtf_id %" PRIu64 "\n", in->btf_id);
	if (in->verified_insns)
		put_u64(&s, "verified_insns", NULL, in->verified_insns);
	put_end(&s, RB_OBJ_PROG, in->id, d->pids);
}

/* --- maps ---------------------------------------------------------------------- */

void rb_map_print(FILE *out, struct rb_json *j, const struct rb_map_desc *d)
{
	const struct bpf_map_info *in = &d->info;
	const struct sink s = {out, j};
	put_begin(&s, in->id);
	put_type(&s, "type", "", rb_map_type_name(in->type), in->type);
	put_name(&s, in->name, BPF_OBJ_NAME_LEN);
	put_u64(&s, "flags", "  flags 0x%" PRIx64 "\n", in->map_flags);
	put_u64(&s, "bytes_key", "\tkey %" PRIu64 "B", in->key_size);
	put_u64(&s, "bytes_value", "  value %" PRIu64 "B", in->value_size);
	put_u64(&s, "max_entries", "  max_entries %" PRIu64, in->max_entries);
	if (d->has_memlock)
		put_u64(&s, "bytes_memlock", "  memlock %" PRIu64 "B", d->memlock);
	put_text(&s, d->frozen ? "  frozen\n" : "\n");
	if (d->has_owner) {
		put_type(&s, "owner_prog_type", "\towner_prog_type ", rb_prog_type_name(d->owner_prog_type),
			 d->owner_prog_type);
		put_bool(&s, "owner_jited", d->owner_jited ? "  owner jited\n" : "  owner not jited\n",
			 d->owner_jited);
	}
	put_u64(&s, "frozen", NULL, d->frozen);
	if (in->btf_id)
		put_u64(&s, "btf_id", "\tbtf_id %" PRIu64 "\n", in->btf_id);
	if (in->map_extra)
		put_u64(&s, "map_extra", NULL, in->map_extra);
	put_end(&s, RB_OBJ_MAP, in->id, d->pids);
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

static bool link_field_applies(const struct rb_link_desc *d, const struct link_field *f)
{
	return f->link_type == d->type && (!f->perf_type || f->perf_type == link_raw(d, 16, 4));
}

/* The field's value as a name (NULL: it is a number, in *v).  Strings are
 * the one buffer the kernel filled (d->str). */
static const char *link_field_name(const struct rb_link_desc *d, const struct link_field *f, uint64_t *v)
{
	*v = link_raw(d, f->off, f->kind == L_U64 || f->kind == L_HEX64 ? 8 : 4);
	switch (f->kind) {
	case L_STR: return d->str;
	case L_ATTACH: return rb_attach_type_name((uint32_t)*v);
	case L_PERF_TYPE: return rb_strtab_at(perf_event_types, *v);
	case L_S32: *v = (uint64_t)(int64_t)(int32_t)*v; return NULL;
	default: return NULL;
	}
}

/* "\tkey value  key value\n" (hex for people, a number in JSON); empty
 * strings are left out. */
static void put_link_fields(const struct sink *s, const struct rb_link_desc *d)
{
	const char *sep = "\t";
	for (size_t i = 0; i < RB_ARRAY_SIZE(link_fields); i++) {
		const struct link_field *f = &link_fields[i];
		if (!link_field_applies(d, f))
			continue;
		uint64_t v;
		const char *name = link_field_name(d, f, &v);
		if (name && !name[0])
			continue;
		const char *key = rb_strtab_at(link_keys, f->key);
		if (!s->j)
			fprintf(s->out, "%s%s ", sep, key);
		sep = "  ";
		if (name)
			put_str(s, key, "%s", name);
		else
			put_num(s, key, f->kind == L_S32 ? "%" PRId64 : f->kind == L_HEX || f->kind == L_HEX64
				? "0x%" PRIx64 : "%" PRIu64, v, f->kind == L_S32);
	}
	if (sep[0] == ' ')
		put_text(s, "\n");
}

void rb_link_print(FILE *out, struct rb_json *j, const struct rb_link_desc *d)
{
	const struct sink s = {out, j};
	put_begin(&s, d->id);
	put_type(&s, "type", "", rb_link_type_name(d->type), d->type);
	put_u64(&s, "prog_id", "  prog %" PRIu64 "\n", d->prog_id);
	put_link_fields(&s, d);
	put_end(&s, RB_OBJ_LINK, d->id, d->pids);
}
