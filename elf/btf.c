/* BTF reader.  One pass records every type's offset (one array) and the
 * largest type id and name offset the types refer to, so accessors can trust
 * what they read; a second pass runs only to name a bad reference.  The name
 * index is built on the first lookup. */
#include "elf/btf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "common/buf.h"
#include "common/strtab.h"

#define HDR_MIN_SIZE 24u
#define VMLINUX_PATH "/sys/kernel/btf/vmlinux"
/* vmlinux BTF is ~6 MB; allow generous growth, refuse anything absurd. */
#define BTF_MAX_FILE_SIZE (256u << 20)

/* Filled lazily by rb_btf_find (lives in the same allocation as the BTF,
 * reached through a pointer so const BTFs can build it). */
struct name_index {
	uint32_t *slots;   /* type ids, 0 = empty; open addressing */
	uint32_t mask;
	bool built;
	bool failed;       /* out of memory: fall back to a linear scan */
};

struct rb_btf {
	const uint8_t *raw;    /* host order: header + types + strings */
	size_t raw_size;
	uint8_t *owned;        /* raw when it is our malloc'd copy (patchable) */
	void *map;             /* raw when it maps the kernel's own BTF (read-only) */
	size_t map_len;
	union {  /* struct btf_header from hdr_len on, read as one array */
		struct {
			uint32_t hdr_len, type_off, type_len, str_off, str_len;
		};
		uint32_t hdr[5];
	};
	const uint8_t *types;
	const char *strs;
	uint32_t *offs;        /* offs[i]: offset of type start_id+i in types */
	uint32_t nr_types;     /* own types */
	uint32_t start_id;
	uint32_t start_str;    /* base's total string size: our offsets start there */
	const struct rb_btf *base;
	bool swapped, big_endian;
	char *label;
	struct name_index *idx;
	struct name_index idx_storage;
	uint32_t kind_cnt[BTF_KIND_ENUM64 + 1]; /* own types per kind */
};

static const struct btf_type void_type;

/* --- small facts ----------------------------------------------------------------- */

uint32_t rb_btf_type_cnt(const struct rb_btf *btf) { return btf->start_id + btf->nr_types; }
uint32_t rb_btf_start_id(const struct rb_btf *btf) { return btf->start_id; }
const struct rb_btf *rb_btf_base(const struct rb_btf *btf) { return btf->base; }
bool rb_btf_swapped(const struct rb_btf *btf) { return btf->swapped; }
bool rb_btf_big_endian(const struct rb_btf *btf) { return btf->big_endian; }
const char *rb_btf_label(const struct rb_btf *btf) { return btf->label; }

uint32_t rb_btf_kind_count(const struct rb_btf *btf, uint32_t kind)
{
	return kind < RB_ARRAY_SIZE(btf->kind_cnt) ? btf->kind_cnt[kind] : 0;
}

static uint32_t total_str_len(const struct rb_btf *btf)
{
	return btf->start_str + btf->str_len;
}

/* By BTF_KIND_* value (BTF_KIND_UNKN to BTF_KIND_ENUM64), as a strtab. */
static const char kind_lower[] = "unknown\0int\0ptr\0array\0struct\0union\0enum\0fwd\0typedef\0volatile\0const\0restrict\0func\0func_proto\0var\0datasec\0float\0decl_tag\0type_tag\0enum64\0";

const char *rb_btf_kind_name(uint32_t kind)
{
	const char *n = rb_strtab_at(kind_lower, kind);
	return n ? n : "unknown";
}

const char *rb_btf_kind_upper(uint32_t kind, char buf[RB_BTF_KIND_NAME_MAX])
{
	const char *n = rb_btf_kind_name(kind);
	size_t i = 0;
	for (; n[i] && i < RB_BTF_KIND_NAME_MAX - 1; i++)
		buf[i] = n[i] >= 'a' && n[i] <= 'z' ? (char)(n[i] - 'a' + 'A') : n[i];
	buf[i] = 0;
	return buf;
}

/* --- accessors ----------------------------------------------------------------------- */

const struct btf_type *rb_btf_type(const struct rb_btf *btf, uint32_t id)
{
	if (id == 0)
		return &void_type;
	if (id < btf->start_id)
		return btf->base ? rb_btf_type(btf->base, id) : NULL;
	if (id - btf->start_id >= btf->nr_types)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id - btf->start_id]);
}

