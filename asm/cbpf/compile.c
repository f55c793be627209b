/* rb_cbpf_compile: expression -> block graph -> (optimizer) -> program. */
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/gen.h"
#include "asm/cbpf/ir.h"
#include "asm/cbpf/parse.h"
#include "asm/optimize/opt.h"

#include <linux/filter.h>

/* Where the link header, its type field and the payload start per DLT. */
static int init_link(struct rb_link *l, int dlt, struct rb_err *err)
{
	memset(l, 0, sizeof(*l));
	l->dlt = dlt;
	switch (dlt) {
	case RB_DLT_EN10MB: l->off_linktype = 12; l->off_linkpl = 14; return 0;
	case RB_DLT_RAW: l->off_linktype = 0; l->off_linkpl = 0; return 0;
	case RB_DLT_LINUX_SLL: l->off_linktype = 14; l->off_linkpl = 16; return 0;
	case RB_DLT_LINUX_SLL2: l->off_linktype = 0; l->off_linkpl = 20; return 0;
	case RB_DLT_NULL: case RB_DLT_LOOP: l->off_linktype = 0; l->off_linkpl = 4; return 0;
	default:
		return rb_errf(err, RB_EUSAGE, "link type %d is not supported: use EN10MB, RAW, "
			       "LINUX_SLL, LINUX_SLL2, NULL or LOOP", dlt);
	}
}

static bool rejects_all(const struct rb_cbpf_prog *p)
{
	return p->len == 1 && p->insns[0].code == (BPF_RET | BPF_K) && p->insns[0].k == 0;
}

static void free_gen(struct rb_gen *g)
{
	free(g->edges);
	free(g->ar);
}

static int compile_once(const char *expr, const struct rb_cbpf_opts *opts, unsigned opt_flags,
			struct rb_cbpf_prog *out, bool *unoptimized, int *err_pos,
			struct rb_err *err)
{
	struct rb_ir ir = {.root = -1};
	struct rb_cbpf_opts o = *opts;
	struct rb_gen g = {.ir = &ir, .opts = &o, .err = err, .err_pos = err_pos};
	struct rb_cond c;
	*err_pos = -1;
	out->insns = NULL;
	out->len = 0;
	if (!o.snaplen)
		o.snaplen = 262144;
	int r = init_link(&g.link, opts->dlt, err);
	if (r == 0 && (r = rb_parse_filter(&g, expr, &c)) == 0 && (r = rb_gen_finish(&g, &c)) == 0 &&
	    (!o.optimize || (r = rb_opt_run(&ir, opt_flags, err)) == 0))
		r = rb_ir_to_prog(&ir, out, err);
	*unoptimized = g.libpcap_unoptimized;
	free_gen(&g);
	rb_ir_free(&ir);
	return r;
}

/* An expression the optimizer proves matches nothing is an error, as in
 * libpcap, but only when libpcap's kind of reasoning proves it too
 * (`ip proto 300` is accepted there and gives `ret #0` here). */
int rb_cbpf_compile(const char *expr, const struct rb_cbpf_opts *opts,
		    struct rb_cbpf_prog *out, int *err_pos, struct rb_err *err)
{
	bool unopt = false;
	int r = compile_once(expr, opts, 0, out, &unopt, err_pos, err);
	if (r < 0 || !opts->optimize || !rejects_all(out) || unopt)
		return r;
	struct rb_cbpf_prog again;
	r = compile_once(expr, opts, RB_OPT_LIBPCAP_FACTS, &again, &unopt, err_pos, err);
	if (r < 0) {
		rb_cbpf_prog_free(out);
		return r;
	}
	bool nothing = rejects_all(&again);
	rb_cbpf_prog_free(&again);
	if (nothing) {
		rb_cbpf_prog_free(out);
		return rb_errf(err, RB_EUSAGE, "expression rejects all packets");
	}
	return 0;
}

void rb_cbpf_prog_free(struct rb_cbpf_prog *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}
