/* rb_cbpf_validate: Linux's classic checker rules, each bad case with the
 * message naming the instruction. */
#include <linux/filter.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asm/cbpf/validate.h"
#include "check_main.h"
#include "common/buf.h"

#define S(c, kk) {.code = (c), .k = (kk)}
#define J(c, kk, t, f) {.code = (c), .jt = (t), .jf = (f), .k = (kk)}
#define INSNS(...) (const struct rb_cbpf_insn[]){__VA_ARGS__}, \
	sizeof((const struct rb_cbpf_insn[]){__VA_ARGS__}) / sizeof(struct rb_cbpf_insn)

static int validate(const struct rb_cbpf_insn *insns, size_t n, struct rb_err *e)
{
	struct rb_cbpf_prog p = {.insns = (struct rb_cbpf_insn *)insns, .len = n};
	rb_err_clear(e);
	return rb_cbpf_validate(&p, e);
}

static void expect_ok(const struct rb_cbpf_insn *insns, size_t n)
{
	struct rb_err e = {0};
	int rc = validate(insns, n, &e);
	ck_assert_msg(rc == 0, "refused: %s", e.msg);
}

static void expect_bad(const struct rb_cbpf_insn *insns, size_t n, const char *where, const char *what)
{
	struct rb_err e = {0};
	ck_assert_int_eq(validate(insns, n, &e), -RB_EINPUT);
	ck_assert_msg(strstr(e.msg, where) && strstr(e.msg, what), "message: %s", e.msg);
}

START_TEST(accepts_typical_programs)
{
	/* tcpdump -dd 'ip and tcp port 80' shape, plus every allowed opcode class. */
	expect_ok(INSNS(S(BPF_LD | BPF_H | BPF_ABS, 12), J(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 3),
			S(BPF_LDX | BPF_B | BPF_MSH, 14), S(BPF_LD | BPF_H | BPF_IND, 16),
			S(BPF_RET | BPF_K, 262144), S(BPF_RET | BPF_K, 0)));
	expect_ok(INSNS(S(BPF_LD | BPF_IMM, 1), S(BPF_ST, 0), S(BPF_LDX | BPF_W | BPF_LEN, 0),
			S(BPF_STX, 15), S(BPF_LD | BPF_MEM, 0), S(BPF_LDX | BPF_MEM, 15),
			S(BPF_ALU | BPF_DIV | BPF_X, 0), S(BPF_ALU | BPF_LSH | BPF_K, 31),
			S(BPF_ALU | BPF_NEG, 0), S(BPF_MISC | BPF_TAX, 0), S(BPF_MISC | BPF_TXA, 0),
			S(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_AD_OFF + SKF_AD_PROTOCOL),
			S(BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_NET_OFF + 9),
			J(BPF_JMP | BPF_JA, 0, 0, 0), S(BPF_RET | BPF_A, 0)));
	expect_ok(INSNS(S(BPF_RET | BPF_K, 0)));
}
END_TEST

START_TEST(refuses_bad_length)
{
	struct rb_err e = {0};
	struct rb_cbpf_prog empty = {0};
	ck_assert_int_eq(rb_cbpf_validate(&empty, &e), -RB_EINPUT);
	ck_assert(strstr(e.msg, "empty"));
	struct rb_cbpf_insn *big = calloc(4097, sizeof *big);
	for (size_t i = 0; i < 4097; i++)
		big[i].code = BPF_RET | BPF_K;
	struct rb_cbpf_prog p = {.insns = big, .len = 4097};
	rb_err_clear(&e);
	ck_assert_int_eq(rb_cbpf_validate(&p, &e), -RB_EINPUT);
	ck_assert(strstr(e.msg, "4097 instructions"));
	p.len = 4096;
	ck_assert_int_eq(rb_cbpf_validate(&p, &e), 0);
	free(big);
}
END_TEST

