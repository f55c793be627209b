/* rawbpf's cBPF interpreter on hand-written programs: every opcode, the
 * kernel's rejects (out of bounds, division by zero), scratch memory,
 * negative offsets and ancillary loads. */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asm/cbpf/interp.h"
#include "asm/cbpf/validate.h"
#include "check_main.h"
#include "common/buf.h"

#define S(c, kk) {.code = (c), .k = (kk)}
#define J(c, kk, t, f) {.code = (c), .jt = (t), .jf = (f), .k = (kk)}
#define RUN(pkt, ...) run_insns((const struct rb_cbpf_insn[]){__VA_ARGS__}, \
	sizeof((const struct rb_cbpf_insn[]){__VA_ARGS__}) / sizeof(struct rb_cbpf_insn), pkt, sizeof(pkt), NULL)
#define RUN_SKB(pkt, skb, ...) run_insns((const struct rb_cbpf_insn[]){__VA_ARGS__}, \
	sizeof((const struct rb_cbpf_insn[]){__VA_ARGS__}) / sizeof(struct rb_cbpf_insn), pkt, sizeof(pkt), skb)

static const uint8_t pkt[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
			      0x45, 0x00, 0x00, 0x3c, 0xff, 0x01};

static uint32_t run_insns(const struct rb_cbpf_insn *insns, size_t n, const uint8_t *p,
			  uint32_t caplen, const struct rb_cbpf_skb *skb)
{
	struct rb_cbpf_prog prog = {.insns = (struct rb_cbpf_insn *)insns, .len = n};
	return rb_cbpf_run_skb(&prog, p, caplen, caplen + 100, skb);
}

START_TEST(loads_abs_are_big_endian)
{
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_W | BPF_ABS, 0), S(BPF_RET | BPF_A, 0)), 0x12345678);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_H | BPF_ABS, 1), S(BPF_RET | BPF_A, 0)), 0x3456);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_B | BPF_ABS, 13), S(BPF_RET | BPF_A, 0)), 0x01);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_W | BPF_ABS, 10), S(BPF_RET | BPF_A, 0)), 0x003cff01);
}
END_TEST

START_TEST(out_of_bounds_load_rejects)
{
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_W | BPF_ABS, 11), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_H | BPF_ABS, 13), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_B | BPF_ABS, 14), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_B | BPF_ABS, 0x7fffffff), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 13), S(BPF_LD | BPF_H | BPF_IND, 0),
			      S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_B | BPF_MSH, 14), S(BPF_RET | BPF_K, 1)), 0);
}
END_TEST

START_TEST(ind_and_msh_loads)
{
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_B | BPF_MSH, 8), S(BPF_TXA | BPF_MISC, 0),
			      S(BPF_RET | BPF_A, 0)), 20);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 4), S(BPF_LD | BPF_H | BPF_IND, 2),
			      S(BPF_RET | BPF_A, 0)), 0xdef0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 8), S(BPF_LD | BPF_W | BPF_IND, 2),
			      S(BPF_RET | BPF_A, 0)), 0x003cff01);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 1), S(BPF_LD | BPF_B | BPF_IND, 0),
			      S(BPF_RET | BPF_A, 0)), 0x34);
	/* The kernel adds X + k in 32 bits: 0xffffffff + 3 addresses byte 2. */
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 0xffffffff), S(BPF_LD | BPF_B | BPF_IND, 3),
			      S(BPF_RET | BPF_A, 0)), 0x56);
}
END_TEST

START_TEST(imm_len_mem_and_registers)
{
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 77), S(BPF_RET | BPF_A, 0)), 77);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_RET | BPF_A, 0)), 114);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_MISC | BPF_TXA, 0),
			      S(BPF_RET | BPF_A, 0)), 114);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 9), S(BPF_MISC | BPF_TAX, 0),
			      S(BPF_LD | BPF_IMM, 1), S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0)), 9);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 5), S(BPF_ST, 3), S(BPF_LDX | BPF_IMM, 6),
			      S(BPF_STX, 15), S(BPF_LD | BPF_MEM, 15), S(BPF_LDX | BPF_MEM, 3),
			      S(BPF_ALU | BPF_MUL | BPF_X, 0), S(BPF_RET | BPF_A, 0)), 30);
}
END_TEST

