/* `.BTF.ext` reader: func_info, line_info and core_relo records, grouped per
 * ELF section (each group names its section by a `.BTF` string offset).
 *
 * Forward compatible: a subsection's rec_size may be larger than the struct
 * rawbpf knows (newer clang); records are reached through the accessors
 * below, which step by rec_size.  Smaller than known is rejected.
 *
 * Like rb_btf, the ext keeps its own host-order copy (every field is a u32),
 * so records are handed out as <linux/bpf.h> structs.  Offsets in the records
 * are as clang wrote them: insn_off in BYTES from the start of the section
 * (the kernel wants instruction indexes for func_info/line_info; the loader
 * divides by 8 when it builds a program). */
#ifndef RAWBPF_ELF_BTF_EXT_H
#define RAWBPF_ELF_BTF_EXT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "common/err.h"
#include "elf/btf.h"
#include "elf/elf.h"

/* The records of one ELF section. */
struct rb_btf_ext_sec {
	const char *name;        /* ELF section name, from the .BTF strings */
	uint32_t name_off;
	uint32_t rec_size;       /* >= the known struct size, multiple of 4 */
	uint32_t count;
	const uint8_t *recs;     /* count * rec_size bytes, host order */
};

/* One kind of record (func_info, line_info or core_relo). */
struct rb_btf_ext_info {
	uint32_t rec_size;       /* 0 when the subsection is absent */
	uint32_t nsecs;
	struct rb_btf_ext_sec *secs;
};

struct rb_btf_ext {
	bool swapped;            /* source was in the other byte order */
	struct rb_btf_ext_info func_info;
	struct rb_btf_ext_info line_info;
	struct rb_btf_ext_info core_relo;
	uint8_t *data;           /* the host-order copy all recs point into */
	size_t size;
};

/* Parses raw `.BTF.ext` bytes.  btf is the object's `.BTF` (needed: section
 * names and line_info file/line strings are offsets into its strings, and
 * are checked); its byte order must match.  Returns 0 or -RB_EINPUT /
 * -RB_ESYS; *out is NULL on failure. */
int rb_btf_ext_parse(struct rb_btf_ext **out, const void *data, size_t size,
		     const struct rb_btf *btf, const char *name, struct rb_err *err);
/* The `.BTF.ext` section of elf; 0 with *out == NULL when there is none. */
int rb_btf_ext_from_elf(struct rb_btf_ext **out, const struct rb_elf *elf,
			const struct rb_btf *btf, struct rb_err *err);
void rb_btf_ext_free(struct rb_btf_ext *ext);

/* The group of an ELF section by name, NULL when it has no records. */
const struct rb_btf_ext_sec *rb_btf_ext_find(const struct rb_btf_ext_info *info,
					     const char *sec_name);

/* Record i (< s->count) of a group. */
static inline const struct bpf_func_info *rb_btf_ext_func_info(const struct rb_btf_ext_sec *s,
							      uint32_t i)
{ return (const struct bpf_func_info *)(s->recs + (size_t)i * s->rec_size); }
static inline const struct bpf_line_info *rb_btf_ext_line_info(const struct rb_btf_ext_sec *s,
							      uint32_t i)
{ return (const struct bpf_line_info *)(s->recs + (size_t)i * s->rec_size); }
static inline const struct bpf_core_relo *rb_btf_ext_core_relo(const struct rb_btf_ext_sec *s,
							      uint32_t i)
{ return (const struct bpf_core_relo *)(s->recs + (size_t)i * s->rec_size); }

#endif
