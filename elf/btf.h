/* BTF reader: `.BTF` of an ELF object, raw BTF files (/sys/kernel/btf/vmlinux)
 * and split BTF on top of a base (/sys/kernel/btf/<module>).
 *
 * Parsing is one pass over the type section that records each type's offset
 * in one array; every referenced type id and every name offset is validated
 * then, so the accessors below never read out of bounds.  The kernel's own
 * BTF is mapped read-only where Linux allows it (6.16+), not copied.  Kinds 1-19 (INT ..
 * ENUM64, DECL_TAG, TYPE_TAG) are known; any other kind is rejected naming
 * the kind number and type id.
 *
 * The BTF keeps its own host-order copy of the bytes (a big-endian `.BTF`
 * from `clang -target bpfeb` is swapped on parse; rb_btf_swapped says so),
 * so `const struct btf_type *` pointers from <linux/btf.h> are handed out
 * directly and stay valid until rb_btf_free.
 *
 * Type ids: 0 is void.  A base BTF has ids 1..type_cnt-1.  A split BTF's ids
 * continue after its base's (start_id = base's type_cnt) and its string
 * offsets continue after the base's string section; every accessor taking
 * an id or a name offset resolves into the base transparently.
 *
 * Lookup by name builds a hash index on first use (per BTF, no global state),
 * so rb_btf_find is O(1) on average afterwards. */
#ifndef RAWBPF_ELF_BTF_H
#define RAWBPF_ELF_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#include "common/err.h"
#include "elf/elf.h"

#ifndef BTF_MAGIC
#define BTF_MAGIC 0xeB9F
#endif

/* typedef/const/volatile/restrict/type_tag chains longer than this are
 * treated as loops. */
#define RB_BTF_MAX_CHAIN 32
/* Any kind, for rb_btf_find. */
#define RB_BTF_ANY_KIND (-1)

struct rb_btf;

/* --- creating and freeing ------------------------------------------------------ */

/* Parses size bytes of raw BTF (header + types + strings), copying them.
 * base: NULL, or the base BTF this one is split on (must outlive it).
 * name labels messages ("prog.o: .BTF", "vmlinux").  Returns 0 or -RB_EINPUT
 * / -RB_ESYS with err filled; *out is NULL on failure. */
int rb_btf_parse(struct rb_btf **out, const void *data, size_t size, const struct rb_btf *base,
		 const char *name, struct rb_err *err);
/* The `.BTF` section of an ELF.  Returns 0 with *out == NULL when the object
 * has no `.BTF` section (not an error: BTF is optional). */
int rb_btf_from_elf(struct rb_btf **out, const struct rb_elf *elf, const struct rb_btf *base,
		    struct rb_err *err);
/* A raw BTF file or an ELF file with a `.BTF` section (told by the magic). */
int rb_btf_load_file(struct rb_btf **out, const char *path, const struct rb_btf *base,
		     struct rb_err *err);
/* /sys/kernel/btf/vmlinux; -RB_ENOTSUP when the kernel exposes no BTF.
 * Mapped read-only where the kernel allows it (Linux >= 6.16), else read. */
int rb_btf_load_vmlinux(struct rb_btf **out, struct rb_err *err);
void rb_btf_free(struct rb_btf *btf);

/* --- whole-BTF facts ------------------------------------------------------------- */

/* One past the last valid id (base ids included), like libbpf's btf__type_cnt. */
uint32_t rb_btf_type_cnt(const struct rb_btf *btf);
/* First id owned by this BTF: 1 for a base, the base's type_cnt for split. */
uint32_t rb_btf_start_id(const struct rb_btf *btf);
const struct rb_btf *rb_btf_base(const struct rb_btf *btf);
/* How many of this BTF's own types (not the base's) have this kind. */
uint32_t rb_btf_kind_count(const struct rb_btf *btf, uint32_t kind);
/* The source was in the other byte order than the host (and got swapped). */
bool rb_btf_swapped(const struct rb_btf *btf);
/* The source was big-endian. */
bool rb_btf_big_endian(const struct rb_btf *btf);
const char *rb_btf_label(const struct rb_btf *btf);

/* --- types ------------------------------------------------------------------------ */

/* NULL when id >= type_cnt.  Id 0 returns a zeroed "void" type (kind UNKN). */
const struct btf_type *rb_btf_type(const struct rb_btf *btf, uint32_t id);
/* A string from the string section(s); NULL when off is out of range.
 * Offsets validated at parse (names, member names, enumerators) never fail. */
const char *rb_btf_str(const struct rb_btf *btf, uint32_t off);
/* The type's name, "" for anonymous types and void, NULL for a bad id. */
const char *rb_btf_type_name(const struct rb_btf *btf, uint32_t id);
/* "int", "struct", "typedef", ... (bpftool's upper-case names: rb_btf_kind_upper). */
const char *rb_btf_kind_name(uint32_t kind);
/* The same in capitals, written into buf ("FUNC_PROTO"; the longest fits). */
#define RB_BTF_KIND_NAME_MAX 16
const char *rb_btf_kind_upper(uint32_t kind, char buf[RB_BTF_KIND_NAME_MAX]);

static inline uint32_t rb_btf_kind(const struct btf_type *t) { return BTF_INFO_KIND(t->info); }
static inline uint32_t rb_btf_vlen(const struct btf_type *t) { return BTF_INFO_VLEN(t->info); }
static inline bool rb_btf_kflag(const struct btf_type *t) { return BTF_INFO_KFLAG(t->info); }

