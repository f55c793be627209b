/* Regrouping of or/and chains (libpcap's or_pullup/and_pullup idea, in a
 * simpler form): in `a1 || b1 || a2 || b2` where a1 and a2 load the same
 * field, the order of the tests does not change the verdict, so the tests
 * are put in the order a1 a2 b1 b2 and the second load of a disappears. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "asm/optimize/opt_int.h"

#define MAX_CHAIN 64

/* A test that computes what it compares from scratch (X aside, which no
 * member of a chain changes), so it can run anywhere in the chain. */
static bool movable(const struct rb_ir_block *b)
{
	if (rb_ir_is_ret(b) || rb_ir_is_goto(b) || b->n == 0)
		return false;
	if (opt_block_live_in(b, 0) & ~LIVE_X)
		return false;
	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t use, def;
		opt_uses_defs(b->s[i].code, b->s[i].k, &use, &def);
		if (def & LIVE_X)
			return false;
	}
	return true;
}

static uint32_t chain_defs(const struct rb_ir *ir, const int *m, int n)
{
	uint32_t defs = 0;
	for (int i = 0; i < n; i++)
		for (uint32_t j = 0; j < ir->b[m[i]].n; j++) {
			uint32_t use, def;
			opt_uses_defs(ir->b[m[i]].s[j].code, ir->b[m[i]].s[j].k, &use, &def);
			defs |= def;
		}
	return defs;
}

/* Follows the chain from head along the "continue" side; *exit gets the
 * common exit (true target for or, false for and). */
static int collect(const struct pass *p, int head, bool is_or, int *m, int *exit)
{
	const struct rb_ir *ir = p->ir;
	int n = 0, cur = head;
	*exit = is_or ? ir->b[head].jt : ir->b[head].jf;
	while (n < MAX_CHAIN && movable(&ir->b[cur])) {
		const struct rb_ir_block *b = &ir->b[cur];
		if ((is_or ? b->jt : b->jf) != *exit || (n > 0 && p->npred[cur] != 1))
			break;
		m[n++] = cur;
		cur = is_or ? b->jf : b->jt;
	}
	return n;
}

/* Stable grouping by loaded value, the group `first` (if >= 0) leading;
 * false if nothing moves. */
static bool regroup(const struct rb_ir *ir, const int *m, int n, int first, int *out)
{
	bool used[MAX_CHAIN] = {0};
	int k = 0;
	for (int step = -1; step < n; step++) {
		int i = step < 0 ? first : step;
		if (i < 0 || used[i])
			continue;
		for (int j = 0; j < n; j++)
			if (!used[j] && opt_same_stmts(&ir->b[m[i]], &ir->b[m[j]])) {
				used[j] = true;
				out[k++] = m[j];
			}
	}
	return memcmp(m, out, (size_t)n * sizeof(int)) != 0;
}

static void redirect(struct pass *p, int from, int to)
{
	struct rb_ir *ir = p->ir;
	for (int i = 0; i < p->norder; i++) {
		struct rb_ir_block *b = &ir->b[p->order[i]];
		if (rb_ir_is_ret(b))
			continue;
		if (b->jt == from)
			b->jt = to;
		if (b->jf == from)
			b->jf = to;
	}
	if (ir->root == from)
		ir->root = to;
}

static void relink(struct pass *p, const int *s, int n, bool is_or, int tail)
{
	for (int i = 0; i < n; i++) {
		struct rb_ir_block *b = &p->ir->b[s[i]];
		int next = i + 1 < n ? s[i + 1] : tail;
		if (is_or)
			b->jf = next;
		else
			b->jt = next;
	}
}

/* The member whose test reloads what A holds when the chain starts (its
 * single predecessor's A), so it can go first and skip the load; -1. */
static int reuses_entry_a(struct pass *p, int head, const int *m, int n)
{
	const struct rb_ir *ir = p->ir;
	int pred = -1;
	for (int i = 0; i < p->norder; i++) {
		const struct rb_ir_block *b = &ir->b[p->order[i]];
		if (!rb_ir_is_ret(b) && (b->jt == head || b->jf == head)) {
			if (pred >= 0 || b->jt == b->jf)
				return -1;
			pred = p->order[i];
		}
	}
	if (pred < 0 || !p->seen[pred])
		return -1;
	for (int i = 1; i < n; i++) {
		const struct rb_ir_block *b = &ir->b[m[i]];
		const struct rb_ir_stmt *st = &b->s[0];
		if (b->n != 1 || BPF_CLASS(st->code) != BPF_LD || BPF_MODE(st->code) != BPF_ABS)
			continue;
		int v = vt_leaf(&p->vt, V_LOAD, BPF_SIZE(st->code), st->k);
		if (v >= 0 && v == p->out[pred].a)
			return i;
	}
	return -1;
}

static bool try_chain(struct pass *p, int head, bool is_or)
{
	int m[MAX_CHAIN], s[MAX_CHAIN], exit;
	int n = collect(p, head, is_or, m, &exit);
	int first = n >= 2 ? reuses_entry_a(p, head, m, n) : -1;
	if (n < 3 && first < 0)
		return false;
	const struct rb_ir_block *last = &p->ir->b[m[n - 1]];
	int tail = is_or ? last->jf : last->jt;
	uint32_t defs = chain_defs(p->ir, m, n);
	if ((p->live_in[exit] | p->live_in[tail]) & defs)
		return false;
	if (!regroup(p->ir, m, n, first, s))
		return false;
	if (s[0] != head)
		redirect(p, head, s[0]);
	relink(p, s, n, is_or, tail);
	return true;
}

bool opt_pullup(struct pass *p)
{
	for (int i = 0; i < p->norder; i++) {
		int b = p->order[i];
		if (try_chain(p, b, true) || try_chain(p, b, false))
			return true;   /* the order is stale now */
	}
	return false;
}
