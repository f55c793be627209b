/* The load pipeline's "resolve" phase: everything an object needs from the
 * running kernel before it can be loaded.
 *
 *   - attach targets living in kernel BTF: tp_btf/NAME (typedef
 *     btf_trace_NAME), fentry/fexit/fmod_ret/FN (func FN), lsm/HOOK (func
 *     bpf_lsm_HOOK), iter/NAME (func bpf_iter_NAME) get attach_btf_id (and
 *     attach_btf_obj_fd for a module).  A program whose target the kernel
 *     lacks is skipped with a reason (an error with --strict);
 *   - freplace/FUNC: FUNC's id in the BTF of rb_load_opts.target_prog_fd
 *     and that program as attach_prog_fd (skipped without a target);
 *   - CO-RE relocations (elf/core) against the kernel BTF;
 *   - `.kconfig` externs: LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE,
 *     LINUX_HAS_SYSCALL_WRAPPER and CONFIG_* from /proc/config.gz or
 *     /boot/config-$(uname -r), typed by BTF (bool, tristate, char, int,
 *     string), in a read-only ".kconfig" map added to the object;
 *   - `.ksyms` variables (typed: BPF_PSEUDO_BTF_ID; typeless: the address from
 *     /proc/kallsyms) and kfunc calls (BPF_PSEUDO_KFUNC_CALL with the kernel
 *     BTF id).  A kfunc or variable found in a module's BTF names that BTF
 *     object: a call's insn.off is its index in the load's fd_array
 *     (rb_loaded_module_btf; Linux >= 5.16), a variable's ld_imm64 carries
 *     its fd (Linux >= 5.11);
 *   - `__weak` externs the kernel lacks become 0 (absent kfunc calls are
 *     poisoned so `bpf_ksym_exists()` is false and the call is dead code).
 *
 * The kernel BTF is read once per rb_kbtf, lazily, from
 * /sys/kernel/btf/vmlinux or from `--btf FILE` (raw BTF or an ELF with
 * .BTF); module BTFs (/sys/kernel/btf/<module>) only when vmlinux lacks a
 * name.  Kernel requirements are noted where used. */
#ifndef RAWBPF_LOADER_EXTERNS_EXTERNS_H
#define RAWBPF_LOADER_EXTERNS_EXTERNS_H

#include <stdbool.h>
#include <stdio.h>

#include "common/err.h"
#include "elf/btf.h"
#include "elf/core/core.h"
#include "loader/load/load.h"
#include "loader/sys.h"

/* ---- kernel BTF, loaded lazily ---------------------------------------------------- */

struct rb_kbtf;

/* btf_path: NULL for the running kernel's BTF, else --btf FILE.  Reads
 * nothing yet. */
int rb_kbtf_new(struct rb_kbtf **out, const struct rb_sys *sys, const char *btf_path,
		struct rb_err *err);
void rb_kbtf_free(struct rb_kbtf *kb);
/* Tests: read vmlinux and module BTFs from dir (laid out like
 * /sys/kernel/btf) instead; dir must outlive kb. */
void rb_kbtf_set_dir(struct rb_kbtf *kb, const char *dir);
/* The vmlinux (or --btf) BTF, parsed on the first call. */
int rb_kbtf_vmlinux(struct rb_kbtf *kb, const struct rb_btf **out, struct rb_err *err);
/* Reads every module BTF (once; nothing with --btf FILE). */
int rb_kbtf_load_modules(struct rb_kbtf *kb, struct rb_err *err);
/* CO-RE targets: vmlinux, plus every module BTF once one was needed. */
int rb_kbtf_targets(struct rb_kbtf *kb, struct rb_core_targets **out, struct rb_err *err);

/* A named type of a kind in vmlinux, else in the module BTFs (loaded on
 * this first miss).  Returns 1 found (*btf, *id, *obj_fd: the module BTF's
 * kernel fd or 0 for vmlinux), 0 absent, < 0 error. */
struct rb_kbtf_hit {
	const struct rb_btf *btf;
	uint32_t id;
	int obj_fd;
	const char *module;      /* "" for vmlinux */
};
int rb_kbtf_find(struct rb_kbtf *kb, const char *name, int kind, struct rb_kbtf_hit *hit,
		 struct rb_err *err);

/* ---- the resolve phase ------------------------------------------------------------ */

struct rb_resolver_opts {
	const char *btf_path;    /* --btf FILE, NULL: /sys/kernel/btf/vmlinux */
	bool strict;             /* --strict: a missing attach target is an error */
	FILE *note;              /* one-line warnings (skipped programs); NULL: silent */
	const char *kconfig_path; /* tests: a config file instead of the running kernel's */
	const char *btf_dir;     /* tests: a folder laid out like /sys/kernel/btf */
};

struct rb_resolver;

int rb_resolver_new(struct rb_resolver **out, const struct rb_sys *sys,
		    const struct rb_resolver_opts *opts, struct rb_err *err);
void rb_resolver_free(struct rb_resolver *rs);

/* The resolve hook: give `rb_resolve` as rb_load_opts.resolve and a
 * resolver as resolve_ctx.  Without one, rb_load_resolve_default (defined
 * here) resolves against the running kernel with default options. */
int rb_resolve(struct rb_loaded *ld, void *resolver, struct rb_err *err);

/* When the verifier refused program lp: explains each poisoned CO-RE
 * instruction the log reached, in words, one line each:
 *   CO-RE: struct task_struct has no field '__state' in the running kernel
 *   (program 'handle_exec', insn 12, execsnoop.bpf.c:42)
 * ("in FILE" with --btf).  Returns the number of lines printed.  Uses the
 * load's resolver (rb_resolve as the hook) and its already parsed BTF, else
 * reads the running kernel's BTF again (failure path only). */
int rb_core_explain_failure(const struct rb_loaded *ld, const struct rb_loaded_prog *lp,
			    const char *log, FILE *out);

#endif
