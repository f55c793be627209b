/* Loading a collected BPF object into the kernel: the kernel-side phases of
 * the pipeline, run in this order (rb_load_phase_name names them):
 *
 *     open      rb_obj_open_file: ELF, BTF, collect, link, relocate (elf/obj)
 *     check     refuse other byte orders and non-EM_BPF objects; --skip/--only
 *     set       --set NAME=VALUE patches of global data (rb_obj_set_global)
 *     pin-dir   --pin DIR: check its parent is on bpffs, create DIR (fail early)
 *     resolve   HOOK for the CO-RE/externs resolver (NULL-able, see below)
 *     memlock   RLIMIT_MEMLOCK to infinity, once (kernels < 5.11 charge it)
 *     ringbuf   only for objects with ring buffer maps, on a kernel that cannot
 *               create one: rawbpf/output.h objects switch to perf event
 *               arrays, others fail with "needs kernel support" (output.c)
 *     btf       DATASEC/VAR fixup, BPF_BTF_LOAD; only if refused: probe the
 *               kinds the object uses, rewrite unknown ones, retry; else no BTF
 *     map-table size ld->maps after resolve (it may add maps)
 *     maps      create maps (pin-by-name reuse), write global data, freeze .rodata
 *     fixup     write map fds into ld_imm64 instructions
 *     progs     BPF_PROG_LOAD each program; verifier log explained on failure
 *     values    fill `.values` slots (prog arrays, map-in-map)
 *     [attach]  (loader/attach, outside this module)
 *     pin       --pin DIR: DIR/<prog>, DIR/maps/<map>
 *
 * The resolve hook is where externs (.kconfig/.ksyms), CO-RE relocations and
 * BTF attach targets (attach_btf_id for tp_btf/fentry/lsm/iter) are filled
 * in: it runs after the object is open and patched and before anything is
 * created in the kernel.  It may edit obj (instructions, obj->btf through
 * rb_btf_type_mut, rb_obj_add_map), and set per-program attach fields and
 * skip reasons in ld->progs.  Give it through rb_load_opts.resolve, or
 * define the weak rb_load_resolve_default in the resolver module.
 *
 * Kernel requirements: BPF_BTF_LOAD Linux >= 4.18 (objects load without BTF
 * otherwise), BPF_MAP_FREEZE >= 5.2, global data >= 5.2, bpf_loop >= 5.17,
 * log_true_size >= 6.4. */
#ifndef RAWBPF_LOADER_LOAD_LOAD_H
#define RAWBPF_LOADER_LOAD_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "elf/obj/object.h"
#include "loader/sys.h"

struct rb_loaded;

/* Kernel BTF support, learnt by loading tiny BTF blobs, each only when the
 * object's BTF has the kind in question, once per rb_loaded. */
enum rb_feat_state { RB_FEAT_UNKNOWN = 0, RB_FEAT_YES, RB_FEAT_NO };
struct rb_btf_feats {
	enum rb_feat_state btf;          /* BPF_BTF_LOAD at all (Linux >= 4.18) */
	enum rb_feat_state func;         /* FUNC, FUNC_PROTO (Linux >= 5.0) */
	enum rb_feat_state func_global;  /* FUNC linkage global (Linux >= 5.6) */
	enum rb_feat_state datasec;      /* VAR, DATASEC (Linux >= 5.2) */
	enum rb_feat_state float_;       /* FLOAT (Linux >= 5.13) */
	enum rb_feat_state decl_tag;     /* DECL_TAG (Linux >= 5.16) */
	enum rb_feat_state type_tag;     /* TYPE_TAG (Linux >= 5.17) */
	enum rb_feat_state enum64;       /* ENUM64 (Linux >= 6.0) */
};

struct rb_load_opts {
	const char *pin_dir;         /* --pin DIR; NULL: pin nothing */
	const char *pin_root;        /* --pin-root; NULL: /sys/fs/bpf (pinning = BY_NAME) */
	const char *const *sets;     /* --set NAME=VALUE */
	size_t n_sets;
	const char *const *skip;     /* --skip PROG */
	size_t n_skip;
	const char *const *only;     /* --only PROG */
	size_t n_only;
	const char *const *map_sizes; /* --map-size NAME=ENTRIES[,VALUE_SIZE] */
	size_t n_map_sizes;
	bool verbose;                /* -v: the whole verifier log on failure */
	/* freplace/FUNC programs replace FUNC of this loaded program
	 * (--target-prog); <= 0: none, such programs are skipped */
	int target_prog_fd;
	FILE *note;                  /* warnings and notes ("mounted bpffs"); NULL: silent */
	FILE *vlog;                  /* verifier-failure explanation; NULL: silent */
	/* The CO-RE/externs phase; NULL: rb_load_resolve_default when linked in,
	 * else nothing. */
	int (*resolve)(struct rb_loaded *ld, void *ctx, struct rb_err *err);
	void *resolve_ctx;
};

