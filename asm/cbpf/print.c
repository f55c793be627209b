/* Program listings in tcpdump's formats; see print.h. */
#include "asm/cbpf/print.h"

#include <linux/filter.h>
#include <stdbool.h>

struct opname {
	uint16_t code;
	const char *op;
	const char *fmt;   /* operand; %u gets k (or the jump target for ja) */
};

static const struct opname opnames[] = {
	{BPF_RET | BPF_K, "ret", "#%u"}, {BPF_RET | BPF_A, "ret", ""},
	{BPF_LD | BPF_W | BPF_ABS, "ld", "[%u]"}, {BPF_LD | BPF_H | BPF_ABS, "ldh", "[%u]"},
	{BPF_LD | BPF_B | BPF_ABS, "ldb", "[%u]"}, {BPF_LD | BPF_W | BPF_LEN, "ld", "#pktlen"},
	{BPF_LD | BPF_W | BPF_IND, "ld", "[x + %u]"}, {BPF_LD | BPF_H | BPF_IND, "ldh", "[x + %u]"},
	{BPF_LD | BPF_B | BPF_IND, "ldb", "[x + %u]"}, {BPF_LD | BPF_IMM, "ld", "#0x%x"},
	{BPF_LDX | BPF_IMM, "ldx", "#0x%x"}, {BPF_LDX | BPF_MSH | BPF_B, "ldxb", "4*([%u]&0xf)"},
	{BPF_LD | BPF_MEM, "ld", "M[%u]"}, {BPF_LDX | BPF_MEM, "ldx", "M[%u]"},
	{BPF_LDX | BPF_W | BPF_LEN, "ldx", "#pktlen"},
	{BPF_ST, "st", "M[%u]"}, {BPF_STX, "stx", "M[%u]"},
	{BPF_JMP | BPF_JA, "ja", "%u"},
	{BPF_JMP | BPF_JGT | BPF_K, "jgt", "#0x%x"}, {BPF_JMP | BPF_JGE | BPF_K, "jge", "#0x%x"},
	{BPF_JMP | BPF_JEQ | BPF_K, "jeq", "#0x%x"}, {BPF_JMP | BPF_JSET | BPF_K, "jset", "#0x%x"},
	{BPF_JMP | BPF_JGT | BPF_X, "jgt", "x"}, {BPF_JMP | BPF_JGE | BPF_X, "jge", "x"},
	{BPF_JMP | BPF_JEQ | BPF_X, "jeq", "x"}, {BPF_JMP | BPF_JSET | BPF_X, "jset", "x"},
	{BPF_ALU | BPF_ADD | BPF_X, "add", "x"}, {BPF_ALU | BPF_SUB | BPF_X, "sub", "x"},
	{BPF_ALU | BPF_MUL | BPF_X, "mul", "x"}, {BPF_ALU | BPF_DIV | BPF_X, "div", "x"},
	{BPF_ALU | BPF_MOD | BPF_X, "mod", "x"}, {BPF_ALU | BPF_AND | BPF_X, "and", "x"},
	{BPF_ALU | BPF_OR | BPF_X, "or", "x"}, {BPF_ALU | BPF_XOR | BPF_X, "xor", "x"},
	{BPF_ALU | BPF_LSH | BPF_X, "lsh", "x"}, {BPF_ALU | BPF_RSH | BPF_X, "rsh", "x"},
	{BPF_ALU | BPF_ADD | BPF_K, "add", "#%u"}, {BPF_ALU | BPF_SUB | BPF_K, "sub", "#%u"},
	{BPF_ALU | BPF_MUL | BPF_K, "mul", "#%u"}, {BPF_ALU | BPF_DIV | BPF_K, "div", "#%u"},
	{BPF_ALU | BPF_MOD | BPF_K, "mod", "#%u"}, {BPF_ALU | BPF_AND | BPF_K, "and", "#0x%x"},
	{BPF_ALU | BPF_OR | BPF_K, "or", "#0x%x"}, {BPF_ALU | BPF_XOR | BPF_K, "xor", "#0x%x"},
	{BPF_ALU | BPF_LSH | BPF_K, "lsh", "#%u"}, {BPF_ALU | BPF_RSH | BPF_K, "rsh", "#%u"},
	{BPF_ALU | BPF_NEG, "neg", ""}, {BPF_MISC | BPF_TAX, "tax", ""},
	{BPF_MISC | BPF_TXA, "txa", ""},
};

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

void rb_cbpf_image(const struct rb_cbpf_insn *in, size_t pc, struct rb_buf *out)
{
	const struct opname *o = NULL;
	char operand[64];
	for (size_t i = 0; i < RB_ARRAY_SIZE(opnames) && !o; i++)
		if (opnames[i].code == in->code)
			o = &opnames[i];
	if (!o) {
		rb_buf_printf(out, "(%03zu) %-8s 0x%x", pc, "unimp", in->code);
		return;
	}
	uint32_t v = in->code == (BPF_JMP | BPF_JA) ? (uint32_t)(pc + 1 + in->k) : in->k;
	snprintf(operand, sizeof(operand), o->fmt, v);
	if (is_cond_jump(in->code))
		rb_buf_printf(out, "(%03zu) %-8s %-16s jt %zu\tjf %zu", pc, o->op, operand,
			      pc + 1 + in->jt, pc + 1 + in->jf);
	else
		rb_buf_printf(out, "(%03zu) %-8s %s", pc, o->op, operand);
}

void rb_cbpf_print(const struct rb_cbpf_prog *p, enum rb_cbpf_fmt fmt, struct rb_buf *out)
{
	if (fmt == RB_CBPF_DDD)
		rb_buf_printf(out, "%zu\n", p->len);
	for (size_t i = 0; i < p->len; i++) {
		const struct rb_cbpf_insn *in = &p->insns[i];
		if (fmt == RB_CBPF_D) {
			rb_cbpf_image(in, i, out);
			rb_buf_append(out, "\n", 1);
		} else if (fmt == RB_CBPF_DD)
			rb_buf_printf(out, "{ 0x%x, %u, %u, 0x%08x },\n", in->code, in->jt, in->jf,
				      in->k);
		else
			rb_buf_printf(out, "%u %u %u %u\n", in->code, in->jt, in->jf, in->k);
	}
}
