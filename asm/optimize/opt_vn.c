/* Value numbering, statement simulation and branch facts; see opt_int.h. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/interp.h"
#include "asm/optimize/opt_int.h"

/* ------------------------------------------------------------ values */

static bool same_value(const struct value *x, const struct value *y)
{
	return x->kind == y->kind && x->op == y->op && x->a == y->a && x->b == y->b && x->k == y->k;
}

/* Open addressing: the slot of h (hcap slots) holding a value equal to
 * *key, or the empty slot where it goes. */
static uint32_t find_slot(const struct value *vals, const int *h, int hcap,
			  const struct value *key)
{
	uint32_t s = key->kind * 0x9e3779b1u ^ key->op * 0x85ebca6bu ^ (uint32_t)key->a * 0xc2b2ae35u;
	s ^= (uint32_t)key->b * 0x27d4eb2fu ^ key->k * 0x165667b1u;
	s = (s ^ (s >> 15)) & (uint32_t)(hcap - 1);
	while (h[s] >= 0 && !same_value(&vals[h[s]], key))
		s = (s + 1) & (uint32_t)(hcap - 1);
	return s;
}

static bool grow_hash(struct vtab *t)
{
	int hcap = t->hcap ? t->hcap * 2 : 1024;
	int *h = malloc((size_t)hcap * sizeof(int));
	if (!h)
		return false;
	memset(h, 0xff, (size_t)hcap * sizeof(int));
	/* values are unique, so each lands in an empty slot */
	for (int i = 0; i < t->n; i++)
		if (t->v[i].kind != V_UNKNOWN)
			h[find_slot(t->v, h, hcap, &t->v[i])] = i;
	free(t->hash);
	t->hash = h;
	t->hcap = hcap;
	return true;
}

static int vt_add(struct vtab *t, struct value v)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 512;
		struct value *nv = realloc(t->v, (size_t)cap * sizeof(*nv));
		if (!nv) {
			t->oom = true;
			return -1;
		}
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n] = v;
	return t->n++;
}

int vt_fresh(struct vtab *t)
{
	return vt_add(t, (struct value){V_UNKNOWN, 0, -1, -1, (uint32_t)t->n});
}

int vt_get(struct vtab *t, uint8_t kind, uint16_t op, int a, int b, uint32_t k)
{
	if ((t->n + 1) * 2 > t->hcap && !grow_hash(t)) {
		t->oom = true;
		return -1;
	}
	struct value key = {kind, op, a, b, k};
	uint32_t s = find_slot(t->v, t->hash, t->hcap, &key);
	if (t->hash[s] >= 0)
		return t->hash[s];
	int id = vt_add(t, key);
	if (id >= 0)
		t->hash[s] = id;
	return id;
}

int vt_leaf(struct vtab *t, uint8_t kind, uint16_t op, uint32_t k)
{
	return vt_get(t, kind, op, -1, -1, k);
}

bool vt_const(const struct vtab *t, int v, uint32_t *k)
{
	if (v < 0 || t->v[v].kind != V_CONST)
		return false;
	*k = t->v[v].k;
	return true;
}

void vt_free(struct vtab *t)
{
	free(t->v);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------ liveness */

void opt_uses_defs(uint16_t code, uint32_t k, uint32_t *use, uint32_t *def)
{
	*use = *def = 0;
	k &= 15;
	switch (BPF_CLASS(code)) {
	case BPF_LD:
		*def = LIVE_A;
		if (BPF_MODE(code) == BPF_IND)
			*use = LIVE_X;
		else if (BPF_MODE(code) == BPF_MEM)
			*use = LIVE_M(k);
		return;
	case BPF_LDX:
		*def = LIVE_X;
		if (BPF_MODE(code) == BPF_MEM)
			*use = LIVE_M(k);
		return;
	case BPF_ST: *use = LIVE_A; *def = LIVE_M(k); return;
	case BPF_STX: *use = LIVE_X; *def = LIVE_M(k); return;
	case BPF_ALU:
		*use = LIVE_A | (BPF_SRC(code) == BPF_X && BPF_OP(code) != BPF_NEG ? LIVE_X : 0);
		*def = LIVE_A;
		return;
	case BPF_JMP:
		if (BPF_OP(code) != BPF_JA)
			*use = LIVE_A | (BPF_SRC(code) == BPF_X ? LIVE_X : 0);
		return;
	case BPF_RET:
		*use = BPF_RVAL(code) == BPF_A ? LIVE_A : 0;
		return;
	default: /* MISC */
		*use = BPF_MISCOP(code) == BPF_TAX ? LIVE_A : LIVE_X;
		*def = BPF_MISCOP(code) == BPF_TAX ? LIVE_X : LIVE_A;
		return;
	}
}

/* ------------------------------------------------------------ folding */

static bool alu_identity(uint16_t op, uint32_t k)
{
	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_OR: case BPF_XOR: case BPF_LSH: case BPF_RSH:
		return k == 0;
	case BPF_MUL: case BPF_DIV:
		return k == 1;
	case BPF_AND:
		return k == 0xffffffff;
	default:
		return false;
	}
}

