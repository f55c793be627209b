/* The fixup phase (map fds into ld_imm64 instructions) and the progs phase
 * (BPF_PROG_LOAD each selected program; when the verifier refuses one, its
 * log is captured and explained with source lines). */
#include "loader/load/phases.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "asm/ebpf/disasm.h"
#include "common/buf.h"
#include "common/scan.h"
#include "loader/bpf.h"
#include "loader/externs/externs.h"
#include "loader/inspect/names.h"
#include "verifier-helpers/vlog.h"

/* Lines of the verifier log shown without -v. */
#define TAIL_LINES 6
#define ANNOTATED_INSNS 24

static int apply_fixup(struct rb_loaded *ld, struct rb_prog *p, const struct rb_fixup *f,
		       struct rb_err *err)
{
	if (f->map >= ld->n_maps || (size_t)f->insn + 1 >= p->insn_cnt)
		return rb_errf(err, RB_EINPUT, "%s: program '%s': relocation at instruction %u "
			       "names map %u, outside the object", ld->obj->path, p->name, f->insn, f->map);
	int fd = ld->maps[f->map].fd;
	if (fd < 0)
		return rb_errf(err, RB_EINPUT, "%s: program '%s': map '%s' was not created",
			       ld->obj->path, p->name, ld->maps[f->map].map->name);
	/* src_reg and the value offset are set by elf/obj already; writing them
	 * again keeps the ld_imm64 consistent whatever produced the fixup */
	p->insns[f->insn].imm = fd;
	if (f->kind == RB_FIXUP_MAP_VALUE) {
		p->insns[f->insn].src_reg = BPF_PSEUDO_MAP_VALUE;
		p->insns[f->insn + 1].imm = (int32_t)f->off;
	} else {
		p->insns[f->insn].src_reg = BPF_PSEUDO_MAP_FD;
	}
	return 0;
}

