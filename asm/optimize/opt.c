/* The optimizer's passes over the block graph; see opt.h.  Each round:
 * forward value numbering with branch facts (drops recomputations, folds
 * decided branches), jump threading (an edge whose target's test is decided
 * on that edge skips the target when the registers the new target reads
 * hold the same values), dead statement removal by liveness, then graph
 * clean-up (empty gotos bypassed, equal blocks merged).  Rounds repeat
 * until nothing changes. */
#include "asm/optimize/opt.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "asm/optimize/opt_int.h"

#define MAX_ROUNDS 400


/* ------------------------------------------------------------ graph */

void opt_compute_order(struct pass *p)
{
	struct rb_ir *ir = p->ir;
	int n = rb_ir_order(ir, p->order);
	if (n < 0) {
		ir->oom = true;
		return;
	}
	p->norder = n;
	memset(p->npred, 0, (size_t)ir->n * sizeof(int));
	for (int i = 0; i < n; i++) {
		const struct rb_ir_block *b = &ir->b[p->order[i]];
		if (!rb_ir_is_ret(b)) {
			p->npred[b->jt]++;
			p->npred[b->jf]++;
		}
	}
}

/* ------------------------------------------------------------ forward */

static void flow_into(struct pass *p, int succ, const struct mstate *edge, struct mstate *in,
		      bool *have)
{
	(void)succ;
	if (!*have) {
		*in = *edge;
		*have = true;
	} else
		opt_meet(&p->vt, in, edge);
}

/* Value numbering in program order; returns true if anything changed. */
static bool forward(struct pass *p, struct mstate *in)
{
	struct rb_ir *ir = p->ir;
	bool changed = false;
	memset(p->seen, 0, (size_t)ir->n * sizeof(bool));
	opt_state_unknown(&p->vt, &in[ir->root]);
	p->seen[ir->root] = true;
	for (int i = 0; i < p->norder; i++) {
		int b = p->order[i];
		if (!p->seen[b])
			continue;   /* cut off by a branch folded in this pass */
		struct mstate s = in[b];
		changed |= opt_simulate(&p->vt, ir, b, &s, true);
		struct rb_ir_block *blk = &ir->b[b];
		int d = opt_decide(&p->vt, ir, b, &s, true);
		if (d >= 0) {
			blk->jt = blk->jf = d ? blk->jt : blk->jf;
			changed = true;
		}
		if (rb_ir_is_goto(blk)) {
			blk->jcode = BPF_JMP | BPF_JA;
			blk->jk = 0;
		}
		p->out[b] = s;
		if (rb_ir_is_ret(blk))
			continue;
		for (int side = 1; side >= 0; side--) {
			int succ = side ? blk->jt : blk->jf;
			struct mstate e = s;
			opt_add_edge_fact(&p->vt, blk, &e, side);
			flow_into(p, succ, &e, &in[succ], &p->seen[succ]);
			if (blk->jt == blk->jf)
				break;
		}
	}
	return changed;
}

/* ------------------------------------------------------------ liveness */

/* Registers live before statement `from` of b, given those live after it. */
static uint32_t live_from(const struct rb_ir_block *b, uint32_t live, uint32_t from)
{
	uint32_t use, def;
	opt_uses_defs(b->jcode, b->jk, &use, &def);
	if (!rb_ir_is_goto(b))
		live |= use;
	for (uint32_t i = b->n; i-- > from;) {
		opt_uses_defs(b->s[i].code, b->s[i].k, &use, &def);
		live = (live & ~def) | use;
	}
	return live;
}

uint32_t opt_block_live_in(const struct rb_ir_block *b, uint32_t live)
{
	return live_from(b, live, 0);
}

static uint32_t live_out(const struct pass *p, const struct rb_ir_block *b)
{
	if (rb_ir_is_ret(b))
		return 0;
	return p->live_in[b->jt] | p->live_in[b->jf];
}

static void liveness(struct pass *p)
{
	for (int i = p->norder; i-- > 0;) {
		const struct rb_ir_block *b = &p->ir->b[p->order[i]];
		p->live_in[p->order[i]] = opt_block_live_in(b, live_out(p, b));
	}
}

/* Drops statements whose result nobody reads (division by X stays: it
 * can reject the packet). */