const char *rb_btf_str(const struct rb_btf *btf, uint32_t off)
{
	if (off < btf->start_str)
		return btf->base ? rb_btf_str(btf->base, off) : NULL;
	if (off - btf->start_str >= btf->str_len)
		return NULL;
	return btf->strs + (off - btf->start_str);
}

const char *rb_btf_type_name(const struct rb_btf *btf, uint32_t id)
{
	const struct btf_type *t = rb_btf_type(btf, id);
	if (!t)
		return NULL;
	const char *s = rb_btf_str(btf, t->name_off);
	return s ? s : "";
}

uint32_t rb_btf_member_bit_offset(const struct btf_type *t, uint32_t i)
{
	uint32_t off = rb_btf_members(t)[i].offset;
	return rb_btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(off) : off;
}

uint32_t rb_btf_member_bitfield_size(const struct btf_type *t, uint32_t i)
{
	return rb_btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(rb_btf_members(t)[i].offset) : 0;
}

int64_t rb_btf_enum_value(const struct btf_type *t, uint32_t i)
{
	if (rb_btf_kind(t) == BTF_KIND_ENUM64)
		return (int64_t)rb_btf_enum64_value(&rb_btf_enum64s(t)[i]);
	int32_t v = rb_btf_enums(t)[i].val;
	return rb_btf_kflag(t) ? (int64_t)v : (int64_t)(uint32_t)v;
}

const char *rb_btf_enum_name(const struct rb_btf *btf, const struct btf_type *t, uint32_t i)
{
	uint32_t off = rb_btf_kind(t) == BTF_KIND_ENUM64 ? rb_btf_enum64s(t)[i].name_off
							  : rb_btf_enums(t)[i].name_off;
	const char *s = rb_btf_str(btf, off);
	return s ? s : "";
}

/* --- parsing: header and byte order ------------------------------------------------------- */

static uint32_t swap32_if(uint32_t v, bool swap)
{
	return swap ? __builtin_bswap32(v) : v;
}

static uint32_t hdr_word(const uint8_t *raw, size_t off, bool swap)
{
	uint32_t v;
	memcpy(&v, raw + off, 4);
	return swap32_if(v, swap);
}

static int read_header(struct rb_btf *btf, struct rb_err *err)
{
	const uint8_t *raw = btf->raw;
	if (btf->raw_size < HDR_MIN_SIZE)
		return rb_input_errf(err, btf->label, "%zu bytes is too short for a BTF header (%u)",
				     btf->raw_size, HDR_MIN_SIZE);
	uint16_t magic;
	memcpy(&magic, raw, 2);
	if (magic != BTF_MAGIC && magic != __builtin_bswap16(BTF_MAGIC))
		return rb_input_errf(err, btf->label, "bad BTF magic 0x%04x (want 0xeb9f)", magic);
	bool swap = magic != BTF_MAGIC;
	btf->swapped = swap;
	btf->big_endian = raw[0] == 0xeb;
	if (raw[2] != 1)
		return rb_input_errf(err, btf->label, "BTF version %u, rawbpf reads version 1", raw[2]);
	for (int i = 0; i < 5; i++)
		btf->hdr[i] = hdr_word(raw, 4 + 4 * (size_t)i, swap);
	return 0;
}

static int check_layout(struct rb_btf *btf, struct rb_err *err)
{
	uint64_t body = btf->raw_size;
	if (btf->hdr_len < HDR_MIN_SIZE || btf->hdr_len > body)
		return rb_input_errf(err, btf->label, "BTF hdr_len %u outside 24..%zu", btf->hdr_len,
				     btf->raw_size);
	body -= btf->hdr_len;
	if (!rb_range_ok(btf->type_off, btf->type_len, body) || !rb_range_ok(btf->str_off, btf->str_len, body))
		return rb_input_errf(err, btf->label,
				     "BTF type section %u+%u or string section %u+%u past the end of the data (%llu bytes after the header)",
				     btf->type_off, btf->type_len, btf->str_off, btf->str_len,
				     (unsigned long long)body);
	if ((btf->hdr_len + (uint64_t)btf->type_off) % 4 || btf->type_len % 4)
		return rb_input_errf(err, btf->label, "BTF type section at %u+%u is not 4-byte aligned",
				     btf->type_off, btf->type_len);
	if (btf->type_off < btf->str_off ? (uint64_t)btf->type_off + btf->type_len > btf->str_off
					 : (uint64_t)btf->str_off + btf->str_len > btf->type_off)
		return rb_input_errf(err, btf->label, "BTF type and string sections overlap");
	btf->types = btf->raw + btf->hdr_len + btf->type_off;
	btf->strs = (const char *)btf->raw + btf->hdr_len + btf->str_off;
	return 0;
}

