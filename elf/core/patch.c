/* Writing a relocation's answer into the instruction clang marked. */
#include <limits.h>

#include "elf/core/core_int.h"

static bool is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static void poison_one(struct bpf_insn *insn)
{
	/* reachable, the verifier says "invalid func unknown#195896080" */
	*insn = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = RB_CORE_POISON_IMM};
}

bool rb_core_insn_poisoned(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->imm == RB_CORE_POISON_IMM &&
	       insn->src_reg == 0;
}

static int poison(struct bpf_insn *insns, size_t insn_cnt, size_t idx)
{
	/* both halves, or the verifier complains about "unknown opcode 00" */
	if (is_ld_imm64(&insns[idx]) && idx + 1 < insn_cnt)
		poison_one(&insns[idx + 1]);
	poison_one(&insns[idx]);
	return 0;
}

static int mem_size_code(uint32_t bytes)
{
	switch (bytes) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	case 8: return BPF_DW;
	default: return -1;
	}
}

static int bad(struct rb_err *err, size_t idx, const char *what, unsigned long long got,
	       unsigned long long want)
{
	return rb_input_errf(err, "CO-RE", "instruction %zu: %s (holds %llu, relocation expects %llu)", idx,
			     what, got, want);
}

static int patch_alu(struct bpf_insn *insn, size_t idx, const struct rb_core_res *res,
		     struct rb_err *err)
{
	if (BPF_SRC(insn->code) != BPF_K)
		return rb_input_errf(err, "CO-RE", "instruction %zu: ALU with a register operand", idx);
	if (res->validate && (uint32_t)insn->imm != res->orig_val)
		return bad(err, idx, "unexpected ALU immediate", (uint32_t)insn->imm, res->orig_val);
	if (res->new_val > UINT32_MAX)
		return bad(err, idx, "value does not fit an ALU immediate", res->new_val, UINT32_MAX);
	insn->imm = (int32_t)(uint32_t)res->new_val;
	return 0;
}

static int patch_mem(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		     const struct rb_core_res *res, struct rb_err *err)
{
	struct bpf_insn *insn = &insns[idx];
	if (res->validate && (uint64_t)(uint16_t)insn->off != res->orig_val)
		return bad(err, idx, "unexpected load/store offset", (uint16_t)insn->off, res->orig_val);
	if (res->new_val > SHRT_MAX)
		return bad(err, idx, "field offset too large for a load/store", res->new_val, SHRT_MAX);
	if (res->fail_memsz_adjust)
		return poison(insns, insn_cnt, idx);
	insn->off = (int16_t)res->new_val;
	if (res->new_sz == res->orig_sz)
		return 0;
	int code = mem_size_code(res->new_sz);
	static const uint8_t size_bytes[4] = {[BPF_W >> 3] = 4, [BPF_H >> 3] = 2, [BPF_B >> 3] = 1,
					      [BPF_DW >> 3] = 8};
	if (size_bytes[BPF_SIZE(insn->code) >> 3] != res->orig_sz)
		return bad(err, idx, "unexpected memory access size", size_bytes[BPF_SIZE(insn->code) >> 3],
			   res->orig_sz);
	if (code < 0)
		return bad(err, idx, "new field size is not 1, 2, 4 or 8", res->new_sz, res->orig_sz);
	insn->code = (uint8_t)(BPF_MODE(insn->code) | code | BPF_CLASS(insn->code));
	return 0;
}

static int patch_ld_imm64(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
			  const struct rb_core_res *res, struct rb_err *err)
{
	struct bpf_insn *insn = &insns[idx];
	if (!is_ld_imm64(insn) || idx + 1 >= insn_cnt || insn->src_reg || insn->off ||
	    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
		return rb_input_errf(err, "CO-RE", "instruction %zu: not a plain ld_imm64", idx);
	uint64_t imm = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
	if (res->validate && imm != res->orig_val)
		return bad(err, idx, "unexpected ld_imm64 value", imm, res->orig_val);
	insn[0].imm = (int32_t)(uint32_t)res->new_val;
	insn[1].imm = (int32_t)(uint32_t)(res->new_val >> 32);
	return 0;
}

int rb_core_patch(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		  const struct rb_core_res *res, struct rb_err *err)
{
	if (idx >= insn_cnt)
		return rb_input_errf(err, "CO-RE", "relocation at instruction %zu of %zu", idx, insn_cnt);
	if (res->poison)
		return poison(insns, insn_cnt, idx);
	switch (BPF_CLASS(insns[idx].code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return patch_alu(&insns[idx], idx, res, err);
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return patch_mem(insns, insn_cnt, idx, res, err);
	case BPF_LD:
		return patch_ld_imm64(insns, insn_cnt, idx, res, err);
	default:
		return rb_input_errf(err, "CO-RE",
				     "instruction %zu (opcode 0x%02x) cannot carry a relocation", idx,
				     insns[idx].code);
	}
}