static bool remove_dead(struct pass *p)
{
	bool changed = false;
	for (int i = p->norder; i-- > 0;) {
		struct rb_ir_block *b = &p->ir->b[p->order[i]];
		uint32_t live = live_from(b, live_out(p, b), b->n), use, def, keep = b->n;
		for (uint32_t j = b->n; j-- > 0;) {
			const struct rb_ir_stmt *st = &b->s[j];
			opt_uses_defs(st->code, st->k, &use, &def);
			bool divx = BPF_CLASS(st->code) == BPF_ALU && BPF_SRC(st->code) == BPF_X &&
				    (BPF_OP(st->code) == BPF_DIV || BPF_OP(st->code) == BPF_MOD);
			if (!(def & live) && !divx) {
				memmove(&b->s[j], &b->s[j + 1], (keep - j - 1) * sizeof(b->s[0]));
				keep--;
				changed = true;
				continue;
			}
			live = (live & ~def) | use;
		}
		b->n = keep;
	}
	return changed;
}

/* Registers read after statement `at` of b (the jump included). */
static uint32_t live_after(const struct pass *p, const struct rb_ir_block *b, uint32_t at)
{
	return live_from(b, live_out(p, b), at + 1);
}

/* Index of the `ldx M[k]` that reloads what statement j stored, when nothing
 * between them reads or writes X or M[k]; 0 if there is none. */
static uint32_t reload_into_x(const struct rb_ir_block *b, uint32_t j)
{
	uint32_t k = b->s[j].k & 15, busy = LIVE_X | LIVE_M(k), use, def;
	for (uint32_t l = j + 1; l < b->n; l++) {
		if (b->s[l].code == (BPF_LDX | BPF_MEM) && b->s[l].k == b->s[j].k)
			return l;
		opt_uses_defs(b->s[l].code, b->s[l].k, &use, &def);
		if ((use | def) & busy)
			return 0;
	}
	return 0;
}

/* `st M[k]; ...; ldx M[k]` (the walk step of protochain) is `tax; ...`
 * when nothing in between touches X or M[k] and M[k] is dead after: the
 * value goes to X at once instead of through memory. */
static bool store_to_tax(struct pass *p, struct rb_ir_block *b)
{
	bool changed = false;
	for (uint32_t j = 0; j + 1 < b->n; j++) {
		if (b->s[j].code != BPF_ST)
			continue;
		uint32_t l = reload_into_x(b, j);
		if (!l || (live_after(p, b, l) & LIVE_M(b->s[j].k & 15)))
			continue;
		b->s[j] = (struct rb_ir_stmt){BPF_MISC | BPF_TAX, 0};
		memmove(&b->s[l], &b->s[l + 1], (b->n - l - 1) * sizeof(b->s[0]));
		b->n--;
		changed = true;
	}
	return changed;
}

/* A test block whose last statement is `code` and whose A nobody reads
 * after it: that statement and the test may be rewritten together. */
static bool test_ends_with(const struct pass *p, const struct rb_ir_block *b, uint16_t code)
{
	return !rb_ir_is_ret(b) && !rb_ir_is_goto(b) && b->n > 0 && b->s[b->n - 1].code == code &&
	       !(live_out(p, b) & LIVE_A);
}

/* `and #m; jeq #0` is `jset #m` with the branches swapped (and `jeq #m`
 * with m a single bit, or `jgt #0`, is `jset #m`), when nothing after the
 * block reads the masked A. */
static bool use_jset(struct pass *p, struct rb_ir_block *b)
{
	if (!test_ends_with(p, b, BPF_ALU | BPF_AND | BPF_K))
		return false;
	uint32_t m = b->s[b->n - 1].k;
	bool single = m && !(m & (m - 1));
	bool swap;
	if (b->jcode == (BPF_JMP | BPF_JEQ | BPF_K) && b->jk == 0)
		swap = true;
	else if ((b->jcode == (BPF_JMP | BPF_JEQ | BPF_K) && b->jk == m && single) ||
		 (b->jcode == (BPF_JMP | BPF_JGT | BPF_K) && b->jk == 0))
		swap = false;
	else
		return false;
	b->n--;
	b->jcode = BPF_JMP | BPF_JSET | BPF_K;
	b->jk = m;
	if (swap) {
		int t = b->jt;
		b->jt = b->jf;
		b->jf = t;
	}
	return true;
}