static uint16_t size_of(uint16_t code)
{
	return BPF_SIZE(code);
}

/* ([k] & 0xf), the IPv4 header length in words: shifted by 2 it is what
 * `ldxb 4*([k]&0xf)` computes. */
static bool is_ihl(const struct vtab *t, int v)
{
	if (v < 0 || t->v[v].kind != V_ALU || t->v[v].op != BPF_AND || t->v[v].k != 0xf ||
	    t->v[v].a < 0)
		return false;
	const struct value *ld = &t->v[t->v[v].a];
	return ld->kind == V_LOAD && ld->op == BPF_B;
}

/* The value a statement leaves in its destination; may rewrite *st into a
 * cheaper equivalent (constant X folded into the operand). */
static int stmt_value(struct vtab *t, struct rb_ir_stmt *st, const struct mstate *s, bool edit)
{
	uint32_t c, a;
	uint16_t code = st->code;
	switch (BPF_CLASS(code)) {
	case BPF_LD: case BPF_LDX:
		switch (BPF_MODE(code)) {
		case BPF_ABS: return vt_leaf(t, V_LOAD, size_of(code), st->k);
		case BPF_IND:
			if (vt_const(t, s->x, &c) && (uint64_t)c + st->k < 0x80000000u) {
				if (edit) {
					st->code = BPF_LD | BPF_ABS | size_of(code);
					st->k += c;
					return vt_leaf(t, V_LOAD, size_of(code), st->k);
				}
				return vt_leaf(t, V_LOAD, size_of(code), st->k + c);
			}
			return vt_get(t, V_LOADIND, size_of(code), s->x, -1, st->k);
		case BPF_IMM: return vt_leaf(t, V_CONST, 0, st->k);
		case BPF_LEN: return vt_leaf(t, V_LEN, 0, 0);
		case BPF_MEM: return s->m[st->k & 15];
		default: return vt_leaf(t, V_MSH, 0, st->k);
		}
	case BPF_ST: return s->a;
	case BPF_STX: return s->x;
	case BPF_MISC: return BPF_MISCOP(code) == BPF_TAX ? s->a : s->x;
	default: break;
	}
	/* ALU */
	uint16_t op = BPF_OP(code);
	if (op == BPF_NEG)
		return vt_const(t, s->a, &a) ? vt_leaf(t, V_CONST, 0, -a)
					     : vt_get(t, V_NEG, 0, s->a, -1, 0);
	uint32_t k = st->k;
	bool kform = BPF_SRC(code) == BPF_K;
	/* X is a constant the K form can hold (no division by 0, no shift
	 * past 31: what rb_cbpf_alu refuses). */
	uint32_t unused;
	if (!kform && vt_const(t, s->x, &c) && rb_cbpf_alu(op, 0, c, &unused)) {
		kform = true;
		k = c;
		if (edit) {
			st->code = BPF_ALU | op | BPF_K;
			st->k = c;
		}
	}
	if (kform) {
		uint32_t r;
		if (vt_const(t, s->a, &a) && rb_cbpf_alu(op, a, k, &r))
			return vt_leaf(t, V_CONST, 0, r);
		if (alu_identity(op, k))
			return s->a;
		if (op == BPF_LSH && k == 2 && is_ihl(t, s->a))
			return vt_leaf(t, V_MSH, 0, t->v[t->v[s->a].a].k);
		if ((op == BPF_AND || op == BPF_MUL) && k == 0)
			return vt_leaf(t, V_CONST, 0, 0);
		if (op == BPF_OR && k == 0xffffffff)
			return vt_leaf(t, V_CONST, 0, k);
		return vt_get(t, V_ALU, op, s->a, -1, k);
	}
	return vt_get(t, V_ALUX, op, s->a, s->x, 0);
}

