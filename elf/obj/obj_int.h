/* Internals shared by the files of elf/obj/ (not a public surface: users
 * include elf/obj/object.h). */
#ifndef RAWBPF_ELF_OBJ_OBJ_INT_H
#define RAWBPF_ELF_OBJ_OBJ_INT_H

#include "elf/obj/object.h"

#define OBJ_INSN_SZ 8u
#define OBJ_MAX_INSNS (1u << 24)   /* far above the kernel's 1M limit; bounds allocations */
#define OBJ_MAX_DATA (64u << 20)   /* global-data section size accepted */

#define R_BPF_NONE 0
#define R_BPF_64_64 1
#define R_BPF_64_ABS64 2
#define R_BPF_64_ABS32 3
#define R_BPF_64_NODYLD32 4
#define R_BPF_64_32 10

/* A function symbol inside an executable section. */
struct obj_func {
	const char *name;
	uint32_t code;           /* index into ctx->code */
	uint32_t start, end;     /* instruction range inside the section */
	bool global;
	int32_t prog;            /* index into obj->progs, -1 for subprograms */
};

/* A relocation of an executable section, checked against its instruction. */
struct obj_rel {
	uint32_t insn;           /* instruction index inside the section */
	uint32_t index;          /* position in the relocation section (messages) */
	uint32_t type;
	struct rb_elf_sym sym;
};

/* An executable section, converted to host-order instructions. */
struct obj_code {
	const struct rb_elf_sec *sec;
	const struct rb_sec_def *def;   /* NULL for .text and unknown sections */
	struct bpf_insn *insns;
	size_t cnt;
	struct obj_rel *rels;           /* sorted by insn */
	size_t n_rels;
	uint32_t first_func, n_funcs;   /* slice of ctx->funcs, sorted by start */
	/* .BTF.ext records of this section per kind (func, line, core), and
	 * whether their insn_off ascend (then found by binary search). */
	const struct rb_btf_ext_sec *ext[3];
	bool ext_sorted[3];
};

struct obj_ctx {
	struct rb_obj *obj;
	struct rb_err *err;
	struct obj_code *code;
	size_t n_code;
	struct obj_func *funcs;
	size_t n_funcs;
	int32_t *sec_code;              /* per ELF section: index into code, or -1 */
	int32_t *sec_map;               /* per ELF section: data map index, or -1 */
	const struct rb_elf_sec *maps_sec;      /* legacy "maps" */
	const struct rb_elf_sec *btf_maps_sec;  /* ".maps" */
};

/* object.c */
/* rb_errf(c->err, RB_EINPUT, ...): the object is malformed (returns -RB_EINPUT). */
int obj_bad(struct obj_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for the usual shapes: "section 'SEC'" + fmt (fmt goes on with
 * ": ..." or " is ..."), "section 'SEC': relocation INDEX" + fmt. */
int obj_bad_at(struct obj_ctx *c, const char *sec, int64_t rel, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define obj_bad_sec(c, sec, ...) obj_bad_at(c, sec, -1, __VA_ARGS__)
#define obj_bad_rel(c, sec, index, ...) obj_bad_at(c, sec, (int64_t)(index), __VA_ARGS__)
/* rb_errf(c->err, RB_ESYS, "out of memory") (returns -RB_ESYS). */
int obj_oom(struct obj_ctx *c);
void *obj_calloc(struct obj_ctx *c, size_t n, size_t size);
int obj_grow(struct obj_ctx *c, void **arr, size_t *cap, size_t need, size_t size);
void *obj_append(void *arrp, size_t *n, size_t size);
char *obj_strdup(struct obj_ctx *c, const char *s);
const char *obj_sec_name(const struct obj_ctx *c, uint32_t shndx);
int obj_sym_find_in_sec(const struct rb_obj *obj, uint32_t shndx, const char *name,
			struct rb_elf_sym *out);

/* Calls fn(c, sym, arg) for each symbol of .symtab after the null one;
 * stops at the first error. */
int obj_each_sym(struct obj_ctx *c, int (*fn)(struct obj_ctx *c, const struct rb_elf_sym *s, void *arg),
		 void *arg);
/* One relocation of a data section (.maps, .struct_ops), with its symbol. */
struct obj_data_rel {
	struct rb_elf_rel rel;
	struct rb_elf_sym sym;
	size_t index;            /* position in its relocation section (messages) */
};
/* Calls fn(c, r, arg) for each relocation of ELF section target, from its REL
 * sections (and RELA ones when rela); stops at the first error. */
int obj_each_rel(struct obj_ctx *c, uint32_t target, bool rela,
		 int (*fn)(struct obj_ctx *c, const struct obj_data_rel *r, void *arg), void *arg);

/* code.c: executable sections, functions, programs, their relocations */
int obj_collect_code(struct obj_ctx *c);
struct obj_func *obj_func_at(struct obj_ctx *c, uint32_t code, uint32_t insn);
/* The program whose function starts at byte off of section shndx, or -1. */
int obj_prog_at(const struct rb_obj *obj, uint32_t shndx, uint64_t off);
void obj_decode_insn(const struct rb_elf *elf, const uint8_t *p, struct bpf_insn *out);

/* struct_ops.c: variables of .struct_ops / .struct_ops.link and their programs */
int obj_collect_struct_ops(struct obj_ctx *c);
bool obj_is_struct_ops_sec(const struct rb_elf_sec *s);

/* maps.c: legacy and global-data maps */
int obj_collect_legacy_maps(struct obj_ctx *c);
int obj_collect_data_maps(struct obj_ctx *c);
int obj_map_at(const struct obj_ctx *c, uint32_t shndx, uint64_t off);

/* maps_btf.c: BTF-defined maps and their .values */
int obj_collect_btf_maps(struct obj_ctx *c);
int obj_collect_map_slots(struct obj_ctx *c);

/* externs.c */
int obj_collect_externs(struct obj_ctx *c);
int obj_extern_by_sym(const struct rb_obj *obj, uint32_t sym_index);

/* link.c: subprogram linking, relocation, .BTF.ext rewriting */
int obj_link_progs(struct obj_ctx *c);

#endif