/* `sub x; jeq #0` is `jeq x` when nothing after the block reads A
 * (A - X == 0 exactly when A == X; not so for the ordered tests). */
static bool compare_with_x(struct pass *p, struct rb_ir_block *b)
{
	if (!test_ends_with(p, b, BPF_ALU | BPF_SUB | BPF_X) ||
	    b->jcode != (BPF_JMP | BPF_JEQ | BPF_K) || b->jk != 0)
		return false;
	b->n--;
	b->jcode = BPF_JMP | BPF_JEQ | BPF_X;
	return true;
}

/* Two constant ALU steps in a row become one: add+add, sub as add,
 * and+and, or+or, lsh+lsh; add-then-lsh is reordered to lsh-then-add so the
 * add can meet the next one ((v + a) << b == (v << b) + (a << b)). */
static bool combine_pair(struct rb_ir_stmt *x, struct rb_ir_stmt *y)
{
	uint16_t ox = BPF_OP(x->code), oy = BPF_OP(y->code);
	if (ox == BPF_ADD && oy == BPF_ADD) {
		y->k += x->k;
		return true;
	}
	if (ox == BPF_AND && oy == BPF_AND) {
		y->k &= x->k;
		return true;
	}
	if (ox == BPF_OR && oy == BPF_OR) {
		y->k |= x->k;
		return true;
	}
	if (ox == BPF_LSH && oy == BPF_LSH && x->k + y->k < 32) {
		y->k += x->k;
		return true;
	}
	return false;
}

static bool is_alu_k(const struct rb_ir_stmt *s)
{
	return BPF_CLASS(s->code) == BPF_ALU && BPF_SRC(s->code) == BPF_K &&
	       BPF_OP(s->code) != BPF_NEG;
}

static struct rb_ir_stmt as_add(struct rb_ir_stmt s)
{
	if (BPF_OP(s.code) == BPF_SUB)
		return (struct rb_ir_stmt){BPF_ALU | BPF_ADD | BPF_K, -s.k};
	return s;
}

/* One step at statement j; true if the block changed. */
static bool fold_alu_at(struct rb_ir_block *b, uint32_t j)
{
	struct rb_ir_stmt x = as_add(b->s[j]), y = as_add(b->s[j + 1]);
	if (BPF_OP(x.code) == BPF_ADD && BPF_OP(y.code) == BPF_LSH && y.k < 32) {
		b->s[j] = y;
		b->s[j + 1] = (struct rb_ir_stmt){x.code, x.k << y.k};
		return true;
	}
	if (!combine_pair(&x, &y))
		return false;
	b->s[j] = y;
	memmove(&b->s[j + 1], &b->s[j + 2], (b->n - j - 2) * sizeof(b->s[0]));
	b->n--;
	return true;
}

static bool fold_alu_chains(struct pass *p, struct rb_ir_block *b)
{
	bool changed = false;
	uint32_t j = 0;
	while (j + 1 < b->n) {
		if (is_alu_k(&b->s[j]) && is_alu_k(&b->s[j + 1]) && fold_alu_at(b, j)) {
			changed = true;
			j = j > 0 ? j - 1 : 0;   /* the result may combine backwards */
		} else
			j++;
	}
	return changed;
}

/* `ld [k]; and #0xffff0000; jeq #v` reads only two bytes: `ldh [k];
 * jeq #v>>16` (any byte-aligned field of a word or half-word load). */
struct field {
	uint32_t mask;
	uint8_t from, to;        /* BPF_W, BPF_H or BPF_B */
	uint8_t byte_off, shift;
};

static const struct field fields[] = {
	{0xff000000, BPF_W, BPF_B, 0, 24}, {0x00ff0000, BPF_W, BPF_B, 1, 16},
	{0x0000ff00, BPF_W, BPF_B, 2, 8}, {0x000000ff, BPF_W, BPF_B, 3, 0},
	{0xffff0000, BPF_W, BPF_H, 0, 16}, {0x0000ffff, BPF_W, BPF_H, 2, 0},
	{0xff00, BPF_H, BPF_B, 0, 8}, {0x00ff, BPF_H, BPF_B, 1, 0},
};

