/* Program listings in tcpdump's formats; see print.h. */
#include "asm/cbpf/print.h"

#include <linux/filter.h>
#include <stdbool.h>

/* Operand formats; %u gets k (or the jump target for ja). */
enum operand { F_IMM, F_NONE, F_ABS, F_LEN, F_IND, F_HEX, F_MSH, F_MEM, F_TARGET, F_X };
static const char operand_fmts[][13] = {
	[F_IMM] = "#%u", [F_NONE] = "", [F_ABS] = "[%u]", [F_LEN] = "#pktlen",
	[F_IND] = "[x + %u]", [F_HEX] = "#0x%x", [F_MSH] = "4*([%u]&0xf)", [F_MEM] = "M[%u]",
	[F_TARGET] = "%u", [F_X] = "x",
};

/* Every classic-BPF opcode with its -d spelling. */
static const struct opname {
	uint8_t code;  /* every classic-BPF opcode fits in 8 bits */
	char op[4];    /* not NUL-terminated when 4 long ("ldxb"): printed with %.4s */
	uint8_t fmt;   /* enum operand */
} opnames[] = {
	{BPF_RET | BPF_K, "ret", F_IMM}, {BPF_RET | BPF_A, "ret", F_NONE},
	{BPF_LD | BPF_W | BPF_ABS, "ld", F_ABS}, {BPF_LD | BPF_H | BPF_ABS, "ldh", F_ABS},
	{BPF_LD | BPF_B | BPF_ABS, "ldb", F_ABS}, {BPF_LD | BPF_W | BPF_LEN, "ld", F_LEN},
	{BPF_LD | BPF_W | BPF_IND, "ld", F_IND}, {BPF_LD | BPF_H | BPF_IND, "ldh", F_IND},
	{BPF_LD | BPF_B | BPF_IND, "ldb", F_IND}, {BPF_LD | BPF_IMM, "ld", F_HEX},
	{BPF_LDX | BPF_IMM, "ldx", F_HEX}, {BPF_LDX | BPF_MSH | BPF_B, "ldxb", F_MSH},
	{BPF_LD | BPF_MEM, "ld", F_MEM}, {BPF_LDX | BPF_MEM, "ldx", F_MEM},
	{BPF_LDX | BPF_W | BPF_LEN, "ldx", F_LEN},
	{BPF_ST, "st", F_MEM}, {BPF_STX, "stx", F_MEM},
	{BPF_JMP | BPF_JA, "ja", F_TARGET},
	{BPF_JMP | BPF_JGT | BPF_K, "jgt", F_HEX}, {BPF_JMP | BPF_JGE | BPF_K, "jge", F_HEX},
	{BPF_JMP | BPF_JEQ | BPF_K, "jeq", F_HEX}, {BPF_JMP | BPF_JSET | BPF_K, "jset", F_HEX},
	{BPF_JMP | BPF_JGT | BPF_X, "jgt", F_X}, {BPF_JMP | BPF_JGE | BPF_X, "jge", F_X},
	{BPF_JMP | BPF_JEQ | BPF_X, "jeq", F_X}, {BPF_JMP | BPF_JSET | BPF_X, "jset", F_X},
	{BPF_ALU | BPF_ADD | BPF_X, "add", F_X}, {BPF_ALU | BPF_SUB | BPF_X, "sub", F_X},
	{BPF_ALU | BPF_MUL | BPF_X, "mul", F_X}, {BPF_ALU | BPF_DIV | BPF_X, "div", F_X},
	{BPF_ALU | BPF_MOD | BPF_X, "mod", F_X}, {BPF_ALU | BPF_AND | BPF_X, "and", F_X},
	{BPF_ALU | BPF_OR | BPF_X, "or", F_X}, {BPF_ALU | BPF_XOR | BPF_X, "xor", F_X},
	{BPF_ALU | BPF_LSH | BPF_X, "lsh", F_X}, {BPF_ALU | BPF_RSH | BPF_X, "rsh", F_X},
	{BPF_ALU | BPF_ADD | BPF_K, "add", F_IMM}, {BPF_ALU | BPF_SUB | BPF_K, "sub", F_IMM},
	{BPF_ALU | BPF_MUL | BPF_K, "mul", F_IMM}, {BPF_ALU | BPF_DIV | BPF_K, "div", F_IMM},
	{BPF_ALU | BPF_MOD | BPF_K, "mod", F_IMM}, {BPF_ALU | BPF_AND | BPF_K, "and", F_HEX},
	{BPF_ALU | BPF_OR | BPF_K, "or", F_HEX}, {BPF_ALU | BPF_XOR | BPF_K, "xor", F_HEX},
	{BPF_ALU | BPF_LSH | BPF_K, "lsh", F_IMM}, {BPF_ALU | BPF_RSH | BPF_K, "rsh", F_IMM},
	{BPF_ALU | BPF_NEG, "neg", F_NONE}, {BPF_MISC | BPF_TAX, "tax", F_NONE},
	{BPF_MISC | BPF_TXA, "txa", F_NONE},
};

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static const struct opname *find_opname(uint16_t code)
{
	for (size_t i = 0; i < RB_ARRAY_SIZE(opnames) && code <= 0xff; i++)
		if (opnames[i].code == code)
			return &opnames[i];
	return NULL;
}

void rb_cbpf_image(const struct rb_cbpf_insn *in, size_t pc, struct rb_buf *out)
{
	const struct opname *o = find_opname(in->code);
	char operand[64];
	if (!o) {
		rb_buf_printf(out, "(%03zu) %-8s 0x%x", pc, "unimp", in->code);
		return;
	}
	uint32_t v = in->code == (BPF_JMP | BPF_JA) ? (uint32_t)(pc + 1 + in->k) : in->k;
	snprintf(operand, sizeof(operand), operand_fmts[o->fmt], v);
	if (is_cond_jump(in->code))
		rb_buf_printf(out, "(%03zu) %-8.4s %-16s jt %zu\tjf %zu", pc, o->op, operand,
			      pc + 1 + in->jt, pc + 1 + in->jf);
	else
		rb_buf_printf(out, "(%03zu) %-8.4s %s", pc, o->op, operand);
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