static int check_strings(struct rb_btf *btf, struct rb_err *err)
{
	if (btf->str_len == 0 && btf->base)
		return 0;
	if (btf->str_len == 0 || btf->strs[btf->str_len - 1] != 0)
		return rb_input_errf(err, btf->label, "BTF string section is empty or not NUL-terminated");
	if (!btf->base && btf->strs[0] != 0)
		return rb_input_errf(err, btf->label,
				     "BTF string section does not start with an empty string "
				     "(split BTF, e.g. a kernel module's? parse it on its base, vmlinux)");
	if (UINT32_MAX - btf->start_str < btf->str_len)
		return rb_input_errf(err, btf->label, "BTF string offsets overflow 32 bits");
	return 0;
}

/* Every record following a btf_type is made of u32 words, so the whole type
 * section swaps word by word. */
static int swap_to_host(struct rb_btf *btf, struct rb_err *err)
{
	uint8_t *raw = btf->owned;
	if (!raw) /* only the kernel's own BTF is mapped, and it is in host order */
		return rb_input_errf(err, btf->label, "BTF in the other byte order cannot be read in place");
	for (size_t off = 4; off < HDR_MIN_SIZE; off += 4) {
		uint32_t v;
		memcpy(&v, raw + off, 4);
		v = __builtin_bswap32(v);
		memcpy(raw + off, &v, 4);
	}
	uint16_t magic = BTF_MAGIC;
	memcpy(raw, &magic, 2);
	uint32_t *w = (uint32_t *)(raw + btf->hdr_len + btf->type_off);
	for (uint32_t i = 0; i < btf->type_len / 4; i++)
		w[i] = __builtin_bswap32(w[i]);
	return 0;
}

/* --- parsing: types -------------------------------------------------------------------------- */

/* Bytes following the btf_type for this kind, or -1 for an unknown kind:
 * per kind a fixed part plus vlen records of a size (low and high nibble). */
static int64_t kind_extra(const struct btf_type *t)
{
#define EXTRA(fixed, per_vlen) ((fixed) | (per_vlen) << 4)
	static const uint8_t extra[] = {
		[BTF_KIND_INT] = EXTRA(4, 0), [BTF_KIND_VAR] = EXTRA(4, 0),
		[BTF_KIND_DECL_TAG] = EXTRA(4, 0), [BTF_KIND_ARRAY] = EXTRA(sizeof(struct btf_array), 0),
		[BTF_KIND_STRUCT] = EXTRA(0, sizeof(struct btf_member)),
		[BTF_KIND_UNION] = EXTRA(0, sizeof(struct btf_member)),
		[BTF_KIND_ENUM] = EXTRA(0, sizeof(struct btf_enum)),
		[BTF_KIND_FUNC_PROTO] = EXTRA(0, sizeof(struct btf_param)),
		[BTF_KIND_DATASEC] = EXTRA(0, sizeof(struct btf_var_secinfo)),
		[BTF_KIND_ENUM64] = EXTRA(0, sizeof(struct btf_enum64)),
	};
#undef EXTRA
	_Static_assert(sizeof(struct btf_array) < 16 && sizeof(struct btf_enum64) < 16, "nibbles");
	uint32_t k = rb_btf_kind(t);
	if (k == BTF_KIND_UNKN || k >= RB_ARRAY_SIZE(extra))
		return -1;
	return (extra[k] & 15) + (int64_t)rb_btf_vlen(t) * (extra[k] >> 4);
}

/* Every reference a type makes (its name, type ids, its records' names and
 * types) is visited by one walk, used twice: parsing keeps the largest type
 * id and name offset; only when one is out of range does a second walk,
 * with the limits known, name the first offender. */
enum { REF_ID, REF_NAME };

struct ref_walk {
	uint32_t max[2];      /* by REF_ID / REF_NAME: the largest seen */
	uint32_t lim[2];      /* second walk: the first reference at or past this is bad */
	const char *bad_what; /* the first bad reference: what it is, its value */
	uint32_t bad_val;
	int bad_kind;
};

static inline void max_into(uint32_t *m, uint32_t v)
{
	*m = v > *m ? v : *m;
}

static void note_bad(struct ref_walk *w, int kind, uint32_t v, const char *what)
{
	if (!w->bad_what) {
		w->bad_what = what;
		w->bad_val = v;
		w->bad_kind = kind;
	}
}

