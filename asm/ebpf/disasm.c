#include "asm/ebpf/disasm.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/strtab.h"

/* Helper names packed one after the other ("unspec\0map_lookup_elem\0..."):
 * a struct of char arrays, one per helper, declared and initialised by the
 * UAPI's own list (each entry ends in a comma), ends with a NUL member.
 * No pointer per name. */
#define RB_FN_DECL(x) x[sizeof(#x)]
#define RB_FN_TEXT(x) #x
static const struct {
	char __BPF_FUNC_MAPPER(RB_FN_DECL) end;
} helper_names = {__BPF_FUNC_MAPPER(RB_FN_TEXT) 0};
#undef RB_FN_DECL
#undef RB_FN_TEXT

const char *rb_ebpf_helper_name(int32_t id)
{
	if (id <= 0)
		return NULL;
	return rb_strtab_at((const char *)&helper_names, (size_t)id);
}

static const char alu_ops[16][7] = {
	[BPF_ADD >> 4] = "+=", [BPF_SUB >> 4] = "-=", [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=", [BPF_OR >> 4] = "|=", [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_NEG >> 4] = "neg",
	[BPF_MOD >> 4] = "%=", [BPF_XOR >> 4] = "^=", [BPF_MOV >> 4] = "=",
	[BPF_ARSH >> 4] = "s>>=", [BPF_END >> 4] = "endian",
};

static const char jmp_ops[16][5] = {
	[BPF_JEQ >> 4] = "==", [BPF_JGT >> 4] = ">", [BPF_JGE >> 4] = ">=",
	[BPF_JSET >> 4] = "&", [BPF_JNE >> 4] = "!=", [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<", [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

static const char *size_name(uint8_t code, bool sign)
{
	static const char u[][4] = {"u32", "u16", "u8", "u64"};
	static const char s[][4] = {"s32", "s16", "s8", "s64"};
	return (sign ? s : u)[BPF_SIZE(code) >> 3];
}

static const char *alu_op_name(const struct bpf_insn *in)
{
	uint8_t op = BPF_OP(in->code);
	/* Linux >= 6.6 signed division: off == 1 on DIV/MOD */
	if (in->off == 1 && op == BPF_DIV)
		return "s/=";
	if (in->off == 1 && op == BPF_MOD)
		return "s%=";
	return alu_ops[op >> 4][0] ? alu_ops[op >> 4] : "?=";
}

static void fmt_end(const struct bpf_insn *in, bool is64, char *buf, size_t len)
{
	const char *kind = is64 ? "bswap" : (BPF_SRC(in->code) == BPF_X ? "be" : "le");
	snprintf(buf, len, "r%d = %s%d r%d", in->dst_reg, kind, in->imm, in->dst_reg);
}

static void fmt_alu(const struct bpf_insn *in, char *buf, size_t len)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	char r = is64 ? 'r' : 'w';
	uint8_t op = BPF_OP(in->code);
	if (op == BPF_END) {
		fmt_end(in, is64, buf, len);
	} else if (op == BPF_NEG) {
		snprintf(buf, len, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
	} else if (op == BPF_MOV && BPF_SRC(in->code) == BPF_X && in->off) {
		/* Linux >= 6.6 sign-extending move: off = 8, 16 or 32 */
		snprintf(buf, len, "%c%d = (s%d)%c%d", r, in->dst_reg, in->off, r,
			 in->src_reg);
	} else {
		/* the source: a register of the same width, or imm */
		bool x = BPF_SRC(in->code) == BPF_X;
		snprintf(buf, len, "%c%d %s %s%d", r, in->dst_reg, alu_op_name(in),
			 x ? (is64 ? "r" : "w") : "", x ? in->src_reg : in->imm);
	}
}

static void fmt_atomic(const struct bpf_insn *in, char *buf, size_t len)
{
	bool w64 = BPF_SIZE(in->code) == BPF_DW;
	const char *pfx = w64 ? "atomic64" : "atomic";
	const char *sz = size_name(in->code, false);
	int op = in->imm & ~BPF_FETCH;
	static const char name[16][4] = {[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
					 [BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor"};
	const char *opn = NULL;
	if (op >= 0 && op < 256 && (op & 0xf) == 0 && name[op >> 4][0])
		opn = name[op >> 4];
	if (in->imm == BPF_CMPXCHG)
		snprintf(buf, len, "r0 = %s_cmpxchg((%s *)(r%d %+d), r0, r%d)", pfx, sz,
			 in->dst_reg, in->off, in->src_reg);
	else if (in->imm == BPF_XCHG || (opn && (in->imm & BPF_FETCH)))
		/* atomic64_xchg, atomic64_fetch_add, ... */
		snprintf(buf, len, "r%d = %s_%s%s((%s *)(r%d %+d), r%d)", in->src_reg, pfx,
			 in->imm == BPF_XCHG ? "" : "fetch_", in->imm == BPF_XCHG ? "xchg" : opn,
			 sz, in->dst_reg, in->off, in->src_reg);
	else if (opn)
		snprintf(buf, len, "lock *(%s *)(r%d %+d) %s r%d", sz, in->dst_reg,
			 in->off, alu_ops[op >> 4], in->src_reg);
	else
		snprintf(buf, len, "BUG_atomic_%02x", (unsigned)in->imm);
}

/* STX (register) and ST (imm) stores; STX also carries the atomics. */
static void fmt_store(const struct bpf_insn *in, char *buf, size_t len)
{
	bool reg = BPF_CLASS(in->code) == BPF_STX;
	if (reg && BPF_MODE(in->code) == BPF_ATOMIC) {
		fmt_atomic(in, buf, len);
		return;
	}
	snprintf(buf, len, "*(%s *)(r%d %+d) = %s%d", size_name(in->code, false), in->dst_reg,
		 in->off, reg ? "r" : "", reg ? in->src_reg : in->imm);
}

static void fmt_ldx(const struct bpf_insn *in, char *buf, size_t len)
{
	/* BPF_MEMSX (0x80), Linux >= 6.6: sign-extending load */
	bool sx = BPF_MODE(in->code) == 0x80;
	snprintf(buf, len, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
		 size_name(in->code, sx), in->src_reg, in->off);
}

/* ld_imm64: src_reg says what the 64-bit immediate refers to. */
static size_t fmt_ld_imm64(const struct bpf_insn *in, size_t left, char *buf, size_t len)
{
	if (left < 2) {
		snprintf(buf, len, "BUG_ld_imm64_truncated");
		return 1;
	}
	uint64_t v = (uint32_t)in[0].imm | ((uint64_t)(uint32_t)in[1].imm << 32);
	switch (in->src_reg) {
	case BPF_PSEUDO_MAP_FD:
		snprintf(buf, len, "r%d = map[fd:%d]", in->dst_reg, in[0].imm);
		break;
	case BPF_PSEUDO_MAP_VALUE:
		snprintf(buf, len, "r%d = map[fd:%d][0]+%d", in->dst_reg, in[0].imm,
			 in[1].imm);
		break;
	case BPF_PSEUDO_BTF_ID:
		snprintf(buf, len, "r%d = btf_id:%d", in->dst_reg, in[0].imm);
		break;
	case BPF_PSEUDO_FUNC:
		snprintf(buf, len, "r%d = subprog[pc%+d]", in->dst_reg, in[0].imm);
		break;
	default:
		snprintf(buf, len, "r%d = 0x%" PRIx64, in->dst_reg, v);
	}
	return 2;
}

static void fmt_ld_legacy(const struct bpf_insn *in, char *buf, size_t len)
{
	if (BPF_MODE(in->code) == BPF_ABS)
		snprintf(buf, len, "r0 = *(%s *)skb[%d]", size_name(in->code, false),
			 in->imm);
	else if (BPF_MODE(in->code) == BPF_IND)
		snprintf(buf, len, "r0 = *(%s *)skb[r%d + %d]", size_name(in->code, false),
			 in->src_reg, in->imm);
	else
		snprintf(buf, len, "BUG_ld_%02x", in->code);
}

static void fmt_call(const struct bpf_insn *in, char *buf, size_t len)
{
	const char *pfx = "", *name = "unknown", *helper;
	if (in->src_reg == BPF_PSEUDO_CALL) {
		snprintf(buf, len, "call pc%+d", in->imm);
		return;
	}
	if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
		name = "kernel-function";
	else if ((helper = rb_ebpf_helper_name(in->imm))) {
		pfx = "bpf_";
		name = helper;
	}
	snprintf(buf, len, "call %s%s#%d", pfx, name, in->imm);
}

static void fmt_jmp(const struct bpf_insn *in, char *buf, size_t len)
{
	bool j32 = BPF_CLASS(in->code) == BPF_JMP32;
	char r = j32 ? 'w' : 'r';
	uint8_t op = BPF_OP(in->code);
	if (op == BPF_CALL) {
		fmt_call(in, buf, len);
	} else if (op == BPF_EXIT) {
		snprintf(buf, len, "exit");
	} else if (op == BPF_JA) {
		/* gotol, Linux >= 6.6: the offset is in imm */
		snprintf(buf, len, "goto%s pc%+d", j32 ? "l" : "", j32 ? in->imm : in->off);
	} else if (!jmp_ops[op >> 4][0]) {
		snprintf(buf, len, "BUG_jmp_%02x", in->code);
	} else if (BPF_SRC(in->code) == BPF_X) {
		snprintf(buf, len, "if %c%d %s %c%d goto pc%+d", r, in->dst_reg,
			 jmp_ops[op >> 4], r, in->src_reg, in->off);
	} else {
		snprintf(buf, len, "if %c%d %s 0x%x goto pc%+d", r, in->dst_reg,
			 jmp_ops[op >> 4], (uint32_t)in->imm, in->off);
	}
}

size_t rb_ebpf_disasm(const struct bpf_insn *insns, size_t n, size_t idx, char *buf, size_t len)
{
	if (idx >= n)
		return 0;
	const struct bpf_insn *in = &insns[idx];
	/* Every line starts with the opcode; the formatters write the rest. */
	int pfx = snprintf(buf, len, "(%02x) ", in->code);
	size_t used = (size_t)pfx < len ? (size_t)pfx : len ? len - 1 : 0;
	buf += used;
	len -= used;
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		fmt_alu(in, buf, len);
		return 1;
	case BPF_STX:
	case BPF_ST:
		fmt_store(in, buf, len);
		return 1;
	case BPF_LDX:
		fmt_ldx(in, buf, len);
		return 1;
	case BPF_LD:
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW))
			return fmt_ld_imm64(in, n - idx, buf, len);
		fmt_ld_legacy(in, buf, len);
		return 1;
	default: /* BPF_JMP, BPF_JMP32 */
		fmt_jmp(in, buf, len);
		return 1;
	}
}
