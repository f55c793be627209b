/* Internal to elf/core: relocation specs and type compatibility. */
#ifndef RAWBPF_ELF_CORE_CORE_INT_H
#define RAWBPF_ELF_CORE_CORE_INT_H

#include "elf/core/core.h"

/* One step of an access string: a named member (name != NULL, type_id = the
 * struct/union) or an array element (name NULL, type_id = element type). */
struct core_acc {
	uint32_t type_id;
	uint32_t idx;
	const char *name;
};

/* An access string resolved against one BTF. */
struct core_spec {
	const struct rb_btf *btf;
	uint32_t root_id;
	uint32_t kind;                        /* enum bpf_core_relo_kind */
	struct core_acc acc[RB_CORE_SPEC_MAX]; /* named members and array indexes */
	uint32_t len;
	uint32_t raw[RB_CORE_SPEC_MAX];       /* every index, anonymous members too */
	uint32_t raw_len;
	uint64_t bit_offset;
};

/* Reasons for a mismatch, kept in words for poisoned instructions. */
struct core_why {
	char *buf;
	size_t size;
};
void core_why(struct core_why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "struct task_struct", "union <anon>", "int" */
void core_type_words(const struct rb_btf *btf, uint32_t id, char *buf, size_t size);

bool core_kind_is_field(uint32_t kind);
bool core_kind_is_type(uint32_t kind);
bool core_kind_is_enumval(uint32_t kind);
bool rb_core_kinds_compat(const struct btf_type *a, const struct btf_type *b);
/* cands.c: a buffer of at least size bytes owned by tg, reused by every
 * rb_core_calc (one at a time); NULL when out of memory. */
void *core_targets_scratch(struct rb_core_targets *tg, size_t size);

/* spec.c */
int core_spec_parse(const struct rb_btf *btf, uint32_t type_id, const char *access,
		    uint32_t kind, struct core_spec *spec, struct rb_err *err);
/* 1 match (targ filled), 0 no match (why filled), < 0 malformed BTF. */
int core_spec_match(const struct core_spec *local, const struct rb_btf *targ_btf,
		    uint32_t targ_id, struct core_spec *targ, struct core_why *why);
int64_t core_size(const struct rb_btf *btf, uint32_t id);

/* compat.c: 1 compatible, 0 not, < 0 malformed (too deep, bad ids). */
/* field: the loose flavour of field relocations, else the structural one. */
int core_types_compat(const struct rb_btf *lb, uint32_t lid, const struct rb_btf *tb, uint32_t tid,
		      int depth, bool field);
int core_types_match(const struct rb_btf *lb, uint32_t lid, const struct rb_btf *tb, uint32_t tid,
		     bool behind_ptr, int depth);

#endif
