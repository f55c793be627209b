/* Cross-family merging: IPv6 tests read the transport header at fixed
 * offsets ([54]), IPv4 ones through X ([x + 14]).  When a sub-graph of
 * absolute loads is the same as one of X-relative loads with X = c, the
 * absolute one is replaced by "X = c, then the X-relative one".  Tried on
 * a copy and kept only when the program gets shorter. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "asm/optimize/opt_int.h"

#define MAX_TRIES 12
#define MAX_DEPTH 64

/* Same statements except abs [k] <-> ind [k - c]; *c fixed on first use. */
static bool stmts_match(const struct rb_ir_block *a, const struct rb_ir_block *x, int64_t *c)
{
	if (a->n != x->n || a->jcode != x->jcode || a->jk != x->jk)
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct rb_ir_stmt *s = &a->s[i], *t = &x->s[i];
		uint32_t use, def;
		opt_uses_defs(s->code, s->k, &use, &def);
		if ((use | def) & LIVE_X)
			return false;
		if (s->code == t->code && s->k == t->k)
			continue;
		if (BPF_CLASS(s->code) != BPF_LD || BPF_MODE(s->code) != BPF_ABS ||
		    t->code != (BPF_LD | BPF_IND | BPF_SIZE(s->code)))
			return false;
		int64_t d = (int64_t)s->k - (int64_t)t->k;
		if (d <= 0 || (*c >= 0 && d != *c))
			return false;
		*c = d;
	}
	return true;
}

/* a (absolute form) behaves like x (X-relative form) when X == c. */
static bool iso(const struct pass *p, int a, int x, int64_t *c, int depth)
{
	const struct rb_ir *ir = p->ir;
	if (a == x)
		return !(p->live_in[a] & LIVE_X);
	if (depth > MAX_DEPTH)
		return false;
	const struct rb_ir_block *ba = &ir->b[a], *bx = &ir->b[x];
	if (rb_ir_is_ret(ba) || rb_ir_is_ret(bx) || rb_ir_is_goto(ba) || rb_ir_is_goto(bx))
		return false;
	if (BPF_SRC(ba->jcode) == BPF_X || !stmts_match(ba, bx, c))
		return false;
	return iso(p, ba->jt, bx->jt, c, depth + 1) && iso(p, ba->jf, bx->jf, c, depth + 1);
}

static bool has_abs_load(const struct rb_ir_block *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		if (BPF_CLASS(b->s[i].code) == BPF_LD && BPF_MODE(b->s[i].code) == BPF_ABS)
			return true;
	return false;
}

/* Puts `ldx #c` at the end of every predecessor of a (whose jump must not
 * read X, nor its other successor need X) and sends it to x instead. */
static bool retarget(struct pass *p, int a, int x, uint32_t c)
{
	struct rb_ir *ir = p->ir;
	for (int i = 0; i < p->norder; i++) {
		struct rb_ir_block *b = &ir->b[p->order[i]];
		if (rb_ir_is_ret(b) || (b->jt != a && b->jf != a))
			continue;
		int other = b->jt == a ? b->jf : b->jt;
		if (BPF_SRC(b->jcode) == BPF_X && !rb_ir_is_goto(b))
			return false;
		if (other != a && (p->live_in[other] & LIVE_X))
			return false;
	}
	if (ir->root == a)
		return false;
	for (int i = 0; i < p->norder; i++) {
		int bi = p->order[i];
		struct rb_ir_block *b = &ir->b[bi];
		if (rb_ir_is_ret(b) || (b->jt != a && b->jf != a))
			continue;
		rb_ir_stmt(ir, bi, BPF_LDX | BPF_IMM, c);
		b = &ir->b[bi];
		if (b->jt == a)
			b->jt = x;
		if (b->jf == a)
			b->jf = x;
	}
	return !ir->oom;
}

int opt_xmerge_candidates(struct pass *p, int *pairs, uint32_t *consts, int max)
{
	const struct rb_ir *ir = p->ir;
	int n = 0;
	for (int i = 0; i < p->norder && n < max; i++) {
		int a = p->order[i];
		if (!has_abs_load(&ir->b[a]) || rb_ir_is_goto(&ir->b[a]) || rb_ir_is_ret(&ir->b[a]))
			continue;
		for (int j = 0; j < p->norder && n < max; j++) {
			int x = p->order[j];
			int64_t c = -1;
			if (x == a || !iso(p, a, x, &c, 0) || c <= 0 || c > 0xffff)
				continue;
			pairs[2 * n] = a;
			pairs[2 * n + 1] = x;
			consts[n++] = (uint32_t)c;
			break;
		}
	}
	return n;
}

bool opt_xmerge_apply(struct pass *p, int a, int x, uint32_t c)
{
	return retarget(p, a, x, c);
}

int opt_xmerge_max_tries(void)
{
	return MAX_TRIES;
}