static int *dest_of(struct mstate *s, const struct rb_ir_stmt *st)
{
	switch (BPF_CLASS(st->code)) {
	case BPF_LD: return &s->a;
	case BPF_LDX: return &s->x;
	case BPF_ST: case BPF_STX: return &s->m[st->k & 15];
	case BPF_MISC: return BPF_MISCOP(st->code) == BPF_TAX ? &s->x : &s->a;
	default: return &s->a;
	}
}

bool opt_simulate(struct vtab *t, struct rb_ir *ir, int b, struct mstate *s, bool edit)
{
	struct rb_ir_block *blk = &ir->b[b];
	bool changed = false;
	uint32_t out = 0;
	for (uint32_t i = 0; i < blk->n; i++) {
		struct rb_ir_stmt st = blk->s[i];
		int v = stmt_value(t, &st, s, edit);
		int *dst = dest_of(s, &st);
		bool divx = BPF_CLASS(st.code) == BPF_ALU && BPF_SRC(st.code) == BPF_X &&
			    (BPF_OP(st.code) == BPF_DIV || BPF_OP(st.code) == BPF_MOD);
		if (edit && v >= 0 && *dst == v && !divx) {
			changed = true;   /* recomputes what the register holds */
			continue;
		}
		uint32_t c;
		if (edit && BPF_CLASS(st.code) == BPF_ALU && vt_const(t, v, &c) && !divx) {
			st.code = BPF_LD | BPF_IMM;   /* folded to a constant */
			st.k = c;
		}
		if (edit && (st.code != blk->s[i].code || st.k != blk->s[i].k))
			changed = true;
		*dst = v >= 0 ? v : vt_fresh(t);
		if (edit)
			blk->s[out++] = st;
	}
	if (edit)
		blk->n = out;
	return changed;
}

/* ------------------------------------------------------------ facts */

/* What "v f.op f.k was f.outcome" says about "v op k": 1, 0 or -1. */
static int implied(const struct fact *f, uint16_t op, uint32_t k)
{
	uint32_t k1 = f->k;
	bool yes = f->outcome;
	switch (f->op) {
	case BPF_JEQ:
		if (yes)
			return rb_cbpf_cond(op, k1, k);
		return op == BPF_JEQ && k == k1 ? 0 : -1;
	case BPF_JGT:   /* v > k1, or v <= k1 */
		if (yes) {
			if ((op == BPF_JGT && k <= k1) || (op == BPF_JGE && k <= k1 + 1 && k1 != UINT32_MAX))
				return 1;
			return op == BPF_JEQ && k <= k1 ? 0 : -1;
		}
		if ((op == BPF_JGT && k >= k1) || ((op == BPF_JGE || op == BPF_JEQ) && k > k1))
			return 0;
		return -1;
	case BPF_JGE:   /* v >= k1, or v < k1 */
		if (yes) {
			if ((op == BPF_JGE && k <= k1) || (op == BPF_JGT && k < k1))
				return 1;
			return op == BPF_JEQ && k < k1 ? 0 : -1;
		}
		if (((op == BPF_JGE || op == BPF_JEQ) && k >= k1) || (op == BPF_JGT && k + 1 >= k1 && k1))
			return 0;
		return -1;
	default:        /* JSET: v & k1 != 0, or == 0 */
		if (yes)
			return op == BPF_JSET && (k1 & ~k) == 0 ? 1 : op == BPF_JEQ && k == 0 ? 0 : -1;
		if (op == BPF_JSET && (k & ~k1) == 0)
			return 0;
		return op == BPF_JEQ && (k & k1) ? 0 : -1;
	}
}

/* libpcap's fold_edge: the same test has the same outcome, and a value
 * known equal to k1 differs from any other constant; nothing else. */
static int implied_libpcap(const struct fact *f, uint16_t op, uint32_t k)
{
	if (f->op == op && f->k == k)
		return f->outcome;
	if (f->op == BPF_JEQ && f->outcome && op == BPF_JEQ)
		return k == f->k;
	return -1;
}

