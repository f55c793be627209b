/* Internals shared by the optimizer's files: value numbering and the
 * abstract machine state (register contents and branch facts). */
#ifndef RAWBPF_ASM_OPTIMIZE_OPT_INT_H
#define RAWBPF_ASM_OPTIMIZE_OPT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "asm/cbpf/ir.h"

#define OPT_MAX_FACTS 48
#define OPT_REGS 18           /* A, X, M[0..15] as liveness bits */
#define LIVE_A (1u << 0)
#define LIVE_X (1u << 1)
#define LIVE_M(k) (1u << (2 + (k)))

enum vkind { V_CONST, V_LOAD, V_LOADIND, V_LEN, V_MSH, V_ALU, V_ALUX, V_NEG, V_UNKNOWN };

struct value {
	uint8_t kind;
	uint16_t op;
	int a, b;          /* operand values (-1 if none) */
	uint32_t k;
};

/* Hash-consed values: equal id = equal at run time on every packet. */
struct vtab {
	struct value *v;
	int n, cap;
	int *hash;         /* open addressing, -1 = empty */
	int hcap;
	bool oom;
	bool no_shape;     /* RB_OPT_LIBPCAP_FACTS */
};

/* "value op k" (or op against value xv when is_x) was `outcome`. */
struct fact {
	int v;
	uint16_t op;
	bool is_x, outcome;
	uint32_t k;
	int xv;
};

struct mstate {
	int a, x, m[16];
	int nf;
	struct fact f[OPT_MAX_FACTS];
};

int vt_get(struct vtab *t, uint8_t kind, uint16_t op, int a, int b, uint32_t k);
/* A value without operand values: a constant, a load at a fixed offset. */
int vt_leaf(struct vtab *t, uint8_t kind, uint16_t op, uint32_t k);
int vt_fresh(struct vtab *t);
bool vt_const(const struct vtab *t, int v, uint32_t *k);
void vt_free(struct vtab *t);

/* Runs block b's statements from state s (updated).  With `edit`, removes
 * statements that recompute what a register already holds and folds
 * constants; returns true if the block changed. */
bool opt_simulate(struct vtab *t, struct rb_ir *ir, int b, struct mstate *s, bool edit);
/* The outcome of b's jump in state s: 1 taken, 0 not, -1 unknown.  With
 * `edit`, a comparison against a known X becomes one against a constant. */
int opt_decide(struct vtab *t, struct rb_ir *ir, int b, const struct mstate *s, bool edit);
/* Adds the fact that b's jump went to its true (or false) successor. */
void opt_add_edge_fact(struct vtab *t, const struct rb_ir_block *blk, struct mstate *s,
		       bool taken);
/* s = meet(s, o): keeps equal registers and common facts. */
void opt_meet(struct vtab *t, struct mstate *s, const struct mstate *o);
void opt_state_unknown(struct vtab *t, struct mstate *s);

struct pass {
	struct rb_ir *ir;
	struct vtab vt;
	int *order, norder;      /* reachable blocks, predecessors first */
	int *npred;              /* predecessor edge count per block */
	struct mstate *out;      /* state at each block's end */
	bool *seen;              /* block has a state in out[] */
	uint32_t *live_in;
};

void opt_compute_order(struct pass *p);
/* Same statements (codes and operands) in the same order. */
bool opt_same_stmts(const struct rb_ir_block *x, const struct rb_ir_block *y);
/* Registers b reads before writing them, given those live after it. */
uint32_t opt_block_live_in(const struct rb_ir_block *b, uint32_t live_out);
/* Regroups chains of or-ed (and-ed) tests so tests of the same value are
 * adjacent and share one load; true if the graph changed. */
bool opt_pullup(struct pass *p);

/* Cross-family merge (opt_xmerge.c): up to max (absolute block, X-relative
 * block, X value) candidates; applying one edits the graph. */
int opt_xmerge_candidates(struct pass *p, int *pairs, uint32_t *consts, int max);
bool opt_xmerge_apply(struct pass *p, int a, int x, uint32_t c);
int opt_xmerge_max_tries(void);

/* Liveness bits a statement or jump reads and writes. */
void opt_uses_defs(uint16_t code, uint32_t k, uint32_t *use, uint32_t *def);

#endif
