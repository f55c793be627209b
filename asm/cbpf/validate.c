/* Linux's classic-BPF checker, rule for rule, with messages that name the
 * instruction.  Order of checks follows bpf_check_classic so the first
 * complaint is the one the kernel would hit first. */
#include "asm/cbpf/validate.h"

#include <linux/filter.h>
#include <stdlib.h>

/* The opcodes of chk_code_allowed (net/core/filter.c). */
static bool code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS: case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND: case BPF_LD | BPF_IMM: case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN: case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_LDX | BPF_IMM: case BPF_LDX | BPF_MEM:
	case BPF_ST: case BPF_STX:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K: case BPF_RET | BPF_A:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static bool is_mem_access(uint16_t code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) ||
	       code == BPF_ST || code == BPF_STX;
}

static bool is_abs_load(uint16_t code)
{
	return code == (BPF_LD | BPF_W | BPF_ABS) || code == (BPF_LD | BPF_H | BPF_ABS) ||
	       code == (BPF_LD | BPF_B | BPF_ABS);
}

/* bpf_anc_helper's list: the SKF_AD_* extensions Linux implements. */
static bool ancillary_known(uint32_t k)
{
	uint32_t n = k - (uint32_t)SKF_AD_OFF;
	return n < SKF_AD_MAX && n % 4 == 0;
}

static int bad(struct rb_err *err, size_t pc, const struct rb_cbpf_insn *in, const char *why)
{
	return rb_errf(err, RB_EINPUT,
		       "cBPF instruction %zu (code 0x%02x jt %u jf %u k 0x%x): %s; Linux's "
		       "classic-BPF checker would refuse the program",
		       pc, in->code, in->jt, in->jf, in->k, why);
}

/* What Linux's checker refuses in one instruction, or NULL. */
static const char *jump_problem(const struct rb_cbpf_insn *in, size_t pc, size_t len)
{
	size_t rest = len - pc - 1;  /* instructions after this one */
	if (BPF_OP(in->code) == BPF_JA)
		return in->k >= rest ? "jump past the last instruction" : NULL;
	if (in->jt >= rest || in->jf >= rest)
		return "conditional jump past the last instruction";
	return NULL;
}

static const char *insn_problem(const struct rb_cbpf_insn *in, size_t pc, size_t len)
{
	uint16_t c = in->code;
	if (!code_allowed(c))
		return "unknown opcode";
	if ((c == (BPF_ALU | BPF_DIV | BPF_K) || c == (BPF_ALU | BPF_MOD | BPF_K)) && in->k == 0)
		return "division by the constant 0";
	if ((c == (BPF_ALU | BPF_LSH | BPF_K) || c == (BPF_ALU | BPF_RSH | BPF_K)) && in->k >= 32)
		return "shift by a constant >= 32";
	if (is_mem_access(c) && in->k >= BPF_MEMWORDS)
		return "scratch memory index >= 16";
	if (BPF_CLASS(c) == BPF_JMP)
		return jump_problem(in, pc, len);
	if (is_abs_load(c) && in->k >= (uint32_t)SKF_AD_OFF && !ancillary_known(in->k))
		return "unknown ancillary load (SKF_AD_OFF + n)";
	return NULL;
}

/* check_load_and_stores: a forward data-flow pass over the 16 slots.  Like
 * the kernel, the state after an unconditional or conditional jump is "all
 * valid" and is narrowed by the masks the jumps recorded on their targets. */
static int check_scratch(const struct rb_cbpf_prog *p, struct rb_err *err)
{
	uint16_t *masks = malloc(p->len * sizeof *masks), valid = 0;
	if (!masks)
		return rb_errf(err, RB_ESYS, "out of memory checking a cBPF program");
	for (size_t i = 0; i < p->len; i++)
		masks[i] = 0xffff;
	int rc = 0;
	for (size_t pc = 0; pc < p->len && !rc; pc++) {
		const struct rb_cbpf_insn *in = &p->insns[pc];
		valid &= masks[pc];
		if (in->code == BPF_ST || in->code == BPF_STX) {
			valid |= (uint16_t)(1u << in->k);
		} else if (in->code == (BPF_LD | BPF_MEM) || in->code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << in->k)))
				rc = bad(err, pc, in, "reads a scratch memory slot that is not "
						      "stored on every path to it");
		} else if (in->code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(in->code)) {
			masks[pc + 1 + in->jt] &= valid;
			masks[pc + 1 + in->jf] &= valid;
			valid = 0xffff;
		}
	}
	free(masks);
	return rc;
}

int rb_cbpf_validate(const struct rb_cbpf_prog *p, struct rb_err *err)
{
	if (!p || !p->insns || p->len == 0)
		return rb_errf(err, RB_EINPUT, "empty cBPF program: Linux needs 1 to %d instructions",
			       BPF_MAXINSNS);
	if (p->len > BPF_MAXINSNS)
		return rb_errf(err, RB_EINPUT,
			       "cBPF program has %zu instructions, Linux loads at most %d: "
			       "simplify the filter expression", p->len, BPF_MAXINSNS);
	for (size_t pc = 0; pc < p->len; pc++) {
		const char *why = insn_problem(&p->insns[pc], pc, p->len);
		if (why)
			return bad(err, pc, &p->insns[pc], why);
	}
	const struct rb_cbpf_insn *last = &p->insns[p->len - 1];
	if (last->code != (BPF_RET | BPF_K) && last->code != (BPF_RET | BPF_A))
		return bad(err, p->len - 1, last, "the last instruction is not a ret");
	return check_scratch(p, err);
}