/* Bits a value can have: an AND with a constant bounds them. */
static int by_shape(const struct vtab *t, int v, uint16_t op, uint32_t k)
{
	const struct value *val = &t->v[v];
	if (val->kind == V_LOAD && val->op != BPF_W) {
		uint32_t max = val->op == BPF_B ? 0xff : 0xffff;
		if ((op == BPF_JEQ || op == BPF_JGE) && k > max)
			return 0;
		if (op == BPF_JGT && k >= max)
			return 0;
	}
	if (val->kind == V_ALU && val->op == BPF_AND) {
		if (op == BPF_JEQ && (k & ~val->k))
			return 0;
		if (op == BPF_JGT && k >= val->k)
			return 0;
		if (op == BPF_JSET && !(k & val->k))
			return 0;
	}
	return -1;
}

int opt_decide(struct vtab *t, struct rb_ir *ir, int b, const struct mstate *s, bool edit)
{
	struct rb_ir_block *blk = &ir->b[b];
	if (rb_ir_is_ret(blk) || blk->jt == blk->jf)
		return -1;
	uint16_t op = BPF_OP(blk->jcode);
	uint32_t k = blk->jk, a, c;
	bool is_x = BPF_SRC(blk->jcode) == BPF_X;
	if (is_x && vt_const(t, s->x, &c)) {
		is_x = false;
		k = c;
		if (edit) {
			blk->jcode = BPF_JMP | op | BPF_K;
			blk->jk = c;
		}
	}
	if (is_x) {
		if (s->a == s->x && op != BPF_JSET)
			return op != BPF_JGT;
		for (int i = 0; i < s->nf; i++)
			if (s->f[i].is_x && s->f[i].v == s->a && s->f[i].xv == s->x && s->f[i].op == op)
				return s->f[i].outcome;
		return -1;
	}
	if (vt_const(t, s->a, &a))
		return rb_cbpf_cond(op, a, k);
	if (op == BPF_JGE && k == 0)
		return 1;
	int r = t->no_shape ? -1 : by_shape(t, s->a, op, k);
	for (int i = 0; r < 0 && i < s->nf; i++)
		if (!s->f[i].is_x && s->f[i].v == s->a)
			r = t->no_shape ? implied_libpcap(&s->f[i], op, k) : implied(&s->f[i], op, k);
	return r;
}

static bool same_fact(const struct fact *x, const struct fact *y)
{
	return x->v == y->v && x->op == y->op && x->is_x == y->is_x && x->outcome == y->outcome &&
	       (x->is_x ? x->xv == y->xv : x->k == y->k);
}

void opt_add_edge_fact(struct vtab *t, const struct rb_ir_block *blk, struct mstate *s, bool taken)
{
	(void)t;
	if (rb_ir_is_ret(blk) || BPF_OP(blk->jcode) == BPF_JA || blk->jt == blk->jf)
		return;
	struct fact f = {s->a, BPF_OP(blk->jcode), BPF_SRC(blk->jcode) == BPF_X, taken, blk->jk, s->x};
	for (int i = 0; i < s->nf; i++)
		if (same_fact(&s->f[i], &f))
			return;
	if (s->nf == OPT_MAX_FACTS) {
		memmove(s->f, s->f + 1, sizeof(s->f[0]) * (OPT_MAX_FACTS - 1));
		s->nf--;
	}
	s->f[s->nf++] = f;
}

void opt_meet(struct vtab *t, struct mstate *s, const struct mstate *o)
{
	if (s->a != o->a)
		s->a = vt_fresh(t);
	if (s->x != o->x)
		s->x = vt_fresh(t);
	for (int i = 0; i < 16; i++)
		if (s->m[i] != o->m[i])
			s->m[i] = vt_fresh(t);
	int n = 0;
	for (int i = 0; i < s->nf; i++)
		for (int j = 0; j < o->nf; j++)
			if (same_fact(&s->f[i], &o->f[j])) {
				s->f[n++] = s->f[i];
				break;
			}
	s->nf = n;
}

void opt_state_unknown(struct vtab *t, struct mstate *s)
{
	s->a = vt_leaf(t, V_CONST, 0, 0);
	s->x = s->a;
	for (int i = 0; i < 16; i++)
		s->m[i] = vt_fresh(t);
	s->nf = 0;
}
