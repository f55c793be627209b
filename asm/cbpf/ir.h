/* The block graph every classic-BPF program passes through between the code
 * generator, the optimizer and the final layout: blocks of straight-line
 * statements, each ending in one conditional jump (two successors) or a
 * return.  Blocks live in one growable array and refer to each other by
 * index, so the graph is freed at once and copied cheaply. */
#ifndef RAWBPF_ASM_CBPF_IR_H
#define RAWBPF_ASM_CBPF_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "asm/cbpf/cbpf.h"
#include "common/err.h"

struct rb_ir_stmt {
	uint16_t code;
	uint32_t k;
};

struct rb_ir_block {
	struct rb_ir_stmt *s;
	uint32_t n, cap;
	uint16_t jcode;   /* BPF_JMP|op|src, or BPF_RET|BPF_K */
	uint32_t jk;
	int jt, jf;       /* successor blocks; -1 on a return */
};

struct rb_ir {
	struct rb_ir_block *b;
	int n, cap;
	int root;
	bool oom;         /* sticky: an allocation failed */
};

/* New block ending in `jcode jk`, successors unset (-1).  -1 on OOM. */
int rb_ir_block(struct rb_ir *ir, uint16_t jcode, uint32_t jk);
/* Appends a statement to block b (sets ir->oom on failure). */
void rb_ir_stmt(struct rb_ir *ir, int b, uint16_t code, uint32_t k);
bool rb_ir_is_ret(const struct rb_ir_block *b);
/* Both successors the same: an unconditional jump (no test). */
bool rb_ir_is_goto(const struct rb_ir_block *b);
void rb_ir_free(struct rb_ir *ir);

/* The blocks reachable from ir->root, each before its successors (reverse
 * post-order, false branch first), into order[ir->n]: their count, or -1
 * on OOM. */
int rb_ir_order(const struct rb_ir *ir, int *order);

/* Lays the blocks reachable from ir->root out as a program: successors after
 * their predecessors (reverse post-order, false branch laid out last, like
 * libpcap), conditional jumps farther than 255 go through `ja`. */
int rb_ir_to_prog(const struct rb_ir *ir, struct rb_cbpf_prog *out, struct rb_err *err);

#endif