START_TEST(scratch_memory_starts_zeroed)
{
	for (uint32_t k = 0; k < 16; k++) {
		ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 1), S(BPF_LD | BPF_MEM, k),
				      S(BPF_ALU | BPF_ADD | BPF_K, 7), S(BPF_RET | BPF_A, 0)), 7);
		ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_MEM, k), S(BPF_MISC | BPF_TXA, 0),
				      S(BPF_ALU | BPF_ADD | BPF_K, 3), S(BPF_RET | BPF_A, 0)), 3);
	}
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_MEM, 16), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_ST, 16), S(BPF_RET | BPF_K, 1)), 0);
}
END_TEST

static uint32_t alu(uint16_t op, uint32_t a, uint32_t k)
{
	const struct rb_cbpf_insn insns[] = {S(BPF_LD | BPF_IMM, a), S(BPF_ALU | op | BPF_K, k),
					     S(BPF_RET | BPF_A, 0)};
	const struct rb_cbpf_insn xinsns[] = {S(BPF_LD | BPF_IMM, a), S(BPF_LDX | BPF_IMM, k),
					      S(BPF_ALU | op | BPF_X, 0), S(BPF_RET | BPF_A, 0)};
	uint32_t r1 = run_insns(insns, 3, pkt, sizeof pkt, NULL);
	uint32_t r2 = run_insns(xinsns, 4, pkt, sizeof pkt, NULL);
	ck_assert_uint_eq(r1, r2);
	return r1;
}

START_TEST(alu_operations_are_32_bit)
{
	ck_assert_uint_eq(alu(BPF_ADD, 0xffffffff, 2), 1);
	ck_assert_uint_eq(alu(BPF_SUB, 1, 2), 0xffffffff);
	ck_assert_uint_eq(alu(BPF_MUL, 0x10000, 0x10001), 0x10000);
	ck_assert_uint_eq(alu(BPF_DIV, 100, 7), 14);
	ck_assert_uint_eq(alu(BPF_DIV, 0xffffffff, 2), 0x7fffffff);
	ck_assert_uint_eq(alu(BPF_MOD, 100, 7), 2);
	ck_assert_uint_eq(alu(BPF_AND, 0xf0f0, 0xff00), 0xf000);
	ck_assert_uint_eq(alu(BPF_OR, 0xf0f0, 0xff00), 0xfff0);
	ck_assert_uint_eq(alu(BPF_XOR, 0xf0f0, 0xff00), 0x0ff0);
	ck_assert_uint_eq(alu(BPF_LSH, 0x80000001, 1), 2);
	ck_assert_uint_eq(alu(BPF_RSH, 0x80000000, 31), 1);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 5), S(BPF_ALU | BPF_NEG, 0),
			      S(BPF_RET | BPF_A, 0)), 0xfffffffb);
}
END_TEST

START_TEST(division_by_zero_rejects)
{
	ck_assert_uint_eq(alu(BPF_DIV, 100, 0), 0);
	ck_assert_uint_eq(alu(BPF_MOD, 100, 0), 0);
	/* A "ret #1" after the division shows the program really stopped. */
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 0), S(BPF_ALU | BPF_DIV | BPF_X, 0),
			      S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LDX | BPF_IMM, 0), S(BPF_ALU | BPF_MOD | BPF_X, 0),
			      S(BPF_RET | BPF_K, 1)), 0);
}
END_TEST

