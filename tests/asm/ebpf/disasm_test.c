#include <string.h>

#include "asm/ebpf/disasm.h"
#include "check_main.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static void expect(const struct bpf_insn *in, size_t n, size_t used, const char *want)
{
	char buf[128];
	ck_assert_uint_eq(rb_ebpf_disasm(in, n, 0, buf, sizeof(buf)), used);
	ck_assert_str_eq(buf, want);
}

START_TEST(alu_forms)
{
	struct bpf_insn a = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	expect(&a, 1, 1, "(b7) r0 = 0");
	a = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -4);
	expect(&a, 1, 1, "(07) r1 += -4");
	a = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
	expect(&a, 1, 1, "(bf) r1 = r10");
	a = INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 0, 0);
	expect(&a, 1, 1, "(bc) w1 = w2");
	a = INSN(BPF_ALU64 | BPF_ARSH | BPF_K, 1, 0, 0, 32);
	expect(&a, 1, 1, "(c7) r1 s>>= 32");
	a = INSN(BPF_ALU64 | BPF_NEG, 0, 0, 0, 0);
	expect(&a, 1, 1, "(87) r0 = -r0");
	a = INSN(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 16);
	expect(&a, 1, 1, "(dc) r0 = be16 r0");
}
END_TEST

START_TEST(memory_forms)
{
	struct bpf_insn a = INSN(BPF_LDX | BPF_MEM | BPF_W, 0, 1, 0, 0);
	expect(&a, 1, 1, "(61) r0 = *(u32 *)(r1 +0)");
	a = INSN(BPF_STX | BPF_MEM | BPF_W, 10, 1, -4, 0);
	expect(&a, 1, 1, "(63) *(u32 *)(r10 -4) = r1");
	a = INSN(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 7);
	expect(&a, 1, 1, "(7a) *(u64 *)(r10 -8) = 7");
	a = INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_ADD);
	expect(&a, 1, 1, "(db) lock *(u64 *)(r1 +0) += r2");
	a = INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_ADD | BPF_FETCH);
	expect(&a, 1, 1, "(db) r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)");
	a = INSN(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 12);
	expect(&a, 1, 1, "(28) r0 = *(u16 *)skb[12]");
}
END_TEST

START_TEST(jumps_and_calls)
{
	struct bpf_insn a = INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1, 0);
	expect(&a, 1, 1, "(15) if r0 == 0x0 goto pc+1");
	a = INSN(BPF_JMP32 | BPF_JGT | BPF_X, 1, 2, -3, 0);
	expect(&a, 1, 1, "(2e) if w1 > w2 goto pc-3");
	a = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	expect(&a, 1, 1, "(85) call bpf_map_lookup_elem#1");
	a = INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 5);
	expect(&a, 1, 1, "(85) call pc+5");
	a = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	expect(&a, 1, 1, "(95) exit");
	a = INSN(BPF_JMP | BPF_JA, 0, 0, 3, 0);
	expect(&a, 1, 1, "(05) goto pc+3");
}
END_TEST

START_TEST(ld_imm64_forms)
{
	struct bpf_insn two[2] = {INSN(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 0x5678),
				  INSN(0, 0, 0, 0, 0x1234)};
	expect(two, 2, 2, "(18) r1 = 0x123400005678");
	two[0].src_reg = BPF_PSEUDO_MAP_FD;
	two[0].imm = 4;
	expect(two, 2, 2, "(18) r1 = map[fd:4]");
	two[0].src_reg = BPF_PSEUDO_MAP_VALUE;
	two[1].imm = 16;
	expect(two, 2, 2, "(18) r1 = map[fd:4][0]+16");
	/* a truncated ld_imm64 at the end of a program is reported, not read past */
	expect(two, 1, 1, "(18) BUG_ld_imm64_truncated");
}
END_TEST

START_TEST(every_opcode_is_printable)
{
	char buf[128];
	for (int code = 0; code < 256; code++)
		for (int imm = -2; imm < 300; imm += 37) {
			struct bpf_insn in[2] = {INSN(code, 3, 4, -7, imm), INSN(0, 0, 0, 0, imm)};
			size_t used = rb_ebpf_disasm(in, 2, 0, buf, sizeof(buf));
			ck_assert(used == 1 || used == 2);
			ck_assert(strlen(buf) > 0);
		}
	ck_assert_uint_eq(rb_ebpf_disasm(NULL, 0, 0, buf, sizeof(buf)), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ebpf_disasm");
	TCase *tc = tcase_create("formats");
	tcase_add_test(tc, alu_forms);
	tcase_add_test(tc, memory_forms);
	tcase_add_test(tc, jumps_and_calls);
	tcase_add_test(tc, ld_imm64_forms);
	tcase_add_test(tc, every_opcode_is_printable);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
