/* Block graph and its layout as a linear program; see ir.h. */
#include "asm/cbpf/ir.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

int rb_ir_block(struct rb_ir *ir, uint16_t jcode, uint32_t jk)
{
	if (ir->oom)
		return -1;
	if (ir->n == ir->cap) {
		int cap = ir->cap ? ir->cap * 2 : 64;
		struct rb_ir_block *nb = realloc(ir->b, (size_t)cap * sizeof(*nb));
		if (!nb) {
			ir->oom = true;
			return -1;
		}
		ir->b = nb;
		ir->cap = cap;
	}
	struct rb_ir_block *b = &ir->b[ir->n];
	memset(b, 0, sizeof(*b));
	b->jcode = jcode;
	b->jk = jk;
	b->jt = b->jf = -1;
	return ir->n++;
}

void rb_ir_stmt(struct rb_ir *ir, int bi, uint16_t code, uint32_t k)
{
	if (ir->oom || bi < 0)
		return;
	struct rb_ir_block *b = &ir->b[bi];
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 4;
		struct rb_ir_stmt *ns = realloc(b->s, cap * sizeof(*ns));
		if (!ns) {
			ir->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	b->s[b->n++] = (struct rb_ir_stmt){code, k};
}

bool rb_ir_is_ret(const struct rb_ir_block *b)
{
	return BPF_CLASS(b->jcode) == BPF_RET;
}

bool rb_ir_is_goto(const struct rb_ir_block *b)
{
	return !rb_ir_is_ret(b) && b->jt == b->jf;
}

void rb_ir_free(struct rb_ir *ir)
{
	for (int i = 0; i < ir->n; i++)
		free(ir->b[i].s);
	free(ir->b);
	memset(ir, 0, sizeof(*ir));
}

/* ------------------------------------------------------------------ layout */

struct layout {
	int *order;     /* blocks in program order */
	uint32_t *pos;  /* block -> first instruction */
	uint8_t *far;   /* block -> bit 0: jt needs a ja, bit 1: jf needs one */
	int count;
};

/* Post-order DFS (false successor first) with an explicit stack, so a long
 * hostile expression cannot overflow the C stack; the reversed post-order
 * puts every block before its successors. */
int rb_ir_order(const struct rb_ir *ir, int *order)
{
	int *stack = malloc((size_t)ir->n * sizeof(int));
	uint8_t *state = calloc((size_t)ir->n, 1);
	int sp = 0, post = 0;
	if (!stack || !state) {
		free(stack);
		free(state);
		return -1;
	}
	stack[sp++] = ir->root;
	state[ir->root] = 1;
	while (sp > 0) {
		int b = stack[sp - 1];
		if (state[b] == 3) {
			order[post++] = b;
			sp--;
			continue;
		}
		int next = state[b] == 1 ? ir->b[b].jf : ir->b[b].jt;
		state[b]++;
		if (next >= 0 && !state[next]) {
			state[next] = 1;
			stack[sp++] = next;
		}
	}
	free(stack);
	free(state);
	for (int i = 0; i < post / 2; i++) {
		int t = order[i];
		order[i] = order[post - 1 - i];
		order[post - 1 - i] = t;
	}
	return post;
}

/* The instructions that end block order[i] when they start at pc, into
 * t[0..2]: a ret; a conditional jump, plus a `ja` for each far target; a
 * `ja` for a goto, none when its target comes next.  Returns how many. */
static uint32_t block_end(const struct rb_ir *ir, const struct layout *L, int i, uint32_t pc,
			  struct rb_cbpf_insn *t)
{
	int b = L->order[i];
	const struct rb_ir_block *blk = &ir->b[b];
	uint8_t far = L->far[b];
	uint32_t n = 1;
	if (rb_ir_is_ret(blk)) {
		t[0] = (struct rb_cbpf_insn){blk->jcode, 0, 0, blk->jk};
	} else if (rb_ir_is_goto(blk)) {
		if (i + 1 < L->count && L->order[i + 1] == blk->jt)
			return 0;
		t[0] = (struct rb_cbpf_insn){BPF_JMP | BPF_JA, 0, 0, L->pos[blk->jt] - (pc + 1)};
	} else {
		uint32_t jt = (far & 1) ? 0 : L->pos[blk->jt] - (pc + 1);
		uint32_t jf = (far & 2) ? (far & 1) : L->pos[blk->jf] - (pc + 1);
		t[0] = (struct rb_cbpf_insn){blk->jcode, (uint8_t)jt, (uint8_t)jf, blk->jk};
		if (far & 1) {
			t[n] = (struct rb_cbpf_insn){BPF_JMP | BPF_JA, 0, 0, L->pos[blk->jt] - (pc + n + 1)};
			n++;
		}
		if (far & 2) {
			t[n] = (struct rb_cbpf_insn){BPF_JMP | BPF_JA, 0, 0, L->pos[blk->jf] - (pc + n + 1)};
			n++;
		}
	}
	return n;
}

static uint32_t place_blocks(const struct rb_ir *ir, struct layout *L)
{
	uint32_t pc = 0;
	struct rb_cbpf_insn scratch[3];
	for (int i = 0; i < L->count; i++) {
		L->pos[L->order[i]] = pc;
		pc += ir->b[L->order[i]].n;
		pc += block_end(ir, L, i, pc, scratch);
	}
	return pc;
}

/* Marks jumps that cannot reach their target in 8 bits; true if any changed.
 * Flags only ever get set, so the layout loop terminates. */
static bool mark_far_jumps(const struct rb_ir *ir, struct layout *L)
{
	bool changed = false;
	for (int i = 0; i < L->count; i++) {
		int b = L->order[i];
		const struct rb_ir_block *blk = &ir->b[b];
		if (rb_ir_is_ret(blk) || rb_ir_is_goto(blk))
			continue;
		uint32_t after = L->pos[b] + blk->n + 1;
		uint8_t want = L->far[b];
		if (L->pos[blk->jt] - after > 255)
			want |= 1;
		if (L->pos[blk->jf] - after > 255)
			want |= 2;
		if (want != L->far[b]) {
			L->far[b] = want;
			changed = true;
		}
	}
	return changed;
}

static void emit_blocks(const struct rb_ir *ir, const struct layout *L, struct rb_cbpf_insn *out)
{
	uint32_t pc = 0;
	for (int i = 0; i < L->count; i++) {
		const struct rb_ir_block *blk = &ir->b[L->order[i]];
		for (uint32_t j = 0; j < blk->n; j++)
			out[pc++] = (struct rb_cbpf_insn){blk->s[j].code, 0, 0, blk->s[j].k};
		pc += block_end(ir, L, i, pc, &out[pc]);
	}
}

int rb_ir_to_prog(const struct rb_ir *ir, struct rb_cbpf_prog *out, struct rb_err *err)
{
	struct layout L = {0};
	uint32_t total = 0;
	int r = 0;
	out->insns = NULL;
	out->len = 0;
	if (ir->oom || ir->root < 0 || ir->root >= ir->n)
		goto oom;
	/* order, pos and far in one allocation */
	L.order = calloc((size_t)ir->n, sizeof(int) + sizeof(uint32_t) + 1);
	if (!L.order)
		goto oom;
	L.pos = (uint32_t *)(L.order + ir->n);
	L.far = (uint8_t *)(L.pos + ir->n);
	if ((L.count = rb_ir_order(ir, L.order)) < 0)
		goto oom;
	total = place_blocks(ir, &L);
	while (mark_far_jumps(ir, &L))
		total = place_blocks(ir, &L);
	if (total > BPF_MAXINSNS) {
		r = rb_errf(err, RB_EUSAGE,
			    "filter needs %u instructions, more than the kernel's limit of %d; "
			    "simplify the expression", total, BPF_MAXINSNS);
		goto out;
	}
	out->insns = calloc(total, sizeof(*out->insns));
	if (!out->insns)
		goto oom;
	emit_blocks(ir, &L, out->insns);
	out->len = total;
	goto out;
oom:
	r = rb_errf(err, RB_ESYS, "filter compiler: out of memory");
out:
	free(L.order);
	return r;
}