START_TEST(shift_by_x_is_taken_modulo_32)
{
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 3), S(BPF_LDX | BPF_IMM, 33),
			      S(BPF_ALU | BPF_LSH | BPF_X, 0), S(BPF_RET | BPF_A, 0)), 6);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 8), S(BPF_LDX | BPF_IMM, 32),
			      S(BPF_ALU | BPF_RSH | BPF_X, 0), S(BPF_RET | BPF_A, 0)), 8);
	/* By a constant >= 32 the kernel's checker refuses the program. */
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 8), S(BPF_ALU | BPF_LSH | BPF_K, 32),
			      S(BPF_RET | BPF_K, 1)), 0);
}
END_TEST

START_TEST(conditional_jumps)
{
	/* A = 0x12 (byte 0); each jump returns 1 when taken, 2 when not. */
#define JT(op, src, k, x) RUN(pkt, S(BPF_LD | BPF_B | BPF_ABS, 0), S(BPF_LDX | BPF_IMM, x), \
			       J(BPF_JMP | op | src, k, 0, 1), S(BPF_RET | BPF_K, 1), S(BPF_RET | BPF_K, 2))
	ck_assert_uint_eq(JT(BPF_JEQ, BPF_K, 0x12, 0), 1);
	ck_assert_uint_eq(JT(BPF_JEQ, BPF_K, 0x13, 0), 2);
	ck_assert_uint_eq(JT(BPF_JEQ, BPF_X, 0, 0x12), 1);
	ck_assert_uint_eq(JT(BPF_JGT, BPF_K, 0x11, 0), 1);
	ck_assert_uint_eq(JT(BPF_JGT, BPF_K, 0x12, 0), 2);
	ck_assert_uint_eq(JT(BPF_JGT, BPF_X, 0, 0x12), 2);
	ck_assert_uint_eq(JT(BPF_JGE, BPF_K, 0x12, 0), 1);
	ck_assert_uint_eq(JT(BPF_JGE, BPF_X, 0, 0x13), 2);
	ck_assert_uint_eq(JT(BPF_JSET, BPF_K, 0x02, 0), 1);
	ck_assert_uint_eq(JT(BPF_JSET, BPF_X, 0, 0x01), 2);
	/* Comparisons are unsigned. */
	ck_assert_uint_eq(JT(BPF_JGT, BPF_K, 0xffffffff, 0), 2);
#undef JT
	ck_assert_uint_eq(RUN(pkt, J(BPF_JMP | BPF_JA, 1, 0, 0), S(BPF_RET | BPF_K, 1),
			      S(BPF_RET | BPF_K, 2)), 2);
}
END_TEST

START_TEST(malformed_programs_reject)
{
	/* Jumps past the end, running off the end, unknown opcodes, RET X. */
	ck_assert_uint_eq(RUN(pkt, J(BPF_JMP | BPF_JA, 5, 0, 0), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, J(BPF_JMP | BPF_JA, 0xffffffff, 0, 0), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, J(BPF_JMP | BPF_JEQ | BPF_K, 0, 9, 9), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 3)), 0);
	ck_assert_uint_eq(RUN(pkt, S(0xc4, 0), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(0x0e, 0), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(0x106, 1)), 0);
	ck_assert_uint_eq(rb_cbpf_run(NULL, pkt, sizeof pkt, sizeof pkt), 0);
	struct rb_cbpf_prog empty = {0};
	ck_assert_uint_eq(rb_cbpf_run(&empty, pkt, sizeof pkt, sizeof pkt), 0);
}
END_TEST

START_TEST(ret_k_and_rb_cbpf_run)
{
	const struct rb_cbpf_insn insns[] = {S(BPF_LD | BPF_H | BPF_ABS, 12),
					     J(BPF_JMP | BPF_JEQ | BPF_K, 0xff01, 0, 1),
					     S(BPF_RET | BPF_K, 262144), S(BPF_RET | BPF_K, 0)};
	struct rb_cbpf_prog prog = {.insns = (struct rb_cbpf_insn *)insns, .len = 4};
	ck_assert_uint_eq(rb_cbpf_run(&prog, pkt, sizeof pkt, 60), 262144);
	ck_assert_uint_eq(rb_cbpf_run(&prog, pkt, 13, 60), 0);
}
END_TEST