static bool narrow_loads(struct pass *p, struct rb_ir_block *b)
{
	if (b->n < 2 || !test_ends_with(p, b, BPF_ALU | BPF_AND | BPF_K) ||
	    b->jcode != (BPF_JMP | BPF_JEQ | BPF_K))
		return false;
	struct rb_ir_stmt *ld = &b->s[b->n - 2], *and = &b->s[b->n - 1];
	/* Negative offsets are ancillary or SKF_NET/LL loads: their bytes are
	 * not in the packet, so no narrower load reads them. */
	if (BPF_CLASS(ld->code) != BPF_LD || BPF_MODE(ld->code) != BPF_ABS || (int32_t)ld->k < 0 ||
	    (b->jk & ~and->k))
		return false;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		const struct field *fl = &fields[f];
		if (BPF_SIZE(ld->code) != fl->from || and->k != fl->mask ||
		    ld->k + fl->byte_off < ld->k)
			continue;
		ld->code = BPF_LD | BPF_ABS | fl->to;
		ld->k += fl->byte_off;
		b->jk >>= fl->shift;
		b->n--;
		return true;
	}
	return false;
}

/* Runs a rewrite on every reachable block; true if any changed. */
static bool each_block(struct pass *p, bool (*rewrite)(struct pass *, struct rb_ir_block *))
{
	bool changed = false;
	for (int i = 0; i < p->norder; i++)
		changed |= rewrite(p, &p->ir->b[p->order[i]]);
	return changed;
}

/* ------------------------------------------------------------ threading */

static bool same_live_regs(const struct mstate *x, const struct mstate *y, uint32_t live)
{
	if ((live & LIVE_A) && x->a != y->a)
		return false;
	if ((live & LIVE_X) && x->x != y->x)
		return false;
	for (int i = 0; i < 16; i++)
		if ((live & LIVE_M(i)) && x->m[i] != y->m[i])
			return false;
	return true;
}

/* Where an edge into b can go instead: follows tests decided by the
 * edge's facts as far as they go and returns the farthest block reached
 * whose live registers hold the same values as on the edge (-1: none). */
static int thread_target(struct pass *p, int b, const struct mstate *edge)
{
	struct mstate s = *edge;
	int best = -1;
	for (int hops = 0; hops < 64; hops++) {
		struct rb_ir_block *blk = &p->ir->b[b];
		if (rb_ir_is_ret(blk))
			break;
		opt_simulate(&p->vt, p->ir, b, &s, false);
		int d = rb_ir_is_goto(blk) ? 1 : opt_decide(&p->vt, p->ir, b, &s, false);
		if (d < 0)
			break;
		opt_add_edge_fact(&p->vt, blk, &s, d);
		b = d ? blk->jt : blk->jf;
		if (same_live_regs(&s, edge, p->live_in[b]))
			best = b;
	}
	return best;
}

static bool thread_jumps(struct pass *p)
{
	bool changed = false;
	for (int i = 0; i < p->norder; i++) {
		int b = p->order[i];
		struct rb_ir_block *blk = &p->ir->b[b];
		if (rb_ir_is_ret(blk) || !p->seen[b])
			continue;
		for (int side = 1; side >= 0; side--) {
			int *tgt = side ? &blk->jt : &blk->jf;
			struct mstate e = p->out[b];
			opt_add_edge_fact(&p->vt, blk, &e, side);
			int next = thread_target(p, *tgt, &e);
			if (next >= 0 && next != *tgt) {
				*tgt = next;
				changed = true;
			}
		}
	}
	return changed;
}

/* ------------------------------------------------------------ clean-up */

bool opt_same_stmts(const struct rb_ir_block *x, const struct rb_ir_block *y)
{
	if (x->n != y->n)
		return false;
	for (uint32_t i = 0; i < x->n; i++)
		if (x->s[i].code != y->s[i].code || x->s[i].k != y->s[i].k)
			return false;
	return true;
}