/* Inline: vmlinux has ~10^6 references, parsed on every load. */
static inline __attribute__((always_inline)) void see(struct ref_walk *w, int kind, uint32_t v,
						      const char *what)
{
	max_into(&w->max[kind], v);
	if (v >= w->lim[kind])
		note_bad(w, kind, v, what);
}

/* The vlen records after a btf_type, each `words` u32 long: which word is a
 * type id and which a name offset (-1: none). */
static void see_records(const struct btf_type *t, struct ref_walk *w, uint32_t words, int id_word,
			int name_word, const char *what)
{
	const uint32_t *rec = (const uint32_t *)(t + 1);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++, rec += words) {
		if (id_word >= 0)
			see(w, REF_ID, rec[id_word], what);
		if (name_word >= 0)
			see(w, REF_NAME, rec[name_word], what);
	}
}

#define WORDS(s) (uint32_t)(sizeof(struct s) / 4)
#define WORD(s, f) (int)(offsetof(struct s, f) / 4)

/* Kinds whose only reference is btf_type.type. */
static bool refs_one_type(const struct btf_type *t)
{
	const uint32_t one = 1u << BTF_KIND_PTR | 1u << BTF_KIND_TYPEDEF | 1u << BTF_KIND_VOLATILE |
			     1u << BTF_KIND_CONST | 1u << BTF_KIND_RESTRICT | 1u << BTF_KIND_FUNC |
			     1u << BTF_KIND_VAR | 1u << BTF_KIND_DECL_TAG | 1u << BTF_KIND_TYPE_TAG;
	return one >> rb_btf_kind(t) & 1;
}

static void see_refs(const struct btf_type *t, struct ref_walk *w)
{
	see(w, REF_NAME, t->name_off, "the type's");
	if (refs_one_type(t))
		see(w, REF_ID, t->type, "its type");
	switch (rb_btf_kind(t)) {
	case BTF_KIND_ARRAY:
		see(w, REF_ID, rb_btf_array(t)->type, "array element");
		see(w, REF_ID, rb_btf_array(t)->index_type, "array index");
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		see_records(t, w, WORDS(btf_member), WORD(btf_member, type), WORD(btf_member, name_off), "member");
		break;
	case BTF_KIND_ENUM:
		see_records(t, w, WORDS(btf_enum), -1, WORD(btf_enum, name_off), "enumerator");
		break;
	case BTF_KIND_ENUM64:
		see_records(t, w, WORDS(btf_enum64), -1, WORD(btf_enum64, name_off), "enumerator");
		break;
	case BTF_KIND_FUNC_PROTO:
		see(w, REF_ID, t->type, "return type");
		see_records(t, w, WORDS(btf_param), WORD(btf_param, type), WORD(btf_param, name_off), "parameter");
		break;
	case BTF_KIND_DATASEC:
		see_records(t, w, WORDS(btf_var_secinfo), WORD(btf_var_secinfo, type), -1, "section variable");
		break;
	default:
		break;
	}
}

static int index_types(struct rb_btf *btf, struct ref_walk *refs, struct rb_err *err)
{
	/* Every type takes at least 12 bytes: one allocation bounds them all. */
	btf->offs = malloc((btf->type_len / sizeof(struct btf_type) + 1) * sizeof(uint32_t));
	if (!btf->offs)
		return rb_errf(err, RB_ESYS, "%s: out of memory indexing BTF types", btf->label);
	uint32_t off = 0, n = 0;
	while (off < btf->type_len) {
		uint32_t id = btf->start_id + n;
		if (btf->type_len - off < sizeof(struct btf_type))
			return rb_input_errf(err, btf->label, "BTF type [%u] at offset %u is truncated", id,
					     off);
		const struct btf_type *t = (const struct btf_type *)(btf->types + off);
		int64_t extra = kind_extra(t);
		if (extra < 0)
			return rb_input_errf(err, btf->label,
					     "BTF type [%u] has unknown kind %u (rawbpf knows kinds 1-%u)",
					     id, rb_btf_kind(t), BTF_KIND_ENUM64);
		uint64_t len = sizeof(*t) + (uint64_t)extra;
		if (len > btf->type_len - off)
			return rb_input_errf(err, btf->label,
					     "BTF type [%u] (%s, vlen %u) runs past the type section", id,
					     rb_btf_kind_name(rb_btf_kind(t)), rb_btf_vlen(t));
		if (n == UINT32_MAX - btf->start_id)
			return rb_input_errf(err, btf->label, "too many BTF types");
		see_refs(t, refs);
		btf->kind_cnt[rb_btf_kind(t)]++;
		btf->offs[n++] = off;
		off += (uint32_t)len;
	}
	btf->nr_types = n;
	return 0;
}

