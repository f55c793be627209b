/* CO-RE relocation engine: computes what each `.BTF.ext` core_relo record
 * means against a target BTF (the running kernel's, a module's, or a file
 * given with --btf) and patches the instruction.  libbpf semantics:
 *
 *   - candidates: target types of a compatible kind whose name equals the
 *     local type's with a `___flavour` suffix stripped on both sides, found
 *     through a per-target name index built once (no scan per relocation);
 *     vmlinux first, module BTFs only when vmlinux has no candidate;
 *   - access strings ("0:1:2") walked through named and anonymous
 *     struct/union members and arrays; fields matched by exact name with
 *     compatible types; several matching candidates must agree or the
 *     relocation is an error naming both answers;
 *   - every kind (FIELD_BYTE_OFFSET .. TYPE_MATCHES);
 *   - a relocation nothing satisfies is not an error: the instruction is
 *     poisoned (call to helper 0xbad2310, as libbpf does) and the reason is
 *     kept in words for the verifier-failure message.
 *
 * Never touches the kernel. */
#ifndef RAWBPF_ELF_CORE_CORE_H
#define RAWBPF_ELF_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "common/err.h"
#include "elf/btf.h"

/* The immediate of a poisoned instruction ("bad relo"), as libbpf writes it. */
#define RB_CORE_POISON_IMM 0xbad2310
/* Longest access string, in accessors (libbpf's BPF_CORE_SPEC_MAX_LEN). */
#define RB_CORE_SPEC_MAX 64

/* The target BTFs relocations resolve against.  Not thread-safe. */
struct rb_core_targets;

int rb_core_targets_new(struct rb_core_targets **out, struct rb_err *err);
/* Adds a target: the first one added is vmlinux (or the --btf file); later
 * ones are module BTFs split on it.  obj_fd: the module BTF's kernel fd for
 * the caller's bookkeeping (0 for vmlinux).  The BTF must outlive targets. */
int rb_core_targets_add(struct rb_core_targets *tg, const struct rb_btf *btf, int obj_fd,
			struct rb_err *err);
void rb_core_targets_free(struct rb_core_targets *tg);
size_t rb_core_targets_count(const struct rb_core_targets *tg);

/* One candidate: a target type. */
struct rb_core_cand {
	const struct rb_btf *btf;
	uint32_t id;
	int obj_fd;
};

/* Target types whose essential name and kind match local type local_id
 * (kind ENUM and ENUM64 match each other).  *out is malloc'd (free it);
 * returns the count or -RB_ESYS. */
int rb_core_find_cands(struct rb_core_targets *tg, const struct rb_btf *local, uint32_t local_id,
		       struct rb_core_cand **out, struct rb_err *err);

/* Exact-name lookup of a type of one kind (INT, STRUCT, UNION, ENUM, FWD,
 * TYPEDEF, FLOAT, ENUM64, FUNC, VAR) in target number `target` (0 is
 * vmlinux), through the same index: returns the id, 0 when absent (or out
 * of memory, with err filled). */
uint32_t rb_core_targets_find(struct rb_core_targets *tg, size_t target, const char *name,
			      uint32_t kind, struct rb_err *err);

/* Length of a name without its flavour: "task_struct___old" -> 11. */
size_t rb_core_essential_len(const char *name);

struct rb_core_res {
	bool poison;              /* unsatisfiable: poison the instruction */
	bool validate;            /* check the instruction holds orig_val first */
	bool fail_memsz_adjust;   /* load/store size would change unsafely: poison */
	uint64_t orig_val, new_val;
	uint32_t orig_sz, new_sz; /* field sizes for LDX/ST/STX size adjustment */
	uint32_t orig_type_id, new_type_id;
	const struct rb_btf *targ_btf; /* where the answer came from (NULL: none) */
	int targ_obj_fd;
	/* When poison: why, in words ("struct task_struct has no field '__state'"). */
	char why[256];
};

/* Computes relocation relo of the local BTF.  Returns 0 with res filled
 * (res->poison for an unsatisfiable one), or -RB_EINPUT for a malformed
 * record or an ambiguous answer (err says which candidates disagree). */
int rb_core_calc(struct rb_core_targets *tg, const struct rb_btf *local,
		 const struct bpf_core_relo *relo, struct rb_core_res *res, struct rb_err *err);

/* Patches insns[idx] (and insns[idx + 1] of an ld_imm64) with res: LDX/ST/STX
 * offset (and memory size when the field size changed), ALU/ALU64 immediate,
 * ld_imm64 value; or poisons it.  Returns 0 or -RB_EINPUT when the
 * instruction is not what the relocation expects. */
int rb_core_patch(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		  const struct rb_core_res *res, struct rb_err *err);

/* libbpf's structural compatibility (what TYPE_EXISTS checks), also used to
 * check ksym variables and kfunc prototypes against the kernel's: 1 yes,
 * 0 no, < 0 malformed or too deep. */
int rb_core_types_compat(const struct rb_btf *local, uint32_t local_id, const struct rb_btf *targ,
			 uint32_t targ_id);

/* True for an instruction rb_core_patch poisoned. */
bool rb_core_insn_poisoned(const struct bpf_insn *insn);
/* "byte_off", "field_exists", ... (libbpf's names). */
const char *rb_core_kind_name(uint32_t kind);

#endif
