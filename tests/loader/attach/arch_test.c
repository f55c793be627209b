/* Per-architecture facts (loader/attach/arch.c), checked for every
 * architecture on any host: the syscall wrapper prefixes and the USDT
 * operand syntax and struct pt_regs offsets of x86-64 and arm64.  The arm64
 * offsets are also compared with the BPF side's view (rawbpf/tracing.h
 * built for __TARGET_ARCH_arm64), so the two descriptions cannot drift. */
#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define __TARGET_ARCH_arm64 1
#include "verifier-helpers/include/rawbpf/tracing.h"

#include "check_main.h"
#include "loader/attach/attach.h"

START_TEST(syscall_prefix_per_arch)
{
	ck_assert_str_eq(rb_arch_syscall_prefix(RB_ARCH_X86_64), "__x64_");
	ck_assert_str_eq(rb_arch_syscall_prefix(RB_ARCH_ARM64), "__arm64_");
	ck_assert_str_eq(rb_arch_syscall_prefix(RB_ARCH_OTHER), "");
	ck_assert_str_eq(rb_attach_syscall_prefix(), rb_arch_syscall_prefix(rb_arch_host()));
#if defined(__x86_64__)
	ck_assert_int_eq(rb_arch_host(), RB_ARCH_X86_64);
#elif defined(__aarch64__)
	ck_assert_int_eq(rb_arch_host(), RB_ARCH_ARM64);
#endif
	ck_assert_int_eq(rb_arch_of_machine(EM_AARCH64), RB_ARCH_ARM64);
	ck_assert_int_eq(rb_arch_of_machine(EM_X86_64), RB_ARCH_X86_64);
	ck_assert_int_eq(rb_arch_of_machine(EM_BPF), RB_ARCH_OTHER);
	ck_assert_str_eq(rb_arch_name(RB_ARCH_ARM64), "arm64");
}
END_TEST

static void check_arg(const struct rb_usdt_arg *a, uint32_t kind, int reg_off, int64_t val,
		      unsigned size, unsigned is_signed)
{
	ck_assert_uint_eq(a->kind, kind);
	if (kind != RB_USDT_CONST)
		ck_assert_int_eq(a->reg_off, reg_off);
	ck_assert_int_eq((int64_t)a->val_off, val);
	ck_assert_uint_eq(a->size, size);
	ck_assert_uint_eq(a->is_signed, is_signed);
}

#define OFF(field) ((int)offsetof(struct rawbpf_pt_regs, field))

START_TEST(arm64_usdt_operands)
{
	struct rb_usdt_spec s;
	struct rb_err err = {0};
	const char *text = "-4@x0 8@[sp, 12] 8@[x1] -8@[x29, -16] 4@5 -4@-3 2@w2 8@sp 8@x30 1@[x9,0x10]";
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_ARM64, text, &s, &err), 0);
	ck_assert_uint_eq(s.nr_args, 10);
	check_arg(&s.args[0], RB_USDT_REG, OFF(regs[0]), 0, 4, 1);
	check_arg(&s.args[1], RB_USDT_REG_DEREF, OFF(sp), 12, 8, 0);
	check_arg(&s.args[2], RB_USDT_REG_DEREF, OFF(regs[1]), 0, 8, 0);
	check_arg(&s.args[3], RB_USDT_REG_DEREF, OFF(regs[29]), -16, 8, 1);
	check_arg(&s.args[4], RB_USDT_CONST, 0, 5, 4, 0);
	check_arg(&s.args[5], RB_USDT_CONST, 0, -3, 4, 1);
	check_arg(&s.args[6], RB_USDT_REG, OFF(regs[2]), 0, 2, 0);
	check_arg(&s.args[7], RB_USDT_REG, OFF(sp), 0, 8, 0);
	check_arg(&s.args[8], RB_USDT_REG, OFF(regs[30]), 0, 8, 0);
	check_arg(&s.args[9], RB_USDT_REG_DEREF, OFF(regs[9]), 16, 1, 0);
	ck_assert_int_eq(OFF(sp), 248);
}
END_TEST

