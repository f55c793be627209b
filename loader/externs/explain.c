/* After the verifier refused a program: which CO-RE relocation poisoned the
 * instruction it stopped at, in words. */
#include "loader/externs/resolve_int.h"

#include <stdio.h>
#include <string.h>

/* "12: (85) call unknown#195896080": the verifier reached poisoned insn 12. */
static bool log_reached(const char *log, uint32_t insn)
{
	char pat[48];
	snprintf(pat, sizeof(pat), "%u: (85) call unknown#%d", insn, RB_CORE_POISON_IMM);
	for (const char *s = strstr(log, pat); s; s = strstr(s + 1, pat))
		if (s == log || s[-1] == '\n' || s[-1] == ' ')
			return true;
	return false;
}

static void source_of(const struct rb_obj *obj, const struct rb_prog *p, uint32_t insn,
		      char *buf, size_t size)
{
	const struct bpf_line_info *best = NULL;
	for (size_t i = 0; i < p->n_line_info; i++)
		if (p->line_info[i].insn_off <= insn)
			best = &p->line_info[i];
	const char *file = best && obj->btf ? rb_btf_str(obj->btf, best->file_name_off) : NULL;
	if (!file) {
		snprintf(buf, size, "no line info");
		return;
	}
	const char *slash = strrchr(file, '/');
	snprintf(buf, size, "%s:%u", slash ? slash + 1 : file, BPF_LINE_INFO_LINE_NUM(best->line_col));
}

static int explain_one(struct rb_core_targets *tg, const char *where, const struct rb_loaded *ld,
		       const struct rb_prog *p, const struct bpf_core_relo *relo, FILE *out)
{
	struct rb_core_res res;
	struct rb_err err = {0};
	char src[160];
	if (rb_core_calc(tg, ld->obj->btf, relo, &res, &err) || !(res.poison || res.fail_memsz_adjust))
		return 0;
	source_of(ld->obj, p, relo->insn_off / 8, src, sizeof(src));
	fprintf(out, "CO-RE: %s in %s (program '%s', insn %u, %s)\n", res.why, where, p->name,
		relo->insn_off / 8, src);
	return 1;
}

/* The resolver that relocated the program, when the load used one (its
 * kernel BTF is still loaded, and it knows about --btf FILE). */
static struct rb_resolver *load_resolver(const struct rb_loaded *ld)
{
	if (!ld->opts || ld->opts->resolve != rb_resolve)
		return NULL;
	return ld->opts->resolve_ctx;
}

static int explain_all(struct rb_core_targets *tg, const char *where, const struct rb_loaded *ld,
		       const struct rb_prog *p, const char *log, FILE *out)
{
	int n = 0;
	for (size_t i = 0; i < p->n_core_relo; i++) {
		uint32_t insn = p->core_relo[i].insn_off / 8;
		if (insn < p->insn_cnt && rb_core_insn_poisoned(&p->insns[insn]) && log_reached(log, insn))
			n += explain_one(tg, where, ld, p, &p->core_relo[i], out);
	}
	return n;
}

int rb_core_explain_failure(const struct rb_loaded *ld, const struct rb_loaded_prog *lp,
			    const char *log, FILE *out)
{
	const struct rb_prog *p = lp->prog;
	struct rb_resolver *rs = load_resolver(ld);
	struct rb_kbtf *own = NULL;
	struct rb_core_targets *tg;
	struct rb_err err = {0};
	int n = 0;
	if (!p->n_core_relo || !ld->obj->btf || !log || !strstr(log, "unknown#195896080"))
		return 0;
	if (!rs && rb_kbtf_new(&own, ld->sys, NULL, &err))
		return 0;
	const char *where = rs && rs->opts.btf_path ? rs->opts.btf_path : "the running kernel";
	if (rb_kbtf_targets(rs ? rs->kbtf : own, &tg, &err) == 0)
		n = explain_all(tg, where, ld, p, log, out);
	rb_kbtf_free(own);
	return n;
}