START_TEST(ancillary_loads_need_skb)
{
	struct rb_cbpf_skb skb = {.protocol = 0x86dd, .pkttype = 4, .ifindex = 7, .mark = 9,
				  .queue = 2, .hatype = 1, .rxhash = 0xabc, .cpu = 1,
				  .random = 42, .pay_offset = 54, .vlan_tci = 0x123,
				  .vlan_tpid = 0x8100, .vlan_present = true, .net_off = 8};
	static const struct { uint32_t n, want; } cases[] = {
		{SKF_AD_PROTOCOL, 0x86dd}, {SKF_AD_PKTTYPE, 4}, {SKF_AD_IFINDEX, 7},
		{SKF_AD_MARK, 9}, {SKF_AD_QUEUE, 2}, {SKF_AD_HATYPE, 1}, {SKF_AD_RXHASH, 0xabc},
		{SKF_AD_CPU, 1}, {SKF_AD_VLAN_TAG, 0x123}, {SKF_AD_VLAN_TAG_PRESENT, 1},
		{SKF_AD_PAY_OFFSET, 54}, {SKF_AD_RANDOM, 42}, {SKF_AD_VLAN_TPID, 0x8100},
	};
	for (size_t i = 0; i < RB_ARRAY_SIZE(cases); i++) {
		uint32_t k = (uint32_t)SKF_AD_OFF + cases[i].n;
		ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_W | BPF_ABS, k),
					  S(BPF_RET | BPF_A, 0)), cases[i].want);
		ck_assert_uint_eq(RUN_SKB(pkt, NULL, S(BPF_LD | BPF_W | BPF_ABS, k),
					  S(BPF_RET | BPF_K, 1)), 0);
	}
	uint32_t nl = (uint32_t)SKF_AD_OFF + SKF_AD_NLATTR;
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_W | BPF_ABS, nl), S(BPF_RET | BPF_K, 1)), 0);
	uint32_t xr = (uint32_t)SKF_AD_OFF + SKF_AD_ALU_XOR_X;
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_IMM, 0xff), S(BPF_LDX | BPF_IMM, 0x0f),
			      S(BPF_LD | BPF_B | BPF_ABS, xr), S(BPF_RET | BPF_A, 0)), 0xf0);
}
END_TEST

START_TEST(negative_offsets_address_headers)
{
	struct rb_cbpf_skb skb = {.net_off = 8};
	uint32_t net = (uint32_t)SKF_NET_OFF, ll = (uint32_t)SKF_LL_OFF;
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_B | BPF_ABS, net), S(BPF_RET | BPF_A, 0)), 0x45);
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_H | BPF_ABS, ll + 2), S(BPF_RET | BPF_A, 0)), 0x5678);
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LDX | BPF_B | BPF_MSH, net), S(BPF_MISC | BPF_TXA, 0),
				  S(BPF_RET | BPF_A, 0)), 20);
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_W | BPF_ABS, net + 2), S(BPF_RET | BPF_A, 0)), 0x003cff01);
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_W | BPF_ABS, net + 3), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN_SKB(pkt, &skb, S(BPF_LD | BPF_B | BPF_ABS, ll - 1), S(BPF_RET | BPF_K, 1)), 0);
	ck_assert_uint_eq(RUN(pkt, S(BPF_LD | BPF_B | BPF_ABS, net), S(BPF_RET | BPF_K, 1)), 0);
}
END_TEST

/* ---- against the kernel: random valid programs on random packets ----
 * The kernel runs a socket filter on an AF_UNIX datagram socket over exactly
 * the message bytes, drops the message when it returns 0 and trims it to
 * max(1, verdict) otherwise (sk_filter_trim_cap), so the received length
 * shows the verdict.  No privilege needed.  Ancillary loads other than
 * ALU_XOR_X and negative offsets are left out: a unix skb has no link or
 * network header or device. */