START_TEST(refuses_each_bad_instruction)
{
	expect_bad(INSNS(S(BPF_LD | BPF_IMM, 0), S(0xc4, 0), S(BPF_RET | BPF_K, 0)),
		   "instruction 1 (code 0xc4", "unknown opcode");
	expect_bad(INSNS(S(0x0e, 0)), "instruction 0", "unknown opcode");
	expect_bad(INSNS(S(BPF_LD | BPF_H | BPF_IMM, 0), S(BPF_RET | BPF_K, 0)), "instruction 0", "unknown opcode");
	expect_bad(INSNS(S(BPF_ALU | BPF_DIV | BPF_K, 0), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "division by the constant 0");
	expect_bad(INSNS(S(BPF_ALU | BPF_MOD | BPF_K, 0), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "division by the constant 0");
	expect_bad(INSNS(S(BPF_ALU | BPF_RSH | BPF_K, 32), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "shift by a constant >= 32");
	expect_bad(INSNS(S(BPF_LD | BPF_IMM, 0), S(BPF_ST, 16), S(BPF_RET | BPF_K, 0)),
		   "instruction 1", "scratch memory index");
	expect_bad(INSNS(J(BPF_JMP | BPF_JA, 1, 0, 0), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "jump past the last instruction");
	expect_bad(INSNS(J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "conditional jump past");
	expect_bad(INSNS(S(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_AD_OFF + 64), S(BPF_RET | BPF_K, 0)),
		   "instruction 0", "unknown ancillary");
	expect_bad(INSNS(S(BPF_LD | BPF_IMM, 0), S(BPF_LD | BPF_IMM, 0)),
		   "instruction 1", "not a ret");
}
END_TEST

START_TEST(scratch_reads_need_a_store_on_every_path)
{
	expect_bad(INSNS(S(BPF_LD | BPF_MEM, 2), S(BPF_RET | BPF_A, 0)),
		   "instruction 0", "not stored on every path");
	/* Stored on the taken path only. */
	expect_bad(INSNS(S(BPF_LD | BPF_B | BPF_ABS, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
			 S(BPF_ST, 3), S(BPF_LDX | BPF_MEM, 3), S(BPF_RET | BPF_K, 0)),
		   "instruction 3", "not stored on every path");
	/* Stored before the branch: fine on both paths. */
	expect_ok(INSNS(S(BPF_ST, 3), S(BPF_LD | BPF_B | BPF_ABS, 0),
			J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), S(BPF_STX, 4),
			S(BPF_LDX | BPF_MEM, 3), S(BPF_RET | BPF_K, 0)));
	/* Another slot stored does not count. */
	expect_bad(INSNS(S(BPF_ST, 4), J(BPF_JMP | BPF_JA, 0, 0, 0), S(BPF_LD | BPF_MEM, 5),
			 S(BPF_RET | BPF_A, 0)), "instruction 2", "scratch memory slot");
}
END_TEST

/* Random small programs built from every opcode the kernel knows, a few it
 * does not, and the boundary constants of each rule; the kernel itself
 * (SO_ATTACH_FILTER on a UDP socket, no privilege needed) is the oracle. */
static uint32_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

static const uint16_t some_codes[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x14, 0x15, 0x16, 0x1c, 0x1d,
	0x20, 0x24, 0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45,
	0x48, 0x4c, 0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81,
	0x84, 0x87, 0x94, 0x9c, 0xa4, 0xac, 0xb1, 0x0e, 0x18, 0x68, 0xc4, 0xd4, 0x106,
};

static uint32_t some_k(uint64_t *s)
{
	static const uint32_t ks[] = {0, 1, 2, 3, 14, 15, 16, 31, 32, 0xffffffff,
				      (uint32_t)SKF_AD_OFF, (uint32_t)SKF_AD_OFF + 40,
				      (uint32_t)SKF_AD_OFF + 60, (uint32_t)SKF_AD_OFF + 64,
				      (uint32_t)SKF_AD_OFF + 13, (uint32_t)SKF_NET_OFF};
	return ks[next_rand(s) % RB_ARRAY_SIZE(ks)];
}

static void random_prog(uint64_t *s, struct rb_cbpf_insn *insns, size_t *len)
{
	*len = 1 + next_rand(s) % 8;
	for (size_t i = 0; i < *len; i++)
		insns[i] = (struct rb_cbpf_insn){.code = some_codes[next_rand(s) % RB_ARRAY_SIZE(some_codes)],
						 .jt = (uint8_t)(next_rand(s) % 4),
						 .jf = (uint8_t)(next_rand(s) % 4), .k = some_k(s)};
	if (next_rand(s) % 5)
		insns[*len - 1].code = next_rand(s) % 2 ? (BPF_RET | BPF_K) : (BPF_RET | BPF_A);
}

START_TEST(agrees_with_the_kernel)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("SKIP validator vs kernel: no UDP socket (%s)\n", strerror(errno));
		return;
	}
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int accepted = 0, refused = 0;
	for (int n = 0; n < 100000; n++) {
		struct rb_cbpf_insn insns[8];
		size_t len;
		random_prog(&seed, insns, &len);
		struct sock_fprog fp = {.len = (unsigned short)len, .filter = (struct sock_filter *)insns};
		bool kernel_ok = setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) == 0;
		struct rb_err e = {0};
		bool ours_ok = validate(insns, len, &e) == 0;
		ck_assert_msg(kernel_ok == ours_ok, "program %d: kernel %s, rawbpf %s (%s); first insn 0x%x",
			      n, kernel_ok ? "loads" : "refuses", ours_ok ? "accepts" : "refuses",
			      e.msg, insns[0].code);
		accepted += kernel_ok;
		refused += !kernel_ok;
	}
	close(fd);
	ck_assert_int_gt(accepted, 100);
	ck_assert_int_gt(refused, 100);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cbpf-validate");
	TCase *tc = tcase_create("validate");
	tcase_add_test(tc, accepts_typical_programs);
	tcase_add_test(tc, refuses_bad_length);
	tcase_add_test(tc, refuses_each_bad_instruction);
	tcase_add_test(tc, scratch_reads_need_a_store_on_every_path);
	tcase_add_test(tc, agrees_with_the_kernel);
	/* 100,000 setsockopt calls: seconds under ASan on a busy machine, past
	 * Check's default of 4 s */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