/* The second walk: the first reference past the last type id or the strings. */
static int check_refs(const struct rb_btf *btf, struct rb_err *err)
{
	struct ref_walk w = {.lim = {rb_btf_type_cnt(btf), total_str_len(btf)}};
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		see_refs((const struct btf_type *)(btf->types + btf->offs[i]), &w);
		uint32_t id = btf->start_id + i;
		if (w.bad_what && w.bad_kind == REF_ID)
			return rb_input_errf(err, btf->label,
					     "BTF type [%u]: %s refers to type id %u, but the last id is %u",
					     id, w.bad_what, w.bad_val, rb_btf_type_cnt(btf) - 1);
		if (w.bad_what)
			return rb_input_errf(err, btf->label,
					     "BTF type [%u]: %s name offset %u is past the strings (%u bytes)",
					     id, w.bad_what, w.bad_val, total_str_len(btf));
	}
	/* cannot happen: both walks see the same references */
	return rb_input_errf(err, btf->label, "BTF refers to a type id or name past the end");
}

/* --- creating and freeing ------------------------------------------------------------------- */

static int parse_owned(struct rb_btf *btf, struct rb_err *err)
{
	int r = read_header(btf, err);
	if (r == 0)
		r = check_layout(btf, err);
	if (r == 0 && btf->swapped)
		r = swap_to_host(btf, err);
	if (r == 0)
		r = check_strings(btf, err);
	/* the first walk knows no limits yet: it only keeps the largest */
	struct ref_walk refs = {.lim = {UINT32_MAX, UINT32_MAX}};
	if (r == 0)
		r = index_types(btf, &refs, err);
	if (r == 0 && (refs.max[REF_ID] >= rb_btf_type_cnt(btf) || refs.max[REF_NAME] >= total_str_len(btf)))
		r = check_refs(btf, err);
	return r;
}

/* Where the bytes of a BTF come from: a malloc'd copy (patchable), or a
 * read-only mapping of the kernel's own BTF. */
struct btf_bytes {
	uint8_t *owned;
	void *map;
	size_t map_len;
	size_t size;
};

static void bytes_free(const struct btf_bytes *b)
{
	free(b->owned);
	if (b->map)
		munmap(b->map, b->map_len);
}

/* Takes ownership of the bytes in all cases. */
static int parse_take(struct rb_btf **out, const struct btf_bytes *b, const struct rb_btf *base,
		      const char *name, struct rb_err *err)
{
	*out = NULL;
	struct rb_btf *btf = calloc(1, sizeof(*btf));
	char *label = strdup(name ? name : "BTF");
	if (!btf || !label || (!b->owned && !b->map)) {
		free(btf);
		free(label);
		bytes_free(b);
		return rb_oom_errf(err, name ? name : "BTF");
	}
	btf->owned = b->owned;
	btf->map = b->map;
	btf->map_len = b->map_len;
	btf->raw = b->owned ? b->owned : (const uint8_t *)b->map;
	btf->raw_size = b->size;
	btf->label = label;
	btf->base = base;
	btf->idx = &btf->idx_storage;
	btf->start_id = base ? rb_btf_type_cnt(base) : 1;
	btf->start_str = base ? total_str_len(base) : 0;
	int r = parse_owned(btf, err);
	if (r < 0) {
		rb_btf_free(btf);
		return r;
	}
	*out = btf;
	return 0;
}

int rb_btf_parse(struct rb_btf **out, const void *data, size_t size, const struct rb_btf *base,
		 const char *name, struct rb_err *err)
{
	*out = NULL;
	/* Copy into a u32-aligned buffer: btf_type pointers are handed out. */
	void *copy = malloc(size ? size : 1);
	if (!copy)
		return rb_errf(err, RB_ESYS, "%s: out of memory for %zu bytes of BTF", name ? name : "BTF", size);
	if (size)
		memcpy(copy, data, size);
	return parse_take(out, &(struct btf_bytes){.owned = copy, .size = size}, base, name, err);
}