static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

static uint32_t rnd_offset(uint64_t *s)
{
	static const uint32_t odd[] = {0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
				       (uint32_t)SKF_AD_OFF + SKF_AD_ALU_XOR_X};
	return rnd(s) % 8 ? rnd(s) % 72 : odd[rnd(s) % RB_ARRAY_SIZE(odd)];
}

static struct rb_cbpf_insn rnd_alu(uint64_t *s)
{
	static const uint16_t ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND,
				       BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH, BPF_NEG};
	uint16_t op = ops[rnd(s) % RB_ARRAY_SIZE(ops)];
	if (op == BPF_NEG)
		return (struct rb_cbpf_insn){.code = BPF_ALU | BPF_NEG};
	if (rnd(s) % 2)
		return (struct rb_cbpf_insn){.code = BPF_ALU | op | BPF_X};
	uint32_t k = rnd(s) % 3 ? rnd(s) % 40 : rnd(s) * 2654435761u;
	if (op == BPF_LSH || op == BPF_RSH)
		k %= 32;
	if ((op == BPF_DIV || op == BPF_MOD) && k == 0)
		k = 3;
	return (struct rb_cbpf_insn){.code = BPF_ALU | op | BPF_K, .k = k};
}

static struct rb_cbpf_insn rnd_load(uint64_t *s)
{
	static const uint16_t sizes[] = {BPF_W, BPF_H, BPF_B};
	uint16_t size = sizes[rnd(s) % 3];
	switch (rnd(s) % 10) {
	case 0: return (struct rb_cbpf_insn){.code = BPF_LD | BPF_IMM, .k = rnd(s) % 300};
	case 1: return (struct rb_cbpf_insn){.code = BPF_LD | BPF_W | BPF_LEN};
	case 2: return (struct rb_cbpf_insn){.code = BPF_LDX | BPF_W | BPF_LEN};
	case 3: return (struct rb_cbpf_insn){.code = BPF_LDX | BPF_IMM, .k = rnd_offset(s)};
	case 4: return (struct rb_cbpf_insn){.code = BPF_LDX | BPF_B | BPF_MSH, .k = rnd(s) % 72};
	case 5: return (struct rb_cbpf_insn){.code = BPF_LD | size | BPF_IND, .k = rnd_offset(s)};
	default: return (struct rb_cbpf_insn){.code = BPF_LD | size | BPF_ABS, .k = rnd_offset(s)};
	}
}

static struct rb_cbpf_insn rnd_jump(uint64_t *s, size_t rest)
{
	static const uint16_t ops[] = {BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET};
	if (rnd(s) % 6 == 0)
		return (struct rb_cbpf_insn){.code = BPF_JMP | BPF_JA, .k = rnd(s) % rest};
	return (struct rb_cbpf_insn){.code = (uint16_t)(BPF_JMP | ops[rnd(s) % 4] |
							(rnd(s) % 2 ? BPF_X : BPF_K)),
				     .jt = (uint8_t)(rnd(s) % rest), .jf = (uint8_t)(rnd(s) % rest),
				     .k = rnd(s) % 3 ? rnd(s) % 64 : rnd(s)};
}

static struct rb_cbpf_insn rnd_insn(uint64_t *s, size_t rest)
{
	static const uint16_t misc[] = {BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM,
					BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_RET | BPF_A};
	switch (rnd(s) % 6) {
	case 0: case 1: return rnd_load(s);
	case 2: return rnd_alu(s);
	case 3: return rnd_jump(s, rest);
	case 4: return (struct rb_cbpf_insn){.code = misc[rnd(s) % RB_ARRAY_SIZE(misc)], .k = rnd(s) % 16};
	default: return (struct rb_cbpf_insn){.code = BPF_MISC | BPF_TAX};
	}
}

/* A program the kernel's checker accepts (validated here, which the
 * validator test shows agrees with the kernel). */
