/* CO-RE relocations of every program that is going to be loaded. */
#include "loader/externs/resolve_int.h"

#include <string.h>

static int relo_error(const struct rb_loaded *ld, const struct rb_prog *p, size_t i,
		      const struct bpf_core_relo *relo, struct rb_err *err)
{
	rb_err_prefix(err, "%s: program '%s': CO-RE relocation %zu (%s at instruction %u)",
		      ld->obj->path, p->name, i, rb_core_kind_name(relo->kind), relo->insn_off / 8);
	return -err->code;
}

/* A type vmlinux lacks may live in a module: read them and try again once. */
static int calc_with_modules(struct rb_resolver *rs, const struct rb_btf *local,
			     const struct bpf_core_relo *relo, struct rb_core_res *res,
			     struct rb_err *err)
{
	struct rb_core_targets *tg;
	int r = rb_kbtf_targets(rs->kbtf, &tg, err);
	if (!r)
		r = rb_core_calc(tg, local, relo, res, err);
	if (r || !res->poison || rs->modules_tried || !strstr(res->why, "does not exist"))
		return r;
	rs->modules_tried = true;
	if ((r = rb_kbtf_load_modules(rs->kbtf, err)))
		return r;
	if (rb_core_targets_count(tg) == 1)
		return 0; /* no module BTF: the answer stands */
	return rb_core_calc(tg, local, relo, res, err);
}

static int relocate_prog(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_prog *p,
			 struct rb_err *err)
{
	for (size_t i = 0; i < p->n_core_relo; i++) {
		const struct bpf_core_relo *relo = &p->core_relo[i];
		struct rb_core_res res;
		int r = calc_with_modules(rs, ld->obj->btf, relo, &res, err);
		if (!r)
			r = rb_core_patch(p->insns, p->insn_cnt, relo->insn_off / 8, &res, err);
		if (r)
			return relo_error(ld, p, i, relo, err);
		rs->n_core_relos++;
		rs->n_core_poisoned += res.poison || res.fail_memsz_adjust;
	}
	return 0;
}

int rb_resolve_core(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_prog *p = ld->progs[i].prog;
		if (ld->progs[i].skip_reason || !p->n_core_relo)
			continue;
		if (!ld->obj->btf)
			return rb_errf(err, RB_EINPUT, "%s: program '%s' has CO-RE relocations but the "
				       "object has no .BTF", ld->obj->path, p->name);
		int r = relocate_prog(rs, ld, p, err);
		if (r)
			return r;
	}
	return 0;
}