/* The resolver module may define this (it is weak here). */
int rb_load_resolve_default(struct rb_loaded *ld, void *ctx, struct rb_err *err)
	__attribute__((weak));

struct rb_loaded_prog {
	struct rb_prog *prog;        /* in ld->obj */
	int fd;                      /* -1 until loaded */
	uint32_t id;                 /* kernel id once loaded */
	uint32_t xlated_insns, jited_bytes;
	/* Non-NULL: not loaded, and why ("--skip", "not autoloaded (SEC(\"?...\"))",
	 * or the resolver's reason such as "fentry is refused by this kernel"). */
	const char *skip_reason;
	char skip_buf[128];          /* storage a reason may point into */
	/* Set by the resolve hook for BTF-targeted programs. */
	uint32_t attach_btf_id;
	int attach_btf_obj_fd;       /* module BTF, 0 = vmlinux; closed by rb_loaded_free */
	int attach_prog_fd;          /* freplace target, 0 = none; closed by rb_loaded_free */
	char *pin_path;              /* where it was pinned (owned), NULL when not */
};

struct rb_loaded_map {
	struct rb_map *map;          /* in ld->obj */
	int fd;                      /* -1 until created */
	uint32_t id;
	uint32_t max_entries;        /* as created (--map-size, or the defaults below) */
	uint32_t value_size;         /* as created */
	uint32_t map_flags;          /* as created */
	bool reused;                 /* pin-by-name map taken from pin_root */
	char *pin_path;              /* DIR/maps/<name> when --pin pinned it (owned) */
	char *by_name_path;          /* pin_root/<name> for BY_NAME maps (owned) */
};

struct rb_loaded {
	struct rb_obj *obj;          /* owned */
	const struct rb_sys *sys;
	const struct rb_load_opts *opts;
	int btf_fd;                  /* -1 when the object's BTF is not loaded */
	struct rb_btf_feats feats;
	enum rb_feat_state ringbuf;  /* BPF_MAP_TYPE_RINGBUF (Linux >= 5.8), probed once */
	struct rb_loaded_prog *progs; /* obj->n_progs entries */
	size_t n_progs;
	struct rb_loaded_map *maps;  /* obj->n_maps entries (after resolve) */
	size_t n_maps;
	/* BPF_PROG_LOAD's fd_array, shared by every program (as libbpf): module
	 * BTF objects that kfunc calls name through insn.off (an index here; 0
	 * means vmlinux, so [0] is never used).  Owned dups; NULL when none. */
	int *fd_array;
	size_t n_fd_array;
	int *fd_array_src;           /* the fd each entry was dup'ed from (dedup) */
	/* Set by a module kfunc call only: a typed module ksym alone keeps its
	 * fd in the ld_imm64 (5.11), and attr.fd_array would make 5.11-5.13
	 * (whose bpf_attr ends before it) refuse the load with E2BIG. */
	bool fd_array_used;
	/* Paths created by this load (pins, directories), removed again when a
	 * later phase fails. */
	char **created;
	size_t n_created;
	bool memlock_raised;
};

/* The pipeline's steps in order (for tests and tracing): their number, and
 * the name of step i ("check", "set", ...; NULL past the end). */
size_t rb_load_phase_count(void);
const char *rb_load_phase_name(size_t i);

/* Opens path and runs every phase.  On success *out owns the object and
 * every fd (rb_loaded_free closes them; pins stay).  On failure nothing
 * stays open or pinned and err says what, where and what to do; the code is
 * -RB_EINPUT (bad object), -RB_EKERNEL (refused: verifier, EPERM, pin
 * clash), -RB_EUSAGE (unknown --skip name, bad --set), -RB_ESYS. */
int rb_load_file(struct rb_loaded **out, const struct rb_sys *sys, const char *path,
		 const struct rb_load_opts *opts, struct rb_err *err);
/* Same for an object already opened (takes ownership of obj even on failure). */
int rb_load_obj(struct rb_loaded **out, const struct rb_sys *sys, struct rb_obj *obj,
		const struct rb_load_opts *opts, struct rb_err *err);
void rb_loaded_free(struct rb_loaded *ld);