static size_t rnd_prog(uint64_t *s, struct rb_cbpf_insn *insns)
{
	struct rb_err e = {0};
	for (;;) {
		size_t len = 2 + rnd(s) % 11;
		for (size_t i = 0; i + 1 < len; i++)
			insns[i] = rnd_insn(s, len - 1 - i);
		insns[len - 1] = rnd(s) % 3 ? (struct rb_cbpf_insn){.code = BPF_RET | BPF_A}
					   : (struct rb_cbpf_insn){.code = BPF_RET | BPF_K,
								   .k = rnd(s) % 2 ? 0x40000 : rnd(s) % 50};
		struct rb_cbpf_prog p = {.insns = insns, .len = len};
		rb_err_clear(&e);
		if (rb_cbpf_validate(&p, &e) == 0)
			return len;
	}
}

/* What the receiver gets: -1 = dropped, else the received length. */
static long kernel_delivers(int sv[2], const uint8_t *pk, size_t n)
{
	uint8_t buf[256];
	if (send(sv[0], pk, n, 0) != (ssize_t)n)
		return -2;
	ssize_t r = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	return r < 0 ? -1 : (long)r;
}

static long interp_delivers(const struct rb_cbpf_prog *p, const uint8_t *pk, size_t n)
{
	uint32_t v = rb_cbpf_run(p, pk, (uint32_t)n, (uint32_t)n);
	if (v == 0)
		return -1;
	return v < n ? (long)(v > 1 ? v : 1) : (long)n;
}

START_TEST(agrees_with_the_kernel_on_random_programs)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) {
		printf("SKIP interpreter vs kernel: socketpair: %s\n", strerror(errno));
		return;
	}
	uint64_t seed = 0x2545f4914f6cdd1dull;
	long drops = 0, trims = 0;
	for (int n = 0; n < 4000; n++) {
		struct rb_cbpf_insn insns[16];
		struct rb_cbpf_prog p = {.insns = insns, .len = rnd_prog(&seed, insns)};
		struct sock_fprog fp = {.len = (unsigned short)p.len, .filter = (struct sock_filter *)insns};
		ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp), 0);
		for (int k = 0; k < 8; k++) {
			uint8_t pk[128];
			size_t len = rnd(&seed) % sizeof pk;
			for (size_t i = 0; i < len; i++)
				pk[i] = (uint8_t)(rnd(&seed) % 4 ? rnd(&seed) % 8 : rnd(&seed));
			long want = kernel_delivers(sv, pk, len), got = interp_delivers(&p, pk, len);
			ck_assert_msg(want == got, "program %d packet %d (len %zu): kernel %ld, interpreter %ld",
				      n, k, len, want, got);
			drops += want < 0;
			trims += want >= 0 && (size_t)want < len;
		}
	}
	close(sv[0]);
	close(sv[1]);
	ck_assert_int_gt(drops, 1000);
	ck_assert_int_gt(trims, 1000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cbpf-interp");
	TCase *tc = tcase_create("interp");
	tcase_add_test(tc, loads_abs_are_big_endian);
	tcase_add_test(tc, out_of_bounds_load_rejects);
	tcase_add_test(tc, ind_and_msh_loads);
	tcase_add_test(tc, imm_len_mem_and_registers);
	tcase_add_test(tc, scratch_memory_starts_zeroed);
	tcase_add_test(tc, alu_operations_are_32_bit);
	tcase_add_test(tc, division_by_zero_rejects);
	tcase_add_test(tc, shift_by_x_is_taken_modulo_32);
	tcase_add_test(tc, conditional_jumps);
	tcase_add_test(tc, malformed_programs_reject);
	tcase_add_test(tc, ret_k_and_rb_cbpf_run);
	tcase_add_test(tc, ancillary_loads_need_skb);
	tcase_add_test(tc, negative_offsets_address_headers);
	tcase_add_test(tc, agrees_with_the_kernel_on_random_programs);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