int rb_btf_from_elf(struct rb_btf **out, const struct rb_elf *elf, const struct rb_btf *base,
		    struct rb_err *err)
{
	*out = NULL;
	const struct rb_elf_sec *sec = rb_elf_sec_by_name(elf, ".BTF");
	if (!sec)
		return 0;
	if (!sec->data)
		return rb_input_errf(err, elf->name, "section .BTF has no contents (type %u, size %llu)",
				     sec->type, (unsigned long long)sec->size);
	char label[512];
	snprintf(label, sizeof(label), "%s: .BTF", elf->name);
	return rb_btf_parse(out, sec->data, sec->size, base, label, err);
}

static int load_elf_btf(struct rb_btf **out, struct rb_buf *buf, const char *path,
			const struct rb_btf *base, struct rb_err *err)
{
	struct rb_elf elf;
	int r = rb_elf_open_mem(&elf, buf->data, buf->len, path, err);
	if (r == 0) {
		r = rb_btf_from_elf(out, &elf, base, err);
		if (r == 0 && !*out)
			r = rb_input_errf(err, path, "ELF file has no .BTF section (compile with -g)");
		rb_elf_close(&elf);
	}
	rb_buf_free(buf);
	return r;
}

int rb_btf_load_file(struct rb_btf **out, const char *path, const struct rb_btf *base,
		     struct rb_err *err)
{
	struct rb_buf buf;
	*out = NULL;
	int r = rb_read_input(path, BTF_MAX_FILE_SIZE, "too big for a BTF file", &buf, err);
	if (r < 0)
		return r;
	if (buf.len >= 4 && memcmp(buf.data, "\177ELF", 4) == 0)
		return load_elf_btf(out, &buf, path, base, err);
	/* Raw BTF: hand the buffer over (rb_buf data comes from malloc/realloc). */
	struct btf_bytes b = {.owned = buf.data ? (uint8_t *)buf.data : calloc(1, 1), .size = buf.len};
	return parse_take(out, &b, base, path, err);
}

#define SYSFS_MAGIC_NUMBER 0x62656572 /* linux/magic.h SYSFS_MAGIC */

/* Linux >= 6.16 lets /sys/kernel/btf/vmlinux be mapped (private, read-only):
 * the kernel's own pages, instead of ~1350 read()s of one page each plus a
 * copy.  Only a sysfs file is mapped: its pages are kernel memory that cannot
 * shrink under us (a regular file bind-mounted there could, and SIGBUS).
 * The kernel refuses a mapping longer than the attribute, so a successful
 * mmap of st_size bytes covers them all.  Returns false to fall back to read(). */