/* Lookups by name; NULL when absent. */
struct rb_loaded_prog *rb_loaded_prog(struct rb_loaded *ld, const char *name);
struct rb_loaded_map *rb_loaded_map(struct rb_loaded *ld, const char *name);

/* For the resolver: the fd_array index (>= 1) of module BTF object btf_fd,
 * adding a dup of it on first use (the resolver's fd may close before the
 * programs load).  A kfunc call in that module gets insn.off = the index; a
 * typed ksym ld_imm64 gets ld->fd_array[index].  Linux allows at most 256
 * module BTFs per program (MAX_KFUNC_BTFS): -RB_ENOTSUP beyond. */
int rb_loaded_module_btf(struct rb_loaded *ld, int btf_fd, struct rb_err *err);

/* The file name a map gets under DIR/maps: its name with '.' turned into
 * '_' ("execsnoo.rodata" -> "execsnoo_rodata"), as bpftool pins them. */
void rb_load_map_pin_name(char *out, size_t size, const char *map_name);

/* Number of possible CPUs from /sys/devices/system/cpu/possible ("0-3,5");
 * -RB_ESYS / -RB_EINPUT on failure. */
int rb_load_possible_cpus(struct rb_err *err);
/* KERNEL_VERSION(a, b, c) of the running kernel (uname), c capped at 255;
 * 0 when unknown. */
uint32_t rb_load_kernel_version(void);

/* ---- map sizes (map_size.c) --------------------------------------------------------
 *
 * Tools often leave a map's size 0 in the object and set it from user space
 * before loading (stack maps from perf_max_stack_depth, hashes from options,
 * perf event arrays from the CPU count).  rawbpf creates each map with:
 *
 *   1. `--map-size NAME=ENTRIES[,VALUE_SIZE]` when given (either part may be
 *      left empty: "stackmap=,1016"); not for global data, whose size is its
 *      section's;
 *   2. else, for a size the object leaves 0 (one note line per map names the
 *      values chosen and why):
 *        PERF_EVENT_ARRAY max_entries -> possible CPUs (as libbpf);
 *        STACK_TRACE value_size -> kernel.perf_event_max_stack (127 when it
 *          cannot be read) x 8 bytes, x 32 with BPF_F_STACK_BUILD_ID: the
 *          largest the kernel accepts;
 *        any other max_entries -> RB_MAP_DEFAULT_ENTRIES;
 *   3. kinds where 0 is the kernel's rule stay 0: local storage (sk, inode,
 *      task, cgrp) and cgroup storage; a ring buffer (max_entries = bytes) has
 *      no sensible default and must be sized: 0 is an error naming
 *      --map-size, other sizes are rounded up to a power-of-2 number of pages
 *      with a note (libbpf does the same); an arena (pages) likewise needs
 *      --map-size.
 * Everything else (value_size 0 of hashes...) goes to the kernel as is, and
 * its refusal names --map-size. */
#define RB_MAP_DEFAULT_ENTRIES 10240
#define RB_PERF_MAX_STACK_DEFAULT 127  /* the kernel's PERF_MAX_STACK_DEPTH */

struct rb_map_size_arg {
	char name[128];
	uint32_t max_entries;        /* 0: not given */
	uint32_t value_size;         /* 0: not given */
};
/* Parses NAME=ENTRIES[,VALUE_SIZE] (decimal or 0x hex, 1..2^32-1, at least
 * one given); -RB_EUSAGE naming the argument and the reason. */
int rb_map_size_parse(const char *arg, struct rb_map_size_arg *out, struct rb_err *err);

/* What the defaults read from the running kernel, asked only when one
 * applies (tests give fixed numbers). */
struct rb_map_size_env {
	int (*possible_cpus)(void *ctx, struct rb_err *err);
	uint32_t (*perf_max_stack)(void *ctx);
	uint32_t page_size;
	void *ctx;
};

struct rb_map_sizing {
	uint32_t max_entries, value_size;
	char note[320];              /* "" when the object's sizes are kept */
};

/* The sizes map m is created with; arg is its --map-size or NULL.
 * -RB_EUSAGE for an override the map cannot take, -RB_EINPUT for a ring
 * buffer or arena left at 0; errors of env->possible_cpus pass through. */
int rb_map_size_decide(const struct rb_map *m, const struct rb_map_size_arg *arg,
		       const struct rb_map_size_env *env, struct rb_map_sizing *out,
		       struct rb_err *err);

/* kernel.perf_event_max_stack (/proc/sys/kernel/perf_event_max_stack), or
 * RB_PERF_MAX_STACK_DEFAULT when unreadable or out of range. */
uint32_t rb_load_perf_max_stack(void);

#endif