int rb_phase_fixup(struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_prog *p = ld->progs[i].prog;
		if (ld->progs[i].skip_reason)
			continue;
		for (size_t j = 0; j < p->n_fixups; j++) {
			int r = apply_fixup(ld, p, &p->fixups[j], err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

uint32_t rb_load_kernel_version(void)
{
	struct utsname u;
	unsigned v[3] = {0, 0, 0};
	if (uname(&u) != 0 || rb_scan_dotted(u.release, v, 3) < 2)
		return 0;
	unsigned a = v[0], b = v[1], c = v[2];
	return (a << 16) | (b << 8) | (c > 255 ? 255 : c);
}

static bool use_btf_info(const struct rb_loaded *ld, const struct rb_prog *p)
{
	return ld->btf_fd >= 0 && ld->feats.func != RB_FEAT_NO && p->n_func_info > 0;
}

static void fill_load(const struct rb_loaded *ld, const struct rb_loaded_prog *lp,
		      struct rb_prog_load_opts *o)
{
	const struct rb_prog *p = lp->prog;
	const struct rb_obj *obj = ld->obj;
	*o = (struct rb_prog_load_opts){
		.prog_type = p->prog_type, .expected_attach_type = p->expected_attach_type,
		.insns = p->insns, .insn_cnt = (uint32_t)p->insn_cnt,
		.license = obj->license ? obj->license : "",
		/* the kern_version old kernels (< 5.0) check for kprobe programs
		 * when the object has no "version" */
		.kern_version = obj->has_kern_version ? obj->kern_version : rb_load_kernel_version(),
		.prog_flags = p->prog_flags | (p->sleepable ? BPF_F_SLEEPABLE : 0), .name = p->name,
		.attach_btf_id = lp->attach_btf_id, .attach_btf_obj_fd = lp->attach_btf_obj_fd,
		.attach_prog_fd = lp->attach_prog_fd,
		/* module kfuncs: insn.off indexes this array of module BTF fds
		 * (fd_array: Linux >= 5.14; module kfunc calls: >= 5.16) */
		.fd_array = ld->fd_array_used ? ld->fd_array : NULL,
	};
	if (use_btf_info(ld, p)) {
		o->prog_btf_fd = ld->btf_fd;
		o->func_info = p->func_info;
		o->func_info_rec_size = sizeof(struct bpf_func_info);
		o->func_info_cnt = (uint32_t)p->n_func_info;
		o->line_info = p->n_line_info ? p->line_info : NULL;
		o->line_info_rec_size = p->n_line_info ? sizeof(struct bpf_line_info) : 0;
		o->line_info_cnt = (uint32_t)p->n_line_info;
	}
}

/* The program's line_info with its strings, for annotating the log. */
static struct rb_vlog_line *source_lines(const struct rb_loaded *ld, const struct rb_prog *p,
					 size_t *n)
{
	*n = 0;
	if (!ld->obj->btf || !p->n_line_info)
		return NULL;
	struct rb_vlog_line *lines = calloc(p->n_line_info, sizeof(*lines));
	if (!lines)
		return NULL;
	for (size_t i = 0; i < p->n_line_info; i++) {
		const struct bpf_line_info *li = &p->line_info[i];
		const char *file = rb_btf_str(ld->obj->btf, li->file_name_off);
		const char *text = rb_btf_str(ld->obj->btf, li->line_off);
		lines[(*n)++] = (struct rb_vlog_line){
			.insn = li->insn_off, .file = file ? file : "?", .text = text ? text : "",
			.line = BPF_LINE_INFO_LINE_NUM(li->line_col), .col = BPF_LINE_INFO_LINE_COL(li->line_col),
		};
	}
	return lines;
}

static void explain(const struct rb_loaded *ld, const struct rb_loaded_prog *lp, int r,
		    const char *log)
{
	FILE *out = ld->opts->vlog;
	const struct rb_prog *p = lp->prog;
	if (!out)
		return;
	fprintf(out, "%s: program '%s' (section '%s'): BPF_PROG_LOAD failed: %s\n", ld->obj->path,
		p->name, p->sec_name, rb_errno_text(-r));
	if (!log[0]) {
		fprintf(out, "  (the kernel wrote no verifier log)\n");
		return;
	}
	if (ld->opts->verbose)
		fprintf(out, "verifier log:\n%s\n", log);
	fprintf(out, "verifier says:\n");
	rb_vlog_print_tail(out, log, TAIL_LINES);
	const char *hint = rb_vlog_hint(log);
	if (hint)
		fprintf(out, "hint: %s\n", hint);
	/* CO-RE relocations that found no target poison their instruction */
	if (p->n_core_relo)
		rb_core_explain_failure(ld, lp, log, out);
	size_t n;
	struct rb_vlog_line *lines = source_lines(ld, p, &n);
	if (rb_vlog_count_insns(log)) {
		fprintf(out, "last instructions checked, with their source:\n");
		rb_vlog_print_annotated(out, log, lines, n, ld->opts->verbose ? 0 : ANNOTATED_INSNS);
	}
	if (!ld->opts->verbose)
		fprintf(out, "(`rawbpf -v load ...` prints the whole log)\n");
	free(lines);
}

static bool uses_pseudo_func(const struct rb_prog *p)
{
	for (size_t i = 0; i < p->insn_cnt; i++)
		if (p->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) && p->insns[i].src_reg == BPF_PSEUDO_FUNC)
			return true;
	return false;
}

/* BPF_STX | BPF_ATOMIC with an operation other than a plain add */
static bool uses_new_atomics(const struct rb_prog *p)
{
	for (size_t i = 0; i < p->insn_cnt; i++)
		if (BPF_CLASS(p->insns[i].code) == BPF_STX && BPF_MODE(p->insns[i].code) == BPF_ATOMIC &&
		    p->insns[i].imm != BPF_ADD)
			return true;
	return false;
}

#define RB_CALLBACKS "BPF callbacks (function pointers in ld_imm64, as bpf_loop and " \
		     "bpf_for_each_map_elem take)"

/* Verifier refusals that mean an older kernel, not a wrong program: the
 * kernel's words, the program's instructions that explain them, what it
 * needs and since when (information only; the refusal itself is the test). */
static const struct {
	const char *needle;
	bool (*uses)(const struct rb_prog *p);
	const char *what, *since;
} too_old[] = {
	/* Linux < 5.12 takes only BPF_ADD without BPF_FETCH in BPF_STX atomics */
	{"BPF_STX uses reserved fields", uses_new_atomics, "atomic fetch/exchange instructions "
	 "(__sync_fetch_and_add with its result used, xchg, cmpxchg, and/or/xor)", "5.12"},
	{"BPF_XADD uses reserved fields", uses_new_atomics, "atomic fetch/exchange instructions "
	 "(__sync_fetch_and_add with its result used, xchg, cmpxchg, and/or/xor)", "5.12"},
	/* older kernels count the callback as no subprogram (with BTF) or do
	 * not know its ld_imm64 (without) */
	{"number of funcs in func_info doesn't match number of subprogs", uses_pseudo_func,
	 RB_CALLBACKS, "5.13"},
	{"unrecognized bpf_ld_imm64 insn", uses_pseudo_func, RB_CALLBACKS, "5.13"},
};

/* 0, or the RB_ENOTSUP error when log says the kernel is too old for p. */
static int kernel_too_old(const struct rb_loaded *ld, const struct rb_prog *p, const char *log,
			  struct rb_err *err)
{
	int id = rb_vlog_unknown_helper(log);
	const char *name = id >= 0 ? rb_ebpf_helper_name(id) : NULL;
	if (id >= 0 && rb_helper_since(id))
		return rb_errf(err, RB_ENOTSUP, "%s: program '%s' (section '%s') needs kernel support "
			       "for the helper bpf_%s (Linux >= %s): this kernel's verifier does not "
			       "know helper %d", ld->obj->path, p->name, p->sec_name, name ? name : "?",
			       rb_helper_since(id), id);
	for (size_t i = 0; i < RB_ARRAY_SIZE(too_old); i++)
		if (strstr(log, too_old[i].needle) && too_old[i].uses(p))
			return rb_errf(err, RB_ENOTSUP, "%s: program '%s' (section '%s') needs kernel "
				       "support for %s (Linux >= %s): the verifier says \"%s\"",
				       ld->obj->path, p->name, p->sec_name, too_old[i].what,
				       too_old[i].since, too_old[i].needle);
	return 0;
}

static int refused(struct rb_loaded *ld, struct rb_loaded_prog *lp, struct rb_prog_load_opts *o,
		   int r, struct rb_err *err)
{
	struct rb_buf log = {0};
	const struct rb_prog *p = lp->prog;
	int fd = rb_vlog_capture(ld->sys, o, &log);
	if (fd >= 0) {
		/* it loads with a log: a transient failure; keep the program */
		lp->fd = fd;
		rb_buf_free(&log);
		return 0;
	}
	explain(ld, lp, fd, rb_buf_str(&log));
	bool has_log = log.len > 0;
	int old = kernel_too_old(ld, p, rb_buf_str(&log), err);
	rb_buf_free(&log);
	const char *type = rb_prog_type_name(p->prog_type);
	if (old < 0)
		return old;
	if (has_log)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: program '%s' (section '%s'): the verifier "
				 "refused it (log above; -v for all of it)", ld->obj->path, p->name, p->sec_name);
	return rb_errnof(err, RB_EKERNEL, -r, "%s: program '%s' (section '%s', type %s): the kernel "
			 "refused it; the type may be unavailable here (--skip %s loads the rest)",
			 ld->obj->path, p->name, p->sec_name, type ? type : "?", p->name);
}

static void read_prog_info(struct rb_loaded *ld, struct rb_loaded_prog *lp)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (rb_bpf_obj_get_info(ld->sys, lp->fd, &info, &len) < 0)
		return;
	lp->id = info.id;
	lp->xlated_insns = info.xlated_prog_len / 8;
	lp->jited_bytes = info.jited_prog_len;
}

static int load_prog(struct rb_loaded *ld, struct rb_loaded_prog *lp, struct rb_err *err)
{
	struct rb_prog_load_opts o;
	fill_load(ld, lp, &o);
	int fd = rb_bpf_prog_load(ld->sys, &o);
	if (fd >= 0)
		lp->fd = fd;
	else if ((fd = refused(ld, lp, &o, fd, err)) < 0)
		return fd;
	read_prog_info(ld, lp);
	return 0;
}

int rb_phase_progs(struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		if (ld->progs[i].skip_reason)
			continue;
		int r = load_prog(ld, &ld->progs[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