static bool map_vmlinux(struct btf_bytes *b)
{
	int fd = open(VMLINUX_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	struct statfs sfs;
	void *p = MAP_FAILED;
	if (fstatfs(fd, &sfs) == 0 && (uint32_t)sfs.f_type == SYSFS_MAGIC_NUMBER && fstat(fd, &st) == 0 &&
	    st.st_size >= (off_t)HDR_MIN_SIZE && st.st_size <= (off_t)BTF_MAX_FILE_SIZE)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	uint16_t magic;
	memcpy(&magic, p, 2);
	*b = (struct btf_bytes){.map = p, .map_len = (size_t)st.st_size, .size = (size_t)st.st_size};
	if (magic == BTF_MAGIC)
		return true;
	munmap(p, (size_t)st.st_size); /* other byte order: read() and swap a copy */
	return false;
}

int rb_btf_load_vmlinux(struct rb_btf **out, struct rb_err *err)
{
	struct btf_bytes b;
	if (map_vmlinux(&b))
		return parse_take(out, &b, NULL, VMLINUX_PATH, err);
	int r = rb_btf_load_file(out, VMLINUX_PATH, NULL, err);
	if (r == -RB_ESYS && err && err->sys_errno == ENOENT) {
		rb_err_clear(err);
		return rb_errf(err, RB_ENOTSUP,
			       "%s is missing: the running kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y needed)",
			       VMLINUX_PATH);
	}
	return r;
}

void rb_btf_free(struct rb_btf *btf)
{
	if (!btf)
		return;
	free(btf->idx_storage.slots);
	free(btf->offs);
	bytes_free(&(struct btf_bytes){.owned = btf->owned, .map = btf->map, .map_len = btf->map_len});
	free(btf->label);
	free(btf);
}

/* --- resolution ----------------------------------------------------------------------------------- */

static bool is_qual(uint32_t kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

static const struct btf_type *skip(const struct rb_btf *btf, uint32_t id, uint32_t *res_id,
				   bool typedefs)
{
	for (int depth = 0; depth <= RB_BTF_MAX_CHAIN; depth++) {
		const struct btf_type *t = rb_btf_type(btf, id);
		if (!t)
			return NULL;
		uint32_t k = rb_btf_kind(t);
		if (!is_qual(k) && !(typedefs && k == BTF_KIND_TYPEDEF)) {
			if (res_id)
				*res_id = id;
			return t;
		}
		id = t->type;
	}
	return NULL;
}

const struct btf_type *rb_btf_skip_qual(const struct rb_btf *btf, uint32_t id, uint32_t *res_id)
{
	return skip(btf, id, res_id, false);
}

const struct btf_type *rb_btf_resolve(const struct rb_btf *btf, uint32_t id, uint32_t *res_id)
{
	return skip(btf, id, res_id, true);
}

static int size_of(const struct rb_btf *btf, uint32_t id, int depth, uint64_t *size, struct rb_err *err)
{
	uint32_t rid = id;
	const struct btf_type *t = depth > RB_BTF_MAX_CHAIN ? NULL : rb_btf_resolve(btf, id, &rid);
	if (!t)
		return rb_input_errf(err, btf->label, "BTF type [%u]: bad id or a typedef/modifier loop", id);
	const uint32_t sized = 1u << BTF_KIND_INT | 1u << BTF_KIND_ENUM | 1u << BTF_KIND_ENUM64 |
			       1u << BTF_KIND_STRUCT | 1u << BTF_KIND_UNION | 1u << BTF_KIND_FLOAT |
			       1u << BTF_KIND_DATASEC;
	if (sized >> rb_btf_kind(t) & 1) {
		*size = t->size;
		return 0;
	}
	switch (rb_btf_kind(t)) {
	case BTF_KIND_PTR:
		*size = 8;
		return 0;
	case BTF_KIND_VAR:
		return size_of(btf, t->type, depth + 1, size, err);
	case BTF_KIND_ARRAY: {
		uint64_t elem;
		int r = size_of(btf, rb_btf_array(t)->type, depth + 1, &elem, err);
		if (r < 0)
			return r;
		if (elem && rb_btf_array(t)->nelems > UINT64_MAX / elem)
			return rb_input_errf(err, btf->label, "BTF array [%u]: size overflows", rid);
		*size = elem * rb_btf_array(t)->nelems;
		return 0;
	}
	default:
		return rb_input_errf(err, btf->label, "BTF type [%u] (%s) has no size", rid,
				     rb_btf_kind_name(rb_btf_kind(t)));
	}
}

int rb_btf_type_size(const struct rb_btf *btf, uint32_t id, uint64_t *size, struct rb_err *err)
{
	return size_of(btf, id, 0, size, err);
}

/* --- name index -------------------------------------------------------------------------------------- */

uint32_t rb_btf_name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len && s[i]; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static void index_insert(struct name_index *ix, uint32_t hash, uint32_t id)
{
	uint32_t i = hash & ix->mask;
	while (ix->slots[i])
		i = (i + 1) & ix->mask;
	ix->slots[i] = id;
}

static void build_index(const struct rb_btf *btf)
{
	struct name_index *ix = btf->idx;
	uint32_t cap = 16;
	while (cap < btf->nr_types * 2u && cap < (1u << 30))
		cap <<= 1;
	ix->built = true;
	ix->slots = calloc(cap, sizeof(uint32_t));
	if (!ix->slots) {
		ix->failed = true;
		return;
	}
	ix->mask = cap - 1;
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		const struct btf_type *t = (const struct btf_type *)(btf->types + btf->offs[i]);
		if (t->name_off < btf->start_str)
			continue; /* named in the base's strings: rare, found by find_base_named */
		const char *n = btf->strs + (t->name_off - btf->start_str);
		if (*n)
			index_insert(ix, rb_btf_name_hash(n, SIZE_MAX), btf->start_id + i);
	}
}

static bool type_is(const struct rb_btf *btf, uint32_t id, const char *name, int kind)
{
	const struct btf_type *t = rb_btf_type(btf, id);
	if (kind >= 0 && rb_btf_kind(t) != (uint32_t)kind)
		return false;
	return strcmp(rb_btf_type_name(btf, id), name) == 0;
}

static uint32_t find_linear(const struct rb_btf *btf, const char *name, int kind)
{
	for (uint32_t id = btf->start_id; id < rb_btf_type_cnt(btf); id++)
		if (type_is(btf, id, name, kind))
			return id;
	return 0;
}

/* Types whose name lives in the base's strings are not in the index. */
static uint32_t find_base_named(const struct rb_btf *btf, const char *name, int kind)
{
	if (!btf->base)
		return 0;
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		const struct btf_type *t = (const struct btf_type *)(btf->types + btf->offs[i]);
		if (t->name_off && t->name_off < btf->start_str && type_is(btf, btf->start_id + i, name, kind))
			return btf->start_id + i;
	}
	return 0;
}

