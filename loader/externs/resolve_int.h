/* Internal to loader/externs: the resolver's state and its steps. */
#ifndef RAWBPF_LOADER_EXTERNS_RESOLVE_INT_H
#define RAWBPF_LOADER_EXTERNS_RESOLVE_INT_H

#include "common/buf.h"
#include "elf/kallsyms.h"
#include "elf/kconfig.h"
#include "loader/externs/externs.h"

struct rb_resolver {
	struct rb_resolver_opts opts;
	const struct rb_sys *sys;
	struct rb_kbtf *kbtf;
	bool modules_tried;
	struct rb_buf kallsyms;          /* /proc/kallsyms, read on the first typeless ksym */
	struct rb_kconfig *kconfig;      /* read on the first CONFIG_* extern */
	bool kconfig_missing;            /* the kernel exposes no config */
	size_t n_core_relos, n_core_poisoned;
};

int rb_resolve_attach_targets(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err);
int rb_resolve_struct_ops(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err);
int rb_resolve_core(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err);
int rb_resolve_kconfig(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err);
int rb_resolve_ksyms(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err);

/* freplace/FUNC: attach_prog_fd and FUNC's BTF id in the target program
 * (rb_load_opts.target_prog_fd).  0 resolved, 1 skip (no target given;
 * lp->skip_buf says so), < 0 error. */
int rb_resolve_freplace(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_loaded_prog *lp,
			struct rb_err *err);

/* The BTF name of a program's attach target ("btf_trace_sched_switch",
 * "bpf_lsm_file_open", ...) and its kind; false when the section has none. */
bool rb_attach_btf_name(const struct rb_prog *p, char *buf, size_t size, int *kind);

#endif