/* The records following a btf_type (valid only for the kinds named). */
static inline uint32_t rb_btf_int_info(const struct btf_type *t) /* INT: BTF_INT_* */
{ return *(const uint32_t *)(t + 1); }
static inline const struct btf_array *rb_btf_array(const struct btf_type *t) /* ARRAY */
{ return (const struct btf_array *)(t + 1); }
static inline const struct btf_member *rb_btf_members(const struct btf_type *t) /* STRUCT, UNION */
{ return (const struct btf_member *)(t + 1); }
static inline const struct btf_enum *rb_btf_enums(const struct btf_type *t) /* ENUM */
{ return (const struct btf_enum *)(t + 1); }
static inline const struct btf_enum64 *rb_btf_enum64s(const struct btf_type *t) /* ENUM64 */
{ return (const struct btf_enum64 *)(t + 1); }
static inline const struct btf_param *rb_btf_params(const struct btf_type *t) /* FUNC_PROTO */
{ return (const struct btf_param *)(t + 1); }
static inline const struct btf_var *rb_btf_var(const struct btf_type *t) /* VAR */
{ return (const struct btf_var *)(t + 1); }
static inline const struct btf_var_secinfo *rb_btf_secinfos(const struct btf_type *t) /* DATASEC */
{ return (const struct btf_var_secinfo *)(t + 1); }
static inline const struct btf_decl_tag *rb_btf_decl_tag(const struct btf_type *t) /* DECL_TAG */
{ return (const struct btf_decl_tag *)(t + 1); }

/* Member i of a struct/union: bit offset and bitfield size (0 = not a
 * bitfield) honouring kind_flag. */
uint32_t rb_btf_member_bit_offset(const struct btf_type *t, uint32_t i);
uint32_t rb_btf_member_bitfield_size(const struct btf_type *t, uint32_t i);
static inline uint64_t rb_btf_enum64_value(const struct btf_enum64 *e)
{ return ((uint64_t)e->val_hi32 << 32) | e->val_lo32; }
/* Enumerator value as a signed or unsigned 64-bit number (ENUM or ENUM64,
 * kind_flag = signed), i < vlen. */
int64_t rb_btf_enum_value(const struct btf_type *t, uint32_t i);
const char *rb_btf_enum_name(const struct rb_btf *btf, const struct btf_type *t, uint32_t i);

/* --- resolution ------------------------------------------------------------------ */

/* Skips const/volatile/restrict/type_tag (not typedef).  Returns the type
 * and sets *res_id (may be NULL); NULL on a bad id or a loop. */
const struct btf_type *rb_btf_skip_qual(const struct rb_btf *btf, uint32_t id, uint32_t *res_id);
/* Skips typedef too: the underlying struct/int/ptr/... */
const struct btf_type *rb_btf_resolve(const struct rb_btf *btf, uint32_t id, uint32_t *res_id);
/* Byte size of a type: ints/floats/structs/unions/enums by their size,
 * pointers 8, arrays elem*n (overflow-checked), through typedef and
 * qualifier chains, VAR by its type.  Returns 0 or -RB_EINPUT (void, func,
 * fwd, loops, bad ids) with err filled. */
int rb_btf_type_size(const struct rb_btf *btf, uint32_t id, uint64_t *size, struct rb_err *err);

/* Finds a type by name and kind (BTF_KIND_* or RB_BTF_ANY_KIND) in this BTF
 * and its base.  Returns the id (>0) or 0 when absent.  The first call
 * builds the name index. */
uint32_t rb_btf_find(const struct rb_btf *btf, const char *name, int kind);

/* The name hash of every BTF name index (FNV-1a) over the first len bytes
 * of s, or up to its NUL (len SIZE_MAX). */
uint32_t rb_btf_name_hash(const char *s, size_t len);

/* A member of a struct/union by name, descending into anonymous
 * struct/union members (bit offsets added up). */
struct rb_btf_member_info {
	uint32_t type_id;        /* the member's type (unresolved) */
	uint32_t bit_offset;     /* from the start of the outer struct */
	uint32_t bitfield_size;  /* 0 when not a bitfield */
	const char *name;
};
/* type_id may be a typedef/qualifier of a struct/union.  Returns 1 found,
 * 0 not found, -RB_EINPUT when type_id is not a struct/union. */
int rb_btf_find_member(const struct rb_btf *btf, uint32_t type_id, const char *name,
		       struct rb_btf_member_info *out, struct rb_err *err);

/* --- raw bytes for the kernel ---------------------------------------------------- */

/* This BTF's bytes in host order (header + types + strings; for split BTF
 * only the split part, as BPF_BTF_LOAD with btf_token/base fd wants it). */
const void *rb_btf_raw(const struct rb_btf *btf, size_t *size);
/* A malloc'd copy of rb_btf_raw the caller frees; NULL when out of memory.
 * The loader fixes DATASEC sizes / VAR offsets and rewrites unknown kinds in
 * such a copy, leaving the parsed BTF untouched. */
void *rb_btf_clone_raw(const struct rb_btf *btf, size_t *size);
/* Offset of type id's btf_type inside rb_btf_raw's bytes (ids of this BTF
 * only; 0 for a bad id), so a copy from rb_btf_clone_raw can be patched:
 *     struct btf_type *t = (void *)((char *)copy + rb_btf_type_raw_offset(btf, id)); */
size_t rb_btf_type_raw_offset(const struct rb_btf *btf, uint32_t id);
/* Writable access to this BTF's own bytes, for fixups in place (sizes,
 * offsets, kind rewrites that keep each type's record layout).  Lookups see
 * the changes; the name index is not rebuilt, so do not rename types.
 * NULL for a bad id, and for the kernel's BTF when it is mapped read-only
 * (rb_btf_load_vmlinux): patch a rb_btf_clone_raw copy instead. */
struct btf_type *rb_btf_type_mut(struct rb_btf *btf, uint32_t id);

#endif