static uint32_t find_own(const struct rb_btf *btf, const char *name, int kind)
{
	struct name_index *ix = btf->idx;
	if (!ix->built)
		build_index(btf);
	if (ix->failed)
		return find_linear(btf, name, kind);
	for (uint32_t i = rb_btf_name_hash(name, SIZE_MAX) & ix->mask; ix->slots[i]; i = (i + 1) & ix->mask)
		if (type_is(btf, ix->slots[i], name, kind))
			return ix->slots[i];
	return find_base_named(btf, name, kind);
}

uint32_t rb_btf_find(const struct rb_btf *btf, const char *name, int kind)
{
	if (!name || !*name)
		return 0;
	if (btf->base) {
		uint32_t id = rb_btf_find(btf->base, name, kind);
		if (id)
			return id;
	}
	return find_own(btf, name, kind);
}

/* --- members ---------------------------------------------------------------------------------------- */

/* Anonymous members nest; hostile BTF can make that a huge tree, so the
 * search visits at most this many members. */
#define MEMBER_VISIT_BUDGET (1u << 16)

static int member_in(const struct rb_btf *btf, uint32_t id, const char *name, uint32_t base_bits,
		     int depth, uint32_t *budget, struct rb_btf_member_info *out)
{
	const struct btf_type *t = rb_btf_resolve(btf, id, NULL);
	if (!t || depth > RB_BTF_MAX_CHAIN || *budget == 0 ||
	    (rb_btf_kind(t) != BTF_KIND_STRUCT && rb_btf_kind(t) != BTF_KIND_UNION))
		return 0;
	const struct btf_member *m = rb_btf_members(t);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		if (*budget == 0)
			return 0;
		(*budget)--;
		const char *mn = rb_btf_str(btf, m[i].name_off);
		uint32_t bits = base_bits + rb_btf_member_bit_offset(t, i);
		if (mn && strcmp(mn, name) == 0) {
			*out = (struct rb_btf_member_info){m[i].type, bits, rb_btf_member_bitfield_size(t, i), mn};
			return 1;
		}
		if (mn && !*mn && member_in(btf, m[i].type, name, bits, depth + 1, budget, out))
			return 1;
	}
	return 0;
}

int rb_btf_find_member(const struct rb_btf *btf, uint32_t type_id, const char *name,
		       struct rb_btf_member_info *out, struct rb_err *err)
{
	const struct btf_type *t = rb_btf_resolve(btf, type_id, NULL);
	if (!t || (rb_btf_kind(t) != BTF_KIND_STRUCT && rb_btf_kind(t) != BTF_KIND_UNION))
		return rb_input_errf(err, btf->label,
				     "BTF type [%u] is not a struct or union (looking for member '%s')",
				     type_id, name);
	uint32_t budget = MEMBER_VISIT_BUDGET;
	return member_in(btf, type_id, name, 0, 0, &budget, out);
}

/* --- raw bytes -------------------------------------------------------------------------------------- */

const void *rb_btf_raw(const struct rb_btf *btf, size_t *size)
{
	*size = btf->raw_size;
	return btf->raw;
}

void *rb_btf_clone_raw(const struct rb_btf *btf, size_t *size)
{
	void *p = malloc(btf->raw_size ? btf->raw_size : 1);
	if (!p)
		return NULL;
	memcpy(p, btf->raw, btf->raw_size);
	*size = btf->raw_size;
	return p;
}

size_t rb_btf_type_raw_offset(const struct rb_btf *btf, uint32_t id)
{
	if (id < btf->start_id || id - btf->start_id >= btf->nr_types)
		return 0;
	return btf->hdr_len + btf->type_off + btf->offs[id - btf->start_id];
}

struct btf_type *rb_btf_type_mut(struct rb_btf *btf, uint32_t id)
{
	size_t off = rb_btf_type_raw_offset(btf, id);
	return off && btf->owned ? (struct btf_type *)(btf->owned + off) : NULL;
}