/* What aarch64-linux-gnu-gcc 12 wrote for tests/loader/attach/target.c's
 * tick(int, long) probe: registers at -O1, stack slots at -O0. */
START_TEST(arm64_usdt_compiler_output)
{
	struct rb_usdt_spec s;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_ARM64, "-4@x19 8@x1", &s, &err), 0);
	check_arg(&s.args[0], RB_USDT_REG, OFF(regs[19]), 0, 4, 1);
	check_arg(&s.args[1], RB_USDT_REG, OFF(regs[1]), 0, 8, 0);
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_ARM64, "-4@[sp, 52] 8@[sp, 40]", &s, &err), 0);
	ck_assert_uint_eq(s.nr_args, 2);
	check_arg(&s.args[0], RB_USDT_REG_DEREF, OFF(sp), 52, 4, 1);
	check_arg(&s.args[1], RB_USDT_REG_DEREF, OFF(sp), 40, 8, 0);
}
END_TEST

START_TEST(arm64_usdt_rejects)
{
	struct rb_usdt_spec s;
	const char *bad[] = {"8@x31", "8@[w0]", "8@[x1", "8@[x1, ]", "8@[x1, 4", "8@x01",
			     "8@xzr", "4@ 5", "4@$5", "4@%eax", "8@[sp, 12]x", "8@-8(%rbp)", "3@x0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		ck_assert_msg(rb_usdt_parse_args_arch(RB_ARCH_ARM64, bad[i], &s, &err) == -RB_EINPUT,
			      "accepted '%s'", bad[i]);
		ck_assert_msg(strstr(err.msg, "(arm64)"), "message names no syntax: %s", err.msg);
	}
}
END_TEST

START_TEST(each_arch_rejects_the_other_syntax)
{
	struct rb_usdt_spec s;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_X86_64, "8@x0", &s, &err), -RB_EINPUT);
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_X86_64, "8@[sp, 12]", &s, &err), -RB_EINPUT);
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_X86_64, "4@$ 5", &s, &err), -RB_EINPUT);
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_X86_64, "-4@%edi 8@(%rax)", &s, &err), 0);
	ck_assert_int_eq(s.args[1].kind, RB_USDT_REG_DEREF);
	ck_assert_int_eq(s.args[1].reg_off, 80);
	ck_assert_int_eq(rb_usdt_parse_args_arch(RB_ARCH_OTHER, "8@x0", &s, &err), -RB_EINPUT);
}
END_TEST

/* A binary of another machine: its notes name registers this kernel's
 * pt_regs does not have, so it is refused before any note is read. */
START_TEST(usdt_refuses_a_foreign_binary)
{
	Elf64_Ehdr eh = {.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
			 .e_type = ET_EXEC, .e_version = EV_CURRENT, .e_ehsize = sizeof(eh),
			 .e_machine = rb_arch_host() == RB_ARCH_ARM64 ? EM_X86_64 : EM_AARCH64};
	char path[] = "/tmp/rawbpf-arch-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, &eh, sizeof(eh)), (ssize_t)sizeof(eh));
	close(fd);
	struct rb_usdt_site *sites = NULL;
	size_t n = 0;
	struct rb_err err = {0};
	int rc = rb_usdt_find_sites(path, "p", "n", &sites, &n, &err);
	unlink(path);
	ck_assert_int_eq(rc, -RB_EUSAGE);
	ck_assert_msg(strstr(err.msg, "binary but this rawbpf runs on"), "%s", err.msg);
	ck_assert_ptr_null(sites);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("arch");
	TCase *tc = tcase_create("no kernel");
	tcase_add_test(tc, syscall_prefix_per_arch);
	tcase_add_test(tc, arm64_usdt_operands);
	tcase_add_test(tc, arm64_usdt_compiler_output);
	tcase_add_test(tc, arm64_usdt_rejects);
	tcase_add_test(tc, each_arch_rejects_the_other_syntax);
	tcase_add_test(tc, usdt_refuses_a_foreign_binary);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