static bool same_block(const struct rb_ir_block *x, const struct rb_ir_block *y)
{
	if (x->jcode != y->jcode || x->jt != y->jt || x->jf != y->jf)
		return false;
	if ((!rb_ir_is_goto(x) || rb_ir_is_ret(x)) && x->jk != y->jk)
		return false;
	return opt_same_stmts(x, y);
}

static uint32_t block_hash(const struct rb_ir_block *b)
{
	uint32_t h = b->n * 31u + b->jcode * 7u + (uint32_t)b->jt * 131u + (uint32_t)b->jf * 17u;
	if (!rb_ir_is_goto(b) || rb_ir_is_ret(b))
		h ^= b->jk * 2654435761u;
	for (uint32_t i = 0; i < b->n; i++)
		h = h * 33u + b->s[i].code * 7u + b->s[i].k;
	return h;
}

static int resolve(const int *repl, int b)
{
	while (repl[b] != b)
		b = repl[b];
	return b;
}

/* Successors first, so merged successors make their predecessors equal. */
static bool merge_blocks(struct pass *p, int *repl)
{
	struct rb_ir *ir = p->ir;
	int hcap = 1;
	while (hcap < p->norder * 2)
		hcap <<= 1;
	int *h = malloc((size_t)hcap * sizeof(int));
	if (!h) {
		ir->oom = true;
		return false;
	}
	memset(h, 0xff, (size_t)hcap * sizeof(int));
	bool changed = false;
	for (int i = 0; i < ir->n; i++)
		repl[i] = i;
	for (int i = p->norder; i-- > 0;) {
		int b = p->order[i];
		struct rb_ir_block *blk = &ir->b[b];
		if (!rb_ir_is_ret(blk)) {
			blk->jt = resolve(repl, blk->jt);
			blk->jf = resolve(repl, blk->jf);
			/* An empty goto is only a detour. */
			if (rb_ir_is_goto(blk) && blk->n == 0) {
				repl[b] = blk->jt;
				changed = true;
				continue;
			}
		}
		uint32_t s = block_hash(blk) & (uint32_t)(hcap - 1);
		for (; h[s] >= 0; s = (s + 1) & (uint32_t)(hcap - 1))
			if (same_block(&ir->b[h[s]], blk))
				break;
		if (h[s] >= 0) {
			repl[b] = h[s];
			changed = true;
		} else
			h[s] = b;
	}
	ir->root = resolve(repl, ir->root);
	free(h);
	return changed;
}

/* A goto whose target has no other predecessor: move its statements into
 * the target so the two become one block. */
static bool fuse_gotos(struct pass *p)
{
	bool changed = false;
	for (int i = 0; i < p->norder; i++) {
		struct rb_ir_block *b = &p->ir->b[p->order[i]];
		if (!rb_ir_is_goto(b) || b->n == 0 || p->npred[b->jt] != 1 || b->jt == p->ir->root)
			continue;
		int t = b->jt;
		for (uint32_t j = b->n; j-- > 0;) {
			struct rb_ir_block *tb = &p->ir->b[t];
			rb_ir_stmt(p->ir, t, 0, 0);   /* grow by one, then shift */
			if (p->ir->oom)
				return false;
			memmove(&tb->s[1], &tb->s[0], (tb->n - 1) * sizeof(tb->s[0]));
			tb->s[0] = b->s[j];
		}
		b->n = 0;
		p->npred[t] = 0;   /* no second fusion into t this round */
		changed = true;
	}
	return changed;
}

static bool round_once(struct pass *p, struct mstate *in, int *repl)
{
	bool changed = false;
	opt_compute_order(p);
	if (p->ir->oom)
		return false;
	changed |= forward(p, in);
	opt_compute_order(p);
	liveness(p);
	changed |= thread_jumps(p);
	opt_compute_order(p);
	liveness(p);
	if (!changed) {
		changed |= opt_pullup(p);
		opt_compute_order(p);
		liveness(p);
	}
	changed |= remove_dead(p);
	changed |= each_block(p, store_to_tax);
	changed |= each_block(p, use_jset);
	changed |= each_block(p, compare_with_x);
	changed |= each_block(p, narrow_loads);
	changed |= each_block(p, fold_alu_chains);
	changed |= merge_blocks(p, repl);
	opt_compute_order(p);
	changed |= fuse_gotos(p);
	return changed && !p->vt.oom && !p->ir->oom;
}

static void run_rounds(struct pass *p, struct mstate *in, int *repl)
{
	for (int round = 0; !p->ir->oom && round < MAX_ROUNDS; round++)
		if (!round_once(p, in, repl))
			break;
}

static int clone_ir(const struct rb_ir *src, struct rb_ir *dst)
{
	*dst = *src;
	dst->b = malloc((size_t)src->cap * sizeof(*dst->b));
	if (!dst->b)
		return -1;
	memcpy(dst->b, src->b, (size_t)src->n * sizeof(*dst->b));
	for (int i = 0; i < src->n; i++) {
		dst->b[i].s = NULL;
		dst->b[i].n = dst->b[i].cap = 0;
	}
	dst->n = src->n;
	for (int i = 0; i < src->n; i++)
		for (uint32_t j = 0; j < src->b[i].n; j++)
			rb_ir_stmt(dst, i, src->b[i].s[j].code, src->b[i].s[j].k);
	return dst->oom ? -1 : 0;
}

static size_t prog_size(const struct rb_ir *ir)
{
	struct rb_cbpf_prog prog;
	struct rb_err err = {0};
	if (rb_ir_to_prog(ir, &prog, &err) < 0)
		return SIZE_MAX;
	size_t n = prog.len;
	rb_cbpf_prog_free(&prog);
	return n;
}

/* Tries one candidate on a copy of the graph; adopts it if shorter. */
static bool try_xmerge(struct pass *p, struct mstate *in, int *repl, int a, int x, uint32_t c,
		       size_t *size)
{
	struct rb_ir copy, *orig = p->ir;
	if (clone_ir(orig, &copy) < 0) {
		rb_ir_free(&copy);
		return false;
	}
	p->ir = &copy;
	bool ok = opt_xmerge_apply(p, a, x, c);
	if (ok)
		run_rounds(p, in, repl);
	size_t n = ok && !copy.oom ? prog_size(&copy) : SIZE_MAX;
	p->ir = orig;
	if (n < *size) {
		rb_ir_free(orig);
		*orig = copy;
		*size = n;
		return true;
	}
	rb_ir_free(&copy);
	return false;
}

static void cross_merge(struct pass *p, struct mstate *in, int *repl)
{
	size_t size = prog_size(p->ir);
	int pairs[32];
	uint32_t consts[16];
	for (int t = 0; t < opt_xmerge_max_tries() && !p->ir->oom; t++) {
		opt_compute_order(p);
		liveness(p);
		int n = opt_xmerge_candidates(p, pairs, consts, 16);
		bool adopted = false;
		for (int i = 0; i < n && !adopted; i++) {
			opt_compute_order(p);
			liveness(p);
			adopted = try_xmerge(p, in, repl, pairs[2 * i], pairs[2 * i + 1], consts[i],
					     &size);
		}
		if (!adopted)
			break;
	}
}

/* The per-block arrays in one allocation: the two state arrays first, then
 * the int-sized ones, the bools last (every part stays 4-byte aligned). */
static struct mstate *alloc_arrays(struct pass *p, size_t n, int **repl)
{
	struct mstate *in = calloc(n, 2 * sizeof(*in) + 4 * sizeof(int) + sizeof(bool));
	if (!in)
		return NULL;
	p->out = in + n;
	p->order = (int *)(p->out + n);
	p->npred = p->order + n;
	*repl = p->npred + n;
	p->live_in = (uint32_t *)(*repl + n);
	p->seen = (bool *)(p->live_in + n);
	return in;
}

int rb_opt_run(struct rb_ir *ir, unsigned flags, struct rb_err *err)
{
	struct pass p = {.ir = ir};
	p.vt.no_shape = flags & RB_OPT_LIBPCAP_FACTS;
	int *repl = NULL, r = 0;
	struct mstate *in = alloc_arrays(&p, (size_t)ir->n, &repl);
	if (!in)
		ir->oom = true;
	else
		run_rounds(&p, in, repl);
	if (!ir->oom)
		cross_merge(&p, in, repl);
	if (ir->oom || p.vt.oom)
		r = rb_errf(err, RB_ESYS, "filter optimizer: out of memory");
	vt_free(&p.vt);
	free(in);
	return r;
}
